import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// R48 in the screening (issue 15): version 2 of the instrument asks which provisions the parent knows and uses;
/// version 1 stays readable for the screenings filled in with it; the answers are stored typed as well, and the
/// intake page shows them and what changed.
@Suite("Screening: provisions known and used")
struct ScreeningProvisionsTests {
    static func provisions(_ known: String, _ used: String) -> String {
        #","provisions.known":\#(known),"provisions.used":\#(used)"#
    }

    /// A screening filled in with version 1, as it was stored before version 2 was published.
    static func versionOneScreening(family: UUID, municipality: UUID, member: UUID?, on day: CalendarDate, app: Application) async throws -> UUID {
        let screening = Screening()
        screening.id = UUID()
        screening.$family.id = family
        screening.$municipality.id = municipality
        screening.memberID = member
        screening.instrumentVersion = 1
        screening.occasion = "intake"
        screening.conductedOn = day.iso
        screening.answers = #"{"themes":{"school-system":2},"provisions.known":["gp","school","sports-club"],"provisions.used":["gp"]}"#
        screening.byUserID = try await app.user("klantmanager").id!
        screening.byName = "Karin Mulder"
        try await screening.create(on: app.db)
        return screening.id!
    }

    @Test("version 2 is current, version 1 stays; a later screening asks the new provisions and shows what changed",
          arguments: TestDatabase.available)
    func versions(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            // Both versions are published; new screenings use the newest.
            let versions = try await ScreeningInstrumentVersion.query(on: app.db).sort(\.$id).all().compactMap(\.id)
            #expect(versions == [1, 2])
            let lead = try await app.token("klantmanager")
            let instrument = try await app.send(.GET, "/api/v1/screening-instrument", token: lead)
            #expect(instrument.json["version"] as? Int == 2)
            let v2 = try await app.screeningInstruments.version(2, on: app.db)
            let options = Set(v2.item(ProvisionAnswers.knownItem)?.options ?? [])
            #expect(options == Set(Provision.allCodes))
            #expect(Set(v2.item(ProvisionAnswers.usedItem)?.options ?? []) == Set(Provision.allCodes))
            for code in Provision.allCodes { #expect(v2.optionLabels[code] != nil, "\(code)") }
            // Version 1 is exactly as it was published.
            let v1 = try await app.screeningInstruments.version(1, on: app.db)
            #expect(v1.item(ProvisionAnswers.knownItem)?.options?.contains("parents-room") == false)

            let today = app.clock.today
            let created = try await app.send(.POST, "/api/v1/families", token: lead, json: IntakeAPITests.motherJSON(settled: today.adding(days: -200)))
            let id = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            let mother = try #require((created.json["members"] as? [[String: Any]])?.first?["id"] as? String)
            let municipality = try await app.user("klantmanager").$municipality.id
            let old = try await Self.versionOneScreening(family: id, municipality: municipality, member: UUID(uuidString: mother),
                                                         on: today.adding(days: -150), app: app)

            // The follow-up with version 2: the parents' room and the library are new, school now used.
            let later = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead, json: IntakeAPITests.screening(
                today, occasion: "guidance", themes: #"{"school-system":1}"#, confidence: 4, stressors: #"[]"#, member: mother,
                extra: Self.provisions(#"["library","gp"]"#, #"["school","parents-room","gp"]"#)))
            #expect(later.status == .created, "\(later.body.string)")
            let history = try await app.send(.GET, "/api/v1/families/\(id)/screenings", token: lead).jsonArray
            #expect(history.map { $0["instrumentVersion"] as? Int } == [1, 2])
            let first = try #require(history.first?["provisions"] as? [String: Any])
            #expect(first["known"] as? [String] == ["school", "gp", "sports-club"])
            #expect(first["used"] as? [String] == ["gp"])
            let second = try #require(history.last?["provisions"] as? [String: Any])
            #expect(second["known"] as? [String] == ["school", "parents-room", "library", "gp"])
            let changes = try #require(history.last?["changes"] as? [String: Any])
            #expect(changes["newlyKnownProvisions"] as? [String] == ["parents-room", "library"])
            #expect(changes["newlyUsedProvisions"] as? [String] == ["school", "parents-room"])

            // Typed rows for the new screening, in the same transaction.
            let laterID = try #require(UUID(uuidString: later.json["id"] as? String ?? ""))
            let rows = try await ScreeningProvisions.load(laterID, on: app.db)
            #expect(rows.map(\.provision) == [.school, .parentsRoom, .library, .gp])
            #expect(rows.filter(\.used).map(\.provision) == [.school, .parentsRoom, .gp])
            // The old screening has none yet (it was stored without them here); the migration fills them in.
            #expect(try await ScreeningProvisions.load(old, on: app.db).isEmpty)
            let migration = CreateScreeningProvisions()
            // On one connection: SQLite checks DDL against the schema that connection has read.
            try await app.db.withConnection { connection in
                try await migration.revert(on: connection)
                try await migration.prepare(on: connection)
            }
            #expect(try await ScreeningProvisions.load(old, on: app.db).map(\.provision) == [.school, .gp, .sportsClub])
            #expect(try await ScreeningProvisions.load(laterID, on: app.db).count == 4)

            // Version 2 refuses a provision it does not offer.
            let refused = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead, json: IntakeAPITests.screening(
                today, occasion: "guidance", themes: #"{}"#, confidence: 3, stressors: #"[]"#, extra: Self.provisions(#"["casino"]"#, #"[]"#)))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorFields["answers.provisions.known"] == app.locales.text("error.unknown-code", .en))

            // The rows go with their family.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM screenings WHERE family_id = \(bind: id)").run()
            #expect(try await ScreeningProvisions.load(laterID, on: app.db).isEmpty)
        }
    }

    @Test("the intake page shows what the parent uses and knows, and what changed; the form asks it")
    func page() async throws {
        try await withWegwijs(.sqlite) { app in
            let lead = try await app.token("klantmanager")
            let today = app.clock.today
            let created = try await app.send(.POST, "/api/v1/families", token: lead, json: IntakeAPITests.motherJSON(settled: today.adding(days: -200)))
            let id = try #require(created.json["id"] as? String)
            for (day, extra) in [(today.adding(days: -90), Self.provisions(#"["gp"]"#, #"["consultatiebureau"]"#)),
                                 (today, Self.provisions(#"["gp","library"]"#, #"["consultatiebureau","parents-room"]"#))] {
                let saved = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead, json: IntakeAPITests.screening(
                    day, occasion: "intake", themes: #"{"school-system":1}"#, confidence: 3, stressors: #"[]"#, extra: extra))
                #expect(saved.status == .created)
            }
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let page = try await client.get("/families/\(id)/intake").body.string
            #expect(page.contains("data-provisions"))
            #expect(page.contains("Ouderkamer op school"))
            #expect(page.contains("Gebruikt nu: Ouderkamer op school"))
            #expect(page.contains("Kent nu: Bibliotheek"))
            let form = try await client.get("/families/\(id)/intake/screening").body.string
            #expect(form.contains(#"name="provisions_known" value="parents-room""#))
            #expect(form.contains(#"name="provisions_used" value="toy-library""#))
            // The 1–5 scales say what their ends mean.
            #expect(form.contains(#">1 <span class="scale-end">(klopt helemaal niet)</span></label>"#))
            #expect(form.contains(#">5 <span class="scale-end">(klopt helemaal)</span></label>"#))
            // Saved from the form: the boxes ticked become the answer.
            let posted = try await client.post("/families/\(id)/intake/screening", [
                ("occasion", "guidance"), ("conductedOn", today.iso), ("themes_school-system", "1"),
                ("provisions_known", "library"), ("provisions_used", "toy-library")])
            #expect(posted.status == .seeOther, "\(posted.body.string.prefix(2000))")
            let latest = try #require(try await Screening.query(on: app.db).filter(\.$family.$id == UUID(uuidString: id)!)
                .sort(\.$createdAt, .descending).first())
            #expect(try await ScreeningProvisions.load(latest.id!, on: app.db).map(\.provision) == [.library, .toyLibrary])
        }
    }
}
