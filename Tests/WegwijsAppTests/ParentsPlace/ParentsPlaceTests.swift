import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Parents' place")
struct ParentsPlaceTests {
    static let languages = Languages.parentLanguages

    static func content() throws -> ParentContent {
        try ParentContent.load(from: AppConfig.findResources() + "/ParentsPlace")
    }

    @Test("every page exists in every language, with the same fixed strings and labels as the Dutch source")
    func completeContent() throws {
        let content = try Self.content()
        let source = try #require(content.files["nl"])
        #expect(content.pages.count >= 9)
        for language in Self.languages {
            let file = try #require(content.files[language], "\(language).json is missing")
            #expect(Set(file.ui.keys) == Set(source.ui.keys), "ui keys of \(language)")
            for (group, labels) in source.labels {
                #expect(Set(file.labels[group]?.keys.map { $0 } ?? []) == Set(labels.keys), "labels.\(group) of \(language)")
            }
            #expect(file.pages.map(\.slug) == content.pages.map(\.slug), "pages of \(language)")
            for page in file.pages {
                #expect(!page.title.isEmpty && !page.summary.isEmpty && !page.iconAlt.isEmpty && !page.body.isEmpty,
                        "\(language)/\(page.slug) has an empty field")
                #expect(!page.body.contains("<"), "\(language)/\(page.slug) holds markup")
            }
            // Placeholders survive translation.
            for (key, text) in source.ui {
                for placeholder in ["{municipality}", "{count}", "{min}", "{max}"] where text.contains(placeholder) {
                    #expect(file.ui[key]?.contains(placeholder) == true, "\(language) ui.\(key) lost \(placeholder)")
                }
            }
        }
    }

    @Test("parent-facing words: information and tips, never 'parenting support' (R31)")
    func wording() throws {
        let content = try Self.content()
        let forbidden = ["opvoedondersteuning", "opvoedsteun", "parenting support", "screening", "beoordeling"]
        for language in ["nl", "en"] {
            let file = try #require(content.files[language])
            let text = (Array(file.ui.values) + file.pages.flatMap { [$0.title, $0.summary, $0.body] }).joined(separator: " ").lowercased()
            for word in forbidden { #expect(!text.contains(word), "\(language) says \(word)") }
        }
    }

    @Test("the page markup becomes paragraphs, headings and lists, and nothing else")
    func markup() {
        let blocks = TextBlock.parse("Eerste alinea\nloopt door.\n\n## Kop\n\n- een\n- twee\n\n<b>geen html</b>")
        #expect(blocks == [
            TextBlock(kind: "p", text: "Eerste alinea loopt door.", items: []),
            TextBlock(kind: "h2", text: "Kop", items: []),
            TextBlock(kind: "ul", text: "", items: ["een", "twee"]),
            TextBlock(kind: "p", text: "<b>geen html</b>", items: []),
        ])
    }

    @Test("every page answers in every language: lang, dir, its title, no cookies, public caching, under 100 KB",
          arguments: TestDatabase.available)
    func everyPage(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let content = app.parentContent
            var paths = ["/ouders"]
            for language in Self.languages {
                paths += ["/ouders/\(language)", "/ouders/\(language)/activiteiten"]
                paths += content.pages.map { "/ouders/\(language)/\($0.slug)" }
            }
            for path in paths {
                let response = try await app.send(.GET, path)
                #expect(response.status == .ok, "\(path)")
                let html = response.body.string
                let language = path.split(separator: "/").dropFirst().first.map(String.init) ?? "nl"
                let dir = Languages.rightToLeft.contains(language) ? "rtl" : "ltr"
                #expect(html.contains("<html lang=\"\(language)\" dir=\"\(dir)\">"), "\(path): lang/dir")
                #expect(response.headers.first(name: .setCookie) == nil, "\(path) sets a cookie")
                #expect(response.headers.first(name: .cacheControl) == ParentsPlaceController.cacheControl, "\(path)")
                #expect(response.headers.first(name: .eTag) != nil, "\(path)")
                #expect(response.body.readableBytes < 100_000, "\(path) is \(response.body.readableBytes) bytes")
                // Nothing is loaded from another site.
                #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<script"), "\(path)")
            }
            // A page shows its own title, in its language.
            for language in Self.languages {
                let title = try #require(content.files[language]?.pages.first { $0.slug == "who-helps" }?.title)
                let html = try await app.send(.GET, "/ouders/\(language)/who-helps").body.string
                #expect(html.contains(title.replacingOccurrences(of: "'", with: "&#39;").replacingOccurrences(of: "&", with: "&amp;")) || html.contains(title),
                        "\(language) who-helps shows its title")
            }
        }
    }

    @Test("the language chooser lists each language in its own script, each a link with hreflang and lang")
    func chooser() async throws {
        try await withWegwijs(.sqlite) { app in
            let html = try await app.send(.GET, "/ouders").body.string
            for language in Self.languages {
                let name = try #require(ParentContent.endonyms[language])
                #expect(html.contains("hreflang=\"\(language)\" lang=\"\(language)\""), "\(language) link")
                #expect(html.contains(name), "\(language) in its own script")
            }
            #expect(html.contains("ትግርኛ") && html.contains("العربية"))
        }
    }

    @Test("an unknown language falls back to the chooser; an unknown page is a 404 in the chosen language")
    func badInput() async throws {
        try await withWegwijs(.sqlite) { app in
            let unknownLanguage = try await app.send(.GET, "/ouders/xx")
            #expect(unknownLanguage.status == .notFound)
            #expect(unknownLanguage.body.string.contains("hreflang=\"ti\""))
            let unknownInLanguage = try await app.send(.GET, "/ouders/xx/school")
            #expect(unknownInLanguage.status == .notFound)
            #expect(unknownInLanguage.body.string.contains("hreflang=\"ar\""))
            let unknownPage = try await app.send(.GET, "/ouders/ar/no-such-page")
            #expect(unknownPage.status == .notFound)
            let html = unknownPage.body.string
            #expect(html.contains("<html lang=\"ar\" dir=\"rtl\">"))
            #expect(html.contains(app.parentContent.ui("notFound.title", "ar")))
            // Nonsense filters are ignored, not an error page.
            #expect(try await app.send(.GET, "/ouders/ti/activiteiten?age=abc&theme=%3Cscript%3E").status == .ok)
        }
    }

    @Test("a Tigrinya mother finds the mothers' group in Tigrinya, with how to join")
    func finder() async throws {
        try await withWegwijs(.sqlite) { app in
            let html = try await app.send(.GET, "/ouders/ti/activiteiten?age=4&theme=child-health").body.string
            #expect(html.contains("Moedergroep in het Tigrinya"))
            #expect(html.contains(app.parentContent.ui("offer.registration", "ti")))
            #expect(html.contains(app.parentContent.ui("offer.givenIn", "ti")))
            #expect(html.contains("href=\"tel:0715550111\""))
            // Only offers given in Tigrinya or bridged to it.
            let unreachable = DemoCatalogue.all.filter {
                !$0.offer.languages.contains("ti") && !$0.offer.bridgeInterpreter && !$0.offer.bridgeKeyPerson
            }
            #expect(!unreachable.isEmpty)
            let all = try await app.send(.GET, "/ouders/ti/activiteiten").body.string
            for offer in unreachable { #expect(!all.contains(offer.offer.name), "\(offer.offer.name)") }
            // The page about who helps lists where to go in Rijnstad.
            let page = try await app.send(.GET, "/ouders/ti/who-helps").body.string
            #expect(page.contains(app.parentContent.ui("page.whereTitle", "ti", ["municipality": "Rijnstad"])))
        }
    }

    @Test("a browser that has the page gets 304")
    func notModified() async throws {
        try await withWegwijs(.sqlite) { app in
            let first = try await app.send(.GET, "/ouders/nl/school")
            let etag = try #require(first.headers.first(name: .eTag))
            let again = try await app.send(.GET, "/ouders/nl/school", headers: [("If-None-Match", etag)])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test("translations: key persons edit and review their languages; a Dutch change makes reviews outdated",
          arguments: TestDatabase.available)
    func review(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let draftNote = app.parentContent.ui("page.draftNote", "ti")
            #expect(try await app.send(.GET, "/ouders/ti/school").body.string.contains(draftNote))

            // The key person speaks Arabic and Tigrinya.
            let keyPerson = WebClient(app)
            _ = try await keyPerson.signIn("sleutelpersoon")
            let overview = try await keyPerson.get("/admin/translations")
            #expect(overview.status == .ok)
            let form = try await keyPerson.get("/admin/translations/school/ti")
            #expect(form.status == .ok)
            let ti = try #require(try await ParentPage.query(on: app.db).filter(\.$slug == "school").filter(\.$language == "ti").first())
            let reviewed = try await keyPerson.post("/admin/translations/school/ti/review", [("revision", String(ti.revision))])
            #expect(reviewed.status == .seeOther)
            let after = try #require(try await ParentPage.find(ti.id, on: app.db))
            #expect(after.status == "reviewed" && after.reviewedBy == "Samira Haddad")
            #expect(!(try await app.send(.GET, "/ouders/ti/school").body.string.contains(draftNote)))

            // Not her languages, not the Dutch source.
            #expect(try await keyPerson.post("/admin/translations/school/fa", [("title", "x"), ("summary", "x"), ("iconAlt", "x"), ("body", "x")]).status == .forbidden)
            #expect(try await keyPerson.post("/admin/translations/school/nl", [("title", "x"), ("summary", "x"), ("iconAlt", "x"), ("body", "x")]).status == .forbidden)
            // A case manager reads, does not edit.
            let caseManager = WebClient(app)
            _ = try await caseManager.signIn("klantmanager")
            #expect(try await caseManager.get("/admin/translations/school/ti").status == .ok)
            #expect(try await caseManager.post("/admin/translations/school/ti/review", [("revision", String(after.revision))]).status == .forbidden)

            // The administrator changes the Dutch source: the Tigrinya review is outdated, the note is back.
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            #expect(try await admin.get("/admin/translations/school/nl").status == .ok)
            let nl = try #require(try await ParentPage.query(on: app.db).filter(\.$slug == "school").filter(\.$language == "nl").first())
            let empty = try await admin.post("/admin/translations/school/nl", [("title", ""), ("summary", nl.summary), ("iconAlt", nl.iconAlt), ("body", nl.body), ("revision", String(nl.revision))])
            #expect(empty.status == .unprocessableEntity)
            let saved = try await admin.post("/admin/translations/school/nl", [("title", nl.title), ("summary", nl.summary), ("iconAlt", nl.iconAlt), ("body", nl.body + "\n\nEen nieuwe alinea."), ("revision", String(nl.revision))])
            #expect(saved.status == .seeOther)
            let outdated = try #require(try await ParentPage.find(ti.id, on: app.db))
            let source = try #require(try await ParentPage.find(nl.id, on: app.db))
            #expect(outdated.state(sourceRevision: source.revision) == .outdated)
            #expect(try await app.send(.GET, "/ouders/nl/school").body.string.contains("Een nieuwe alinea."))
            #expect(try await app.send(.GET, "/ouders/ti/school").body.string.contains(draftNote))
            // A save based on an old revision is refused with a clear message, nothing written.
            let stale = try await admin.post("/admin/translations/school/nl", [("title", "Oud"), ("summary", nl.summary), ("iconAlt", nl.iconAlt), ("body", nl.body), ("revision", String(nl.revision))])
            #expect(stale.status == .conflict)
            #expect(try await ParentPage.find(nl.id, on: app.db)?.title == nl.title)
        }
    }
}
