import Fluent
import Foundation
import Vapor
import WegwijsCore

/// A family's timeline and the lead's printable case summary, composed from the features' doors (Intake, Referrals,
/// Consents): none of their tables is read here. One access decision per request (the family door, then each
/// section's own cell in the policy table), and one audit entry naming the sections shown (`RequestReads`): the entry
/// is named by the first read, `family.timeline` or `family.summary`.
struct FamilyTimeline {
    let families: FamilyService
    let intake: IntakeService
    let referrals: ReferralService
    let consents: ConsentService
    let colleagues: Colleagues
    var staff: StaffIdentity { families.staff }

    init(request: Request) throws {
        families = try FamilyService(request: request)
        intake = try IntakeService(request: request)
        referrals = try ReferralService(request: request)
        consents = try ConsentService(request: request)
        colleagues = request.colleagues
    }

    /// Newest first, or oldest first.
    enum Order: String, CaseIterable, Sendable {
        case newest, oldest
    }

    struct Timeline: Sendable {
        let family: Family
        let events: [FamilyTimelineEvent]
        /// The groups of events this user may see (the filter offers only these).
        let groups: [FamilyTimelineEvent.Group]
    }

    /// Everything dated about the family that this user may see, ordered; `only` keeps one group (the filter).
    /// Sections left out by the filter are not read, so the audit entry names only what was shown.
    func timeline(_ id: UUID, order: Order = .newest, only: FamilyTimelineEvent.Group? = nil) async throws -> Timeline {
        let (family, _) = try await families.read(id, action: "family.timeline")
        let may: (AccessPolicy.Action, AccessPolicy.RecordType) -> Bool = { TimelineAccess.may(self.staff, $0, $1, of: family) }
        var groups: [FamilyTimelineEvent.Group] = [.registration]
        if may(.list, .screening) { groups.append(.screening) }
        if may(.list, .contact) || may(.list, .signal) { groups.append(.contact) }
        if may(.read, .plan) { groups += [.plan, .welcomePackage] }
        if may(.read, .referral) { groups.append(.referral) }
        if may(.list, .consent) { groups.append(.consent) }
        func wanted(_ group: FamilyTimelineEvent.Group) -> Bool { groups.contains(group) && (only == nil || only == group) }

        var events: [FamilyTimelineEvent] = []
        if wanted(.registration) {
            // Who registered the family is not stored with it (the audit log has it), only the day.
            let day = family.registeredOn.flatMap(CalendarDate.init(iso:)) ?? family.createdAt.map(CalendarDate.inNetherlands)
            if let day { events.append(FamilyTimelineEvent(kind: .registration, on: day, at: family.createdAt)) }
        }
        let intakeGroups = Set([FamilyTimelineEvent.Group.screening, .contact, .plan, .welcomePackage].filter(wanted))
        if !intakeGroups.isEmpty { events += try await intake.timelineEvents(of: family, groups: intakeGroups) }
        if wanted(.referral) { events += try await referrals.timelineEvents(of: family) }
        if wanted(.consent) { events += try await consents.timelineEvents(id) }
        events = try await withRoles(events)
        return Timeline(family: family, events: Self.sorted(events, order), groups: groups)
    }

    /// Fills in who acted where a feature stored only the user (consents) or not their role (screenings, contacts).
    private func withRoles(_ events: [FamilyTimelineEvent]) async throws -> [FamilyTimelineEvent] {
        let missing = Array(Set(events.filter { $0.byRole == nil || $0.byName == nil }.compactMap(\.byUserID)))
        guard !missing.isEmpty else { return events }
        let users = Dictionary(try await colleagues.named(missing).compactMap { user in user.id.map { ($0, user) } },
                               uniquingKeysWith: { a, _ in a })
        return events.map { event in
            guard let id = event.byUserID, let user = users[id] else { return event }
            var event = event
            if event.byRole == nil { event.byRole = Role(rawValue: user.role) }
            if event.byName == nil { event.byName = user.displayName }
            return event
        }
    }

    /// By day, then by moment where stored (an event without one comes first on its day), then in the feature's order.
    static func sorted(_ events: [FamilyTimelineEvent], _ order: Order) -> [FamilyTimelineEvent] {
        let ascending = events.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.on != y.on { return x.on < y.on }
            let (tx, ty) = (x.at ?? .distantPast, y.at ?? .distantPast)
            if tx != ty { return tx < ty }
            if x.kind != y.kind {
                let kinds = FamilyTimelineEvent.Kind.allCases
                return kinds.firstIndex(of: x.kind)! < kinds.firstIndex(of: y.kind)!
            }
            if x.sequence != y.sequence { return x.sequence < y.sequence }
            return a.offset < b.offset
        }.map(\.element)
        return order == .oldest ? ascending : ascending.reversed()
    }

    // MARK: the case summary

    struct Summary {
        let family: Family
        let members: [Member]
        let screenings: [IntakeService.ScreeningView]
        let needs: [Need]
        let plan: IntakeService.PlanView
        let lastContact: Date?
        let referrals: [ReferralListItem]
        let consents: [(Consent, String)]
        let people: [UUID: String]
    }

    /// The lead's A4 summary. The policy's `caseSummary` cell decides (403 before any lookup for roles it never
    /// grants; 404 for a family out of reach), then each section through its door: one audit entry, `family.summary`,
    /// naming them.
    func summary(_ id: UUID) async throws -> Summary {
        try FamilyAccess.require(staff, .read, .caseSummary)
        let (family, members) = try await families.read(id, action: "family.summary")
        try FamilyAccess.require(staff, .read, .caseSummary, relationships: FamilyAccess.relationships(staff, to: family),
                                 notFound: "family")
        let screenings = try await intake.screenings(id)
        let needs = try await intake.needs(id)
        let plan = try await intake.plan(id)
        let contacts = try await intake.contacts(id)
        let referrals = try await referrals.forFamily(id)
        let consents = try await consents.list(id)
        let people = try await colleagues.displayNames([family.$caseManager.id, family.$keyPerson.id, family.$socialWorker.id])
        return Summary(family: family, members: members, screenings: screenings, needs: needs, plan: plan,
                       lastContact: contacts.map(\.at).max(), referrals: referrals, consents: consents, people: people)
    }
}
