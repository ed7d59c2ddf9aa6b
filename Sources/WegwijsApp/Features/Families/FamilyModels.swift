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

    // data fields
    /// A short reference without personal data (`RS-0042`): what staff say on the phone, and what the admin
    /// searches the audit log with.
    @Field(key: "reference") var reference: String
    @Field(key: "name") var name: String
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "postcode") var postcode: String?
    @OptionalField(key: "contact_preference") var contactPreference: String?
    /// Situation codes, stored as `,code,code,` so one `LIKE '%,code,%'` filters the same way on both databases.
    @Field(key: "situation_codes") var situationCodes: String
    /// Every language any member speaks or reads, same encoding; kept up to date by `FamilyService`.
    @Field(key: "language_codes") var languageCodes: String
    /// Lower-cased names of the household and its members, for the name search.
    @Field(key: "search_text") var searchText: String
    @Field(key: "status") var status: String
    @OptionalField(key: "closed_reason") var closedReason: String?
    @OptionalField(key: "closed_note") var closedNote: String?

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalParent(key: "case_manager_id") var caseManager: User?
    @OptionalParent(key: "key_person_id") var keyPerson: User?
    @OptionalParent(key: "social_worker_id") var socialWorker: User?
    @Children(for: \.$family) var members: [Member]

    init() {}

    var situations: [String] { CodeList.decode(situationCodes) }
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
    @Field(key: "role") var role: String
    @Field(key: "given_name") var givenName: String
    @OptionalField(key: "family_name") var familyName: String?
    @OptionalField(key: "gender") var gender: String?
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "birth_year") var birthYear: Int?
    @OptionalField(key: "country_of_origin") var countryOfOrigin: String?
    @Field(key: "languages_spoken") var languagesSpoken: String
    @Field(key: "languages_read") var languagesRead: String
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

    init() {}

    var draft: MemberDraft {
        MemberDraft(role: role, givenName: givenName, familyName: familyName, gender: gender, birthDate: birthDate,
                    birthYear: birthYear, countryOfOrigin: countryOfOrigin,
                    languagesSpoken: CodeList.decode(languagesSpoken), languagesRead: CodeList.decode(languagesRead),
                    dutchLevel: dutchLevel, arrivalDate: arrivalDate, settlementDate: settlementDate,
                    schoolOrChildcare: schoolOrChildcare, bsn: bsn)
    }

    func apply(_ draft: MemberDraft) {
        role = draft.role
        givenName = draft.givenName.trimmed
        familyName = draft.familyName?.trimmed.nilIfEmpty
        gender = draft.gender
        birthDate = draft.birthDate
        birthYear = draft.birthYear ?? draft.birthDate.flatMap(CalendarDate.init(iso:))?.year
        countryOfOrigin = draft.countryOfOrigin
        languagesSpoken = CodeList.encode(draft.languagesSpoken)
        languagesRead = CodeList.encode(draft.languagesRead)
        dutchLevel = draft.dutchLevel
        arrivalDate = draft.arrivalDate
        settlementDate = draft.settlementDate
        schoolOrChildcare = draft.schoolOrChildcare?.trimmed.nilIfEmpty
        bsn = draft.bsn?.trimmed.nilIfEmpty
    }
}

/// A list of codes in one text column: `,a,b,` (empty list: `,`). Portable across SQLite and PostgreSQL and
/// searchable with `LIKE '%,a,%'`.
enum CodeList {
    static func encode(_ codes: [String]) -> String {
        var unique: [String] = []
        for code in codes where !unique.contains(code) { unique.append(code) }
        return "," + unique.joined(separator: ",") + (unique.isEmpty ? "" : ",")
    }
    static func decode(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
    static func pattern(_ code: String) -> String { ",\(code)," }
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
