import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// A family's timeline and the lead's printable summary (issue 16, item 7): everything dated that the user may see, in
/// order; each request one access decision and one audit entry naming the sections shown.
@Suite("Family timeline and summary")
struct FamilyTimelineTests {
    /// The days of the page's events, in the order shown.
    static func days(_ html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"<time datetime="(\d{4}-\d{2}-\d{2})">"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range(at: 1), in: html)!])
        }
    }

    /// Adds a contact with a note, a signal, a consent withdrawn and a referral sent to Habte, as its lead.
    static func habteWithHistory(_ app: Application) async throws -> Family {
        let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
        let id = family.id!
        let lead = try await app.token("klantmanager")
        let jgz = try await app.user("partner-jgz").$organisation.id
        let mother = try await Member.query(on: app.db).filter(\.$family.$id == id).filter(\.$role == .parent).first()!
        func post(_ path: String, _ json: String) async throws -> [String: Any] {
            let response = try await app.send(.POST, path, token: lead, json: json)
            #expect([.created, .ok].contains(response.status), "\(path): \(response.status) \(response.body.string)")
            return response.json
        }
        _ = try await post("/api/v1/families/\(id)/contacts",
                           #"{"mode":"home-visit","language":"ti","interpreter":true,"note":"Geheime notitie over gezondheid"}"#)
        _ = try await post("/api/v1/families/\(id)/signals", #"{"kind":"concern","text":"Geheime signaaltekst"}"#)
        let consent = try await post("/api/v1/families/\(id)/consents",
                                     #"{"purpose":"information-exchange","organisationId":"\#(jgz)","dataCategories":["languages"],"givenBy":"Senait"}"#)
        _ = try await post("/api/v1/families/\(id)/consents/\(consent["id"] as! String)/withdraw", "{}")
        _ = try await post("/api/v1/referrals", """
            {"familyId":"\(id)","offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","memberIds":["\(mother.id!)"],"reason":"Moedergroep","send":true}
            """)
        return family
    }

    @Test("the lead sees every kind in order, oldest or newest first, with one audit entry naming the sections", arguments: TestDatabase.available)
    func leadTimeline(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await Self.habteWithHistory(app)
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let before = try await AuditEntry.query(on: app.db).count()
            let page = try await client.get("/families/\(family.id!)/timeline?order=oldest")
            #expect(page.status == .ok)
            let html = page.body.string
            let days = Self.days(html)
            #expect(days.count >= 6)
            #expect(days == days.sorted(), "oldest first")
            for label in ["Registratie", "Contact", "Signaal", "Toestemming gegeven", "Toestemming ingetrokken", "Verwijzing",
                          "Huisbezoek", "met tolk", "Verstuurd", "Informatie uitwisselen"] {
                #expect(html.contains(label), "the timeline shows \(label)")
            }
            // What happened, not the content: no contact note, no signal text.
            #expect(!html.contains("Geheime notitie") && !html.contains("Geheime signaaltekst"))
            // The registration is the first thing that happened; the withdrawal comes after the consent.
            let registration = try #require(html.range(of: "<strong>Registratie</strong>"))
            let given = try #require(html.range(of: "<strong>Toestemming gegeven</strong>"))
            let withdrawn = try #require(html.range(of: "<strong>Toestemming ingetrokken</strong>"))
            #expect(registration.lowerBound < given.lowerBound && given.lowerBound < withdrawn.lowerBound)
            // A Dutch date.
            #expect(html.contains("november 2026"))

            // One entry for the request, named by the timeline, naming every section shown.
            let entries = try await AuditEntry.query(on: app.db).sort(\.$id).all().dropFirst(before)
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.action == "family.timeline" && entry.familyID == family.id)
            for section in ["timeline", "screening", "contact", "signal", "plan", "referral", "consent"] {
                #expect(entry.detail.contains(section), "\(entry.detail) names \(section)")
            }

            let newest = try await client.get("/families/\(family.id!)/timeline")
            let newestDays = Self.days(newest.body.string)
            #expect(newestDays == newestDays.sorted().reversed(), "newest first by default")
            #expect(newestDays.count == days.count)

            // The filter shows one kind and reads only its section.
            let mark = try await AuditEntry.query(on: app.db).count()
            let referrals = try await client.get("/families/\(family.id!)/timeline?kind=referral")
            #expect(referrals.status == .ok)
            #expect(referrals.body.string.contains("<strong>Verwijzing</strong>"))
            #expect(!referrals.body.string.contains("<strong>Contact</strong>"))
            let filtered = try await AuditEntry.query(on: app.db).sort(\.$id).all().dropFirst(mark)
            #expect(filtered.count == 1)
            #expect(filtered.first?.detail.contains("sections=timeline,referral") == true, "\(filtered.first?.detail ?? "")")
            // An unknown kind or order shows everything rather than failing.
            #expect(try await client.get("/families/\(family.id!)/timeline?kind=nonsense&order=sideways").status == .ok)
        }
    }

    @Test("the sections shown are the ones the policy table grants the user")
    func sectionsFollowThePolicy() async throws {
        try await withWegwijs(.sqlite) { app in
            let family = try await Self.habteWithHistory(app)
            // Each role coupled to the family, and the lead.
            for username in ["klantmanager", "sleutelpersoon", "begeleider"] {
                let client = WebClient(app)
                _ = try await client.signIn(username)
                let user = try await app.user(username)
                let staff = try StaffIdentity(user: user)
                let mark = try await AuditEntry.query(on: app.db).count()
                let page = try await client.get("/families/\(family.id!)/timeline")
                #expect(page.status == .ok, "\(username)")
                let entries = try await AuditEntry.query(on: app.db).sort(\.$id).all().dropFirst(mark)
                #expect(entries.count == 1, "\(username): one entry")
                let detail = entries.first?.detail ?? ""
                let cells: [(String, AccessPolicy.Action, AccessPolicy.RecordType)] = [
                    ("screening", .list, .screening), ("contact", .list, .contact), ("signal", .list, .signal),
                    ("plan", .read, .plan), ("referral", .read, .referral), ("consent", .list, .consent)]
                for (section, action, record) in cells {
                    let granted = TimelineAccess.may(staff, action, record, of: family)
                    let named = detail.split(separator: " ").first?.dropFirst("sections=".count).split(separator: ",")
                        .contains(Substring(section)) ?? false
                    #expect(granted == named, "\(username): \(section) granted \(granted), named \(named) in \(detail)")
                }
                // The summary link only for whom the summary is.
                #expect(page.body.string.contains("id=\"summary-link\"") == (username == "klantmanager"), "\(username)")
                // Signals are seen by the coupled roles; a key person's page shows the signal as the lead's does.
                #expect(page.body.string.contains("<strong>Signaal</strong>"), "\(username)")
            }
        }
    }

    @Test("who may not see the family gets what the family page answers; the summary is the case managers'", arguments: TestDatabase.available)
    func refusals(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let id = family.id!
            let expected: [(String, HTTPStatus, HTTPStatus, HTTPStatus)] = [
                // user, the family page, the timeline, the summary
                ("klantmanager", .ok, .ok, .ok),
                ("sleutelpersoon", .ok, .ok, .forbidden),
                ("sleutelpersoon2", .notFound, .notFound, .forbidden),
                ("begeleider", .ok, .ok, .forbidden),
                ("partner-jgz", .notFound, .notFound, .forbidden),
                ("trainer", .forbidden, .forbidden, .forbidden),
                ("klantmanager-beekdal", .notFound, .notFound, .notFound),
            ]
            for (username, familyPage, timeline, summary) in expected {
                let client = WebClient(app)
                _ = try await client.signIn(username)
                let mark = try await AuditEntry.query(on: app.db).count()
                #expect(try await client.get("/families/\(id)").status == familyPage, "\(username) family page")
                #expect(try await client.get("/families/\(id)/timeline").status == timeline, "\(username) timeline")
                let afterTimeline = try await AuditEntry.query(on: app.db).count()
                #expect(try await client.get("/families/\(id)/summary").status == summary, "\(username) summary")
                let afterSummary = try await AuditEntry.query(on: app.db).count()
                // A refused summary shows nothing and writes nothing.
                #expect((afterSummary - afterTimeline) == (summary == .ok ? 1 : 0), "\(username): summary entries")
                _ = mark
            }
        }
    }

    @Test("the summary: composition without BSN, phase, people, needs, referrals, consents, next steps; one audit entry", arguments: TestDatabase.available)
    func summary(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await Self.habteWithHistory(app)
            let members = try await Member.query(on: app.db).filter(\.$family.$id == family.id!).all()
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let mark = try await AuditEntry.query(on: app.db).count()
            let page = try await client.get("/families/\(family.id!)/summary")
            #expect(page.status == .ok)
            let html = page.body.string
            for heading in ["Samenvatting – Habte", "Samenstelling", "Uitkomst van de screening", "Open vragen", "Plan",
                            "Verwijzingen", "Toestemmingen", "Volgende stappen", "Fase", "Sleutelpersoon"] {
                #expect(html.contains(heading), "the summary shows \(heading)")
            }
            #expect(html.contains("case-summary.css"))
            for member in members {
                #expect(html.contains(member.givenName))
                if let bsn = member.bsn { #expect(!html.contains(bsn), "no BSN on the summary") }
            }
            #expect(html.contains("Informatie uitwisselen") && html.contains("ingetrokken"))
            #expect(html.contains("Verstuurd"))
            #expect(!html.contains("Geheime notitie") && !html.contains("Geheime signaaltekst"))
            let entries = try await AuditEntry.query(on: app.db).sort(\.$id).all().dropFirst(mark)
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.action == "family.summary" && entry.familyID == family.id)
            for section in ["summary", "screening", "need", "plan", "contact", "referral", "consent"] {
                #expect(entry.detail.contains(section), "\(entry.detail) names \(section)")
            }
            // In English too.
            _ = try await client.post("/language", [("locale", "en")])
            let english = try await client.get("/families/\(family.id!)/summary").body.string
            #expect(english.contains("Next steps") && english.contains("Composition"))
        }
    }

    @Test("events of one day keep the order they happened in; the plan's actions stand on their due day")
    func ordering() {
        let day = CalendarDate(year: 2026, month: 11, day: 2)!
        let morning = day.noonInNetherlands.addingTimeInterval(-3600), afternoon = day.noonInNetherlands.addingTimeInterval(3600)
        let events = [
            FamilyTimelineEvent(kind: .contact, on: day, at: afternoon),
            FamilyTimelineEvent(kind: .referral, on: day, at: morning),
            FamilyTimelineEvent(kind: .registration, on: CalendarDate(year: 2026, month: 10, day: 1)!),
            FamilyTimelineEvent(kind: .screening, on: day),
        ]
        let oldest = FamilyTimeline.sorted(events, .oldest).map(\.kind)
        #expect(oldest == [.registration, .screening, .referral, .contact])
        #expect(FamilyTimeline.sorted(events, .newest).map(\.kind) == oldest.reversed())
        var plan = PlanData()
        plan.actions = [.init(text: "Huisbezoek", who: "JGZ", due: "2026-12-01", done: false, kind: nil),
                        .init(text: "Zonder datum", who: "", due: nil, done: false, kind: nil)]
        let planEvents = IntakeService.planEvents(plan)
        #expect(planEvents.count == 1 && planEvents[0].on == CalendarDate(year: 2026, month: 12, day: 1)!)
        #expect(ReferralService.timelineFacts("planned=2026-12-03 companion=abc outcome=goal-reached")
            == ["planned": "2026-12-03", "outcome": "goal-reached"])
    }
}
