import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The funding source of each offer (issue 15, R41): in the API, the column the reports count on, the staff form,
/// HSDS export and import, the demo, and the migration that added it.
@Suite("Offer funding")
struct OfferFundingTests {
    static func column(_ id: String, _ app: Application) async throws -> String? {
        let sql = app.db as! any SQLDatabase
        return try await sql.raw("SELECT funding FROM offers WHERE id = \(bind: UUID(uuidString: id)!)").first()?
            .decode(column: "funding", as: String?.self)
    }

    @Test("the API takes and returns the funding; the column follows every write; an unknown code is refused",
          arguments: TestDatabase.available)
    func api(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let partner = try await app.token("partner-jgz")
            let created = try await app.send(.POST, "/api/v1/offers", token: partner,
                                             json: OfferAPITests.body(extra: #","funding":"prevention""#))
            #expect(created.status == .created, "\(created.body.string)")
            let id = try #require(created.json["id"] as? String)
            #expect((created.json["offer"] as? [String: Any])?["funding"] as? String == "prevention")
            #expect(try await Self.column(id, app) == "prevention")

            let changed = try await app.send(.PUT, "/api/v1/offers/\(id)", token: partner,
                                             json: OfferAPITests.body(extra: #","funding":"health""#, version: 1))
            #expect(changed.status == .ok)
            #expect(try await Self.column(id, app) == "health")
            // Left out: not recorded (the column too).
            let cleared = try await app.send(.PUT, "/api/v1/offers/\(id)", token: partner, json: OfferAPITests.body(version: 2))
            #expect(cleared.status == .ok)
            #expect((cleared.json["offer"] as? [String: Any])?["funding"] == nil)
            #expect(try await Self.column(id, app) == nil)

            let refused = try await app.send(.POST, "/api/v1/offers", token: partner,
                                             json: OfferAPITests.body(extra: #","funding":"lottery""#))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorFields["funding"] == app.locales.text("error.unknown-code", .en))

            // The demo records a source for every offer but one.
            let demo = try await Offer.query(on: app.db).filter(\.$id != UUID(uuidString: id)!).all().map { try $0.draft }
            #expect(demo.filter { $0.funding == nil }.count == 1)
            #expect(Set(demo.compactMap(\.funding)) == Set(FundingSource.allCodes))
        }
    }

    @Test("HSDS: the funding travels as the extension attribute funding/<code>, and back", arguments: TestDatabase.available)
    func hsds(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let document = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            let services = try #require(try JSONSerialization.jsonObject(with: document) as? [[String: Any]])
            func codes(_ service: [String: Any]) -> [String] {
                (service["attributes"] as? [[String: Any]] ?? []).compactMap { ($0["taxonomy_term"] as? [String: Any])?["code"] as? String }
            }
            let welcome = try #require(services.first { $0["id"] as? String == "5a0e0c1e-0001-4c3a-9f00-000000000001" })
            #expect(codes(welcome).contains("funding/civic-integration"))
            #expect(codes(welcome).filter { $0.hasPrefix("funding/") }.count == 1)
            // The term is in the taxonomy and filters the public list.
            let terms = try await app.send(.GET, "/api/hsds/taxonomy_terms?per_page=200")
            #expect(terms.body.string.contains("funding/prevention"))
            let prevention = try await app.send(.GET, "/api/hsds/services?per_page=200&taxonomy_term_id=\(HSDS.termID("funding/prevention"))")
            #expect(prevention.status == .ok)
            let listed = (prevention.json["contents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let expected = try await Offer.query(on: app.db).filter(\.$status == .active).all().filter { (try? $0.draft.funding) == "prevention" }
                .map { $0.id!.uuidString.lowercased() }
            #expect(Set(listed) == Set(expected) && !listed.isEmpty)

            // Import: another record with a different source, and one with an unknown source (refused by name).
            var other = welcome
            other["id"] = UUID().uuidString.lowercased()
            var attributes = (other["attributes"] as? [[String: Any]] ?? []).filter { !codes(["attributes": [$0]]).contains { $0.hasPrefix("funding/") } }
            attributes.append(["id": UUID().uuidString.lowercased(), "taxonomy_term_id": HSDS.termID("funding/participation"),
                               "taxonomy_term": HSDS.term("funding/participation")])
            other["attributes"] = attributes
            var unknown = other
            unknown["id"] = UUID().uuidString.lowercased()
            unknown["attributes"] = Array(attributes.dropLast()) + [["id": UUID().uuidString.lowercased(), "taxonomy_term_id": HSDS.termID("funding/lottery"),
                                                               "taxonomy_term": HSDS.term("funding/lottery")]]
            let report = try await CatalogExchange.import(try JSONSerialization.data(withJSONObject: [other, unknown]),
                                                          municipalityCode: "GM9901", replace: false, changedBy: "test",
                                                          catalog: app.locales, on: app.db)
            // The unknown source is left out with a warning; the record is kept.
            #expect(report.taken.count == 2)
            #expect(report.warnings.first?.field == "funding")
            let imported = try #require(try await Offer.find(UUID(uuidString: other["id"] as! String), on: app.db))
            #expect(try imported.draft.funding == "participation")
            #expect(try await Self.column(other["id"] as! String, app) == "participation")
        }
    }

    @Test("the staff form: a partner chooses the funding source; the offer page shows it")
    func form() async throws {
        try await withWegwijs(.sqlite) { app in
            let jgz = try await app.user("partner-jgz").$organisation.id
            let own = try #require(try await Offer.query(on: app.db).filter(\.$organisation.$id == jgz).sort(\.$name).first())
            let client = WebClient(app)
            _ = try await client.signIn("partner-jgz")
            let form = try await client.get("/catalog/\(own.id!)/edit")
            #expect(form.body.string.contains(#"<select id="funding" name="funding""#))
            var fields = CatalogWebTests.fields(of: form.body.string).filter { $0.0 != "funding" && $0.0 != "_csrf" }
            fields.append(("funding", "participation"))
            let saved = try await client.post("/catalog/\(own.id!)/edit", fields)
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(2000))")
            #expect(try await Offer.find(own.id, on: app.db)?.draft.funding == "participation")
            let page = try await client.get("/catalog/\(own.id!)")
            #expect(page.body.string.contains("Participatie"))
            // A code outside the list: the message next to the field.
            var bad = CatalogWebTests.fields(of: try await client.get("/catalog/\(own.id!)/edit").body.string).filter { $0.0 != "funding" && $0.0 != "_csrf" }
            bad.append(("funding", "lottery"))
            let invalid = try await client.post("/catalog/\(own.id!)/edit", bad)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains(#"id="funding-error""#))
        }
    }

    @Test("the migration adds the column and fills it from the offers already stored", arguments: TestDatabase.available)
    func migration(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let migration = AddOfferFunding()
            // On one connection: SQLite checks ALTER TABLE against the schema that connection has read.
            try await app.db.withConnection { connection in
                try await migration.revert(on: connection)
                let sql = connection as! any SQLDatabase
                await #expect(throws: (any Error).self) { try await sql.raw("SELECT funding FROM offers").all() }
                try await migration.prepare(on: connection)
            }
            let sql = app.db as! any SQLDatabase
            let id = "5a0e0c1e-0008-4c3a-9f00-000000000008"
            #expect(try await Self.column(id, app) == "health")
            let counted = try await sql.raw("SELECT COUNT(*) AS n FROM offers WHERE funding IS NULL").first()?.decode(column: "n", as: Int.self)
            #expect(counted == 1)
        }
    }
}
