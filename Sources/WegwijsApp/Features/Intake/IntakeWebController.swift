import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The intake pages of a family (`/families/:id/intake`): screenings and what changed, needs, the family plan, the
/// information handed out, contact moments, signals and the Meldcode; plus the screening form.
/// Everything goes through `IntakeService`, so the web UI and the API share access rules, validation and audit.
struct IntakeWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let intake = routes.grouped("families", ":familyID", "intake")
        intake.get(use: index)
        intake.get("screening", use: screeningForm)
        intake.post("screening", use: saveScreening)
        intake.post("needs", use: addNeed)
        intake.post("needs", ":needID", use: changeNeed)
        intake.post("plan", use: savePlan)
        intake.post("information", use: recordInformation)
        intake.post("contacts", use: addContact)
        intake.post("signals", use: raiseSignal)
        intake.post("signals", ":signalID", "handled", use: handleSignal)
        intake.post("meldcode", use: openMeldcode)
        intake.post("meldcode", ":recordID", "steps", use: signStep)
        intake.post("offers", use: recordOfferChoices)
    }

    // MARK: the intake page

    struct ScreeningRow: Encodable {
        let conductedOn: String
        let occasion: String
        let parent: String
        let by: String
        let themes: [String]
        let changes: [String]
        /// R48: the provisions the parent knows, and of those the ones they use (labels); nil when not asked.
        let provisions: ProvisionsRow?
    }

    struct ProvisionsRow: Encodable {
        let known: [String]
        let used: [String]
        /// Known but not (yet) used.
        let knownOnly: [String]
    }

    struct NeedRow: Encodable {
        let id: UUID
        let theme: String
        let priority: String
        let status: String
        let source: String
        let version: Int
        let open: Bool
        /// The family's other open needs: a need is never merged with itself.
        let mergeTargets: [Choice]
    }

    struct ContactRow: Encodable {
        let at: String
        let by: String
        let mode: String
        let language: String?
        let interpreter: Bool
        let note: String?
        let noteHidden: Bool
    }

    struct SignalRow: Encodable {
        let id: UUID
        let kind: String
        let text: String
        let by: String
        let open: Bool
    }

    struct StepRow: Encodable {
        let step: Int
        let name: String
        let on: String
        let by: String
        let note: String
    }

    struct MeldcodeRow: Encodable {
        let id: UUID
        let open: Bool
        let decision: String?
        let steps: [StepRow]
        let nextStep: Int?
        let nextStepName: String?
        let version: Int
    }

    struct InformationPage: Encodable {
        let slug: String
        let title: String
        let href: String
    }

    struct Context: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let isLead: Bool
        let canChange: Bool
        let canFieldWork: Bool
        let screenings: [ScreeningRow]
        let needs: [NeedRow]
        let themeOptions: [Choice]
        /// Open needs, as the targets a need can be merged into.
        let parentOptions: [Choice]
        let plan: PlanData
        let planVersion: Int
        let planProposed: Bool
        let goalsText: String
        let phaseOptions: [Choice]
        let actions: [PlanActionRow]
        let informationLanguage: String
        let informationLanguageName: String
        let informationPages: [InformationPage]
        let informationGiven: [String]
        let contacts: [ContactRow]
        let modeOptions: [Choice]
        let signals: [SignalRow]
        let meldcode: [MeldcodeRow]
        let colleagueOptions: [Choice]
        let errors: [String: String]
        let errorSummary: [ErrorLink]
        let today: String
        /// The best five suggestions, and the rest of the first 20 behind "show more".
        let suggestions: [SuggestionRow]
        let moreSuggestions: [SuggestionRow]
        /// More offers fit than the page shows.
        let moreInCatalogue: Bool
        /// Case managers refer from a suggestion (the referral form opens pre-filled).
        let canRefer: Bool
        let hasNeeds: Bool
        let whyNotOptions: [Choice]
        let whyNot: WhyNotView?
        let offerChoices: [String]
    }

    /// A person reads the first few suggestions; the next ones are one click away.
    static let suggestionsFirst = 5
    static let suggestionsShown = 20

    struct SuggestionRow: Encodable {
        let offerId: String
        let name: String
        let themes: [String]
        let reasons: [String]
        let warnings: [String]
    }

    struct WhyNotView: Encodable {
        let name: String
        let fits: Bool
        let coversTheme: Bool
        let constraints: [String]
    }

    /// The element each form's field is shown in, for the error summary's links.
    static let elementIDs: [String: String] = [
        "plan_phase": "phase", "plan_reviewDate": "reviewDate", "plan_goals": "goals", "plan_actions_0_text": "actionText", "need_theme": "need-theme",
        "need_priority": "need-priority", "contact_at": "contact-date", "contact_date": "contact-date", "contact_mode": "contact-mode",
        "contact_language": "contact-language", "contact_note": "contact-note", "signal_signal_text": "signal-text",
        "signal_signal_kind": "signal-kind", "meldcode_colleagueId": "colleague", "information_pages": "information",
        "offers_discussed": "offers", "offers_chosen": "offers", "need_mergeInto": "needs-title",
    ]

    struct PlanActionRow: Encodable {
        let text: String
        let who: String
        let due: String?
        let done: Bool
    }

    func index(_ request: Request) async throws -> Response {
        try await render(request, errors: [:], status: .ok)
    }

    private func render(_ request: Request, errors: [String: String], status: HTTPStatus) async throws -> Response {
        let service = try IntakeService(request: request)
        let id = try familyID(request)
        let locale = request.staffLocale
        let catalog = request.application.locales
        let staff = service.staff
        let (family, members) = try await service.families.read(id, action: "intake.read")
        let screenings = try await service.screenings(id)
        let needs = try await service.needs(id)
        let plan = try await service.plan(id)
        let contacts = try await service.contacts(id)
        let signals = try await service.signals(id)
        let meldcode = try await service.meldcode(id)
        let (instrument, _) = try await request.currentScreeningInstrument()
        let names = Dictionary(members.compactMap { member in member.id.map { ($0, member.givenName) } }, uniquingKeysWith: { a, _ in a })

        func themeLabel(_ code: String) -> String { catalog.label("theme", code, locale) }
        func option(_ code: String) -> String { instrument.optionLabels[code]?.text(locale.rawValue) ?? code }
        func provisionLabel(_ code: String) -> String { catalog.label("provision", code, locale) }
        let screeningRows = screenings.reversed().map { view -> ScreeningRow in
            var themes: [String] = []
            if case .priorities(let values)? = view.answers["themes"] {
                themes = values.filter { $0.value > 0 }.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                    .map { "\(themeLabel($0.key)) (\(instrument.priorityLabels[String($0.value)]?.text(locale.rawValue) ?? "\($0.value)"))" }
            }
            var changes: [String] = []
            if let change = view.changes {
                for (item, delta) in change.confidence.sorted(by: { $0.key < $1.key }) {
                    changes.append("\(instrument.item(item)?.text.text(locale.rawValue) ?? item) \(delta > 0 ? "+" : "")\(delta)")
                }
                changes += change.newThemes.map { catalog.text("intake.change.newTheme", locale) + " " + themeLabel($0) }
                changes += change.themesGone.map { catalog.text("intake.change.themeGone", locale) + " " + themeLabel($0) }
                changes += change.newStressors.map { catalog.text("intake.change.newStressor", locale) + " " + option($0) }
                changes += change.stressorsGone.map { catalog.text("intake.change.stressorGone", locale) + " " + option($0) }
                changes += change.newlyKnownProvisions.map { catalog.text("intake.change.provisionKnown", locale) + " " + provisionLabel($0) }
                changes += change.newlyUsedProvisions.map { catalog.text("intake.change.provisionUsed", locale) + " " + provisionLabel($0) }
                if change.isEmpty { changes.append(catalog.text("intake.change.none", locale)) }
            }
            return ScreeningRow(conductedOn: view.conductedOn, occasion: catalog.text("intake.occasion.\(view.occasion)", locale),
                                parent: view.memberId.flatMap { names[$0] } ?? catalog.text("intake.household", locale),
                                by: view.by, themes: themes, changes: changes,
                                provisions: view.provisions.map { provisions in
                                    ProvisionsRow(known: provisions.known.map(provisionLabel), used: provisions.used.map(provisionLabel),
                                                  knownOnly: provisions.known.filter { !provisions.used.contains($0) }.map(provisionLabel))
                                })
        }
        let openNeeds = needs.filter { $0.status == .open }
        let needRows = needs.map { need in
            NeedRow(id: need.id!, theme: themeLabel(need.theme),
                    priority: instrument.priorityLabels[String(need.priority)]?.text(locale.rawValue) ?? "\(need.priority)",
                    status: catalog.text("intake.needStatus.\(need.status.rawValue)", locale),
                    source: catalog.text("intake.needSource.\(need.source.rawValue)", locale), version: need.version,
                    open: need.status == .open,
                    mergeTargets: openNeeds.filter { $0.id != need.id }
                        .map { Choice(value: $0.id!.uuidString, label: themeLabel($0.theme), selected: false) })
        }
        // The reading language of the parents, if the parents' place has it; else Dutch.
        let content = request.application.parentContent
        let reads = members.filter { $0.role == .parent }.flatMap { $0.languagesRead + $0.languagesSpoken }
        let language = reads.first { content.isLanguage($0) } ?? ParentContent.sourceLanguage
        let pages = try await request.parentPages.inLanguage(language)
        let informationPages = content.pages.compactMap { spec in
            pages[spec.slug].map { InformationPage(slug: spec.slug, title: $0.title, href: "/ouders/\(language)/\(spec.slug)") }
        }
        // Suggested offers (issue 7) and "why not?" for any offer.
        let matching = try MatchingService(request: request)
        let found = try await matching.familyMatches(
            try await service.matchingInputs(id, action: "family.matches", screenings: screenings, needs: needs, plan: plan),
            window: MatchWindow(limit: Self.suggestionsShown))
        let engine = try await matching.engine()
        let english = locale == .en
        let suggestions = found.matches.map { match in
            SuggestionRow(offerId: match.offerId, name: match.name, themes: match.themes.map(themeLabel),
                          reasons: match.reasons.map { english ? $0.en : $0.nl }, warnings: match.warnings.map { english ? $0.en : $0.nl })
        }
        let catalogueOffers = try await OfferService(request: request).activeOfferNamesOfMunicipality()
        let askedWhyNot = request.query[String.self, at: "whynot"]
        let whyNotView: WhyNotView? = askedWhyNot.flatMap { offerId in
            guard let offer = catalogueOffers.first(where: { $0.id.uuidString.lowercased() == offerId.lowercased() }),
                  let answer = engine.whyNot(found.profile, offerId: offerId) else { return nil }
            return WhyNotView(name: offer.name, fits: answer.constraints.isEmpty && answer.coversTheme, coversTheme: answer.coversTheme,
                              constraints: answer.constraints.map { catalog.text("match.constraint.\($0.rawValue)", locale) })
        }
        let colleagues = try await request.colleagues.active(in: staff.municipalityID, roles: [.caseManager, .socialWorker])
            .filter { $0.id != staff.userID && ($0.role == Role.caseManager.rawValue || $0.id == family.$socialWorker.id) }
        let context = Context(
            page: PageInfo(request, titleKey: "intake.title"), familyId: id, familyName: family.name,
            isLead: family.$caseManager.id == staff.userID, canChange: FamilyAccess.mayChangeFamilies(staff.role),
            canFieldWork: FamilyAccess.may(staff.role, .create, .contact),
            screenings: screeningRows, needs: needRows,
            themeOptions: catalog.choices(Theme.self, "theme", locale, selected: []),
            parentOptions: members.filter { $0.role == .parent }.map { Choice(value: $0.id!.uuidString, label: $0.givenName, selected: false) },
            plan: plan.plan, planVersion: plan.version, planProposed: plan.proposed,
            goalsText: plan.plan.goals.joined(separator: "\n"),
            phaseOptions: PlanData.phases.map { Choice(value: String($0), label: catalog.text("intake.phase.\($0)", locale), selected: $0 == plan.plan.phase) },
            actions: plan.plan.actions.map { PlanActionRow(text: $0.text, who: $0.who, due: $0.due, done: $0.done) },
            informationLanguage: language, informationLanguageName: ParentContent.endonyms[language] ?? language,
            informationPages: informationPages,
            informationGiven: plan.plan.informationGiven.map { "\($0.on): \($0.pages.count) × \(ParentContent.endonyms[$0.language] ?? $0.language) (\(catalog.text("intake.how.\($0.how)", locale)), \($0.by))" },
            contacts: contacts.map { ContactRow(at: locale.dateTime($0.at), by: $0.by, mode: catalog.text("intake.mode.\($0.mode)", locale),
                                                language: $0.language, interpreter: $0.interpreter, note: $0.note, noteHidden: $0.noteHidden) },
            modeOptions: IntakeService.contactModes.map { Choice(value: $0, label: catalog.text("intake.mode.\($0)", locale), selected: false) },
            signals: signals.map { SignalRow(id: $0.id!, kind: catalog.text("intake.signal.\($0.kind)", locale), text: $0.text,
                                             by: $0.raisedByName, open: $0.status == .open) },
            meldcode: meldcode.map { record in
                MeldcodeRow(id: record.id, open: record.status == MeldcodeStatus.open.rawValue,
                            decision: record.decision.map { catalog.text("intake.meldcode.decision.\($0)", locale) },
                            steps: record.steps.map { StepRow(step: $0.step, name: catalog.text("intake.meldcode.step.\($0.step)", locale),
                                                              on: $0.on, by: $0.signedBy, note: $0.note) },
                            nextStep: record.nextStep, nextStepName: record.nextStep.map { catalog.text("intake.meldcode.step.\($0)", locale) },
                            version: record.version)
            },
            colleagueOptions: colleagues.map { Choice(value: $0.id!.uuidString, label: $0.displayName, selected: false) },
            errors: errors,
            errorSummary: errors.sorted { $0.key < $1.key }.map { ErrorLink(field: Self.elementIDs[$0.key] ?? "main", message: $0.value) },
            today: service.today.iso, suggestions: Array(suggestions.prefix(Self.suggestionsFirst)),
            moreSuggestions: Array(suggestions.dropFirst(Self.suggestionsFirst)), moreInCatalogue: found.total > suggestions.count, canRefer: FamilyAccess.may(service.staff.role, .refer, .referral), hasNeeds: !found.profile.themes.isEmpty,
            whyNotOptions: catalogueOffers.map { Choice(value: $0.id.uuidString.lowercased(), label: $0.name,
                                                        selected: $0.id.uuidString.lowercased() == askedWhyNot?.lowercased()) },
            whyNot: whyNotView,
            offerChoices: plan.plan.offerChoices.map {
                "\($0.on): \($0.name) – \(catalog.text($0.chosen ? "match.chosen" : "match.discussed", locale)) (\($0.by))"
                    + ($0.referralId == nil ? "" : " – " + catalog.text("match.referred", locale))
            })
        return try await request.render("intake/index", context, status: status)
    }

    private func familyID(_ request: Request) throws -> UUID { try request.uuidParameter("familyID", what: "family") }

    /// Runs a change; on invalid input shows the intake page again with the messages next to the form's fields
    /// (`<form>_<field>` in `errors`), with status 422.
    private func act(_ request: Request, form: String, anchor: String,
                     _ body: @escaping @Sendable (IntakeService, UUID, FormFields) async throws -> Void) async throws -> Response {
        let service = try IntakeService(request: request)
        let id = try familyID(request)
        do {
            try await body(service, id, try FormFields(request))
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let catalog = request.application.locales
            var errors: [String: String] = [:]
            for fieldError in error.fieldCodes ?? [] {
                errors["\(form)_\(fieldError.field.replacingOccurrences(of: ".", with: "_"))"] = catalog.fieldMessage(fieldError, request.staffLocale)
            }
            if errors.isEmpty { errors["\(form)_form"] = catalog.text(error.status == .conflict ? "error.stale-version" : "error.badRequest.message", request.staffLocale) }
            return try await render(request, errors: errors, status: error.status)
        }
        return request.redirect(to: "/families/\(id)/intake#\(anchor)")
    }

    // MARK: screening

    struct ScreeningItemView: Encodable {
        let id: String
        let name: String
        let type: String
        let text: String
        let options: [Choice]
        let scale: [Int]
        let staffOnly: Bool
        /// A small picture next to the question (Resources/Public/icons/screening/), for use with an interpreter.
        let pictogram: String?
    }

    struct ScreeningSectionView: Encodable {
        let title: String
        let items: [ScreeningItemView]
    }

    struct ScreeningContext: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let parents: [Choice]
        let sections: [ScreeningSectionView]
        let priorities: [Choice]
        let languages: [Choice]
        let today: String
        let errors: [String: String]
        let errorSummary: [ErrorLink]
    }

    /// The pictograms that exist; an instrument may name others, which are then left out.
    static let pictograms: Set<String> = ["speech", "signpost", "home", "weight", "people", "clock", "child", "shield"]

    func screeningForm(_ request: Request) async throws -> Response {
        try await renderScreening(request, errors: [:], status: .ok)
    }

    private func renderScreening(_ request: Request, errors: [String: String], status: HTTPStatus) async throws -> Response {
        let service = try IntakeService(request: request)
        // As the API: screening is field work, refused before the family is looked up.
        try FamilyAccess.require(service.staff, .create, .screening)
        let id = try familyID(request)
        let (family, members) = try await service.families.read(id, action: "screening.form")
        let locale = request.staffLocale
        let catalog = request.application.locales
        let (instrument, _) = try await request.currentScreeningInstrument()
        let sections = instrument.sections.map { section in
            ScreeningSectionView(title: section.title.text(locale.rawValue), items: section.items.map { item in
                let options: [Choice]
                switch item.type {
                case .themes: options = (item.options ?? []).map { Choice(value: $0, label: catalog.label("theme", $0, locale), selected: false) }
                default: options = (item.options ?? []).map { Choice(value: $0, label: instrument.optionLabels[$0]?.text(locale.rawValue) ?? $0, selected: false) }
                }
                return ScreeningItemView(id: item.id, name: item.id.replacingOccurrences(of: ".", with: "_"), type: item.type.rawValue,
                                         text: item.text.text(locale.rawValue), options: options,
                                         scale: Array((item.min ?? 1)...(item.max ?? 5)), staffOnly: item.staffOnly ?? false,
                                         pictogram: item.pictogram.flatMap { Self.pictograms.contains($0) ? $0 : nil })
            })
        }
        let parents = members.filter { $0.role == .parent }.map { Choice(value: $0.id!.uuidString, label: $0.givenName, selected: false) }
        let context = ScreeningContext(
            page: PageInfo(request, titleKey: "intake.screening.title"), familyId: id, familyName: family.name, parents: parents,
            sections: sections,
            priorities: (0...ScreeningInstrument.maxPriority).map { Choice(value: String($0), label: instrument.priorityLabels[String($0)]?.text(locale.rawValue) ?? "\($0)", selected: $0 == 0) },
            languages: Languages.parentLanguages.map { Choice(value: $0, label: NameResolver.languageNames([$0], locale), selected: false) },
            today: service.today.iso, errors: errors,
            errorSummary: errors.sorted { $0.key < $1.key }.map { ErrorLink(field: $0.key == "conductedOn" ? "conductedOn" : "main", message: $0.value) })
        return try await request.render("intake/screening", context, status: status)
    }

    func saveScreening(_ request: Request) async throws -> Response {
        let service = try IntakeService(request: request)
        let id = try familyID(request)
        let form = try FormFields(request)
        let (instrument, _) = try await request.currentScreeningInstrument()
        var answers: [String: ScreeningAnswer] = [:]
        for item in instrument.items {
            let name = item.id.replacingOccurrences(of: ".", with: "_")
            switch item.type {
            case .themes:
                var priorities: [String: Int] = [:]
                for theme in item.options ?? [] { if let value = form["\(name)_\(theme)"].flatMap(Int.init), value > 0 { priorities[theme] = value } }
                if !priorities.isEmpty { answers[item.id] = .priorities(priorities) }
            case .scale: if let value = form[name] { answers[item.id] = Int(value).map(ScreeningAnswer.number) ?? .text(value) }
            case .choice, .language: if let value = form[name] { answers[item.id] = .text(value) }
            case .multi: let values = form.all(name); if !values.isEmpty { answers[item.id] = .list(values) }
            case .yesno: if let value = form[name] { answers[item.id] = .flag(value == "yes") }
            }
        }
        let input = IntakeService.ScreeningInput(occasion: form["occasion"], conductedOn: form["conductedOn"],
                                                 memberId: form["memberId"].flatMap(UUID.init(uuidString:)), answers: answers)
        do {
            _ = try await service.createScreening(id, input)
        } catch let error as AppError where error.status == .unprocessableEntity {
            var errors: [String: String] = [:]
            for fieldError in error.fieldCodes ?? [] {
                errors[fieldError.field.replacingOccurrences(of: ".", with: "_")] = request.application.locales.fieldMessage(fieldError, request.staffLocale)
            }
            return try await renderScreening(request, errors: errors, status: .unprocessableEntity)
        }
        return request.redirect(to: "/families/\(id)/intake#screenings")
    }

    // MARK: the other forms

    func addNeed(_ request: Request) async throws -> Response {
        try await act(request, form: "need", anchor: "needs") { service, id, form in
            _ = try await service.addNeed(id, .init(theme: form["theme"], priority: form["priority"].flatMap(Int.init), note: form["note"]))
        }
    }

    func changeNeed(_ request: Request) async throws -> Response {
        let needID = try request.uuidParameter("needID", what: "need")
        return try await act(request, form: "need", anchor: "needs") { service, id, form in
            // The merge form sent without a need chosen: say so, rather than saving nothing.
            if form.has("mergeInto"), form["mergeInto"].flatMap(UUID.init(uuidString:)) == nil {
                throw AppError.invalid([FieldError("mergeInto", "merge-target-required")], catalog: service.catalog)
            }
            _ = try await service.changeNeed(id, needID, .init(status: form["status"], mergeInto: form["mergeInto"].flatMap(UUID.init(uuidString:)),
                                                               version: form["version"].flatMap(Int.init)))
        }
    }

    func savePlan(_ request: Request) async throws -> Response {
        try await act(request, form: "plan", anchor: "plan") { service, id, form in
            // As the API: the lead's work, refused before the plan is read.
            try FamilyAccess.require(service.staff, .update, .plan)
            let goals = form.raw("goals").split(separator: "\n").map { String($0).trimmed }.filter { !$0.isEmpty }
            // The actions as they are, with the ones ticked done, plus a new one if filled in.
            var actions = try await service.plan(id).plan.actions
            let done = Set(form.all("done").compactMap(Int.init))
            for index in actions.indices { actions[index].done = done.contains(index) }
            if let text = form["actionText"] {
                actions.append(.init(text: text, who: form["actionWho"] ?? "", due: form["actionDue"], done: false, kind: nil))
            }
            _ = try await service.savePlan(id, .init(goals: goals, actions: actions, phase: form["phase"].flatMap(Int.init), phaseNote: form["phaseNote"],
                                                     reviewDate: form["reviewDate"], urgent: form["urgent"] == "yes",
                                                     version: form["version"].flatMap(Int.init)))
        }
    }

    func recordInformation(_ request: Request) async throws -> Response {
        let content = request.application.parentContent
        return try await act(request, form: "information", anchor: "information") { service, id, form in
            _ = try await service.recordInformation(id, .init(pages: form.all("pages"), language: form["language"] ?? "", how: form["how"]),
                                                    content: content)
        }
    }

    func addContact(_ request: Request) async throws -> Response {
        try await act(request, form: "contact", anchor: "contacts") { service, id, form in
            var at: Date? = nil
            if let day = form["date"] {
                let time = form["time"] ?? "12:00"
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
                formatter.dateFormat = "yyyy-MM-dd HH:mm"
                guard let parsed = formatter.date(from: "\(day) \(time)") else {
                    throw AppError.invalid([FieldError("date", "date-invalid")], catalog: service.catalog)
                }
                at = parsed
            }
            let signal = form["signalText"].map { IntakeService.SignalInput(kind: form["signalKind"] ?? "question", text: $0) }
            _ = try await service.addContact(id, .init(at: at, mode: form["mode"], memberId: form["memberId"].flatMap(UUID.init(uuidString:)),
                                                       language: form["language"],
                                                       interpreter: form["interpreter"] == "yes", note: form.raw("note"), signal: signal))
        }
    }

    func raiseSignal(_ request: Request) async throws -> Response {
        try await act(request, form: "signal", anchor: "signals") { service, id, form in
            _ = try await service.raiseSignal(id, .init(kind: form["kind"], text: form["text"]))
        }
    }

    func handleSignal(_ request: Request) async throws -> Response {
        let signalID = try request.uuidParameter("signalID", what: "signal")
        return try await act(request, form: "signal", anchor: "signals") { service, id, _ in
            _ = try await service.handleSignal(id, signalID)
        }
    }

    func openMeldcode(_ request: Request) async throws -> Response {
        try await act(request, form: "meldcode", anchor: "meldcode") { service, id, form in
            _ = try await service.openMeldcode(id, .init(colleagueId: form["colleagueId"].flatMap(UUID.init(uuidString:))))
        }
    }

    func signStep(_ request: Request) async throws -> Response {
        let recordID = try request.uuidParameter("recordID", what: "meldcode")
        return try await act(request, form: "meldcode", anchor: "meldcode") { service, id, form in
            _ = try await service.signMeldcodeStep(id, recordID, .init(step: form["step"].flatMap(Int.init), note: form["note"],
                                                                       decision: form["decision"], version: form["version"].flatMap(Int.init)))
        }
    }

    func recordOfferChoices(_ request: Request) async throws -> Response {
        try await act(request, form: "offers", anchor: "offers") { service, id, form in
            _ = try await service.recordOfferChoices(id, .init(discussed: form.all("discussed").compactMap(UUID.init(uuidString:)),
                                                               chosen: form.all("chosen").compactMap(UUID.init(uuidString:))))
        }
    }
}
