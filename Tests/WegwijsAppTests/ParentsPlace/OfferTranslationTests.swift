import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Offers in the parents' languages (issue 16, item 6): kept per language, reviewed like the parents' place pages,
/// shown in the finder with `lang` and `dir` per element; the finder pages and filters.
@Suite("Offers in the parents' languages")
struct OfferTranslationTests {
    static let tigrinyaGroup = "Moedergroep in het Tigrinya"

    static func offer(_ name: String, _ app: Application) async throws -> Offer {
        try #require(try await Offer.query(on: app.db).filter(\.$name ~~ name).first())
    }

    static func translations(_ offer: Offer, _ app: Application) async throws -> [OfferTranslation] {
        try await OfferTranslation.query(on: app.db).filter(\.$offer.$id == offer.requireID()).all()
    }

    @Test("a key person translates and reviews; the finder shows it in Tigrinya; a Dutch change makes it outdated",
          arguments: TestDatabase.available)
    func translateAndReview(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let offer = try await Self.offer(Self.tigrinyaGroup, app)
            let path = "/catalog/\(try offer.requireID())/translations/ti"
            let draftNote = app.parentContent.ui("offer.translationDraft", "ti")
            let keyPerson = WebClient(app)
            _ = try await keyPerson.signIn("sleutelpersoon")
            let form = try await keyPerson.get(path)
            #expect(form.status == .ok)
            #expect(form.body.string.contains(Self.tigrinyaGroup))

            // An empty name: the message names the field and the language; nothing is written.
            let empty = try await keyPerson.post(path, [("name", ""), ("description", "ጽሑፍ"), ("revision", "0")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Vul de naam van het aanbod in het Tigrinya in."))
            #expect(empty.body.string.contains("href=\"#name\""))
            #expect(try await Self.translations(offer, app).isEmpty)

            let name = "ጉጅለ ኣደታት ብትግርኛ", description = "ኣደታት ብዛዕባ ምዕባይ ቆልዑ ይዘራረባ።"
            #expect(try await keyPerson.post(path, [("name", name), ("description", description), ("revision", "0")]).status == .seeOther)
            let saved = try #require(try await Self.translations(offer, app).first)
            #expect(saved.status == .draft && saved.revision == 1 && saved.name == name)

            // The finder in Tigrinya shows the translation, marked as not yet checked.
            var finder = try await app.send(.GET, "/ouders/ti/activiteiten?theme=child-health").body.string
            #expect(finder.contains("<h3 lang=\"ti\" dir=\"ltr\">\(name)</h3>"))
            #expect(finder.contains(description))
            #expect(finder.contains(draftNote))
            #expect(!finder.contains("<h3 lang=\"nl\" dir=\"ltr\">\(offer.name)</h3>"))

            // A save against an older revision is refused, nothing written.
            let stale = try await keyPerson.post(path, [("name", "ሓድሽ"), ("description", description), ("revision", "0")])
            #expect(stale.status == .conflict)
            #expect(try await Self.translations(offer, app).first?.name == name)

            // The review: the note goes.
            #expect(try await keyPerson.post(path + "/review", [("revision", "1")]).status == .seeOther)
            let reviewed = try #require(try await Self.translations(offer, app).first)
            #expect(reviewed.status == .reviewed && reviewed.reviewedBy == "Samira Haddad")
            finder = try await app.send(.GET, "/ouders/ti/activiteiten?theme=child-health").body.string
            #expect(finder.contains(name) && !finder.contains(draftNote))

            // The Dutch description changes: the review is outdated and the finder says so again.
            var draft = try offer.draft
            draft.description += " Nu ook op woensdag."
            try offer.apply(draft)
            try await offer.update(on: app.db)
            app.parentContentVersions.refresh()
            let after = try #require(try await Self.translations(offer, app).first)
            #expect(after.state(sourceDigest: OfferTranslation.sourceDigest(of: draft)) == .outdated)
            finder = try await app.send(.GET, "/ouders/ti/activiteiten?theme=child-health").body.string
            #expect(finder.contains(name) && finder.contains(draftNote))
            // A new phone number is not a change of the text.
            draft.contactPhone = "071 555 0199"
            #expect(after.state(sourceDigest: OfferTranslation.sourceDigest(of: draft)) == .outdated)
            #expect(OfferTranslation.sourceDigest(of: draft) == OfferTranslation.sourceDigest(name: draft.name, description: draft.description))
        }
    }

    @Test("who may translate: the key person in her languages, the offer's organisation, the admin; nobody else")
    func permissions() async throws {
        try await withWegwijs(.sqlite) { app in
            let offer = try await Self.offer(Self.tigrinyaGroup, app)
            let id = try offer.requireID()
            let fields = [("name", "x"), ("description", "y"), ("revision", "0")]
            let keyPerson = WebClient(app)
            _ = try await keyPerson.signIn("sleutelpersoon")
            // A form first: it carries the CSRF token the posts need.
            #expect(try await keyPerson.get("/catalog/\(id)/translations/ti").status == .ok)
            // Farsi is not on her account; Dutch is the source, not a translation; "xx" is no language Wegwijs serves.
            #expect(try await keyPerson.post("/catalog/\(id)/translations/fa", fields).status == .forbidden)
            #expect(try await keyPerson.post("/catalog/\(id)/translations/nl", fields).status == .notFound)
            #expect(try await keyPerson.post("/catalog/\(id)/translations/xx", fields).status == .notFound)
            #expect(try await keyPerson.get("/catalog/\(id)/translations/xx").status == .notFound)
            let caseManager = WebClient(app)
            _ = try await caseManager.signIn("klantmanager")
            #expect(try await caseManager.get("/catalog/\(id)/translations/ti").status == .ok)
            #expect(try await caseManager.post("/catalog/\(id)/translations/ti", fields).status == .forbidden)
            #expect(try await Self.translations(offer, app).isEmpty)
            // The admin writes Arabic, but may not review it (four eyes: a key person who speaks it).
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            #expect(try await admin.get("/catalog/\(id)/translations/ar").status == .ok)
            #expect(try await admin.post("/catalog/\(id)/translations/ar", [("name", "مجموعة الأمهات"), ("description", "لقاءات للأمهات."), ("revision", "0")]).status == .seeOther)
            #expect(try await admin.post("/catalog/\(id)/translations/ar/review", [("revision", "1")]).status == .forbidden)
            // The offer page lists the languages with their state; the key person's overview lists what to review.
            let show = try await admin.get("/catalog/\(id)").body.string
            #expect(show.contains("/catalog/\(id)/translations/ar") && show.contains("/catalog/\(id)/translations/ti"))
            let overview = try await keyPerson.get("/admin/translations").body.string
            #expect(overview.contains("/catalog/\(id)/translations/ar"))
        }
    }

    @Test("in the Arabic finder, Arabic text runs right to left and Dutch text left to right, each marked")
    func directions() async throws {
        try await withWegwijs(.sqlite) { app in
            let offer = try await Self.offer(Self.tigrinyaGroup, app)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/catalog/\(try offer.requireID())/translations/ar")
            #expect(try await admin.post("/catalog/\(try offer.requireID())/translations/ar",
                                         [("name", "مجموعة الأمهات (بالتغرينية)"), ("description", "لقاءات للأمهات."), ("revision", "0")]).status == .seeOther)
            let html = try await app.send(.GET, "/ouders/ar/activiteiten?language=all").body.string
            #expect(html.contains("<html lang=\"ar\" dir=\"rtl\">"))
            #expect(html.contains("<h3 lang=\"ar\" dir=\"rtl\">مجموعة الأمهات (بالتغرينية)</h3>"))
            #expect(html.contains("<h3 lang=\"nl\" dir=\"ltr\">"))
            #expect(!html.contains("<h3>"))
        }
    }

    @Test("translations travel in HSDS as x_wegwijs_translations; an import keeps them as drafts and drops what it cannot use")
    func exchange() async throws {
        try await withWegwijs(.sqlite) { app in
            let offer = try await Self.offer(Self.tigrinyaGroup, app)
            let id = try offer.requireID()
            let row = OfferTranslation(offerID: id, language: "ar")
            try await OfferTranslations(on: app.db).saveText(row, name: "مجموعة الأمهات", description: "لقاءات للأمهات.", by: "test")
            let exported = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            var services = try #require(try JSONSerialization.jsonObject(with: exported) as? [[String: Any]])
            let index = try #require(services.firstIndex { ($0["id"] as? String) == id.uuidString.lowercased() })
            let texts = try #require(services[index][HSDS.translationsKey] as? [[String: Any]])
            #expect(texts.count == 1 && texts[0]["language"] as? String == "ar" && texts[0]["name"] as? String == "مجموعة الأمهات")

            // Back in, with a Tigrinya text added and one in a language the parents' place does not serve.
            services[index][HSDS.translationsKey] = texts + [["language": "ti", "name": "ጉጅለ ኣደታት", "description": "ርክብ ኣደታት።"],
                                                              ["language": "xx", "name": "?", "description": "?"]]
            let file = try JSONSerialization.data(withJSONObject: [services[index]])
            let report = try await CatalogExchange.import(file, municipalityCode: "GM9901", replace: false, changedBy: "test",
                                                          catalog: app.locales, on: app.db)
            #expect(report.refused.isEmpty)
            #expect(report.warnings.contains { $0.code == "translation-language" && $0.field == "x_wegwijs_translations.xx" })
            let stored = Dictionary(uniqueKeysWithValues: try await Self.translations(offer, app).map { ($0.language, $0) })
            #expect(Set(stored.keys) == ["ar", "ti"])
            #expect(stored["ar"]?.revision == 1, "an unchanged text is not written again")
            #expect(stored["ti"]?.status == .draft && stored["ti"]?.name == "ጉጅለ ኣደታት")
        }
    }

    @Test("the key person's list finds a draft behind many older reviewed translations")
    func awaitingReviewLooksPastReviewed() async throws {
        try await withWegwijs(.sqlite) { app in
            let municipality = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first())
            let offers = try await Offer.query(on: app.db).filter(\.$municipality.$id == municipality.requireID())
                .filter(\.$status == .active).sort(\.$name).limit(6).all()
            #expect(offers.count == 6)
            let store = OfferTranslations(on: app.db)
            // Five reviewed first (the oldest changes), then one draft.
            for offer in offers.prefix(5) {
                let row = OfferTranslation(offerID: try offer.requireID(), language: "ar")
                try await store.saveText(row, name: "اسم", description: "وصف", by: "test")
                try await store.markReviewed(row, sourceDigest: OfferTranslation.sourceDigest(of: try offer.draft), by: "test",
                                             at: Date(timeIntervalSince1970: 0))
            }
            try await store.saveText(OfferTranslation(offerID: try offers[5].requireID(), language: "ar"), name: "اسم",
                                     description: "وصف", by: "test")
            let waiting = try await store.awaitingReview(municipalityID: try municipality.requireID(), languages: ["ar"], limit: 1)
            #expect(waiting.map { $0.offer.id } == [offers[5].id])
        }
    }

    @Test("the finder pages its results and filters by language and postcode area; a wrong postcode says so")
    func finderPagesAndFilters() async throws {
        try await withWegwijs(.sqlite) { app in
            func names(_ html: String) -> [String] {
                html.components(separatedBy: "<h3 lang=").dropFirst().compactMap { part in
                    part.split(separator: ">", maxSplits: 1).last.flatMap { $0.components(separatedBy: "</h3>").first }
                        .map { $0.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                            .replacingOccurrences(of: "&amp;", with: "&") }
                }
            }
            let active = DemoCatalogue.all.count
            #expect(active > ParentsPlaceController.finderPageSize)
            let first = try await app.send(.GET, "/ouders/nl/activiteiten?language=all").body.string
            let second = try await app.send(.GET, "/ouders/nl/activiteiten?language=all&page=2").body.string
            #expect(names(first).count == ParentsPlaceController.finderPageSize)
            #expect(Set(names(first)).isDisjoint(with: names(second)))
            #expect(first.contains("rel=\"next\"") && !first.contains("rel=\"prev\""))
            #expect(second.contains("rel=\"prev\""))
            #expect(first.contains(app.parentContent.ui("finder.page", "nl", ["page": "1", "pages": "2"])))

            // Given in Arabic: only offers whose languages include Arabic.
            let arabic = Set(DemoCatalogue.all.filter { $0.offer.languages.contains("ar") }.map(\.offer.name))
            let shown = names(try await app.send(.GET, "/ouders/nl/activiteiten?language=ar").body.string)
            #expect(!shown.isEmpty && Set(shown).isSubset(of: arabic))

            // A postcode area, typed as a parent would.
            let inArea = Set(DemoCatalogue.all.filter { $0.offer.locations.contains { $0.postcode?.hasPrefix("2311") == true } }.map(\.offer.name))
            let near = names(try await app.send(.GET, "/ouders/nl/activiteiten?language=all&postcode=2311%20AB").body.string)
            #expect(!near.isEmpty && Set(near) == inArea.intersection(near) && near.count <= inArea.count)

            let wrong = try await app.send(.GET, "/ouders/nl/activiteiten?postcode=abc")
            #expect(wrong.status == .ok)
            #expect(wrong.body.string.contains(app.parentContent.ui("finder.postcodeInvalid", "nl")))
            #expect(wrong.body.string.contains("aria-invalid=\"true\""))
            #expect(FinderQuery.postcodeArea("2311ab") == "2311" && FinderQuery.postcodeArea("23") == "23")
            #expect(FinderQuery.postcodeArea("0123") == nil && FinderQuery.postcodeArea("23111") == nil)
        }
    }
}
