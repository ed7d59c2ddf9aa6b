import Fluent
import Foundation
import WegwijsCore

extension ReferralService {
    /// A family's referrals and every step of each (sent, accepted or declined, waiting list, first contact planned and
    /// made, handover, outcome, chasing, consent withdrawn) for the timeline, from the referral's own history. Lead side
    /// only, as `forFamily`; noted through the family door as the `referral` section of the request's one audit entry.
    /// No notes or free-text reasons: a decline shows its reason code, a completion its outcome code.
    func timelineEvents(of family: Family) async throws -> [FamilyTimelineEvent] {
        try requireUse()
        guard FamilyAccess.maySeeFamilyRecords(staff.role) else { throw AppError.notFound("family") }
        let familyID = try family.requireID()
        let families = FamilyService(db: db, audit: audit, staff: staff, catalog: catalog, clock: clock, reads: reads)
        _ = try await families.read(familyID, action: "referral.list")
        let referrals = try await Referral.query(on: db).filter(\.$family.$id == familyID).all()
        guard !referrals.isEmpty else { return [] }
        let ids = referrals.compactMap(\.id)
        let offerIDs = Array(Set(referrals.compactMap { $0.$offer.id }))
        let organisationIDs = Array(Set(referrals.map { $0.$organisation.id }))
        let offers = offerIDs.isEmpty ? [] : try await Offer.query(on: db).filter(\.$id ~~ offerIDs).all()
        let organisations = try await Organisation.query(on: db).filter(\.$id ~~ organisationIDs).all()
        let offerName = Dictionary(offers.compactMap { offer in offer.id.map { ($0, offer.name) } }, uniquingKeysWith: { a, _ in a })
        let organisationName = Dictionary(organisations.compactMap { org in org.id.map { ($0, org.name) } },
                                          uniquingKeysWith: { a, _ in a })
        let byReferral = Dictionary(uniqueKeysWithValues: referrals.compactMap { referral in referral.id.map { ($0, referral) } })
        let steps = try await ReferralEvent.query(on: db).filter(\.$referral.$id ~~ ids).sort(\.$at).all()
        var events: [FamilyTimelineEvent] = []
        for (index, step) in steps.enumerated() {
            guard let referral = byReferral[step.$referral.id] else { continue }
            let organisation = organisationName[referral.$organisation.id] ?? ""
            let role = Role(rawValue: step.byRole)
            var facts = Self.timelineFacts(step.detail)
            facts["organisation"] = organisation
            if step.kind == "transition", let to = step.toStatus { facts["to"] = to }
            events.append(FamilyTimelineEvent(
                kind: .referral, on: CalendarDate.inNetherlands(step.at), at: step.at, byName: step.byName,
                byUserID: step.byID, byRole: role, organisation: role == .partner ? organisation : nil,
                vocabulary: step.kind == "transition" ? "referralStatus" : "timeline.referralStep",
                code: step.kind == "transition" ? step.toStatus : step.kind,
                subject: referral.$offer.id.flatMap { offerName[$0] } ?? organisation, facts: facts, sequence: index))
        }
        return events
    }

    /// The facts a step's detail holds that the timeline may show (days and codes; never a companion's id or a note).
    static func timelineFacts(_ detail: String) -> [String: String] {
        let shown: Set<String> = ["planned", "on", "outcome", "declineReason", "expected", "happened", "accompanied"]
        var facts: [String: String] = [:]
        for pair in detail.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, shown.contains(parts[0]), !parts[1].isEmpty else { continue }
            facts[parts[0]] = parts[1]
        }
        return facts
    }
}
