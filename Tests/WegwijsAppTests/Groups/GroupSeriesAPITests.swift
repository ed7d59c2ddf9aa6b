import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Group series through the API (issue 14, items 1–2 and "Bad input"): planning a series with a key person who
/// speaks its language, sessions inside its dates, parents within capacity, invitations, drop-outs and attendance;
/// each refusal names its field and writes nothing.
@Suite("Group series API")
struct GroupSeriesAPITests {
    /// The demo's Tigrinya mothers' group offer (R21), its trainer and its key person Samira Haddad (ar, ti).
    struct Setting {
        let lead: String
        let trainerID: UUID
        let keyPersonID: UUID
        let offer: String
    }

    static func setting(_ app: Application) async throws -> Setting {
        Setting(lead: try await app.token("klantmanager"), trainerID: try await app.user("trainer").id!,
                keyPersonID: try await app.user("sleutelpersoon").id!, offer: ReferralAPITests.mothersGroup)
    }

    static func seriesBody(_ s: Setting, language: String = "ti", audience: String = "mothers", minSize: Int = 2, maxSize: Int = 3,
                           trainer: UUID? = nil, keyPerson: UUID? = nil, startsOn: String = "2027-01-04", endsOn: String = "2027-02-28",
                           extra: String = "") -> String {
        #"{"offerId":"\#(s.offer)","language":"\#(language)","audience":"\#(audience)","minSize":\#(minSize),"maxSize":\#(maxSize),"place":"D03","location":"Buurthuis De Horst, Molenweg 2","time":"daytime","childcare":true,"startsOn":"\#(startsOn)","endsOn":"\#(endsOn)","trainerId":"\#(trainer ?? s.trainerID)","keyPersonId":"\#(keyPerson ?? s.keyPersonID)"\#(extra)}"#
    }

    static func session(_ date: String, _ topic: String = "school-system", from: String = "10:00", to: String = "12:00") -> String {
        #"{"date":"\#(date)","startsAt":"\#(from)","endsAt":"\#(to)","topic":"\#(topic)"}"#
    }

    /// A new family with one parent of `gender`; returns the parent's member id.
    static func parent(_ app: Application, _ token: String, _ name: String, gender: String = "female") async throws -> String {
        let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
            {"name":"\#(name)","members":[{"role":"parent","givenName":"\#(name)","gender":"\#(gender)","languagesSpoken":["ti"]},{"role":"child","givenName":"Kind"}]}
            """#)
        #expect(created.status == .created)
        let members = created.json["members"] as? [[String: Any]] ?? []
        return try #require(members.first { $0["role"] as? String == "parent" }?["id"] as? String)
    }

    static func fields(_ response: TestingHTTPResponse) -> [String: String] {
        (response.json["error"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
    }

    static func participants(_ response: TestingHTTPResponse) -> [[String: Any]] {
        response.json["participants"] as? [[String: Any]] ?? []
    }

    @Test("plan a Tigrinya mothers' series, five sessions, parents by invitation, answers and attendance", arguments: TestDatabase.available)
    func runsASeries(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.setting(app)
            let created = try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s))
            #expect(created.status == .created, "\(created.body.string)")
            let series = try #require((created.json["series"] as? [String: Any])?["id"] as? String)
            #expect(created.headers.first(name: .location) == "/api/v1/groups/series/\(series)")
            let path = "/api/v1/groups/series/\(series)"

            for (index, (date, topic)) in [("2027-01-06", "school-system"), ("2027-01-13", "care-system"),
                                           ("2027-01-20", "sexual-health"), ("2027-01-27", "parenting-confidence"),
                                           ("2027-02-03", "two-cultures")].enumerated() {
                let added = try await app.send(.POST, "\(path)/sessions", token: s.lead, json: Self.session(date, topic))
                #expect(added.status == .created, "\(added.body.string)")
                #expect((added.json["sessions"] as? [[String: Any]])?.count == index + 1)
            }
            var members: [String] = []
            for name in ["Selam", "Luwam", "Saba"] {
                let member = try await Self.parent(app, s.lead, name)
                members.append(member)
                let added = try await app.send(.POST, "\(path)/participants", token: s.lead,
                                               json: #"{"memberId":"\#(member)","source":"invitation"}"#)
                #expect(added.status == .created, "\(added.body.string)")
            }
            // The key person brings the answers; the trainer records who came.
            let keyPerson = try await app.token("sleutelpersoon")
            var detail = try await app.send(.GET, path, token: keyPerson)
            #expect(detail.status == .ok)
            let people = Self.participants(detail)
            #expect(people.map { $0["name"] as? String } == ["Selam", "Luwam", "Saba"])
            #expect(people.allSatisfy { $0["invitation"] as? String == "invited" })
            let first = try #require(people.first)
            let answered = try await app.send(.PUT, "\(path)/participants/\(first["id"]!)", token: keyPerson,
                                              json: #"{"invitation":"accepted","version":1}"#)
            #expect(answered.status == .ok, "\(answered.body.string)")
            #expect(Self.participants(answered).first?["invitation"] as? String == "accepted")

            let trainer = try await app.token("trainer")
            let sessions = try #require(detail.json["sessions"] as? [[String: Any]])
            #expect(sessions.map { $0["number"] as? Int } == [1, 2, 3, 4, 5])
            let ids = people.compactMap { $0["id"] as? String }
            let recorded = try await app.send(.PUT, "\(path)/sessions/\(sessions[0]["id"]!)/attendance", token: trainer, json: #"""
                {"childcareHeadcount":4,"records":[{"participantId":"\#(ids[0])","status":"present","childrenBrought":2},
                 {"participantId":"\#(ids[1])","status":"excused"},{"participantId":"\#(ids[2])","status":"absent"}]}
                """#)
            #expect(recorded.status == .ok, "\(recorded.body.string)")
            let firstSession = try #require((recorded.json["sessions"] as? [[String: Any]])?.first)
            #expect(firstSession["childcareHeadcount"] as? Int == 4)
            let attendance = firstSession["attendance"] as? [[String: Any]] ?? []
            #expect(Set(attendance.compactMap { $0["status"] as? String }) == ["present", "excused", "absent"])
            #expect(attendance.first { $0["participantId"] as? String == ids[0] }?["childrenBrought"] as? Int == 2)

            // A drop-out needs its reason.
            let dropped = try await app.send(.PUT, "\(path)/participants/\(ids[2])", token: s.lead,
                                             json: #"{"status":"dropped-out","dropOutReason":"work","version":1}"#)
            #expect(dropped.status == .ok)
            detail = try await app.send(.GET, path, token: s.lead)
            #expect((detail.json["series"] as? [String: Any])?["participantCount"] as? Int == 2)

            // Reads of the parents are audited: one entry per request naming the families shown.
            let read = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "group.series.read")
                .sort(\.$id, .descending).first())
            #expect(read.detail.hasPrefix("shown=3 families="))
            #expect(try await app.auditCount(action: "group.participant.add") == 3)
            #expect(try await app.auditCount(action: "group.attendance.record") == 3)

            // Scope: the other municipality does not see it; a partner may not; the trainer's list has it.
            let beekdal = try await app.send(.GET, path, token: try await app.token("klantmanager-beekdal"))
            #expect(beekdal.status == .notFound)
            let partner = try await app.send(.GET, path, token: try await app.token("partner-jgz"))
            #expect(partner.status == .forbidden)
            let list = try await app.send(.GET, "/api/v1/groups/series", token: trainer)
            #expect(list.jsonArray.compactMap { $0["id"] as? String } == [series])
            let otherKeyPerson = try await app.send(.GET, "/api/v1/groups/series", token: try await app.token("sleutelpersoon2"))
            #expect(otherKeyPerson.jsonArray.isEmpty)
        }
    }

    @Test("a parent from the group's waiting list is placed, and leaves the waiting list", arguments: TestDatabase.available)
    func fromTheWaitingList(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.setting(app)
            let habte = try await ReferralAPITests.habte(app)
            let referral = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: ReferralAPITests.referBody(habte))
            #expect(referral.status == .created)
            let entry = try #require(try await GroupWaitingEntry.query(on: app.db).filter(\.$status == .waiting)
                .filter(\.$family.$id == habte.family.id!).first())
            let created = try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s))
            let path = "/api/v1/groups/series/\((created.json["series"] as! [String: Any])["id"]!)"
            // Another parent than the entry's is refused.
            let stranger = try await Self.parent(app, s.lead, "Feven")
            let wrong = try await app.send(.POST, "\(path)/participants", token: s.lead,
                                           json: #"{"memberId":"\#(stranger)","source":"waiting-list","waitingEntryId":"\#(entry.id!)"}"#)
            #expect(wrong.status == .unprocessableEntity)
            #expect(Self.fields(wrong)["waitingEntryId"] != nil)
            let placed = try await app.send(.POST, "\(path)/participants", token: s.lead,
                                            json: #"{"memberId":"\#(habte.mother)","source":"waiting-list","waitingEntryId":"\#(entry.id!)"}"#)
            #expect(placed.status == .created, "\(placed.body.string)")
            #expect(Self.participants(placed).first?["source"] as? String == "waiting-list")
            #expect(Self.participants(placed).first?["invitation"] as? String == "accepted")
            #expect(try await GroupWaitingEntry.find(entry.id!, on: app.db)?.status == .placed)
        }
    }

    @Test("bad input names its field and writes nothing", arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.setting(app)
            func refused(_ response: TestingHTTPResponse, _ field: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(response.status == .unprocessableEntity, "\(response.body.string)", sourceLocation: sourceLocation)
                #expect(Self.fields(response)[field] != nil, "\(field): \(Self.fields(response))", sourceLocation: sourceLocation)
            }
            // The series itself.
            refused(try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s, minSize: 9, maxSize: 5)), "maxSize")
            refused(try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s, language: "so")), "keyPersonId")
            refused(try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s, trainer: s.keyPersonID)), "trainerId")
            refused(try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s, endsOn: "2026-12-01")), "endsOn")
            #expect(try await GroupSeries.query(on: app.db).count() == 0)

            let created = try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s, maxSize: 2))
            let path = "/api/v1/groups/series/\((created.json["series"] as! [String: Any])["id"]!)"
            // Sessions before the start or after the end of the series.
            refused(try await app.send(.POST, "\(path)/sessions", token: s.lead, json: Self.session("2027-01-03")), "date")
            refused(try await app.send(.POST, "\(path)/sessions", token: s.lead, json: Self.session("2027-03-01")), "date")
            refused(try await app.send(.POST, "\(path)/sessions", token: s.lead, json: Self.session("2027-01-06", from: "12:00", to: "10:00")), "endsAt")
            refused(try await app.send(.POST, "\(path)/sessions", token: s.lead, json: Self.session("2027-01-06", "astrology")), "topic")
            #expect(try await GroupSession.query(on: app.db).count() == 0)
            #expect(try await app.send(.POST, "\(path)/sessions", token: s.lead, json: Self.session("2027-01-06")).status == .created)

            // A second series with the same trainer and key person: not at an overlapping time.
            let other = try await app.send(.POST, "/api/v1/groups/series", token: s.lead,
                                           json: Self.seriesBody(s))
            let otherPath = "/api/v1/groups/series/\((other.json["series"] as! [String: Any])["id"]!)"
            refused(try await app.send(.POST, "\(otherPath)/sessions", token: s.lead, json: Self.session("2027-01-06", from: "11:00", to: "13:00")), "startsAt")
            #expect(try await app.send(.POST, "\(otherPath)/sessions", token: s.lead, json: Self.session("2027-01-06", from: "13:00", to: "15:00")).status == .created)

            // Parents: over capacity, a father in a mothers' series, one parent in two series of one offer.
            let a = try await Self.parent(app, s.lead, "Hiwet"), b = try await Self.parent(app, s.lead, "Ruta")
            let c = try await Self.parent(app, s.lead, "Yordanos"), father = try await Self.parent(app, s.lead, "Dawit", gender: "male")
            for member in [a, b] {
                #expect(try await app.send(.POST, "\(path)/participants", token: s.lead, json: #"{"memberId":"\#(member)","source":"invitation"}"#).status == .created)
            }
            refused(try await app.send(.POST, "\(path)/participants", token: s.lead, json: #"{"memberId":"\#(c)","source":"invitation"}"#), "memberId")
            refused(try await app.send(.POST, "\(otherPath)/participants", token: s.lead, json: #"{"memberId":"\#(father)","source":"invitation"}"#), "memberId")
            refused(try await app.send(.POST, "\(otherPath)/participants", token: s.lead, json: #"{"memberId":"\#(a)","source":"invitation"}"#), "memberId")
            refused(try await app.send(.POST, "\(otherPath)/participants", token: s.lead, json: #"{"memberId":"\#(c)","source":"by-phone"}"#), "source")
            #expect(try await GroupParticipant.query(on: app.db).count() == 2)

            // Attendance for someone not in the series; a drop-out without its reason.
            let detail = try await app.send(.GET, path, token: s.lead)
            let sessionID = try #require((detail.json["sessions"] as? [[String: Any]])?.first?["id"] as? String)
            let participantID = try #require(Self.participants(detail).first?["id"] as? String)
            refused(try await app.send(.PUT, "\(path)/sessions/\(sessionID)/attendance", token: s.lead,
                                       json: #"{"records":[{"participantId":"\#(UUID())","status":"present"}]}"#), "records[0].participantId")
            refused(try await app.send(.PUT, "\(path)/sessions/\(sessionID)/attendance", token: s.lead,
                                       json: #"{"records":[{"participantId":"\#(participantID)","status":"late"}]}"#), "records[0].status")
            #expect(try await GroupAttendance.query(on: app.db).count() == 0)
            refused(try await app.send(.PUT, "\(path)/participants/\(participantID)", token: s.lead,
                                       json: #"{"status":"dropped-out","version":1}"#), "dropOutReason")
            // A change of the series that would leave its session outside its dates, or fewer places than parents.
            refused(try await app.send(.PUT, path, token: s.lead, json: Self.seriesBody(s, startsOn: "2027-01-10", extra: #","version":1"#)), "startsOn")
            refused(try await app.send(.PUT, path, token: s.lead, json: Self.seriesBody(s, minSize: 1, maxSize: 1, extra: #","version":1"#)), "maxSize")
            let stale = try await app.send(.PUT, path, token: s.lead, json: Self.seriesBody(s, extra: #","version":7"#))
            #expect(stale.status == .conflict)
            #expect(try await GroupSeries.find(UUID(uuidString: String(path.split(separator: "/").last!))!, on: app.db)?.version == 1)
        }
    }

    @Test("the groups report counts per language and audience; small counts suppressed for everyone", arguments: TestDatabase.available)
    func report(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await Self.setting(app)
            let created = try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: Self.seriesBody(s, maxSize: 12))
            let path = "/api/v1/groups/series/\((created.json["series"] as! [String: Any])["id"]!)"
            var ids: [String] = []
            for index in 0..<7 {
                let member = try await Self.parent(app, s.lead, "Moeder\(index)")
                let added = try await app.send(.POST, "\(path)/participants", token: s.lead,
                                               json: #"{"memberId":"\#(member)","source":"invitation"}"#)
                ids.append(try #require(Self.participants(added).last?["id"] as? String))
            }
            let dropped = try await app.send(.PUT, "\(path)/participants/\(ids[0])", token: s.lead,
                                             json: #"{"status":"dropped-out","dropOutReason":"moved","version":1}"#)
            #expect(dropped.status == .ok)
            func row(_ token: String) async throws -> [String: Any] {
                // The series runs in January and February 2027.
                let report = try await app.send(.GET, "/api/v1/reports/groups?from=2027-01-01&to=2027-12-31", token: token)
                #expect(report.status == .ok)
                return try #require((report.json["cells"] as? [[String: Any]])?.first { $0["language"] as? String == "ti" && $0["series"] as? Int == 1 })
            }
            // The same for every role: a series is no person (shown), 7 placed, all by invitation; the one who
            // dropped out is hidden, and nothing shown gives that one away.
            for token in [s.lead, try await app.token("beleid")] {
                let cell = try await row(token)
                #expect(cell["series"] as? Int == 1 && cell["placed"] as? Int == 7 && cell["invited"] as? Int == 7, "\(cell)")
                #expect(cell["droppedOut"] is NSNull)
            }
        }
    }
}
