import Fluent
import SQLKit
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

extension MemberCards {
    /// Parents of the municipality's active families who speak `language`, settled longest ago first (R26: every
    /// settled parent is invited), at most `limit`. For a door that has decided access and audits what it shows.
    /// `settledSince` (an ISO date): only parents settled on or after it.
    static func parents(speaking language: String, municipalityID: UUID, settledSince: String, excluding: Set<UUID>, limit: Int,
                        on db: any Database) async throws -> [MemberCard] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("""
            SELECT m.id FROM family_members m
            JOIN families f ON f.id = m.family_id
            JOIN member_spoken_languages l ON l.member_id = m.id AND l.code = \(bind: language)
            WHERE m.municipality_id = \(bind: municipalityID) AND m.role = 'parent' AND f.status = 'active'
              AND m.settlement_date >= \(bind: settledSince)
            ORDER BY m.settlement_date, m.id LIMIT \(bind: limit + excluding.count)
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }.filter { !excluding.contains($0) }.prefix(limit)
        let cards = try await load(Array(ids), on: db)
        return ids.compactMap { cards[$0] }
    }
}
