import Foundation

/// What the matching engine knows of a family (issue 7): parents, children, situations, themes with priority,
/// preferences, settlement. The body of `POST /api/v1/match`; built from a stored family for
/// `GET /api/v1/families/{id}/matches`.
public struct MatchProfile: Codable, Sendable, Equatable {
    public struct Parent: Codable, Sendable, Equatable {
        public var gender: String?
        public var languages: [String]
        public var dutchLevel: String?
        public init(gender: String? = nil, languages: [String], dutchLevel: String? = nil) {
            self.gender = gender
            self.languages = languages
            self.dutchLevel = dutchLevel
        }
    }

    public struct Child: Codable, Sendable, Equatable {
        public var age: Int
        public init(age: Int) { self.age = age }
    }

    public struct ThemeNeed: Codable, Sendable, Equatable {
        public var code: String
        /// `high`, `normal` or `low`.
        public var priority: String?
        public init(code: String, priority: String? = "normal") {
            self.code = code
            self.priority = priority
        }
        public var weight: Int {
            switch priority ?? "normal" {
            case "high": return 3
            case "low": return 1
            default: return 2
            }
        }
    }

    public struct Preferences: Codable, Sendable, Equatable {
        public var forms: [String]?
        /// `mothers`, `fathers` or `mixed`.
        public var audience: String?
        /// `yes`, `no` or `any`.
        public var online: String?
        /// `daytime`, `evening` or `any`.
        public var time: String?
        public var childcare: Bool?
        /// Four digits (or the first two) of the family's postcode.
        public var postcode: String?
        public init(forms: [String]? = nil, audience: String? = nil, online: String? = nil, time: String? = nil,
                    childcare: Bool? = nil, postcode: String? = nil) {
            self.forms = forms
            self.audience = audience
            self.online = online
            self.time = time
            self.childcare = childcare
            self.postcode = postcode
        }
    }

    public var parents: [Parent]
    public var children: [Child]?
    public var situations: [String]?
    public var themes: [ThemeNeed]
    public var preferences: Preferences?
    public var settledOn: String?
    public var urgent: Bool?

    public init(parents: [Parent], children: [Child]? = nil, situations: [String]? = nil, themes: [ThemeNeed],
                preferences: Preferences? = nil, settledOn: String? = nil, urgent: Bool? = nil) {
        self.parents = parents
        self.children = children
        self.situations = situations
        self.themes = themes
        self.preferences = preferences
        self.settledOn = settledOn
        self.urgent = urgent
    }

    /// Unknown codes, a negative age, no parents, no themes, a malformed postcode: each named by its field.
    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if parents.isEmpty { errors.append(FieldError("parents", "required")) }
        for (index, parent) in parents.enumerated() {
            if let gender = parent.gender, !Gender.isKnown(gender) { errors.append(FieldError("parents.\(index).gender", "unknown-code")) }
            if parent.languages.contains(where: { !Languages.isKnown($0) }) { errors.append(FieldError("parents.\(index).languages", "unknown-code")) }
            if let level = parent.dutchLevel, !DutchLevel.isKnown(level) { errors.append(FieldError("parents.\(index).dutchLevel", "unknown-code")) }
        }
        for (index, child) in (children ?? []).enumerated() where !(0...25).contains(child.age) {
            errors.append(FieldError("children.\(index).age", "age-invalid"))
        }
        for situation in situations ?? [] where !Situation.isKnown(situation) { errors.append(FieldError("situations", "unknown-code")) }
        if themes.isEmpty { errors.append(FieldError("themes", "required")) }
        for (index, theme) in themes.enumerated() {
            if !Theme.isKnown(theme.code) { errors.append(FieldError("themes.\(index).code", "unknown-code")) }
            if let priority = theme.priority, !["high", "normal", "low"].contains(priority) {
                errors.append(FieldError("themes.\(index).priority", "unknown-code"))
            }
        }
        if let preferences {
            if (preferences.forms ?? []).contains(where: { !OfferForm.isKnown($0) }) { errors.append(FieldError("preferences.forms", "unknown-code")) }
            if let audience = preferences.audience, !Audience.isKnown(audience) { errors.append(FieldError("preferences.audience", "unknown-code")) }
            if let online = preferences.online, !["yes", "no", "any"].contains(online) { errors.append(FieldError("preferences.online", "unknown-code")) }
            if let time = preferences.time, !["daytime", "evening", "any"].contains(time) { errors.append(FieldError("preferences.time", "unknown-code")) }
            if let postcode = preferences.postcode, !((postcode.count == 4 || postcode.count == 2) && postcode.allSatisfy(\.isASCIIDigitCharacter)) {
                errors.append(FieldError("preferences.postcode", "postcode-area-invalid"))
            }
        }
        if let settledOn, CalendarDate(iso: settledOn) == nil { errors.append(FieldError("settledOn", "date-invalid")) }
        return errors.reduce(into: [FieldError]()) { result, error in if !result.contains(error) { result.append(error) } }
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
