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
    public struct Match: Codable, Sendable, Equatable {
        public let offerId: String
        public let name: String
        public let score: Int
        public let themes: [String]
        public let reasons: [Explanation]
        public let warnings: [Explanation]
    }

    public struct Exclusion: Codable, Sendable, Equatable {
        public let offerId: String
        public let name: String
        public let constraints: [MatchConstraint]
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
public struct MatchEngine: Sendable {
    /// Before this many weeks after settlement, "start slowly" (R39): information and phase-1 offers rank high.
    public static let settlingWeeks = 12

    struct Compiled: Sendable {
        let source: MatchableOffer
        let themes: UInt32
        let forms: UInt16
        let situationsFor: UInt16
        let situationsExcluded: UInt16
        let languages: Set<String>
        let bridges: Bool
        let minimumAge: Int
        let maximumAge: Int
        let audience: String
        let online: Bool
        let evening: Bool
        let postcodes: [String]
        /// Fixed for the engine's municipality, region and day, so computed once.
        let inArea: Bool
        let active: Bool
        let registrationRequired: Bool
        let full: Bool
        let gentle: Bool
        let waiting: Bool
        let culture: Int
    }

    let offers: [Compiled]
    /// Per theme bit: the offers (indices) that address it, so a family only looks at the offers on its themes.
    let byTheme: [[Int]]
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

    /// Compiles the catalogue for the families of `municipality` (in `region`), as of `today`.
    public init(catalogue: [MatchableOffer], municipality: String, region: String?, today: CalendarDate) {
        self.municipality = municipality
        self.region = region
        self.today = today
        var compiled: [Compiled] = []
        compiled.reserveCapacity(catalogue.count)
        // Sorted by id once, so every later order and tie-break is by id.
        for source in catalogue.sorted(by: { $0.id < $1.id }) {
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
            compiled.append(Compiled(
                source: source, themes: Self.bits(offer.themes, Self.themeIndex, as: UInt32.self),
                forms: Self.bits(offer.forms, Self.formIndex, as: UInt16.self),
                situationsFor: Self.bits(offer.forSituations, Self.situationIndex, as: UInt16.self),
                situationsExcluded: Self.bits(offer.excludesSituations, Self.situationIndex, as: UInt16.self),
                languages: Set(offer.languages), bridges: offer.bridgeInterpreter || offer.bridgeKeyPerson,
                minimumAge: offer.minimumAge ?? 0, maximumAge: offer.maximumAge ?? 99, audience: offer.audience,
                online: online,
                evening: offer.isEvening,
                postcodes: offer.locations.compactMap { $0.postcode.map { String($0.filter(\.isASCIIDigitCharacter).prefix(4)) } },
                inArea: inArea, active: active, registrationRequired: offer.registrationRequired,
                full: offer.freePlaces == 0 && !offer.waitingList, gentle: offer.supportType == "information" || offer.phase == 1,
                waiting: offer.waitingList && offer.freePlaces == 0, culture: min(offer.culture.count, 10)))
        }
        offers = compiled
        var index = Array(repeating: [Int](), count: Self.themeCodes.count)
        for (position, offer) in compiled.enumerated() {
            for bit in 0..<Self.themeCodes.count where offer.themes & (1 << bit) != 0 { index[bit].append(position) }
        }
        byTheme = index
    }

    // MARK: the family, prepared once per match

    struct Family {
        let profile: MatchProfile
        let themes: UInt32
        let weights: [Int: Int]
        /// (theme bit, weight), by bit: the order the themes are reported in.
        let weightList: [(bit: Int, weight: Int)]
        let situations: UInt16
        let languages: Set<String>
        let ages: [Int]
        let hasMother: Bool
        let hasFather: Bool
        let undocumented: Bool
        let settling: Bool
        let preferredForms: UInt16
    }

    func prepare(_ profile: MatchProfile) -> Family {
        var languages = Set<String>()
        for parent in profile.parents {
            for language in parent.languages where language != "nl" { languages.insert(language) }
            // Dutch counts as spoken from level B1 (also when listed).
            if ["B1", "B2+"].contains(parent.dutchLevel ?? "") { languages.insert("nl") }
        }
        var ages = (profile.children ?? []).map(\.age)
        if (profile.situations ?? []).contains("pregnant") { ages.append(0) }
        var weights: [Int: Int] = [:]
        for theme in profile.themes { if let bit = Self.themeIndex[theme.code] { weights[bit] = max(weights[bit] ?? 0, theme.weight) } }
        let settling: Bool
        if profile.urgent == true { settling = false }
        else if let settled = profile.settledOn.flatMap(CalendarDate.init(iso:)) { settling = today < settled.adding(days: 7 * Self.settlingWeeks) }
        else { settling = false }
        return Family(profile: profile, themes: Self.bits(profile.themes.map(\.code), Self.themeIndex, as: UInt32.self), weights: weights,
                      weightList: weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                      situations: Self.bits(profile.situations ?? [], Self.situationIndex, as: UInt16.self), languages: languages,
                      ages: ages, hasMother: profile.parents.contains { $0.gender == "female" },
                      hasFather: profile.parents.contains { $0.gender == "male" },
                      undocumented: (profile.situations ?? []).contains("undocumented"), settling: settling,
                      preferredForms: Self.bits(profile.preferences?.forms ?? [], Self.formIndex, as: UInt16.self))
    }

    // MARK: hard constraints

    func broken(_ offer: Compiled, _ family: Family) -> [MatchConstraint] {
        var broken: [MatchConstraint] = []
        if !offer.inArea { broken.append(.area) }
        if !offer.active { broken.append(.inactive) }
        if !offer.bridges && offer.languages.isDisjoint(with: family.languages) { broken.append(.language) }
        if !family.ages.contains(where: { $0 >= offer.minimumAge && $0 <= offer.maximumAge }) { broken.append(.age) }
        if (offer.audience == "mothers" && !family.hasMother) || (offer.audience == "fathers" && !family.hasFather) { broken.append(.audience) }
        if (offer.situationsFor != 0 && offer.situationsFor & family.situations == 0) || offer.situationsExcluded & family.situations != 0 {
            broken.append(.situation)
        }
        if family.undocumented && offer.registrationRequired { broken.append(.registration) }
        if offer.full { broken.append(.capacity) }
        return broken
    }

    /// The same test as `broken(_:_:).isEmpty`, without building the list (the hot path of batch matching).
    @inline(__always)
    func fits(_ offer: Compiled, _ family: Family) -> Bool {
        offer.inArea && offer.active && !offer.full && !(family.undocumented && offer.registrationRequired)
            && !((offer.audience == "mothers" && !family.hasMother) || (offer.audience == "fathers" && !family.hasFather))
            && !((offer.situationsFor != 0 && offer.situationsFor & family.situations == 0) || offer.situationsExcluded & family.situations != 0)
            && family.ages.contains(where: { $0 >= offer.minimumAge && $0 <= offer.maximumAge })
            && (offer.bridges || !offer.languages.isDisjoint(with: family.languages))
    }

    // MARK: ranking

    typealias Scored = (score: Int, themes: [String], reasons: [MatchResult.Explanation], warnings: [MatchResult.Explanation])

    /// The ranking rules in order (issue 7). With `explain` false only the score is computed (no allocations), for
    /// the offers that are only compared; the kept matches are scored again with their explanations.
    func score(_ offer: Compiled, _ family: Family, explain: Bool = true) -> Scored {
        let draft = offer.source.offer
        var score = 0
        var reasons: [MatchResult.Explanation] = []
        var warnings: [MatchResult.Explanation] = []
        var themes: [String] = []
        for (bit, weight) in family.weightList where offer.themes & (1 << bit) != 0 {
            score += 100 * weight
            if explain { themes.append(Self.themeCodes[bit]) }
        }
        if explain { reasons.append(Explain.themes(themes)) }
        if !offer.languages.isDisjoint(with: family.languages) {
            score += 40
            if explain { reasons.append(Explain.nativeLanguage) }
        } else {
            score += 10
            if explain { warnings.append(Explain.bridged) }
        }
        let preferences = family.profile.preferences
        if family.preferredForms != 0 && offer.forms & family.preferredForms != 0 { score += 20; if explain { reasons.append(Explain.form) } }
        if let audience = preferences?.audience, audience != "mixed", offer.audience == audience { score += 15; if explain { reasons.append(Explain.audience) } }
        switch preferences?.time ?? "any" {
        case "evening" where offer.evening, "daytime" where !offer.evening && draft.opensAt != nil:
            score += 10
            if explain { reasons.append(Explain.time) }
        default: break
        }
        switch preferences?.online ?? "any" {
        case "yes" where offer.online: score += 10; if explain { reasons.append(Explain.online) }
        case "no" where offer.online && draft.locations.isEmpty: score -= 20
        default: break
        }
        if preferences?.childcare == true && draft.childcare { score += 15; if explain { reasons.append(Explain.childcare) } }
        if let postcode = preferences?.postcode, !offer.online {
            if offer.postcodes.contains(where: { $0.hasPrefix(postcode) }) {
                score += 10
                if explain { reasons.append(Explain.nearby) }
            } else if offer.postcodes.contains(where: { $0.prefix(2) == postcode.prefix(2) }) {
                score += 5
            } else if !offer.postcodes.isEmpty {
                if explain { warnings.append(Explain.distance) }
            }
        }
        if family.settling {
            if offer.gentle { score += 25; if explain { reasons.append(Explain.startSlowly) } } else { score -= 25 }
        }
        if offer.waiting { if explain { warnings.append(Explain.waitingList) } } else { score += 5 }
        if offer.registrationRequired && explain { warnings.append(Explain.registration) }
        score += offer.culture
        return (score, themes, reasons, warnings)
    }

    // MARK: matching

    /// Ranked matches (at most `limit`, all when nil) and the offers on the family's themes that are excluded.
    public func match(_ profile: MatchProfile, limit: Int? = nil, withExclusions: Bool = true) -> MatchResult {
        let family = prepare(profile)
        var seen = [Bool](repeating: false, count: offers.count)
        var ranked: [(score: Int, index: Int)] = []
        var excluded: [MatchResult.Exclusion] = []
        for bit in family.weights.keys {
            for index in byTheme[bit] where !seen[index] {
                seen[index] = true
                let offer = offers[index]
                if fits(offer, family) {
                    ranked.append((score(offer, family, explain: false).score, index))
                } else if withExclusions {
                    excluded.append(.init(offerId: offer.source.id, name: offer.source.offer.name, constraints: broken(offer, family)))
                }
            }
        }
        // Highest score first; equal scores by offer id (indices follow the ids).
        let order: ((score: Int, index: Int), (score: Int, index: Int)) -> Bool = { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        let kept: [(score: Int, index: Int)]
        if let limit, limit < ranked.count {
            kept = Array(Self.top(ranked, limit, by: order))
        } else {
            ranked.sort(by: order)
            kept = ranked
        }
        excluded.sort { $0.offerId < $1.offerId }
        return MatchResult(matches: kept.map { entry in
            let offer = offers[entry.index]
            let explained = score(offer, family)
            return .init(offerId: offer.source.id, name: offer.source.offer.name, score: explained.score,
                         themes: explained.themes, reasons: explained.reasons, warnings: explained.warnings)
        }, excluded: excluded)
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
        let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount)
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
        guard let offer = offers.first(where: { $0.source.id == offerId.lowercased() }) else { return nil }
        let family = prepare(profile)
        return (broken(offer, family), offer.themes & family.themes != 0)
    }

    /// The reference implementation for the benchmark: every offer checked and scored, everything sorted.
    public func matchNaively(_ profile: MatchProfile) -> [String] {
        let family = prepare(profile)
        var all: [(Int, String)] = []
        for offer in offers where offer.themes & family.themes != 0 && broken(offer, family).isEmpty {
            all.append((score(offer, family).score, offer.source.id))
        }
        // Everything sorted, every time.
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
    static let waitingList = E(code: "waiting-list", nl: "Er is nu een wachtlijst.", en: "There is a waiting list now.")
    static let registration = E(code: "registration", nl: "Aanmelden is nodig.", en: "Registration is required.")
}
