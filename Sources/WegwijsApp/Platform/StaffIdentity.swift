import Foundation
import Vapor
import WegwijsCore

/// Who is signed in: what access control and the audit trail need to know about the current user.
struct StaffIdentity: Sendable, Equatable {
    let userID: UUID
    let username: String
    let displayName: String
    let role: Role
    let organisationID: UUID
    let municipalityID: UUID
    /// CBS code of the municipality (`GM9901`).
    let municipalityCode: String

    init(userID: UUID, username: String, displayName: String, role: Role, organisationID: UUID, municipalityID: UUID,
         municipalityCode: String) {
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.organisationID = organisationID
        self.municipalityID = municipalityID
        self.municipalityCode = municipalityCode
    }

    init(user: User) throws {
        guard let id = user.id, let role = Role(rawValue: user.role) else {
            throw Abort(.internalServerError, reason: "account without id or role")
        }
        self.userID = id
        self.username = user.username
        self.displayName = user.displayName
        self.role = role
        self.organisationID = user.$organisation.id
        self.municipalityID = user.$municipality.id
        // Callers load the user `.with(\.$municipality)`.
        self.municipalityCode = user.$municipality.value?.code ?? ""
    }
}

extension Request {
    private struct StaffIdentityKey: StorageKey { typealias Value = StaffIdentity }

    /// The signed-in staff member, set by the session or bearer-token authenticators.
    var staff: StaffIdentity? {
        get { storage[StaffIdentityKey.self] }
        set { storage[StaffIdentityKey.self] = newValue }
    }

    func requireStaff() throws -> StaffIdentity {
        guard let staff else { throw Abort(.unauthorized) }
        return staff
    }
}
