import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The consent register page of a family: what is recorded, and a form to record a new consent.
struct ConsentWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let consents = routes.grouped("families", ":familyID", "consents")
        consents.get(use: index)
        consents.post(use: create)
        consents.post(":consentID", "withdraw", use: withdraw)
    }

    struct ConsentRow: Encodable {
        let id: UUID
        let purpose: String
        let organisation: String
        let categories: [String]
        let givenBy: String
        let givenOn: String
        let active: Bool
        let withdrawnOn: String?
    }

    struct FormValues: Encodable {
        var purpose = ""
        var organisationId = ""
        var dataCategories: [String] = []
        var givenBy = ""
        var givenOn = ""
        var note = ""
        /// Where to go once recorded: the referral form this consent is for (a path of this family only).
        var returnTo = ""
    }

    /// `returnTo` when it is the referral form of this family (with its choices as query), else nil: never another
    /// site, never another family.
    static func safeReturn(_ raw: String?, familyID: UUID) -> String? {
        guard let raw, raw.hasPrefix("/families/\(familyID)/referrals/new"), !raw.contains("//"), !raw.contains("\\"),
              raw.unicodeScalars.allSatisfy({ $0.isASCII && !CharacterSet.whitespacesAndNewlines.contains($0) }) else { return nil }
        let rest = raw.dropFirst("/families/\(familyID)/referrals/new".count)
        return rest.isEmpty || rest.hasPrefix("?") ? raw : nil
    }

    struct Context: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        /// Filled in from a referral: shown with a way back to it.
        let forReferral: Bool
        let consents: [ConsentRow]
        let canChange: Bool
        let values: FormValues
        let purposeOptions: [Choice]
        let organisationOptions: [Choice]
        let categoryOptions: [Choice]
        let errors: [String: String]
        let errorSummary: [ErrorLink]
    }

    func index(_ request: Request) async throws -> Response {
        var values = FormValues()
        values.givenOn = request.clock.today.description
        // Filled in from a referral (`?purpose=referral&organisationId=…&dataCategories=a,b&returnTo=…`): known codes only.
        if let purpose = try? request.query.get(String.self, at: "purpose"), ConsentPurpose(rawValue: purpose) != nil {
            values.purpose = purpose
        }
        if let organisation = (try? request.query.get(String.self, at: "organisationId")).flatMap(UUID.init(uuidString:)) {
            values.organisationId = organisation.uuidString
        }
        if let categories = try? request.query.get(String.self, at: "dataCategories") {
            values.dataCategories = categories.split(separator: ",").map(String.init).filter { DataCategory(rawValue: $0) != nil }
        }
        values.returnTo = Self.safeReturn(try? request.query.get(String.self, at: "returnTo"), familyID: try familyID(request)) ?? ""
        return try await render(request, values: values, errors: [], status: .ok)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try ConsentService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let id = try familyID(request)
        let form = try FormFields(request)
        var values = FormValues()
        values.purpose = form["purpose"] ?? ""
        values.organisationId = form["organisationId"] ?? ""
        values.dataCategories = form.all("dataCategories")
        values.givenBy = form.raw("givenBy")
        values.givenOn = form.raw("givenOn")
        values.note = form.raw("note")
        values.returnTo = Self.safeReturn(form["returnTo"], familyID: id) ?? ""
        let input = ConsentInput(purpose: values.purpose, organisationId: UUID(uuidString: values.organisationId),
                                 dataCategories: values.dataCategories, givenBy: values.givenBy,
                                 givenOn: values.givenOn.trimmed.nilIfEmpty, note: values.note)
        do {
            _ = try await service.record(id, input)
            if let back = values.returnTo.nilIfEmpty {
                request.setFlash("flash.consentRecordedForReferral")
                return request.redirect(to: back)
            }
            request.setFlash("flash.consentRecorded")
            return request.redirect(to: "/families/\(id)/consents")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            return try await render(request, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    func withdraw(_ request: Request) async throws -> Response {
        let service = try ConsentService(request: request)
        let id = try familyID(request)
        let consentID = try request.uuidParameter("consentID", what: "consent")
        do {
            _ = try await service.withdraw(id, consentID: consentID)
            request.setFlash("flash.consentWithdrawn")
        } catch let error as AppError where error.status == .conflict {
            request.setFlash("error.already-withdrawn")
        }
        return request.redirect(to: "/families/\(id)/consents")
    }

    private func render(_ request: Request, values: FormValues, errors: [(field: String, message: String)],
                        status: HTTPResponseStatus) async throws -> Response {
        let service = try ConsentService(request: request)
        let id = try familyID(request)
        let consents = try await service.list(id)
        let (family, _) = try await service.families.read(id, action: "consent.list")
        let locale = request.staffLocale
        let catalog = request.application.locales
        let region = try await request.tenancy.regionMunicipalities(of: service.staff.municipalityID)
        let organisations = try await request.tenancy.organisations(in: region)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        let rows = consents.map { consent, organisation in
            ConsentRow(id: consent.id!, purpose: catalog.label("consentPurpose", consent.purpose, locale),
                       organisation: organisation,
                       categories: consent.dataCategories.map { catalog.label("dataCategory", $0, locale) },
                       givenBy: consent.givenBy, givenOn: consent.givenOn, active: consent.isActive,
                       withdrawnOn: consent.withdrawnAt.map { formatter.string(from: $0) })
        }
        let context = Context(
            page: PageInfo(request, titleKey: "consents.title"), familyId: id, familyName: family.name, forReferral: !values.returnTo.isEmpty, consents: rows,
            canChange: FamilyAccess.mayChangeFamilies(service.staff.role), values: values,
            purposeOptions: ConsentPurpose.allCodes.map {
                Choice(value: $0, label: catalog.label("consentPurpose", $0, locale), selected: values.purpose == $0)
            },
            organisationOptions: organisations.map {
                Choice(value: $0.id!.uuidString, label: $0.name, selected: values.organisationId == $0.id!.uuidString)
            },
            categoryOptions: DataCategory.allCodes.map {
                Choice(value: $0, label: catalog.label("dataCategory", $0, locale), selected: values.dataCategories.contains($0))
            },
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) })
        return try await request.render("consents/index", context, status: status)
    }

    private func familyID(_ request: Request) throws -> UUID { try request.uuidParameter("familyID", what: "family") }
}
