import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The catalogue's remembered pages follow the database's catalogue version, so a change shows at once: made
/// through the API, or by any other writer (another server, a CLI import), which this test stands in for with
/// plain SQL.
@Suite("Catalogue pages")
struct CatalogueCacheTests {
    @Test("a change to an offer shows at once in the list and in HSDS, whoever made it", arguments: TestDatabase.available)
    func freshness(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let partner = try await app.token("partner-jgz")
            let reader = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/offers", token: partner,
                                             json: OfferAPITests.body(name: "Aaa koffieochtend"))
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)

            func listed() async throws -> [String: Any]? {
                let page = try await app.send(.GET, "/api/v1/offers?theme=school-system&language=ar&age=6", token: reader)
                return (page.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == id }
            }
            func hsdsNames() async throws -> [String] {
                let page = try await app.send(.GET, "/api/hsds/services?per_page=200&search=koffieochtend")
                return (page.json["contents"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
            #expect((try await listed()?["offer"] as? [String: Any])?["freePlaces"] as? Int == 5)
            #expect(try await hsdsNames().contains("Aaa koffieochtend"))
            let before = try await CatalogueVersion.current(on: app.db)

            // Through the API: the partner fills the group.
            let full = OfferAPITests.body(name: "Aaa koffieochtend", version: 1)
                .replacingOccurrences(of: #""freePlaces":5"#, with: #""freePlaces":0"#)
            #expect(try await app.send(.PUT, "/api/v1/offers/\(id)", token: partner, json: full).status == .ok)
            #expect((try await listed()?["offer"] as? [String: Any])?["freePlaces"] as? Int == 0)
            #expect(try await CatalogueVersion.current(on: app.db) > before)

            // Outside this server: another writer renames the partner's organisation directly in the database.
            func organisationNames() async throws -> [String] {
                let page = try await app.send(.GET, "/api/hsds/services?per_page=200&search=koffieochtend")
                return (page.json["contents"] as? [[String: Any]] ?? [])
                    .compactMap { ($0["organization"] as? [String: Any])?["name"] as? String }
            }
            let organisationID = try await app.user("partner-jgz").$organisation.id
            #expect(!(try await organisationNames().contains("JGZ hernoemd")))
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE organisations SET name = 'JGZ hernoemd' WHERE id = \(bind: organisationID)").run()
            #expect(try await organisationNames().contains("JGZ hernoemd"))
            let single = try await app.send(.GET, "/api/hsds/services/\(id)")
            #expect((single.json["organization"] as? [String: Any])?["name"] as? String == "JGZ hernoemd")

            // Retired: gone from the active list and from HSDS.
            let admin = try await app.token("admin")
            #expect(try await app.send(.POST, "/api/v1/offers/\(id)/retire", token: admin, json: #"{"version":2}"#).status == .ok)
            #expect(try await listed() == nil)
            #expect(!(try await hsdsNames().contains { $0.hasSuffix("koffieochtend") && $0.hasPrefix("Aa") }))
        }
    }

    @Test("every municipality gets its own remembered list", arguments: TestDatabase.available)
    func perMunicipality(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let rijnstad = try await app.send(.GET, "/api/v1/offers?per=100", token: try await app.token("klantmanager"))
            let beekdal = try await app.send(.GET, "/api/v1/offers?per=100", token: try await app.token("klantmanager-beekdal"))
            let rijnstadIDs = Set((rijnstad.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            let beekdalIDs = Set((beekdal.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(!rijnstadIDs.isEmpty)
            #expect(rijnstadIDs.isDisjoint(with: beekdalIDs))
        }
    }
}
