import Testing
@testable import WegwijsCore

@Suite("Referral lifecycle and working days")
struct ReferralLifecycleTests {
    @Test("The happy path of the issue is allowed, step by step, to the right actor")
    func happyPath() {
        let path: [(ReferralStatus, ReferralStatus, ReferralActor)] = [
            (.draft, .sent, .lead), (.sent, .accepted, .partner), (.accepted, .waitingList, .partner),
            (.waitingList, .firstContactPlanned, .partner), (.firstContactPlanned, .firstContactMade, .companion),
            (.firstContactMade, .active, .partner), (.active, .completed, .partner),
        ]
        for (from, to, actor) in path {
            #expect(ReferralLifecycle.isAllowed(from, to), "\(from) → \(to)")
            #expect(ReferralLifecycle.mayMake(from, to, as: [actor]), "\(actor) may make \(from) → \(to)")
        }
        // The partner answers; the lead does not accept on the partner's behalf, nor does the partner send.
        #expect(!ReferralLifecycle.mayMake(.sent, .accepted, as: [.lead]))
        #expect(!ReferralLifecycle.mayMake(.draft, .sent, as: [.partner]))
        #expect(!ReferralLifecycle.mayMake(.sent, .accepted, as: [.companion]))
    }

    @Test("Closed states are final; skipping steps is refused")
    func closedAndSkipping() {
        for closed in [ReferralStatus.declined, .completed, .cancelled] {
            #expect(closed.isClosed && !closed.isOpen)
            #expect(ReferralLifecycle.next(from: closed).isEmpty)
        }
        #expect(!ReferralLifecycle.isAllowed(.draft, .accepted))
        #expect(!ReferralLifecycle.isAllowed(.sent, .completed))
        #expect(!ReferralLifecycle.isAllowed(.sent, .firstContactMade))
        #expect(!ReferralLifecycle.isAllowed(.accepted, .accepted))
        #expect(!ReferralLifecycle.isAllowed(.firstContactMade, .sent))
        // Every state except the closed ones can be cancelled by someone.
        for state in ReferralStatus.allCases where !state.isClosed {
            #expect(ReferralLifecycle.isAllowed(state, .cancelled), "\(state) → cancelled")
        }
    }

    @Test("What a transition must carry")
    func transitionInput() {
        let today = CalendarDate(iso: "2026-11-24")!
        #expect(ReferralTransitionInput().validate(to: .declined, today: today) == [FieldError("declineReason", "required")])
        #expect(ReferralTransitionInput(declineReason: "no-capacity").validate(to: .declined, today: today).isEmpty)
        #expect(ReferralTransitionInput(declineReason: "bored").validate(to: .declined, today: today) == [FieldError("declineReason", "unknown-code")])
        #expect(ReferralTransitionInput(declineReason: "other").validate(to: .declined, today: today) == [FieldError("reason", "required")])
        // Words alone (a client from before the codes) decline for `other`.
        #expect(ReferralTransitionInput(reason: "Vol").validate(to: .declined, today: today).isEmpty)
        #expect(ReferralTransitionInput(reason: "Vol").declineCode == "other")
        #expect(ReferralTransitionInput(reason: "Vol", declineReason: "no-capacity").declineCode == "no-capacity")
        #expect(ReferralTransitionInput().validate(to: .cancelled, today: today) == [FieldError("reason", "required")])
        #expect(ReferralTransitionInput().validate(to: .waitingList, today: today) == [FieldError("expectedDate", "required")])
        #expect(ReferralTransitionInput(expectedDate: "2026-11-23").validate(to: .waitingList, today: today)
                == [FieldError("expectedDate", "past-date")])
        #expect(ReferralTransitionInput(expectedDate: "2027-01-15").validate(to: .waitingList, today: today).isEmpty)
        #expect(ReferralTransitionInput(plannedOn: "2026-12-01", plannedTime: "25:00").validate(to: .firstContactPlanned, today: today)
                == [FieldError("plannedTime", "time-invalid")])
        #expect(ReferralTransitionInput(companionSet: true).validate(to: .firstContactMade, today: today)
                == [FieldError("accompanied", "required")])
        #expect(ReferralTransitionInput(companionSet: false).validate(to: .firstContactMade, today: today).isEmpty)
        // The actual day: today or earlier, a real date.
        #expect(ReferralTransitionInput(madeOn: "2026-11-25").validate(to: .firstContactMade, today: today) == [FieldError("madeOn", "future-date")])
        #expect(ReferralTransitionInput(madeOn: "2026-11-31").validate(to: .firstContactMade, today: today) == [FieldError("madeOn", "date-invalid")])
        #expect(ReferralTransitionInput(madeOn: "2026-11-24").validate(to: .firstContactMade, today: today).isEmpty)
        #expect(ReferralTransitionInput(madeOn: "2026-10-02").validate(to: .firstContactMade, today: today).isEmpty)
        #expect(ReferralTransitionInput(outcome: "happy").validate(to: .completed, today: today) == [FieldError("outcome", "unknown-code")])
        #expect(ReferralTransitionInput(outcome: "goal-reached").validate(to: .completed, today: today).isEmpty)
    }

    @Test("Shared fields: the minimal default, and the consent category each needs")
    func sharedFields() {
        #expect(ReferralSharedField.minimalDefault.map(\.rawValue) == ["first-name", "language", "children-ages", "question"])
        #expect(ReferralSharedField.firstName.consentCategory == nil)
        #expect(ReferralSharedField.contactDetails.consentCategory == .contactDetails)
        #expect(ReferralSharedField.screening.consentCategory == .screening)
    }

    @Test("Weekdays and Dutch public holidays")
    func holidays() {
        #expect(WorkingDays.weekday(CalendarDate(iso: "2026-11-24")!) == 1)  // a Tuesday
        #expect(WorkingDays.weekday(CalendarDate(iso: "2000-01-01")!) == 5)  // a Saturday
        #expect(WorkingDays.easterSunday(2026) == CalendarDate(iso: "2026-04-05")!)
        #expect(WorkingDays.easterSunday(2025) == CalendarDate(iso: "2025-04-20")!)
        #expect(WorkingDays.easterSunday(2027) == CalendarDate(iso: "2027-03-28")!)
        let h2025 = WorkingDays.holidays(2025)
        #expect(h2025.contains(CalendarDate(iso: "2025-04-26")!))   // King's Day moves to Saturday when the 27th is a Sunday
        #expect(h2025.contains(CalendarDate(iso: "2025-05-05")!))   // Liberation Day in a lustrum year
        #expect(h2025.contains(CalendarDate(iso: "2025-05-29")!))   // Ascension Day
        #expect(h2025.contains(CalendarDate(iso: "2025-06-09")!))   // Whit Monday
        #expect(!WorkingDays.holidays(2026).contains(CalendarDate(iso: "2026-05-05")!))
        #expect(!WorkingDays.isWorkingDay(CalendarDate(iso: "2026-12-25")!))
        #expect(WorkingDays.isWorkingDay(CalendarDate(iso: "2026-12-24")!))
    }

    @Test("Counting working days, and the overdue cut-off")
    func counting() {
        // Friday 2026-12-18 + 10 working days skips two weekends, Christmas (the 26th is a Saturday) and New Year → 2027-01-05.
        #expect(WorkingDays.adding(10, to: CalendarDate(iso: "2026-12-18")!) == CalendarDate(iso: "2027-01-05")!)
        // Monday + 5 working days is the next Monday.
        #expect(WorkingDays.adding(5, to: CalendarDate(iso: "2026-11-23")!) == CalendarDate(iso: "2026-11-30")!)
        let today = CalendarDate(iso: "2026-11-24")!
        let cutoff = WorkingDays.overdueCutoff(10, today: today)
        // Sent on the cut-off day: its deadline is before today. The day after: not yet.
        #expect(WorkingDays.adding(10, to: cutoff) < today)
        #expect(WorkingDays.adding(10, to: cutoff.adding(days: 1)) >= today)
        #expect(cutoff == CalendarDate(iso: "2026-11-09")!)
        // The same property on every day of two years (holidays, weekends, year ends) and timer lengths 1 to 15.
        var day = CalendarDate(iso: "2025-01-01")!
        while day < CalendarDate(iso: "2027-01-01")! {
            for count in 1...15 {
                let cut = WorkingDays.overdueCutoff(count, today: day)
                #expect(WorkingDays.adding(count, to: cut) < day && WorkingDays.adding(count, to: cut.adding(days: 1)) >= day,
                        "count \(count) on \(day)")
            }
            day = day.adding(days: 1)
        }
    }
}
