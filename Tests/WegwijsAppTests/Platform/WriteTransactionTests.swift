import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import WegwijsApp

/// On SQLite a transaction that reads and then writes breaks (`SQLITE_BUSY`, a 500) when another connection writes
/// in between; `writeTransaction` takes the lock first, so the other writer waits instead. Found as 500s on the
/// intake page under load: every web request saves its session while the audit trail appends.
@Suite("Write transactions on SQLite")
struct WriteTransactionTests {
    /// Reads in a transaction, lets a second connection try to write, then writes itself.
    private func readThenWrite(_ app: Application, takingLockFirst: Bool) async throws {
        let loops = Array(app.eventLoopGroup.makeIterator())
        try #require(loops.count >= 2, "needs two event loops, so two SQLite connections")
        let first = try #require(app.databases.database(logger: app.logger, on: loops[0]))
        let second = try #require(app.databases.database(logger: app.logger, on: loops[1]) as? any SQLDatabase)
        let body: @Sendable (any Database) async throws -> Void = { tx in
            let sql = tx as! any SQLDatabase
            _ = try await sql.raw("SELECT COUNT(*) AS n FROM users").first()
            // A real change (a no-op update writes nothing and would not move the database on).
            let other = Task { try await second.raw("INSERT INTO write_probe (n) VALUES (1)").run() }
            try await Task.sleep(for: .milliseconds(150))
            try await sql.raw("UPDATE audit_head SET seq = seq").run()
            _ = other
        }
        if takingLockFirst { try await first.writeTransaction(body) } else { try await first.transaction(body) }
    }

    @Test("a writing transaction waits for the lock instead of failing when another connection writes meanwhile")
    func waitsInsteadOfFailing() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            try await (app.db as! any SQLDatabase).raw("CREATE TABLE write_probe (n INTEGER)").run()
            // Without the lock first: the upgrade from reader to writer fails at once.
            await #expect(throws: (any Error).self) { try await readThenWrite(app, takingLockFirst: false) }
            try await Task.sleep(for: .milliseconds(200))
            // With it: the other connection waits, and both commit.
            try await readThenWrite(app, takingLockFirst: true)
        }
    }
}
