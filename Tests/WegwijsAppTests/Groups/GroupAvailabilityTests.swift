import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// What the planner knows of people (docs/groups.md, "When parents can come"): recorded times, online, mixed and
/// districts of waiting parents and the times and most series of facilitators change the proposal; bad input is
/// refused with its field and writes nothing; a parent can be taken off the planner input.
@Suite("Group availability for the planner")
struct GroupAvailabilityTests {
    static let offer = DemoGroups.offerID.uuidString

    /// The demo's Tigrinya mothers (member ids), waiting for the demo offer.
    static func tigrinyaMothers(_ app: Application) async throws -> [GroupInvitee] {
        try await GroupInvitee.query(on: app.db).filter(\.$offer.$id == DemoGroups.offerID).filter(\.$language == "ti").all()
    }

    @Test("evening-only Tigrinya mothers and a daytime-only key person: unplaced, no key person speaks Tigrinya in the evening",
          arguments: TestDatabase.available)
    func eveningParentsDaytimeKeyPerson(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let before = try await GroupDemoFlowTests.plan(app, lead)
            #expect(before.series.contains { $0["language"] as? String == "ti" })
            let mothers = try await Self.tigrinyaMothers(app)
            #expect(mothers.count == 8)
            for mother in mothers {
                let saved = try await app.send(.PUT, "/api/v1/groups/plan/availability/parents/\(mother.$member.id)", token: lead,
                                               json: #"{"times":["evening"]}"#)
                #expect(saved.status == .ok, "\(saved.body.string)")
            }
            let samira = try await app.user("sleutelpersoon").id!
            let keyPerson = try await app.send(.PUT, "/api/v1/groups/plan/availability/facilitators/\(samira)", token: lead,
                                               json: #"{"times":["daytime"],"maxSeries":2}"#)
            #expect(keyPerson.status == .ok, "\(keyPerson.body.string)")
            let after = try await GroupDemoFlowTests.plan(app, lead)
            #expect(!after.series.contains { $0["language"] as? String == "ti" })
            let ids = Set(mothers.map { $0.$member.id.uuidString })
            let unplaced = after.unplaced.filter { ids.contains(($0["id"] as? String ?? "").uppercased()) }
            #expect(unplaced.count == 8)
            #expect(unplaced.allSatisfy { $0["reason"] as? String == "no-key-person-at-time" })
            #expect(unplaced.first?["explanation"] as? String == "8 Tigrinya mothers: no key person speaks Tigrinya in the evening")
            #expect(try await app.auditCount(action: "group.availability.update") == 8)
            #expect(try await app.auditCount(action: "group.facilitator.availability") == 1)

            // The page says it in its own words, and says who has nothing recorded (the defaults).
            let web = WebClient(app)
            _ = try await web.signIn("klantmanager")
            let page = try await web.get("/groups/plan?offer=\(Self.offer)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("geen sleutelpersoon spreekt Tigrinya &#39;s avonds")
                    || page.body.string.contains("geen sleutelpersoon spreekt Tigrinya 's avonds"))
            #expect(page.body.string.contains("id=\"default-note\""))
        }
    }

    @Test("districts: a parent's own district from the postcode; an unknown district or time is refused with its field, nothing written",
          arguments: TestDatabase.available)
    func districtsAndBadInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let bad = try await app.send(.PUT, "/api/v1/groups/districts", token: lead,
                                         json: #"{"districts":[{"code":"online","name":"x"},{"code":"OOST","name":"Oost","postcodes":["99"]}]}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.errorFields["districts[0].code"] != nil && bad.errorFields["districts[1].postcodes"] != nil)
            #expect(try await GroupDistrict.query(on: app.db).count() == 0)
            let saved = try await app.send(.PUT, "/api/v1/groups/districts", token: lead, json: #"""
                {"districts":[{"code":"WEST","name":"Rijnstad-West","postcodes":["2311-2313"]},
                              {"code":"OOST","name":"Rijnstad-Oost","postcodes":["2314-2330"]}]}
                """#)
            #expect(saved.status == .ok, "\(saved.body.string)")
            #expect(try await app.auditCount(action: "group.districts.update") == 1)

            let mother = try #require(try await Self.tigrinyaMothers(app).first)
            let path = "/api/v1/groups/plan/availability/parents/\(mother.$member.id)"
            for (body, field) in [(#"{"times":["night"]}"#, "times"), (#"{"times":[]}"#, "times"),
                                  (#"{"times":["evening"],"districts":["NOORD"]}"#, "districts")] {
                let refused = try await app.send(.PUT, path, token: lead, json: body)
                #expect(refused.status == .unprocessableEntity && refused.errorFields[field] != nil, "\(body): \(refused.body.string)")
            }
            #expect(try await GroupParentAvailability.query(on: app.db).count() == 0)
            #expect(try await app.auditCount(action: "group.availability.update") == 0)
            let facilitator = try await app.send(.PUT, "/api/v1/groups/plan/availability/facilitators/\(try await app.user("trainer").id!)",
                                                 token: lead, json: #"{"times":["daytime"],"maxSeries":11}"#)
            #expect(facilitator.status == .unprocessableEntity && facilitator.errorFields["maxSeries"] != nil)
            #expect(try await GroupFacilitatorAvailability.query(on: app.db).count() == 0)

            // With districts, every parent without a record is in their own district (from the family's postcode).
            let plan = try await app.send(.POST, "/api/v1/groups/plan", token: lead, json: #"{"offerId":"\#(Self.offer)"}"#)
            #expect(plan.status == .ok)
            let series = (plan.json["plan"] as? [String: Any])?["series"] as? [[String: Any]] ?? []
            #expect(series.allSatisfy { ["WEST", "OOST"].contains($0["place"] as? String ?? "") }, "\(series)")

            // The web form: the message next to the field, 422, nothing written.
            let web = WebClient(app)
            _ = try await web.signIn("klantmanager")
            _ = try await web.get("/groups/plan?offer=\(Self.offer)")
            let form = try await web.post("/groups/plan/availability/\(mother.$member.id)",
                                          [("offerId", Self.offer), ("times", "night"), ("districts", "NOORD")])
            #expect(form.status == .unprocessableEntity)
            #expect(form.body.string.contains("id=\"times-\(mother.$member.id.uuidString)-error\""))
            #expect(form.body.string.contains("id=\"districts-\(mother.$member.id.uuidString)-error\""))
            #expect(try await GroupParentAvailability.query(on: app.db).count() == 0)
            let ok = try await web.post("/groups/plan/availability/\(mother.$member.id)",
                                        [("offerId", Self.offer), ("times", "evening"), ("online", "1"), ("districts", "OOST")])
            #expect(ok.status == .seeOther)
            let row = try #require(try await GroupParentAvailability.query(on: app.db).first())
            #expect(row.online == true)
            // The codes are rows of their join tables, not text.
            #expect(try await CodeTables.parentAvailabilityTimes.load(row.id!, on: app.db) == ["evening"])
            #expect(try await CodeTables.parentAvailabilityDistricts.load(row.id!, on: app.db) == ["OOST"])
        }
    }

    @Test("taking a parent off the planner input: audited, not proposed again, and invite everyone does not bring them back",
          arguments: TestDatabase.available)
    func removeInvitee(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let mother = try #require(try await Self.tigrinyaMothers(app).first)
            let web = WebClient(app)
            _ = try await web.signIn("klantmanager")
            let page = try await web.get("/groups/plan?offer=\(Self.offer)")
            #expect(page.body.string.contains("/groups/plan/invitees/\(mother.id!.uuidString)/remove"))
            let removed = try await web.post("/groups/plan/invitees/\(mother.id!)/remove", [])
            #expect(removed.status == .seeOther)
            #expect(try await GroupInvitee.find(mother.id, on: app.db)?.status == .left)
            #expect(try await app.auditCount(action: "group.plan.remove") == 1)
            let plan = try await GroupDemoFlowTests.plan(app, lead)
            let everyone = plan.series.flatMap { $0["parents"] as? [String] ?? [] } + plan.unplaced.compactMap { $0["id"] as? String }
            #expect(!everyone.map { $0.uppercased() }.contains(mother.$member.id.uuidString))
            let again = try await app.send(.DELETE, "/api/v1/groups/plan/invitees/\(mother.id!)", token: lead)
            #expect(again.status == .unprocessableEntity && again.errorFields["inviteeId"] != nil)
            let invite = try await app.send(.POST, "/api/v1/groups/plan/invite", token: lead,
                                            json: #"{"offerId":"\#(Self.offer)","settledMonths":120}"#)
            #expect(invite.status == .ok)
            #expect(try await GroupInvitee.find(mother.id, on: app.db)?.status == .left)
            let partner = try await app.send(.DELETE, "/api/v1/groups/plan/invitees/\(mother.id!)", token: try await app.token("partner-jgz"))
            #expect(partner.status == .forbidden)
        }
    }

    @Test("a session's hand-out: the topic's parents' pages in the group's language, the municipality's addresses, right to left",
          arguments: TestDatabase.available.prefix(1))
    func handout(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let trainer = try await app.user("trainer").id!
            for (language, keyPerson, dir) in [("ti", "sleutelpersoon", "ltr"), ("ar", "sleutelpersoon", "rtl"), ("fa", "sleutelpersoon2", "rtl")] {
                let keyPersonID = try await app.user(keyPerson).id!
                let series = try await app.send(.POST, "/api/v1/groups/series", token: lead, json: #"""
                    {"offerId":"\#(Self.offer)","language":"\#(language)","audience":"mothers","place":"D03","time":"daytime","startsOn":"2027-01-04","endsOn":"2027-02-28","trainerId":"\#(trainer)","keyPersonId":"\#(keyPersonID)"}
                    """#)
                #expect(series.status == .created, "\(series.body.string)")
                let seriesID = try #require((series.json["series"] as? [String: Any])?["id"] as? String)
                let day = language == "ti" ? "2027-01-06" : language == "ar" ? "2027-01-13" : "2027-01-20"
                let session = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/sessions", token: lead,
                                                 json: #"{"date":"\#(day)","startsAt":"10:00","endsAt":"12:00","topic":"school-system"}"#)
                let sessionID = try #require((session.json["sessions"] as? [[String: Any]])?.first?["id"] as? String)
                let api = try await app.send(.GET, "/api/v1/groups/series/\(seriesID)/sessions/\(sessionID)/handout", token: lead)
                #expect(api.status == .ok, "\(api.body.string)")
                let pages = api.json["pages"] as? [[String: Any]] ?? []
                #expect(pages.first?["slug"] as? String == "school")
                #expect(pages.first?["dir"] as? String == dir || pages.first?["language"] as? String == "nl")
                #expect(!(api.json["addresses"] as? [[String: Any]] ?? []).isEmpty)
                let web = WebClient(app)
                _ = try await web.signIn("klantmanager")
                let page = try await web.get("/groups/\(seriesID)/sessions/\(sessionID)/handout")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("id=\"handout\""))
                #expect(page.body.string.contains("dir=\"\(dir)\""))
            }
        }
    }
}
