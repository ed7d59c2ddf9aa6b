import Foundation
import Testing
@testable import WegwijsCore

@Suite("Matching engine")
struct MatchEngineTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!

    /// An offer that every test family passes, changed per test.
    static func offer(_ id: Int, _ change: (inout OfferDraft) -> Void = { _ in }, municipality: String = "GM9901",
                      region: String? = "RG99", retired: Bool = false) -> MatchableOffer {
        var draft = OfferDraft(name: "Aanbod \(id)", description: "Test", kind: "informal", supportType: "parenting",
                               forms: ["group"], themes: ["school-system"], audience: "mixed", languages: ["ti"],
                               bridgeInterpreter: false, bridgeKeyPerson: false, minimumAge: 0, maximumAge: 18, phase: 2,
                               serviceAreas: ["municipality"],
                               locations: [OfferLocation(name: "Buurthuis", address: "Straat 1", postcode: "2312 AA", city: "Rijnstad")])
        change(&draft)
        return MatchableOffer(id: String(format: "00000000-0000-0000-0000-%012d", id), municipality: municipality, region: region,
                              retired: retired, offer: draft)
    }

    static let mother = MatchProfile(parents: [.init(gender: "female", languages: ["ti"], dutchLevel: "none")],
                                     children: [.init(age: 6)], situations: ["status-holder"],
                                     themes: [.init(code: "school-system", priority: "high")])

    func engine(_ offers: [MatchableOffer]) -> MatchEngine {
        MatchEngine(catalogue: offers, municipality: "GM9901", region: "RG99", today: Self.today)
    }

    func constraints(_ offer: MatchableOffer, _ profile: MatchProfile = mother) -> [MatchConstraint] {
        let result = engine([offer]).match(profile)
        return result.excluded.first?.constraints ?? []
    }

    @Test("the base offer fits the base family")
    func baseline() {
        let result = engine([Self.offer(1)]).match(Self.mother)
        #expect(result.matches.map(\.offerId) == [Self.offer(1).id])
        #expect(result.excluded.isEmpty)
    }

    @Test("area: another municipality's offer fits only if regional, nationwide or online")
    func area() {
        #expect(constraints(Self.offer(1, municipality: "GM9902")) == [.area])
        #expect(constraints(Self.offer(2, { $0.serviceAreas = ["region"] }, municipality: "GM9902")).isEmpty)
        #expect(constraints(Self.offer(3, { $0.serviceAreas = ["region"] }, municipality: "GM7777", region: "RG01")) == [.area])
        #expect(constraints(Self.offer(4, { $0.serviceAreas = ["nationwide"] }, municipality: "GM7777", region: "RG01")).isEmpty)
        #expect(constraints(Self.offer(5, { $0.forms = ["online"] }, municipality: "GM7777", region: "RG01")).isEmpty)
    }

    @Test("inactive: retired, not yet started, or ended")
    func inactive() {
        #expect(constraints(Self.offer(1, retired: true)) == [.inactive])
        #expect(constraints(Self.offer(2, { $0.activeFrom = "2027-01-01" })) == [.inactive])
        #expect(constraints(Self.offer(3, { $0.activeUntil = "2026-11-22" })) == [.inactive])
        #expect(constraints(Self.offer(4, { $0.activeFrom = "2026-11-23"; $0.activeUntil = "2026-11-23" })).isEmpty)
    }

    @Test("language: given in a parent's language or bridged; Dutch from B1, English when listed")
    func language() {
        #expect(constraints(Self.offer(1, { $0.languages = ["ar"] })) == [.language])
        #expect(constraints(Self.offer(2, { $0.languages = ["ar"]; $0.bridgeKeyPerson = true })).isEmpty)
        #expect(constraints(Self.offer(3, { $0.languages = ["ar"]; $0.bridgeInterpreter = true })).isEmpty)
        var a2 = Self.mother
        a2.parents = [.init(gender: "female", languages: ["nl"], dutchLevel: "A2")]
        #expect(constraints(Self.offer(4, { $0.languages = ["nl"] }), a2) == [.language])
        var b1 = Self.mother
        b1.parents = [.init(gender: "female", languages: [], dutchLevel: "B1")]
        #expect(constraints(Self.offer(5, { $0.languages = ["nl"] }), b1).isEmpty)
        var english = Self.mother
        english.parents = [.init(gender: "female", languages: ["en"], dutchLevel: "none")]
        #expect(constraints(Self.offer(6, { $0.languages = ["en"] }), english).isEmpty)
    }

    @Test("age: a child inside the range; a pregnant family counts an unborn child of 0")
    func age() {
        #expect(constraints(Self.offer(1, { $0.minimumAge = 12; $0.maximumAge = 18 })) == [.age])
        var pregnant = Self.mother
        pregnant.situations = ["pregnant"]
        #expect(constraints(Self.offer(2, { $0.minimumAge = 0; $0.maximumAge = 0; $0.forSituations = [] }), pregnant).isEmpty)
        #expect(constraints(Self.offer(3, { $0.minimumAge = 0; $0.maximumAge = 0 })) == [.age])
    }

    @Test("audience: mothers-only needs a mother, fathers-only a father")
    func audience() {
        #expect(constraints(Self.offer(1, { $0.audience = "fathers" })) == [.audience])
        #expect(constraints(Self.offer(2, { $0.audience = "mothers" })).isEmpty)
    }

    @Test("situation: only-for situations the family lacks, or a situation the offer excludes")
    func situation() {
        #expect(constraints(Self.offer(1, { $0.forSituations = ["asylum-seeker"] })) == [.situation])
        #expect(constraints(Self.offer(2, { $0.forSituations = ["status-holder", "asylum-seeker"] })).isEmpty)
        #expect(constraints(Self.offer(3, { $0.excludesSituations = ["status-holder"] })) == [.situation])
    }

    @Test("registration: an undocumented family and an offer that requires registration")
    func registration() {
        var undocumented = Self.mother
        undocumented.situations = ["undocumented"]
        #expect(constraints(Self.offer(1, { $0.registrationRequired = true }), undocumented) == [.registration])
        #expect(constraints(Self.offer(2, { $0.registrationRequired = false }), undocumented).isEmpty)
    }

    @Test("capacity: no free place and no waiting list")
    func capacity() {
        #expect(constraints(Self.offer(1, { $0.capacity = 10; $0.freePlaces = 0 })) == [.capacity])
        #expect(constraints(Self.offer(2, { $0.capacity = 10; $0.freePlaces = 0; $0.waitingList = true })).isEmpty)
    }

    @Test("every broken constraint is named, and an offer on none of the family's themes is neither match nor exclusion")
    func allNamed() {
        let offer = Self.offer(1, { $0.languages = ["ar"]; $0.audience = "fathers"; $0.freePlaces = 0 }, retired: true)
        #expect(Set(constraints(offer)) == [.language, .audience, .capacity, .inactive])
        let other = engine([Self.offer(2, { $0.themes = ["leisure"] })]).match(Self.mother)
        #expect(other.matches.isEmpty && other.excluded.isEmpty)
    }

    func order(_ offers: [MatchableOffer], _ profile: MatchProfile = mother) -> [String] {
        engine(offers).match(profile).matches.map(\.offerId)
    }

    @Test("ranking: themes by priority, native over bridged, preferences, childcare, distance, phase, free place, culture")
    func ranking() {
        var two = Self.mother
        two.themes = [.init(code: "school-system", priority: "low"), .init(code: "puberty", priority: "high")]
        #expect(order([Self.offer(1), Self.offer(2, { $0.themes = ["puberty"] })], two) == [Self.offer(2).id, Self.offer(1).id])
        #expect(order([Self.offer(1, { $0.languages = ["ar"]; $0.bridgeKeyPerson = true }), Self.offer(2)]) == [Self.offer(2).id, Self.offer(1).id])
        var prefers = Self.mother
        prefers.preferences = .init(forms: ["home-visit"], audience: "mothers", online: "any", time: "evening", childcare: true, postcode: "2312")
        #expect(order([Self.offer(1), Self.offer(2, { $0.forms = ["home-visit"] })], prefers) == [Self.offer(2).id, Self.offer(1).id])
        #expect(order([Self.offer(1), Self.offer(2, { $0.audience = "mothers" })], prefers) == [Self.offer(2).id, Self.offer(1).id])
        #expect(order([Self.offer(1, { $0.opensAt = "09:00" }), Self.offer(2, { $0.opensAt = "19:00" })], prefers) == [Self.offer(2).id, Self.offer(1).id])
        #expect(order([Self.offer(1), Self.offer(2, { $0.childcare = true })], prefers) == [Self.offer(2).id, Self.offer(1).id])
        let far = Self.offer(1, { $0.locations = [OfferLocation(name: "Ver", postcode: "9999 ZZ", city: "Elders")] })
        #expect(order([far, Self.offer(2)], prefers) == [Self.offer(2).id, far.id])
        #expect(engine([far]).match(prefers).matches.first?.warnings.map(\.code).contains("distance") == true)
        // Start slowly: in the first weeks after settlement, information first; urgent lifts that.
        var newcomer = Self.mother
        newcomer.settledOn = Self.today.adding(days: -20).iso
        let information = Self.offer(1, { $0.supportType = "information"; $0.phase = 1 })
        let course = Self.offer(2, { $0.supportType = "parenting"; $0.phase = 2; $0.culture = ["own-language", "demand-led"] })
        #expect(order([course, information], newcomer) == [information.id, course.id])
        newcomer.urgent = true
        #expect(order([course, information], newcomer) == [course.id, information.id])
        // A free place over a waiting list (with a warning).
        let waiting = Self.offer(1, { $0.freePlaces = 0; $0.waitingList = true })
        #expect(order([waiting, Self.offer(2)]) == [Self.offer(2).id, waiting.id])
        #expect(engine([waiting]).match(Self.mother).matches.first?.warnings.map(\.code) == ["waiting-list"])
        // The culture-sensitivity profile breaks what is otherwise equal.
        #expect(order([Self.offer(1), Self.offer(2, { $0.culture = ["own-language"] })]) == [Self.offer(2).id, Self.offer(1).id])
        // Equal scores: by offer id.
        #expect(order([Self.offer(3), Self.offer(1), Self.offer(2)]) == [Self.offer(1).id, Self.offer(2).id, Self.offer(3).id])
    }

    @Test("reasons and warnings come as codes with Dutch and English sentences")
    func explanations() throws {
        let bridged = Self.offer(1, { $0.languages = ["ar"]; $0.bridgeKeyPerson = true; $0.registrationRequired = true })
        let match = try #require(engine([bridged]).match(Self.mother).matches.first)
        #expect(match.themes == ["school-system"])
        #expect(match.reasons.first?.code == "themes")
        #expect(Set(match.warnings.map(\.code)) == ["bridged-language", "registration"])
        #expect(match.warnings.allSatisfy { !$0.nl.isEmpty && !$0.en.isEmpty })
    }

    @Test("bad profiles are refused field by field")
    func validation() {
        let bad = MatchProfile(parents: [], children: [.init(age: -1)], situations: ["alien"], themes: [],
                               preferences: .init(forms: ["rocket"], postcode: "23A"))
        let fields = Set(bad.validate().map(\.field))
        #expect(fields == ["parents", "children.0.age", "situations", "themes", "preferences.forms", "preferences.postcode"])
        #expect(Self.mother.validate().isEmpty)
    }

    // MARK: properties over generated catalogues and families

    /// A small deterministic generator (SplitMix64), so every run sees the same cases.
    struct Generator {
        var random: SplitMix64
        init(state: UInt64) { random = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { random.next() }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
        mutating func some<T>(_ values: [T], max: Int) -> [T] { (0..<int(0...max)).map { _ in pick(values) } }
        mutating func bool() -> Bool { next() & 1 == 1 }
    }

    static let languages = ["nl", "en", "ar", "ti", "fa", "so", "tr", "pl"]

    static func randomOffer(_ id: Int, _ g: inout Generator) -> MatchableOffer {
        offer(id, { draft in
            draft.themes = Array(Set(g.some(Theme.allCodes, max: 3) + [g.pick(Theme.allCodes)]))
            draft.languages = Array(Set(g.some(languages, max: 2) + [g.pick(languages)]))
            draft.bridgeKeyPerson = g.int(0...3) == 0
            draft.minimumAge = g.int(0...10)
            draft.maximumAge = draft.minimumAge! + g.int(0...10)
            draft.audience = g.pick(["mixed", "mixed", "mothers", "fathers"])
            draft.forSituations = g.int(0...3) == 0 ? [g.pick(Situation.allCodes)] : []
            draft.excludesSituations = g.int(0...6) == 0 ? [g.pick(Situation.allCodes)] : []
            draft.registrationRequired = g.bool()
            draft.freePlaces = g.pick([nil, 0, 3])
            draft.waitingList = g.bool()
            draft.forms = [g.pick(OfferForm.allCodes)]
            draft.serviceAreas = [g.pick(ServiceArea.allCodes)]
            draft.supportType = g.pick(SupportType.allCodes)
            draft.culture = g.some(CultureItem.allCodes, max: 4)
        }, municipality: g.pick(["GM9901", "GM9901", "GM9902", "GM7777"]), region: g.pick(["RG99", "RG01"]), retired: g.int(0...9) == 0)
    }

    static func randomFamily(_ g: inout Generator) -> MatchProfile {
        MatchProfile(
            parents: (0..<g.int(1...2)).map { _ in .init(gender: g.pick(["female", "male"]), languages: g.some(languages, max: 2),
                                                         dutchLevel: g.pick(DutchLevel.allCodes)) },
            children: (0..<g.int(0...3)).map { _ in .init(age: g.int(0...17)) },
            situations: g.some(Situation.allCodes, max: 2),
            themes: (0..<g.int(1...3)).map { _ in .init(code: g.pick(Theme.allCodes), priority: g.pick(["high", "normal", "low"])) },
            preferences: .init(forms: g.some(OfferForm.allCodes, max: 2), audience: g.pick(["mixed", "mothers", "fathers"]),
                               online: g.pick(["yes", "no", "any"]), time: g.pick(["daytime", "evening", "any"]),
                               childcare: g.bool(), postcode: g.pick(["2312", "23", "9999"])),
            settledOn: g.bool() ? today.adding(days: -g.int(0...200)).iso : nil, urgent: g.int(0...4) == 0)
    }

    @Test("matching many families on all cores gives the same as one by one, and a limit keeps the best")
    func batch() {
        var g = Generator(state: 7)
        let catalogue = (0..<300).map { Self.randomOffer($0, &g) }
        let engine = engine(catalogue)
        let families = (0..<200).map { _ in Self.randomFamily(&g) }
        let all = engine.matchAll(families, limit: 5)
        for (family, result) in zip(families, all) {
            let single = engine.match(family, withExclusions: false)
            #expect(result.matches == Array(single.matches.prefix(5)))
        }
    }

    @Test("no returned match ever breaks a hard constraint, each addresses a theme, and the same input gives the same output")
    func properties() {
        var g = Generator(state: 42)
        let catalogue = (0..<400).map { Self.randomOffer($0, &g) }
        let engine = engine(catalogue)
        let reversed = MatchEngine(catalogue: catalogue.reversed(), municipality: "GM9901", region: "RG99", today: Self.today)
        for _ in 0..<300 {
            let family = Self.randomFamily(&g)
            let result = engine.match(family)
            for match in result.matches {
                let why = engine.whyNot(family, offerId: match.offerId)
                #expect(why?.constraints == [], "\(match.offerId) breaks \(String(describing: why))")
                #expect(why?.coversTheme == true)
            }
            for exclusion in result.excluded { #expect(!exclusion.constraints.isEmpty) }
            // Deterministic: again, and with the catalogue in another order.
            #expect(engine.match(family) == result)
            #expect(reversed.match(family) == result)
            // The same order as scoring every offer and sorting everything.
            #expect(engine.matchNaively(family) == result.matches.map(\.offerId))
            // Scores never increase down the list; ties by id.
            for (a, b) in zip(result.matches, result.matches.dropFirst()) {
                #expect(a.score > b.score || (a.score == b.score && a.offerId < b.offerId))
            }
        }
    }
}

@Suite("Match JSON")
struct MatchJSONTests {
    @Test("the hand-written JSON is the same document as JSONEncoder's, also with quotes and control characters")
    func sameDocument() throws {
        var g = MatchEngineTests.Generator(state: 3)
        var catalogue = (0..<150).map { MatchEngineTests.randomOffer($0, &g) }
        catalogue.append(MatchEngineTests.offer(999, { $0.name = "Quote \" back\\slash\nnew line\ttab é ትግርኛ \u{1}" }))
        let engine = MatchEngine(catalogue: catalogue, municipality: "GM9901", region: "RG99", today: MatchEngineTests.today)
        for _ in 0..<40 {
            let result = engine.match(MatchEngineTests.randomFamily(&g))
            let fast = try JSONSerialization.jsonObject(with: Data(result.jsonBytes())) as? NSDictionary
            let reference = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? NSDictionary
            #expect(fast == reference)
        }
        let special = engine.match(MatchEngineTests.mother)
        let parsed = try JSONSerialization.jsonObject(with: Data(special.jsonBytes())) as? [String: Any]
        #expect(((parsed?["matches"] as? [[String: Any]]) ?? []).contains { ($0["name"] as? String)?.hasPrefix("Quote \" back\\slash\nnew line") == true })
    }

    @Test("a page of the matches: the window of the ranked list, the total, and the exclusions only when asked")
    func page() throws {
        var g = MatchEngineTests.Generator(state: 11)
        let catalogue = (0..<300).map { MatchEngineTests.randomOffer($0, &g) }
        let engine = MatchEngine(catalogue: catalogue, municipality: "GM9901", region: "RG99", today: MatchEngineTests.today)
        var checked = 0
        for round in 0..<60 {
            let result = engine.match(MatchEngineTests.randomFamily(&g))
            guard result.matches.count > 3 else { continue }
            checked += 1
            let window = MatchWindow(offset: round % 4, limit: 1 + round % 25, includeExcluded: round % 2 == 0)
            let fast = try JSONSerialization.jsonObject(with: Data(result.jsonBytes(window))) as? NSDictionary
            let reference = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result.page(window))) as? NSDictionary
            #expect(fast == reference)
            let page = result.page(window)
            #expect(page.total == result.matches.count)
            #expect(page.matches.map(\.offerId) == Array(result.matches.dropFirst(window.offset).prefix(window.limit)).map(\.offerId))
            #expect((fast?["excluded"] != nil) == window.includeExcluded)
        }
        #expect(checked > 10)
        // Past the end: no matches, the total still told.
        let result = engine.match(MatchEngineTests.mother)
        let beyond = result.page(MatchWindow(offset: result.matches.count + 5))
        #expect(beyond.matches.isEmpty && beyond.total == result.matches.count && beyond.excluded == nil)
        #expect(result.page(MatchWindow()).matches.count == min(MatchWindow.defaultLimit, result.matches.count))
    }
}
