import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

/// Public pages remembered per content version answer ETag and Cache-Control, and 304 to a matching If-None-Match,
/// until the content changes.
@Suite("Conditional GET")
struct ConditionalGetTests {
    private func conditional(_ app: Application, _ path: String, token: String? = nil, ifNoneMatch: String) async throws -> TestingHTTPResponse {
        try await app.send(.GET, path, token: token, headers: [("If-None-Match", ifNoneMatch)])
    }

    @Test("HSDS services: ETag, public no-cache, 304 until the catalogue changes", arguments: TestDatabase.available)
    func hsds(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let path = "/api/hsds/services?per_page=5"
            let first = try await app.send(.GET, path)
            #expect(first.status == .ok)
            let tag = try #require(first.headers.first(name: .eTag))
            #expect(tag.hasPrefix("\"") && tag.count > 10)
            #expect(first.headers.first(name: .cacheControl) == "public, no-cache")

            let again = try await conditional(app, path, ifNoneMatch: tag)
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers.first(name: .eTag) == tag)
            // Weak comparison, lists, and a tag that does not match.
            #expect(try await conditional(app, path, ifNoneMatch: "W/\(tag)").status == .notModified)
            #expect(try await conditional(app, path, ifNoneMatch: "\"other\", \(tag)").status == .notModified)
            #expect(try await conditional(app, path, ifNoneMatch: "\"other\"").status == .ok)
            // Another page has another tag.
            let other = try await app.send(.GET, "/api/hsds/services?per_page=5&page=2")
            #expect(other.headers.first(name: .eTag) != tag)

            // A change to the catalogue (even one made outside this server, straight in the database) ends the 304s.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE organisations SET name = 'AAA ' || name").run()
            let changed = try await conditional(app, path, ifNoneMatch: tag)
            #expect(changed.status == .ok)
            #expect(changed.headers.first(name: .eTag) != tag)
            #expect(changed.body.string.contains("AAA "))
        }
    }

    @Test("the parents' place and the staff offer list answer 304 to their own ETag", arguments: TestDatabase.available)
    func parentsPlaceAndOffers(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            for path in ["/ouders", "/ouders/ti", "/ouders/ti/activiteiten?age=4"] {
                let page = try await app.send(.GET, path)
                #expect(page.status == .ok, "\(path)")
                let tag = try #require(page.headers.first(name: .eTag), "\(path)")
                // The parents' place says itself how long a page may be kept; otherwise no-cache.
                #expect(page.headers.first(name: .cacheControl)?.hasPrefix("public") == true)
                #expect(try await conditional(app, path, ifNoneMatch: tag).status == .notModified, "\(path)")
            }
            let token = try await app.token("klantmanager")
            let offers = try await app.send(.GET, "/api/v1/offers?per=5", token: token)
            #expect(offers.status == .ok)
            let tag = try #require(offers.headers.first(name: .eTag))
            // Behind a sign-in: only the client's own cache may keep it.
            #expect(offers.headers.first(name: .cacheControl) == "private, no-cache")
            #expect(try await conditional(app, "/api/v1/offers?per=5", token: token, ifNoneMatch: tag).status == .notModified)
            // Still access-checked: without a token there is no 304, only 401.
            #expect(try await conditional(app, "/api/v1/offers?per=5", ifNoneMatch: tag).status == .unauthorized)
        }
    }
}
