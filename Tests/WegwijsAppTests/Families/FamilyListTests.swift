import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The family list without page caches: plain-SQL reads, count-free paging (`hasMore`, `after`), and one audit
/// entry per request naming every family shown. What must never change with it: every list is audited every time, a
/// write shows at once, and one person's page is never another's.
@Suite("Family list")
struct FamilyListTests {
    private static func ids(_ response: TestingHTTPResponse) -> [String] {
        (response.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    private static func lastListDetail(_ app: Application) async throws -> String {
        try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "family.list").sort(\.$id, .descending).first()).detail
    }

    @Test("each list request is one audit entry naming every family shown, and a write shows at once", arguments: TestDatabase.available)
    func auditAndFreshness(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let first = try await app.send(.GET, "/api/v1/families?per=5", token: token)
            #expect(first.json["hasMore"] as? Bool == true)
            #expect(first.json["total"] == nil)  // not counted unless asked
            #expect(try await app.auditCount(action: "family.list") == 1)
            let detail = try await Self.lastListDetail(app)
            #expect(detail.hasPrefix("shown=5 families="))
            for id in Self.ids(first) { #expect(detail.lowercased().contains(id.lowercased())) }
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "family.list").first()?.familyID == nil)

            let counted = try await app.send(.GET, "/api/v1/families?per=5&count=true", token: token)
            let total = try #require(counted.json["total"] as? Int)
            #expect(try await app.auditCount(action: "family.list") == 2)

            // A new family whose name sorts first: on the first page, and counted, right away.
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Aaberg","members":[{"role":"parent","givenName":"Ada","languagesSpoken":["nl"]}]}
                """#)
            #expect(created.status == .created)
            let after = try await app.send(.GET, "/api/v1/families?per=5&count=true", token: token)
            #expect(after.json["total"] as? Int == total + 1)
            let names = (after.json["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.first == "Aaberg")

            // Closing it changes the status filter's count at once too.
            let id = try #require(created.json["id"] as? String)
            let activeBefore = try await app.send(.GET, "/api/v1/families?status=active&per=1&count=true", token: token).json["total"] as? Int
            let closed = try await app.send(.POST, "/api/v1/families/\(id)/close", token: token,
                                            json: #"{"reason":"moved-away","version":1}"#)
            #expect(closed.status == .ok)
            let activeAfter = try await app.send(.GET, "/api/v1/families?status=active&per=1&count=true", token: token).json["total"] as? Int
            #expect(activeAfter == activeBefore.map { $0 - 1 })

            // A list that shows nobody is recorded too (its filters were asked).
            let none = try await app.send(.GET, "/api/v1/families?language=zu", token: token)
            #expect(none.status == .ok || none.status == .unprocessableEntity)
            if none.status == .ok {
                #expect(try await Self.lastListDetail(app) == "shown=0")
            }
        }
    }

    @Test("keyset paging with after= walks the same list as page=, and refuses what is not an id of the list", arguments: TestDatabase.available)
    func keyset(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            var byOffset: [String] = []
            for page in 1... {
                let response = try await app.send(.GET, "/api/v1/families?per=7&page=\(page)", token: token)
                byOffset += Self.ids(response)
                if response.json["hasMore"] as? Bool != true { break }
            }
            var byCursor: [String] = []
            var next: String? = nil
            repeat {
                let response = try await app.send(.GET, "/api/v1/families?per=7" + (next.map { "&after=\($0)" } ?? ""), token: token)
                #expect(response.status == .ok)
                byCursor += Self.ids(response)
                next = response.json["next"] as? String
                #expect((next != nil) == (response.json["hasMore"] as? Bool == true))
            } while next != nil
            #expect(byOffset.count == 40)
            #expect(byCursor == byOffset)

            #expect(try await app.send(.GET, "/api/v1/families?after=not-an-id", token: token).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/api/v1/families?count=maybe", token: token).status == .unprocessableEntity)
            // Another municipality's family is no cursor here (and reveals nothing about its name).
            let foreign = try await app.demoFamily(municipality: "GM9902")
            let refused = try await app.send(.GET, "/api/v1/families?after=\(foreign.id!)", token: token)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorFields["after"] != nil)
        }
    }

    @Test("one person's page is never another's", arguments: TestDatabase.available)
    func scopes(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.send(.GET, "/api/v1/families?per=100&count=true", token: try await app.token("klantmanager"))
            let keyPerson = try await app.send(.GET, "/api/v1/families?per=100&count=true", token: try await app.token("sleutelpersoon"))
            let other = try await app.send(.GET, "/api/v1/families?per=100", token: try await app.token("sleutelpersoon2"))
            let leadTotal = try #require(lead.json["total"] as? Int)
            let keyTotal = try #require(keyPerson.json["total"] as? Int)
            #expect(keyTotal > 0 && keyTotal < leadTotal)
            let keyUser = try #require(try await User.query(on: app.db).filter(\.$username == "sleutelpersoon").first()?.id)
            let items = keyPerson.json["items"] as? [[String: Any]] ?? []
            #expect(items.allSatisfy { ($0["keyPersonId"] as? String)?.lowercased() == keyUser.uuidString.lowercased() })
            // The BSN is the case manager's only.
            #expect(items.allSatisfy { ($0["members"] as? [[String: Any]] ?? []).allSatisfy { $0["bsn"] == nil || $0["bsn"] is NSNull } })
            let otherIDs = Set(Self.ids(other))
            #expect(otherIDs.isDisjoint(with: Set(items.compactMap { $0["id"] as? String })))
            // Other municipalities and roles without families see none.
            let beekdal = try await app.send(.GET, "/api/v1/families?per=100", token: try await app.token("klantmanager-beekdal"))
            #expect(Set(Self.ids(beekdal)).isDisjoint(with: Set(Self.ids(lead))))
            let partner = try await app.send(.GET, "/api/v1/families?count=true", token: try await app.token("partner-jgz"))
            #expect(partner.json["total"] as? Int == 0)
            #expect(partner.json["hasMore"] as? Bool == false)
        }
    }

    @Test("a name search takes % and _ literally", arguments: TestDatabase.available)
    func likeWildcards(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            for pattern in ["%%", "__", "!!", "%_"] {
                let result = try await app.send(.POST, "/api/v1/families/search", token: token, json: #"{"name":"\#(pattern)"}"#)
                #expect(result.status == .ok)
                #expect(Self.ids(result).isEmpty, "searching \(pattern)")
            }
        }
    }

    @Test("concurrent lists are all audited, one entry each, in one unbroken chain", arguments: TestDatabase.available)
    func concurrentAudit(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let requests = 24
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<requests {
                    group.addTask { try await app.send(.GET, "/api/v1/families?per=4&page=\(index % 3 + 1)", token: token).status }
                }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await app.auditCount(action: "family.list") == requests)
            let result = try await AuditLog.verify(on: app.db)
            guard case .intact = result else { Issue.record("chain broken: \(result)"); return }
        }
    }
}

@Suite("Derived cache")
struct DerivedCacheTests {
    actor Counter {
        var calls = 0
        func next() -> Int { calls += 1; return calls }
    }

    @Test("a value is reused while its version holds, and recomputed for a new one")
    func generation() async throws {
        let cache = DerivedCache<Int>(ttl: 60, capacity: 10)
        let counter = Counter()
        #expect(try await cache.value("k", version: 1) { await counter.next() } == 1)
        #expect(try await cache.value("k", version: 1) { await counter.next() } == 1)
        #expect(try await cache.value("other", version: 1) { await counter.next() } == 2)
        #expect(try await cache.value("k", version: 2) { await counter.next() } == 3)
    }

    @Test("a value expires after its time, and a disabled cache always computes")
    func expiryAndDisabled() async throws {
        let counter = Counter()
        let expired = DerivedCache<Int>(ttl: 0, capacity: 10)
        #expect(try await expired.value("k", version: 1) { await counter.next() } == 1)
        #expect(try await expired.value("k", version: 1) { await counter.next() } == 2)
        let off = DerivedCache<Int>(ttl: 60, capacity: 10, enabled: false)
        #expect(try await off.value("k", version: 1) { await counter.next() } == 3)
        #expect(try await off.value("k", version: 1) { await counter.next() } == 4)
    }
}
