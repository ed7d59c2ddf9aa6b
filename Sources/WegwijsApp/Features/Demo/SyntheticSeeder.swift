import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// `wegwijs seed synthetic --families N`: the generated families (`SyntheticGenerator`) loaded in bulk.
///
/// Every run is in the audit trail: `seed.synthetic` entries, chained like every other. The next batch of families is generated while one is
/// written, so both cores work: the generator in Swift, the database on its rows. PostgreSQL loads each table of a
/// batch with `COPY … FROM STDIN`, SQLite with multi-row inserts (`synchronous=OFF` for the run, restored after: a
/// crash during a seed loses the seed, not the file). The families' stored list JSON is written with them
/// (`SyntheticJSON`), with their version and time, as `FamilyListJSON` reads it.
///
/// Small runs (and SQLite) commit one transaction per batch (5,000 families by default), each with its audit entry.
/// A large run on PostgreSQL (`largeLoad` families or more) drops its tables' plain indexes and foreign keys, copies
/// the batches in over one connection per core at once, makes the indexes and keys again from all rows
/// (`SyntheticLoadWindow`, which an interrupted run leaves for the next to finish) and writes one audit entry for the
/// whole load — several times faster.
enum SyntheticSeeder {
    /// From this many families on, PostgreSQL loads in one transaction with its indexes rebuilt.
    static let largeLoad = 50_000

    static func run(_ app: Application, options: SyntheticOptions, password: String,
                    progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> SyntheticSummary {
        let started = ContinuousClock.now
        if try await DemoSeeder.databaseIsEmpty(app.db) { try await DemoSeeder.seed(app, password: password) }
        guard let sql = app.db as? any SQLDatabase else { throw ConfigError("seed synthetic needs an SQL database") }
        let dialect: SyntheticDialect = sql.dialect.name == "postgresql" ? .postgres : .sqlite
        let world = try await SyntheticWorld.load(app, options: options, dialect: dialect)
        let offset = try await Family.query(on: app.db).count()
        let generator = SyntheticGenerator(world: world, options: options, offset: offset,
                                           startMilliseconds: UInt64(app.clock.now.timeIntervalSince1970 * 1000))
        let size = max(1, options.batchSize)
        let ranges = stride(from: 0, to: options.families, by: size).map { $0..<min($0 + size, options.families) }
        let families = options.families
        @Sendable func report(_ done: Int, _ summary: SyntheticSummary) {
            progress("\(done) of \(families) families, \(summary.rows.values.reduce(0, +)) rows, "
                     + String(format: "%.0f s", (ContinuousClock.now - started).inSeconds))
        }

        var summary = SyntheticSummary()
        // One database handle per event loop: each has its own connection, so work given to several runs at once.
        let connections = app.eventLoopGroup.makeIterator().prefix(4).compactMap {
            app.databases.database(logger: app.logger, on: $0)
        }
        let sqlConnections = connections.compactMap { $0 as? any SQLDatabase }
        if dialect == .postgres, let recovered = try await SyntheticLoadWindow.recover(on: sqlConnections) {
            progress("made again the \(recovered.objects.count) indexes and foreign keys an interrupted seed had dropped")
        }
        if dialect == .postgres && (options.families >= largeLoad || options.oneTransaction) {
            let window = try await SyntheticLoadWindow.open(SyntheticTable.allCases.map(\.name), on: app.db)
            summary = try await pipeline(generator, ranges: ranges, writers: connections.count) { batch, worker in
                try await connections[worker].transaction { tx in
                    if let sql = tx as? any SQLDatabase { try await sql.raw("SET LOCAL synchronous_commit = off").run() }
                    try await SyntheticWriter.write(batch, on: tx)
                }
            } progress: { done, summary in
                report(done, summary)
            }
            progress("rebuilding \(window.indexes.count) indexes and \(window.foreignKeys.count) foreign keys, "
                     + String(format: "%.0f s", (ContinuousClock.now - started).inSeconds))
            let rebuild = ContinuousClock.now
            try await window.close(on: sqlConnections)
            SyntheticProfile.shared.add("(indexes and foreign keys)", since: rebuild)
            let rows = summary.rows.values.reduce(0, +)
            try await app.audit.write(on: app.db, by: .system) { _, recorder in
                recorder.record(AuditEvent(action: "seed.synthetic", purpose: AuditPurpose.administration,
                                           detail: "families=\(families) rows=\(rows)"))
            }
        } else {
            if dialect == .sqlite { try await setSynchronous("OFF", app) }
            do {
                summary = try await pipeline(generator, ranges: ranges) { batch, _ in
                    let count = batch.familyIDs.count, rows = batch.rowCount
                    try await app.audit.write(on: app.db, by: .system) { tx, recorder in
                        if dialect == .postgres, let sql = tx as? any SQLDatabase {
                            try await sql.raw("SET LOCAL synchronous_commit = off").run()
                        }
                        try await SyntheticWriter.write(batch, on: tx)
                        recorder.record(AuditEvent(action: "seed.synthetic", purpose: AuditPurpose.administration,
                                                   detail: count > 0 ? "families=\(count) rows=\(rows)" : "evaluations rows=\(rows)"))
                    }
                } progress: { done, summary in
                    report(done, summary)
                }
            } catch {
                if dialect == .sqlite { try? await setSynchronous("NORMAL", app) }
                throw error
            }
            if dialect == .sqlite { try await setSynchronous("NORMAL", app) }
        }
        // Loaded in bulk, past the services: the worklists are made from the loaded facts once, with the indexes back.
        let worklists = ContinuousClock.now
        try await FamilyWorkItems.rebuildAll(rules: FamilyWorkItems.rules(of: app), on: app.db)
        SyntheticProfile.shared.add("(worklists)", since: worklists)
        // Fresh statistics, so the first report's plan sees the real sizes. Only the tables loaded, in this schema:
        // a bare ANALYZE visits every table of the database, other schemas included, and waits for the locks of
        // whatever else runs there (in the tests, every test has its own schema; this seed once failed in CI under
        // load with an error we could not see, now named by the test).
        if dialect == .postgres {
            let analyse = ContinuousClock.now
            try await sql.raw("ANALYZE \(idents: SyntheticTable.allCases.map(\.name), joinedBy: ", ")").run()
            SyntheticProfile.shared.add("(analyze)", since: analyse)
        }
        summary.seconds = (ContinuousClock.now - started).inSeconds
        if Environment.get("WEGWIJS_SEED_PROFILE") == "1" { progress("time per table: " + SyntheticProfile.shared.report) }
        return summary
    }

    /// Generates batch k+1 while `write` writes batch k (and, with several `writers`, earlier batches are still being
    /// written on the other connections); the last batch holds the evaluations (`finish`). `write` gets the batch and
    /// the number of a writer that is free.
    private static func pipeline(_ generator: SyntheticGenerator, ranges: [Range<Int>], writers: Int = 1,
                                 write: @escaping @Sendable (SyntheticBatch, Int) async throws -> Void,
                                 progress: (Int, SyntheticSummary) -> Void = { _, _ in }) async throws -> SyntheticSummary {
        var summary = SyntheticSummary()
        var next = Task.detached { ranges.isEmpty ? generator.finish() : generator.batch(ranges[0]) }
        try await withThrowingTaskGroup(of: Int.self) { group in
            var free = Array(0..<max(1, writers))
            for index in 0...ranges.count {
                let batch = await next.value
                if index < ranges.count - 1 {
                    let range = ranges[index + 1]
                    next = Task.detached { generator.batch(range) }
                } else if index == ranges.count - 1 {
                    next = Task.detached { generator.finish() }
                }
                if free.isEmpty, let done = try await group.next() { free.append(done) }
                let worker = free.removeFirst()
                group.addTask {
                    try await write(batch, worker)
                    return worker
                }
                summary.add(batch)
                if index < ranges.count, index % 10 == 9 || index == ranges.count - 1 { progress(ranges[index].upperBound, summary) }
            }
            try await group.waitForAll()
        }
        return summary
    }

    /// SQLite's `synchronous` is per connection: one per event loop.
    private static func setSynchronous(_ value: String, _ app: Application) async throws {
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: loop) as? any SQLDatabase else { continue }
            try await db.raw("PRAGMA synchronous=\(unsafeRaw: value)").run()
        }
    }
}
