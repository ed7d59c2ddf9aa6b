import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The municipality's reports through the API and the dashboard (docs/reports.md): the one shape, CSV, the period,
/// the errors, the policy, the audit, the regional view, the same numbers on the page, and suppression that holds.
@Suite("Reports")
struct ReportAPITests {
    /// A family from the Democratic Republic of Congo speaking Lingala (an origin and language the demo has not),
    /// settled on `settled`.
    static func familyJSON(_ index: Int, settled: CalendarDate) -> String {
        #"""
        {"name":"Mbala\#(index)","situations":["status-holder"],
         "members":[{"role":"parent","givenName":"Ngalula","familyName":"Mbala\#(index)","gender":"female","birthYear":1990,
                     "countryOfOrigin":"CD","languagesSpoken":["ln","fr"],"languagesRead":["fr"],"dutchLevel":"A1",
                     "settlementDate":"\#(settled.iso)"},
                    {"role":"child","givenName":"Kabeya","birthYear":2019}]}
        """#
    }

    /// Registers `count` Congolese families; the first `screened` get the parenting screening at intake, the first
    /// `welcomed` their welcome package today. Answers their ids.
    static func congolese(_ app: Application, count: Int, screened: Int, welcomed: Int, settled: (Int) -> CalendarDate) async throws -> [String] {
        let lead = try await app.token("klantmanager")
        var ids: [String] = []
        for index in 0..<count {
            let created = try await app.send(.POST, "/api/v1/families", token: lead, json: familyJSON(index, settled: settled(index)))
            #expect(created.status == .created, "\(created.body.string)")
            let id = try #require(created.json["id"] as? String)
            ids.append(id)
            if index < screened {
                let screening = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead,
                                                   json: IntakeAPITests.screening(app.clock.today.adding(days: -3), occasion: "intake",
                                                                                  themes: #"{"school-system":2}"#, confidence: 2,
                                                                                  stressors: #"["housing"]"#))
                #expect(screening.status == .created, "\(screening.body.string)")
            }
            if index < welcomed {
                let given = try await app.send(.POST, "/api/v1/families/\(id)/plan/information", token: lead,
                                               json: #"{"pages":["who-helps"],"language":"en","how":"printed"}"#)
                #expect(given.status == .ok, "\(given.body.string)")
            }
        }
        return ids
    }

    static func cells(_ response: TestingHTTPResponse) -> [[String: Any]] { response.json["cells"] as? [[String: Any]] ?? [] }
    static func margins(_ response: TestingHTTPResponse) -> [[String: Any]] { response.json["margins"] as? [[String: Any]] ?? [] }

    /// The measures of a report table that count people (the rest — offers, places, series, days — are not
    /// suppressed as counts).
    static func countMeasures(_ report: ReportName, _ table: Int) -> Set<String> {
        Set(report.specs[table].measures.filter(\.isCount).map(\.name))
    }

    @Test("every report and table answers the one shape, as JSON and as CSV, with no count from 1 to 4",
          arguments: TestDatabase.available)
    func shape(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let policy = try await app.token("beleid")
            for report in ReportName.allCases {
                for (index, table) in report.tableNames.enumerated() {
                    let path = "/api/v1/reports/\(report.rawValue)?by=\(table)"
                    let response = try await app.send(.GET, path, token: policy)
                    #expect(response.status == .ok, "\(path): \(response.body.string.prefix(300))")
                    let json = response.json
                    #expect(Set(json.keys) == ["report", "municipality", "period", "dimensions", "measures", "cells", "margins"], "\(path)")
                    #expect(json["report"] as? String == report.rawValue)
                    #expect(json["municipality"] as? String == "GM9901")
                    #expect(json["period"] as? [String: String] == ["from": "2026-01-01", "to": "2026-12-31"])
                    let dimensions = try #require(json["dimensions"] as? [String])
                    let measures = try #require(json["measures"] as? [String])
                    #expect(dimensions.joined(separator: ",") == table)
                    let counts = Self.countMeasures(report, index)
                    for cell in Self.cells(response) + Self.margins(response) {
                        for measure in measures {
                            #expect(cell.keys.contains(measure), "\(path): \(measure) missing in \(cell)")
                            if counts.contains(measure), let value = cell[measure] as? Int {
                                #expect(!SmallCountSuppression.isSmall(value), "\(path): \(measure) = \(value) shown")
                            }
                        }
                    }
                    for cell in Self.cells(response) { #expect(dimensions.allSatisfy { cell[$0] is String }, "\(path): \(cell)") }
                    // The CSV: the header, one line per cell and margin.
                    let csv = try await app.send(.GET, path + "&format=csv", token: policy)
                    #expect(csv.status == .ok)
                    #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
                    let lines = csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                    #expect(lines.first == (dimensions + measures).joined(separator: ","))
                    #expect(lines.count == 1 + Self.cells(response).count + Self.margins(response).count)
                }
            }
            // Accept: text/csv works as well as format=csv.
            let accepted = try await app.send(.GET, "/api/v1/reports/reach", token: policy, headers: [("Accept", "text/csv")])
            #expect(accepted.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
        }
    }

    @Test("reach and timings count what the families' records say; the margins add up", arguments: TestDatabase.available)
    func figures(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let today = app.clock.today
            // 30 families settled in 2026 (10, 11, … 39 days ago), 15 screened at intake, 20 welcomed today.
            _ = try await Self.congolese(app, count: 30, screened: 15, welcomed: 20, settled: { today.adding(days: -10 - $0) })
            let policy = try await app.token("beleid")
            let reach = try await app.send(.GET, "/api/v1/reports/reach", token: policy)
            let cell = try #require(Self.cells(reach).first { $0["origin"] as? String == "CD" })
            #expect(cell["language"] as? String == "ln")
            #expect(cell["families"] as? Int == 30 && cell["withParentingModule"] as? Int == 15)
            let margin = try #require(Self.margins(reach).first { $0["origin"] as? String == "CD" })
            #expect(margin["families"] as? Int == 30)
            #expect(margin.keys.sorted() == ["families", "origin", "withParentingModule"])
            // Where everything is shown, cells add up to the margins and margins to the total.
            let total = try #require(Self.margins(reach).last)
            #expect(total["origin"] == nil)
            let originMargins = Self.margins(reach).filter { $0["origin"] != nil }
            if let all = total["families"] as? Int, originMargins.allSatisfy({ $0["families"] is Int }) {
                #expect(originMargins.reduce(0) { $0 + ($1["families"] as! Int) } == all)
            }
            // By phase: every family known, the same total.
            let phase = try await app.send(.GET, "/api/v1/reports/reach?by=phase", token: policy)
            #expect(Self.margins(phase).last?["families"] as? Int == total["families"] as? Int
                    || (Self.margins(phase).last?["families"] is NSNull && total["families"] is NSNull))

            // Timings: 20 of 30 welcomed, 10 to 29 days after settlement.
            let timings = try await app.send(.GET, "/api/v1/reports/timings", token: policy)
            let congo = try #require(Self.cells(timings).first { $0["origin"] as? String == "CD" })
            #expect(congo["families"] as? Int == 30 && congo["welcomeReached"] as? Int == 20)
            #expect(congo["welcomeMedianDays"] as? Int == 19 && congo["welcomeP90Days"] as? Int == 27)
            // Nobody had a JGZ contact: no median over no one.
            #expect(congo["jgzMedianDays"] is NSNull)

            // A period before they came: they are not in it.
            let earlier = try await app.send(.GET, "/api/v1/reports/timings?from=2025-01-01&to=2025-12-31", token: policy)
            #expect(earlier.json["period"] as? [String: String] == ["from": "2025-01-01", "to": "2025-12-31"])
            #expect(!Self.cells(earlier).contains { $0["origin"] as? String == "CD" })

            // Demand and supply, equity: their school-system questions in Lingala, no offer in Lingala.
            let demand = try await app.send(.GET, "/api/v1/reports/demand-supply", token: policy)
            let gap = try #require(Self.cells(demand).first { $0["language"] as? String == "ln" && $0["theme"] as? String == "school-system" })
            #expect(gap["families"] as? Int == 15 && gap["offers"] as? Int == 0)
            let equity = try await app.send(.GET, "/api/v1/reports/equity?by=language,theme", token: policy)
            let lingala = try #require(Self.cells(equity).first { $0["language"] as? String == "ln" && $0["theme"] as? String == "school-system" })
            #expect(lingala["questions"] as? Int == 15)
        }
    }

    @Test("no small count can be worked out from the margins: a lone hidden cell under a shown margin is never small",
          arguments: TestDatabase.available)
    func noSubtraction(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            _ = try await Self.congolese(app, count: 7, screened: 5, welcomed: 0, settled: { app.clock.today.adding(days: -20 - $0) })
            let policy = try await app.token("beleid")
            for report in ReportName.allCases {
                for (index, table) in report.tableNames.enumerated() where report.specs[index].margins == .firstDimensionAndTotal {
                    let response = try await app.send(.GET, "/api/v1/reports/\(report.rawValue)?by=\(table)", token: policy)
                    let dimensions = response.json["dimensions"] as? [String] ?? []
                    for measure in Self.countMeasures(report, index) {
                        // Per margin (and the total over the margins): exactly one hidden part under a shown whole.
                        var groups: [(whole: Any?, parts: [Any?])] = []
                        let firstMargins = Self.margins(response).filter { $0[dimensions[0]] != nil }
                        if dimensions.count > 1 {
                            for margin in firstMargins {
                                let value = margin[dimensions[0]] as? String
                                groups.append((margin[measure], Self.cells(response).filter { $0[dimensions[0]] as? String == value }.map { $0[measure] }))
                            }
                        }
                        let parts = dimensions.count > 1 ? firstMargins.map { $0[measure] } : Self.cells(response).map { $0[measure] }
                        groups.append((Self.margins(response).last?[measure], parts))
                        // One hidden part under a shown whole is worked out by subtraction: it must not be small
                        // (it is then a complement, hidden only so a small count elsewhere cannot be).
                        for group in groups {
                            guard let whole = group.whole as? Int, group.parts.filter({ $0 is NSNull }).count == 1 else { continue }
                            let rest = whole - group.parts.compactMap { $0 as? Int }.reduce(0, +)
                            #expect(!SmallCountSuppression.isSmall(rest), "\(report.rawValue) \(table) \(measure): a small count by subtraction")
                        }
                    }
                }
            }
        }
    }

    @Test("bad periods, tables and formats are 422 with the field named; an unknown report is 404; JSON errors")
    func errors() async throws {
        try await withWegwijs(.sqlite) { app in
            let policy = try await app.token("beleid")
            for (query, field) in [("from=2026-13-01", "from"), ("to=18-11-2026", "to"), ("from=2026-06-01&to=2026-05-31", "to"),
                                   ("by=nonsense", "by"), ("format=xml", "format"), ("scope=world", "scope")] {
                let response = try await app.send(.GET, "/api/v1/reports/reach?\(query)", token: policy)
                #expect(response.status == .unprocessableEntity, "\(query)")
                #expect(response.errorCode == "invalid-input" && response.errorFields[field] != nil, "\(query): \(response.body.string)")
            }
            let reversed = try await app.send(.GET, "/api/v1/reports/reach?from=2026-06-01&to=2026-05-31", token: policy)
            #expect(reversed.errorFields["to"] == app.locales.text("error.period-reversed", .en))
            let unknown = try await app.send(.GET, "/api/v1/reports/nonsense", token: policy)
            #expect(unknown.status == .notFound && unknown.errorCode != nil)
        }
    }

    @Test("who may: case managers, policy officers and admins; the region only for policy officers and admins; one audit entry, no family")
    func policy() async throws {
        try await withWegwijs(.sqlite) { app in
            let policy = try await app.token("beleid")
            for account in ["sleutelpersoon", "begeleider", "partner-jgz", "trainer"] {
                #expect(try await app.send(.GET, "/api/v1/reports/reach", token: try await app.token(account)).status == .forbidden)
            }
            #expect(try await app.send(.GET, "/api/v1/reports/reach").status == .unauthorized)
            let lead = try await app.token("klantmanager")
            #expect(try await app.send(.GET, "/api/v1/reports/reach", token: lead).status == .ok)
            #expect(try await app.send(.GET, "/api/v1/reports/reach?scope=region", token: lead).status == .forbidden)
            let beekdal = try await app.send(.GET, "/api/v1/reports/reach", token: try await app.token("klantmanager-beekdal"))
            #expect(beekdal.json["municipality"] as? String == "GM9902")

            // The regional view names the region; Rijnstad and Beekdal together.
            let before = try await app.auditCount(action: "report.reach")
            let region = try await app.send(.GET, "/api/v1/reports/reach?scope=region", token: policy)
            #expect(region.status == .ok)
            #expect(region.json["municipality"] as? String == "RG99")
            #expect(try await app.send(.GET, "/api/v1/reports/reach?region=true", token: policy).json["municipality"] as? String == "RG99")
            #expect(try await app.auditCount(action: "report.reach") == before + 2)
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "report.reach").sort(\.$id, .descending).first())
            #expect(entry.familyID == nil && entry.familyReference == nil)
            #expect(entry.detail == "scope=region from=2026-01-01 to=2026-12-31 format=json")
            // Beekdal's 4 families are not in Rijnstad's report, but are in the region's: the totals differ.
            let own = try await app.send(.GET, "/api/v1/reports/reach?by=phase", token: policy)
            let both = try await app.send(.GET, "/api/v1/reports/reach?by=phase&scope=region", token: policy)
            if let a = Self.margins(own).last?["families"] as? Int, let b = Self.margins(both).last?["families"] as? Int {
                #expect(b > a)
            }
        }
    }

    @Test("provisions known and used (R48): per provision the families screened, by what they said, at the intake and later",
          arguments: TestDatabase.available)
    func provisions(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let ids = try await Self.congolese(app, count: 8, screened: 0, welcomed: 0, settled: { app.clock.today.adding(days: -30 - $0) })
            let lead = try await app.token("klantmanager")
            let today = app.clock.today
            for (index, id) in ids.enumerated() {
                // All eight know the GP and school; they use the GP; two of them use the library too.
                let used = index < 2 ? #"["gp","library"]"# : #"["gp"]"#
                let intake = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead, json: IntakeAPITests.screening(
                    today.adding(days: -20), occasion: "intake", themes: #"{"school-system":1}"#, confidence: 3, stressors: "[]",
                    extra: ScreeningProvisionsTests.provisions(#"["gp","school"]"#, used)))
                #expect(intake.status == .created, "\(intake.body.string.prefix(300))")
                // Later, six of them say they use the school now (its parents' room: not yet).
                if index < 6 {
                    let later = try await app.send(.POST, "/api/v1/families/\(id)/screenings", token: lead, json: IntakeAPITests.screening(
                        today.adding(days: -2), occasion: "guidance", themes: #"{"school-system":1}"#, confidence: 3, stressors: "[]",
                        extra: ScreeningProvisionsTests.provisions(#"["gp","school"]"#, #"["gp","school"]"#)))
                    #expect(later.status == .created, "\(later.body.string.prefix(300))")
                }
            }
            let policy = try await app.token("beleid")
            func figures(_ by: String) async throws -> [String: Any] {
                let response = try await app.send(.GET, "/api/v1/reports/provisions?by=\(by)", token: policy)
                #expect(response.status == .ok, "\(response.body.string.prefix(300))")
                let occasion = String(by.split(separator: ",")[1])
                var found: [String: Any] = [:]
                for cell in Self.cells(response) {
                    found["\(cell["provision"] as? String ?? "?") \(cell[occasion] as? String ?? "?")"] = cell["families"]
                }
                return found
            }
            let intake = try await figures("provision,intake")
            #expect(intake["gp uses"] as? Int == 8 && intake["gp knows"] as? Int == 0 && intake["gp unknown"] as? Int == 0)
            #expect(intake["school uses"] as? Int == 0 && intake["school knows"] as? Int == 8)
            // Two use the library, six do not know it: the two are hidden, and so the six (8 − 6 = 2).
            #expect(intake["library uses"] is NSNull && intake["library unknown"] is NSNull && intake["library knows"] as? Int == 0)
            #expect(intake["parents-room unknown"] as? Int == 8)
            let later = try await figures("provision,guidance")
            #expect(later["school uses"] as? Int == 6 && later["gp uses"] as? Int == 6 && later["library unknown"] as? Int == 6)
            // The page shows the same, in words.
            let web = WebClient(app)
            _ = try await web.signIn("beleid")
            let page = try await web.get("/reports/provisions")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(app.locales.text("reports.provisionAnswer.knows", .nl)))
            #expect(page.body.string.contains(app.locales.text("provision.parents-room", .nl)))
        }
    }

    @Test("a case manager opens the families behind a gap through the family list (access-checked, one audit entry); a policy officer cannot",
          arguments: TestDatabase.available)
    func drillDown(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            // Six Lingala-speaking families; the four screened have an open question about the school system.
            let ids = try await Self.congolese(app, count: 6, screened: 4, welcomed: 0, settled: { app.clock.today.adding(days: -10 - $0) })
            let asked = Set(ids.prefix(4).map { $0.lowercased() })
            let lead = try await app.token("klantmanager")
            let listed = try await app.send(.GET, "/api/v1/families?openNeed=school-system&parentLanguage=ln&per=100", token: lead)
            #expect(listed.status == .ok, "\(listed.body.string.prefix(300))")
            let shown = Set((listed.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String)?.lowercased() })
            #expect(shown == asked)
            // Their second language (French) is not their own language; another theme has no open question.
            let french = try await app.send(.GET, "/api/v1/families?openNeed=school-system&parentLanguage=fr", token: lead)
            #expect(french.status == .ok && (french.json["items"] as? [Any])?.isEmpty == true)
            let puberty = try await app.send(.GET, "/api/v1/families?openNeed=puberty&parentLanguage=ln", token: lead)
            #expect(puberty.status == .ok && (puberty.json["items"] as? [Any])?.isEmpty == true)
            let unknown = try await app.send(.GET, "/api/v1/families?openNeed=cooking", token: lead)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("openNeed"))

            // In the browser: the gap offers the drill-down to the case manager, who lands on the family list.
            let web = WebClient(app)
            _ = try await web.signIn("klantmanager")
            let report = try await web.get("/reports/demand-supply")
            #expect(report.status == .ok)
            #expect(report.body.string.contains(#"name="parentLanguage" value="ln""#))
            #expect(report.body.string.contains(#"<a href="/reports">"#))
            let search = try await web.post("/families/search", [("openNeed", "school-system"), ("parentLanguage", "ln")])
            #expect(search.status == .seeOther)
            let list = try await web.get("/families")
            #expect(list.status == .ok)
            let html = list.body.string.lowercased()
            for id in ids { #expect(html.contains("/families/\(id.lowercased())") == asked.contains(id.lowercased())) }
            #expect(list.body.string.contains(#"id="drill-down""#))
            // One list entry names exactly the families shown.
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "family.list").sort(\.$id, .descending).first())
            #expect(entry.detail.lowercased().hasPrefix("shown=4 families="))
            for id in asked { #expect(entry.detail.lowercased().contains(id)) }

            // The policy officer reads the same gap, without the drill-down, and cannot search families.
            let policy = WebClient(app)
            _ = try await policy.signIn("beleid")
            let aggregate = try await policy.get("/reports/demand-supply")
            #expect(aggregate.status == .ok && !aggregate.body.string.contains(#"name="parentLanguage""#))
            #expect(aggregate.body.string.contains(#"<a href="/reports">"#))
            #expect(try await policy.post("/families/search", [("openNeed", "school-system"), ("parentLanguage", "ln")]).status == .forbidden)
        }
    }

    @Test("the dashboard shows the API's numbers, with charts and their table; the CSV link is the API's CSV",
          arguments: TestDatabase.available)
    func dashboard(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            _ = try await Self.congolese(app, count: 12, screened: 6, welcomed: 6, settled: { app.clock.today.adding(days: -15 - $0) })
            let web = WebClient(app)
            #expect(try await web.signIn("beleid").status == .seeOther)
            let overview = try await web.get("/reports")
            #expect(overview.status == .ok)
            for report in ReportName.allCases { #expect(overview.body.string.contains("/reports/\(report.rawValue)?")) }
            let page = try await web.get("/reports/reach")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains(#"role="img""#) && html.contains("<title id=\"chart-reach-0-title\">") && html.contains("<desc id="))
            #expect(html.contains("Congo") && html.contains("<table class=\"table report-data\""))
            #expect(!html.contains("<script"))
            let api = try await app.send(.GET, "/api/v1/reports/reach?by=origin,language&format=csv", token: try await app.token("beleid"))
            let csv = try await web.get("/reports/reach?from=2026-01-01&to=2026-12-31&by=origin,language&format=csv")
            #expect(csv.status == .ok && csv.body.string == api.body.string)
            let json = try await web.get("/reports/reach?by=phase&format=json")
            #expect(json.headers.contentType == .json && json.body.string.hasPrefix(#"{"report":"reach""#))
            for report in ReportName.allCases {
                let response = try await web.get("/reports/\(report.rawValue)?from=2025-06-01&to=2026-12-31&scope=region")
                #expect(response.status == .ok, "\(report.rawValue): \(response.status)")
            }
            let gaps = try await web.get("/reports/demand-supply")
            #expect(gaps.body.string.contains("id=\"gap-list\""))
            // English too.
            let english = WebClient(app)
            _ = try await english.signIn("beleid")
            _ = try await english.get("/reports")
            _ = try await english.post("/language", [("locale", "en")])
            #expect(try await english.get("/reports/timings").body.string.contains("Days after settlement, by origin"))
            // Partners see no reports.
            let partner = WebClient(app)
            _ = try await partner.signIn("partner-jgz")
            #expect(try await partner.get("/reports/reach").status == .forbidden)
        }
    }
}
