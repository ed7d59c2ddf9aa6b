import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
import WegwijsCore

/// The door to family data: one access decision and one audit entry per family and request, naming the sections
/// shown; lists and worklists one entry naming every family shown (NEN 7513: who saw which client's record).
@Suite("Audit: one entry per request")
struct AuditDoorTests {
    private static func entries(_ app: Application, after seq: Int) async throws -> [AuditEntry] {
        try await AuditEntry.query(on: app.db).filter(\.$id > seq).sort(\.$id).all()
    }

    private static func head(_ app: Application) async throws -> Int {
        try await AuditEntry.query(on: app.db).sort(\.$id, .descending).first()?.id ?? 0
    }

    @Test("The intake page (every section) writes one entry for the family, naming the sections", arguments: TestDatabase.available)
    func intakePage(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let web = WebClient(app)
            try await web.signIn("klantmanager")
            let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
            let before = try await Self.head(app)
            let page = try await web.get("/families/\(family.id!)/intake")
            #expect(page.status == .ok)
            let written = try await Self.entries(app, after: before)
            #expect(written.count == 1, "\(written.map(\.action))")
            let entry = try #require(written.first)
            #expect(entry.familyID == family.id && entry.familyReference == family.reference)
            #expect(entry.action == "intake.read")
            for section in ["intake", "screening", "need", "plan", "contact", "signal", "meldcode", "matches"] {
                #expect(entry.detail.contains(section), "section \(section) missing in \(entry.detail)")
            }
        }
    }

    @Test("The worklist writes one entry naming every family it shows", arguments: TestDatabase.available)
    func worklist(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let web = WebClient(app)
            try await web.signIn("klantmanager")
            let before = try await Self.head(app)
            let page = try await web.get("/worklist")
            #expect(page.status == .ok)
            let written = try await Self.entries(app, after: before).filter { $0.action == "worklist.read" }
            #expect(written.count == 1)
            let entry = try #require(written.first)
            let shown = try await Family.query(on: app.db).all().filter { page.body.string.contains("/families/\($0.id!)") }
            #expect(!shown.isEmpty)
            #expect(entry.detail.contains("shown=\(shown.count)"), "\(entry.detail)")
            for family in shown { #expect(entry.detail.contains(family.id!.uuidString)) }
        }
    }

    @Test("Notifications name families: one entry per request", arguments: TestDatabase.available)
    func notifications(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await ReferralAPITests.habte(app)
            let created = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: ReferralAPITests.referBody(s))
            let id = created.json["id"] as! String
            #expect(try await ReferralAPITests.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            let before = try await Self.head(app)
            let notes = try await app.send(.GET, "/api/v1/notifications", token: s.lead)
            #expect(notes.status == .ok)
            let written = try await Self.entries(app, after: before)
            #expect(written.map(\.action) == ["notification.list"])
            #expect(written.first?.detail.contains(s.family.id!.uuidString) == true)
        }
    }

    @Test("A family out of reach is 404 and shows nothing, so nothing is audited as shown", arguments: TestDatabase.available)
    func outOfReach(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
            let other = try await app.token("klantmanager-beekdal")
            let before = try await Self.head(app)
            #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)", token: other).status == .notFound)
            #expect(try await Self.entries(app, after: before).filter { $0.familyID == family.id }.isEmpty)
        }
    }

    @Test("A new lead takes the family's referrals along (Families publishes, Referrals follows)", arguments: TestDatabase.available)
    func leadChangeReachesReferrals(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let s = try await ReferralAPITests.habte(app)
            let created = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: ReferralAPITests.referBody(s))
            let id = UUID(uuidString: created.json["id"] as! String)!
            // A second case manager of Rijnstad takes over the family.
            let lead = try await app.user("klantmanager")
            let other = User(username: "klantmanager2", displayName: "Tweede Regisseur", role: .caseManager,
                             passwordHash: lead.passwordHash, municipalityID: lead.$municipality.id, organisationID: lead.$organisation.id)
            try await other.create(on: app.db)
            let update = try await app.send(.PUT, "/api/v1/families/\(s.family.id!)", token: s.lead,
                                            json: #"{"name":"Habte","situations":["status-holder"],"caseManagerId":"\#(other.id!)","version":\#(s.family.version)}"#)
            #expect(update.status == .ok, "\(update.body.string)")
            #expect(try await Referral.find(id, on: app.db)?.$lead.id == other.id)
        }
    }
}
