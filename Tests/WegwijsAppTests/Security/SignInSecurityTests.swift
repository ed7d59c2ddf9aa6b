import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Counts `verify` calls (and checks with bcrypt), to see that every sign-in pays one bcrypt verification.
final class CountingHasher: PasswordHasher, Sendable {
    let verifications = NIOLockedValueBox(0)

    func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] {
        Array(try Bcrypt.hash(String(decoding: Array(password), as: UTF8.self), cost: 4).utf8)
    }

    func verify<Password: DataProtocol, Digest: DataProtocol>(_ password: Password, created digest: Digest) throws -> Bool {
        verifications.withLockedValue { $0 += 1 }
        return try Bcrypt.verify(String(decoding: Array(password), as: UTF8.self), created: String(decoding: Array(digest), as: UTF8.self))
    }
}

@Suite("Security: signing in")
struct SignInSecurityTests {
    /// Over a real socket (so the server sees a peer address, 127.0.0.1) to one server started once per test,
    /// or in memory (no peer address).
    static func signIn(_ app: Application, _ username: String, _ password: String, from client: String? = nil,
                       live: Bool = true) async throws -> (status: HTTPStatus, headers: HTTPHeaders) {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let client { headers.add(name: .xForwardedFor, value: client) }
        let body = ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard live else {
            let response = try await app.testing().sendRequest(.POST, "/api/v1/session", headers: headers, body: body)
            return (response.status, response.headers)
        }
        let port = try #require(app.http.server.shared.localAddress?.port)
        let response = try await app.client.post(URI(string: "http://127.0.0.1:\(port)/api/v1/session"), headers: headers) {
            $0.body = body
        }
        return (response.status, response.headers)
    }

    static func live(_ app: Application, _ body: () async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do { try await body() } catch { await app.server.shutdown(); throw error }
        await app.server.shutdown()
    }

    static func trust(_ app: Application, _ proxies: String) {
        guard case .success(let networks) = IPNetwork.parseList(proxies) else { Issue.record("bad list"); return }
        app.storage[AppConfigKey.self]?.trustedProxies = networks
    }

    @Test("an attacker failing 30 times from one address does not stop the owner signing in from another",
          arguments: TestDatabase.available)
    func attackerCannotLockOutOwner(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in try await Self.live(app) {
            Self.trust(app, "127.0.0.1")
            var refusedEarly = 0
            for attempt in 1...30 {
                let response = try await Self.signIn(app, "begeleider", "wrong-\(attempt)-password", from: "203.0.113.7")
                #expect([.unauthorized, .tooManyRequests].contains(response.status))
                if response.status == .tooManyRequests { refusedEarly += 1 }
            }
            #expect(refusedEarly >= 30 - SignIn.throttle.freePerAccount)
            let owner = try await Self.signIn(app, "begeleider", demoPassword, from: "198.51.100.2")
            #expect(owner.status == .created, "\(owner.status)")
            // The owner's success does not lift the attacker's delay.
            let attacker = try await Self.signIn(app, "begeleider", demoPassword, from: "203.0.113.7")
            #expect(attacker.status == .tooManyRequests)
            // Guessing many names from one address slows down that address only.
            for attempt in 1...SignIn.throttle.freePerAddress {
                _ = try await Self.signIn(app, "guess\(attempt)", "wrong-password-x", from: "203.0.113.8")
            }
            #expect(try await Self.signIn(app, "klantmanager", demoPassword, from: "203.0.113.8").status == .tooManyRequests)
            #expect(try await Self.signIn(app, "klantmanager", demoPassword, from: "198.51.100.3").status == .created)
        } }
    }

    @Test("behind a trusted proxy two X-Forwarded-For clients count separately; from an untrusted peer the header is ignored")
    func forwardedFor() async throws {
        try await withWegwijs(.sqlite) { app in try await Self.live(app) {
            Self.trust(app, "10.0.0.0/8, 127.0.0.1")
            for attempt in 1...SignIn.throttle.freePerAccount {
                #expect(try await Self.signIn(app, "begeleider", "wrong-\(attempt)-password", from: "192.0.2.10").status == .unauthorized)
            }
            #expect(try await Self.signIn(app, "begeleider", "wrong-password-x", from: "192.0.2.10").status == .tooManyRequests)
            // Another client behind the same proxy: its own counter. A client-written entry left of it is not believed.
            #expect(try await Self.signIn(app, "begeleider", "wrong-password-x", from: "192.0.2.11").status == .unauthorized)
            #expect(try await Self.signIn(app, "begeleider", demoPassword, from: "192.0.2.10, 192.0.2.12").status == .created)

            // The direct peer (127.0.0.1) is no longer trusted: every request counts for the peer, whatever it claims.
            Self.trust(app, "10.0.0.0/8")
            for attempt in 1...SignIn.throttle.freePerAccount {
                _ = try await Self.signIn(app, "trainer", "wrong-\(attempt)-password", from: "192.0.2.\(20 + attempt)")
            }
            #expect(try await Self.signIn(app, "trainer", demoPassword, from: "192.0.2.99").status == .tooManyRequests)
        } }
    }

    @Test("the delay doubles after the free failures, is capped, and runs out with the window (clock injected)")
    func backOff() async throws {
        try await withWegwijs(.sqlite) { app in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            app.clock = clock.clock
            let throttle = SignIn.throttle
            for attempt in 1...throttle.freePerAccount {
                #expect(try await Self.signIn(app, "begeleider", "wrong-\(attempt)-password", live: false).status == .unauthorized)
            }
            var expected = Int(throttle.base)
            for _ in 0..<3 {
                let early = try await Self.signIn(app, "begeleider", demoPassword, live: false)
                #expect(early.status == .tooManyRequests)
                #expect(early.headers.first(name: .retryAfter) == String(expected))
                clock.advance(seconds: TimeInterval(expected))
                #expect(try await Self.signIn(app, "begeleider", "wrong-password-x", live: false).status == .unauthorized)
                expected *= 2
            }
            #expect(throttle.delay(afterFailures: 100, free: throttle.freePerAccount) == throttle.cap)
            clock.advance(seconds: throttle.window + 1)
            #expect(try await Self.signIn(app, "begeleider", demoPassword, live: false).status == .created)
        }
    }

    @Test("the dummy hash has the configured bcrypt cost")
    func dummyHashCost() async throws {
        func cost(_ hash: String) -> Int? {
            let parts = hash.split(separator: "$")
            return parts.count >= 3 && parts[0].hasPrefix("2") ? Int(parts[1]) : nil
        }
        try await withWegwijs(.sqlite) { app in
            #expect(cost(app.signInDummyHash) == 4)
            let realHash = try await app.user("begeleider").passwordHash
            #expect(cost(app.signInDummyHash) == cost(realHash))
        }
        let app = try await Application.make(.testing)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wegwijs-cost-\(UUID().uuidString)")
        try await configure(app, AppConfig(database: .sqlite(path: folder.appendingPathComponent("t.sqlite").path), bcryptCost: 7))
        #expect(cost(app.signInDummyHash) == 7)
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("unknown, deactivated and known accounts each pay exactly one password verification")
    func verifiesAlways() async throws {
        try await withWegwijs(.sqlite) { app in
            let hasher = CountingHasher()
            app.passwords.use { _ in hasher }
            let trainer = try await app.user("trainer")
            trainer.active = false
            try await trainer.update(on: app.db)
            for (username, password) in [("begeleider", "wrong-password-x"), ("nobody-here", "wrong-password-x"),
                                         ("trainer", demoPassword), ("klantmanager", demoPassword)] {
                let before = hasher.verifications.withLockedValue { $0 }
                _ = try await Self.signIn(app, username, password, live: false)
                #expect(hasher.verifications.withLockedValue { $0 } == before + 1, "\(username)")
            }
        }
    }

    @Test("passwords over 72 bytes are refused by the policy, counted in UTF-8 bytes")
    func longPasswords() {
        let sentence = "Groene tulpen bij de oude molen aan de Vecht, in maart en april, zeker zeven keer per jaar"
        let exactly72 = String(sentence.prefix(72))
        #expect(exactly72.utf8.count == 72)
        #expect(PasswordPolicy.problem(with: exactly72, username: "x") == nil)
        #expect(PasswordPolicy.problem(with: exactly72 + "!", username: "x") == .tooLong)
        // 40 characters, 80 bytes.
        #expect(PasswordPolicy.problem(with: String(repeating: "شب", count: 20), username: "x") == .tooLong)
    }
}
