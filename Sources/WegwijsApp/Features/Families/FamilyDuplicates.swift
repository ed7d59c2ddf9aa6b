import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// A family already registered in the municipality that may be the one being registered now (issue 16, item 2):
/// names of this population are written in many ways, so the same household can arrive twice.
struct DuplicateCandidate: Content, Equatable {
    struct Person: Content, Equatable {
        let givenName: String
        let birthYear: Int?
    }

    /// Why it is shown.
    enum Reason: String, Codable, Sendable {
        /// A member with a name that sounds the same (`NameKey`) and a birth year at most one year apart.
        case samePerson = "same-person"
        /// The household's or a family name sounds the same, and so does the given name of a member whose birth
        /// year is not known on one side (known years further apart rule a member out).
        case sameNames = "same-names"
    }

    let id: UUID
    let reference: String
    let name: String
    let members: [Person]
    let reasons: [Reason]
}

struct DuplicateCandidates: Content {
    let candidates: [DuplicateCandidate]
}

extension FamilyService {
    /// At most this many candidates are shown: more would be a search, not a warning.
    static let duplicatesShown = 5

    /// The families of the staff member's municipality that look like the household about to be registered: a
    /// member whose given name has the same name key and a birth year at most one apart, or a household or family
    /// name and a given name that both sound the same. Showing them is reading those families: one audit entry
    /// (`family.duplicates`) names every family shown.
    func possibleDuplicates(household: HouseholdDraft, members: [MemberDraft]) async throws -> [DuplicateCandidate] {
        try FamilyAccess.requireChange(staff)
        guard let sql = db as? any SQLDatabase else { return [] }
        func keys(_ text: String?) -> Set<String> { Set(NameKey.keys(of: text ?? "")) }
        let givenKeys = members.map { (keys($0.givenName), $0.yearOfBirth) }
        let familyKeys = keys(household.name).union(members.flatMap { keys($0.familyName) })
        let wanted = familyKeys.union(givenKeys.flatMap(\.0))
        guard !wanted.isEmpty else { return [] }
        // The families sharing at least one name key, most shared first: one index range per key.
        let rows = try await sql.raw("""
            SELECT family_id, COUNT(*) AS shared FROM family_list_keys
            WHERE municipality_id = \(bind: staff.municipalityID) AND kind = 'namekey' AND code IN (\(binds: Array(wanted)))
            GROUP BY family_id ORDER BY shared DESC, family_id LIMIT 50
            """).all()
        let ids = try rows.map { try $0.decode(column: "family_id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        let families = try await FamilyAccess.scope(Family.query(on: db), to: staff).filter(\.$id ~~ ids).all()
        let members = try await membersByFamily(families.compactMap(\.id), on: db)
        var found: [(candidate: DuplicateCandidate, strength: Int)] = []
        for family in families {
            guard let id = family.id else { continue }
            let theirs = members[id] ?? []
            var reasons: [DuplicateCandidate.Reason] = []
            // Pairs of a new and a known member whose given names sound the same: the same person when both birth
            // years are known and at most one apart; perhaps the same when a year is missing.
            var samePerson = false, unknownAge = false
            for (given, year) in givenKeys {
                for member in theirs where !given.isDisjoint(with: keys(member.givenName)) {
                    let theirYear = MemberDraft.yearOfBirth(year: member.birthYear, date: member.birthDate)
                    if let year, let theirYear { samePerson = samePerson || abs(year - theirYear) <= 1 } else { unknownAge = true }
                }
            }
            if samePerson { reasons.append(.samePerson) }
            let theirFamilyKeys = keys(family.name).union(theirs.flatMap { keys($0.familyName) })
            if unknownAge, !familyKeys.isDisjoint(with: theirFamilyKeys) { reasons.append(.sameNames) }
            guard !reasons.isEmpty else { continue }
            let candidate = DuplicateCandidate(
                id: id, reference: family.reference, name: family.name,
                members: theirs.map { .init(givenName: $0.givenName, birthYear: MemberDraft.yearOfBirth(year: $0.birthYear, date: $0.birthDate)) },
                reasons: reasons)
            found.append((candidate, reasons.count * 2 + (samePerson ? 1 : 0)))
        }
        let shown = found.sorted { ($0.strength, $1.candidate.name) > ($1.strength, $0.candidate.name) }
            .prefix(Self.duplicatesShown).map(\.candidate)
        if !shown.isEmpty {
            if let reads {
                reads.noteList(action: "family.duplicates", families: shown.map(\.id), by: AuditSubject(staff))
            } else {
                try await audit.record([AuditEvent.list("family.duplicates", families: shown.map(\.id))], by: AuditSubject(staff), on: db)
            }
        }
        return shown
    }
}
