import Foundation
import NIOConcurrencyHelpers
import Vapor

/// What one request showed of which families. The feature services (the doors) note every section they show; when
/// the request ends, `RequestAuditMiddleware` writes ONE audit entry per family shown, naming the sections
/// (NEN 7513 asks who saw which client's record, when and why — not one row per database query), and one entry per
/// list naming every family on it. The entries are committed before the answer leaves, so nothing is shown unaudited.
///
/// It also remembers the households loaded for this request, so a page of eight sections takes one access decision
/// and loads the family once. Only for the length of one request: nothing is kept between requests.
final class RequestReads: Sendable {
    private struct Shown {
        let familyID: UUID
        let reference: String
        let subject: AuditSubject
        var action: String
        var sections: [String]
        var details: [String]
    }
    private struct State {
        var shown: [Shown] = []
        var lists: [(AuditEvent, AuditSubject)] = []
        var households: [UUID: FamilyService.Household] = [:]
    }
    private let state = NIOLockedValueBox(State())

    /// Notes that `section` of a family was shown. The first action noted names the entry.
    func noteShown(_ familyID: UUID, reference: String, action: String, detail: String = "", by subject: AuditSubject) {
        let section = Self.section(of: action)
        state.withLockedValue { state in
            if let index = state.shown.firstIndex(where: { $0.familyID == familyID && $0.subject.userID == subject.userID }) {
                if !state.shown[index].sections.contains(section) { state.shown[index].sections.append(section) }
                if !detail.isEmpty { state.shown[index].details.append(detail) }
            } else {
                state.shown.append(Shown(familyID: familyID, reference: reference, subject: subject, action: action,
                                         sections: [section], details: detail.isEmpty ? [] : [detail]))
            }
        }
    }

    /// Notes a list or worklist: one entry naming every family on it (`AuditEvent.list`, the same shape as the
    /// family list's and the referral lists' entries).
    func noteList(action: String, families: [UUID], by subject: AuditSubject) {
        guard !families.isEmpty else { return }
        state.withLockedValue { state in
            state.lists.append((AuditEvent.list(action, families: families), subject))
        }
    }

    func household(_ id: UUID) -> FamilyService.Household? { state.withLockedValue { $0.households[id] } }
    func remember(_ household: FamilyService.Household) {
        guard let id = household.family.id else { return }
        state.withLockedValue { $0.households[id] = household }
    }
    /// A change through the door makes what this request loaded before it stale.
    func forget(_ id: UUID) { _ = state.withLockedValue { $0.households.removeValue(forKey: id) } }

    /// The entries to write, with who made them; empties the list.
    func drain() -> [(AuditEvent, AuditSubject)] {
        state.withLockedValue { state in
            let families = state.shown.map { shown -> (AuditEvent, AuditSubject) in
                let detail = (["sections=\(shown.sections.joined(separator: ","))"] + shown.details).joined(separator: " ")
                return (AuditEvent(action: shown.action, familyID: shown.familyID, familyReference: shown.reference, detail: detail),
                        shown.subject)
            }
            let lists = state.lists
            state.shown = []
            state.lists = []
            return families + lists
        }
    }

    /// `intake.read` → `intake`, `screening.list` → `screening`, `family.matches` → `matches`.
    static func section(of action: String) -> String {
        let parts = action.split(separator: ".")
        guard parts.count == 2 else { return action }
        return ["read", "list", "form"].contains(parts[1]) ? String(parts[0]) : String(parts[1])
    }
}

extension Request {
    private struct RequestReadsKey: StorageKey { typealias Value = RequestReads }

    /// This request's record of what it showed; nil outside `RequestAuditMiddleware` (then reads audit at once).
    var reads: RequestReads? {
        get { storage[RequestReadsKey.self] }
        set { storage[RequestReadsKey.self] = newValue }
    }
}

/// Writes the audit entries of what a request showed, once, before its answer leaves — also when the answer is an
/// error page rendered after some data was read.
struct RequestAuditMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let reads = RequestReads()
        request.reads = reads
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            try await flush(reads, request)
            throw error
        }
        try await flush(reads, request)
        return response
    }

    private func flush(_ reads: RequestReads, _ request: Request) async throws {
        let entries = reads.drain()
        guard !entries.isEmpty else { return }
        // Grouped by who read, in order, as `record` takes one subject (in practice there is one per request).
        var groups: [(subject: AuditSubject, events: [AuditEvent])] = []
        for (event, subject) in entries {
            if let index = groups.firstIndex(where: { $0.subject.userID == subject.userID }) {
                groups[index].events.append(event)
            } else {
                groups.append((subject, [event]))
            }
        }
        for group in groups { try await request.audit.record(group.events, by: group.subject, on: request.db) }
    }
}
