import Foundation

/// How many families with open questions there are, per language, theme, and fathers and mothers per language:
/// aggregate counts from the database, never a family. A family counts once per cell (a family with two
/// Arabic-speaking parents counts once for Arabic).
public struct Demand: Sendable, Equatable {
    /// Families with an open need in which a member speaks or reads the language.
    public var languages: [String: Int]
    /// Families with an open need on the theme.
    public var themes: [String: Int]
    /// Families with an open need on the theme in which a member speaks or reads the language (`language|theme`).
    public var languageThemes: [String: Int]
    /// Families with an open need with a father (a male parent) who speaks the language.
    public var fathers: [String: Int]
    /// Families with an open need with a mother (a female parent) who speaks the language.
    public var mothers: [String: Int]

    public init(languages: [String: Int] = [:], themes: [String: Int] = [:], languageThemes: [String: Int] = [:],
                fathers: [String: Int] = [:], mothers: [String: Int] = [:]) {
        self.languages = languages
        self.themes = themes
        self.languageThemes = languageThemes
        self.fathers = fathers
        self.mothers = mothers
    }

    public static func key(language: String, theme: String) -> String { "\(language)|\(theme)" }

    /// The languages (not Dutch) with at least one family.
    public var languagesWithFamilies: Set<String> { Set(languages.filter { $0.value > 0 }.keys).subtracting(["nl"]) }

    /// Cell by cell sum (the region: its municipalities together; a family lives in one municipality).
    public static func + (a: Demand, b: Demand) -> Demand {
        func add(_ x: [String: Int], _ y: [String: Int]) -> [String: Int] { x.merging(y, uniquingKeysWith: +) }
        return Demand(languages: add(a.languages, b.languages), themes: add(a.themes, b.themes),
                      languageThemes: add(a.languageThemes, b.languageThemes), fathers: add(a.fathers, b.fathers),
                      mothers: add(a.mothers, b.mothers))
    }
}

/// What is missing: demand (families with open questions in a language, on a theme) that no offer meets. Each gap
/// has the dimensions of the report table (language, theme, form, audience, kind; nil: any) and a rule (`Kind`)
/// that puts it in words ("geen vadergroep in het Arabisch").
public struct Gap: Sendable, Hashable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        /// Nothing at all given in the language (R9, R39, R45).
        case language
        /// Nothing on the theme, in any language (R29, R30).
        case theme
        /// Nothing on the theme given in, or bridged to, the language (R9, R45).
        case languageTheme = "language-theme"
        /// No informal offer given in the language (R1, R41).
        case informal
        /// No fathers' group given in the language (R39).
        case fathersGroup = "fathers-group"
        /// No mothers' group given in the language (R39).
        case mothersGroup = "mothers-group"
        /// Nothing online given in, or bridged to, the language (R39).
        case online

        public var sources: [String] {
            switch self {
            case .language: return ["R9", "R39", "R45"]
            case .theme: return ["R29", "R30"]
            case .languageTheme: return ["R9", "R45"]
            case .informal: return ["R1", "R41"]
            case .fathersGroup, .mothersGroup, .online: return ["R39"]
            }
        }
    }

    public let kind: Kind
    public let language: String?
    public let theme: String?
    public let form: String?
    public let audience: String?
    /// `informal` for the informal gap.
    public let offerKind: String?

    public init(kind: Kind, language: String? = nil, theme: String? = nil) {
        self.kind = kind
        self.language = language
        self.theme = theme
        switch kind {
        case .fathersGroup: form = OfferForm.group.rawValue; audience = Audience.fathers.rawValue; offerKind = nil
        case .mothersGroup: form = OfferForm.group.rawValue; audience = Audience.mothers.rawValue; offerKind = nil
        case .online: form = OfferForm.online.rawValue; audience = nil; offerKind = nil
        case .informal: form = nil; audience = nil; offerKind = OfferKind.informal.rawValue
        default: form = nil; audience = nil; offerKind = nil
        }
    }

    /// A stable order key (the rule's order, then language, then theme).
    public var sortKey: String {
        "\(Kind.allCases.firstIndex(of: kind)!)|\(language ?? "")|\(theme ?? "")"
    }

    /// The families this gap affects, from the demand counts.
    public func families(in demand: Demand) -> Int {
        switch kind {
        case .theme: return demand.themes[theme ?? ""] ?? 0
        case .languageTheme: return demand.languageThemes[Demand.key(language: language ?? "", theme: theme ?? "")] ?? 0
        case .fathersGroup: return demand.fathers[language ?? ""] ?? 0
        case .mothersGroup: return demand.mothers[language ?? ""] ?? 0
        case .language, .informal, .online: return demand.languages[language ?? ""] ?? 0
        }
    }
}

/// Finds the gaps of a demand against the offers that serve it.
public enum Gaps {
    /// Online: the form, or the service area.
    public static func isOnline(_ offer: OfferDraft) -> Bool {
        offer.forms.contains(OfferForm.online.rawValue) || offer.serviceAreas.contains(ServiceArea.online.rawValue)
    }

    /// Whether the offer is active on `today`: its period (retired offers are not passed in at all).
    public static func isActive(_ offer: OfferDraft, on today: CalendarDate) -> Bool {
        if let from = offer.activeFrom.flatMap(CalendarDate.init(iso:)), today < from { return false }
        if let until = offer.activeUntil.flatMap(CalendarDate.init(iso:)), today > until { return false }
        return true
    }

    /// Whether an offer of `owner` (in `ownerRegion`) serves the families of `municipality` (in `region`): as the
    /// matching engine decides it (its own municipality; its region with service area `region`; nationwide; online).
    public static func serves(_ offer: OfferDraft, owner: String, ownerRegion: String?, municipality: String, region: String?) -> Bool {
        let areas = offer.serviceAreas
        if isOnline(offer) || areas.contains(ServiceArea.nationwide.rawValue) { return true }
        if owner == municipality { return true }
        return region != nil && ownerRegion == region && areas.contains(ServiceArea.region.rawValue)
    }

    /// Every gap with at least one family affected, most families first (ties: the rule's order, then the codes).
    /// A language with nothing at all is one gap ("nothing in Bulgarian"), not also each of its themes, forms and
    /// audiences; likewise a theme with nothing in any language.
    public static func find(_ demand: Demand, supply: [OfferDraft]) -> [(gap: Gap, families: Int)] {
        var gaps: [Gap] = []
        let languages = demand.languagesWithFamilies.sorted()
        func given(_ language: String, _ offer: OfferDraft) -> Bool { offer.languages.contains(language) }
        func reaches(_ language: String, _ offer: OfferDraft) -> Bool {
            given(language, offer) || offer.bridgeInterpreter || offer.bridgeKeyPerson
        }
        let themesWithNothing = Set(demand.themes.filter { $0.value > 0 }.keys.filter { theme in !supply.contains { $0.themes.contains(theme) } })
        gaps += themesWithNothing.sorted().map { Gap(kind: .theme, theme: $0) }
        for language in languages {
            guard supply.contains(where: { given(language, $0) }) else {
                gaps.append(Gap(kind: .language, language: language))
                continue
            }
            if !supply.contains(where: { given(language, $0) && $0.kind == OfferKind.informal.rawValue }) {
                gaps.append(Gap(kind: .informal, language: language))
            }
            for (audience, kind, counts) in [(Audience.fathers.rawValue, Gap.Kind.fathersGroup, demand.fathers),
                                             (Audience.mothers.rawValue, Gap.Kind.mothersGroup, demand.mothers)]
            where (counts[language] ?? 0) > 0 {
                if !supply.contains(where: { given(language, $0) && $0.audience == audience && $0.forms.contains(OfferForm.group.rawValue) }) {
                    gaps.append(Gap(kind: kind, language: language))
                }
            }
            if !supply.contains(where: { isOnline($0) && reaches(language, $0) }) {
                gaps.append(Gap(kind: .online, language: language))
            }
            let themes = demand.languageThemes.filter { $0.value > 0 && $0.key.hasPrefix(language + "|") }
                .map { String($0.key.dropFirst(language.count + 1)) }
            for theme in themes.sorted() where !themesWithNothing.contains(theme) {
                if !supply.contains(where: { $0.themes.contains(theme) && reaches(language, $0) }) {
                    gaps.append(Gap(kind: .languageTheme, language: language, theme: theme))
                }
            }
        }
        return gaps.map { ($0, $0.families(in: demand)) }.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.sortKey < $1.0.sortKey }
    }
}
