import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// The door to the municipality's reports (docs/reports.md). One access decision from the policy table (`report`
/// for the own municipality, `regionReport` for the region), one audit entry per request (aggregates: no family
/// named), the figures from `ReportQueries` (its own aggregate SQL) and published through the one suppression of
/// `WegwijsCore` (`ReportPublisher`): every count from 1 to 4 hidden, for every role, with whatever more is needed so
/// nothing hidden can be worked out from what the page, the API or the CSV shows.
struct ReportService {
    let staff: StaffIdentity
    /// Where the figures are read: the read replica when one is configured (`DATABASE_REPLICA_URL`, `reportDB`).
    let reads: any Database
    /// Where the audit entry is written: always the primary.
    let db: any Database
    let audit: AuditLog
    let clock: WallClock

    init(request: Request) throws {
        staff = try request.requireStaff()
        reads = request.reportDB
        db = request.db
        audit = request.audit
        clock = request.clock
    }

    enum Scope: String, Sendable, CaseIterable {
        case municipality, region
    }

    /// Which municipalities a request covers, and the code it is published under.
    struct Coverage: Sendable {
        let scope: Scope
        /// The municipality's code, or the region's.
        let code: String
        let name: String
        /// Code and id of every municipality covered, by code.
        let municipalities: [(code: String, id: UUID)]
    }

    /// The reports' query parameters, checked: `from`, `to`, `scope` (or `region=true`), `by`, `format`.
    struct Query: Sendable {
        let period: ReportPeriod
        let scope: Scope
        /// The table the API answers (its dimensions joined by commas), nil: the first.
        let table: String?
    }

    /// Reads and checks the query of a request (422 with the field named for a bad value).
    static func query(_ request: Request, report: ReportName?) throws -> Query {
        let from = request.query[String.self, at: "from"], to = request.query[String.self, at: "to"]
        let period: ReportPeriod
        switch ReportPeriod.parse(from: from, to: to, today: request.clock.today) {
        case .success(let value): period = value
        case .failure(.invalidDate(let field)): throw AppError.invalid([FieldError(field, "date-invalid")], catalog: request.application.locales)
        case .failure(.reversed): throw AppError.invalid([FieldError("to", "period-reversed")], catalog: request.application.locales)
        }
        var scope = Scope.municipality
        if let text = request.query[String.self, at: "scope"], !text.isEmpty {
            guard let value = Scope(rawValue: text) else {
                throw AppError.invalid([FieldError("scope", "unknown-code")], catalog: request.application.locales)
            }
            scope = value
        }
        if let region = request.query[String.self, at: "region"], ["true", "1"].contains(region) { scope = .region }
        var table: String?
        if let by = request.query[String.self, at: "by"], !by.isEmpty, let report {
            guard report.tableNames.contains(by) else {
                throw AppError.invalid([FieldError("by", "unknown-code")], catalog: request.application.locales)
            }
            table = by
        }
        return Query(period: period, scope: scope, table: table)
    }

    /// The policy decision, and the municipalities the request covers.
    func coverage(_ scope: Scope) async throws -> Coverage {
        try FamilyAccess.require(staff, .read, .report)
        guard let own = try await Tenancy(on: db).municipality(staff.municipalityID) else { throw AppError.notFound("municipality") }
        guard scope == .region else {
            return Coverage(scope: .municipality, code: own.code, name: own.name, municipalities: [(own.code, staff.municipalityID)])
        }
        try FamilyAccess.require(staff, .read, .regionReport)
        let ids = try await Tenancy(on: db).regionMunicipalities(of: staff.municipalityID)
        var members: [(code: String, id: UUID)] = []
        for id in ids { if let municipality = try await Tenancy(on: db).municipality(id) { members.append((municipality.code, id)) } }
        members.sort { $0.code < $1.code }
        let region = try await own.$region.get(on: db)
        return Coverage(scope: .region, code: region?.code ?? own.code, name: region?.name ?? own.name, municipalities: members)
    }

    /// Every table of `report` for the request: the policy decision, the figures, one audit entry.
    func tables(_ report: ReportName, _ query: Query, format: String) async throws -> (coverage: Coverage, tables: [ReportTable]) {
        let coverage = try await self.coverage(query.scope)
        let tables = try await Self.publish(report, coverage: coverage, period: query.period, today: clock.today, on: reads)
        try await audit.record([AuditEvent(action: report.auditAction, purpose: AuditPurpose.administration,
                                           detail: "scope=\(coverage.scope.rawValue) from=\(query.period.from.iso) to=\(query.period.to.iso) format=\(format)")],
                               by: AuditSubject(staff), on: db)
        return (coverage, tables)
    }

    /// The published tables of `report` for the municipalities of `coverage` (no access check: the door's callers
    /// decide).
    static func publish(_ report: ReportName, coverage: Coverage, period: ReportPeriod, today: CalendarDate,
                        on database: any Database) async throws -> [ReportTable] {
        guard let sql = database as? any SQLDatabase else { throw AppError.notFound("report") }
        let ids = coverage.municipalities.map(\.id)
        // One transaction: every query of the page reads the same state of the database.
        let drafts = try await database.transaction { tx -> [UUID: [ReportDraft]] in
            let sql = (tx as? any SQLDatabase) ?? sql
            return try await ReportQueries(sql: sql, municipalities: ids, period: period, today: today).drafts(report)
        }
        if coverage.scope == .municipality, let id = ids.first {
            return ReportPublisher.publish(report: report.rawValue, municipality: coverage.code, period: period,
                                           drafts: drafts[id] ?? report.specs.map { ReportDraft($0) })
        }
        return ReportPublisher.publish(report: report.rawValue, region: coverage.code, period: period,
                                       municipalities: ids.map { drafts[$0] ?? report.specs.map { ReportDraft($0) } })
    }

    /// The table the API answers: the one `by` names, else the first.
    static func table(_ tables: [ReportTable], named name: String?) -> ReportTable {
        guard let name else { return tables[0] }
        return tables.first { $0.dimensions.joined(separator: ",") == name } ?? tables[0]
    }
}
