import Crypto
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Foundation
import Vapor
import WegwijsCore

/// Signing in with a user name and password, for the web form and the API alike, throttled by `SignInThrottle`:
/// failures count per (account, client address) and per client address, and beyond a few free ones each further
/// attempt from that address waits a growing delay. No account is ever locked for everyone, so nobody can lock
/// out a colleague by typing their name with wrong passwords. The start of a delay is audited.
struct SignIn {
    static let throttle = SignInThrottle()

    let request: Request

    enum Failure: Error, Equatable {
        case invalidCredentials
        /// Too early after failures from this address: try again after this many seconds.
        case throttled(retryAfter: Int)
    }

    /// Drops the stored session with this id (the anonymous one, on sign-in: a fresh id, no session fixation).
    func forgetSession(_ id: SessionID) async throws {
        try await SessionRecord.query(on: request.db).filter(\.$key == id).delete()
    }

    func authenticate(username rawUsername: String, password: String) async throws -> User {
        let account = rawUsername.trimmed.lowercased()
        let address = request.clientAddress
        let now = request.clock.now
        let throttle = Self.throttle
        let since = now.addingTimeInterval(-throttle.window)
        let db = request.db

        let accountTally = try await Self.tally(LoginFailure.query(on: db).filter(\.$account == account)
            .filter(\.$address == address).filter(\.$at >= since))
        let addressTally = try await Self.tally(LoginFailure.query(on: db).filter(\.$address == address).filter(\.$at >= since))
        if let wait = throttle.wait(account: accountTally, address: addressTally, now: now) {
            throw Failure.throttled(retryAfter: max(1, Int(wait.rounded(.up))))
        }

        let user = try await User.query(on: db).filter(\.$username == account).filter(\.$active == true)
            .with(\.$municipality).first()
        // Unknown or deactivated: verify against a hash of the configured cost all the same, so the answer takes
        // as long as for a wrong password of an existing account and timing does not tell which accounts exist.
        let hash = user?.passwordHash ?? request.application.signInDummyHash
        let matches = (try? await request.password.async.verify(password, created: hash)) ?? false
        if let user, matches {
            // Only this address's failures: the owner's success must not reset an attacker's delay elsewhere.
            try await LoginFailure.query(on: db).filter(\.$account == account).filter(\.$address == address).delete()
            return user
        }

        try await LoginFailure(account: account, address: address, at: now).create(on: db)
        var slowed: [String] = []
        if accountTally.failures + 1 == throttle.freePerAccount { slowed.append("account-from-address") }
        if addressTally.failures + 1 == throttle.freePerAddress { slowed.append("address") }
        if !slowed.isEmpty {
            let subject = user.flatMap { try? StaffIdentity(user: $0) }.map(AuditSubject.init) ?? AuditSubject(anonymous: account)
            try await request.audit.record([AuditEvent(action: "auth.lockout", purpose: AuditPurpose.security,
                                                       detail: "throttled=\(slowed.joined(separator: ","))")],
                                           by: subject, on: db)
        }
        throw Failure.invalidCredentials
    }

    private static func tally(_ query: QueryBuilder<LoginFailure>) async throws -> SignInThrottle.Tally {
        let failures = try await query.copy().count()
        let latest = failures == 0 ? nil : try await query.sort(\.$at, .descending).first()?.at
        return SignInThrottle.Tally(failures: failures, latest: latest)
    }
}

extension Application {
    private struct DummyHashKey: StorageKey { typealias Value = String }

    /// A bcrypt hash of a random string at the configured cost, made once in `configure` (see `SignIn`).
    var signInDummyHash: String {
        get { storage[DummyHashKey.self] ?? "" }
        set { storage[DummyHashKey.self] = newValue }
    }

    /// Trusted reverse proxies (`WEGWIJS_TRUSTED_PROXIES`).
    var trustedProxies: [IPNetwork] { storage[AppConfigKey.self]?.trustedProxies ?? [] }
}

extension Request {
    /// The client's address: the direct peer, or behind a configured trusted proxy the one `X-Forwarded-For`
    /// names (see `ClientAddress`). Used to count sign-in failures; never logged.
    var clientAddress: String {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trusted: application.trustedProxies)
    }
}

/// Opaque bearer tokens for the API: 32 random bytes, stored only as their SHA-256.
enum APITokens {
    static let lifetime: TimeInterval = 8 * 60 * 60

    static func issue(for user: User, on db: any Database) async throws -> (token: String, expiresAt: Date) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let expiresAt = WallClock.system.now.addingTimeInterval(lifetime)
        try await APIToken(userID: user.requireID(), tokenHash: digest(token), expiresAt: expiresAt).create(on: db)
        return (token, expiresAt)
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}

/// Reads `Authorization: Bearer …` on `/api/v1` routes and sets `request.staff`: one query (token, account and
/// municipality joined), remembered for a few seconds so a busy client does not pay it on every call.
struct BearerAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else { throw AppError.unauthorized }
        let digest = APITokens.digest(bearer.token)
        let cache = request.application.tokenCache
        let session: TokenCache.Entry
        if let cached = cache.lookup(digest) {
            session = cached
        } else {
            guard let found = try await Self.load(digest, on: request.db) else { throw AppError.unauthorized }
            cache.store(digest, found)
            session = found
        }
        request.staff = session.staff
        request.storage[CurrentTokenKey.self] = session.tokenID
        return try await next.respond(to: request)
    }

    static func load(_ digest: String, on db: any Database) async throws -> TokenCache.Entry? {
        guard let sql = db as? any SQLDatabase else { return nil }
        guard let row = try await sql.raw("""
            SELECT t.id AS token_id, t.expires_at, u.id AS user_id, u.username, u.display_name, u.role,
                   u.organisation_id, u.municipality_id, m.code AS municipality_code
            FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN municipalities m ON m.id = u.municipality_id
            WHERE t.token_hash = \(bind: digest) AND t.revoked_at IS NULL AND u.active = \(bind: true)
            """).first() else { return nil }
        let expiresAt = try row.decode(column: "expires_at", as: Date.self)
        guard expiresAt > WallClock.system.now, let staff = try row.decode(model: StaffIdentity.Row.self).identity else { return nil }
        return TokenCache.Entry(tokenID: try row.decode(column: "token_id", as: UUID.self), staff: staff, expiresAt: expiresAt)
    }
}

/// Recently checked bearer tokens (by digest), for `ttl` seconds and never past their expiry. Revoking through
/// this process forgets the token at once; a change made by another process (a second server, the CLI
/// deactivating an account) takes effect within `ttl`.
final class TokenCache: Sendable {
    struct Entry: Sendable {
        let tokenID: UUID
        let staff: StaffIdentity
        let expiresAt: Date
    }

    static let ttl: TimeInterval = 5
    private let entries = NIOLockedValueBox<[String: (entry: Entry, checkedAt: Date)]>([:])

    func lookup(_ digest: String) -> Entry? {
        let now = WallClock.system.now
        return entries.withLockedValue { entries in
            guard let hit = entries[digest] else { return nil }
            guard now.timeIntervalSince(hit.checkedAt) < Self.ttl, hit.entry.expiresAt > now else {
                entries[digest] = nil
                return nil
            }
            return hit.entry
        }
    }

    func store(_ digest: String, _ entry: Entry) {
        let now = WallClock.system.now
        entries.withLockedValue { entries in
            if entries.count > 10_000 { entries = entries.filter { now.timeIntervalSince($0.value.checkedAt) < Self.ttl } }
            entries[digest] = (entry, now)
        }
    }

    func forget(tokenID: UUID) {
        entries.withLockedValue { entries in entries = entries.filter { $0.value.entry.tokenID != tokenID } }
    }
}

extension Application {
    private struct TokenCacheKey: StorageKey { typealias Value = TokenCache }
    var tokenCache: TokenCache {
        get { storage[TokenCacheKey.self]! }
        set { storage[TokenCacheKey.self] = newValue }
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
        } catch SignIn.Failure.throttled(let seconds) {
            var error = AppError(status: .tooManyRequests, code: "locked",
                                 message: "Too many failed attempts from this address. Try again in \(seconds) seconds.")
            error.retryAfter = seconds
            throw error
        }
    }

    func revoke(_ request: Request) async throws -> HTTPStatus {
        let staff = try request.requireStaff()
        if let id = request.storage[CurrentTokenKey.self], let token = try await APIToken.find(id, on: request.db) {
            token.revokedAt = WallClock.system.now
            try await token.update(on: request.db)
            request.application.tokenCache.forget(tokenID: id)
        }
        try await request.audit.record([AuditEvent(action: "auth.revoke", purpose: AuditPurpose.security)],
                                       by: AuditSubject(staff), on: request.db)
        return .noContent
    }
}
