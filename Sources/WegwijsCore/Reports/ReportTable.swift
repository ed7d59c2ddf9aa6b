import Foundation

/// The days a report covers, both included (ISO dates).
public struct ReportPeriod: Sendable, Hashable {
    public let from: CalendarDate
    public let to: CalendarDate

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }

    /// 1 January to 31 December of `date`'s year: the period when none is asked for.
    public static func calendarYear(of date: CalendarDate) -> ReportPeriod {
        ReportPeriod(from: CalendarDate(year: date.year, month: 1, day: 1)!, to: CalendarDate(year: date.year, month: 12, day: 31)!)
    }

    public enum Problem: Error, Equatable, Sendable {
        /// `field` (`from` or `to`) is not a date `YYYY-MM-DD`.
        case invalidDate(field: String)
        /// `from` lies after `to`.
        case reversed
    }

    /// The period of a request's `from` and `to` (each may be left out: the current calendar year's start or end).
    public static func parse(from: String?, to: String?, today: CalendarDate) -> Result<ReportPeriod, Problem> {
        let year = calendarYear(of: today)
        func date(_ text: String?, _ field: String, _ fallback: CalendarDate) -> Result<CalendarDate, Problem> {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return .success(fallback) }
            guard let parsed = CalendarDate(iso: text) else { return .failure(.invalidDate(field: field)) }
            return .success(parsed)
        }
        let start: CalendarDate, end: CalendarDate
        switch date(from, "from", year.from) { case .success(let d): start = d; case .failure(let e): return .failure(e) }
        switch date(to, "to", year.to) { case .success(let d): end = d; case .failure(let e): return .failure(e) }
        guard start <= end else { return .failure(.reversed) }
        return .success(ReportPeriod(from: start, to: end))
    }

    /// The quarters (`2026-Q1`) the period touches, in order.
    public var quarters: [String] {
        var result: [String] = []
        var year = from.year, quarter = (from.month - 1) / 3 + 1
        while (year, quarter) <= (to.year, (to.month - 1) / 3 + 1) {
            result.append("\(year)-Q\(quarter)")
            quarter += 1
            if quarter > 4 { quarter = 1; year += 1 }
        }
        return result
    }

    /// The months (`2026-03`) the period touches, in order.
    public var months: [String] {
        var result: [String] = []
        var year = from.year, month = from.month
        while (year, month) <= (to.year, to.month) {
            result.append(String(format: "%04d-%02d", year, month))
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return result
    }
}

/// What a measure of a report table counts, and so how it is protected.
public enum ReportMeasureKind: Sendable, Hashable {
    /// People (families, parents, referrals of families, answers): added up in the margins, every count from 1 to 4
    /// suppressed, with the further counts needed so that none can be worked out (`SmallCountSuppression`).
    case count
    /// A count that is part of another count measure of the same row (families *with* the parenting module, of the
    /// families). The rest (families without it) is never shown but is protected as if it were.
    case part(of: String)
    /// A number of days: the median (`percentile == 50`) or another percentile (nearest rank) of the row's histogram
    /// `histogram`, shown only over at least `minimum` values (so no single family's own value is shown).
    case percentile(Int, histogram: String, minimum: Int)
    /// Not about people (offers, free places of the public catalogue): shown as it is, added up in the margins.
    case fact
}

public struct ReportMeasure: Sendable, Hashable {
    public let name: String
    public let kind: ReportMeasureKind

    public init(_ name: String, _ kind: ReportMeasureKind = .count) {
        self.name = name
        self.kind = kind
    }

    public static func median(_ name: String, of histogram: String) -> ReportMeasure {
        ReportMeasure(name, .percentile(50, histogram: histogram, minimum: SmallCountSuppression.minimumCount))
    }

    /// The 90th percentile: over fewer than 10 values it would be the slowest family's own value.
    public static func p90(_ name: String, of histogram: String) -> ReportMeasure {
        ReportMeasure(name, .percentile(90, histogram: histogram, minimum: 2 * SmallCountSuppression.minimumCount))
    }

    var isCount: Bool {
        switch kind {
        case .count, .part: return true
        default: return false
        }
    }
}

/// How one table of a report is laid out and which sums a reader can rely on.
public struct ReportTableSpec: Sendable {
    public enum Margins: Sendable, Hashable {
        /// No totals (a family can be in more than one row, so rows do not add up).
        case none
        /// One total over all rows.
        case total
        /// A total per value of the first dimension, and the total over all.
        case firstDimensionAndTotal
        /// A total per value of the first dimension that is the same population for every value (each question's
        /// answers add up to the responses): one figure, shown once per value.
        case sameForEveryFirstValue
    }

    /// Count measures of a row that add up to another one of the same row (answered = accepted + declined +
    /// waiting list). `complete: false`: the parts leave a rest (completed = the outcomes + those without one); the
    /// rest is never shown, but protected like a shown count.
    public struct MeasureSum: Sendable, Hashable {
        public let whole: String
        public let parts: [String]
        public let complete: Bool

        public init(whole: String, parts: [String], complete: Bool = true) {
            self.whole = whole
            self.parts = parts
            self.complete = complete
        }
    }

    public let dimensions: [String]
    public let measures: [ReportMeasure]
    public var margins: Margins
    /// Sums between measures besides the `.part(of:)` ones.
    public var sums: [MeasureSum]
    /// Every sum between measures: the `.part(of:)` ones and `sums`.
    var allSums: [MeasureSum] {
        measures.compactMap { measure -> MeasureSum? in
            if case .part(let whole) = measure.kind { return MeasureSum(whole: whole, parts: [measure.name], complete: false) }
            return nil
        } + sums
    }

    /// Tables of a page with the same key count the same population in their totals (the families known, by origin
    /// and language, and by phase): their total is one figure.
    public var sharedTotal: String?
    /// The order of known values per dimension (others follow, sorted); e.g. phases 1, 2, 3, none.
    public var order: [String: [String]]

    public init(dimensions: [String], measures: [ReportMeasure], margins: Margins = .firstDimensionAndTotal,
                sharedTotal: String? = nil, order: [String: [String]] = [:], sums: [MeasureSum] = []) {
        self.dimensions = dimensions
        self.measures = measures
        self.margins = margins
        self.sums = sums
        self.sharedTotal = sharedTotal
        self.order = order
    }
}

/// One row of raw (unsuppressed) figures: counts per measure name, histograms of days per histogram name.
public struct ReportDraftRow: Sendable, Equatable {
    public var counts: [String: Int]
    public var histograms: [String: [Int: Int]]

    public init(counts: [String: Int] = [:], histograms: [String: [Int: Int]] = [:]) {
        self.counts = counts
        self.histograms = histograms
    }

    public mutating func add(_ other: ReportDraftRow) {
        for (name, value) in other.counts { counts[name, default: 0] += value }
        for (name, histogram) in other.histograms {
            for (days, n) in histogram { histograms[name, default: [:]][days, default: 0] += n }
        }
    }
}

/// A table's raw figures, before anything is suppressed: what the report's queries answer.
public struct ReportDraft: Sendable {
    public let spec: ReportTableSpec
    public var rows: [[String]: ReportDraftRow]
    /// Facts of a margin that are not the sum of its rows (distinct offers of a language, whatever their themes),
    /// by the margin's keys (`[]`: the total). Without one, a fact's margin is the sum of its rows.
    public var marginFacts: [[String]: [String: Int]] = [:]

    public init(_ spec: ReportTableSpec, rows: [[String]: ReportDraftRow] = [:]) {
        self.spec = spec
        self.rows = rows
    }

    /// Adds `value` to `measure` of the row `keys`.
    public mutating func add(_ keys: [String], _ measure: String, _ value: Int) {
        precondition(keys.count == spec.dimensions.count, "a row names every dimension")
        rows[keys, default: ReportDraftRow()].counts[measure, default: 0] += value
    }

    /// Adds `n` values of `days` to the histogram `name` of the row `keys`.
    public mutating func add(_ keys: [String], histogram name: String, days: Int, count n: Int) {
        precondition(keys.count == spec.dimensions.count, "a row names every dimension")
        rows[keys, default: ReportDraftRow()].histograms[name, default: [:]][days, default: 0] += n
    }
}

/// A published report table: the one shape of every report (`GET /api/v1/reports/<name>`, its CSV, and the page).
/// `nil` is a suppressed figure.
public struct ReportTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The dimension values, in the order of `dimensions`; a margin names only the first (a total: none).
        public let keys: [String]
        /// In the order of `measures`.
        public let values: [Int?]

        public init(keys: [String], values: [Int?]) {
            self.keys = keys
            self.values = values
        }
    }

    public let report: String
    /// The municipality's code, or the region's code for a regional view.
    public let municipality: String
    public let period: ReportPeriod
    public let dimensions: [String]
    public let measures: [String]
    public let cells: [Row]
    /// Totals per value of the first dimension, then the total over all (keys empty).
    public let margins: [Row]

    public init(report: String, municipality: String, period: ReportPeriod, dimensions: [String], measures: [String],
                cells: [Row], margins: [Row]) {
        self.report = report
        self.municipality = municipality
        self.period = period
        self.dimensions = dimensions
        self.measures = measures
        self.cells = cells
        self.margins = margins
    }

    /// A measure's value in `row`.
    public func value(_ row: Row, _ measure: String) -> Int? {
        guard let index = measures.firstIndex(of: measure) else { return nil }
        return row.values[index]
    }

    /// The total over all (the margin without keys).
    public var total: Row? { margins.first { $0.keys.isEmpty } }
}

/// Turns the raw tables of one report page into published tables, with every count protected together: cells,
/// margins and totals of all tables of the page are one `CountTable`, so nothing hidden can be worked out by
/// subtraction from anything else the page (or the API, or the CSV) shows.
public enum ReportPublisher {
    /// The published tables of one municipality's page, in the order of `drafts`.
    public static func publish(report: String, municipality: String, period: ReportPeriod,
                               drafts: [ReportDraft]) -> [ReportTable] {
        var layout = Layout(drafts: drafts)
        var table = CountTable()
        table.protectsComplements = false
        layout.place(into: &table, fixed: nil)
        let hidden = SmallCountSuppression.suppressedCells(table)
        return layout.tables(report: report, municipality: municipality, period: period, table: table, hidden: hidden)
    }

    /// The regional view: the municipalities' tables added up. Each municipality's own page is decided first (as
    /// `publish` does it); the region's figures are then protected with those pages' shown and hidden figures as
    /// given, so a region total minus one municipality's shown figures gives nothing hidden away either.
    public static func publish(report: String, region: String, period: ReportPeriod,
                               municipalities: [[ReportDraft]]) -> [ReportTable] {
        guard let first = municipalities.first else { return [] }
        var table = CountTable()
        table.protectsComplements = false
        var parts: [Layout] = []
        for drafts in municipalities {
            var own = Layout(drafts: drafts)
            var alone = CountTable()
            alone.protectsComplements = false
            own.place(into: &alone, fixed: nil)
            let decided = SmallCountSuppression.suppressedCells(alone)
            var placed = Layout(drafts: drafts)
            placed.place(into: &table, fixed: (alone, decided, own))
            parts.append(placed)
        }
        // The region's rows: every row any municipality has.
        var combined = first.map { ReportDraft($0.spec) }
        for drafts in municipalities {
            for (index, draft) in drafts.enumerated() {
                for (keys, row) in draft.rows { combined[index].rows[keys, default: ReportDraftRow()].add(row) }
                for (keys, facts) in draft.marginFacts {
                    for (name, value) in facts { combined[index].marginFacts[keys, default: [:]][name, default: 0] += value }
                }
            }
        }
        var regional = Layout(drafts: combined)
        regional.place(into: &table, fixed: nil)
        // Each region figure is the sum of the municipalities' figures (a row a municipality lacks is its 0).
        for (key, cell) in regional.cells {
            var terms: [Int] = []
            for part in parts {
                if let own = part.cells[key] {
                    terms.append(own)
                } else {
                    terms.append(table.fixedCell(0, shown: true))
                }
            }
            table.sum(cell, equals: terms)
        }
        let hidden = SmallCountSuppression.suppressedCells(table)
        return regional.tables(report: report, municipality: region, period: period, table: table, hidden: hidden)
    }
}

/// Where each figure of a page sits in its `CountTable`.
struct Layout {
    struct Key: Hashable {
        enum Level: Hashable { case cell, margin, total }
        let table: Int
        let level: Level
        let keys: [String]
        let measure: String
        /// The unpublished rest of a part measure.
        let rest: Bool
    }

    let drafts: [ReportDraft]
    /// Every count figure (and rest) by key.
    var cells: [Key: Int] = [:]
    /// The rows of each table, in display order.
    var rowKeys: [[[String]]] = []
    /// The first-dimension values of each table with margins, in display order.
    var firstValues: [[String]] = []

    init(drafts: [ReportDraft]) {
        self.drafts = drafts
        for draft in drafts {
            let keys = draft.rows.keys.sorted { Layout.precedes($0, $1, order: draft.spec.order, dimensions: draft.spec.dimensions) }
            rowKeys.append(keys)
            var seen = Set<String>()
            firstValues.append(keys.compactMap { $0.first }.filter { seen.insert($0).inserted })
        }
    }

    static func precedes(_ a: [String], _ b: [String], order: [String: [String]], dimensions: [String]) -> Bool {
        for (index, (x, y)) in zip(a, b).enumerated() where x != y {
            let known = order[dimensions[index]] ?? []
            switch (known.firstIndex(of: x), known.firstIndex(of: y)) {
            case let (i?, j?): return i < j
            case (.some, nil): return true
            case (nil, .some): return false
            default: return x < y
            }
        }
        return a.count < b.count
    }

    static func hasFirstMargins(_ spec: ReportTableSpec) -> Bool {
        switch spec.margins {
        case .firstDimensionAndTotal: return spec.dimensions.count >= 2
        case .sameForEveryFirstValue: return true
        default: return false
        }
    }

    static func hasTotal(_ spec: ReportTableSpec) -> Bool {
        spec.margins == .total || spec.margins == .firstDimensionAndTotal
    }

    /// The key of a table's total: one per shared population.
    func totalKey(_ table: Int, _ measure: String, rest: Bool) -> Key {
        if let shared = drafts[table].spec.sharedTotal {
            return Key(table: -1, level: .total, keys: [shared], measure: measure, rest: rest)
        }
        return Key(table: table, level: .total, keys: [], measure: measure, rest: rest)
    }

    /// The key of a first-dimension margin (one figure for all values when they are the same population).
    func marginKey(_ table: Int, _ value: String, _ measure: String, rest: Bool) -> Key {
        if drafts[table].spec.margins == .sameForEveryFirstValue {
            return Key(table: table, level: .margin, keys: [], measure: measure, rest: rest)
        }
        return Key(table: table, level: .margin, keys: [value], measure: measure, rest: rest)
    }

    /// Puts every count figure of the page into `table` with the sums between them. With `fixed`, the figures are a
    /// municipality's under a regional view: each is shown or hidden as its own page decided.
    mutating func place(into table: inout CountTable, fixed: (table: CountTable, hidden: Set<Int>, layout: Layout)?) {
        func add(_ key: Key, _ value: Int) -> Int {
            if let existing = cells[key] {
                precondition(table.values[existing] == value, "figures of one shared total differ: \(key)")
                return existing
            }
            let index: Int
            if key.rest {
                index = table.unpublishedCell(value)
            } else if let fixed {
                index = fixed.layout.cells[key].map { table.fixedCell(value, shown: !fixed.hidden.contains($0)) }
                    ?? table.fixedCell(value, shown: true)
            } else {
                index = table.cell(value)
            }
            cells[key] = index
            return index
        }
        for (t, draft) in drafts.enumerated() {
            let spec = draft.spec
            func value(_ keys: [String], _ name: String) -> Int { draft.rows[keys]?.counts[name] ?? 0 }
            func sum(_ members: [[String]], _ name: String) -> Int { members.reduce(0) { $0 + value($1, name) } }
            let shared = spec.margins == .sameForEveryFirstValue
            let firstMargins = Self.hasFirstMargins(spec), total = Self.hasTotal(spec)
            func members(_ first: String) -> [[String]] { rowKeys[t].filter { $0.first == first } }
            // Each count measure: its rows, margins and total, and the sums between them.
            for measure in spec.measures where measure.isCount {
                let name = measure.name
                var rowCells: [Int] = []
                for keys in rowKeys[t] {
                    rowCells.append(add(Key(table: t, level: .cell, keys: keys, measure: name, rest: false), value(keys, name)))
                }
                var marginCells: [Int] = []
                if firstMargins {
                    for first in firstValues[t] {
                        let rows = members(first)
                        let population = shared ? maxMargin(t, name) : sum(rows, name)
                        let margin = add(marginKey(t, first, name, rest: false), population)
                        if !marginCells.contains(margin) { marginCells.append(margin) }
                        let own = rows.map { cells[Key(table: t, level: .cell, keys: $0, measure: name, rest: false)]! }
                        // A shared margin (the responses) is its rows plus any not shown ("no answer" left out).
                        table.sum(margin, equals: own, plus: population - sum(rows, name))
                    }
                }
                if total {
                    let cell = add(totalKey(t, name, rest: false), sum(rowKeys[t], name))
                    table.sum(cell, equals: firstMargins ? marginCells : rowCells)
                }
            }
            // Measures that add up to another: at every level, whole = Σ parts (+ the unpublished rest).
            for measureSum in spec.allSums {
                let restName = "rest:" + measureSum.whole + "=" + measureSum.parts.joined(separator: "+")
                func link(whole: Key, parts: [Key], rest: Key, wholeValue: Int, partsValue: Int) {
                    let wholeCell = cells[whole]!
                    let partCells = parts.map { cells[$0]! }
                    if measureSum.complete {
                        table.sum(wholeCell, equals: partCells)
                    } else {
                        table.sum(wholeCell, equals: partCells + [add(rest, wholeValue - partsValue)])
                    }
                }
                for keys in rowKeys[t] {
                    func key(_ name: String, rest: Bool = false) -> Key { Key(table: t, level: .cell, keys: keys, measure: name, rest: rest) }
                    link(whole: key(measureSum.whole), parts: measureSum.parts.map { key($0) }, rest: key(restName, rest: true),
                         wholeValue: value(keys, measureSum.whole),
                         partsValue: measureSum.parts.reduce(0) { $0 + value(keys, $1) })
                }
                if firstMargins {
                    for first in (shared ? Array(firstValues[t].prefix(1)) : firstValues[t]) {
                        let rows = members(first)
                        let wholeValue = shared ? maxMargin(t, measureSum.whole) : sum(rows, measureSum.whole)
                        let partsValue = measureSum.parts.reduce(0) { $0 + (shared ? maxMargin(t, $1) : sum(rows, $1)) }
                        link(whole: marginKey(t, first, measureSum.whole, rest: false),
                             parts: measureSum.parts.map { marginKey(t, first, $0, rest: false) },
                             rest: marginKey(t, first, restName, rest: true), wholeValue: wholeValue, partsValue: partsValue)
                    }
                }
                if total {
                    link(whole: totalKey(t, measureSum.whole, rest: false), parts: measureSum.parts.map { totalKey(t, $0, rest: false) },
                         rest: totalKey(t, restName, rest: true), wholeValue: sum(rowKeys[t], measureSum.whole),
                         partsValue: measureSum.parts.reduce(0) { $0 + sum(rowKeys[t], $1) })
                }
            }
        }
    }

    /// For `.sameForEveryFirstValue`: the population (the largest first-value sum; the caller's rows of every
    /// value add up to it, "not answered" included).
    func maxMargin(_ t: Int, _ measure: String) -> Int {
        firstValues[t].map { first in
            rowKeys[t].filter { $0.first == first }.reduce(0) { $0 + (drafts[t].rows[$1]!.counts[measure] ?? 0) }
        }.max() ?? 0
    }

    /// The published tables.
    func tables(report: String, municipality: String, period: ReportPeriod, table: CountTable, hidden: Set<Int>) -> [ReportTable] {
        drafts.enumerated().map { t, draft in
            let spec = draft.spec
            func shown(_ key: Key) -> Int? {
                guard let index = self.cells[key] else { return nil }
                return hidden.contains(index) ? nil : table.values[index]
            }
            func statistic(_ measure: ReportMeasure, _ histograms: [[Int: Int]]) -> Int? {
                guard case .percentile(let p, _, let minimum) = measure.kind else { return nil }
                var pooled: [Int: Int] = [:]
                for histogram in histograms { for (days, n) in histogram { pooled[days, default: 0] += n } }
                return ReportStatistics.percentile(p, of: pooled, minimum: minimum)
            }
            func histogramName(_ measure: ReportMeasure) -> String? {
                if case .percentile(_, let name, _) = measure.kind { return name }
                return nil
            }
            func row(_ keys: [String], level: Key.Level, members: [[String]]) -> ReportTable.Row {
                let values: [Int?] = spec.measures.map { measure in
                    switch measure.kind {
                    case .count, .part:
                        switch level {
                        case .cell: return shown(Key(table: t, level: .cell, keys: keys, measure: measure.name, rest: false))
                        case .margin: return shown(marginKey(t, keys[0], measure.name, rest: false))
                        case .total: return shown(totalKey(t, measure.name, rest: false))
                        }
                    case .percentile:
                        let name = histogramName(measure)!
                        return statistic(measure, members.map { draft.rows[$0]!.histograms[name] ?? [:] })
                    case .fact:
                        if level != .cell, let fact = draft.marginFacts[keys]?[measure.name] { return fact }
                        return members.reduce(0) { $0 + (draft.rows[$1]!.counts[measure.name] ?? 0) }
                    }
                }
                return ReportTable.Row(keys: keys, values: values)
            }
            let cellRows = rowKeys[t].map { row($0, level: .cell, members: [$0]) }
            var margins: [ReportTable.Row] = []
            if Self.hasFirstMargins(spec) {
                for first in firstValues[t] {
                    margins.append(row([first], level: .margin, members: rowKeys[t].filter { $0.first == first }))
                }
            }
            if Self.hasTotal(spec) { margins.append(row([], level: .total, members: rowKeys[t])) }
            return ReportTable(report: report, municipality: municipality, period: period, dimensions: spec.dimensions,
                               measures: spec.measures.map(\.name), cells: cellRows, margins: margins)
        }
    }
}

/// Medians and percentiles of days, from histograms (`days → number of families`).
public enum ReportStatistics {
    /// The `p`-th percentile by nearest rank (the median: the lower middle value), or nil over fewer than `minimum`
    /// values.
    public static func percentile(_ p: Int, of histogram: [Int: Int], minimum: Int) -> Int? {
        let n = histogram.values.reduce(0, +)
        guard n >= max(1, minimum) else { return nil }
        let rank = max(1, Int((Double(p) / 100 * Double(n)).rounded(.up)))
        var seen = 0
        for days in histogram.keys.sorted() {
            seen += histogram[days]!
            if seen >= rank { return days }
        }
        return histogram.keys.max()
    }
}
