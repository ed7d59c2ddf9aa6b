import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Issue 8 through the API: the demo's "done when", the refusals, conflicts, timers and what a partner sees.
@Suite("Referrals API")
struct ReferralAPITests {
    static let mothersGroup = "5a0e0c1e-0036-4c3a-9f00-000000000036"

    struct Setting {
        let family: Family
        let mother: UUID
        let child: UUID
        let lead: String
        let partner: String
    }

    /// The demo's young Tigrinya-speaking mother (Habte), who consented to a referral to the JGZ.
    static func habte(_ app: Application) async throws -> Setting {
        let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
        let members = try await Member.query(on: app.db).filter(\.$family.$id == family.id!).sort(\.$position).all()
        return Setting(family: family, mother: members.first { $0.role == .parent }!.id!,
                       child: members.first { $0.role == .child }!.id!,
                       lead: try await app.token("klantmanager"), partner: try await app.token("partner-jgz"))
    }

    static func referBody(_ s: Setting, offer: String = mothersGroup, send: Bool = true, extra: String = "") -> String {
        #"{"familyId":"\#(s.family.id!)","offerId":"\#(offer)","memberIds":["\#(s.mother)","\#(s.child)"],"reason":"Wil andere moeders ontmoeten en weten hoe school werkt","ownWords":"Ik ben vaak alleen met Aron","send":\#(send)\#(extra)}"#
    }

    static func step(_ app: Application, _ id: String, token: String, _ body: String) async throws -> TestingHTTPResponse {
        try await app.send(.POST, "/api/v1/referrals/\(id)/transitions", token: token, json: body)
    }

    @Test("Declining names a reason from the list (words optional, needed for other); the referral report counts them",
          arguments: TestDatabase.available)
    func declineReasons(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let created = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s))
            #expect(created.status == .created, "\(created.body.string)")
            let id = created.json["id"] as! String
            // The partner's page offers the list.
            let web = WebClient(app)
            _ = try await web.signIn("partner-jgz")
            let page = try await web.get("/referrals/\(id)")
            #expect(page.status == .ok && page.body.string.contains(#"name="declineReason""#))
            #expect(page.body.string.contains(app.locales.text("declineReason.no-capacity", .nl)))

            // In the browser: without a reason from the list the form comes back with the message next to it.
            let missing = try await web.post("/referrals/\(id)/transitions", [("to", "declined"), ("from", "sent"), ("reason", "")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains(#"id="declined-declineReason-error""#))
            let none = try await Self.step(app, id, token: s.partner, #"{"to":"declined"}"#)
            #expect(none.status == .unprocessableEntity && none.errorFields["declineReason"] != nil)
            let unknown = try await Self.step(app, id, token: s.partner, #"{"to":"declined","declineReason":"bored"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.errorFields["declineReason"] != nil)
            let other = try await Self.step(app, id, token: s.partner, #"{"to":"declined","declineReason":"other"}"#)
            #expect(other.status == .unprocessableEntity && other.errorFields["reason"] != nil)
            #expect(try await Referral.find(UUID(uuidString: id)!, on: app.db)?.status == .sent)
            let declined = try await Self.step(app, id, token: s.partner, #"{"to":"declined","declineReason":"no-capacity"}"#)
            #expect(declined.status == .ok, "\(declined.body.string.prefix(300))")
            let stored = try #require(try await Referral.find(UUID(uuidString: id)!, on: app.db))
            #expect(stored.status == .declined && stored.declineReason == "no-capacity" && stored.closingReason == nil)
            let read = try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.lead)
            #expect(read.json["declineReason"] as? String == "no-capacity")
            #expect(try await app.auditCount(action: "referral.transition", familyID: s.family.id) >= 1)

            // The report counts declines per reason: one is too few to show.
            let report = try await app.send(.GET, "/api/v1/reports/referrals?by=declineReason", token: try await app.token("beleid"))
            #expect(report.status == .ok, "\(report.body.string.prefix(300))")
            #expect(report.json["dimensions"] as? [String] == ["declineReason"] && report.json["measures"] as? [String] == ["declined"])
            let cells = report.json["cells"] as? [[String: Any]] ?? []
            #expect(cells.first { $0["declineReason"] as? String == "no-capacity" }?["declined"] is NSNull)
        }
    }

    @Test("Done when: refer the Tigrinya-speaking mother to the mothers' group, waiting list, accompanied first meeting, outcome back to the lead",
          arguments: TestDatabase.available)
    func doneWhen(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let created = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s))
            #expect(created.status == .created, "\(created.body.string)")
            let id = created.json["id"] as! String
            #expect(created.json["status"] as? String == "sent")
            #expect(created.headers.first(name: .location) == "/api/v1/referrals/\(id.lowercased())")

            // The parent is on the group's waiting list; the plan's offer choice links to the referral.
            let waiting = try await GroupWaitingEntry.query(on: app.db).filter(\.$referral.$id == UUID(uuidString: id)!).first()
            #expect(waiting?.status == .waiting && waiting?.language == "ti")
            let plan = PlanData.decode(try await FamilyPlanRecord.query(on: app.db).filter(\.$family.$id == s.family.id!).first()!.data)
            #expect(plan.offerChoices.contains { $0.offerId == Self.mothersGroup && $0.chosen && $0.referralId == id.lowercased() })

            // The partner's inbox has it, with only the shared fields.
            let inbox = try await app.send(.GET, "/api/v1/referrals/inbox", token: s.partner)
            #expect(inbox.status == .ok)
            let items = inbox.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.first?["firstName"] as? String == "Senait")
            #expect(items.first?["familyName"] == nil && items.first?["familyId"] == nil)
            let seen = try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner)
            #expect(seen.status == .ok)
            let text = seen.body.string
            #expect(!text.contains("Habte") && !text.contains("Stationsstraat") && !text.contains("2025-06-14"), "partner sees more than shared: \(text)")
            let shared = seen.json["shared"] as? [String: Any] ?? [:]
            #expect((shared["parents"] as? [[String: Any]])?.first?["firstName"] as? String == "Senait")
            #expect(shared["language"] as? String == "ti")
            #expect((shared["childrenAges"] as? [Int])?.count == 1)
            #expect((shared["question"] as? [String: Any])?["ownWords"] as? String == "Ik ben vaak alleen met Aron")
            #expect(shared["contactDetails"] == nil && shared["situations"] == nil)
            #expect(seen.json["next"] as? [String] == ["accepted", "declined", "waiting-list"])

            // Accept, then the waiting list.
            #expect(try await Self.step(app, id, token: s.partner, #"{"to":"accepted","from":"sent"}"#).status == .ok)
            let expected = app.clock.today.adding(days: 21).iso
            let waitlisted = try await Self.step(app, id, token: s.partner, #"{"to":"waiting-list","expectedDate":"\#(expected)"}"#)
            #expect(waitlisted.status == .ok && waitlisted.json["expectedOn"] as? String == expected)

            // The first meeting is planned with the key person going along; it is on her worklist.
            let keyPerson = try await app.user("sleutelpersoon")
            let planned = app.clock.today.adding(days: 2).iso
            let plannedStep = try await Self.step(app, id, token: s.partner,
                                                  #"{"to":"first-contact-planned","plannedOn":"\#(planned)","plannedTime":"09:30","plannedPlace":"Consultatiebureau Oost, Lindelaan 4","companionId":"\#(keyPerson.id!)"}"#)
            #expect(plannedStep.status == .ok, "\(plannedStep.body.string)")
            let keyToken = try await app.token("sleutelpersoon")
            let worklist = try await app.send(.GET, "/api/v1/worklist", token: keyToken)
            let work = worklist.json["items"] as? [[String: Any]] ?? []
            let coming = work.first { $0["referralId"] as? String == id }
            #expect(coming?["kind"] as? String == "first-contact-coming" && coming?["due"] as? String == planned, "\(work)")
            #expect(coming?["time"] as? String == "09:30" && coming?["action"] as? String == "go-along")
            #expect(coming?["place"] as? String == "Consultatiebureau Oost, Lindelaan 4")
            #expect(plannedStep.json["plannedPlace"] as? String == "Consultatiebureau Oost, Lindelaan 4")
            let tooFar = String(repeating: "x", count: ReferralTransitionInput.maxPlace + 1)
            let long = try await Self.step(app, id, token: s.partner, #"{"to":"first-contact-planned","plannedOn":"\#(planned)","plannedPlace":"\#(tooFar)"}"#)
            #expect(long.status == .unprocessableEntity && long.errorFields["plannedPlace"] != nil)

            // She records that it happened: first contact made, accompanied.
            let handover = try await app.send(.POST, "/api/v1/referrals/\(id)/handover", token: keyToken, json: #"{"happened":true}"#)
            #expect(handover.status == .ok && handover.json["status"] as? String == "first-contact-made")
            #expect(handover.json["accompanied"] as? Bool == true)
            #expect(try await GroupWaitingEntry.query(on: app.db).filter(\.$referral.$id == UUID(uuidString: id)!).first()?.status == .placed)

            #expect(try await Self.step(app, id, token: s.partner, #"{"to":"active"}"#).status == .ok)
            let done = try await Self.step(app, id, token: s.partner, #"{"to":"completed","outcome":"goal-reached","note":"Komt elke week"}"#)
            #expect(done.status == .ok && done.json["outcome"] as? String == "goal-reached")

            // The outcome reached the lead: a notification per change by others, e-mails in the outbox, the history.
            let notes = try await app.send(.GET, "/api/v1/notifications", token: s.lead)
            let kinds = (notes.body.string.isEmpty ? [] : (try JSONSerialization.jsonObject(with: Data(notes.body.readableBytesView)) as? [[String: Any]]) ?? [])
                .compactMap { $0["kind"] as? String }
            for kind in ["accepted", "waiting-list", "first-contact-planned", "first-contact-made", "active", "completed"] {
                #expect(kinds.contains(kind), "lead not told of \(kind): \(kinds)")
            }
            #expect(!kinds.contains("sent"), "the lead sent it and needs no message about it")
            let mails = try await OutboxEmail.query(on: app.db).filter(\.$toAddress == "klantmanager@rijnstad.example").all()
            #expect(mails.count >= 6)
            #expect(mails.allSatisfy { !$0.body.contains("Senait") && !$0.body.contains("Habte") })
            let history = try await app.send(.GET, "/api/v1/referrals/\(id)/transitions", token: s.lead)
            let events = (try JSONSerialization.jsonObject(with: Data(history.body.readableBytesView)) as? [[String: Any]]) ?? []
            #expect(events.compactMap { $0["to"] as? String } == ["draft", "sent", "accepted", "waiting-list", "first-contact-planned",
                                                                    "first-contact-made", "active", "completed"])
            #expect(try await app.auditCount(action: "referral.transition", familyID: s.family.id) == 7)
        }
    }

    @Test("First contact made: on the day it happened, never in the future", arguments: TestDatabase.available)
    func firstContactDate(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            #expect(try await Self.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            let planned = app.clock.today.iso
            #expect(try await Self.step(app, id, token: s.partner, #"{"to":"first-contact-planned","plannedOn":"\#(planned)"}"#).status == .ok)
            let tomorrow = app.clock.today.adding(days: 1).iso
            for day in [tomorrow, "2026-02-30"] {
                let refused = try await Self.step(app, id, token: s.partner, #"{"to":"first-contact-made","madeOn":"\#(day)"}"#)
                #expect(refused.status == .unprocessableEntity && refused.errorFields["madeOn"] != nil, "\(day)")
            }
            #expect(try await Referral.find(UUID(uuidString: id)!, on: app.db)!.status == .firstContactPlanned, "nothing written")
            let yesterday = app.clock.today.adding(days: -1).iso
            let made = try await Self.step(app, id, token: s.partner, #"{"to":"first-contact-made","madeOn":"\#(yesterday)"}"#)
            #expect(made.status == .ok && made.json["firstContactOn"] as? String == yesterday, "\(made.body.string)")
            #expect(try await Referral.find(UUID(uuidString: id)!, on: app.db)!.firstContactOn == yesterday)
        }
    }

    @Test("Two partner staff at once: the stale one is a 409 and changes nothing; invalid steps are refused",
          arguments: TestDatabase.available)
    func conflicts(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            async let first = Self.step(app, id, token: s.partner, #"{"to":"accepted","from":"sent"}"#)
            async let second = Self.step(app, id, token: s.partner, #"{"to":"declined","from":"sent","reason":"vol"}"#)
            let statuses = [try await first.status, try await second.status].sorted { $0.code < $1.code }
            #expect(statuses == [.ok, .conflict])
            let after = try await Referral.find(UUID(uuidString: id)!, on: app.db)!
            #expect(after.version == 3)  // created, sent, one answer
            let stale = try await Self.step(app, id, token: s.partner, #"{"to":"waiting-list","from":"sent","expectedDate":"2099-01-01"}"#)
            #expect(stale.status == .conflict && stale.errorCode == "stale-state")
            let skip = try await Self.step(app, id, token: s.partner, #"{"to":"draft"}"#)
            #expect(skip.status == .conflict && skip.errorCode == "invalid-transition")
            // The lead may not answer for the partner; the partner may not invent a state.
            let leadAnswers = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s, extra: #","interpreterNeeded":true"#))
            let second2 = leadAnswers.json["id"] as! String
            #expect(try await Self.step(app, second2, token: s.lead, #"{"to":"accepted"}"#).status == .forbidden)
            let unknown = try await Self.step(app, second2, token: s.partner, #"{"to":"maybe"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.errorFields["to"] != nil)
            let noReason = try await Self.step(app, second2, token: s.partner, #"{"to":"declined"}"#)
            #expect(noReason.status == .unprocessableEntity && noReason.errorFields["declineReason"] != nil)
            #expect(try await Referral.find(UUID(uuidString: second2)!, on: app.db)!.status == .sent)
        }
    }

    @Test("Refused with the reason: no consent, a consent that does not cover a field, a retired offer, outside the region, a closed family",
          arguments: TestDatabase.available)
    func refusals(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let before = try await Referral.query(on: app.db).count()
            // An offer of another organisation: there is no consent for it.
            let arabic = try await Offer.query(on: app.db).filter(\.$organisation.$id != (try await app.user("partner-jgz")).$organisation.id)
                .filter(\.$status == .active).first()!
            let noConsent = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s, offer: arabic.id!.uuidString))
            #expect(noConsent.status == .unprocessableEntity && noConsent.errorCode == "consent-required", "\(noConsent.body.string)")
            // Contact details are not covered by the demo consent.
            let tooMuch = try await app.send(.POST, "/api/v1/referrals", token: s.lead,
                                             json: Self.referBody(s, extra: #","sharedFields":["first-name","contact-details"]"#))
            #expect(tooMuch.status == .unprocessableEntity && tooMuch.errorCode == "consent-does-not-cover")
            // A retired offer.
            let retired = try await Offer.find(UUID(uuidString: Self.mothersGroup)!, on: app.db)!
            retired.status = .retired
            try await retired.update(on: app.db)
            let toRetired = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s))
            #expect(toRetired.status == .unprocessableEntity && toRetired.errorCode == "offer-retired")
            retired.status = .active
            try await retired.update(on: app.db)
            // An organisation outside the region.
            let elsewhere = Municipality(code: "GM9999", name: "Elders", regionID: nil)
            try await elsewhere.create(on: app.db)
            let far = Organisation(municipalityID: elsewhere.id!, name: "Ver weg", kind: .formal, type: .other)
            try await far.create(on: app.db)
            let outside = try await app.send(.POST, "/api/v1/referrals", token: s.lead,
                                             json: #"{"familyId":"\#(s.family.id!)","organisationId":"\#(far.id!)","memberIds":["\#(s.mother)"],"reason":"x"}"#)
            #expect(outside.status == .unprocessableEntity && outside.errorCode == "outside-region")
            // An organisation of the region (Beekdal, the neighbour) is fine once the consent names it.
            let beekdal = try await Organisation.query(on: app.db).filter(\.$name == "Gemeente Beekdal").first()!
            let regionConsent = try await app.send(.POST, "/api/v1/families/\(s.family.id!)/consents", token: s.lead,
                                                   json: #"{"purpose":"referral","organisationId":"\#(beekdal.id!)","dataCategories":["languages","children","questions"],"givenBy":"moeder"}"#)
            #expect(regionConsent.status == .created)
            let inRegion = try await app.send(.POST, "/api/v1/referrals", token: s.lead,
                                              json: #"{"familyId":"\#(s.family.id!)","organisationId":"\#(beekdal.id!)","memberIds":["\#(s.mother)"],"reason":"x","send":true}"#)
            #expect(inRegion.status == .created, "\(inRegion.body.string)")
            // Missing fields are named.
            let empty = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: #"{"familyId":"\#(s.family.id!)"}"#)
            #expect(empty.status == .unprocessableEntity && empty.errorFields["reason"] != nil && empty.errorFields["memberIds"] != nil)
            // A closed family.
            let close = try await app.send(.POST, "/api/v1/families/\(s.family.id!)/close", token: s.lead,
                                           json: #"{"reason":"moved-away","version":\#(s.family.version)}"#)
            #expect(close.status == .ok)
            let closed = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s))
            #expect(closed.status == .unprocessableEntity && closed.errorCode == "family-closed")
            #expect(try await Referral.query(on: app.db).count() == before + 1)
            // Only a case manager refers.
            let byPartner = try await app.send(.POST, "/api/v1/referrals", token: s.partner, json: Self.referBody(s))
            #expect(byPartner.status == .forbidden)
        }
    }

    @Test("Withdrawing the consent closes the partner's access at once", arguments: TestDatabase.available)
    func consentWithdrawal(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let id = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner).status == .ok)
            let consent = try await Consent.query(on: app.db).filter(\.$family.$id == s.family.id!).first()!
            let withdrawn = try await app.send(.POST, "/api/v1/families/\(s.family.id!)/consents/\(consent.id!)/withdraw", token: s.lead)
            #expect(withdrawn.status == .ok)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner).status == .notFound)
            #expect(try await Self.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .notFound)
            let inbox = try await app.send(.GET, "/api/v1/referrals/inbox?count=true", token: s.partner)
            #expect(inbox.json["total"] as? Int == 0)
            let lead = try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.lead)
            #expect(lead.json["status"] as? String == "cancelled" && lead.json["closingReason"] as? String == "consent-withdrawn")
            #expect(lead.json["consentActive"] as? Bool == false)
            #expect(try await GroupWaitingEntry.query(on: app.db).filter(\.$status == .waiting).count() == 0)
            // And no new referral rests on a withdrawn consent.
            let again = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s))
            #expect(again.errorCode == "consent-required")
        }
    }

    /// A referral sent on `sent` must be answered within 10 working days: by `deadline`, counted by hand on the
    /// calendar (weekends, Christmas, New Year, Easter Monday, King's Day, Ascension and Whit Monday skipped).
    struct TimerCase: Sendable, CustomStringConvertible {
        let sent: String, deadline: String, note: String
        var description: String { note }
        static let all = [
            TimerCase(sent: "2026-11-18", deadline: "2026-12-02", note: "a plain fortnight"),
            TimerCase(sent: "2026-12-24", deadline: "2027-01-11", note: "Christmas and New Year"),
            TimerCase(sent: "2026-12-30", deadline: "2027-01-14", note: "New Year's Day"),
            TimerCase(sent: "2027-03-25", deadline: "2027-04-09", note: "Easter week (Good Friday counts, Easter Monday not)"),
            TimerCase(sent: "2027-04-22", deadline: "2027-05-10", note: "King's Day and Ascension"),
            TimerCase(sent: "2027-05-12", deadline: "2027-05-27", note: "Whit Monday"),
        ]
    }

    @Test("Timers at fixed dates: no answer after 10 working days, no first contact 20 days after acceptance",
          arguments: TestDatabase.available, TimerCase.all)
    func timersAtFixedDates(_ database: TestDatabase, _ timer: TimerCase) async throws {
        let sent = CalendarDate(iso: timer.sent)!, deadline = CalendarDate(iso: timer.deadline)!
        let clock = ManualClock(sent)
        try await withWegwijs(database, clock: clock.clock) { app in
            let s = try await Self.habte(app)
            let a = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            let b = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            #expect(try await Self.step(app, b, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            // The referral kinds of the lead's worklist (the demo family's own work is on it too).
            func late() async throws -> Set<String> {
                var found: Set<String> = []
                for kind in ["referral-no-answer", "referral-no-first-contact"] {
                    let work = try await app.send(.GET, "/api/v1/worklist?kind=\(kind)", token: s.lead)
                    for item in work.json["items"] as? [[String: Any]] ?? [] {
                        found.insert("\(item["kind"] as? String ?? "?") \(item["referralId"] as? String ?? "?")")
                    }
                }
                return found
            }
            let checkpoints = [deadline, deadline.adding(days: 1), sent.adding(days: 19), sent.adding(days: 20)].sorted()
            for day in checkpoints {
                clock.set(day)
                let expected = Set((day > deadline ? ["referral-no-answer \(a)"] : [])
                                   + (day >= sent.adding(days: 20) ? ["referral-no-first-contact \(b)"] : []))
                #expect(try await late() == expected, "on \(day.iso)")
            }
        }
    }

    @Test("Timers: the municipality's own answer time, chase and redirect", arguments: TestDatabase.available)
    func timers(_ database: TestDatabase) async throws {
        let clock = ManualClock(CalendarDate(iso: "2026-11-18")!)
        try await withWegwijs(database, clock: clock.clock) { app in
            let s = try await Self.habte(app)
            let a = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            let b = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).json["id"] as! String
            #expect(try await Self.step(app, b, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            // The referrals on the lead's worklist, in its order (the family's own work left out).
            func referralWork() async throws -> [[String: Any]] {
                let work = try await app.send(.GET, "/api/v1/worklist?per=100", token: s.lead)
                #expect(work.status == .ok)
                return (work.json["items"] as? [[String: Any]] ?? []).filter { $0["referralId"] != nil }
            }
            var work = try await app.send(.GET, "/api/v1/worklist", token: s.lead)
            let counts = work.json["counts"] as? [String: Int] ?? [:]
            #expect(counts["referral-no-answer"] == nil && counts["referral-no-first-contact"] == nil, "\(counts)")
            // 25 days pass: a has had no answer for 17 working days, b no first contact for 25 days.
            clock.advance(days: 25)
            let items = try await referralWork()
            #expect(items.map { $0["kind"] as? String } == ["referral-no-answer", "referral-no-first-contact"], "\(items)")
            #expect(items.map { $0["referralId"] as? String } == [a, b])
            #expect(items.first?["familyName"] as? String == "Habte")
            // a was due 10 working days after sending (2 December), b 20 days after acceptance (8 December): overdue.
            #expect(items.map { $0["due"] as? String } == ["2026-12-02", "2026-12-08"])
            #expect(items.allSatisfy { $0["overdue"] as? Bool == true && $0["action"] as? String == "chase-partner" })
            work = try await app.send(.GET, "/api/v1/worklist?kind=referral-no-answer", token: s.lead)
            #expect(work.json["total"] as? Int == 1 && (work.json["counts"] as? [String: Int])?["referral-no-first-contact"] == 1)
            #expect(try await app.send(.GET, "/api/v1/worklist?kind=handover", token: s.lead).status == .unprocessableEntity)
            // The municipality gives partners 20 working days (until 16 December): a is no longer late, b still is.
            let admin = try await app.token("admin")
            let set = try await app.send(.PUT, "/api/v1/settings/referrals", token: admin,
                                         json: #"{"answerWorkingDays":20,"firstContactDays":20,"partnerAccessDays":30}"#)
            #expect(set.status == .ok)
            #expect(try await app.send(.PUT, "/api/v1/settings/referrals", token: admin,
                                       json: #"{"answerWorkingDays":0,"firstContactDays":20,"partnerAccessDays":30}"#).status == .unprocessableEntity)
            #expect(try await app.send(.PUT, "/api/v1/settings/referrals", token: s.lead,
                                       json: #"{"answerWorkingDays":5,"firstContactDays":20,"partnerAccessDays":30}"#).status == .forbidden)
            #expect(try await referralWork().map { $0["kind"] as? String } == ["referral-no-first-contact"])
            // Chase: the partner hears of it.
            let chase = try await app.send(.POST, "/api/v1/referrals/\(a)/chase", token: s.lead, json: #"{"note":"Graag een antwoord"}"#)
            #expect(chase.status == .ok)
            let partnerNotes = try await app.send(.GET, "/api/v1/notifications?unread=true", token: s.partner).body.string
            #expect(partnerNotes.contains("\"chase\""))
            #expect(try await app.send(.POST, "/api/v1/referrals/\(a)/chase", token: s.partner).status == .forbidden)
            // Redirect: cancel with a reason, and a new referral that names the old one.
            #expect(try await Self.step(app, a, token: s.lead, #"{"to":"cancelled","reason":"Doorverwezen naar een andere groep"}"#).status == .ok)
            let redirected = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s, extra: #","redirectedFrom":"\#(a)""#))
            #expect(redirected.status == .created && redirected.json["redirectedFrom"] as? String == a)
        }
    }

    @Test("A partner sees no family that was not referred to it, and no family records at all", arguments: TestDatabase.available)
    func partnerSeesOnlyItsReferrals(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            let draft = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s, send: false))
            #expect(draft.status == .created && draft.json["status"] as? String == "draft")
            let id = draft.json["id"] as! String
            // A draft is not the partner's yet.
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner).status == .notFound)
            #expect(try await Self.step(app, id, token: s.lead, #"{"to":"sent","from":"draft"}"#).status == .ok)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner).status == .ok)
            // The family itself stays closed to the partner.
            #expect(try await app.send(.GET, "/api/v1/families/\(s.family.id!)", token: s.partner).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/families/\(s.family.id!)/referrals", token: s.partner).status == .notFound)
            let families = try await app.send(.GET, "/api/v1/families?count=true", token: s.partner)
            #expect(families.json["total"] as? Int == 0)
            // Staff of another partner organisation see nothing of it.
            let other = try await app.user("partner-jgz")
            let vluchtelingenhulp = try await Organisation.query(on: app.db).filter(\.$type == "refugee-support").first()!
            let stranger = User(username: "partner-other", displayName: "Olga Ander", role: .partner, passwordHash: other.passwordHash,
                                municipalityID: other.$municipality.id, organisationID: vluchtelingenhulp.id!)
            try await stranger.create(on: app.db)
            let strangerToken = try await app.token("partner-other")
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: strangerToken).status == .notFound)
            #expect(try await Self.step(app, id, token: strangerToken, #"{"to":"accepted"}"#).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/referrals/inbox?count=true", token: strangerToken).json["total"] as? Int == 0)
            // Closed: visible for the access period, then gone.
            #expect(try await Self.step(app, id, token: s.partner, #"{"to":"declined","reason":"Geen plek dit jaar"}"#).status == .ok)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner).status == .ok)
            try await Referral.query(on: app.db).filter(\.$id == UUID(uuidString: id)!)
                .set(\.$closedOn, to: app.clock.today.adding(days: -31).iso).update()
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.partner).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/referrals/inbox?count=true", token: s.partner).json["total"] as? Int == 0)
            // The lead still sees it; other roles without a relationship do not.
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: s.lead).status == .ok)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: try await app.token("sleutelpersoon2")).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: try await app.token("beleid")).status == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: try await app.token("klantmanager-beekdal")).status == .notFound)
            // Every partner read is audited.
            #expect(try await app.auditCount(action: "referral.read", familyID: s.family.id) >= 3)
        }
    }

    @Test("The referral report counts per organisation in the one report shape; small numbers suppressed for everyone", arguments: TestDatabase.available)
    func report(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.habte(app)
            for _ in 0..<3 { #expect(try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: Self.referBody(s)).status == .created) }
            // What was sent to the GGD this year, counted from the records themselves.
            let ggd = try await Organisation.query(on: app.db).filter(\.$name ~~ "GGD").all().compactMap(\.id)
            let sent = try await Referral.query(on: app.db).filter(\.$organisation.$id ~~ ggd)
                .filter(\.$sentOn >= "2026-01-01").filter(\.$sentOn <= "2026-12-31").count()
            for token in [s.lead, try await app.token("beleid")] {
                let report = try await app.send(.GET, "/api/v1/reports/referrals", token: token)
                #expect(report.status == .ok)
                #expect(report.json["dimensions"] as? [String] == ["organisation"])
                let row = (report.json["cells"] as? [[String: Any]])?.first { ($0["organisation"] as? String)?.hasPrefix("GGD") == true }
                if SmallCountSuppression.isSmall(sent) { #expect(row?["sent"] is NSNull) }
                else { #expect(row?["sent"] as? Int == sent || row?["sent"] is NSNull) }
                #expect(!report.body.string.contains("Habte") && !report.body.string.contains(s.family.reference))
            }
            #expect(try await app.send(.GET, "/api/v1/reports/referrals", token: s.partner).status == .forbidden)
            let lines = try await ReportCommand.referrals(app, municipality: "GM9901")
            #expect(lines.contains { $0.hasPrefix("GGD") && $0.contains("<5") })
        }
    }
}
