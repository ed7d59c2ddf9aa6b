import Foundation

/// A table of counts to publish, with the linear relations between its cells that a reader knows or can guess
/// (a total is the sum of its parts). Built cell by cell; `SmallCountSuppression` decides what to hide.
///
/// Besides the cells to publish, a table can hold two other kinds (`ReportPublisher` uses both):
/// - an **unpublished** cell is never shown but follows from the shown ones (families *without* the parenting module
///   = families − families with it). It is protected like a shown count: when it is small, it must not be
///   recoverable; when it is not small, that it can be worked out does no harm.
/// - a **fixed** cell was decided on another page (a municipality's own page, under the region's): shown there or
///   hidden there, and this page may not change that. A fixed shown cell is never picked as a complement; a fixed
///   hidden one is protected like a primary one.
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
    /// Cells never published (see above).
    public private(set) var unpublished: Set<Int> = []
    /// Cells decided elsewhere: true = shown there, false = hidden there.
    public private(set) var fixed: [Int: Bool] = [:]
    /// Whether a complement (a cell hidden only to protect another) must itself stay undetermined. True for a plain
    /// table; the reports (`ReportPublisher`) turn it off: their tables are tied by many sums (a margin of one row
    /// is that row), so hiding a complement for its own sake spreads over the whole page, while what protects a
    /// family is that no small count can be worked out — which holds either way.
    public var protectsComplements = true

    public init() {}

    /// Adds a cell and answers its index.
    public mutating func cell(_ value: Int) -> Int {
        values.append(value)
        return values.count - 1
    }

    /// Adds a cell that is never published, only protected (see above).
    public mutating func unpublishedCell(_ value: Int) -> Int {
        let index = cell(value)
        unpublished.insert(index)
        return index
    }

    /// Adds a cell whose publication another page decided: `shown` there, or hidden there.
    public mutating func fixedCell(_ value: Int, shown: Bool) -> Int {
        let index = cell(value)
        fixed[index] = shown
        return index
    }

    /// Records that `total` is exactly the sum of `parts` (every relation the report's reader can rely on must be
    /// recorded, or the protection does not cover it).
    public mutating func sum(_ total: Int, equals parts: [Int], plus offset: Int = 0) {
        relations.append(Relation(total: total, parts: parts, offset: offset))
    }

    /// The relations (by index) each cell is in.
    var relationsOfCells: [Int: [Int]] {
        var found: [Int: [Int]] = [:]
        for (index, relation) in relations.enumerated() {
            for term in relation.terms { found[term.cell, default: []].append(index) }
        }
        return found
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
/// With fixed cells (`CountTable.fixedCell`, a regional view) only the primary cells, the cells hidden on their own
/// page and the small unpublished ones are kept undetermined; a complement that the fixed pages give away anyway is
/// left as it is.
///
/// What it does not cover: other inequalities (a part is at most its total, "no answer" is part of "open")
/// narrow a hidden cell to a range, not to one value; a reader learns that a hidden primary cell lies between
/// 1 and 4, which is the point of "<5".
public enum SmallCountSuppression {
    public static let minimumCount = 5

    /// True for a count that primary suppression hides.
    public static func isSmall(_ count: Int) -> Bool { count > 0 && count < minimumCount }

    /// The indices of the cells to hide (unpublished cells included: they are never shown).
    ///
    /// Each round finds every hidden cell that can still be worked out and gives each its complement (one round
    /// handles the many independent rows of a large table at once); a cell that shares a relation with a complement
    /// picked in the same round waits for the next round, which looks again.
    public static func suppressedCells(_ table: CountTable) -> Set<Int> {
        let fixedHidden = Set(table.fixed.filter { !$0.value }.keys)
        let free = table.values.indices.filter { table.fixed[$0] == nil && !table.unpublished.contains($0) }
        let primary = Set(free.filter { isSmall(table.values[$0]) }).union(fixedHidden)
        // Unpublished cells that are not small may be worked out: they need no protection.
        let harmless = Set(table.unpublished.filter { !isSmall(table.values[$0]) })
        var hidden = primary.union(table.unpublished)
        guard !hidden.subtracting(harmless).isEmpty else { return hidden }
        let sensitive = primary.union(table.unpublished.subtracting(harmless))
        // Alone, every hidden cell is kept undetermined (complements too). Under figures fixed elsewhere (a region
        // over its municipalities' own pages), a complement can be the sum of shown figures of those pages and can
        // never be hidden for real: there only what needs protection is kept undetermined.
        let strict = table.fixed.isEmpty && table.protectsComplements
        let relationsOf = table.relationsOfCells
        while true {
            let care = strict ? hidden.subtracting(harmless) : sensitive
            let determined = determinedCells(table, hidden: hidden, care: care)
            if !determined.isEmpty {
                var touched = Set<Int>()
                var added = false
                for cell in determined.sorted() where touched.isDisjoint(with: relationsOf[cell] ?? []) {
                    guard let complement = complement(for: cell, in: table, hidden: hidden)
                            ?? linkedComplement(for: cell, in: table, hidden: hidden, harmless: harmless, relationsOf: relationsOf)
                            ?? anyComplement(in: table, hidden: hidden) else { continue }
                    hidden.insert(complement)
                    touched.formUnion(relationsOf[complement] ?? [])
                    added = true
                }
                if !added { return hidden }
                continue
            }
            var added = false
            for relation in table.relations where pinnedByBounds(relation, table: table, hidden: hidden, primary: sensitive) {
                if let complement = complement(in: relation, table: table, hidden: hidden) {
                    hidden.insert(complement)
                    added = true
                }
            }
            if !added { return hidden }
        }
    }

    /// Whether `cell` may be hidden as a complement: shown on no other page, and not hidden already.
    static func isFree(_ cell: Int, _ table: CountTable, _ hidden: Set<Int>) -> Bool {
        !hidden.contains(cell) && table.fixed[cell] == nil
    }

    /// A published total whose hidden parts add up to a sum a reader can compute, and that sum gives them away:
    /// below `minimumCount` (1 + 1 hidden under a total: "two families, each alone"), every hidden part 1 (a shown
    /// 0 tells the reader a hidden count is at least 1), or, when all are primary (at most 4), every one 4.
    static func pinnedByBounds(_ relation: CountTable.Relation, table: CountTable, hidden: Set<Int>, primary: Set<Int>) -> Bool {
        guard !hidden.contains(relation.total) else { return false }
        let hiddenParts = relation.parts.filter(hidden.contains)
        // A reader knows a hidden *published* count is not 0; an unpublished rest may well be 0, so a sum with one in
        // it pins nothing (a small rest itself is kept undetermined by the elimination).
        guard !hiddenParts.isEmpty, !hiddenParts.contains(where: table.unpublished.contains) else { return false }
        let sum = hiddenParts.reduce(0) { $0 + table.values[$1] }
        if sum < minimumCount || sum == hiddenParts.count { return true }
        return hiddenParts.allSatisfy(primary.contains) && sum == (minimumCount - 1) * hiddenParts.count
    }

    /// The smallest published part of `relation` (a non-zero one first), else its total.
    static func complement(in relation: CountTable.Relation, table: CountTable, hidden: Set<Int>) -> Int? {
        smallest(relation.parts.filter { isFree($0, table, hidden) }, table)
            ?? (isFree(relation.total, table, hidden) ? relation.total : nil)
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
            for term in relation.terms where isFree(term.cell, table, hidden) { candidates.insert(term.cell) }
        }
        return smallest(Array(candidates), table)
    }

    /// When every cell of the relations around `cell` is hidden and it is still determined (through relations
    /// further away), a published cell of any relation that holds a hidden cell: the smallest one whose hiding
    /// makes `cell` undetermined, else the smallest one (and the caller looks again).
    ///
    /// Only a cell of a relation in `cell`'s component (the relations linked to it through hidden cells) can make it
    /// undetermined, and whether it does depends on that component alone: each candidate is tried on the component
    /// (a few relations), not on the whole page (thousands), and the others are skipped, with the same answer.
    static func linkedComplement(for cell: Int, in table: CountTable, hidden: Set<Int>, harmless: Set<Int> = [],
                                 relationsOf: [Int: [Int]]) -> Int? {
        var candidates = Set<Int>()
        for relation in table.relations where relation.terms.contains(where: { hidden.contains($0.cell) && !harmless.contains($0.cell) }) {
            for term in relation.terms where isFree(term.cell, table, hidden) { candidates.insert(term.cell) }
        }
        let ordered = candidates.sorted { a, b in smallest([a, b], table) == a }
        let near = Set(component(of: cell, hidden: hidden, table: table, relationsOf: relationsOf)
            .flatMap { table.relations[$0].terms.map(\.cell) })
        return ordered.first { candidate in
            guard near.contains(candidate) else { return false }
            let wider = hidden.union([candidate])
            let relations = component(of: cell, hidden: wider, table: table, relationsOf: relationsOf)
            return !determinedCells(table, hidden: wider, care: [cell], among: relations).contains(cell)
        } ?? ordered.first
    }

    /// The relations linked to `cell` through hidden cells (a breadth-first walk): all that can determine it.
    static func component(of cell: Int, hidden: Set<Int>, table: CountTable, relationsOf: [Int: [Int]]) -> [Int] {
        var seenCells: Set<Int> = [cell], seenRelations = Set<Int>(), queue = [cell], found: [Int] = []
        while let next = queue.popLast() {
            for r in relationsOf[next] ?? [] where seenRelations.insert(r).inserted {
                found.append(r)
                for term in table.relations[r].terms where hidden.contains(term.cell) && seenCells.insert(term.cell).inserted {
                    queue.append(term.cell)
                }
            }
        }
        return found.sorted()
    }

    /// The last resort, so the loop never stops with a cell still recoverable: the smallest free cell of any relation
    /// that holds a hidden cell.
    static func anyComplement(in table: CountTable, hidden: Set<Int>) -> Int? {
        var candidates = Set<Int>()
        for relation in table.relations where relation.terms.contains(where: { hidden.contains($0.cell) }) {
            for term in relation.terms where isFree(term.cell, table, hidden) { candidates.insert(term.cell) }
        }
        return smallest(Array(candidates), table)
    }

    private static func smallest(_ cells: [Int], _ table: CountTable) -> Int? {
        cells.min { a, b in
            let (va, vb) = (table.values[a], table.values[b])
            if (va == 0) != (vb == 0) { return vb == 0 }
            return va != vb ? va < vb : a < b
        }
    }

    /// The hidden cells whose value follows from the published cells and the relations: those whose unit vector is
    /// in the row space of the relations restricted to the hidden cells (Gauss–Jordan elimination).
    public static func determinedCells(_ table: CountTable, hidden: Set<Int>) -> Set<Int> {
        determinedCells(table, hidden: hidden, care: hidden)
    }

    /// The cells of `care` (all hidden) that are determined, exactly as above, but faster on large tables:
    ///
    /// 1. A hidden cell outside `care` that occurs in one relation only is dropped with that relation, again and
    ///    again: whatever the other cells are, it takes up the difference, so that relation says nothing about them
    ///    (no combination of the other relations can cancel it). The unpublished rest of every row is such a cell.
    /// 2. What remains splits into independent parts (cells linked by relations); each is eliminated on its own.
    ///
    /// The elimination is exact arithmetic modulo the prime 2⁶¹ − 1 rather than in fractions: fractions of a large
    /// table's minors overflow 64 bits, residues never do. The coefficients are small integers, so the rank over
    /// this field is the rank over the rationals unless the prime divides one of the table's minors — for tables of
    /// counts of this size, a chance far below 1 in 10¹⁵.
    ///
    /// `among`: only these relations (by index), when the caller knows that the others cannot reach `care`.
    static func determinedCells(_ table: CountTable, hidden: Set<Int>, care: Set<Int>, among: [Int]? = nil) -> Set<Int> {
        guard !care.isEmpty else { return [] }
        // Each relation restricted to the hidden cells: (cell, coefficient) pairs, without zeros.
        var rows: [[(cell: Int, value: UInt64)]] = []
        for index in among ?? Array(table.relations.indices) {
            let relation = table.relations[index]
            var sum: [Int: UInt64] = [:]
            for term in relation.terms where hidden.contains(term.cell) {
                sum[term.cell] = Modular.add(sum[term.cell] ?? 0, Modular.residue(term.coefficient))
            }
            let row = sum.filter { $0.value != 0 }.map { (cell: $0.key, value: $0.value) }
            if !row.isEmpty { rows.append(row) }
        }
        // 1. Drop cells outside `care` that occur once, with their relation.
        var alive = [Bool](repeating: true, count: rows.count)
        var rowsOf: [Int: [Int]] = [:]
        for (r, row) in rows.enumerated() { for term in row { rowsOf[term.cell, default: []].append(r) } }
        var count: [Int: Int] = rowsOf.mapValues(\.count)
        var queue = count.filter { $0.value == 1 && !care.contains($0.key) }.map(\.key)
        while let cell = queue.popLast() {
            guard count[cell] == 1, let r = rowsOf[cell]?.first(where: { alive[$0] }) else { continue }
            alive[r] = false
            for term in rows[r] {
                count[term.cell, default: 0] -= 1
                if count[term.cell] == 1 && !care.contains(term.cell) { queue.append(term.cell) }
            }
        }
        // 2. Independent parts: union-find over the cells of the relations left.
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int {
            var x = x
            while let p = parent[x], p != x { parent[x] = parent[p] ?? p; x = parent[x]! }
            return x
        }
        for (r, row) in rows.enumerated() where alive[r] {
            for term in row where parent[term.cell] == nil { parent[term.cell] = term.cell }
            for term in row.dropFirst() {
                let (a, b) = (find(row[0].cell), find(term.cell))
                if a != b { parent[a] = b }
            }
        }
        var parts: [Int: [Int]] = [:]
        for (r, row) in rows.enumerated() where alive[r] { parts[find(row[0].cell), default: []].append(r) }
        var determined = Set<Int>()
        for (_, rowIndices) in parts {
            let unknowns = Array(Set(rowIndices.flatMap { rows[$0].map(\.cell) })).sorted()
            guard unknowns.contains(where: care.contains) else { continue }
            let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
            var matrix: [[UInt64]] = rowIndices.map { r in
                var dense = [UInt64](repeating: 0, count: unknowns.count)
                for term in rows[r] { dense[column[term.cell]!] = term.value }
                return dense
            }
            var pivotRow = 0
            var pivots: [(row: Int, column: Int)] = []
            for c in 0..<unknowns.count where pivotRow < matrix.count {
                guard let found = (pivotRow..<matrix.count).first(where: { matrix[$0][c] != 0 }) else { continue }
                matrix.swapAt(pivotRow, found)
                let inverse = Modular.inverse(matrix[pivotRow][c])
                for k in c..<unknowns.count where matrix[pivotRow][k] != 0 { matrix[pivotRow][k] = Modular.multiply(matrix[pivotRow][k], inverse) }
                let pivot = matrix[pivotRow]
                let nonZero = (c..<unknowns.count).filter { pivot[$0] != 0 }
                for r in matrix.indices where r != pivotRow && matrix[r][c] != 0 {
                    let factor = matrix[r][c]
                    for k in nonZero { matrix[r][k] = Modular.subtract(matrix[r][k], Modular.multiply(factor, pivot[k])) }
                }
                pivots.append((pivotRow, c))
                pivotRow += 1
            }
            for (row, c) in pivots where care.contains(unknowns[c])
                && matrix[row].indices.allSatisfy({ $0 == c || matrix[row][$0] == 0 }) {
                determined.insert(unknowns[c])
            }
        }
        return determined
    }
}

/// Arithmetic modulo the Mersenne prime 2⁶¹ − 1 (see `determinedCells`).
enum Modular {
    static let prime: UInt64 = (1 << 61) - 1

    static func residue(_ value: Int) -> UInt64 {
        let r = value % Int(prime)
        return UInt64(r < 0 ? r + Int(prime) : r)
    }

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let s = a + b
        return s >= prime ? s - prime : s
    }

    static func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 { a >= b ? a - b : a + prime - b }

    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        // a·b = high·2⁶⁴ + low, and 2⁶¹ ≡ 1, so 2⁶⁴ ≡ 8.
        let lowPart = (low & prime) + (low >> 61) + (high << 3)
        var r = (lowPart & prime) + (lowPart >> 61)
        if r >= prime { r -= prime }
        return r
    }

    static func inverse(_ a: UInt64) -> UInt64 {
        // Fermat: a^(p−2).
        var result: UInt64 = 1, base = a, exponent = prime - 2
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }
}
