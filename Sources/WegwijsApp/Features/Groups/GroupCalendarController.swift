import Foundation
import Vapor
import WegwijsCore

/// `/api/v1/groups/calendar-links`: make, list and revoke feed links (docs/groups.md, "Calendar"). The controller
/// decodes and encodes; `GroupCalendarService` decides, audits and writes.
struct GroupCalendarController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let links = routes.grouped("groups", "calendar-links")
        links.get(use: list)
        links.post(use: create)
        links.delete(":linkID", use: revoke)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try GroupCalendarService(request: request)
        try FamilyAccess.require(service.staff, .create, .calendarLink)
        let created = try await service.create(try request.content.decode(CalendarLinkInput.self))
        let response = try await created.encodeResponse(status: .created, for: request)
        // The answer holds the token: no cache may keep it.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func list(_ request: Request) async throws -> [CalendarLinkDTO] {
        try await GroupCalendarService(request: request).list()
    }

    func revoke(_ request: Request) async throws -> HTTPStatus {
        let service = try GroupCalendarService(request: request)
        try FamilyAccess.require(service.staff, .delete, .calendarLink)
        try await service.revoke(try request.uuidParameter("linkID", what: "link"))
        return .noContent
    }
}

/// `GET /calendar/<token>.ics`: the public feed a calendar client subscribes to. No session, no cookie, no account:
/// the token is the only key, and the feed holds only series and sessions (never a parent). An unknown and a revoked
/// token answer the same 404.
struct GroupCalendarFeedController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("calendar", ":file", use: feed)
    }

    func feed(_ request: Request) async throws -> Response {
        let file = request.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics"),
              let body = try await request.groupCalendarFeed(token: String(file.dropLast(4)))
        else {
            // Plain text, the same bytes for an unknown and a revoked token: a calendar client is not a browser, and
            // the error page would carry a session and a CSRF token.
            let response = Response(status: .notFound, body: .init(string: "No calendar at this address.\n"))
            response.headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        // Clients poll; a few minutes' staleness is fine, and the address is private to whoever holds it.
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        return response
    }
}
