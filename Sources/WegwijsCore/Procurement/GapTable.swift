import Foundation

/// The gaps as a table of counts to publish, in the one report shape (`ReportTable`): one cell per gap with the
/// families it affects, margins per language (the families with open questions in that language) and the total
/// (families with open questions). Every count goes through `SmallCountSuppression`, with the relations a reader can
/// rely on, so no count under 5 is shown and none can be worked out from the others:
/// - a gap of "nothing in the language", "no informal offer in it" or "nothing online in it" counts exactly the
///   families of its language margin: equal, so hidden together;
/// - a region's figure is the sum of its municipalities' figures, and each municipality's figures on the regional
///   view are the ones its own page shows or hides (decided there first), so the two pages together give nothing
///   hidden away either.
/// Cells come most families first by the published figure; hidden ones after them in the rules' order, so their
/// place does not tell their size.
public enum GapTable {
    /// Dimensions of the table; a gap that does not depend on one says `any`.
    public static let dimensions = ["language", "theme", "form", "audience", "kind"]
    public static let measures = ["families"]
    public static let any = "any"

    /// One page's raw figures: its gaps, the demand behind them, and the families with open questions in total.
    public struct Page: Sendable {
        public let gaps: [Gap]
        public let demand: Demand
        public let families: Int

        public init(gaps: [Gap], demand: Demand, families: Int) {
            self.gaps = gaps
            self.demand = demand
            self.families = families
        }
    }

    public static func keys(_ gap: Gap) -> [String] {
        [gap.language ?? any, gap.theme ?? any, gap.form ?? any, gap.audience ?? any, gap.offerKind ?? any]
    }

    /// The gap a row of the table stands for (nil for a margin).
    public static func gap(_ keys: [String]) -> Gap? {
        guard keys.count == dimensions.count else { return nil }
        func value(_ index: Int) -> String? { keys[index] == any ? nil : keys[index] }
        let language = value(0), theme = value(1), form = value(2), audience = value(3), kind = value(4)
        let gapKind: Gap.Kind
        switch (language, theme, form, audience, kind) {
        case (_?, nil, nil, nil, nil): gapKind = .language
        case (nil, _?, nil, nil, nil): gapKind = .theme
        case (_?, _?, nil, nil, nil): gapKind = .languageTheme
        case (_?, nil, nil, nil, OfferKind.informal.rawValue?): gapKind = .informal
        case (_?, nil, OfferForm.group.rawValue?, Audience.fathers.rawValue?, nil): gapKind = .fathersGroup
        case (_?, nil, OfferForm.group.rawValue?, Audience.mothers.rawValue?, nil): gapKind = .mothersGroup
        case (_?, nil, OfferForm.online.rawValue?, nil, nil): gapKind = .online
        default: return nil
        }
        return Gap(kind: gapKind, language: language, theme: theme)
    }

    /// Where each figure of a page sits in a `CountTable`.
    struct Placed {
        var gapCells: [Gap: Int] = [:]
        var languageCells: [String: Int] = [:]
        var total = 0
    }

    /// Puts a page's figures into `table`: cells free, or (`decided`) fixed as another page showed or hid them.
    static func place(_ page: Page, into table: inout CountTable, decided: (Placed, Set<Int>)? = nil) -> Placed {
        var placed = Placed()
        func add(_ value: Int, _ own: Int?) -> Int {
            guard let (_, hidden) = decided, let own else { return table.cell(value) }
            return table.fixedCell(value, shown: !hidden.contains(own))
        }
        let languages = page.demand.languagesWithFamilies.sorted()
        for language in languages {
            placed.languageCells[language] = add(page.demand.languages[language] ?? 0, decided?.0.languageCells[language])
        }
        placed.total = add(page.families, decided?.0.total)
        for gap in page.gaps {
            let cell = add(gap.families(in: page.demand), decided?.0.gapCells[gap])
            placed.gapCells[gap] = cell
            switch gap.kind {
            case .language, .informal, .online:
                if let language = gap.language, let margin = placed.languageCells[language] { table.sum(margin, equals: [cell]) }
            default: break
            }
        }
        return placed
    }

    /// One municipality's page.
    public static func publish(report: String, municipality: String, period: ReportPeriod, page: Page) -> ReportTable {
        var table = CountTable()
        let placed = place(page, into: &table)
        let hidden = SmallCountSuppression.suppressedCells(table)
        return make(report: report, municipality: municipality, period: period, page: page, placed: placed, table: table, hidden: hidden)
    }

    /// The regional view: the region's page (its gaps against the region's supply, the demand of all its
    /// municipalities) and, under it, each municipality's figures for those gaps. A figure that is on the
    /// municipality's own page too (the same gap there, its language margins, its total) is fixed as that page
    /// decided it; the others are protected here.
    public static func publishRegion(report: String, region: String, period: ReportPeriod, regionGaps: [Gap],
                                     municipalities: [(code: String, page: Page)]) -> (region: ReportTable, municipalities: [ReportTable]) {
        var table = CountTable()
        var parts: [(code: String, page: Page, placed: Placed)] = []
        for (code, own) in municipalities {
            var alone = CountTable()
            let ownPlaced = place(own, into: &alone)
            let ownHidden = SmallCountSuppression.suppressedCells(alone)
            // Every gap of the region, with this municipality's families (a gap its own page words otherwise, e.g.
            // "nothing in Arabic" there but "no fathers' group in Arabic" for the region, is a figure of its own here).
            let page = Page(gaps: regionGaps, demand: own.demand, families: own.families)
            parts.append((code, page, place(page, into: &table, decided: (ownPlaced, ownHidden))))
        }
        let demand = municipalities.reduce(Demand()) { $0 + $1.page.demand }
        let whole = Page(gaps: regionGaps, demand: demand, families: municipalities.reduce(0) { $0 + $1.page.families })
        let placed = place(whole, into: &table)
        // Every region figure is the sum of the municipalities' (a figure a municipality lacks is its 0).
        func terms(_ cell: (Placed) -> Int?) -> [Int] {
            parts.map { cell($0.placed) ?? table.fixedCell(0, shown: true) }
        }
        for (language, cell) in placed.languageCells { table.sum(cell, equals: terms { $0.languageCells[language] }) }
        table.sum(placed.total, equals: terms { $0.total })
        for (gap, cell) in placed.gapCells { table.sum(cell, equals: terms { $0.gapCells[gap] }) }
        let hidden = SmallCountSuppression.suppressedCells(table)
        let regionTable = make(report: report, municipality: region, period: period, page: whole, placed: placed, table: table, hidden: hidden)
        let partTables = parts.map {
            make(report: report, municipality: $0.code, period: period, page: $0.page, placed: $0.placed, table: table, hidden: hidden,
                 order: regionTable.cells.compactMap { gap($0.keys) })
        }
        return (regionTable, partTables)
    }

    static func make(report: String, municipality: String, period: ReportPeriod, page: Page, placed: Placed, table: CountTable,
                     hidden: Set<Int>, order: [Gap]? = nil) -> ReportTable {
        func shown(_ cell: Int) -> Int? { hidden.contains(cell) ? nil : table.values[cell] }
        let gaps: [Gap]
        if let order {
            gaps = order.filter { placed.gapCells[$0] != nil }
        } else {
            gaps = page.gaps.sorted { a, b in
                switch (shown(placed.gapCells[a]!), shown(placed.gapCells[b]!)) {
                case let (x?, y?) where x != y: return x > y
                case (.some, nil): return true
                case (nil, .some): return false
                default: return a.sortKey < b.sortKey
                }
            }
        }
        let cells = gaps.map { ReportTable.Row(keys: keys($0), values: [shown(placed.gapCells[$0]!)]) }
        let margins = placed.languageCells.keys.sorted().map { ReportTable.Row(keys: [$0], values: [shown(placed.languageCells[$0]!)]) }
            + [ReportTable.Row(keys: [], values: [shown(placed.total)])]
        return ReportTable(report: report, municipality: municipality, period: period, dimensions: dimensions, measures: measures,
                           cells: cells, margins: margins)
    }
}
