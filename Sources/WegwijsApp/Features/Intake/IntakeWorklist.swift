import Foundation
import SQLKit
import Vapor
import WegwijsCore

extension IntakeService {
    /// One active family the staff member works with, and what it puts on their worklist today.
    struct WorklistFamily: Sendable {
        let familyID: UUID
        let reference: String
        let name: String
        let items: [WorkDue]
    }

    /// The rules behind the family items, from this module's settings.
    var workRules: WorkRules {
        WorkRules(noContactWeeks: settings.noContactWeeks, rescreenWeeks: settings.rescreenWeeks)
    }

    /// The families coupled to this staff member (as lead, key person or social worker) with their due items, in ONE
    /// query: a row per family with its last contact, last screening, open signals and the plan's review date and
    /// first open action (read from the plan's JSON by the database, so 2,000 plans are not decoded here).
    /// Not audited here: the worklist's door (`WorklistService`) writes one entry naming the families it shows.
    func worklistFamilies() async throws -> [WorklistFamily] {
        try FamilyAccess.requireRead(staff)
        guard let sql = db as? any SQLDatabase else {
            throw AppError(status: .internalServerError, code: "database-unsupported", message: "Wegwijs needs an SQL database.")
        }
        let me = staff.userID
        let postgres = sql.dialect.name == "postgresql"
        // The plan's review date and its earliest open action with a due date ("due<US>text").
        let review: SQLQueryString = postgres ? "(p.data::jsonb)->>'reviewDate'" : "json_extract(p.data, '$.reviewDate')"
        let nextAction: SQLQueryString = postgres
            ? """
              (SELECT (a->>'due') || chr(31) || COALESCE(a->>'text', '') FROM jsonb_array_elements(COALESCE((p.data::jsonb)->'actions', '[]'::jsonb)) a
               WHERE COALESCE(a->>'done', 'false') = 'false' AND COALESCE(a->>'due', '') <> '' ORDER BY a->>'due' LIMIT 1)
              """
            : """
              (SELECT json_extract(a.value, '$.due') || char(31) || COALESCE(json_extract(a.value, '$.text'), '')
               FROM json_each(p.data, '$.actions') a
               WHERE COALESCE(json_extract(a.value, '$.done'), 0) = 0 AND COALESCE(json_extract(a.value, '$.due'), '') <> ''
               ORDER BY json_extract(a.value, '$.due') LIMIT 1)
              """
        let rows = try await sql.raw("""
            SELECT f.id, f.reference, f.name, f.case_manager_id, f.registered_on, f.created_at,
                   (SELECT MAX(c.at) FROM contact_moments c WHERE c.family_id = f.id) AS last_contact,
                   (SELECT MAX(s.conducted_on) FROM screenings s WHERE s.family_id = f.id) AS last_screening,
                   (SELECT COUNT(*) FROM family_signals g WHERE g.family_id = f.id AND g.status = 'open') AS open_signals,
                   (SELECT MIN(g.raised_on) FROM family_signals g WHERE g.family_id = f.id AND g.status = 'open') AS oldest_signal_on,
                   (SELECT MIN(g.created_at) FROM family_signals g
                    WHERE g.family_id = f.id AND g.status = 'open' AND g.raised_on IS NULL) AS oldest_signal,
                   \(review) AS review_on, \(nextAction) AS next_action
            FROM families f LEFT JOIN family_plans p ON p.family_id = f.id
            WHERE f.municipality_id = \(bind: staff.municipalityID) AND f.status = 'active'
              AND (f.case_manager_id = \(bind: me) OR f.key_person_id = \(bind: me) OR f.social_worker_id = \(bind: me))
            """).all()
        let rules = workRules, today = self.today
        return try rows.compactMap { row in
            func date(_ column: String) throws -> CalendarDate? {
                try row.decodeNil(column: column) ? nil : CalendarDate.inNetherlands(try row.decode(column: column, as: Date.self))
            }
            func isoDate(_ column: String) throws -> CalendarDate? {
                try row.decodeNil(column: column) ? nil : CalendarDate(iso: try row.decode(column: column, as: String.self))
            }
            let lead = try row.decodeNil(column: "case_manager_id") ? nil : try row.decode(column: "case_manager_id", as: UUID.self)
            var nextDue: CalendarDate?, nextText: String?
            if !(try row.decodeNil(column: "next_action")) {
                let parts = try row.decode(column: "next_action", as: String.self).split(separator: "\u{1F}", maxSplits: 1,
                                                                                          omittingEmptySubsequences: false)
                nextDue = parts.first.flatMap { CalendarDate(iso: String($0)) }
                nextText = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : nil
            }
            let facts = FamilyWorkFacts(
                isLead: lead == me,
                // The dates from the clock; `created_at`'s day only for rows a bulk seeder wrote without them.
                registeredOn: try isoDate("registered_on") ?? date("created_at") ?? today,
                lastContactOn: try date("last_contact"),
                lastScreeningOn: try isoDate("last_screening"),
                oldestOpenSignalOn: [try isoDate("oldest_signal_on"), try date("oldest_signal")].compactMap { $0 }.min(),
                openSignals: try row.decode(column: "open_signals", as: Int.self),
                reviewOn: try isoDate("review_on"),
                nextActionDue: nextDue, nextActionText: nextDue == nil ? nil : nextText)
            let items = rules.items(for: facts, today: today)
            guard !items.isEmpty else { return nil }
            return WorklistFamily(familyID: try row.decode(column: "id", as: UUID.self),
                                  reference: try row.decode(column: "reference", as: String.self),
                                  name: try row.decode(column: "name", as: String.self), items: items)
        }
    }
}
