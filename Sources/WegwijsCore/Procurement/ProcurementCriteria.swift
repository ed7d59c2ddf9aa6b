import Foundation

/// The procurement checklist (R41): what a municipality buys, held against the culture-sensitivity profile and the
/// seeds' success factors (R9, R39, R45). Each criterion is named and says where it comes from; the labels and
/// explanations are in the locale files (`procurement.criterion.<code>`, `procurement.criterion.<code>.help`).
/// Pure: no database, no I/O. The app feeds it the active offers and aggregate counts of open needs.
public enum OfferCriterion: String, CaseIterable, Codable, Sendable {
    /// Given in a language other than Dutch, or an interpreter or key person bridges (R5, R9, R45; seed 004).
    case ownLanguage = "own-language"
    /// Starts from the parents' own questions (R45; seed 000 "vraaggericht").
    case demandLed = "demand-led"
    /// Flexible in content and availability (R45).
    case flexible
    /// Can refer on to more help (R45).
    case refersOn = "refers-on"
    /// At home or in a place parents already know (R39; seed 000: a trusted environment first).
    case familiarPlace = "familiar-place"
    /// Meetings for mothers and for fathers apart are possible (R39).
    case mothersFathers = "mothers-fathers"
    /// Involves fathers explicitly (R39).
    case involvesFathers = "involves-fathers"
    /// Childcare during meetings (R39).
    case childcare
    /// Visual material, understanding checked (R9, R39).
    case visualMaterial = "visual-material"
    /// Staff trained in culture-sensitive work (R10, R23; seed 003 "sensitief vakmanschap").
    case trainedStaff = "trained-staff"
    /// Free and open without registration or legal residence (R18; seed 001).
    case lowThreshold = "low-threshold"

    /// The requirements of DOMAIN.md (and seeds) the criterion is drawn from.
    public var sources: [String] {
        switch self {
        case .ownLanguage: return ["R5", "R9", "R45"]
        case .demandLed, .flexible, .refersOn: return ["R45"]
        case .familiarPlace: return ["R39", "R34"]
        case .mothersFathers, .involvesFathers, .childcare: return ["R39"]
        case .visualMaterial: return ["R9", "R39"]
        case .trainedStaff: return ["R10", "R23"]
        case .lowThreshold: return ["R18"]
        }
    }

    /// Forms where parents meet: what childcare and separate groups are about.
    static let meetingForms: Set<String> = [OfferForm.group.rawValue, OfferForm.informationSession.rawValue,
                                            OfferForm.dropIn.rawValue]

    /// Whether the criterion says anything about this offer: childcare and separate groups only for meetings.
    public func applies(to offer: OfferDraft) -> Bool {
        switch self {
        case .childcare, .mothersFathers: return offer.forms.contains(where: Self.meetingForms.contains)
        default: return true
        }
    }

    /// Whether the offer meets it: from its culture-sensitivity profile (the partner's own ticks) or from what the
    /// offer records about itself (languages, forms, audience, cost, registration).
    public func isMet(by offer: OfferDraft) -> Bool {
        let culture = Set(offer.culture)
        switch self {
        case .ownLanguage:
            return culture.contains(CultureItem.ownLanguage.rawValue) || offer.bridgeInterpreter || offer.bridgeKeyPerson
                || offer.languages.contains { $0 != "nl" }
        case .demandLed: return culture.contains(CultureItem.demandLed.rawValue)
        case .flexible: return culture.contains(CultureItem.flexible.rawValue)
        case .refersOn: return culture.contains(CultureItem.refersOn.rawValue)
        case .familiarPlace:
            return culture.contains(CultureItem.familiarPlace.rawValue) || offer.forms.contains(OfferForm.homeVisit.rawValue)
        case .mothersFathers:
            return culture.contains(CultureItem.separateMothersFathers.rawValue) || offer.audience != Audience.mixed.rawValue
        case .involvesFathers:
            return culture.contains(CultureItem.involvesFathers.rawValue) || offer.audience == Audience.fathers.rawValue
        case .childcare: return offer.childcare || culture.contains(CultureItem.childcare.rawValue)
        case .visualMaterial: return culture.contains(CultureItem.visualMaterial.rawValue)
        case .trainedStaff: return culture.contains(CultureItem.trainedStaff.rawValue)
        case .lowThreshold: return offer.isFree && !offer.registrationRequired
        }
    }
}

/// How one offer scores: per criterion met, not met, or not applicable (absent).
public struct OfferScore: Codable, Sendable, Equatable {
    public let criteria: [OfferCriterion: Bool]
    public var met: Int { criteria.values.filter { $0 }.count }
    public var applicable: Int { criteria.count }
    /// The criteria it misses, in the checklist's order.
    public var missing: [OfferCriterion] { OfferCriterion.allCases.filter { criteria[$0] == false } }
    /// Whole percent of the applicable criteria met.
    public var percent: Int { applicable == 0 ? 0 : Int((Double(met) / Double(applicable) * 100).rounded()) }

    public init(_ offer: OfferDraft) {
        var criteria: [OfferCriterion: Bool] = [:]
        for criterion in OfferCriterion.allCases where criterion.applies(to: offer) { criteria[criterion] = criterion.isMet(by: offer) }
        self.criteria = criteria
    }
}

/// What the municipality's whole portfolio should hold (R1, R9, R18, R39, R41, R45; seed 003).
public enum PortfolioCriterion: String, CaseIterable, Codable, Sendable {
    /// Informal offers (volunteers, self-organisations, key persons) are bought too (R1, R41).
    case informal
    /// Every language the families with open questions speak has an offer given in it (R9, R39, R45).
    case languages
    /// And an informal offer in it (R41; seed 003: informal help matters most to refugee families).
    case informalLanguages = "informal-languages"
    /// Basic information from day one in the parents' language: an information offer of phase 1 (R39, R44).
    case welcomePackage = "welcome-package"
    /// Meetings for fathers (R39: involve fathers explicitly).
    case fathers
    /// Meetings for mothers (R39).
    case mothers
    /// Something online (R39: digital meetings raise attendance).
    case online
    /// The themes the seeds agree every offer should cover (seed 003 chapter 8; seed 000 on discrimination and
    /// religion; R29, R30).
    case themes
    /// Paid from more than the civic-integration budget: prevention, health, participation (seed 003, R41).
    case fundingMix = "funding-mix"
    /// Every offer records which budget pays for it (R41).
    case fundingRecorded = "funding-recorded"
    /// Open to families without registration or legal residence (R18).
    case openToAll = "open-to-all"

    public var sources: [String] {
        switch self {
        case .informal: return ["R1", "R41"]
        case .languages: return ["R9", "R39", "R45"]
        case .informalLanguages: return ["R41", "R35"]
        case .welcomePackage: return ["R39", "R44"]
        case .fathers, .mothers, .online: return ["R39"]
        case .themes: return ["R29", "R30"]
        case .fundingMix, .fundingRecorded: return ["R41"]
        case .openToAll: return ["R18"]
        }
    }

    /// Seed 003 (chapter 8): "in any case attention for" these themes; seed 000: discrimination and religious
    /// upbringing are often missing from regular offers.
    public static let essentialThemes: [Theme] = [
        .schoolSystem, .sexualHealth, .responsiveTalking, .parentingConfidence, .twoCultures, .multilingualism,
        .mentalHealth, .digitalParenting, .childProtectionFears, .discrimination, .religion,
    ]
}

/// One portfolio criterion held against the portfolio: met, partly, not met, or nothing to check.
public struct PortfolioResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case met, partly
        case notMet = "not-met"
        /// Nothing to hold it against (no families with open questions in another language than Dutch).
        case notApplicable = "not-applicable"
    }

    public let criterion: PortfolioCriterion
    public let status: Status
    /// How many of `of` are there (languages covered, themes covered, offers with a source ...).
    public let met: Int
    public let of: Int
    /// What is missing: language, theme or offer codes, depending on the criterion.
    public let missing: [String]

    public init(criterion: PortfolioCriterion, met: Int, of: Int, missing: [String]) {
        self.criterion = criterion
        self.met = met
        self.of = of
        self.missing = missing
        status = of == 0 ? .notApplicable : met >= of ? .met : met == 0 ? .notMet : .partly
    }
}

/// The portfolio of one municipality: its own active offers, held against the languages its families with open
/// questions speak.
public enum Portfolio {
    /// `offers`: the municipality's own active offers (id, draft); `demandLanguages`: languages (not Dutch) of the
    /// families with open questions.
    public static func evaluate(_ offers: [(id: String, offer: OfferDraft)], demandLanguages: Set<String>) -> [PortfolioResult] {
        let languages = demandLanguages.subtracting(["nl"]).sorted()
        func covered(_ matching: (OfferDraft) -> Bool) -> (met: Int, missing: [String]) {
            let missing = languages.filter { language in !offers.contains { $0.offer.languages.contains(language) && matching($0.offer) } }
            return (languages.count - missing.count, missing)
        }
        func count(_ matching: (OfferDraft) -> Bool) -> Int { offers.filter { matching($0.offer) }.count }
        var results: [PortfolioResult] = []
        for criterion in PortfolioCriterion.allCases {
            switch criterion {
            case .informal:
                let n = count { $0.kind == OfferKind.informal.rawValue }
                results.append(.init(criterion: criterion, met: min(n, 1), of: 1, missing: n == 0 ? [OfferKind.informal.rawValue] : []))
            case .languages:
                let (met, missing) = covered { _ in true }
                results.append(.init(criterion: criterion, met: met, of: languages.count, missing: missing))
            case .informalLanguages:
                let (met, missing) = covered { $0.kind == OfferKind.informal.rawValue }
                results.append(.init(criterion: criterion, met: met, of: languages.count, missing: missing))
            case .welcomePackage:
                let (met, missing) = covered { $0.supportType == SupportType.information.rawValue && $0.phase == 1 }
                results.append(.init(criterion: criterion, met: met, of: languages.count, missing: missing))
            case .fathers, .mothers:
                let audience = criterion == .fathers ? Audience.fathers.rawValue : Audience.mothers.rawValue
                let n = count { $0.audience == audience }
                results.append(.init(criterion: criterion, met: min(n, 1), of: 1, missing: n == 0 ? [audience] : []))
            case .online:
                let n = count(Gaps.isOnline)
                results.append(.init(criterion: criterion, met: min(n, 1), of: 1, missing: n == 0 ? [OfferForm.online.rawValue] : []))
            case .themes:
                let missing = PortfolioCriterion.essentialThemes.map(\.rawValue).filter { theme in !offers.contains { $0.offer.themes.contains(theme) } }
                results.append(.init(criterion: criterion, met: PortfolioCriterion.essentialThemes.count - missing.count,
                                     of: PortfolioCriterion.essentialThemes.count, missing: missing))
            case .fundingMix:
                let beyond: Set<String> = [FundingSource.prevention.rawValue, FundingSource.health.rawValue, FundingSource.participation.rawValue]
                let used = Set(offers.compactMap(\.offer.funding)).intersection(beyond)
                results.append(.init(criterion: criterion, met: min(used.count, 1), of: offers.isEmpty ? 0 : 1,
                                     missing: used.isEmpty && !offers.isEmpty ? beyond.sorted() : []))
            case .fundingRecorded:
                let without = offers.filter { $0.offer.funding == nil }.map(\.id)
                results.append(.init(criterion: criterion, met: offers.count - without.count, of: offers.count, missing: without))
            case .openToAll:
                let closed = offers.filter { $0.offer.registrationRequired }.map(\.id)
                results.append(.init(criterion: criterion, met: offers.count - closed.count, of: offers.count, missing: closed))
            }
        }
        return results
    }

    /// How many offers each budget pays for (nil: not recorded), in the vocabulary's order.
    public static func funding(_ offers: [OfferDraft]) -> [(funding: String?, offers: Int)] {
        let counts = Dictionary(grouping: offers, by: \.funding).mapValues(\.count)
        return FundingSource.allCodes.map { ($0, counts[$0] ?? 0) } + [(nil, counts[nil] ?? 0)]
    }
}
