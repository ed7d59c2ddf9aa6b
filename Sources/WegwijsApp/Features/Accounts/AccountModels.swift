import Fluent
import Foundation
import Vapor
import WegwijsCore

/// A staff account: one role, in one organisation and one municipality. Parents have no account.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    /// A `Role` code.
    @Field(key: "role") var role: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "active") var active: Bool
    /// Languages this person reads and writes well (key persons review those), in `user_languages`: not a Fluent
    /// field; `Colleagues` loads it with the account, `Colleagues.setLanguages` writes it.
    var languages: [String] = []
    /// Where notifications are e-mailed (optional; the in-app list always has them).
    @OptionalField(key: "email") var email: String?

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "organisation_id") var organisation: Organisation

    init() {}
    init(id: UUID? = nil, username: String, displayName: String, role: Role, passwordHash: String,
         municipalityID: UUID, organisationID: UUID) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role.rawValue
        self.passwordHash = passwordHash
        self.active = true
        self.$municipality.id = municipalityID
        self.$organisation.id = organisationID
    }
}

/// An API bearer token. Only its SHA-256 is stored, so a copy of the database does not hand out sessions.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    // relationships
    @Parent(key: "user_id") var user: User

    init() {}
    init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

/// One failed sign-in, kept for throttling. The account is stored as typed (lower-cased) so that guessing at
/// unknown accounts is throttled too; the address is the client's IP address.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "account") var account: String
    @Field(key: "address") var address: String
    @Field(key: "at") var at: Date

    init() {}
    init(account: String, address: String, at: Date) {
        self.account = account
        self.address = address
        self.at = at
    }
}

/// Who works in a municipality: what other features show of staff (names in pickers), never their credentials.
struct Colleagues {
    let db: any Database

    init(on db: any Database) { self.db = db }

    /// The languages a staff member speaks (their account's list).
    func languages(of userID: UUID) async throws -> [String] {
        try await CodeTables.userLanguages.load(userID, on: db)
    }

    /// Replaces the languages of an account.
    func setLanguages(_ languages: [String], of userID: UUID) async throws {
        try await CodeTables.userLanguages.replace(userID, with: languages, on: db)
    }

    /// The active staff of `municipalityID` with one of `roles`, by name, with their languages.
    func active(in municipalityID: UUID, roles: [Role] = Role.allCases) async throws -> [User] {
        try await withLanguages(try await User.query(on: db).filter(\.$municipality.$id == municipalityID).filter(\.$active == true)
            .filter(\.$role ~~ roles.map(\.rawValue)).sort(\.$displayName).all())
    }

    /// The accounts with these ids (for their names, roles and languages).
    func named(_ ids: [UUID?]) async throws -> [User] {
        let wanted = ids.compactMap { $0 }
        guard !wanted.isEmpty else { return [] }
        return try await withLanguages(try await User.query(on: db).filter(\.$id ~~ wanted).all())
    }

    private func withLanguages(_ users: [User]) async throws -> [User] {
        let lists = try await CodeTables.userLanguages.load(users.compactMap(\.id), on: db)
        for user in users { user.languages = user.id.flatMap { lists[$0] } ?? [] }
        return users
    }

    /// The display names of the accounts with these ids.
    func displayNames(_ ids: [UUID?]) async throws -> [UUID: String] {
        Dictionary(try await named(ids).map { ($0.id!, $0.displayName) }, uniquingKeysWith: { first, _ in first })
    }
}

extension Request {
    /// The colleagues door on this request's database.
    var colleagues: Colleagues { Colleagues(on: db) }
}

struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
        try await database.schema(APIToken.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("user_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(LoginFailure.schema)
            .id()
            .field("account", .string, .required)
            .field("address", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginFailure.schema).delete()
        try await database.schema(APIToken.schema).delete()
        try await database.schema(User.schema).delete()
    }
}
