import Foundation
import Testing
@testable import WegwijsCore

@Suite("The one clock")
struct WallClockTests {
    @Test("A manual clock gives the date in Amsterdam and moves by whole days")
    func manual() {
        let clock = ManualClock(CalendarDate(iso: "2026-12-24")!)
        #expect(clock.clock.today.iso == "2026-12-24")
        clock.advance(days: 9)
        #expect(clock.clock.today.iso == "2027-01-02")
        // Across the change to summer time (28 March 2027) noon stays on its day.
        clock.set(CalendarDate(iso: "2027-03-27")!)
        clock.advance(days: 1)
        #expect(clock.clock.today.iso == "2027-03-28")
    }

    @Test("Late evening in Amsterdam is already the next day in UTC terms, but still today for the rules")
    func timeZone() {
        // 22:30 UTC on 31 December is 23:30 in Amsterdam: still New Year's Eve there.
        let moment = ISO8601DateFormatter().date(from: "2026-12-31T22:30:00Z")!
        #expect(WallClock.fixed(moment).today.iso == "2026-12-31")
        // 23:30 UTC is 00:30 on 1 January in Amsterdam.
        #expect(WallClock.fixed(moment.addingTimeInterval(3600)).today.iso == "2027-01-01")
    }

    @Test("The day in the Netherlands by arithmetic is the calendar's, around every change of summer time and at random")
    func dayByArithmetic() {
        var moments: [Date] = []
        // Each hour around the changes of 1996, 2026 and 2199, and around New Year.
        for (year, month, day) in [(1996, 3, 31), (1996, 10, 27), (2026, 3, 29), (2026, 10, 25), (2026, 12, 31),
                                   (2199, 3, 31), (2199, 10, 27)] {
            let noon = CalendarDate(year: year, month: month, day: day)!.noonInNetherlands
            for hour in -36...36 { moments.append(noon.addingTimeInterval(Double(hour) * 3_600 + 1_799)) }
        }
        var rng = SplitMix64(seed: 20261204)
        for _ in 0..<5_000 { moments.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...7_000_000_000, using: &rng))) }
        for moment in moments {
            #expect(CalendarDate.inNetherlands(moment) == CalendarDate.viaCalendar(moment), "\(moment)")
        }
    }
}
