import Foundation
import Vapor
import WegwijsCore

/// `GET /worklist` (the page) and `GET /api/v1/worklist` (the same items as JSON): what needs the signed-in staff
/// member, most urgent first, with a filter per kind. Everything is read through `WorklistService`.
struct WorklistController: RouteCollection {
    let api: Bool

    func boot(routes: any RoutesBuilder) throws {
        if api { routes.get("worklist", use: json) } else { routes.get("worklist", use: page) }
    }

    private struct Filter: Decodable { var kind: String? }

    /// The `kind` filter: absent or empty for every kind; an unknown code is refused (422, naming the parameter).
    static func kind(_ request: Request) throws -> WorkKind? {
        guard let raw = try request.query.decode(Filter.self).kind, !raw.isEmpty else { return nil }
        guard let kind = WorkKind(rawValue: raw) else {
            throw AppError.badField("kind", "must be one of " + WorkKind.allCodes.joined(separator: ", "))
        }
        return kind
    }

    func json(_ request: Request) async throws -> WorklistPage {
        let service = try WorklistService(request: request)
        let kind = try Self.kind(request)
        var page = try await service.page(kind: kind, page: try PageRequest.from(request))
        page.groupSessions = try await request.groupWorklistItems(for: service.staff).map(GroupCalendar.WorklistDTO.init)
        return page
    }

    // MARK: the page

    struct FilterLink: Encodable {
        let label: String
        let count: Int
        let href: String
        let selected: Bool
    }

    struct Row: Encodable {
        let kind: String
        let reason: String
        /// "Te laat: 1 december 2026", "Vandaag", "Uiterlijk 3 december 2026".
        let when: String
        let due: String
        let overdue: Bool
        let who: String
        /// The family's intake page (lead side), beside the action's own link.
        let familyHref: String?
        let what: String?
        let time: String?
        let place: String?
        let action: String
        let href: String
    }

    struct Context: Encodable {
        let page: PageInfo
        let showWork: Bool
        let filters: [FilterLink]
        let rows: [Row]
        let total: Int
        let previous: String?
        let next: String?
        let groups: [GroupCalendar.WorklistRow]
    }

    func page(_ request: Request) async throws -> Response {
        let service = try WorklistService(request: request)
        // A trainer has no families or referrals, but has group sessions to be reminded of.
        if !service.hasWork && !GroupCalendar.hasGroupWorklist(service.staff.role) { throw AppError.forbidden }
        let groups = try await GroupCalendar.worklistRows(request)
        guard service.hasWork else {
            return try await request.render("intake/worklist", Context(page: PageInfo(request, titleKey: "worklist.title"),
                                                                       showWork: false, filters: [], rows: [], total: 0,
                                                                       previous: nil, next: nil, groups: groups))
        }
        let kind = try Self.kind(request)
        let paging = try PageRequest.from(request)
        let result = try await service.page(kind: kind, page: paging)
        let catalog = request.application.locales, locale = request.staffLocale, today = request.clock.today
        let all = result.counts.values.reduce(0, +)
        let filters = [FilterLink(label: catalog.text("worklist.filter.all", locale), count: all, href: "/worklist",
                                  selected: kind == nil)]
            + WorkKind.allCases.compactMap { code in
                result.counts[code.rawValue].map {
                    FilterLink(label: catalog.label("workKind", code.rawValue, locale), count: $0,
                               href: "/worklist?kind=\(code.rawValue)", selected: kind == code)
                }
            }
        let rows = result.items.map { item in
            let due = catalog.longDate(item.due, locale)
            let when = item.overdue ? catalog.text("worklist.when.overdue", locale) + " " + due
                : item.due == today.iso ? catalog.text("worklist.when.today", locale)
                : catalog.text("worklist.when.by", locale) + " " + due
            let what = item.detail ?? [item.offerName, item.organisationName].compactMap { $0 }.joined(separator: " · ").nilIfEmpty
            return Row(kind: item.kind.rawValue, reason: catalog.label("workKind", item.kind.rawValue, locale), when: when,
                       due: item.due, overdue: item.overdue,
                       who: [item.familyReference, item.familyName ?? item.firstName].compactMap { $0 }.joined(separator: " — "),
                       familyHref: item.familyId.map { "/families/\($0)/intake" }, what: what, time: item.time, place: item.place, action: catalog.label("workAction", item.action.rawValue, locale),
                       href: item.href)
        }
        let base = "/worklist?" + (kind.map { "kind=\($0.rawValue)&" } ?? "") + "page="
        return try await request.render("intake/worklist", Context(
            page: PageInfo(request, titleKey: "worklist.title"), showWork: true, filters: filters, rows: rows,
            total: result.total, previous: paging.page > 1 ? base + String(paging.page - 1) : nil,
            next: result.hasMore ? base + String(paging.page + 1) : nil, groups: groups))
    }
}
