/// The policy table as markdown, for docs/security-model.md (between `<!-- policy-table:start -->` and
/// `<!-- policy-table:end -->`). `PolicyDocTests` renders it and fails when the document differs, so the doc cannot
/// drift from what the code enforces.
extension AccessPolicy {
    public static let documentStartMarker = "<!-- policy-table:start -->"
    public static let documentEndMarker = "<!-- policy-table:end -->"

    /// The column order of the document.
    public static let documentRoles: [Role] = [.caseManager, .keyPerson, .socialWorker, .partner, .facilitator,
                                               .policyOfficer, .admin]

    static func cell(_ grant: Grant) -> String {
        switch grant {
        case .never: return "403"
        case .always: return "yes"
        case .anyone: return "yes, any municipality"
        case .when(let relationships) where relationships.isEmpty: return "404"
        case .when(let relationships):
            // In the enum's order, so the text is stable.
            return Relationship.allCases.filter { relationships.contains($0) }.map(\.label).joined(separator: ", ")
        }
    }

    /// The markdown between the markers (without the markers themselves).
    public static func markdownTable() -> String {
        var lines: [String] = [
            "Generated from `Sources/WegwijsCore/Access/AccessPolicy.swift` by `PolicyDocTests`; do not edit by hand",
            "(run `WEGWIJS_WRITE_POLICY_DOC=1 swift test --filter PolicyDocTests` after changing the table).",
            "A cell says when the role may do the action: `yes` (any record of the own municipality), the relationships",
            "that open it, `403` (never: refused before any lookup) or `404` (the route opens, but no record is in the",
            "role's scope). Where a relationship is missing the answer is 403 if the user may read the record (for a",
            "create: the family it belongs to), else 404, so a record's existence does not leak. Records of another",
            "municipality are 404 unless a cell says \"any municipality\".",
            "",
            "| record | action | " + documentRoles.map(\.documentLabel).joined(separator: " | ") + " | why |",
            "|" + String(repeating: "---|", count: documentRoles.count + 3),
        ]
        for rule in rules {
            let cells = documentRoles.map { cell(rule.grant($0)) }
            lines.append("| \(rule.record.rawValue) | \(rule.action.rawValue) | " + cells.joined(separator: " | ")
                         + " | \(rule.note) |")
        }
        return lines.joined(separator: "\n")
    }

    /// `document` with the text between the markers replaced by the current table; nil when the markers are missing.
    public static func document(_ document: String, withTable table: String = markdownTable()) -> String? {
        guard let start = document.range(of: documentStartMarker),
              let end = document.range(of: documentEndMarker, range: start.upperBound..<document.endIndex) else { return nil }
        return String(document[..<start.upperBound]) + "\n" + table + "\n" + String(document[end.lowerBound...])
    }
}

extension Role {
    /// The role's name in the documents.
    public var documentLabel: String {
        switch self {
        case .caseManager: return "case manager"
        case .keyPerson: return "key person"
        case .socialWorker: return "social worker"
        case .partner: return "partner"
        case .facilitator: return "trainer"
        case .policyOfficer: return "policy officer"
        case .admin: return "admin"
        }
    }
}
