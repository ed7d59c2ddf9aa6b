import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

@Suite("Accounts and sessions")
struct AccountTests {
    @Test("web sign-in sets an HttpOnly, SameSite=Lax cookie; Secure behind HTTPS", arguments: [nil, "https://wegwijs.rijnstad.example"])
    func cookie(_ publicURL: String?) async throws {
        try await withWegwijs(.sqlite, publicURL: publicURL) { app in
            let client = WebClient(app)
            let signIn = try await client.signIn("klantmanager")
            #expect(signIn.status == .seeOther)
            let cookie = try #require(signIn.headers.first(name: .setCookie))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure") == (publicURL != nil))
            #expect(try await client.get("/my-families").status == .ok)
            // Signing out ends the session: the same cookie no longer opens pages.
            let oldCookie = client.cookie
            _ = try await client.post("/logout", [])
            client.cookie = oldCookie
            let after = try await client.get("/my-families")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location) == "/login?expired=1")
        }
    }

    @Test("a wrong password is refused without saying which part was wrong")
    func wrongPassword() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            let response = try await client.signIn("klantmanager", password: "not-the-password-at-all")
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("De gebruikersnaam of het wachtwoord klopt niet."))
            #expect(response.body.string.contains(#"value="klantmanager""#))
            let api = try await app.send(.POST, "/api/v1/session", json: #"{"username":"nobody","password":"whatever-it-is"}"#)
            #expect(api.status == .unauthorized)
            #expect(api.errorCode == "invalid-credentials")
        }
    }

    @Test("every state-changing form needs the CSRF token")
    func csrf() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.get("/login")
            let noToken = try await client.post("/login", [("username", "klantmanager"), ("password", demoPassword)],
                                                includeCSRF: false)
            #expect(noToken.status == .forbidden)
            _ = try await client.signIn("klantmanager")
            let before = try await Family.query(on: app.db).count()
            let forged = try await client.post("/families/new", [("name", "Forged")], includeCSRF: false)
            #expect(forged.status == .forbidden)
            let wrong = try await client.post("/families/new", [("name", "Forged"), ("_csrf", "guess")], includeCSRF: false)
            #expect(wrong.status == .forbidden)
            #expect(try await Family.query(on: app.db).count() == before)
        }
    }

    /// From the same address: after the free failures the next attempt waits (the right password too); other
    /// addresses are not slowed (see Security/SignInThrottleTests).
    @Test("five failed sign-ins from one address slow that address down for the account, audited once")
    func throttling() async throws {
        try await withWegwijs(.sqlite) { app in
            for attempt in 1...SignIn.throttle.freePerAccount {
                let response = try await app.send(.POST, "/api/v1/session",
                                                  json: #"{"username":"begeleider","password":"wrong-password-\#(attempt)"}"#)
                #expect(response.status == .unauthorized)
            }
            let correct = try await app.send(.POST, "/api/v1/session",
                                             json: #"{"username":"begeleider","password":"\#(demoPassword)"}"#)
            #expect(correct.status == .tooManyRequests)
            #expect(correct.errorCode == "locked")
            #expect(correct.headers.first(name: .retryAfter).flatMap(Int.init) != nil)
            let lockouts = try await AuditEntry.query(on: app.db).filter(\.$action == "auth.lockout").all()
            #expect(lockouts.count == 1)
            #expect(lockouts.first?.username == "begeleider")
            #expect(lockouts.first?.detail.contains("account") == true)
            // Other accounts are not affected.
            #expect(try await app.token("klantmanager").isEmpty == false)
        }
    }

    @Test("many failures from one address slow that address down")
    func addressThrottling() async throws {
        try await withWegwijs(.sqlite) { app in
            for attempt in 1...SignIn.throttle.freePerAddress {
                _ = try await app.send(.POST, "/api/v1/session", json: #"{"username":"guess\#(attempt)","password":"wrong-password-x"}"#)
            }
            let response = try await app.send(.POST, "/api/v1/session", json: #"{"username":"klantmanager","password":"\#(demoPassword)"}"#)
            #expect(response.status == .tooManyRequests)
            let lockout = try await AuditEntry.query(on: app.db).filter(\.$action == "auth.lockout").all()
            #expect(lockout.contains { $0.detail.contains("address") })
        }
    }

    @Test("API tokens: required, revocable, expiring, stored only as a hash")
    func tokens() async throws {
        try await withWegwijs(.sqlite) { app in
            #expect(try await app.send(.GET, "/api/v1/families").status == .unauthorized)
            #expect(try await app.send(.GET, "/api/v1/families", token: "made-up").status == .unauthorized)
            let token = try await app.token("klantmanager")
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
            #expect(try await app.send(.GET, "/api/v1/families", token: token).status == .ok)
            #expect(try await app.send(.DELETE, "/api/v1/session", token: token).status == .noContent)
            #expect(try await app.send(.GET, "/api/v1/families", token: token).status == .unauthorized)

            let second = try await app.token("klantmanager")
            let stored = try await APIToken.query(on: app.db).filter(\.$tokenHash == APITokens.digest(second)).first()!
            stored.expiresAt = Date().addingTimeInterval(-1)
            try await stored.update(on: app.db)
            let expired = try await app.send(.GET, "/api/v1/families", token: second)
            #expect(expired.status == .unauthorized)
            #expect(expired.errorCode == "unauthorized")
        }
    }

    @Test("an idle session expires and the login page says so")
    func idleExpiry() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            // Make the session look idle for an hour.
            let record = try #require(try await SessionRecord.query(on: app.db).first())
            record.data["seen"] = String(Int(Date().timeIntervalSince1970) - 3600)
            try await record.update(on: app.db)
            let response = try await client.get("/my-families")
            #expect(response.headers.first(name: .location) == "/login?expired=1")
            let login = try await client.get("/login?expired=1")
            #expect(login.body.string.contains("Uw sessie is verlopen"))
        }
    }

    @Test("the demo loads Rijnstad, its chain, one account per role and about 40 families")
    func demo() async throws {
        try await withWegwijs(.sqlite) { app in
            let users = try await User.query(on: app.db).all()
            for username in ["admin", "klantmanager", "sleutelpersoon", "begeleider", "partner-jgz", "trainer", "beleid"] {
                #expect(users.contains { $0.username == username })
            }
            #expect(Set(users.map(\.role)) == Set(["admin", "caseManager", "keyPerson", "socialWorker", "partner", "facilitator", "policyOfficer"]))
            let rijnstad = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first())
            #expect(rijnstad.name == "Rijnstad")
            let count = try await Family.query(on: app.db).filter(\.$municipality.$id == rijnstad.id!).count()
            #expect((35...50).contains(count))
            let types = Set(try await Organisation.query(on: app.db).all().map(\.type))
            #expect(types.isSuperset(of: ["municipality", "refugee-support", "youth-health-care", "centre-for-youth-and-family",
                                          "school", "childcare-preschool", "migrant-self-organisation", "volunteer-programme"]))
            for situation in ["status-holder", "family-reunification", "ex-uam", "asylum-seeker", "eu-labour-migrant",
                              "undocumented", "pregnant", "single-parent"] {
                let count = try await Family.query(on: app.db)
                    .filter(.sql(embed: CodeTables.familySituations.contains(situation, ownerColumn: "families.id"))).count()
                #expect(count > 0, "\(situation)")
            }
            // The demo refuses a weak password and a second load.
            await #expect(throws: (any Error).self) { try await DemoSeeder.seed(app) }
        }
        try await withWegwijs(.sqlite, seed: false) { app in
            await #expect(throws: (any Error).self) { try await DemoSeeder.seed(app, password: "password1234") }
            let municipalities = try await Municipality.query(on: app.db).count()
            #expect(municipalities == 0)
        }
    }
}

@Suite("Account administration")
struct UserCommandTests {
    @Test("wegwijs user create/password enforce the password policy; a new account can sign in")
    func create() async throws {
        try await withWegwijs(.sqlite) { app in
            func run(_ arguments: [String]) async throws {
                app.environment.arguments = ["wegwijs", "user"] + arguments
                try await app.execute()
            }
            let organisation = "Centrum voor Jeugd en Gezin Rijnstad"
            await #expect(throws: CommandFailure.self) {
                try await run(["create", "cjg-anna", "--role", "partner", "--organisation", organisation, "--password", "short"])
            }
            await #expect(throws: CommandFailure.self) {
                try await run(["create", "cjg-anna", "--role", "partner", "--organisation", organisation, "--password", "Password1234!"])
            }
            #expect(try await User.query(on: app.db).filter(\.$username == "cjg-anna").count() == 0)
            try await run(["create", "cjg-anna", "--role", "partner", "--organisation", organisation,
                           "--name", "Anna de Wit", "--password", "lantaarn-fiets-regen"])
            #expect(try await app.token("cjg-anna", password: "lantaarn-fiets-regen").isEmpty == false)
            await #expect(throws: CommandFailure.self) { try await run(["password", "cjg-anna", "--password", "cjg-anna-12345"]) }
            try await run(["password", "cjg-anna", "--password", "zomer-bloesem-kade"])
            #expect(try await app.token("cjg-anna", password: "zomer-bloesem-kade").isEmpty == false)
            #expect(try await app.auditCount(action: "user.create") == 1)
        }
    }
}
