import Fluent
import Vapor

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
        /// A partner's group sessions as a guest (partners have no worklist; their start page is this one).
        var groups: [GroupCalendar.WorklistRow] = []
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
        let context = HomeContext(page: PageInfo(request, titleKey: "home.title"),
                                  municipalityName: municipality?.name ?? "", organisationName: organisation?.name ?? "",
                                  noFamilyAccess: !FamilyAccess.mayUseFamilyRoutes(staff.role),
                                  groups: staff.role == .partner ? try await GroupCalendar.worklistRows(request) : [])
        return try await request.render("home", context)
    }
}
