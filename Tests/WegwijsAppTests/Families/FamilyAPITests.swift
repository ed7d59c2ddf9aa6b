import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Families API")
struct FamilyAPITests {
    static let newFamily = #"""
    {"name":"Mahmoud","postcode":"2312ab","contactPreference":"via-key-person","situations":["status-holder","single-parent"],
     "members":[{"role":"parent","givenName":"Rania","familyName":"Mahmoud","gender":"female","birthYear":1990,
                 "countryOfOrigin":"SY","languagesSpoken":["ar","ku"],"languagesRead":["ar"],"dutchLevel":"A1",
                 "arrivalDate":"2023-02-01","settlementDate":"2023-08-15"},
                {"role":"child","givenName":"Yusuf","birthDate":"2016-04-09","schoolOrChildcare":"De Regenboog"}]}
    """#

    @Test("register, read, update with the version, and refuse a stale write", arguments: TestDatabase.available)
    func lifecycle(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: Self.newFamily)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers.first(name: .location) == "/api/v1/families/\(id)")
            #expect(created.headers.first(name: .eTag) == "\"1\"")
            #expect(created.json["postcode"] as? String == "2312 AB")
            #expect((created.json["members"] as? [[String: Any]])?.count == 2)
            #expect(created.json["languages"] as? [String] == ["ar", "ku"])
            #expect(try await app.auditCount(action: "family.create", familyID: UUID(uuidString: id)) == 1)

            let read = try await app.send(.GET, "/api/v1/families/\(id)", token: token)
            #expect(read.status == .ok)
            #expect(read.json["name"] as? String == "Mahmoud")
            #expect(try await app.auditCount(action: "family.read", familyID: UUID(uuidString: id)) == 1)

            // If-Match with the ETag: accepted, version goes up.
            let update = try await app.send(.PUT, "/api/v1/families/\(id)", token: token,
                                            json: #"{"name":"Mahmoud-Haddad","situations":["status-holder"]}"#,
                                            headers: [("If-Match", "\"1\"")])
            #expect(update.status == .ok)
            #expect(update.json["version"] as? Int == 2)
            #expect(update.headers.first(name: .eTag) == "\"2\"")

            // The same stale version again: 409, and nothing changes.
            let stale = try await app.send(.PUT, "/api/v1/families/\(id)", token: token,
                                           json: #"{"name":"Lost update","version":1}"#)
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "stale-version")
            let family = try await Family.find(UUID(uuidString: id), on: app.db)
            #expect(family?.name == "Mahmoud-Haddad")
            #expect(family?.version == 2)

            // No version at all: 428.
            let blind = try await app.send(.PUT, "/api/v1/families/\(id)", token: token, json: #"{"name":"Blind"}"#)
            #expect(blind.status == .preconditionRequired)

            // Close with a reason, then the list filtered on status shows it closed.
            let close = try await app.send(.POST, "/api/v1/families/\(id)/close", token: token,
                                           json: #"{"reason":"moved-away","version":2}"#)
            #expect(close.status == .ok)
            #expect(close.json["status"] as? String == "closed")
            #expect(close.json["closedReason"] as? String == "moved-away")
            let again = try await app.send(.POST, "/api/v1/families/\(id)/close", token: token,
                                           json: #"{"reason":"moved-away","version":3}"#)
            #expect(again.status == .conflict)
            let reopened = try await app.send(.POST, "/api/v1/families/\(id)/reopen", token: token, json: #"{"version":3}"#)
            #expect(reopened.json["status"] as? String == "active")
        }
    }

    @Test("members: add, update with version, validation against the parents, delete", arguments: TestDatabase.available)
    func members(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: Self.newFamily)
            let id = try #require(created.json["id"] as? String)
            let added = try await app.send(.POST, "/api/v1/families/\(id)/members", token: token,
                                           json: #"{"role":"child","givenName":"Lina","birthYear":2019}"#)
            #expect(added.status == .created)
            let memberID = try #require(added.json["id"] as? String)
            // A child born before the parent (1990) could have been: refused, nothing written.
            let impossible = try await app.send(.POST, "/api/v1/families/\(id)/members", token: token,
                                                json: #"{"role":"child","givenName":"Old","birthYear":1995}"#)
            #expect(impossible.status == .unprocessableEntity)
            #expect(impossible.errorFields["birthYear"] != nil)
            #expect(try await Member.query(on: app.db).filter(\.$family.$id == UUID(uuidString: id)!).count() == 3)

            let updated = try await app.send(.PUT, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                             json: #"{"role":"child","givenName":"Lina","birthDate":"2019-05-01","version":1}"#)
            #expect(updated.status == .ok)
            #expect(updated.json["birthYear"] as? Int == 2019)
            let stale = try await app.send(.PUT, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                           json: #"{"role":"child","givenName":"Stale","version":1}"#)
            #expect(stale.status == .conflict)
            let deleted = try await app.send(.DELETE, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                             headers: [("If-Match", "\"2\"")])
            #expect(deleted.status == .noContent)
            let gone = try await app.send(.GET, "/api/v1/families/\(id)/members/\(memberID)", token: token)
            #expect(gone.status == .notFound)
        }
    }

    /// Each bad input of the issue: a specific 4xx naming the field, and nothing written.
    @Test("bad input is refused with the field named and nothing written", arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let before = try await Family.query(on: app.db).count()
            let membersBefore = try await Member.query(on: app.db).count()
            let cases: [(String, String)] = [
                (#"{"name":"A","situations":["refugee"]}"#, "situations[0]"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","languagesSpoken":["xx1"]}]}"#, "members[0].languagesSpoken[0]"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","arrivalDate":"2999-01-01"}]}"#, "members[0].arrivalDate"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","arrivalDate":"2024-05-01","settlementDate":"2024-01-01"}]}"#, "members[0].settlementDate"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","birthYear":2000},{"role":"child","givenName":"Y","birthDate":"2005-01-01"}]}"#, "members[1].birthDate"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","bsn":"123456789"}]}"#, "members[0].bsn"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","birthDate":"2015-13-45"}]}"#, "members[0].birthDate"),
                (#"{"name":"A","members":[{"role":"uncle","givenName":"X"}]}"#, "members[0].role"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","dutchLevel":"C3"}]}"#, "members[0].dutchLevel"),
                (#"{"name":"A","members":[{"role":"parent","givenName":"X","countryOfOrigin":"Syria"}]}"#, "members[0].countryOfOrigin"),
                (#"{"name":"A","postcode":"12345"}"#, "postcode"),
                (#"{"name":"  "}"#, "name"),
                (#"{"name":"A","keyPersonId":"\#(UUID())"}"#, "keyPersonId"),
            ]
            for (body, field) in cases {
                let response = try await app.send(.POST, "/api/v1/families", token: token, json: body)
                #expect(response.status == .unprocessableEntity, "\(field): \(response.status)")
                #expect(response.errorCode == "invalid-input")
                #expect(response.errorFields[field] != nil, "expected \(field) in \(response.errorFields)")
            }
            // Malformed JSON and a missing required field: 400 naming the field.
            let malformed = try await app.send(.POST, "/api/v1/families", token: token, json: #"{"name": "A", "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "malformed-body")
            let missing = try await app.send(.POST, "/api/v1/families", token: token, json: #"{"members":[]}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.json.description.contains("name"))
            let wrongType = try await app.send(.POST, "/api/v1/families", token: token, json: #"{"name":"A","situations":"x"}"#)
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.json.description.contains("situations"))
            // Larger than 1 MiB: 413.
            let huge = "{\"name\":\"" + String(repeating: "a", count: 1_100_000) + "\"}"
            let tooLarge = try await app.send(.POST, "/api/v1/families", token: token, json: huge)
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(tooLarge.errorCode == "body-too-large")
            // Unknown and malformed ids, and a family of another municipality: 404.
            #expect(try await app.send(.GET, "/api/v1/families/\(UUID())", token: token).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/families/not-a-uuid", token: token).status == .notFound)
            let foreign = try await app.demoFamily(municipality: "GM9902")
            let foreignRead = try await app.send(.GET, "/api/v1/families/\(foreign.id!)", token: token)
            #expect(foreignRead.status == .notFound)
            #expect(foreignRead.errorCode == "not-found")
            #expect(try await Family.query(on: app.db).count() == before)
            #expect(try await Member.query(on: app.db).count() == membersBefore)
        }
    }

    @Test("list: pagination, filters, search by name in the body only", arguments: TestDatabase.available)
    func listing(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let page1 = try await app.send(.GET, "/api/v1/families?page=1&per=10&count=true", token: token)
            #expect(page1.status == .ok)
            #expect((page1.json["items"] as? [Any])?.count == 10)
            #expect(page1.json["total"] as? Int == 40)
            #expect(page1.json["hasMore"] as? Bool == true)
            let page5 = try await app.send(.GET, "/api/v1/families?page=5&per=10", token: token)
            #expect((page5.json["items"] as? [Any])?.count == 0)
            #expect(try await app.send(.GET, "/api/v1/families?page=0", token: token).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/api/v1/families?per=1000", token: token).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/api/v1/families?language=zz9", token: token).status == .unprocessableEntity)

            // Every family in the Tigrinya list has a member who speaks or reads Tigrinya.
            let tigrinya = try await app.send(.GET, "/api/v1/families?language=ti&per=100", token: token)
            let items = tigrinya.json["items"] as? [[String: Any]] ?? []
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["languages"] as? [String])?.contains("ti") == true })
            let undocumented = try await app.send(.GET, "/api/v1/families?situation=undocumented&per=100", token: token)
            #expect((undocumented.json["items"] as? [[String: Any]] ?? []).allSatisfy {
                ($0["situations"] as? [String])?.contains("undocumented") == true
            })

            // Names never travel in the URL.
            let inURL = try await app.send(.GET, "/api/v1/families?name=Haddad", token: token)
            #expect(inURL.status == .badRequest)
            #expect(inURL.errorCode == "name-in-url")
            let search = try await app.send(.POST, "/api/v1/families/search", token: token, json: #"{"name":"haddad"}"#)
            #expect(search.status == .ok)
            let found = search.json["items"] as? [[String: Any]] ?? []
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { ($0["name"] as? String)?.lowercased().contains("haddad") == true
                || ($0["members"] as? [[String: Any]] ?? []).contains { ($0["familyName"] as? String)?.lowercased().contains("haddad") == true } })
            // A list is an access to each family shown: one entry per list answered (page 1, page 5, Tigrinya,
            // undocumented, the search), naming them; refused requests show nobody.
            #expect(try await app.auditCount(action: "family.list") == 5)
        }
    }

    @Test("BSN is optional, validated when given, and shown to the case manager only", arguments: TestDatabase.available)
    func bsn(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let body = #"{"name":"B","members":[{"role":"parent","givenName":"X","bsn":"111222333"}]}"#
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: body)
            #expect(created.status == .created)
            let member = (created.json["members"] as? [[String: Any]])?.first
            #expect(member?["bsn"] as? String == "111222333")
            #expect(member?["hasBsn"] as? Bool == true)
            let withoutBSN = try await app.send(.POST, "/api/v1/families", token: token,
                                                json: #"{"name":"C","members":[{"role":"parent","givenName":"Y"}]}"#)
            #expect(withoutBSN.status == .created)
        }
    }
}
