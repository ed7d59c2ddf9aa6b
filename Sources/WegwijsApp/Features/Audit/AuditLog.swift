import Crypto
import WegwijsCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// One thing to write to the audit trail.
struct AuditEvent: Sendable {
    var action: String
    var familyID: UUID? = nil
    var familyReference: String? = nil
    /// Why the data was touched (`case-management`, `audit-oversight`, `security`).
    var purpose: String = AuditPurpose.caseManagement
    /// Short and free of personal data: field names, counts, codes.
    var detail: String = ""
}

enum AuditPurpose {
    static let caseManagement = "case-management"
    static let auditOversight = "audit-oversight"
    static let security = "security"
    static let administration = "administration"
}

/// Who did it. Anonymous events (a failed sign-in) carry only what was typed as the account, never a password.
struct AuditSubject: Sendable {
    var userID: UUID?
    var username: String
    var role: String
    var organisationID: UUID?
    var municipalityID: UUID?

    init(_ staff: StaffIdentity) {
        userID = staff.userID
        username = staff.username
        role = staff.role.rawValue
        organisationID = staff.organisationID
        municipalityID = staff.municipalityID
    }

    init(anonymous account: String) {
        username = account
        role = "anonymous"
    }

    static let system = AuditSubject(system: ())
    private init(system: Void) {
        username = "system"
        role = "system"
    }
}

/// Collects the events of one transaction; they are chained and written just before it commits.
final class AuditRecorder: @unchecked Sendable {
    // Only touched by the task that runs the transaction body.
    fileprivate var events: [AuditEvent] = []
    func record(_ event: AuditEvent) { events.append(event) }
}

/// The hash-chained audit trail. All writes to personal data go through `write`, so the data change and its
/// audit entries commit together or not at all (one request, one transaction).
struct AuditLog: Sendable {
    let gate: SerialGate

    /// Runs `body` in a transaction and appends what it recorded to the chain in that same transaction.
    /// Appends are serialised: in this process by the gate, across processes by the database (PostgreSQL: an
    /// advisory lock; SQLite: its single writer).
    func write<T: Sendable>(on database: any Database, by subject: AuditSubject,
                            _ body: @escaping @Sendable (any Database, AuditRecorder) async throws -> T) async throws -> T {
        try await gate.run {
            try await database.transaction { tx in
                // Serialise audited writes across processes too (a second server, a CLI run) on PostgreSQL;
                // SQLite has a single writer already.
                if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                    try await sql.raw("SELECT pg_advisory_xact_lock(7355608)").run()
                }
                let recorder = AuditRecorder()
                let result = try await body(tx, recorder)
                try await Self.append(recorder.events, by: subject, on: tx)
                return result
            }
        }
    }

    /// Appends events on their own (reads: the data was read outside, the entries are written here).
    func record(_ events: [AuditEvent], by subject: AuditSubject, on database: any Database) async throws {
        guard !events.isEmpty else { return }
        _ = try await write(on: database, by: subject) { _, recorder in
            for event in events { recorder.record(event) }
        }
    }

    private static func append(_ events: [AuditEvent], by subject: AuditSubject, on tx: any Database) async throws {
        guard !events.isEmpty else { return }
        let head = try await AuditHead.find(1, on: tx)
        var seq = head?.seq ?? 0
        var prev = head?.hash ?? genesisHash
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var rows: [AuditEntry] = []
        rows.reserveCapacity(events.count)
        for event in events {
            seq += 1
            let row = AuditEntry()
            row.id = seq
            row.atMilliseconds = now
            row.userID = subject.userID
            row.username = subject.username
            row.role = subject.role
            row.organisationID = subject.organisationID
            row.municipalityID = subject.municipalityID
            row.familyID = event.familyID
            row.familyReference = event.familyReference
            row.action = event.action
            row.purpose = event.purpose
            row.detail = event.detail
            row.prevHash = prev
            row.hash = hash(row.canonical)
            prev = row.hash
            rows.append(row)
        }
        try await insert(rows, on: tx)
        if let head {
            head.seq = seq
            head.hash = prev
            try await head.update(on: tx)
        } else {
            try await AuditHead(seq: seq, hash: prev).create(on: tx)
        }
    }

    /// One multi-row INSERT through SQLKit: the audit write sits on every request's path, and Fluent's per-row
    /// model encoding costs more than the insert itself.
    private static func insert(_ rows: [AuditEntry], on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { return try await rows.create(on: tx) }
        let builder = sql.insert(into: AuditEntry.schema)
            .columns("seq", "at_ms", "user_id", "username", "role", "organisation_id", "municipality_id", "family_id",
                     "family_reference", "action", "purpose", "detail", "prev_hash", "hash")
        for row in rows {
            builder.values(SQLBind(row.id), SQLBind(row.atMilliseconds), SQLBind(row.userID), SQLBind(row.username),
                           SQLBind(row.role), SQLBind(row.organisationID), SQLBind(row.municipalityID),
                           SQLBind(row.familyID), SQLBind(row.familyReference), SQLBind(row.action),
                           SQLBind(row.purpose), SQLBind(row.detail), SQLBind(row.prevHash), SQLBind(row.hash))
        }
        try await builder.run()
    }

    static let genesisHash = String(repeating: "0", count: 64)

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}

/// The outcome of `wegwijs audit verify`.
enum AuditVerification: Equatable, Sendable {
    case intact(entries: Int)
    case broken(seq: Int, reason: String)
}

extension AuditLog {
    /// Walks the whole chain in order, in pages, and names the first entry that does not fit.
    static func verify(on database: any Database, pageSize: Int = 5000) async throws -> AuditVerification {
        var expectedSeq = 1
        var prev = genesisHash
        while true {
            let page = try await AuditEntry.query(on: database)
                .filter(\.$id >= expectedSeq)
                .sort(\.$id)
                .limit(pageSize)
                .all()
            if page.isEmpty { break }
            for entry in page {
                let seq = entry.id ?? -1
                if seq != expectedSeq {
                    return .broken(seq: expectedSeq, reason: "entry \(expectedSeq) is missing")
                }
                if entry.prevHash != prev {
                    return .broken(seq: seq, reason: "entry \(seq) does not follow entry \(seq - 1)")
                }
                if hash(entry.canonical) != entry.hash {
                    return .broken(seq: seq, reason: "entry \(seq) was altered")
                }
                prev = entry.hash
                expectedSeq += 1
            }
        }
        let count = expectedSeq - 1
        let head = try await AuditHead.find(1, on: database)
        if let head, head.seq != count || head.hash != prev {
            return .broken(seq: count + 1, reason: "the log ends at entry \(count) but entry \(head.seq) was written")
        }
        if head == nil, count > 0 {
            return .broken(seq: count, reason: "the chain head is missing")
        }
        return .intact(entries: count)
    }
}

extension Application {
    private struct AuditLogKey: StorageKey { typealias Value = AuditLog }

    var audit: AuditLog {
        if let log = storage[AuditLogKey.self] { return log }
        let log = AuditLog(gate: SerialGate())
        storage[AuditLogKey.self] = log
        return log
    }
}

extension Request {
    var audit: AuditLog { application.audit }
}
