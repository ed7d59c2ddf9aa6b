import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The family list's fast path: plain-SQL reads, remembered totals and pages, group-committed audit entries.
/// What must never change with it: every list is audited every time, a write shows at once, and one person's
/// page is never served to another.
@Suite("Family list")
struct FamilyListTests {
    @Test("a remembered page is audited on every request, and a write shows at once", arguments: TestDatabase.available)
    func cacheAndAudit(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let first = try await app.send(.GET, "/api/v1/families?per=5", token: token)
            let total = try #require(first.json["total"] as? Int)
            let audited = try await app.auditCount(action: "family.list")
            #expect(audited == 5)

            let again = try await app.send(.GET, "/api/v1/families?per=5", token: token)
            #expect(again.body.string == first.body.string)
            #expect(try await app.auditCount(action: "family.list") == audited + 5)

            // A new family whose name sorts first: on the first page, and counted, right away.
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Aaberg","members":[{"role":"parent","givenName":"Ada","languagesSpoken":["nl"]}]}
                """#)
            #expect(created.status == .created)
            let after = try await app.send(.GET, "/api/v1/families?per=5", token: token)
            #expect(after.json["total"] as? Int == total + 1)
            let names = (after.json["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.first == "Aaberg")

            // Closing it changes the status filter's count at once too.
            let id = try #require(created.json["id"] as? String)
            let activeBefore = try await app.send(.GET, "/api/v1/families?status=active&per=1", token: token).json["total"] as? Int
            let closed = try await app.send(.POST, "/api/v1/families/\(id)/close", token: token,
                                            json: #"{"reason":"moved-away","version":1}"#)
            #expect(closed.status == .ok)
            let activeAfter = try await app.send(.GET, "/api/v1/families?status=active&per=1", token: token).json["total"] as? Int
            #expect(activeAfter == activeBefore.map { $0 - 1 })
        }
    }

    @Test("one person's remembered page is never another's", arguments: TestDatabase.available)
    func scopes(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.send(.GET, "/api/v1/families?per=100", token: try await app.token("klantmanager"))
            let keyPerson = try await app.send(.GET, "/api/v1/families?per=100", token: try await app.token("sleutelpersoon"))
            let other = try await app.send(.GET, "/api/v1/families?per=100", token: try await app.token("sleutelpersoon2"))
            let leadTotal = try #require(lead.json["total"] as? Int)
            let keyTotal = try #require(keyPerson.json["total"] as? Int)
            #expect(keyTotal > 0 && keyTotal < leadTotal)
            let keyUser = try #require(try await User.query(on: app.db).filter(\.$username == "sleutelpersoon").first()?.id)
            let items = keyPerson.json["items"] as? [[String: Any]] ?? []
            #expect(items.allSatisfy { ($0["keyPersonId"] as? String)?.lowercased() == keyUser.uuidString.lowercased() })
            // The BSN is the case manager's only, also on a page remembered for someone else.
            #expect(items.allSatisfy { ($0["members"] as? [[String: Any]] ?? []).allSatisfy { $0["bsn"] == nil || $0["bsn"] is NSNull } })
            let otherIDs = Set((other.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(otherIDs.isDisjoint(with: Set(items.compactMap { $0["id"] as? String })))
            // Other municipalities and roles without families see none.
            let beekdal = try await app.send(.GET, "/api/v1/families?per=100", token: try await app.token("klantmanager-beekdal"))
            let rijnstadIDs = Set((lead.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(Set((beekdal.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }).isDisjoint(with: rijnstadIDs))
            let partner = try await app.send(.GET, "/api/v1/families", token: try await app.token("partner-jgz"))
            #expect(partner.json["total"] as? Int == 0)
        }
    }

    @Test("a name search takes % and _ literally", arguments: TestDatabase.available)
    func likeWildcards(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            for pattern in ["%", "_", "!"] {
                let result = try await app.send(.POST, "/api/v1/families/search", token: token, json: #"{"name":"\#(pattern)"}"#)
                #expect(result.status == .ok)
                #expect(result.json["total"] as? Int == 0, "searching \(pattern)")
            }
        }
    }

    @Test("concurrent lists are all audited, in one unbroken chain", arguments: TestDatabase.available)
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
            #expect(try await app.auditCount(action: "family.list") == requests * 4)
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

    @Test("a value is reused until a write, and recomputed after one")
    func generation() async throws {
        let cache = DerivedCache<Int>(ttl: 60, capacity: 10)
        let writes = WriteGeneration()
        let counter = Counter()
        #expect(try await cache.value("k", version: writes.current) { await counter.next() } == 1)
        #expect(try await cache.value("k", version: writes.current) { await counter.next() } == 1)
        #expect(try await cache.value("other", version: writes.current) { await counter.next() } == 2)
        writes.bump()
        #expect(try await cache.value("k", version: writes.current) { await counter.next() } == 3)
    }

    @Test("a value expires after its time, and a disabled cache always computes")
    func expiryAndDisabled() async throws {
        let writes = WriteGeneration()
        let counter = Counter()
        let expired = DerivedCache<Int>(ttl: 0, capacity: 10)
        #expect(try await expired.value("k", version: writes.current) { await counter.next() } == 1)
        #expect(try await expired.value("k", version: writes.current) { await counter.next() } == 2)
        let off = DerivedCache<Int>(ttl: 60, capacity: 10, enabled: false)
        #expect(try await off.value("k", version: writes.current) { await counter.next() } == 3)
        #expect(try await off.value("k", version: writes.current) { await counter.next() } == 4)
    }
}
