import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The catalogue pages of the staff UI: browse and filter, an offer's page with its culture-sensitivity profile,
/// the offer form for partners (their own organisation) and admins (all), and the admin's HSDS import.
struct CatalogWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let catalog = routes.grouped("catalog")
        catalog.get(use: list)
        catalog.get("new", use: newForm)
        catalog.post("new", use: create)
        catalog.get(":offerID", use: show)
        catalog.get(":offerID", "edit", use: editForm)
        catalog.post(":offerID", "edit", use: update)
        catalog.post(":offerID", "retire", use: retire)
        routes.get("admin", "catalog", "import", use: importForm)
        routes.on(.POST, "admin", "catalog", "import", body: .collect(maxSize: "20mb"), use: importFile)
    }

    // MARK: browse

    struct Row: Encodable {
        let id: UUID
        let name: String
        let organisation: String
        let kind: String
        let themes: [String]
        let languages: String
        let ages: String
        let places: String
        let retired: Bool
        /// Imported without a Wegwijs theme: waits for an editor.
        var toClassify = false
    }

    struct ListContext: Encodable {
        let page: PageInfo
        let filter: FilterValues
        let themeOptions: [Choice]
        let languageOptions: [Choice]
        let formOptions: [Choice]
        let audienceOptions: [Choice]
        let kindOptions: [Choice]
        let situationOptions: [Choice]
        let rows: [Row]
        let total: Int
        let pagination: FamilyWebController.Pagination
        let query: String
        let canCreate: Bool
        let errors: [String: String]
        /// Offers waiting to be classified, for those who may edit offers (0 for the others: nothing shown).
        var toClassify = 0
        var showingToClassify = false
    }

    struct FilterValues: Encodable {
        var age = ""
        var postcode = ""
        var freePlaces = false
        var bridged = false
        var search = ""
    }

    func list(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let locale = request.staffLocale
        let catalog = request.application.locales
        var errors: [String: String] = [:]
        var filter = OfferFilter()
        // An age that is not a number is named next to its field; the other filters still apply.
        let typedAge = request.query[String.self, at: "age"] ?? ""
        if let age = typedAge.trimmed.nilIfEmpty, Int(age) == nil {
            errors["age"] = request.t("error.age-invalid")
            request.url.query = (request.url.query ?? "").split(separator: "&").filter { !$0.hasPrefix("age=") }.joined(separator: "&")
        }
        do {
            filter = try OfferAPIController.filter(from: request)
        } catch let error as AppError {
            for field in error.fieldCodes ?? [] { errors[field.field] = request.t("error.\(field.code)") }
        }
        let paging = (try? PageRequest.from(request)) ?? PageRequest()
        var rows: [Row] = []
        var total = 0
        do {
            let result = try await service.list(filter, page: paging)
            total = result.total
            let organisations = try await request.tenancy.organisations(in: [service.staff.municipalityID])
            let names = Dictionary(uniqueKeysWithValues: organisations.map { ($0.id!, $0.name) })
            rows = try result.items.map { offer in
                let draft = try offer.draft
                return Row(id: offer.id!, name: offer.name, organisation: names[offer.$organisation.id] ?? "",
                           kind: catalog.label("kind", draft.kind, locale),
                           themes: draft.themes.map { catalog.label("theme", $0, locale) },
                           languages: NameResolver.languageNames(draft.languages, locale),
                           ages: Self.ages(draft, request), places: Self.places(draft, request),
                           retired: offer.status == .retired, toClassify: offer.status == .toClassify)
            }
        } catch let error as AppError where error.status == .unprocessableEntity {
            for field in error.fieldCodes ?? [] { errors[field.field] = request.t("error.\(field.code)") }
        }
        // The query string without `page`, for the pagination links (catalogue filters hold no personal data).
        let query = (request.url.query ?? "").split(separator: "&").filter { !$0.hasPrefix("page=") }.joined(separator: "&")
        func choices<V: VocabularyCode>(_ type: V.Type, _ vocabulary: String, _ selected: String?) -> [Choice] {
            catalog.choices(type, vocabulary, locale, selected: [selected].compactMap { $0 })
        }
        let context = ListContext(
            page: PageInfo(request, titleKey: "catalog.title"),
            filter: FilterValues(age: errors["age"] == nil ? filter.age.map(String.init) ?? "" : typedAge,
                                 postcode: request.query[String.self, at: "postcode"] ?? "",
                                 freePlaces: filter.freePlaces == true, bridged: filter.bridged == true, search: filter.search ?? ""),
            themeOptions: choices(Theme.self, "theme", filter.theme).sorted { $0.label < $1.label },
            languageOptions: FamilyWebController.languageChoices(locale, selected: filter.language),
            formOptions: choices(OfferForm.self, "form", filter.form),
            audienceOptions: choices(Audience.self, "audience", filter.audience),
            kindOptions: choices(OfferKind.self, "kind", filter.kind),
            situationOptions: choices(Situation.self, "situation", filter.situation),
            rows: rows, total: total,
            pagination: .init(paging, total: total),
            query: query.isEmpty ? "" : query + "&",
            canCreate: FamilyAccess.may(service.staff.role, .create, .offer), errors: errors,
            toClassify: FamilyAccess.may(service.staff.role, .update, .offer) ? try await service.countToClassify() : 0,
            showingToClassify: filter.status == OfferStatus.toClassify.rawValue)
        return try await request.render("catalog/list", context)
    }

    static func ages(_ draft: OfferDraft, _ request: Request) -> String {
        switch (draft.minimumAge, draft.maximumAge) {
        case (nil, nil): return request.t("catalog.allAges")
        case (let low, let high): return "\(low ?? 0)–\(high ?? OfferValidation.maxAge) \(request.t("member.years"))"
        }
    }

    static func places(_ draft: OfferDraft, _ request: Request) -> String {
        guard let free = draft.freePlaces else { return request.t("catalog.placesOpen") }
        if free > 0 { return "\(free) \(request.t("catalog.placesFree"))" }
        return request.t(draft.waitingList ? "catalog.waitingList" : "catalog.full")
    }

    // MARK: one offer

    struct ShowContext: Encodable {
        let page: PageInfo
        let id: UUID
        let version: Int
        let retired: Bool
        let organisation: String
        let offer: OfferDraft
        let kind: String
        let supportType: String
        let audience: String
        let themes: [String]
        let forms: [String]
        let forSituations: [String]
        let excludesSituations: [String]
        let suitsSituations: [String]
        let languages: String
        let ages: String
        let places: String
        let days: String
        let frequency: String?
        let evidence: String?
        /// Which budget pays for it (R41); nil when not recorded.
        let funding: String?
        let serviceAreas: [String]
        let culture: [Choice]
        let canEdit: Bool
        let revisions: [String]
        /// The offer's name and description per parent language, with its review status.
        let translations: [TranslationCell]
        /// Imported without a Wegwijs theme: waits for an editor.
        var toClassify = false
    }

    func show(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let offer = try await service.find(try request.uuidParameter("offerID", what: "offer"))
        let draft = try offer.draft
        let locale = request.staffLocale
        let catalog = request.application.locales
        func labels(_ vocabulary: String, _ codes: [String]) -> [String] { codes.map { catalog.label(vocabulary, $0, locale) } }
        let organisation = try await request.tenancy.organisation(offer.$organisation.id)
        let revisions = try await service.recentRevisions(of: offer, limit: 5)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        let context = ShowContext(
            page: PageInfo(request, titleKey: "catalog.offer"), id: offer.id!, version: offer.version,
            retired: offer.status == .retired, organisation: organisation?.name ?? "", offer: draft,
            kind: catalog.label("kind", draft.kind, locale), supportType: catalog.label("supportType", draft.supportType, locale),
            audience: catalog.label("audience", draft.audience, locale), themes: labels("theme", draft.themes),
            forms: labels("form", draft.forms), forSituations: labels("situation", draft.forSituations),
            excludesSituations: labels("situation", draft.excludesSituations),
            suitsSituations: labels("situation", draft.suitsSituations),
            languages: NameResolver.languageNames(draft.languages, locale), ages: Self.ages(draft, request),
            places: Self.places(draft, request), days: labels("weekday", draft.days).joined(separator: ", "),
            frequency: draft.frequency.map { catalog.label("frequency", $0, locale) },
            evidence: draft.evidence.map { catalog.label("evidence", $0, locale) },
            funding: draft.funding.map { catalog.label("funding", $0, locale) },
            serviceAreas: labels("serviceArea", draft.serviceAreas),
            culture: CultureItem.allCodes.map { Choice(value: $0, label: catalog.label("culture", $0, locale),
                                                       selected: draft.culture.contains($0)) },
            canEdit: service.mayEdit(organisationID: offer.$organisation.id) && offer.status != .retired,
            revisions: revisions.map { "\($0.version) · \($0.change) · \($0.changedBy) · \($0.changedAt.map(formatter.string) ?? "")" },
            translations: try await Self.translationCells(offer, draft, request),
            toClassify: offer.status == .toClassify)
        return try await request.render("catalog/show", context)
    }

    struct TranslationCell: Encodable {
        let language: String
        let name: String
        let state: String
        let label: String
        let href: String
    }

    /// Each parent language with the state of the offer's translation into it.
    static func translationCells(_ offer: Offer, _ draft: OfferDraft, _ request: Request) async throws -> [TranslationCell] {
        let byLanguage = Dictionary(try await request.offerTranslations.all(of: [try offer.requireID()])[offer.id!, default: []]
            .map { ($0.language, $0) }, uniquingKeysWith: { first, _ in first })
        let digest = OfferTranslation.sourceDigest(of: draft)
        let catalog = request.application.locales
        return OfferTranslationLanguages.all(request.application.parentContent).map { language in
            let state = byLanguage[language.code]?.state(sourceDigest: digest) ?? .missing
            return TranslationCell(language: language.code, name: language.name, state: state.rawValue,
                                   label: catalog.text("translations.state.\(state.rawValue)", request.staffLocale),
                                   href: OfferTranslationWebController.href(offer, language.code))
        }
    }

    // MARK: the offer form

    struct FormContext: Encodable {
        let page: PageInfo
        let action: String
        let isNew: Bool
        let version: Int?
        let values: OfferFormValues
        let errors: [String: String]
        let errorSummary: [ErrorLink]
        let organisationOptions: [Choice]
        let themeOptions: [Choice]
        let formOptions: [Choice]
        let kindOptions: [Choice]
        let supportTypeOptions: [Choice]
        let audienceOptions: [Choice]
        let phaseOptions: [Choice]
        let frequencyOptions: [Choice]
        let evidenceOptions: [Choice]
        let fundingOptions: [Choice]
        let areaOptions: [Choice]
        let dayOptions: [Choice]
        let cultureOptions: [Choice]
        let forOptions: [Choice]
        let suitsOptions: [Choice]
        let excludesOptions: [Choice]
        let languages: [Choice]
    }

    /// What the offer form holds, as typed.
    struct OfferFormValues: Encodable {
        var organisationId = ""
        var name = ""
        var description = ""
        var kind = OfferKind.informal.rawValue
        var supportType = SupportType.information.rawValue
        var audience = Audience.mixed.rawValue
        var phase = ""
        var themes: [String] = []
        var forms: [String] = []
        var forSituations: [String] = []
        var suitsSituations: [String] = []
        var excludesSituations: [String] = []
        var languages = ""
        var bridgeInterpreter = false
        var bridgeKeyPerson = false
        var minimumAge = ""
        var maximumAge = ""
        var serviceAreas: [String] = []
        var locationName = ""
        var address = ""
        var postcode = ""
        var city = ""
        var days: [String] = []
        var opensAt = ""
        var closesAt = ""
        var sessions = ""
        var frequency = ""
        var frequencyNote = ""
        var capacity = ""
        var freePlaces = ""
        var waitingList = false
        var cost = ""
        var costNote = ""
        var registrationRequired = false
        var childcare = false
        var evidence = ""
        var funding = ""
        var contactName = ""
        var contactPhone = ""
        var contactEmail = ""
        var url = ""
        var activeFrom = ""
        var activeUntil = ""
        var lastChecked = ""
        var culture: [String] = []

        init() {}

        init(_ form: FormFields) {
            organisationId = form["organisationId"] ?? ""
            name = form.raw("name"); description = form.raw("description")
            kind = form["kind"] ?? ""; supportType = form["supportType"] ?? ""; audience = form["audience"] ?? ""
            phase = form["phase"] ?? ""
            themes = form.all("themes"); forms = form.all("forms"); forSituations = form.all("forSituations")
            suitsSituations = form.all("suitsSituations"); excludesSituations = form.all("excludesSituations")
            languages = form.raw("languages")
            bridgeInterpreter = form["bridgeInterpreter"] != nil; bridgeKeyPerson = form["bridgeKeyPerson"] != nil
            minimumAge = form.raw("minimumAge"); maximumAge = form.raw("maximumAge")
            serviceAreas = form.all("serviceAreas")
            locationName = form.raw("locationName"); address = form.raw("address"); postcode = form.raw("postcode")
            city = form.raw("city"); days = form.all("days"); opensAt = form.raw("opensAt"); closesAt = form.raw("closesAt")
            sessions = form.raw("sessions"); frequency = form["frequency"] ?? ""; frequencyNote = form.raw("frequencyNote")
            capacity = form.raw("capacity"); freePlaces = form.raw("freePlaces"); waitingList = form["waitingList"] != nil
            cost = form.raw("cost"); costNote = form.raw("costNote")
            registrationRequired = form["registrationRequired"] != nil; childcare = form["childcare"] != nil
            evidence = form["evidence"] ?? ""; funding = form["funding"] ?? ""; contactName = form.raw("contactName"); contactPhone = form.raw("contactPhone")
            contactEmail = form.raw("contactEmail"); url = form.raw("url"); activeFrom = form.raw("activeFrom")
            activeUntil = form.raw("activeUntil"); lastChecked = form.raw("lastChecked"); culture = form.all("culture")
        }

        init(_ draft: OfferDraft, organisationID: UUID, locale: StaffLocale) {
            organisationId = organisationID.uuidString
            name = draft.name; description = draft.description; kind = draft.kind; supportType = draft.supportType
            audience = draft.audience; phase = draft.phase.map(String.init) ?? ""
            themes = draft.themes; forms = draft.forms; forSituations = draft.forSituations
            suitsSituations = draft.suitsSituations; excludesSituations = draft.excludesSituations
            languages = NameResolver.languageNames(draft.languages, locale)
            bridgeInterpreter = draft.bridgeInterpreter; bridgeKeyPerson = draft.bridgeKeyPerson
            minimumAge = draft.minimumAge.map(String.init) ?? ""; maximumAge = draft.maximumAge.map(String.init) ?? ""
            serviceAreas = draft.serviceAreas
            let location = draft.locations.first
            locationName = location?.name ?? ""; address = location?.address ?? ""; postcode = location?.postcode ?? ""
            city = location?.city ?? ""; days = draft.days; opensAt = draft.opensAt ?? ""; closesAt = draft.closesAt ?? ""
            sessions = draft.sessions.map(String.init) ?? ""; frequency = draft.frequency ?? ""
            frequencyNote = draft.frequencyNote ?? ""; capacity = draft.capacity.map(String.init) ?? ""
            freePlaces = draft.freePlaces.map(String.init) ?? ""; waitingList = draft.waitingList
            cost = draft.cost.map { String($0) } ?? ""; costNote = draft.costNote ?? ""
            registrationRequired = draft.registrationRequired; childcare = draft.childcare; evidence = draft.evidence ?? ""
            funding = draft.funding ?? ""
            contactName = draft.contactName ?? ""; contactPhone = draft.contactPhone ?? ""; contactEmail = draft.contactEmail ?? ""
            url = draft.url ?? ""; activeFrom = draft.activeFrom ?? ""; activeUntil = draft.activeUntil ?? ""
            lastChecked = draft.lastChecked ?? ""; culture = draft.culture
        }

        /// The draft, plus the fields whose text is not a number (validation cannot see those otherwise).
        func draft() -> (OfferDraft, [FieldError]) {
            var errors: [FieldError] = []
            func number(_ text: String, _ field: String) -> Int? {
                let trimmed = text.trimmed
                guard !trimmed.isEmpty else { return nil }
                guard let value = Int(trimmed) else { errors.append(FieldError(field, "number-invalid")); return nil }
                return value
            }
            func text(_ value: String) -> String? { value.trimmed.nilIfEmpty }
            var location = OfferLocation(name: text(locationName), address: text(address),
                                         postcode: text(postcode).map(FamilyValidation.normalisedPostcode), city: text(city))
            if let raw = text(postcode), !FamilyValidation.isDutchPostcode(raw) { location.postcode = raw }
            let hasLocation = [locationName, address, postcode, city].contains { !$0.trimmed.isEmpty }
            var costValue: Double?
            if let raw = text(cost) {
                costValue = Double(raw.replacingOccurrences(of: ",", with: "."))
                if costValue == nil { errors.append(FieldError("cost", "number-invalid")) }
            }
            let draft = OfferDraft(
                name: name, description: description, kind: kind, supportType: supportType, forms: forms, themes: themes,
                forSituations: forSituations, excludesSituations: excludesSituations, suitsSituations: suitsSituations,
                audience: audience, languages: NameResolver.languageCodes(from: languages),
                bridgeInterpreter: bridgeInterpreter, bridgeKeyPerson: bridgeKeyPerson,
                minimumAge: number(minimumAge, "minimumAge"), maximumAge: number(maximumAge, "maximumAge"),
                phase: number(phase, "phase"), serviceAreas: serviceAreas, locations: hasLocation ? [location] : [],
                days: days, opensAt: text(opensAt), closesAt: text(closesAt), sessions: number(sessions, "sessions"),
                frequency: text(frequency), frequencyNote: text(frequencyNote), capacity: number(capacity, "capacity"),
                freePlaces: number(freePlaces, "freePlaces"), waitingList: waitingList, cost: costValue,
                costNote: text(costNote), registrationRequired: registrationRequired, childcare: childcare,
                evidence: text(evidence), contactName: text(contactName), contactPhone: text(contactPhone),
                contactEmail: text(contactEmail), url: text(url), activeFrom: text(activeFrom), activeUntil: text(activeUntil),
                lastChecked: text(lastChecked), culture: culture, funding: text(funding))
            return (draft, errors)
        }
    }

    func newForm(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.require(staff, .create, .offer)
        var values = OfferFormValues()
        values.organisationId = staff.organisationID.uuidString
        values.lastChecked = request.clock.today.description
        return try await renderForm(request, offer: nil, values: values, errors: [], status: .ok)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let values = OfferFormValues(try FormFields(request))
        let (draft, numberErrors) = values.draft()
        do {
            if !numberErrors.isEmpty { throw AppError.invalid(numberErrors + OfferValidation.validate(draft), catalog: service.catalog) }
            let offer = try await service.create(draft, organisationID: UUID(uuidString: values.organisationId))
            request.setFlash("flash.offerSaved")
            return request.redirect(to: "/catalog/\(offer.id!)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderForm(request, offer: nil, values: values, errors: formErrors(error, request), status: error.status)
        }
    }

    func editForm(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        try FamilyAccess.require(service.staff, .update, .offer)
        let offer = try await service.find(try request.uuidParameter("offerID", what: "offer"))
        guard service.mayEdit(organisationID: offer.$organisation.id) else { throw AppError.forbidden }
        let values = OfferFormValues(try offer.draft, organisationID: offer.$organisation.id, locale: request.staffLocale)
        return try await renderForm(request, offer: (offer.id!, offer.version), values: values, errors: [], status: .ok)
    }

    func update(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let id = try request.uuidParameter("offerID", what: "offer")
        let form = try FormFields(request)
        let values = OfferFormValues(form)
        let version = form["version"].flatMap(Int.init)
        let (draft, numberErrors) = values.draft()
        do {
            if !numberErrors.isEmpty { throw AppError.invalid(numberErrors + OfferValidation.validate(draft), catalog: service.catalog) }
            _ = try await service.update(id, draft, version: version)
            request.setFlash("flash.offerSaved")
            return request.redirect(to: "/catalog/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let errors = error.status == .conflict ? [(field: "form", message: request.t("error.stale-version"))]
                                                   : formErrors(error, request)
            return try await renderForm(request, offer: (id, version ?? 0), values: values, errors: errors, status: error.status)
        }
    }

    func retire(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let id = try request.uuidParameter("offerID", what: "offer")
        do {
            _ = try await service.retire(id, version: try FormFields(request)["version"].flatMap(Int.init))
            request.setFlash("flash.offerRetired")
        } catch let error as AppError where error.status == .conflict {
            request.setFlash("error.stale-version")
        }
        return request.redirect(to: "/catalog/\(id)")
    }

    private func formErrors(_ error: AppError, _ request: Request) -> [(field: String, message: String)] {
        FamilyWebController.fieldErrors(from: error, request: request) { field in
            if field.hasPrefix("locations[") { return String(field.split(separator: ".").last ?? "") }
            return FamilyWebController.baseField(field)
        }
    }

    private func renderForm(_ request: Request, offer: (id: UUID, version: Int)?, values: OfferFormValues,
                            errors: [(field: String, message: String)], status: HTTPResponseStatus) async throws -> Response {
        let staff = try request.requireStaff()
        let locale = request.staffLocale
        let catalog = request.application.locales
        func choices<V: VocabularyCode>(_ type: V.Type, _ vocabulary: String, _ selected: [String]) -> [Choice] {
            catalog.choices(type, vocabulary, locale, selected: selected)
        }
        let organisations = try await request.tenancy.organisations(in: [staff.municipalityID]).filter { OfferService.mayEdit(staff, organisationID: $0.id!) }
        let context = FormContext(
            page: PageInfo(request, titleKey: offer == nil ? "catalog.newTitle" : "catalog.editTitle"),
            action: offer.map { "/catalog/\($0.id)/edit" } ?? "/catalog/new", isNew: offer == nil, version: offer?.version,
            values: values, errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.filter { $0.field != "form" }.map { ErrorLink(field: $0.field, message: $0.message) },
            organisationOptions: organisations.map {
                Choice(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == values.organisationId)
            },
            themeOptions: choices(Theme.self, "theme", values.themes).sorted { $0.label < $1.label },
            formOptions: choices(WegwijsCore.OfferForm.self, "form", values.forms),
            kindOptions: choices(OfferKind.self, "kind", [values.kind]),
            supportTypeOptions: choices(SupportType.self, "supportType", [values.supportType]),
            audienceOptions: choices(Audience.self, "audience", [values.audience]),
            phaseOptions: ["1", "2", "3"].map { Choice(value: $0, label: catalog.label("phase", $0, locale), selected: values.phase == $0) },
            frequencyOptions: choices(Frequency.self, "frequency", [values.frequency]),
            evidenceOptions: choices(EvidenceLevel.self, "evidence", [values.evidence]),
            fundingOptions: choices(FundingSource.self, "funding", [values.funding]),
            areaOptions: choices(ServiceArea.self, "serviceArea", values.serviceAreas),
            dayOptions: choices(Weekday.self, "weekday", values.days),
            cultureOptions: choices(CultureItem.self, "culture", values.culture),
            forOptions: choices(Situation.self, "situation", values.forSituations),
            suitsOptions: choices(Situation.self, "situation", values.suitsSituations),
            excludesOptions: choices(Situation.self, "situation", values.excludesSituations),
            languages: FamilyWebController.languageOptions(locale))
        return try await request.render("catalog/form", context, status: status)
    }

    // MARK: import

    struct ImportContext: Encodable {
        let page: PageInfo
        let report: ImportReport?
        let error: String?
        let replace: Bool
        /// The confirmation of a full synchronisation's dry run (nil otherwise).
        var confirm: Confirmation? = nil
    }

    /// What the confirmation form of a dry run carries back. The file itself rides along in a hidden field (as
    /// compact JSON, so a browser's line-break rewriting cannot change it) with its SHA-256, and the digest of the
    /// plan shown. Chosen over a stored pending import: the dry run then writes nothing at all, nothing has to
    /// expire or be cleaned up, and it works across restarts and several servers. The admin may import any file
    /// anyway, so the digest is not a trust boundary: it makes sure what is performed is the file that was
    /// previewed; the plan digest makes sure it is still the plan that was shown (else a new dry run is shown).
    struct Confirmation: Encodable {
        let content: String
        let digest: String
        let plan: String
    }

    func importForm(_ request: Request) async throws -> Response {
        try FamilyAccess.require(try request.requireStaff(), .importFile, .offer)
        return try await request.render("catalog/import", ImportContext(page: PageInfo(request, titleKey: "import.title"),
                                                                        report: nil, error: nil, replace: false))
    }

    struct Upload: Content {
        var file: File?
        var replace: String?
        /// The confirmation of a dry run: the file (compact), its digest and the plan's digest.
        var content: String?
        var digest: String?
        var plan: String?
    }

    /// One route for the three steps, so the upload's body limit covers the confirmation too: a file (applied at
    /// once, or with `replace` answered by a dry run), or a dry run's confirmation (`content`, `digest`, `plan`).
    func importFile(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.require(staff, .importFile, .offer)
        let upload = try request.content.decode(Upload.self)
        var replace = upload.replace != nil
        var report: ImportReport?
        var message: String?
        var confirm: Confirmation?
        let service = try OfferService(request: request)
        do {
            if let content = upload.content, let digest = upload.digest, let plan = upload.plan {
                // The confirmation of a full synchronisation: the same file, the same plan.
                let data = Data(content.utf8)
                replace = true
                if CatalogExchange.digest(data) != digest {
                    message = request.t("import.confirmMismatch")
                } else {
                    report = try await service.importCatalogue(data, replace: true, locale: request.staffLocale,
                                                               mode: .confirm(plan: plan))
                    if report?.dryRun == true {
                        message = request.t("import.planChanged")
                        confirm = Confirmation(content: content, digest: digest, plan: report!.plan)
                    }
                }
            } else if let file = upload.file, file.data.readableBytes > 0 {
                let data = Data(buffer: file.data)
                if replace {
                    let compact = try CatalogExchange.compact(data)
                    report = try await service.importCatalogue(compact, replace: true, locale: request.staffLocale, mode: .dryRun)
                    confirm = Confirmation(content: String(decoding: compact, as: UTF8.self),
                                           digest: CatalogExchange.digest(compact), plan: report!.plan)
                } else {
                    report = try await service.importCatalogue(data, replace: false, locale: request.staffLocale)
                }
            } else {
                message = request.t("import.noFile")
            }
        } catch is CatalogExchangeError {
            message = request.t("import.malformed")
        }
        let context = ImportContext(page: PageInfo(request, titleKey: "import.title"), report: report, error: message,
                                    replace: replace, confirm: confirm)
        let failed = message != nil && report == nil
        return try await request.render("catalog/import", context, status: failed ? .unprocessableEntity : .ok)
    }
}
