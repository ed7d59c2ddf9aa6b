import Fluent
import Foundation
import SQLKit
import Vapor

/// A number the database raises on every change to offers or organisations, by triggers, so it holds for every
/// writer: this server, another one, a CLI import. Pages of the catalogue are remembered per version
/// (`DerivedCache`) and reading the version costs one tiny query.
enum CatalogueVersion {
    static func current(on database: any Database) async throws -> UInt64 {
        guard let sql = database as? any SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT version FROM catalogue_state WHERE id = 1").first()
        return UInt64(try row?.decode(column: "version", as: Int64.self) ?? 0)
    }
}

struct CreateCatalogueVersion: AsyncMigration {
    static let tables = ["offers", "organisations"]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE catalogue_state (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO catalogue_state (id, version) VALUES (1, 0)").run()
        if sql.dialect.name == "sqlite" {
            for table in Self.tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_touch_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        BEGIN UPDATE catalogue_state SET version = version + 1 WHERE id = 1; END
                        """).run()
                }
            }
        } else {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION catalogue_touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE catalogue_state SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
                """).run()
            // Once per statement: an import of 10,000 offers raises the version once, not 10,000 times.
            for table in Self.tables {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_touch AFTER INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_touch()
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for table in Self.tables {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_touch_\(unsafeRaw: event)").run()
                }
            }
        } else {
            for table in Self.tables {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_touch ON \(unsafeRaw: table)").run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS catalogue_touch()").run()
        }
        try await sql.raw("DROP TABLE catalogue_state").run()
    }
}

/// The catalogue's remembered pages: the staff API list and the public HSDS services list.
struct CatalogueCaches: Sendable {
    let offerPages: DerivedCache<ByteBuffer>
    let hsdsPages: DerivedCache<ByteBuffer>

    init(enabled: Bool = true) {
        // The version is kept by the database for every writer, so no time limit is needed.
        offerPages = DerivedCache(ttl: .infinity, capacity: 500, enabled: enabled)
        hsdsPages = DerivedCache(ttl: .infinity, capacity: 500, enabled: enabled)
    }
}

extension Application {
    private struct CatalogueCachesKey: StorageKey { typealias Value = CatalogueCaches }
    var catalogueCaches: CatalogueCaches {
        get { storage[CatalogueCachesKey.self] ?? CatalogueCaches(enabled: false) }
        set { storage[CatalogueCachesKey.self] = newValue }
    }
}
