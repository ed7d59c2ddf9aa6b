import Fluent
import SQLKit
import Foundation
import Vapor
import WegwijsCore

/// Filters of the catalogue list (API query parameters and the staff UI's filter form).
struct OfferFilter: Content, Sendable, Equatable {
    var theme: String?
    var language: String?
    /// Also offers that can bridge to other languages with an interpreter or key person.
    var bridged: Bool?
    var form: String?
    var audience: String?
    /// A child's age in years: offers whose age range includes it.
    var age: Int?
    var kind: String?
    var situation: String?
    /// Only offers with a free place (or that do not count places).
    var freePlaces: Bool?
    /// A postcode area: the 4 digits (`2311`) or the first 2 (`23`).
    var postcode: String?
    var organisationId: UUID?
    /// `active` (default), `retired`, `to-classify` or `all`.
    var status: String?
    var search: String?

    func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if let theme, !Theme.isKnown(theme) { errors.append(.init("theme", "unknown-code")) }
        if let language, !Languages.isKnown(language) { errors.append(.init("language", "unknown-code")) }
        if let form, !OfferForm.isKnown(form) { errors.append(.init("form", "unknown-code")) }
        if let audience, !Audience.isKnown(audience) { errors.append(.init("audience", "unknown-code")) }
        if let kind, !OfferKind.isKnown(kind) { errors.append(.init("kind", "unknown-code")) }
        if let situation, !Situation.isKnown(situation) { errors.append(.init("situation", "unknown-code")) }
        if let age, !(0...OfferValidation.maxAge).contains(age) { errors.append(.init("age", "age-invalid")) }
        if let postcode, !(postcode.count == 2 || postcode.count == 4) || !postcode.allSatisfy(\.isNumber) {
            errors.append(.init("postcode", "postcode-area-invalid"))
        }
        if let status, status != "all", OfferStatus(rawValue: status) == nil { errors.append(.init("status", "unknown-code")) }
        return errors
    }
}

/// The catalogue: everyone signed in reads their municipality's offers; a partner creates and edits its own
/// organisation's offers and nobody else's; an admin edits all of the municipality. Every change keeps who and when.
struct OfferService {
    let db: any Database
    let staff: StaffIdentity
    let catalog: LocaleCatalog

    init(request: Request) throws {
        db = request.db
        staff = try request.requireStaff()
        catalog = request.application.locales
    }

    /// An offer's id and name, for a choice list.
    struct OfferName: Sendable {
        let id: UUID
        let name: String
    }

    /// Every active offer of the staff member's own municipality, by name (the intake's "why not?" list): two
    /// columns, as the whole model costs more to decode than the rest of the intake page's queries together.
    func activeOfferNamesOfMunicipality() async throws -> [OfferName] {
        guard let sql = db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
        return try await sql.select().column("id").column("name").from(Offer.schema)
            .where("municipality_id", .equal, staff.municipalityID).where("status", .equal, OfferStatus.active.rawValue)
            .orderBy("name").orderBy("id").all()
            .map { OfferName(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
    }

    func list(_ filter: OfferFilter, page: PageRequest) async throws -> (items: [Offer], total: Int) {
        let errors = filter.validate()
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let query = Self.query(filter, municipalityID: staff.municipalityID, on: db)
        let total = try await query.count()
        let items = try await query.copy().sort(\.$name).sort(\.$id).range(page.offset..<(page.offset + page.per)).all()
        return (items, total)
    }

    /// The offers of a municipality that pass `filter` (validated by the caller): the staff list, the API and the
    /// parents' place share it.
    static func query(_ filter: OfferFilter, municipalityID: UUID, on db: any Database) -> QueryBuilder<Offer> {
        let query = Offer.query(on: db).filter(\.$municipality.$id == municipalityID)
        // Validated by the caller: `all`, or an `OfferStatus` code (active when not given).
        if filter.status != "all" { query.filter(\.$status == (filter.status.flatMap(OfferStatus.init(rawValue:)) ?? .active)) }
        if let theme = filter.theme { query.filter(OfferCodes.theme(theme)) }
        if let language = filter.language {
            if filter.bridged == true {
                query.group(.or) { $0.filter(OfferCodes.language(language)).filter(\.$bridges == true) }
            } else {
                query.filter(OfferCodes.language(language))
            }
        }
        if let form = filter.form { query.filter(OfferCodes.form(form)) }
        if let audience = filter.audience { query.filter(\.$audience == audience) }
        if let kind = filter.kind { query.filter(\.$kind == kind) }
        if let age = filter.age { query.filter(\.$minimumAge <= age).filter(\.$maximumAge >= age) }
        if let situation = filter.situation {
            query.filter(OfferCodes.situation(situation))
        }
        if filter.freePlaces == true { query.filter(\.$freePlaces != 0) }
        if let postcode = filter.postcode { query.filter(OfferCodes.postcodeArea(postcode)) }
        if let organisation = filter.organisationId { query.filter(\.$organisation.$id == organisation) }
        if let search = filter.search?.trimmed, !search.isEmpty { query.filter(\.$name ~~ search) }
        return query
    }

    /// The municipality's active group offers, by name (what a series can be planned for).
    static func groupOffers(municipalityID: UUID, on db: any Database) async throws -> [Offer] {
        let offers = try await Offer.query(on: db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$status == OfferStatus.active).sort(\.$name).all()
        let forms = try await CodeTables.offerForms.load(offers.compactMap(\.id), on: db)
        return offers.filter { (forms[$0.id!] ?? []).contains(OfferForm.group.rawValue) }
    }

    /// An active offer of the municipality given as a group (form `group`): what a group series belongs to.
    static func groupOffer(_ id: UUID, municipalityID: UUID, on db: any Database) async throws -> Offer? {
        guard let offer = try await Offer.query(on: db).filter(\.$id == id).filter(\.$municipality.$id == municipalityID)
            .filter(\.$status == OfferStatus.active).first() else { return nil }
        let forms = try await CodeTables.offerForms.load(id, on: db)
        return forms.contains(OfferForm.group.rawValue) ? offer : nil
    }

    func find(_ id: UUID) async throws -> Offer {
        guard let offer = try await Offer.query(on: db).filter(\.$id == id)
            .filter(\.$municipality.$id == staff.municipalityID).first() else { throw AppError.notFound("offer") }
        return offer
    }

    /// The newest `limit` revisions of an offer of the own municipality (who changed it and when).
    func recentRevisions(of offer: Offer, limit: Int) async throws -> [OfferRevision] {
        guard offer.$municipality.id == staff.municipalityID, let id = offer.id else { return [] }
        return try await OfferRevision.query(on: db).filter(\.$offer.$id == id).sort(\.$version, .descending).limit(limit).all()
    }

    /// Imports an HSDS file into the own municipality's catalogue (admins; `replace` retires what the file lacks;
    /// `mode` a dry run or the confirmation of one).
    func importCatalogue(_ data: Data, replace: Bool, locale: StaffLocale, mode: ImportMode = .apply) async throws -> ImportReport {
        try FamilyAccess.require(staff, .importFile, .offer)
        guard let municipality = try await Tenancy(on: db).municipality(staff.municipalityID) else {
            throw AppError.notFound("municipality")
        }
        return try await CatalogExchange.import(data, municipalityCode: municipality.code, replace: replace,
                                                changedBy: staff.username, catalog: catalog, locale: locale, mode: mode, on: db)
    }

    /// How many offers of the own municipality wait to be classified (the catalogue list names them for editors).
    func countToClassify() async throws -> Int {
        try await Offer.query(on: db).filter(\.$municipality.$id == staff.municipalityID)
            .filter(\.$status == OfferStatus.toClassify).count()
    }

    /// Whether `staff` may change offers of `organisationID` (an organisation of the own municipality: `find` and
    /// the organisation lookup scope by municipality).
    func mayEdit(organisationID: UUID) -> Bool { Self.mayEdit(staff, organisationID: organisationID) }

    static func mayEdit(_ staff: StaffIdentity, organisationID: UUID) -> Bool {
        let relationships: Set<AccessPolicy.Relationship> = organisationID == staff.organisationID
            ? [.sameMunicipality, .ownOrganisation] : [.sameMunicipality]
        return AccessPolicy.decide(role: staff.role, relationships: relationships, action: .update, record: .offer) == .allowed
    }

    func create(_ draft: OfferDraft, organisationID requested: UUID?, id: UUID? = nil) async throws -> Offer {
        try FamilyAccess.require(staff, .create, .offer)
        let organisationID = requested ?? staff.organisationID
        guard mayEdit(organisationID: organisationID) else { throw AppError.forbidden }
        var errors = OfferValidation.validate(draft)
        let organisation = try await Organisation.query(on: db).filter(\.$id == organisationID)
            .filter(\.$municipality.$id == staff.municipalityID).first()
        if organisation == nil { errors.append(FieldError("organisationId", "unknown-organisation")) }
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let staff = self.staff
        return try await db.writeTransaction { tx in
            let offer = Offer()
            offer.id = id ?? UUID()
            offer.version = 1
            offer.status = .active
            offer.$municipality.id = staff.municipalityID
            offer.$organisation.id = organisationID
            offer.$updatedBy.id = staff.userID
            try offer.apply(draft)
            try await offer.create(on: tx)
            try await OfferCodes.store([offer], on: tx)
            try await OfferRevision(offerID: offer.id!, version: 1, change: "create", changedBy: staff.username).create(on: tx)
            return offer
        }
    }

    func update(_ id: UUID, _ draft: OfferDraft, version: Int?) async throws -> Offer {
        // The role gate first, as for families: a role that never edits offers learns nothing about this one.
        try FamilyAccess.require(staff, .update, .offer)
        guard let version else { throw AppError.versionRequired }
        let errors = OfferValidation.validate(draft)
        return try await change(id, version: version, change: "update") { offer in
            guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
            try offer.apply(draft)
            // A valid offer has a theme and a description: an imported offer waiting for them is now offered.
            if offer.status == .toClassify { offer.status = .active }
        }
    }

    func retire(_ id: UUID, version: Int?) async throws -> Offer {
        try FamilyAccess.require(staff, .close, .offer)
        guard let version else { throw AppError.versionRequired }
        return try await change(id, version: version, change: "retire") { offer in
            guard offer.status != .retired else {
                throw AppError(status: .conflict, code: "already-retired", message: "This offer is already retired.")
            }
            offer.status = .retired
        }
    }

    private func change(_ id: UUID, version: Int, change: String,
                        _ body: @escaping @Sendable (Offer) throws -> Void) async throws -> Offer {
        let staff = self.staff, service = self
        return try await db.writeTransaction { tx in
            let offer = try await OfferService(db: tx, staff: staff, catalog: service.catalog).find(id)
            // Another organisation's offer: refused without saying more than that.
            guard service.mayEdit(organisationID: offer.$organisation.id) else { throw AppError.forbidden }
            guard offer.version == version else { throw AppError.staleVersion }
            try body(offer)
            offer.version += 1
            offer.$updatedBy.id = staff.userID
            try await offer.update(on: tx)
            try await OfferCodes.store([offer], on: tx)
            try await OfferRevision(offerID: id, version: offer.version, change: change, changedBy: staff.username).create(on: tx)
            return offer
        }
    }

    private init(db: any Database, staff: StaffIdentity, catalog: LocaleCatalog) {
        self.db = db
        self.staff = staff
        self.catalog = catalog
    }
}
