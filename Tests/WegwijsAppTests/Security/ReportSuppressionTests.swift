import Foundation
import Testing
@testable import WegwijsApp
@testable import WegwijsCore

/// The referral report as the policy officer gets it: no hidden count can be worked out from the others.
@Suite("Security: referral report suppression")
struct ReportSuppressionTests {
    typealias Tally = ReferralReport.Tally

    /// The attacker on one published row: sent = open + declined + completed + cancelled, and completed = its
    /// outcomes (plus those without one, assumed known to the reader: the worst case). Solves any relation with one
    /// unknown, repeatedly; answers what it found.
    static func recover(_ row: ReferralReport.Row, tally: Tally) -> [String: Int] {
        var known: [String: Int?] = ["sent": row.sent, "open": row.open, "declined": row.declined,
                                     "completed": row.completed, "cancelled": row.cancelled]
        for code in ReferralOutcome.allCodes { known["o." + code] = row.outcomes[code] ?? nil }
        let withoutOutcome = tally.completed - ReferralOutcome.allCodes.reduce(0) { $0 + (tally.outcomes[$1] ?? 0) }
        let relations: [(total: String, parts: [String], offset: Int)] = [
            ("sent", ["open", "declined", "completed", "cancelled"], 0),
            ("completed", ReferralOutcome.allCodes.map { "o." + $0 }, withoutOutcome),
        ]
        var found: [String: Int] = [:]
        var progress = true
        while progress {
            progress = false
            for relation in relations {
                let cells = [relation.total] + relation.parts
                let unknown = cells.filter { known[$0]! == nil }
                guard unknown.count == 1, let target = unknown.first else { continue }
                let partsKnown = relation.parts.filter { $0 != target }.reduce(0) { $0 + known[$1]!! } + relation.offset
                let value = target == relation.total ? partsKnown : known[relation.total]!! - partsKnown
                known[target] = value
                found[target] = value
                progress = true
            }
        }
        return found
    }

    @Test("the issue's row: sent 9, open 7, completed 0 no longer give away declined 1 and cancelled 1")
    func issueRow() throws {
        let tally = Tally(sent: 9, open: 7, declined: 1, completed: 0, cancelled: 1)
        let row = try #require(ReferralReport.rows([("GGD", tally)], suppress: true).first)
        #expect(row.declined == nil && row.cancelled == nil)
        #expect(row.sent == nil || row.open == nil)
        #expect(Self.recover(row, tally: tally).isEmpty)
        // Exact for the case manager.
        let exact = try #require(ReferralReport.rows([("GGD", tally)], suppress: false).first)
        #expect(exact.declined == 1 && exact.cancelled == 1 && exact.sent == 9)
    }

    @Test("an outcome hidden among published outcomes gets a complement")
    func outcomes() throws {
        let tally = Tally(sent: 20, open: 8, declined: 6, completed: 6, cancelled: 0,
                          outcomes: ["goal-reached": 5, "dropped-out": 1])
        let row = try #require(ReferralReport.rows([("CJG", tally)], suppress: true).first)
        #expect(row.outcomes["dropped-out"] == .some(nil))
        #expect(Self.recover(row, tally: tally).isEmpty)
    }

    @Test("random rows: the policy officer's report never lets a hidden count be recovered")
    func randomRows() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            func small() -> Int { Int.random(in: 0...7, using: &rng) }
            let outcomes = Dictionary(uniqueKeysWithValues: ReferralOutcome.allCodes.map { ($0, small()) })
            let completed = outcomes.values.reduce(0, +) + (Bool.random(using: &rng) ? 0 : small())
            let open = small() + small(), declined = small(), cancelled = small()
            let tally = Tally(sent: open + declined + completed + cancelled, open: open, noAnswer: min(open, small()),
                              declined: declined, completed: completed, cancelled: cancelled, outcomes: outcomes)
            let row = try #require(ReferralReport.rows([("X", tally)], suppress: true).first)
            let found = Self.recover(row, tally: tally)
            #expect(found.isEmpty, "\(tally): recovered \(found)")
            for (value, shown) in [(tally.sent, row.sent), (tally.open, row.open), (tally.declined, row.declined),
                                   (tally.completed, row.completed), (tally.cancelled, row.cancelled), (tally.noAnswer, row.noAnswer)]
                where SmallCountSuppression.isSmall(value) {
                #expect(shown == nil)
            }
        }
    }
}
