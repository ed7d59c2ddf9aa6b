import Foundation

/// The one clock every date rule reads: "today" for the timers, the Meldcode steps, screenings due, sessions and
/// tokens expiring, and the time written into records. The application keeps one in its storage
/// (`Application.clock`); tests pin it to a fixed moment or move it by hand, so no test depends on the day it runs.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The machine's clock. Read directly (never the application's clock) by what must follow real time whatever a
    /// test or an operator sets: session and token lifetimes, cache ages, the date of an e-mail, and the moment written
    /// into an audit entry — a wrongly set clock must never extend a session or misdate the audit trail.
    public static let system = WallClock { Date() }

    /// Always the same moment.
    public static func fixed(_ moment: Date) -> WallClock { WallClock { moment } }

    public var now: Date { read() }

    /// Today in the Netherlands, where the families and the staff are.
    public var today: CalendarDate { CalendarDate.inNetherlands(now) }
}

/// A clock a test sets and moves by hand ("a week passes"). Thread-safe: requests read it while the test moves it.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var moment: Date

    public init(_ start: Date) { moment = start }

    /// Noon in Amsterdam on `date`, so that moving by whole days never crosses midnight by a summer-time hour.
    public convenience init(_ date: CalendarDate) { self.init(date.noonInNetherlands) }

    public var now: Date { lock.withLock { moment } }

    public func set(_ date: CalendarDate) { lock.withLock { moment = date.noonInNetherlands } }

    public func advance(days: Int) { lock.withLock { moment = moment.addingTimeInterval(Double(days) * 86_400) } }

    public func advance(seconds: TimeInterval) { lock.withLock { moment = moment.addingTimeInterval(seconds) } }

    public var clock: WallClock { WallClock { [self] in now } }
}

extension CalendarDate {
    private static let netherlands: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .current
        return calendar
    }()

    /// The calendar date in the Netherlands at `moment`. From 1996 on by arithmetic (CET, and CEST from the last Sunday
    /// of March to the last Sunday of October at 01:00 UTC, the EU rule): lists turn thousands of timestamps into days,
    /// and Foundation's calendar costs microseconds each. Other years through the calendar; both agree (tested).
    public static func inNetherlands(_ moment: Date) -> CalendarDate {
        let seconds = moment.timeIntervalSince1970
        let utc = fromDayNumber(unixEpochDay + Int((seconds / 86_400).rounded(.down)))
        guard (1996...2199).contains(utc.year) else { return viaCalendar(moment) }
        let summerStart = lastSunday(month: 3, year: utc.year), summerEnd = lastSunday(month: 10, year: utc.year)
        let start = Double(summerStart.dayNumber - unixEpochDay) * 86_400 + 3_600
        let end = Double(summerEnd.dayNumber - unixEpochDay) * 86_400 + 3_600
        let offset: Double = seconds >= start && seconds < end ? 7_200 : 3_600
        return fromDayNumber(unixEpochDay + Int(((seconds + offset) / 86_400).rounded(.down)))
    }

    /// Through Foundation's calendar for Europe/Amsterdam (every year).
    static func viaCalendar(_ moment: Date) -> CalendarDate {
        let parts = netherlands.dateComponents([.year, .month, .day], from: moment)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    private static let unixEpochDay = CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber

    private static func lastSunday(month: Int, year: Int) -> CalendarDate {
        let last = CalendarDate(year: year, month: month, day: 31)!
        return last.adding(days: -((WorkingDays.weekday(last) + 1) % 7))
    }

    /// 12:00 in Amsterdam on this date.
    public var noonInNetherlands: Date {
        Self.netherlands.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }
}

extension Duration {
    /// The duration in seconds, for reporting how long a step took (measured on `ContinuousClock`, which a changed
    /// wall clock does not move).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
