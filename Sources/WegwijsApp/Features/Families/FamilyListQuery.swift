import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// The family list, read with plain SQL. The list is the most-used screen and the busiest API route; Fluent's
/// reflection-based decoding of 25 families and their members cost more than the whole rest of the request.
/// The rows are read column by column into the same `Family` and `Member` models the rest of the code uses.
struct FamilyListQuery {
    let sql: any SQLDatabase
    let staff: StaffIdentity
    let filter: FamilyFilter

    /// Who may be listed at all: the staff member's scope (the same rules as `FamilyAccess.scope`).
    private var scopeConditions: [SQLQueryString] {
        var parts: [SQLQueryString] = ["municipality_id = \(bind: staff.municipalityID)"]
        switch FamilyAccess.listScope(staff) {
        case .municipality: break
        case .keyPerson(let id): parts.append("key_person_id = \(bind: id)")
        case .socialWorker(let id): parts.append("social_worker_id = \(bind: id)")
        case .none: parts.append("1 = 0")
        }
        return parts
    }

    /// The WHERE clause: the scope, then the filters.
    private var conditions: [SQLQueryString] {
        var parts = scopeConditions
        if let name = filter.name?.trimmed.lowercased(), !name.isEmpty {
            parts.append("search_text LIKE \(bind: "%" + Self.escapeLike(name) + "%") ESCAPE '!'")
        }
        if let language = filter.language?.nilIfEmpty {
            parts.append(CodeTables.familyLanguages.contains(language, ownerColumn: "families.id"))
        }
        if let situation = filter.situation?.nilIfEmpty {
            parts.append(CodeTables.familySituations.contains(situation, ownerColumn: "families.id"))
        }
        if let status = filter.status?.nilIfEmpty { parts.append("status = \(bind: status)") }
        if filter.mine == true {
            parts.append("(case_manager_id = \(bind: staff.userID) OR key_person_id = \(bind: staff.userID) OR social_worker_id = \(bind: staff.userID))")
        }
        return parts
    }

    private static func and(_ parts: [SQLQueryString]) -> SQLQueryString {
        parts.dropFirst().reduce(parts[0]) { "\($0) AND \($1)" }
    }

    private var whereClause: SQLQueryString { Self.and(conditions) }

    /// Every match; only asked for with `count=true` (and by the web list), as it reads every matching row.
    func count() async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM families WHERE \(whereClause)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// One page in the order `name, id`, read straight off the index `(municipality_id[, key person], name, id)`:
    /// one row more than the page tells whether there is a next one, so nothing is counted. With `after` the page
    /// starts behind that family (keyset: no rows skipped, however deep); the family must be in the viewer's scope.
    func page(_ page: PageRequest) async throws -> (households: [FamilyService.Household], hasMore: Bool) {
        var condition = whereClause
        if let after = page.after {
            let cursorScope = Self.and(scopeConditions + ["id = \(bind: after)"])
            guard let cursor = try await sql.raw("SELECT name, id FROM families WHERE \(cursorScope)").first() else {
                throw AppError.badField("after", "must be an id from the list")
            }
            let name = try cursor.decode(column: "name", as: String.self)
            condition = "\(condition) AND (name > \(bind: name) OR (name = \(bind: name) AND id > \(bind: after)))"
        }
        var rows = try await sql.raw("""
            SELECT id, version, reference, name, address, postcode, contact_preference,
                   status, closed_reason, municipality_id, case_manager_id, key_person_id, social_worker_id,
                   created_at, updated_at
            FROM families WHERE \(condition)
            ORDER BY name, id LIMIT \(bind: page.per + 1) OFFSET \(bind: page.offset)
            """).all()
        let hasMore = rows.count > page.per
        if hasMore { rows.removeLast() }
        let families = try rows.map(Self.family)
        guard !families.isEmpty else { return ([], false) }
        let ids = families.compactMap(\.id)
        let memberRows = try await sql.select()
            .columns("id", "version", "role", "given_name", "family_name", "gender", "birth_date", "birth_year",
                     "country_of_origin", "dutch_level", "arrival_date",
                     "settlement_date", "school_or_childcare", "bsn", "position", "family_id", "municipality_id",
                     "created_at", "updated_at")
            .from(Member.schema)
            .where("family_id", .in, ids)
            .orderBy("family_id").orderBy("position")
            .all()
        let memberList = try memberRows.map(Self.member)
        try await FamilyCodes.load(families, members: memberList, on: sql)
        let members = Dictionary(grouping: memberList, by: { $0.$family.id })
        return (families.map { ($0, members[$0.id!] ?? []) }, hasMore)
    }

    private static func family(_ row: any SQLRow) throws -> Family {
        let family = Family()
        family.id = try row.decode(column: "id", as: UUID.self)
        family.version = try row.decode(column: "version", as: Int.self)
        family.reference = try row.decode(column: "reference", as: String.self)
        family.name = try row.decode(column: "name", as: String.self)
        family.address = try row.optional("address")
        family.postcode = try row.optional("postcode")
        family.contactPreference = try row.optional("contact_preference")
        family.status = try row.decode(column: "status", as: FamilyStatus.self)
        family.closedReason = try row.optional("closed_reason")
        family.$municipality.id = try row.decode(column: "municipality_id", as: UUID.self)
        family.$caseManager.id = try row.optional("case_manager_id")
        family.$keyPerson.id = try row.optional("key_person_id")
        family.$socialWorker.id = try row.optional("social_worker_id")
        family.createdAt = try row.optional("created_at")
        family.updatedAt = try row.optional("updated_at")
        return family
    }

    private static func member(_ row: any SQLRow) throws -> Member {
        let member = Member()
        member.id = try row.decode(column: "id", as: UUID.self)
        member.version = try row.decode(column: "version", as: Int.self)
        member.role = try row.decode(column: "role", as: MemberRole.self)
        member.givenName = try row.decode(column: "given_name", as: String.self)
        member.familyName = try row.optional("family_name")
        member.gender = try row.optional("gender")
        member.birthDate = try row.optional("birth_date")
        member.birthYear = try row.optional("birth_year")
        member.countryOfOrigin = try row.optional("country_of_origin")
        member.dutchLevel = try row.optional("dutch_level")
        member.arrivalDate = try row.optional("arrival_date")
        member.settlementDate = try row.optional("settlement_date")
        member.schoolOrChildcare = try row.optional("school_or_childcare")
        member.bsn = try row.optional("bsn")
        member.position = try row.decode(column: "position", as: Int.self)
        member.$family.id = try row.decode(column: "family_id", as: UUID.self)
        member.$municipality.id = try row.decode(column: "municipality_id", as: UUID.self)
        member.createdAt = try row.optional("created_at")
        member.updatedAt = try row.optional("updated_at")
        return member
    }

    /// `LIKE` treats `%` and `_` as wildcards; a name containing them is searched for literally.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "!" { out.append("!") }
            out.append(character)
        }
        return out
    }
}

extension SQLRow {
    /// A nullable column: nil for SQL NULL, otherwise the value.
    func optional<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}

/// A page of the family list: the families with their members, whether more follow, and the total when counted.
struct FamilyListResult {
    let items: [FamilyService.Household]
    let hasMore: Bool
    let total: Int?
    /// The `after` value for the next page.
    var next: UUID? { hasMore ? items.last?.family.id : nil }
}

extension FamilyService {
    /// The family list: the access check and the filters' validation, one page read, and one audit entry that
    /// names every family shown. Nothing is remembered between requests: a write (here or on another server) shows
    /// at once.
    func listPage(filter: FamilyFilter, page: PageRequest) async throws -> FamilyListResult {
        let query = try listQuery(filter)
        let (items, hasMore) = try await query.page(page)
        let total = page.count ? try await query.count() : nil
        try await audit.record([AuditEvent.list("family.list", families: items.compactMap(\.family.id))],
                               by: AuditSubject(staff), on: db)
        return FamilyListResult(items: items, hasMore: hasMore, total: total)
    }

    /// The list with its total (the web list shows the number of families and its pages).
    func list(filter: FamilyFilter, page: PageRequest) async throws -> (items: [Household], total: Int) {
        var counted = page
        counted.count = true
        let result = try await listPage(filter: filter, page: counted)
        return (result.items, result.total ?? 0)
    }

    private func listQuery(_ filter: FamilyFilter) throws -> FamilyListQuery {
        try FamilyAccess.requireRead(staff)
        let errors = filter.validate()
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        guard let sql = db as? any SQLDatabase else {
            throw AppError(status: .internalServerError, code: "database-unsupported", message: "Wegwijs needs an SQL database.")
        }
        return FamilyListQuery(sql: sql, staff: staff, filter: filter)
    }
}

extension AuditEvent {
    /// One entry for a whole list request (NEN 7513 asks who saw which client, when and why, not one row per row
    /// shown): the families shown by id, in the order shown, in `detail` (ids are not personal data). A list that
    /// showed nobody is recorded too: its filters were asked.
    static func list(_ action: String, families: [UUID]) -> AuditEvent {
        AuditEvent(action: action, detail: "shown=\(families.count)"
                   + (families.isEmpty ? "" : " families=" + families.map(\.uuidString).joined(separator: ",")))
    }
}

/// Indexes that fit the lists as they are read without page caches: each list walks one index in its page order
/// and stops after one row more than the page (see `FamilyListQuery.page` and the referral lists).
struct AddListIndexes: AsyncMigration {
    static let indexes = [
        // A key person's and a social worker's families, by name: the scope is the index prefix.
        "CREATE INDEX families_key_person_name ON families (key_person_id, municipality_id, name, id)",
        "CREATE INDEX families_social_worker_name ON families (social_worker_id, municipality_id, name, id)",
        // The status filter (active / closed), by name.
        "CREATE INDEX families_status_name ON families (municipality_id, status, name, id)",
        // The companion's part of the worklist, by planned date; the municipality's referrals, newest change first.
        "CREATE INDEX referrals_companion_planned ON referrals (companion_id, status, planned_on, id)",
        "CREATE INDEX referrals_municipality_changed ON referrals (municipality_id, status_changed_at, id)",
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes { try await sql.raw(SQLQueryString(index)).run() }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            let name = index.split(separator: " ")[2]
            try await sql.raw("DROP INDEX \(unsafeRaw: String(name))").run()
        }
    }
}
