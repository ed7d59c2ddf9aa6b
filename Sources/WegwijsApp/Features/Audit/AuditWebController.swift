import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/admin/audit`: the admin searches the audit trail by family reference, user name and/or period (Dutch days), a
/// page of 100 entries at a time (newest first), and exports the same search as CSV. Every search and every export is
/// itself audited (`audit.search`, `audit.export`): one entry per page view or download. Only admins, and only their
/// own municipality's entries (and the anonymous security events); they see who accessed which family (by
/// reference), not the family's data.
struct AuditWebController: RouteCollection {
    static let pageSize = 100
    /// The most entries one CSV export holds (the newest of the search); the page says so.
    static let exportLimit = 10_000

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: index)
        routes.get("admin", "audit", "export.csv", use: export)
    }

    struct Row: Encodable {
        let seq: Int
        let at: String
        let username: String
        let role: String
        let action: String
        /// The readable name of the action (`auditAction.<code>`), or the code itself when it has none.
        let actionLabel: String
        let labelled: Bool
        let familyReference: String?
        let purpose: String
        let detail: String
    }

    struct Context: Encodable {
        let page: PageInfo
        let family: String
        let user: String
        let from: String
        let to: String
        let searched: Bool
        let rows: [Row]
        let olderURL: String?
        let newerURL: String?
        let exportURL: String
        let errors: [String: String]
        let errorSummary: [ErrorLink]
    }

    /// The query of a search, as typed (for the form) and checked.
    struct Search {
        var family = "", user = "", from = "", to = ""
        var filter = AuditFilter()
        var cursor = AuditCursor.newest
        var errors: [(field: String, message: String)] = []

        var searched: Bool { !filter.isEmpty }

        /// The filters as a query string (without the cursor), for the paging and export links.
        var query: String {
            [("family", family), ("user", user), ("from", from), ("to", to)].filter { !$0.1.isEmpty }
                .map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        }

        /// What the search was by, for the audit entry's detail (no personal data: field names, dates, a cursor).
        var detail: String {
            var parts = ["by=" + [family.isEmpty ? nil : "family", user.isEmpty ? nil : "user",
                                  from.isEmpty ? nil : "from", to.isEmpty ? nil : "to"].compactMap { $0 }.joined(separator: ",")]
            if !from.isEmpty { parts.append("from=\(from)") }
            if !to.isEmpty { parts.append("to=\(to)") }
            switch cursor {
            case .newest: break
            case .before(let seq): parts.append("before=\(seq)")
            case .after(let seq): parts.append("after=\(seq)")
            }
            return parts.joined(separator: " ")
        }

        static func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
    }

    static let netherlands: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar
    }()

    /// 00:00 in Amsterdam at the start of `date`, in milliseconds since 1970.
    static func startOfDay(_ date: CalendarDate) -> Int64 {
        let moment = netherlands.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
        return Int64((moment.timeIntervalSince1970 * 1000).rounded())
    }

    /// Reads and checks `family`, `user`, `from`, `to` (yyyy-MM-dd, Dutch days, both inclusive) and the cursor
    /// (`before` or `after`, a sequence number). Bad dates become field errors; a bad cursor is a bad request.
    static func search(_ request: Request) throws -> Search {
        var search = Search()
        search.family = (request.query[String.self, at: "family"] ?? "").trimmed.uppercased()
        search.user = (request.query[String.self, at: "user"] ?? "").trimmed.lowercased()
        search.from = (request.query[String.self, at: "from"] ?? "").trimmed
        search.to = (request.query[String.self, at: "to"] ?? "").trimmed
        search.filter.familyReference = search.family.nilIfEmpty
        search.filter.username = search.user.nilIfEmpty
        var fromDate: CalendarDate?, toDate: CalendarDate?
        if !search.from.isEmpty {
            fromDate = CalendarDate(iso: search.from)
            if fromDate == nil { search.errors.append(("from", request.t("error.date-invalid"))) }
        }
        if !search.to.isEmpty {
            toDate = CalendarDate(iso: search.to)
            if toDate == nil { search.errors.append(("to", request.t("error.date-invalid"))) }
        }
        if let fromDate, let toDate, toDate < fromDate {
            search.errors.append(("to", request.t("error.period-reversed")))
        }
        if let fromDate { search.filter.fromMilliseconds = startOfDay(fromDate) }
        if let toDate { search.filter.untilMilliseconds = startOfDay(toDate.adding(days: 1)) }
        func cursor(_ name: String) throws -> Int? {
            guard let text = request.query[String.self, at: name]?.trimmed, !text.isEmpty else { return nil }
            guard let seq = Int(text), seq > 0 else {
                throw AppError(status: .badRequest, code: "bad-request", message: "\(name) must be a positive sequence number.")
            }
            return seq
        }
        if let before = try cursor("before") { search.cursor = .before(before) }
        if let after = try cursor("after") {
            guard search.cursor == .newest else {
                throw AppError(status: .badRequest, code: "bad-request", message: "Send before or after, not both.")
            }
            search.cursor = .after(after)
        }
        return search
    }

    func index(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.require(staff, .read, .auditLog)
        let search = try Self.search(request)
        guard search.errors.isEmpty else { return try await render(request, search, rows: [], page: nil) }
        var rows: [Row] = []
        var page: AuditPage?
        if search.searched {
            // Only entries of the admin's own municipality (and anonymous security events).
            let found = try await request.searchAudit(municipalityID: staff.municipalityID, filter: search.filter,
                                                      cursor: search.cursor, limit: Self.pageSize)
            page = found
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            let catalog = request.application.locales, locale = request.staffLocale
            rows = found.entries.map {
                let labelled = catalog.has("auditAction.\($0.action)", locale)
                return Row(seq: $0.id ?? 0, at: formatter.string(from: $0.at), username: $0.username, role: $0.role,
                           action: $0.action, actionLabel: labelled ? catalog.text("auditAction.\($0.action)", locale) : $0.action,
                           labelled: labelled, familyReference: $0.familyReference, purpose: $0.purpose, detail: $0.detail)
            }
            // One entry per page view.
            try await request.recordAudit([AuditEvent(action: "audit.search", familyReference: search.filter.familyReference,
                                                      purpose: AuditPurpose.auditOversight, detail: search.detail)],
                                          by: AuditSubject(staff))
        }
        return try await render(request, search, rows: rows, page: page)
    }

    private func render(_ request: Request, _ search: Search, rows: [Row], page: AuditPage?) async throws -> Response {
        let query = search.query
        let base = "/admin/audit?" + (query.isEmpty ? "" : query + "&")
        let olderURL = page?.hasOlder == true ? rows.last.map { base + "before=\($0.seq)" } : nil
        let newerURL = page?.hasNewer == true ? rows.first.map { base + "after=\($0.seq)" } : nil
        let context = Context(
            page: PageInfo(request, titleKey: "audit.title"), family: search.family, user: search.user,
            from: search.from, to: search.to, searched: search.searched && search.errors.isEmpty, rows: rows,
            olderURL: olderURL, newerURL: newerURL, exportURL: "/admin/audit/export.csv?" + query,
            errors: Dictionary(search.errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: search.errors.map { ErrorLink(field: $0.field, message: $0.message) })
        return try await request.render("audit/index", context,
                                        status: search.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// `GET /admin/audit/export.csv`: the same search (the newest `exportLimit` entries), as a CSV download.
    func export(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.require(staff, .read, .auditLog)
        let search = try Self.search(request)
        guard search.errors.isEmpty else { return try await render(request, search, rows: [], page: nil) }
        let found = try await request.searchAudit(municipalityID: staff.municipalityID, filter: search.filter,
                                                  cursor: .newest, limit: Self.exportLimit)
        let catalog = request.application.locales, locale = request.staffLocale
        let csv = AuditCSV.document(found.entries) { code in
            catalog.has("auditAction.\(code)", locale) ? catalog.text("auditAction.\(code)", locale) : code
        }
        try await request.recordAudit([AuditEvent(action: "audit.export", familyReference: search.filter.familyReference,
                                                  purpose: AuditPurpose.auditOversight,
                                                  detail: search.detail + " rows=\(found.entries.count)"
                                                      + (found.hasOlder ? " truncated=\(Self.exportLimit)" : ""))],
                                      by: AuditSubject(staff))
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        // `audit-2026-11-18.csv` (the day of the export), or `audit-<from>-<to>.csv` for a period.
        let period = [search.from, search.to].filter { !$0.isEmpty }
        let name = "audit-" + (period.isEmpty ? request.clock.today.iso : period.joined(separator: "-"))
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
        // Whether the search held more than the export: the newest `exportLimit` entries were written.
        response.headers.replaceOrAdd(name: "Wegwijs-Export-Truncated", value: found.hasOlder ? "true" : "false")
        return response
    }
}

/// The audit entries as CSV (RFC 4180, CRLF line ends, UTF-8): a header, then one line per entry, newest first.
/// A text a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading `'`.
enum AuditCSV {
    static let columns = ["seq", "at", "username", "role", "action", "action_label", "family_reference", "purpose", "detail"]

    /// ISO 8601 with the offset of Amsterdam at that moment, to the millisecond: `2026-11-18T12:00:00.000+01:00`.
    static func timestampFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"
        return formatter
    }

    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func document(_ entries: [AuditEntry], label: (String) -> String) -> String {
        let formatter = timestampFormatter()
        var lines = [columns.joined(separator: ",")]
        lines.reserveCapacity(entries.count + 1)
        for entry in entries {
            let cells = [String(entry.id ?? 0), formatter.string(from: entry.at), entry.username, entry.role, entry.action,
                         label(entry.action), entry.familyReference ?? "", entry.purpose, entry.detail]
            lines.append(cells.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
