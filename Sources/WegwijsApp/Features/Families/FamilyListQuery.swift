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
        var parts: [SQLQueryString] = ["families.municipality_id = \(bind: staff.municipalityID)"]
        switch FamilyAccess.listScope(staff) {
        case .municipality: break
        case .keyPerson(let id): parts.append("families.key_person_id = \(bind: id)")
        case .socialWorker(let id): parts.append("families.social_worker_id = \(bind: id)")
        case .none: parts.append("1 = 0")
        }
        return parts
    }

    /// The search words of the name filter (`NameTokens`): each must start one of the family's name tokens, or
    /// find one of its name keys (`NameKey`: the same name in another spelling or script).
    private var nameWords: [String] { NameTokens.searchWords(of: filter.name ?? "") }

    /// Where a page starts reading: the families' own indexes, or the list keys of one filter, whichever reads
    /// fewer rows that do not match. A name word is the most selective, then a language or a situation.
    private enum Walk {
        /// `families` in name order (`families_municipality_name`, or the key person's, the social worker's or
        /// the status index).
        case families
        /// The keys equal to one of `keys`, in name order (`family_list_keys_lookup`).
        case keys([FamilyListKeys.Key])
        /// More name tokens start with the word than are worth reading one by one: the token range, sorted, and
        /// the keys beside it (the word's name key).
        case nameRange(String, also: [FamilyListKeys.Key])
        /// A name word that starts no token at all: nobody matches.
        case nothing
    }

    /// At most this many distinct tokens are read one by one for a name word (each in name order, then merged);
    /// a shorter, commoner word reads its whole key range and sorts it.
    private static let tokensReadOneByOne = 8

    private func walk() async throws -> (Walk, usedWord: String?) {
        // A name of punctuation only ("%", "-") has no word to find: nobody, rather than everybody.
        if nameWords.isEmpty, filter.name?.trimmed.nilIfEmpty != nil { return (.nothing, nil) }
        if let word = nameWords.max(by: { $0.count < $1.count }) {
            let tokens = try await codes(.name, startingWith: word, limit: Self.tokensReadOneByOne + 1)
            // The name keys the word finds (its variants in other spellings and scripts).
            var variants: [String] = []
            if let match = FamilyListKeys.NameKeyMatch(word: word) { variants = try await codes(.nameKey, equalTo: match.key) }
            if tokens.isEmpty && variants.isEmpty { return (.nothing, word) }
            let keys = variants.map { FamilyListKeys.Key(kind: .nameKey, code: $0) }
            if tokens.count > Self.tokensReadOneByOne { return (.nameRange(word, also: keys), word) }
            return (.keys(tokens.map { FamilyListKeys.Key(kind: .name, code: $0) } + keys), word)
        }
        if let language = filter.language?.nilIfEmpty { return (.keys([.init(kind: .language, code: language)]), nil) }
        if let situation = filter.situation?.nilIfEmpty { return (.keys([.init(kind: .situation, code: situation)]), nil) }
        return (.families, nil)
    }

    /// The one code of `kind` equal to `code` in the municipality, if any family has it.
    private func codes(_ kind: FamilyListKeys.Kind, equalTo code: String) async throws -> [String] {
        let row = try await sql.raw("""
            SELECT code FROM family_list_keys
            WHERE municipality_id = \(bind: staff.municipalityID) AND kind = \(bind: kind.rawValue) AND code = \(bind: code) LIMIT 1
            """).first()
        return row == nil ? [] : [code]
    }

    /// The distinct codes of `kind` of the municipality starting with `word`, in order: one index seek each.
    private func codes(_ kind: FamilyListKeys.Kind, startingWith word: String, limit: Int) async throws -> [String] {
        let upper = NameTokens.upperBound(ofPrefix: word)
        var found: [String] = []
        var lower: SQLQueryString = "code >= \(bind: word)"
        while found.count < limit {
            guard let row = try await sql.raw("""
                SELECT code FROM family_list_keys
                WHERE municipality_id = \(bind: staff.municipalityID) AND kind = \(bind: kind.rawValue) AND \(lower) AND code < \(bind: upper)
                ORDER BY code LIMIT 1
                """).first() else { break }
            let token = try row.decode(column: "code", as: String.self)
            found.append(token)
            lower = "code > \(bind: token)"
        }
        return found
    }

    /// The WHERE clause on `families`: the scope, then every filter except the one the walk reads from.
    private func conditions(walkedWord: String?, walk: Walk) -> [SQLQueryString] {
        var parts = scopeConditions
        var skippedWord = false
        for word in nameWords {
            if word == walkedWord, !skippedWord { skippedWord = true; continue }
            parts.append(FamilyListKeys.hasName(matching: word))
        }
        func walks(_ kind: FamilyListKeys.Kind) -> Bool {
            if case .keys(let keys) = walk { return keys.first?.kind == kind }
            return false
        }
        if let language = filter.language?.nilIfEmpty, !walks(.language) { parts.append(FamilyListKeys.has(.language, language)) }
        if let situation = filter.situation?.nilIfEmpty, !walks(.situation) { parts.append(FamilyListKeys.has(.situation, situation)) }
        if let status = filter.status?.nilIfEmpty { parts.append("families.status = \(bind: status)") }
        if let theme = filter.openNeed?.nilIfEmpty { parts.append(Need.openQuestion(on: theme, ofFamily: "families.id")) }
        if let language = filter.parentLanguage?.nilIfEmpty { parts.append("families.profile_language = \(bind: language)") }
        if filter.mine == true {
            parts.append("""
                (families.case_manager_id = \(bind: staff.userID) OR families.key_person_id = \(bind: staff.userID) \
                OR families.social_worker_id = \(bind: staff.userID))
                """)
        }
        return parts
    }

    private static func and(_ parts: [SQLQueryString]) -> SQLQueryString {
        parts.dropFirst().reduce(parts[0]) { "\($0) AND \($1)" }
    }

    /// Every match; only asked for with `count=true` (and by the web list), as it reads every matching row.
    func count() async throws -> Int {
        let all = conditions(walkedWord: nil, walk: .families)
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM families WHERE \(Self.and(all))").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    private static let familyColumns = """
        families.id, families.version, families.reference, families.name, families.address, families.postcode,
        families.contact_preference, families.status, families.closed_reason, families.municipality_id,
        families.case_manager_id, families.key_person_id, families.social_worker_id, families.created_at,
        families.updated_at
        """

    /// One page in the order `name, id`, read straight off an index in that order (see `Walk`): one row more than
    /// the page tells whether there is a next one, so nothing is counted. With `after` the page starts behind that
    /// family (keyset: no rows skipped, however deep); the family must be in the viewer's scope.
    /// Only the ids: the API writes the page's JSON in the database (`FamilyListJSON`), the web list reads models.
    func pageIDs(_ page: PageRequest) async throws -> (ids: [UUID], hasMore: Bool) {
        var cursor: (name: String, id: UUID)?
        if let after = page.after {
            let cursorScope = Self.and(scopeConditions + ["families.id = \(bind: after)"])
            guard let row = try await sql.raw("SELECT name FROM families WHERE \(cursorScope)").first() else {
                throw AppError.badField("after", "must be an id from the list")
            }
            cursor = (try row.decode(column: "name", as: String.self), after)
        }
        /// `(name, id)` after the cursor, for the table whose columns are `name` and `id`.
        func behindCursor(name: String, id: String) -> [SQLQueryString] {
            guard let cursor else { return [] }
            return ["(\(unsafeRaw: name) > \(bind: cursor.name) OR (\(unsafeRaw: name) = \(bind: cursor.name) AND \(unsafeRaw: id) > \(bind: cursor.id)))"]
        }
        let (walk, word) = try await walk()
        let conditions = conditions(walkedWord: word, walk: walk)
        let window = page.per + 1
        var rows: [any SQLRow]
        switch walk {
        case .nothing:
            return ([], false)
        case .families:
            let condition = Self.and(conditions + behindCursor(name: "families.name", id: "families.id"))
            rows = try await sql.raw("""
                SELECT families.id FROM families WHERE \(condition)
                ORDER BY families.name, families.id LIMIT \(bind: window) OFFSET \(bind: page.offset)
                """).all()
        case .keys(let keys) where keys.count == 1:
            // The keys first (CROSS JOIN keeps SQLite from walking the families instead), in their name order.
            let condition = Self.and(["k.municipality_id = \(bind: staff.municipalityID)", "k.kind = \(bind: keys[0].kind.rawValue)",
                                      "k.code = \(bind: keys[0].code)", "families.id = k.family_id"]
                                     + conditions + behindCursor(name: "k.name", id: "k.family_id"))
            rows = try await sql.raw("""
                SELECT families.id FROM family_list_keys k CROSS JOIN families WHERE \(condition)
                ORDER BY k.name, k.family_id LIMIT \(bind: window) OFFSET \(bind: page.offset)
                """).all()
        case .keys, .nameRange:
            // Several tokens: each one's first `offset + window` families hold the page's (a family in the page is
            // among the first of every token it has); the families table orders the union.
            func equal(_ key: FamilyListKeys.Key) -> SQLQueryString { "k.kind = \(bind: key.kind.rawValue) AND k.code = \(bind: key.code)" }
            var keyConditions: [SQLQueryString]
            switch walk {
            case .keys(let keys): keyConditions = keys.map(equal)
            case .nameRange(let word, let also):
                keyConditions = ["k.kind = 'name' AND k.code >= \(bind: word) AND k.code < \(bind: NameTokens.upperBound(ofPrefix: word))"]
                    + also.map(equal)
            default: keyConditions = []
            }
            var candidates = Set<UUID>()
            for keyCondition in keyConditions {
                let condition = Self.and(["k.municipality_id = \(bind: staff.municipalityID)", keyCondition, "families.id = k.family_id"]
                                         + conditions + behindCursor(name: "k.name", id: "k.family_id"))
                let ids = try await sql.raw("""
                    SELECT DISTINCT k.name, k.family_id FROM family_list_keys k CROSS JOIN families WHERE \(condition)
                    ORDER BY k.name, k.family_id LIMIT \(bind: page.offset + window)
                    """).all()
                for row in ids { candidates.insert(try row.decode(column: "family_id", as: UUID.self)) }
            }
            guard !candidates.isEmpty else { return ([], false) }
            rows = try await sql.select().column("id").from(Family.schema)
                .where("id", .in, Array(candidates))
                .orderBy("name").orderBy("id").limit(window).offset(page.offset)
                .all()
        }
        let hasMore = rows.count > page.per
        if hasMore { rows.removeLast() }
        return (try rows.map { try $0.decode(column: "id", as: UUID.self) }, hasMore)
    }

    /// One page as families with their members and codes (the web list).
    func page(_ page: PageRequest) async throws -> (households: [FamilyService.Household], hasMore: Bool) {
        let (ids, hasMore) = try await pageIDs(page)
        guard !ids.isEmpty else { return ([], false) }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.familyColumns) FROM families WHERE families.id IN (\(binds: ids))
            ORDER BY families.name, families.id
            """).all()
        let families = try rows.map(Self.family)
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

    /// The family list as the API sends it: the same access check, page and audit entry as `listPage`, the
    /// families written as JSON by the database (`FamilyListJSON`), no models in between.
    func listPageJSON(filter: FamilyFilter, page: PageRequest) async throws -> ByteBuffer {
        let query = try listQuery(filter)
        let (ids, hasMore) = try await query.pageIDs(page)
        let rows = try await FamilyListJSON.families(ids, municipalityCode: staff.municipalityCode,
                                                     showBSN: FamilyAccess.maySeeBSN(staff), on: query.sql)
        let total = page.count ? try await query.count() : nil
        try await audit.record([AuditEvent.list("family.list", families: rows.map(\.id))], by: AuditSubject(staff), on: db)
        return FamilyListJSON.page(rows.map(\.json), page: page, hasMore: hasMore, next: hasMore ? rows.last?.id : nil,
                                   total: total)
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
