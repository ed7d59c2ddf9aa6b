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

    /// The names a family is found by: the household's and every member's given and family name.
    private static func tokens(_ item: Item) -> [String] {
        let members = item["members"] as? [Item] ?? []
        let names = [item["name"] as? String ?? ""] + members.flatMap { [$0["givenName"] as? String, $0["familyName"] as? String].compactMap { $0 } }
        return NameTokens.tokens(of: names.joined(separator: " "))
    }

    private static func matches(_ item: Item, words: [String]) -> Bool {
        let tokens = tokens(item)
        return words.allSatisfy { word in tokens.contains { $0.hasPrefix(word) } }
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
            #expect(try await found("ubaydi") == [])  // the middle of a word is not its beginning
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
            for word in ["qad", "qadi", "qadri", "qu", "q", "omar qu"] {
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
}
