import Foundation
import Testing
import WegwijsCore

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
}
