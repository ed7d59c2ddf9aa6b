import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// The provisions a parent knows and uses (R48), typed: one row per screening and provision (`known`, `used`), taken
/// from the screening's answers (`ProvisionAnswers`) in the transaction that writes the screening. The answers stay
/// the record of what was said; these rows let a report count per provision, per occasion (intake or later) and
/// over time with one aggregate query, on SQLite and PostgreSQL alike, without reading the answers' JSON.
///
/// Reports join `screening_provisions` to `screenings` (occasion, conducted_on, member_id) on `screening_id`;
/// `municipality_id` and `family_id` are repeated here so the rows carry their tenant and go with their family.
enum ScreeningProvisions {
    static let table = "screening_provisions"

    /// Writes the rows of new screenings (none for a screening that did not ask about provisions).
    static func insert(_ screenings: [(screening: Screening, answers: [String: ScreeningAnswer])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var rows: [[any SQLExpression]] = []
        for (screening, answers) in screenings {
            guard let id = screening.id else { continue }
            for row in ProvisionAnswers(answers).rows {
                rows.append([SQLBind(id), SQLBind(row.provision.rawValue), SQLBind(row.known), SQLBind(row.used),
                             SQLBind(screening.$family.id), SQLBind(screening.$municipality.id)])
            }
        }
        for start in stride(from: 0, to: rows.count, by: 2_000) {
            var insert = sql.insert(into: table).columns("screening_id", "code", "known", "used", "family_id", "municipality_id")
            for row in rows[start..<min(start + 2_000, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }

    /// The typed rows of one screening, in the vocabulary's order.
    static func load(_ screeningID: UUID, on database: any Database) async throws -> [ProvisionAnswers.Row] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let rows = try await sql.select().column("code").column("known").column("used").from(table)
            .where("screening_id", .equal, screeningID).all()
        var found: [Provision: ProvisionAnswers.Row] = [:]
        for row in rows {
            guard let provision = Provision(rawValue: try row.decode(column: "code", as: String.self)) else { continue }
            found[provision] = ProvisionAnswers.Row(provision: provision, known: try row.decode(column: "known", as: Bool.self),
                                                    used: try row.decode(column: "used", as: Bool.self))
        }
        return Provision.allCases.compactMap { found[$0] }
    }
}

/// Creates `screening_provisions` (issue 15, R48) and fills it from the screenings already stored: version 1 of the
/// instrument asked `provisions.known` and `provisions.used` too. A forward migration after the ones shipped.
struct CreateScreeningProvisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await tx.schema(ScreeningProvisions.table)
                .field("screening_id", .uuid, .required, .references(Screening.schema, "id", onDelete: .cascade))
                .field("code", .string, .required)
                .field("known", .bool, .required)
                .field("used", .bool, .required)
                .field("family_id", .uuid, .required, .references(Family.schema, "id", onDelete: .cascade))
                .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
                .compositeIdentifier(over: "screening_id", "code")
                .create()
            try await sql.raw("CREATE INDEX screening_provisions_by_code ON screening_provisions (municipality_id, code, screening_id)").run()
            try await sql.raw("CREATE INDEX screening_provisions_family ON screening_provisions (family_id)").run()
            let decoder = JSONDecoder()
            var after: UUID?
            while true {
                var query = sql.select().column("id").column("answers").column("family_id").column("municipality_id").from(Screening.schema)
                if let after { query = query.where("id", .greaterThan, after) }
                let rows = try await query.orderBy("id").limit(2_000).all()
                guard let last = rows.last else { return }
                after = try last.decode(column: "id", as: UUID.self)
                var batch: [(screening: Screening, answers: [String: ScreeningAnswer])] = []
                for row in rows {
                    let text = try row.decode(column: "answers", as: String.self)
                    guard let answers = try? decoder.decode([String: ScreeningAnswer].self, from: Data(text.utf8)) else { continue }
                    let screening = Screening()
                    screening.id = try row.decode(column: "id", as: UUID.self)
                    screening.$family.id = try row.decode(column: "family_id", as: UUID.self)
                    screening.$municipality.id = try row.decode(column: "municipality_id", as: UUID.self)
                    batch.append((screening, answers))
                }
                try await ScreeningProvisions.insert(batch, on: tx)
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ScreeningProvisions.table).delete()
    }
}
