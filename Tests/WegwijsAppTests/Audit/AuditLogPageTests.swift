import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
import WegwijsCore

/// The admin's audit log at `/admin/audit` (issue 16, item 5): readable action names, family/user/period filters,
/// keyset paging, the CSV export, one audit entry per view, and only the admin's own municipality.
@Suite("Audit log page")
struct AuditLogPageTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every audit action code: the `action: "…"` literals in Sources, the codes built at run time (the reports'
    /// `report.<name>`, `wegwijs user password|deactivate`, the admin's (de)activation) and the browser suite's list.
    static func actionCodes() throws -> Set<String> {
        var codes: Set<String> = []
        let sources = repository.appendingPathComponent("Sources")
        let literal = try NSRegularExpression(pattern: #"action: "([a-z][a-z0-9.-]*\.[a-z0-9.-]+)""#)
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in literal.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                codes.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(codes.count > 50, "the scan found only \(codes.count) codes")
        codes.formUnion(ReportName.allCases.map(\.auditAction))
        codes.formUnion(["user.password", "user.deactivate", "user.activate"])
        let conftest = try String(contentsOf: repository.appendingPathComponent("e2e/conftest.py"), encoding: .utf8)
        if let start = conftest.range(of: "AUDIT_ACTIONS = ("), let end = conftest[start.upperBound...].range(of: "\n)") {
            let list = String(conftest[start.upperBound..<end.lowerBound])
            let quoted = try NSRegularExpression(pattern: #""([a-z][a-z0-9.-]*)""#)
            for match in quoted.matches(in: list, range: NSRange(list.startIndex..., in: list)) {
                codes.insert(String(list[Range(match.range(at: 1), in: list)!]))
            }
        } else {
            Issue.record("e2e/conftest.py has no AUDIT_ACTIONS")
        }
        return codes
    }

    @Test("every audit action code has a readable label in Dutch and English")
    func everyActionHasALabel() throws {
        let codes = try Self.actionCodes()
        #expect(codes.contains("audit.export") && codes.contains("family.read") && codes.contains("report.reach"))
        for lang in ["nl", "en"] {
            let url = Self.repository.appendingPathComponent("Resources/Locales/\(lang).json")
            let texts = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
            let missing = codes.filter { (texts["auditAction.\($0)"] ?? "").isEmpty }.sorted()
            #expect(missing.isEmpty, "\(lang).json lacks auditAction.\(missing.joined(separator: ", auditAction."))")
        }
    }

    /// An admin's web client, and a subject in Rijnstad that writes entries without sign-ins.
    static func subject(_ app: Application, _ name: String, municipality: String = "GM9901") async throws -> AuditSubject {
        let municipalityID = try await Municipality.query(on: app.db).filter(\.$code == municipality).first()!.id!
        var subject = AuditSubject(anonymous: name)
        subject.role = "caseManager"
        subject.municipalityID = municipalityID
        return subject
    }

    static func seqs(_ page: TestingHTTPResponse) -> [Int] {
        let html = page.body.string
        let regex = try! NSRegularExpression(pattern: #"<td class="numeric" data-label="[^"]*">(\d+)</td>"#)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html))
            .map { Int(html[Range($0.range(at: 1), in: html)!])! }
    }

    static func link(_ page: TestingHTTPResponse, _ rel: String) -> String? {
        let html = page.body.string
        let regex = try! NSRegularExpression(pattern: #"<a href="([^"]*)" rel="\#(rel)">"#)
        guard let match = regex.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)) else { return nil }
        return String(html[Range(match.range(at: 1), in: html)!]).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("the page shows the readable action with its code beside it, and the code when it has no label",
          arguments: TestDatabase.available)
    func labels(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily()
            let caseManager = WebClient(app)
            _ = try await caseManager.signIn("klantmanager")
            _ = try await caseManager.get("/families/\(family.id!)")
            try await app.audit.record([AuditEvent(action: "made.up-code", purpose: AuditPurpose.security)],
                                       by: try await Self.subject(app, "labeltest"), on: app.db)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let page = try await admin.get("/admin/audit?user=klantmanager")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"Gezin bekeken <code class="small">family.read</code>"#))
            #expect(page.body.string.contains(#"Aangemeld <code class="small">auth.login</code>"#))
            let unknown = try await admin.get("/admin/audit?user=labeltest")
            #expect(unknown.body.string.contains("<code>made.up-code</code>"))
        }
    }

    @Test("a period filters by Dutch days, both inclusive, and alone shows the whole municipality's log",
          arguments: TestDatabase.available)
    func period(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily()
            let caseManager = WebClient(app)
            _ = try await caseManager.signIn("klantmanager")
            _ = try await caseManager.get("/families/\(family.id!)")
            let read = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "family.read").first())
            // Entries carry the machine's real moment; the test reads the day from the entry, never the machine.
            let day = CalendarDate.inNetherlands(read.at)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let sameDay = try await admin.get("/admin/audit?user=klantmanager&from=\(day.iso)&to=\(day.iso)")
            #expect(sameDay.status == .ok)
            #expect(Self.seqs(sameDay).contains(read.id!))
            let before = try await admin.get("/admin/audit?user=klantmanager&to=\(day.adding(days: -1).iso)")
            #expect(before.status == .ok)
            #expect(Self.seqs(before).isEmpty)
            let after = try await admin.get("/admin/audit?user=klantmanager&from=\(day.adding(days: 1).iso)")
            #expect(Self.seqs(after).isEmpty)
            // A period alone: everyone's entries of the municipality in it.
            let alone = try await admin.get("/admin/audit?from=\(day.iso)&to=\(day.iso)")
            #expect(alone.status == .ok)
            #expect(Self.seqs(alone).contains(read.id!))
            #expect(alone.body.string.contains("klantmanager"))
            #expect(alone.body.string.contains(#"name="from" type="date" value="\#(day.iso)""#))
        }
    }

    @Test("a day runs from midnight to midnight in Amsterdam, summer time included")
    func dayBounds() {
        #expect(AuditWebController.startOfDay(CalendarDate(year: 2026, month: 11, day: 18)!) == 1_794_956_400_000)
        #expect(AuditWebController.startOfDay(CalendarDate(year: 2026, month: 3, day: 29)!) == 1_774_738_800_000)
        // 29 March 2026 has 23 hours (summer time starts).
        #expect(AuditWebController.startOfDay(CalendarDate(year: 2026, month: 3, day: 30)!) == 1_774_821_600_000)
    }

    @Test("impossible dates answer 422 with the message at the field, and nothing is searched",
          arguments: TestDatabase.available)
    func badDates(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let searches = try await app.auditCount(action: "audit.search")
            let impossible = try await admin.get("/admin/audit?user=klantmanager&from=2026-02-30")
            #expect(impossible.status == .unprocessableEntity)
            #expect(impossible.body.string.contains(#"<p class="field-error" id="from-error">Vul een datum in"#))
            #expect(impossible.body.string.contains(##"href="#from""##))
            #expect(Self.seqs(impossible).isEmpty)
            let text = try await admin.get("/admin/audit?to=x")
            #expect(text.status == .unprocessableEntity)
            #expect(text.body.string.contains(#"id="to-error">Vul een datum in"#))
            let reversed = try await admin.get("/admin/audit?from=2026-11-18&to=2026-11-17")
            #expect(reversed.status == .unprocessableEntity)
            #expect(reversed.body.string.contains(#"id="to-error">De einddatum ligt voor de begindatum"#))
            #expect(!reversed.body.string.contains(#"id="from-error""#))
            let export = try await admin.get("/admin/audit/export.csv?from=2026-13-01")
            #expect(export.status == .unprocessableEntity)
            #expect(export.body.string.contains(#"id="from-error""#))
            #expect(try await app.auditCount(action: "audit.search") == searches)
            #expect(try await app.auditCount(action: "audit.export") == 0)
            #expect(try await admin.get("/admin/audit?user=klantmanager&before=abc").status == .badRequest)
        }
    }

    @Test("pages of 100, newest first: older and newer links carry the filters, pages never overlap",
          arguments: TestDatabase.available)
    func paging(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let subject = try await Self.subject(app, "pager")
            try await app.audit.record((1...250).map { AuditEvent(action: "family.read", detail: "n=\($0)") }, by: subject, on: app.db)
            let written = try await AuditEntry.query(on: app.db).filter(\.$username == "pager").sort(\.$id, .descending).all().map { $0.id! }
            #expect(written.count == 250)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let first = try await admin.get("/admin/audit?user=pager")
            #expect(Self.seqs(first) == Array(written[0..<100]))
            #expect(Self.link(first, "prev") == nil)
            let olderURL = try #require(Self.link(first, "next"))
            #expect(olderURL == "/admin/audit?user=pager&before=\(written[99])")
            #expect(first.body.string.contains("Oudere regels"))
            let second = try await admin.get(olderURL)
            #expect(Self.seqs(second) == Array(written[100..<200]))
            #expect(second.body.string.contains("Nieuwere regels"))
            let third = try await admin.get(try #require(Self.link(second, "next")))
            #expect(Self.seqs(third) == Array(written[200..<250]))
            #expect(Self.link(third, "next") == nil)
            // Back: the newer page of the second is the first again.
            let newerURL = try #require(Self.link(second, "prev"))
            #expect(newerURL == "/admin/audit?user=pager&after=\(written[100])")
            let back = try await admin.get(newerURL)
            #expect(Self.seqs(back) == Array(written[0..<100]))
            #expect(Self.link(back, "prev") == nil)
            #expect(Self.link(back, "next") == olderURL)
            // Filters travel with the cursor: a period alone pages too.
            let day = CalendarDate.inNetherlands(try await AuditEntry.find(written[0], on: app.db)!.at).iso
            let byPeriod = try await admin.get("/admin/audit?user=pager&from=\(day)&to=\(day)")
            #expect(Self.link(byPeriod, "next") == "/admin/audit?user=pager&from=\(day)&to=\(day)&before=\(written[99])")
        }
    }

    @Test("one page view writes exactly one audit entry; the page without a filter none", arguments: TestDatabase.available)
    func oneEntryPerView(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let before = try await AuditEntry.query(on: app.db).count()
            _ = try await admin.get("/admin/audit")
            #expect(try await AuditEntry.query(on: app.db).count() == before)
            _ = try await admin.get("/admin/audit?user=klantmanager&from=2026-01-01&to=2026-12-31")
            let entries = try await AuditEntry.query(on: app.db).filter(\.$id > before).all()
            #expect(entries.map(\.action) == ["audit.search"])
            #expect(entries.first?.username == "admin")
            #expect(entries.first?.purpose == AuditPurpose.auditOversight)
            #expect(entries.first?.detail == "by=user,from,to from=2026-01-01 to=2026-12-31")
            _ = try await admin.get("/admin/audit/export.csv?user=klantmanager")
            let exported = try await AuditEntry.query(on: app.db).filter(\.$id > before + 1).all()
            #expect(exported.map(\.action) == ["audit.export"])
            #expect(exported.first?.detail.hasPrefix("by=user rows=") == true)
        }
    }

    @Test("the CSV export: headers, columns, ISO times with offset, escaping and no formulas", arguments: TestDatabase.available)
    func csv(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let subject = try await Self.subject(app, "csvtest")
            try await app.audit.record([
                AuditEvent(action: "family.read", familyReference: "W-TEST-0001", detail: #"=HYPERLINK("http://x"),"y""#),
                AuditEvent(action: "family.update", detail: "line one\nline two; @sum"),
                AuditEvent(action: "need.create", detail: "-2+3"),
            ], by: subject, on: app.db)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let response = try await admin.get("/admin/audit/export.csv?user=csvtest")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let disposition = try #require(response.headers.first(name: .contentDisposition))
            #expect(disposition.hasPrefix("attachment; filename=\"audit-") && disposition.hasSuffix(".csv\""))
            #expect(response.headers.first(name: "Wegwijs-Export-Truncated") == "false")
            let text = response.body.string
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines[0] == "seq,at,username,role,action,action_label,family_reference,purpose,detail")
            #expect(text.hasSuffix("\r\n"))
            // Newest first.
            #expect(lines[1].contains(",need.create,Hulpvraag vastgelegd,,case-management,'-2+3"))
            #expect(lines[2].contains(",family.update,Gezin gewijzigd,,case-management,\"line one\nline two; @sum\""))
            #expect(text.contains(#",family.read,Gezin bekeken,W-TEST-0001,case-management,"'=HYPERLINK(""http://x""),""y"""#))
            let at = lines[1].split(separator: ",")[1]
            #expect(try String(at).wholeMatch(of: Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"#)) != nil, "\(at)")
            #expect(lines[1].split(separator: ",")[2] == "csvtest")
            #expect(lines[1].split(separator: ",")[3] == "caseManager")
            // The page links to the export with the same filters.
            let page = try await admin.get("/admin/audit?user=csvtest&from=2026-01-01")
            #expect(page.body.string.contains(#"href="/admin/audit/export.csv?user=csvtest&amp;from=2026-01-01""#))
        }
    }

    @Test("the export holds at most the newest 10,000 entries and says when there were more")
    func exportCap() async throws {
        try await withWegwijs(.sqlite) { app in
            let subject = try await Self.subject(app, "bulk")
            let limit = AuditWebController.exportLimit
            try await app.audit.record((0...limit).map { AuditEvent(action: "family.read", detail: "n=\($0)") }, by: subject, on: app.db)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let response = try await admin.get("/admin/audit/export.csv?user=bulk")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Wegwijs-Export-Truncated") == "true")
            let lines = response.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == limit + 1)
            #expect(lines[1].hasSuffix(",n=\(limit)"))
            #expect(lines.last?.hasSuffix(",n=1") == true)
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "audit.export").first())
            #expect(entry.detail == "by=user rows=\(limit) truncated=\(limit)")
            #expect((try await admin.get("/admin/audit?user=bulk")).body.string.contains("10.000"))
        }
    }

    @Test("cells are escaped and formulas neutralised")
    func csvField() {
        #expect(AuditCSV.field("plain") == "plain")
        #expect(AuditCSV.field("=1+1") == "'=1+1")
        #expect(AuditCSV.field("+31 6") == "'+31 6")
        #expect(AuditCSV.field("-x") == "'-x")
        #expect(AuditCSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(AuditCSV.field("a,b") == "\"a,b\"")
        #expect(AuditCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditCSV.field("=a,\"b\"") == "\"'=a,\"\"b\"\"\"")
        let moment = Date(timeIntervalSince1970: 1_794_999_600.25)
        #expect(AuditCSV.timestampFormatter().string(from: moment) == "2026-11-18T12:00:00.250+01:00")
        #expect(AuditCSV.timestampFormatter().string(from: Date(timeIntervalSince1970: 1_784_368_800))
                == "2026-07-18T12:00:00.000+02:00")
    }

    @Test("the Rijnstad admin never sees Beekdal's entries: not by user, not by period, not in the export",
          arguments: TestDatabase.available)
    func isolation(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let neighbour = WebClient(app)
            _ = try await neighbour.signIn("klantmanager-beekdal")
            let family = try await app.demoFamily(municipality: "GM9902")
            _ = try await neighbour.get("/families/\(family.id!)")
            let theirs = try await AuditEntry.query(on: app.db).filter(\.$username == "klantmanager-beekdal").all()
            #expect(theirs.contains { $0.action == "family.read" })
            let day = CalendarDate.inNetherlands(theirs[0].at)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let byUser = try await admin.get("/admin/audit?user=klantmanager-beekdal")
            #expect(byUser.status == .ok)
            #expect(Self.seqs(byUser).isEmpty)
            let byPeriod = try await admin.get("/admin/audit?from=\(day.iso)&to=\(day.iso)")
            #expect(!Self.seqs(byPeriod).isEmpty)
            #expect(Set(Self.seqs(byPeriod)).isDisjoint(with: theirs.map { $0.id! }))
            #expect(!byPeriod.body.string.contains("klantmanager-beekdal"))
            let export = try await admin.get("/admin/audit/export.csv?from=\(day.iso)&to=\(day.iso)")
            #expect(export.status == .ok)
            #expect(!export.body.string.contains("klantmanager-beekdal"))
            #expect(!export.body.string.contains(family.reference))
            #expect(export.body.string.contains(",admin,admin,auth.login,"))
            // Not by the family's reference either (not even the demo's system entry that registered it).
            let byFamily = try await admin.get("/admin/audit?family=\(family.reference)")
            #expect(byFamily.status == .ok)
            #expect(Self.seqs(byFamily).isEmpty)
        }
    }

    /// The page's queries read an index, never the whole trail (SQLite's plan; PostgreSQL has the same indexes).
    @Test("the search reads indexes")
    func indexes() async throws {
        try await withWegwijs(.sqlite, seed: false) { app in
            let sql = app.db as! any SQLDatabase
            func plan(_ query: String) async throws -> String {
                try await sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + query)).all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
            }
            let scope = "(municipality_id = 'X' OR (municipality_id IS NULL AND family_reference IS NULL))"
            let period = try await plan("SELECT MIN(seq) AS low, MAX(seq) AS high FROM audit_entries WHERE at_ms >= 1 AND at_ms < 2")
            #expect(period.contains("audit_entries_at"), "\(period)")
            let byFamily = try await plan("SELECT * FROM audit_entries WHERE \(scope) AND family_reference = 'W' AND seq < 50 ORDER BY seq DESC LIMIT 101")
            #expect(byFamily.contains("audit_entries_family") && !byFamily.contains("TEMP B-TREE"), "\(byFamily)")
            let byUser = try await plan("SELECT * FROM audit_entries WHERE \(scope) AND username = 'u' AND seq > 50 ORDER BY seq ASC LIMIT 101")
            #expect(byUser.contains("audit_entries_user") && !byUser.contains("TEMP B-TREE"), "\(byUser)")
            let byPeriod = try await plan("SELECT * FROM audit_entries WHERE \(scope) AND at_ms >= 1 AND at_ms < 2 AND seq >= 10 AND seq <= 90 AND seq < 50 ORDER BY seq DESC LIMIT 101")
            #expect(byPeriod.contains("USING INTEGER PRIMARY KEY") || byPeriod.contains("USING INDEX audit_entries_at"), "\(byPeriod)")
        }
    }
}
