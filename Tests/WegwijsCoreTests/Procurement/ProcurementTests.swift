import Testing
@testable import WegwijsCore

/// The procurement checklist's pure logic (issue 15, R41): offers and portfolio scored, gaps found and ranked, and
/// the gaps table published without a count under 5 that can be seen or worked out.
@Suite("Procurement checklist")
struct ProcurementTests {
    static func offer(_ name: String = "Aanbod", kind: OfferKind = .formal, forms: [String] = ["individual"],
                      themes: [String] = ["school-system"], audience: Audience = .mixed, languages: [String] = ["nl"],
                      culture: [CultureItem] = [], funding: FundingSource? = nil, areas: [String] = ["municipality"],
                      support: SupportType = .information, phase: Int? = nil) -> OfferDraft {
        OfferDraft(name: name, description: "d", kind: kind.rawValue, supportType: support.rawValue, forms: forms, themes: themes,
                   audience: audience.rawValue, languages: languages, phase: phase, serviceAreas: areas,
                   culture: culture.map(\.rawValue), funding: funding?.rawValue)
    }

    // MARK: offers

    @Test("an offer scores on its culture-sensitivity profile and on what it records; meeting criteria only for meetings")
    func offerScore() {
        var home = Self.offer(forms: ["home-visit"], languages: ["nl"], culture: [.demandLed, .flexible])
        home.bridgeKeyPerson = true
        let score = OfferScore(home)
        #expect(score.criteria[.ownLanguage] == true)          // a key person bridges
        #expect(score.criteria[.familiarPlace] == true)        // at home
        #expect(score.criteria[.demandLed] == true && score.criteria[.flexible] == true)
        #expect(score.criteria[.childcare] == nil && score.criteria[.mothersFathers] == nil)   // not a meeting
        #expect(score.criteria[.lowThreshold] == true)
        #expect(score.missing == [.refersOn, .involvesFathers, .visualMaterial, .trainedStaff])
        #expect(score.applicable == OfferCriterion.allCases.count - 2)

        var group = Self.offer(forms: ["group"], audience: .fathers, languages: ["ar"])
        group.cost = 25
        group.childcare = true
        let fathers = OfferScore(group)
        #expect(fathers.criteria[.mothersFathers] == true && fathers.criteria[.involvesFathers] == true)
        #expect(fathers.criteria[.childcare] == true)
        #expect(fathers.criteria[.lowThreshold] == false)      // costs money
        #expect(fathers.applicable == OfferCriterion.allCases.count)
        #expect(fathers.percent == Int((Double(fathers.met) / Double(fathers.applicable) * 100).rounded()))
        #expect(OfferCriterion.allCases.allSatisfy { !$0.sources.isEmpty && $0.sources.allSatisfy { $0.hasPrefix("R") } })
    }

    // MARK: the portfolio

    @Test("the portfolio: languages of the families covered, informal offers, fathers, online, themes, funding")
    func portfolio() {
        let offers: [(id: String, offer: OfferDraft)] = [
            ("a", Self.offer(kind: .informal, forms: ["group"], themes: ["school-system", "religion"], audience: .mothers,
                             languages: ["ar"], funding: .civicIntegration, support: .information, phase: 1)),
            ("b", Self.offer(forms: ["online"], themes: ["digital-parenting"], languages: ["nl", "ti"], funding: .prevention)),
            ("c", { var o = Self.offer(themes: ["mental-health"], languages: ["nl"]); o.registrationRequired = true; return o }()),
        ]
        let results = Dictionary(uniqueKeysWithValues: Portfolio.evaluate(offers, demandLanguages: ["ar", "ti", "bg", "nl"]).map { ($0.criterion, $0) })
        #expect(results.count == PortfolioCriterion.allCases.count)
        #expect(results[.informal]?.status == .met)
        #expect(results[.languages]?.met == 2 && results[.languages]?.of == 3 && results[.languages]?.missing == ["bg"])
        #expect(results[.languages]?.status == .partly)
        #expect(results[.informalLanguages]?.missing == ["bg", "ti"])
        #expect(results[.welcomePackage]?.missing == ["bg", "ti"])
        #expect(results[.fathers]?.status == .notMet && results[.mothers]?.status == .met)
        #expect(results[.online]?.status == .met)
        #expect(results[.themes]?.met == 4 && results[.themes]?.missing.contains("sexual-health") == true)
        #expect(results[.fundingMix]?.status == .met)                     // prevention pays for one
        #expect(results[.fundingRecorded]?.missing == ["c"] && results[.fundingRecorded]?.status == .partly)
        #expect(results[.openToAll]?.missing == ["c"])
        // Nothing to hold the languages against: not applicable, not "met".
        let none = Portfolio.evaluate(offers, demandLanguages: ["nl"]).first { $0.criterion == .languages }
        #expect(none?.status == .notApplicable)
        // Only civic integration: the mix is missing.
        let civic = Portfolio.evaluate([("a", Self.offer(funding: .civicIntegration))], demandLanguages: [])
        #expect(civic.first { $0.criterion == .fundingMix }?.status == .notMet)
        #expect(Portfolio.funding(offers.map(\.offer)).map(\.offers) == [1, 1, 0, 0, 0, 1])
    }

    // MARK: gaps

    static let demand = Demand(
        languages: ["ar": 12, "ti": 7, "bg": 3, "nl": 20],
        themes: ["puberty": 9, "religion": 6, "school-system": 15],
        languageThemes: ["ar|puberty": 6, "ti|puberty": 2, "ar|school-system": 8, "ti|religion": 5, "bg|school-system": 3],
        fathers: ["ar": 8, "ti": 1], mothers: ["ar": 10, "ti": 6, "bg": 3])

    static let supply: [OfferDraft] = [
        offer(forms: ["group"], themes: ["school-system"], audience: .mothers, languages: ["ar"]),
        offer(kind: .informal, forms: ["group"], themes: ["school-system"], audience: .mothers, languages: ["ti"]),
        { var o = offer(forms: ["online"], themes: ["puberty"], languages: ["nl"]); o.bridgeInterpreter = true; return o }(),
    ]

    @Test("gaps in words: fathers' group in Arabic, informal in Arabic, nothing in Bulgarian, no offer on religion; most families first")
    func gaps() {
        let found = Gaps.find(Self.demand, supply: Self.supply)
        let described = found.map { "\($0.gap.kind.rawValue)|\($0.gap.language ?? "")|\($0.gap.theme ?? "")=\($0.families)" }
        #expect(described == [
            "informal|ar|=12",        // Arabic: only a formal offer
            "fathers-group|ar|=8",    // fathers who speak Arabic, no fathers' group in it
            "theme||religion=6",      // nothing on religion at all (so not also per language)
            "language|bg|=3",         // nothing in Bulgarian (so none of its themes, forms and audiences)
            "fathers-group|ti|=1",
        ])
        // The online offer bridges with an interpreter: Arabic and Tigrinya are reached online; puberty in Arabic too.
        #expect(!found.contains { $0.gap.kind == .online || $0.gap.kind == .languageTheme })
        // Nothing bridges: puberty in Tigrinya and Arabic, and online, are gaps.
        let strict = Gaps.find(Self.demand, supply: Array(Self.supply.prefix(2)))
        #expect(strict.contains { $0.gap == Gap(kind: .online, language: "ar") && $0.families == 12 })
        #expect(strict.contains { $0.gap == Gap(kind: .theme, theme: "puberty") && $0.families == 9 })
        #expect(Gap.Kind.allCases.allSatisfy { !$0.sources.isEmpty })
    }

    @Test("which offers serve a municipality: its own, the region's with service area region, online and nationwide")
    func serving() {
        let own = Self.offer(areas: ["municipality"]), regional = Self.offer(areas: ["region"])
        let online = Self.offer(forms: ["online"], areas: []), nationwide = Self.offer(areas: ["nationwide"])
        #expect(Gaps.serves(own, owner: "A", ownerRegion: "R", municipality: "A", region: "R"))
        #expect(!Gaps.serves(own, owner: "A", ownerRegion: "R", municipality: "B", region: "R"))
        #expect(Gaps.serves(regional, owner: "A", ownerRegion: "R", municipality: "B", region: "R"))
        #expect(!Gaps.serves(regional, owner: "A", ownerRegion: "R", municipality: "C", region: "S"))
        #expect(Gaps.serves(online, owner: "A", ownerRegion: "R", municipality: "C", region: nil))
        #expect(Gaps.serves(nationwide, owner: "A", ownerRegion: nil, municipality: "C", region: nil))
        let today = CalendarDate(year: 2026, month: 11, day: 18)!
        var ended = own
        ended.activeUntil = "2025-12-31"
        #expect(!Gaps.isActive(ended, on: today) && Gaps.isActive(own, on: today))
    }

    // MARK: the published table

    @Test("the table: counts under 5 are null, a gap equal to its language margin is hidden with it, hidden ones last")
    func table() {
        let period = ReportPeriod(from: CalendarDate(year: 2026, month: 11, day: 18)!, to: CalendarDate(year: 2026, month: 11, day: 18)!)
        let gaps = Gaps.find(Self.demand, supply: Self.supply).map(\.gap)
        let table = GapTable.publish(report: "procurement", municipality: "GM9901", period: period,
                                     page: .init(gaps: gaps, demand: Self.demand, families: 30))
        #expect(table.dimensions == ["language", "theme", "form", "audience", "kind"] && table.measures == ["families"])
        let values = table.cells.map { $0.values[0] }
        #expect(values == [12, 8, 6, nil, nil])
        #expect(table.cells.map(\.keys)[0] == ["ar", "any", "any", "any", "informal"])
        #expect(table.cells.compactMap { GapTable.gap($0.keys) } == gaps.sorted { a, b in
            gaps.firstIndex(of: a)! < gaps.firstIndex(of: b)! })
        // Margins per language (not Dutch) and the total; Bulgarian's 3 is hidden, and so its equal gap.
        #expect(table.margins.map(\.keys) == [["ar"], ["bg"], ["ti"], []])
        #expect(table.margins.map { $0.values[0] } == [12, nil, 7, 30])
        for cell in table.cells { if let n = cell.values[0] { #expect(n == 0 || n >= SmallCountSuppression.minimumCount) } }
        // Round trip of the keys.
        for gap in gaps { #expect(GapTable.gap(GapTable.keys(gap)) == gap) }
    }

    /// The attacker: every relation the reader knows (a region figure is the sum of its municipalities'; a language
    /// gap counts its margin's families), solved wherever one figure is unknown, with both pages in hand.
    static func recovered(region: ReportTable, parts: [ReportTable], own: [ReportTable]) -> [String: Int] {
        // Everything known by key: "<municipality>|<keys>".
        var known: [String: Int] = [:]
        func learn(_ table: ReportTable) {
            for row in table.cells + table.margins { if let v = row.values[0] { known["\(table.municipality)|\(row.keys)"] = v } }
        }
        for table in [region] + parts + own { learn(table) }
        var relations: [(total: String, parts: [String])] = []
        for row in region.cells + region.margins {
            relations.append(("\(region.municipality)|\(row.keys)", parts.map { "\($0.municipality)|\(row.keys)" }))
        }
        for table in [region] + parts + own {
            for cell in table.cells {
                guard let gap = GapTable.gap(cell.keys), [.language, .informal, .online].contains(gap.kind), let language = gap.language else { continue }
                relations.append(("\(table.municipality)|\([language])", ["\(table.municipality)|\(cell.keys)"]))
            }
        }
        // A figure a municipality does not have on the region page is 0 there (shown).
        for part in parts { for row in region.cells + region.margins where !(part.cells + part.margins).contains(where: { $0.keys == row.keys }) {
            known["\(part.municipality)|\(row.keys)"] = 0
        } }
        var found: [String: Int] = [:]
        var progress = true
        while progress {
            progress = false
            for relation in relations {
                let unknown = ([relation.total] + relation.parts).filter { known[$0] == nil }
                guard unknown.count == 1, let target = unknown.first else { continue }
                let sum = relation.parts.compactMap { known[$0] }.reduce(0, +)
                let value = target == relation.total ? sum : (known[relation.total]! - sum)
                known[target] = value
                found[target] = value
                progress = true
            }
        }
        return found
    }

    @Test("regional view, random regions: no count under 5 shown or recoverable, own pages and the region agree",
          arguments: 0..<120)
    func regionProperty(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
        func n(_ high: Int) -> Int { Int(random.next() % UInt64(high + 1)) }
        let period = ReportPeriod(from: CalendarDate(year: 2026, month: 1, day: 1)!, to: CalendarDate(year: 2026, month: 1, day: 1)!)
        let languages = ["ar", "ti", "fa", "so", "bg"], themes = ["puberty", "religion", "school-system"]
        var pages: [(code: String, page: GapTable.Page)] = []
        var supplies: [[OfferDraft]] = []
        for index in 0..<(2 + n(2)) {
            var demand = Demand()
            for language in languages where n(3) > 0 {
                let families = 1 + n(14)
                demand.languages[language] = families
                demand.fathers[language] = n(families)
                demand.mothers[language] = n(families)
                for theme in themes where n(2) > 0 { demand.languageThemes[Demand.key(language: language, theme: theme)] = 1 + n(families - 1) }
            }
            for theme in themes { demand.themes[theme] = demand.languageThemes.filter { $0.key.hasSuffix("|" + theme) }.map(\.value).max() ?? 0 }
            var supply: [OfferDraft] = []
            for language in languages where n(2) == 0 {
                supply.append(Self.offer(kind: n(1) == 0 ? .formal : .informal, forms: [n(1) == 0 ? "group" : "online"],
                                         themes: [themes[n(2)]], audience: [Audience.mixed, .mothers, .fathers][n(2)], languages: [language],
                                         areas: [n(1) == 0 ? "municipality" : "region"]))
            }
            supplies.append(supply)
            let families = demand.languages.values.max() ?? 0
            pages.append(("GM99\(index)", .init(gaps: Gaps.find(demand, supply: supply).map(\.gap), demand: demand, families: families)))
        }
        // The region's supply: every municipality's offers (the test does not need the service areas here).
        let demand = pages.reduce(Demand()) { $0 + $1.page.demand }
        let regionGaps = Gaps.find(demand, supply: supplies.flatMap { $0 }).map(\.gap)
        let (region, parts) = GapTable.publishRegion(report: "procurement", region: "RG99", period: period, regionGaps: regionGaps,
                                                     municipalities: pages)
        let own = pages.map { GapTable.publish(report: "procurement", municipality: $0.code, period: period, page: $0.page) }
        // Nothing under 5 is shown.
        for table in [region] + parts + own {
            for row in table.cells + table.margins {
                if let value = row.values[0] { #expect(!SmallCountSuppression.isSmall(value), "seed \(seed): \(table.municipality) \(row.keys) = \(value)") }
            }
        }
        // A municipality's figure is shown on the region page exactly when its own page shows it, with the same value.
        for (part, mine) in zip(parts, own) {
            for row in part.cells + part.margins {
                guard let same = (mine.cells + mine.margins).first(where: { $0.keys == row.keys }) else { continue }
                #expect(same.values == row.values, "seed \(seed): \(part.municipality) \(row.keys)")
            }
        }
        // Nothing hidden and small can be worked out from both pages together.
        let truth: [String: Int] = {
            var values: [String: Int] = [:]
            for (code, page) in pages + [("RG99", GapTable.Page(gaps: regionGaps, demand: demand, families: 0))] {
                for language in page.demand.languagesWithFamilies { values["\(code)|\([language])"] = page.demand.languages[language] }
                for gap in regionGaps + page.gaps { values["\(code)|\(GapTable.keys(gap))"] = gap.families(in: page.demand) }
            }
            return values
        }()
        for (key, value) in Self.recovered(region: region, parts: parts, own: own) {
            if let real = truth[key] { #expect(real == value, "seed \(seed): the attacker's arithmetic") }
            #expect(!SmallCountSuppression.isSmall(value), "seed \(seed): \(key) = \(value) recovered")
        }
        // Region cells come most families first among the shown ones, the hidden ones after.
        let shown = region.cells.map { $0.values[0] }
        if let firstHidden = shown.firstIndex(where: { $0 == nil }) { #expect(shown[firstHidden...].allSatisfy { $0 == nil }) }
        let numbers = shown.compactMap { $0 }
        #expect(numbers == numbers.sorted(by: >))
    }
}
