import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// A series of meetings of a group offer for the same parents (R21): one language, one audience, one time of day,
/// one place, led by a trainer and a key person who speaks the language.
final class GroupSeries: Model, @unchecked Sendable {
    static let schema = "group_series"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "language") var language: String
    /// An interpreter joins (the trainer does not speak the language).
    @Field(key: "interpreter") var interpreter: Bool
    @Field(key: "audience") var audience: Audience
    @Field(key: "min_size") var minSize: Int
    @Field(key: "max_size") var maxSize: Int
    /// A district code of the municipality, or `online`.
    @Field(key: "place") var place: String
    @OptionalField(key: "location") var location: String?
    @Field(key: "time_of_day") var time: TimeOfDay
    @Field(key: "childcare") var childcare: Bool
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "status") var status: GroupSeriesStatus

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "offer_id") var offer: Offer
    @Parent(key: "trainer_id") var trainer: User
    @Parent(key: "key_person_id") var keyPerson: User

    init() {}

    func apply(_ draft: GroupSeriesDraft) {
        language = draft.language
        interpreter = draft.interpreter
        audience = Audience(rawValue: draft.audience) ?? .mixed
        minSize = draft.minSize
        maxSize = draft.maxSize
        place = draft.place.trimmingCharacters(in: .whitespaces)
        location = draft.location?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        time = TimeOfDay(rawValue: draft.time) ?? .daytime
        childcare = draft.childcare
        startsOn = draft.startsOn
        endsOn = draft.endsOn
    }
}

/// One meeting of a series.
final class GroupSession: Model, @unchecked Sendable {
    static let schema = "group_sessions"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "date") var date: String
    @Field(key: "starts_at") var startsAt: String
    @Field(key: "ends_at") var endsAt: String
    /// A theme code (the topic library: `GroupTopics`).
    @Field(key: "topic") var topic: String
    /// Only when it differs from the series' place.
    @OptionalField(key: "place") var place: String?
    /// Children looked after during the session (recorded with the attendance).
    @OptionalField(key: "childcare_headcount") var childcareHeadcount: Int?

    // relationships
    @Parent(key: "series_id") var series: GroupSeries

    /// Partner staff joining this session to explain their service (`group_session_guests`).
    var guestIDs: [UUID] = []

    init() {}

    func apply(_ draft: GroupSessionDraft) {
        date = draft.date
        startsAt = draft.startsAt
        endsAt = draft.endsAt
        topic = draft.topic
        place = draft.place?.trimmingCharacters(in: .whitespaces).nilIfEmpty
    }
}

/// A parent in a series: personal data of the family, so it carries the family and the municipality.
final class GroupParticipant: Model, @unchecked Sendable {
    static let schema = "group_participants"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "source") var source: ParticipantSource
    @Field(key: "invitation") var invitation: InvitationAnswer
    @Field(key: "status") var status: ParticipantStatus
    @OptionalField(key: "drop_out_reason") var dropOutReason: DropOutReason?

    // relationships
    @Parent(key: "series_id") var series: GroupSeries
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "family_id") var family: Family
    @Parent(key: "member_id") var member: Member
    @OptionalParent(key: "waiting_entry_id") var waitingEntry: GroupWaitingEntry?

    init() {}
}

/// One parent at one session.
final class GroupAttendance: Model, @unchecked Sendable {
    static let schema = "group_attendance"

    @ID(key: .id) var id: UUID?
    @Field(key: "status") var status: AttendanceStatus
    /// Children the parent brought along.
    @Field(key: "children_brought") var childrenBrought: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Parent(key: "session_id") var session: GroupSession
    @Parent(key: "participant_id") var participant: GroupParticipant

    init() {}
}

struct CreateGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupSeries.schema)
            .id()
            .field("version", .int, .required)
            .field("language", .string, .required)
            .field("interpreter", .bool, .required)
            .field("audience", .string, .required)
            .field("min_size", .int, .required)
            .field("max_size", .int, .required)
            .field("place", .string, .required)
            .field("location", .string)
            .field("time_of_day", .string, .required)
            .field("childcare", .bool, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("status", .string, .required)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("offer_id", .uuid, .required, .references(Offer.schema, .id))
            .field("trainer_id", .uuid, .required, .references(User.schema, .id))
            .field("key_person_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(GroupSession.schema)
            .id()
            .field("version", .int, .required)
            .field("date", .string, .required)
            .field("starts_at", .string, .required)
            .field("ends_at", .string, .required)
            .field("topic", .string, .required)
            .field("place", .string)
            .field("childcare_headcount", .int)
            .field("series_id", .uuid, .required, .references(GroupSeries.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("group_session_guests")
            .field("session_id", .uuid, .required, .references(GroupSession.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id))
            .field("position", .int, .required)
            .compositeIdentifier(over: "session_id", "user_id")
            .create()
        try await database.schema(GroupParticipant.schema)
            .id()
            .field("version", .int, .required)
            .field("source", .string, .required)
            .field("invitation", .string, .required)
            .field("status", .string, .required)
            .field("drop_out_reason", .string)
            .field("series_id", .uuid, .required, .references(GroupSeries.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("member_id", .uuid, .required, .references(Member.schema, .id, onDelete: .cascade))
            .field("waiting_entry_id", .uuid, .references(GroupWaitingEntry.schema, .id, onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "series_id", "member_id")
            .create()
        try await database.schema(GroupAttendance.schema)
            .id()
            .field("status", .string, .required)
            .field("children_brought", .int, .required)
            .field("session_id", .uuid, .required, .references(GroupSession.schema, .id, onDelete: .cascade))
            .field("participant_id", .uuid, .required, .references(GroupParticipant.schema, .id, onDelete: .cascade))
            .field("updated_at", .datetime)
            .unique(on: "session_id", "participant_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for index in [
            // The municipality's series by start; a facilitator's series (double booking, their home page).
            "CREATE INDEX group_series_municipality ON group_series (municipality_id, starts_on, id)",
            "CREATE INDEX group_series_trainer ON group_series (trainer_id, status)",
            "CREATE INDEX group_series_key_person ON group_series (key_person_id, status)",
            "CREATE INDEX group_sessions_series ON group_sessions (series_id, date, starts_at)",
            "CREATE INDEX group_session_guests_user ON group_session_guests (user_id, session_id)",
            // A parent's series (one series of an offer at a time), a family's.
            "CREATE INDEX group_participants_member ON group_participants (member_id, status)",
            "CREATE INDEX group_participants_family ON group_participants (family_id)",
        ] {
            try await sql.raw(SQLQueryString(index)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [GroupAttendance.schema, GroupParticipant.schema, "group_session_guests", GroupSession.schema,
                       GroupSeries.schema] {
            try await database.schema(schema).delete()
        }
    }
}
