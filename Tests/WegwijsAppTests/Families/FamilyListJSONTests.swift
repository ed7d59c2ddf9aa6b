import Fluent
import Foundation
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
