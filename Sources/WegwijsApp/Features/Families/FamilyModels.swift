import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// A household: parents and children who live together (DOMAIN.md). No BSN is needed (R18).
final class Family: Model, @unchecked Sendable {
    static let schema = "families"

    // managed fields
    @ID(key: .id) var id: UUID?
    /// Optimistic locking: every update must name the version it edits; a stale write is refused (409).
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// The day the family was registered (YYYY-MM-DD), from the application's clock: what the worklist counts from
    /// (registration is the first contact). Nil only for rows a bulk seeder wrote without it (then `created_at`'s day).
    @OptionalField(key: "registered_on") var registeredOn: String?

    // data fields
    /// A short reference without personal data (`RS-0042`): what staff say on the phone, and what the admin
    /// searches the audit log with.
    @Field(key: "reference") var reference: String
    @Field(key: "name") var name: String
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "postcode") var postcode: String?
    @OptionalField(key: "contact_preference") var contactPreference: String?
    /// Lower-cased names of the household and its members. No longer searched (the name search reads the indexed
    /// tokens in `family_list_keys`); kept filled because the column is required.
    @Field(key: "search_text") var searchText: String
    /// Stored as its code; a row with another code fails to load rather than pass as a guess.
    @Field(key: "status") var status: FamilyStatus
    @OptionalField(key: "closed_reason") var closedReason: String?
    @OptionalField(key: "closed_note") var closedNote: String?
    /// The family's profile as the reports count it: its first parent's (lowest position) country of origin and
    /// own language (their first spoken language); nil without a parent or without one given. Kept by
    /// `FamilyService.refreshIndexes` with every change of members, so a report reads one row per family instead of
    /// looking the first parent up (docs/reports.md).
    @OptionalField(key: "profile_origin") var profileOrigin: String?
    @OptionalField(key: "profile_language") var profileLanguage: String?

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalParent(key: "case_manager_id") var caseManager: User?
    @OptionalParent(key: "key_person_id") var keyPerson: User?
    @OptionalParent(key: "social_worker_id") var socialWorker: User?
    @Children(for: \.$family) var members: [Member]

    // lists kept in join tables (`CodeTables`), loaded and stored with the family by `FamilyCodes`
    /// Situation codes (`family_situations`).
    var situations: [String] = []
    /// Every language any member speaks or reads (`family_languages`); kept up to date by `FamilyService`.
    var languages: [String] = []
    /// The words of the household's and members' names (`NameTokens`), set by `FamilyService.refreshIndexes` when
    /// a change may have touched them; `FamilyCodes.store` then rewrites the family's list keys (`FamilyListKeys`).
    var nameTokens: [String]?

    init() {}
}

/// A parent or a child of a household.
final class Member: Model, @unchecked Sendable {
    static let schema = "family_members"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    /// Stored as its code (`parent`, `child`); a row with another code fails to load rather than pass as a guess.
    @Field(key: "role") var role: MemberRole
    @Field(key: "given_name") var givenName: String
    @OptionalField(key: "family_name") var familyName: String?
    @OptionalField(key: "gender") var gender: String?
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "birth_year") var birthYear: Int?
    @OptionalField(key: "country_of_origin") var countryOfOrigin: String?
    @OptionalField(key: "dutch_level") var dutchLevel: String?
    @OptionalField(key: "arrival_date") var arrivalDate: String?
    @OptionalField(key: "settlement_date") var settlementDate: String?
    @OptionalField(key: "school_or_childcare") var schoolOrChildcare: String?
    @OptionalField(key: "bsn") var bsn: String?
    @Field(key: "position") var position: Int

    // relationships
    @Parent(key: "family_id") var family: Family
    /// Repeated from the family so that every row of personal data carries its tenant.
    @Parent(key: "municipality_id") var municipality: Municipality

    // lists kept in join tables (`member_spoken_languages`, `member_read_languages`), see `FamilyCodes`
    var languagesSpoken: [String] = []
    var languagesRead: [String] = []

    init() {}

    var draft: MemberDraft {
        MemberDraft(role: role.rawValue, givenName: givenName, familyName: familyName, gender: gender, birthDate: birthDate,
                    birthYear: birthYear, countryOfOrigin: countryOfOrigin,
                    languagesSpoken: languagesSpoken, languagesRead: languagesRead,
                    dutchLevel: dutchLevel, arrivalDate: arrivalDate, settlementDate: settlementDate,
                    schoolOrChildcare: schoolOrChildcare, bsn: bsn)
    }

    func apply(_ draft: MemberDraft) {
        // Drafts are validated before they are applied (`FamilyValidation`): the role is a known code.
        role = MemberRole(rawValue: draft.role) ?? .child
        givenName = draft.givenName.trimmed
        familyName = draft.familyName?.trimmed.nilIfEmpty
        gender = draft.gender
        birthDate = draft.birthDate
        birthYear = draft.yearOfBirth
        countryOfOrigin = draft.countryOfOrigin
        languagesSpoken = CodeList.unique(draft.languagesSpoken)
        languagesRead = CodeList.unique(draft.languagesRead)
        dutchLevel = draft.dutchLevel
        arrivalDate = draft.arrivalDate
        settlementDate = draft.settlementDate
        schoolOrChildcare = draft.schoolOrChildcare?.trimmed.nilIfEmpty
        bsn = draft.bsn?.trimmed.nilIfEmpty
    }
}

/// Lists of codes: each kept once, in its first place (as the join tables store them).
enum CodeList {
    static func unique<Value: Hashable>(_ values: [Value]) -> [Value] {
        var seen = Set<Value>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// Loads and stores the lists of families and their members (see `CodeTable`).
enum FamilyCodes {
    /// Fills the lists of `families` and `members` from their join tables.
    static func load(_ families: [Family], members: [Member], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await load(families, members: members, on: sql)
    }

    static func load(_ families: [Family], members: [Member], on database: any SQLDatabase) async throws {
        let familyIDs = families.compactMap(\.id), memberIDs = members.compactMap(\.id)
        // The four tables in one query (one after the other for long lists of ids).
        let lists = try await CodeTable<String>.load([(CodeTables.familyLanguages, familyIDs), (CodeTables.familySituations, familyIDs),
                                                      (CodeTables.memberSpokenLanguages, memberIDs),
                                                      (CodeTables.memberReadLanguages, memberIDs)], on: database)
        let (l, s, sp, r) = (lists[0], lists[1], lists[2], lists[3])
        for family in families {
            family.languages = l[family.id!] ?? []
            family.situations = s[family.id!] ?? []
        }
        for member in members {
            member.languagesSpoken = sp[member.id!] ?? []
            member.languagesRead = r[member.id!] ?? []
        }
    }

    /// Writes the lists of `family` and of `members` (on the transaction that writes the rows).
    static func store(_ family: Family, members: [Member], on database: any Database) async throws {
        try await store([family], members: members, on: database)
    }

    static func store(_ families: [Family], members: [Member], on database: any Database) async throws {
        try await CodeTables.familyLanguages.replace(families.map { ($0.id!, $0.languages) }, on: database)
        try await CodeTables.familySituations.replace(families.map { ($0.id!, $0.situations) }, on: database)
        try await FamilyListKeys.replace(families, on: database)
        try await storeMembers(members, on: database)
        // Last: the list's JSON is made from the rows and codes just written.
        if let sql = database as? any SQLDatabase { try await FamilyListJSON.refresh(families.compactMap(\.id), on: sql) }
    }

    static func storeMembers(_ members: [Member], on database: any Database) async throws {
        try await CodeTables.memberSpokenLanguages.replace(members.map { ($0.id!, $0.languagesSpoken) }, on: database)
        try await CodeTables.memberReadLanguages.replace(members.map { ($0.id!, $0.languagesRead) }, on: database)
    }

    /// For new rows only (the seeders): batched inserts, no deletes.
    static func insert(_ families: [Family], members: [Member], on database: any Database) async throws {
        try await CodeTables.familyLanguages.insert(families.map { ($0.id!, $0.languages) }, on: database)
        try await CodeTables.familySituations.insert(families.map { ($0.id!, $0.situations) }, on: database)
        try await CodeTables.memberSpokenLanguages.insert(members.map { ($0.id!, $0.languagesSpoken) }, on: database)
        try await CodeTables.memberReadLanguages.insert(members.map { ($0.id!, $0.languagesRead) }, on: database)
        if let sql = database as? any SQLDatabase {
            try await FamilyListKeys.insert(families, on: sql)
            try await FamilyListJSON.refresh(families.compactMap(\.id), on: sql)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

struct CreateFamilies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Family.schema)
            .id()
            .field("version", .int, .required)
            .field("reference", .string, .required)
            .field("name", .string, .required)
            .field("address", .string)
            .field("postcode", .string)
            .field("contact_preference", .string)
            .field("situation_codes", .string, .required)
            .field("language_codes", .string, .required)
            .field("search_text", .string, .required)
            .field("status", .string, .required)
            .field("closed_reason", .string)
            .field("closed_note", .string)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("case_manager_id", .uuid, .references(User.schema, .id))
            .field("key_person_id", .uuid, .references(User.schema, .id))
            .field("social_worker_id", .uuid, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .create()
        try await database.schema(Member.schema)
            .id()
            .field("version", .int, .required)
            .field("role", .string, .required)
            .field("given_name", .string, .required)
            .field("family_name", .string)
            .field("gender", .string)
            .field("birth_date", .string)
            .field("birth_year", .int)
            .field("country_of_origin", .string)
            .field("languages_spoken", .string, .required)
            .field("languages_read", .string, .required)
            .field("dutch_level", .string)
            .field("arrival_date", .string)
            .field("settlement_date", .string)
            .field("school_or_childcare", .string)
            .field("bsn", .string)
            .field("position", .int, .required)
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Every list is scoped by municipality and sorted by name, then id; with the id in the index, the page's
        // count and order are answered from the index alone.
        try await sql.raw("CREATE INDEX families_municipality_name ON families (municipality_id, name, id)").run()
        try await sql.raw("CREATE INDEX families_key_person ON families (key_person_id)").run()
        try await sql.raw("CREATE INDEX families_social_worker ON families (social_worker_id)").run()
        try await sql.raw("CREATE INDEX family_members_family ON family_members (family_id, position)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Member.schema).delete()
        try await database.schema(Family.schema).delete()
    }
}

/// Adds the family's profile (`profileOrigin`, `profileLanguage`) and fills it from the members already stored. A
/// forward migration after the ones shipped; the index answers the reports per municipality and the family list's
/// `parentLanguage` filter.
struct AddFamilyProfile: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(Family.schema).field("profile_origin", .string).update()
            try await tx.schema(Family.schema).field("profile_language", .string).update()
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.raw("""
                UPDATE families SET
                  profile_origin = (SELECT m.country_of_origin FROM family_members m
                                    WHERE m.family_id = families.id AND m.role = 'parent' ORDER BY m.position LIMIT 1),
                  profile_language = (SELECT l.code FROM member_spoken_languages l WHERE l.position = 0 AND l.member_id =
                                        (SELECT m.id FROM family_members m WHERE m.family_id = families.id AND m.role = 'parent'
                                         ORDER BY m.position LIMIT 1))
                """).run()
            try await sql.raw("CREATE INDEX families_profile_language ON families (municipality_id, profile_language, name, id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX families_profile_language").run()
        try await database.schema(Family.schema).deleteField("profile_language").update()
        try await database.schema(Family.schema).deleteField("profile_origin").update()
    }
}
