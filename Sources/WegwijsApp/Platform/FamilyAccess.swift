import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The one place that decides who may see and change which family (security-model.md).
/// Access is by relationship, not only by role, and always inside the user's own municipality:
/// - case manager: every family of the municipality (the municipal team registers, finds and covers for each other);
/// - key person / social worker: only the families coupled to them;
/// - partner: none until a referral to their organisation exists (referrals come with a later feature);
/// - facilitator, policy officer, admin: no family records at all (policy officers see aggregates only).
/// A family outside that scope answers 404, never 403, so its existence does not leak.
enum FamilyAccess {
    /// Roles that may open family routes at all. Others get 403 before any lookup (the answer says nothing
    /// about any particular family).
    static func mayUseFamilyRoutes(_ role: Role) -> Bool {
        switch role {
        case .caseManager, .keyPerson, .socialWorker, .partner: return true
        case .facilitator, .policyOfficer, .admin: return false
        }
    }

    /// Registering families, editing them, closing them and keeping the consent register is the lead's work (R38).
    static func mayChangeFamilies(_ role: Role) -> Bool { role == .caseManager }

    static func requireRead(_ staff: StaffIdentity) throws {
        guard mayUseFamilyRoutes(staff.role) else { throw AppError.forbidden }
    }

    static func requireChange(_ staff: StaffIdentity) throws {
        guard mayChangeFamilies(staff.role) else { throw AppError.forbidden }
    }

    /// Restricts a family query to what `staff` may see.
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

    static func listScope(_ staff: StaffIdentity) -> ListScope {
        switch staff.role {
        case .caseManager: return .municipality
        case .keyPerson: return .keyPerson(staff.userID)
        case .socialWorker: return .socialWorker(staff.userID)
        case .partner, .facilitator, .policyOfficer, .admin: return .none
        }
    }

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
    static func maySeeBSN(_ staff: StaffIdentity) -> Bool { staff.role == .caseManager }
}
