import Fluent
import Foundation
import NIOCore
import NIOPosix
import SQLKit
import Vapor
import WegwijsCore

/// Where notification e-mails go: an SMTP relay (`WEGWIJS_SMTP_URL=smtp://host:port`). Plain SMTP to a relay the
/// municipality runs (on the host or in its network); the relay does TLS and authentication onwards.
struct SMTPSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var from: String

    static func parse(_ url: String, from: String?) throws -> SMTPSettings {
        guard let components = URLComponents(string: url), components.scheme == "smtp", let host = components.host, !host.isEmpty else {
            throw ConfigError("WEGWIJS_SMTP_URL must look like smtp://host:port")
        }
        return SMTPSettings(host: host, port: components.port ?? 25, from: from?.nilIfEmpty ?? "wegwijs@localhost")
    }
}

struct SMTPError: Error, CustomStringConvertible {
    let description: String
}

/// A small SMTP client (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA, QUIT) on SwiftNIO: the machine's package mirror
/// has no mail library, and a relay needs no more than this.
enum SMTPClient {
    static func send(_ settings: SMTPSettings, to address: String, subject: String, body: String,
                     on group: any EventLoopGroup) async throws {
        guard !address.contains("\r"), !address.contains("\n"), !subject.contains("\r"), !subject.contains("\n") else {
            throw SMTPError(description: "header injection refused")
        }
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var pending = ""
            // Reads one reply (multi-line replies continue with "250-") and checks its code.
            func expect(_ codes: Set<Int>) async throws {
                while true {
                    while let range = pending.range(of: "\r\n") {
                        let line = String(pending[..<range.lowerBound])
                        pending.removeSubrange(..<range.upperBound)
                        let isLast = line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-"
                        guard isLast else { continue }
                        guard let code = Int(line.prefix(3)), codes.contains(code) else {
                            throw SMTPError(description: "unexpected reply \(line.prefix(3))")
                        }
                        return
                    }
                    guard var buffer = try await iterator.next() else { throw SMTPError(description: "connection closed") }
                    pending += buffer.readString(length: buffer.readableBytes) ?? ""
                }
            }
            func say(_ line: String) async throws { try await outbound.write(ByteBuffer(string: line + "\r\n")) }

            try await expect([220])
            try await say("EHLO wegwijs")
            try await expect([250])
            try await say("MAIL FROM:<\(settings.from)>")
            try await expect([250])
            try await say("RCPT TO:<\(address)>")
            try await expect([250, 251])
            try await say("DATA")
            try await expect([354])
            let date = DateFormatter.rfc5322.string(from: WallClock.system.now)
            // Lines starting with a dot get another (dot-stuffing), so the body cannot end the message early.
            let text = body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
            try await say("From: \(settings.from)\r\nTo: \(address)\r\nSubject: \(subject)\r\nDate: \(date)\r\n"
                          + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                          + text + "\r\n.")
            try await expect([250])
            try await say("QUIT")
            try? await expect([221])
        }
    }
}

extension DateFormatter {
    static let rfc5322: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }()
}

/// While the server runs with `WEGWIJS_SMTP_URL` set: sends what waits in the outbox every few seconds. Each e-mail
/// is tried up to five times; the error is kept (without the address) for the admin.
struct OutboxMailer: LifecycleHandler {
    let settings: SMTPSettings
    private final class Box: @unchecked Sendable { var task: RepeatedTask? }
    private let box = Box()

    init(settings: SMTPSettings) { self.settings = settings }

    static let maxAttempts = 5

    func didBoot(_ app: Application) throws {
        let settings = self.settings
        let loop = app.eventLoopGroup.next()
        box.task = loop.scheduleRepeatedAsyncTask(initialDelay: .seconds(2), delay: .seconds(5)) { _ in
            let promise = loop.makePromise(of: Void.self)
            promise.completeWithTask { _ = try? await Self.sendPending(app, settings: settings) }
            return promise.futureResult
        }
    }

    func shutdown(_ app: Application) { box.task?.cancel() }

    /// How long a claim holds. A sender that crashes (or loses its database connection) mid-batch leaves its claims
    /// behind; after this long another sender takes those e-mails over. Longer than a batch ever takes to send.
    static let claimLease: TimeInterval = 300

    /// Sends the waiting e-mails; returns how many went out. Several servers may run this at once on one database:
    /// each first claims a batch (see `claim`), so every e-mail goes to one sender only.
    @discardableResult
    static func sendPending(_ app: Application, settings: SMTPSettings, limit: Int = 50, lease: TimeInterval = claimLease,
                            now: Date? = nil) async throws -> Int {
        let claimer = UUID().uuidString
        let moment = now ?? app.clock.now
        let waiting = try await claim(app.db, by: claimer, limit: limit, lease: lease, now: moment)
        var sent = 0
        for mail in waiting {
            do {
                try await SMTPClient.send(settings, to: mail.toAddress, subject: mail.subject, body: mail.body, on: app.eventLoopGroup)
                mail.sentAt = now ?? app.clock.now
                mail.lastError = nil
                sent += 1
            } catch {
                mail.lastError = String(describing: error)
                app.logger.warning("e-mail not sent", metadata: ["outbox": "\(mail.id!)", "error": "\(error)"])
            }
            mail.attempts += 1
            // A failed e-mail keeps its claim until the lease runs out: that is the pause before the next try.
            try await mail.update(on: app.db)
        }
        return sent
    }

    /// Claims up to `limit` unsent e-mails whose claim is free or expired, oldest first, and returns them. The claim
    /// is one atomic UPDATE: on PostgreSQL the candidates are locked with `FOR UPDATE SKIP LOCKED`, so two servers
    /// claiming at once get disjoint batches without waiting for each other; SQLite has one writer, so its UPDATE
    /// already sees and changes the rows alone.
    static func claim(_ db: any Database, by claimer: String, limit: Int, lease: TimeInterval,
                      now: Date) async throws -> [OutboxEmail] {
        guard let sql = db as? any SQLDatabase else { throw SMTPError(description: "the outbox needs an SQL database") }
        let nowMS = Int64(now.timeIntervalSince1970 * 1000)
        let untilMS = nowMS + Int64(lease * 1000)
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        try await sql.raw("""
            UPDATE email_outbox SET claimed_by = \(bind: claimer), claimed_until_ms = \(bind: untilMS)
            WHERE id IN (SELECT id FROM email_outbox
                         WHERE sent_at IS NULL AND attempts < \(bind: maxAttempts)
                           AND (claimed_until_ms IS NULL OR claimed_until_ms <= \(bind: nowMS))
                         ORDER BY created_at LIMIT \(bind: limit)\(lock))
            """).run()
        return try await OutboxEmail.query(on: db).filter(\.$claimedBy == claimer).filter(\.$sentAt == nil)
            .sort(\.$createdAt).all()
    }
}

/// Claims on outbox rows (`claimed_by`, `claimed_until_ms`), so that two servers never send the same e-mail.
/// Milliseconds since 1970, like the audit trail's times: compared the same way on SQLite and PostgreSQL.
struct AddOutboxClaims: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per ALTER TABLE: SQLite adds only one at a time.
        try await database.schema(OutboxEmail.schema).field("claimed_by", .string).update()
        try await database.schema(OutboxEmail.schema).field("claimed_until_ms", .int64).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX email_outbox_claim ON email_outbox (sent_at, claimed_until_ms, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.raw("DROP INDEX email_outbox_claim").run() }
        try await database.schema(OutboxEmail.schema).deleteField("claimed_until_ms").update()
        try await database.schema(OutboxEmail.schema).deleteField("claimed_by").update()
    }
}
