import Foundation
import Testing
@testable import WegwijsCore

@Suite("iCalendar writer (RFC 5545)")
struct ICalendarTests {
    @Test("TEXT escaping: backslash, semicolon, comma, every kind of line break; control characters dropped")
    func escaping() {
        #expect(ICalendarText.escape(#"a\b"#) == #"a\\b"#)
        #expect(ICalendarText.escape("Zaal 1; ingang B, achterom") == #"Zaal 1\; ingang B\, achterom"#)
        #expect(ICalendarText.escape("een\ntwee\r\ndrie\rvier") == #"een\ntwee\ndrie\nvier"#)
        #expect(ICalendarText.escape("bel\u{07}l\tok") == "bell\tok")
        // Escaping the backslash first: an already escaped text is escaped again, not left as is.
        #expect(ICalendarText.escape(#"\n"#) == #"\\n"#)
    }

    @Test("Lines up to 75 octets stay whole; longer ones fold with CRLF and one space")
    func foldingASCII() {
        let exact = String(repeating: "a", count: 75)
        #expect(ICalendarText.fold(exact) == exact)
        let long = String(repeating: "b", count: 160)
        let folded = ICalendarText.fold(long)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count == 3)
        #expect(parts.map(\.utf8.count) == [75, 75, 12]) // 75 + 74 + 11 octets of content
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        // Unfolding (remove CRLF + one space) gives the line back.
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == long)
    }

    @Test("Folding counts octets and never splits a multi-byte character", arguments: [
        String(repeating: "é", count: 80),        // 2 octets each
        String(repeating: "ሰላም ", count: 30),    // Ge'ez (Tigrinya): 3 octets each
        "SUMMARY:" + String(repeating: "👩‍👧", count: 12), // 4-octet scalars and zero-width joiners
        "x" + String(repeating: "ع", count: 60),   // Arabic, odd start so breaks fall mid-pair without care
    ])
    func foldingMultiByte(_ line: String) {
        let folded = ICalendarText.fold(line)
        let physical = folded.components(separatedBy: "\r\n")
        #expect(physical.count > 1)
        for part in physical {
            #expect(part.utf8.count <= 75, "a physical line of \(part.utf8.count) octets")
            // Each physical line is valid UTF-8 on its own: no sequence was cut.
            #expect(String(validating: Array(part.utf8), as: UTF8.self) != nil)
        }
        #expect(physical.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        // The first line is filled as far as a whole character allows (no needless short lines).
        let firstScalarAfter = line.unicodeScalars.dropFirst(physical[0].unicodeScalars.count).first!
        #expect(physical[0].utf8.count + UTF8.width(firstScalarAfter) > 75)
    }

    @Test("UTC stamps and local Amsterdam date-times")
    func dateTimes() {
        // 2027-01-05 11:00 in Amsterdam (winter, +01:00) is 10:00 UTC.
        let noon = CalendarDate(year: 2027, month: 1, day: 5)!.noonInNetherlands
        #expect(ICalendarText.utcStamp(noon) == "20270105T110000Z")
        #expect(ICalendarText.utcStamp(CalendarDate(year: 2027, month: 7, day: 1)!.noonInNetherlands) == "20270701T100000Z")
        #expect(ICalendarText.localDateTime(CalendarDate(year: 2027, month: 3, day: 9)!, "09:05") == "20270309T090500")
    }

    @Test("A whole calendar, byte for byte")
    func wholeCalendar() {
        let calendar = ICalendar(name: "Groep Tigrinya moeders", events: [
            ICalendarEvent(uid: "3f1c@wegwijs", date: CalendarDate(year: 2027, month: 1, day: 6)!, startsAt: "19:00",
                           endsAt: "21:00", summary: "Groep Tigrinya moeders — bijeenkomst 1: Het schoolsysteem",
                           location: "Buurthuis De Linde, Kerkstraat 1", description: "Taal: Tigrinya\nKinderopvang: ja"),
            ICalendarEvent(uid: "9a2d@wegwijs", date: CalendarDate(year: 2027, month: 4, day: 14)!, startsAt: "10:00",
                           endsAt: "12:00", summary: "Kort"),
        ])
        let stamp = CalendarDate(year: 2027, month: 1, day: 5)!.noonInNetherlands
        let expected = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Wegwijs//Groepen//NL",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Groep Tigrinya moeders",
            "X-WR-TIMEZONE:Europe/Amsterdam",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Amsterdam",
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
            "BEGIN:VEVENT",
            "UID:3f1c@wegwijs",
            "DTSTAMP:20270105T110000Z",
            "DTSTART;TZID=Europe/Amsterdam:20270106T190000",
            "DTEND;TZID=Europe/Amsterdam:20270106T210000",
            "SUMMARY:Groep Tigrinya moeders — bijeenkomst 1: Het schoolsysteem",
            #"LOCATION:Buurthuis De Linde\, Kerkstraat 1"#,
            #"DESCRIPTION:Taal: Tigrinya\nKinderopvang: ja"#,
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:9a2d@wegwijs",
            "DTSTAMP:20270105T110000Z",
            "DTSTART;TZID=Europe/Amsterdam:20270414T100000",
            "DTEND;TZID=Europe/Amsterdam:20270414T120000",
            "SUMMARY:Kort",
            "END:VEVENT",
            "END:VCALENDAR",
        ].map { $0 + "\r\n" }.joined()
        let rendered = calendar.render(stamp: stamp)
        #expect(rendered == expected)
        // Every line ends in CRLF: no bare LF anywhere.
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
    }

    @Test("A long summary in the feed is folded and unfolds to the escaped text")
    func longSummaryFolds() {
        let summary = "Groep Tigrinya moeders — bijeenkomst 4: Opvoeden tussen twee culturen, met de JGZ; ሰላም"
        let rendered = ICalendar(name: "x", events: [
            ICalendarEvent(uid: "u", date: CalendarDate(year: 2027, month: 2, day: 3)!, startsAt: "10:00", endsAt: "11:00",
                           summary: summary),
        ]).render(stamp: Date(timeIntervalSince1970: 0))
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        let unfolded = rendered.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + ICalendarText.escape(summary) + "\r\n"))
    }
}
