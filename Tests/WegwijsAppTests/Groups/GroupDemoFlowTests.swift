import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Issue 14's "Done when", through the API, on the demo data (docs/groups.md, "The demo"): 30 parents in five
/// languages wait for "Oudergroepen in de eigen taal"; the planner proposes series and names who it cannot place and
/// why; the coordinator turns the Tigrinya mothers' series (Samira Haddad as key person) into a series, the
/// invitations are printed in Tigrinya, attendance is recorded for five sessions, parents fill in the anonymous
/// evaluation on their phones, and the results and the remaining waiting list show.
@Suite("Group demo flow (issue 14, Done when)")
struct GroupDemoFlowTests {
    static let offer = DemoGroups.offerID.uuidString

    static func plan(_ app: Application, _ token: String) async throws -> (series: [[String: Any]], unplaced: [[String: Any]]) {
        let response = try await app.send(.POST, "/api/v1/groups/plan", token: token, json: #"{"offerId":"\#(offer)"}"#)
        #expect(response.status == .ok, "\(response.body.string)")
        let plan = response.json["plan"] as? [String: Any] ?? [:]
        return (plan["series"] as? [[String: Any]] ?? [], plan["unplaced"] as? [[String: Any]] ?? [])
    }

    @Test("the demo's 30 waiting parents, planned, placed, invited, attending five sessions, evaluating; the rest still wait",
          arguments: TestDatabase.available)
    func doneWhen(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let samira = try await app.user("sleutelpersoon"), tamar = try await app.user("trainer")
            #expect(samira.languages.contains("ti"), "Samira Haddad speaks Tigrinya")

            // 30 parents wait, in five languages, mothers and fathers.
            let invitees = try await GroupInvitee.query(on: app.db).filter(\.$offer.$id == DemoGroups.offerID).all()
            #expect(invitees.count == 30)
            #expect(Set(invitees.map(\.language)) == ["ti", "ar", "fa", "so", "uk"])
            let cards = try await MemberCards.load(invitees.map { $0.$member.id }, on: app.db)
            #expect(Set(cards.values.compactMap(\.gender)) == ["female", "male"])

            // The planner: a Tigrinya and an Arabic mothers' series, both with Samira; everyone else named, with why.
            let (series, unplaced) = try await Self.plan(app, lead)
            let placed = series.flatMap { $0["parents"] as? [String] ?? [] }
            #expect(placed.count + unplaced.count == 30)
            #expect(series.map { "\($0["language"]!) \($0["audience"]!)" }.sorted() == ["ar mothers", "ti mothers"])
            let tigrinya = try #require(series.firstIndex { $0["language"] as? String == "ti" })
            #expect(series[tigrinya]["keyPerson"] as? String == samira.id!.uuidString)
            #expect(series[tigrinya]["trainer"] as? String == tamar.id!.uuidString)
            #expect((series[tigrinya]["parents"] as? [String])?.count == 8)
            let languageOf = Dictionary(invitees.map { ($0.$member.id.uuidString, $0.language) }, uniquingKeysWith: { a, _ in a })
            let reasons = Dictionary(grouping: unplaced, by: { languageOf[$0["id"] as? String ?? ""] ?? "?" })
                .mapValues { Set($0.compactMap { $0["reason"] as? String }) }
            #expect(reasons["so"] == ["no-key-person-for-language"])
            #expect(reasons["uk"] == ["no-key-person-for-language"])
            #expect(reasons["fa"]?.isSubset(of: ["below-minimum", "facilitators-fully-booked"]) == true, "\(reasons)")
            #expect(unplaced.contains { ($0["explanation"] as? String)?.contains("Somali") == true })
            #expect(unplaced.allSatisfy { !($0["explanation"] as? String ?? "").isEmpty })

            // The coordinator turns the Tigrinya mothers' series into a series: its parents are invited.
            let accepted = try await app.send(.POST, "/api/v1/groups/plan/accept", token: lead, json: #"""
                {"offerId":"\#(Self.offer)","series":\#(tigrinya),"startsOn":"2027-01-04","endsOn":"2027-02-28"}
                """#)
            #expect(accepted.status == .created, "\(accepted.body.string)")
            let created = accepted.json["series"] as? [String: Any] ?? [:]
            let seriesID = try #require(created["id"] as? String)
            #expect(created["language"] as? String == "ti" && created["audience"] as? String == "mothers")
            #expect(created["keyPersonId"] as? String == samira.id!.uuidString)
            #expect(created["location"] as? String == "Buurthuis De Brug, Brugstraat 14", "the offer's venue, for the letter")
            var participants = accepted.json["participants"] as? [[String: Any]] ?? []
            #expect(participants.count == 8)
            #expect(participants.allSatisfy { $0["source"] as? String == "invitation" && $0["invitation"] as? String == "invited" })

            // Five sessions, the four standard topics first.
            let topics = ["school-system", "sexual-health", "parenting-confidence", "two-cultures", "care-system"]
            for (week, topic) in topics.enumerated() {
                let day = CalendarDate(iso: "2027-01-06")!.adding(days: 7 * week).iso
                let session = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/sessions", token: lead,
                                                 json: GroupSeriesAPITests.session(day, topic))
                #expect(session.status == .created, "\(session.body.string)")
            }

            // The key person prints the invitations: Tigrinya letters.
            let web = WebClient(app)
            try await web.signIn("sleutelpersoon")
            for participant in participants {
                let letter = try await web.get("/groups/\(seriesID)/participants/\(participant["id"]!)/invitation")
                #expect(letter.status == .ok)
                #expect(letter.body.string.contains(#"lang="ti" dir="ltr""#))
                #expect(letter.body.string.contains("ዕድመ"))
                #expect(!letter.body.string.contains("fallback-note"))
            }
            #expect(try await app.auditCount(action: "group.invitation.read") == 8)
            // Seven say yes, one has no answer yet.
            for participant in participants.prefix(7) {
                let answered = try await app.send(.PUT, "/api/v1/groups/series/\(seriesID)/participants/\(participant["id"]!)", token: lead,
                                                  json: #"{"invitation":"accepted","version":\#(participant["version"]!)}"#)
                #expect(answered.status == .ok, "\(answered.body.string)")
                participants = answered.json["participants"] as? [[String: Any]] ?? participants
            }

            // The trainer records attendance at all five sessions.
            let trainer = try await app.token("trainer")
            let detail = try await app.send(.GET, "/api/v1/groups/series/\(seriesID)", token: trainer)
            let sessions = try #require(detail.json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 5)
            for (number, session) in sessions.enumerated() {
                let records = participants.enumerated().map { index, participant in
                    let status = index == 7 ? "absent" : (index + number) % 6 == 0 ? "excused" : "present"
                    return #"{"participantId":"\#(participant["id"]!)","status":"\#(status)","childrenBrought":\#(index % 2)}"#
                }
                let saved = try await app.send(.PUT, "/api/v1/groups/series/\(seriesID)/sessions/\(session["id"]!)/attendance",
                                               token: trainer, json: #"{"childcareHeadcount":4,"records":[\#(records.joined(separator: ","))]}"#)
                #expect(saved.status == .ok, "\(saved.body.string)")
            }
            let recorded = try await app.send(.GET, "/api/v1/groups/series/\(seriesID)", token: lead)
            #expect((recorded.json["sessions"] as? [[String: Any]] ?? []).allSatisfy { ($0["attendance"] as? [Any])?.count == 8 })

            // The evaluation: opened by the trainer, answered on phones (no account, no cookie), in Tigrinya.
            let opened = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/evaluation", token: trainer)
            #expect(opened.status == .created, "\(opened.body.string)")
            let path = try #require(opened.json["path"] as? String)
            let form = try await app.testing().sendRequest(.GET, path)
            #expect(form.body.string.contains(#"lang="ti""#))
            #expect(form.body.string.contains("ክትጥቀሙሉ እትኽእሉ ምኽሪ ወይ ሓበሬታ ረኺብኩም ዶ?"))
            for answers in [[("q-learned", "yes"), ("q-know-where", "yes"), ("q-at-home", "yes"), ("q-recommend", "yes"), ("topic", "school-system")],
                            [("q-learned", "yes"), ("q-know-where", "a-little"), ("q-at-home", "yes"), ("topic", "care-system")],
                            [("q-learned", "a-little"), ("q-recommend", "yes")]] {
                let sent = try await GroupEvaluationTests.answer(app, path, answers)
                #expect(sent.status == .ok)
                #expect(sent.headers[.setCookie].isEmpty)
                #expect(sent.body.string.contains("የቐንየልና!"))
            }

            // The results, and who still waits.
            let results = try await GroupEvaluationTests.results(app, seriesID, lead)
            #expect(results["responses"] as? Int == 3)
            #expect(GroupEvaluationTests.counts(results, "learned")["yes"] as? Int == 2)
            let (left, stillUnplaced) = try await Self.plan(app, lead)
            let stillWaiting = left.filter { $0["id"] == nil }.flatMap { $0["parents"] as? [String] ?? [] }.count + stillUnplaced.count
            #expect(stillWaiting == 22)
            #expect(left.contains { $0["id"] as? String == seriesID.uppercased() || $0["id"] as? String == seriesID })
            #expect(left.filter { $0["id"] == nil }.map { $0["language"] as? String } == ["ar"])
            #expect(try await GroupInvitee.query(on: app.db).filter(\.$status == .placed).count() == 8)
        }
    }

    @Test("invite everyone puts the newly settled parents on the planner's input once; bad input names its field",
          arguments: TestDatabase.available)
    func inviteEveryone(_ database: TestDatabase) async throws {
        try await withWegwijs(database, clock: ManualClock(CalendarDate(iso: "2026-12-02")!).clock) { app in
            let lead = try await app.token("klantmanager")
            let body = #"{"offerId":"\#(Self.offer)","settledMonths":48}"#
            let first = try await app.send(.POST, "/api/v1/groups/plan/invite", token: lead, json: body)
            #expect(first.status == .ok, "\(first.body.string)")
            // Settled since December 2022, speaking Tigrinya, Arabic, Persian, Somali or Ukrainian, not yet waiting:
            // Mehari Tesfay and Mustafa Al-Obaidi.
            #expect(first.json["added"] as? Int == 2)
            #expect(first.json["waiting"] as? Int == 32)
            #expect(try await app.auditCount(action: "group.plan.invite") >= 2)
            let again = try await app.send(.POST, "/api/v1/groups/plan/invite", token: lead, json: body)
            #expect(again.json["added"] as? Int == 0)
            let bad = try await app.send(.POST, "/api/v1/groups/plan/invite", token: lead, json: #"{"offerId":"\#(Self.offer)","settledMonths":0}"#)
            #expect(bad.status == .unprocessableEntity && bad.errorFields["settledMonths"] != nil)
            let notGroup = try await app.send(.POST, "/api/v1/groups/plan/invite", token: lead, json: #"{"offerId":"\#(UUID())"}"#)
            #expect(notGroup.status == .unprocessableEntity && notGroup.errorFields["offerId"] != nil)
            #expect(try await app.send(.POST, "/api/v1/groups/plan/invite", token: try await app.token("beleid"), json: body).status == .forbidden)

            // On the web: the planner page shows who waits per language, and the button does the same.
            let web = WebClient(app)
            try await web.signIn("klantmanager")
            let page = try await web.get("/groups/plan?offer=\(Self.offer)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"id="demand""#))
            #expect(page.body.string.contains("Tigrinya"))
            let invited = try await web.post("/groups/plan/invite", [("offerId", Self.offer), ("settledMonths", "120")])
            #expect(invited.status == .seeOther)
            #expect(invited.headers.first(name: .location)?.hasPrefix("/groups/plan?offer=") == true)
            let wrong = try await web.post("/groups/plan/invite", [("offerId", Self.offer), ("settledMonths", "zero")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains(#"id="settledMonths-error""#))
        }
    }

    @Test("a proposal edited before accepting: other key person, place, time, a parent left out; bad edits named next to their field",
          arguments: TestDatabase.available)
    func editProposal(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let (series, _) = try await Self.plan(app, lead)
            let index = try #require(series.firstIndex { $0["language"] as? String == "ti" })
            let parents = try #require(series[index]["parents"] as? [String])
            let samira = try await app.user("sleutelpersoon").id!.uuidString, farid = try await app.user("sleutelpersoon2").id!.uuidString
            let tamar = try await app.user("trainer").id!.uuidString
            let web = WebClient(app)
            try await web.signIn("klantmanager")
            let page = try await web.get("/groups/plan?offer=\(Self.offer)")
            #expect(page.body.string.contains(#"edit=\#(index)#edit-\#(index)""#))
            let editing = try await web.get("/groups/plan?offer=\(Self.offer)&edit=\(index)")
            #expect(editing.body.string.contains(#"id="keyPersonId-\#(index)""#))
            #expect(!page.body.string.contains(#"id="keyPersonId-\#(index)""#), "one proposal's form at a time")
            func accept(_ fields: [(String, String)]) async throws -> TestingHTTPResponse {
                try await web.post("/groups/plan/accept", [("offerId", Self.offer), ("series", "\(index)"), ("startsOn", "2027-01-04"),
                                                           ("edit", "1")] + fields)
            }
            func all(_ except: String? = nil) -> [(String, String)] { parents.filter { $0 != except }.map { ("parents", $0) } }
            let catalog = app.locales

            // Farid does not speak Tigrinya: the message stands next to the key person field of this proposal.
            let wrongKey = try await accept([("trainerId", tamar), ("keyPersonId", farid), ("place", "D04"), ("time", "evening")] + all())
            #expect(wrongKey.status == .unprocessableEntity)
            #expect(wrongKey.body.string.contains(#"id="keyPersonId-\#(index)-error""#))
            #expect(wrongKey.body.string.contains(catalog.text("error.does-not-speak-language", .nl)))
            #expect(wrongKey.body.string.contains(#"id="edit-\#(index)""#))
            #expect(wrongKey.body.string.contains(##"href="#keyPersonId-\##(index)""##), "the summary links to the field")
            // Nobody left, an empty place, an unknown time, someone who is not in the proposal.
            let nobody = try await accept([("trainerId", tamar), ("keyPersonId", samira), ("place", "D04"), ("time", "daytime")])
            #expect(nobody.status == .unprocessableEntity && nobody.body.string.contains(#"id="parents-\#(index)-error""#))
            let noPlace = try await accept([("trainerId", tamar), ("keyPersonId", samira), ("place", ""), ("time", "daytime")] + all())
            #expect(noPlace.status == .unprocessableEntity && noPlace.body.string.contains(#"id="place-\#(index)-error""#))
            let stranger = try await accept([("trainerId", tamar), ("keyPersonId", samira), ("place", "D04"), ("time", "daytime"),
                                             ("parents", UUID().uuidString)])
            #expect(stranger.status == .unprocessableEntity)
            #expect(stranger.body.string.contains(catalog.text("error.not-in-proposal", .nl)))
            let night = try await app.send(.POST, "/api/v1/groups/plan/accept", token: lead, json: #"""
                {"offerId":"\#(Self.offer)","series":\#(index),"time":"night"}
                """#)
            #expect(night.status == .unprocessableEntity && night.errorFields["time"] != nil)
            let notTrainer = try await app.send(.POST, "/api/v1/groups/plan/accept", token: lead, json: #"""
                {"offerId":"\#(Self.offer)","series":\#(index),"trainerId":"\#(samira)"}
                """#)
            #expect(notTrainer.status == .unprocessableEntity && notTrainer.errorFields["trainerId"] != nil)
            #expect(try await GroupSeries.query(on: app.db).count() == 0, "a refused edit writes nothing")

            // In the evening in D04, without one mother: she keeps waiting.
            let left = parents[0]
            let accepted = try await accept([("trainerId", tamar), ("keyPersonId", samira), ("place", "D04"), ("time", "evening")]
                                            + all(left))
            #expect(accepted.status == .seeOther, "\(accepted.body.string.prefix(400))")
            let created = try #require(try await GroupSeries.query(on: app.db).first())
            #expect(created.time == .evening && created.place == "D04" && created.language == "ti")
            #expect(created.$keyPerson.id.uuidString == samira)
            let joined = try await GroupParticipant.query(on: app.db).filter(\.$series.$id == created.id!).all()
            #expect(joined.count == 7 && !joined.contains { $0.$member.id.uuidString == left })
            // She still waits: the planner proposes her for the free place in the running series.
            let (again, _) = try await Self.plan(app, lead)
            let running = again.first { ($0["id"] as? String)?.lowercased() == created.id!.uuidString.lowercased() }
            #expect((running?["parents"] as? [String])?.contains(left) == true)
            #expect(try await GroupInvitee.query(on: app.db).filter(\.$status == .waiting).all().contains { $0.$member.id.uuidString == left })
        }
    }
}
