import Fluent
import Foundation
import Vapor
import WegwijsCore

struct NotificationDTO: Content {
    let id: UUID
    let kind: String
    let referralId: UUID?
    let familyReference: String
    let organisationName: String
    let createdAt: Date
    let read: Bool

    init(_ notification: Notification) {
        id = notification.id!
        kind = notification.kind
        referralId = notification.$referral.id
        familyReference = notification.familyReference
        organisationName = notification.organisationName
        createdAt = notification.createdAt
        read = notification.readAt != nil
    }
}

/// `/api/v1/referrals…`, `/api/v1/notifications…`, `/api/v1/settings/referrals` (docs/referrals.md).
struct ReferralAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let referrals = routes.grouped("referrals")
        referrals.get(use: list)
        referrals.post(use: create)
        referrals.get("inbox", use: inbox)
        referrals.get(":referralID", use: show)
        referrals.get(":referralID", "transitions", use: history)
        referrals.post(":referralID", "transitions", use: transition)
        referrals.post(":referralID", "handover", use: handover)
        referrals.post(":referralID", "chase", use: chase)
        routes.get("families", ":familyID", "referrals", use: forFamily)
        routes.get("notifications", use: notifications)
        routes.post("notifications", "read", use: markRead)
        routes.get("settings", "referrals", use: settings)
        routes.put("settings", "referrals", use: updateSettings)
    }

    private struct StatusQuery: Decodable { var status: String? }

    func list(_ request: Request) async throws -> ReferralPage {
        let service = try ReferralService(request: request)
        try service.requireUse()
        return try await service.list(status: try request.query.decode(StatusQuery.self).status, page: try PageRequest.from(request))
    }

    func inbox(_ request: Request) async throws -> ReferralPage {
        let service = try ReferralService(request: request)
        try service.requireUse()
        return try await service.inbox(status: try request.query.decode(StatusQuery.self).status, page: try PageRequest.from(request))
    }

    func forFamily(_ request: Request) async throws -> [ReferralListItem] {
        try await ReferralService(request: request).forFamily(try request.uuidParameter("familyID", what: "family"))
    }

    func create(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        try FamilyAccess.require(service.staff, .refer, .referral)
        let input = try request.content.decode(ReferralInput.self)
        let referral = try await service.create(input)
        let response = Response(status: .created)
        try response.content.encode(try await service.detail(referral.requireID()), as: .json)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/referrals/\(referral.id!.uuidString.lowercased())")
        return response
    }

    func show(_ request: Request) async throws -> ReferralDTO {
        try await ReferralService(request: request).detail(try request.uuidParameter("referralID", what: "referral"))
    }

    func history(_ request: Request) async throws -> [ReferralEventDTO] {
        try await ReferralService(request: request).detail(try request.uuidParameter("referralID", what: "referral")).events
    }

    func transition(_ request: Request) async throws -> ReferralDTO {
        let service = try ReferralService(request: request)
        try service.requireUse()
        let id = try request.uuidParameter("referralID", what: "referral")
        let referral = try await service.transition(id, try request.content.decode(TransitionRequest.self))
        return try await service.detail(referral.requireID())
    }

    private struct HandoverBody: Decodable { var happened: Bool?; var note: String? }
    private struct NoteBody: Decodable { var note: String? }

    func handover(_ request: Request) async throws -> ReferralDTO {
        let service = try ReferralService(request: request)
        try service.requireUse()
        let body = try request.content.decode(HandoverBody.self)
        let referral = try await service.recordHandover(try request.uuidParameter("referralID", what: "referral"),
                                                        happened: body.happened, note: body.note)
        return try await service.detail(referral.requireID())
    }

    func chase(_ request: Request) async throws -> ReferralDTO {
        let service = try ReferralService(request: request)
        try service.requireUse()
        let note = request.body.data == nil ? nil : try request.content.decode(NoteBody.self).note
        let referral = try await service.chase(try request.uuidParameter("referralID", what: "referral"), note: note)
        return try await service.detail(referral.requireID())
    }

    private struct UnreadQuery: Decodable { var unread: Bool? }
    private struct ReadBody: Decodable { var id: UUID? }

    func notifications(_ request: Request) async throws -> [NotificationDTO] {
        let unread = try request.query.decode(UnreadQuery.self).unread ?? false
        return try await ReferralService(request: request).notifications(unreadOnly: unread).map(NotificationDTO.init)
    }

    func markRead(_ request: Request) async throws -> Response {
        let id = request.body.data == nil ? nil : try request.content.decode(ReadBody.self).id
        try await ReferralService(request: request).markRead(id)
        return Response(status: .noContent)
    }

    func settings(_ request: Request) async throws -> ReferralSettings {
        let service = try ReferralService(request: request)
        try FamilyAccess.require(service.staff, .read, .settings)
        return try await service.settings()
    }

    func updateSettings(_ request: Request) async throws -> ReferralSettings {
        let service = try ReferralService(request: request)
        let settings = try request.content.decode(ReferralSettings.self)
        return try await service.updateSettings(settings)
    }
}
