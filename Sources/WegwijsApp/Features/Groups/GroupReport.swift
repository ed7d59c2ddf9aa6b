import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// Whom the group series reach, per language and audience: series, parents who joined, still take part or stopped,
/// and attendances. Counts only; for policy officers every count from 1 to 4 is suppressed (null), with the further
/// counts needed so none can be worked out by subtraction (joined = taking part + stopped), by the one WegwijsCore
/// function (`SmallCountSuppression`). `GET /api/v1/reports/groups`.
struct GroupReport: Content {
    struct Row: Content {
        let language: String
        let audience: String
        let series: Int?
        let joined: Int?
        let takingPart: Int?
        let stopped: Int?
        /// Parents marked present, summed over the sessions.
        let attendances: Int?

        /// A suppressed count is written as null (not left out), so every row has the same fields.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(language, forKey: .language)
            try container.encode(audience, forKey: .audience)
            for (value, key) in [(series, CodingKeys.series), (joined, .joined), (takingPart, .takingPart), (stopped, .stopped),
                                 (attendances, .attendances)] {
                try container.encode(value, forKey: key)
            }
        }
    }
    let municipality: String
    let rows: [Row]

    static func make(municipalityID: UUID, municipalityCode: String, suppress: Bool, on db: any Database) async throws -> GroupReport {
        guard let sql = db as? any SQLDatabase else { throw AppError.notFound("municipality") }
        struct Tally { var series = 0, joined = 0, takingPart = 0, stopped = 0, attendances = 0 }
        var tallies: [String: Tally] = [:]
        func key(_ row: any SQLRow) throws -> String {
            "\(try row.decode(column: "language", as: String.self))|\(try row.decode(column: "audience", as: String.self))"
        }
        for row in try await sql.raw("""
            SELECT language, audience, COUNT(*) AS n FROM group_series
            WHERE municipality_id = \(bind: municipalityID) AND status <> 'cancelled' GROUP BY language, audience
            """).all() {
            tallies[try key(row), default: Tally()].series = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw("""
            SELECT s.language, s.audience, p.status, COUNT(*) AS n FROM group_participants p
            JOIN group_series s ON s.id = p.series_id
            WHERE s.municipality_id = \(bind: municipalityID) AND s.status <> 'cancelled'
            GROUP BY s.language, s.audience, p.status
            """).all() {
            let n = try row.decode(column: "n", as: Int.self)
            let stopped = try row.decode(column: "status", as: String.self) == ParticipantStatus.droppedOut.rawValue
            var tally = tallies[try key(row), default: Tally()]
            tally.joined += n
            if stopped { tally.stopped += n } else { tally.takingPart += n }
            tallies[try key(row)] = tally
        }
        for row in try await sql.raw("""
            SELECT s.language, s.audience, COUNT(*) AS n FROM group_attendance a
            JOIN group_sessions g ON g.id = a.session_id JOIN group_series s ON s.id = g.series_id
            WHERE s.municipality_id = \(bind: municipalityID) AND s.status <> 'cancelled' AND a.status = 'present'
            GROUP BY s.language, s.audience
            """).all() {
            tallies[try key(row), default: Tally()].attendances = try row.decode(column: "n", as: Int.self)
        }
        let keys = tallies.keys.sorted()
        var table = CountTable()
        var cells: [(series: Int, joined: Int, takingPart: Int, stopped: Int, attendances: Int)] = []
        for key in keys {
            let t = tallies[key]!
            let cell = (series: table.cell(t.series), joined: table.cell(t.joined), takingPart: table.cell(t.takingPart),
                        stopped: table.cell(t.stopped), attendances: table.cell(t.attendances))
            table.sum(cell.joined, equals: [cell.takingPart, cell.stopped])
            cells.append(cell)
        }
        let published: [Int?] = suppress ? SmallCountSuppression.publish(table) : table.values.map { $0 }
        let rows = zip(keys, cells).map { key, c in
            let parts = key.split(separator: "|").map(String.init)
            return Row(language: parts[0], audience: parts[1], series: published[c.series], joined: published[c.joined],
                       takingPart: published[c.takingPart], stopped: published[c.stopped], attendances: published[c.attendances])
        }
        return GroupReport(municipality: municipalityCode, rows: rows)
    }
}

extension GroupService {
    /// Policy officers see it with small numbers suppressed; case managers and admins see the exact counts.
    func report() async throws -> GroupReport {
        try FamilyAccess.require(staff, .read, .report)
        let report = try await GroupReport.make(municipalityID: staff.municipalityID, municipalityCode: staff.municipalityCode,
                                                suppress: staff.role == .policyOfficer, on: db)
        try await audit.record([AuditEvent(action: "report.groups", purpose: AuditPurpose.administration)],
                               by: AuditSubject(staff), on: db)
        return report
    }
}
