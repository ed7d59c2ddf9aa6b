import Foundation

// An RFC 5545 iCalendar writer for the group calendar feeds (issue 14, item 5; docs/groups.md, "Calendar"). Small on
// purpose: it writes only what a feed of meetings needs (events in Amsterdam time), and writes it strictly — CRLF line
// ends, text escaped, long lines folded at 75 octets without splitting a UTF-8 sequence — because calendar clients
// (Outlook, Google, Apple) each fail differently on a sloppy feed.

/// One meeting in a feed: a local date and wall-clock times in Europe/Amsterdam.
public struct ICalendarEvent: Sendable, Equatable {
    /// Stable across feeds and refreshes (a client updates the event instead of adding a second one).
    public var uid: String
    public var date: CalendarDate
    /// `HH:MM`.
    public var startsAt: String
    /// `HH:MM`, after `startsAt` on the same day.
    public var endsAt: String
    public var summary: String
    public var location: String?
    public var description: String?

    public init(uid: String, date: CalendarDate, startsAt: String, endsAt: String, summary: String,
                location: String? = nil, description: String? = nil) {
        self.uid = uid
        self.date = date
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.summary = summary
        self.location = location
        self.description = description
    }
}

public struct ICalendar: Sendable, Equatable {
    public static let timeZoneID = "Europe/Amsterdam"

    /// `X-WR-CALNAME`: the name a client shows for the subscribed calendar.
    public var name: String
    public var productID: String
    public var events: [ICalendarEvent]

    public init(name: String, productID: String = "-//Wegwijs//Groepen//NL", events: [ICalendarEvent]) {
        self.name = name
        self.productID = productID
        self.events = events
    }

    /// The whole calendar, CRLF-terminated lines, folded. `stamp` is DTSTAMP of every event (when the feed was
    /// written), given in UTC as the RFC requires.
    public func render(stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "PRODID:" + ICalendarText.escape(productID),
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + ICalendarText.escape(name),
            "X-WR-TIMEZONE:" + Self.timeZoneID,
        ]
        lines += Self.amsterdam
        let dtstamp = ICalendarText.utcStamp(stamp)
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + ICalendarText.escape(event.uid))
            lines.append("DTSTAMP:" + dtstamp)
            lines.append("DTSTART;TZID=\(Self.timeZoneID):" + ICalendarText.localDateTime(event.date, event.startsAt))
            lines.append("DTEND;TZID=\(Self.timeZoneID):" + ICalendarText.localDateTime(event.date, event.endsAt))
            lines.append("SUMMARY:" + ICalendarText.escape(event.summary))
            if let location = event.location, !location.isEmpty { lines.append("LOCATION:" + ICalendarText.escape(location)) }
            if let description = event.description, !description.isEmpty {
                lines.append("DESCRIPTION:" + ICalendarText.escape(description))
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map { ICalendarText.fold($0) + "\r\n" }.joined()
    }

    /// Europe/Amsterdam since 1996 (the EU rule): summer time from the last Sunday of March 02:00 to the last Sunday
    /// of October 03:00. Written out so that a client without a time-zone database still shows Dutch times.
    static let amsterdam = [
        "BEGIN:VTIMEZONE",
        "TZID:" + timeZoneID,
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
}

/// The pieces of RFC 5545's syntax, public so tests can pin each rule on its own.
public enum ICalendarText {
    /// The longest a content line may be, in octets, not counting its CRLF (RFC 5545 §3.1).
    public static let lineLimit = 75

    /// A TEXT value (§3.3.11): backslash, semicolon and comma escaped, every line break as `\n`; other control
    /// characters are not allowed in TEXT and are dropped.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousCR { result += "\\n" }
            case "\t": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// One content line folded (§3.1): at most 75 octets per physical line, continuation lines start with one
    /// space. Breaks only between Unicode scalars, so a multi-byte UTF-8 character is never split.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > lineLimit else { return line }
        var result = ""
        var used = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if used + size > lineLimit {
                result += "\r\n "
                used = 1
            }
            result.unicodeScalars.append(scalar)
            used += size
        }
        return result
    }

    /// `yyyyMMddTHHmmssZ` in UTC.
    public static func utcStamp(_ moment: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
        return digits(p.year!, 4) + digits(p.month!, 2) + digits(p.day!, 2) + "T"
            + digits(p.hour!, 2) + digits(p.minute!, 2) + digits(p.second!, 2) + "Z"
    }

    /// `yyyyMMddTHHmm00`, a local (floating) date-time for use with `TZID`; `time` is `HH:MM`.
    public static func localDateTime(_ date: CalendarDate, _ time: String) -> String {
        let minutes = GroupSeriesRules.minutes(time) ?? 0
        return digits(date.year, 4) + digits(date.month, 2) + digits(date.day, 2) + "T"
            + digits(minutes / 60, 2) + digits(minutes % 60, 2) + "00"
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
