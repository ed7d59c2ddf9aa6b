import Fluent
import Foundation
import SQLKit
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

extension StaffIdentity {
    /// The columns of an active account and its municipality's code, as `active(_:on:)` and the bearer-token
    /// authenticator read them in one query.
    struct Row: Decodable {
        let user_id: UUID
        let username: String
        let display_name: String
        let role: String
        let organisation_id: UUID
        let municipality_id: UUID
        let municipality_code: String

        var identity: StaffIdentity? {
            Role(rawValue: role).map {
                StaffIdentity(userID: user_id, username: username, displayName: display_name, role: $0,
                              organisationID: organisation_id, municipalityID: municipality_id, municipalityCode: municipality_code)
            }
        }
    }

    /// An active account by id, with its municipality's code: one query (every signed-in page view asks it).
    static func active(_ userID: UUID, on db: any Database) async throws -> StaffIdentity? {
        guard let sql = db as? any SQLDatabase else { return nil }
        return try await sql.raw("""
            SELECT u.id AS user_id, u.username, u.display_name, u.role, u.organisation_id, u.municipality_id,
                   m.code AS municipality_code
            FROM users u JOIN municipalities m ON m.id = u.municipality_id
            WHERE u.id = \(bind: userID) AND u.active = \(bind: true)
            """).first(decoding: Row.self)?.identity
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
