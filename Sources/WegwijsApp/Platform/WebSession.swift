import Fluent
import Foundation
import Vapor
import WegwijsCore

/// Session settings: idle and absolute lifetimes of a web sign-in.
struct SessionPolicy: Sendable {
    var idleTimeout: TimeInterval = 30 * 60
    var absoluteTimeout: TimeInterval = 10 * 60 * 60
    /// How stale the session's "last seen" may be before a request refreshes it: a minute, or a tenth of a short
    /// idle timeout (tests run with seconds).
    var lastSeenStep: TimeInterval { min(60, idleTimeout / 10) }
}

/// The database sessions, written back only when a request changed them. Vapor's sessions middleware writes the
/// session after every answer; that made every page view a database write, and SQLite has one writer.
struct ChangedSessionsOnly: SessionDriver {
    let base: any SessionDriver
    private struct ReadKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        base.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        base.readSession(sessionID, for: request).map { data in
            request.storage[ReadKey.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadKey.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}

enum SessionKeys {
    static let userID = "uid"
    static let lastSeen = "seen"
    static let signedInAt = "since"
    static let csrf = "csrf"
    static let locale = "locale"
    static let familyFilter = "familyFilter"
}

extension Request {
    private struct ExpiredKey: StorageKey { typealias Value = Bool }

    /// True when the browser came with a sign-in that has run out (idle, too old, or no longer known).
    var sessionExpired: Bool {
        get { storage[ExpiredKey.self] ?? false }
        set { storage[ExpiredKey.self] = newValue }
    }

    /// The session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data[SessionKeys.csrf] { return token }
        let token = [UInt8].random(count: 32).base64URL
        session.data[SessionKeys.csrf] = token
        return token
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    var base64URL: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Restores the signed-in staff member from the session cookie and enforces the session's lifetimes.
struct SessionStaffMiddleware: AsyncMiddleware {
    let policy: SessionPolicy
    let cookieName: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let now = WallClock.system.now.timeIntervalSince1970
        if let raw = request.session.data[SessionKeys.userID], let userID = UUID(uuidString: raw) {
            let lastSeen = request.session.data[SessionKeys.lastSeen].flatMap(Double.init) ?? 0
            let since = request.session.data[SessionKeys.signedInAt].flatMap(Double.init) ?? 0
            if now - lastSeen > policy.idleTimeout || now - since > policy.absoluteTimeout {
                request.session.data[SessionKeys.userID] = nil
                request.sessionExpired = true
            } else if let staff = try await StaffIdentity.active(userID, on: request.db) {
                request.staff = staff
                // Refreshed at most every `lastSeenStep` seconds: an unchanged session is not written back
                // (`ChangedSessionsOnly`), so most page views write nothing. The idle time then counts from up to one
                // step earlier: a session expires at most that much sooner, never later.
                if now - lastSeen >= policy.lastSeenStep { request.session.data[SessionKeys.lastSeen] = String(Int(now)) }
            } else {
                request.session.data[SessionKeys.userID] = nil
                request.sessionExpired = true
            }
        } else if request.cookies[cookieName] != nil, request.session.id == nil {
            // The cookie names a session that no longer exists (signed out elsewhere, removed, or expired).
            request.sessionExpired = true
        }
        return try await next.respond(to: request)
    }
}

/// Web pages behind sign-in: unsigned visitors go to the login page (told when their session expired).
struct RequireSignInMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.staff != nil else {
            return request.redirect(to: request.sessionExpired ? "/login?expired=1" : "/login")
        }
        return try await next.respond(to: request)
    }
}

/// Every state-changing web request must carry the session's CSRF token in the `_csrf` form field.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET && request.method != .HEAD {
            // A body that arrives in pieces (anything over a couple of KB) is not read yet: read it first.
            if request.body.data == nil {
                let limit = request.url.path == BodyLimitMiddleware.uploadPath ? BodyLimitMiddleware.uploadLimit : 1 << 20
                _ = try await request.body.collect(max: limit).get()
            }
            let sent = (try? request.content.get(String.self, at: "_csrf")) ?? ""
            guard let expected = request.session.data[SessionKeys.csrf], !sent.isEmpty,
                  Array(sent.utf8).constantTimeEquals(Array(expected.utf8)) else {
                throw AppError(status: .forbidden, code: "csrf", message: "This form has expired. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }
}

extension Array where Element == UInt8 {
    func constantTimeEquals(_ other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        var difference: UInt8 = 0
        for index in indices { difference |= self[index] ^ other[index] }
        return difference == 0
    }
}

/// What every page's layout needs (see Resources/Views/layout.leaf).
struct PageInfo: Encodable {
    let lang: String
    let dir: String
    let title: String
    let csrf: String
    let otherLocale: String
    let otherLocaleName: String
    let signedIn: Bool
    let staffName: String?
    let roleLabel: String?
    let canSeeFamilies: Bool
    let canRegister: Bool
    let isAdmin: Bool
    /// Partners work from their referral inbox; they have no family pages.
    let isPartner: Bool
    let usesReferrals: Bool
    /// Case managers, key persons and trainers work with group series.
    let usesGroups: Bool
    /// Policy officers (and the admin) read the procurement checklist.
    let usesProcurement: Bool
    /// Case managers, policy officers and the admin read the municipality's reports.
    let usesReports: Bool
    let flash: String?

    init(_ request: Request, titleKey: String, flash: String? = nil) {
        let locale = request.staffLocale
        let catalog = request.application.locales
        lang = locale.rawValue
        dir = locale.isRightToLeft ? "rtl" : "ltr"
        title = catalog.text(titleKey, locale)
        csrf = request.csrfToken
        let other: StaffLocale = locale == .nl ? .en : .nl
        otherLocale = other.rawValue
        otherLocaleName = other == .en ? "English" : "Nederlands"
        let staff = request.staff
        signedIn = staff != nil
        staffName = staff?.displayName
        roleLabel = staff.map { catalog.label("role", $0.role.rawValue, locale) }
        canSeeFamilies = staff.map { FamilyAccess.mayUseFamilyRoutes($0.role) } ?? false
        canRegister = staff.map { FamilyAccess.mayChangeFamilies($0.role) } ?? false
        isAdmin = staff?.role == .admin
        isPartner = staff?.role == .partner
        usesReferrals = staff.map { ReferralService.mayUseReferrals($0.role) } ?? false
        usesGroups = staff.map { FamilyAccess.may($0.role, .list, .groupSeries) } ?? false
        usesProcurement = staff.map { FamilyAccess.may($0.role, .read, .procurement) } ?? false
        usesReports = staff.map { FamilyAccess.may($0.role, .read, .report) } ?? false
        self.flash = flash ?? request.takeFlash()
    }
}

extension Request {
    /// A one-time message for the next page (after a redirect).
    func setFlash(_ key: String) { session.data["flash"] = key }

    func takeFlash() -> String? {
        guard let key = session.data["flash"] else { return nil }
        session.data["flash"] = nil
        return t(key)
    }
}

/// The error page of the web UI.
enum ErrorPage {
    struct Context: Encodable {
        let page: PageInfo
        let status: Int
        let message: String
    }

    static func render(status: HTTPResponseStatus, code: String, for request: Request) async throws -> Response {
        let key: String
        switch status {
        case .notFound: key = "notFound"
        case .forbidden: key = code == "csrf" ? "csrf" : "forbidden"
        case .payloadTooLarge: key = "tooLarge"
        case .tooManyRequests: key = "locked"
        case .badRequest, .unprocessableEntity: key = "badRequest"
        case .conflict: key = "conflict"
        default: key = status.code >= 500 ? "internal" : "badRequest"
        }
        let context = Context(page: PageInfo(request, titleKey: "error.\(key).title"), status: Int(status.code),
                              message: request.t("error.\(key).message"))
        return try await request.render("error", context, status: status)
    }
}

extension Request {
    /// Renders a Leaf template with a status (a form with errors answers 422, a stale edit 409).
    func render(_ template: String, _ context: some Encodable, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await view.render(template, context).encodeResponse(for: self).get()
        response.status = status
        return response
    }

    /// A UUID route parameter; a malformed id is as unknown as a missing one (404).
    func uuidParameter(_ name: String, what: String) throws -> UUID {
        guard let id = parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw AppError.notFound(what) }
        return id
    }
}
