import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The API's family list is written as JSON by the database (`FamilyListJSON`): every family of a page must be
/// exactly what `FamilyDTO` encodes for the same rows — keys, absent nulls, dates, upper-case ids, escaping, BSN.
@Suite("Family list JSON written by the database")
struct FamilyListJSONTests {
    @Test("each family in the list equals FamilyDTO's own encoding, with and without the BSN", arguments: TestDatabase.available)
    func sameAsTheDTO(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            // Values that need escaping or are easily written differently: quotes, a backslash, a new line, a slash,
            // Arabic, an empty list, a BSN, a member with almost nothing.
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Al-\"Qadi\" \\ test","address":"Dorpsstraat 1/A\nachter","situations":[],
                 "members":[{"role":"parent","givenName":"سلام","familyName":"Al-Qadi","birthYear":1991,
                             "languagesSpoken":["ar","nl"],"languagesRead":[],"bsn":"111222333"},
                            {"role":"child","givenName":"Noor"}]}
                """#)
            #expect(created.status == .created)
            try await compare(app, token: token, showBSN: true, expectAtLeast: 41)

            // The key person: only coupled families, and no BSN (only whether one is known).
            let keyPerson = try await app.user("sleutelpersoon")
            let coupled = try await app.demoFamily()
            coupled.$keyPerson.id = keyPerson.id
            try await coupled.save(on: app.db)
            try await compare(app, token: try await app.token("sleutelpersoon"), showBSN: false, expectAtLeast: 1)
        }
    }

    @Test("the stored JSON follows every change through the door, and a row written around it is read live", arguments: TestDatabase.available)
    func storedFollowsChanges(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Opgeslagen","languages":["ti"],"situations":["status-holder"],
                 "members":[{"role":"parent","givenName":"Selam","birthYear":1990,"languagesSpoken":["ti"],"bsn":"111222333"}]}
                """#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            try await expectStoredIsLive(app)
            // The household, then its members: each change rewrites the family's stored JSON in its transaction.
            let updated = try await app.send(.PUT, "/api/v1/families/\(id)", token: token,
                                             json: #"{"name":"Opgeslagen twee","languages":["ti","nl"],"situations":[],"version":1}"#)
            #expect(updated.status == .ok)
            let added = try await app.send(.POST, "/api/v1/families/\(id)/members", token: token,
                                           json: #"{"role":"child","givenName":"Lina","birthYear":2019}"#)
            #expect(added.status == .created)
            let memberID = try #require(added.json["id"] as? String)
            let changed = try await app.send(.PUT, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                             json: #"{"role":"child","givenName":"Lina","birthDate":"2019-05-01","version":1}"#)
            #expect(changed.status == .ok)
            try await expectStoredIsLive(app)
            let deleted = try await app.send(.DELETE, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                             headers: [("If-Match", "\"2\"")])
            #expect(deleted.status == .noContent)
            let closed = try await app.send(.POST, "/api/v1/families/\(id)/close", token: token,
                                            json: #"{"reason":"moved-away","version":5}"#)
            #expect(closed.status == .ok)
            try await expectStoredIsLive(app)

            // Written around the door (a model saved directly): the stored row no longer matches the family's time,
            // so the list builds that family's JSON live and shows the change at once.
            let family = try #require(try await Family.find(UUID(uuidString: id), on: app.db))
            family.address = "Omweg 1"
            try await family.save(on: app.db)
            let list = try await app.send(.POST, "/api/v1/families/search", token: token, json: #"{"name":"opgeslagen"}"#)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["address"] as? String == "Omweg 1")
        }
    }

    /// Every family's stored JSON (without and with the BSN) is what the live query builds from its rows now.
    private func expectStoredIsLive(_ app: Application) async throws {
        let sql = try #require(app.db as? any SQLDatabase)
        let rows = try await sql.raw("SELECT family_id, json, json_bsn FROM family_list_json").all()
        let ids = try rows.map { try $0.decode(column: "family_id", as: UUID.self) }
        #expect(ids.count == (try await Family.query(on: app.db).count()))
        let plain = Dictionary(try await FamilyListJSON.live(ids, municipality: .column, showBSN: false, on: sql).map { ($0.id, $0.json) },
                               uniquingKeysWith: { a, _ in a })
        let withBSN = Dictionary(try await FamilyListJSON.live(ids, municipality: .column, showBSN: true, on: sql).map { ($0.id, $0.json) },
                                 uniquingKeysWith: { a, _ in a })
        for row in rows {
            let id = try row.decode(column: "family_id", as: UUID.self)
            let json = try row.decode(column: "json", as: String.self)
            let bsn = try row.optional("json_bsn", as: String.self)
            #expect(json == plain[id], "stored JSON of \(id) differs from its rows")
            #expect((bsn ?? json) == withBSN[id], "stored JSON with BSN of \(id) differs from its rows")
        }
    }

    /// Reads the whole list through the API and each family through the models, and compares them parsed.
    private func compare(_ app: Application, token: String, showBSN: Bool, expectAtLeast: Int) async throws {
        let response = try await app.send(.GET, "/api/v1/families?per=100", token: token)
        #expect(response.status == .ok)
        let items = try #require(response.json["items"] as? [[String: Any]])
        #expect(items.count >= expectAtLeast)
        #expect(response.json["hasMore"] as? Bool == false)
        let found = try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first()
        let municipality = try #require(found)
        for item in items {
            let text = try #require(item["id"] as? String)
            let id = try #require(UUID(uuidString: text))
            let stored = try await Family.find(id, on: app.db)
            let family = try #require(stored)
            let members = try await Member.query(on: app.db).filter(\.$family.$id == id).sort(\.$position).all()
            try await FamilyCodes.load([family], members: members, on: app.db)
            let dto = FamilyDTO(family, members: members, municipalityCode: municipality.code, showBSN: showBSN)
            let expected = try JSONSerialization.jsonObject(with: JSONEncoder.custom(dates: .iso8601).encode(dto))
            #expect((expected as? NSDictionary)?.isEqual(to: item) == true,
                    "family \(family.reference): database \(item) vs DTO \(expected)")
        }
        if showBSN {
            #expect(items.contains { ($0["members"] as? [[String: Any]])?.contains { $0["bsn"] as? String == "111222333" } == true })
        } else {
            #expect(!items.contains { ($0["members"] as? [[String: Any]])?.contains { $0["bsn"] != nil } == true })
        }
    }
}
