import Fluent
import Foundation
import Vapor
import WegwijsCore

// The routes of what the planner knows about people (docs/groups.md, "When parents can come"), the
// municipality's districts, taking a parent off the planner input, and a session's hand-out. `GroupService`
// decides, audits and writes.

extension GroupAPIController {
    func bootAvailability(routes: any RoutesBuilder) {
        let groups = routes.grouped("groups")
        groups.get("districts", use: districts)
        groups.put("districts", use: saveDistricts)
        groups.put("plan", "availability", "parents", ":memberID", use: setParentAvailability)
        groups.put("plan", "availability", "facilitators", ":userID", use: setFacilitatorAvailability)
        groups.delete("plan", "invitees", ":inviteeID", use: removeInvitee)
        groups.get("series", ":seriesID", "sessions", ":sessionID", "handout", use: handout)
    }

    /// `GET /api/v1/groups/districts`: the municipality's districts.
    func districts(_ request: Request) async throws -> GroupDistrictList {
        let service = try GroupService(request: request)
        return GroupDistrictList(districts: try await service.districts().map {
            GroupDistrictDTO(code: $0.code, name: $0.name, postcodes: $0.areas)
        })
    }

    /// `PUT /api/v1/groups/districts`: replaces the district list.
    func saveDistricts(_ request: Request) async throws -> GroupDistrictList {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        return GroupDistrictList(districts: try await service.saveDistricts(try request.content.decode(GroupDistrictsInput.self)))
    }

    /// `PUT /api/v1/groups/plan/availability/parents/{memberID}`: when a waiting parent can come.
    func setParentAvailability(_ request: Request) async throws -> ParentAvailabilityDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let input = try request.content.decode(ParentAvailabilityInput.self)
        return try await service.setParentAvailability(try request.uuidParameter("memberID", what: "member"), input)
    }

    /// `PUT /api/v1/groups/plan/availability/facilitators/{userID}`: when a trainer or key person can work.
    func setFacilitatorAvailability(_ request: Request) async throws -> FacilitatorAvailabilityDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let input = try request.content.decode(FacilitatorAvailabilityInput.self)
        return try await service.setFacilitatorAvailability(try request.uuidParameter("userID", what: "colleague"), input)
    }

    /// `DELETE /api/v1/groups/plan/invitees/{inviteeID}`: takes a parent off the planner input.
    func removeInvitee(_ request: Request) async throws -> HTTPStatus {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        _ = try await service.removeInvitee(try request.uuidParameter("inviteeID", what: "invitee"))
        return .noContent
    }

    /// `GET /api/v1/groups/series/{seriesID}/sessions/{sessionID}/handout`: the session's hand-out.
    func handout(_ request: Request) async throws -> GroupHandout {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .read, .groupSeries)
        return try await service.handout(try request.uuidParameter("sessionID", what: "session"),
                                         of: try request.uuidParameter("seriesID", what: "series"),
                                         content: request.application.parentContent)
    }
}

extension GroupWebController {
    func bootAvailability(routes: any RoutesBuilder) {
        let plan = routes.grouped("groups", "plan")
        plan.post("availability", ":memberID", use: setParentAvailability)
        plan.post("facilitators", ":userID", use: setFacilitatorAvailability)
        plan.post("districts", use: saveDistricts)
        plan.post("invitees", ":inviteeID", "remove", use: removeInvitee)
        routes.get("groups", ":seriesID", "sessions", ":sessionID", "handout", use: handout)
    }

    private func planRedirect(_ offer: UUID?, anchor: String) -> String {
        "/groups/plan" + (offer.map { "?offer=\($0.uuidString)" } ?? "") + "#\(anchor)"
    }

    func setParentAvailability(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let form = try FormFields(request)
        let offer = form["offerId"].flatMap(UUID.init(uuidString:))
        let memberID = try request.uuidParameter("memberID", what: "member")
        let times = form.all("times"), districts = form.all("districts")
        do {
            _ = try await service.setParentAvailability(memberID, ParentAvailabilityInput(
                times: times, online: form["online"] != nil, mixedOk: form["mixedOk"] != nil, districts: districts))
            request.setFlash("flash.availabilitySaved")
            return request.redirect(to: planRedirect(offer, anchor: "parent-\(memberID.uuidString)"))
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            let edit = AvailabilityEdit(id: memberID, times: Set(times), districts: Set(districts), online: form["online"] != nil,
                                        mixedOk: form["mixedOk"] != nil, maxSeries: nil,
                                        errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }))
            return try await renderPlan(request, service, errors: errors.map {
                ErrorLink(field: "\($0.field)-\(memberID.uuidString)", message: $0.message)
            }, status: .unprocessableEntity, offer: offer, availability: edit)
        }
    }

    func setFacilitatorAvailability(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let form = try FormFields(request)
        let offer = form["offerId"].flatMap(UUID.init(uuidString:))
        let userID = try request.uuidParameter("userID", what: "colleague")
        let times = form.all("times")
        let maxSeries = form["maxSeries"].map { Int($0) ?? -1 }
        do {
            _ = try await service.setFacilitatorAvailability(userID, FacilitatorAvailabilityInput(times: times, maxSeries: maxSeries))
            request.setFlash("flash.availabilitySaved")
            return request.redirect(to: planRedirect(offer, anchor: "facilitator-\(userID.uuidString)"))
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            let edit = AvailabilityEdit(id: userID, times: Set(times), districts: [], online: false, mixedOk: false,
                                        maxSeries: form.raw("maxSeries"),
                                        errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }))
            return try await renderPlan(request, service, errors: errors.map {
                ErrorLink(field: "\($0.field)-\(userID.uuidString)", message: $0.message)
            }, status: .unprocessableEntity, offer: offer, availability: edit)
        }
    }

    /// The district list as typed: one district a line, `CODE Name: 2311-2315, 2320`.
    static func parseDistricts(_ text: String) -> [GroupDistrictInput] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { line in
            let (head, tail) = line.firstIndex(of: ":").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) } ?? (line, "")
            let words = head.split(separator: " ", maxSplits: 1).map(String.init)
            return GroupDistrictInput(code: words.first, name: words.count > 1 ? words[1] : words.first,
                                      postcodes: tail.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
    }

    static func districtText(_ districts: [GroupDistrict]) -> String {
        districts.map { "\($0.code) \($0.name)" + ($0.areas.isEmpty ? "" : ": " + $0.areas.joined(separator: ", ")) }
            .joined(separator: "\n")
    }

    func saveDistricts(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let form = try FormFields(request)
        let offer = form["offerId"].flatMap(UUID.init(uuidString:))
        let text = form.raw("districts")
        do {
            _ = try await service.saveDistricts(GroupDistrictsInput(districts: Self.parseDistricts(text)))
            request.setFlash("flash.districtsSaved")
            return request.redirect(to: planRedirect(offer, anchor: "districts-form"))
        } catch let error as AppError where error.status == .unprocessableEntity {
            // The field of a line (`districts[2].code`) becomes the text box, naming the line.
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField).map { error in
                let line = error.field.split(separator: "[").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
                return ErrorLink(field: "districts", message: line.map { String(format: request.t("groups.districts.line"), $0 + 1) + " " + error.message }
                                 ?? error.message)
            }
            return try await renderPlan(request, service, errors: Array(errors.prefix(1)), status: .unprocessableEntity, offer: offer,
                                        districtText: text)
        }
    }

    func removeInvitee(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let offer = try await service.removeInvitee(try request.uuidParameter("inviteeID", what: "invitee"))
        request.setFlash("flash.inviteeRemoved")
        return request.redirect(to: planRedirect(offer, anchor: "availability"))
    }

    struct HandoutContext: Encodable {
        let page: PageInfo
        let seriesId: UUID
        let handout: GroupHandout
        let dir: String
        let note: String?
    }

    /// The printable hand-out of one session: its topic's parents' pages in the group's language, with the
    /// municipality's own addresses.
    func handout(_ request: Request) async throws -> View {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .read, .groupSeries)
        let seriesID = try request.uuidParameter("seriesID", what: "series")
        let handout = try await service.handout(try request.uuidParameter("sessionID", what: "session"), of: seriesID,
                                                content: request.application.parentContent)
        let catalog = request.application.locales
        let untranslated = handout.pages.contains { $0.language != handout.seriesLanguage }
        let note = untranslated
            ? String(format: request.t("groups.handout.fallback"), catalog.languageName(handout.seriesLanguage, request.staffLocale))
            : nil
        return try await request.view.render("groups/handout", HandoutContext(
            page: PageInfo(request, titleKey: "groups.handout.title"), seriesId: seriesID, handout: handout,
            dir: Languages.rightToLeft.contains(handout.language) ? "rtl" : "ltr", note: note))
    }
}

/// A refused availability form: what was sent and the messages, shown again next to the fields.
struct AvailabilityEdit {
    let id: UUID
    let times: Set<String>
    let districts: Set<String>
    let online: Bool
    let mixedOk: Bool
    let maxSeries: String?
    let errors: [String: String]
}
