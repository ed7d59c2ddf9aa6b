import Fluent
import Foundation
import WegwijsCore

/// A family member as another feature's door shows them (a parent in a group series): who, of which family, which
/// languages. Loading cards takes no access decision and writes no audit entry: the calling door (e.g.
/// `GroupService`) has decided from the policy table and writes the entry naming the families shown.
struct MemberCard: Sendable, Equatable {
    let id: UUID
    let familyID: UUID
    let municipalityID: UUID
    let role: MemberRole
    let givenName: String
    let familyName: String?
    let gender: String?
    let languagesSpoken: [String]
    let familyActive: Bool

    var displayName: String { [givenName, familyName].compactMap { $0 }.joined(separator: " ") }
}

enum MemberCards {
    static func load(_ ids: [UUID], on db: any Database) async throws -> [UUID: MemberCard] {
        guard !ids.isEmpty else { return [:] }
        let members = try await Member.query(on: db).filter(\.$id ~~ Set(ids)).all()
        let spoken = try await CodeTables.memberSpokenLanguages.load(members.compactMap(\.id), on: db)
        let familyIDs = Set(members.map { $0.$family.id })
        let families = try await Family.query(on: db).filter(\.$id ~~ familyIDs).all()
        let active = Dictionary(families.map { ($0.id!, $0.status == .active) }, uniquingKeysWith: { a, _ in a })
        var cards: [UUID: MemberCard] = [:]
        for member in members {
            cards[member.id!] = MemberCard(id: member.id!, familyID: member.$family.id, municipalityID: member.$municipality.id,
                                           role: member.role, givenName: member.givenName, familyName: member.familyName,
                                           gender: member.gender, languagesSpoken: spoken[member.id!] ?? [],
                                           familyActive: active[member.$family.id] ?? false)
        }
        return cards
    }
}
