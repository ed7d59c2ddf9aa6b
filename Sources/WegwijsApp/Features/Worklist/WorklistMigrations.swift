import Fluent
import Foundation
import WegwijsCore
import SQLKit

/// Indexes for the worklist (a forward migration): a lead's active families, and a partner's referrals per state in
/// the order of their clock (answer by, first contact by), so each kind of work is one index range. (The companion's
/// first contacts have theirs already: `referrals_companion_planned`, `AddListIndexes`.)
struct AddWorklistIndexes: AsyncMigration {
    static let indexes = [
        ("families_case_manager_status", "families (case_manager_id, status)"),
        ("referrals_organisation_status_clock", "referrals (organisation_id, status, clock_on, id)"),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, target) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: target)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, _) in Self.indexes { try await sql.raw("DROP INDEX \(unsafeRaw: name)").run() }
    }
}

/// The days the worklist's rules count from, as dates set from the application's clock (a forward migration): the day a
/// family was registered (`families.registered_on`) and the day a signal was raised (`family_signals.raised_on`).
/// `created_at` stays what it is, the machine's moment of the insert; a date rule reads the injected clock's day.
/// Rows already stored get the Dutch calendar day of their `created_at`.
struct AddWorkDates: AsyncMigration {
    static let columns = [("families", "registered_on"), ("family_signals", "raised_on")]

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            for (table, column) in Self.columns {
                try await tx.schema(table).field(.string(column), .string).update()
                // The day of each stored row, grouped so that one statement sets every row of one day.
                var byDay: [String: [UUID]] = [:]
                for row in try await sql.raw("SELECT id, created_at FROM \(ident: table) WHERE created_at IS NOT NULL").all() {
                    let day = CalendarDate.inNetherlands(try row.decode(column: "created_at", as: Date.self)).iso
                    byDay[day, default: []].append(try row.decode(column: "id", as: UUID.self))
                }
                for (day, ids) in byDay {
                    for start in stride(from: 0, to: ids.count, by: 500) {
                        let chunk = ids[start..<min(start + 500, ids.count)]
                        try await sql.update(table).set(SQLIdentifier(column), to: SQLBind(day))
                            .where(SQLIdentifier("id"), .in, SQLBind.group(Array(chunk))).run()
                    }
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        for (table, column) in Self.columns { try await database.schema(table).deleteField(.string(column)).update() }
    }
}
