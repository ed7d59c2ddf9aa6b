import Foundation

/// A table of counts to publish, with the linear relations between its cells that a reader knows or can guess
/// (a total is the sum of its parts). Built cell by cell; `SmallCountSuppression` decides what to hide.
public struct CountTable: Sendable, Equatable {
    /// One relation: `total` = Σ `parts` + `offset`.
    public struct Relation: Sendable, Equatable {
        public let total: Int
        public let parts: [Int]
        /// A count the table does not publish but a reader may know (the worst case): it neither needs protection
        /// here nor hides anything, so it only shifts the sum.
        public var offset: Int = 0
        /// As Σ coefficient × cell = 0.
        public var terms: [(cell: Int, coefficient: Int)] { [(total, 1)] + parts.map { ($0, -1) } }
    }

    public private(set) var values: [Int] = []
    public private(set) var relations: [Relation] = []

    public init() {}

    /// Adds a cell and answers its index.
    public mutating func cell(_ value: Int) -> Int {
        values.append(value)
        return values.count - 1
    }

    /// Records that `total` is exactly the sum of `parts` (every relation the report's reader can rely on must be
    /// recorded, or the protection does not cover it).
    public mutating func sum(_ total: Int, equals parts: [Int], plus offset: Int = 0) {
        relations.append(Relation(total: total, parts: parts, offset: offset))
    }
}

/// Small-count suppression, the one implementation every report uses (as CBS does for its tables).
///
/// - Primary: a count from 1 to `minimumCount - 1` is hidden. A 0 is shown: it identifies nobody (CBS shows 0 too),
///   and hiding it would only make totals harder to read.
/// - Secondary: no hidden cell may be recoverable from the published ones through the table's relations. After the
///   primary cells are hidden, every hidden cell that the relations still determine exactly (by subtraction, and
///   by any linear combination of relations) gets a complement: the smallest published cell (preferring a non-zero
///   one) of a relation it is in is hidden as well. Also, under a published total the hidden parts together must
///   not be small (< 5) nor only 1s or only 4s, since a reader knows that a hidden count is not 0 (zeros are
///   shown). This repeats until it holds everywhere (a fixpoint: cells are only ever added).
///
/// What it does not cover: other inequalities (a part is at most its total, "no answer" is part of "open")
/// narrow a hidden cell to a range, not to one value; a reader learns that a hidden primary cell lies between
/// 1 and 4, which is the point of "<5".
public enum SmallCountSuppression {
    public static let minimumCount = 5

    /// True for a count that primary suppression hides.
    public static func isSmall(_ count: Int) -> Bool { count > 0 && count < minimumCount }

    /// The indices of the cells to hide.
    public static func suppressedCells(_ table: CountTable) -> Set<Int> {
        let primary = Set(table.values.indices.filter { isSmall(table.values[$0]) })
        var hidden = primary
        guard !hidden.isEmpty else { return hidden }
        while true {
            if let cell = determinedCells(table, hidden: hidden).min() {
                // Exactly recoverable: hide a further cell of a relation it is in.
                guard let complement = complement(for: cell, in: table, hidden: hidden)
                        ?? linkedComplement(for: cell, in: table, hidden: hidden) else { return hidden }
                hidden.insert(complement)
            } else if let relation = table.relations.first(where: { pinnedByBounds($0, table: table, hidden: hidden, primary: primary) }) {
                guard let complement = complement(in: relation, table: table, hidden: hidden) else { return hidden }
                hidden.insert(complement)
            } else {
                return hidden
            }
        }
    }

    /// A published total whose hidden parts add up to a sum a reader can compute, and that sum gives them away:
    /// below `minimumCount` (1 + 1 hidden under a total: "two families, each alone"), every hidden part 1 (a shown
    /// 0 tells the reader a hidden count is at least 1), or, when all are primary (at most 4), every one 4.
    static func pinnedByBounds(_ relation: CountTable.Relation, table: CountTable, hidden: Set<Int>, primary: Set<Int>) -> Bool {
        guard !hidden.contains(relation.total) else { return false }
        let hiddenParts = relation.parts.filter(hidden.contains)
        guard !hiddenParts.isEmpty else { return false }
        let sum = hiddenParts.reduce(0) { $0 + table.values[$1] }
        if sum < minimumCount || sum == hiddenParts.count { return true }
        return hiddenParts.allSatisfy(primary.contains) && sum == (minimumCount - 1) * hiddenParts.count
    }

    /// The smallest published part of `relation` (a non-zero one first), else its total.
    static func complement(in relation: CountTable.Relation, table: CountTable, hidden: Set<Int>) -> Int? {
        smallest(relation.parts.filter { !hidden.contains($0) }, table) ?? (hidden.contains(relation.total) ? nil : relation.total)
    }

    /// The published table: nil where a count is hidden.
    public static func publish(_ table: CountTable) -> [Int?] {
        let hidden = suppressedCells(table)
        return table.values.indices.map { hidden.contains($0) ? nil : table.values[$0] }
    }

    /// The smallest published cell that shares a relation with `cell`; a non-zero one first, since hiding a 0
    /// next to a total protects less.
    static func complement(for cell: Int, in table: CountTable, hidden: Set<Int>) -> Int? {
        var candidates = Set<Int>()
        for relation in table.relations where relation.total == cell || relation.parts.contains(cell) {
            for term in relation.terms where !hidden.contains(term.cell) { candidates.insert(term.cell) }
        }
        return smallest(Array(candidates), table)
    }

    /// When every cell of the relations around `cell` is hidden and it is still determined (through relations
    /// further away), a published cell of any relation that holds a hidden cell: the smallest one whose hiding
    /// makes `cell` undetermined, else the smallest one (and the caller looks again).
    static func linkedComplement(for cell: Int, in table: CountTable, hidden: Set<Int>) -> Int? {
        var candidates = Set<Int>()
        for relation in table.relations where relation.terms.contains(where: { hidden.contains($0.cell) }) {
            for term in relation.terms where !hidden.contains(term.cell) { candidates.insert(term.cell) }
        }
        let ordered = candidates.sorted { a, b in smallest([a, b], table) == a }
        return ordered.first { !determinedCells(table, hidden: hidden.union([$0])).contains(cell) } ?? ordered.first
    }

    private static func smallest(_ cells: [Int], _ table: CountTable) -> Int? {
        cells.min { a, b in
            let (va, vb) = (table.values[a], table.values[b])
            if (va == 0) != (vb == 0) { return vb == 0 }
            return va != vb ? va < vb : a < b
        }
    }

    /// The hidden cells whose value follows from the published cells and the relations: those whose unit vector is
    /// in the row space of the relations restricted to the hidden cells (Gauss–Jordan elimination, exact fractions).
    public static func determinedCells(_ table: CountTable, hidden: Set<Int>) -> Set<Int> {
        let unknowns = hidden.sorted()
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var rows: [[Fraction]] = []
        for relation in table.relations {
            var row = Array(repeating: Fraction.zero, count: unknowns.count)
            for term in relation.terms { if let c = column[term.cell] { row[c] = row[c] + Fraction(term.coefficient) } }
            if row.contains(where: { !$0.isZero }) { rows.append(row) }
        }
        var pivotRow = 0
        var pivots: [(row: Int, column: Int)] = []
        for c in 0..<unknowns.count where pivotRow < rows.count {
            guard let found = (pivotRow..<rows.count).first(where: { !rows[$0][c].isZero }) else { continue }
            rows.swapAt(pivotRow, found)
            let pivot = rows[pivotRow][c]
            rows[pivotRow] = rows[pivotRow].map { $0 / pivot }
            for r in rows.indices where r != pivotRow && !rows[r][c].isZero {
                let factor = rows[r][c]
                rows[r] = zip(rows[r], rows[pivotRow]).map { $0 - factor * $1 }
            }
            pivots.append((pivotRow, c))
            pivotRow += 1
        }
        var determined = Set<Int>()
        for (row, c) in pivots where rows[row].indices.allSatisfy({ $0 == c || rows[row][$0].isZero }) {
            determined.insert(unknowns[c])
        }
        return determined
    }
}

/// An exact fraction for the elimination (the relations' coefficients are small integers).
struct Fraction: Sendable, Equatable {
    let numerator: Int
    let denominator: Int

    static let zero = Fraction(0)

    init(_ value: Int) { numerator = value; denominator = 1 }

    init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator != 0)
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? abs(a) : gcd(b, a % b) }
        let divisor = max(1, gcd(numerator, denominator)) * (denominator < 0 ? -1 : 1)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    var isZero: Bool { numerator == 0 }

    static func + (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator) }
    static func - (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) }
    static func * (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.numerator, a.denominator * b.denominator) }
    static func / (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator, a.denominator * b.numerator) }
}
