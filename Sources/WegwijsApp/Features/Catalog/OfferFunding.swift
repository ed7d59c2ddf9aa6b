import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// Which budget pays for each offer (`FundingSource`, R41; seed 003: "look beyond the civic-integration budget"). The
/// code travels in the offer's draft (`OfferDraft.funding`) and is repeated in the column `offers.funding`, so the
/// procurement checklist counts the portfolio per budget with one aggregate query. Like the join tables it is not a
/// Fluent field: `OfferCodes.store` writes it on the transaction that writes the offer, and a model loaded by the
/// migrations of an older database (before `AddOfferFunding`) still loads.
enum OfferFunding {
    /// Writes the column for these offers (nil: not recorded), one UPDATE per code and chunk of ids.
    static func store(_ offers: [(id: UUID, funding: String?)], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !offers.isEmpty else { return }
        let byCode = Dictionary(grouping: offers, by: { $0.funding ?? "" })
        for (code, group) in byCode.sorted(by: { $0.key < $1.key }) {
            let ids = group.map(\.id)
            for start in stride(from: 0, to: ids.count, by: 1_000) {
                let chunk = Array(ids[start..<min(start + 1_000, ids.count)])
                let value: any SQLExpression = code.isEmpty ? SQLLiteral.null : SQLBind(code)
                try await sql.update(Offer.schema).set(SQLIdentifier("funding"), to: value)
                    .where(SQLIdentifier("id"), .in, chunk).run()
            }
        }
    }

    /// The funding code of each offer (absent: not recorded).
    static func load(_ ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        guard let sql = database as? any SQLDatabase, !ids.isEmpty else { return [:] }
        var result: [UUID: String] = [:]
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let chunk = Array(ids[start..<min(start + 1_000, ids.count)])
            for row in try await sql.select().column("id").column("funding").from(Offer.schema)
                .where(SQLIdentifier("id"), .in, chunk).all() {
                if let code = try row.decode(column: "funding", as: String?.self) {
                    result[try row.decode(column: "id", as: UUID.self)] = code
                }
            }
        }
        return result
    }

    /// A filter for `QueryBuilder<Offer>`: offers paid from `code`.
    static func filter(_ code: String) -> DatabaseQuery.Filter { .sql(embed: "offers.funding = \(bind: code)") }
}

/// Adds `offers.funding` (issue 15: the funding source of each offer), with an index for the portfolio per budget, and
/// fills it from the drafts already stored (an offer imported with a `funding` in its document). A forward migration
/// after the ones shipped, which are never edited.
struct AddOfferFunding: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.raw("ALTER TABLE offers ADD COLUMN funding TEXT").run()
            try await sql.raw("CREATE INDEX offers_municipality_funding ON offers (municipality_id, funding)").run()
            struct Stored: Decodable { var funding: String? }
            let decoder = JSONDecoder()
            var after: UUID?
            while true {
                var query = sql.select().column("id").column("data").from(Offer.schema)
                if let after { query = query.where("id", .greaterThan, after) }
                let rows = try await query.orderBy("id").limit(2_000).all()
                guard let last = rows.last else { return }
                after = try last.decode(column: "id", as: UUID.self)
                var found: [(id: UUID, funding: String?)] = []
                for row in rows {
                    let data = try row.decode(column: "data", as: String.self)
                    if let code = (try? decoder.decode(Stored.self, from: Data(data.utf8)))?.funding, FundingSource.isKnown(code) {
                        found.append((try row.decode(column: "id", as: UUID.self), code))
                    }
                }
                try await OfferFunding.store(found, on: tx)
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX offers_municipality_funding").run()
        try await sql.raw("ALTER TABLE offers DROP COLUMN funding").run()
    }
}
