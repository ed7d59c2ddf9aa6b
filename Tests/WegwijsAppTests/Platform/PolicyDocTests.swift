import Foundation
import Testing
@testable import WegwijsCore

/// docs/security-model.md prints the policy table from `AccessPolicy`; this fails when the two differ.
/// `WEGWIJS_WRITE_POLICY_DOC=1 swift test --filter PolicyDocTests` writes the current table into the document.
@Suite("Policy table")
struct PolicyDocTests {
    static var documentURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/security-model.md")
    }

    @Test("docs/security-model.md shows the policy table that the code enforces")
    func documentMatchesTable() throws {
        let text = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let expected = try #require(AccessPolicy.document(text),
                                    "docs/security-model.md lacks the \(AccessPolicy.documentStartMarker) / \(AccessPolicy.documentEndMarker) markers")
        if expected != text, ProcessInfo.processInfo.environment["WEGWIJS_WRITE_POLICY_DOC"] == "1" {
            try expected.write(to: Self.documentURL, atomically: true, encoding: .utf8)
            return
        }
        #expect(expected == text, """
            The policy section of docs/security-model.md differs from AccessPolicy. Run \
            `WEGWIJS_WRITE_POLICY_DOC=1 swift test --filter PolicyDocTests`, or paste between the markers:
            \(AccessPolicy.markdownTable())
            """)
    }

    @Test("Every (record, action) pair appears at most once, and every role has a cell")
    func tableIsWellFormed() {
        var seen: Set<String> = []
        for rule in AccessPolicy.rules {
            let key = "\(rule.record.rawValue)/\(rule.action.rawValue)"
            #expect(seen.insert(key).inserted, "\(key) twice")
            #expect(Set(rule.grants.keys) == Set(Role.allCases), "\(key) lacks a role")
        }
    }

    // The reading rules of `decide`, on cells whose meaning the routes rely on.
    @Test("decide: role gate 403, granted relationship allowed, visible 403, invisible 404")
    func decide() {
        typealias P = AccessPolicy
        // The role may never: 403 whatever the relationship (nothing said about the record).
        #expect(P.decide(role: .policyOfficer, relationship: .sameMunicipality, action: .read, record: .family) == .forbidden)
        #expect(P.decide(role: .keyPerson, relationship: .coupledKeyPerson, action: .update, record: .family) == .forbidden)
        #expect(P.decide(role: .keyPerson, relationship: .otherMunicipality, action: .update, record: .family) == .forbidden)
        // By relationship.
        #expect(P.decide(role: .caseManager, relationship: .sameMunicipality, action: .update, record: .family) == .allowed)
        #expect(P.decide(role: .keyPerson, relationship: .coupledKeyPerson, action: .read, record: .family) == .allowed)
        #expect(P.decide(role: .keyPerson, relationship: .none, action: .read, record: .family) == .hidden)
        #expect(P.decide(role: .caseManager, relationship: .otherMunicipality, action: .read, record: .family) == .hidden)
        #expect(P.decide(role: .socialWorker, relationship: .coupledKeyPerson, action: .read, record: .family) == .hidden)
        // Partners open family routes but see no family: 404 even with an open referral.
        #expect(P.decide(role: .partner, relationship: .partnerWithOpenReferral, action: .read, record: .family) == .hidden)
        #expect(P.decide(role: .partner, relationship: .partnerWithOpenReferral, action: .read, record: .referral) == .allowed)
        // Sees the referral, may not chase it: 403; does not see it: 404.
        #expect(P.decide(role: .keyPerson, relationship: .coupledKeyPerson, action: .chase, record: .referral) == .forbidden)
        #expect(P.decide(role: .keyPerson, relationship: .none, action: .chase, record: .referral) == .hidden)
        #expect(P.decide(role: .keyPerson, relationship: .companion, action: .transition, record: .referral) == .allowed)
        // Opening a meldcode: the family's own lead; a colleague who sees the family gets 403.
        #expect(P.decide(role: .caseManager, relationships: [.sameMunicipality, .lead], action: .create, record: .meldcode) == .allowed)
        #expect(P.decide(role: .caseManager, relationship: .sameMunicipality, action: .create, record: .meldcode) == .forbidden)
        // A meldcode record exists only for its lead and named colleague.
        #expect(P.decide(role: .caseManager, relationship: .sameMunicipality, action: .update, record: .meldcode) == .hidden)
        #expect(P.decide(role: .socialWorker, relationships: [.coupledSocialWorker, .assigned], action: .update, record: .meldcode) == .allowed)
        // Offers: the partner's own organisation; another's is visible, so 403.
        #expect(P.decide(role: .partner, relationships: [.sameMunicipality, .ownOrganisation], action: .update, record: .offer) == .allowed)
        #expect(P.decide(role: .partner, relationship: .sameMunicipality, action: .update, record: .offer) == .forbidden)
        #expect(P.decide(role: .admin, relationship: .otherMunicipality, action: .update, record: .offer) == .hidden)
        // Parent pages are public: refused edits are 403, also from another municipality.
        #expect(P.decide(role: .admin, relationship: .otherMunicipality, action: .update, record: .parentPage) == .forbidden)
        #expect(P.decide(role: .keyPerson, relationships: [.sameMunicipality, .speaksLanguage], action: .review, record: .parentPage) == .allowed)
        #expect(P.decide(role: .admin, relationship: .sameMunicipality, action: .review, record: .parentPage) == .forbidden)
        // Oversight.
        #expect(P.decide(role: .admin, relationship: .sameMunicipality, action: .read, record: .auditLog) == .allowed)
        #expect(P.decide(role: .caseManager, relationship: .sameMunicipality, action: .read, record: .auditLog) == .forbidden)
        #expect(P.decide(role: .policyOfficer, relationship: .sameMunicipality, action: .read, record: .report) == .allowed)
        // A pair not in the table is never allowed.
        #expect(P.decide(role: .admin, relationship: .sameMunicipality, action: .delete, record: .auditLog) == .forbidden)
    }
}
