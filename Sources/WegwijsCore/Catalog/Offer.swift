import Foundation

/// The culture-sensitivity checklist of an offer, drawn from the seeds' success factors (R9, R39, R45).
public enum CultureItem: String, VocabularyCode {
    case ownLanguage = "own-language", demandLed = "demand-led", flexible, refersOn = "refers-on"
    case familiarPlace = "familiar-place", separateMothersFathers = "separate-mothers-fathers", childcare
    case visualMaterial = "visual-material", trainedStaff = "trained-staff", involvesFathers = "involves-fathers"
    public static let vocabularyName = "culture"
}

/// Where an offer is available besides its own locations.
public enum ServiceArea: String, VocabularyCode {
    case municipality, region, nationwide, online
    public static let vocabularyName = "serviceArea"
}

/// Recognition in the Dutch database of effective youth interventions, lowest to highest.
public enum EvidenceLevel: String, VocabularyCode {
    case wellDescribed = "well-described", wellFounded = "well-founded", firstIndications = "first-indications"
    case goodIndications = "good-indications", strongIndications = "strong-indications"
    public static let vocabularyName = "evidence"
}

public enum Frequency: String, VocabularyCode {
    case once, weekly, fortnightly, monthly, ongoing
    public static let vocabularyName = "frequency"
}

public enum Weekday: String, VocabularyCode {
    case mo = "MO", tu = "TU", we = "WE", th = "TH", fr = "FR", sa = "SA", su = "SU"
    public static let vocabularyName = "weekday"
}

public struct OfferLocation: Codable, Hashable, Sendable {
    public var name: String?
    public var address: String?
    public var postcode: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(name: String? = nil, address: String? = nil, postcode: String? = nil, city: String? = nil,
                latitude: Double? = nil, longitude: Double? = nil) {
        self.name = name
        self.address = address
        self.postcode = postcode
        self.city = city
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// An offer of the catalogue as submitted (API, UI, HSDS import): every attribute matching and reporting need.
public struct OfferDraft: Codable, Hashable, Sendable {
    public var name: String
    public var description: String
    public var kind: String
    public var supportType: String
    public var forms: [String]
    public var themes: [String]
    /// Only for these situations (hard); empty means open to everyone.
    public var forSituations: [String]
    /// Not for these situations.
    public var excludesSituations: [String]
    /// Particularly suited to these situations (soft).
    public var suitsSituations: [String]
    public var audience: String
    /// Languages the offer is given in.
    public var languages: [String]
    public var bridgeInterpreter: Bool
    public var bridgeKeyPerson: Bool
    /// Children's ages in whole years, inclusive.
    public var minimumAge: Int?
    public var maximumAge: Int?
    public var phase: Int?
    public var serviceAreas: [String]
    public var locations: [OfferLocation]
    public var days: [String]
    /// `HH:MM`; evening means opening at or after 17:00.
    public var opensAt: String?
    public var closesAt: String?
    public var sessions: Int?
    public var frequency: String?
    /// In words: "monthly visits until the child is 2".
    public var frequencyNote: String?
    public var capacity: Int?
    public var freePlaces: Int?
    public var waitingList: Bool
    /// In euros; nil or 0 is free.
    public var cost: Double?
    public var costNote: String?
    public var registrationRequired: Bool
    public var childcare: Bool
    public var evidence: String?
    public var contactName: String?
    public var contactPhone: String?
    public var contactEmail: String?
    public var url: String?
    public var activeFrom: String?
    public var activeUntil: String?
    public var lastChecked: String?
    public var culture: [String]
    /// Which budget pays for it (`FundingSource`); nil when not recorded (offers from before, other directories).
    public var funding: String?

    public init(name: String, description: String, kind: String = OfferKind.formal.rawValue,
                supportType: String = SupportType.information.rawValue, forms: [String] = [], themes: [String] = [],
                forSituations: [String] = [], excludesSituations: [String] = [], suitsSituations: [String] = [],
                audience: String = Audience.mixed.rawValue, languages: [String] = ["nl"], bridgeInterpreter: Bool = false,
                bridgeKeyPerson: Bool = false, minimumAge: Int? = nil, maximumAge: Int? = nil, phase: Int? = nil,
                serviceAreas: [String] = [], locations: [OfferLocation] = [], days: [String] = [],
                opensAt: String? = nil, closesAt: String? = nil, sessions: Int? = nil, frequency: String? = nil,
                frequencyNote: String? = nil, capacity: Int? = nil, freePlaces: Int? = nil, waitingList: Bool = false,
                cost: Double? = nil, costNote: String? = nil, registrationRequired: Bool = false, childcare: Bool = false,
                evidence: String? = nil, contactName: String? = nil, contactPhone: String? = nil,
                contactEmail: String? = nil, url: String? = nil, activeFrom: String? = nil, activeUntil: String? = nil,
                lastChecked: String? = nil, culture: [String] = [], funding: String? = nil) {
        self.name = name
        self.description = description
        self.kind = kind
        self.supportType = supportType
        self.forms = forms
        self.themes = themes
        self.forSituations = forSituations
        self.excludesSituations = excludesSituations
        self.suitsSituations = suitsSituations
        self.audience = audience
        self.languages = languages
        self.bridgeInterpreter = bridgeInterpreter
        self.bridgeKeyPerson = bridgeKeyPerson
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.phase = phase
        self.serviceAreas = serviceAreas
        self.locations = locations
        self.days = days
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.sessions = sessions
        self.frequency = frequency
        self.frequencyNote = frequencyNote
        self.capacity = capacity
        self.freePlaces = freePlaces
        self.waitingList = waitingList
        self.cost = cost
        self.costNote = costNote
        self.registrationRequired = registrationRequired
        self.childcare = childcare
        self.evidence = evidence
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.contactEmail = contactEmail
        self.url = url
        self.activeFrom = activeFrom
        self.activeUntil = activeUntil
        self.lastChecked = lastChecked
        self.culture = culture
        self.funding = funding
    }

    public var isFree: Bool { (cost ?? 0) == 0 }

    /// Evening means opening at or after 17:00 (vocabulary.md).
    public var isEvening: Bool { opensAt.map { $0 >= "17:00" } ?? false }
}

public enum OfferValidation {
    public static let maxAge = 25

    public static func validate(_ offer: OfferDraft) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ code: String) { errors.append(FieldError(field, code)) }
        func codes<V: VocabularyCode>(_ list: [String], _ field: String, _: V.Type) {
            for (index, code) in list.enumerated() where !V.isKnown(code) { add("\(field)[\(index)]", "unknown-code") }
        }

        let name = offer.name.trimmed
        if name.isEmpty { add("name", "required") } else if name.count > 200 { add("name", "too-long") }
        if offer.description.trimmed.isEmpty { add("description", "required") }
        if offer.description.count > 4000 { add("description", "too-long") }
        if !OfferKind.isKnown(offer.kind) { add("kind", "unknown-code") }
        if !SupportType.isKnown(offer.supportType) { add("supportType", "unknown-code") }
        if !Audience.isKnown(offer.audience) { add("audience", "unknown-code") }
        codes(offer.forms, "forms", OfferForm.self)
        codes(offer.themes, "themes", Theme.self)
        if offer.themes.isEmpty { add("themes", "required") }
        codes(offer.forSituations, "forSituations", Situation.self)
        codes(offer.excludesSituations, "excludesSituations", Situation.self)
        codes(offer.suitsSituations, "suitsSituations", Situation.self)
        codes(offer.serviceAreas, "serviceAreas", ServiceArea.self)
        codes(offer.days, "days", Weekday.self)
        codes(offer.culture, "culture", CultureItem.self)
        for (index, code) in offer.languages.enumerated() where !Languages.isKnown(code) {
            add("languages[\(index)]", "unknown-code")
        }
        if offer.languages.isEmpty { add("languages", "required") }
        if let phase = offer.phase, !(1...3).contains(phase) { add("phase", "unknown-code") }
        if let frequency = offer.frequency, !Frequency.isKnown(frequency) { add("frequency", "unknown-code") }
        if let evidence = offer.evidence, !EvidenceLevel.isKnown(evidence) { add("evidence", "unknown-code") }
        if let funding = offer.funding, !FundingSource.isKnown(funding) { add("funding", "unknown-code") }

        if let low = offer.minimumAge, !(0...maxAge).contains(low) { add("minimumAge", "age-invalid") }
        if let high = offer.maximumAge, !(0...maxAge).contains(high) { add("maximumAge", "age-invalid") }
        if let low = offer.minimumAge, let high = offer.maximumAge, low > high { add("maximumAge", "age-range-upside-down") }
        if let capacity = offer.capacity, capacity < 0 { add("capacity", "negative") }
        if let free = offer.freePlaces, free < 0 { add("freePlaces", "negative") }
        if let free = offer.freePlaces, let capacity = offer.capacity, capacity >= 0, free > capacity {
            add("freePlaces", "more-than-capacity")
        }
        if let sessions = offer.sessions, sessions < 1 { add("sessions", "negative") }
        if let cost = offer.cost, cost < 0 || !cost.isFinite { add("cost", "negative") }
        else if let cost = offer.cost, cost > maxCost { add("cost", "cost-too-high") }
        if let url = offer.url, !url.isEmpty, !isWebAddress(url) { add("url", "url-invalid") }

        let opens = offer.opensAt.map(isTime), closes = offer.closesAt.map(isTime)
        if opens == false { add("opensAt", "time-invalid") }
        if closes == false { add("closesAt", "time-invalid") }
        if opens == true, closes == true, let o = offer.opensAt, let c = offer.closesAt, c <= o { add("closesAt", "closes-before-opening") }

        for field in [("activeFrom", offer.activeFrom), ("activeUntil", offer.activeUntil), ("lastChecked", offer.lastChecked)] {
            if let text = field.1, CalendarDate(iso: text) == nil { add(field.0, "date-invalid") }
        }
        if let from = offer.activeFrom.flatMap(CalendarDate.init(iso:)), let until = offer.activeUntil.flatMap(CalendarDate.init(iso:)),
           until < from { add("activeUntil", "before-start") }

        for (index, location) in offer.locations.enumerated() {
            if let postcode = location.postcode, !postcode.isEmpty, !FamilyValidation.isDutchPostcode(postcode) {
                add("locations[\(index)].postcode", "postcode-invalid")
            }
            if let lat = location.latitude, !(-90...90).contains(lat) { add("locations[\(index)].latitude", "coordinate-invalid") }
            if let lon = location.longitude, !(-180...180).contains(lon) { add("locations[\(index)].longitude", "coordinate-invalid") }
        }
        if let email = offer.contactEmail, !email.isEmpty, !(email.contains("@") && email.contains(".")) {
            add("contactEmail", "email-invalid")
        }
        return errors
    }

    /// Euro; a course of a parents' programme costs tens or hundreds, never more than this (1e308 was accepted).
    public static let maxCost: Double = 100_000

    /// Only `http://` or `https://` with a host: the address becomes a link on the staff and parents' pages, where
    /// `javascript:` or `data:` would run or show what the partner typed. No spaces or control characters.
    public static func isWebAddress(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") { rest = lowered.dropFirst(8) }
        else if lowered.hasPrefix("http://") { rest = lowered.dropFirst(7) }
        else { return false }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !host.hasPrefix("@"), !host.hasPrefix(":") else { return false }
        return text.count <= 2_000 && !text.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "\\"
        }
    }

    /// `HH:MM`, 00:00 to 23:59.
    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard text.count == 5, parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return false }
        return (0...23).contains(h) && (0...59).contains(m)
    }
}
