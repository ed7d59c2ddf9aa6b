import Testing
@testable import WegwijsCore

@Suite("Worklist: due dates and the order of urgency")
struct WorkRulesTests {
    let rules = WorkRules()
    let today = CalendarDate(iso: "2026-12-02")!

    func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
    func kinds(_ facts: FamilyWorkFacts, on day: CalendarDate? = nil) -> [WorkKind] {
        rules.items(for: facts, today: day ?? today).map(\.kind)
    }

    @Test("A family registered, screened and contacted today puts nothing on the lead's worklist")
    func freshFamily() {
        let facts = FamilyWorkFacts(isLead: true, registeredOn: today, lastContactOn: today, lastScreeningOn: today)
        #expect(rules.items(for: facts, today: today).isEmpty)
        // Registered this week without a contact recorded: registration counts, so not "without contact".
        #expect(kinds(FamilyWorkFacts(isLead: true, registeredOn: today.adding(days: -3), lastScreeningOn: today)).isEmpty)
    }

    @Test("No contact: due the set weeks after the last contact (or registration), shown once due")
    func noContact() {
        let facts = FamilyWorkFacts(isLead: true, registeredOn: date("2026-09-01"), lastContactOn: date("2026-10-21"),
                                    lastScreeningOn: today)
        // 6 weeks after 21 October is 2 December: due today, so shown; the day before, not.
        let items = rules.items(for: facts, today: today)
        #expect(items == [WorkDue(kind: .noRecentContact, due: today, since: date("2026-10-21"))])
        #expect(kinds(facts, on: today.adding(days: -1)).isEmpty)
        // A contact older than the registration (an import) does not make the family look forgotten.
        let imported = FamilyWorkFacts(isLead: true, registeredOn: today.adding(days: -2), lastContactOn: date("2025-01-01"),
                                       lastScreeningOn: today)
        #expect(kinds(imported).isEmpty)
    }

    @Test("Screening: the first 14 days after registration, then every 12 weeks; shown a week ahead")
    func screening() {
        let never = FamilyWorkFacts(isLead: true, registeredOn: date("2026-11-25"), lastContactOn: today)
        #expect(rules.items(for: never, today: today) == [WorkDue(kind: .screeningDue, due: date("2026-12-09"))])
        #expect(kinds(never, on: date("2026-12-01")).isEmpty)
        let screened = FamilyWorkFacts(isLead: true, registeredOn: date("2026-01-05"), lastContactOn: today,
                                       lastScreeningOn: date("2026-09-01"))
        // 12 weeks after 1 September is 24 November: overdue.
        #expect(rules.items(for: screened, today: today)
                == [WorkDue(kind: .screeningDue, due: date("2026-11-24"), since: date("2026-09-01"))])
    }

    @Test("Signals go to the lead, due two working days after they were raised (a weekend does not count)")
    func signals() {
        // Raised on Friday 27 November: due Tuesday 1 December.
        let facts = FamilyWorkFacts(isLead: true, registeredOn: today, lastContactOn: today, lastScreeningOn: today,
                                    oldestOpenSignalOn: date("2026-11-27"), openSignals: 2)
        #expect(rules.items(for: facts, today: today)
                == [WorkDue(kind: .signalUnanswered, due: date("2026-12-01"), since: date("2026-11-27"))])
        var keyPerson = facts
        keyPerson.isLead = false
        #expect(kinds(keyPerson).isEmpty)
    }

    @Test("Plan: its review and its first open action, within a week or overdue; a key person sees the actions only")
    func plan() {
        var facts = FamilyWorkFacts(isLead: true, registeredOn: date("2026-06-01"), lastContactOn: today,
                                    lastScreeningOn: today, reviewOn: date("2026-12-09"),
                                    nextActionDue: date("2026-11-30"), nextActionText: "Aanmelden bij de bibliotheek")
        #expect(rules.items(for: facts, today: today) == [
            WorkDue(kind: .planActionDue, due: date("2026-11-30"), detail: "Aanmelden bij de bibliotheek"),
            WorkDue(kind: .planReviewDue, due: date("2026-12-09")),
        ])
        facts.reviewOn = date("2026-12-10")
        facts.nextActionDue = date("2026-12-10")
        #expect(kinds(facts).isEmpty)
        facts.isLead = false
        facts.nextActionDue = today
        #expect(kinds(facts) == [.planActionDue])
    }

    @Test("The order: earliest due first, then safety first on the same day, then the tiebreak; counts per kind")
    func order() {
        struct Item { let kind: WorkKind; let due: String; let name: String }
        let items = [Item(kind: .noRecentContact, due: "2026-11-20", name: "B"),
                     Item(kind: .screeningDue, due: "2026-11-20", name: "A"),
                     Item(kind: .signalUnanswered, due: "2026-11-20", name: "C"),
                     Item(kind: .referralNoAnswer, due: "2026-11-01", name: "D"),
                     Item(kind: .noRecentContact, due: "2026-11-20", name: "A")]
        let sorted = WorklistOrder.sorted(items, due: { CalendarDate(iso: $0.due)! }, kind: \.kind, tiebreak: \.name)
        #expect(sorted.map { "\($0.kind.rawValue) \($0.name)" } == [
            "referral-no-answer D", "signal-unanswered C", "screening-due A", "no-recent-contact A", "no-recent-contact B",
        ])
        #expect(WorklistOrder.counts(items, kind: \.kind) == [.noRecentContact: 2, .screeningDue: 1, .signalUnanswered: 1,
                                                               .referralNoAnswer: 1])
    }

    @Test("Every kind has one action, and the codes are distinct")
    func actions() {
        #expect(Set(WorkKind.allCases.map(\.rawValue)).count == WorkKind.allCases.count)
        #expect(WorkKind.signalUnanswered.action == .answerSignal)
        #expect(WorkKind.referralToAnswer.action == .answerReferral)
        #expect(WorkKind.noRecentContact.action == .contactFamily)
        // Every action resolves some kind.
        #expect(Set(WorkKind.allCases.map(\.action)) == Set(WorkAction.allCases))
    }

    @Test("The stored schedule shows on any day exactly what the rules give that day, for the lead and for others",
          arguments: [UInt64(1), 7, 2026])
    func scheduleMatchesRules(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let base = CalendarDate(iso: "2026-06-01")!
        func someDay(_ rng: inout SplitMix64) -> CalendarDate { base.adding(days: Int.random(in: -200...200, using: &rng)) }
        func maybe(_ rng: inout SplitMix64) -> CalendarDate? { Bool.random(using: &rng) ? someDay(&rng) : nil }
        let ruleSets = [WorkRules(), WorkRules(noContactWeeks: 2, rescreenWeeks: 26, firstScreeningDays: 3, signalWorkingDays: 5,
                                               lookAheadDays: 0)]
        var compared = 0
        for _ in 0..<400 {
            let rules = ruleSets[Int.random(in: 0..<ruleSets.count, using: &rng)]
            let signals = Int.random(in: 0...2, using: &rng)
            let next = maybe(&rng)
            let facts = FamilyWorkFacts(isLead: Bool.random(using: &rng), registeredOn: someDay(&rng), lastContactOn: maybe(&rng),
                                        lastScreeningOn: maybe(&rng), oldestOpenSignalOn: signals > 0 ? someDay(&rng) : maybe(&rng),
                                        openSignals: signals, reviewOn: maybe(&rng), nextActionDue: next,
                                        nextActionText: next == nil ? nil : "bel school")
            let schedule = rules.schedule(for: facts)
            for _ in 0..<10 {
                let today = someDay(&rng)
                let shown = schedule.filter { $0.visibleFrom <= today && (facts.isLead || !$0.leadOnly) }.map(\.item)
                let expected = rules.items(for: facts, today: today)
                #expect(shown.sorted { $0.kind.rank < $1.kind.rank } == expected.sorted { $0.kind.rank < $1.kind.rank },
                        "\(facts) on \(today.iso)")
                compared += 1
            }
        }
        #expect(compared == 4_000)
        #expect(WorkRules().fingerprint != WorkRules(noContactWeeks: 8).fingerprint)
    }
}
