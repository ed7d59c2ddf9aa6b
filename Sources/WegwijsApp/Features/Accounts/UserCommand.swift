import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `wegwijs user create USERNAME --role R --organisation ORG --name "Full Name" --password P` and
/// `wegwijs user password USERNAME --password P`: the functional administrator's way to manage accounts.
/// Passwords go through the password policy; both actions are audited.
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create | password | deactivate")
        var action: String
        @Argument(name: "username")
        var username: String
        @Option(name: "role", help: "caseManager, keyPerson, socialWorker, partner, facilitator, policyOfficer or admin")
        var role: String?
        @Option(name: "organisation", help: "the organisation's exact name")
        var organisation: String?
        @Option(name: "name", help: "display name")
        var name: String?
        @Option(name: "password", help: "at least 12 characters, not a common password")
        var password: String?
        @Option(name: "municipality", help: "CBS code (GM0363): on a new installation, creates the municipality and the organisation")
        var municipality: String?
        @Option(name: "municipality-name", help: "the municipality's name, with --municipality")
        var municipalityName: String?
    }

    var help: String { "Creates an account, sets its password, or deactivates it." }

    static func createOrganisation(_ name: String, municipality code: String, name municipalityName: String?,
                                   on app: Application) async throws -> Organisation {
        try await app.db.transaction { tx in
            let municipality: Municipality
            if let existing = try await Municipality.query(on: tx).filter(\.$code == code).first() {
                municipality = existing
            } else {
                municipality = Municipality(code: code, name: municipalityName?.trimmed.nilIfEmpty ?? code, regionID: nil)
                try await municipality.create(on: tx)
            }
            let organisation = Organisation(municipalityID: try municipality.requireID(), name: name, kind: .formal,
                                            type: .municipality)
            try await organisation.create(on: tx)
            return organisation
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await prepareDatabase(app)
        try await app.autoMigrate()
        let username = signature.username.trimmed.lowercased()
        switch signature.action {
        case "create":
            guard let roleCode = signature.role, let role = Role(rawValue: roleCode) else {
                throw CommandFailure(description: "--role must be one of: \(Role.allCodes.joined(separator: ", "))")
            }
            guard let organisationName = signature.organisation?.trimmed, !organisationName.isEmpty else {
                throw CommandFailure(description: "--organisation must name the account's organisation")
            }
            let organisation: Organisation
            if let existing = try await Organisation.query(on: app.db).filter(\.$name == organisationName).first() {
                organisation = existing
            } else if let code = signature.municipality?.trimmed.uppercased(), !code.isEmpty {
                // The first account of a new installation: its municipality and organisation do not exist yet.
                organisation = try await Self.createOrganisation(organisationName, municipality: code,
                                                                 name: signature.municipalityName, on: app)
            } else {
                throw CommandFailure(description: "--organisation must name an existing organisation exactly "
                                     + "(on a new installation add --municipality CODE to create it)")
            }
            guard try await User.query(on: app.db).filter(\.$username == username).count() == 0 else {
                throw CommandFailure(description: "The user name \(username) is taken.")
            }
            let hash = try await hashChecked(signature.password, username: username, app: app)
            let user = User(username: username, displayName: signature.name ?? username, role: role, passwordHash: hash,
                            municipalityID: organisation.$municipality.id, organisationID: try organisation.requireID())
            try await app.audit.write(on: app.db, by: .system) { tx, recorder in
                try await user.create(on: tx)
                recorder.record(AuditEvent(action: "user.create", purpose: AuditPurpose.administration, detail: "role=\(role.rawValue)"))
            }
            context.console.print("Created \(username) (\(role.rawValue)) in \(organisation.name).")
        case "password", "deactivate":
            guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
                throw CommandFailure(description: "No account \(username).")
            }
            if signature.action == "password" {
                user.passwordHash = try await hashChecked(signature.password, username: username, app: app)
            } else {
                user.active = false
            }
            let action = signature.action
            try await app.audit.write(on: app.db, by: .system) { tx, recorder in
                try await user.update(on: tx)
                try await APIToken.query(on: tx).filter(\.$user.$id == user.requireID()).set(\.$revokedAt, to: WallClock.system.now).update()
                recorder.record(AuditEvent(action: "user.\(action)", purpose: AuditPurpose.administration))
            }
            context.console.print(action == "password" ? "Password of \(username) changed; its API tokens are revoked."
                                                        : "Account \(username) deactivated; its API tokens are revoked.")
        default:
            throw CommandFailure(description: "Unknown action '\(signature.action)': use create, password or deactivate.")
        }
    }

    private func hashChecked(_ password: String?, username: String, app: Application) async throws -> String {
        guard let password else { throw CommandFailure(description: "--password is required") }
        if let problem = PasswordPolicy.problem(with: password, username: username) {
            throw CommandFailure(description: app.locales.text("error.\(problem.rawValue)", .en))
        }
        return try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(password).get()
    }
}
