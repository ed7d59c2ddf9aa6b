import Fluent
import Foundation
import SQLKit

/// A large load into PostgreSQL (`seed synthetic` with many families): the plain indexes and the foreign keys of the
/// tables loaded are dropped first and made again, exactly as they were (`pg_get_indexdef`,
/// `pg_get_constraintdef`), once the rows are in. Building an index from all rows at once and checking a foreign key
/// with one join is many times faster than keeping dozens of indexes and checks up to date row by row, and the rows
/// can then be copied over several connections at once. Primary keys and unique constraints stay.
///
/// The definitions are kept in the table `synthetic_load_window`, written in the transaction that drops them: a
/// seed that is interrupted leaves them there, and the next `seed synthetic` on the database makes them again
/// (`recover`) before anything else. While a load runs, the tables have no plain indexes: reads are slow, not wrong.
struct SyntheticLoadWindow: Sendable {
    struct Object: Sendable {
        enum Kind: String, Sendable { case index, foreignKey = "foreign-key" }
        let kind: Kind
        let table: String
        let name: String
        let definition: String
    }

    static let table = "synthetic_load_window"

    let objects: [Object]
    var indexes: [Object] { objects.filter { $0.kind == .index } }
    var foreignKeys: [Object] { objects.filter { $0.kind == .foreignKey } }

    /// Drops the plain (non-unique, non-constraint) indexes and the foreign keys of `tables` in the current schema and
    /// records them, in one transaction.
    static func open(_ tables: [String], on database: any Database) async throws -> SyntheticLoadWindow {
        guard let db = database as? any SQLDatabase else { throw ConfigError("seed synthetic needs an SQL database") }
        let indexes = try await db.raw("""
            SELECT c.relname AS tbl, i.relname AS name, pg_get_indexdef(i.oid) AS definition
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relname IN (\(binds: tables))
              AND NOT x.indisprimary AND NOT x.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            ORDER BY pg_relation_size(c.oid) DESC, i.relname
            """).all().map { try object($0, .index) }
        let foreignKeys = try await db.raw("""
            SELECT c.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND k.contype = 'f' AND c.relname IN (\(binds: tables))
            ORDER BY c.relname, k.conname
            """).all().map { try object($0, .foreignKey) }
        let window = SyntheticLoadWindow(objects: indexes + foreignKeys)
        // One transaction, on one connection: the record and the drops commit together.
        try await database.transaction { tx in
            guard let db = tx as? any SQLDatabase else { return }
            try await db.raw("""
                CREATE TABLE \(ident: table) (position INTEGER NOT NULL, kind TEXT NOT NULL, tbl TEXT NOT NULL,
                                              name TEXT NOT NULL, definition TEXT NOT NULL)
                """).run()
            for (position, object) in window.objects.enumerated() {
                try await db.raw("""
                    INSERT INTO \(ident: table) VALUES (\(bind: position), \(bind: object.kind.rawValue), \(bind: object.table),
                                                        \(bind: object.name), \(bind: object.definition))
                    """).run()
            }
            for key in foreignKeys { try await db.raw("ALTER TABLE \(ident: key.table) DROP CONSTRAINT \(ident: key.name)").run() }
            for index in indexes { try await db.raw("DROP INDEX \(ident: index.name)").run() }
        }
        return window
    }

    private static func object(_ row: any SQLRow, _ kind: Object.Kind) throws -> Object {
        Object(kind: kind, table: try row.decode(column: "tbl", as: String.self), name: try row.decode(column: "name", as: String.self),
               definition: try row.decode(column: "definition", as: String.self))
    }

    /// Makes every index and foreign key again, on all `connections` at once (one database per connection): the
    /// foreign keys one after the other on the first (each locks its table and the table it points to; two at once
    /// could deadlock), the indexes on all of them, biggest tables first. Then forgets the window.
    func close(on connections: [any SQLDatabase]) async throws {
        guard let db = connections.first else { return }
        let queue = SyntheticWorkQueue(indexes.filter { !$0.definition.isEmpty })
        let keys = foreignKeys
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (worker, db) in connections.enumerated() {
                group.addTask {
                    // Each index builds from all rows at once: give the sort room (this connection only).
                    try await db.raw("SET maintenance_work_mem = '512MB'").run()
                    if worker == 0 {
                        for key in keys {
                            if try await Self.exists(key, on: db) { continue }
                            try await db.raw("ALTER TABLE \(ident: key.table) ADD CONSTRAINT \(ident: key.name) \(unsafeRaw: key.definition)").run()
                        }
                    }
                    while let index = await queue.next() {
                        if try await Self.exists(index, on: db) { continue }
                        try await db.raw("\(unsafeRaw: index.definition)").run()
                    }
                    try await db.raw("RESET maintenance_work_mem").run()
                }
            }
            try await group.waitForAll()
        }
        try await db.raw("DROP TABLE IF EXISTS \(ident: Self.table)").run()
    }

    private static func exists(_ object: Object, on db: any SQLDatabase) async throws -> Bool {
        switch object.kind {
        case .index:
            return try await db.raw("""
                SELECT 1 AS found FROM pg_indexes WHERE schemaname = current_schema() AND indexname = \(bind: object.name)
                """).first() != nil
        case .foreignKey:
            return try await db.raw("""
                SELECT 1 AS found FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relname = \(bind: object.table) AND k.conname = \(bind: object.name)
                """).first() != nil
        }
    }

    /// A window an interrupted load left open: its indexes and keys made again. Nil when there is none.
    @discardableResult
    static func recover(on connections: [any SQLDatabase]) async throws -> SyntheticLoadWindow? {
        guard let db = connections.first else { return nil }
        guard try await db.raw("SELECT to_regclass(\(bind: table)) IS NOT NULL AS open").first()?
            .decode(column: "open", as: Bool.self) == true else { return nil }
        let rows = try await db.raw("SELECT kind, tbl, name, definition FROM \(ident: table) ORDER BY position").all()
        let window = SyntheticLoadWindow(objects: try rows.map {
            Object(kind: Object.Kind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .index,
                   table: try $0.decode(column: "tbl", as: String.self), name: try $0.decode(column: "name", as: String.self),
                   definition: try $0.decode(column: "definition", as: String.self))
        })
        try await window.close(on: connections)
        return window
    }
}

/// Hands out work to the tasks that share it.
actor SyntheticWorkQueue {
    private var items: [SyntheticLoadWindow.Object]
    init(_ items: [SyntheticLoadWindow.Object]) { self.items = items }
    func next() -> SyntheticLoadWindow.Object? { items.isEmpty ? nil : items.removeFirst() }
}
