import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

/// Requests an attacker sends without signing in: none may stop the server, each gets a 4xx with the security
/// headers, and nothing of it is stored.
@Suite("Security: hostile requests")
struct HostileRequestTests {
    /// The 26 kinds of path traversal and broken encoding that were tried against the server; 15 of them stopped a
    /// debug build (`No SessionsMiddleware detected`) before the fix.
    static let traversalPaths = [
        "/css/../../etc/passwd",
        "/css/..%2f..%2fetc%2fpasswd",
        "/ouders/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/css/%2e%2e/%2e%2e/etc/passwd",
        "/css/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/css/..%5c..%5cetc%5cpasswd",
        "/css/%ff",
        "/%ff%fe",
        "/ouders/%ff",
        "/css/%252e%252e%252fetc%252fpasswd",
        "/css/..%252f..%252fetc%252fpasswd",
        "/css/%00",
        "/css/wegwijs.css%00.txt",
        "/..%00/etc/passwd",
        "/api/v1/..%2f..%2fetc%2fpasswd",
        "/families/..%2f..%2fetc%2fpasswd",
        "/css/....//....//etc/passwd",
        "/css/..;/..;/etc/passwd",
        "/css/%c0%ae%c0%ae/etc/passwd",
        "/css/%e0%80%ae%e0%80%ae/etc/passwd",
        "/./././../etc/passwd",
        "/css/..%c0%af..%c0%afetc%c0%afpasswd",
        "/favicon.svg/..%2f..%2f..%2fetc%2fpasswd",
        "/css/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
        "/api/v1/families/%ff",
    ]

    static let securityHeaders = ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"]

    static func expectRefused(_ response: TestingHTTPResponse, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((400...499).contains(response.status.code), "\(path): \(response.status)", sourceLocation: sourceLocation)
        #expect(!response.body.string.contains("root:"), "\(path) served a system file", sourceLocation: sourceLocation)
        for header in securityHeaders {
            #expect(response.headers.first(name: header) != nil, "\(path): no \(header)", sourceLocation: sourceLocation)
        }
    }

    /// A development-mode or production-mode app (what `swift run wegwijs serve` and `--env production` use) on
    /// a fresh SQLite file; the crash did not depend on the database.
    static func withApp(_ environment: Environment, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(environment)
        app.logger.logLevel = .critical
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wegwijs-hostile-\(UUID().uuidString)")
        do {
            try await configure(app, AppConfig(database: .sqlite(path: folder.appendingPathComponent("t.sqlite").path), bcryptCost: 4))
            try await prepareDatabase(app)
            try await app.autoMigrate()
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        try? await app.asyncShutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("no traversal or badly encoded path stops the server, in development and production",
          arguments: [Environment.development, Environment.production])
    func traversal(_ environment: Environment) async throws {
        try await Self.withApp(Environment(name: environment.name, arguments: ["wegwijs"])) { app in
            for path in Self.traversalPaths {
                Self.expectRefused(try await app.testing().sendRequest(.GET, path), path)
            }
            // The same over a real socket, through the HTTP parser, for the paths the client sends as they are
            // (it rewrites a path that does not decode to UTF-8, e.g. `%ff`, so those are tested in memory only).
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            for path in Self.traversalPaths where URL(string: "http://127.0.0.1" + path) != nil && path.removingPercentEncoding != nil {
                Self.expectRefused(try await live.sendRequest(.GET, path), path)
            }
            // Raw backslashes do not form a URL for the client; in memory they reach the middleware as they are.
            Self.expectRefused(try await app.testing().sendRequest(.GET, "/css/..\\..\\etc\\passwd"), "backslashes")
            let health = try await app.testing().sendRequest(.GET, "/health")
            #expect(health.status == .ok)
        }
    }

    @Test("every answer carries the security headers: a static 404, a 413, a 400, a 422, an API 401", arguments: TestDatabase.available)
    func headersEverywhere(_ database: TestDatabase) async throws {
        try await withWegwijs(database, seed: false) { app in
            let notFound = try await app.send(.GET, "/css/does-not-exist.css")
            #expect(notFound.status == .notFound)
            let tooLarge = try await app.send(.POST, "/api/v1/session", json: String(repeating: " ", count: (1 << 20) + 10) + "{}")
            #expect(tooLarge.status == .payloadTooLarge)
            let malformed = try await app.send(.POST, "/api/v1/session", json: #"{"username": "#)
            #expect(malformed.status == .badRequest)
            let unauthorized = try await app.send(.GET, "/api/v1/families")
            #expect(unauthorized.status == .unauthorized)
            let file = try await app.send(.GET, "/css/wegwijs.css")
            #expect(file.status == .ok)
            for response in [notFound, tooLarge, malformed, unauthorized, file] {
                for header in Self.securityHeaders {
                    #expect(response.headers.first(name: header) != nil, "\(response.status): no \(header)")
                }
            }
        }
    }

    static func multipart(_ body: String, boundary: String = "xyz") -> (HTTPHeaders, ByteBuffer) {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(string: body))
    }

    @Test("a malformed multipart body is a 400 malformed-body, on the API and on web forms", arguments: TestDatabase.available)
    func malformedMultipart(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let broken = ["--xyz\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nadmin\r\n--xyz",  // no closing
                          "garbage without any boundary",
                          "--xyz\r\nno headers at all\r\n--xyz--\r\n"]
            for body in broken {
                let (headers, buffer) = Self.multipart(body)
                let session = try await app.testing().sendRequest(.POST, "/api/v1/session", headers: headers, body: buffer)
                #expect(session.status == .badRequest, "session: \(session.status) \(session.body.string)")
                #expect(session.errorCode == "malformed-body")
                var withToken = headers
                withToken.bearerAuthorization = BearerAuthorization(token: token)
                let family = try await app.testing().sendRequest(.POST, "/api/v1/families", headers: withToken, body: buffer)
                #expect(family.status == .badRequest, "families: \(family.status) \(family.body.string)")
                let login = try await app.testing().sendRequest(.POST, "/login", headers: headers, body: buffer)
                #expect((400...499).contains(login.status.code), "login: \(login.status)")
            }
            #expect(try await app.testing().sendRequest(.GET, "/health").status == .ok)
        }
    }

    @Test("a NUL character in a text field is refused on the API and in a web form, and nothing is stored",
          arguments: TestDatabase.available)
    func nulCharacter(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let before = try await Family.query(on: app.db).count()
            let bodies = [#"{"name":"Mah\u0000moud","members":[]}"#,
                          "{\"name\":\"Mah\u{0}moud\",\"members\":[]}",
                          #"{"name":"Mahmoud","members":[{"role":"parent","givenName":"Ra\u0000nia"}]}"#]
            for body in bodies {
                let response = try await app.send(.POST, "/api/v1/families", token: token, json: body)
                #expect(response.status == .unprocessableEntity, "\(response.status) \(response.body.string)")
                #expect(response.errorCode == "invalid-input")
            }
            // An escaped backslash followed by "u0000" is the literal text, not NUL: accepted.
            let literal = try await app.send(.POST, "/api/v1/families", token: token, json: #"{"name":"Back\\u0000slash","members":[]}"#)
            #expect(literal.status == .created, "\(literal.status) \(literal.body.string)")
            let query = try await app.send(.GET, "/api/v1/families?name=a%00b", token: token)
            #expect(query.status == .unprocessableEntity)

            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            #expect(try await client.get("/families/new").status == .ok)
            let web = try await client.post("/families/new", [("name", "Okafor\u{0}Tesfay"), ("postcode", "2313 CD"),
                                                               ("contactPreference", "phone"), ("m0_givenName", "Selam")])
            #expect(web.status == .unprocessableEntity, "\(web.status)")
            #expect(try await Family.query(on: app.db).count() == before + 1)
            #expect(try await Family.query(on: app.db).filter(\.$name == "Back\\u0000slash").count() == 1)
        }
    }

    @Test("the NUL detector: raw bytes, %00 in forms, \\u0000 in JSON but not \\\\u0000")
    func nulDetector() {
        let json = HTTPMediaType.json, form = HTTPMediaType.urlEncodedForm
        #expect(RefuseNULMiddleware.containsNUL(Array("a\u{0}b".utf8), contentType: .plainText))
        #expect(RefuseNULMiddleware.containsNUL(Array("name=a%00b".utf8), contentType: form))
        #expect(!RefuseNULMiddleware.containsNUL(Array("name=a%2500b".utf8), contentType: form))
        #expect(RefuseNULMiddleware.containsNUL(Array(#"{"a":"\u0000"}"#.utf8), contentType: json))
        #expect(RefuseNULMiddleware.containsNUL(Array(#"{"a":"\\\u0000"}"#.utf8), contentType: json))
        #expect(!RefuseNULMiddleware.containsNUL(Array(#"{"a":"\\u0000"}"#.utf8), contentType: json))
        #expect(!RefuseNULMiddleware.containsNUL(Array(#"{"a":"u0000 %00"}"#.utf8), contentType: json))
    }
}
