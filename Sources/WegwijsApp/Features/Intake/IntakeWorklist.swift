import Foundation
import SQLKit
import Vapor
import WegwijsCore

extension IntakeService {
    /// One family item on the staff member's worklist today, with the family it concerns.
    struct WorklistFamilyItem: Sendable {
        let item: WorkDue
        let familyID: UUID
        let reference: String
        let name: String
    }

    /// The rules behind the family items, from this module's settings.
    var workRules: WorkRules { settings.workRules }

    /// The family items on this staff member's worklist today (as lead, key person or social worker), the most urgent
    /// `limit` of them (of one `kind`, or of all), and how many of each kind there are: two reads of one index range
    /// of the stored schedules (`FamilyWorkItems`), whatever the number of families.
    /// Not audited here: the worklist's door (`WorklistService`) writes one entry naming the families it shows.
    func worklistItems(kind: WorkKind?, limit: Int) async throws -> (items: [WorklistFamilyItem], counts: [WorkKind: Int]) {
        try FamilyAccess.requireRead(staff)
        guard let sql = db as? any SQLDatabase else {
            throw AppError(status: .internalServerError, code: "database-unsupported", message: "Wegwijs needs an SQL database.")
        }
        let me = staff.userID, today = self.today.iso
        var counts: [WorkKind: Int] = [:]
        for row in try await sql.raw("""
            SELECT kind, COUNT(*) AS n FROM family_work_items WHERE owner_id = \(bind: me) AND visible_from <= \(bind: today)
            GROUP BY kind
            """).all() {
            if let kind = WorkKind(rawValue: try row.decode(column: "kind", as: String.self)) {
                counts[kind] = try row.decode(column: "n", as: Int.self)
            }
        }
        let wanted = kind.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
        guard wanted > 0 else { return ([], counts) }
        let ofKind: SQLQueryString = kind.map { " AND w.kind = \(bind: $0.rawValue)" } ?? ""
        // The family is found by its key, the scope checked on that row. Left to itself SQLite answered the family
        // conditions from `families_status_name` instead, reading every active family of the municipality for each
        // line (14 ms a page with 2,000 families, 0.3 ms by key); the unary `+` keeps it off that index. PostgreSQL
        // plans this join well by itself (and has no unary `+` for text).
        let byKey: SQLQueryString = sql.dialect.name == "postgresql" ? "" : "+"
        let rows = try await sql.raw("""
            SELECT w.kind, w.due, w.since, w.detail, w.reference, f.id, f.name
            FROM family_work_items w JOIN families f ON f.id = w.family_id
            WHERE w.owner_id = \(bind: me) AND w.visible_from <= \(bind: today)\(ofKind)
              AND \(byKey)f.municipality_id = \(bind: staff.municipalityID) AND \(byKey)f.status = 'active'
            ORDER BY w.due, w.rank, w.reference LIMIT \(bind: limit)
            """).all()
        let items = try rows.compactMap { row -> WorklistFamilyItem? in
            guard let kind = WorkKind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let due = CalendarDate(iso: try row.decode(column: "due", as: String.self)) else { return nil }
            let since = try row.decodeNil(column: "since") ? nil : CalendarDate(iso: try row.decode(column: "since", as: String.self))
            let detail = try row.decodeNil(column: "detail") ? nil : try row.decode(column: "detail", as: String.self)
            return WorklistFamilyItem(item: WorkDue(kind: kind, due: due, since: since, detail: detail),
                                      familyID: try row.decode(column: "id", as: UUID.self),
                                      reference: try row.decode(column: "reference", as: String.self),
                                      name: try row.decode(column: "name", as: String.self))
        }
        return (items, counts)
    }

    /// Intake follows the families' registration, coupling, closing and reopening: their worklist items change with
    /// them (`DomainEvent.familyChanged`, published by Families in its transaction).
    static func subscribe(to events: DomainEvents, settings: IntakeSettings) {
        let rules = settings.workRules
        events.subscribe { event, context in
            guard case .familyChanged(let familyID) = event else { return }
            try await FamilyWorkItems.refresh([familyID], rules: rules, on: context.tx)
        }
    }
}
