import Fluent
import SQLKit

/// Indexes for the reports' aggregate queries (`ReportQueries`): each query filters by municipality and a date of
/// the period, or follows a family's, member's or participant's rows. Created if missing; nothing else changes.
struct AddReportIndexes: AsyncMigration {
    static let indexes = [
        // The first parent of each family (origin, own language) and the settled parents of a period.
        ("reports_members_parents", "family_members (municipality_id, role, family_id, position)"),
        ("reports_members_settled", "family_members (municipality_id, settlement_date)"),
        // Referrals sent in the period; first contacts per family.
        ("reports_referrals_sent", "referrals (municipality_id, sent_on)"),
        ("reports_referrals_first_contact", "referrals (municipality_id, first_contact_on)"),
        // Questions raised in the period, open now.
        ("reports_needs_period", "family_needs (municipality_id, status, created_at)"),
        // The key persons' contacts per month.
        ("reports_contacts_period", "contact_moments (municipality_id, at)"),
        // Attendance per participant (reach of an offer, first support), invitees per parent (R26).
        ("reports_attendance_participant", "group_attendance (participant_id, status)"),
        ("reports_invitees_member", "group_invitees (member_id)"),
        ("reports_plans_municipality", "family_plans (municipality_id, family_id)"),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, target) in Self.indexes {
            try await sql.raw("CREATE INDEX IF NOT EXISTS \(unsafeRaw: name) ON \(unsafeRaw: target)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, _) in Self.indexes { try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: name)").run() }
    }
}
