import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The referral page (issue 16, item 4): one next step as the page's form, the others folded away; only the fields
/// that still apply; bad input next to its field with nothing written; the companion's calendar feed.
@Suite("Referral page")
struct ReferralWebTests {
    typealias R = ReferralAPITests

    /// The primary form (the one next step) of the page, by its target state.
    static func primary(_ html: String) -> [String] {
        html.matches(of: /step-primary" method="post" action="[^"]*" id="step-([a-z-]+)"/).map { String($0.1) }
    }

    /// The steps folded into a disclosure.
    static func folded(_ html: String) -> Set<String> {
        Set(html.matches(of: /<details class="step-more" id="more-([a-z-]+)"/).map { String($0.1) })
    }

    /// The steps section only (the history below names every state).
    static func steps(_ html: String) -> String {
        guard let start = html.range(of: #"id="steps""#), let end = html.range(of: #"id="history""#) else { return "" }
        return String(html[start.lowerBound..<end.lowerBound])
    }

    @Test("The partner's page offers one action at a time and only the fields that still apply, state by state",
          arguments: TestDatabase.available)
    func oneActionAtATime(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await R.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: R.referBody(s)).json["id"] as! String
            let web = WebClient(app)
            _ = try await web.signIn("partner-jgz")
            func page() async throws -> String {
                let response = try await web.get("/referrals/\(id)")
                #expect(response.status == .ok)
                return response.body.string
            }

            // New: accept is the step; declining and the waiting list one click away; answer-by shown.
            var html = try await page()
            #expect(Self.primary(html) == ["accepted"])
            #expect(Self.folded(html) == ["declined", "waiting-list"])
            #expect(html.contains(#"id="answer-by""#) && !html.contains(#"id="expected-on""#))
            #expect(!Self.steps(html).contains(#"name="plannedOn""#), "no planning before accepting")

            // The waiting list: the expected date is shown while it is waiting.
            let expected = app.clock.today.adding(days: 21).iso
            #expect(try await R.step(app, id, token: s.partner, #"{"to":"waiting-list","expectedDate":"\#(expected)"}"#).status == .ok)
            html = try await page()
            #expect(Self.primary(html) == ["first-contact-planned"])
            #expect(Self.folded(html) == ["accepted", "cancelled"])
            #expect(html.contains(#"id="expected-on""#) && !html.contains(#"id="answer-by""#), "answered: no answer-by date")

            // Planned: the expected date no longer applies; making the contact is the step, moving it is folded
            // and starts from the plan as it stands.
            let keyPerson = try await app.user("sleutelpersoon")
            let planned = app.clock.today.adding(days: 2).iso
            let plan = try await R.step(app, id, token: s.partner, #"""
                {"to":"first-contact-planned","plannedOn":"\#(planned)","plannedTime":"09:30","plannedPlace":"Consultatiebureau Oost","companionId":"\#(keyPerson.id!)"}
                """#)
            #expect(plan.status == .ok, "\(plan.body.string)")
            html = try await page()
            #expect(!html.contains(#"id="expected-on""#), "the old expected date lingers after planning")
            #expect(html.contains(#"id="planned-on""#) && html.contains(#"id="companion""#))
            #expect(Self.primary(html) == ["first-contact-made"])
            #expect(Self.folded(html) == ["first-contact-planned", "cancelled"])
            #expect(html.contains(app.locales.text("referral.step.replan", .nl)))
            #expect(html.contains(#"id="first-contact-planned-plannedOn" name="plannedOn" type="text" inputmode="numeric" class="input-medium" value="\#(planned)""#))

            // Made: the planning fields are gone; progress is the step.
            #expect(try await R.step(app, id, token: s.partner, #"{"to":"first-contact-made","accompanied":true}"#).status == .ok)
            html = try await page()
            #expect(!html.contains(#"id="planned-on""#) && !html.contains(#"name="plannedOn""#))
            #expect(Self.primary(html) == ["active"])
            #expect(Self.folded(html) == ["completed", "cancelled"])

            // Closed: no step at all, only what happened.
            #expect(try await R.step(app, id, token: s.partner, #"{"to":"completed","outcome":"goal-reached"}"#).status == .ok)
            html = try await page()
            #expect(Self.primary(html).isEmpty && Self.folded(html).isEmpty)
            #expect(html.contains(app.locales.text("referral.noSteps", .nl)))
        }
    }

    @Test("The key person's step is the accompanied visit; the lead of a referral awaiting an answer chases",
          arguments: TestDatabase.available)
    func otherRoles(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await R.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: R.referBody(s)).json["id"] as! String
            let lead = WebClient(app)
            _ = try await lead.signIn("klantmanager")
            var html = try await lead.get("/referrals/\(id)").body.string
            #expect(html.contains(#"class="form step-primary" method="post" action="/referrals/"#) && html.contains(#"id="chase""#))
            #expect(Self.primary(html).isEmpty && Self.folded(html) == ["cancelled"])

            let keyPerson = try await app.user("sleutelpersoon")
            #expect(try await R.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            #expect(try await R.step(app, id, token: s.partner, #"""
                {"to":"first-contact-planned","plannedOn":"\#(app.clock.today.adding(days: 1).iso)","plannedTime":"14:00","companionId":"\#(keyPerson.id!)"}
                """#).status == .ok)
            let companion = WebClient(app)
            _ = try await companion.signIn("sleutelpersoon")
            html = try await companion.get("/referrals/\(id)").body.string
            #expect(html.contains(#"<form class="form step-primary" method="post" action="/referrals/"#) && html.contains(#"id="handover""#))
            #expect(Self.primary(html).isEmpty && Self.folded(html) == ["first-contact-made"])
        }
    }

    @Test("Bad input: an impossible date or an unknown reason code comes back next to its field, opened, nothing written",
          arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await R.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: R.referBody(s)).json["id"] as! String
            let web = WebClient(app)
            _ = try await web.signIn("partner-jgz")
            _ = try await web.get("/referrals/\(id)")
            let impossible = try await web.post("/referrals/\(id)/transitions",
                                                [("to", "waiting-list"), ("from", "sent"), ("expectedDate", "2027-02-30")])
            #expect(impossible.status == .unprocessableEntity)
            let html = impossible.body.string
            #expect(html.contains(#"id="waiting-list-expectedDate-error""#) && html.contains(app.locales.text("error.date-invalid", .nl)))
            #expect(html.contains(#"<details class="step-more" id="more-waiting-list" open>"#), "the form with the error is open")
            #expect(html.contains(#"value="2027-02-30""#), "what was typed is kept")

            let unknown = try await web.post("/referrals/\(id)/transitions", [("to", "declined"), ("from", "sent"), ("declineReason", "bored")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains(#"id="declined-declineReason-error""#))
            #expect(unknown.body.string.contains(#"<details class="step-more" id="more-declined" open>"#))
            let stored = try #require(try await Referral.find(UUID(uuidString: id)!, on: app.db))
            #expect(stored.status == .sent && stored.expectedOn == nil && stored.declineReason == nil, "nothing written")
        }
    }

    @Test("The companion's calendar feed holds the first contact (day, time, place, one UID per referral) and nothing personal",
          arguments: TestDatabase.available)
    func companionFeed(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await R.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: R.referBody(s)).json["id"] as! String
            let keyPerson = try await app.user("sleutelpersoon")
            let link = try await GroupCalendarTests.link(app, try await app.token("sleutelpersoon"), #"{"kind":"facilitator"}"#)
            let uid = "UID:first-contact-\(id.lowercased())@wegwijs"
            func feed() async throws -> String { GroupCalendarTests.unfolded(try await app.send(.GET, link.path)) }
            func compact(_ day: CalendarDate) -> String { day.iso.replacingOccurrences(of: "-", with: "") }

            #expect(try await R.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            #expect(!(try await feed()).contains(uid), "accepted, not planned: not in the feed")
            let day = app.clock.today.adding(days: 3)
            #expect(try await R.step(app, id, token: s.partner, #"""
                {"to":"first-contact-planned","plannedOn":"\#(day.iso)","plannedTime":"09:30","plannedPlace":"Consultatiebureau Oost, Lindelaan 4","companionId":"\#(keyPerson.id!)"}
                """#).status == .ok)
            var text = try await feed()
            let event = try #require(text.components(separatedBy: "BEGIN:VEVENT").first { $0.contains(uid) })
            #expect(event.contains("DTSTART;TZID=Europe/Amsterdam:\(compact(day))T093000\r\n"), "\(event)")
            #expect(event.contains("DTEND;TZID=Europe/Amsterdam:\(compact(day))T103000\r\n"))
            #expect(event.contains("SUMMARY:Eerste contact (begeleiding)\r\n"))
            #expect(event.contains(#"LOCATION:Consultatiebureau Oost\, Lindelaan 4"#))
            for personal in ["Senait", "Habte", "Aron", s.family.reference, "Moedergroep", "GGD", "Stationsstraat"] {
                #expect(!text.contains(personal), "the feed names \(personal)")
            }

            // Planned again: the same event moved, not a second one.
            let later = app.clock.today.adding(days: 5)
            #expect(try await R.step(app, id, token: s.partner, #"""
                {"to":"first-contact-planned","plannedOn":"\#(later.iso)","plannedTime":"13:15","companionId":"\#(keyPerson.id!)"}
                """#).status == .ok)
            text = try await feed()
            #expect(text.components(separatedBy: uid).count == 2)
            #expect(text.contains("DTSTART;TZID=Europe/Amsterdam:\(compact(later))T131500\r\n"))
            #expect(!text.contains("\(compact(day))T093000"))

            // Someone else's feed does not show it.
            let other = try await GroupCalendarTests.link(app, try await app.token("begeleider"), #"{"kind":"facilitator"}"#)
            #expect(!(try await app.send(.GET, other.path)).body.string.contains("first-contact-"))

            // Made (or cancelled): gone from the feed.
            #expect(try await app.send(.POST, "/api/v1/referrals/\(id)/handover", token: try await app.token("sleutelpersoon"),
                                       json: #"{"happened":true}"#).status == .ok)
            #expect(!(try await feed()).contains(uid))
        }
    }

    @Test("A cancelled first contact leaves the feed", arguments: TestDatabase.available)
    func cancelledLeavesFeed(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await R.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: R.referBody(s)).json["id"] as! String
            let keyPerson = try await app.user("sleutelpersoon")
            let link = try await GroupCalendarTests.link(app, try await app.token("sleutelpersoon"), #"{"kind":"facilitator"}"#)
            #expect(try await R.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            #expect(try await R.step(app, id, token: s.partner, #"""
                {"to":"first-contact-planned","plannedOn":"\#(app.clock.today.adding(days: 1).iso)","plannedTime":"10:00","companionId":"\#(keyPerson.id!)"}
                """#).status == .ok)
            #expect((try await app.send(.GET, link.path)).body.string.contains("first-contact-\(id.lowercased())"))
            #expect(try await R.step(app, id, token: s.lead, #"{"to":"cancelled","reason":"Gezin verhuisd"}"#).status == .ok)
            #expect(!(try await app.send(.GET, link.path)).body.string.contains("first-contact-"))
        }
    }
}
