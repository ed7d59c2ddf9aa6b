import Fluent
import Foundation
import Vapor
import WegwijsCore

/// What the admin fills in for an account (issue 16, item 5). The password only when creating one.
struct AccountInput: Sendable {
    var username = ""
    var displayName = ""
    var role = ""
    var organisationID: UUID?
    var languages: [String] = []
    var email = ""
    var password = ""
}

/// The functional administrator's accounts of their own municipality, in the browser: create, change (name, role,
/// organisation, languages, e-mail), set a new password, deactivate and reactivate. Every decision comes from the
/// policy table (`.account`); every change is audited in the transaction that makes it (`user.*`). A deactivated or
/// re-passworded account loses its API tokens at once; web sessions read the account on every request, so they end
/// at the next click.
struct AccountAdminService {
    let staff: StaffIdentity
    let db: any Database
    let audit: AuditLog
    let catalog: LocaleCatalog
    let request: Request

    init(request: Request) throws {
        staff = try request.requireStaff()
        db = request.db
        audit = request.application.audit
        catalog = request.application.locales
        self.request = request
    }

    /// 2–40 of `a-z 0-9 . _ -`, starting with a letter or digit (what sign-in and the audit log show).
    static func isValidUsername(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...40).contains(name.count), let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { allowed.contains($0) }
    }

    /// The accounts of the own municipality, by name, with their organisation and languages.
    func list() async throws -> [User] {
        try FamilyAccess.require(staff, .list, .account)
        let users = try await User.query(on: db).filter(\.$municipality.$id == staff.municipalityID)
            .with(\.$organisation).sort(\.$displayName).sort(\.$username).all()
        let languages = try await CodeTables.userLanguages.load(users.compactMap(\.id), on: db)
        for user in users { user.languages = user.id.flatMap { languages[$0] } ?? [] }
        return users
    }

    /// One account: 404 when it is not of the own municipality (it exists nowhere for this admin).
    func account(_ id: UUID, _ action: AccessPolicy.Action = .read) async throws -> User {
        try FamilyAccess.require(staff, action, .account)
        guard let user = try await User.query(on: db).filter(\.$id == id).with(\.$organisation).first() else {
            throw AppError.notFound("account")
        }
        let relationship: AccessPolicy.Relationship = user.$municipality.id == staff.municipalityID ? .sameMunicipality : .otherMunicipality
        try FamilyAccess.require(staff, action, .account, relationships: [relationship], notFound: "account")
        user.languages = try await Colleagues(on: db).languages(of: id)
        return user
    }

    /// The organisations an account of this municipality can belong to.
    func organisations() async throws -> [Organisation] {
        try await request.tenancy.organisations(in: [staff.municipalityID])
    }

    func create(_ input: AccountInput) async throws -> User {
        try FamilyAccess.require(staff, .create, .account)
        var errors = try await validate(input, creating: true)
        let username = input.username.trimmed.lowercased()
        if errors.isEmpty, try await User.query(on: db).filter(\.$username == username).count() > 0 {
            errors.append(FieldError("username", "username-taken"))
        }
        if let problem = PasswordPolicy.problem(with: input.password, username: username) {
            errors.append(FieldError("password", problem.rawValue))
        }
        guard errors.isEmpty, let role = Role(rawValue: input.role), let organisationID = input.organisationID else {
            throw AppError.invalid(errors, catalog: catalog)
        }
        let hash = try await hash(input.password)
        let user = User(username: username, displayName: input.displayName.trimmed, role: role, passwordHash: hash,
                        municipalityID: staff.municipalityID, organisationID: organisationID)
        user.email = input.email.trimmed.nilIfEmpty
        let languages = Self.languages(input.languages)
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            try await user.create(on: tx)
            try await Colleagues(on: tx).setLanguages(languages, of: user.requireID())
            recorder.record(AuditEvent(action: "user.create", purpose: AuditPurpose.administration,
                                       detail: "account=\(username) role=\(role.rawValue)"))
        }
        user.languages = languages
        return user
    }

    /// Name, role, organisation, languages and e-mail. The admin cannot take the admin role from their own account
    /// (a municipality would be left without one).
    func update(_ id: UUID, _ input: AccountInput) async throws -> User {
        let user = try await account(id, .update)
        var errors = try await validate(input, creating: false)
        if id == staff.userID, input.role != Role.admin.rawValue, Role(rawValue: input.role) != nil {
            errors.append(FieldError("role", "own-account"))
        }
        guard errors.isEmpty, let role = Role(rawValue: input.role), let organisationID = input.organisationID else {
            throw AppError.invalid(errors, catalog: catalog)
        }
        let before = user.role
        user.displayName = input.displayName.trimmed
        user.role = role.rawValue
        user.$organisation.id = organisationID
        user.email = input.email.trimmed.nilIfEmpty
        let languages = Self.languages(input.languages)
        let username = user.username
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            try await user.update(on: tx)
            try await Colleagues(on: tx).setLanguages(languages, of: id)
            recorder.record(AuditEvent(action: "user.update", purpose: AuditPurpose.administration,
                                       detail: "account=\(username)" + (before == role.rawValue ? "" : " role=\(before)->\(role.rawValue)")))
        }
        user.languages = languages
        return user
    }

    /// A new password chosen by the admin (to hand over in person): the policy applies, the account's API tokens
    /// are revoked.
    func setPassword(_ id: UUID, _ password: String) async throws {
        let user = try await account(id, .update)
        if let problem = PasswordPolicy.problem(with: password, username: user.username) {
            throw AppError.invalid([FieldError("password", problem.rawValue)], catalog: catalog)
        }
        user.passwordHash = try await hash(password)
        try await save(user, action: "user.password")
    }

    /// Deactivates (`active == false`) or reactivates an account. Never the own account: 409.
    func setActive(_ id: UUID, _ active: Bool) async throws {
        let user = try await account(id, .close)
        guard id != staff.userID else {
            throw AppError(status: .conflict, code: "own-account", message: catalog.text("error.own-account", .en))
        }
        guard user.active != active else {
            let code = active ? "already-active" : "already-inactive"
            throw AppError(status: .conflict, code: code, message: catalog.text("error.\(code)", .en))
        }
        user.active = active
        try await save(user, action: active ? "user.activate" : "user.deactivate")
    }

    private func save(_ user: User, action: String) async throws {
        let id = try user.requireID()
        let username = user.username
        let revoked = try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder -> [UUID] in
            try await user.update(on: tx)
            var revoked: [UUID] = []
            if action != "user.activate" {
                let open = try await APIToken.query(on: tx).filter(\.$user.$id == id).filter(\.$revokedAt == nil).all()
                revoked = open.compactMap(\.id)
                try await APIToken.query(on: tx).filter(\.$user.$id == id).filter(\.$revokedAt == nil)
                    .set(\.$revokedAt, to: request.clock.now).update()
            }
            recorder.record(AuditEvent(action: action, purpose: AuditPurpose.administration, detail: "account=\(username)"))
            return revoked
        }
        for token in revoked { request.application.tokenCache.forget(tokenID: token) }
    }

    private func validate(_ input: AccountInput, creating: Bool) async throws -> [FieldError] {
        var errors: [FieldError] = []
        if creating {
            let username = input.username.trimmed.lowercased()
            if username.isEmpty { errors.append(FieldError("username", "required")) }
            else if !Self.isValidUsername(username) { errors.append(FieldError("username", "username-invalid")) }
        }
        let name = input.displayName.trimmed
        if name.isEmpty { errors.append(FieldError("displayName", "required")) }
        else if name.count > 100 { errors.append(FieldError("displayName", "too-long")) }
        if input.role.isEmpty { errors.append(FieldError("role", "required")) }
        else if Role(rawValue: input.role) == nil { errors.append(FieldError("role", "unknown-code")) }
        if let organisation = input.organisationID {
            if !(try await organisations()).contains(where: { $0.id == organisation }) {
                errors.append(FieldError("organisationId", "unknown-organisation"))
            }
        } else {
            errors.append(FieldError("organisationId", "required"))
        }
        for (index, code) in input.languages.enumerated() where !Languages.isKnown(code) {
            errors.append(FieldError("languages[\(index)]", "unknown-code"))
        }
        let email = input.email.trimmed
        if !email.isEmpty, (try? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.wholeMatch(in: email)) == nil || email.count > 200 {
            errors.append(FieldError("email", "email-invalid"))
        }
        return errors
    }

    private static func languages(_ codes: [String]) -> [String] {
        var seen: [String] = []
        for code in codes where !seen.contains(code) { seen.append(code) }
        return seen
    }

    private func hash(_ password: String) async throws -> String {
        try await request.password.async.hash(password)
    }
}
