import Testing
@testable import WegwijsCore

/// A reproducible random source, so a failing table can be found again from its seed.
typealias SeededGenerator = SplitMix64

/// The attacker of the issue: takes every relation with exactly one unknown, solves it by subtraction, and repeats
/// until nothing changes. Answers the hidden cells it recovered (with the values it found).
func recoverBySubtraction(_ table: CountTable, published: [Int?]) -> [Int: Int] {
    var known = published
    var recovered: [Int: Int] = [:]
    var progress = true
    while progress {
        progress = false
        for relation in table.relations {
            let unknown = relation.terms.filter { known[$0.cell] == nil }
            guard unknown.count == 1, let target = unknown.first else { continue }
            let rest = relation.terms.filter { $0.cell != target.cell }.reduce(0) { $0 + $1.coefficient * known[$1.cell]! }
            // coefficient × x + rest = 0
            guard rest % target.coefficient == 0 else { continue }
            let value = -rest / target.coefficient
            known[target.cell] = value
            recovered[target.cell] = value
            progress = true
        }
    }
    return recovered
}

/// The attacker who also knows that a hidden count is not 0 (zeros are shown) and that "<5" means at most 4:
/// under a published total, hidden parts that add up to their number are all 1, to four times their number all 4.
/// Answers the cells it guessed right.
func recoverByBounds(_ table: CountTable, published: [Int?]) -> Set<Int> {
    var recovered = Set<Int>()
    for relation in table.relations {
        guard let total = published[relation.total] else { continue }
        let hidden = relation.parts.filter { published[$0] == nil }
        guard !hidden.isEmpty else { continue }
        let sum = total - relation.parts.compactMap { published[$0] }.reduce(0, +)
        for guess in [1, 4] where sum == guess * hidden.count && hidden.allSatisfy({ table.values[$0] == guess }) {
            recovered.formUnion(hidden)
        }
    }
    return recovered
}

/// A report-shaped table: `rows` rows of `columns` parts, each row with its total, one column-total row, and the
/// grand total; optionally a second split of each row's first part (like completed = Σ outcomes).
func randomTable(_ rng: inout SeededGenerator) -> CountTable {
    var table = CountTable()
    let rows = Int.random(in: 1...6, using: &rng), columns = Int.random(in: 1...6, using: &rng)
    let nested = Bool.random(using: &rng)
    // Many small counts, some zeros, some large ones: where suppression has work to do.
    func count() -> Int {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<2: return 0
        case 2..<7: return Int.random(in: 1...4, using: &rng)
        default: return Int.random(in: 5...40, using: &rng)
        }
    }
    var partCells: [[Int]] = []
    var rowTotals: [Int] = []
    for _ in 0..<rows {
        let values = (0..<columns).map { _ in count() }
        let cells = values.map { table.cell($0) }
        let total = table.cell(values.reduce(0, +))
        table.sum(total, equals: cells)
        if nested {
            // Split the first part in two (its own relation).
            let first = values[0], a = first == 0 ? 0 : Int.random(in: 0...first, using: &rng)
            table.sum(cells[0], equals: [table.cell(a), table.cell(first - a)])
        }
        partCells.append(cells)
        rowTotals.append(total)
    }
    if Bool.random(using: &rng) {
        var columnTotals: [Int] = []
        for c in 0..<columns {
            let value = partCells.reduce(0) { $0 + table.values[$1[c]] }
            let total = table.cell(value)
            table.sum(total, equals: partCells.map { $0[c] })
            columnTotals.append(total)
        }
        let grand = table.cell(rowTotals.reduce(0) { $0 + table.values[$1] })
        table.sum(grand, equals: rowTotals)
        table.sum(grand, equals: columnTotals)
    }
    return table
}

@Suite("Small-count suppression")
struct SmallCountSuppressionTests {
    @Test("primary: 1 to 4 hidden, 0 and 5 or more shown")
    func primary() {
        var table = CountTable()
        for value in [0, 1, 4, 5, 100] { _ = table.cell(value) }
        #expect(SmallCountSuppression.publish(table) == [0, nil, nil, 5, 100])
    }

    /// The defect: sent 9, open 7, completed 0 shown; declined 1 and cancelled 1 hidden, and found by subtraction.
    @Test("the issue's row: declined and cancelled cannot be recovered from sent, open and completed")
    func issueRow() {
        var table = CountTable()
        let sent = table.cell(9), open = table.cell(7), declined = table.cell(1), completed = table.cell(0), cancelled = table.cell(1)
        table.sum(sent, equals: [open, declined, completed, cancelled])
        let published = SmallCountSuppression.publish(table)
        #expect(published[declined] == nil && published[cancelled] == nil)
        // Hiding only the two small cells leaves sent − open − completed = declined + cancelled = 2, and as a hidden
        // count is not 0, each is 1. So a third count (open, the smallest non-zero one) is hidden too.
        #expect(published[open] == nil)
        #expect(published[sent] == 9 && published[completed] == 0)
        #expect(recoverBySubtraction(table, published: published).isEmpty)
        #expect(recoverByBounds(table, published: published).isEmpty)
    }

    @Test("one hidden cell in a row gets a complement: the next-smallest published cell")
    func complement() {
        var table = CountTable()
        let total = table.cell(30), a = table.cell(3), b = table.cell(12), c = table.cell(15)
        table.sum(total, equals: [a, b, c])
        let published = SmallCountSuppression.publish(table)
        #expect(published[a] == nil)
        #expect(published[b] == nil)
        #expect(published[c] == 15 && published[total] == 30)
    }

    @Test("random tables with totals: no hidden cell is ever recovered by subtraction or by linear combination")
    func neverRecovered() {
        for seed in UInt64(1)...2_000 {
            var rng = SeededGenerator(seed: seed)
            let table = randomTable(&rng)
            let published = SmallCountSuppression.publish(table)
            // Primary suppression holds.
            for (index, value) in table.values.enumerated() where SmallCountSuppression.isSmall(value) {
                #expect(published[index] == nil, "seed \(seed): small cell \(index) published")
            }
            let recovered = recoverBySubtraction(table, published: published)
            #expect(recovered.isEmpty, "seed \(seed): recovered \(recovered) from \(published) of \(table.values)")
            let guessed = recoverByBounds(table, published: published)
            #expect(guessed.isEmpty, "seed \(seed): guessed \(guessed.sorted()) from \(published) of \(table.values)")
            let hidden = Set(published.indices.filter { published[$0] == nil })
            #expect(SmallCountSuppression.determinedCells(table, hidden: hidden).isEmpty, "seed \(seed)")
        }
    }

    @Test("a cell's component alone decides whether it is determined (what keeps large pages fast)")
    func componentDecides() {
        var compared = 0
        for seed in UInt64(1)...1_000 {
            var rng = SeededGenerator(seed: seed)
            let table = randomTable(&rng)
            let relationsOf = table.relationsOfCells
            // Primary suppression and a random share of the other cells hidden: many determined and undetermined cells.
            let hidden = Set(table.values.indices.filter { SmallCountSuppression.isSmall(table.values[$0]) || Int.random(in: 0..<4, using: &rng) == 0 })
            let whole = SmallCountSuppression.determinedCells(table, hidden: hidden)
            for cell in hidden {
                let relations = SmallCountSuppression.component(of: cell, hidden: hidden, table: table, relationsOf: relationsOf)
                let alone = SmallCountSuppression.determinedCells(table, hidden: hidden, care: [cell], among: relations)
                #expect(alone.contains(cell) == whole.contains(cell), "seed \(seed), cell \(cell)")
                compared += 1
            }
        }
        #expect(compared > 1_000)
    }

    @Test("the attacker is real: with primary suppression only, subtraction recovers cells in many tables")
    func attackerWorks() {
        var recoveredSomewhere = 0
        for seed in UInt64(1)...500 {
            var rng = SeededGenerator(seed: seed)
            let table = randomTable(&rng)
            let primaryOnly = table.values.map { SmallCountSuppression.isSmall($0) ? nil : $0 }
            if !recoverBySubtraction(table, published: primaryOnly).isEmpty
                || !recoverByBounds(table, published: primaryOnly).isEmpty { recoveredSomewhere += 1 }
        }
        #expect(recoveredSomewhere > 100)
    }

    @Test("a table without small counts is published whole")
    func nothingSmall() {
        var table = CountTable()
        let total = table.cell(20), a = table.cell(0), b = table.cell(20)
        table.sum(total, equals: [a, b])
        #expect(SmallCountSuppression.publish(table) == [20, 0, 20])
    }
}
