import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

/// Vapor writes the session back after every answer; Wegwijs writes it only when the request changed it, and
/// refreshes "last seen" at most once per `SessionPolicy.lastSeenStep`.
@Suite("Session writes")
struct SessionWriteTests {
    /// A session store in memory that counts its writes.
    final class CountingDriver: SessionDriver, Sendable {
        let stored: SessionData
        private let writes = NIOLockedValueBox(0)
        var updates: Int { writes.withLockedValue { $0 } }
        init(stored: SessionData) { self.stored = stored }

        func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
            request.eventLoop.makeSucceededFuture(SessionID(string: "new"))
        }
        func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
            request.eventLoop.makeSucceededFuture(stored)
        }
        func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
            writes.withLockedValue { $0 += 1 }
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
            request.eventLoop.makeSucceededVoidFuture()
        }
    }

    @Test("an unchanged session is not written back; a changed one is")
    func changedOnly() async throws {
        let app = try await Application.make(.testing)
        do {
            let base = CountingDriver(stored: SessionData(initialData: ["uid": "someone", "seen": "100"]))
            let driver = ChangedSessionsOnly(base: base)
            let request = Request(application: app, on: app.eventLoopGroup.next())
            let id = SessionID(string: "s1")
            var data = try #require(try await driver.readSession(id, for: request).get())
            _ = try await driver.updateSession(id, to: data, for: request).get()
            #expect(base.updates == 0)
            data["seen"] = "160"
            _ = try await driver.updateSession(id, to: data, for: request).get()
            #expect(base.updates == 1)
            // A request that never read the session (a new one) always writes.
            let fresh = Request(application: app, on: app.eventLoopGroup.next())
            _ = try await driver.updateSession(id, to: data, for: fresh).get()
            #expect(base.updates == 2)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test("a page view refreshes a last-seen older than the step, and leaves a recent one alone")
    func lastSeenStep() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let now = Int(Date().timeIntervalSince1970)
            let record = try #require(try await SessionRecord.query(on: app.db).first())
            // Two minutes ago: older than the step (a minute), so the next page view writes a new one.
            record.data["seen"] = String(now - 120)
            try await record.update(on: app.db)
            #expect(try await client.get("/my-families").status == .ok)
            let refreshed = try #require(try await SessionRecord.find(record.id, on: app.db))
            let seen = try #require(refreshed.data["seen"].flatMap(Int.init))
            #expect(seen >= now)
            // Ten seconds ago: within the step, so the page view leaves the stored session as it is.
            refreshed.data["seen"] = String(now - 10)
            try await refreshed.update(on: app.db)
            #expect(try await client.get("/my-families").status == .ok)
            let kept = try #require(try await SessionRecord.find(record.id, on: app.db))
            #expect(kept.data["seen"] == String(now - 10))
        }
    }
}
