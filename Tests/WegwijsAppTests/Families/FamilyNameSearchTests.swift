import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The name search and the code filters read the indexed list keys (`FamilyListKeys`). What they must give is what
/// the whole list gives, filtered: the same families in the same order, page after page, by `page` or by `after`,
/// however many tokens a search word starts, and right after every write.
@Suite("Family name search")
struct FamilyNameSearchTests {
    private typealias Item = [String: Any]

    private static func items(_ response: TestingHTTPResponse) -> [Item] { response.json["items"] as? [Item] ?? [] }
    private static func ids(_ items: [Item]) -> [String] { items.compactMap { $0["id"] as? String } }

    /// Every family the case manager sees, in the list's own order (name, id), with their members.
    private static func everyone(_ app: Application, _ token: String) async throws -> [Item] {
        var all: [Item] = []
        var after: String?
        repeat {
            let page = try await app.send(.GET, "/api/v1/families?per=100" + (after.map { "&after=\($0)" } ?? ""), token: token)
            all += items(page)
            after = page.json["hasMore"] as? Bool == true ? ids(items(page)).last : nil
        } while after != nil
        return all
    }

    /// The names a family is found by: the household's and every member's given and family name, and its reference.
    private static func tokens(_ item: Item) -> [String] {
        let members = item["members"] as? [Item] ?? []
        let names = [item["name"] as? String ?? ""] + members.flatMap { [$0["givenName"] as? String, $0["familyName"] as? String].compactMap { $0 } }
            + [item["reference"] as? String ?? ""]
        return NameTokens.tokens(of: names.joined(separator: " "))
    }

    /// What the SQL must find, worked out in memory: every word starts a token or finds a token's name key.
    private static func matches(_ item: Item, words: [String]) -> Bool {
        let tokens = tokens(item)
        return words.allSatisfy { word in FamilyListKeys.nameMatches(word: word, tokens: tokens) }
    }

    /// Every page of a search, by page numbers and by `after`; both must be the same list.
    private static func search(_ app: Application, _ token: String, _ body: String, per: Int) async throws -> [String] {
        var byPage: [String] = []
        for page in 1... {
            let response = try await app.send(.POST, "/api/v1/families/search?per=\(per)&page=\(page)", token: token, json: body)
            #expect(response.status == .ok)
            byPage += ids(items(response))
            if response.json["hasMore"] as? Bool != true { break }
        }
        var byCursor: [String] = []
        var after: String?
        repeat {
            let response = try await app.send(.POST, "/api/v1/families/search?per=\(per)" + (after.map { "&after=\($0)" } ?? ""),
                                              token: token, json: body)
            byCursor += ids(items(response))
            after = response.json["hasMore"] as? Bool == true ? ids(items(response)).last : nil
        } while after != nil
        #expect(byPage == byCursor, "\(body): paging by number and by cursor differ")
        return byPage
    }

    private static func create(_ app: Application, _ token: String, _ name: String, member: String, familyName: String? = nil,
                               language: String = "nl") async throws -> String {
        let familyJSON = familyName.map { #","familyName":"\#($0)""# } ?? ""
        let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
            {"name":"\#(name)","members":[{"role":"parent","givenName":"\#(member)"\#(familyJSON),"languagesSpoken":["\#(language)"]}]}
            """#)
        #expect(created.status == .created)
        return try #require(created.json["id"] as? String)
    }

    @Test("a search word finds the beginning of any name of the household or a member, without case, marks or hyphens",
          arguments: TestDatabase.available)
    func findsAnyName(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let alHassan = try await Self.create(app, token, "Al-Zubaydi", member: "Selamawit", familyName: "Al-Zubaydi")
            let yilmaz = try await Self.create(app, token, "Yıldırımoğlu", member: "Ayşegül")
            func found(_ name: String) async throws -> [String] {
                try await Self.search(app, token, #"{"name":"\#(name)"}"#, per: 25)
            }
            #expect(try await found("al zubaydi") == [alHassan])
            #expect(try await found("AL-ZUB") == [alHassan])
            #expect(try await found("alzubaydi") == [alHassan])
            #expect(try await found("selamaw") == [alHassan])  // a parent's given name
            #expect(try await found("selamaw zuba") == [alHassan])  // two words: both must match
            #expect(try await found("selamaw yildirim") == [])
            #expect(try await found("yildirimog") == [yilmaz])
            #expect(try await found("aysegul") == [yilmaz])
            #expect(try await found("zzqx") == [])
            #expect(try await !found("ubaydi").contains(alHassan))  // the middle of a word is not its beginning
        }
    }

    @Test("a search over several tokens, or over more than are read one by one, pages like the whole list filtered",
          arguments: TestDatabase.available)
    func pagesLikeTheList(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            // "qad" starts three tokens (qadri, qadir, qadiri); "qu" starts more than eight.
            for (index, name) in ["Qadri", "Qadir", "Qadiri", "Qadri", "Qadir", "Qadiri", "Qadri"].enumerated() {
                _ = try await Self.create(app, token, "\(name) \(index)", member: index % 2 == 0 ? "Qadiri" : "Amal")
            }
            for index in 0..<12 {
                _ = try await Self.create(app, token, "Qu\(Character(UnicodeScalar(97 + index)!))rrah", member: "Omar",
                                     language: index % 3 == 0 ? "ti" : "ar")
            }
            let everyone = try await Self.everyone(app, token)
            for word in ["qad", "qadi", "qadri", "qu", "omar qu", "kadir"] {
                let words = NameTokens.searchWords(of: word)
                let expected = Self.ids(everyone.filter { Self.matches($0, words: words) })
                #expect(!expected.isEmpty, "\(word)")
                for per in [1, 2, 5] {
                    #expect(try await Self.search(app, token, #"{"name":"\#(word)"}"#, per: per) == expected, "\(word), per \(per)")
                }
            }
            // With a language beside the name, and the language alone (read from its keys).
            let speaksTi = everyone.filter { ($0["languages"] as? [String] ?? []).contains("ti") }
            #expect(try await Self.search(app, token, #"{"name":"qu","language":"ti"}"#, per: 2)
                    == Self.ids(speaksTi.filter { Self.matches($0, words: ["qu"]) }))
            #expect(try await Self.search(app, token, #"{"language":"ti"}"#, per: 3) == Self.ids(speaksTi))
        }
    }

    @Test("a rename, a new member and a removed member show in the search at once", arguments: TestDatabase.available)
    func followsWrites(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let id = try await Self.create(app, token, "Xerxesdottir", member: "Vigdis")
            func found(_ name: String) async throws -> [String] {
                try await Self.search(app, token, #"{"name":"\#(name)"}"#, per: 25)
            }
            #expect(try await found("xerx") == [id])
            let renamed = try await app.send(.PUT, "/api/v1/families/\(id)", token: token,
                                             json: #"{"name":"Ystadsdottir","version":1}"#)
            #expect(renamed.status == .ok)
            #expect(try await found("xerx") == [])
            #expect(try await found("ystad") == [id])
            #expect(try await found("vigdis") == [id])  // the members' names stay

            let added = try await app.send(.POST, "/api/v1/families/\(id)/members", token: token,
                                           json: #"{"role":"child","givenName":"Zoltanka"}"#)
            #expect(added.status == .created)
            #expect(try await found("zoltan") == [id])
            let memberID = try #require(added.json["id"] as? String)
            let version = try #require(added.json["version"] as? Int)
            let removed = try await app.send(.DELETE, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                             json: #"{"version":\#(version)}"#)
            #expect(removed.status == .noContent)
            #expect(try await found("zoltan") == [])
        }
    }

    @Test("names in other spellings and scripts, and the reference, find the family; one letter or a novel is refused",
          arguments: TestDatabase.available)
    func variants(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let mohammed = try await Self.create(app, token, "Yusuf", member: "Mohammed", familyName: "Yusuf", language: "so")
            let arabic = try await Self.create(app, token, "حداد", member: "محمد", language: "ar")
            let geez = try await Self.create(app, token, "ተስፋይ", member: "ሰላም", language: "ti")
            let cyrillic = try await Self.create(app, token, "Коваленко", member: "Олександр", language: "uk")
            let mahmoud = try await Self.create(app, token, "Mahmoud", member: "Amina", language: "ar")
            func found(_ name: String) async throws -> Set<String> {
                Set(try await Self.search(app, token, #"{"name":"\#(name)"}"#, per: 25))
            }
            // Another spelling, and the same name in Arabic script.
            let muhammad = try await found("Muhammad")
            #expect(muhammad.contains(mohammed) && muhammad.contains(arabic), "Muhammad: \(muhammad)")
            #expect(!muhammad.contains(mahmoud))
            #expect(try await found("Mohamed Yousef").contains(mohammed))
            #expect(try await found("Haddad").contains(arabic))
            // Ge'ez and Cyrillic, typed in Latin letters.
            #expect(try await found("Tesfaye").contains(geez))
            #expect(try await found("Selam").contains(geez))
            #expect(try await found("Oleksandr Kovalenko").contains(cyrillic))
            #expect(try await found("kowalenko").contains(cyrillic))
            // And typed in their own script.
            #expect(try await found("ተስፋይ").contains(geez))
            #expect(try await found("Олександр").contains(cyrillic))
            #expect(try await !found("Ahmed").contains(mahmoud))

            // The reference partners and the audit log use.
            let reference = try #require(try await app.send(.GET, "/api/v1/families/\(cyrillic)", token: token).json["reference"] as? String)
            #expect(try await found(reference) == [cyrillic])
            #expect(try await found(reference.lowercased().replacingOccurrences(of: "-", with: " ")) == [cyrillic])

            // Bad input: a clear 422 naming the field, nothing searched.
            for name in ["m", " x ", String(repeating: "a", count: 10_000)] {
                let refused = try await app.send(.POST, "/api/v1/families/search", token: token, json: #"{"name":"\#(name)"}"#)
                #expect(refused.status == .unprocessableEntity, "\(name.prefix(10))")
                #expect((refused.json["error"] as? [String: Any]).flatMap { $0["fields"] as? [String: String] }?["name"] != nil)
            }
        }
    }

    @Test("possible duplicates: a same-sounding member with a birth year a year apart, or same-sounding names; audited",
          arguments: TestDatabase.available)
    func duplicates(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Yusuf","members":[{"role":"parent","givenName":"Mohammed","familyName":"Yusuf","birthYear":1985},
                 {"role":"child","givenName":"Amal","birthYear":2019}]}
                """#)
            let existing = try #require(created.json["id"] as? String)
            func check(_ body: String) async throws -> [[String: Any]] {
                let response = try await app.send(.POST, "/api/v1/families/duplicates", token: token, json: body)
                #expect(response.status == .ok, "\(response.body.string)")
                return response.json["candidates"] as? [[String: Any]] ?? []
            }
            let before = try await app.auditCount(action: "family.duplicates")
            // Another spelling of the father, a year apart: the same person.
            let samePerson = try await check(#"{"name":"Youssef","members":[{"role":"parent","givenName":"Muhammad","birthYear":1986}]}"#)
            let hit = try #require(samePerson.first { $0["id"] as? String == existing })
            #expect((hit["reasons"] as? [String] ?? []).contains("same-person"))
            #expect(hit["reference"] is String && (hit["members"] as? [Any])?.count == 2)
            #expect(try await app.auditCount(action: "family.duplicates") == before + 1)
            // Same-sounding household and given name, no birth year: still shown.
            let sameNames = try await check(#"{"name":"Yousef","members":[{"role":"parent","givenName":"Mohamed"}]}"#)
            #expect(sameNames.contains { $0["id"] as? String == existing && ($0["reasons"] as? [String] ?? []).contains("same-names") })
            // Far apart in age, and another household name: not the same family.
            let other = try await check(#"{"name":"Tesfay","members":[{"role":"parent","givenName":"Mohammed","birthYear":1950}]}"#)
            #expect(!other.contains { $0["id"] as? String == existing })
            let nobody = try await check(#"{"name":"Zwxq","members":[{"role":"parent","givenName":"Qqrv"}]}"#)
            #expect(nobody.isEmpty)
            // Another municipality sees none of them.
            let elsewhere = try await app.send(.POST, "/api/v1/families/duplicates", token: try await app.token("klantmanager-beekdal"),
                                               json: #"{"name":"Youssef","members":[{"role":"parent","givenName":"Muhammad","birthYear":1986}]}"#)
            #expect(!((elsewhere.json["candidates"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == existing })

            // On the web: registering the same household shows the existing one; going on needs a reason, which is kept.
            let web = WebClient(app)
            _ = try await web.signIn("klantmanager")
            _ = try await web.get("/families/new")
            let fields: [(String, String)] = [("name", "Youssef"), ("m0_givenName", "Muhammad"), ("m0_birthYear", "1986")]
            let warned = try await web.post("/families/new", fields)
            #expect(warned.status == .conflict)
            #expect(warned.body.string.contains("Is dit gezin al ingeschreven?"))
            #expect(warned.body.string.lowercased().contains("/families/\(existing.lowercased())"))
            let noReason = try await web.post("/families/new", fields + [("duplicateOverride", "")])
            #expect(noReason.status == .conflict)
            #expect(noReason.body.string.contains(#"id="duplicateOverride-error""#))
            let registered = try await web.post("/families/new", fields + [("duplicateOverride", ""), ("duplicateOverride", "different-family")])
            #expect(registered.status == .seeOther)
            #expect(try await app.auditCount(action: "family.create", detailContains: "duplicate-override=different-family") == 1)
        }
    }
}
