import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// A municipality's referral timers, with the configured defaults where it set none (docs/referrals.md).
struct ReferralSettings: Sendable, Equatable, Content {
    /// A partner answers (accepts, declines, waitlists) within this many working days.
    var answerWorkingDays = 10
    /// First contact is made within this many days of acceptance.
    var firstContactDays = 20
    /// Partners keep seeing a closed referral this many days.
    var partnerAccessDays = 30

    static func load(_ municipalityID: UUID, defaults: ReferralSettings, on db: any Database) async throws -> ReferralSettings {
        // Three columns in plain SQL: read on every list request, where the model's decoding showed in profiles.
        guard let sql = db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
        guard let row = try await sql.select()
            .columns("answer_working_days", "first_contact_days", "partner_access_days")
            .from(ReferralSettingsRecord.schema).where("municipality_id", .equal, municipalityID).first()
        else { return defaults }
        return ReferralSettings(answerWorkingDays: try row.decode(column: "answer_working_days", as: Int.self),
                                firstContactDays: try row.decode(column: "first_contact_days", as: Int.self),
                                partnerAccessDays: try row.decode(column: "partner_access_days", as: Int.self))
    }

    func validate() -> [FieldError] {
        var errors: [FieldError] = []
        for (value, field, range) in [(answerWorkingDays, "answerWorkingDays", 1...60), (firstContactDays, "firstContactDays", 1...180),
                                      (partnerAccessDays, "partnerAccessDays", 0...365)] where !range.contains(value) {
            errors.append(.init(field, "out-of-range"))
        }
        return errors
    }
}

struct ReferralInput: Content {
    var familyId: UUID?
    /// The offer; or, where no offer fits, `organisationId`.
    var offerId: UUID?
    var organisationId: UUID?
    var needIds: [UUID]?
    var memberIds: [UUID]?
    var reason: String?
    var ownWords: String?
    var language: String?
    var interpreterNeeded: Bool?
    /// `ReferralSharedField` codes; the minimal default when absent.
    var sharedFields: [String]?
    /// The consent it rests on; when absent, the family's active referral consent for the organisation.
    var consentId: UUID?
    /// Send at once (one transaction) instead of keeping a draft.
    var send: Bool?
    var redirectedFrom: UUID?
}

struct TransitionRequest: Content {
    var to: String?
    /// The state the client saw; a different current state is a 409 (two people clicked at once).
    var from: String?
    var version: Int?
    var note: String?
    var reason: String?
    var expectedDate: String?
    var plannedOn: String?
    var plannedTime: String?
    /// For `first-contact-planned`: where it is.
    var plannedPlace: String?
    var companionId: UUID?
    var accompanied: Bool?
    var outcome: String?
    /// For `declined`: why, as a `DeclineReason` code (`reason` adds words).
    var declineReason: String?
    /// For `first-contact-made`: the day it happened (default today; never in the future).
    var madeOn: String?
}

/// Everything about referrals: creating, the lifecycle, who sees what, timers and feedback to the lead.
/// Every write is one audited transaction; every read of family data through a referral is audited.
struct ReferralService {
    let db: any Database
    let audit: AuditLog
    let staff: StaffIdentity
    let catalog: LocaleCatalog
    /// The one clock (see `WallClock`): timers and dates read it.
    let clock: WallClock
    var today: CalendarDate { clock.today }
    /// What this request has shown (see `RequestReads`).
    let reads: RequestReads?
    let defaults: ReferralSettings
    let intake: IntakeSettings
    let publicURL: String
    let logger: Logger

    init(request: Request) throws {
        db = request.db
        audit = request.audit
        staff = try request.requireStaff()
        catalog = request.application.locales
        clock = request.clock
        reads = request.reads
        let config = request.application.storage[AppConfigKey.self]
        defaults = config?.referrals ?? ReferralSettings()
        intake = config?.intake ?? IntakeSettings()
        publicURL = config?.publicURL ?? "http://127.0.0.1:8080"
        logger = request.logger
    }

    static func mayUseReferrals(_ role: Role) -> Bool { FamilyAccess.may(role, .list, .referral) }

    func requireUse() throws {
        guard Self.mayUseReferrals(staff.role) else { throw AppError.forbidden }
    }

    /// The referral timers of the staff member's municipality (its own, or the defaults where it set none).
    func settings() async throws -> ReferralSettings {
        try await ReferralSettings.load(staff.municipalityID, defaults: defaults, on: db)
    }

    func invalid(_ errors: [FieldError]) -> AppError {
        // A refusal for a reason in the world (no consent, retired offer, closed family) carries that reason as its code.
        let refusals: Set<String> = ["consent-required", "consent-does-not-cover", "offer-retired", "outside-region",
                                     "family-closed", "companion-not-coupled"]
        var error = AppError.invalid(errors, catalog: catalog)
        if let refusal = errors.first(where: { refusals.contains($0.code) }) {
            error = AppError(status: .unprocessableEntity, code: refusal.code, message: catalog.fieldMessage(refusal),
                             fields: error.fields, fieldCodes: errors)
        }
        return error
    }

    // MARK: who may do what

    /// How `staff` stands to this referral, in the policy's terms (AccessPolicy).
    func relationships(_ referral: Referral, family: Family, settings: ReferralSettings) -> Set<AccessPolicy.Relationship> {
        var result: Set<AccessPolicy.Relationship> = []
        if staff.municipalityID == referral.$municipality.id && family.$municipality.id == staff.municipalityID {
            result.insert(.sameMunicipality)
            // Key persons and social workers coupled to the family read its referrals (they help the family follow them up).
            if family.$keyPerson.id == staff.userID { result.insert(.coupledKeyPerson) }
            if family.$socialWorker.id == staff.userID { result.insert(.coupledSocialWorker) }
        } else {
            result.insert(.otherMunicipality)
        }
        if staff.organisationID == referral.$organisation.id
            && Self.partnerMaySee(referral, today: today, accessDays: settings.partnerAccessDays) { result.insert(.partnerWithOpenReferral) }
        if let companion = referral.$companion.id, companion == staff.userID, referral.consentWithdrawnAt == nil {
            result.insert(.companion)
        }
        return result
    }

    /// The parts `staff` plays in this referral's lifecycle: the relationships through which the policy lets this
    /// role make transitions (which transition each part may make is ReferralLifecycle's table).
    func actors(_ referral: Referral, family: Family, settings: ReferralSettings) -> Set<ReferralActor> {
        let mine = relationships(referral, family: family, settings: settings)
        let cell = AccessPolicy.grant(role: staff.role, action: .transition, record: .referral)
        let parts: [(AccessPolicy.Relationship, ReferralActor)] = [(.sameMunicipality, .lead), (.partnerWithOpenReferral, .partner),
                                                                   (.companion, .companion)]
        return Set(parts.filter { mine.contains($0.0) && cell.grants($0.0) }.map(\.1))
    }

    /// A partner sees a referral from the moment it is sent while it is open, and `accessDays` after it closed; never
    /// after the consent was withdrawn.
    static func partnerMaySee(_ referral: Referral, today: CalendarDate, accessDays: Int) -> Bool {
        guard referral.state != .draft, referral.consentWithdrawnAt == nil else { return false }
        guard let closed = referral.closedOn else { return true }
        return closed >= today.adding(days: -accessDays).iso
    }

    /// Loads a referral `staff` may see, with its family; 404 otherwise (its existence does not leak).
    func loadVisible(_ id: UUID, on db: any Database) async throws -> (Referral, Family, Set<ReferralActor>, ReferralSettings) {
        try requireUse()
        guard let referral = try await Referral.find(id, on: db),
              let family = try await Family.find(referral.$family.id, on: db) else { throw AppError.notFound("referral") }
        try await ReferralLinks.load([referral], on: db)
        try await FamilyCodes.load([family], members: [], on: db)
        let settings = try await ReferralSettings.load(referral.$municipality.id, defaults: defaults, on: db)
        let actors = actors(referral, family: family, settings: settings)
        try FamilyAccess.require(staff, .read, .referral, relationships: relationships(referral, family: family, settings: settings),
                                 notFound: "referral")
        // A partner never sees someone else's draft; a lead's colleagues do.
        return (referral, family, actors, settings)
    }

    // MARK: creating

    func create(_ input: ReferralInput) async throws -> Referral {
        try requireUse()
        try FamilyAccess.require(staff, .refer, .referral)
        guard let familyID = input.familyId else { throw invalid([FieldError("familyId", "required")]) }
        let families = FamilyService(db: db, audit: audit, staff: staff, catalog: catalog, clock: clock, reads: reads)
        // A family out of reach is a 404 before anything about the input is said.
        try await families.requireInReach(familyID)
        let service = self
        let referral: Referral = try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (family, members) = try await families.loadForChange(familyID, on: tx, recorder: recorder)
            let draft = try await service.validated(input, family: family, members: members, on: tx)
            // A redirect names an earlier referral of the same family.
            if let previous = input.redirectedFrom {
                guard let earlier = try await Referral.find(previous, on: tx), earlier.$family.id == familyID else {
                    throw service.invalid([FieldError("redirectedFrom", "unknown-referral")])
                }
            }
            let referral = Referral()
            referral.id = UUID()
            referral.version = 1
            referral.status = .draft
            referral.statusChangedAt = clock.now
            referral.reason = draft.reason
            referral.ownWords = draft.ownWords
            referral.memberIDs = CodeList.unique(draft.memberIDs)
            referral.needIDs = CodeList.unique(draft.needIDs)
            referral.language = draft.language
            referral.interpreterNeeded = draft.interpreterNeeded
            referral.sharedFields = CodeList.unique(draft.sharedFields.map(\.rawValue))
            referral.$municipality.id = service.staff.municipalityID
            referral.$family.id = familyID
            referral.$lead.id = family.$caseManager.id ?? service.staff.userID
            referral.$referredBy.id = service.staff.userID
            referral.$offer.id = draft.offer?.id
            referral.$organisation.id = draft.organisationID
            referral.$consent.id = draft.consentID
            referral.$redirectedFrom.id = input.redirectedFrom
            try await referral.create(on: tx)
            try await ReferralLinks.store([referral], on: tx)
            try await service.addEvent(referral, kind: "transition", from: nil, to: .draft, note: nil, detail: "", on: tx)
            if let offer = draft.offer {
                try await IntakeService.linkReferral(referral.id!, offerID: offer.id!, offerName: offer.name, family: family,
                                                     members: members, municipalityID: service.staff.municipalityID,
                                                     settings: service.intake, today: service.today,
                                                     by: service.staff.displayName, on: tx)
            }
            recorder.record(AuditEvent(action: "referral.create", familyID: familyID, familyReference: family.reference,
                                       detail: "referral=\(referral.id!) shared=\(draft.sharedFields.map(\.rawValue).joined(separator: ","))"))
            if input.send == true {
                try await service.apply(.sent, to: referral, family: family, request: TransitionRequest(), actors: [.lead],
                                        settings: try await ReferralSettings.load(service.staff.municipalityID, defaults: service.defaults, on: tx),
                                        on: tx, recorder: recorder)
            }
            return referral
        }
        return referral
    }

    struct ValidatedReferral: Sendable {
        var offer: Offer?
        var organisationID: UUID
        var consentID: UUID
        var memberIDs: [UUID]
        var needIDs: [UUID]
        var reason: String
        var ownWords: String?
        var language: String
        var interpreterNeeded: Bool
        var sharedFields: [ReferralSharedField]
    }

    /// Checks a new referral against the family, the catalogue, the region and the consent register.
    func validated(_ input: ReferralInput, family: Family, members: [Member], on db: any Database) async throws -> ValidatedReferral {
        var errors: [FieldError] = []
        if family.status != .active { errors.append(.init("familyId", "family-closed")) }
        let reason = (input.reason ?? "").trimmed
        if reason.isEmpty { errors.append(.init("reason", "required")) }
        if reason.count > ReferralTransitionInput.maxText { errors.append(.init("reason", "too-long")) }
        let ownWords = input.ownWords?.trimmed.nilIfEmpty
        if (ownWords?.count ?? 0) > ReferralTransitionInput.maxText { errors.append(.init("ownWords", "too-long")) }

        // The people it concerns: at least one parent of this family.
        let memberIDs = input.memberIds ?? []
        let byID = Dictionary(uniqueKeysWithValues: members.compactMap { m in m.id.map { ($0, m) } })
        if memberIDs.isEmpty { errors.append(.init("memberIds", "required")) }
        if memberIDs.contains(where: { byID[$0] == nil }) { errors.append(.init("memberIds", "unknown-member")) }
        else if !memberIDs.isEmpty && !memberIDs.contains(where: { byID[$0]?.role == .parent }) {
            errors.append(.init("memberIds", "not-a-parent"))
        }
        let needIDs = input.needIds ?? []
        if !needIDs.isEmpty {
            let found = try await Need.query(on: db).filter(\.$id ~~ needIDs).filter(\.$family.$id == family.requireID())
                .filter(\.$status == NeedStatus.open).count()
            if found != Set(needIDs).count { errors.append(.init("needIds", "unknown-need")) }
        }
        // Language: stated, or the first language of the first parent it concerns.
        let firstParent = memberIDs.compactMap { byID[$0] }.first { $0.role == .parent }
        let language = input.language?.trimmed.nilIfEmpty ?? firstParent.flatMap { $0.languagesSpoken.first } ?? "nl"
        if !Languages.isKnown(language) { errors.append(.init("language", "unknown-code")) }
        var shared: [ReferralSharedField] = []
        for (index, code) in (input.sharedFields ?? ReferralSharedField.minimalDefault.map(\.rawValue)).enumerated() {
            if let field = ReferralSharedField(rawValue: code) { if !shared.contains(field) { shared.append(field) } }
            else { errors.append(.init("sharedFields[\(index)]", "unknown-code")) }
        }

        // Where it goes: an active offer of the municipality or its region, or an organisation of the region.
        let region = try await Self.regionMunicipalities(of: staff.municipalityID, on: db)
        var offer: Offer?
        var organisationID: UUID?
        if let offerID = input.offerId {
            offer = try await Offer.find(offerID, on: db)
            if let found = offer {
                if !region.contains(found.$municipality.id) { errors.append(.init("offerId", "outside-region")); offer = nil }
                else if found.status != .active || (found.activeUntil.map { $0 < today.iso } ?? false) {
                    errors.append(.init("offerId", "offer-retired"))
                }
                organisationID = found.$organisation.id
            } else {
                errors.append(.init("offerId", "unknown-offer"))
            }
        } else if let id = input.organisationId {
            if let organisation = try await Organisation.find(id, on: db) {
                if region.contains(organisation.$municipality.id) { organisationID = id }
                else { errors.append(.init("organisationId", "outside-region")) }
            } else {
                errors.append(.init("organisationId", "unknown-organisation"))
            }
        } else {
            errors.append(.init("offerId", "required"))
        }

        // No consent, no referral: an active consent for referral to exactly this organisation, covering what is shared.
        var consentID: UUID?
        if let organisationID {
            let consents = try await Consent.query(on: db).filter(\.$family.$id == family.requireID())
                .filter(\.$organisation.$id == organisationID).filter(\.$purpose == ConsentPurpose.referral.rawValue)
                .filter(\.$withdrawnAt == nil).sort(\.$createdAt, .descending).all()
            let chosen = input.consentId.map { id in consents.first { $0.id == id } } ?? consents.first
            if let consent = chosen {
                try await Consent.loadCategories([consent], on: db)
                let covered = Set(consent.dataCategories)
                let missing = shared.compactMap(\.consentCategory).filter { !covered.contains($0.rawValue) }
                if !missing.isEmpty { errors.append(.init("sharedFields", "consent-does-not-cover")) }
                consentID = consent.id
            } else {
                errors.append(.init("consentId", "consent-required"))
            }
        }
        guard errors.isEmpty, let organisationID, let consentID else { throw invalid(errors) }
        return ValidatedReferral(offer: offer, organisationID: organisationID, consentID: consentID, memberIDs: memberIDs,
                                 needIDs: needIDs, reason: reason, ownWords: ownWords, language: language,
                                 interpreterNeeded: input.interpreterNeeded ?? false, sharedFields: shared)
    }

    /// The municipality and the others of its region (small municipalities buy jointly, R39).
    static func regionMunicipalities(of municipalityID: UUID, on db: any Database) async throws -> Set<UUID> {
        try await Tenancy(on: db).regionMunicipalities(of: municipalityID)
    }

    // MARK: the referral form

    /// What a referral can go to: the active offers and the organisations of the staff member's region.
    func formChoices() async throws -> (offers: [Offer], organisations: [Organisation]) {
        let region = try await Self.regionMunicipalities(of: staff.municipalityID, on: db)
        let offers = try await Offer.query(on: db).filter(\.$municipality.$id ~~ region).filter(\.$status == OfferStatus.active)
            .sort(\.$name).limit(2000).all()
        let organisations = try await Organisation.query(on: db).filter(\.$municipality.$id ~~ region).sort(\.$name).all()
        return (offers, organisations)
    }

    /// The themes an offer addresses (to pre-select the family's needs it serves); nil for an unknown offer.
    func themes(ofOffer id: UUID) async throws -> [String]? {
        try await Offer.find(id, on: db).map { try $0.draft.themes }
    }

    /// An earlier referral of this family, with its members and needs, to pre-fill a redirect; nil when the id names
    /// no referral of this family. The caller has read the family through its door.
    func earlierReferral(_ id: UUID, of familyID: UUID) async throws -> Referral? {
        guard let previous = try await Referral.find(id, on: db), previous.$family.id == familyID else { return nil }
        try await ReferralLinks.load([previous], on: db)
        return previous
    }

    // MARK: the lifecycle

    func transition(_ id: UUID, _ request: TransitionRequest) async throws -> Referral {
        try requireUse()
        guard let code = request.to, !code.isEmpty else { throw invalid([FieldError("to", "required")]) }
        guard let target = ReferralStatus(rawValue: code) else { throw invalid([FieldError("to", "unknown-code")]) }
        if let from = request.from, ReferralStatus(rawValue: from) == nil { throw invalid([FieldError("from", "unknown-code")]) }
        let service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (referral, family, actors, settings) = try await service.loadVisible(id, on: tx)
            let current = referral.state
            if let from = request.from, from != current.rawValue {
                throw AppError(status: .conflict, code: "stale-state",
                               message: "This referral is \(current.rawValue) now, not \(from): someone else changed it. Reload and try again.")
            }
            if let version = request.version, version != referral.version { throw AppError.staleVersion }
            guard ReferralLifecycle.isAllowed(current, target) else {
                let next = ReferralLifecycle.next(from: current).map(\.rawValue).joined(separator: ", ")
                throw AppError(status: .conflict, code: "invalid-transition",
                               message: "A referral that is \(current.rawValue) cannot become \(target.rawValue)."
                                   + (next.isEmpty ? " It is closed." : " It can become: \(next)."))
            }
            guard ReferralLifecycle.mayMake(current, target, as: actors) else { throw AppError.forbidden }
            try await service.apply(target, to: referral, family: family, request: request, actors: actors, settings: settings,
                                    on: tx, recorder: recorder)
            return referral
        }
    }

    /// Validates and applies one transition inside the caller's transaction: state, timers, history, group waiting
    /// list, notifications, audit.
    func apply(_ target: ReferralStatus, to referral: Referral, family: Family, request: TransitionRequest,
               actors: Set<ReferralActor>, settings: ReferralSettings, on tx: any Database, recorder: AuditRecorder) async throws {
        let input = ReferralTransitionInput(note: request.note?.trimmed.nilIfEmpty, reason: request.reason?.trimmed.nilIfEmpty,
                                            expectedDate: request.expectedDate?.trimmed, plannedOn: request.plannedOn?.trimmed,
                                            plannedTime: request.plannedTime?.trimmed,
                                            companionSet: referral.$companion.id != nil, accompanied: request.accompanied,
                                            outcome: request.outcome?.trimmed, declineReason: request.declineReason?.trimmed,
                                            madeOn: request.madeOn?.trimmed, plannedPlace: request.plannedPlace?.trimmed)
        var errors = input.validate(to: target, today: today)
        let from = referral.state
        var detail: [String] = []
        switch target {
        case .sent:
            // The consent, the family and the offer are checked again: any may have changed since the draft.
            let members = try await Member.query(on: tx).filter(\.$family.$id == family.requireID()).all()
            try await FamilyCodes.load([], members: members, on: tx)
            let again = ReferralInput(familyId: family.id, offerId: referral.$offer.id, organisationId: referral.$organisation.id,
                                      needIds: referral.needIDs,
                                      memberIds: referral.memberIDs,
                                      reason: referral.reason, ownWords: referral.ownWords, language: referral.language,
                                      interpreterNeeded: referral.interpreterNeeded, sharedFields: referral.sharedFields,
                                      consentId: referral.$consent.id)
            guard errors.isEmpty else { throw invalid(errors) }
            _ = try await validated(again, family: family, members: members, on: tx)
            referral.sentOn = today.iso
            referral.clockOn = today.iso
        case .accepted:
            referral.clockOn = today.iso
        case .waitingList:
            referral.expectedOn = input.expectedDate
            referral.clockOn = input.expectedDate
            detail.append("expected=\(input.expectedDate ?? "")")
        case .firstContactPlanned:
            if let companionID = request.companionId {
                if companionID != family.$keyPerson.id && companionID != family.$socialWorker.id {
                    errors.append(.init("companionId", "companion-not-coupled"))
                }
            }
            referral.plannedOn = input.plannedOn
            referral.plannedTime = input.plannedTime?.nilIfEmpty
            referral.plannedPlace = input.plannedPlace?.nilIfEmpty
            referral.$companion.id = request.companionId
            referral.handoverHappened = nil
            // First contact is due M days after acceptance; straight from the waiting list, from today.
            if from == .waitingList || referral.clockOn == nil { referral.clockOn = today.iso }
            detail.append("planned=\(input.plannedOn ?? "")")
            if let companion = request.companionId { detail.append("companion=\(companion)") }
        case .firstContactMade:
            referral.firstContactOn = input.madeOn?.nilIfEmpty ?? today.iso
            detail.append("on=\(referral.firstContactOn ?? "")")
            referral.accompanied = request.accompanied ?? (actors.contains(.companion) ? true : nil)
            if actors.contains(.companion) { referral.handoverHappened = true }
            referral.clockOn = nil
            if let accompanied = referral.accompanied { detail.append("accompanied=\(accompanied)") }
        case .active:
            referral.clockOn = nil
        case .completed:
            referral.outcome = input.outcome
            detail.append("outcome=\(input.outcome ?? "")")
        case .declined:
            referral.closingReason = input.reason
            referral.declineReason = input.declineCode
            detail.append("declineReason=\(input.declineCode ?? "")")
        case .cancelled:
            referral.closingReason = input.reason
        case .draft:
            break
        }
        guard errors.isEmpty else { throw invalid(errors) }
        if target.isClosed {
            referral.closedOn = today.iso
            referral.clockOn = nil
        }
        referral.status = target
        referral.statusChangedAt = clock.now
        referral.version += 1
        try await referral.update(on: tx)
        let note = target == .declined || target == .cancelled ? input.reason.map { r in [r, input.note].compactMap { $0 }.joined(separator: " — ") } ?? input.note : input.note
        try await addEvent(referral, kind: "transition", from: from, to: target, note: note, detail: detail.joined(separator: " "), on: tx)
        try await updateWaitingList(referral, family: family, to: target, on: tx)
        try await ReferralNotifier(staff: staff, publicURL: publicURL, logger: logger, clock: clock)
            .stateChanged(referral, family: family, to: target, on: tx)
        recorder.record(AuditEvent(action: "referral.transition", familyID: family.id, familyReference: family.reference,
                                   detail: "referral=\(referral.id!) \(from.rawValue)->\(target.rawValue)"))
    }

    /// A referral to a group offer puts the parent on that group's waiting list when it is sent; first contact places
    /// them, a decline or cancellation takes them off.
    private func updateWaitingList(_ referral: Referral, family: Family, to target: ReferralStatus, on tx: any Database) async throws {
        let referralID = try referral.requireID()
        switch target {
        case .sent:
            guard let offerID = referral.$offer.id, let offer = try await Offer.find(offerID, on: tx),
                  try offer.draft.forms.contains(OfferForm.group.rawValue) else { return }
            let entry = GroupWaitingEntry()
            entry.id = UUID()
            entry.$municipality.id = referral.$municipality.id
            entry.$offer.id = offerID
            entry.$family.id = try family.requireID()
            entry.$referral.id = referralID
            let parents = try await Member.query(on: tx).filter(\.$family.$id == family.requireID()).filter(\.$role == MemberRole.parent).all()
                .compactMap(\.id).filter { referral.memberIDs.contains($0) }
            entry.memberIDs = parents
            entry.language = referral.language
            entry.since = today.iso
            entry.status = .waiting
            try await entry.create(on: tx)
            try await CodeTables.groupWaitingMembers.insert([(entry.id!, entry.memberIDs)], on: tx)
        case .firstContactMade, .declined, .cancelled:
            try await GroupWaitingEntry.query(on: tx).filter(\.$referral.$id == referralID).filter(\.$status == GroupWaitingStatus.waiting)
                .set(\.$status, to: target == .firstContactMade ? GroupWaitingStatus.placed : .left).update()
        default:
            break
        }
    }

    func addEvent(_ referral: Referral, kind: String, from: ReferralStatus?, to: ReferralStatus?, note: String?, detail: String,
                  on tx: any Database) async throws {
        try await Self.addEvent(referral, by: staff, kind: kind, from: from?.rawValue, to: to?.rawValue, note: note, detail: detail,
                                at: clock.now, on: tx)
    }

    /// One dated line of the referral's history, by whom (name and role).
    static func addEvent(_ referral: Referral, by staff: StaffIdentity, kind: String, from: String?, to: String?, note: String?,
                         detail: String, at moment: Date, on tx: any Database) async throws {
        let event = ReferralEvent()
        event.id = UUID()
        event.$referral.id = try referral.requireID()
        event.$municipality.id = referral.$municipality.id
        event.at = moment
        event.byID = staff.userID
        event.byName = staff.displayName
        event.byRole = staff.role.rawValue
        event.kind = kind
        event.fromStatus = from
        event.toStatus = to
        event.note = note
        event.detail = detail
        try await event.create(on: tx)
    }

    // MARK: warm handover and chasing

    /// The companion (or the lead) records whether the accompanied first visit happened. It did: the first contact is
    /// made, accompanied. It did not: the referral stays planned and shows on the lead's worklist to plan again.
    func recordHandover(_ id: UUID, happened: Bool?, note: String?) async throws -> Referral {
        try requireUse()
        guard let happened else { throw invalid([FieldError("happened", "required")]) }
        if (note?.count ?? 0) > ReferralTransitionInput.maxText { throw invalid([FieldError("note", "too-long")]) }
        let service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (referral, family, actors, settings) = try await service.loadVisible(id, on: tx)
            guard actors.contains(.companion) || actors.contains(.lead) else { throw AppError.forbidden }
            guard referral.state == .firstContactPlanned, referral.$companion.id != nil else {
                throw AppError(status: .conflict, code: "invalid-transition",
                               message: "Only a planned first contact with a companion can be recorded; this referral is \(referral.status.rawValue).")
            }
            if happened {
                try await service.apply(.firstContactMade, to: referral, family: family,
                                        request: TransitionRequest(note: note, accompanied: true), actors: actors.union([.companion]),
                                        settings: settings, on: tx, recorder: recorder)
            } else {
                referral.handoverHappened = false
                referral.version += 1
                try await referral.update(on: tx)
                try await service.addEvent(referral, kind: "handover", from: referral.state, to: referral.state,
                                           note: note?.trimmed.nilIfEmpty, detail: "happened=false", on: tx)
                try await ReferralNotifier(staff: service.staff, publicURL: service.publicURL, logger: service.logger, clock: service.clock)
                    .notifyLead(referral, family: family, kind: "handover-missed", on: tx)
                recorder.record(AuditEvent(action: "referral.handover", familyID: family.id, familyReference: family.reference,
                                           detail: "referral=\(referral.id!) happened=false"))
            }
            return referral
        }
    }

    /// The lead asks the partner for an answer (a referral past its timer, or any open one).
    func chase(_ id: UUID, note: String?) async throws -> Referral {
        try requireUse()
        if (note?.count ?? 0) > ReferralTransitionInput.maxText { throw invalid([FieldError("note", "too-long")]) }
        let service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (referral, family, actors, _) = try await service.loadVisible(id, on: tx)
            guard actors.contains(.lead) else { throw AppError.forbidden }
            guard referral.state.isOpen else {
                throw AppError(status: .conflict, code: "invalid-transition", message: "Only an open referral can be chased; this one is \(referral.status.rawValue).")
            }
            referral.chasedAt = clock.now
            referral.version += 1
            try await referral.update(on: tx)
            try await service.addEvent(referral, kind: "chase", from: referral.state, to: referral.state,
                                       note: note?.trimmed.nilIfEmpty, detail: "", on: tx)
            try await ReferralNotifier(staff: service.staff, publicURL: service.publicURL, logger: service.logger, clock: service.clock)
                .notifyPartner(referral, family: family, kind: "chase", on: tx)
            recorder.record(AuditEvent(action: "referral.chase", familyID: family.id, familyReference: family.reference,
                                       detail: "referral=\(referral.id!)"))
            return referral
        }
    }

    // MARK: consent withdrawn

    /// Called inside the consent's withdrawal transaction: every referral resting on it loses the partner's access at
    /// once, and open ones are cancelled (reported to the lead).
    static func consentWithdrawn(_ consentID: UUID, by staff: StaffIdentity, publicURL: String, logger: Logger,
                                 clock: WallClock, on tx: any Database) async throws -> Int {
        let referrals = try await Referral.query(on: tx).filter(\.$consent.$id == consentID).filter(\.$consentWithdrawnAt == nil).all()
        let today = clock.today
        for referral in referrals {
            let from = referral.state
            referral.consentWithdrawnAt = clock.now
            if !from.isClosed {
                referral.status = .cancelled
                referral.statusChangedAt = clock.now
                referral.closingReason = "consent-withdrawn"
                referral.closedOn = today.iso
                referral.clockOn = nil
            }
            referral.version += 1
            try await referral.update(on: tx)
            try await addEvent(referral, by: staff, kind: "consent-withdrawn", from: from.rawValue, to: referral.status.rawValue, note: nil,
                               detail: "", at: clock.now, on: tx)
            try await GroupWaitingEntry.query(on: tx).filter(\.$referral.$id == referral.requireID()).filter(\.$status == GroupWaitingStatus.waiting)
                .set(\.$status, to: GroupWaitingStatus.left).update()
            if let family = try await Family.find(referral.$family.id, on: tx), !from.isClosed, from != .draft {
                try await ReferralNotifier(staff: staff, publicURL: publicURL, logger: logger, clock: clock)
                    .stateChanged(referral, family: family, to: .cancelled, on: tx)
            }
        }
        return referrals.count
    }

    /// Keeps the referrals' lead in step when a family gets another case manager.
    static func leadChanged(familyID: UUID, to lead: UUID, on tx: any Database) async throws {
        try await Referral.query(on: tx).filter(\.$family.$id == familyID).set(\.$lead.$id, to: lead).update()
    }

    /// Referrals follow their family's lead and the consent they rest on (published by Families and Consents).
    static func subscribe(to events: DomainEvents) {
        events.subscribe { event, context in
            switch event {
            case .leadChanged(let familyID, let newLead):
                try await leadChanged(familyID: familyID, to: newLead, on: context.tx)
            case .consentWithdrawn(let consentID, let familyID):
                let ended = try await consentWithdrawn(consentID, by: context.staff, publicURL: context.publicURL, logger: context.logger,
                                                       clock: context.clock, on: context.tx)
                if ended > 0 {
                    context.recorder.record(AuditEvent(action: "referral.consent-withdrawn", familyID: familyID, detail: "referrals=\(ended)"))
                }
            case .familyChanged:
                break
            }
        }
    }
}

extension ReferralService {
    /// The admin sets the municipality's timers (audited).
    func updateSettings(_ settings: ReferralSettings) async throws -> ReferralSettings {
        try FamilyAccess.require(staff, .update, .settings)
        let errors = settings.validate()
        guard errors.isEmpty else { throw invalid(errors) }
        let municipalityID = staff.municipalityID
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let row = try await ReferralSettingsRecord.find(municipalityID, on: tx) ?? ReferralSettingsRecord()
            row.id = municipalityID
            row.answerWorkingDays = settings.answerWorkingDays
            row.firstContactDays = settings.firstContactDays
            row.partnerAccessDays = settings.partnerAccessDays
            try await row.save(on: tx)
            recorder.record(AuditEvent(action: "referral.settings", purpose: AuditPurpose.administration,
                                       detail: "answer=\(settings.answerWorkingDays) contact=\(settings.firstContactDays) access=\(settings.partnerAccessDays)"))
        }
        return settings
    }
}
