import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
import WegwijsCore

/// The databases every database test runs on: SQLite always; PostgreSQL too when `WEGWIJS_TEST_POSTGRES_URL` is set
/// (CI sets it). Each test gets its own SQLite file or its own PostgreSQL schema, so tests run in parallel.
enum TestDatabase: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["WEGWIJS_TEST_POSTGRES_URL"]?.nilIfEmpty }
    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    var description: String { rawValue }
}

let demoPassword = DemoSeeder.defaultPassword

extension WallClock {
    /// The day every test lives on unless it sets its own: Wednesday 18 November 2026, noon in Amsterdam, a plain
    /// working week. Tests never read the machine's date, so they pass on any day of the year.
    static let testDefault = WallClock.fixed(CalendarDate(year: 2026, month: 11, day: 18)!.noonInNetherlands)
}

/// Runs `body` against a fresh, migrated application with the demo data loaded.
func withWegwijs(_ database: TestDatabase, seed: Bool = true, publicURL: String? = nil,
                 clock: WallClock = .testDefault,
                 _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.clock = clock
    app.logger.logLevel = .warning
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wegwijs-test-\(UUID().uuidString)")
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    let target: DatabaseTarget
    switch database {
    case .sqlite: target = .sqlite(path: folder.appendingPathComponent("test.sqlite").path)
    case .postgres: target = .postgres(url: TestDatabase.postgresURL!, searchPath: String(schema))
    }
    do {
        try await configure(app, AppConfig(database: target, publicURL: publicURL, bcryptCost: 4))
        if database == .postgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: String(schema))").run()
        }
        try await prepareDatabase(app)
        try await app.autoMigrate()
        if seed { try await DemoSeeder.seed(app) }
        try await body(app)
    } catch {
        await cleanUp(app, database, schema: String(schema), folder: folder)
        throw error
    }
    await cleanUp(app, database, schema: String(schema), folder: folder)
}

private func cleanUp(_ app: Application, _ database: TestDatabase, schema: String, folder: URL) async {
    if database == .postgres, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(at: folder)
}

// MARK: HTTP helpers

extension Application {
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil,
              headers extra: [(String, String)] = []) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        if json != nil { headers.contentType = .json }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        return try await testing().sendRequest(method, path, headers: headers,
                                                body: json.map { ByteBuffer(string: $0) })
    }

    /// Signs in through the API and returns the bearer token.
    func token(_ username: String, password: String = demoPassword) async throws -> String {
        let response = try await send(.POST, "/api/v1/session",
                                      json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard response.status == .created else {
            throw TestFailure("sign-in of \(username) answered \(response.status): \(response.body.string)")
        }
        return try response.content.decode(SessionOutput.self).token
    }

    /// A demo account, with its languages.
    func user(_ username: String) async throws -> User {
        guard let found = try await User.query(on: db).filter(\.$username == username).first(),
              let user = try await Colleagues(on: db).named([found.id]).first else {
            throw TestFailure("no user \(username)")
        }
        return user
    }

    /// A family of the demo: the first one coupled to `keyPerson`, or any of `municipality`.
    func demoFamily(keyPerson: String? = nil, socialWorker: String? = nil, municipality: String = "GM9901") async throws -> Family {
        let municipalityID = try await Municipality.query(on: db).filter(\.$code == municipality).first()!.id!
        let query = Family.query(on: db).filter(\.$municipality.$id == municipalityID).sort(\.$name)
        if let keyPerson { query.filter(\.$keyPerson.$id == (try await user(keyPerson)).id!) }
        if let socialWorker { query.filter(\.$socialWorker.$id == (try await user(socialWorker)).id!) }
        guard let family = try await query.first() else { throw TestFailure("no demo family") }
        return family
    }

    func auditCount(action: String, familyID: UUID? = nil, detailContains: String? = nil) async throws -> Int {
        let query = AuditEntry.query(on: db).filter(\.$action == action)
        if let familyID { query.filter(\.$familyID == familyID) }
        guard let detailContains else { return try await query.count() }
        return try await query.all().filter { $0.detail.contains(detailContains) }.count
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestingHTTPResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorFields: [String: String] { ((json["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:] }
}

/// A browser-like client for the web UI: keeps the session cookie and reads the CSRF token from each page.
final class WebClient: @unchecked Sendable {
    let app: Application
    /// Over a real socket (bodies then arrive in pieces, as from a browser) rather than in memory.
    var live: Bool
    var cookie: String?
    var csrf: String = ""

    init(_ app: Application, live: Bool = false) {
        self.app = app
        self.live = live
    }

    private func tester() throws -> any TestingApplicationTester {
        try live ? app.testing(method: .running(hostname: "127.0.0.1", port: 0)) : app.testing()
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: cookie) }
        let response = try await tester().sendRequest(.GET, path, headers: headers)
        remember(response)
        return response
    }

    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], includeCSRF: Bool = true) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: cookie) }
        headers.contentType = .urlEncodedForm
        var all = fields
        if includeCSRF { all.append(("_csrf", csrf)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await tester().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    func signIn(_ username: String, password: String = demoPassword) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", [("username", username), ("password", password)])
    }

    private func remember(_ response: TestingHTTPResponse) {
        if let setCookie = response.headers.first(name: .setCookie), let pair = setCookie.split(separator: ";").first {
            cookie = pair.contains("=") && !setCookie.contains("Expires=Thu, 01 Jan 1970") ? String(pair) : nil
        }
        let html = response.body.string
        if let range = html.range(of: #"name="_csrf" value=""#) {
            let rest = html[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { csrf = String(rest[..<end]) }
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
