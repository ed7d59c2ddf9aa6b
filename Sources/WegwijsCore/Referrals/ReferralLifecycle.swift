/// The life of a referral (issue 8): a promise tracked to its end. Every change of state is one of the transitions
/// below; anything else is refused. Plain values, so the rules are tested without a server.
public enum ReferralStatus: String, VocabularyCode {
    case draft, sent, accepted, declined
    case waitingList = "waiting-list"
    case firstContactPlanned = "first-contact-planned"
    case firstContactMade = "first-contact-made"
    case active, completed, cancelled
    public static let vocabularyName = "referralStatus"

    /// No further transitions: the partner's access runs out a configurable period after this.
    public var isClosed: Bool { self == .declined || self == .completed || self == .cancelled }
    /// Sent and not yet closed: the partner works on it.
    public var isOpen: Bool { self != .draft && !isClosed }
}

/// How a referral ended well or not (reported back to the lead).
public enum ReferralOutcome: String, VocabularyCode {
    case goalReached = "goal-reached", partlyReached = "partly-reached", droppedOut = "dropped-out", movedOn = "moved-on"
    public static let vocabularyName = "referralOutcome"
}

/// Why a partner declined a referral: a code the referral report counts (docs/reports.md), with the partner's own
/// words beside it (`reason`, optional, required for `other`).
public enum DeclineReason: String, VocabularyCode {
    case noCapacity = "no-capacity", notSuitable = "not-suitable", outsideTargetGroup = "outside-target-group"
    case familyUnreachable = "family-unreachable", languageNotOffered = "language-not-offered", other
    public static let vocabularyName = "declineReason"
}

/// Which side of the referral acts: the municipality's lead (case manager), the receiving partner, or the key person or
/// social worker who goes along to the first contact (warm handover, R40/R43).
public enum ReferralActor: String, Sendable {
    case lead, partner, companion
}

/// The fields of a family a referral may share. The partner sees these and nothing else. The first four are the minimal
/// default; the others only when ticked for this referral. Each needs the consent to cover its data category.
public enum ReferralSharedField: String, VocabularyCode {
    case firstName = "first-name", language, childrenAges = "children-ages", question
    case familyName = "family-name", contactDetails = "contact-details", situations, screening
    public static let vocabularyName = "sharedField"

    public static let minimalDefault: [ReferralSharedField] = [.firstName, .language, .childrenAges, .question]

    /// The consent's data category that must cover this field; nil when any consent for the referral covers it (a
    /// first name is what a referral is made of).
    public var consentCategory: DataCategory? {
        switch self {
        case .firstName: return nil
        case .language: return .languages
        case .childrenAges: return .children
        case .question: return .questions
        case .familyName, .contactDetails: return .contactDetails
        case .situations: return .health
        case .screening: return .screening
        }
    }
}

public enum ReferralLifecycle {
    /// Every allowed transition and who may make it. A state may follow itself where that means something: planning
    /// the first contact again, or reporting progress while active.
    public static let transitions: [ReferralStatus: [ReferralStatus: Set<ReferralActor>]] = [
        .draft: [.sent: [.lead], .cancelled: [.lead]],
        .sent: [.accepted: [.partner], .declined: [.partner], .waitingList: [.partner], .cancelled: [.lead]],
        .accepted: [.waitingList: [.partner], .firstContactPlanned: [.partner, .lead], .cancelled: [.lead, .partner]],
        .waitingList: [.accepted: [.partner], .firstContactPlanned: [.partner, .lead], .cancelled: [.lead, .partner]],
        .firstContactPlanned: [.firstContactPlanned: [.partner, .lead], .firstContactMade: [.partner, .lead, .companion],
                               .cancelled: [.lead, .partner]],
        .firstContactMade: [.active: [.partner], .completed: [.partner, .lead], .cancelled: [.lead, .partner]],
        .active: [.active: [.partner], .completed: [.partner, .lead], .cancelled: [.lead, .partner]],
    ]

    public static func next(from status: ReferralStatus) -> [ReferralStatus] {
        ReferralStatus.allCases.filter { transitions[status]?[$0] != nil }
    }

    public static func next(from status: ReferralStatus, by actors: Set<ReferralActor>) -> [ReferralStatus] {
        ReferralStatus.allCases.filter { !(transitions[status]?[$0] ?? []).isDisjoint(with: actors) }
    }

    public static func isAllowed(_ from: ReferralStatus, _ to: ReferralStatus) -> Bool { transitions[from]?[to] != nil }

    public static func mayMake(_ from: ReferralStatus, _ to: ReferralStatus, as actors: Set<ReferralActor>) -> Bool {
        !(transitions[from]?[to] ?? []).isDisjoint(with: actors)
    }
}

/// What a transition must carry besides its target state.
public struct ReferralTransitionInput: Sendable, Equatable {
    public var note: String?
    public var reason: String?
    public var expectedDate: String?
    public var plannedOn: String?
    public var plannedTime: String?
    /// For `first-contact-planned`: where (free text, at most `maxPlace` characters).
    public var plannedPlace: String?
    public var companionSet: Bool
    public var accompanied: Bool?
    public var outcome: String?
    /// For `declined`: a `DeclineReason` code.
    public var declineReason: String?
    /// For `first-contact-made`: the day it happened (ISO); absent means today. Never in the future.
    public var madeOn: String?

    public init(note: String? = nil, reason: String? = nil, expectedDate: String? = nil, plannedOn: String? = nil,
                plannedTime: String? = nil, companionSet: Bool = false, accompanied: Bool? = nil, outcome: String? = nil,
                declineReason: String? = nil, madeOn: String? = nil, plannedPlace: String? = nil) {
        self.plannedPlace = plannedPlace
        self.declineReason = declineReason
        self.madeOn = madeOn
        self.note = note
        self.reason = reason
        self.expectedDate = expectedDate
        self.plannedOn = plannedOn
        self.plannedTime = plannedTime
        self.companionSet = companionSet
        self.accompanied = accompanied
        self.outcome = outcome
    }

    public static let maxText = 2000
    public static let maxPlace = 200

    /// The decline reason to store: the code given, or `other` for words without a code.
    public var declineCode: String? {
        if let declineReason, DeclineReason.isKnown(declineReason) { return declineReason }
        return reason?.isEmpty == false ? DeclineReason.other.rawValue : nil
    }

    /// The field problems of moving to `to` with this input on `today`.
    public func validate(to: ReferralStatus, today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        func required(_ value: String?, _ field: String) {
            if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.append(.init(field, "required")) }
        }
        func date(_ value: String?, _ field: String, notBefore: CalendarDate?) {
            guard let value, !value.isEmpty else { errors.append(.init(field, "required")); return }
            guard let parsed = CalendarDate(iso: value) else { errors.append(.init(field, "date-invalid")); return }
            if let notBefore, parsed < notBefore { errors.append(.init(field, "past-date")) }
        }
        switch to {
        case .declined:
            // A code; the words are optional beside it, and needed for `other`. A client that sends only words (as
            // before the codes) declines for `other`.
            if let declineReason, !declineReason.isEmpty {
                if !DeclineReason.isKnown(declineReason) { errors.append(.init("declineReason", "unknown-code")) }
                else if declineReason == DeclineReason.other.rawValue { required(reason, "reason") }
            } else if (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(.init("declineReason", "required"))
            }
        case .cancelled: required(reason, "reason")
        case .waitingList: date(expectedDate, "expectedDate", notBefore: today)
        case .firstContactPlanned:
            date(plannedOn, "plannedOn", notBefore: today)
            if let time = plannedTime, !time.isEmpty, !Self.isTime(time) { errors.append(.init("plannedTime", "time-invalid")) }
            if (plannedPlace?.count ?? 0) > Self.maxPlace { errors.append(.init("plannedPlace", "too-long")) }
        case .firstContactMade:
            if companionSet && accompanied == nil { errors.append(.init("accompanied", "required")) }
            if let madeOn, !madeOn.isEmpty {
                if let day = CalendarDate(iso: madeOn) {
                    if day > today { errors.append(.init("madeOn", "future-date")) }
                } else {
                    errors.append(.init("madeOn", "date-invalid"))
                }
            }
        case .completed:
            if let outcome, !outcome.isEmpty {
                if !ReferralOutcome.isKnown(outcome) { errors.append(.init("outcome", "unknown-code")) }
            } else {
                errors.append(.init("outcome", "required"))
            }
        default: break
        }
        for (value, field) in [(note, "note"), (reason, "reason")] where (value?.count ?? 0) > Self.maxText {
            errors.append(.init(field, "too-long"))
        }
        return errors
    }

    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]) else { return false }
        return (0..<24).contains(h) && (0..<60).contains(m)
    }
}
