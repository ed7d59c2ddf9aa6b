import Foundation
import Vapor
import WegwijsCore

/// `/admin/users`: the admin manages the accounts of their municipality in the browser (the `wegwijs user` command
/// stays for the first account of an installation). Decisions and audit entries are `AccountAdminService`'s.
struct AccountAdminWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        users.get(use: index)
        users.get("new", use: newForm)
        users.post("new", use: create)
        users.get(":accountID", use: edit)
        users.post(":accountID", use: update)
        users.post(":accountID", "password", use: password)
        users.post(":accountID", "deactivate", use: deactivate)
        users.post(":accountID", "activate", use: activate)
    }

    struct Row: Encodable {
        let id: UUID
        let username: String
        let displayName: String
        let role: String
        let organisation: String
        let languages: String
        let active: Bool
    }

    struct ListContext: Encodable {
        let page: PageInfo
        let rows: [Row]
        let activeCount: Int
    }

    func index(_ request: Request) async throws -> Response {
        let service = try AccountAdminService(request: request)
        let users = try await service.list()
        let locale = request.staffLocale
        let rows = users.map { user in
            Row(id: user.id!, username: user.username, displayName: user.displayName, role: request.t("role.\(user.role)"),
                organisation: user.$organisation.value?.name ?? "", languages: NameResolver.languageNames(user.languages, locale),
                active: user.active)
        }
        return try await request.render("admin/users", ListContext(page: PageInfo(request, titleKey: "users.title"),
                                                                   rows: rows, activeCount: rows.filter(\.active).count))
    }

    struct FormValues: Encodable {
        var username = ""
        var displayName = ""
        var role = ""
        var organisationId = ""
        var languages: [String] = []
        var email = ""
    }

    struct FormContext: Encodable {
        let page: PageInfo
        /// nil on the new-account form.
        let userId: UUID?
        let username: String
        let active: Bool
        let isSelf: Bool
        let values: FormValues
        let roleOptions: [Choice]
        let organisationOptions: [Choice]
        let languageOptions: [Choice]
        let errors: [String: String]
        let errorSummary: [ErrorLink]
        let passwordError: String?
    }

    func newForm(_ request: Request) async throws -> Response {
        let service = try AccountAdminService(request: request)
        try FamilyAccess.require(service.staff, .create, .account)
        return try await render(request, service: service, user: nil, values: FormValues(), errors: [], status: .ok)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try AccountAdminService(request: request)
        try FamilyAccess.require(service.staff, .create, .account)
        let form = try FormFields(request)
        let values = Self.values(form)
        var input = Self.input(values)
        input.password = form.raw("password")
        do {
            let user = try await service.create(input)
            request.setFlash("flash.userCreated")
            return request.redirect(to: "/admin/users/\(user.id!)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(request, service: service, user: nil, values: values,
                                    errors: fieldErrors(error, request), status: .unprocessableEntity)
        }
    }

    func edit(_ request: Request) async throws -> Response {
        let service = try AccountAdminService(request: request)
        let user = try await service.account(try userID(request))
        let values = Self.values(of: user)
        return try await render(request, service: service, user: user, values: values, errors: [], status: .ok)
    }

    func update(_ request: Request) async throws -> Response {
        let service = try AccountAdminService(request: request)
        let id = try userID(request)
        let user = try await service.account(id, .update)
        let form = try FormFields(request)
        var values = Self.values(form)
        values.username = user.username
        do {
            _ = try await service.update(id, Self.input(values))
            request.setFlash("flash.userSaved")
            return request.redirect(to: "/admin/users/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(request, service: service, user: user, values: values,
                                    errors: fieldErrors(error, request), status: .unprocessableEntity)
        }
    }

    func password(_ request: Request) async throws -> Response {
        let service = try AccountAdminService(request: request)
        let id = try userID(request)
        let user = try await service.account(id, .update)
        let form = try FormFields(request)
        do {
            try await service.setPassword(id, form.raw("password"))
            request.setFlash("flash.userPasswordSet")
            return request.redirect(to: "/admin/users/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let values = Self.values(of: user)
            return try await render(request, service: service, user: user, values: values,
                                    errors: fieldErrors(error, request), status: .unprocessableEntity)
        }
    }

    func deactivate(_ request: Request) async throws -> Response { try await setActive(request, false) }
    func activate(_ request: Request) async throws -> Response { try await setActive(request, true) }

    private func setActive(_ request: Request, _ active: Bool) async throws -> Response {
        let service = try AccountAdminService(request: request)
        let id = try userID(request)
        do {
            try await service.setActive(id, active)
            request.setFlash(active ? "flash.userActivated" : "flash.userDeactivated")
            return request.redirect(to: "/admin/users/\(id)")
        } catch let error as AppError where error.status == .conflict {
            // Refused (the own account, or nothing to change): the page says why, with the conflict's status.
            let user = try await service.account(id)
            let values = Self.values(of: user)
            return try await render(request, service: service, user: user, values: values,
                                    errors: [(field: "accountState", message: request.t("error.\(error.code)"))], status: .conflict)
        }
    }

    // MARK: helpers

    private func userID(_ request: Request) throws -> UUID { try request.uuidParameter("accountID", what: "account") }

    private static func values(_ form: FormFields) -> FormValues {
        FormValues(username: form.raw("username"), displayName: form.raw("displayName"), role: form["role"] ?? "",
                   organisationId: form["organisationId"] ?? "", languages: form.all("languages"), email: form.raw("email"))
    }

    /// The form filled in with what the account holds now.
    private static func values(of user: User) -> FormValues {
        FormValues(username: user.username, displayName: user.displayName, role: user.role,
                   organisationId: user.$organisation.id.uuidString, languages: user.languages, email: user.email ?? "")
    }

    private static func input(_ values: FormValues) -> AccountInput {
        AccountInput(username: values.username, displayName: values.displayName, role: values.role,
                     organisationID: UUID(uuidString: values.organisationId), languages: values.languages, email: values.email)
    }

    private func fieldErrors(_ error: AppError, _ request: Request) -> [(field: String, message: String)] {
        // `languages[3]` is reported on the languages fieldset.
        FamilyWebController.fieldErrors(from: error, request: request) { $0.hasPrefix("languages[") ? "languages" : $0 }
    }

    private func render(_ request: Request, service: AccountAdminService, user: User?, values: FormValues,
                        errors: [(field: String, message: String)], status: HTTPResponseStatus) async throws -> Response {
        let locale = request.staffLocale
        let organisations = try await service.organisations()
        // The account's own languages stay listed even when not among the common ones.
        var languageCodes = NameResolver.commonLanguages
        for code in values.languages where !languageCodes.contains(code) && Languages.isKnown(code) { languageCodes.append(code) }
        let languageOptions = languageCodes.map {
            Choice(value: $0, label: NameResolver.languageNames([$0], locale), selected: values.languages.contains($0))
        }.sorted { $0.label.localizedCompare($1.label) == .orderedAscending }
        let passwordError = errors.first { $0.field == "password" }?.message
        let context = FormContext(
            page: PageInfo(request, titleKey: user == nil ? "users.new.title" : "users.edit.title"),
            userId: user?.id, username: user?.username ?? "", active: user?.active ?? true,
            isSelf: user?.id == service.staff.userID, values: values,
            roleOptions: Role.allCases.map { Choice(value: $0.rawValue, label: request.t("role.\($0.rawValue)"), selected: values.role == $0.rawValue) },
            organisationOptions: organisations.map {
                Choice(value: $0.id!.uuidString, label: $0.name, selected: values.organisationId == $0.id!.uuidString)
            },
            languageOptions: languageOptions,
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) },
            passwordError: passwordError)
        return try await request.render("admin/user", context, status: status)
    }
}
