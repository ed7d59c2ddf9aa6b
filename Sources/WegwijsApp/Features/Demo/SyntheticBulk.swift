import Fluent
import FluentPostgresDriver
import Foundation
import NIOCore
import SQLKit
import WegwijsCore

// The bulk path of `seed synthetic` (issue 15, item 8): rows are encoded straight into the text each database
// loads fastest — PostgreSQL's `COPY … FROM STDIN` text format, SQLite's multi-row `INSERT … VALUES` — table by
// table, and sent in one transaction per batch of families. No Fluent models, no binds per value: a million
// families are some 60 million rows.

/// An id the seeder makes itself: time-ordered like a UUIDv7 (the high half counts up from the run's start), so
/// every primary-key and foreign-key index is appended to at its end instead of being written all over; the low
/// half is random, so ids of two runs never meet.
struct SyntheticID: Hashable, Sendable {
    var hi: UInt64
    var lo: UInt64

    var uuid: UUID {
        let h = hi.bigEndian, l = lo.bigEndian
        return withUnsafeBytes(of: (h, l)) { raw in
            let b = Array(raw)
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
    }

    init(hi: UInt64, lo: UInt64) {
        self.hi = hi
        self.lo = lo
    }

    init(_ uuid: UUID) {
        let u = uuid.uuid
        hi = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7].reduce(0) { $0 << 8 | UInt64($1) }
        lo = [u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15].reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Hands out `SyntheticID`s: 48 bits of milliseconds at the run's start plus a counter, version 8 (custom), the
/// RFC 4122 variant, 62 random bits.
struct SyntheticIDs: Sendable {
    private var next: UInt64
    private var random: SplitMix64

    init(startMilliseconds: UInt64, seed: UInt64) {
        // A 60-bit count: the start's milliseconds (41 bits until the year 2039, 42 after) above 18 bits of counter.
        next = (startMilliseconds & 0x3_FFFF_FFFF_FF) << 18
        random = SplitMix64(seed: seed ^ 0x5EED_1D5)
    }

    mutating func make() -> SyntheticID {
        next &+= 1
        // Its top 48 bits, the version nibble (8: custom), its low 12 bits: the high half grows with the count.
        let hi = (next >> 12) << 16 | 0x8000 | (next & 0xFFF)
        let lo = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return SyntheticID(hi: hi, lo: lo)
    }
}

/// Days as plain integers (days since 1970-01-01), with their ISO text made once.
enum SyntheticDays {
    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    static func day(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func day(_ date: CalendarDate) -> Int { day(date.year, date.month, date.day) }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func year(_ days: Int) -> Int { civil(days).year }

    /// 0 Monday … 6 Sunday.
    static func weekday(_ days: Int) -> Int { ((days + 3) % 7 + 7) % 7 }

    /// The ISO text (`YYYY-MM-DD`) of every day from 1900 to 2200, made on first use.
    private static let first = day(1900, 1, 1)
    private static let table: [[UInt8]] = (first...day(2200, 12, 31)).map { days in
        let (y, m, d) = civil(days)
        return Array(String(format: "%04d-%02d-%02d", y, m, d).utf8)
    }

    static func isoBytes(_ days: Int) -> [UInt8] { table[days - first] }
    static func iso(_ days: Int) -> String { String(decoding: table[days - first], as: UTF8.self) }
}

/// The family list's JSON (`FamilyListJSON`), written by the seeder itself: the same object the database builds
/// (`FamilyDTO`'s keys, null values left out, ids in upper case, times as ISO 8601 seconds), made from the values it
/// writes, so no family has to be read back. `SyntheticSeedTests` compares it with the database's own query and
/// with `FamilyDTO`, on both databases.
struct SyntheticJSON {
    private(set) var text = "{"
    private var first = true

    static func quoted(_ value: String) -> String { JSONText.quoted(value) }

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"\(name)\":"
    }

    mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        text += Self.quoted(value)
    }

    mutating func id(_ name: String, _ value: SyntheticID?) { string(name, value?.uuid.uuidString) }

    mutating func int(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        text += String(value)
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    mutating func strings(_ name: String, _ values: [String]) {
        key(name)
        text += "[" + values.map(Self.quoted).joined(separator: ",") + "]"
    }

    mutating func raw(_ name: String, _ json: String) {
        key(name)
        text += json
    }

    mutating func time(_ name: String, _ seconds: Int) {
        let days = seconds / 86_400, rest = seconds % 86_400
        string(name, SyntheticDays.iso(days) + String(format: "T%02d:%02d:%02dZ", rest / 3600, rest / 60 % 60, rest % 60))
    }

    mutating func day(_ name: String, _ days: Int?) { string(name, days.map(SyntheticDays.iso)) }

    var object: String { text + "}" }
}

/// The tables the seeder writes, in the order they are loaded (every foreign key points up the list).
enum SyntheticTable: Int, CaseIterable, Sendable {
    case families, members, familyLanguages, familySituations, spokenLanguages, readLanguages, listKeys, listJSON, plans
    case screenings, screeningProvisions, needs, contacts, signals, consents, consentCategories
    case groupSeries, groupSessions
    case referrals, referralEvents, referralMembers, referralNeeds, referralSharedFields, waitingList, waitingMembers
    case participants, attendance, invitees
    case evaluations, evaluationCounts, facilitatorEvaluations

    var name: String {
        switch self {
        case .families: "families"
        case .members: "family_members"
        case .familyLanguages: "family_languages"
        case .familySituations: "family_situations"
        case .spokenLanguages: "member_spoken_languages"
        case .readLanguages: "member_read_languages"
        case .listKeys: "family_list_keys"
        case .listJSON: "family_list_json"
        case .plans: "family_plans"
        case .screenings: "screenings"
        case .screeningProvisions: "screening_provisions"
        case .needs: "family_needs"
        case .contacts: "contact_moments"
        case .signals: "family_signals"
        case .consents: "consents"
        case .consentCategories: "consent_data_categories"
        case .groupSeries: "group_series"
        case .groupSessions: "group_sessions"
        case .referrals: "referrals"
        case .referralEvents: "referral_events"
        case .referralMembers: "referral_members"
        case .referralNeeds: "referral_needs"
        case .referralSharedFields: "referral_shared_fields"
        case .waitingList: "group_waiting_list"
        case .waitingMembers: "group_waiting_members"
        case .participants: "group_participants"
        case .attendance: "group_attendance"
        case .invitees: "group_invitees"
        case .evaluations: "group_evaluations"
        case .evaluationCounts: "group_evaluation_counts"
        case .facilitatorEvaluations: "group_facilitator_evaluations"
        }
    }

    /// The columns in the order the generator writes them.
    var columns: [String] {
        switch self {
        case .families:
            ["id", "version", "reference", "name", "address", "postcode", "contact_preference", "search_text", "status",
             "closed_reason", "municipality_id", "case_manager_id", "key_person_id", "social_worker_id", "created_at", "updated_at",
             "profile_origin", "profile_language"]
        case .members:
            ["id", "version", "role", "given_name", "family_name", "gender", "birth_date", "birth_year", "country_of_origin",
             "dutch_level", "arrival_date", "settlement_date", "school_or_childcare", "position", "family_id", "municipality_id",
             "created_at", "updated_at"]
        case .familyLanguages, .familySituations: ["family_id", "code", "position"]
        case .spokenLanguages, .readLanguages: ["member_id", "code", "position"]
        case .listKeys: ["family_id", "kind", "code", "municipality_id", "name"]
        case .listJSON: ["family_id", "version", "updated_at", "json", "json_bsn"]
        case .plans: ["id", "family_id", "municipality_id", "data", "version", "updated_at", "phase", "welcomed_on"]
        case .screenings:
            ["id", "family_id", "municipality_id", "member_id", "instrument_version", "occasion", "conducted_on", "answers",
             "by_user_id", "by_name", "created_at"]
        case .screeningProvisions: ["screening_id", "code", "known", "used", "family_id", "municipality_id"]
        case .needs:
            ["id", "family_id", "municipality_id", "theme", "priority", "source", "raised_by_member_id", "status", "version",
             "created_at", "updated_at"]
        case .contacts:
            ["id", "family_id", "municipality_id", "at", "by_user_id", "by_name", "mode", "member_id", "language", "interpreter",
             "created_at"]
        case .signals:
            ["id", "family_id", "municipality_id", "kind", "text", "raised_by_user_id", "raised_by_name", "raised_by_role",
             "status", "handled_by", "handled_at", "created_at"]
        case .consents:
            ["id", "version", "purpose", "given_by", "given_on", "family_id", "municipality_id", "organisation_id",
             "recorded_by_id", "created_at"]
        case .consentCategories: ["consent_id", "code", "position"]
        case .groupSeries:
            ["id", "version", "language", "interpreter", "audience", "min_size", "max_size", "place", "location", "time_of_day",
             "childcare", "starts_on", "ends_on", "status", "municipality_id", "offer_id", "trainer_id", "key_person_id",
             "created_at", "updated_at"]
        case .groupSessions:
            ["id", "version", "date", "starts_at", "ends_at", "topic", "childcare_headcount", "series_id", "created_at", "updated_at"]
        case .referrals:
            ["id", "version", "status", "status_changed_at", "clock_on", "sent_on", "closed_on", "reason", "language",
             "interpreter_needed", "expected_on", "planned_on", "planned_time", "handover_happened", "accompanied",
             "first_contact_on", "outcome", "closing_reason", "chased_at", "municipality_id", "family_id", "lead_id",
             "referred_by_id", "offer_id", "organisation_id", "consent_id", "companion_id", "created_at", "updated_at", "decline_reason"]
        case .referralEvents:
            ["id", "referral_id", "municipality_id", "at", "by_id", "by_name", "by_role", "kind", "from_status", "to_status",
             "note", "detail"]
        case .referralMembers: ["referral_id", "member_id", "position"]
        case .referralNeeds: ["referral_id", "need_id", "position"]
        case .referralSharedFields: ["referral_id", "code", "position"]
        case .waitingList:
            ["id", "municipality_id", "offer_id", "family_id", "referral_id", "language", "since", "status", "updated_at"]
        case .waitingMembers: ["entry_id", "member_id", "position"]
        case .participants:
            ["id", "version", "source", "invitation", "status", "drop_out_reason", "series_id", "municipality_id", "family_id",
             "member_id", "waiting_entry_id", "created_at", "updated_at"]
        case .attendance: ["id", "status", "children_brought", "session_id", "participant_id", "updated_at"]
        case .invitees: ["id", "language", "since", "status", "municipality_id", "offer_id", "family_id", "member_id", "updated_at"]
        case .evaluations:
            ["id", "version", "token", "status", "responses", "opened_on", "closed_on", "series_id", "municipality_id", "offer_id"]
        case .evaluationCounts: ["evaluation_id", "question", "answer", "source", "count"]
        case .facilitatorEvaluations:
            ["id", "version", "role", "went_well", "to_change", "attendance", "rating", "written_on", "series_id", "author_id"]
        }
    }
}

/// How rows are spelled for the database at hand.
enum SyntheticDialect: Sendable {
    /// `COPY … FROM STDIN (FORMAT text)`: tab-separated, `\N` for null, backslash escapes.
    case postgres
    /// `INSERT INTO … VALUES (…),(…)`: SQL literals; ids as the upper-case text SQLite's driver binds; times as the
    /// seconds (REAL) Fluent writes.
    case sqlite
}

/// One batch of rows for every table, encoded as they are written.
struct SyntheticBatch: Sendable {
    struct Table: Sendable {
        /// Rows of the statement being filled (SQLite) or of the whole copy (PostgreSQL).
        var bytes: [UInt8] = []
        /// SQLite: finished `VALUES` lists, one statement each.
        var statements: [[UInt8]] = []
        var rows = 0
        var rowsInStatement = 0
    }

    /// SQLite: rows per `INSERT` statement.
    static let rowsPerStatement = 500

    let dialect: SyntheticDialect
    var tables: [Table]
    /// The families of the batch, for the stored list JSON.
    var familyIDs: [UUID] = []
    private var table = 0
    private var field = 0
    private var columns = 0

    init(dialect: SyntheticDialect) {
        self.dialect = dialect
        tables = Array(repeating: Table(), count: SyntheticTable.allCases.count)
    }

    var rowCount: Int { tables.reduce(0) { $0 + $1.rows } }
    func rows(_ t: SyntheticTable) -> Int { tables[t.rawValue].rows }

    // MARK: rows

    mutating func begin(_ t: SyntheticTable) {
        table = t.rawValue
        field = 0
        columns = t.columns.count
        if dialect == .sqlite {
            if tables[table].rowsInStatement > 0 { put(UInt8(ascii: ",")) }
            put(UInt8(ascii: "("))
        }
    }

    mutating func end() {
        precondition(field == columns, "\(SyntheticTable(rawValue: table)!.name): \(field) values for \(columns) columns")
        tables[table].rows += 1
        switch dialect {
        case .postgres:
            put(UInt8(ascii: "\n"))
        case .sqlite:
            put(UInt8(ascii: ")"))
            tables[table].rowsInStatement += 1
            if tables[table].rowsInStatement >= Self.rowsPerStatement { finishStatement(table) }
        }
    }

    private mutating func finishStatement(_ index: Int) {
        guard tables[index].rowsInStatement > 0 else { return }
        tables[index].statements.append(tables[index].bytes)
        tables[index].bytes.removeAll(keepingCapacity: true)
        tables[index].rowsInStatement = 0
    }

    /// Closes the open SQLite statements (before the batch is written).
    mutating func finish() {
        if dialect == .sqlite { for index in tables.indices { finishStatement(index) } }
    }

    @inline(__always) private mutating func put(_ byte: UInt8) { tables[table].bytes.append(byte) }
    @inline(__always) private mutating func put(_ bytes: [UInt8]) { tables[table].bytes.append(contentsOf: bytes) }

    @inline(__always) private mutating func separate() {
        if field > 0 { put(dialect == .postgres ? UInt8(ascii: "\t") : UInt8(ascii: ",")) }
        field += 1
    }

    mutating func null() {
        separate()
        if dialect == .postgres { put(UInt8(ascii: "\\")); put(UInt8(ascii: "N")) } else { put(Self.nullWord) }
    }
    private static let nullWord = Array("NULL".utf8)

    mutating func text(_ value: String) {
        separate()
        switch dialect {
        case .postgres:
            var plain = true
            for byte in value.utf8 where byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D { plain = false; break }
            if plain { tables[table].bytes.append(contentsOf: value.utf8); return }
            for byte in value.utf8 {
                switch byte {
                case 0x5C: put(0x5C); put(0x5C)
                case 0x09: put(0x5C); put(UInt8(ascii: "t"))
                case 0x0A: put(0x5C); put(UInt8(ascii: "n"))
                case 0x0D: put(0x5C); put(UInt8(ascii: "r"))
                default: put(byte)
                }
            }
        case .sqlite:
            put(UInt8(ascii: "'"))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "'") { put(byte) }
                put(byte)
            }
            put(UInt8(ascii: "'"))
        }
    }

    mutating func text(_ value: String?) { if let value { text(value) } else { null() } }

    mutating func int(_ value: Int) {
        separate()
        tables[table].bytes.append(contentsOf: String(value).utf8)
    }

    mutating func int(_ value: Int?) { if let value { int(value) } else { null() } }

    mutating func bool(_ value: Bool) {
        separate()
        switch dialect {
        case .postgres: put(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .sqlite: put(value ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        }
    }

    mutating func bool(_ value: Bool?) { if let value { bool(value) } else { null() } }

    private static let hex = Array("0123456789ABCDEF".utf8)

    mutating func id(_ value: SyntheticID) {
        separate()
        if dialect == .sqlite { put(UInt8(ascii: "'")) }
        var out = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for word in [value.hi, value.lo] {
            for nibble in 0..<16 {
                if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
                out[position] = Self.hex[Int(word >> UInt64(60 - 4 * nibble) & 0xF)]
                position += 1
            }
        }
        put(out)
        if dialect == .sqlite { put(UInt8(ascii: "'")) }
    }

    mutating func id(_ value: SyntheticID?) { if let value { id(value) } else { null() } }

    /// A day as ISO text (`YYYY-MM-DD`).
    mutating func day(_ days: Int) {
        separate()
        if dialect == .sqlite { put(UInt8(ascii: "'")) }
        put(SyntheticDays.isoBytes(days))
        if dialect == .sqlite { put(UInt8(ascii: "'")) }
    }

    mutating func day(_ days: Int?) { if let days { day(days) } else { null() } }

    /// A moment, in seconds since 1970 (UTC): a `timestamptz` on PostgreSQL, REAL seconds on SQLite (as Fluent).
    mutating func time(_ seconds: Int) {
        separate()
        switch dialect {
        case .postgres:
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let rest = seconds - days * 86_400
            put(SyntheticDays.isoBytes(days))
            put(UInt8(ascii: " "))
            for (index, part) in [rest / 3600, rest / 60 % 60, rest % 60].enumerated() {
                if index > 0 { put(UInt8(ascii: ":")) }
                put(UInt8(ascii: "0") + UInt8(part / 10))
                put(UInt8(ascii: "0") + UInt8(part % 10))
            }
            put(Self.utc)
        case .sqlite:
            tables[table].bytes.append(contentsOf: String(seconds).utf8)
            put(Self.pointZero)
        }
    }
    private static let utc = Array("+00".utf8)
    private static let pointZero = Array(".0".utf8)

    mutating func time(_ seconds: Int?) { if let seconds { time(seconds) } else { null() } }

    /// A list of codes (or ids) in a join table: one row per value, in order, each once.
    mutating func codes(_ t: SyntheticTable, owner: SyntheticID, _ values: [String]) {
        var seen = Set<String>()
        for value in values where seen.insert(value).inserted {
            begin(t); id(owner); text(value); int(seen.count - 1); end()
        }
    }

    mutating func ids(_ t: SyntheticTable, owner: SyntheticID, _ values: [SyntheticID]) {
        var seen = Set<SyntheticID>()
        for value in values where seen.insert(value).inserted {
            begin(t); id(owner); id(value); int(seen.count - 1); end()
        }
    }
}

/// Seconds spent per table (and in the list JSON), printed by `seed synthetic` when `WEGWIJS_SEED_PROFILE=1`.
final class SyntheticProfile: @unchecked Sendable {
    static let shared = SyntheticProfile()
    private let lock = NSLock()
    private var seconds: [String: Double] = [:]

    func add(_ name: String, since start: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - start).inSeconds
        lock.withLock { seconds[name, default: 0] += elapsed }
    }

    var report: String {
        lock.withLock { seconds.sorted { $0.value > $1.value }.map { "\($0.key) \(String(format: "%.1f", $0.value)) s" }.joined(separator: ", ") }
    }
}

/// Writes batches on the connection of a transaction.
enum SyntheticWriter {
    static func write(_ batch: SyntheticBatch, on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { throw ConfigError("seed synthetic needs an SQL database") }
        switch batch.dialect {
        case .postgres:
            guard let postgres = tx as? any PostgresDatabase else { throw ConfigError("seed synthetic: not a PostgreSQL connection") }
            // The transaction's own connection (a transaction holds exactly one).
            let connection: PostgresConnection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
            for table in SyntheticTable.allCases where batch.tables[table.rawValue].rows > 0 {
                let bytes = batch.tables[table.rawValue].bytes
                let start = ContinuousClock.now
                defer { SyntheticProfile.shared.add(table.name, since: start) }
                try await connection.copyFrom(table: table.name, columns: table.columns, logger: tx.logger) { writer in
                    var offset = 0
                    while offset < bytes.count {
                        let end = min(offset + (1 << 20), bytes.count)
                        var buffer = ByteBufferAllocator().buffer(capacity: end - offset)
                        buffer.writeBytes(bytes[offset..<end])
                        try await writer.write(buffer)
                        offset = end
                    }
                }
            }
        case .sqlite:
            for table in SyntheticTable.allCases where batch.tables[table.rawValue].rows > 0 {
                let prefix = "INSERT INTO \"\(table.name)\" (" + table.columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
                let start = ContinuousClock.now
                defer { SyntheticProfile.shared.add(table.name, since: start) }
                for statement in batch.tables[table.rawValue].statements {
                    try await sql.raw("\(unsafeRaw: prefix + String(decoding: statement, as: UTF8.self))").run()
                }
            }
        }
    }
}
