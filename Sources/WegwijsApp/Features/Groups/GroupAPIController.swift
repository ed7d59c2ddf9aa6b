import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/api/v1/groups/series`: group series, their sessions, parents and attendance (docs/groups.md). The controller
/// decodes and encodes; `GroupService` decides, audits and writes.
struct GroupAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let all = routes.grouped("groups", "series")
        all.get(use: list)
        all.post(use: create)
        let one = all.grouped(":seriesID")
        one.get(use: get)
        one.put(use: update)
        one.post("sessions", use: addSession)
        one.put("sessions", ":sessionID", use: updateSession)
        one.put("sessions", ":sessionID", "attendance", use: recordAttendance)
        one.post("participants", use: addParticipant)
        one.put("participants", ":participantID", use: updateParticipant)
        let plan = routes.grouped("groups", "plan")
        plan.post(use: propose)
        plan.post("accept", use: accept)
        plan.post("invite", use: inviteEveryone)
        bootAvailability(routes: routes)
    }

    /// `POST /api/v1/groups/plan/invite`: invite everyone (R26) — the newly settled parents who speak one of the
    /// offer's languages go onto its planner input.
    func inviteEveryone(_ request: Request) async throws -> GroupInviteResult {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        return try await service.inviteEveryone(try request.content.decode(GroupInviteRequest.self))
    }

    /// `POST /api/v1/groups/plan`: the planner's proposal for a group offer's waiting list (parent ids = member ids).
    func propose(_ request: Request) async throws -> GroupPlanDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let input = try request.content.decode(GroupPlanRequest.self)
        let (plan, demand) = try await service.propose(input)
        return GroupPlanDTO(offerId: demand.offer.id!, plan: plan)
    }

    /// `POST /api/v1/groups/plan/accept`: one proposed series becomes a series with its parents.
    func accept(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let id = try await service.accept(try request.content.decode(GroupPlanRequest.self))
        let detail = try await service.detail(id)
        let response = try await detail.encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/groups/series/\(id)")
        return response
    }

    private func seriesID(_ request: Request) throws -> UUID { try request.uuidParameter("seriesID", what: "series") }

    func list(_ request: Request) async throws -> [GroupSeriesDTO] {
        try await GroupService(request: request).list()
    }

    func create(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let detail = try await service.create(try request.content.decode(GroupSeriesInput.self))
        let response = try await detail.encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/groups/series/\(detail.series.id)")
        return response
    }

    func get(_ request: Request) async throws -> GroupSeriesDetailDTO {
        try await GroupService(request: request).detail(try seriesID(request))
    }

    func update(_ request: Request) async throws -> GroupSeriesDetailDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .update, .groupSeries)
        var input = try request.content.decode(GroupSeriesInput.self)
        input.version = try expectedVersion(request, body: input.version)
        return try await service.update(try seriesID(request), input)
    }

    func addSession(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .update, .groupSeries)
        let detail = try await service.addSession(to: try seriesID(request), try request.content.decode(GroupSessionInput.self))
        return try await detail.encodeResponse(status: .created, for: request)
    }

    func updateSession(_ request: Request) async throws -> GroupSeriesDetailDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .update, .groupSeries)
        var input = try request.content.decode(GroupSessionInput.self)
        input.version = try expectedVersion(request, body: input.version)
        return try await service.updateSession(try request.uuidParameter("sessionID", what: "session"), of: try seriesID(request), input)
    }

    func recordAttendance(_ request: Request) async throws -> GroupSeriesDetailDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .update, .attendance)
        return try await service.recordAttendance(try request.uuidParameter("sessionID", what: "session"), of: try seriesID(request),
                                                  try request.content.decode(GroupAttendanceInput.self))
    }

    func addParticipant(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupParticipant)
        let detail = try await service.addParticipant(to: try seriesID(request), try request.content.decode(GroupParticipantInput.self))
        return try await detail.encodeResponse(status: .created, for: request)
    }

    func updateParticipant(_ request: Request) async throws -> GroupSeriesDetailDTO {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .update, .groupParticipant)
        var input = try request.content.decode(GroupParticipantUpdate.self)
        input.version = try expectedVersion(request, body: input.version)
        return try await service.updateParticipant(try request.uuidParameter("participantID", what: "participant"),
                                                   of: try seriesID(request), input)
    }
}
