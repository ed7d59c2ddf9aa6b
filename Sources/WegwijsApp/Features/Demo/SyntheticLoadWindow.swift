import Foundation
import SQLKit

/// A large load into PostgreSQL (`seed synthetic` with many families), inside one transaction: the plain indexes and
/// the foreign keys of the tables loaded are dropped first and made again, exactly as they were
/// (`pg_get_indexdef`, `pg_get_constraintdef`), once the rows are in. Building an index from all rows at once and
/// checking a foreign key with one join is many times faster than keeping dozens of indexes and checks up to date
/// row by row. Primary keys and unique constraints stay. DDL is transactional in PostgreSQL: if the load fails, the
/// rollback brings every index and constraint back with it; while it runs, the tables are locked.
struct SyntheticLoadWindow: Sendable {
    struct Object: Sendable {
        let table: String
        let name: String
        let definition: String
    }

    let indexes: [Object]
    let foreignKeys: [Object]

    /// Drops the plain (non-unique, non-constraint) indexes and the foreign keys of `tables` in the current schema.
    static func open(_ tables: [String], on sql: any SQLDatabase) async throws -> SyntheticLoadWindow {
        let indexes = try await sql.raw("""
            SELECT c.relname AS tbl, i.relname AS name, pg_get_indexdef(i.oid) AS definition
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relname IN (\(binds: tables))
              AND NOT x.indisprimary AND NOT x.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            ORDER BY c.relname, i.relname
            """).all().map(object)
        let foreignKeys = try await sql.raw("""
            SELECT c.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND k.contype = 'f' AND c.relname IN (\(binds: tables))
            ORDER BY c.relname, k.conname
            """).all().map(object)
        for key in foreignKeys {
            try await sql.raw("ALTER TABLE \(ident: key.table) DROP CONSTRAINT \(ident: key.name)").run()
        }
        for index in indexes {
            try await sql.raw("DROP INDEX \(ident: index.name)").run()
        }
        return SyntheticLoadWindow(indexes: indexes, foreignKeys: foreignKeys)
    }

    private static func object(_ row: any SQLRow) throws -> Object {
        Object(table: try row.decode(column: "tbl", as: String.self), name: try row.decode(column: "name", as: String.self),
               definition: try row.decode(column: "definition", as: String.self))
    }

    /// Makes the indexes again, then the foreign keys (each checked over all rows by one query).
    func close(on sql: any SQLDatabase) async throws {
        for index in indexes {
            try await sql.raw("\(unsafeRaw: index.definition)").run()
        }
        for key in foreignKeys {
            try await sql.raw("ALTER TABLE \(ident: key.table) ADD CONSTRAINT \(ident: key.name) \(unsafeRaw: key.definition)").run()
        }
    }
}
