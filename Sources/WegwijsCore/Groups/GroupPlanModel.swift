import Foundation

// The group-series planner's contract (issue 14, item 4; docs/groups.md "The planner"): the JSON that
// `wegwijs plan groups INPUT.json` reads and the plan it writes. Pure values, no I/O.

/// When a parent can come or a facilitator can work.
public enum TimeOfDay: String, VocabularyCode, Comparable {
    case daytime, evening
    public static let vocabularyName = "time"
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.index < b.index }
    var index: Int { self == .daytime ? 0 : 1 }
}

/// What a facilitator does in a series: a person with role trainer only trains, a key person only keys.
public enum FacilitatorRole: String, VocabularyCode {
    case trainer, keyPerson
    public static let vocabularyName = "role"
}

/// The literal place code of an online series; districts are the municipality's own codes (`D03`).
public let onlinePlace = "online"

public struct GroupPlanRules: Codable, Sendable, Equatable {
    /// Fewest parents for a series to start, most it takes.
    public var minSize: Int
    public var maxSize: Int
    public init(minSize: Int = 8, maxSize: Int = 15) {
        self.minSize = minSize
        self.maxSize = maxSize
    }
}

/// A parent waiting for a group. `audience` is `mothers` or `fathers`, or `mixed` for a parent who only fits a
/// mixed group; `mixedOk` lets a mother or father join a mixed series as well.
public struct WaitingParent: Codable, Sendable, Equatable {
    public var id: String
    public var languages: [String]
    public var audience: Audience
    public var mixedOk: Bool
    public var times: [TimeOfDay]
    public var online: Bool
    public var districts: [String]
    public init(id: String, languages: [String], audience: Audience, mixedOk: Bool = false, times: [TimeOfDay],
                online: Bool = false, districts: [String]) {
        self.id = id
        self.languages = languages
        self.audience = audience
        self.mixedOk = mixedOk
        self.times = times
        self.online = online
        self.districts = districts
    }
}

public struct Facilitator: Codable, Sendable, Equatable {
    public var id: String
    public var role: FacilitatorRole
    /// For a key person: the languages a series can be given in with them. A trainer's languages do not restrict.
    public var languages: [String]
    public var times: [TimeOfDay]
    /// How many series this person leads at most (the running ones in `existing` count).
    public var maxSeries: Int
    public init(id: String, role: FacilitatorRole, languages: [String], times: [TimeOfDay], maxSeries: Int) {
        self.id = id
        self.role = role
        self.languages = languages
        self.times = times
        self.maxSeries = maxSeries
    }
}

/// A series that is already running: its participants stay, its facilitators' capacity is used, and its free
/// places (maxSize minus participants) are filled before new series are opened.
public struct ExistingSeries: Codable, Sendable, Equatable {
    public var id: String
    public var language: String
    public var audience: Audience
    public var time: TimeOfDay
    public var place: String
    public var trainer: String
    public var keyPerson: String
    public var parents: [String]
    public init(id: String, language: String, audience: Audience, time: TimeOfDay, place: String, trainer: String,
                keyPerson: String, parents: [String]) {
        self.id = id
        self.language = language
        self.audience = audience
        self.time = time
        self.place = place
        self.trainer = trainer
        self.keyPerson = keyPerson
        self.parents = parents
    }
}

public struct GroupPlanInput: Codable, Sendable, Equatable {
    public var rules: GroupPlanRules
    public var parents: [WaitingParent]
    public var facilitators: [Facilitator]
    public var existing: [ExistingSeries]
    public init(rules: GroupPlanRules = GroupPlanRules(), parents: [WaitingParent], facilitators: [Facilitator],
                existing: [ExistingSeries] = []) {
        self.rules = rules
        self.parents = parents
        self.facilitators = facilitators
        self.existing = existing
    }

    enum CodingKeys: String, CodingKey { case rules, parents, facilitators, existing }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent(GroupPlanRules.self, forKey: .rules) ?? GroupPlanRules()
        parents = try c.decode([WaitingParent].self, forKey: .parents)
        facilitators = try c.decode([Facilitator].self, forKey: .facilitators)
        existing = try c.decodeIfPresent([ExistingSeries].self, forKey: .existing) ?? []
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rules, forKey: .rules)
        try c.encode(parents, forKey: .parents)
        try c.encode(facilitators, forKey: .facilitators)
        if !existing.isEmpty { try c.encode(existing, forKey: .existing) }
    }
}

/// One proposed series. `id` is set only for a series of the input's `existing` (its id); a new series has none.
public struct PlannedSeries: Codable, Sendable, Equatable {
    public var id: String?
    public var language: String
    public var audience: Audience
    public var time: TimeOfDay
    public var place: String
    public var trainer: String
    public var keyPerson: String
    public var parents: [String]
    public init(id: String? = nil, language: String, audience: Audience, time: TimeOfDay, place: String,
                trainer: String, keyPerson: String, parents: [String]) {
        self.id = id
        self.language = language
        self.audience = audience
        self.time = time
        self.place = place
        self.trainer = trainer
        self.keyPerson = keyPerson
        self.parents = parents
    }
}

/// Why the planner could not place a parent: the first thing in the way, for the parent's most promising option.
public enum UnplacedReason: String, VocabularyCode {
    /// No district the parent can reach, and online does not suit them.
    case noMatchingPlace = "no-matching-place"
    /// No key person speaks any of the parent's languages.
    case noKeyPersonForLanguage = "no-key-person-for-language"
    /// Key persons speak the language, but none works at a time the parent can come.
    case noKeyPersonAtTime = "no-key-person-at-time"
    /// No trainer works at a time the parent can come.
    case noTrainerAtTime = "no-trainer-at-time"
    /// The facilitators who could lead the parent's series lead as many series as they can.
    case facilitatorsFullyBooked = "facilitators-fully-booked"
    /// Facilitators are free, but too few parents share a language, audience, time and place to start a series.
    case belowMinimum = "below-minimum"
    public static let vocabularyName = "reason"
}

public struct UnplacedParent: Codable, Sendable, Equatable {
    public var id: String
    public var reason: UnplacedReason
    /// A plain sentence about the situation this parent shares with others (counts and codes, no personal data).
    public var explanation: String
    public init(id: String, reason: UnplacedReason, explanation: String) {
        self.id = id
        self.reason = reason
        self.explanation = explanation
    }
}

public struct GroupPlan: Codable, Sendable, Equatable {
    public var series: [PlannedSeries]
    public var unplaced: [UnplacedParent]
    public init(series: [PlannedSeries], unplaced: [UnplacedParent]) {
        self.series = series
        self.unplaced = unplaced
    }

    /// Byte-identical for the same plan: sorted keys, a fixed layout.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    public var placedCount: Int { series.reduce(0) { $0 + $1.parents.count } }
}
