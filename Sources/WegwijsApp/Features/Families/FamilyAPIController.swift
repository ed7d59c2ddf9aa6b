import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/api/v1/families`: list, search, get, create, update, close, reopen; members of a family.
struct FamilyAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let families = routes.grouped("families")
        families.get(use: list)
        families.post("search", use: search)
        families.post("duplicates", use: duplicates)
        families.post(use: create)
        let family = families.grouped(":familyID")
        family.get(use: get)
        family.put(use: update)
        family.post("close", use: close)
        family.post("reopen", use: reopen)
        family.get("members", use: listMembers)
        family.post("members", use: addMember)
        family.get("members", ":memberID", use: getMember)
        family.put("members", ":memberID", use: updateMember)
        family.delete("members", ":memberID", use: deleteMember)
    }

    // MARK: families

    /// `GET /api/v1/families?page=&per=&after=&count=&language=&situation=&status=&mine=&openNeed=&parentLanguage=`. Names are searched with POST /search,
    /// so they never appear in a URL (or in a proxy's log).
    func list(_ request: Request) async throws -> Response {
        // The query string is decoded once: this is the busiest route.
        let query = try request.query.decode(ListParameters.self)
        if query.name != nil {
            throw AppError(status: .badRequest, code: "name-in-url",
                           message: "Search by name with POST /api/v1/families/search, so names stay out of URLs.")
        }
        let filter = FamilyFilter(name: nil, language: query.language, situation: query.situation, status: query.status,
                                  mine: query.mine.map { $0 == "true" || $0 == "1" }, openNeed: query.openNeed,
                                  parentLanguage: query.parentLanguage)
        return try await page(request, filter: filter,
                              paging: PageRequest.parse(page: query.page, per: query.per, count: query.count, after: query.after))
    }

    private struct ListParameters: Decodable {
        var name: String?
        var language: String?
        var situation: String?
        var status: String?
        var mine: String?
        var openNeed: String?
        var parentLanguage: String?
        var page: String?
        var per: String?
        var count: String?
        var after: String?
    }

    /// `POST /api/v1/families/search` with `{"name", "language", "situation", "status", "mine"}`; paging in the query.
    func search(_ request: Request) async throws -> Response {
        let filter = try request.content.decode(FamilyFilter.self)
        return try await page(request, filter: filter, paging: PageRequest.from(request))
    }

    private func page(_ request: Request, filter: FamilyFilter, paging: PageRequest) async throws -> Response {
        let service = try FamilyService(request: request)
        return EncodedJSON.response(try await service.listPageJSON(filter: filter, page: paging))
    }

    func get(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        let household = try await service.read(try familyID(request))
        return try dto(household, service: service, status: .ok)
    }

    /// `POST /api/v1/families/duplicates` with the body a registration would send: the families of the municipality
    /// that may be the same household (audited as a list). Checks nothing else and writes no family.
    func duplicates(_ request: Request) async throws -> DuplicateCandidates {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(FamilyInput.self)
        let members = (input.members ?? []).map(\.draft)
        // What registering would refuse is refused here too (422, the fields named), before anything is looked up.
        try await service.validateRegistration(household: input.household, members: members, assignment: input.assignment)
        return DuplicateCandidates(candidates: try await service.possibleDuplicates(household: input.household, members: members))
    }

    func create(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(FamilyInput.self)
        let household = try await service.create(household: input.household, members: (input.members ?? []).map(\.draft),
                                                 assignment: input.assignment)
        let response = try dto(household, service: service, status: .created)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/families/\(household.family.id!)")
        return response
    }

    func update(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(FamilyInput.self)
        let household = try await service.update(try familyID(request), household: input.household,
                                                 assignment: input.assignment,
                                                 version: try expectedVersion(request, body: input.version))
        return try dto(household, service: service, status: .ok)
    }

    func close(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(CloseFamilyInput.self)
        let household = try await service.close(try familyID(request), reason: input.reason, note: input.note,
                                                version: try expectedVersion(request, body: input.version))
        return try dto(household, service: service, status: .ok)
    }

    struct VersionInput: Content { var version: Int? }

    func reopen(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = (try? request.content.decode(VersionInput.self)) ?? VersionInput(version: nil)
        let household = try await service.reopen(try familyID(request),
                                                 version: try expectedVersion(request, body: input.version))
        return try dto(household, service: service, status: .ok)
    }

    // MARK: members

    func listMembers(_ request: Request) async throws -> [MemberDTO] {
        let service = try FamilyService(request: request)
        let household = try await service.read(try familyID(request), action: "member.list")
        return household.members.map { MemberDTO($0, showBSN: FamilyAccess.maySeeBSN(service.staff)) }
    }

    func getMember(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        let memberID = try request.uuidParameter("memberID", what: "member")
        let household = try await service.read(try familyID(request), action: "member.read")
        guard let member = household.members.first(where: { $0.id == memberID }) else { throw AppError.notFound("member") }
        return try memberResponse(member, service: service, status: .ok)
    }

    func addMember(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(MemberInput.self)
        let familyID = try familyID(request)
        let member = try await service.addMember(to: familyID, input.draft)
        let response = try memberResponse(member, service: service, status: .created)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/families/\(familyID)/members/\(member.id!)")
        return response
    }

    func updateMember(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(MemberInput.self)
        let member = try await service.updateMember(try request.uuidParameter("memberID", what: "member"), of: try familyID(request),
                                                    input.draft, version: try expectedVersion(request, body: input.version))
        return try memberResponse(member, service: service, status: .ok)
    }

    func deleteMember(_ request: Request) async throws -> HTTPStatus {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let body = request.body.data == nil ? nil : try? request.content.decode(VersionInput.self)
        try await service.deleteMember(try request.uuidParameter("memberID", what: "member"), of: try familyID(request),
                                       version: try expectedVersion(request, body: body?.version))
        return .noContent
    }

    // MARK: helpers

    private func familyID(_ request: Request) throws -> UUID { try request.uuidParameter("familyID", what: "family") }

    private func dto(_ household: FamilyService.Household, service: FamilyService, status: HTTPResponseStatus) throws -> Response {
        let body = FamilyDTO(household.family, members: household.members, municipalityCode: service.staff.municipalityCode,
                             showBSN: FamilyAccess.maySeeBSN(service.staff))
        let response = Response(status: status)
        try response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .eTag, value: ETag.make(household.family.version))
        return response
    }

    private func memberResponse(_ member: Member, service: FamilyService, status: HTTPResponseStatus) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(MemberDTO(member, showBSN: FamilyAccess.maySeeBSN(service.staff)), as: .json)
        response.headers.replaceOrAdd(name: .eTag, value: ETag.make(member.version))
        return response
    }
}

/// Versions travel as weak-free ETags (`"3"`). An update names the version it edits in `If-Match` or in a
/// `version` field; when both are sent they must agree.
enum ETag {
    static func make(_ version: Int) -> String { "\"\(version)\"" }

    static func parse(_ header: String) -> Int? {
        var text = header.trimmed
        if text.hasPrefix("W/") { text = String(text.dropFirst(2)) }
        return Int(text.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }
}

func expectedVersion(_ request: Request, body: Int?) throws -> Int? {
    guard let header = request.headers.first(name: .ifMatch) else { return body }
    guard let version = ETag.parse(header) else {
        throw AppError(status: .badRequest, code: "bad-if-match", message: "If-Match must be an ETag from a previous response.")
    }
    if let body, body != version {
        throw AppError(status: .badRequest, code: "version-mismatch", message: "If-Match and the version field disagree.")
    }
    return version
}
