import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The family list, read with plain SQL. The list is the most-used screen and the busiest API route; Fluent's
/// reflection-based decoding of 25 families and their members cost more than the whole rest of the request.
/// The rows are read column by column into the same `Family` and `Member` models the rest of the code uses.
struct FamilyListQuery {
    let sql: any SQLDatabase
    let staff: StaffIdentity
    let filter: FamilyFilter

    /// The WHERE clause: the staff member's scope (the same rules as `FamilyAccess.scope`), then the filters.
    private var conditions: [SQLQueryString] {
        var parts: [SQLQueryString] = ["municipality_id = \(bind: staff.municipalityID)"]
        switch FamilyAccess.listScope(staff) {
        case .municipality: break
        case .keyPerson(let id): parts.append("key_person_id = \(bind: id)")
        case .socialWorker(let id): parts.append("social_worker_id = \(bind: id)")
        case .none: parts.append("1 = 0")
        }
        if let name = filter.name?.trimmed.lowercased(), !name.isEmpty {
            parts.append("search_text LIKE \(bind: "%" + Self.escapeLike(name) + "%") ESCAPE '!'")
        }
        if let language = filter.language?.nilIfEmpty {
            parts.append("language_codes LIKE \(bind: "%" + CodeList.pattern(language) + "%")")
        }
        if let situation = filter.situation?.nilIfEmpty {
            parts.append("situation_codes LIKE \(bind: "%" + CodeList.pattern(situation) + "%")")
        }
        if let status = filter.status?.nilIfEmpty { parts.append("status = \(bind: status)") }
        if filter.mine == true {
            parts.append("(case_manager_id = \(bind: staff.userID) OR key_person_id = \(bind: staff.userID) OR social_worker_id = \(bind: staff.userID))")
        }
        return parts
    }

    private var whereClause: SQLQueryString {
        conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
    }

    /// What a count depends on: who asks (their scope) and the filters.
    var cacheKey: String {
        let scope: String
        switch FamilyAccess.listScope(staff) {
        case .municipality: scope = "m"
        case .keyPerson(let id): scope = "k" + id.uuidString
        case .socialWorker(let id): scope = "s" + id.uuidString
        case .none: scope = "none"
        }
        let mine = filter.mine == true ? staff.userID.uuidString : ""
        return [staff.municipalityID.uuidString, scope, filter.name?.trimmed.lowercased() ?? "", filter.language ?? "",
                filter.situation ?? "", filter.status ?? "", mine].joined(separator: "\u{1F}")
    }

    func count() async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM families WHERE \(whereClause)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    func page(_ page: PageRequest) async throws -> [FamilyService.Household] {
        let rows = try await sql.raw("""
            SELECT id, version, reference, name, address, postcode, contact_preference, situation_codes, language_codes,
                   status, closed_reason, municipality_id, case_manager_id, key_person_id, social_worker_id,
                   created_at, updated_at
            FROM families WHERE \(whereClause)
            ORDER BY name, id LIMIT \(bind: page.per) OFFSET \(bind: page.offset)
            """).all()
        let families = try rows.map(Self.family)
        guard !families.isEmpty else { return [] }
        let ids = families.compactMap(\.id)
        let memberRows = try await sql.select()
            .columns("id", "version", "role", "given_name", "family_name", "gender", "birth_date", "birth_year",
                     "country_of_origin", "languages_spoken", "languages_read", "dutch_level", "arrival_date",
                     "settlement_date", "school_or_childcare", "bsn", "position", "family_id", "municipality_id",
                     "created_at", "updated_at")
            .from(Member.schema)
            .where("family_id", .in, ids)
            .orderBy("family_id").orderBy("position")
            .all()
        let members = Dictionary(grouping: try memberRows.map(Self.member), by: { $0.$family.id })
        return families.map { ($0, members[$0.id!] ?? []) }
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
        family.situationCodes = try row.decode(column: "situation_codes", as: String.self)
        family.languageCodes = try row.decode(column: "language_codes", as: String.self)
        family.status = try row.decode(column: "status", as: String.self)
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
        member.role = try row.decode(column: "role", as: String.self)
        member.givenName = try row.decode(column: "given_name", as: String.self)
        member.familyName = try row.optional("family_name")
        member.gender = try row.optional("gender")
        member.birthDate = try row.optional("birth_date")
        member.birthYear = try row.optional("birth_year")
        member.countryOfOrigin = try row.optional("country_of_origin")
        member.languagesSpoken = try row.decode(column: "languages_spoken", as: String.self)
        member.languagesRead = try row.decode(column: "languages_read", as: String.self)
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

/// A page of the family list as the API sends it, with what its audit entries need.
struct RenderedFamilyPage: Sendable {
    let body: ByteBuffer
    let families: [(id: UUID, reference: String)]
}

/// The family list's caches: page totals, and encoded API pages (about 20 KB each for 25 families).
struct FamilyListCaches: Sendable {
    let counts: DerivedCache<Int>
    let pages: DerivedCache<RenderedFamilyPage>

    init(enabled: Bool = true) {
        counts = DerivedCache(capacity: 10_000, enabled: enabled)
        pages = DerivedCache(capacity: 500, enabled: enabled)
    }
}

extension Application {
    private struct FamilyListCachesKey: StorageKey { typealias Value = FamilyListCaches }
    var familyListCaches: FamilyListCaches {
        get { storage[FamilyListCachesKey.self] ?? FamilyListCaches(enabled: false) }
        set { storage[FamilyListCachesKey.self] = newValue }
    }
}
