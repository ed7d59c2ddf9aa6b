import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The referral pages: the list (for partners: the inbox), one referral with the steps the user may take, the form to
/// refer a family, notifications and the municipality's timers.
struct ReferralWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("referrals", use: list)
        routes.get("referrals", ":referralID", use: show)
        routes.post("referrals", ":referralID", "transitions", use: transition)
        routes.post("referrals", ":referralID", "handover", use: handover)
        routes.post("referrals", ":referralID", "chase", use: chase)
        routes.get("families", ":familyID", "referrals", use: familyReferrals)
        routes.get("families", ":familyID", "referrals", "new", use: newForm)
        routes.post("families", ":familyID", "referrals", "new", use: create)
        routes.get("notifications", use: notifications)
        routes.post("notifications", "read", use: markRead)
        routes.get("admin", "referral-settings", use: settingsForm)
        routes.post("admin", "referral-settings", use: saveSettings)
    }

    // MARK: lists

    struct Row: Encodable {
        let id: UUID
        let reference: String
        let who: String
        let offer: String
        let organisation: String
        let status: String
        let statusCode: String
        let sentOn: String
        /// A referral waiting for the partner's answer: the date it is due (the partner's inbox).
        let answerBy: String?
    }

    struct ListContext: Encodable {
        let page: PageInfo
        let intro: String
        let rows: [Row]
        let total: Int
        let statusOptions: [Choice]
        let status: String
        let previous: String?
        let next: String?
        let familyId: UUID?
        let canRefer: Bool
        /// The partner's inbox shows by when each referral waiting for an answer is to be answered.
        var showAnswerBy = false
    }

    static func rows(_ items: [ReferralListItem], _ request: Request) -> [Row] {
        let catalog = request.application.locales, locale = request.staffLocale
        return items.map {
            Row(id: $0.id, reference: $0.familyReference, who: $0.familyName ?? $0.firstName ?? "—", offer: $0.offerName ?? "—",
                organisation: $0.organisationName, status: catalog.label("referralStatus", $0.status, locale), statusCode: $0.status,
                sentOn: $0.sentOn ?? "—", answerBy: $0.answerBy.map { catalog.longDate($0, locale) })
        }
    }

    func list(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        try service.requireUse()
        let status = (try? request.query.get(String.self, at: "status"))?.nilIfEmpty
        var page = try PageRequest.from(request)
        page.count = true  // the page shows how many there are
        let result = try await service.list(status: status, page: page)
        let catalog = request.application.locales, locale = request.staffLocale
        let options = [Choice(value: "", label: catalog.text("referral.filter.all", locale), selected: status == nil),
                       Choice(value: "open", label: catalog.text("referral.filter.open", locale), selected: status == "open")]
            + ReferralStatus.allCodes.filter { FamilyAccess.maySeeFamilyRecords(service.staff.role) || $0 != "draft" }.map {
                Choice(value: $0, label: catalog.label("referralStatus", $0, locale), selected: status == $0)
            }
        let base = "/referrals?status=\(status ?? "")&page="
        let isPartner = !FamilyAccess.maySeeFamilyRecords(service.staff.role)
        let context = ListContext(
            page: PageInfo(request, titleKey: isPartner ? "referral.inbox.title" : "referral.list.title"),
            intro: catalog.text(isPartner ? "referral.inbox.intro" : "referral.list.intro", locale),
            rows: Self.rows(result.items, request), total: result.total ?? 0, statusOptions: options, status: status ?? "",
            previous: page.page > 1 ? base + String(page.page - 1) : nil,
            next: result.hasMore ? base + String(page.page + 1) : nil, familyId: nil, canRefer: false, showAnswerBy: isPartner)
        return try await request.render("referrals/list", context)
    }

    func familyReferrals(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        let familyID = try request.uuidParameter("familyID", what: "family")
        let items = try await service.forFamily(familyID)
        let context = ListContext(
            page: PageInfo(request, titleKey: "referral.family.title"), intro: request.t("referral.family.intro"),
            rows: Self.rows(items, request), total: items.count, statusOptions: [], status: "", previous: nil, next: nil,
            familyId: familyID, canRefer: FamilyAccess.may(service.staff.role, .refer, .referral))
        return try await request.render("referrals/list", context)
    }

    // MARK: one referral

    struct EventRow: Encodable {
        let at: String
        let by: String
        let what: String
        let note: String?
    }

    struct StepForm: Encodable {
        let to: String
        let label: String
        let needsReason: Bool
        /// Declining: a reason from the list (`DeclineReason`), the words beside it optional.
        let needsDeclineReason: Bool
        let needsExpectedDate: Bool
        let needsPlanning: Bool
        let needsAccompanied: Bool
        /// First contact made: the day it happened, today unless told otherwise (never later than today).
        let needsMadeOn: Bool
        let madeOn: String
        let needsOutcome: Bool
        let danger: Bool
        /// This step's field errors and the values sent, when it was the one submitted.
        let errors: [String: String]
        let values: [String: String]
        /// The one next step, shown as the page's form; the others fold away in a disclosure (`<details>`, no script
        /// needed), opened when it came back with errors.
        var primary = false
        var open = false
    }

    /// Which summary lines still apply in this state (fields that no longer apply are not shown; the history keeps
    /// every step).
    struct Visible: Encodable {
        /// The expected date belongs to the waiting list; once accepted or planned it is out of date.
        let expectedOn: Bool
        /// The answer-by date only while the partner's answer is awaited.
        let answerBy: Bool
        /// The planned day, time, place and companion until the first contact is made (then the actual day counts)
        /// or the referral closes before it.
        let planned: Bool
    }

    /// The one step that moves this referral on, in this state, for this viewer: the first of these the viewer may
    /// take. Declining and cancelling are never the primary step (they end the referral); they stay one click away.
    static let preferred: [ReferralStatus: [ReferralStatus]] = [
        .draft: [.sent],
        .sent: [.accepted, .waitingList],
        .accepted: [.firstContactPlanned, .waitingList],
        .waitingList: [.firstContactPlanned, .accepted],
        .firstContactPlanned: [.firstContactMade, .firstContactPlanned],
        .firstContactMade: [.active, .completed],
        .active: [.active, .completed],
    ]

    static func primaryStep(status: String, next: [String]) -> String? {
        guard let state = ReferralStatus(rawValue: status) else { return nil }
        return (preferred[state] ?? []).map(\.rawValue).first { next.contains($0) }
    }

    struct ShowContext: Encodable {
        let page: PageInfo
        let referral: ReferralDTO
        let statusLabel: String
        let leadSide: Bool
        let sharedLabels: [String]
        let parents: [String]
        let language: String?
        let themes: [String]
        let situations: [String]
        let screeningThemes: [String]
        let contactPreference: String?
        let events: [EventRow]
        let steps: [StepForm]
        let visible: Visible
        let answerBy: String?
        /// The accompanied visit's form is the next step (the companion records whether it happened), or chasing
        /// the partner is (the lead of a referral waiting for an answer has no step of their own).
        let handoverPrimary: Bool
        let chasePrimary: Bool
        let hasPrimary: Bool
        let hasMore: Bool
        /// Where the other steps start (after the primary one): the heading above them goes there.
        let moreIndex: Int
        let companions: [Choice]
        let outcomes: [Choice]
        let declineReasons: [Choice]
        let today: String
        let errors: [String: String]
        let handoverErrors: [String: String]
        let chaseErrors: [String: String]
        let errorSummary: [ErrorLink]
        let values: [String: String]
    }

    func show(_ request: Request) async throws -> Response {
        try await renderShow(request, errors: [], values: [:], status: .ok)
    }

    private func renderShow(_ request: Request, errors: [(field: String, message: String)], values: [String: String],
                            status: HTTPResponseStatus) async throws -> Response {
        let service = try ReferralService(request: request)
        let id = try request.uuidParameter("referralID", what: "referral")
        let (referral, family) = try await service.detailAndFamily(id)
        try await service.markRead(referral: id)
        let catalog = request.application.locales, locale = request.staffLocale
        let formatter = StaffLocale.dateTime(locale)
        let leadSide = FamilyAccess.maySeeFamilyRecords(service.staff.role)
        var companions: [Choice] = []  // var: planning again selects the current companion
        if referral.next.contains("first-contact-planned") {
            let people = try await request.colleagues.named([family.$keyPerson.id, family.$socialWorker.id])
            companions = people.map { Choice(value: $0.id!.uuidString, label: "\($0.displayName) (\(catalog.label("role", $0.role, locale)))",
                                             selected: values["companionId"] == $0.id!.uuidString) }
        }
        func errorsOf(_ prefix: String) -> [String: String] {
            Dictionary(errors.filter { $0.field.hasPrefix(prefix + "-") }.map { (String($0.field.dropFirst(prefix.count + 1)), $0.message) },
                       uniquingKeysWith: { a, _ in a })
        }
        // Planning again starts from the plan as it stands.
        let replan = referral.status == ReferralStatus.firstContactPlanned.rawValue
        let current = ["plannedOn": referral.plannedOn ?? "", "plannedTime": referral.plannedTime ?? "",
                       "plannedPlace": referral.plannedPlace ?? "", "companionId": referral.companion?.id.uuidString ?? ""]
        if replan && values["to"] == nil, let companion = referral.companion?.id.uuidString {
            companions = companions.map { Choice(value: $0.value, label: $0.label, selected: $0.value == companion) }
        }
        let handoverPrimary = referral.mayRecordHandover
        let primaryTo = handoverPrimary ? nil : Self.primaryStep(status: referral.status, next: referral.next)
        var steps = referral.next.map { to in
            StepForm(to: to, label: catalog.text(replan && to == "first-contact-planned" ? "referral.step.replan" : "referral.step.\(to)", locale),
                     needsReason: to == "declined" || to == "cancelled", needsDeclineReason: to == "declined",
                     needsExpectedDate: to == "waiting-list",
                     needsPlanning: to == "first-contact-planned", needsAccompanied: to == "first-contact-made" && referral.companion != nil,
                     needsMadeOn: to == "first-contact-made",
                     madeOn: values["to"] == to ? values["madeOn"] ?? "" : request.clock.today.iso,
                     needsOutcome: to == "completed", danger: to == "declined" || to == "cancelled",
                     errors: errorsOf(to),
                     values: values["to"] == to ? values : (replan && to == "first-contact-planned" ? current : [:]),
                     primary: to == primaryTo, open: !errorsOf(to).isEmpty)
        }
        // The primary step first; the others in the lifecycle's order.
        steps = steps.filter(\.primary) + steps.filter { !$0.primary }
        let chasePrimary = !handoverPrimary && primaryTo == nil && referral.mayChase
        let state = ReferralStatus(rawValue: referral.status)
        let visible = Visible(expectedOn: state == .waitingList, answerBy: state == .sent,
                              planned: state == .firstContactPlanned)
        var answerBy: String?
        if state == .sent, let sent = referral.sentOn.flatMap(CalendarDate.init(iso:)) {
            answerBy = WorkingDays.adding(try await service.settings().answerWorkingDays, to: sent).iso
        }
        let events = referral.events.map { event in
            EventRow(at: formatter(event.at), by: "\(event.by) (\(catalog.label("role", event.role, locale)))",
                     what: event.kind == "transition" ? catalog.label("referralStatus", event.to ?? "", locale)
                        : catalog.text("referral.event.\(event.kind)", locale) + (event.detail == "happened=false" ? ": " + catalog.text("referral.handover.no", locale) : ""),
                     note: event.note)
        }
        let shared = referral.shared
        let context = ShowContext(
            page: PageInfo(request, titleKey: "referral.title"), referral: referral,
            statusLabel: catalog.label("referralStatus", referral.status, locale), leadSide: leadSide,
            sharedLabels: referral.sharedFields.map { catalog.label("sharedField", $0, locale) },
            parents: shared.parents.map { [$0.firstName, $0.familyName].compactMap { $0 }.joined(separator: " ") }.filter { !$0.isEmpty },
            language: shared.language.map { catalog.languageName($0, locale) },
            themes: (shared.question?.themes ?? []).map { catalog.label("theme", $0, locale) },
            situations: (shared.situations ?? []).map { catalog.label("situation", $0, locale) },
            screeningThemes: (shared.screening?.themes ?? []).map { catalog.label("theme", $0, locale) },
            contactPreference: shared.contactDetails?.contactPreference.map { catalog.label("contactPreference", $0, locale) },
            events: events, steps: steps, visible: visible, answerBy: answerBy, handoverPrimary: handoverPrimary,
            chasePrimary: chasePrimary, hasPrimary: primaryTo != nil || handoverPrimary || chasePrimary,
            hasMore: steps.contains { !$0.primary } || (referral.mayChase && !chasePrimary)
                || (referral.mayRecordHandover && !handoverPrimary),
            moreIndex: steps.filter(\.primary).count,
            companions: companions,
            outcomes: ReferralOutcome.allCodes.map { Choice(value: $0, label: catalog.label("referralOutcome", $0, locale), selected: values["outcome"] == $0) },
            declineReasons: DeclineReason.allCodes.map {
                Choice(value: $0, label: catalog.label("declineReason", $0, locale), selected: values["declineReason"] == $0)
            },
            today: request.clock.today.iso,
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            handoverErrors: errorsOf("handover"), chaseErrors: errorsOf("chase"),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) }, values: values)
        return try await request.render("referrals/show", context, status: status)
    }

    func transition(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        let id = try request.uuidParameter("referralID", what: "referral")
        let form = try FormFields(request)
        let to = form["to"] ?? ""
        let body = TransitionRequest(to: to, from: form["from"], version: nil, note: form["note"], reason: form["reason"],
                                     expectedDate: form["expectedDate"], plannedOn: form["plannedOn"], plannedTime: form["plannedTime"],
                                     plannedPlace: form["plannedPlace"],
                                     companionId: form["companionId"].flatMap(UUID.init(uuidString:)),
                                     accompanied: form["accompanied"].map { $0 == "yes" }, outcome: form["outcome"],
                                     declineReason: form["declineReason"], madeOn: form["madeOn"])
        return try await perform(request, id: id, prefix: to, values: ["to": to, "note": form.raw("note"), "reason": form.raw("reason"),
                                                                       "expectedDate": form.raw("expectedDate"), "plannedOn": form.raw("plannedOn"),
                                                                       "plannedTime": form.raw("plannedTime"), "plannedPlace": form.raw("plannedPlace"),
                                                                       "outcome": form.raw("outcome"),
                                                                       "companionId": form.raw("companionId"),
                                                                       "declineReason": form.raw("declineReason"),
                                                                       "madeOn": form.raw("madeOn")]) {
            _ = try await service.transition(id, body)
        }
    }

    func handover(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        let id = try request.uuidParameter("referralID", what: "referral")
        let form = try FormFields(request)
        return try await perform(request, id: id, prefix: "handover", values: [:]) {
            _ = try await service.recordHandover(id, happened: form["happened"].map { $0 == "yes" }, note: form["note"])
        }
    }

    func chase(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        let id = try request.uuidParameter("referralID", what: "referral")
        let form = try FormFields(request)
        return try await perform(request, id: id, prefix: "chase", values: [:]) {
            _ = try await service.chase(id, note: form["note"])
        }
    }

    /// Runs a step; bad input comes back next to the step's fields, a conflict (someone else was quicker) as a message
    /// at the top of the referral as it is now.
    private func perform(_ request: Request, id: UUID, prefix: String, values: [String: String],
                         _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
        } catch let error as AppError where error.status == .unprocessableEntity {
            var errors = FamilyWebController.fieldErrors(from: error, request: request) { "\(prefix)-\($0)" }
            if errors.isEmpty { errors = [("\(prefix)-form", request.t("error.badRequest.message"))] }
            return try await renderShow(request, errors: errors, values: values, status: .unprocessableEntity)
        } catch let error as AppError where error.status == .conflict {
            let message = request.t(error.code == "invalid-transition" ? "error.invalid-transition" : "error.stale-state")
            return try await renderShow(request, errors: [("steps", message)], values: [:], status: .conflict)
        }
        request.setFlash("flash.referralUpdated")
        return request.redirect(to: "/referrals/\(id)")
    }

    // MARK: referring a family

    struct FormValues: Encodable {
        var offerId = ""
        var organisationId = ""
        var memberIds: [String] = []
        var needIds: [String] = []
        var reason = ""
        var ownWords = ""
        var language = ""
        var interpreterNeeded = false
        var sharedFields: [String] = ReferralSharedField.minimalDefault.map(\.rawValue)
        var consentId = ""
        var redirectedFrom = ""
    }

    struct NewContext: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let values: FormValues
        let offers: [Choice]
        let organisations: [Choice]
        let members: [Choice]
        let needs: [Choice]
        let languages: [Choice]
        let sharedFields: [Choice]
        let consents: [Choice]
        let hasConsent: Bool
        /// The consent form filled in for this referral (purpose, organisation, the categories of what is shared),
        /// coming back to this form with its choices.
        let consentLink: String
        let errors: [String: String]
        let errorSummary: [ErrorLink]
    }

    func newForm(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        try FamilyAccess.require(service.staff, .refer, .referral)
        var values = FormValues()
        values.offerId = (try? request.query.get(String.self, at: "offer")) ?? ""
        values.organisationId = (try? request.query.get(String.self, at: "organisation")) ?? ""
        values.redirectedFrom = (try? request.query.get(String.self, at: "redirectedFrom")) ?? ""
        let familyID = try request.uuidParameter("familyID", what: "family")
        // Pre-filled from matching or a redirect: the parents, and the needs the offer addresses.
        let (_, members) = try await FamilyService(request: request).read(familyID, action: "referral.form")
        values.memberIds = members.filter { $0.role == .parent }.compactMap { $0.id?.uuidString }
        if let old = UUID(uuidString: values.redirectedFrom), let previous = try await service.earlierReferral(old, of: familyID) {
            values.memberIds = previous.memberIDs.map(\.uuidString)
            values.needIds = previous.needIDs.map(\.uuidString)
            values.reason = previous.reason
            values.ownWords = previous.ownWords ?? ""
            values.language = previous.language
            values.interpreterNeeded = previous.interpreterNeeded
            values.sharedFields = previous.sharedFields
        } else if let offerID = UUID(uuidString: values.offerId), let offerThemes = try await service.themes(ofOffer: offerID) {
            let themes = Set(offerThemes)
            values.needIds = try await IntakeService(request: request).needs(familyID).filter { $0.status == .open }
                .filter { themes.contains($0.theme) }.compactMap { $0.id?.uuidString }
        }
        // Back from recording the consent: the choices made before (codes and ids only; typed text never travels in
        // a URL).
        func list(_ name: String) -> [String]? {
            (try? request.query.get(String.self, at: name)).map { $0.split(separator: ",").map(String.init) }
        }
        if let shared = list("sharedFields") { values.sharedFields = shared.filter { ReferralSharedField(rawValue: $0) != nil } }
        if let ids = list("members") { values.memberIds = ids.compactMap(UUID.init(uuidString:)).map(\.uuidString) }
        if let ids = list("needs") { values.needIds = ids.compactMap(UUID.init(uuidString:)).map(\.uuidString) }
        return try await renderNew(request, familyID: familyID, values: values, errors: [], status: .ok)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        try FamilyAccess.require(service.staff, .refer, .referral)
        let familyID = try request.uuidParameter("familyID", what: "family")
        let form = try FormFields(request)
        var values = FormValues()
        values.offerId = form["offerId"] ?? ""
        values.organisationId = form["organisationId"] ?? ""
        values.memberIds = form.all("memberIds")
        values.needIds = form.all("needIds")
        values.reason = form.raw("reason")
        values.ownWords = form.raw("ownWords")
        values.language = form["language"] ?? ""
        values.interpreterNeeded = form["interpreterNeeded"] != nil
        values.sharedFields = form.all("sharedFields")
        values.consentId = form["consentId"] ?? ""
        values.redirectedFrom = form["redirectedFrom"] ?? ""
        let input = ReferralInput(familyId: familyID, offerId: UUID(uuidString: values.offerId),
                                  organisationId: values.offerId.isEmpty ? UUID(uuidString: values.organisationId) : nil,
                                  needIds: values.needIds.compactMap(UUID.init(uuidString:)),
                                  memberIds: values.memberIds.compactMap(UUID.init(uuidString:)), reason: values.reason,
                                  ownWords: values.ownWords, language: values.language.nilIfEmpty,
                                  interpreterNeeded: values.interpreterNeeded, sharedFields: values.sharedFields,
                                  consentId: UUID(uuidString: values.consentId), send: form["send"] == "1",
                                  redirectedFrom: UUID(uuidString: values.redirectedFrom))
        do {
            let referral = try await service.create(input)
            request.setFlash(form["send"] == "1" ? "flash.referralSent" : "flash.referralSaved")
            return request.redirect(to: "/referrals/\(referral.id!)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            return try await renderNew(request, familyID: familyID, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    private func renderNew(_ request: Request, familyID: UUID, values: FormValues, errors: [(field: String, message: String)],
                           status: HTTPResponseStatus) async throws -> Response {
        let service = try ReferralService(request: request)
        let (family, members) = try await FamilyService(request: request).read(familyID, action: "referral.form")
        let catalog = request.application.locales, locale = request.staffLocale
        let (offers, organisations) = try await service.formChoices()
        // The family's needs and consents through their own features' doors (audited with this page).
        let needs = try await IntakeService(request: request).needs(familyID).filter { $0.status == .open }
        let consents = try await ConsentService(request: request).list(familyID).map(\.0)
            .filter { $0.purpose == ConsentPurpose.referral.rawValue && $0.withdrawnAt == nil }
        var languages = family.languages
        if !languages.contains("nl") { languages.append("nl") }
        if !values.language.isEmpty && !languages.contains(values.language) { languages.insert(values.language, at: 0) }
        let context = NewContext(
            page: PageInfo(request, titleKey: "referral.new.title"), familyId: familyID, familyName: family.name, values: values,
            offers: offers.map { Choice(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString.lowercased() == values.offerId.lowercased()) },
            organisations: organisations.map { Choice(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == values.organisationId) },
            members: members.map { member in
                let role = catalog.label("memberRole", member.role.rawValue, locale)
                return Choice(value: member.id!.uuidString, label: "\(member.givenName) (\(role))", selected: values.memberIds.contains(member.id!.uuidString))
            },
            needs: needs.map { Choice(value: $0.id!.uuidString, label: catalog.label("theme", $0.theme, locale), selected: values.needIds.contains($0.id!.uuidString)) },
            languages: languages.map { Choice(value: $0, label: catalog.languageName($0, locale), selected: values.language == $0) },
            sharedFields: ReferralSharedField.allCodes.map { Choice(value: $0, label: catalog.label("sharedField", $0, locale), selected: values.sharedFields.contains($0)) },
            consents: consents.map { Choice(value: $0.id!.uuidString, label: "\($0.organisation.name) — \($0.dataCategories.map { catalog.label("dataCategory", $0, locale) }.joined(separator: ", "))", selected: values.consentId == $0.id!.uuidString) },
            hasConsent: !consents.isEmpty,
            consentLink: Self.consentLink(familyID: familyID, values: values,
                                          organisation: offers.first { $0.id?.uuidString.lowercased() == values.offerId.lowercased() }?
                                              .$organisation.id ?? UUID(uuidString: values.organisationId)),
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) })
        return try await request.render("referrals/new", context, status: status)
    }

    /// `/families/<id>/consents` filled in for a referral to `organisation` sharing `values.sharedFields`, with the way
    /// back to this form (`returnTo`) carrying the offer, organisation, members, needs and shared fields.
    static func consentLink(familyID: UUID, values: FormValues, organisation: UUID?) -> String {
        let shared = values.sharedFields.compactMap(ReferralSharedField.init(rawValue:))
        var categories: [String] = []
        for category in shared.compactMap(\.consentCategory) where !categories.contains(category.rawValue) {
            categories.append(category.rawValue)
        }
        // Every value percent-encoded strictly (RFC 3986 unreserved characters only), so the way back is one value.
        func encode(_ value: String) -> String {
            var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: "\u{0}"..."\u{7F}"))
            allowed.insert(charactersIn: "-._~")
            return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }
        func query(_ items: [(String, String)]) -> String {
            items.filter { !$0.1.isEmpty }.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
        }
        let back = "/families/\(familyID)/referrals/new?" + query([
            ("offer", values.offerId), ("organisation", values.offerId.isEmpty ? values.organisationId : ""),
            ("sharedFields", shared.map(\.rawValue).joined(separator: ",")),
            ("members", values.memberIds.joined(separator: ",")), ("needs", values.needIds.joined(separator: ",")),
            ("redirectedFrom", values.redirectedFrom)])
        let link = "/families/\(familyID)/consents?" + query([
            ("purpose", ConsentPurpose.referral.rawValue), ("organisationId", organisation?.uuidString ?? ""),
            ("dataCategories", categories.joined(separator: ",")), ("returnTo", back)])
        return link + "#new-consent"
    }

    // MARK: notifications

    struct NotificationRow: Encodable {
        let text: String
        let at: String
        let referralId: UUID?
        let unread: Bool
    }

    struct NotificationsContext: Encodable {
        let page: PageInfo
        let rows: [NotificationRow]
        let unread: Int
    }

    func notifications(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        let catalog = request.application.locales, locale = request.staffLocale
        let formatter = StaffLocale.dateTime(locale)
        let items = try await service.notifications(unreadOnly: false)
        let rows = items.map { note in
            NotificationRow(text: catalog.text("notification.\(note.kind)", locale)
                                .replacingOccurrences(of: "{reference}", with: note.familyReference)
                                .replacingOccurrences(of: "{organisation}", with: note.organisationName),
                            at: formatter(note.createdAt), referralId: note.$referral.id, unread: note.readAt == nil)
        }
        return try await request.render("referrals/notifications",
                                        NotificationsContext(page: PageInfo(request, titleKey: "notification.title"), rows: rows,
                                                             unread: rows.filter(\.unread).count))
    }

    func markRead(_ request: Request) async throws -> Response {
        try await ReferralService(request: request).markRead(nil)
        return request.redirect(to: "/notifications")
    }

    // MARK: timers

    struct SettingsContext: Encodable {
        let page: PageInfo
        let values: [String: String]
        let errors: [String: String]
        let errorSummary: [ErrorLink]
    }

    func settingsForm(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        // The form is the admin's page for changing the timers (case managers read them through the API).
        try FamilyAccess.require(service.staff, .update, .settings)
        let settings = try await service.settings()
        return try await request.render("referrals/settings", SettingsContext(
            page: PageInfo(request, titleKey: "referral.settings.title"),
            values: ["answerWorkingDays": String(settings.answerWorkingDays), "firstContactDays": String(settings.firstContactDays),
                     "partnerAccessDays": String(settings.partnerAccessDays)], errors: [:], errorSummary: []))
    }

    func saveSettings(_ request: Request) async throws -> Response {
        let service = try ReferralService(request: request)
        try FamilyAccess.require(service.staff, .update, .settings)
        let form = try FormFields(request)
        let names = ["answerWorkingDays", "firstContactDays", "partnerAccessDays"]
        var values: [String: String] = [:]
        var errors: [(field: String, message: String)] = []
        var numbers: [String: Int] = [:]
        for name in names {
            values[name] = form.raw(name)
            if let number = form[name].flatMap(Int.init) { numbers[name] = number } else { errors.append((name, request.t("error.number-invalid"))) }
        }
        if errors.isEmpty {
            let settings = ReferralSettings(answerWorkingDays: numbers["answerWorkingDays"]!, firstContactDays: numbers["firstContactDays"]!,
                                            partnerAccessDays: numbers["partnerAccessDays"]!)
            do {
                _ = try await service.updateSettings(settings)
                request.setFlash("flash.settingsSaved")
                return request.redirect(to: "/admin/referral-settings")
            } catch let error as AppError where error.status == .unprocessableEntity {
                errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            }
        }
        return try await request.render("referrals/settings", SettingsContext(
            page: PageInfo(request, titleKey: "referral.settings.title"), values: values,
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) }), status: .unprocessableEntity)
    }
}
