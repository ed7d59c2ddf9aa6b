import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// A published version of the screening instrument (the JSON of `Resources/Screening/instrument.json`).
final class ScreeningInstrumentVersion: Model, @unchecked Sendable {
    static let schema = "screening_instruments"
    @ID(custom: "version", generatedBy: .user) var id: Int?
    @Field(key: "definition") var definition: String
    @Timestamp(key: "published_at", on: .create) var publishedAt: Date?
    init() {}
    init(version: Int, definition: String) { id = version; self.definition = definition }
}

/// One filled-in screening: at the intake, or again during guidance. Per household, or per parent.
final class Screening: Model, @unchecked Sendable {
    static let schema = "screenings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalField(key: "member_id") var memberID: UUID?
    @Field(key: "instrument_version") var instrumentVersion: Int
    /// `intake` or `guidance`.
    @Field(key: "occasion") var occasion: String
    /// The day of the conversation (YYYY-MM-DD).
    @Field(key: "conducted_on") var conductedOn: String
    /// The answers as JSON (`[item id: ScreeningAnswer]`).
    @Field(key: "answers") var answers: String
    @Field(key: "by_user_id") var byUserID: UUID
    @Field(key: "by_name") var byName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var decodedAnswers: [String: ScreeningAnswer] {
        (try? JSONDecoder().decode([String: ScreeningAnswer].self, from: Data(answers.utf8))) ?? [:]
    }
}

/// Where a need came from: a screening's answers, or a member of staff.
enum NeedSource: String, Codable, Sendable, CaseIterable {
    case screening, staff
}

/// A need is open until it is closed, or merged into another need of the family.
enum NeedStatus: String, Codable, Sendable, CaseIterable {
    case open, closed, merged
}

/// A signal is open until the family's lead has handled it.
enum SignalStatus: String, Codable, Sendable, CaseIterable {
    case open, handled
}

/// A Meldcode record is open until its fifth step is signed.
enum MeldcodeStatus: String, Codable, Sendable, CaseIterable {
    case open, decided
}

/// An open question of the family on a theme, which later issues match and refer on.
final class Need: Model, @unchecked Sendable {
    static let schema = "family_needs"
    @ID(key: .id) var id: UUID?
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "theme") var theme: String
    /// 1 would like information, 2 important, 3 pressing.
    @Field(key: "priority") var priority: Int
    /// Stored as their codes; a row with another code fails to load rather than pass as a guess.
    @Field(key: "source") var source: NeedSource
    /// Which parent raised it, when known.
    @OptionalField(key: "raised_by_member_id") var raisedByMemberID: UUID?
    @Field(key: "status") var status: NeedStatus
    @OptionalField(key: "merged_into_id") var mergedIntoID: UUID?
    @OptionalField(key: "note") var note: String?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    /// A new open need (version 1) of a family, raised by a screening or by staff.
    init(family: UUID, municipality: UUID, theme: String, priority: Int, source: NeedSource, raisedBy member: UUID? = nil) {
        id = UUID()
        self.$family.id = family
        self.$municipality.id = municipality
        self.theme = theme
        self.priority = priority
        self.source = source
        raisedByMemberID = member
        status = .open
        version = 1
    }
}

extension Need {
    /// A condition on a family id column: the family has an open question on `theme`. The family list composes it
    /// (the reports' drill-down from a gap to the families), so the needs table is read only by its own feature.
    static func openQuestion(on theme: String, ofFamily familyColumn: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM family_needs n WHERE n.family_id = \(unsafeRaw: familyColumn) AND n.status = 'open' AND n.theme = \(bind: theme))"
    }
}

/// The family plan: goals, agreed actions, the phase and its history, what information was given. One per family,
/// stored as one JSON document with a version for optimistic locking.
final class FamilyPlanRecord: Model, @unchecked Sendable {
    static let schema = "family_plans"
    @ID(key: .id) var id: UUID?
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "data") var data: String
    /// Copied from `data` when the plan is saved, for the reports (which then read no JSON): the phase (1–3) and the
    /// day the first welcome-package pages were handed out.
    @OptionalField(key: "phase") var phase: Int?
    @OptionalField(key: "welcomed_on") var welcomedOn: String?
    @Field(key: "version") var version: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A contact with the family. The note is sensitive: only the family's lead, key person and social worker read it.
final class ContactMoment: Model, @unchecked Sendable {
    static let schema = "contact_moments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "at") var at: Date
    @Field(key: "by_user_id") var byUserID: UUID
    @Field(key: "by_name") var byName: String
    /// `home-visit`, `phone`, `location`, `group`, `via-key-person`.
    @Field(key: "mode") var mode: String
    @OptionalField(key: "member_id") var memberID: UUID?
    @OptionalField(key: "language") var language: String?
    @Field(key: "interpreter") var interpreter: Bool
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A concern or a question raised on a family by someone who works with it; it lands on the lead's worklist.
final class FamilySignal: Model, @unchecked Sendable {
    static let schema = "family_signals"
    @ID(key: .id) var id: UUID?
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    /// `concern` or `question`.
    @Field(key: "kind") var kind: String
    @Field(key: "text") var text: String
    @Field(key: "raised_by_user_id") var raisedByUserID: UUID
    @Field(key: "raised_by_name") var raisedByName: String
    @Field(key: "raised_by_role") var raisedByRole: String
    @Field(key: "status") var status: SignalStatus
    /// The day it was raised (YYYY-MM-DD), from the application's clock: its answer is due from then (the worklist).
    @OptionalField(key: "raised_on") var raisedOn: String?
    @OptionalField(key: "handled_by") var handledBy: String?
    @OptionalField(key: "handled_at") var handledAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// The five steps of the statutory Meldcode for one concern about a child's safety. Only the lead who opened it and
/// the colleague named in it can see it.
final class MeldcodeRecord: Model, @unchecked Sendable {
    static let schema = "meldcode_records"
    @ID(key: .id) var id: UUID?
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "lead_user_id") var leadUserID: UUID
    @Field(key: "colleague_user_id") var colleagueUserID: UUID
    @OptionalField(key: "child_member_id") var childMemberID: UUID?
    /// Open until step 5 is signed, then decided.
    @Field(key: "status") var status: MeldcodeStatus
    /// Step 5's outcome: `help` (organise help) or `report` (report to Veilig Thuis).
    @OptionalField(key: "decision") var decision: String?
    /// The signed steps as JSON (`[MeldcodeStep]`).
    @Field(key: "steps") var steps: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "opened_at", on: .create) var openedAt: Date?
    init() {}
}

struct CreateIntake: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ScreeningInstrumentVersion.schema)
            .field("version", .int, .identifier(auto: false))
            .field("definition", .string, .required)
            .field("published_at", .datetime)
            .create()
        try await database.schema(Screening.schema)
            .id()
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("member_id", .uuid)
            .field("instrument_version", .int, .required)
            .field("occasion", .string, .required)
            .field("conducted_on", .string, .required)
            .field("answers", .string, .required)
            .field("by_user_id", .uuid, .required)
            .field("by_name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(Need.schema)
            .id()
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("theme", .string, .required)
            .field("priority", .int, .required)
            .field("source", .string, .required)
            .field("raised_by_member_id", .uuid)
            .field("status", .string, .required)
            .field("merged_into_id", .uuid)
            .field("note", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(FamilyPlanRecord.schema)
            .id()
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("data", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime)
            .unique(on: "family_id")
            .create()
        try await database.schema(ContactMoment.schema)
            .id()
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("at", .datetime, .required)
            .field("by_user_id", .uuid, .required)
            .field("by_name", .string, .required)
            .field("mode", .string, .required)
            .field("member_id", .uuid)
            .field("language", .string)
            .field("interpreter", .bool, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema(FamilySignal.schema)
            .id()
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("raised_by_user_id", .uuid, .required)
            .field("raised_by_name", .string, .required)
            .field("raised_by_role", .string, .required)
            .field("status", .string, .required)
            .field("handled_by", .string)
            .field("handled_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await database.schema(MeldcodeRecord.schema)
            .id()
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("lead_user_id", .uuid, .required)
            .field("colleague_user_id", .uuid, .required)
            .field("child_member_id", .uuid)
            .field("status", .string, .required)
            .field("decision", .string)
            .field("steps", .string, .required)
            .field("version", .int, .required)
            .field("opened_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (table, columns) in [("screenings", "family_id, conducted_on"), ("family_needs", "family_id, status"),
                                 ("contact_moments", "family_id, at"), ("family_signals", "family_id, status"),
                                 ("meldcode_records", "family_id")] {
            try await sql.raw("CREATE INDEX \(unsafeRaw: table)_family ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [MeldcodeRecord.schema, FamilySignal.schema, ContactMoment.schema, FamilyPlanRecord.schema,
                       Need.schema, Screening.schema, ScreeningInstrumentVersion.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// Adds the plan's `phase` and `welcomed_on` beside its JSON and fills them from the plans already stored; a forward
/// migration after the ones shipped. With the reports' covering indexes (`AddReportIndexes2`) the reports count
/// phases and welcome days without parsing a plan.
struct AddPlanReportColumns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(FamilyPlanRecord.schema).field("phase", .int).update()
            try await tx.schema(FamilyPlanRecord.schema).field("welcomed_on", .string).update()
            guard let sql = tx as? any SQLDatabase else { return }
            if sql.dialect.name == "postgresql" {
                try await sql.raw("""
                    UPDATE family_plans SET phase = CAST(CAST(data AS jsonb) ->> 'phase' AS INTEGER),
                      welcomed_on = CAST(data AS jsonb) #>> '{informationGiven,0,on}'
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE family_plans SET phase = CAST(json_extract(data, '$.phase') AS INTEGER),
                      welcomed_on = json_extract(data, '$.informationGiven[0].on')
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FamilyPlanRecord.schema).deleteField("welcomed_on").update()
        try await database.schema(FamilyPlanRecord.schema).deleteField("phase").update()
    }
}
