import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
import WegwijsCore

/// Two servers on one database, as a municipality runs them behind a load balancer: two `Application`s configured
/// on the same SQLite file or the same PostgreSQL schema. Nothing one of them remembers may let it show what the
/// other has changed, and the outbox must not send an e-mail twice.
@Suite("Two servers on one database")
struct TwoServersTests {
    /// Runs `body` with instance A (migrated, demo data) and instance B (configured on the same database, not migrated).
    static func withTwoServers(_ database: TestDatabase, _ body: (Application, Application) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wegwijs-two-\(UUID().uuidString)")
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let target: DatabaseTarget
        switch database {
        case .sqlite:
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            target = .sqlite(path: folder.appendingPathComponent("shared.sqlite").path)
        case .postgres: target = .postgres(url: TestDatabase.postgresURL!, searchPath: String(schema))
        }
        func make() async throws -> Application {
            let app = try await Application.make(.testing)
            app.clock = .testDefault
            app.logger.logLevel = .warning
            try await configure(app, AppConfig(database: target, bcryptCost: 4))
            return app
        }
        let a = try await make()
        var b: Application?
        do {
            if database == .postgres, let sql = a.db as? any SQLDatabase {
                try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: String(schema))").run()
            }
            try await prepareDatabase(a)
            try await a.autoMigrate()
            try await DemoSeeder.seed(a)
            b = try await make()
            try await prepareDatabase(b!)
            try await body(a, b!)
        } catch {
            try? await b?.asyncShutdown()
            await Self.cleanUp(a, database, schema: String(schema), folder: folder)
            throw error
        }
        try? await b?.asyncShutdown()
        await Self.cleanUp(a, database, schema: String(schema), folder: folder)
    }

    private static func cleanUp(_ app: Application, _ database: TestDatabase, schema: String, folder: URL) async {
        if database == .postgres, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    private static func ids(_ response: TestingHTTPResponse) -> Set<String> {
        Set((response.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String)?.lowercased() })
    }

    @Test("a key person uncoupled on one server loses the family at once on the other", arguments: TestDatabase.available)
    func uncoupledAtOnce(_ database: TestDatabase) async throws {
        try await Self.withTwoServers(database) { a, b in
            let family = try await a.demoFamily(keyPerson: "sleutelpersoon")
            let id = family.id!.uuidString.lowercased()
            let keyPersonOnB = try await b.token("sleutelpersoon")
            let web = WebClient(b)
            #expect(try await web.signIn("sleutelpersoon").status == .seeOther)

            // Seen on B first, so anything B might remember has been computed.
            #expect(Self.ids(try await b.send(.GET, "/api/v1/families?per=100", token: keyPersonOnB)).contains(id))
            #expect(try await b.send(.GET, "/api/v1/families/\(id)", token: keyPersonOnB).status == .ok)
            #expect(try await web.get("/families/\(id)").status == .ok)

            // Uncoupled on A, through the API.
            let lead = try await a.token("klantmanager")
            let current = try await a.send(.GET, "/api/v1/families/\(id)", token: lead)
            let version = try #require(current.json["version"] as? Int)
            let caseManager = current.json["caseManagerId"] as? String
            let body = """
                {"name":"\(family.name)","caseManagerId":\(caseManager.map { "\"\($0)\"" } ?? "null"),"keyPersonId":null,"version":\(version)}
                """
            let updated = try await a.send(.PUT, "/api/v1/families/\(id)", token: lead, json: body)
            #expect(updated.status == .ok, "\(updated.body.string)")

            // At once on B: not in the list, the family page is not found, on the API and on the web.
            #expect(!Self.ids(try await b.send(.GET, "/api/v1/families?per=100", token: keyPersonOnB)).contains(id))
            let read = try await b.send(.GET, "/api/v1/families/\(id)", token: keyPersonOnB)
            #expect(read.status == .notFound)
            #expect(try await web.get("/families/\(id)").status == .notFound)
        }
    }

    private static func fakeRelay(on app: Application) async throws -> (any Channel, NIOLockedValueBox<[String]>) {
        let received = NIOLockedValueBox<[String]>([])
        let server = try await ServerBootstrap(group: app.eventLoopGroup)
            .childChannelInitializer { channel in channel.pipeline.addHandler(FakeSMTPHandler(received)) }
            .bind(host: "127.0.0.1", port: 0).get()
        return (server, received)
    }

    private static func queueMails(_ count: Int, on app: Application) async throws {
        let municipality = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first()?.id)
        for index in 0..<count {
            let mail = OutboxEmail()
            mail.id = UUID()
            mail.$municipality.id = municipality
            mail.toAddress = "lead@rijnstad.example"
            mail.subject = "mail-\(index)"
            mail.body = "body \(index)"
            mail.createdAt = app.clock.now.addingTimeInterval(Double(index) / 1000)
            mail.attempts = 0
            try await mail.create(on: app.db)
        }
    }

    @Test("both servers run the outbox sender: each e-mail is sent once", arguments: TestDatabase.available)
    func outboxSentOnce(_ database: TestDatabase) async throws {
        try await Self.withTwoServers(database) { a, b in
            let (server, received) = try await Self.fakeRelay(on: a)
            defer { server.close(promise: nil) }
            let settings = SMTPSettings(host: "127.0.0.1", port: server.localAddress!.port!, from: "wegwijs@rijnstad.example")
            let waitingBefore = try await OutboxEmail.query(on: a.db).filter(\.$sentAt == nil).count()
            let count = 60
            try await Self.queueMails(count, on: a)

            // Both senders at once, several rounds each, in small batches so that they really interleave.
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for app in [a, b, a, b] {
                    group.addTask {
                        var total = 0
                        for _ in 0..<10 { total += try await OutboxMailer.sendPending(app, settings: settings, limit: 5) }
                        return total
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sent == count + waitingBefore)
            let subjects = received.withLockedValue { $0 }.compactMap { message in
                message.split(separator: "\n").first { $0.hasPrefix("Subject: mail-") }.map(String.init)
            }
            #expect(subjects.count == count)
            #expect(Set(subjects).count == count, "an e-mail went out twice")
            #expect(try await OutboxEmail.query(on: b.db).filter(\.$sentAt == nil).count() == 0)
        }
    }

    @Test("a crashed sender's claims expire and the other server sends those e-mails", arguments: TestDatabase.available)
    func expiredClaimsAreRetried(_ database: TestDatabase) async throws {
        try await Self.withTwoServers(database) { a, b in
            let (server, received) = try await Self.fakeRelay(on: a)
            defer { server.close(promise: nil) }
            let settings = SMTPSettings(host: "127.0.0.1", port: server.localAddress!.port!, from: "wegwijs@rijnstad.example")
            try await Self.queueMails(3, on: a)
            let now = a.clock.now
            // A claims everything and "crashes" before sending.
            let claimed = try await OutboxMailer.claim(a.db, by: "crashed-sender", limit: 100, lease: 60, now: now)
            #expect(claimed.count >= 3)
            // While the claim holds, B sends none of them.
            #expect(try await OutboxMailer.sendPending(b, settings: settings, now: now.addingTimeInterval(30)) == 0)
            #expect(received.withLockedValue { $0.count } == 0)
            // After it expires, B takes them over.
            #expect(try await OutboxMailer.sendPending(b, settings: settings, now: now.addingTimeInterval(61)) == claimed.count)
            #expect(received.withLockedValue { $0.count } == claimed.count)
            #expect(try await OutboxEmail.query(on: a.db).filter(\.$sentAt == nil).count() == 0)
        }
    }
}
