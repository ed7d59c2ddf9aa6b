import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// A referral of (part of) a family to an offer or an organisation: a promise tracked to its end (issue 8).
/// Dates are `YYYY-MM-DD` strings, like the rest of the family data.
final class Referral: Model, @unchecked Sendable {
    static let schema = "referrals"

    // managed fields
    @ID(key: .id) var id: UUID?
    /// Raised by every change; a transition may name the version (or the state) it starts from.
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    /// Stored as its code; a row with another code fails to load rather than pass as a guess.
    @Field(key: "status") var status: ReferralStatus
    @Field(key: "status_changed_at") var statusChangedAt: Date
    /// The day the current state's timer counts from: sent → the day it was sent; accepted and first contact planned →
    /// the day it was accepted (first contact is due within M days); waiting list → the expected date. Nil otherwise.
    @OptionalField(key: "clock_on") var clockOn: String?
    @OptionalField(key: "sent_on") var sentOn: String?
    @OptionalField(key: "closed_on") var closedOn: String?
    /// Why, in the referrer's words, and in the family's own words.
    @Field(key: "reason") var reason: String
    @OptionalField(key: "own_words") var ownWords: String?
    /// The language to speak with the family, and whether an interpreter is needed.
    @Field(key: "language") var language: String
    @Field(key: "interpreter_needed") var interpreterNeeded: Bool
    @OptionalField(key: "expected_on") var expectedOn: String?
    @OptionalField(key: "planned_on") var plannedOn: String?
    @OptionalField(key: "planned_time") var plannedTime: String?
    /// Where the first contact is (an address, "at the JGZ office", "video call"); added by `AddFirstContactPlace`.
    @OptionalField(key: "planned_place") var plannedPlace: String?
    /// Whether the companion's first visit happened (nil until recorded).
    @OptionalField(key: "handover_happened") var handoverHappened: Bool?
    @OptionalField(key: "accompanied") var accompanied: Bool?
    @OptionalField(key: "first_contact_on") var firstContactOn: String?
    @OptionalField(key: "outcome") var outcome: String?
    /// Why it was declined or cancelled, in words.
    @OptionalField(key: "closing_reason") var closingReason: String?
    /// Why the partner declined it: a `DeclineReason` code (nil for a referral declined before the codes).
    @OptionalField(key: "decline_reason") var declineReason: String?
    /// Set when the consent it rests on was withdrawn: the partner's access ends at that moment.
    @OptionalField(key: "consent_withdrawn_at") var consentWithdrawnAt: Date?
    @OptionalField(key: "chased_at") var chasedAt: Date?

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "family_id") var family: Family
    /// The family's lead (case manager) when it was made; kept in step when the lead changes.
    @Parent(key: "lead_id") var lead: User
    @Parent(key: "referred_by_id") var referredBy: User
    @OptionalParent(key: "offer_id") var offer: Offer?
    @Parent(key: "organisation_id") var organisation: Organisation
    @Parent(key: "consent_id") var consent: Consent
    /// The key person or social worker who goes along to the first contact.
    @OptionalParent(key: "companion_id") var companion: User?
    @OptionalParent(key: "redirected_from_id") var redirectedFrom: Referral?

    // lists kept in join tables with foreign keys, loaded and stored by `ReferralLinks`
    /// The parents and children it concerns (`referral_members`).
    var memberIDs: [UUID] = []
    /// The needs it addresses (`referral_needs`).
    var needIDs: [UUID] = []
    /// What the partner sees (`referral_shared_fields`, `ReferralSharedField` codes).
    var sharedFields: [String] = []

    init() {}

    var state: ReferralStatus { status }
}

/// Loads and stores the lists of referrals and of group waiting entries (see `CodeTable`).
enum ReferralLinks {
    static func load(_ referrals: [Referral], on database: any Database) async throws {
        let ids = referrals.compactMap(\.id)
        let members = try await CodeTables.referralMembers.load(ids, on: database)
        let needs = try await CodeTables.referralNeeds.load(ids, on: database)
        let fields = try await CodeTables.referralSharedFields.load(ids, on: database)
        for referral in referrals {
            referral.memberIDs = members[referral.id!] ?? []
            referral.needIDs = needs[referral.id!] ?? []
            referral.sharedFields = fields[referral.id!] ?? []
        }
    }

    /// Writes the lists of `referrals` (on the transaction that writes the rows).
    static func store(_ referrals: [Referral], on database: any Database) async throws {
        try await CodeTables.referralMembers.replace(referrals.map { ($0.id!, $0.memberIDs) }, on: database)
        try await CodeTables.referralNeeds.replace(referrals.map { ($0.id!, $0.needIDs) }, on: database)
        try await CodeTables.referralSharedFields.replace(referrals.map { ($0.id!, $0.sharedFields) }, on: database)
    }

    /// For new rows only (the synthetic seeder): batched inserts, no deletes.
    static func insert(_ referrals: [Referral], on database: any Database) async throws {
        try await CodeTables.referralMembers.insert(referrals.map { ($0.id!, $0.memberIDs) }, on: database)
        try await CodeTables.referralNeeds.insert(referrals.map { ($0.id!, $0.needIDs) }, on: database)
        try await CodeTables.referralSharedFields.insert(referrals.map { ($0.id!, $0.sharedFields) }, on: database)
    }
}

/// One dated step in a referral's history: a transition, a chase, a handover record, a withdrawn consent.
final class ReferralEvent: Model, @unchecked Sendable {
    static let schema = "referral_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "referral_id") var referral: Referral
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "at") var at: Date
    @Field(key: "by_id") var byID: UUID
    @Field(key: "by_name") var byName: String
    @Field(key: "by_role") var byRole: String
    /// `transition`, `chase`, `handover`, `consent-withdrawn`.
    @Field(key: "kind") var kind: String
    @OptionalField(key: "from_status") var fromStatus: String?
    @OptionalField(key: "to_status") var toStatus: String?
    @OptionalField(key: "note") var note: String?
    /// What the step carried, as `key=value` pairs of codes and dates (reason texts are in `note`).
    @Field(key: "detail") var detail: String
    init() {}
}

/// An in-app notification (the lead hears of every change of their referrals; a companion of a planned visit).
final class Notification: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "user_id") var user: User
    @OptionalParent(key: "referral_id") var referral: Referral?
    /// What happened: a `ReferralStatus` code, `chase`, `handover`, `companion`, `consent-withdrawn`.
    @Field(key: "kind") var kind: String
    /// The family's reference (no personal data) and the organisation's name, for the sentence.
    @Field(key: "family_reference") var familyReference: String
    @Field(key: "organisation_name") var organisationName: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    init() {}
}

/// An e-mail waiting to be sent. Written in the same transaction as what it reports; sent by the SMTP sender when
/// one is configured, otherwise only logged. Carries references and links, never personal data.
final class OutboxEmail: Model, @unchecked Sendable {
    static let schema = "email_outbox"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "to_address") var toAddress: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// Which sender has claimed it, until when (see `OutboxMailer.claim`).
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "claimed_until_ms") var claimedUntilMS: Int64?
    init() {}
}

/// Waiting, placed (first contact made) or left (declined or cancelled).
enum GroupWaitingStatus: String, Codable, Sendable, CaseIterable {
    case waiting, placed, left
}

/// A parent waiting for a group offer, because a referral to it was sent (group planning reads these).
final class GroupWaitingEntry: Model, @unchecked Sendable {
    static let schema = "group_waiting_list"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "offer_id") var offer: Offer
    @Parent(key: "family_id") var family: Family
    @Parent(key: "referral_id") var referral: Referral
    @Field(key: "language") var language: String
    @Field(key: "since") var since: String
    @Field(key: "status") var status: GroupWaitingStatus
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    /// The parents of the referral (`group_waiting_members`); written with the entry, see `CodeTables`.
    var memberIDs: [UUID] = []
    init() {}
}

/// A municipality's referral timers (issue 8): how long a partner has to answer, to make first contact, and how long
/// partners keep seeing a closed referral.
final class ReferralSettingsRecord: Model, @unchecked Sendable {
    static let schema = "referral_settings"
    /// The municipality's id.
    @ID(custom: "municipality_id", generatedBy: .user) var id: UUID?
    @Field(key: "answer_working_days") var answerWorkingDays: Int
    @Field(key: "first_contact_days") var firstContactDays: Int
    @Field(key: "partner_access_days") var partnerAccessDays: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

struct CreateReferrals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("email", .string).update()
        try await database.schema(Referral.schema)
            .id()
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("status_changed_at", .datetime, .required)
            .field("clock_on", .string)
            .field("sent_on", .string)
            .field("closed_on", .string)
            .field("reason", .string, .required)
            .field("own_words", .string)
            .field("member_ids", .string, .required)
            .field("need_ids", .string, .required)
            .field("language", .string, .required)
            .field("interpreter_needed", .bool, .required)
            .field("shared_fields", .string, .required)
            .field("expected_on", .string)
            .field("planned_on", .string)
            .field("planned_time", .string)
            .field("handover_happened", .bool)
            .field("accompanied", .bool)
            .field("first_contact_on", .string)
            .field("outcome", .string)
            .field("closing_reason", .string)
            .field("consent_withdrawn_at", .datetime)
            .field("chased_at", .datetime)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("lead_id", .uuid, .required, .references(User.schema, .id))
            .field("referred_by_id", .uuid, .required, .references(User.schema, .id))
            .field("offer_id", .uuid, .references(Offer.schema, .id))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("consent_id", .uuid, .required, .references(Consent.schema, .id))
            .field("companion_id", .uuid, .references(User.schema, .id))
            .field("redirected_from_id", .uuid, .references(Referral.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(ReferralEvent.schema)
            .id()
            .field("referral_id", .uuid, .required, .references(Referral.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("at", .datetime, .required)
            .field("by_id", .uuid, .required)
            .field("by_name", .string, .required)
            .field("by_role", .string, .required)
            .field("kind", .string, .required)
            .field("from_status", .string)
            .field("to_status", .string)
            .field("note", .string)
            .field("detail", .string, .required)
            .create()
        try await database.schema(Notification.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("user_id", .uuid, .required, .references(User.schema, .id))
            .field("referral_id", .uuid, .references(Referral.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("family_reference", .string, .required)
            .field("organisation_name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        try await database.schema(OutboxEmail.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("to_address", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .create()
        try await database.schema(GroupWaitingEntry.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("offer_id", .uuid, .required, .references(Offer.schema, .id))
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("referral_id", .uuid, .required, .references(Referral.schema, .id, onDelete: .cascade))
            .field("member_ids", .string, .required)
            .field("language", .string, .required)
            .field("since", .string, .required)
            .field("status", .string, .required)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(ReferralSettingsRecord.schema)
            .field("municipality_id", .uuid, .identifier(auto: false), .references(Municipality.schema, .id))
            .field("answer_working_days", .int, .required)
            .field("first_contact_days", .int, .required)
            .field("partner_access_days", .int, .required)
            .field("updated_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            for statement in [
                // The lead's worklist: one range per (status, clock) — see ReferralQueries.worklist.
                "CREATE INDEX referrals_lead_clock ON referrals (lead_id, status, clock_on, id)",
                // The partner inbox, newest first, with what visibility needs so counting never reads the rows.
                "CREATE INDEX referrals_inbox ON referrals (organisation_id, sent_on, id, status, closed_on, consent_withdrawn_at)",
                "CREATE INDEX referrals_family ON referrals (family_id)",
                // The municipality's list, latest change first.
                "CREATE INDEX referrals_municipality ON referrals (municipality_id, status_changed_at)",
                "CREATE INDEX referrals_companion ON referrals (companion_id, status)",
                "CREATE INDEX referrals_consent ON referrals (consent_id)",
                "CREATE INDEX referral_events_referral ON referral_events (referral_id, at)",
                "CREATE INDEX notifications_user ON notifications (user_id, created_at)",
                "CREATE INDEX email_outbox_unsent ON email_outbox (sent_at, created_at)",
                "CREATE INDEX group_waiting_offer ON group_waiting_list (offer_id, status)",
                "CREATE INDEX group_waiting_referral ON group_waiting_list (referral_id)",
            ] { try await sql.raw(SQLQueryString(statement)).run() }
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [ReferralSettingsRecord.schema, GroupWaitingEntry.schema, OutboxEmail.schema, Notification.schema,
                       ReferralEvent.schema, Referral.schema] {
            try await database.schema(schema).delete()
        }
        try await database.schema(User.schema).deleteField("email").update()
    }
}

/// The group waiting list as other features use it (Groups places parents from it): read an entry, mark it placed.
enum GroupWaitingList {
    /// A waiting entry of `municipalityID`, with its parents.
    static func entry(_ id: UUID, municipalityID: UUID, on db: any Database) async throws -> GroupWaitingEntry? {
        guard let entry = try await GroupWaitingEntry.query(on: db).filter(\.$id == id)
            .filter(\.$municipality.$id == municipalityID).first() else { return nil }
        entry.memberIDs = try await CodeTables.groupWaitingMembers.load(id, on: db)
        return entry
    }

    /// The entries still waiting for `offerID`, oldest first, with their parents.
    static func waiting(for offerID: UUID, municipalityID: UUID, on db: any Database) async throws -> [GroupWaitingEntry] {
        let entries = try await GroupWaitingEntry.query(on: db).filter(\.$offer.$id == offerID)
            .filter(\.$municipality.$id == municipalityID).filter(\.$status == GroupWaitingStatus.waiting)
            .sort(\.$since).sort(\.$id).all()
        let members = try await CodeTables.groupWaitingMembers.load(entries.compactMap(\.id), on: db)
        for entry in entries { entry.memberIDs = members[entry.id!] ?? [] }
        return entries
    }

    /// The parent found a place in a series (on the transaction that adds them).
    static func markPlaced(_ id: UUID, on db: any Database) async throws {
        try await GroupWaitingEntry.query(on: db).filter(\.$id == id).filter(\.$status == GroupWaitingStatus.waiting)
            .set(\.$status, to: GroupWaitingStatus.placed).update()
    }
}

/// Adds `decline_reason` (a `DeclineReason` code) to referrals; a forward migration after the ones shipped. Referrals
/// declined before keep their words in `closing_reason` and count as `unknown` in the report.
struct AddReferralDeclineReason: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Referral.schema).field("decline_reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Referral.schema).deleteField("decline_reason").update()
    }
}

/// Adds `planned_place` (where the first contact is) to referrals; a forward migration after the ones shipped.
struct AddFirstContactPlace: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Referral.schema).field("planned_place", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Referral.schema).deleteField("planned_place").update()
    }
}
