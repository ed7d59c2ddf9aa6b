import Fluent
import Foundation
import Vapor
import WegwijsCore

/// Reads the policy table (`WegwijsCore/Access/AccessPolicy.swift`, printed in security-model.md) for the routes.
/// Access is by relationship, not only by role, and always inside the user's own municipality:
/// - case manager: every family of the municipality (the municipal team registers, finds and covers for each other);
/// - key person / social worker: only the families coupled to them;
/// - partner: no family record; a referral to their organisation shows its shared fields only;
/// - facilitator, policy officer, admin: no family records at all (policy officers see aggregates only).
/// A family outside that scope answers 404, never 403, so its existence does not leak.
enum FamilyAccess {
    typealias Action = AccessPolicy.Action
    typealias Record = AccessPolicy.RecordType

    /// Whether the role may attempt `action` on `record` at all (the gate before any lookup).
    static func may(_ role: Role, _ action: Action, _ record: Record) -> Bool {
        AccessPolicy.mayAttempt(role: role, action: action, record: record)
    }

    /// 403 before any lookup when the role may never do this: the answer says nothing about any particular record.
    static func require(_ staff: StaffIdentity, _ action: Action, _ record: Record) throws {
        guard may(staff.role, action, record) else { throw AppError.forbidden }
    }

    /// The whole decision once the user's relationships to the record are known: 403, or 404 naming `what`.
    static func require(_ staff: StaffIdentity, _ action: Action, _ record: Record,
                        relationships: Set<AccessPolicy.Relationship>, notFound what: String) throws {
        switch AccessPolicy.decide(role: staff.role, relationships: relationships, action: action, record: record) {
        case .allowed: return
        case .forbidden: throw AppError.forbidden
        case .hidden: throw AppError.notFound(what)
        }
    }

    /// Roles that may open family routes at all. Others get 403 before any lookup.
    static func mayUseFamilyRoutes(_ role: Role) -> Bool { may(role, .read, .family) }

    /// Registering families, editing them, closing them and keeping the consent register is the lead's work (R38).
    static func mayChangeFamilies(_ role: Role) -> Bool { may(role, .update, .family) }

    /// Whether any relationship opens a family record to this role. Partners open the family routes but see no
    /// family record: a referral shows them its shared fields only (the "lead side" sees the family).
    static func maySeeFamilyRecords(_ role: Role) -> Bool {
        switch AccessPolicy.grant(role: role, action: .read, record: .family) {
        case .never: return false
        case .always, .anyone: return true
        case .when(let relationships): return !relationships.isEmpty
        }
    }

    static func requireRead(_ staff: StaffIdentity) throws { try require(staff, .read, .family) }

    static func requireChange(_ staff: StaffIdentity) throws { try require(staff, .update, .family) }

    /// How `staff` stands to `family` (the family must be of the user's municipality to be anything but
    /// `.otherMunicipality`).
    static func relationships(_ staff: StaffIdentity, to family: Family) -> Set<AccessPolicy.Relationship> {
        guard family.$municipality.id == staff.municipalityID else { return [.otherMunicipality] }
        var result: Set<AccessPolicy.Relationship> = [.sameMunicipality]
        if family.$caseManager.id == staff.userID { result.insert(.lead) }
        if family.$keyPerson.id == staff.userID { result.insert(.coupledKeyPerson) }
        if family.$socialWorker.id == staff.userID { result.insert(.coupledSocialWorker) }
        return result
    }

    /// Which families a staff member's lists show.
    enum ListScope: Equatable {
        /// Every family of the municipality (case managers).
        case municipality
        /// Only the families this key person is coupled to.
        case keyPerson(UUID)
        /// Only the families this social worker is coupled to.
        case socialWorker(UUID)
        /// None: partners gain families through referrals only; the other roles never see families.
        case none
    }

    /// Read from the policy's family-read cell: which relationship opens a family to this role.
    static func listScope(_ staff: StaffIdentity) -> ListScope {
        let cell = AccessPolicy.grant(role: staff.role, action: .read, record: .family)
        if cell.grants(.sameMunicipality) { return .municipality }
        if cell.grants(.coupledKeyPerson) { return .keyPerson(staff.userID) }
        if cell.grants(.coupledSocialWorker) { return .socialWorker(staff.userID) }
        return .none
    }

    /// Restricts a family query to what `staff` may see.
    static func scope(_ query: QueryBuilder<Family>, to staff: StaffIdentity) -> QueryBuilder<Family> {
        query.filter(\.$municipality.$id == staff.municipalityID)
        switch listScope(staff) {
        case .municipality:
            break
        case .keyPerson(let id):
            query.filter(\.$keyPerson.$id == id)
        case .socialWorker(let id):
            query.filter(\.$socialWorker.$id == id)
        case .none:
            query.filter(\.$id == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        }
        return query
    }

    /// Whether this staff member may see BSNs (only the lead who registers them).
    static func maySeeBSN(_ staff: StaffIdentity) -> Bool { may(staff.role, .read, .bsn) }
}
