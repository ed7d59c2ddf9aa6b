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

    func prepare(on database: any Database) async throws { try await ReportIndexes.create(Self.indexes, on: database) }

    func revert(on database: any Database) async throws { try await ReportIndexes.drop(Self.indexes, on: database) }
}

/// Covering indexes for the reports (issue 15, "Speed"): a family, a screening and a plan row are wide (the list's
/// JSON, the answers, the plan's JSON), so reading the row for one column costs a page or more each. These hold what
/// the reports read, so the aggregates never touch those rows: the family's scope, state and profile by id and by
/// municipality; a screening's occasion and day per family; a plan's phase and welcome day per family.
struct AddReportIndexes2: AsyncMigration {
    static let indexes = [
        ("reports_families_by_id", "families (id, municipality_id, status, created_at, updated_at, profile_origin, profile_language)"),
        ("reports_families_known", "families (municipality_id, created_at, status, updated_at, profile_origin, profile_language, id)"),
        ("reports_screenings_occasion", "screenings (family_id, occasion, conducted_on)"),
        ("reports_screenings_period", "screenings (municipality_id, conducted_on, occasion, family_id, id)"),
        ("reports_plans_report", "family_plans (family_id, phase, welcomed_on)"),
        // Open questions per family and theme; the key persons' contacts per month; the parents settled in a period;
        // the partner's first answer of each referral.
        ("reports_needs_open", "family_needs (municipality_id, status, created_at, family_id, theme)"),
        ("reports_contacts_month", "contact_moments (municipality_id, at, by_user_id, family_id)"),
        ("reports_members_settled_parents", "family_members (municipality_id, settlement_date, role, gender, family_id, id)"),
        ("reports_referral_answers", "referral_events (referral_id, kind, from_status, to_status, at)"),
        // A family's own first contacts and group sessions (the timings' milestones).
        ("reports_referrals_family_contact", "referrals (family_id, first_contact_on, organisation_id)"),
        ("reports_participants_family", "group_participants (family_id, id)"),
        ("reports_attendance_session", "group_attendance (participant_id, status, session_id)"),
        ("reports_sessions_date", "group_sessions (id, date)"),
        // What a screening recorded per provision, with `used` (the provisions report, R48).
        ("reports_provisions_used", "screening_provisions (screening_id, code, used)"),
    ]

    func prepare(on database: any Database) async throws { try await ReportIndexes.create(Self.indexes, on: database) }

    func revert(on database: any Database) async throws { try await ReportIndexes.drop(Self.indexes, on: database) }
}

/// Creates (if missing) and drops the reports' named indexes: `(name, "table (columns)")`.
enum ReportIndexes {
    static func create(_ indexes: [(String, String)], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, target) in indexes {
            try await sql.raw("CREATE INDEX IF NOT EXISTS \(unsafeRaw: name) ON \(unsafeRaw: target)").run()
        }
    }

    static func drop(_ indexes: [(String, String)], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, _) in indexes { try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: name)").run() }
    }
}
