import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// A parent put on a group offer's planner input by "invite everyone" (issue 14, item 3; R26): settled in the
/// municipality in the last months, not yet invited to any series. Unlike the waiting list (`group_waiting_list`,
/// filled by referrals) nobody asked for the group yet: the planner plans them, and a series takes them in as
/// invited (the key person brings the letter). Personal data of the family, so it carries the family and the
/// municipality.
final class GroupInvitee: Model, @unchecked Sendable {
    static let schema = "group_invitees"

    @ID(key: .id) var id: UUID?
    @Field(key: "language") var language: String
    /// The day they were put on the planner's input (ISO date).
    @Field(key: "since") var since: String
    /// Waiting for a series, placed in one, or left (their family closed, or taken off).
    @Field(key: "status") var status: GroupWaitingStatus
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "offer_id") var offer: Offer
    @Parent(key: "family_id") var family: Family
    @Parent(key: "member_id") var member: Member

    init() {}
}

struct CreateGroupInvitees: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupInvitee.schema)
            .id()
            .field("language", .string, .required)
            .field("since", .string, .required)
            .field("status", .string, .required)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("offer_id", .uuid, .required, .references(Offer.schema, .id))
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("member_id", .uuid, .required, .references(Member.schema, .id, onDelete: .cascade))
            .field("updated_at", .datetime)
            .unique(on: "offer_id", "member_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX group_invitees_offer ON group_invitees (offer_id, status)").run()
        try await sql.raw("CREATE INDEX group_invitees_family ON group_invitees (family_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GroupInvitee.schema).delete()
    }
}

/// `POST /groups/plan/invite` and `POST /api/v1/groups/plan/invite`: put every newly settled parent who speaks one of
/// the offer's languages on its planner input.
struct GroupInviteRequest: Content {
    var offerId: UUID?
    /// Settled in the last this many months (default `GroupService.settledMonths`, 1–120).
    var settledMonths: Int?
}

struct GroupInviteResult: Content {
    /// Parents put on the planner's input now.
    let added: Int
    /// Parents waiting on the planner's input (waiting list and invitees) afterwards.
    let waiting: Int
}

extension GroupService {
    /// The invitees still waiting for `offerID`, oldest first.
    func waitingInvitees(for offerID: UUID) async throws -> [GroupInvitee] {
        try await GroupInvitee.query(on: db).filter(\.$offer.$id == offerID).filter(\.$municipality.$id == staff.municipalityID)
            .filter(\.$status == GroupWaitingStatus.waiting).sort(\.$since).sort(\.$id).all()
    }

    /// Invite everyone (R26): the parents of the municipality's active families who settled in the last
    /// `settledMonths`, speak one of the offer's languages (Dutch aside) and were never in any series, go onto the
    /// offer's planner input, each in the first of the offer's languages they speak. Parents already on its waiting
    /// list or input are left as they are. One audit entry per family added.
    func inviteEveryone(_ request: GroupInviteRequest) async throws -> GroupInviteResult {
        try FamilyAccess.require(staff, .create, .groupSeries)
        let months = request.settledMonths ?? Self.settledMonths
        var errors: [FieldError] = []
        if !(1...120).contains(months) { errors.append(.init("settledMonths", "out-of-range")) }
        guard let offerID = request.offerId else { throw AppError.invalid(errors + [.init("offerId", "required")], catalog: catalog) }
        guard try await OfferService.groupOffer(offerID, municipalityID: staff.municipalityID, on: db) != nil else {
            throw AppError.invalid(errors + [.init("offerId", "not-a-group-offer")], catalog: catalog)
        }
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let languages = try await CodeTables.offerLanguages.load(offerID, on: db).filter { $0 != "nl" }
        var skip = Set(try await GroupWaitingList.waiting(for: offerID, municipalityID: staff.municipalityID, on: db).flatMap(\.memberIDs))
        skip.formUnion(try await GroupInvitee.query(on: db).filter(\.$offer.$id == offerID).all().map { $0.$member.id })
        let since = clock.today.adding(days: -months * 365 / 12).iso
        var found: [(card: MemberCard, language: String)] = []
        for language in languages {
            let cards = try await MemberCards.parents(speaking: language, municipalityID: staff.municipalityID, settledSince: since,
                                                      excluding: skip, limit: 1_000, on: db)
            for card in cards where !skip.contains(card.id) {
                skip.insert(card.id)
                found.append((card, language))
            }
        }
        // Never invited to any series: not a participant anywhere.
        let inSeries = found.isEmpty ? Set<UUID>() : Set(try await GroupParticipant.query(on: db)
            .filter(\.$member.$id ~~ found.map(\.card.id)).all().map { $0.$member.id })
        let adding = found.filter { !inSeries.contains($0.card.id) }
        let today = clock.today.iso, municipalityID = staff.municipalityID
        if !adding.isEmpty {
            try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
                for (card, language) in adding {
                    let invitee = GroupInvitee()
                    invitee.id = UUID()
                    invitee.language = language
                    invitee.since = today
                    invitee.status = .waiting
                    invitee.$municipality.id = municipalityID
                    invitee.$offer.id = offerID
                    invitee.$family.id = card.familyID
                    invitee.$member.id = card.id
                    try await invitee.create(on: tx)
                    recorder.record(AuditEvent(action: "group.plan.invite", familyID: card.familyID,
                                               detail: "offer=\(offerID.uuidString) language=\(language)"))
                }
            }
        }
        let waiting = try await waitingDemand(GroupPlanRequest(offerId: offerID)).input.parents.count
        return GroupInviteResult(added: adding.count, waiting: waiting)
    }
}
