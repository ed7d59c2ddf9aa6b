import Fluent
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
