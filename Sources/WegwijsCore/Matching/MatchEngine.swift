import Foundation

/// An offer as the engine sees it: the catalogue record plus where it belongs.
public struct MatchableOffer: Sendable {
    /// The offer's id (its HSDS id), lower-case.
    public let id: String
    public let municipality: String
    public let region: String?
    public let retired: Bool
    public let offer: OfferDraft

    public init(id: String, municipality: String, region: String?, retired: Bool, offer: OfferDraft) {
        self.id = id.lowercased()
        self.municipality = municipality
        self.region = region
        self.retired = retired
        self.offer = offer
    }
}

/// The hard constraints (issue 7): an offer that breaks one is excluded, named by its code.
public enum MatchConstraint: String, Codable, Sendable, CaseIterable {
    case area, inactive, language, age, audience, situation, registration, capacity
}

public struct MatchResult: Codable, Sendable, Equatable {
    /// A match. Its themes, reasons and warnings are kept as bits while matching (no allocation per offer) and
    /// spelled out as codes and sentences when read or encoded.
    public struct Match: Codable, Sendable, Equatable {
        public let offerId: String
        public let name: String
        public let score: Int
        let themeBits: UInt32
        let reasonBits: UInt16
        let warningBits: UInt8

        init(offerId: String, name: String, score: Int, themeBits: UInt32, reasonBits: UInt16, warningBits: UInt8) {
            self.offerId = offerId
            self.name = name
            self.score = score
            self.themeBits = themeBits
            self.reasonBits = reasonBits
            self.warningBits = warningBits
        }

        public var themes: [String] { MatchEngine.themeCodes.indices.filter { themeBits & (1 << $0) != 0 }.map { MatchEngine.themeCodes[$0] } }
        public var reasons: [Explanation] {
            [Explain.themes(themes)] + Explain.reasons.indices.filter { reasonBits & (1 << $0) != 0 }.map { Explain.reasons[$0] }
        }
        public var warnings: [Explanation] { Explain.warnings.indices.filter { warningBits & (1 << $0) != 0 }.map { Explain.warnings[$0] } }

        enum CodingKeys: String, CodingKey { case offerId, name, score, themes, reasons, warnings }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(offerId, forKey: .offerId)
            try c.encode(name, forKey: .name)
            try c.encode(score, forKey: .score)
            try c.encode(themes, forKey: .themes)
            try c.encode(reasons, forKey: .reasons)
            try c.encode(warnings, forKey: .warnings)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            offerId = try c.decode(String.self, forKey: .offerId)
            name = try c.decode(String.self, forKey: .name)
            score = try c.decode(Int.self, forKey: .score)
            themeBits = MatchEngine.bits(try c.decode([String].self, forKey: .themes), MatchEngine.themeIndex, as: UInt32.self)
            let reasonCodes = Set(try c.decode([Explanation].self, forKey: .reasons).map(\.code))
            let warningCodes = Set(try c.decode([Explanation].self, forKey: .warnings).map(\.code))
            reasonBits = Explain.reasons.indices.reduce(UInt16(0)) { reasonCodes.contains(Explain.reasons[$1].code) ? $0 | (1 << $1) : $0 }
            warningBits = Explain.warnings.indices.reduce(UInt8(0)) { warningCodes.contains(Explain.warnings[$1].code) ? $0 | (1 << $1) : $0 }
        }
    }

    public struct Exclusion: Codable, Sendable, Equatable {
        public let offerId: String
        public let name: String
        let constraintBits: UInt8

        init(offerId: String, name: String, constraintBits: UInt8) {
            self.offerId = offerId
            self.name = name
            self.constraintBits = constraintBits
        }

        /// Every constraint the offer breaks, in the order of `MatchConstraint.allCases`.
        public var constraints: [MatchConstraint] {
            MatchConstraint.allCases.enumerated().filter { constraintBits & (1 << $0.offset) != 0 }.map(\.element)
        }

        enum CodingKeys: String, CodingKey { case offerId, name, constraints }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(offerId, forKey: .offerId)
            try c.encode(name, forKey: .name)
            try c.encode(constraints, forKey: .constraints)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            offerId = try c.decode(String.self, forKey: .offerId)
            name = try c.decode(String.self, forKey: .name)
            let codes = try c.decode([MatchConstraint].self, forKey: .constraints)
            constraintBits = MatchConstraint.allCases.enumerated().reduce(UInt8(0)) { codes.contains($1.element) ? $0 | (1 << $1.offset) : $0 }
        }
    }

    /// A reason or warning: a stable code and the plain sentence in Dutch and English.
    public struct Explanation: Codable, Sendable, Equatable {
        public let code: String
        public let nl: String
        public let en: String
    }

    public var matches: [Match]
    /// Offers on at least one of the family's themes that break a hard constraint.
    public var excluded: [Exclusion]
}

/// The matching engine: a catalogue snapshot, compiled once, against family profiles. Pure and deterministic: no
/// I/O, no clock of its own (`today` is given), equal scores ordered by offer id.
///
/// Speed: every offer is compiled into a small value of bit masks and flags (`Hot`), so checking the hard
/// constraints and scoring an offer for a family is a handful of integer operations with no allocation and no
/// reference counting; the sentences are only built for the matches returned.
public struct MatchEngine: Sendable {
    /// Before this many weeks after settlement, "start slowly" (R39): information and phase-1 offers rank high.
    public static let settlingWeeks = 12

    /// What the constraints and the ranking need of an offer.
    struct Hot: Sendable {
        var themes: UInt32 = 0
        var forms: UInt16 = 0
        var situationsFor: UInt16 = 0
        var situationsExcluded: UInt16 = 0
        var languages: UInt64 = 0
        /// Ages 0…31 the offer takes, as bits.
        var ages: UInt32 = 0
        /// 0 mixed, 1 mothers, 2 fathers.
        var audience: UInt8 = 0
        var flags: UInt16 = 0
        /// The first location's postcode digits (4), or -1.
        var postcode: Int16 = -1
        var culture: UInt8 = 0
    }

    struct Flag {
        static let bridges: UInt16 = 1 << 0
        static let online: UInt16 = 1 << 1
        static let evening: UInt16 = 1 << 2
        static let inArea: UInt16 = 1 << 3
        static let active: UInt16 = 1 << 4
        static let registration: UInt16 = 1 << 5
        static let full: UInt16 = 1 << 6
        static let gentle: UInt16 = 1 << 7
        static let waiting: UInt16 = 1 << 8
        static let childcare: UInt16 = 1 << 9
        static let hasOpensAt: UInt16 = 1 << 10
        static let onlineOnly: UInt16 = 1 << 11
        /// Given in a language beyond the 64 the masks hold: the language check falls back to the codes.
        static let manyLanguages: UInt16 = 1 << 12
        static let hasPostcode: UInt16 = 1 << 13
    }

    let hot: [Hot]
    let sources: [MatchableOffer]
    let languageSets: [Set<String>]
    let languageBits: [String: Int]
    public let municipality: String
    public let region: String?
    public let today: CalendarDate

    static let themeCodes = Theme.allCodes
    static let themeIndex: [String: Int] = Dictionary(uniqueKeysWithValues: themeCodes.enumerated().map { ($1, $0) })
    static let formIndex: [String: Int] = Dictionary(uniqueKeysWithValues: OfferForm.allCodes.enumerated().map { ($1, $0) })
    static let situationIndex: [String: Int] = Dictionary(uniqueKeysWithValues: Situation.allCodes.enumerated().map { ($1, $0) })

    static func bits<T: FixedWidthInteger>(_ codes: [String], _ index: [String: Int], as _: T.Type) -> T {
        codes.reduce(T(0)) { result, code in index[code].map { result | (T(1) << $0) } ?? result }
    }

    static func ageBits(_ minimum: Int, _ maximum: Int) -> UInt32 {
        let low = max(0, min(31, minimum)), high = max(0, min(31, maximum))
        guard low <= high else { return 0 }
        var mask: UInt32 = 0
        for age in low...high { mask |= 1 << UInt32(age) }
        return mask
    }

    static func postcodeDigits(_ text: String?) -> Int16 {
        guard let digits = text.map({ String($0.filter(\.isASCIIDigitCharacter).prefix(4)) }), digits.count == 4 else { return -1 }
        return Int16(digits) ?? -1
    }

    /// Compiles the catalogue for the families of `municipality` (in `region`), as of `today`.
    public init(catalogue: [MatchableOffer], municipality: String, region: String?, today: CalendarDate) {
        self.municipality = municipality
        self.region = region
        self.today = today
        // Sorted by id once, so every later order and tie-break is by id.
        let sorted = catalogue.sorted(by: { $0.id < $1.id })
        var languageBits: [String: Int] = [:]
        for offer in sorted { for language in offer.offer.languages where languageBits[language] == nil && languageBits.count < 64 {
            languageBits[language] = languageBits.count
        } }
        var hot: [Hot] = []
        hot.reserveCapacity(sorted.count)
        for source in sorted {
            let offer = source.offer
            let areas = offer.serviceAreas
            let online = offer.forms.contains("online") || areas.contains("online")
            // area: its own municipality, its region, nationwide or online.
            let inArea = online || areas.contains("nationwide")
                || (source.municipality == municipality && (areas.isEmpty || areas.contains("municipality") || areas.contains("region")))
                || (region != nil && source.region == region && areas.contains("region"))
            let from = offer.activeFrom.flatMap(CalendarDate.init(iso:))
            let until = offer.activeUntil.flatMap(CalendarDate.init(iso:))
            let active = !source.retired && !(from.map { today < $0 } ?? false) && !(until.map { today > $0 } ?? false)
            var h = Hot()
            h.themes = Self.bits(offer.themes, Self.themeIndex, as: UInt32.self)
            h.forms = Self.bits(offer.forms, Self.formIndex, as: UInt16.self)
            h.situationsFor = Self.bits(offer.forSituations, Self.situationIndex, as: UInt16.self)
            h.situationsExcluded = Self.bits(offer.excludesSituations, Self.situationIndex, as: UInt16.self)
            h.languages = Self.bits(offer.languages, languageBits, as: UInt64.self)
            h.ages = Self.ageBits(offer.minimumAge ?? 0, offer.maximumAge ?? 99)
            h.audience = offer.audience == "mothers" ? 1 : offer.audience == "fathers" ? 2 : 0
            h.postcode = Self.postcodeDigits(offer.locations.first?.postcode)
            h.culture = UInt8(min(offer.culture.count, 10))
            var flags: UInt16 = 0
            if offer.bridgeInterpreter || offer.bridgeKeyPerson { flags |= Flag.bridges }
            if online { flags |= Flag.online }
            if offer.isEvening { flags |= Flag.evening }
            if inArea { flags |= Flag.inArea }
            if active { flags |= Flag.active }
            if offer.registrationRequired { flags |= Flag.registration }
            if offer.freePlaces == 0 && !offer.waitingList { flags |= Flag.full }
            if offer.supportType == "information" || offer.phase == 1 { flags |= Flag.gentle }
            if offer.waitingList && offer.freePlaces == 0 { flags |= Flag.waiting }
            if offer.childcare { flags |= Flag.childcare }
            if offer.opensAt != nil { flags |= Flag.hasOpensAt }
            if online && offer.locations.isEmpty { flags |= Flag.onlineOnly }
            if offer.languages.contains(where: { languageBits[$0] == nil }) { flags |= Flag.manyLanguages }
            if offer.locations.contains(where: { $0.postcode != nil }) { flags |= Flag.hasPostcode }
            h.flags = flags
            hot.append(h)
        }
        self.hot = hot
        self.sources = sorted
        self.languageSets = sorted.map { Set($0.offer.languages) }
        self.languageBits = languageBits
    }

    // MARK: the family, prepared once per match

    struct Family {
        let profile: MatchProfile
        let themes: UInt32
        /// (theme bit, weight), by bit: the order the themes are reported in.
        let weightList: [(bit: Int, weight: Int)]
        let situations: UInt16
        let languages: Set<String>
        let languageMask: UInt64
        let ages: UInt32
        let hasMother: Bool
        let hasFather: Bool
        let undocumented: Bool
        let settling: Bool
        let preferredForms: UInt16
        /// 0 none (or mixed), 1 mothers, 2 fathers.
        let preferredAudience: UInt8
        /// 0 any, 1 daytime, 2 evening.
        let preferredTime: UInt8
        /// 0 any, 1 yes, 2 no.
        let preferredOnline: UInt8
        let childcare: Bool
        /// The postcode's 4 digits, or -1; its first 2 digits, or -1.
        let postcode4: Int16
        let postcode2: Int16
    }

    func prepare(_ profile: MatchProfile) -> Family {
        var languages = Set<String>()
        for parent in profile.parents {
            for language in parent.languages where language != "nl" { languages.insert(language) }
            // Dutch counts as spoken from level B1 (also when listed).
            if ["B1", "B2+"].contains(parent.dutchLevel ?? "") { languages.insert("nl") }
        }
        var ages: UInt32 = 0
        for child in profile.children ?? [] where (0...31).contains(child.age) { ages |= 1 << UInt32(child.age) }
        if (profile.situations ?? []).contains("pregnant") { ages |= 1 }
        var weights: [Int: Int] = [:]
        for theme in profile.themes { if let bit = Self.themeIndex[theme.code] { weights[bit] = max(weights[bit] ?? 0, theme.weight) } }
        let settling: Bool
        if profile.urgent == true { settling = false }
        else if let settled = profile.settledOn.flatMap(CalendarDate.init(iso:)) { settling = today < settled.adding(days: 7 * Self.settlingWeeks) }
        else { settling = false }
        let preferences = profile.preferences
        let postcode = preferences?.postcode ?? ""
        return Family(
            profile: profile, themes: Self.bits(profile.themes.map(\.code), Self.themeIndex, as: UInt32.self),
            weightList: weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            situations: Self.bits(profile.situations ?? [], Self.situationIndex, as: UInt16.self), languages: languages,
            languageMask: Self.bits(Array(languages), languageBits, as: UInt64.self), ages: ages,
            hasMother: profile.parents.contains { $0.gender == "female" }, hasFather: profile.parents.contains { $0.gender == "male" },
            undocumented: (profile.situations ?? []).contains("undocumented"), settling: settling,
            preferredForms: Self.bits(preferences?.forms ?? [], Self.formIndex, as: UInt16.self),
            preferredAudience: preferences?.audience == "mothers" ? 1 : preferences?.audience == "fathers" ? 2 : 0,
            preferredTime: preferences?.time == "daytime" ? 1 : preferences?.time == "evening" ? 2 : 0,
            preferredOnline: preferences?.online == "yes" ? 1 : preferences?.online == "no" ? 2 : 0,
            childcare: preferences?.childcare == true,
            postcode4: postcode.count == 4 ? (Int16(postcode) ?? -1) : -1,
            postcode2: postcode.count >= 2 ? (Int16(postcode.prefix(2)) ?? -1) : -1)
    }

    // MARK: hard constraints

    @inline(__always)
    func speaks(_ index: Int, _ family: Family) -> Bool {
        let h = hot[index]
        if h.languages & family.languageMask != 0 { return true }
        return h.flags & Flag.manyLanguages != 0 && !languageSets[index].isDisjoint(with: family.languages)
    }

    /// The constraints `index` breaks for `family`, as bits in the order of `MatchConstraint.allCases`.
    func brokenBits(_ index: Int, _ family: Family) -> UInt8 {
        let h = hot[index]
        var bits: UInt8 = 0
        if h.flags & Flag.inArea == 0 { bits |= 1 << 0 }
        if h.flags & Flag.active == 0 { bits |= 1 << 1 }
        if h.flags & Flag.bridges == 0 && !speaks(index, family) { bits |= 1 << 2 }
        if h.ages & family.ages == 0 { bits |= 1 << 3 }
        if (h.audience == 1 && !family.hasMother) || (h.audience == 2 && !family.hasFather) { bits |= 1 << 4 }
        if (h.situationsFor != 0 && h.situationsFor & family.situations == 0) || h.situationsExcluded & family.situations != 0 { bits |= 1 << 5 }
        if family.undocumented && h.flags & Flag.registration != 0 { bits |= 1 << 6 }
        if h.flags & Flag.full != 0 { bits |= 1 << 7 }
        return bits
    }

    func broken(_ index: Int, _ family: Family) -> [MatchConstraint] {
        MatchResult.Exclusion(offerId: "", name: "", constraintBits: brokenBits(index, family)).constraints
    }

    /// The same test as `broken(_:_:).isEmpty`, without building the list (the hot path).
    @inline(__always)
    func fits(_ index: Int, _ family: Family) -> Bool {
        let h = hot[index]
        let required = Flag.inArea | Flag.active
        guard h.flags & required == required, h.flags & Flag.full == 0, h.ages & family.ages != 0 else { return false }
        if family.undocumented && h.flags & Flag.registration != 0 { return false }
        if (h.audience == 1 && !family.hasMother) || (h.audience == 2 && !family.hasFather) { return false }
        if (h.situationsFor != 0 && h.situationsFor & family.situations == 0) || h.situationsExcluded & family.situations != 0 { return false }
        return h.flags & Flag.bridges != 0 || speaks(index, family)
    }

    // MARK: ranking


    /// The ranking rules in order (issue 7): themes by priority; native language over bridged; preferred form,
    /// audience, time, online; childcare when needed; distance from the postcode; phase fit ("start slowly"); a free
    /// place over a waiting list; the culture-sensitivity profile.
    @inline(__always)
    func points(_ index: Int, _ family: Family) -> Int {
        let h = hot[index]
        var score = 0
        for (bit, weight) in family.weightList where h.themes & (1 << bit) != 0 { score += 100 * weight }
        score += speaks(index, family) ? 40 : 10
        if family.preferredForms != 0 && h.forms & family.preferredForms != 0 { score += 20 }
        if family.preferredAudience != 0 && h.audience == family.preferredAudience { score += 15 }
        let evening = h.flags & Flag.evening != 0
        if (family.preferredTime == 2 && evening) || (family.preferredTime == 1 && !evening && h.flags & Flag.hasOpensAt != 0) { score += 10 }
        if family.preferredOnline == 1 && h.flags & Flag.online != 0 { score += 10 }
        if family.preferredOnline == 2 && h.flags & Flag.onlineOnly != 0 { score -= 20 }
        if family.childcare && h.flags & Flag.childcare != 0 { score += 15 }
        if family.postcode2 >= 0 && h.flags & Flag.online == 0 && h.postcode >= 0 {
            if (family.postcode4 >= 0 && h.postcode == family.postcode4) || (family.postcode4 < 0 && h.postcode / 100 == family.postcode2) {
                score += 10
            } else if h.postcode / 100 == family.postcode2 {
                score += 5
            }
        }
        if family.settling { score += h.flags & Flag.gentle != 0 ? 25 : -25 }
        if h.flags & Flag.waiting == 0 { score += 5 }
        score += Int(h.culture)
        return score
    }

    /// Which reasons and warnings apply (bits in the order of `Explain.reasons` and `Explain.warnings`).
    func explanationBits(_ index: Int, _ family: Family) -> (reasons: UInt16, warnings: UInt8) {
        let h = hot[index]
        var reasons: UInt16 = 0
        var warnings: UInt8 = 0
        if speaks(index, family) { reasons |= 1 << 0 } else { warnings |= 1 << 0 }
        if family.preferredForms != 0 && h.forms & family.preferredForms != 0 { reasons |= 1 << 1 }
        if family.preferredAudience != 0 && h.audience == family.preferredAudience { reasons |= 1 << 2 }
        let evening = h.flags & Flag.evening != 0
        if (family.preferredTime == 2 && evening) || (family.preferredTime == 1 && !evening && h.flags & Flag.hasOpensAt != 0) { reasons |= 1 << 3 }
        if family.preferredOnline == 1 && h.flags & Flag.online != 0 { reasons |= 1 << 4 }
        if family.childcare && h.flags & Flag.childcare != 0 { reasons |= 1 << 5 }
        if family.postcode2 >= 0 && h.flags & Flag.online == 0 && h.postcode >= 0 {
            if (family.postcode4 >= 0 && h.postcode == family.postcode4) || (family.postcode4 < 0 && h.postcode / 100 == family.postcode2) {
                reasons |= 1 << 6
            } else if h.postcode / 100 != family.postcode2 {
                warnings |= 1 << 1
            }
        }
        if family.settling && h.flags & Flag.gentle != 0 { reasons |= 1 << 7 }
        if h.flags & Flag.waiting != 0 { warnings |= 1 << 2 }
        if h.flags & Flag.registration != 0 { warnings |= 1 << 3 }
        return (reasons, warnings)
    }

    func makeMatch(_ index: Int, _ score: Int, _ family: Family) -> MatchResult.Match {
        let bits = explanationBits(index, family)
        return MatchResult.Match(offerId: sources[index].id, name: sources[index].offer.name, score: score,
                                 themeBits: hot[index].themes & family.themes, reasonBits: bits.reasons, warningBits: bits.warnings)
    }

    // MARK: matching

    /// Ranked matches (at most `limit`, all when nil) and the offers on the family's themes that are excluded.
    /// (The themes of a match are the family's themes it covers.)
    public func match(_ profile: MatchProfile, limit: Int? = nil, withExclusions: Bool = true) -> MatchResult {
        let family = prepare(profile)
        var ranked: [(score: Int, index: Int)] = []
        var excluded: [MatchResult.Exclusion] = []
        // One pass over the compact offers; indices follow the ids, so the order is by id already.
        for index in hot.indices where hot[index].themes & family.themes != 0 {
            if fits(index, family) {
                ranked.append((points(index, family), index))
            } else if withExclusions {
                excluded.append(.init(offerId: sources[index].id, name: sources[index].offer.name, constraintBits: brokenBits(index, family)))
            }
        }
        let order: ((score: Int, index: Int), (score: Int, index: Int)) -> Bool = { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        let kept: [(score: Int, index: Int)]
        if let limit, limit < ranked.count {
            kept = Self.top(ranked, limit, by: order)
        } else {
            ranked.sort(by: order)
            kept = ranked
        }
        return MatchResult(matches: kept.map { makeMatch($0.index, $0.score, family) }, excluded: excluded)
    }

    /// The first `k` in order, without sorting everything: a bounded insertion into a small sorted buffer.
    static func top<T>(_ items: [T], _ k: Int, by before: (T, T) -> Bool) -> [T] {
        var best: [T] = []
        best.reserveCapacity(k + 1)
        for item in items {
            if best.count == k, let last = best.last, !before(item, last) { continue }
            var position = best.count
            while position > 0 && before(item, best[position - 1]) { position -= 1 }
            best.insert(item, at: position)
            if best.count > k { best.removeLast() }
        }
        return best
    }

    /// Every profile, on all cores; results in input order.
    public func matchAll(_ profiles: [MatchProfile], limit: Int?) -> [MatchResult] {
        let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4
        let size = (profiles.count + chunks - 1) / chunks
        let results = UnsafeResults(count: profiles.count)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            let end = min(start + size, profiles.count)
            guard start < end else { return }
            for index in start..<end { results.set(index, match(profiles[index], limit: limit, withExclusions: false)) }
        }
        return results.values.map { $0! }
    }

    /// "Why not?" for any offer: the hard constraints it breaks for this family (empty: it fits), and whether it
    /// addresses any of the family's themes.
    public func whyNot(_ profile: MatchProfile, offerId: String) -> (constraints: [MatchConstraint], coversTheme: Bool)? {
        guard let index = sources.firstIndex(where: { $0.id == offerId.lowercased() }) else { return nil }
        let family = prepare(profile)
        return (broken(index, family), hot[index].themes & family.themes != 0)
    }

    /// The reference implementation for the benchmark: every offer checked constraint by constraint and scored with
    /// its explanations, everything sorted.
    public func matchNaively(_ profile: MatchProfile) -> [String] {
        let family = prepare(profile)
        var all: [(Int, String)] = []
        for index in sources.indices where hot[index].themes & family.themes != 0 && broken(index, family).isEmpty {
            let match = makeMatch(index, points(index, family), family)
            _ = (match.reasons, match.warnings)
            all.append((match.score, match.offerId))
        }
        all.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        return all.map(\.1)
    }
}

/// Slots written by disjoint ranges of indices from `concurrentPerform` (raw memory, so no two threads ever access
/// the same Swift variable); read after it returns.
final class UnsafeResults: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<MatchResult?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func set(_ index: Int, _ value: MatchResult) { slots[index] = value }
    var values: [MatchResult?] { Array(UnsafeBufferPointer(start: slots, count: count)) }
}

/// The plain sentences behind the codes, in Dutch and English.
enum Explain {
    typealias E = MatchResult.Explanation
    /// The themes themselves are in the match's `themes`, shown with their labels.
    static func themes(_ codes: [String]) -> E {
        codes.count == 1
            ? E(code: "themes", nl: "Gaat over een vraag van het gezin.", en: "Addresses one of the family's questions.")
            : E(code: "themes", nl: "Gaat over \(codes.count) vragen van het gezin.", en: "Addresses \(codes.count) of the family's questions.")
    }
    static let nativeLanguage = E(code: "native-language", nl: "Wordt gegeven in een taal die een ouder spreekt.",
                                  en: "Given in a language a parent speaks.")
    static let bridged = E(code: "bridged-language", nl: "Niet in de taal van de ouders; een tolk of sleutelpersoon kan helpen.",
                           en: "Not in the parents' language; an interpreter or key person can bridge it.")
    static let form = E(code: "preferred-form", nl: "Past bij de vorm die het gezin wil.", en: "The form the family prefers.")
    static let audience = E(code: "preferred-audience", nl: "Alleen voor moeders of vaders, zoals het gezin wil.",
                            en: "For mothers or fathers only, as the family prefers.")
    static let time = E(code: "preferred-time", nl: "Op het moment van de dag dat het gezin wil.", en: "At the time of day the family prefers.")
    static let online = E(code: "online", nl: "Online, zoals het gezin wil.", en: "Online, as the family prefers.")
    static let childcare = E(code: "childcare", nl: "Er is opvang voor de kinderen.", en: "Childcare is arranged.")
    static let nearby = E(code: "nearby", nl: "Dichtbij huis.", en: "Close to home.")
    static let distance = E(code: "distance", nl: "Niet in de buurt van het gezin.", en: "Not near the family's home.")
    static let startSlowly = E(code: "start-slowly", nl: "Informatie om rustig mee te beginnen, passend bij de eerste weken.",
                               en: "Information to start gently with, suited to the first weeks.")
    /// In bit order: the reasons after "themes", and the warnings.
    static let reasons = [nativeLanguage, form, audience, time, online, childcare, nearby, startSlowly]
    static let warnings = [bridged, distance, waitingList, registration]
    static let waitingList = E(code: "waiting-list", nl: "Er is nu een wachtlijst.", en: "There is a waiting list now.")
    static let registration = E(code: "registration", nl: "Aanmelden is nodig.", en: "Registration is required.")
}
