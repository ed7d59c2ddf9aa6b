import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// How referrals fare per receiving organisation: how many were sent, are open, are past their timers, and how they
/// ended. Counts only; for policy officers every count from 1 to 4 is suppressed (null, "<5" in print), and where
/// needed a further count too, so that none can be worked out by subtraction (`SmallCountSuppression`). `wegwijs report referrals` (the API's `GET /api/v1/reports/referrals` is the Reports feature's, in the one report shape).
struct ReferralReport: Content {
    struct Row: Content {
        let organisation: String
        let sent: Int?
        let open: Int?
        let noAnswer: Int?
        let noFirstContact: Int?
        let waitingPastExpected: Int?
        let declined: Int?
        let completed: Int?
        let cancelled: Int?
        let accompaniedFirstContacts: Int?
        /// Completed referrals per `ReferralOutcome`.
        let outcomes: [String: Int?]

        /// A suppressed count is written as null (not left out), so every row has the same fields.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(organisation, forKey: .organisation)
            for (value, key) in [(sent, CodingKeys.sent), (open, .open), (noAnswer, .noAnswer), (noFirstContact, .noFirstContact),
                                 (waitingPastExpected, .waitingPastExpected), (declined, .declined), (completed, .completed),
                                 (cancelled, .cancelled), (accompaniedFirstContacts, .accompaniedFirstContacts)] {
                try container.encode(value, forKey: key)
            }
            try container.encode(outcomes, forKey: .outcomes)
        }
    }
    let municipality: String
    let on: String
    let settings: ReferralSettings
    let rows: [Row]

    static let minimumCount = SmallCountSuppression.minimumCount

    struct Tally { var sent = 0, open = 0, noAnswer = 0, noFirstContact = 0, waitingLate = 0, declined = 0, completed = 0,
                   cancelled = 0, accompanied = 0; var outcomes: [String: Int] = [:] }

    static func make(municipalityID: UUID, settings: ReferralSettings, today: CalendarDate, suppress: Bool,
                     on db: any Database) async throws -> ReferralReport {
        guard let sql = db as? any SQLDatabase, let municipality = try await Municipality.find(municipalityID, on: db) else {
            throw AppError.notFound("municipality")
        }
        let answerCutoff = WorkingDays.overdueCutoff(settings.answerWorkingDays, today: today).iso
        let contactCutoff = today.adding(days: -settings.firstContactDays).iso
        let rows = try await sql.raw("""
            SELECT g.name AS organisation, r.status, r.outcome, COUNT(*) AS n,
              SUM(CASE WHEN r.status = 'sent' AND r.clock_on <= \(bind: answerCutoff) THEN 1 ELSE 0 END) AS no_answer,
              SUM(CASE WHEN r.status IN ('accepted', 'first-contact-planned') AND r.clock_on <= \(bind: contactCutoff) THEN 1 ELSE 0 END) AS no_first_contact,
              SUM(CASE WHEN r.status = 'waiting-list' AND r.clock_on < \(bind: today.iso) THEN 1 ELSE 0 END) AS waiting_late,
              SUM(CASE WHEN r.accompanied THEN 1 ELSE 0 END) AS accompanied
            FROM referrals r JOIN organisations g ON g.id = r.organisation_id
            WHERE r.municipality_id = \(bind: municipalityID) AND r.status <> 'draft'
            GROUP BY g.name, r.status, r.outcome
            """).all()
        var tallies: [String: Tally] = [:]
        for row in rows {
            let organisation = try row.decode(column: "organisation", as: String.self)
            let status = ReferralStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .sent
            let n = try row.decode(column: "n", as: Int.self)
            var tally = tallies[organisation] ?? Tally()
            tally.sent += n
            if status.isOpen { tally.open += n }
            if status == .declined { tally.declined += n }
            if status == .cancelled { tally.cancelled += n }
            if status == .completed {
                tally.completed += n
                if let outcome = try row.decode(column: "outcome", as: String?.self) { tally.outcomes[outcome, default: 0] += n }
            }
            tally.noAnswer += try row.decode(column: "no_answer", as: Int?.self) ?? 0
            tally.noFirstContact += try row.decode(column: "no_first_contact", as: Int?.self) ?? 0
            tally.waitingLate += try row.decode(column: "waiting_late", as: Int?.self) ?? 0
            tally.accompanied += try row.decode(column: "accompanied", as: Int?.self) ?? 0
            tallies[organisation] = tally
        }
        let names = tallies.keys.sorted()
        return ReferralReport(municipality: municipality.code, on: today.iso, settings: settings,
                              rows: Self.rows(names.map { ($0, tallies[$0]!) }, suppress: suppress))
    }

    /// One count table for the whole report, with the sums a reader can rely on (sent = open + declined +
    /// completed + cancelled; completed = its outcomes + those without one), suppressed by the one WegwijsCore
    /// function so no hidden count can be worked out from the others.
    static func rows(_ tallies: [(String, Tally)], suppress: Bool) -> [Row] {
        var table = CountTable()
        struct Cells { var sent = 0, open = 0, noAnswer = 0, noFirstContact = 0, waitingLate = 0, declined = 0,
                       completed = 0, cancelled = 0, accompanied = 0; var outcomes: [String: Int] = [:] }
        var cells: [Cells] = []
        for (_, t) in tallies {
            var c = Cells()
            c.sent = table.cell(t.sent); c.open = table.cell(t.open); c.noAnswer = table.cell(t.noAnswer)
            c.noFirstContact = table.cell(t.noFirstContact); c.waitingLate = table.cell(t.waitingLate)
            c.declined = table.cell(t.declined); c.completed = table.cell(t.completed); c.cancelled = table.cell(t.cancelled)
            c.accompanied = table.cell(t.accompanied)
            for code in ReferralOutcome.allCodes { c.outcomes[code] = table.cell(t.outcomes[code] ?? 0) }
            let withOutcome = ReferralOutcome.allCodes.reduce(0) { $0 + (t.outcomes[$1] ?? 0) }
            table.sum(c.sent, equals: [c.open, c.declined, c.completed, c.cancelled])
            // An outcome is required on completion, so "without outcome" is 0 but for old or imported records;
            // it is not printed, and taken as known to the reader (the worst case).
            table.sum(c.completed, equals: ReferralOutcome.allCodes.map { c.outcomes[$0]! }, plus: t.completed - withOutcome)
            cells.append(c)
        }
        let published: [Int?] = suppress ? SmallCountSuppression.publish(table) : table.values.map { $0 }
        return zip(tallies, cells).map { entry, c in
            Row(organisation: entry.0, sent: published[c.sent], open: published[c.open], noAnswer: published[c.noAnswer],
                noFirstContact: published[c.noFirstContact], waitingPastExpected: published[c.waitingLate],
                declined: published[c.declined], completed: published[c.completed], cancelled: published[c.cancelled],
                accompaniedFirstContacts: published[c.accompanied],
                outcomes: Dictionary(uniqueKeysWithValues: ReferralOutcome.allCodes.map { ($0, published[c.outcomes[$0]!]) }))
        }
    }

    /// The report as text, one organisation per line ("<5" where a count is suppressed).
    var lines: [String] {
        func cell(_ value: Int?) -> String { value.map(String.init) ?? "<5" }
        var lines = ["Referrals in \(municipality) on \(on) (answer within \(settings.answerWorkingDays) working days, "
                     + "first contact within \(settings.firstContactDays) days)",
                     "organisation\tsent\topen\tno answer\tno first contact\twaiting past date\tdeclined\tcompleted\tcancelled\taccompanied\t"
                     + ReferralOutcome.allCodes.joined(separator: "\t")]
        for row in rows {
            lines.append([row.organisation, cell(row.sent), cell(row.open), cell(row.noAnswer), cell(row.noFirstContact),
                          cell(row.waitingPastExpected), cell(row.declined), cell(row.completed), cell(row.cancelled),
                          cell(row.accompaniedFirstContacts)].joined(separator: "\t")
                         + "\t" + ReferralOutcome.allCodes.map { cell(row.outcomes[$0] ?? 0) }.joined(separator: "\t"))
        }
        if rows.isEmpty { lines.append("(no referrals sent)") }
        return lines
    }
}
