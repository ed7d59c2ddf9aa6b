import Fluent
import Vapor
import WegwijsCore

/// The start page after sign-in: roles that work with families go to their families; others see where they work.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    struct HomeContext: Encodable {
        let page: PageInfo
        let municipalityName: String
        let organisationName: String
        let noFamilyAccess: Bool
        /// A partner's group sessions as a guest.
        var groups: [GroupCalendar.WorklistRow] = []
        /// A partner's inbox at a glance: the number of referrals in each state, and those to answer with their date.
        var inboxCounts: [InboxCount] = []
        var toAnswer: [ReferralWebController.Row] = []
    }

    struct InboxCount: Encodable {
        let status: String
        let label: String
        let count: Int
        let href: String
    }

    func home(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        if FamilyAccess.maySeeFamilyRecords(staff.role) {
            return request.redirect(to: "/my-families")
        }
        // A trainer's day is their series: the next session, the attendance to record.
        if staff.role == .facilitator { return request.redirect(to: "/groups") }
        let municipality = try await request.tenancy.municipality(staff.municipalityID)
        let organisation = try await request.tenancy.organisation(staff.organisationID)
        var context = HomeContext(page: PageInfo(request, titleKey: "home.title"),
                                  municipalityName: municipality?.name ?? "", organisationName: organisation?.name ?? "",
                                  noFamilyAccess: !FamilyAccess.mayUseFamilyRoutes(staff.role))
        if staff.role == .partner {
            context.groups = try await GroupCalendar.worklistRows(request)
            let summary = try await ReferralService(request: request).inboxSummary()
            let catalog = request.application.locales, locale = request.staffLocale
            context.inboxCounts = ReferralStatus.allCases.compactMap { status in
                summary.counts[status.rawValue].map {
                    InboxCount(status: status.rawValue, label: catalog.label("referralStatus", status.rawValue, locale), count: $0,
                               href: "/referrals?status=\(status.rawValue)")
                }
            }
            context.toAnswer = ReferralWebController.rows(summary.toAnswer, request)
        }
        return try await request.render("home", context)
    }
}
