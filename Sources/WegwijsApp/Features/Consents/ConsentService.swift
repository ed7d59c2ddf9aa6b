import Fluent
import Foundation
import Vapor
import WegwijsCore

struct ConsentInput: Content {
    var purpose: String
    var organisationId: UUID?
    var dataCategories: [String]?
    var givenBy: String
    /// `YYYY-MM-DD`; today when absent.
    var givenOn: String?
    var note: String?
}

struct ConsentDTO: Content {
    let id: UUID
    let familyId: UUID
    let purpose: String
    let organisationId: UUID
    let organisationName: String
    let dataCategories: [String]
    let givenBy: String
    let givenOn: String
    let withdrawnAt: Date?
    let active: Bool
    let note: String?
    let recordedAt: Date?

    init(_ consent: Consent, organisationName: String) {
        id = consent.id!
        familyId = consent.$family.id
        purpose = consent.purpose
        organisationId = consent.$organisation.id
        self.organisationName = organisationName
        dataCategories = consent.dataCategories
        givenBy = consent.givenBy
        givenOn = consent.givenOn
        withdrawnAt = consent.withdrawnAt
        active = consent.isActive
        note = consent.note
        recordedAt = consent.createdAt
    }
}

/// The consent register of a family. Reading follows the family's access rules; recording and withdrawing is
/// the case manager's. Withdrawal is immediate: every later check reads `withdrawnAt`.
struct ConsentService {
    let families: FamilyService

    init(request: Request) throws {
        families = try FamilyService(request: request)
    }

    var staff: StaffIdentity { families.staff }

    func list(_ familyID: UUID) async throws -> [(Consent, String)] {
        try FamilyAccess.requireRead(staff)
        _ = try await families.read(familyID, action: "consent.list")
        let consents = try await Consent.query(on: families.db).filter(\.$family.$id == familyID)
            .with(\.$organisation).sort(\.$createdAt, .descending).all()
        try await Consent.loadCategories(consents, on: families.db)
        return consents.map { ($0, $0.organisation.name) }
    }

    func record(_ familyID: UUID, _ input: ConsentInput) async throws -> (Consent, String) {
        try FamilyAccess.requireChange(staff)
        // A family out of reach is a 404 before anything about the input is said.
        try await families.requireInReach(familyID)
        let today = families.today
        var errors: [FieldError] = []
        if !ConsentPurpose.isKnown(input.purpose) { errors.append(.init("purpose", input.purpose.isEmpty ? "required" : "unknown-code")) }
        let categories = input.dataCategories ?? []
        if categories.isEmpty { errors.append(.init("dataCategories", "required")) }
        for (index, code) in categories.enumerated() where !DataCategory.isKnown(code) {
            errors.append(.init("dataCategories[\(index)]", "unknown-code"))
        }
        let givenBy = input.givenBy.trimmed
        if givenBy.isEmpty { errors.append(.init("givenBy", "required")) }
        if givenBy.count > FamilyValidation.maxNameLength { errors.append(.init("givenBy", "too-long")) }
        if let note = input.note, note.count > FamilyValidation.maxTextLength { errors.append(.init("note", "too-long")) }
        let givenOn = input.givenOn?.nilIfEmpty ?? today.description
        if let date = CalendarDate(iso: givenOn) {
            if date > today { errors.append(.init("givenOn", "future-date")) }
        } else {
            errors.append(.init("givenOn", "date-invalid"))
        }
        var organisation: Organisation?
        if let id = input.organisationId {
            // Any organisation of the municipality's region: referrals may go there (small municipalities buy jointly).
            let region = try await ReferralService.regionMunicipalities(of: staff.municipalityID, on: families.db)
            organisation = try await Organisation.query(on: families.db).filter(\.$id == id)
                .filter(\.$municipality.$id ~~ region).first()
            if organisation == nil { errors.append(.init("organisationId", "unknown-organisation")) }
        } else {
            errors.append(.init("organisationId", "required"))
        }
        guard errors.isEmpty, let organisation else { throw AppError.invalid(errors, catalog: families.catalog) }

        let staff = self.staff, families = self.families
        return try await families.audit.write(on: families.db, by: AuditSubject(staff)) { tx, recorder in
            let (family, _) = try await families.loadForChange(familyID, on: tx, recorder: recorder)
            let consent = Consent()
            consent.id = UUID()
            consent.version = 1
            consent.purpose = input.purpose
            consent.dataCategories = CodeList.unique(categories)
            consent.givenBy = givenBy
            consent.givenOn = givenOn
            consent.note = input.note?.trimmed.nilIfEmpty
            consent.$family.id = familyID
            consent.$municipality.id = staff.municipalityID
            consent.$organisation.id = try organisation.requireID()
            consent.$recordedBy.id = staff.userID
            try await consent.create(on: tx)
            try await consent.storeCategories(on: tx)
            recorder.record(AuditEvent(action: "consent.create", familyID: familyID, familyReference: family.reference,
                                       detail: "purpose=\(input.purpose)"))
            return (consent, organisation.name)
        }
    }

    func withdraw(_ familyID: UUID, consentID: UUID) async throws -> (Consent, String) {
        try FamilyAccess.requireChange(staff)
        let staff = self.staff, families = self.families
        return try await families.audit.write(on: families.db, by: AuditSubject(staff)) { tx, recorder in
            let (family, _) = try await families.loadForChange(familyID, on: tx, recorder: recorder)
            guard let consent = try await Consent.query(on: tx).filter(\.$id == consentID)
                .filter(\.$family.$id == familyID).with(\.$organisation).first() else { throw AppError.notFound("consent") }
            try await Consent.loadCategories([consent], on: tx)
            guard consent.isActive else {
                throw AppError(status: .conflict, code: "already-withdrawn", message: "This consent was already withdrawn.")
            }
            consent.withdrawnAt = families.clock.now
            consent.$withdrawnBy.id = staff.userID
            consent.version += 1
            try await consent.update(on: tx)
            // The partner's access through referrals resting on this consent ends now, in this transaction.
            recorder.record(AuditEvent(action: "consent.withdraw", familyID: familyID, familyReference: family.reference,
                                       detail: "purpose=\(consent.purpose)"))
            try await families.publish(.consentWithdrawn(consentID: consentID, familyID: familyID), tx, recorder)
            return (consent, consent.organisation.name)
        }
    }

    /// Whether an active consent covers sharing with `organisationID` for `purpose` (used by referrals).
    static func hasActiveConsent(familyID: UUID, organisationID: UUID, purpose: ConsentPurpose,
                                 on db: any Database) async throws -> Bool {
        try await Consent.query(on: db).filter(\.$family.$id == familyID).filter(\.$organisation.$id == organisationID)
            .filter(\.$purpose == purpose.rawValue).filter(\.$withdrawnAt == nil).count() > 0
    }
}

/// `/api/v1/families/:familyID/consents`.
struct ConsentAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let consents = routes.grouped("families", ":familyID", "consents")
        consents.get(use: list)
        consents.post(use: create)
        consents.post(":consentID", "withdraw", use: withdraw)
    }

    func list(_ request: Request) async throws -> [ConsentDTO] {
        try await ConsentService(request: request).list(try request.uuidParameter("familyID", what: "family")).map { ConsentDTO($0.0, organisationName: $0.1) }
    }

    func create(_ request: Request) async throws -> Response {
        let service = try ConsentService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let input = try request.content.decode(ConsentInput.self)
        let (consent, name) = try await service.record(try request.uuidParameter("familyID", what: "family"), input)
        let response = Response(status: .created)
        try response.content.encode(ConsentDTO(consent, organisationName: name), as: .json)
        return response
    }

    func withdraw(_ request: Request) async throws -> ConsentDTO {
        let service = try ConsentService(request: request)
        let (consent, name) = try await service.withdraw(try request.uuidParameter("familyID", what: "family"),
                                                         consentID: try request.uuidParameter("consentID", what: "consent"))
        return ConsentDTO(consent, organisationName: name)
    }
}
