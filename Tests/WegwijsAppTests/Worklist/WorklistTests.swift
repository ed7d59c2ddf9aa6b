import Foundation
import SQLKit
import Testing
import WegwijsCore
@testable import WegwijsApp

/// The worklist of a family's lead through the API, at fixed dates (issue 16, item 1): a family registered today puts
/// nothing on it; the first screening comes up a week before it is due; a signal, a plan action and the plan's review
/// show with their due dates; six weeks without contact shows, and a contact takes it away. One audit entry per request.
@Suite("Worklist")
struct WorklistTests {
    @Test("A family's items appear and go as their dates come and the work is done", arguments: TestDatabase.available)
    func familyItems(_ database: TestDatabase) async throws {
        let clock = ManualClock(CalendarDate(iso: "2026-12-02")!)
        try await withWegwijs(database, clock: clock.clock) { app in
            let lead = try await app.token("klantmanager")
            let registered = try await app.send(.POST, "/api/v1/families", token: lead,
                                                json: IntakeAPITests.motherJSON(settled: app.clock.today.adding(days: -30), today: app.clock.today))
            #expect(registered.status == .created)
            let id = try #require(registered.json["id"] as? String)
            func items() async throws -> [[String: Any]] {
                let work = try await app.send(.GET, "/api/v1/worklist?per=100", token: lead)
                #expect(work.status == .ok)
                return (work.json["items"] as? [[String: Any]] ?? []).filter { $0["familyId"] as? String == id }
            }
            func kinds() async throws -> [String] { try await items().compactMap { $0["kind"] as? String } }

            // Registered today: not "without contact", and the first screening is two weeks away.
            #expect(try await kinds() == [])
            // A week before the screening is due (16 December) it shows, not yet overdue, with the screening form.
            clock.set(CalendarDate(iso: "2026-12-09")!)
            let screening = try #require(try await items().first)
            #expect(screening["kind"] as? String == "screening-due" && screening["due"] as? String == "2026-12-16")
            #expect(screening["overdue"] as? Bool == false && screening["action"] as? String == "screen")
            #expect(screening["href"] as? String == "/families/\(id)/intake/screening")

            // A signal (due two working days later), a plan action due yesterday and a review next week.
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/signals", token: lead,
                                       json: #"{"kind":"concern","text":"Zorgen over slapen"}"#).status == .created)
            let plan = try await app.send(.PUT, "/api/v1/families/\(id)/plan", token: lead, json: #"""
                {"actions":[{"text":"Bibliotheekpas aanvragen","who":"Lemlem","due":"2026-12-08","done":false},
                            {"text":"Later","who":"Lemlem","due":"2027-03-01","done":false},
                            {"text":"Al gedaan","who":"Lemlem","due":"2026-11-01","done":true}],
                 "reviewDate":"2026-12-14","version":0}
                """#)
            #expect(plan.status == .ok, "\(plan.body.string)")
            let now = try await items()
            #expect(now.compactMap { $0["kind"] as? String }
                    == ["plan-action-due", "signal-unanswered", "plan-review-due", "screening-due"], "\(now)")
            #expect(now.compactMap { $0["due"] as? String } == ["2026-12-08", "2026-12-11", "2026-12-14", "2026-12-16"])
            #expect(now.first?["detail"] as? String == "Bibliotheekpas aanvragen" && now.first?["overdue"] as? Bool == true)

            // The filter shows one kind; its count is in the counts of the whole list.
            let filtered = try await app.send(.GET, "/api/v1/worklist?kind=signal-unanswered&per=100", token: lead)
            let counts = filtered.json["counts"] as? [String: Int] ?? [:]
            #expect((filtered.json["items"] as? [[String: Any]] ?? []).allSatisfy { $0["kind"] as? String == "signal-unanswered" })
            #expect(filtered.json["total"] as? Int == counts["signal-unanswered"])
            #expect((counts["screening-due"] ?? 0) >= 1)

            // Six weeks after registration (13 January) without a contact: on the list; a contact takes it away.
            clock.set(CalendarDate(iso: "2027-01-13")!)
            #expect(try await kinds().contains("no-recent-contact"))
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/contacts", token: lead,
                                       json: #"{"mode":"phone","interpreter":false}"#).status == .created)
            #expect(!(try await kinds().contains("no-recent-contact")))

            // One audit entry for the request, naming the families on the page.
            let before = try await AuditEntry.query(on: app.db).sort(\.$id, .descending).first()?.id ?? 0
            _ = try await app.send(.GET, "/api/v1/worklist?kind=screening-due&per=100", token: lead)
            let written = try await AuditEntry.query(on: app.db).sort(\.$id, .descending).limit(5).all()
                .filter { $0.id! > before }
            #expect(written.map(\.action) == ["worklist.read"])
            #expect(written.first?.detail.contains(id) == true)

            // A closed family leaves the worklist.
            let version = try #require(try await app.send(.GET, "/api/v1/families/\(id)", token: lead).json["version"] as? Int)
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/close", token: lead,
                                       json: #"{"reason":"moved-away","version":\#(version)}"#).status == .ok)
            #expect(try await kinds() == [])
        }
    }

    @Test("The stored items follow the family: a new key person has its plan actions at once, the old one not",
          arguments: TestDatabase.available)
    func itemsFollowCoupling(_ database: TestDatabase) async throws {
        let clock = ManualClock(CalendarDate(iso: "2026-12-02")!)
        try await withWegwijs(database, clock: clock.clock) { app in
            let lead = try await app.token("klantmanager")
            let samira = try await app.user("sleutelpersoon"), yusuf = try await app.user("sleutelpersoon2")
            let leadUser = try await app.user("klantmanager")
            var body = IntakeAPITests.motherJSON(settled: app.clock.today.adding(days: -30), today: app.clock.today)
            body = #"{"keyPersonId":"\#(samira.id!)","caseManagerId":"\#(leadUser.id!)","# + body.dropFirst()
            let registered = try await app.send(.POST, "/api/v1/families", token: lead, json: body)
            #expect(registered.status == .created, "\(registered.body.string)")
            let id = try #require(registered.json["id"] as? String)
            #expect(try await app.send(.PUT, "/api/v1/families/\(id)/plan", token: lead, json: #"""
                {"actions":[{"text":"Samen naar de bibliotheek","who":"Samira","due":"2026-12-04","done":false}],"version":0}
                """#).status == .ok)
            func kinds(_ username: String) async throws -> [String] {
                let work = try await app.send(.GET, "/api/v1/worklist?per=100", token: try await app.token(username))
                #expect(work.status == .ok)
                return (work.json["items"] as? [[String: Any]] ?? []).filter { $0["familyId"] as? String == id }
                    .compactMap { $0["kind"] as? String }
            }
            // The key person sees the plan's action, not the lead's screening; the lead sees both.
            #expect(try await kinds("sleutelpersoon") == ["plan-action-due"])
            #expect(try await kinds("sleutelpersoon2") == [])
            // Another key person: the action moves with the coupling, in the same request.
            let version = try #require(try await app.send(.GET, "/api/v1/families/\(id)", token: lead).json["version"] as? Int)
            let moved = try await app.send(.PUT, "/api/v1/families/\(id)", token: lead, json: #"""
                {"name":"Tesfay","caseManagerId":"\#(leadUser.id!)","keyPersonId":"\#(yusuf.id!)","version":\#(version)}
                """#)
            #expect(moved.status == .ok, "\(moved.body.string)")
            #expect(try await kinds("sleutelpersoon") == [])
            #expect(try await kinds("sleutelpersoon2") == ["plan-action-due"])
            // Reopened after closing, the family is back with what is due.
            let closedVersion = try #require(moved.json["version"] as? Int)
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/close", token: lead,
                                       json: #"{"reason":"moved-away","version":\#(closedVersion)}"#).status == .ok)
            #expect(try await kinds("sleutelpersoon2") == [])
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/reopen", token: lead,
                                       json: #"{"version":\#(closedVersion + 1)}"#).status == .ok)
            #expect(try await kinds("sleutelpersoon2") == ["plan-action-due"])
        }
    }

    @Test("Started with other rules, the stored worklists are made again with them", arguments: TestDatabase.available)
    func otherRules(_ database: TestDatabase) async throws {
        let clock = ManualClock(CalendarDate(iso: "2026-12-02")!)
        try await withWegwijs(database, clock: clock.clock) { app in
            let lead = try await app.token("klantmanager")
            let registered = try await app.send(.POST, "/api/v1/families", token: lead,
                                                json: IntakeAPITests.motherJSON(settled: app.clock.today.adding(days: -30), today: app.clock.today))
            let id = try #require(registered.json["id"] as? String)
            func noContactDue() async throws -> String? {
                let work = try await app.send(.GET, "/api/v1/worklist?kind=no-recent-contact&per=100", token: lead)
                return (work.json["items"] as? [[String: Any]] ?? []).first { $0["familyId"] as? String == id }?["due"] as? String
            }
            clock.set(CalendarDate(iso: "2026-12-20")!)
            #expect(try await noContactDue() == nil)
            // Two weeks instead of six: due on 16 December, so on the list on the 20th.
            try await FamilyWorkItems.ensureRules(WorkRules(noContactWeeks: 2), on: app.db)
            #expect(try await noContactDue() == "2026-12-16")
            // The same rules again: nothing to do (the stored fingerprint matches).
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT rules FROM family_work_rules").all()
            #expect(try stored.map { try $0.decode(column: "rules", as: String.self) } == [WorkRules(noContactWeeks: 2).fingerprint])
        }
    }

    @Test("Bad filters and paging are refused with the parameter named", arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            for query in ["kind=carrier-pigeon", "per=0", "page=-1"] {
                let answer = try await app.send(.GET, "/api/v1/worklist?\(query)", token: lead)
                #expect(answer.status == .unprocessableEntity, "\(query): \(answer.status)")
                #expect(answer.body.string.contains(query.split(separator: "=")[0]), "\(query): \(answer.body.string)")
            }
            #expect(try await app.send(.GET, "/api/v1/worklist", token: try await app.token("beleid")).status == .forbidden)
        }
    }
}
