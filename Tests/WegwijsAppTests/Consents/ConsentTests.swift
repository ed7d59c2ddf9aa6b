import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Consent register")
struct ConsentTests {
    @Test("record and withdraw: withdrawal takes effect at once", arguments: TestDatabase.available)
    func recordAndWithdraw(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let family = try await app.demoFamily()
            let jgz = try await Organisation.query(on: app.db).filter(\.$type == "youth-health-care").first()!.id!
            let body = #"{"purpose":"referral","organisationId":"\#(jgz)","dataCategories":["languages","children"],"givenBy":"both parents, with interpreter","givenOn":"2026-01-15"}"#
            let created = try await app.send(.POST, "/api/v1/families/\(family.id!)/consents", token: token, json: body)
            #expect(created.status == .created)
            #expect(created.json["active"] as? Bool == true)
            #expect(created.json["dataCategories"] as? [String] == ["languages", "children"])
            let consentID = try #require(created.json["id"] as? String)
            #expect(try await ConsentService.hasActiveConsent(familyID: family.id!, organisationID: jgz, purpose: .referral, on: app.db))

            let withdrawn = try await app.send(.POST, "/api/v1/families/\(family.id!)/consents/\(consentID)/withdraw", token: token)
            #expect(withdrawn.status == .ok)
            #expect(withdrawn.json["active"] as? Bool == false)
            #expect(withdrawn.json["withdrawnAt"] != nil)
            #expect(try await ConsentService.hasActiveConsent(familyID: family.id!, organisationID: jgz, purpose: .referral, on: app.db) == false)
            let twice = try await app.send(.POST, "/api/v1/families/\(family.id!)/consents/\(consentID)/withdraw", token: token)
            #expect(twice.status == .conflict)

            let list = try await app.send(.GET, "/api/v1/families/\(family.id!)/consents", token: token)
            #expect(list.status == .ok)
            #expect(try await app.auditCount(action: "consent.create", familyID: family.id) == 1)
            #expect(try await app.auditCount(action: "consent.withdraw", familyID: family.id) == 1)
        }
    }

    @Test("bad consents are refused with the fields named", arguments: TestDatabase.available)
    func invalid(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let family = try await app.demoFamily()
            // An organisation outside the region (Beekdal's are inside: the region buys jointly).
            let elsewhere = Municipality(code: "GM9998", name: "Elders", regionID: nil)
            try await elsewhere.create(on: app.db)
            let farAway = Organisation(municipalityID: elsewhere.id!, name: "Ver weg", kind: .formal, type: .other)
            try await farAway.create(on: app.db)
            let beekdal = farAway.id!
            let body = #"{"purpose":"marketing","organisationId":"\#(beekdal)","dataCategories":["everything"],"givenBy":"","givenOn":"2999-01-01"}"#
            let response = try await app.send(.POST, "/api/v1/families/\(family.id!)/consents", token: token, json: body)
            #expect(response.status == .unprocessableEntity)
            for field in ["purpose", "organisationId", "dataCategories[0]", "givenBy", "givenOn"] {
                #expect(response.errorFields[field] != nil, "\(field)")
            }
            #expect(try await Consent.query(on: app.db).filter(\.$family.$id == family.id!).count() == 0)
        }
    }

    @Test("web: record a consent, see it in the register, withdraw it")
    func web() async throws {
        try await withWegwijs(.sqlite) { app in
            let family = try await app.demoFamily()
            let jgz = try await Organisation.query(on: app.db).filter(\.$type == "youth-health-care").first()!.id!
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            _ = try await client.get("/families/\(family.id!)/consents")
            let bad = try await client.post("/families/\(family.id!)/consents", [("purpose", "referral"), ("givenBy", "moeder")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="organisationId-error""#))
            #expect(bad.body.string.contains("Vul dit veld in."))
            #expect(bad.body.string.contains(#"value="moeder""#))
            let good = try await client.post("/families/\(family.id!)/consents", [
                ("purpose", "referral"), ("organisationId", jgz.uuidString), ("dataCategories", "languages"),
                ("dataCategories", "children"), ("givenBy", "moeder"), ("givenOn", "2026-02-01"),
            ])
            #expect(good.status == .seeOther)
            let page = try await client.get("/families/\(family.id!)/consents")
            #expect(page.body.string.contains("De toestemming is vastgelegd."))
            #expect(page.body.string.contains("GGD Rijnstreek"))
            let consent = try #require(try await Consent.query(on: app.db).filter(\.$family.$id == family.id!).first())
            let withdraw = try await client.post("/families/\(family.id!)/consents/\(consent.id!)/withdraw", [])
            #expect(withdraw.status == .seeOther)
            #expect(try await Consent.find(consent.id, on: app.db)?.isActive == false)
        }
    }
}
