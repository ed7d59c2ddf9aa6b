import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Intake API")
struct IntakeAPITests {
    /// A Tigrinya-speaking mother, pregnant, with a son of 7, settled two months ago.
    static func motherJSON(settled: CalendarDate, today: CalendarDate = WallClock.testDefault.today) -> String {
        #"""
        {"name":"Tesfay","situations":["status-holder","pregnant"],"contactPreference":"via-key-person",
         "members":[{"role":"parent","givenName":"Lemlem","familyName":"Tesfay","gender":"female","birthYear":1994,
                     "countryOfOrigin":"ER","languagesSpoken":["ti"],"languagesRead":["ti"],"dutchLevel":"none",
                     "arrivalDate":"\#(settled.adding(days: -200).iso)","settlementDate":"\#(settled.iso)"},
                    {"role":"child","givenName":"Robel","birthDate":"\#(today.adding(days: -7 * 365).iso)"}]}
        """#
    }

    static func screening(_ date: CalendarDate, occasion: String, themes: String, confidence: Int, stressors: String,
                          member: String? = nil, extra: String = "") -> String {
        let memberField = member.map { #","memberId":"\#($0)""# } ?? ""
        return #"""
        {"occasion":"\#(occasion)","conductedOn":"\#(date.iso)"\#(memberField),
         "answers":{"themes":\#(themes),"confidence.where-to-go":\#(confidence),"confidence.raising-here":\#(confidence),
                    "stressors":\#(stressors),"network.co-parent":false,"preferences.audience":"mothers",
                    "preferences.language":"ti","preferences.place":["location"],"preferences.childcare":true\#(extra)}}
        """#
    }

    @Test("the intake with a pregnant Tigrinya-speaking mother, and a second screening three months later",
          arguments: TestDatabase.available)
    func intake(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let today = app.clock.today
            let created = try await app.send(.POST, "/api/v1/families", token: lead, json: Self.motherJSON(settled: today.adding(days: -100)))
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            let mother = try #require((created.json["members"] as? [[String: Any]])?.first { $0["role"] as? String == "parent" }?["id"] as? String)

            // The instrument is data, with a version.
            let instrument = try await app.send(.GET, "/api/v1/screening-instrument", token: lead)
            #expect(instrument.json["version"] as? Int == 2)

            // The intake: questions on sexual health and the school system, pregnancy as a stressor.
            let first = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead, json: Self.screening(
                today.adding(days: -91), occasion: "intake", themes: #"{"sexual-health":2,"school-system":2,"pregnancy-birth":1}"#,
                confidence: 2, stressors: #"["pregnancy","housing"]"#, member: mother))
            #expect(first.status == .created)
            let needs = try await app.send(.GET, "/api/v1/families/\(id)/needs", token: lead).jsonArray
            #expect(Set(needs.compactMap { $0["theme"] as? String }) == ["sexual-health", "school-system", "pregnancy-birth"])
            #expect(needs.allSatisfy { $0["source"] as? String == "screening" && $0["status"] as? String == "open" })

            // Couple the key person who speaks Tigrinya.
            let keyPersonID = try await app.user("sleutelpersoon").id!
            var household = try #require(try await app.send(.GET, "/api/v1/families/\(id)", token: lead).json as [String: Any]?)
            household["keyPersonId"] = keyPersonID.uuidString
            household.removeValue(forKey: "members")
            let coupled = try await app.send(.PUT, "/api/v1/families/\(id)", token: lead,
                                             json: String(decoding: try JSONSerialization.data(withJSONObject: household), as: UTF8.self))
            #expect(coupled.status == .ok)

            // The plan proposes the welcome package now, a JGZ home visit, and active support after the settling-in weeks.
            let proposal = try await app.send(.GET, "/api/v1/families/\(id)/plan", token: lead)
            #expect(proposal.json["proposed"] as? Bool == true)
            let kinds = ((proposal.json["plan"] as? [String: Any])?["actions"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds == ["welcome-package", "jgz-home-visit", "active-support"])
            #expect((proposal.json["plan"] as? [String: Any])?["activeSupportFrom"] as? String == today.adding(days: -100 + 84).iso)

            // The key person prints the welcome package in Tigrinya; the plan records it.
            let keyPerson = try await app.token("sleutelpersoon")
            let given = try await app.send(.POST, "/api/v1/families/\(id)/plan/information", token: keyPerson,
                                           json: #"{"pages":["who-helps","health","school"],"language":"ti","how":"printed"}"#)
            #expect(given.status == .ok)
            let information = (given.json["plan"] as? [String: Any])?["informationGiven"] as? [[String: Any]]
            #expect(information?.first?["language"] as? String == "ti")

            // Three months later: more confident, pregnancy gone, a new question on puberty.
            let second = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: keyPerson, json: Self.screening(
                today, occasion: "guidance", themes: #"{"sexual-health":1,"school-system":2,"puberty":1}"#,
                confidence: 4, stressors: #"["housing"]"#, member: mother))
            #expect(second.status == .created)
            let history = try await app.send(.GET, "/api/v1/families/\(id)/screenings", token: lead).jsonArray
            #expect(history.count == 2)
            let changes = try #require(history.last?["changes"] as? [String: Any])
            #expect((changes["confidence"] as? [String: Int])?["confidence.where-to-go"] == 2)
            #expect(changes["newThemes"] as? [String] == ["puberty"])
            #expect(changes["themesGone"] as? [String] == ["pregnancy-birth"])
            #expect(changes["stressorsGone"] as? [String] == ["pregnancy"])
            #expect(try await app.auditCount(action: "screening.create") == 2)
        }
    }

    @Test("bad input: unknown question, out of range, future date, phase skip, future contact — nothing written",
          arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let today = app.clock.today
            let id = try #require(try await app.send(.POST, "/api/v1/families", token: lead,
                                                     json: Self.motherJSON(settled: today.adding(days: -10))).json["id"] as? String)
            func refused(_ path: String, _ json: String, field: String, code: String, method: HTTPMethod = .POST) async throws {
                let response = try await app.send(method, path, token: lead, json: json)
                #expect(response.status == .unprocessableEntity, "\(path) \(json)")
                let fields = (response.json["error"] as? [String: Any])?["fields"] as? [String: String]
                #expect(fields?[field] == app.locales.text("error.\(code)", .en), "\(field): \(String(describing: fields))")
            }
            let screenings = "/api/v1/families/\(id)/screenings"
            // The demo's own families have open questions too: none may be added.
            let needsBefore = try await Need.query(on: app.db).count()
            try await refused(screenings, #"{"answers":{"favourite-colour":"blue"}}"#, field: "answers.favourite-colour", code: "unknown-question")
            try await refused(screenings, #"{"answers":{"confidence.talking":9}}"#, field: "answers.confidence.talking", code: "out-of-range")
            try await refused(screenings, #"{"answers":{"themes":{"school-system":7}}}"#, field: "answers.themes", code: "out-of-range")
            try await refused(screenings, #"{"answers":{"themes":{"astrology":1}}}"#, field: "answers.themes", code: "unknown-code")
            try await refused(screenings, #"{"conductedOn":"\#(today.adding(days: 3).iso)","answers":{"confidence.talking":3}}"#,
                              field: "conductedOn", code: "future-date")
            try await refused(screenings, #"{"answers":{"confidence.talking":"yes"}}"#, field: "answers.confidence.talking", code: "wrong-type")
            #expect(try await Screening.query(on: app.db).count() == 0)
            #expect(try await Need.query(on: app.db).count() == needsBefore)

            // Phases go one step at a time.
            let saved = try await app.send(.PUT, "/api/v1/families/\(id)/plan", token: lead, json: #"{"goals":["Weten hoe school werkt"],"version":0}"#)
            #expect(saved.status == .ok)
            try await refused("/api/v1/families/\(id)/plan", #"{"phase":3,"version":1}"#, field: "phase", code: "phase-skip", method: .PUT)
            let phase2 = try await app.send(.PUT, "/api/v1/families/\(id)/plan", token: lead, json: #"{"phase":2,"phaseNote":"Gesetteld","version":1}"#)
            #expect((phase2.json["plan"] as? [String: Any])?["phase"] as? Int == 2)
            #expect(((phase2.json["plan"] as? [String: Any])?["phaseHistory"] as? [Any])?.count == 2)
            #expect(try await app.send(.PUT, "/api/v1/families/\(id)/plan", token: lead, json: #"{"phase":3,"version":1}"#).status == .conflict)

            // A contact moment in the future (the demo's own contacts are not this family's).
            let contactsBefore = try await ContactMoment.query(on: app.db).filter(\.$family.$id == UUID(uuidString: id)!).count()
            let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
            try await refused("/api/v1/families/\(id)/contacts", #"{"at":"\#(future)","mode":"phone"}"#, field: "at", code: "future-date")
            try await refused("/api/v1/families/\(id)/contacts", #"{"mode":"carrier-pigeon"}"#, field: "mode", code: "unknown-code")
            #expect(try await ContactMoment.query(on: app.db).filter(\.$family.$id == UUID(uuidString: id)!).count() == contactsBefore)
        }
    }

    @Test("contact notes for the family's own workers only; signals reach the lead; needs merge and close",
          arguments: TestDatabase.available)
    func contactsSignalsNeeds(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let other = try await app.makeCaseManager("klantmanager2")
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let id = family.id!.uuidString
            let keyPerson = try await app.token("sleutelpersoon")
            let contact = try await app.send(.POST, "/api/v1/families/\(id)/contacts", token: keyPerson, json: #"""
                {"mode":"home-visit","language":"ti","interpreter":false,"note":"Moeder slaapt slecht.",
                 "signal":{"kind":"question","text":"Moeder vraagt naar een moedergroep."}}
                """#)
            #expect(contact.status == .created)
            let forLead = try await app.send(.GET, "/api/v1/families/\(id)/contacts", token: lead).jsonArray
            // The demo family's lead is klantmanager: the note is readable.
            #expect(forLead.first?["note"] as? String == "Moeder slaapt slecht.")
            let forOther = try await app.send(.GET, "/api/v1/families/\(id)/contacts", token: other).jsonArray
            #expect(forOther.first?["note"] == nil || forOther.first?["note"] is NSNull)
            #expect(forOther.first?["noteHidden"] as? Bool == true)

            let signals = try await app.send(.GET, "/api/v1/families/\(id)/signals", token: lead).jsonArray
            #expect(signals.count == 1 && signals.first?["status"] as? String == "open")
            let signalID = try #require(signals.first?["id"] as? String)
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/signals/\(signalID)/handled", token: keyPerson).status == .forbidden)
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/signals/\(signalID)/handled", token: lead).json["status"] as? String == "handled")
            // A key person of other families cannot raise one here: the family does not exist for them.
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/signals", token: try await app.token("sleutelpersoon2"),
                                       json: #"{"kind":"concern","text":"x"}"#).status == .notFound)

            let a = try await app.send(.POST, "/api/v1/families/\(id)/needs", token: lead, json: #"{"theme":"school-system","priority":1}"#)
            let b = try await app.send(.POST, "/api/v1/families/\(id)/needs", token: lead, json: #"{"theme":"two-cultures","priority":3}"#)
            #expect(a.status == .created && b.status == .created)
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/needs", token: keyPerson, json: #"{"theme":"leisure"}"#).status == .forbidden)
            let aID = try #require(a.json["id"] as? String), bID = try #require(b.json["id"] as? String)
            let merged = try await app.send(.PATCH, "/api/v1/families/\(id)/needs/\(bID)", token: lead, json: #"{"mergeInto":"\#(aID)","version":1}"#)
            #expect(merged.json["status"] as? String == "merged")
            let needs = try await app.send(.GET, "/api/v1/families/\(id)/needs", token: lead).jsonArray
            #expect(needs.first { $0["id"] as? String == aID }?["priority"] as? Int == 3)
            let closed = try await app.send(.PATCH, "/api/v1/families/\(id)/needs/\(aID)", token: lead, json: #"{"status":"closed","version":2}"#)
            #expect(closed.json["status"] as? String == "closed")
            #expect(try await app.send(.PATCH, "/api/v1/families/\(id)/needs/\(aID)", token: lead, json: #"{"status":"open","version":1}"#).status == .conflict)
        }
    }

    @Test("the Meldcode: five steps in order, signed by the lead and the named colleague only",
          arguments: TestDatabase.available)
    func meldcode(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let colleague = try await app.makeCaseManager("klantmanager2")
            let colleagueID = try await app.user("klantmanager2").id!
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let id = family.id!.uuidString
            let opened = try await app.send(.POST, "/api/v1/families/\(id)/meldcode", token: lead, json: #"{"colleagueId":"\#(colleagueID)"}"#)
            #expect(opened.status == .created)
            let recordID = try #require(opened.json["id"] as? String)
            let steps = "/api/v1/families/\(id)/meldcode/\(recordID)/steps"
            // The key person of the family does not see it, and cannot sign.
            let keyPerson = try await app.token("sleutelpersoon")
            #expect(try await app.send(.GET, "/api/v1/families/\(id)/meldcode", token: keyPerson).jsonArray.isEmpty)
            #expect(try await app.send(.POST, steps, token: keyPerson, json: #"{"step":1,"note":"x"}"#).status == .notFound)
            // Out of order.
            #expect(try await app.send(.POST, steps, token: lead, json: #"{"step":2,"note":"Collega geraadpleegd"}"#).status == .unprocessableEntity)
            #expect(try await app.send(.POST, steps, token: lead, json: #"{"step":1,"note":"Signalen in kaart gebracht"}"#).status == .ok)
            #expect(try await app.send(.POST, steps, token: colleague, json: #"{"step":2,"note":"Overleg, ook met Veilig Thuis"}"#).status == .ok)
            #expect(try await app.send(.POST, steps, token: lead, json: #"{"step":3,"note":"Gesprek met de ouders"}"#).status == .ok)
            #expect(try await app.send(.POST, steps, token: lead, json: #"{"step":4,"note":"Risico gewogen"}"#).status == .ok)
            let noDecision = try await app.send(.POST, steps, token: lead, json: #"{"step":5,"note":"Besluit"}"#)
            #expect(noDecision.status == .unprocessableEntity)
            let decided = try await app.send(.POST, steps, token: lead, json: #"{"step":5,"note":"Hulp georganiseerd","decision":"help"}"#)
            #expect(decided.json["status"] as? String == "decided")
            #expect((decided.json["steps"] as? [[String: Any]])?.map { $0["signedBy"] as? String } ==
                    ["Karin Mulder", "Klant Manager 2", "Karin Mulder", "Karin Mulder", "Karin Mulder"])
            // Only the lead of the family may open one.
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/meldcode", token: colleague,
                                       json: #"{"colleagueId":"\#(try await app.user("klantmanager").id!)"}"#).status == .forbidden)
            #expect(try await app.auditCount(action: "meldcode.step") == 5)
        }
    }
}

extension Application {
    /// A second case manager in Rijnstad (not the lead of any demo family).
    func makeCaseManager(_ username: String) async throws -> String {
        let template = try await user("klantmanager")
        let user = User(username: username, displayName: "Klant Manager 2", role: .caseManager, passwordHash: template.passwordHash,
                        municipalityID: template.$municipality.id, organisationID: template.$organisation.id)
        try await user.create(on: db)
        return try await token(username)
    }
}

extension TestingHTTPResponse {
    var jsonArray: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [[String: Any]] ?? []
    }
}

@Suite("Meldcode colleague")
struct MeldcodeColleagueTests {
    @Test("the colleague must be able to open the family: a case manager or its own social worker")
    func colleague() async throws {
        try await withWegwijs(.sqlite) { app in
            let lead = try await app.token("klantmanager")
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let own = try await app.user("begeleider").id!
            let keyPerson = try await app.user("sleutelpersoon").id!
            #expect(try await app.send(.POST, "/api/v1/families/\(family.id!)/meldcode", token: lead,
                                       json: #"{"colleagueId":"\#(keyPerson)"}"#).status == .unprocessableEntity)
            #expect(try await app.send(.POST, "/api/v1/families/\(family.id!)/meldcode", token: lead,
                                       json: #"{"colleagueId":"\#(own)"}"#).status == .created)
        }
    }
}
