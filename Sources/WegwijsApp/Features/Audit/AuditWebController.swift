import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/admin/audit`: the admin searches the audit trail by family reference or by user name. The search itself is
/// audited. Only admins; they see who accessed which family (by reference), not the family's data.
struct AuditWebController: RouteCollection {
    static let pageSize = 100

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: index)
    }

    struct Row: Encodable {
        let seq: Int
        let at: String
        let username: String
        let role: String
        let action: String
        let familyReference: String?
        let purpose: String
        let detail: String
    }

    struct Context: Encodable {
        let page: PageInfo
        let family: String
        let user: String
        let searched: Bool
        let rows: [Row]
        let truncated: Bool
    }

    func index(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.require(staff, .read, .auditLog)
        let family = (request.query[String.self, at: "family"] ?? "").trimmed.uppercased()
        let user = (request.query[String.self, at: "user"] ?? "").trimmed.lowercased()
        var rows: [Row] = []
        var truncated = false
        let searched = !family.isEmpty || !user.isEmpty
        if searched {
            // Only entries of the admin's own municipality (and anonymous security events).
            let entries = try await request.searchAudit(municipalityID: staff.municipalityID, familyReference: family.nilIfEmpty,
                                                        username: user.nilIfEmpty, limit: Self.pageSize + 1)
            truncated = entries.count > Self.pageSize
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            rows = entries.prefix(Self.pageSize).map {
                Row(seq: $0.id ?? 0, at: formatter.string(from: $0.at), username: $0.username, role: $0.role,
                    action: $0.action, familyReference: $0.familyReference, purpose: $0.purpose, detail: $0.detail)
            }
            let detail = [family.isEmpty ? nil : "family", user.isEmpty ? nil : "user"].compactMap { $0 }.joined(separator: ",")
            try await request.recordAudit([AuditEvent(action: "audit.search", familyReference: family.nilIfEmpty,
                                                      purpose: AuditPurpose.auditOversight, detail: "by=\(detail)")],
                                     by: AuditSubject(staff))
        }
        let context = Context(page: PageInfo(request, titleKey: "audit.title"), family: family, user: user,
                              searched: searched, rows: rows, truncated: truncated)
        return try await request.render("audit/index", context)
    }
}
