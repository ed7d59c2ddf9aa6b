import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
import WegwijsCore

/// `DATABASE_REPLICA_URL` (issue 15, "Speed"): report reads may go to a PostgreSQL hot standby. Tested against a
/// primary and a standby started on loopback by `.ci/postgres-replica.sh` (streaming replication); without one the
/// report database is the primary.
@Suite("Read replica")
struct ReadReplicaTests {
    static var replicaURL: String? { ProcessInfo.processInfo.environment["WEGWIJS_TEST_REPLICA_URL"]?.nilIfEmpty }

    @Test("without a replica, report reads go to the primary, in a request too")
    func fallback() async throws {
        try await withWegwijs(.sqlite) { app in
            #expect(!app.hasReadReplica)
            let count = try await Family.query(on: app.db).count()
            #expect(try await Family.query(on: app.reportDatabase).count() == count)
            app.get("test-report-db") { request async throws -> String in
                String(try await Family.query(on: request.reportDB).count())
            }
            #expect(try await app.send(.GET, "/test-report-db").body.string == String(count))
        }
    }

    @Test("DATABASE_REPLICA_URL needs PostgreSQL on both sides and keeps the primary's search path")
    func parsing() async throws {
        #expect(try DatabaseTarget.replica(nil, primary: .sqlite(path: "x")) == nil)
        #expect(try DatabaseTarget.replica("", primary: .sqlite(path: "x")) == nil)
        #expect(throws: ConfigError.self) { try DatabaseTarget.replica("postgres://a@b/c", primary: .sqlite(path: "x")) }
        #expect(throws: ConfigError.self) { try DatabaseTarget.replica("sqlite:///tmp/x", primary: .postgres(url: "postgres://a@b/c")) }
        #expect(try DatabaseTarget.replica("postgres://r@s/t", primary: .postgres(url: "postgres://a@b/c", searchPath: "t_1"))
                == .postgres(url: "postgres://r@s/t", searchPath: "t_1"))
        let app = try await Application.make(.testing)
        #expect(throws: ConfigError.self) { try configureReadReplica(app, .sqlite(path: "/tmp/x.sqlite")) }
        try await app.asyncShutdown()
    }

    @Test("a hot standby: report reads go to it and see what the primary wrote; writes and migrations stay on the primary",
          .enabled(if: TestDatabase.postgresURL != nil && ReadReplicaTests.replicaURL != nil))
    func standby() async throws {
        let primaryURL = try #require(TestDatabase.postgresURL), replicaURL = try #require(Self.replicaURL)
        let app = try await Application.make(.testing)
        app.clock = .testDefault
        app.logger.logLevel = .warning
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        var config = AppConfig(database: .postgres(url: primaryURL, searchPath: String(schema)), bcryptCost: 4)
        config.replica = try DatabaseTarget.replica(replicaURL, primary: config.database)
        do {
            try await configure(app, config)
            let primary = try #require(app.db as? any SQLDatabase)
            try await primary.raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: String(schema))").run()
            try await app.autoMigrate()
            try await DemoSeeder.seed(app)
            try await DemoSeeder.seedSynthetic(app, options: SyntheticOptions(families: 60, seed: 3))
            #expect(app.hasReadReplica)
            let replica = try #require(app.reportDatabase as? any SQLDatabase)

            // The standby is a standby; the primary is not.
            #expect(try await replica.raw("SELECT pg_is_in_recovery() AS r").first()?.decode(column: "r", as: Bool.self) == true)
            #expect(try await primary.raw("SELECT pg_is_in_recovery() AS r").first()?.decode(column: "r", as: Bool.self) == false)

            // Streaming replication brings what the primary committed within moments.
            let expected = try await Family.query(on: app.db).count()
            var seen = -1
            for _ in 0..<300 {
                seen = (try? await Family.query(on: app.reportDatabase).count()) ?? -1
                if seen == expected { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(seen == expected)
            let aggregate = "SELECT status, COUNT(*) AS n FROM referrals GROUP BY status ORDER BY status"
            func counts(_ db: any SQLDatabase) async throws -> [String] {
                try await db.raw(SQLQueryString(aggregate)).all().map {
                    "\(try $0.decode(column: "status", as: String.self))=\(try $0.decode(column: "n", as: Int.self))"
                }
            }
            #expect(try await counts(replica) == (try await counts(primary)))

            // A request's report reads go to the standby too.
            app.get("test-report-db") { request async throws -> String in
                let sql = request.reportDB as! any SQLDatabase
                return String(try await sql.raw("SELECT pg_is_in_recovery() AS r").first()?.decode(column: "r", as: Bool.self) ?? false)
            }
            #expect(try await app.send(.GET, "/test-report-db").body.string == "true")
            // The policy officer's reports still answer (their audit entries are written on the primary).
            let token = try await app.token("beleid")
            #expect(try await app.send(.GET, "/api/v1/reports/groups", token: token).status == .ok)

            // A standby refuses writes: nothing can write through the report database by mistake.
            await #expect(throws: (any Error).self) {
                try await replica.raw("CREATE TABLE \(unsafeRaw: String(schema)).must_fail (a int)").run()
            }
        } catch {
            await cleanUp(app, schema: String(schema))
            throw error
        }
        await cleanUp(app, schema: String(schema))
    }

    private func cleanUp(_ app: Application, schema: String) async {
        if let sql = app.db as? any SQLDatabase { try? await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: schema) CASCADE").run() }
        try? await app.asyncShutdown()
    }
}
