import Foundation
import Testing
@testable import WegwijsCore

/// What a reader of a published page knows: every figure shown (cells, margins, totals of every table, on this page
/// and, for a regional view, on the municipalities' own pages) and the sums between them that the tables' meaning
/// implies. Built from the published tables and the specs alone — not from the suppression's own `CountTable` — so
/// a sum the publisher forgot to protect is one the attacker still uses.
struct Reader {
    /// Every figure by name: its true value (for judging the attack) and what the reader sees (nil: hidden).
    var truth: [String: Int] = [:]
    var shown: [String: Int?] = [:]
    /// Figures that are never shown at all (the rest of a part measure): a reader may work them out.
    var rests = Set<String>()
    /// total = Σ parts.
    var sums: [(total: String, parts: [String])] = []

    mutating func figure(_ name: String, truth value: Int, shown published: Int?) {
        if let existing = truth[name] {
            precondition(existing == value, "\(name): two values")
            // The same figure on two pages: seen if either shows it.
            if let published { shown[name] = published }
            return
        }
        truth[name] = value
        shown[name] = published
    }

    mutating func rest(_ name: String, truth value: Int) {
        if truth[name] == nil { truth[name] = value; shown[name] = .some(nil); rests.insert(name) }
    }

    /// Adds one page: `prefix` names its figures (a municipality's code), `drafts` are its raw tables.
    mutating func read(_ tables: [ReportTable], drafts: [ReportDraft], prefix: String) {
        for (t, (table, draft)) in zip(tables, drafts).enumerated() {
            let spec = draft.spec
            for measure in spec.measures where measure.isCount {
                let m = table.measures.firstIndex(of: measure.name)!
                var whole: String?
                if case .part(let of) = measure.kind { whole = of }
                func name(_ level: String, _ keys: [String], rest: Bool = false, measure: String = measure.name) -> String {
                    if level == "total", let shared = spec.sharedTotal { return "\(prefix)|shared:\(shared)|\(measure)|\(rest)" }
                    if level == "margin" && spec.margins == .sameForEveryFirstValue { return "\(prefix)|\(t)|margin|*|\(measure)|\(rest)" }
                    return "\(prefix)|\(t)|\(level)|\(keys.joined(separator: "/"))|\(measure)|\(rest)"
                }
                func raw(_ keys: [String], _ measure: String) -> Int { draft.rows[keys]?.counts[measure] ?? 0 }
                for row in table.cells {
                    figure(name("cell", row.keys), truth: raw(row.keys, measure.name), shown: row.values[m])
                    if let whole {
                        rest(name("cell", row.keys, rest: true), truth: raw(row.keys, whole) - raw(row.keys, measure.name))
                        sums.append((name("cell", row.keys, measure: whole), [name("cell", row.keys), name("cell", row.keys, rest: true)]))
                    }
                }
                let firstMargins = table.margins.filter { $0.keys.count == 1 }
                for margin in firstMargins {
                    let members = table.cells.filter { $0.keys.first == margin.keys[0] }
                    let value = spec.margins == .sameForEveryFirstValue
                        ? firstMargins.map { f in table.cells.filter { $0.keys.first == f.keys[0] }.reduce(0) { $0 + raw($1.keys, measure.name) } }.max()!
                        : members.reduce(0) { $0 + raw($1.keys, measure.name) }
                    figure(name("margin", margin.keys), truth: value, shown: margin.values[m])
                    sums.append((name("margin", margin.keys), members.map { name("cell", $0.keys) }))
                    if let whole, spec.margins != .sameForEveryFirstValue {
                        let wholeValue = members.reduce(0) { $0 + raw($1.keys, whole) }
                        rest(name("margin", margin.keys, rest: true), truth: wholeValue - value)
                        sums.append((name("margin", margin.keys, measure: whole), [name("margin", margin.keys), name("margin", margin.keys, rest: true)]))
                    }
                }
                if let total = table.total {
                    let value = table.cells.reduce(0) { $0 + raw($1.keys, measure.name) }
                    figure(name("total", []), truth: value, shown: total.values[m])
                    sums.append((name("total", []), table.cells.map { name("cell", $0.keys) }))
                    if !firstMargins.isEmpty { sums.append((name("total", []), firstMargins.map { name("margin", $0.keys) })) }
                    if let whole {
                        let wholeValue = table.cells.reduce(0) { $0 + raw($1.keys, whole) }
                        rest(name("total", [], rest: true), truth: wholeValue - value)
                        sums.append((name("total", [], measure: whole), [name("total", []), name("total", [], rest: true)]))
                    }
                }
            }
        }
    }

    /// The figures recovered by subtraction: any sum with exactly one unknown figure, again and again.
    func bySubtraction() -> [String: Int] {
        var known: [String: Int] = [:]
        for (name, value) in shown { if let value { known[name] = value } }
        var recovered: [String: Int] = [:]
        var progress = true
        while progress {
            progress = false
            for (total, parts) in sums {
                let names = [total] + parts
                let unknown = names.filter { known[$0] == nil }
                guard unknown.count == 1, let target = unknown.first else { continue }
                let partsKnown = parts.filter { $0 != target }.reduce(0) { $0 + known[$1]! }
                let value = target == total ? partsKnown : known[total]! - partsKnown
                known[target] = value
                recovered[target] = value
                progress = true
            }
        }
        return recovered
    }

    /// The figures determined by any linear combination of the sums (exact elimination).
    func byElimination() -> Set<String> {
        var table = CountTable()
        var index: [String: Int] = [:]
        for name in truth.keys.sorted() { index[name] = table.cell(truth[name]!) }
        for (total, parts) in sums { table.sum(index[total]!, equals: parts.map { index[$0]! }) }
        let hidden = Set(shown.filter { $0.value == nil }.map { index[$0.key]! })
        let names = Dictionary(uniqueKeysWithValues: index.map { ($1, $0) })
        return Set(SmallCountSuppression.determinedCells(table, hidden: hidden).map { names[$0]! })
    }

    /// Hidden figures that must stay hidden: every small one (a count from 1 to 4, shown-kind or rest). A figure
    /// hidden only to protect another (a complement) may be worked out; what matters is that no small one can.
    func mustStayHidden(_ name: String) -> Bool {
        shown[name]! == nil && SmallCountSuppression.isSmall(truth[name]!)
    }
}

/// Random report pages: one to three tables of one or two dimensions, counts and parts, shared totals, questions
/// whose answers all add up to the same responses; many small counts, some zeros, some large ones.
func randomPage(_ rng: inout SplitMix64, keysFrom values: [String] = ["a", "b", "c", "d"]) -> [ReportDraft] {
    func count() -> Int {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<2: return 0
        case 2..<7: return Int.random(in: 1...4, using: &rng)
        default: return Int.random(in: 5...40, using: &rng)
        }
    }
    var drafts: [ReportDraft] = []
    let tables = Int.random(in: 1...3, using: &rng)
    let shareTotals = Bool.random(using: &rng)
    var sharedValue: Int?
    for t in 0..<tables {
        let dims = Int.random(in: 1...2, using: &rng)
        let withPart = Bool.random(using: &rng)
        let margins: ReportTableSpec.Margins = dims == 2 && Int.random(in: 0..<5, using: &rng) == 0
            ? .sameForEveryFirstValue : [.firstDimensionAndTotal, .firstDimensionAndTotal, .total, .none].randomElement(using: &rng)!
        var measures = [ReportMeasure("families")]
        if withPart && margins != .sameForEveryFirstValue { measures.append(ReportMeasure("withModule", .part(of: "families"))) }
        let shared = shareTotals && margins != .none && margins != .sameForEveryFirstValue && !withPart ? "known" : nil
        let spec = ReportTableSpec(dimensions: (0..<dims).map { "d\(t)\($0)" }, measures: measures, margins: margins,
                                   sharedTotal: shared)
        var draft = ReportDraft(spec)
        let firsts = Array(values.shuffled(using: &rng).prefix(Int.random(in: 1...values.count, using: &rng)))
        let seconds = Array(values.shuffled(using: &rng).prefix(Int.random(in: 1...values.count, using: &rng)))
        var rows: [[String]] = dims == 1 ? firsts.map { [$0] } : firsts.flatMap { f in seconds.map { [f, $0] } }
        if margins == .sameForEveryFirstValue {
            // Every question answered by the same respondents: each first value's rows add up to `responses`.
            let responses = Int.random(in: 0...40, using: &rng)
            for f in firsts {
                var left = responses
                let members = rows.filter { $0[0] == f }
                for (i, keys) in members.enumerated() {
                    let n = i == members.count - 1 ? left : Int.random(in: 0...left, using: &rng)
                    left -= n
                    draft.add(keys, "families", n)
                }
            }
        } else {
            if shared != nil, let target = sharedValue {
                // The same population as the first shared table: spread its total over this table's rows.
                var left = target
                rows.shuffle(using: &rng)
                for (i, keys) in rows.enumerated() {
                    let n = i == rows.count - 1 ? left : Int.random(in: 0...left, using: &rng)
                    left -= n
                    draft.add(keys, "families", n)
                }
            } else {
                for keys in rows {
                    let n = count()
                    draft.add(keys, "families", n)
                    if withPart { draft.add(keys, "withModule", n == 0 ? 0 : Int.random(in: 0...n, using: &rng)) }
                }
            }
            if shared != nil, sharedValue == nil {
                sharedValue = draft.rows.values.reduce(0) { $0 + ($1.counts["families"] ?? 0) }
            }
        }
        drafts.append(draft)
    }
    return drafts
}

let period2026 = ReportPeriod(from: CalendarDate(year: 2026, month: 1, day: 1)!, to: CalendarDate(year: 2026, month: 12, day: 31)!)

@Suite("Report tables")
struct ReportTableTests {
    static func reach() -> ReportDraft {
        var draft = ReportDraft(ReportTableSpec(dimensions: ["origin", "language"],
                                                measures: [ReportMeasure("families"), ReportMeasure("withModule", .part(of: "families"))]))
        draft.add(["ER", "ti"], "families", 12); draft.add(["ER", "ti"], "withModule", 10)
        draft.add(["ER", "am"], "families", 28); draft.add(["ER", "am"], "withModule", 20)
        draft.add(["SO", "so"], "families", 3); draft.add(["SO", "so"], "withModule", 3)
        draft.add(["SY", "ar"], "families", 30); draft.add(["SY", "ar"], "withModule", 15)
        return draft
    }

    @Test("the shape: cells in order, a margin per first value, the total; small counts and what gives them away hidden")
    func shape() throws {
        let table = try #require(ReportPublisher.publish(report: "reach", municipality: "GM9901", period: period2026, drafts: [Self.reach()]).first)
        #expect(table.dimensions == ["origin", "language"])
        #expect(table.measures == ["families", "withModule"])
        #expect(table.cells.map(\.keys) == [["ER", "am"], ["ER", "ti"], ["SO", "so"], ["SY", "ar"]])
        #expect(table.margins.map(\.keys) == [["ER"], ["SO"], ["SY"], []])
        // SO·so has 3 families: hidden, and so is the SO margin (the same 3) and the total (it would give SO away).
        let so = table.cells[2]
        #expect(so.values == [nil, nil])
        #expect(table.value(table.margins[1], "families") == nil)
        // ER·ti: 12 families, 10 with the module, so 2 without: one of 12 and 10 is hidden.
        let ti = table.cells[1]
        #expect(ti.values.contains(nil))
        #expect(table.value(table.margins[0], "families") == 40)
    }

    @Test("JSON in the contract's shape: a suppressed figure is null with its key")
    func json() throws {
        var draft = ReportDraft(ReportTableSpec(dimensions: ["origin", "language"], measures: [ReportMeasure("families")]))
        draft.add(["ER", "ti"], "families", 12)
        draft.add(["ER", "am"], "families", 28)
        draft.add(["SO", "so"], "families", 3)
        draft.add(["SO", "ar"], "families", 9)
        let table = try #require(ReportPublisher.publish(report: "reach", municipality: "GM9901", period: period2026, drafts: [draft]).first)
        let text = table.json
        // The Encodable form says the same.
        let encoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(table)) as? NSDictionary
        #expect(encoded == (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["report", "municipality", "period", "dimensions", "measures", "cells", "margins"])
        #expect(object["report"] as? String == "reach")
        #expect(object["municipality"] as? String == "GM9901")
        #expect(object["period"] as? [String: String] == ["from": "2026-01-01", "to": "2026-12-31"])
        #expect(object["dimensions"] as? [String] == ["origin", "language"])
        #expect(object["measures"] as? [String] == ["families"])
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(cells.count == 4)
        #expect(cells[1]["origin"] as? String == "ER" && cells[1]["language"] as? String == "ti" && cells[1]["families"] as? Int == 12)
        // SO·so (3) hidden, and SO·ar with it (the SO margin would give it away); the key is there, as null.
        let so = try #require(cells.first { $0["language"] as? String == "so" })
        #expect(so.keys.contains("families") && so["families"] is NSNull)
        #expect(text.contains(#"{"origin":"SO","language":"so","families":null}"#))
        #expect(text.hasPrefix(#"{"report":"reach","municipality":"GM9901","period":{"from":"2026-01-01","to":"2026-12-31"},"dimensions":["origin","language"],"measures":["families"],"cells":[{"origin":"ER","language":"am","families":28}"#))
        let margins = try #require(object["margins"] as? [[String: Any]])
        #expect(margins.first?["origin"] as? String == "ER" && margins.first?["families"] as? Int == 40)
        #expect(margins.last?.keys.sorted() == ["families"])
    }

    @Test("CSV: header, cells, margins with the dimensions they do not name left empty; suppressed = empty field")
    func csv() throws {
        var draft = ReportDraft(ReportTableSpec(dimensions: ["organisation", "state"], measures: [ReportMeasure("referrals")]))
        draft.add(["GGD, JGZ", "sent"], "referrals", 12)
        draft.add(["GGD, JGZ", "declined"], "referrals", 2)
        draft.add(["=cmd", "sent"], "referrals", 30)
        let table = try #require(ReportPublisher.publish(report: "referrals", municipality: "GM9901", period: period2026, drafts: [draft]).first)
        let lines = table.csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "organisation,state,referrals")
        #expect(lines[1] == "'=cmd,sent,30")
        #expect(lines[2] == "\"GGD, JGZ\",declined,")
        #expect(lines[3] == "\"GGD, JGZ\",sent,")
        #expect(lines[4] == "'=cmd,,30")
        #expect(lines[5] == "\"GGD, JGZ\",,14")
        #expect(lines[6] == ",,44")
        #expect(lines.last == "")
    }

    @Test("medians over fewer than 5 families, and 90th percentiles over fewer than 10, are not shown")
    func statistics() throws {
        #expect(ReportStatistics.percentile(50, of: [3: 1, 7: 1, 9: 1, 12: 1, 40: 1], minimum: 5) == 9)
        #expect(ReportStatistics.percentile(50, of: [3: 1, 7: 1, 9: 1, 12: 1], minimum: 5) == nil)
        #expect(ReportStatistics.percentile(50, of: [3: 2, 7: 2, 9: 1, 12: 1], minimum: 5) == 7)
        #expect(ReportStatistics.percentile(90, of: [1: 9, 100: 1], minimum: 10) == 1)
        #expect(ReportStatistics.percentile(90, of: [1: 8, 100: 2], minimum: 10) == 100)
        var draft = ReportDraft(ReportTableSpec(dimensions: ["origin"], measures: [
            ReportMeasure("families"), ReportMeasure("reached", .part(of: "families")),
            .median("medianDays", of: "days"), .p90("p90Days", of: "days")], margins: .total))
        for (origin, values) in [("ER", [3, 5, 8, 13, 21, 34]), ("SO", [2, 4]), ("SY", [1, 1, 2, 3, 5, 8, 13, 21, 34, 55])] {
            draft.add([origin], "families", values.count + 2)
            draft.add([origin], "reached", values.count)
            for days in values { draft.add([origin], histogram: "days", days: days, count: 1) }
        }
        let table = try #require(ReportPublisher.publish(report: "timings", municipality: "GM9901", period: period2026, drafts: [draft]).first)
        #expect(table.value(table.cells[0], "medianDays") == 8)
        #expect(table.value(table.cells[0], "p90Days") == nil)
        #expect(table.value(table.cells[1], "medianDays") == nil)
        #expect(table.value(table.cells[2], "medianDays") == 5 && table.value(table.cells[2], "p90Days") == 34)
        // The total pools every family's days (18 values: 1 1 2 2 3 3 4 5 5 …).
        #expect(table.value(try #require(table.total), "medianDays") == 5)
    }

    @Test("the period: the calendar year by default; bad dates and a reversed period are refused")
    func period() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 18)!
        #expect(try ReportPeriod.parse(from: nil, to: nil, today: today).get() == period2026)
        #expect(try ReportPeriod.parse(from: "2026-03-01", to: "", today: today).get().to.iso == "2026-12-31")
        #expect(ReportPeriod.parse(from: "2026-13-01", to: nil, today: today) == .failure(.invalidDate(field: "from")))
        #expect(ReportPeriod.parse(from: nil, to: "18-11-2026", today: today) == .failure(.invalidDate(field: "to")))
        #expect(ReportPeriod.parse(from: "2026-05-01", to: "2026-04-30", today: today) == .failure(.reversed))
        let span = ReportPeriod(from: CalendarDate(year: 2025, month: 11, day: 3)!, to: CalendarDate(year: 2026, month: 2, day: 1)!)
        #expect(span.quarters == ["2025-Q4", "2026-Q1"])
        #expect(span.months == ["2025-11", "2025-12", "2026-01", "2026-02"])
    }

    @Test("tables that count the same population share their total: one figure, hidden or shown for both")
    func sharedTotal() throws {
        var byOrigin = ReportDraft(ReportTableSpec(dimensions: ["origin"], measures: [ReportMeasure("families")], margins: .total, sharedTotal: "known"))
        byOrigin.add(["ER"], "families", 20); byOrigin.add(["SO"], "families", 3)
        var byPhase = ReportDraft(ReportTableSpec(dimensions: ["phase"], measures: [ReportMeasure("families")], margins: .total, sharedTotal: "known"))
        byPhase.add(["1"], "families", 11); byPhase.add(["2"], "families", 12)
        let tables = ReportPublisher.publish(report: "reach", municipality: "GM9901", period: period2026, drafts: [byOrigin, byPhase])
        #expect(tables[0].total?.values == tables[1].total?.values)
        // SO (3) is hidden; with the total 23 shown, ER 20 must go too, or 23 − 20 = 3.
        #expect(tables[0].cells.allSatisfy { $0.values == [nil] } || tables[0].total?.values == [nil])
    }

    @Test("random pages: no hidden figure is ever recovered, by subtraction or by any linear combination")
    func neverRecovered() {
        for seed in UInt64(1)...1_500 {
            var rng = SplitMix64(seed: seed)
            let drafts = randomPage(&rng)
            let tables = ReportPublisher.publish(report: "r", municipality: "GM9901", period: period2026, drafts: drafts)
            var reader = Reader()
            reader.read(tables, drafts: drafts, prefix: "m")
            for (name, value) in reader.truth where !reader.rests.contains(name) && SmallCountSuppression.isSmall(value) {
                #expect(reader.shown[name]! == nil, "seed \(seed): small figure \(name) = \(value) shown")
            }
            let recovered = reader.bySubtraction().filter { reader.mustStayHidden($0.key) }
            #expect(recovered.isEmpty, "seed \(seed): recovered \(recovered)")
            let determined = reader.byElimination().filter(reader.mustStayHidden)
            #expect(determined.isEmpty, "seed \(seed): determined \(determined.sorted())")
        }
    }

    @Test("the attacker is real: shown without secondary suppression, many pages give small figures away")
    func attackerWorks() {
        var given = 0
        for seed in UInt64(1)...300 {
            var rng = SplitMix64(seed: seed)
            let drafts = randomPage(&rng)
            let tables = ReportPublisher.publish(report: "r", municipality: "GM9901", period: period2026, drafts: drafts)
            var reader = Reader()
            reader.read(tables, drafts: drafts, prefix: "m")
            // Primary suppression only: every figure shown unless it is small.
            for (name, value) in reader.truth where !reader.rests.contains(name) {
                reader.shown[name] = SmallCountSuppression.isSmall(value) ? .some(nil) : value
            }
            if !reader.bySubtraction().filter({ reader.mustStayHidden($0.key) }).isEmpty { given += 1 }
        }
        #expect(given > 50)
    }

    @Test("regional view: region minus one municipality's own page gives nothing hidden away")
    func regionNeverRecovered() {
        for seed in UInt64(1)...600 {
            var rng = SplitMix64(seed: seed)
            let a = randomPage(&rng)
            // The second municipality: the same tables, other figures.
            var b = a
            for t in b.indices {
                for keys in b[t].rows.keys {
                    for measure in b[t].rows[keys]!.counts.keys where measure == "families" {
                        b[t].rows[keys]!.counts[measure] = Int.random(in: 0...12, using: &rng)
                    }
                    if let families = b[t].rows[keys]!.counts["families"], b[t].rows[keys]!.counts["withModule"] != nil {
                        b[t].rows[keys]!.counts["withModule"] = Int.random(in: 0...families, using: &rng)
                    }
                }
            }
            // Shared totals and same-population margins must stay true in b: keep only tables without them.
            let keep = a.indices.filter { a[$0].spec.sharedTotal == nil && a[$0].spec.margins != .sameForEveryFirstValue }
            let pageA = keep.map { a[$0] }, pageB = keep.map { b[$0] }
            guard !pageA.isEmpty else { continue }
            let region = ReportPublisher.publish(report: "r", region: "RG99", period: period2026, municipalities: [pageA, pageB])
            let ownA = ReportPublisher.publish(report: "r", municipality: "A", period: period2026, drafts: pageA)
            let ownB = ReportPublisher.publish(report: "r", municipality: "B", period: period2026, drafts: pageB)
            var combined = pageA
            for t in combined.indices { for (keys, row) in pageB[t].rows { combined[t].rows[keys, default: ReportDraftRow()].add(row) } }
            var reader = Reader()
            reader.read(ownA, drafts: pageA, prefix: "A")
            reader.read(ownB, drafts: pageB, prefix: "B")
            reader.read(region, drafts: combined, prefix: "R")
            // Every region figure is A's plus B's.
            for name in reader.truth.keys where name.hasPrefix("R|") {
                let suffix = name.dropFirst(2)
                reader.sums.append((name, ["A|" + suffix, "B|" + suffix].filter { reader.truth[$0] != nil }))
            }
            for (name, value) in reader.truth where name.hasPrefix("R|") && !reader.rests.contains(name) && SmallCountSuppression.isSmall(value) {
                #expect(reader.shown[name]! == nil, "seed \(seed): small region figure \(name) shown")
            }
            // A region figure hidden only as a complement may be the sum of figures both municipalities show:
            // what must stay hidden is every small figure, and whatever the municipalities' own pages hide.
            func mustStay(_ name: String) -> Bool { reader.mustStayHidden(name) }
            let recovered = reader.bySubtraction().filter { mustStay($0.key) }
            #expect(recovered.isEmpty, "seed \(seed): recovered \(recovered)")
            let determined = reader.byElimination().filter(mustStay)
            #expect(determined.isEmpty, "seed \(seed): determined \(determined.sorted())")
        }
    }

    @Test("a page of report size (300 cells, a part measure, margins) is published in well under a second")
    func speed() {
        var rng = SplitMix64(seed: 42)
        var draft = ReportDraft(ReportTableSpec(dimensions: ["origin", "language"],
                                                measures: [ReportMeasure("families"), ReportMeasure("withModule", .part(of: "families"))]))
        for o in 0..<20 {
            for l in 0..<15 {
                let n = [0, 1, 2, 3, 4, 7, 12, 40, 200].randomElement(using: &rng)!
                draft.add(["o\(o)", "l\(l)"], "families", n)
                draft.add(["o\(o)", "l\(l)"], "withModule", n == 0 ? 0 : Int.random(in: 0...n, using: &rng))
            }
        }
        let start = Date()
        let tables = ReportPublisher.publish(report: "reach", municipality: "GM9901", period: period2026, drafts: [draft])
        let elapsed = Date().timeIntervalSince(start)
        #expect(tables[0].cells.count == 300)
        #expect(elapsed < 1.0, "took \(elapsed) s")
    }
}
