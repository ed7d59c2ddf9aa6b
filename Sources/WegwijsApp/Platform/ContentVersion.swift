import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import WegwijsCore

/// Numbers the database raises on every change to a kind of content, by triggers, so they hold for every writer:
/// this server, another one, a CLI import. Pages derived from that content are remembered per version
/// (`DerivedCache`); reading the versions costs one tiny query.
enum ContentVersion {
    /// Offers and organisations.
    static let catalogue = 1
    /// The pages of the parents' place.
    static let parentPages = 2
    static let tables: [(table: String, id: Int)] = [("offers", catalogue), ("organisations", catalogue),
                                                     ("parent_pages", parentPages)]

    static func current(on database: any Database) async throws -> [Int: UInt64] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        var versions: [Int: UInt64] = [:]
        for row in try await sql.raw("SELECT id, version FROM content_versions").all() {
            versions[try row.decode(column: "id", as: Int.self)] = UInt64(try row.decode(column: "version", as: Int64.self))
        }
        return versions
    }

    /// Makes every change to `table` raise version `id` (on PostgreSQL through `content_touch()`, which
    /// `CreateContentVersions` made).
    static func installTriggers(table: String, id: Int, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_touch_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                    BEGIN UPDATE content_versions SET version = version + 1 WHERE id = \(unsafeRaw: String(id)); END
                    """).run()
            }
        } else {
            // Once per statement: an import of 10,000 offers raises the version once, not 10,000 times.
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_touch AFTER INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH STATEMENT EXECUTE FUNCTION content_touch('\(unsafeRaw: String(id))')
                """).run()
        }
    }

    static func dropTriggers(table: String, on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for event in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_touch_\(unsafeRaw: event)").run()
            }
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_touch ON \(unsafeRaw: table)").run()
        }
    }
}

/// The catalogue's version (see `ContentVersion`).
enum CatalogueVersion {
    static func current(on database: any Database) async throws -> UInt64 {
        try await ContentVersion.current(on: database)[ContentVersion.catalogue] ?? 0
    }
}

struct CreateContentVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE content_versions (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        for id in Set(ContentVersion.tables.map(\.id)) {
            try await sql.raw("INSERT INTO content_versions (id, version) VALUES (\(bind: id), 0)").run()
        }
        if sql.dialect.name != "sqlite" {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION content_touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE content_versions SET version = version + 1 WHERE id = TG_ARGV[0]::integer; RETURN NULL; END $$
                """).run()
        }
        for (table, id) in ContentVersion.tables {
            try await ContentVersion.installTriggers(table: table, id: id, on: sql)
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (table, _) in ContentVersion.tables {
            try await ContentVersion.dropTriggers(table: table, on: sql)
        }
        if sql.dialect.name != "sqlite" { try await sql.raw("DROP FUNCTION IF EXISTS content_touch()").run() }
        try await sql.raw("DROP TABLE content_versions").run()
    }
}

/// The content versions, read from the database at most every `maxAge` seconds. For public pages whose content
/// changes rarely (the parents' place): a change made in this process calls `refresh()` and shows at once; a change
/// made elsewhere (a catalogue import from the command line) shows within `maxAge`.
final class RecentContentVersions: Sendable {
    let maxAge: TimeInterval
    private let state = NIOLockedValueBox<(versions: [Int: UInt64], readAt: Date)?>(nil)

    init(maxAge: TimeInterval = 0.5) { self.maxAge = maxAge }

    func current(on database: any Database) async throws -> [Int: UInt64] {
        let now = WallClock.system.now
        if let known = state.withLockedValue({ $0 }), now.timeIntervalSince(known.readAt) < maxAge { return known.versions }
        let versions = try await ContentVersion.current(on: database)
        state.withLockedValue { $0 = (versions, now) }
        return versions
    }

    func refresh() { state.withLockedValue { $0 = nil } }
}
