import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

/// The family forms for people (issue 16, item 3): languages picked by name, errors that name the field and the
/// person, dates the Dutch way.
@Suite("Family forms")
struct FamilyFormTests {
    static func household(_ name: String = "Van Zwieten-Haddad") -> [(String, String)] {
        [("name", name), ("postcode", "2313 CD"), ("duplicateOverride", "different-family")]
    }

    @Test("languages are picked by name (Dutch, English, any case, from the list, or as a code) and shown by name")
    func languagesByName() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let form = try await client.get("/families/new").body.string
            // The typeahead: a list of "name (code)" options the languages fields point at, with the own name.
            #expect(form.contains(##"<datalist id="language-list">"##))
            #expect(form.contains(##"<option value="Tigrinya (ti)""##))
            #expect(form.contains(##"<option value="Arabisch (ar)""##))
            #expect(form.contains(##"list="language-list""##))
            let fields = Self.household() + [
                ("m0_givenName", "Rahel"), ("m0_languagesSpoken", "tigrinya, ARABIC, Tigrinya (ti)"),
                ("m0_languagesRead", "Arabisch (ar)"), ("m0_arrivalDate", "2022-03-01"),
                ("m1_givenName", "Yonas"), ("m1_languagesSpoken", "fa; Engels"),
            ]
            let created = try await client.post("/families/new", fields)
            #expect(created.status == .seeOther)
            let family = try #require(try await Family.query(on: app.db).filter(\.$name == "Van Zwieten-Haddad").first())
            let members = try await Member.query(on: app.db).filter(\.$family.$id == family.id!).all()
            try await FamilyCodes.load([family], members: members, on: app.db)
            let rahel = try #require(members.first { $0.givenName == "Rahel" })
            #expect(rahel.languagesSpoken == ["ti", "ar"], "the same language twice is kept once")
            #expect(rahel.languagesRead == ["ar"])
            #expect(members.first { $0.givenName == "Yonas" }?.languagesSpoken == ["fa", "en"])

            // Shown by name on the family page, and as the list's options on the edit form (read back exactly).
            let page = try await client.get("/families/\(family.id!)").body.string
            #expect(page.contains("Tigrinya, Arabisch"))
            #expect(!page.contains("· ti"))
            let edit = try await client.get("/families/\(family.id!)/members/\(rahel.id!)/edit").body.string
            #expect(edit.contains(##"value="Tigrinya (ti), Arabisch (ar)""##))
            #expect(edit.contains(##"<script src="/js/language-picker.js" defer></script>"##))
            let saved = try await client.post("/families/\(family.id!)/members/\(rahel.id!)/edit", [
                ("m_role", "parent"), ("m_givenName", "Rahel"), ("m_languagesSpoken", "Tigrinya (ti), Arabisch (ar)"),
                ("version", "\(rahel.version)"),
            ])
            #expect(saved.status == .seeOther)
            let again = try await Member.find(rahel.id, on: app.db)
            try await FamilyCodes.load([family], members: [again!], on: app.db)
            #expect(again?.languagesSpoken == ["ti", "ar"])

            // In English the same list is named in English.
            _ = try await client.post("/language", [("locale", "en")])
            let english = try await client.get("/families/new").body.string
            #expect(english.contains(##"<option value="Arabic (ar)""##))
            #expect(try await client.get("/families/\(family.id!)").body.string.contains("Tigrinya, Arabic"))
        }
    }

    @Test("an unknown language, a pasted text and an impossible date are named next to the field; nothing is written")
    func badLanguages() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            _ = try await client.get("/families/new")
            let before = try await Family.query(on: app.db).count()
            let unknown = try await client.post("/families/new", Self.household() + [
                ("m0_givenName", "Rahel"), ("m0_languagesSpoken", "Tigrinya, Klingon"),
                ("m1_givenName", "Yonas"), ("m1_languagesRead", String(repeating: "Arabisch, ", count: 1000)),
                ("m2_givenName", "Hana"), ("m2_birthDate", "2019-02-30"),
            ])
            #expect(unknown.status == .unprocessableEntity)
            let html = unknown.body.string
            #expect(html.contains(##"id="m0_languagesSpoken-error">Onbekende taal: &#39;Klingon&#39;. Kies een taal uit de lijst voor de gesproken talen van ouder 1.</p>"##))
            #expect(html.contains(##"id="m1_languagesRead-error">De gelezen talen van ouder 2 is te lang: gebruik hoogstens 500 tekens.</p>"##))
            #expect(html.contains(##"id="m2_birthDate-error">De geboortedatum van kind 1 is geen bestaande datum."##))
            #expect(html.contains(##"href="#m0_languagesSpoken""##) && html.contains(##"href="#m1_languagesRead""##))
            #expect(html.contains(##"value="Tigrinya, Klingon""##), "what was typed is kept")
            #expect(!html.contains("Arabisch, Arabisch</a>"), "a pasted text is not repeated back in the summary")
            #expect(try await Family.query(on: app.db).count() == before)

            // The member form says the same, about the person by name.
            let family = try await app.demoFamily()
            _ = try await client.get("/families/\(family.id!)/members/new")
            let members = try await Member.query(on: app.db).filter(\.$family.$id == family.id!).count()
            let member = try await client.post("/families/\(family.id!)/members/new", [
                ("m_role", "child"), ("m_givenName", "Sara"), ("m_languagesSpoken", "klingon"),
            ])
            #expect(member.status == .unprocessableEntity)
            #expect(member.body.string.contains("Onbekende taal: &#39;klingon&#39;. Kies een taal uit de lijst voor de gesproken talen van Sara."))
            let long = try await client.post("/families/\(family.id!)/members/new", [
                ("m_role", "child"), ("m_givenName", ""), ("m_languagesSpoken", String(repeating: "x", count: 10_000)),
            ])
            #expect(long.status == .unprocessableEntity)
            #expect(long.body.string.contains("De gesproken talen van dit gezinslid is te lang"))
            #expect(long.body.string.contains("Vul de voornaam van dit gezinslid in."), "the member's other problems are named too")
            #expect(try await Member.query(on: app.db).filter(\.$family.$id == family.id!).count() == members)
        }
    }

    @Test("every error names the field and the person, in Dutch and English, and the summary links to the field")
    func fieldAndPerson() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            _ = try await client.get("/families/new")
            let fields = [("name", ""), ("postcode", "abc")] + [
                ("m0_givenName", "Rahel"), ("m1_familyName", "Haddad"), ("m2_givenName", "Hana"), ("m2_birthYear", "2099"),
                ("m1_bsn", "123456789"),
            ]
            let dutch = try await client.post("/families/new", fields)
            #expect(dutch.status == .unprocessableEntity)
            let nl = dutch.body.string
            #expect(nl.contains(##"id="m1_givenName-error">Vul de voornaam van ouder 2 in.</p>"##))
            #expect(nl.contains(##"id="m2_birthYear-error">Het geboortejaar van kind 1 kan niet in de toekomst liggen.</p>"##))
            #expect(nl.contains(##"id="m1_bsn-error">Het BSN van ouder 2 is geen geldig BSN"##))
            #expect(nl.contains(##"id="name-error">Vul de naam van het gezin in.</p>"##))
            #expect(nl.contains("De postcode van het gezin is geen Nederlandse postcode."))
            // The summary at the top links to each field, never to #main.
            #expect(nl.contains(##"<a href="#m1_givenName">Vul de voornaam van ouder 2 in.</a>"##))
            #expect(nl.contains(##"<a href="#m2_birthYear">"##) && nl.contains(##"<a href="#name">"##))
            #expect(!nl.contains(##"href="#main">Vul"##))
            #expect(!nl.contains("Vul dit veld in."))

            _ = try await client.post("/language", [("locale", "en")])
            _ = try await client.get("/families/new")
            let en = try await client.post("/families/new", fields).body.string
            #expect(en.contains("Enter the first name of parent 2."))
            #expect(en.contains("The year of birth of child 1 cannot be in the future."))
            #expect(en.contains("Enter the name of the family."))

            // The member form names the person it is about.
            _ = try await client.post("/language", [("locale", "nl")])
            let family = try await app.demoFamily()
            _ = try await client.get("/families/\(family.id!)/members/new")
            let member = try await client.post("/families/\(family.id!)/members/new", [
                ("m_role", "child"), ("m_givenName", "Sara"), ("m_birthDate", "2099-01-01"),
            ]).body.string
            #expect(member.contains(##"id="m_birthDate-error">De geboortedatum van Sara kan niet in de toekomst liggen.</p>"##))
            #expect(member.contains(##"<a href="#m_birthDate">"##))
        }
    }

    @Test("the family page shows dates the Dutch way, keeping the ISO date for machines")
    func dutchDates() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            _ = try await client.get("/families/new")
            let created = try await client.post("/families/new", Self.household() + [
                ("m0_givenName", "Rahel"), ("m0_birthDate", "1990-12-01"), ("m0_arrivalDate", "2022-03-01"),
                ("m0_settlementDate", "2022-09-15"),
            ])
            let location = try #require(created.headers.first(name: .location))
            let page = try await client.get(location).body.string
            #expect(page.contains(##"<time datetime="1990-12-01">1 december 1990</time>"##))
            #expect(page.contains(##"<time datetime="2022-03-01">1 maart 2022</time>"##))
            #expect(page.contains(##"<time datetime="2022-09-15">15 september 2022</time>"##))
            #expect(!page.contains(">2022-03-01<"))
        }
    }
}
