import Foundation

/// Why something is on a worklist. Each kind has one action that resolves it (`action`) and a due date rule
/// (`WorkRules`); the worklist is ordered by due date, and on the same day by the kind's place in this list
/// (safety first: an unanswered signal before a plan to review).
public enum WorkKind: String, VocabularyCode {
    /// A concern raised on a family that the lead has not handled yet.
    case signalUnanswered = "signal-unanswered"
    /// The partner has not answered a referral within its working days (the lead chases).
    case referralNoAnswer = "referral-no-answer"
    /// Accepted, but the first contact has not happened within its days (the lead chases).
    case referralNoFirstContact = "referral-no-first-contact"
    /// On a waiting list past the expected date (the lead asks the partner).
    case referralWaitingPastExpected = "referral-waiting-past-expected"
    /// A partner: a referral to answer, by its answer-by date.
    case referralToAnswer = "referral-to-answer"
    /// A partner: accepted, the first contact still to plan.
    case firstContactToPlan = "first-contact-to-plan"
    /// A partner: the planned first contact has passed; record whether it happened.
    case firstContactToRecord = "first-contact-to-record"
    /// A first contact the user goes along to (the warm handover), with its date, time and place.
    case firstContactComing = "first-contact-coming"
    /// An open action of the family plan, due soon or overdue.
    case planActionDue = "plan-action-due"
    /// The family plan's review date has come (or comes within the look-ahead).
    case planReviewDue = "plan-review-due"
    /// A (new) screening is due.
    case screeningDue = "screening-due"
    /// No recorded contact for the set number of weeks (registration counts as the first contact).
    case noRecentContact = "no-recent-contact"

    public static let vocabularyName = "work-kind"

    /// The one thing to do.
    public var action: WorkAction {
        switch self {
        case .signalUnanswered: .answerSignal
        case .referralNoAnswer, .referralNoFirstContact: .chasePartner
        case .referralWaitingPastExpected: .askAboutWaitingList
        case .referralToAnswer: .answerReferral
        case .firstContactToPlan: .planFirstContact
        case .firstContactToRecord: .recordFirstContact
        case .firstContactComing: .goAlong
        case .planActionDue: .doPlanAction
        case .planReviewDue: .reviewPlan
        case .screeningDue: .screen
        case .noRecentContact: .contactFamily
        }
    }

    /// Place in the order of kinds due on the same day (0 first).
    public var rank: Int { Self.allCases.firstIndex(of: self)! }
}

/// The action that resolves a work item (shown as the item's one button or link).
public enum WorkAction: String, VocabularyCode {
    case answerSignal = "answer-signal"
    case chasePartner = "chase-partner"
    case askAboutWaitingList = "ask-about-waiting-list"
    case answerReferral = "answer-referral"
    case planFirstContact = "plan-first-contact"
    case recordFirstContact = "record-first-contact"
    case goAlong = "go-along"
    case doPlanAction = "do-plan-action"
    case reviewPlan = "review-plan"
    case screen = "screen"
    case contactFamily = "contact-family"

    public static let vocabularyName = "work-action"
}

/// The settings behind the due dates of the family items.
public struct WorkRules: Sendable, Equatable {
    /// A family without contact for this many weeks is on the lead's worklist.
    public var noContactWeeks: Int
    /// A new screening is due this many weeks after the last one.
    public var rescreenWeeks: Int
    /// A newly registered family's first screening is due this many days after registration.
    public var firstScreeningDays: Int
    /// A signal is answered within this many working days.
    public var signalWorkingDays: Int
    /// What falls due within this many days already shows ("coming up").
    public var lookAheadDays: Int

    public init(noContactWeeks: Int = 6, rescreenWeeks: Int = 12, firstScreeningDays: Int = 14,
                signalWorkingDays: Int = 2, lookAheadDays: Int = 7) {
        self.noContactWeeks = noContactWeeks
        self.rescreenWeeks = rescreenWeeks
        self.firstScreeningDays = firstScreeningDays
        self.signalWorkingDays = signalWorkingDays
        self.lookAheadDays = lookAheadDays
    }
}

/// What the worklist knows of one active family the user works with.
public struct FamilyWorkFacts: Sendable, Equatable {
    /// The user is the family's lead (case manager): signals, reviews, screenings and contact are theirs.
    public var isLead: Bool
    public var registeredOn: CalendarDate
    public var lastContactOn: CalendarDate?
    public var lastScreeningOn: CalendarDate?
    /// The date of the oldest open signal, and how many are open.
    public var oldestOpenSignalOn: CalendarDate?
    public var openSignals: Int
    public var reviewOn: CalendarDate?
    /// The earliest due date among the plan's open actions, and that action's text.
    public var nextActionDue: CalendarDate?
    public var nextActionText: String?

    public init(isLead: Bool, registeredOn: CalendarDate, lastContactOn: CalendarDate? = nil,
                lastScreeningOn: CalendarDate? = nil, oldestOpenSignalOn: CalendarDate? = nil, openSignals: Int = 0,
                reviewOn: CalendarDate? = nil, nextActionDue: CalendarDate? = nil, nextActionText: String? = nil) {
        self.isLead = isLead
        self.registeredOn = registeredOn
        self.lastContactOn = lastContactOn
        self.lastScreeningOn = lastScreeningOn
        self.oldestOpenSignalOn = oldestOpenSignalOn
        self.openSignals = openSignals
        self.reviewOn = reviewOn
        self.nextActionDue = nextActionDue
        self.nextActionText = nextActionText
    }
}

/// One thing to do: why (`kind`), by when (`due`), since when (`since`: what started the clock).
public struct WorkDue: Sendable, Equatable {
    public let kind: WorkKind
    public let due: CalendarDate
    public let since: CalendarDate?
    /// Free text the item carries (the plan action's own words), or nil.
    public let detail: String?

    public init(kind: WorkKind, due: CalendarDate, since: CalendarDate? = nil, detail: String? = nil) {
        self.kind = kind
        self.due = due
        self.since = since
        self.detail = detail
    }
}

extension WorkRules {
    /// The items one family puts on the user's worklist today. Registration counts as a contact, so a family
    /// registered this week is not "without contact"; never screened means due `firstScreeningDays` after
    /// registration.
    public func items(for facts: FamilyWorkFacts, today: CalendarDate) -> [WorkDue] {
        let horizon = today.adding(days: lookAheadDays)
        var items: [WorkDue] = []
        if let due = facts.nextActionDue, due <= horizon {
            items.append(WorkDue(kind: .planActionDue, due: due, detail: facts.nextActionText))
        }
        guard facts.isLead else { return items }
        if facts.openSignals > 0, let raised = facts.oldestOpenSignalOn {
            items.append(WorkDue(kind: .signalUnanswered, due: WorkingDays.adding(signalWorkingDays, to: raised), since: raised))
        }
        if let review = facts.reviewOn, review <= horizon {
            items.append(WorkDue(kind: .planReviewDue, due: review))
        }
        let screeningDue = facts.lastScreeningOn.map { $0.adding(days: 7 * rescreenWeeks) }
            ?? facts.registeredOn.adding(days: firstScreeningDays)
        if screeningDue <= horizon {
            items.append(WorkDue(kind: .screeningDue, due: screeningDue, since: facts.lastScreeningOn))
        }
        let lastContact = max(facts.lastContactOn ?? facts.registeredOn, facts.registeredOn)
        let contactDue = lastContact.adding(days: 7 * noContactWeeks)
        if contactDue <= today {
            items.append(WorkDue(kind: .noRecentContact, due: contactDue, since: lastContact))
        }
        return items
    }
}

/// A family's work item with the day it starts to show, whoever looks and whatever today is: what the database keeps
/// per family (`family_work_items`), so a worklist is read as one index range instead of running the rules over every
/// family on each request. Only a change of the family's facts changes its schedule; the passing days do not.
public struct ScheduledWork: Sendable, Equatable {
    public let item: WorkDue
    /// The first day the item is on a worklist (the look-ahead before its due date, or the due date itself).
    public let visibleFrom: CalendarDate
    /// Only the family's lead sees it (everything but a plan action, which the key person and social worker see too).
    public let leadOnly: Bool

    public init(item: WorkDue, visibleFrom: CalendarDate, leadOnly: Bool) {
        self.item = item
        self.visibleFrom = visibleFrom
        self.leadOnly = leadOnly
    }

    /// Shown from the start: an unanswered signal is on the lead's worklist from the day it is raised.
    public static let always = CalendarDate(year: 1900, month: 1, day: 1)!
}

extension WorkRules {
    /// Every item the family's facts can put on a worklist, each with the day it starts to show: on a given day the
    /// items of `items(for:today:)` are exactly those with `visibleFrom <= today` (and, for anyone but the lead, not
    /// `leadOnly`). `facts.isLead` is not read.
    public func schedule(for facts: FamilyWorkFacts) -> [ScheduledWork] {
        var schedule: [ScheduledWork] = []
        if let due = facts.nextActionDue {
            schedule.append(ScheduledWork(item: WorkDue(kind: .planActionDue, due: due, detail: facts.nextActionText),
                                          visibleFrom: due.adding(days: -lookAheadDays), leadOnly: false))
        }
        if facts.openSignals > 0, let raised = facts.oldestOpenSignalOn {
            schedule.append(ScheduledWork(item: WorkDue(kind: .signalUnanswered, due: WorkingDays.adding(signalWorkingDays, to: raised),
                                                        since: raised),
                                          visibleFrom: ScheduledWork.always, leadOnly: true))
        }
        if let review = facts.reviewOn {
            schedule.append(ScheduledWork(item: WorkDue(kind: .planReviewDue, due: review),
                                          visibleFrom: review.adding(days: -lookAheadDays), leadOnly: true))
        }
        let screeningDue = facts.lastScreeningOn.map { $0.adding(days: 7 * rescreenWeeks) }
            ?? facts.registeredOn.adding(days: firstScreeningDays)
        schedule.append(ScheduledWork(item: WorkDue(kind: .screeningDue, due: screeningDue, since: facts.lastScreeningOn),
                                      visibleFrom: screeningDue.adding(days: -lookAheadDays), leadOnly: true))
        let lastContact = max(facts.lastContactOn ?? facts.registeredOn, facts.registeredOn)
        let contactDue = lastContact.adding(days: 7 * noContactWeeks)
        schedule.append(ScheduledWork(item: WorkDue(kind: .noRecentContact, due: contactDue, since: lastContact),
                                      visibleFrom: contactDue, leadOnly: true))
        return schedule
    }

    /// What identifies these rules in the database: when the stored schedules were made with other rules (another
    /// `WEGWIJS_NO_CONTACT_WEEKS`), they are made again.
    public var fingerprint: String {
        "v1 contact=\(noContactWeeks)w rescreen=\(rescreenWeeks)w first=\(firstScreeningDays)d signal=\(signalWorkingDays)wd ahead=\(lookAheadDays)d"
    }
}

/// Ordering, counting and paging a worklist, whatever its items carry.
public enum WorklistOrder {
    /// Most urgent first: the earliest due date; on the same day, the kind's rank; then `tiebreak` (a name, an id)
    /// so that pages are stable.
    public static func sorted<Item>(_ items: [Item], due: (Item) -> CalendarDate, kind: (Item) -> WorkKind,
                                    tiebreak: (Item) -> String) -> [Item] {
        items.sorted { a, b in
            let (da, db) = (due(a), due(b))
            if da != db { return da < db }
            let (ka, kb) = (kind(a).rank, kind(b).rank)
            if ka != kb { return ka < kb }
            return tiebreak(a) < tiebreak(b)
        }
    }

    /// How many items of each kind (kinds without items left out).
    public static func counts<Item>(_ items: [Item], kind: (Item) -> WorkKind) -> [WorkKind: Int] {
        items.reduce(into: [:]) { $0[kind($1), default: 0] += 1 }
    }
}
