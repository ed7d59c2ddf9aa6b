import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

@Suite("Security: demo data only where asked for")
struct DemoModeTests {
    struct Case: Sendable, CustomStringConvertible {
        let demoFlag: Bool, databaseURLGiven: Bool, production: Bool, empty: Bool
        let expected: DemoDecision
        var description: String { "flag \(demoFlag) url \(databaseURLGiven) prod \(production) empty \(empty)" }
    }

    static let cases: [Case] = [
        // A fresh clone: `swift run wegwijs serve` on the embedded default database.
        Case(demoFlag: false, databaseURLGiven: false, production: false, empty: true, expected: .load),
        // PostgreSQL or a chosen SQLite file: never by itself.
        Case(demoFlag: false, databaseURLGiven: true, production: false, empty: true, expected: .firstAdmin),
        // Asked for with --demo (the e2e suite on its own SQLite file).
        Case(demoFlag: true, databaseURLGiven: true, production: false, empty: true, expected: .load),
        Case(demoFlag: true, databaseURLGiven: false, production: false, empty: true, expected: .load),
        // Production: never, also not on the default database; --demo is refused.
        Case(demoFlag: false, databaseURLGiven: false, production: true, empty: true, expected: .firstAdmin),
        Case(demoFlag: false, databaseURLGiven: true, production: true, empty: true, expected: .firstAdmin),
        Case(demoFlag: true, databaseURLGiven: true, production: true, empty: true, expected: .refuse),
        Case(demoFlag: true, databaseURLGiven: false, production: true, empty: false, expected: .refuse),
        // A database with data is left alone.
        Case(demoFlag: false, databaseURLGiven: false, production: false, empty: false, expected: .keep),
        Case(demoFlag: true, databaseURLGiven: true, production: false, empty: false, expected: .keep),
        Case(demoFlag: false, databaseURLGiven: true, production: true, empty: false, expected: .keep),
    ]

    @Test("serve loads the demo only with --demo or on the embedded default database, never in production", arguments: cases)
    func decision(_ c: Case) {
        #expect(DemoDecision.decide(demoFlag: c.demoFlag, databaseURLGiven: c.databaseURLGiven, production: c.production,
                                    databaseEmpty: c.empty) == c.expected)
    }

    @Test("the first-admin help names the command that works on an empty database")
    func firstAdminHelp() {
        #expect(DemoDecision.firstAdminHelp.contains("wegwijs user create"))
        #expect(DemoDecision.firstAdminHelp.contains("--role admin"))
        #expect(DemoDecision.firstAdminHelp.contains("--municipality"))
    }

    @Test("on an empty database the first administrator can be created with its municipality and organisation",
          arguments: TestDatabase.available)
    func firstAdmin(_ database: TestDatabase) async throws {
        try await withWegwijs(database, seed: false) { app in
            #expect(try await User.query(on: app.db).count() == 0)
            let organisation = try await UserCommand.createOrganisation("Gemeente Voorbeeld", municipality: "GM0000",
                                                                        name: "Voorbeeld", on: app)
            #expect(organisation.name == "Gemeente Voorbeeld")
            #expect(try await Municipality.query(on: app.db).filter(\.$code == "GM0000").count() == 1)
            try await app.refreshDemoMode()
            #expect(app.demoMode.isOn == false)
        }
    }

    @Test("a demo database shows the demo banner on staff and parents' pages", arguments: TestDatabase.available)
    func bannerShown(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            try await app.refreshDemoMode()
            #expect(app.demoMode.isOn)
            let client = WebClient(app)
            let login = try await client.get("/login")
            #expect(login.body.string.contains(#"class="demo-banner""#))
            #expect(login.body.string.contains(app.locales.text("demo.banner", .nl)))
            _ = try await client.signIn("klantmanager")
            let families = try await client.get("/families")
            #expect(families.status == .ok)
            #expect(families.body.string.contains(#"class="demo-banner""#))
            let notFound = try await client.get("/families/no-such-page/at-all")
            #expect(notFound.body.string.contains(#"class="demo-banner""#))
            for language in ["nl", "ar", "ti"] {
                let parents = try await app.send(.GET, "/ouders/\(language)")
                #expect(parents.status == .ok, "\(language): \(parents.status)")
                #expect(parents.body.string.contains(#"class="demo-banner""#), "\(language)")
                #expect(parents.body.string.contains(app.parentContent.ui("demo.banner", language)), "\(language)")
            }
        }
    }

    @Test("a real installation shows no banner", arguments: TestDatabase.available)
    func bannerAbsent(_ database: TestDatabase) async throws {
        try await withWegwijs(database, seed: false) { app in
            try await app.refreshDemoMode()
            let login = try await app.send(.GET, "/login")
            #expect(login.status == .ok)
            #expect(!login.body.string.contains("demo-banner"))
            let parents = try await app.send(.GET, "/ouders")
            #expect(!parents.body.string.contains("demo-banner"))
        }
    }
}
