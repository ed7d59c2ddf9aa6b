import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Platform")
struct PlatformTests {
    @Test("GET /health answers once the database does", arguments: TestDatabase.available)
    func health(_ database: TestDatabase) async throws {
        try await withWegwijs(database, seed: false) { app in
            let response = try await app.send(.GET, "/health")
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "ok")
        }
    }

    /// A registered /api/v1 route (or /health) that is missing from /openapi.json fails this test (and a documented
    /// one that does not exist).
    @Test("openapi.json describes exactly the registered /api/v1 routes")
    func openAPI() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let response = try await app.send(.GET, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.json["openapi"] as? String == "3.1.0")
            let paths = try #require(response.json["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths { for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") } }
            var registered = Set<String>()
            for route in app.routes.all {
                let parts = route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }
                let path = "/" + parts.joined(separator: "/")
                if path.hasPrefix("/api/v1") || path == "/health" { registered.insert("\(route.method.rawValue) \(path)") }
            }
            #expect(!registered.isEmpty)
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but missing: \(documented.subtracting(registered).sorted())")
        }
    }

    @Test("SQLite runs in WAL mode with foreign keys on")
    func sqliteSettings() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let sql = app.db as! any SQLDatabase
            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            #expect(mode == "wal")
            let keys = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            #expect(keys == 1)
            // A member pointing at no family is refused by the database itself.
            await #expect(throws: (any Error).self) {
                try await sql.raw("INSERT INTO family_members (id, version, role, given_name, languages_spoken, languages_read, position, family_id, municipality_id) VALUES ('\(unsafeRaw: UUID().uuidString)', 1, 'child', 'x', ',', ',', 0, '\(unsafeRaw: UUID().uuidString)', '\(unsafeRaw: UUID().uuidString)')").run()
            }
        }
    }

    @Test("DATABASE_URL: sqlite paths, postgres URLs, and a clear error for anything else")
    func databaseURL() throws {
        #expect(try DatabaseTarget.parse(nil) == .sqlite(path: "data/wegwijs.sqlite"))
        #expect(try DatabaseTarget.parse("sqlite:///var/lib/wegwijs/db.sqlite") == .sqlite(path: "/var/lib/wegwijs/db.sqlite"))
        #expect(try DatabaseTarget.parse("sqlite://data/x.sqlite") == .sqlite(path: "data/x.sqlite"))
        #expect(try DatabaseTarget.parse("postgres://u:p@localhost:5432/w") == .postgres(url: "postgres://u:p@localhost:5432/w"))
        #expect(throws: (any Error).self) { try DatabaseTarget.parse("mysql://x") }
    }

    @Test("the SQLite folder is created when missing")
    func createsFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-\(UUID().uuidString)/nested")
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        try await configure(app, AppConfig(database: .sqlite(path: folder.appendingPathComponent("w.sqlite").path), bcryptCost: 4))
        #expect(FileManager.default.fileExists(atPath: folder.path))
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
    }

    @Test("wegwijs audit verify: exit 0 when intact, an error naming the entry when not")
    func auditCommand() async throws {
        try await withWegwijs(.sqlite) { app in
            app.environment.arguments = ["wegwijs", "audit", "verify"]
            try await app.execute()
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DROP TRIGGER audit_entries_no_update").run()
            try await sql.raw("UPDATE audit_entries SET action = 'x' WHERE seq = 2").run()
            do {
                try await app.execute()
                Issue.record("verify should fail")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("entry 2"))
            }
        }
    }

    @Test("responses carry defensive headers; personal pages are not cached")
    func headers() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let response = try await app.send(.GET, "/login")
            #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(response.headers.first(name: .cacheControl) == "no-store")
        }
    }

    @Test("every locale has the same keys, and a label for every vocabulary code")
    func catalogues() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let catalog = app.locales
            #expect(catalog.keys(.nl) == catalog.keys(.en))
            let vocabularies: [(String, [String])] = [
                ("theme", Theme.allCodes), ("situation", Situation.allCodes), ("role", Role.allCodes),
                ("gender", Gender.allCodes), ("dutchLevel", DutchLevel.allCodes), ("familyStatus", FamilyStatus.allCodes),
                ("contactPreference", ContactPreference.allCodes), ("closingReason", ClosingReason.allCodes),
                ("memberRole", MemberRole.allCodes), ("consentPurpose", ConsentPurpose.allCodes),
                ("dataCategory", DataCategory.allCodes), ("organisationType", OrganisationType.allCodes),
                ("funding", FundingSource.allCodes), ("provision", Provision.allCodes), ("duplicateOverride", DuplicateOverride.allCodes),
                ("workKind", WorkKind.allCodes), ("workAction", WorkAction.allCodes),
            ]
            for locale in StaffLocale.allCases {
                for (vocabulary, codes) in vocabularies {
                    for code in codes { #expect(catalog.has("\(vocabulary).\(code)", locale), "\(locale) \(vocabulary).\(code)") }
                }
            }
        }
    }

    /// Every `#t("…")` in a template and every `t("…")` / title key in the code exists in every locale.
    @Test("every key used in templates and code is translated")
    func keysUsed() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let root = AppConfig.findResources()
            var keys = Set<String>()
            let templates = FileManager.default.enumerator(atPath: root + "/Views")!
            while let file = templates.nextObject() as? String {
                guard file.hasSuffix(".leaf") else { continue }
                let text = try String(contentsOfFile: root + "/Views/" + file, encoding: .utf8)
                keys.formUnion(Self.matches(#"#t\("([^"]+)"\)"#, in: text))
            }
            let sources = URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("Sources/WegwijsApp").path
            let swiftFiles = FileManager.default.enumerator(atPath: sources)!
            while let file = swiftFiles.nextObject() as? String {
                guard file.hasSuffix(".swift") else { continue }
                let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
                keys.formUnion(Self.matches(#"\bt\("([a-zA-Z-]+\.[a-zA-Z.-]+)"\)"#, in: text))
                keys.formUnion(Self.matches(#"titleKey: "([a-zA-Z.-]+)""#, in: text))
                keys.formUnion(Self.matches(#"setFlash\("([a-zA-Z.-]+)"\)"#, in: text))
            }
            #expect(keys.count > 100)
            for locale in StaffLocale.allCases {
                let missing = keys.filter { !app.locales.has($0, locale) }
                #expect(missing.isEmpty, "\(locale) misses \(missing.sorted())")
            }
        }
    }

    /// Every validation code the domain can produce has a message in every locale (the API and the forms show it).
    @Test("every field error code has a message")
    func errorCodes() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let root = URL(fileURLWithPath: AppConfig.findResources()).deletingLastPathComponent().path
            var codes = Set<String>()
            for folder in ["Sources/WegwijsCore", "Sources/WegwijsApp"] {
                let files = FileManager.default.enumerator(atPath: root + "/" + folder)!
                while let file = files.nextObject() as? String {
                    guard file.hasSuffix(".swift") else { continue }
                    let text = try String(contentsOfFile: root + "/" + folder + "/" + file, encoding: .utf8)
                    codes.formUnion(Self.matches(#"(?:add|FieldError|\.init)\("[^"]*", "([a-z-]+)"\)"#, in: text))
                    codes.formUnion(Self.matches(#"add\([^,]+, "([a-z-]+)"\)"#, in: text))
                }
            }
            #expect(codes.count > 20)
            for locale in StaffLocale.allCases {
                let missing = codes.filter { !app.locales.has("error.\($0)", locale) }
                #expect(missing.isEmpty, "\(locale) misses \(missing.sorted())")
            }
        }
    }

    /// Controllers never hold the database: every read and write goes through a feature's door (its service, or a
    /// request-bound door such as `request.tenancy`), where access is decided and audited.
    @Test("no controller touches the database")
    func controllersHaveNoDatabase() throws {
        let root = URL(fileURLWithPath: AppConfig.findResources()).deletingLastPathComponent().path
        let features = root + "/Sources/WegwijsApp/Features"
        let files = FileManager.default.enumerator(atPath: features)!
        var controllers = 0
        var offending: [String] = []
        // `request.db` / `req.db`, a Fluent query, lookup or write, raw SQL.
        let database = #"\b(?:request|req)\.db\b|\.query\(on:|\.find\([^)]*on:|\.(?:save|create|update|delete)\(on:|\bsql\.raw\("#
        while let file = files.nextObject() as? String {
            guard file.hasSuffix("Controller.swift") || file.hasSuffix("Controllers.swift") else { continue }
            controllers += 1
            let text = try String(contentsOfFile: features + "/" + file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.range(of: database, options: .regularExpression) != nil {
                offending.append("\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(controllers > 20)
        #expect(offending.isEmpty, "controllers touching the database:\n\(offending.joined(separator: "\n"))")
    }

    static func matches(_ pattern: String, in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        })
    }
}
