import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The web sign-in and sign-out pages, and the language switch.
struct LoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
        routes.post("language", use: switchLanguage)
    }

    struct LoginContext: Encodable {
        let page: PageInfo
        let username: String
        let error: String?
        let notice: String?
    }

    func form(_ request: Request) async throws -> Response {
        if request.staff != nil { return request.redirect(to: "/") }
        let notice: String?
        if request.query[String.self, at: "expired"] != nil || request.sessionExpired {
            notice = request.t("login.expired")
        } else if request.query[String.self, at: "signedOut"] != nil {
            notice = request.t("login.signedOut")
        } else {
            notice = nil
        }
        return try await render(request, username: "", error: nil, notice: notice, status: .ok)
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
    }

    func signIn(_ request: Request) async throws -> Response {
        let input = try request.content.decode(LoginForm.self)
        let username = input.username ?? ""
        do {
            let signIn = SignIn(request: request)
            let user = try await signIn.authenticate(username: username, password: input.password ?? "")
            let staff = try StaffIdentity(user: user)
            // A fresh session id on sign-in (no session fixation): drop the anonymous record, keep its language.
            if let old = request.session.id {
                try await signIn.forgetSession(old)
            }
            request.session.id = nil
            let now = String(Int(WallClock.system.now.timeIntervalSince1970))
            request.session.data[SessionKeys.userID] = staff.userID.uuidString
            request.session.data[SessionKeys.signedInAt] = now
            request.session.data[SessionKeys.lastSeen] = now
            request.session.data[SessionKeys.csrf] = [UInt8].random(count: 32).base64URL
            request.session.data[SessionKeys.familyFilter] = nil
            try await request.recordAudit([AuditEvent(action: "auth.login", purpose: AuditPurpose.security)],
                                     by: AuditSubject(staff))
            return request.redirect(to: "/")
        } catch SignIn.Failure.invalidCredentials {
            return try await render(request, username: username, error: request.t("login.failed"), notice: nil,
                                    status: .unauthorized)
        } catch SignIn.Failure.throttled(let seconds) {
            let message = request.t("login.throttled").replacingOccurrences(of: "{seconds}", with: String(seconds))
            let response = try await render(request, username: username, error: message, notice: nil, status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return response
        }
    }

    func signOut(_ request: Request) async throws -> Response {
        if let staff = request.staff {
            try await request.recordAudit([AuditEvent(action: "auth.logout", purpose: AuditPurpose.security)],
                                     by: AuditSubject(staff))
        }
        request.session.destroy()
        return request.redirect(to: "/login?signedOut=1")
    }

    struct LanguageForm: Content {
        var locale: String
    }

    func switchLanguage(_ request: Request) async throws -> Response {
        let input = try request.content.decode(LanguageForm.self)
        if let locale = StaffLocale(rawValue: input.locale) {
            request.session.data[SessionKeys.locale] = locale.rawValue
        }
        // Back to the page the user was on, when it is one of ours.
        var target = "/"
        if let referer = request.headers.first(name: .referer), let url = URI(string: referer).path.nilIfEmpty,
           url.hasPrefix("/"), !url.hasPrefix("//") {
            target = url
            if let query = URI(string: referer).query, !query.isEmpty { target += "?" + query }
        }
        return request.redirect(to: target)
    }

    private func render(_ request: Request, username: String, error: String?, notice: String?,
                        status: HTTPResponseStatus) async throws -> Response {
        let context = LoginContext(page: PageInfo(request, titleKey: "login.title"), username: username, error: error,
                                   notice: notice)
        return try await request.render("login", context, status: status)
    }
}
