import Foundation
import Vapor
import WegwijsCore

/// `/reports`: the policy officer's dashboard (docs/reports.md). An overview, and one page per report with a
/// period picker (a plain GET form), every table of the report with a chart beside it, and links to the same
/// table as CSV and JSON (`?format=csv&by=…`, the API's shape and numbers). No JavaScript. `ReportService` decides,
/// reads and audits; this controller only words and lays out.
struct ReportWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reports = routes.grouped("reports")
        reports.get(use: overview)
        for report in ReportName.allCases {
            reports.get(PathComponent(stringLiteral: report.rawValue)) { request in try await Self.show(report, request) }
        }
    }

    // MARK: contexts

    struct ReportLink: Encodable {
        let name: String
        let title: String
        let intro: String
        let href: String
        let current: Bool
    }

    struct Cell: Encodable {
        let text: String
        let hidden: Bool
        let numeric: Bool
    }

    struct Row: Encodable {
        /// The row's heading (its dimension values).
        let heading: [String]
        let cells: [Cell]
        let margin: Bool
    }

    struct Table: Encodable {
        let id: String
        let caption: String
        let note: String?
        let dimensions: [String]
        let measures: [String]
        let rows: [Row]
        let margins: [Row]
        let empty: Bool
        let chart: String?
        let csvHref: String
        let jsonHref: String
    }

    struct Gap: Encodable {
        let language: String
        let theme: String
        /// The codes, for the case manager's drill-down to the families (`/families/search`, never in a URL).
        let languageCode: String
        let themeCode: String
        let families: String
        let hidden: Bool
        let bridging: Int
    }

    struct Context: Encodable {
        let page: PageInfo
        let report: String
        let title: String
        let intro: String
        let reports: [ReportLink]
        let from: String
        let to: String
        let scope: String
        let mayRegion: Bool
        let scopeName: String
        let municipalities: String
        let periodText: String
        let tables: [Table]
        let gaps: [Gap]
        let hasGaps: Bool
        let showGaps: Bool
        /// A case manager looking at their own municipality may open the families behind a gap (through the family
        /// list's door: access-checked and audited there); a policy officer sees aggregates only.
        let mayDrillDown: Bool
    }

    struct OverviewContext: Encodable {
        let page: PageInfo
        let reports: [ReportLink]
        let from: String
        let to: String
        let scope: String
        let mayRegion: Bool
    }

    // MARK: pages

    func overview(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.require(staff, .read, .report)
        let query = try ReportService.query(request, report: nil)
        let context = OverviewContext(page: PageInfo(request, titleKey: "reports.title"),
                                      reports: Self.links(request, query: query, current: nil), from: query.period.from.iso,
                                      to: query.period.to.iso, scope: query.scope.rawValue,
                                      mayRegion: FamilyAccess.may(staff.role, .read, .regionReport))
        return try await request.render("reports/index", context)
    }

    static func show(_ report: ReportName, _ request: Request) async throws -> Response {
        let query = try ReportService.query(request, report: report)
        let format = request.query[String.self, at: "format"] ?? ""
        guard ["", "html", "csv", "json"].contains(format) else {
            throw AppError.invalid([FieldError("format", "unknown-code")], catalog: request.application.locales)
        }
        let service = try ReportService(request: request)
        let (coverage, tables) = try await service.tables(report, query, format: format.isEmpty ? "html" : format)
        if format == "csv" || format == "json" {
            return try ReportAPIController.response(ReportService.table(tables, named: query.table),
                                                    format: format == "csv" ? .csv : .json)
        }
        let words = Words(request)
        let views = tables.enumerated().map { index, table in
            Self.view(table, report: report, index: index, query: query, words: words)
        }
        var gaps: [Gap] = []
        if report == .demandSupply, let table = tables.first {
            gaps = Self.gaps(table, words: words)
        }
        let locale = request.staffLocale
        let context = Context(
            page: PageInfo(request, titleKey: "reports.\(report.rawValue).title"), report: report.rawValue,
            title: request.t("reports.\(report.rawValue).title"), intro: request.t("reports.\(report.rawValue).intro"),
            reports: links(request, query: query, current: report), from: query.period.from.iso, to: query.period.to.iso,
            scope: query.scope.rawValue, mayRegion: FamilyAccess.may(service.staff.role, .read, .regionReport),
            scopeName: coverage.name, municipalities: coverage.municipalities.map(\.code).joined(separator: ", "),
            periodText: "\(locale.date(query.period.from.iso)) – \(locale.date(query.period.to.iso))",
            tables: views, gaps: gaps, hasGaps: !gaps.isEmpty, showGaps: report == .demandSupply,
            mayDrillDown: query.scope == .municipality && FamilyAccess.may(service.staff.role, .list, .family))
        return try await request.render("reports/show", context)
    }

    // MARK: building the views

    static func queryString(_ query: ReportService.Query, extra: [(String, String)] = []) -> String {
        var items = [("from", query.period.from.iso), ("to", query.period.to.iso)]
        if query.scope == .region { items.append(("scope", "region")) }
        items += extra
        return "?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? "")" }
            .joined(separator: "&")
    }

    static func links(_ request: Request, query: ReportService.Query, current: ReportName?) -> [ReportLink] {
        ReportName.allCases.map { report in
            ReportLink(name: report.rawValue, title: request.t("reports.\(report.rawValue).title"),
                       intro: request.t("reports.\(report.rawValue).intro"),
                       href: "/reports/\(report.rawValue)" + queryString(query), current: report == current)
        }
    }

    /// The words of a page: labels of dimension values and measures in the user's language.
    struct Words {
        let request: Request
        init(_ request: Request) { self.request = request }

        func t(_ key: String) -> String { request.t(key) }

        func dimension(_ name: String) -> String { t("reports.dimension.\(name)") }
        func measure(_ name: String) -> String { t("reports.measure.\(name)") }

        func value(_ dimension: String, _ code: String) -> String {
            let catalog = request.application.locales, locale = request.staffLocale
            if code == "unknown" { return t("reports.unknown") }
            switch dimension {
            case "origin": return catalog.countryName(code, locale)
            case "language": return catalog.languageName(code, locale)
            case "situation", "theme", "form", "audience", "kind": return catalog.label(dimension, code, locale)
            case "phase": return code == "none" ? t("reports.phase.none") : catalog.label("phase", code, locale)
            case "question": return catalog.label("evaluation.question", code, locale)
            case "answer": return code == "skipped" ? t("reports.answer.skipped") : catalog.label("evaluation.face", code, locale)
            case "provision": return catalog.label("provision", code, locale)
            case "declineReason": return catalog.label("declineReason", code, locale)
            case "intake", "guidance": return t("reports.provisionAnswer.\(code)")
            case "role": return t("reports.role.\(code)")
            case "load": return t("reports.load.\(code)")
            default: return code
            }
        }
    }

    /// Which figures a table's chart shows: over its cells or its first-dimension margins, and which measures.
    static func chartPlan(_ report: ReportName, _ index: Int) -> (margins: Bool, measures: [String], unit: Bool)? {
        switch (report, index) {
        case (.reach, 0): return (true, ["families", "withParentingModule"], false)
        case (.reach, _): return (false, ["families"], false)
        case (.timings, _): return (false, ["welcomeMedianDays", "jgzMedianDays", "supportMedianDays"], true)
        case (.referrals, 1): return (false, ["declined"], false)
        case (.referrals, _): return (false, ["sent", "answered", "connectionProven"], false)
        case (.groups, _): return (false, ["placed", "settledParents", "settledReached"], false)
        case (.offerReach, _): return (false, ["families", "reached"], false)
        case (.satisfaction, _): return (false, index == 0 ? ["answers"] : ["evaluations"], false)
        case (.keyPersons, 0): return (false, ["contacts", "familiesContacted", "accompaniedVisits"], false)
        case (.keyPersons, _): return (false, ["keyPersons"], false)
        case (.provisions, _): return (false, ["families"], false)
        case (.demandSupply, 0): return (true, ["families", "offers"], false)
        case (.demandSupply, _): return nil
        case (.equity, 2): return (false, ["questions", "matched"], false)
        case (.equity, _): return (true, ["questions", "matched"], false)
        }
    }

    static let chartLimit = 30

    static func view(_ table: ReportTable, report: ReportName, index: Int, query: ReportService.Query, words: Words) -> Table {
        let by = table.dimensions.joined(separator: ",")
        let key = "reports.\(report.rawValue).table.\(table.dimensions.joined(separator: "-"))"
        let hidden = words.t("reports.hidden")
        func row(_ row: ReportTable.Row, margin: Bool) -> Row {
            var heading = row.keys.enumerated().map { words.value(table.dimensions[$0.offset], $0.element) }
            if margin {
                heading = heading.isEmpty ? [words.t("reports.total")] : heading
                while heading.count < table.dimensions.count { heading.append(words.t("reports.allValues")) }
            }
            return Row(heading: heading, cells: row.values.map { value in
                Cell(text: value.map(String.init) ?? hidden, hidden: value == nil, numeric: true)
            }, margin: margin)
        }
        var chart: String?
        if let plan = chartPlan(report, index) {
            let source = plan.margins && table.dimensions.count > 1 ? table.margins.filter { !$0.keys.isEmpty } : table.cells
            let indices = plan.measures.compactMap { table.measures.firstIndex(of: $0) }
            let bars = source.prefix(chartLimit).map { row in
                ReportChart.Bar(label: row.keys.enumerated().map { words.value(table.dimensions[$0.offset], $0.element) }.joined(separator: " · "),
                                values: indices.map { row.values[$0] })
            }
            if !bars.isEmpty {
                let caption = words.t(key)
                var description = words.t("reports.chart.description")
                    .replacingOccurrences(of: "{measures}", with: plan.measures.map(words.measure).joined(separator: ", "))
                    .replacingOccurrences(of: "{rows}", with: String(bars.count))
                let hiddenCount = bars.reduce(0) { $0 + $1.values.filter { $0 == nil }.count }
                if hiddenCount > 0 {
                    description += " " + words.t("reports.chart.hidden").replacingOccurrences(of: "{count}", with: String(hiddenCount))
                }
                if source.count > chartLimit {
                    description += " " + words.t("reports.chart.limited").replacingOccurrences(of: "{count}", with: String(chartLimit))
                }
                chart = ReportChart(id: "chart-\(report.rawValue)-\(index)", title: caption, description: description,
                                    series: plan.measures.map(words.measure), bars: Array(bars), hiddenLabel: hidden,
                                    unit: plan.unit ? words.t("reports.days") : "").svg
            }
        }
        let noteKey = "\(key).note"
        let note = words.request.application.locales.has(noteKey, words.request.staffLocale) ? words.t(noteKey) : nil
        return Table(id: "table-\(index)", caption: words.t(key), note: note, dimensions: table.dimensions.map(words.dimension),
                     measures: table.measures.map(words.measure), rows: table.cells.map { row($0, margin: false) },
                     margins: table.margins.map { row($0, margin: true) }, empty: table.cells.isEmpty, chart: chart,
                     csvHref: "/reports/\(report.rawValue)" + queryString(query, extra: [("by", by), ("format", "csv")]),
                     jsonHref: "/reports/\(report.rawValue)" + queryString(query, extra: [("by", by), ("format", "json")]))
    }

    /// Where demand has no supply: language × theme with open questions and no offer in that language, ranked by
    /// the families affected (hidden counts last).
    static func gaps(_ table: ReportTable, words: Words) -> [Gap] {
        let rows = table.cells.filter { table.value($0, "offers") == 0 && table.value($0, "families") != 0 }
        return rows.sorted { a, b in
            let (x, y) = (table.value(a, "families") ?? -1, table.value(b, "families") ?? -1)
            return x != y ? x > y : a.keys.lexicographicallyPrecedes(b.keys)
        }.map { row in
            let families = table.value(row, "families")
            return Gap(language: words.value("language", row.keys[0]), theme: words.value("theme", row.keys[1]),
                       languageCode: row.keys[0], themeCode: row.keys[1],
                       families: families.map(String.init) ?? words.t("reports.hidden"), hidden: families == nil,
                       bridging: table.value(row, "bridgingOffers") ?? 0)
        }
    }
}
