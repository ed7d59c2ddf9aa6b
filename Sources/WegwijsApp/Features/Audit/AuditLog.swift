import Crypto
import WegwijsCore
import Fluent
import Foundation
import SQLKit
import SQLiteKit
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
    let reads: AuditReadBatcher

    init() {
        gate = SerialGate()
        reads = AuditReadBatcher(gate: gate)
    }

    /// Runs `body` in a transaction and appends what it recorded to the chain in that same transaction.
    /// Appends are serialised: in this process by the gate, across processes by the database (PostgreSQL: an
    /// advisory lock; SQLite: its single writer).
    func write<T: Sendable>(on database: any Database, by subject: AuditSubject,
                            _ body: @escaping @Sendable (any Database, AuditRecorder) async throws -> T) async throws -> T {
        return try await Self.appendInTransaction(gate: gate, on: database) { tx in
            let recorder = AuditRecorder()
            let result = try await body(tx, recorder)
            try await Self.append(recorder.events.map { ($0, subject) }, on: tx)
            return result
        }
    }

    /// Appends the entries of a read (the data was read outside; the entries are written here) and returns once
    /// they are committed. Reads that arrive together share one transaction: under load, one commit carries
    /// the entries of many requests, and every request still waits until its own entries are safely stored.
    func record(_ events: [AuditEvent], by subject: AuditSubject, on database: any Database) async throws {
        guard !events.isEmpty else { return }
        try await reads.append(events.map { ($0, subject) }, on: database)
    }

    fileprivate static func appendInTransaction<T: Sendable>(
        gate: SerialGate, on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await gate.run {
            try await database.writeTransaction { tx in
                // Serialise audited writes across processes too (a second server, a CLI run) on PostgreSQL;
                // SQLite has a single writer already (taken as the transaction's first statement).
                if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                    try await sql.raw("SELECT pg_advisory_xact_lock(7355608)").run()
                }
                return try await body(tx)
            }
        }
    }

    fileprivate static func append(_ events: [(AuditEvent, AuditSubject)], on tx: any Database) async throws {
        guard !events.isEmpty else { return }
        let head = try await AuditHead.find(1, on: tx)
        var seq = head?.seq ?? 0
        var prev = head?.hash ?? genesisHash
        let now = Int64(WallClock.system.now.timeIntervalSince1970 * 1000)
        var rows: [AuditRow] = []
        rows.reserveCapacity(events.count)
        for (event, subject) in events {
            seq += 1
            var row = AuditRow(seq: seq, atMilliseconds: now, userID: subject.userID, username: subject.username,
                               role: subject.role, organisationID: subject.organisationID,
                               municipalityID: subject.municipalityID, familyID: event.familyID,
                               familyReference: event.familyReference, action: event.action,
                               purpose: event.purpose, detail: event.detail, prevHash: prev)
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

    private static let columns = ["seq", "at_ms", "user_id", "username", "role", "organisation_id", "municipality_id",
                                  "family_id", "family_reference", "action", "purpose", "detail", "prev_hash", "hash"]
    /// 60 rows of 14 columns: 840 parameters, under SQLite's limit of 999 in older builds.
    private static let rowsPerStatement = 60

    /// Multi-row INSERTs in chunks. On SQLite the values are bound directly: this runs for every list request
    /// and SQLKit's generic encoding of 350 values cost more than SQLite's insert itself.
    private static func insert(_ rows: [AuditRow], on tx: any Database) async throws {
        var start = rows.startIndex
        while start < rows.endIndex {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.endIndex)]
            if let sqlite = tx as? any SQLiteDatabase {
                _ = try await sqlite.query(sqliteInsert(rows: chunk.count), chunk.flatMap(sqliteValues))
            } else if let sql = tx as? any SQLDatabase {
                let builder = sql.insert(into: AuditEntry.schema).columns(columns)
                for row in chunk {
                    builder.values(SQLBind(row.seq), SQLBind(row.atMilliseconds), SQLBind(row.userID), SQLBind(row.username),
                                   SQLBind(row.role), SQLBind(row.organisationID), SQLBind(row.municipalityID),
                                   SQLBind(row.familyID), SQLBind(row.familyReference), SQLBind(row.action),
                                   SQLBind(row.purpose), SQLBind(row.detail), SQLBind(row.prevHash), SQLBind(row.hash))
                }
                try await builder.run()
            } else {
                throw AppError(status: .internalServerError, code: "audit-unavailable", message: "The audit trail needs an SQL database.")
            }
            start = chunk.endIndex
        }
    }

    private static func sqliteInsert(rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \(AuditEntry.schema) (\(columns.joined(separator: ","))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ",")
    }

    /// The same storage Fluent uses on SQLite: UUIDs as their (upper-case) text, text, integers.
    private static func sqliteValues(_ row: AuditRow) -> [SQLiteData] {
        func uuid(_ value: UUID?) -> SQLiteData { value.map { .text($0.uuidString) } ?? .null }
        func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
        return [.integer(row.seq), .integer(Int(row.atMilliseconds)), uuid(row.userID), .text(row.username), .text(row.role),
                uuid(row.organisationID), uuid(row.municipalityID), uuid(row.familyID), text(row.familyReference),
                .text(row.action), .text(row.purpose), .text(row.detail), .text(row.prevHash), .text(row.hash)]
    }

    static let genesisHash = String(repeating: "0", count: 64)

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}

/// Group commit for the audit entries of reads. The first read to arrive starts a flush; reads arriving while
/// a flush runs wait for the next one, which takes all of them in one transaction. Each caller resumes only
/// after the transaction holding its entries has committed (or fails with it).
actor AuditReadBatcher {
    private struct Waiting {
        let events: [(AuditEvent, AuditSubject)]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let gate: SerialGate
    private var waiting: [Waiting] = []
    private var flushing = false
    /// An upper bound per transaction, so one transaction never grows without limit under extreme load.
    private let maxEntriesPerFlush = 5_000

    init(gate: SerialGate) { self.gate = gate }

    func append(_ events: [(AuditEvent, AuditSubject)], on database: any Database) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiting.append(Waiting(events: events, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flush(on: database) }
            }
        }
    }

    private func flush(on database: any Database) async {
        while !waiting.isEmpty {
            var batch: [Waiting] = []
            var count = 0
            while let next = waiting.first, batch.isEmpty || count + next.events.count <= maxEntriesPerFlush {
                batch.append(waiting.removeFirst())
                count += next.events.count
            }
            let events = batch.flatMap(\.events)
            do {
                // The actor is free while this awaits: new reads queue up for the next round.
                try await AuditLog.appendInTransaction(gate: gate, on: database) { tx in
                    try await AuditLog.append(events, on: tx)
                }
                for item in batch { item.continuation.resume() }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        flushing = false
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
        let log = AuditLog()
        storage[AuditLogKey.self] = log
        return log
    }
}

extension Request {
    var audit: AuditLog { application.audit }

    /// Writes `events` on this request's database and returns once they are committed (reads and sign-ins, whose
    /// entries are not part of a write transaction).
    func recordAudit(_ events: [AuditEvent], by subject: AuditSubject) async throws {
        try await audit.record(events, by: subject, on: db)
    }

    /// One page of the entries of one municipality (and the security events of no municipality), newest first, matching
    /// `filter`: keyset paging on the sequence number (`cursor`), never an OFFSET. Who may search is decided by the
    /// caller (`FamilyAccess`, `.auditLog`).
    ///
    /// Indexes: a family reference or user name reads `audit_entries_family` / `audit_entries_user` (both end in
    /// `seq`, so the page comes out of the index in order); a period is first turned into the range of sequence
    /// numbers written in it through `audit_entries_at` (`AddAuditTimeIndex`), so the page reads that range of the
    /// primary key. The period's own condition stays in the query: the result is exact even if the clock ever ran back.
    func searchAudit(municipalityID: UUID, filter: AuditFilter, cursor: AuditCursor = .newest, limit: Int) async throws -> AuditPage {
        var bounds: ClosedRange<Int>? = nil
        if filter.fromMilliseconds != nil || filter.untilMilliseconds != nil {
            guard let sql = db as? any SQLDatabase else {
                throw AppError(status: .internalServerError, code: "audit-unavailable", message: "The audit trail needs an SQL database.")
            }
            let period = sql.select()
                .column(SQLFunction("MIN", args: SQLColumn("seq")), as: "low")
                .column(SQLFunction("MAX", args: SQLColumn("seq")), as: "high")
                .from(AuditEntry.schema)
            if let from = filter.fromMilliseconds { period.where("at_ms", .greaterThanOrEqual, from) }
            if let until = filter.untilMilliseconds { period.where("at_ms", .lessThan, until) }
            guard let row = try await period.first(), try !row.decodeNil(column: "low"), try !row.decodeNil(column: "high") else {
                return AuditPage(entries: [], hasOlder: false, hasNewer: false)
            }
            let low = try row.decode(column: "low", as: Int.self), high = try row.decode(column: "high", as: Int.self)
            bounds = low...high
        }
        func matching() -> QueryBuilder<AuditEntry> {
            // The municipality's own entries, and the entries of no municipality that name no family (failed sign-ins
            // and other security events). A system entry naming a family (the demo or a CLI run) may be another
            // municipality's family: it is not shown.
            let query = AuditEntry.query(on: db).group(.or) {
                $0.filter(\.$municipalityID == municipalityID)
                    .group(.and) { $0.filter(\.$municipalityID == nil).filter(\.$familyReference == nil) }
            }
            if let family = filter.familyReference { query.filter(\.$familyReference == family) }
            if let user = filter.username { query.filter(\.$username == user) }
            if let from = filter.fromMilliseconds { query.filter(\.$atMilliseconds >= from) }
            if let until = filter.untilMilliseconds { query.filter(\.$atMilliseconds < until) }
            if let bounds { query.filter(\.$id >= bounds.lowerBound).filter(\.$id <= bounds.upperBound) }
            return query
        }
        func exists(olderThan seq: Int) async throws -> Bool {
            try await matching().filter(\.$id < seq).sort(\.$id, .descending).first() != nil
        }
        func exists(newerThan seq: Int) async throws -> Bool {
            try await matching().filter(\.$id > seq).sort(\.$id, .ascending).first() != nil
        }
        switch cursor {
        case .newest:
            let found = try await matching().sort(\.$id, .descending).limit(limit + 1).all()
            return AuditPage(entries: Array(found.prefix(limit)), hasOlder: found.count > limit, hasNewer: false)
        case .before(let seq):
            let found = try await matching().filter(\.$id < seq).sort(\.$id, .descending).limit(limit + 1).all()
            let entries = Array(found.prefix(limit))
            return AuditPage(entries: entries, hasOlder: found.count > limit,
                             hasNewer: try await exists(newerThan: (entries.first?.id ?? seq) - (entries.isEmpty ? 1 : 0)))
        case .after(let seq):
            let found = try await matching().filter(\.$id > seq).sort(\.$id, .ascending).limit(limit + 1).all()
            let entries = Array(found.prefix(limit).reversed())
            return AuditPage(entries: entries, hasOlder: try await exists(olderThan: (entries.last?.id ?? seq) + (entries.isEmpty ? 1 : 0)),
                             hasNewer: found.count > limit)
        }
    }
}

/// What the admin searches the audit trail for; every part optional (nil: any).
struct AuditFilter: Sendable, Equatable {
    var familyReference: String? = nil
    var username: String? = nil
    /// The period, in milliseconds since 1970: from (inclusive) until (exclusive).
    var fromMilliseconds: Int64? = nil
    var untilMilliseconds: Int64? = nil

    var isEmpty: Bool { familyReference == nil && username == nil && fromMilliseconds == nil && untilMilliseconds == nil }
}

/// Where a page of the audit trail starts: the newest entries, those older than a sequence number (the next page),
/// or those newer than one (the previous page).
enum AuditCursor: Sendable, Equatable {
    case newest
    case before(Int)
    case after(Int)
}

/// One page of audit entries, newest first, and whether there is more on either side.
struct AuditPage: Sendable {
    let entries: [AuditEntry]
    let hasOlder: Bool
    let hasNewer: Bool
}
