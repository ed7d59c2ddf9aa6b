import Crypto
import Fluent
import Foundation
import Vapor
import WegwijsCore

/// Signing in with a user name and password, for the web form and the API alike, with throttling:
/// at most `maxAccountFailures` failed attempts per account and `maxAddressFailures` per client address within
/// `window`; beyond that the account or address is locked until the window has passed. A lock-out is audited.
struct SignIn {
    static let window: TimeInterval = 15 * 60
    static let maxAccountFailures = 5
    static let maxAddressFailures = 20

    let request: Request

    enum Failure: Error, Equatable {
        case invalidCredentials
        case locked
    }

    func authenticate(username rawUsername: String, password: String) async throws -> User {
        let account = rawUsername.trimmed.lowercased()
        let address = request.remoteAddress?.ipAddress ?? "unknown"
        let since = Date().addingTimeInterval(-Self.window)
        let db = request.db

        let accountFailures = try await LoginFailure.query(on: db).filter(\.$account == account).filter(\.$at >= since).count()
        let addressFailures = try await LoginFailure.query(on: db).filter(\.$address == address).filter(\.$at >= since).count()
        if accountFailures >= Self.maxAccountFailures || addressFailures >= Self.maxAddressFailures {
            throw Failure.locked
        }

        let user = try await User.query(on: db).filter(\.$username == account).filter(\.$active == true)
            .with(\.$municipality).first()
        // Verify against a dummy hash when the account is unknown, so timing does not tell which accounts exist.
        let hash = user?.passwordHash ?? Self.dummyHash
        let matches = (try? await request.password.async.verify(password, created: hash)) ?? false
        if let user, matches {
            try await LoginFailure.query(on: db).filter(\.$account == account).delete()
            return user
        }

        try await LoginFailure(account: account, address: address, at: Date()).create(on: db)
        var lockedWhat: [String] = []
        if accountFailures + 1 == Self.maxAccountFailures { lockedWhat.append("account") }
        if addressFailures + 1 == Self.maxAddressFailures { lockedWhat.append("address") }
        if !lockedWhat.isEmpty {
            let subject = user.flatMap { try? StaffIdentity(user: $0) }.map(AuditSubject.init) ?? AuditSubject(anonymous: account)
            try await request.audit.record([AuditEvent(action: "auth.lockout", purpose: AuditPurpose.security,
                                                       detail: "locked=\(lockedWhat.joined(separator: ","))")],
                                           by: subject, on: db)
            throw Failure.locked
        }
        throw Failure.invalidCredentials
    }

    /// A bcrypt hash of a random string, computed once.
    private static let dummyHash: String = (try? Bcrypt.hash(UUID().uuidString, cost: 10)) ?? ""
}

/// Opaque bearer tokens for the API: 32 random bytes, stored only as their SHA-256.
enum APITokens {
    static let lifetime: TimeInterval = 8 * 60 * 60

    static func issue(for user: User, on db: any Database) async throws -> (token: String, expiresAt: Date) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let expiresAt = Date().addingTimeInterval(lifetime)
        try await APIToken(userID: user.requireID(), tokenHash: digest(token), expiresAt: expiresAt).create(on: db)
        return (token, expiresAt)
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Reads `Authorization: Bearer …` on `/api/v1` routes and sets `request.staff`.
struct BearerAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else { throw AppError.unauthorized }
        guard let token = try await APIToken.query(on: request.db)
            .filter(\.$tokenHash == APITokens.digest(bearer.token))
            .filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > Date())
            .first(),
            let user = try await User.query(on: request.db).filter(\.$id == token.$user.id).filter(\.$active == true)
                .with(\.$municipality).first()
        else { throw AppError.unauthorized }
        request.staff = try StaffIdentity(user: user)
        request.storage[CurrentTokenKey.self] = token.id
        return try await next.respond(to: request)
    }
}

struct CurrentTokenKey: StorageKey { typealias Value = UUID }

struct SessionInput: Content {
    var username: String
    var password: String
}

struct SessionOutput: Content {
    var token: String
    var expiresAt: Date
}

/// `POST /api/v1/session` and `DELETE /api/v1/session`.
struct SessionAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("api", "v1", "session", use: create)
        routes.grouped(BearerAuthMiddleware()).delete("api", "v1", "session", use: revoke)
    }

    func create(_ request: Request) async throws -> Response {
        let input = try request.content.decode(SessionInput.self)
        do {
            let user = try await SignIn(request: request).authenticate(username: input.username, password: input.password)
            let issued = try await APITokens.issue(for: user, on: request.db)
            let staff = try StaffIdentity(user: user)
            try await request.audit.record([AuditEvent(action: "auth.token", purpose: AuditPurpose.security)],
                                           by: AuditSubject(staff), on: request.db)
            let response = Response(status: .created)
            try response.content.encode(SessionOutput(token: issued.token, expiresAt: issued.expiresAt), as: .json)
            return response
        } catch SignIn.Failure.invalidCredentials {
            throw AppError(status: .unauthorized, code: "invalid-credentials", message: "User name or password is wrong.")
        } catch SignIn.Failure.locked {
            throw AppError(status: .tooManyRequests, code: "locked",
                           message: "Too many failed attempts. Try again in 15 minutes.")
        }
    }

    func revoke(_ request: Request) async throws -> HTTPStatus {
        let staff = try request.requireStaff()
        if let id = request.storage[CurrentTokenKey.self], let token = try await APIToken.find(id, on: request.db) {
            token.revokedAt = Date()
            try await token.update(on: request.db)
        }
        try await request.audit.record([AuditEvent(action: "auth.revoke", purpose: AuditPurpose.security)],
                                       by: AuditSubject(staff), on: request.db)
        return .noContent
    }
}
