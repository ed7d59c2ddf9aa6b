import Foundation
import Vapor
import WegwijsCore

/// One line of the worklist, as `GET /api/v1/worklist` sends it and the page shows it: why (`kind`), by when (`due`,
/// `overdue`), since when, the one action that resolves it (`action`, `href`), and which family or referral.
struct WorkItemDTO: Content, Equatable {
    let kind: WorkKind
    let action: WorkAction
    /// Where the action is done (a page of this application).
    let href: String
    let due: String
    /// Due before today.
    let overdue: Bool
    let since: String?
    let familyReference: String
    /// Lead side; a partner sees the family by reference (and the first name where the referral shares it).
    let familyId: UUID?
    let familyName: String?
    let firstName: String?
    let referralId: UUID?
    let offerName: String?
    let organisationName: String?
    /// A first contact: its time (`HH:MM`) when planned with one.
    let time: String?
    /// A first contact: where, when planned with a place.
    let place: String?
    /// A plan action: its text, in the family's words.
    let detail: String?
}

/// A page of the worklist: the items most urgent first, the number of each kind (of the whole list, whatever the
/// filter), the total of the filter, and the group sessions to be reminded of (not paged).
struct WorklistPage: Content {
    let items: [WorkItemDTO]
    let counts: [String: Int]
    let total: Int
    let page: Int
    let per: Int
    let hasMore: Bool
    var groupSessions: [GroupCalendar.WorklistDTO] = []
}

/// The worklist's door: what needs this staff member, from the families they work with (`IntakeService`) and the
/// referrals that need them (`ReferralService`), merged in one order of urgency (`WorklistOrder`), paged, and
/// audited as ONE entry naming every family on the page.
struct WorklistService {
    let request: Request
    let staff: StaffIdentity

    init(request: Request) throws {
        self.request = request
        staff = try request.requireStaff()
    }

    /// Whether this user has a worklist of families and referrals (a trainer has group sessions only).
    var hasWork: Bool { FamilyAccess.may(staff.role, .list, .worklist) }

    func page(kind: WorkKind?, page: PageRequest) async throws -> WorklistPage {
        try FamilyAccess.require(staff, .list, .worklist)
        let today = request.clock.today
        let want = page.offset + page.per + 1
        // Each line as its sort key and the family it concerns (for the audit entry: a partner's line does not show
        // the family's id); the JSON line is made only for the page shown.
        var candidates: [Candidate] = []
        var counts: [WorkKind: Int] = [:]
        if FamilyAccess.mayUseFamilyRoutes(staff.role) {
            let families = try await IntakeService(request: request).worklistItems(kind: kind, limit: want)
            counts.merge(families.counts, uniquingKeysWith: +)
            candidates += families.items.map {
                Candidate(due: $0.item.due, kind: $0.item.kind, tiebreak: $0.reference, family: $0.familyID, line: .family($0))
            }
        }
        if ReferralService.mayUseReferrals(staff.role) {
            let referrals = try await ReferralService(request: request)
                .worklistCandidates(kinds: kind.map { [$0] }, limit: want)
            counts.merge(referrals.counts, uniquingKeysWith: +)
            candidates += referrals.items.map {
                Candidate(due: $0.due, kind: $0.kind, tiebreak: $0.item.familyReference + $0.item.id.uuidString,
                          family: $0.familyID, line: .referral($0))
            }
        }
        let ordered = WorklistOrder.sorted(candidates, due: \.due, kind: \.kind, tiebreak: \.tiebreak)
        let shown = Array(ordered.dropFirst(page.offset).prefix(page.per))
        let total = kind.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
        try await audit(shown.map(\.family))
        let lines = shown.map { candidate -> WorkItemDTO in
            switch candidate.line {
            case .family(let family): Self.familyItem(family, today: today)
            case .referral(let referral): Self.referralItem(referral, today: today)
            }
        }
        return WorklistPage(items: lines, counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                            total: total, page: page.page, per: page.per, hasMore: ordered.count > page.offset + page.per)
    }

    private struct Candidate {
        enum Line {
            case family(IntakeService.WorklistFamilyItem)
            case referral(ReferralService.WorkCandidate)
        }
        let due: CalendarDate
        let kind: WorkKind
        let tiebreak: String
        let family: UUID
        let line: Line
    }

    /// One entry for the request, naming every family on the page (in order, each once).
    private func audit(_ shown: [UUID]) async throws {
        var families: [UUID] = []
        for id in shown where !families.contains(id) { families.append(id) }
        if let reads = request.reads {
            reads.noteList(action: "worklist.read", families: families, by: AuditSubject(staff))
        } else {
            try await request.recordAudit([AuditEvent.list("worklist.read", families: families)], by: AuditSubject(staff))
        }
    }

    private static func familyItem(_ family: IntakeService.WorklistFamilyItem, today: CalendarDate) -> WorkItemDTO {
        let item = family.item
        let page = "/families/\(family.familyID)/intake"
        let href: String = switch item.kind {
        case .signalUnanswered: page + "#signals"
        case .planActionDue, .planReviewDue: page + "#plan"
        case .screeningDue: page + "/screening"
        default: page + "#contacts"
        }
        return WorkItemDTO(kind: item.kind, action: item.kind.action, href: href, due: item.due.iso, overdue: item.due < today,
                           since: item.since?.iso, familyReference: family.reference, familyId: family.familyID,
                           familyName: family.name, firstName: nil, referralId: nil, offerName: nil, organisationName: nil,
                           time: nil, place: nil, detail: item.detail)
    }

    private static func referralItem(_ candidate: ReferralService.WorkCandidate, today: CalendarDate) -> WorkItemDTO {
        let referral = candidate.item
        return WorkItemDTO(kind: candidate.kind, action: candidate.kind.action, href: "/referrals/\(referral.id)",
                           due: candidate.due.iso, overdue: candidate.due < today, since: candidate.since?.iso,
                           familyReference: referral.familyReference, familyId: referral.familyId,
                           familyName: referral.familyName, firstName: referral.firstName, referralId: referral.id,
                           offerName: referral.offerName, organisationName: referral.organisationName,
                           time: candidate.plannedTime, place: candidate.plannedPlace, detail: nil)
    }
}
