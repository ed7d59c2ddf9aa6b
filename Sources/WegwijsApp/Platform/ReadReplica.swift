import Fluent
import FluentPostgresDriver
import Foundation
import Vapor

// Report reads on a PostgreSQL read replica (issue 15, "Speed"): `DATABASE_REPLICA_URL=postgres://…` names a hot
// standby of the primary (`DATABASE_URL`), kept current by streaming replication. The reports read their aggregates
// there, so a heavy dashboard does not compete with the case managers' writes; everything else — every write, every
// audit entry, every read of a single family — stays on the primary.
//
// Without `DATABASE_REPLICA_URL` (and always on SQLite) `reportDB` *is* the primary: code written against it runs
// everywhere, and tests on one database need nothing else.
//
// How to use it (the Reports service):
//
//     let rows = try await (req.reportDB as! any SQLDatabase).raw("SELECT … GROUP BY …").all()   // the aggregates
//     try await req.audit.record([...], by: subject, on: req.db)                                 // the audit: primary
//
// or `app.reportDatabase` outside a request (commands, background jobs). Never write through it: a standby refuses
// writes ("cannot execute … in a read-only transaction"). A replica is a little behind the primary (normally well
// under a second): fine for counts over months, not for "what I just saved" — read that from `req.db`. Long report
// queries on a standby can be cancelled when they conflict with replay; `hot_standby_feedback = on` on the standby
// (as `.ci/postgres-replica.sh` sets it) prevents that.

extension DatabaseID {
    /// The read replica (`DATABASE_REPLICA_URL`), registered only when configured.
    public static let replica = DatabaseID(string: "replica")
}

extension DatabaseTarget {
    /// `DATABASE_REPLICA_URL`: nil when unset; a replica needs PostgreSQL on both sides.
    public static func replica(_ url: String?, primary: DatabaseTarget) throws -> DatabaseTarget? {
        guard let url, !url.isEmpty else { return nil }
        guard case .postgres = primary, case .postgres(let replica, _) = try parse(url) else {
            throw ConfigError("DATABASE_REPLICA_URL needs PostgreSQL for both DATABASE_URL and the replica (postgres://…)")
        }
        // The primary's search path (a test's schema) applies to its replica too.
        if case .postgres(_, let searchPath) = primary { return .postgres(url: replica, searchPath: searchPath) }
        return .postgres(url: replica)
    }
}

struct ReadReplicaKey: StorageKey { typealias Value = Bool }

extension Application {
    /// Whether report reads go to a replica (`DATABASE_REPLICA_URL` was set).
    public var hasReadReplica: Bool { storage[ReadReplicaKey.self] ?? false }

    /// The database report aggregates are read from: the read replica when one is configured, else the primary.
    public var reportDatabase: any Database { hasReadReplica ? db(.replica) : db }
}

extension Request {
    /// The database this request's report aggregates are read from: the read replica when one is configured, else
    /// the primary (`req.db`). Read-only: audit entries and every write go to `req.db`.
    public var reportDB: any Database { application.hasReadReplica ? db(.replica) : db }
}

/// Registers the replica as a second database (never the default: migrations, writes and `app.db` stay on the
/// primary).
func configureReadReplica(_ app: Application, _ target: DatabaseTarget?) throws {
    guard let target else {
        app.storage[ReadReplicaKey.self] = false
        return
    }
    guard case .postgres(let url, let searchPath) = target else {
        throw ConfigError("DATABASE_REPLICA_URL must be a PostgreSQL URL (postgres://…)")
    }
    var configuration = try SQLPostgresConfiguration(url: url)
    if let searchPath { configuration.searchPath = [searchPath] }
    app.databases.use(.postgres(configuration: configuration, sqlLogLevel: .trace), as: .replica, isDefault: false)
    app.storage[ReadReplicaKey.self] = true
}
