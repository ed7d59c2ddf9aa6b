import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// The family items of the worklists, kept in the database (`family_work_items`): per family, per staff member who
/// sees it, each item with its due date and the first day it shows (`WorkRules.schedule`). A worklist is then one index
/// range of its owner (`owner_id, due, rank, reference`) instead of the rules run over every family on every request.
///
/// Kept in step on write, in the writer's transaction: every intake write (contacts, screenings, signals, the plan)
/// goes through `IntakeService.write`, which refreshes the family; registering, re-coupling, closing and reopening a
/// family publish `DomainEvent.familyChanged`, which Intake follows. The passing days need no refresh: what is due
/// today is read as `visible_from <= today`. Made with other rules (another `WEGWIJS_NO_CONTACT_WEEKS`), every
/// schedule is made again at start-up (`ensureRules`).
enum FamilyWorkItems {
    static let table = "family_work_items"
    static let rulesTable = "family_work_rules"

    /// One family's facts as the rules read them, and who works with it.
    struct Facts: Sendable {
        let familyID: UUID
        let reference: String
        let active: Bool
        let lead: UUID?
        let others: [UUID]
        let facts: FamilyWorkFacts
    }

    // MARK: keeping in step

    /// The rules this application runs with (`WEGWIJS_NO_CONTACT_WEEKS`, `WEGWIJS_RESCREEN_WEEKS`).
    static func rules(of app: Application) -> WorkRules {
        (app.storage[AppConfigKey.self]?.intake ?? IntakeSettings()).workRules
    }

    /// Makes the schedules of these families again from their facts (in the caller's transaction).
    static func refresh(_ familyIDs: [UUID], rules: WorkRules, on database: any Database) async throws {
        let sql = try sqlDatabase(database)
        for start in stride(from: 0, to: familyIDs.count, by: 500) {
            let chunk = Array(familyIDs[start..<min(start + 500, familyIDs.count)])
            let facts = try await Self.facts(where: "f.id IN (\(binds: chunk))", on: sql)
            try await sql.delete(from: table).where("family_id", .in, SQLBind.group(chunk)).run()
            try await store(facts, rules: rules, on: sql)
        }
    }

    /// Every family's schedule made again (after a bulk load, or when the rules changed).
    static func rebuildAll(rules: WorkRules, on database: any Database) async throws {
        let sql = try sqlDatabase(database)
        try await sql.delete(from: table).run()
        // In pages of families by id, so a million families never sit in memory at once.
        var after: UUID?
        while true {
            let condition: SQLQueryString = after.map { "f.status = 'active' AND f.id > \(bind: $0)" } ?? "f.status = 'active'"
            let facts = try await Self.facts(where: condition, order: true, limit: 2_000, on: sql)
            try await store(facts, rules: rules, on: sql)
            guard facts.count == 2_000, let last = facts.last else { break }
            after = last.familyID
        }
        try await sql.delete(from: rulesTable).run()
        try await sql.insert(into: rulesTable).columns("id", "rules").values(SQLBind(1), SQLBind(rules.fingerprint)).run()
    }

    /// At start-up: the stored schedules were made with these rules, or are made again with them.
    static func ensureRules(_ rules: WorkRules, on database: any Database) async throws {
        let sql = try sqlDatabase(database)
        let stored = try await sql.raw("SELECT rules FROM \(ident: rulesTable) WHERE id = 1").first()?
            .decode(column: "rules", as: String.self)
        guard stored != rules.fingerprint else { return }
        try await database.transaction { tx in try await rebuildAll(rules: rules, on: tx) }
    }

    private static func store(_ families: [Facts], rules: WorkRules, on sql: any SQLDatabase) async throws {
        var rows: [[any SQLExpression]] = []
        for family in families where family.active {
            for work in rules.schedule(for: family.facts) {
                var owners = work.leadOnly ? [] : family.others
                if let lead = family.lead { owners.insert(lead, at: 0) }
                var seen = Set<UUID>()
                for owner in owners where seen.insert(owner).inserted {
                    rows.append([SQLBind(owner), SQLBind(family.familyID), SQLBind(work.item.kind.rawValue),
                                 SQLBind(work.item.kind.rank), SQLBind(work.item.due.iso), SQLBind(work.visibleFrom.iso),
                                 SQLBind(work.item.since?.iso), SQLBind(work.item.detail), SQLBind(family.reference)])
                }
            }
        }
        for start in stride(from: 0, to: rows.count, by: 500) {
            var insert = sql.insert(into: table)
                .columns("owner_id", "family_id", "kind", "rank", "due", "visible_from", "since", "detail", "reference")
            for row in rows[start..<min(start + 500, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }

    /// The facts of the families matching `condition`, in ONE query: a row per family with its last contact, last
    /// screening, open signals and the plan's review date and first open action (read from the plan's JSON by the
    /// database, so 2,000 plans are not decoded here).
    static func facts(where condition: SQLQueryString, order: Bool = false, limit: Int? = nil,
                      on sql: any SQLDatabase) async throws -> [Facts] {
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
        let tail = (order ? " ORDER BY f.id" : "") + (limit.map { " LIMIT \($0)" } ?? "")
        let rows = try await sql.raw("""
            SELECT f.id, f.reference, f.status, f.case_manager_id, f.key_person_id, f.social_worker_id,
                   f.registered_on, f.created_at,
                   (SELECT MAX(c.at) FROM contact_moments c WHERE c.family_id = f.id) AS last_contact,
                   (SELECT MAX(s.conducted_on) FROM screenings s WHERE s.family_id = f.id) AS last_screening,
                   (SELECT COUNT(*) FROM family_signals g WHERE g.family_id = f.id AND g.status = 'open') AS open_signals,
                   (SELECT MIN(g.raised_on) FROM family_signals g WHERE g.family_id = f.id AND g.status = 'open') AS oldest_signal_on,
                   (SELECT MIN(g.created_at) FROM family_signals g
                    WHERE g.family_id = f.id AND g.status = 'open' AND g.raised_on IS NULL) AS oldest_signal,
                   \(review) AS review_on, \(nextAction) AS next_action
            FROM families f LEFT JOIN family_plans p ON p.family_id = f.id
            WHERE \(condition)\(unsafeRaw: tail)
            """).all()
        return try rows.map { row in
            func date(_ column: String) throws -> CalendarDate? {
                try row.decodeNil(column: column) ? nil : CalendarDate.inNetherlands(try row.decode(column: column, as: Date.self))
            }
            func isoDate(_ column: String) throws -> CalendarDate? {
                try row.decodeNil(column: column) ? nil : CalendarDate(iso: try row.decode(column: column, as: String.self))
            }
            func user(_ column: String) throws -> UUID? {
                try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: UUID.self)
            }
            var nextDue: CalendarDate?, nextText: String?
            if !(try row.decodeNil(column: "next_action")) {
                let parts = try row.decode(column: "next_action", as: String.self).split(separator: "\u{1F}", maxSplits: 1,
                                                                                          omittingEmptySubsequences: false)
                nextDue = parts.first.flatMap { CalendarDate(iso: String($0)) }
                nextText = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : nil
            }
            // The dates from the clock; `created_at`'s day only for rows a bulk seeder wrote without them.
            let registered = try isoDate("registered_on") ?? date("created_at") ?? CalendarDate.inNetherlands(Date(timeIntervalSince1970: 0))
            let facts = FamilyWorkFacts(
                isLead: true,
                registeredOn: registered,
                lastContactOn: try date("last_contact"),
                lastScreeningOn: try isoDate("last_screening"),
                oldestOpenSignalOn: [try isoDate("oldest_signal_on"), try date("oldest_signal")].compactMap { $0 }.min(),
                openSignals: try row.decode(column: "open_signals", as: Int.self),
                reviewOn: try isoDate("review_on"),
                nextActionDue: nextDue, nextActionText: nextDue == nil ? nil : nextText)
            return Facts(familyID: try row.decode(column: "id", as: UUID.self),
                         reference: try row.decode(column: "reference", as: String.self),
                         active: try row.decode(column: "status", as: String.self) == FamilyStatus.active.rawValue,
                         lead: try user("case_manager_id"),
                         others: [try user("key_person_id"), try user("social_worker_id")].compactMap { $0 },
                         facts: facts)
        }
    }

    private static func sqlDatabase(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else {
            throw AppError(status: .internalServerError, code: "database-unsupported", message: "Wegwijs needs an SQL database.")
        }
        return sql
    }
}

/// The table of the stored schedules and the rules they were made with (a forward migration), filled for every
/// active family with the default rules (`serve` makes them again when it runs with other rules).
struct CreateFamilyWorkItems: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FamilyWorkItems.table)
            .field("owner_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("family_id", .uuid, .required, .references("families", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("rank", .int, .required)
            .field("due", .string, .required)
            .field("visible_from", .string, .required)
            .field("since", .string)
            .field("detail", .string)
            .field("reference", .string, .required)
            .compositeIdentifier(over: "owner_id", "family_id", "kind")
            .create()
        try await database.schema(FamilyWorkItems.rulesTable)
            .field("id", .int, .identifier(auto: false))
            .field("rules", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The page: one owner's items in the order of urgency (visible_from in the index, so the walk never leaves it);
        // the counts and a filtered page: one owner's items of one kind; the refresh: one family's items.
        try await sql.raw("CREATE INDEX family_work_items_order ON family_work_items (owner_id, due, rank, reference, visible_from)").run()
        try await sql.raw("CREATE INDEX family_work_items_kind ON family_work_items (owner_id, kind, due, rank, reference, visible_from)").run()
        try await sql.raw("CREATE INDEX family_work_items_family ON family_work_items (family_id)").run()
        try await FamilyWorkItems.rebuildAll(rules: IntakeSettings().workRules, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FamilyWorkItems.rulesTable).delete()
        try await database.schema(FamilyWorkItems.table).delete()
    }
}
