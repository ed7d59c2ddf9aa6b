import Foundation

// Group series as they run (issue 14, items 1–2; docs/groups.md): their codes and the rules a series, its sessions,
// participants and attendance must keep. Pure values; the application's Groups feature stores them.

/// Where a series is in its life.
public enum GroupSeriesStatus: String, VocabularyCode {
    case planned, running, finished, cancelled
    public static let vocabularyName = "seriesStatus"
    /// A series that still takes parents and sessions.
    public var isOpen: Bool { self == .planned || self == .running }
}

/// A parent's answer to the invitation the key person brought.
public enum InvitationAnswer: String, VocabularyCode {
    case invited, accepted, declined
    case noAnswer = "no-answer"
    public static let vocabularyName = "invitation"
}

/// How a parent came into the series.
public enum ParticipantSource: String, VocabularyCode {
    /// From the group's waiting list (a referral to the group offer).
    case waitingList = "waiting-list"
    /// Invited directly (R26: every settled parent is invited).
    case invitation
    public static let vocabularyName = "participantSource"
}

/// Whether a parent is still in the series.
public enum ParticipantStatus: String, VocabularyCode {
    case active
    case droppedOut = "dropped-out"
    public static let vocabularyName = "participantStatus"
}

/// Why a parent stopped coming: what a coordinator can act on, without judging the parent.
public enum DropOutReason: String, VocabularyCode {
    case moved
    case work
    case languageCourse = "language-course"
    case childcare
    case health
    case travel
    case notInterested = "not-interested"
    case other
    public static let vocabularyName = "dropOutReason"
}

/// One parent at one session.
public enum AttendanceStatus: String, VocabularyCode {
    case present, excused, absent
    public static let vocabularyName = "attendance"
}

/// The topic library: every theme of the vocabulary can be a session's topic; these four are the standard topics of
/// the VluchtelingenWerk series (R22): the school system, sexual health, parenting confidence, parenting between two
/// cultures.
public enum GroupTopics {
    public static let standard: [Theme] = [.schoolSystem, .sexualHealth, .parentingConfidence, .twoCultures]
}

/// A series' own fields as submitted.
public struct GroupSeriesDraft: Sendable, Equatable {
    public var language: String
    public var interpreter: Bool
    public var audience: String
    public var minSize: Int
    public var maxSize: Int
    /// A district code of the municipality, or `online`.
    public var place: String
    /// The venue's address (not personal data), empty online.
    public var location: String?
    public var time: String
    public var childcare: Bool
    public var startsOn: String
    public var endsOn: String

    public init(language: String, interpreter: Bool = false, audience: String, minSize: Int = 8, maxSize: Int = 15,
                place: String, location: String? = nil, time: String, childcare: Bool = false,
                startsOn: String, endsOn: String) {
        self.language = language
        self.interpreter = interpreter
        self.audience = audience
        self.minSize = minSize
        self.maxSize = maxSize
        self.place = place
        self.location = location
        self.time = time
        self.childcare = childcare
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}

/// A session's own fields as submitted.
public struct GroupSessionDraft: Sendable, Equatable {
    public var date: String
    public var startsAt: String
    public var endsAt: String
    public var topic: String
    public var place: String?

    public init(date: String, startsAt: String, endsAt: String, topic: String, place: String? = nil) {
        self.date = date
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.topic = topic
        self.place = place
    }
}

public enum GroupSeriesRules {
    /// The most parents a series can take: the seeds' groups are 12–15; 30 leaves room without becoming a lecture.
    public static let largestSeries = 30

    public static func validate(_ draft: GroupSeriesDraft) -> [FieldError] {
        var errors: [FieldError] = []
        if !Languages.isKnown(draft.language) { errors.append(.init("language", "unknown-code")) }
        if !Audience.isKnown(draft.audience) { errors.append(.init("audience", "unknown-code")) }
        if !TimeOfDay.isKnown(draft.time) { errors.append(.init("time", "unknown-code")) }
        if !(1...largestSeries).contains(draft.minSize) { errors.append(.init("minSize", "out-of-range")) }
        if !(1...largestSeries).contains(draft.maxSize) { errors.append(.init("maxSize", "out-of-range")) }
        else if draft.minSize > draft.maxSize { errors.append(.init("maxSize", "below-minimum")) }
        let place = draft.place.trimmingCharacters(in: .whitespaces)
        if place.isEmpty { errors.append(.init("place", "required")) }
        else if place.count > 40 { errors.append(.init("place", "too-long")) }
        if let location = draft.location, location.count > 200 { errors.append(.init("location", "too-long")) }
        let starts = CalendarDate(iso: draft.startsOn), ends = CalendarDate(iso: draft.endsOn)
        if starts == nil { errors.append(.init("startsOn", "invalid-date")) }
        if ends == nil { errors.append(.init("endsOn", "invalid-date")) }
        if let starts, let ends, ends < starts { errors.append(.init("endsOn", "before-start")) }
        return errors
    }

    /// A session of a series that runs from `startsOn` to `endsOn`.
    public static func validate(_ session: GroupSessionDraft, seriesStartsOn: String, seriesEndsOn: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let date = CalendarDate(iso: session.date) {
            if let starts = CalendarDate(iso: seriesStartsOn), date < starts { errors.append(.init("date", "before-series")) }
            if let ends = CalendarDate(iso: seriesEndsOn), date > ends { errors.append(.init("date", "after-series")) }
        } else {
            errors.append(.init("date", "invalid-date"))
        }
        let starts = minutes(session.startsAt), ends = minutes(session.endsAt)
        if starts == nil { errors.append(.init("startsAt", "invalid-time")) }
        if ends == nil { errors.append(.init("endsAt", "invalid-time")) }
        if let starts, let ends, ends <= starts { errors.append(.init("endsAt", "before-start")) }
        if !Theme.isKnown(session.topic) { errors.append(.init("topic", "unknown-code")) }
        if let place = session.place, place.count > 200 { errors.append(.init("place", "too-long")) }
        return errors
    }

    /// Minutes after midnight of `HH:MM`, or nil.
    public static func minutes(_ time: String) -> Int? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...23).contains(hours), (0...59).contains(minutes)
        else { return nil }
        return hours * 60 + minutes
    }

    /// Whether two sessions on the same date overlap in time (`HH:MM` strings already validated).
    public static func overlap(_ a: (startsAt: String, endsAt: String), _ b: (startsAt: String, endsAt: String)) -> Bool {
        guard let a0 = minutes(a.startsAt), let a1 = minutes(a.endsAt), let b0 = minutes(b.startsAt), let b1 = minutes(b.endsAt)
        else { return false }
        return a0 < b1 && b0 < a1
    }
}
