import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The procurement checklist (issue 15, R41) through the API and the pages: gaps in words ranked by the families
/// affected, small counts suppressed (also across the regional view), offers and portfolio scored, funding shown,
/// access from the policy table and one audit entry per view.
@Suite("Procurement checklist (app)")
struct ProcurementAppTests {
    /// Registers `count` families of one parent speaking `language`, each with an open need on `theme`.
    static func families(_ app: Application, token: String, count: Int, language: String, gender: String, theme: String) async throws {
        for index in 0..<count {
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Inkoop \#(language) \#(index)","members":[{"role":"parent","givenName":"Ouder\#(index)","gender":"\#(gender)",
                 "birthYear":1990,"languagesSpoken":["\#(language)"]}]}
                """#)
            guard created.status == .created, let id = created.json["id"] as? String else {
                throw TestFailure("family: \(created.status) \(created.body.string)")
            }
            let need = try await app.send(.POST, "/api/v1/families/\(id)/needs", token: token, json: #"{"theme":"\#(theme)","priority":2}"#)
            guard need.status == .created else { throw TestFailure("need: \(need.status) \(need.body.string)") }
        }
    }

    static func cell(_ json: [String: Any], _ keys: [String: String]) -> [String: Any]? {
        (json["cells"] as? [[String: Any]] ?? []).first { cell in keys.allSatisfy { cell[$0.key] as? String == $0.value } }
    }

    static let bulgarian = ["language": "bg", "theme": "any", "form": "any", "audience": "any", "kind": "any"]
    static let amharicFathers = ["language": "am", "theme": "any", "form": "group", "audience": "fathers", "kind": "any"]

    @Test("the API: Bulgarian has nothing (6 families), Amharic fathers have no group (<5: null); offers scored, funding, portfolio",
          arguments: TestDatabase.available)
    func api(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            try await Self.families(app, token: lead, count: 6, language: "bg", gender: "female", theme: "school-system")
            try await Self.families(app, token: lead, count: 2, language: "am", gender: "male", theme: "puberty")
            let policy = try await app.token("beleid")
            let response = try await app.send(.GET, "/api/v1/reports/procurement", token: policy)
            #expect(response.status == .ok, "\(response.body.string.prefix(500))")
            let json = response.json
            #expect(json["report"] as? String == "procurement" && json["municipality"] as? String == "GM9901")
            #expect(json["dimensions"] as? [String] == ["language", "theme", "form", "audience", "kind"])
            #expect(json["measures"] as? [String] == ["families"])
            let today = app.clock.today.iso
            #expect((json["period"] as? [String: String]) == ["from": today, "to": today])
            #expect(Self.cell(json, Self.bulgarian)?["families"] as? Int == 6)
            let fathers = try #require(Self.cell(json, Self.amharicFathers))
            #expect(fathers["families"] is NSNull)
            // Never a count under 5.
            for cell in (json["cells"] as? [[String: Any]] ?? []) + (json["margins"] as? [[String: Any]] ?? []) {
                if let n = cell["families"] as? Int { #expect(n == 0 || n >= 5, "\(cell)") }
            }
            // Most families first: the Bulgarian gap comes before every hidden one.
            let counts = (json["cells"] as? [[String: Any]] ?? []).map { $0["families"] as? Int }
            if let firstHidden = counts.firstIndex(where: { $0 == nil }) { #expect(counts[firstHidden...].allSatisfy { $0 == nil }) }
            let margins = json["margins"] as? [[String: Any]] ?? []
            #expect(margins.first { $0["language"] as? String == "bg" }?["families"] as? Int == 6)
            // The total: these eight and the demo families' own open questions without an offer.
            #expect(margins.last?["language"] == nil && (margins.last?["families"] as? Int ?? 0) >= 8)

            // Offers scored, with their funding; the demo's ended offer is not part of it.
            let offers = json["offers"] as? [[String: Any]] ?? []
            let welcome = try #require(offers.first { $0["id"] as? String == "5A0E0C1E-0001-4C3A-9F00-000000000001" || $0["id"] as? String == "5a0e0c1e-0001-4c3a-9f00-000000000001" })
            #expect(welcome["funding"] as? String == "civic-integration")
            #expect((welcome["criteria"] as? [String: Bool])?["own-language"] == true)
            #expect(!offers.contains { ($0["name"] as? String)?.contains("proef") == true })
            #expect(offers.contains { $0["funding"] == nil })
            let portfolio = json["portfolio"] as? [[String: Any]] ?? []
            #expect(portfolio.map { $0["criterion"] as? String } == PortfolioCriterion.allCases.map(\.rawValue))
            let languages = try #require(portfolio.first { $0["criterion"] as? String == "languages" })
            #expect((languages["missing"] as? [String])?.contains("bg") == true)
            let funding = json["funding"] as? [[String: Any]] ?? []
            #expect(funding.map { $0["funding"] as? String } == FundingSource.allCodes + [nil])
            #expect(funding.last?["offers"] as? Int == 1)
            let criteria = json["criteria"] as? [[String: Any]] ?? []
            #expect(criteria.count == OfferCriterion.allCases.count + PortfolioCriterion.allCases.count + Gap.Kind.allCases.count)
            #expect(try await app.auditCount(action: "report.procurement") == 1)

            // The same gaps as CSV: a header of dimensions and measures, a suppressed count empty.
            let csv = try await app.send(.GET, "/api/v1/reports/procurement?format=csv", token: policy)
            #expect(csv.status == .ok && csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.body.string.components(separatedBy: "\r\n")
            #expect(lines.first == "language,theme,form,audience,kind,families")
            #expect(lines.contains("bg,any,any,any,any,6") && lines.contains("am,any,group,fathers,any,"))
        }
    }

    @Test("the regional view: Rijnstad and Beekdal side by side; a region total that would give away Beekdal's small count is hidden",
          arguments: TestDatabase.available)
    func region(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            try await Self.families(app, token: try await app.token("klantmanager"), count: 6, language: "bg", gender: "female", theme: "school-system")
            try await Self.families(app, token: try await app.token("klantmanager-beekdal"), count: 3, language: "bg", gender: "female",
                                    theme: "school-system")
            let policy = try await app.token("beleid")
            let own = try await app.send(.GET, "/api/v1/reports/procurement", token: policy).json
            let response = try await app.send(.GET, "/api/v1/reports/procurement?scope=region", token: policy)
            #expect(response.status == .ok, "\(response.body.string.prefix(500))")
            let json = response.json
            #expect(json["scope"] as? String == "region" && json["municipality"] as? String == "RG99")
            let parts = json["municipalities"] as? [[String: Any]] ?? []
            #expect(parts.map { $0["municipality"] as? String } == ["GM9901", "GM9902"])
            #expect(parts.map { $0["name"] as? String } == ["Rijnstad", "Beekdal"])
            // Rijnstad's 6 is shown as on its own page; Beekdal's 3 is hidden, and so the region's 9.
            let rijnstad = Self.cell(parts[0], Self.bulgarian)?["families"] as? Int
            #expect(rijnstad == 6 && Self.cell(own, Self.bulgarian)?["families"] as? Int == 6)
            #expect(Self.cell(parts[1], Self.bulgarian)?["families"] is NSNull)
            #expect(Self.cell(json, Self.bulgarian)?["families"] is NSNull)
            // Every region figure either hidden or the sum of its municipalities' shown figures.
            for cell in json["cells"] as? [[String: Any]] ?? [] {
                guard let total = cell["families"] as? Int else { continue }
                let keys = Dictionary(uniqueKeysWithValues: GapTable.dimensions.map { ($0, cell[$0] as? String ?? "") })
                let values = parts.map { Self.cell($0, keys)?["families"] }
                let shown = values.compactMap { $0 as? Int }
                #expect(shown.count == values.count && shown.reduce(0, +) == total, "\(keys)")
            }
            #expect(try await app.auditCount(action: "report.procurement") == 2)
        }
    }

    @Test("who may: the policy officer and the admin; others 403; a bad scope names its parameter")
    func access() async throws {
        try await withWegwijs(.sqlite) { app in
            for user in ["klantmanager", "sleutelpersoon", "partner-jgz", "trainer", "klantmanager-beekdal"] {
                let response = try await app.send(.GET, "/api/v1/reports/procurement", token: try await app.token(user))
                #expect(response.status == .forbidden, "\(user)")
            }
            #expect(try await app.send(.GET, "/api/v1/reports/procurement", token: try await app.token("admin")).status == .ok)
            let bad = try await app.send(.GET, "/api/v1/reports/procurement?scope=country", token: try await app.token("beleid"))
            #expect(bad.status == .unprocessableEntity && bad.errorFields["scope"] != nil)
            #expect(try await app.send(.GET, "/api/v1/reports/procurement").status == .unauthorized)
            // Refused requests leave no entry.
            #expect(try await app.auditCount(action: "report.procurement") == 1)
        }
    }

    @Test("the pages in Dutch and English: gaps in words, <5, the portfolio, funding, offers; the region; printable")
    func pages() async throws {
        try await withWegwijs(.sqlite) { app in
            let lead = try await app.token("klantmanager")
            try await Self.families(app, token: lead, count: 6, language: "bg", gender: "female", theme: "school-system")
            try await Self.families(app, token: lead, count: 2, language: "am", gender: "male", theme: "puberty")
            let client = WebClient(app)
            _ = try await client.signIn("beleid")
            let page = try await client.get("/procurement")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Inkoopchecklist · Rijnstad"))
            #expect(html.contains("niets in het Bulgaars"))
            #expect(html.contains("geen vadergroep in het Amhaars"))
            #expect(html.contains("&lt;5"))
            #expect(html.contains("Breder dan het inburgeringsbudget"))
            #expect(html.contains("Welkomstmap Opgroeien in Rijnstad"))
            #expect(html.contains(#"href="/css/procurement.css""#))
            #expect(html.contains(#"href="/procurement""#))   // the menu
            let region = try await client.get("/procurement/region")
            #expect(region.status == .ok)
            #expect(region.body.string.contains("Regio Rijnstreek") && region.body.string.contains("Beekdal"))
            _ = try await client.post("/language", [("locale", "en")])
            let english = try await client.get("/procurement").body.string
            #expect(english.contains("Procurement checklist · Rijnstad"))
            #expect(english.contains("nothing in Bulgarian"))
            #expect(english.contains("no fathers&#39; group in Amharic") || english.contains("no fathers' group in Amharic"))

            let other = WebClient(app)
            _ = try await other.signIn("klantmanager")
            #expect(try await other.get("/procurement").status == .forbidden)
            #expect(!(try await other.get("/worklist").body.string.contains(#"href="/procurement""#)))
        }
    }
}
