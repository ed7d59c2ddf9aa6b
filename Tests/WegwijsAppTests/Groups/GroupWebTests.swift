import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The group pages as a coordinator and a trainer use them: plan a series on the form (errors next to the fields),
/// add sessions and parents, record attendance; the trainer's start page is their series.
@Suite("Group pages")
struct GroupWebTests {
    @Test("plan a series on the web, add a session and an invited parent, record attendance", arguments: TestDatabase.available)
    func coordinatorAndTrainer(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let web = WebClient(app)
            try await web.signIn("klantmanager")
            let form = try await web.get("/groups/new")
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Samira Haddad"))
            let trainer = try await app.user("trainer").id!, keyPerson = try await app.user("sleutelpersoon").id!
            var fields = [("offerId", ReferralAPITests.mothersGroup), ("language", "ti"), ("audience", "mothers"), ("minSize", "2"),
                          ("maxSize", "12"), ("place", "D03"), ("location", "Buurthuis"), ("time", "daytime"), ("childcare", "on"),
                          ("startsOn", "2027-01-04"), ("endsOn", "2027-02-28"), ("trainerId", trainer.uuidString),
                          ("keyPersonId", keyPerson.uuidString)]
            // A key person who does not speak Somali: the message stands next to the field, nothing is written.
            var wrong = fields
            wrong[1] = ("language", "so")
            let refused = try await web.post("/groups/new", wrong)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("keyPersonId-error"))
            #expect(try await GroupSeries.query(on: app.db).count() == 0)

            let planned = try await web.post("/groups/new", fields)
            #expect(planned.status == .seeOther)
            let location = try #require(planned.headers.first(name: .location))
            #expect(location.hasPrefix("/groups/"))
            fields.removeAll()
            // The JGZ nurse joins the first session as a guest.
            let partner = try await app.user("partner-jgz")
            let added = try await web.post("\(location)/sessions", [("date", "2027-01-06"), ("startsAt", "10:00"), ("endsAt", "12:00"),
                                                                    ("topic", "school-system"), ("guestIds", partner.id!.uuidString)])
            #expect(added.status == .seeOther)
            let withGuest = try await web.get(location)
            #expect(withGuest.body.string.contains("guest-\(partner.id!.uuidString)"), "the session form offers the partner as a guest")
            #expect(withGuest.body.string.contains("Te gast: \(partner.displayName)"))
            let outside = try await web.post("\(location)/sessions", [("date", "2027-03-06"), ("startsAt", "10:00"), ("endsAt", "12:00"),
                                                                      ("topic", "school-system")])
            #expect(outside.status == .unprocessableEntity)

            // A newly settled Tigrinya-speaking mother is on the invitation list; invite her.
            let family = try await app.send(.POST, "/api/v1/families", token: try await app.token("klantmanager"), json: #"""
                {"name":"Tesfamariam","members":[{"role":"parent","givenName":"Mebrat","gender":"female","languagesSpoken":["ti"],"settlementDate":"2026-06-01"}]}
                """#)
            let memberID = try #require((family.json["members"] as? [[String: Any]])?.first?["id"] as? String)
            let page = try await web.get(location)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Mebrat"))
            let invited = try await web.post("\(location)/participants", [("memberId", memberID)])
            #expect(invited.status == .seeOther)
            let series = try #require(try await GroupSeries.query(on: app.db).first())
            let participant = try #require(try await GroupParticipant.query(on: app.db).filter(\.$series.$id == series.id!).first())
            #expect(participant.source == .invitation && participant.invitation == .invited)
            let session = try #require(try await GroupSession.query(on: app.db).first())

            // The trainer starts on their series and records who came.
            let trainerWeb = WebClient(app)
            try await trainerWeb.signIn("trainer")
            let home = try await trainerWeb.get("/")
            #expect(home.headers.first(name: .location) == "/groups")
            let list = try await trainerWeb.get("/groups")
            #expect(list.body.string.contains("/groups/\(series.id!.uuidString)"))
            #expect(list.body.string.contains("Volgende bijeenkomst: 6 januari 2027 10:00"), "the trainer's start page names the next session")
            _ = try await trainerWeb.get(location)
            let recorded = try await trainerWeb.post("\(location)/sessions/\(session.id!)/attendance", [
                ("participant", participant.id!.uuidString), ("status-\(participant.id!.uuidString)", "present"),
                ("children-\(participant.id!.uuidString)", "1"), ("childcareHeadcount", "3")])
            #expect(recorded.status == .seeOther)
            let mark = try #require(try await GroupAttendance.query(on: app.db).first())
            #expect(mark.status == .present && mark.childrenBrought == 1)
            #expect(try await GroupSession.find(session.id!, on: app.db)?.childcareHeadcount == 3)
        }
    }

    @Test("the planning page shows the proposal for a group offer's waiting list", arguments: TestDatabase.available)
    func planningPage(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let habte = try await ReferralAPITests.habte(app)
            #expect(try await app.send(.POST, "/api/v1/referrals", token: habte.lead, json: ReferralAPITests.referBody(habte)).status == .created)
            let web = WebClient(app)
            try await web.signIn("klantmanager")
            let page = try await web.get("/groups/plan?offer=\(ReferralAPITests.mothersGroup)")
            #expect(page.status == .ok, "\(page.body.string.prefix(300))")
            #expect(page.body.string.contains("Senait"))
            let first = try await web.get("/groups/plan")
            #expect(first.status == .ok)
        }
    }

    @Test("an invitation letter in the parent's language (Arabic right to left, Tigrinya), Dutch where there is none yet", arguments: TestDatabase.available)
    func invitationLetter(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let s = try await GroupSeriesAPITests.setting(app)
            let created = try await app.send(.POST, "/api/v1/groups/series", token: lead, json: GroupSeriesAPITests.seriesBody(s, language: "ar", maxSize: 5))
            let seriesID = try #require((created.json["series"] as? [String: Any])?["id"] as? String)
            _ = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/sessions", token: lead, json: GroupSeriesAPITests.session("2027-01-06"))
            var participants: [String: String] = [:]
            for (name, languages) in [("Amal", #"["ar"]"#), ("Selam", #"["ti","ar"]"#), ("Meron", #"["am","ti"]"#), ("Hodan", #"["so"]"#), ("Almaz", #"["am"]"#)] {
                let family = try await app.send(.POST, "/api/v1/families", token: lead, json: #"""
                    {"name":"\#(name)","members":[{"role":"parent","givenName":"\#(name)","gender":"female","languagesSpoken":\#(languages)}]}
                    """#)
                let member = try #require((family.json["members"] as? [[String: Any]])?.first?["id"] as? String)
                let added = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/participants", token: lead,
                                               json: #"{"memberId":"\#(member)","source":"invitation"}"#)
                participants[name] = try #require((added.json["participants"] as? [[String: Any]])?.last?["id"] as? String)
            }
            // The key person prints it.
            let web = WebClient(app)
            try await web.signIn("sleutelpersoon")
            let arabic = try await web.get("/groups/\(seriesID)/participants/\(participants["Amal"]!)/invitation")
            #expect(arabic.status == .ok)
            #expect(arabic.body.string.contains(#"lang="ar" dir="rtl""#))
            #expect(arabic.body.string.contains("مرحباً Amal"))
            #expect(!arabic.body.string.contains("fallback-note"))
            // A Tigrinya-speaking mother gets the letter and the message in Tigrinya (Ge'ez script).
            let tigrinya = try await web.get("/groups/\(seriesID)/participants/\(participants["Selam"]!)/invitation")
            #expect(tigrinya.body.string.contains(#"lang="ti" dir="ltr""#))
            #expect(tigrinya.body.string.contains("ሰላም Selam፣"))
            #expect(tigrinya.body.string.contains("ሓበሬታን ጠቓሚ ምኽርታትን"))
            #expect(!tigrinya.body.string.contains("fallback-note"))
            // Amharic first, Tigrinya too: the first language she speaks that has a letter.
            let second = try await web.get("/groups/\(seriesID)/participants/\(participants["Meron"]!)/invitation")
            #expect(second.body.string.contains("ሰላም Meron፣"))
            // Somali is written out too (plain and warm: information and tips).
            let somali = try await web.get("/groups/\(seriesID)/participants/\(participants["Hodan"]!)/invitation")
            #expect(somali.body.string.contains(#"lang="so" dir="ltr""#))
            #expect(somali.body.string.contains("Salaan Hodan,"))
            #expect(!somali.body.string.contains("fallback-note"))
            // Amharic has no letter yet: Dutch, with the note for the key person.
            let dutch = try await web.get("/groups/\(seriesID)/participants/\(participants["Almaz"]!)/invitation")
            #expect(dutch.body.string.contains("Beste Almaz,"))
            #expect(dutch.body.string.contains("fallback-note"))
            #expect(try await app.auditCount(action: "group.invitation.read") == 5)
        }
    }
}
