import Fluent
import SQLKit

extension Database {
    /// A transaction that will write, begun with a write. On SQLite a transaction that reads first and writes later
    /// cannot wait for the lock: when another connection committed in between (a web session saved, a list's audit
    /// entries), its upgrade fails at once with `SQLITE_BUSY` instead of waiting `busy_timeout` — a 500 under load.
    /// Taking the write lock as the first statement makes it wait like any writer. PostgreSQL needs nothing.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            try await tx.takeWriteLock()
            return try await body(tx)
        }
    }

    /// The first statement of a writing transaction on SQLite: an update that changes no row still takes the lock.
    func takeWriteLock() async throws {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE audit_head SET seq = seq WHERE 1 = 0").run()
    }
}
