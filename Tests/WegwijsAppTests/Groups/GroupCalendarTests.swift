import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The group calendar (issue 14, item 5; docs/groups.md, "Calendar"): feeds behind unguessable, revocable links that
/// carry and show no personal data; the reminder the day before a session; partner guests seeing their sessions.
@Suite("Group calendar")
struct GroupCalendarTests {
    typealias G = GroupSeriesAPITests

    /// A Tigrinya mothers' series (trainer, sleutelpersoon) with two sessions, the second elsewhere with the JGZ
    /// nurse as guest on 2027-01-20, and a mother (Selam) in it. Returns the series id and the case manager's token.
    static func series(_ app: Application) async throws -> (id: String, lead: String) {
        let s = try await G.setting(app)
        let created = try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: G.seriesBody(s))
        #expect(created.status == .created, "\(created.body.string)")
        let id = try #require((created.json["series"] as? [String: Any])?["id"] as? String)
        let path = "/api/v1/groups/series/\(id)"
        #expect(try await app.send(.POST, "\(path)/sessions", token: s.lead, json: G.session("2027-01-06")).status == .created)
        let guest = try await app.user("partner-jgz").id!
        let second = try await app.send(.POST, "\(path)/sessions", token: s.lead, json: #"""
            {"date":"2027-01-20","startsAt":"19:00","endsAt":"21:00","topic":"child-health","place":"Bibliotheek, Markt 3","guestIds":["\#(guest)"]}
            """#)
        #expect(second.status == .created, "\(second.body.string)")
        let member = try await G.parent(app, s.lead, "Selam")
        let joined = try await app.send(.POST, "\(path)/participants", token: s.lead, json: #"{"memberId":"\#(member)","source":"invitation"}"#)
        #expect(joined.status == .created, "\(joined.body.string)")
        return (id, s.lead)
    }

    static func link(_ app: Application, _ token: String, _ json: String) async throws -> (id: String, path: String) {
        let response = try await app.send(.POST, "/api/v1/groups/calendar-links", token: token, json: json)
        #expect(response.status == .created, "\(response.body.string)")
        let id = try #require(response.json["id"] as? String)
        let url = try #require(response.json["url"] as? String)
        let path = try #require(url.range(of: "/calendar/").map { String(url[$0.lowerBound...]) })
        return (id, path)
    }

    /// The feed with its folded lines joined again (RFC 5545 §3.1).
    static func unfolded(_ response: TestingHTTPResponse) -> String {
        response.body.string.replacingOccurrences(of: "\r\n ", with: "")
    }

    @Test("A series feed lists its sessions in Amsterdam time, with places and no parent", arguments: TestDatabase.available)
    func seriesFeed(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, lead) = try await Self.series(app)
            let (_, path) = try await Self.link(app, lead, #"{"kind":"series","seriesId":"\#(series)"}"#)
            // The address is the token and nothing else.
            #expect(path.wholeMatch(of: /\/calendar\/[A-Za-z0-9_-]{43}\.ics/) != nil, "\(path)")

            let feed = try await app.send(.GET, path)
            #expect(feed.status == .ok)
            #expect(feed.headers.first(name: .contentType) == "text/calendar; charset=utf-8")
            #expect(feed.headers.first(name: .setCookie) == nil)
            let body = Self.unfolded(feed)
            #expect(body.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(body.hasSuffix("END:VCALENDAR\r\n"))
            #expect(body.contains("X-WR-CALNAME:Groep Tigrinya moeders\r\n"))
            #expect(body.contains("SUMMARY:Groep Tigrinya moeders — bijeenkomst 1: Het schoolsysteem\r\n"), "\(body)")
            #expect(body.contains("DTSTART;TZID=Europe/Amsterdam:20270106T100000\r\n"))
            #expect(body.contains("DTSTART;TZID=Europe/Amsterdam:20270120T190000\r\n"))
            #expect(body.contains("DTEND;TZID=Europe/Amsterdam:20270120T210000\r\n"))
            #expect(body.contains(#"LOCATION:Buurthuis De Horst\, Molenweg 2"#))
            #expect(body.contains(#"LOCATION:Bibliotheek\, Markt 3"#))
            #expect(body.components(separatedBy: "BEGIN:VEVENT").count == 3)
            // No parent, no family, no staff name.
            for name in ["Selam", "Samira", "Haddad"] { #expect(!body.contains(name), "the feed names \(name)") }
            #expect(feed.body.string.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        }
    }

    @Test("Tokens are stored only as their SHA-256; the list never shows them", arguments: TestDatabase.available)
    func tokensHashed(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, lead) = try await Self.series(app)
            let (id, path) = try await Self.link(app, lead, #"{"kind":"series","seriesId":"\#(series)"}"#)
            let token = String(path.dropFirst("/calendar/".count).dropLast(".ics".count))
            let stored = try #require(try await GroupCalendarLink.find(UUID(uuidString: id)!, on: app.db))
            #expect(stored.tokenHash == GroupCalendarService.digest(token))
            #expect(stored.tokenHash != token && !stored.tokenHash.contains(token))
            #expect(try await GroupCalendarLink.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
            let list = try await app.send(.GET, "/api/v1/groups/calendar-links", token: lead)
            #expect(list.status == .ok)
            #expect(!list.body.string.contains(token))
            let items = try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? String } == [id])
            // Another user's list does not show it.
            let other = try await app.send(.GET, "/api/v1/groups/calendar-links", token: try await app.token("sleutelpersoon"))
            #expect(!other.body.string.contains(id))
        }
    }

    @Test("A revoked link and an unknown token answer the same 404; only the creator or the municipality revokes",
          arguments: TestDatabase.available)
    func revocation(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, _) = try await Self.series(app)
            let trainer = try await app.token("trainer")
            let (id, path) = try await Self.link(app, trainer, #"{"kind":"series","seriesId":"\#(series)"}"#)
            #expect(try await app.send(.GET, path).status == .ok)
            // Someone else's link: not theirs to see (key person of another family), or not their role (policy officer).
            #expect(try await app.send(.DELETE, "/api/v1/groups/calendar-links/\(id)", token: try await app.token("sleutelpersoon2")).status == .notFound)
            #expect(try await app.send(.DELETE, "/api/v1/groups/calendar-links/\(id)", token: try await app.token("beleid")).status == .forbidden)
            #expect(try await app.send(.GET, path).status == .ok)

            let revoked = try await app.send(.DELETE, "/api/v1/groups/calendar-links/\(id)", token: trainer)
            #expect(revoked.status == .noContent)
            let gone = try await app.send(.GET, path)
            #expect(gone.status == .notFound)
            let unknown = try await app.send(.GET, "/calendar/\(GroupCalendarService.newToken()).ics")
            #expect(unknown.status == .notFound)
            #expect(gone.body.string == unknown.body.string)
            #expect(gone.headers.first(name: .setCookie) == nil)
            #expect(try await app.send(.GET, "/calendar/nonsense").status == .notFound)
            #expect(try await app.send(.GET, String(path.dropLast(4))).status == .notFound)
            // Revoking again changes nothing.
            #expect(try await app.send(.DELETE, "/api/v1/groups/calendar-links/\(id)", token: trainer).status == .noContent)

            // A link stops with its maker's account.
            let other = try await Self.link(app, trainer, #"{"kind":"facilitator"}"#)
            #expect(try await app.send(.GET, other.path).status == .ok)
            let account = try await app.user("trainer")
            account.active = false
            try await account.update(on: app.db)
            #expect(try await app.send(.GET, other.path).status == .notFound)

            let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["group.calendar-link.create", "group.calendar-link.revoke"])
                .all().map(\.action).sorted()
            #expect(actions == ["group.calendar-link.create", "group.calendar-link.create", "group.calendar-link.revoke"])
        }
    }

    @Test("Who may make a series link; bad input names its field", arguments: TestDatabase.available)
    func creating(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, lead) = try await Self.series(app)
            let body = #"{"kind":"series","seriesId":"\#(series)"}"#
            for (user, status) in [("sleutelpersoon", HTTPStatus.created), ("trainer", .created), ("sleutelpersoon2", .notFound),
                                   ("klantmanager-beekdal", .notFound), ("beleid", .forbidden), ("admin", .forbidden)] {
                let response = try await app.send(.POST, "/api/v1/groups/calendar-links", token: try await app.token(user), json: body)
                #expect(response.status == status, "\(user): \(response.body.string)")
            }
            let missing = try await app.send(.POST, "/api/v1/groups/calendar-links", token: lead, json: #"{"kind":"series"}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(G.fields(missing).keys.sorted() == ["seriesId"])
            let unknown = try await app.send(.POST, "/api/v1/groups/calendar-links", token: lead, json: #"{"kind":"weekly"}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(G.fields(unknown).keys.sorted() == ["kind"])
            #expect(try await GroupCalendarLink.query(on: app.db).count() == 2)
        }
    }

    @Test("A facilitator feed: the series one leads; a partner guest's: only the sessions they join", arguments: TestDatabase.available)
    func facilitatorFeed(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            _ = try await Self.series(app)
            let keyPerson = try await Self.link(app, try await app.token("sleutelpersoon"), #"{"kind":"facilitator"}"#)
            let own = Self.unfolded(try await app.send(.GET, keyPerson.path))
            #expect(own.contains("X-WR-CALNAME:Wegwijs — mijn groepsbijeenkomsten\r\n"))
            #expect(own.contains("bijeenkomst 1: Het schoolsysteem"))
            #expect(own.contains("bijeenkomst 2: "))

            let partner = try await Self.link(app, try await app.token("partner-jgz"), #"{"kind":"facilitator"}"#)
            let guest = Self.unfolded(try await app.send(.GET, partner.path))
            #expect(guest.components(separatedBy: "BEGIN:VEVENT").count == 2, "\(guest)")
            #expect(guest.contains("DTSTART;TZID=Europe/Amsterdam:20270120T190000"))
            #expect(!guest.contains("bijeenkomst 1"))

            // Someone with no series: a valid, empty calendar.
            let nobody = try await Self.link(app, try await app.token("begeleider"), #"{"kind":"facilitator"}"#)
            let empty = try await app.send(.GET, nobody.path)
            #expect(empty.status == .ok)
            #expect(!empty.body.string.contains("BEGIN:VEVENT"))
        }
    }

    @Test("The reminder shows on the key person's and trainer's worklist exactly the day before", arguments: TestDatabase.available)
    func reminderTheDayBefore(_ database: TestDatabase) async throws {
        let clock = ManualClock(CalendarDate(year: 2027, month: 1, day: 4)!)
        try await withWegwijs(database, clock: clock.clock) { app in
            _ = try await Self.series(app)
            var clients: [String: WebClient] = [:]
            for user in ["sleutelpersoon", "trainer", "sleutelpersoon2"] {
                let client = WebClient(app)
                #expect(try await client.signIn(user).status == .seeOther)
                clients[user] = client
            }
            func reminded(_ user: String) async throws -> Bool {
                let page = try await clients[user]!.get("/worklist")
                #expect(page.status == .ok, "\(user) /worklist: \(page.status)")
                return page.body.string.contains("Bijeenkomst morgen")
            }
            // 2027-01-04: the first session is in two days.
            #expect(try await reminded("sleutelpersoon") == false)
            #expect(try await reminded("trainer") == false)
            clock.set(CalendarDate(year: 2027, month: 1, day: 5)!)
            #expect(try await reminded("sleutelpersoon"))
            #expect(try await reminded("trainer"))
            #expect(try await reminded("sleutelpersoon2") == false)
            let page = try await clients["trainer"]!.get("/worklist").body.string
            #expect(page.contains("Groep Tigrinya moeders — bijeenkomst 1: Het schoolsysteem"))
            #expect(page.contains("10:00–12:00"))
            // A trainer has no families: the worklist is in their menu for this.
            #expect(page.contains(#"href="/worklist""#))
            #expect(!page.contains("Selam"))
            // The API worklist carries the same item, as codes.
            let api = try await app.send(.GET, "/api/v1/worklist", token: try await app.token("sleutelpersoon"))
            #expect(api.status == .ok)
            let sessions = api.json["groupSessions"] as? [[String: Any]] ?? []
            #expect(sessions.count == 1)
            #expect(sessions.first?["reason"] as? String == "tomorrow")
            #expect(sessions.first?["date"] as? String == "2027-01-06")
            #expect(sessions.first?["number"] as? Int == 1)
            #expect(sessions.first?["topic"] as? String == "school-system")
            // The day itself: no longer "tomorrow".
            clock.set(CalendarDate(year: 2027, month: 1, day: 6)!)
            #expect(try await reminded("sleutelpersoon") == false)
            // The day before the second session.
            clock.set(CalendarDate(year: 2027, month: 1, day: 19)!)
            #expect(try await reminded("trainer"))
        }
    }

    @Test("A partner guest sees the session from 14 days before until the day itself", arguments: TestDatabase.available)
    func partnerGuest(_ database: TestDatabase) async throws {
        let clock = ManualClock(CalendarDate(year: 2027, month: 1, day: 5)!)
        try await withWegwijs(database, clock: clock.clock) { app in
            _ = try await Self.series(app)
            let partner = WebClient(app)
            #expect(try await partner.signIn("partner-jgz").status == .seeOther)
            func shown() async throws -> Bool {
                let home = try await partner.get("/")
                #expect(home.status == .ok)
                let worklist = try await partner.get("/worklist")
                #expect(worklist.status == .ok)
                let onHome = home.body.string.contains("bijeenkomst 2: ")
                #expect(onHome == worklist.body.string.contains("bijeenkomst 2: "))
                return onHome
            }
            // The session is on 2027-01-20: 15 days ahead, not yet.
            #expect(try await shown() == false)
            clock.set(CalendarDate(year: 2027, month: 1, day: 6)!)
            #expect(try await shown())
            let home = try await partner.get("/").body.string
            #expect(home.contains("19:00–21:00"))
            #expect(home.contains("Bibliotheek, Markt 3"))
            #expect(!home.contains("Selam"))
            clock.set(CalendarDate(year: 2027, month: 1, day: 20)!)
            #expect(try await shown())
            clock.set(CalendarDate(year: 2027, month: 1, day: 21)!)
            #expect(try await shown() == false)
            // Not a guest of the first session: never shown.
            clock.set(CalendarDate(year: 2027, month: 1, day: 5)!)
            #expect(!(try await partner.get("/").body.string.contains("bijeenkomst 1")))
        }
    }

    @Test("on the series page: the trainer makes a calendar link, sees its address once, and revokes it", arguments: TestDatabase.available)
    func seriesPage(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (id, _) = try await Self.series(app)
            let web = WebClient(app)
            try await web.signIn("trainer")
            let before = try await web.get("/groups/\(id)")
            #expect(before.body.string.contains(#"id="no-calendar-links""#))
            #expect(before.body.string.contains(#"action="/groups/\#(id)/calendar-link""#))
            let made = try await web.post("/groups/\(id)/calendar-link", [])
            #expect(made.status == .ok)
            #expect(made.headers.first(name: .cacheControl) == "no-store")
            let page = made.body.string
            let address = try #require(page.firstMatch(of: /id="calendar-link-url" type="text" readonly value="[^"]*(\/calendar\/[A-Za-z0-9_-]{43}\.ics)"/))
            let feed = try await app.testing().sendRequest(.GET, String(address.1))
            #expect(feed.status == .ok)
            #expect(feed.body.string.contains("BEGIN:VCALENDAR"))
            #expect(try await app.auditCount(action: "group.calendar-link.create") == 1)
            // Shown once: the page afterwards lists the link, not its address.
            let again = try await web.get("/groups/\(id)")
            #expect(!again.body.string.contains(String(address.1)))
            #expect(!again.body.string.contains("calendar-link-url"))
            let link = try #require(try await GroupCalendarLink.query(on: app.db).first())
            #expect(again.body.string.contains(#"action="/groups/\#(id)/calendar-links/\#(link.id!.uuidString)/revoke""#))
            // Revoking: the address answers 404 from then on, and the page no longer lists it.
            let revoked = try await web.post("/groups/\(id)/calendar-links/\(link.id!.uuidString)/revoke", [])
            #expect(revoked.status == .seeOther)
            #expect(try await app.testing().sendRequest(.GET, String(address.1)).status == .notFound)
            #expect(try await web.get("/groups/\(id)").body.string.contains(#"id="no-calendar-links""#))
            #expect(try await app.auditCount(action: "group.calendar-link.revoke") == 1)
            // A link of another series is not found through this series.
            let other = try await web.post("/groups/\(UUID())/calendar-links/\(link.id!.uuidString)/revoke", [])
            #expect(other.status == .notFound)
            // The policy officer neither makes nor sees links.
            let policy = WebClient(app)
            try await policy.signIn("beleid")
            #expect(try await policy.post("/groups/\(id)/calendar-link", []).status == .forbidden)
        }
    }
}
