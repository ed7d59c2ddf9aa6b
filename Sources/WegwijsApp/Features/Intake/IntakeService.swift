import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor
import WegwijsCore

/// The Brede Intake's parenting module and what follows it: screenings, needs, the family plan, contact moments,
/// signals and the Meldcode. Every method checks access through `FamilyAccess` (a family outside the scope is 404),
/// runs in one transaction and writes its audit entries in it.
struct IntakeService {
    let families: FamilyService
    let instruments: ScreeningInstruments
    let settings: IntakeSettings
    var staff: StaffIdentity { families.staff }
    var db: any Database { families.db }
    var audit: AuditLog { families.audit }
    var catalog: LocaleCatalog { families.catalog }
    var today: CalendarDate { families.today }

    init(request: Request) throws {
        families = try FamilyService(request: request)
        instruments = request.application.screeningInstruments
        settings = request.application.storage[AppConfigKey.self]?.intake ?? IntakeSettings()
    }

    // MARK: access

    /// Coupled to the family: its lead (case manager), key person or social worker.
    func isCoupled(_ family: Family) -> Bool {
        [family.$caseManager.id, family.$keyPerson.id, family.$socialWorker.id].contains(staff.userID)
    }



    private func invalid(_ errors: [FieldError]) -> AppError { AppError.invalid(errors, catalog: catalog) }

    private func write<T: Sendable>(_ familyID: UUID, _ body: @escaping @Sendable (Family, [Member], any Database, AuditRecorder) async throws -> T) async throws -> T {
        let families = self.families, rules = settings.workRules
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (family, members) = try await families.loadForChange(familyID, on: tx, recorder: recorder)
            let result = try await body(family, members, tx, recorder)
            // Whatever changed (a contact, a screening, a signal, the plan), the family's worklist items follow.
            try await FamilyWorkItems.refresh([familyID], rules: rules, on: tx)
            return result
        }
    }

    // MARK: for matching

    /// What matching reads of a family: its household, its needs, the answers of its latest screening and its saved plan.
    struct MatchingInputs: Sendable {
        let family: Family
        let members: [Member]
        let needs: [Need]
        let latestAnswers: [String: ScreeningAnswer]?
        let plan: PlanData?
    }

    /// The matching inputs from sections this request has already read through the door (the intake page shows
    /// screenings, needs and plan anyway): no second read of the same rows. Still notes the section `action` names.
    func matchingInputs(_ familyID: UUID, action: String, screenings: [ScreeningView], needs: [Need],
                        plan: PlanView) async throws -> MatchingInputs {
        let (family, members) = try await families.read(familyID, action: action)
        // `screenings` is oldest first, as `screenings(_:)` sorts them: the latest is the last.
        return MatchingInputs(family: family, members: members, needs: needs, latestAnswers: screenings.last?.answers,
                              plan: plan.proposed ? nil : plan.plan)
    }

    func matchingInputs(_ familyID: UUID, action: String) async throws -> MatchingInputs {
        let (family, members) = try await families.read(familyID, action: action)
        let needs = try await Need.query(on: db).filter(\.$family.$id == familyID).all()
        let latest = try await Screening.query(on: db).filter(\.$family.$id == familyID)
            .sort(\.$conductedOn, .descending).sort(\.$createdAt, .descending).first()?.decodedAnswers
        let plan = try await FamilyPlanRecord.query(on: db).filter(\.$family.$id == familyID).first().map { PlanData.decode($0.data) }
        return MatchingInputs(family: family, members: members, needs: needs, latestAnswers: latest, plan: plan)
    }

    // MARK: screenings

    struct ScreeningInput: Content {
        var occasion: String?
        var conductedOn: String?
        var memberId: UUID?
        var answers: [String: ScreeningAnswer]
    }

    func createScreening(_ familyID: UUID, _ input: ScreeningInput) async throws -> Screening {
        try FamilyAccess.requireRead(staff)
        // Screenings and contact moments are done by the people who work with the family.
        try FamilyAccess.require(staff, .create, .screening)
        let (instrument, version) = try await instruments.current(on: db)
        var errors = instrument.validate(input.answers)
        let occasion = input.occasion ?? "intake"
        if !["intake", "guidance"].contains(occasion) { errors.append(FieldError("occasion", "unknown-code")) }
        let day = input.conductedOn.map { CalendarDate(iso: $0) } ?? today
        if day == nil { errors.append(FieldError("conductedOn", "date-invalid")) }
        if let day, day > today { errors.append(FieldError("conductedOn", "future-date")) }
        if input.answers.isEmpty { errors.append(FieldError("answers", "required")) }
        guard errors.isEmpty, let day else { throw invalid(errors) }
        let staff = self.staff, catalog = self.catalog
        let answers = String(decoding: try JSONEncoder().encode(input.answers), as: UTF8.self)
        return try await write(familyID) { family, members, tx, recorder in
            if let memberID = input.memberId, !members.contains(where: { $0.id == memberID && $0.role == .parent }) {
                throw AppError.invalid([FieldError("memberId", "not-a-parent")], catalog: catalog)
            }
            let screening = Screening()
            screening.id = UUID()
            screening.$family.id = familyID
            screening.$municipality.id = staff.municipalityID
            screening.memberID = input.memberId
            screening.instrumentVersion = version
            screening.occasion = occasion
            screening.conductedOn = day.iso
            screening.answers = answers
            screening.byUserID = staff.userID
            screening.byName = staff.displayName
            try await screening.create(on: tx)
            // What the parent knows and uses (R48), typed, in the same transaction.
            try await ScreeningProvisions.insert([(screening, input.answers)], on: tx)
            // The family's questions become needs: a new theme opens one, a known theme keeps its highest priority.
            let open = try await Need.query(on: tx).filter(\.$family.$id == familyID).filter(\.$status == NeedStatus.open).all()
            var created = 0
            for item in instrument.items where item.type == .themes {
                guard case .priorities(let priorities)? = input.answers[item.id] else { continue }
                for (theme, priority) in priorities.sorted(by: { $0.key < $1.key }) where priority > 0 {
                    if let need = open.first(where: { $0.theme == theme }) {
                        if priority > need.priority { need.priority = priority; need.version += 1; try await need.update(on: tx) }
                    } else {
                        let need = Need(family: familyID, municipality: staff.municipalityID, theme: theme, priority: priority,
                                        source: .screening, raisedBy: input.memberId)
                        try await need.create(on: tx)
                        created += 1
                    }
                }
            }
            // A safety signal goes to the lead's worklist at once; the lead decides on the Meldcode.
            if case .flag(true)? = input.answers["safety.concern"] {
                try await Self.makeSignal(familyID: familyID, kind: "concern", text: "Signaal over veiligheid uit de screening",
                                          staff: staff, today: today, on: tx)
            }
            recorder.record(AuditEvent(action: "screening.create", familyID: familyID, familyReference: family.reference,
                                       detail: "version=\(version) occasion=\(occasion) needs=\(created)"))
            return screening
        }
    }

    struct ScreeningView: Content {
        let id: UUID
        let occasion: String
        let conductedOn: String
        let memberId: UUID?
        let instrumentVersion: Int
        let by: String
        let answers: [String: ScreeningAnswer]
        /// What changed since the previous screening of the same parent (or household).
        let changes: ScreeningChange?
        /// The provisions the parent knows and uses (R48); absent when the screening did not ask.
        let provisions: ProvisionsView?
    }

    struct ProvisionsView: Content {
        let known: [String]
        let used: [String]

        init?(_ answers: ProvisionAnswers) {
            guard answers.asked else { return nil }
            known = answers.known.map(\.rawValue)
            used = answers.used.map(\.rawValue)
        }
    }

    func screenings(_ familyID: UUID) async throws -> [ScreeningView] {
        try FamilyAccess.require(staff, .list, .screening)
        _ = try await families.read(familyID, action: "screening.list")
        let rows = try await Screening.query(on: db).filter(\.$family.$id == familyID)
            .sort(\.$conductedOn).sort(\.$createdAt).all()
        var previous: [UUID?: [String: ScreeningAnswer]] = [:]
        var views: [ScreeningView] = []
        for row in rows {
            let answers = row.decodedAnswers
            let instrument = try await instruments.version(row.instrumentVersion, on: db)
            let changes = previous[row.memberID].map { ScreeningChange(from: $0, to: answers, instrument: instrument) }
            previous[row.memberID] = answers
            views.append(ScreeningView(id: row.id!, occasion: row.occasion, conductedOn: row.conductedOn, memberId: row.memberID,
                                       instrumentVersion: row.instrumentVersion, by: row.byName, answers: answers,
                                       changes: changes, provisions: ProvisionsView(ProvisionAnswers(answers))))
        }
        return views
    }

    // MARK: needs

    struct NeedInput: Content {
        var theme: String?
        var priority: Int?
        var note: String?
        var raisedByMemberId: UUID?
        /// PATCH: `open` or `closed`.
        var status: String?
        /// PATCH: merge this need into another open need of the family.
        var mergeInto: UUID?
        var version: Int?
    }

    func needs(_ familyID: UUID) async throws -> [Need] {
        _ = try await families.read(familyID, action: "need.list")
        return try await Need.query(on: db).filter(\.$family.$id == familyID).sort(\.$status).sort(\.$priority, .descending)
            .sort(\.$theme).all()
    }

    func addNeed(_ familyID: UUID, _ input: NeedInput) async throws -> Need {
        try FamilyAccess.requireChange(staff)
        var errors: [FieldError] = []
        if let theme = input.theme { if !Theme.isKnown(theme) { errors.append(FieldError("theme", "unknown-code")) } }
        else { errors.append(FieldError("theme", "required")) }
        let priority = input.priority ?? 1
        if !(1...ScreeningInstrument.maxPriority).contains(priority) { errors.append(FieldError("priority", "out-of-range")) }
        if (input.note?.count ?? 0) > 500 { errors.append(FieldError("note", "too-long")) }
        guard errors.isEmpty, let theme = input.theme else { throw invalid(errors) }
        let staff = self.staff, catalog = self.catalog
        return try await write(familyID) { family, members, tx, recorder in
            if let member = input.raisedByMemberId, !members.contains(where: { $0.id == member }) {
                throw AppError.invalid([FieldError("raisedByMemberId", "unknown-code")], catalog: catalog)
            }
            let need = Need(family: familyID, municipality: staff.municipalityID, theme: theme, priority: priority, source: .staff,
                            raisedBy: input.raisedByMemberId)
            need.note = input.note?.trimmed.nilIfEmpty
            try await need.create(on: tx)
            recorder.record(AuditEvent(action: "need.create", familyID: familyID, familyReference: family.reference, detail: "theme=\(theme)"))
            return need
        }
    }

    func changeNeed(_ familyID: UUID, _ needID: UUID, _ input: NeedInput) async throws -> Need {
        try FamilyAccess.requireChange(staff)
        var errors: [FieldError] = []
        if let priority = input.priority, !(1...ScreeningInstrument.maxPriority).contains(priority) { errors.append(FieldError("priority", "out-of-range")) }
        // Merging is its own action (`mergeInto`): the status may only be set to open or closed.
        let status = input.status.map(NeedStatus.init(rawValue:))
        if let status, status != .open && status != .closed { errors.append(FieldError("status", "unknown-code")) }
        if (input.note?.count ?? 0) > 500 { errors.append(FieldError("note", "too-long")) }
        guard errors.isEmpty else { throw invalid(errors) }
        guard let version = input.version else { throw AppError.versionRequired }
        let catalog = self.catalog
        return try await write(familyID) { family, _, tx, recorder in
            guard let need = try await Need.query(on: tx).filter(\.$id == needID).filter(\.$family.$id == familyID).first() else {
                throw AppError.notFound("need")
            }
            guard need.version == version else { throw AppError.staleVersion }
            var detail = "need=\(needID.uuidString.prefix(8))"
            if let target = input.mergeInto {
                guard need.status == .open, target != needID,
                      let into = try await Need.query(on: tx).filter(\.$id == target).filter(\.$family.$id == familyID)
                        .filter(\.$status == NeedStatus.open).first() else {
                    throw AppError.invalid([FieldError("mergeInto", "unknown-code")], catalog: catalog)
                }
                into.priority = max(into.priority, need.priority)
                into.version += 1
                try await into.update(on: tx)
                need.status = .merged
                need.mergedIntoID = target
                detail += " merged"
            }
            if let priority = input.priority { need.priority = priority }
            if let status = status ?? nil, input.mergeInto == nil { need.status = status; detail += " status=\(status.rawValue)" }
            if let note = input.note { need.note = note.trimmed.nilIfEmpty }
            need.version += 1
            try await need.update(on: tx)
            recorder.record(AuditEvent(action: "need.update", familyID: familyID, familyReference: family.reference, detail: detail))
            return need
        }
    }

    // MARK: the family plan

    struct PlanView: Content {
        let plan: PlanData
        /// 0 while the plan is only proposed (nothing saved yet).
        let version: Int
        let proposed: Bool
        let lead: UUID?
        let keyPerson: UUID?
    }

    func plan(_ familyID: UUID) async throws -> PlanView {
        let (family, members) = try await families.read(familyID, action: "plan.read")
        let (record, plan) = try await Self.savedOrProposed(family, members, weeks: settings.activeSupportWeeks, today: today,
                                                            by: staff.displayName, on: db)
        return PlanView(plan: plan, version: record?.version ?? 0, proposed: record == nil,
                        lead: family.$caseManager.id, keyPerson: family.$keyPerson.id)
    }

    struct PlanInput: Content {
        var goals: [String]?
        var actions: [PlanData.Action]?
        var phase: Int?
        var phaseNote: String?
        var reviewDate: String?
        var urgent: Bool?
        /// The version edited; 0 for the first save of a proposed plan.
        var version: Int?
    }

    func savePlan(_ familyID: UUID, _ input: PlanInput) async throws -> PlanView {
        try FamilyAccess.requireChange(staff)
        guard let version = input.version else { throw AppError.versionRequired }
        var errors: [FieldError] = []
        if let phase = input.phase, !PlanData.phases.contains(phase) { errors.append(FieldError("phase", "out-of-range")) }
        if let review = input.reviewDate, CalendarDate(iso: review) == nil { errors.append(FieldError("reviewDate", "date-invalid")) }
        for (index, goal) in (input.goals ?? []).enumerated() where goal.count > 500 || goal.trimmed.isEmpty {
            errors.append(FieldError("goals.\(index)", goal.trimmed.isEmpty ? "required" : "too-long"))
        }
        for (index, action) in (input.actions ?? []).enumerated() {
            if action.text.trimmed.isEmpty { errors.append(FieldError("actions.\(index).text", "required")) }
            if action.text.count > 500 || action.who.count > 200 { errors.append(FieldError("actions.\(index)", "too-long")) }
            if let due = action.due, CalendarDate(iso: due) == nil { errors.append(FieldError("actions.\(index).due", "date-invalid")) }
        }
        guard errors.isEmpty else { throw invalid(errors) }
        let staff = self.staff, today = self.today, weeks = settings.activeSupportWeeks, catalog = self.catalog
        return try await write(familyID) { family, members, tx, recorder in
            var (record, plan) = try await Self.savedOrProposed(family, members, weeks: weeks, today: today, by: staff.displayName,
                                                                urgent: input.urgent ?? false, on: tx)
            guard (record?.version ?? 0) == version else { throw AppError.staleVersion }
            if let goals = input.goals { plan.goals = goals.map(\.trimmed) }
            if let actions = input.actions { plan.actions = actions }
            if let review = input.reviewDate { plan.reviewDate = review }
            if let urgent = input.urgent, urgent != plan.urgent {
                plan.urgent = urgent
                // Urgent: active support now; otherwise back to the settling-in weeks.
                let settlement = members.compactMap { $0.settlementDate.flatMap(CalendarDate.init(iso:)) }.min() ?? today
                plan.activeSupportFrom = urgent ? today.iso : settlement.adding(days: 7 * weeks).iso
                for index in plan.actions.indices where plan.actions[index].kind == "active-support" {
                    plan.actions[index].due = plan.activeSupportFrom
                }
            }
            if let phase = input.phase, phase != plan.phase {
                // Phases follow each other (R37): no step is skipped, going back one is allowed.
                guard abs(phase - plan.phase) == 1 else {
                    throw AppError.invalid([FieldError("phase", "phase-skip")], catalog: catalog)
                }
                plan.phase = phase
                plan.phaseHistory.append(.init(phase: phase, on: today.iso, by: staff.displayName, note: input.phaseNote?.trimmed.nilIfEmpty))
            }
            let view = try await Self.store(plan, over: record, of: family, municipalityID: staff.municipalityID, on: tx)
            recorder.record(AuditEvent(action: "plan.update", familyID: familyID, familyReference: family.reference,
                                       detail: "phase=\(plan.phase)"))
            return view
        }
    }

    /// The family's saved plan with its row, or (no row yet) the plan a new family is proposed.
    static func savedOrProposed(_ family: Family, _ members: [Member], weeks: Int, today: CalendarDate, by: String,
                                urgent: Bool = false, on db: any Database) async throws -> (record: FamilyPlanRecord?, plan: PlanData) {
        let record = try await FamilyPlanRecord.query(on: db).filter(\.$family.$id == family.requireID()).first()
        let plan = record.map { PlanData.decode($0.data) }
            ?? PlanData.proposal(family: family, members: members, weeksAfterSettlement: weeks, today: today, by: by, urgent: urgent)
        return (record, plan)
    }

    /// Saves the plan (the first save creates its row) and raises its version.
    private static func store(_ plan: PlanData, over record: FamilyPlanRecord?, of family: Family, municipalityID: UUID,
                              on tx: any Database) async throws -> PlanView {
        let row = record ?? FamilyPlanRecord()
        if record == nil {
            row.id = UUID()
            row.$family.id = try family.requireID()
            row.$municipality.id = municipalityID
            row.version = 0
        }
        row.data = try plan.encoded()
        row.phase = plan.phase
        row.welcomedOn = plan.informationGiven.first?.on
        row.version += 1
        try await row.save(on: tx)
        return PlanView(plan: plan, version: row.version, proposed: false, lead: family.$caseManager.id, keyPerson: family.$keyPerson.id)
    }

    struct InformationInput: Content {
        var pages: [String]
        var language: String
        var how: String?
    }

    /// Records that welcome-package pages were printed or sent to the family in `language` (lead or key person).
    func recordInformation(_ familyID: UUID, _ input: InformationInput, content: ParentContent) async throws -> PlanView {
        try FamilyAccess.requireRead(staff)
        try FamilyAccess.require(staff, .create, .planProgress)
        var errors: [FieldError] = []
        if input.pages.isEmpty || input.pages.contains(where: { content.page($0) == nil }) { errors.append(FieldError("pages", "unknown-code")) }
        if !content.isLanguage(input.language) { errors.append(FieldError("language", "unknown-code")) }
        let how = input.how ?? "printed"
        if !["printed", "sent"].contains(how) { errors.append(FieldError("how", "unknown-code")) }
        guard errors.isEmpty else { throw invalid(errors) }
        let staff = self.staff, today = self.today, weeks = settings.activeSupportWeeks
        return try await write(familyID) { family, members, tx, recorder in
            var (record, plan) = try await Self.savedOrProposed(family, members, weeks: weeks, today: today, by: staff.displayName, on: tx)
            plan.informationGiven.append(.init(pages: input.pages, language: input.language, how: how, on: today.iso, by: staff.displayName))
            for index in plan.actions.indices where plan.actions[index].kind == "welcome-package" { plan.actions[index].done = true }
            let view = try await Self.store(plan, over: record, of: family, municipalityID: staff.municipalityID, on: tx)
            recorder.record(AuditEvent(action: "plan.information", familyID: familyID, familyReference: family.reference,
                                       detail: "pages=\(input.pages.count) language=\(input.language)"))
            return view
        }
    }

    struct OfferChoicesInput: Content {
        /// Offers discussed with the parents.
        var discussed: [UUID]
        /// Of those, the ones the parents chose.
        var chosen: [UUID]?
    }

    /// Records which offers were discussed with the parents and which they chose (the case manager or key person).
    func recordOfferChoices(_ familyID: UUID, _ input: OfferChoicesInput) async throws -> PlanView {
        try FamilyAccess.requireRead(staff)
        try FamilyAccess.require(staff, .create, .planProgress)
        let chosen = Set(input.chosen ?? [])
        var errors: [FieldError] = []
        if input.discussed.isEmpty { errors.append(FieldError("discussed", "required")) }
        if !chosen.isSubset(of: Set(input.discussed)) { errors.append(FieldError("chosen", "unknown-code")) }
        guard errors.isEmpty else { throw invalid(errors) }
        let staff = self.staff, today = self.today, weeks = settings.activeSupportWeeks, catalog = self.catalog
        return try await write(familyID) { family, members, tx, recorder in
            let offers = try await Offer.query(on: tx).filter(\.$id ~~ input.discussed).filter(\.$municipality.$id == staff.municipalityID).all()
            guard offers.count == Set(input.discussed).count else {
                throw AppError.invalid([FieldError("discussed", "unknown-code")], catalog: catalog)
            }
            var (record, plan) = try await Self.savedOrProposed(family, members, weeks: weeks, today: today, by: staff.displayName, on: tx)
            for offer in offers.sorted(by: { $0.name < $1.name }) {
                plan.offerChoices.append(.init(offerId: offer.id!.uuidString.lowercased(), name: offer.name, chosen: chosen.contains(offer.id!),
                                               on: today.iso, by: staff.displayName))
            }
            let view = try await Self.store(plan, over: record, of: family, municipalityID: staff.municipalityID, on: tx)
            recorder.record(AuditEvent(action: "plan.offers", familyID: familyID, familyReference: family.reference,
                                       detail: "discussed=\(offers.count) chosen=\(chosen.count)"))
            return view
        }
    }

    /// Records in the family's plan that `offer` was chosen and referred to (the matching choice links to the referral).
    /// Runs inside the referral's transaction.
    static func linkReferral(_ referralID: UUID, offerID: UUID, offerName: String, family: Family, members: [Member],
                             municipalityID: UUID, settings: IntakeSettings, today: CalendarDate, by: String,
                             on tx: any Database) async throws {
        let weeks = settings.activeSupportWeeks
        var (record, plan) = try await savedOrProposed(family, members, weeks: weeks, today: today, by: by, on: tx)
        let offer = offerID.uuidString.lowercased()
        if let index = plan.offerChoices.lastIndex(where: { $0.offerId == offer && $0.referralId == nil }) {
            plan.offerChoices[index].chosen = true
            plan.offerChoices[index].referralId = referralID.uuidString.lowercased()
        } else {
            plan.offerChoices.append(.init(offerId: offer, name: offerName, chosen: true, on: today.iso, by: by,
                                           referralId: referralID.uuidString.lowercased()))
        }
        _ = try await store(plan, over: record, of: family, municipalityID: municipalityID, on: tx)
        try await FamilyWorkItems.refresh([try family.requireID()], rules: settings.workRules, on: tx)
    }

    // MARK: contact moments

    static let contactModes = ["home-visit", "phone", "location", "group", "via-key-person"]

    struct ContactInput: Content {
        var at: Date?
        var mode: String?
        var memberId: UUID?
        var language: String?
        var interpreter: Bool?
        var note: String?
        /// A signal raised in this contact (`{"kind": "concern"|"question", "text": ...}`).
        var signal: SignalInput?
    }

    struct ContactView: Content {
        let id: UUID
        let at: Date
        let by: String
        let mode: String
        let memberId: UUID?
        let language: String?
        let interpreter: Bool
        /// Only for the family's lead, key person and social worker; `noteHidden` tells others a note exists.
        let note: String?
        let noteHidden: Bool
    }

    func addContact(_ familyID: UUID, _ input: ContactInput) async throws -> ContactView {
        try FamilyAccess.requireRead(staff)
        try FamilyAccess.require(staff, .create, .contact)
        var errors: [FieldError] = []
        let at = input.at ?? families.clock.now
        if at > families.clock.now.addingTimeInterval(300) { errors.append(FieldError("at", "future-date")) }
        if let mode = input.mode { if !Self.contactModes.contains(mode) { errors.append(FieldError("mode", "unknown-code")) } }
        else { errors.append(FieldError("mode", "required")) }
        if let language = input.language, !Languages.isKnown(language) { errors.append(FieldError("language", "unknown-code")) }
        if (input.note?.count ?? 0) > 2_000 { errors.append(FieldError("note", "too-long")) }
        if let signal = input.signal { errors += Self.validate(signal) }
        guard errors.isEmpty, let mode = input.mode else { throw invalid(errors) }
        let staff = self.staff, catalog = self.catalog
        return try await write(familyID) { family, members, tx, recorder in
            if let member = input.memberId, !members.contains(where: { $0.id == member }) {
                throw AppError.invalid([FieldError("memberId", "unknown-code")], catalog: catalog)
            }
            let contact = ContactMoment()
            contact.id = UUID()
            contact.$family.id = familyID
            contact.$municipality.id = staff.municipalityID
            contact.at = at
            contact.byUserID = staff.userID
            contact.byName = staff.displayName
            contact.mode = mode
            contact.memberID = input.memberId
            contact.language = input.language
            contact.interpreter = input.interpreter ?? false
            contact.note = input.note?.trimmed.nilIfEmpty
            try await contact.create(on: tx)
            if let signal = input.signal {
                try await Self.makeSignal(familyID: familyID, kind: signal.kind ?? "", text: signal.text ?? "", staff: staff, today: today, on: tx)
            }
            recorder.record(AuditEvent(action: "contact.create", familyID: familyID, familyReference: family.reference,
                                       detail: "mode=\(mode)\(input.signal == nil ? "" : " signal")"))
            return ContactView(id: contact.id!, at: at, by: staff.displayName, mode: mode, memberId: input.memberId,
                               language: input.language, interpreter: contact.interpreter, note: contact.note, noteHidden: false)
        }
    }

    func contacts(_ familyID: UUID) async throws -> [ContactView] {
        let (family, _) = try await families.read(familyID, action: "contact.list")
        let mayReadNotes = isCoupled(family)
        return try await ContactMoment.query(on: db).filter(\.$family.$id == familyID).sort(\.$at, .descending).all().map {
            ContactView(id: $0.id!, at: $0.at, by: $0.byName, mode: $0.mode, memberId: $0.memberID, language: $0.language,
                        interpreter: $0.interpreter, note: mayReadNotes ? $0.note : nil, noteHidden: !mayReadNotes && $0.note != nil)
        }
    }

    // MARK: signals

    struct SignalInput: Content {
        var kind: String?
        var text: String?
    }

    static func validate(_ input: SignalInput) -> [FieldError] {
        var errors: [FieldError] = []
        if !["concern", "question"].contains(input.kind ?? "") { errors.append(FieldError("signal.kind", input.kind == nil ? "required" : "unknown-code")) }
        let text = input.text?.trimmed ?? ""
        if text.isEmpty { errors.append(FieldError("signal.text", "required")) } else if text.count > 1_000 { errors.append(FieldError("signal.text", "too-long")) }
        return errors
    }

    static func makeSignal(familyID: UUID, kind: String, text: String, staff: StaffIdentity, today: CalendarDate,
                           on tx: any Database) async throws {
        let signal = FamilySignal()
        signal.id = UUID()
        signal.$family.id = familyID
        signal.$municipality.id = staff.municipalityID
        signal.kind = kind
        signal.text = text.trimmed
        signal.raisedByUserID = staff.userID
        signal.raisedByName = staff.displayName
        signal.raisedByRole = staff.role.rawValue
        signal.status = .open
        signal.raisedOn = today.iso
        try await signal.create(on: tx)
    }

    /// Anyone with access to the family may raise a signal: key persons, social workers, partners, case managers.
    func raiseSignal(_ familyID: UUID, _ input: SignalInput) async throws -> FamilySignal {
        try FamilyAccess.requireRead(staff)
        let errors = Self.validate(input)
        guard errors.isEmpty else { throw invalid(errors) }
        let staff = self.staff
        return try await write(familyID) { family, _, tx, recorder in
            try await Self.makeSignal(familyID: familyID, kind: input.kind!, text: input.text!, staff: staff, today: today, on: tx)
            recorder.record(AuditEvent(action: "signal.create", familyID: familyID, familyReference: family.reference, detail: "kind=\(input.kind!)"))
            return try await FamilySignal.query(on: tx).filter(\.$family.$id == familyID).sort(\.$createdAt, .descending).first()!
        }
    }

    func signals(_ familyID: UUID) async throws -> [FamilySignal] {
        _ = try await families.read(familyID, action: "signal.list")
        return try await FamilySignal.query(on: db).filter(\.$family.$id == familyID).sort(\.$createdAt, .descending).all()
    }

    /// The lead marks a signal as handled.
    func handleSignal(_ familyID: UUID, _ signalID: UUID) async throws -> FamilySignal {
        try FamilyAccess.requireChange(staff)
        let staff = self.staff
        return try await write(familyID) { family, _, tx, recorder in
            guard let signal = try await FamilySignal.query(on: tx).filter(\.$id == signalID).filter(\.$family.$id == familyID).first() else {
                throw AppError.notFound("signal")
            }
            signal.status = .handled
            signal.handledBy = staff.displayName
            signal.handledAt = families.clock.now
            try await signal.update(on: tx)
            recorder.record(AuditEvent(action: "signal.handle", familyID: familyID, familyReference: family.reference))
            return signal
        }
    }

    // MARK: Meldcode

    struct MeldcodeOpenInput: Content {
        var colleagueId: UUID?
        var childMemberId: UUID?
    }

    struct MeldcodeStepInput: Content {
        var step: Int?
        var note: String?
        /// Step 5 only: `help` or `report`.
        var decision: String?
        var version: Int?
    }

    struct MeldcodeView: Content {
        let id: UUID
        let status: String
        let decision: String?
        let leadUserId: UUID
        let colleagueUserId: UUID
        let childMemberId: UUID?
        let steps: [MeldcodeStep]
        let nextStep: Int?
        let version: Int
        let openedAt: Date?

        init(_ record: MeldcodeRecord) {
            id = record.id!
            status = record.status.rawValue
            decision = record.decision
            leadUserId = record.leadUserID
            colleagueUserId = record.colleagueUserID
            childMemberId = record.childMemberID
            steps = (try? JSONDecoder().decode([MeldcodeStep].self, from: Data(record.steps.utf8))) ?? []
            nextStep = record.status == .open ? steps.count + 1 : nil
            version = record.version
            openedAt = record.openedAt
        }
    }

    /// The family's lead opens a Meldcode record and names the colleague to consult; only they two see it.
    func openMeldcode(_ familyID: UUID, _ input: MeldcodeOpenInput) async throws -> MeldcodeView {
        try FamilyAccess.requireChange(staff)
        guard let colleagueID = input.colleagueId else { throw invalid([FieldError("colleagueId", "required")]) }
        let staff = self.staff, catalog = self.catalog
        return try await write(familyID) { family, members, tx, recorder in
            try FamilyAccess.require(staff, .create, .meldcode, relationships: FamilyAccess.relationships(staff, to: family),
                                     notFound: "family")
            guard colleagueID != staff.userID,
                  let colleague = try await User.query(on: tx).filter(\.$id == colleagueID)
                    .filter(\.$municipality.$id == staff.municipalityID).filter(\.$active == true).first(),
                  // The colleague must be able to open the family: a case manager, or its own social worker.
                  colleague.role == Role.caseManager.rawValue
                    || (colleague.role == Role.socialWorker.rawValue && family.$socialWorker.id == colleagueID) else {
                throw AppError.invalid([FieldError("colleagueId", "unknown-user")], catalog: catalog)
            }
            if let child = input.childMemberId, !members.contains(where: { $0.id == child && $0.role == .child }) {
                throw AppError.invalid([FieldError("childMemberId", "unknown-code")], catalog: catalog)
            }
            let record = MeldcodeRecord()
            record.id = UUID()
            record.$family.id = familyID
            record.$municipality.id = staff.municipalityID
            record.leadUserID = staff.userID
            record.colleagueUserID = colleagueID
            record.childMemberID = input.childMemberId
            record.status = .open
            record.steps = "[]"
            record.version = 1
            try await record.create(on: tx)
            recorder.record(AuditEvent(action: "meldcode.open", familyID: familyID, familyReference: family.reference))
            return MeldcodeView(record)
        }
    }

    /// The records this staff member may see: as lead or as the named colleague. Everyone else sees none.
    func meldcode(_ familyID: UUID) async throws -> [MeldcodeView] {
        _ = try await families.read(familyID, action: "meldcode.list")
        return try await MeldcodeRecord.query(on: db).filter(\.$family.$id == familyID)
            .group(.or) { $0.filter(\.$leadUserID == staff.userID).filter(\.$colleagueUserID == staff.userID) }
            .sort(\.$openedAt).all().map(MeldcodeView.init)
    }

    func signMeldcodeStep(_ familyID: UUID, _ recordID: UUID, _ input: MeldcodeStepInput) async throws -> MeldcodeView {
        try FamilyAccess.requireRead(staff)
        var errors: [FieldError] = []
        let note = input.note?.trimmed ?? ""
        if note.isEmpty { errors.append(FieldError("note", "required")) } else if note.count > 4_000 { errors.append(FieldError("note", "too-long")) }
        if input.step == nil { errors.append(FieldError("step", "required")) }
        guard errors.isEmpty, let step = input.step else { throw invalid(errors) }
        let staff = self.staff, catalog = self.catalog, today = self.today
        return try await write(familyID) { family, _, tx, recorder in
            // Not the lead or the named colleague: the record does not exist for them.
            guard let record = try await MeldcodeRecord.query(on: tx).filter(\.$id == recordID).filter(\.$family.$id == familyID).first(),
                  record.leadUserID == staff.userID || record.colleagueUserID == staff.userID else {
                throw AppError.notFound("meldcode")
            }
            if let version = input.version, version != record.version { throw AppError.staleVersion }
            var steps = (try? JSONDecoder().decode([MeldcodeStep].self, from: Data(record.steps.utf8))) ?? []
            guard record.status == .open, step == steps.count + 1 else {
                throw AppError.invalid([FieldError("step", "step-order")], catalog: catalog)
            }
            if step == 5 {
                guard let decision = input.decision, ["help", "report"].contains(decision) else {
                    throw AppError.invalid([FieldError("decision", input.decision == nil ? "required" : "unknown-code")], catalog: catalog)
                }
                record.decision = decision
                record.status = .decided
            }
            steps.append(MeldcodeStep(step: step, on: today.iso, signedBy: staff.displayName, signedByUserID: staff.userID, note: note))
            record.steps = String(decoding: try JSONEncoder().encode(steps), as: UTF8.self)
            record.version += 1
            try await record.update(on: tx)
            recorder.record(AuditEvent(action: "meldcode.step", familyID: familyID, familyReference: family.reference, detail: "step=\(step)"))
            return MeldcodeView(record)
        }
    }
}

/// Settings of the intake module (environment, see README).
struct IntakeSettings: Sendable {
    /// Active support starts this many weeks after settlement, unless the plan is marked urgent (R39).
    var activeSupportWeeks = 12
    /// A family without contact for this many weeks shows on the lead's worklist.
    var noContactWeeks = 6
    /// A new screening is due this many weeks after the last one.
    var rescreenWeeks = 12

    /// The rules behind the family items of the worklist.
    var workRules: WorkRules { WorkRules(noContactWeeks: noContactWeeks, rescreenWeeks: rescreenWeeks) }
}

/// The published versions of the screening instrument, kept in the database and remembered per version here.
final class ScreeningInstruments: Sendable {
    private let cache = NIOLockedValueBox<[Int: ScreeningInstrument]>([:])

    /// Stores the instrument file as a new version if that version is not in the database yet. The earlier versions
    /// kept beside it (`instrument-v1.json`, ...: as they were published, never edited) are stored first, so that a new
    /// database also reads screenings filled in with them (an import, a restored backup) and the versions are
    /// complete wherever the server starts.
    static func publish(from path: String, on db: any Database) async throws {
        let file = URL(fileURLWithPath: path)
        let folder = file.deletingLastPathComponent()
        let earlier = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("instrument-v") && $0.hasSuffix(".json") }.sorted()
        for name in earlier { try await publishOne(folder.appendingPathComponent(name), on: db) }
        try await publishOne(file, on: db)
    }

    private static func publishOne(_ url: URL, on db: any Database) async throws {
        let data = try Data(contentsOf: url)
        let instrument = try JSONDecoder().decode(ScreeningInstrument.self, from: data)
        if try await ScreeningInstrumentVersion.find(instrument.version, on: db) == nil {
            try await ScreeningInstrumentVersion(version: instrument.version, definition: String(decoding: data, as: UTF8.self)).create(on: db)
        }
    }

    func version(_ number: Int, on db: any Database) async throws -> ScreeningInstrument {
        if let known = cache.withLockedValue({ $0[number] }) { return known }
        guard let row = try await ScreeningInstrumentVersion.find(number, on: db) else {
            throw AppError(status: .internalServerError, code: "instrument-missing", message: "Screening instrument version \(number) is missing.")
        }
        let instrument = try JSONDecoder().decode(ScreeningInstrument.self, from: Data(row.definition.utf8))
        cache.withLockedValue { $0[number] = instrument }
        return instrument
    }

    /// The newest published version.
    func current(on db: any Database) async throws -> (ScreeningInstrument, Int) {
        guard let newest = try await ScreeningInstrumentVersion.query(on: db).sort(\.$id, .descending).field(\.$id).first(),
              let number = newest.id else {
            throw AppError(status: .internalServerError, code: "instrument-missing", message: "No screening instrument is published.")
        }
        return (try await version(number, on: db), number)
    }
}

extension Application {
    private struct ScreeningInstrumentsKey: StorageKey { typealias Value = ScreeningInstruments }
    var screeningInstruments: ScreeningInstruments {
        get { storage[ScreeningInstrumentsKey.self] ?? ScreeningInstruments() }
        set { storage[ScreeningInstrumentsKey.self] = newValue }
    }
}

extension Request {
    /// The newest published screening instrument and its version number.
    func currentScreeningInstrument() async throws -> (ScreeningInstrument, Int) {
        try await application.screeningInstruments.current(on: db)
    }
}
