import Foundation
import Testing
@testable import WegwijsCore

private func parent(_ id: String, _ languages: [String] = ["ti"], _ audience: Audience = .mothers,
                    mixedOk: Bool = false, times: [TimeOfDay] = [.daytime], online: Bool = false,
                    districts: [String] = ["D01"]) -> WaitingParent {
    WaitingParent(id: id, languages: languages, audience: audience, mixedOk: mixedOk, times: times, online: online,
                  districts: districts)
}

private func trainer(_ id: String, times: [TimeOfDay] = [.daytime, .evening], max: Int = 5) -> Facilitator {
    Facilitator(id: id, role: .trainer, languages: ["nl"], times: times, maxSeries: max)
}

private func key(_ id: String, _ languages: [String], times: [TimeOfDay] = [.daytime, .evening], max: Int = 5) -> Facilitator {
    Facilitator(id: id, role: .keyPerson, languages: languages, times: times, maxSeries: max)
}

/// Plans and fails the test when the independent checker finds a broken rule.
private func checkedPlan(_ input: GroupPlanInput, sourceLocation: SourceLocation = #_sourceLocation) throws -> GroupPlan {
    let plan = try GroupPlanner.plan(input)
    let problems = GroupPlanChecker.problems(plan, for: input)
    #expect(problems.isEmpty, "\(problems.prefix(5))", sourceLocation: sourceLocation)
    return plan
}

@Suite("Group planner: input")
struct GroupPlanInputTests {
    static let sample = #"""
    {"rules": {"minSize": 8, "maxSize": 15},
     "parents": [{"id": "p1", "languages": ["ti"], "audience": "mothers", "mixedOk": false,
                  "times": ["daytime", "evening"], "online": false, "districts": ["D03", "D04"]}],
     "facilitators": [{"id": "f1", "role": "trainer", "languages": ["nl"], "times": ["daytime"], "maxSeries": 2},
                      {"id": "f2", "role": "keyPerson", "languages": ["ti", "am"], "times": ["evening"], "maxSeries": 1}]}
    """#

    @Test("the issue's example input reads as typed values")
    func sampleParses() throws {
        let input = try GroupPlanInput.parse(json: Data(Self.sample.utf8))
        #expect(input.rules == GroupPlanRules(minSize: 8, maxSize: 15))
        #expect(input.parents == [parent("p1", times: [.daytime, .evening], districts: ["D03", "D04"])])
        #expect(input.facilitators[1] == key("f2", ["ti", "am"], times: [.evening], max: 1))
        #expect(input.existing.isEmpty)
    }

    static let bad: [(String, String, String, String)] = [
        // (what to replace, with what, record, field)
        (#", "maxSeries": 1}"#, "}", "facilitators[f2]", "maxSeries"),
        (#""minSize": 8"#, #""minSize": 16"#, "rules", "maxSize"),
        (#""minSize": 8"#, #""minSize": 0"#, "rules", "minSize"),
        (#""audience": "mothers""#, #""audience": "moms""#, "parents[p1]", "audience"),
        (#""languages": ["ti"]"#, #""languages": ["xx-nonsense"]"#, "parents[p1]", "languages"),
        (#""languages": ["ti"]"#, #""languages": []"#, "parents[p1]", "languages"),
        (#""times": ["daytime", "evening"]"#, #""times": []"#, "parents[p1]", "times"),
        (#""times": ["daytime", "evening"]"#, #""times": ["night"]"#, "parents[p1]", "times"),
        (#""role": "trainer""#, #""role": "coach""#, "facilitators[f1]", "role"),
        (#""id": "f2""#, #""id": "f1""#, "facilitators[f1]", "id"),
        (#""mixedOk": false"#, #""mixedOk": 1"#, "parents[p1]", "mixedOk"),
        (#""maxSeries": 2"#, #""maxSeries": 2.5"#, "facilitators[f1]", "maxSeries"),
        (#""maxSeries": 2"#, #""maxSeries": -1"#, "facilitators[f1]", "maxSeries"),
        (#""online": false"#, #""onLine": false"#, "parents[p1]", "onLine"),
        (#""districts": ["D03", "D04"]"#, #""districts": ["online"]"#, "parents[p1]", "districts"),
        (#""districts": ["D03", "D04"]"#, #""districts": ["D 03"]"#, "parents[p1]", "districts"),
        (#""languages": ["ti", "am"]"#, #""languages": []"#, "facilitators[f2]", "languages"),
    ]

    @Test("bad input names the record and the field", arguments: bad.indices)
    func badInput(_ index: Int) {
        let (from, to, record, field) = Self.bad[index]
        let json = Self.sample.replacingOccurrences(of: from, with: to)
        #expect(json != Self.sample)
        #expect {
            _ = try GroupPlanInput.parse(json: Data(json.utf8))
        } throws: { error in
            guard let error = error as? GroupPlanInputError else { return false }
            return error.record == record && error.field == field
        }
    }

    @Test("two parents with the same id")
    func duplicateParent() {
        let input = GroupPlanInput(parents: [parent("p1"), parent("p1")], facilitators: [])
        #expect(throws: GroupPlanInputError(record: "parents[p1]", field: "id", message: "duplicate id")) {
            try input.validate()
        }
    }

    @Test("not JSON, or not an object")
    func notJSON() {
        for text in ["{", "[]", ""] {
            #expect(throws: GroupPlanInputError.self) { try GroupPlanInput.parse(json: Data(text.utf8)) }
        }
    }

    @Test("the JSON reader: escapes, surrogate pairs, numbers; malformed documents are refused")
    func jsonReader() throws {
        let escaped = Self.sample.replacingOccurrences(of: #""id": "p1""#, with: #""id": "p\u00e9\ud83d\ude00\"\\\/""#)
        let input = try GroupPlanInput.parse(json: Data(escaped.utf8))
        #expect(input.parents[0].id == "p\u{e9}\u{1F600}\"\\/")
        let exponent = Self.sample.replacingOccurrences(of: #""maxSeries": 2"#, with: #""maxSeries": 2.0e0"#)
        #expect(try GroupPlanInput.parse(json: Data(exponent.utf8)).facilitators[0].maxSeries == 2)
        for broken in [#"{"rules": {},}"#, #"{"a" 1}"#, #"{"a": tru}"#, #"{"a": "\ud800"}"#, #"{"a": "x"} x"#,
                       #"{"a": -}"#, "{\"a\": \"\u{01}\"}", #"{"a": [1, 2"#] {
            #expect(throws: GroupPlanInputError(record: "input", field: "(document)", message: "is not valid JSON")) {
                try GroupPlanInput.parse(json: Data(broken.utf8))
            }
        }
    }

    @Test("running series must be led by fitting facilitators within their maxSeries")
    func existingValidation() {
        let facilitators = [trainer("t1", max: 1), key("k1", ["ar"], max: 1)]
        func series(_ id: String, language: String = "ar", trainer: String = "t1", keyPerson: String = "k1",
                    parents: [String] = ["p1"]) -> ExistingSeries {
            ExistingSeries(id: id, language: language, audience: .mothers, time: .daytime, place: "D01",
                           trainer: trainer, keyPerson: keyPerson, parents: parents)
        }
        let cases: [([ExistingSeries], String, String)] = [
            ([series("s1", language: "ti")], "existing[s1]", "keyPerson"),
            ([series("s1", trainer: "nobody")], "existing[s1]", "trainer"),
            ([series("s1", trainer: "k1")], "existing[s1]", "trainer"),
            ([series("s1"), series("s2", parents: ["p2"])], "existing[s2]", "trainer"),
            ([series("s1", parents: (1...16).map { "p\($0)" })], "existing[s1]", "parents"),
        ]
        for (existing, record, field) in cases {
            let input = GroupPlanInput(parents: [parent("p1", ["ar"])], facilitators: facilitators + [key("k2", ["ar"])],
                                       existing: existing)
            #expect {
                try input.validate()
            } throws: { error in
                (error as? GroupPlanInputError).map { $0.record == record && $0.field == field } ?? false
            }
        }
    }
}

@Suite("Group planner: plans")
struct GroupPlannerTests {
    @Test("a small instance whose optimum is known: 5 parents in 2 series of 3 and 2")
    func knownOptimum() throws {
        let input = GroupPlanInput(rules: GroupPlanRules(minSize: 2, maxSize: 3),
                                   parents: (1...5).map { parent("p\($0)") },
                                   facilitators: [trainer("t1"), key("k1", ["ti"])])
        let plan = try checkedPlan(input)
        #expect(plan.series.map(\.parents.count).sorted() == [2, 3])
        #expect(plan.unplaced.isEmpty)
        #expect(plan.series.allSatisfy { $0.language == "ti" && $0.place == "D01" && $0.time == .daytime })
    }

    @Test("parents with fewer options are placed first (largest-first leaves a group below its minimum)")
    func flexibleParentsWait() throws {
        // D02 has three candidates (b, c, d) but only c and d must go there; b can also go to D01 with a.
        let input = GroupPlanInput(rules: GroupPlanRules(minSize: 2, maxSize: 2),
                                   parents: [parent("a", districts: ["D01"]), parent("b", districts: ["D01", "D02"]),
                                             parent("c", districts: ["D02"]), parent("d", districts: ["D02"])],
                                   facilitators: [trainer("t1"), key("k1", ["ti"])])
        let plan = try checkedPlan(input)
        #expect(plan.unplaced.isEmpty)
        #expect(Set(plan.series.map { Set($0.parents) }) == [["a", "b"], ["c", "d"]])
    }

    @Test("a key person who speaks two languages goes where nobody else can")
    func keyPersonsAreMatched() throws {
        // k1 speaks Arabic and Somali, k2 only Arabic: first-come assignment can give k1 to the Arabic series.
        let input = GroupPlanInput(rules: GroupPlanRules(minSize: 2, maxSize: 2),
                                   parents: [parent("a1", ["ar"]), parent("a2", ["ar"]), parent("s1", ["so"]),
                                             parent("s2", ["so"])],
                                   facilitators: [trainer("t1"), key("k1", ["ar", "so"], max: 1), key("k2", ["ar"], max: 1)])
        let plan = try checkedPlan(input)
        #expect(plan.unplaced.isEmpty)
        #expect(plan.series.first { $0.language == "so" }?.keyPerson == "k1")
        #expect(plan.series.first { $0.language == "ar" }?.keyPerson == "k2")
    }

    @Test("mixed series only for parents with mixedOk (or who asked for mixed), online only for online parents")
    func mixedAndOnline() throws {
        let mothers = (1...2).map { parent("m\($0)", mixedOk: true, online: true, districts: ["D0\($0)"]) }
        let fathers = (1...2).map { parent("f\($0)", ["ti"], .fathers, mixedOk: true, online: true, districts: ["D0\($0 + 2)"]) }
        let loner = parent("x", ["ti"], .fathers, mixedOk: false, online: true, districts: [])
        let input = GroupPlanInput(rules: GroupPlanRules(minSize: 4, maxSize: 6), parents: mothers + fathers + [loner],
                                   facilitators: [trainer("t1"), key("k1", ["ti"])])
        let plan = try checkedPlan(input)
        #expect(plan.series.count == 1)
        #expect(plan.series.first?.audience == .mixed)
        #expect(plan.series.first?.place == "online")
        #expect(plan.unplaced.map(\.id) == ["x"])
        #expect(plan.unplaced.first?.reason == .belowMinimum)
    }

    @Test("sizes stay within minSize and maxSize; as few series as possible")
    func sizesAndCount() throws {
        let input = GroupPlanInput(parents: (1...31).map { parent("p\($0)") },
                                   facilitators: [trainer("t1"), key("k1", ["ti"])])
        let plan = try checkedPlan(input)
        #expect(plan.series.count == 3)        // 31 parents need three series of at most 15
        #expect(plan.series.map(\.parents.count).sorted() == [10, 10, 11])
        let fewer = GroupPlanInput(parents: (1...30).map { parent("p\($0)") }, facilitators: input.facilitators)
        #expect(try checkedPlan(fewer).series.count == 2)
    }

    @Test("running series keep their participants and facilitators; new parents fill their free places first")
    func existingSeries() throws {
        let running = ExistingSeries(id: "s1", language: "ti", audience: .mothers, time: .daytime, place: "D01",
                                     trainer: "t1", keyPerson: "k1", parents: (1...13).map { "old\($0)" })
        let input = GroupPlanInput(parents: (1...3).map { parent("p\($0)") },
                                   facilitators: [trainer("t1", max: 1), key("k1", ["ti"], max: 1)],
                                   existing: [running])
        let plan = try checkedPlan(input)
        #expect(plan.series.count == 1)
        #expect(plan.series[0].id == "s1")
        #expect(plan.series[0].parents == running.parents + ["p1", "p2"])
        #expect(plan.unplaced.map(\.id) == ["p3"])
        #expect(plan.unplaced[0].reason == .facilitatorsFullyBooked)
        #expect(plan.unplaced[0].explanation
            == "1 Tigrinya mother: the trainers and the key persons who speak Tigrinya in the daytime are fully booked")
    }

    @Test("a running series' facilitators are not moved to new series")
    func existingFacilitatorsStay() throws {
        let running = ExistingSeries(id: "s1", language: "ar", audience: .mothers, time: .daytime, place: "D01",
                                     trainer: "t1", keyPerson: "k1", parents: ["old1"])
        let input = GroupPlanInput(rules: GroupPlanRules(minSize: 2, maxSize: 15),
                                   parents: [parent("p1", ["so"]), parent("p2", ["so"])],
                                   facilitators: [trainer("t1", max: 2), key("k1", ["ar", "so"], max: 1)],
                                   existing: [running])
        let plan = try checkedPlan(input)
        #expect(plan.series.map(\.keyPerson) == ["k1"])
        #expect(plan.unplaced.map(\.reason) == [.facilitatorsFullyBooked, .facilitatorsFullyBooked])
    }

    @Test("reason codes and their sentences")
    func reasons() throws {
        let input = GroupPlanInput(
            parents: (1...3).map { parent("so\($0)", ["so"], .fathers) }               // below the minimum
                + (1...2).map { parent("am\($0)", ["am"]) }                             // nobody speaks Amharic
                + [parent("ti1", ["ti"], times: [.evening])]                            // Tigrinya only by day
                + [parent("ar1", ["ar"], times: [.evening])]                            // no trainer in the evening
                + [parent("nowhere", ["so"], .fathers, online: false, districts: [])],  // no place
            facilitators: [trainer("t1", times: [.daytime]), key("k1", ["so", "ar"]), key("k2", ["ti"], times: [.daytime])])
        let plan = try checkedPlan(input)
        let byID = Dictionary(uniqueKeysWithValues: plan.unplaced.map { ($0.id, $0) })
        #expect(plan.series.isEmpty)
        #expect(byID["so1"]?.reason == .belowMinimum)
        #expect(byID["so1"]?.explanation == "3 Somali fathers: below the minimum of 8 for a series")
        #expect(byID["am2"]?.reason == .noKeyPersonForLanguage)
        #expect(byID["am2"]?.explanation == "2 Amharic mothers: no key person speaks Amharic")
        #expect(byID["ti1"]?.reason == .noKeyPersonAtTime)
        #expect(byID["ti1"]?.explanation
            == "1 Tigrinya mother: no key person speaks Tigrinya in the evening, and no trainer works in the evening")
        #expect(byID["ar1"]?.reason == .noTrainerAtTime)
        #expect(byID["ar1"]?.explanation == "1 Arabic mother: no trainer works in the evening")
        #expect(byID["nowhere"]?.reason == .noMatchingPlace)
        #expect(plan.unplaced.map(\.id) == input.parents.map(\.id))   // input order
        // No personal data beyond ids: the sentences carry counts, languages, audiences and times.
        for entry in plan.unplaced { #expect(!entry.explanation.contains(entry.id)) }
    }

    @Test("the same input gives byte-identical output, whatever the order of the facilitators' languages")
    func deterministic() throws {
        var generator = SplitMix64(seed: 14)
        let input = randomInput(parents: 400, using: &generator)
        let first = try GroupPlanner.plan(input).jsonData()
        for _ in 0..<3 { #expect(try GroupPlanner.plan(input).jsonData() == first) }
        var reordered = input
        reordered.facilitators = input.facilitators.map { var f = $0; f.languages.reverse(); return f }
        #expect(try GroupPlanner.plan(reordered).jsonData() == first)
    }

    @Test("seeded random instances: every plan passes the checker and beats or equals first-come greedy",
          arguments: 1...12)
    func randomInstances(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        let input = randomInput(parents: 60 + seed * 25, using: &generator)
        let plan = try checkedPlan(input)
        #expect(plan.placedCount + plan.unplaced.count == input.parents.count)
        #expect(plan.placedCount >= firstComeGreedy(input))
    }

    @Test("the output JSON has the contract's keys")
    func outputKeys() throws {
        let input = GroupPlanInput(rules: GroupPlanRules(minSize: 1, maxSize: 2), parents: [parent("p1")],
                                   facilitators: [trainer("t1"), key("k1", ["ti"])])
        let object = try JSONSerialization.jsonObject(with: try GroupPlanner.plan(input).jsonData()) as? [String: Any]
        let series = (object?["series"] as? [[String: Any]])?.first
        #expect(Set(series?.keys.map { $0 } ?? []) == ["language", "audience", "time", "place", "trainer", "keyPerson", "parents"])
        #expect(series?["place"] as? String == "D01")
        #expect((object?["unplaced"] as? [Any])?.isEmpty == true)
    }
}

@Suite("Group planner: the checker")
struct GroupPlanCheckerTests {
    private let input = GroupPlanInput(rules: GroupPlanRules(minSize: 2, maxSize: 3),
                                       parents: [parent("a"), parent("b"), parent("c"), parent("d", ["so"])],
                                       facilitators: [trainer("t1", times: [.daytime], max: 1), key("k1", ["ti"], max: 1)])
    private var good: GroupPlan {
        GroupPlan(series: [PlannedSeries(language: "ti", audience: .mothers, time: .daytime, place: "D01", trainer: "t1",
                                         keyPerson: "k1", parents: ["a", "b"])],
                  unplaced: [UnplacedParent(id: "c", reason: .facilitatorsFullyBooked, explanation: "x"),
                             UnplacedParent(id: "d", reason: .noKeyPersonForLanguage, explanation: "y")])
    }

    @Test("a valid plan passes")
    func valid() { #expect(GroupPlanChecker.problems(good, for: input).isEmpty) }

    @Test("each broken rule is found", arguments: 0..<9)
    func broken(_ index: Int) {
        var plan = good
        switch index {
        case 0: plan.series[0].parents = ["a"]                                   // below minSize
        case 1: plan.series[0].parents += ["c", "d"]; plan.unplaced = []          // above maxSize, wrong language
        case 2: plan.series[0].time = .evening                                   // nobody works then
        case 3: plan.series[0].language = "so"                                   // key person does not speak it
        case 4: plan.series[0].trainer = "k1"                                    // a key person as trainer
        case 5: plan.series.append(plan.series[0]); plan.series[1].parents = ["c", "a"]; plan.unplaced.removeFirst()
        case 6: plan.unplaced.removeLast()                                       // d forgotten
        case 7: plan.series[0].place = "online"                                  // a is not online
        default: plan.series[0].audience = .mixed                                // nobody has mixedOk
        }
        #expect(!GroupPlanChecker.problems(plan, for: input).isEmpty)
    }
}

/// 12 languages, 3 audiences, 2 times, 6 districts plus online, scarce facilitators.
func randomInput(parents count: Int, using generator: inout SplitMix64) -> GroupPlanInput {
    let languages = ["ar", "ti", "fa", "so", "uk", "tr", "pl", "bg", "am", "ps", "ru", "en"]
    func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
    func chance(_ p: Double) -> Bool { Double(generator.next() % 1000) < p * 1000 }
    var parents: [WaitingParent] = []
    for i in 0..<count {
        let first = languages[min(Int(generator.next() % 8), Int(generator.next() % 12))]
        let langs = chance(0.25) ? [first, pick(languages.filter { $0 != first })] : [first]
        let home = Int(generator.next() % 6) + 1
        let districts = chance(0.5) ? ["D0\(home)", "D0\(home % 6 + 1)"] : ["D0\(home)"]
        parents.append(WaitingParent(id: "p\(i)", languages: langs, audience: pick([.mothers, .mothers, .fathers, .mixed]),
                                     mixedOk: chance(0.3), times: pick([[.daytime], [.evening], [.daytime, .evening]]),
                                     online: chance(0.25), districts: districts))
    }
    var facilitators: [Facilitator] = []
    for i in 0..<max(1, count / 60) {
        facilitators.append(Facilitator(id: "t\(i)", role: .trainer, languages: ["nl"],
                                        times: pick([[.daytime], [.evening], [.daytime, .evening]]),
                                        maxSeries: Int(generator.next() % 3) + 1))
    }
    for i in 0..<max(1, count / 40) {
        let first = pick(languages)
        facilitators.append(Facilitator(id: "k\(i)", role: .keyPerson,
                                        languages: chance(0.4) ? [first, pick(languages.filter { $0 != first })] : [first],
                                        times: pick([[.daytime], [.evening], [.daytime, .evening]]),
                                        maxSeries: Int(generator.next() % 2) + 1))
    }
    return GroupPlanInput(rules: GroupPlanRules(minSize: 4, maxSize: 8), parents: parents, facilitators: facilitators)
}

/// The plain reference: largest group first, first free facilitators, no rerouting.
func firstComeGreedy(_ input: GroupPlanInput) -> Int {
    var left = Dictionary(uniqueKeysWithValues: input.facilitators.map { ($0.id, $0.maxSeries) })
    var placed = Set<String>()
    var total = 0
    struct Kind: Hashable, Comparable {
        var language: String, audience: String, time: String, place: String
        static func < (a: Kind, b: Kind) -> Bool {
            (a.language, a.audience, a.time, a.place) < (b.language, b.audience, b.time, b.place)
        }
    }
    var waiting: [Kind: [String]] = [:]
    for p in input.parents {
        let audiences = [p.audience] + ((p.mixedOk && p.audience != .mixed) ? [.mixed] : [])
        for l in p.languages { for a in audiences { for t in p.times { for place in p.districts + (p.online ? [onlinePlace] : []) {
            waiting[Kind(language: l, audience: a.rawValue, time: t.rawValue, place: place), default: []].append(p.id)
        } } } }
    }
    let kinds = waiting.keys.sorted()
    while true {
        var best: (Kind, String, String, Int)?
        for kind in kinds {
            let count = waiting[kind]!.filter { !placed.contains($0) }.count
            guard count > (best?.3 ?? 0) else { continue }
            guard let t = input.facilitators.first(where: { $0.role == .trainer && left[$0.id]! > 0 && $0.times.map(\.rawValue).contains(kind.time) }),
                  let k = input.facilitators.first(where: { $0.role == .keyPerson && left[$0.id]! > 0
                      && $0.times.map(\.rawValue).contains(kind.time) && $0.languages.contains(kind.language) }) else { continue }
            best = (kind, t.id, k.id, count)
        }
        guard let (kind, t, k, count) = best, count >= input.rules.minSize else { return total }
        let members = waiting[kind]!.filter { !placed.contains($0) }.prefix(input.rules.maxSize)
        placed.formUnion(members)
        total += members.count
        left[t]! -= 1
        left[k]! -= 1
    }
}
