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

    @Test("web: the consent a referral lacks is filled in from the referral form and leads back to it")
    func fromReferral() async throws {
        try await withWegwijs(.sqlite) { app in
            let family = try await app.demoFamily()
            let id = family.id!
            let jgz = try await Organisation.query(on: app.db).filter(\.$type == "youth-health-care").first()!.id!
            let offer = try #require(try await Offer.query(on: app.db).filter(\.$organisation.$id == jgz).first())
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let form = try await client.get("/families/\(id)/referrals/new?offer=\(offer.id!)&sharedFields=first-name,language,screening")
            #expect(form.status == .ok)
            let html = form.body.string
            let anchor = try #require(html.range(of: #"id="record-consent""#), "no consent yet: the form links to recording one")
            let hrefStart = try #require(html[..<anchor.lowerBound].range(of: #"href=""#, options: .backwards))
            let link = String(html[hrefStart.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            let components = try #require(URLComponents(string: link))
            #expect(components.path == "/families/\(id)/consents")
            let query = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(query["purpose"] == "referral")
            #expect(query["organisationId"] == jgz.uuidString)
            #expect(query["dataCategories"] == "languages,screening", "first-name needs no category of its own")
            let back = try #require(query["returnTo"])
            #expect(back.hasPrefix("/families/\(id)/referrals/new?offer=\(offer.id!)"))
            #expect(back.contains("sharedFields=first-name%2Clanguage%2Cscreening") || back.contains("sharedFields=first-name,language,screening"))

            // The consent form is filled in and remembers the way back.
            let consentForm = try await client.get(link)
            #expect(consentForm.status == .ok)
            let page = consentForm.body.string
            #expect(page.contains(#"id="for-referral""#))
            #expect(page.contains(#"id="back-to-referral""#))
            #expect(page.contains(#"value="\#(jgz.uuidString)" selected"#) || page.contains(#"value="\#(jgz)" selected"#))
            #expect(page.contains(#"name="returnTo""#))

            // Recorded: straight back to the referral, with the choices made there.
            let recorded = try await client.post("/families/\(id)/consents", [
                ("purpose", "referral"), ("organisationId", jgz.uuidString), ("dataCategories", "languages"),
                ("dataCategories", "screening"), ("givenBy", "moeder"), ("givenOn", "2026-02-01"), ("returnTo", back),
            ])
            #expect(recorded.status == .seeOther)
            #expect(recorded.headers.first(name: .location) == back)
            let again = try await client.get(back)
            #expect(again.body.string.contains("De toestemming is vastgelegd"))
            #expect(again.body.string.contains(#"id="shared-screening" name="sharedFields" value="screening" checked"#))
            #expect(!again.body.string.contains(#"id="record-consent""#), "the referral now has its consent")
        }
    }

    @Test("web: a way back that leads elsewhere is ignored", arguments: [
        "https://example.org/", "//example.org/families", "/families/00000000-0000-0000-0000-000000000000/referrals/new",
        "/families/{id}/referrals/new//x", "/families/{id}/referralsX", "/families/{id}/referrals/new\\x", "/families/{id}/consents",
    ])
    func foreignReturn(_ target: String) async throws {
        try await withWegwijs(.sqlite) { app in
            let family = try await app.demoFamily()
            let id = family.id!
            let jgz = try await Organisation.query(on: app.db).filter(\.$type == "youth-health-care").first()!.id!
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            _ = try await client.get("/families/\(id)/consents")
            let recorded = try await client.post("/families/\(id)/consents", [
                ("purpose", "referral"), ("organisationId", jgz.uuidString), ("dataCategories", "languages"),
                ("givenBy", "moeder"), ("givenOn", "2026-02-01"),
                ("returnTo", target.replacingOccurrences(of: "{id}", with: id.uuidString)),
            ])
            #expect(recorded.status == .seeOther)
            #expect(recorded.headers.first(name: .location) == "/families/\(id)/consents")
        }
    }
}
