import Fluent
import Foundation
import Vapor
import WegwijsCore

/// Planning series from the waiting demand (issue 14, item 4; docs/groups.md "The planner"): the parents on a group
/// offer's waiting list and the municipality's trainers and key persons become the planner's input; its proposal is
/// shown with names, and one action turns a proposed series into a real one with its parents. The planner is
/// deterministic, so accepting recomputes the same proposal rather than trusting what the browser sends back.
struct GroupPlanRequest: Content {
    var offerId: UUID?
    var minSize: Int?
    var maxSize: Int?
    /// How many series one trainer or key person leads at most (running ones count).
    var maxSeriesPerFacilitator: Int?
    /// Accepting: which proposed series (0-based, in the plan's order), and its dates.
    var series: Int?
    var startsOn: String?
    var endsOn: String?
    /// Accepting with edits (the coordinator knows better): another trainer, key person, place or time of day for a
    /// new series, and which of the proposed parents join (a subset; the others keep waiting).
    var trainerId: UUID?
    var keyPersonId: UUID?
    var place: String?
    var time: String?
    var parents: [UUID]?
}

struct GroupPlanDTO: Content {
    let offerId: UUID
    let plan: GroupPlan
}

extension GroupService {
    /// The planner's input for one group offer, with what is needed to read its answer back.
    struct WaitingDemand: Sendable {
        let input: GroupPlanInput
        /// The waiting-list entry each waiting parent (member id) is on.
        let entries: [UUID: UUID]
        /// The planner-input entry ("invite everyone", `GroupInvitee`) of each invited parent not on the waiting list.
        let invitees: [UUID: UUID]
        let parents: [UUID: MemberCard]
        let staffNames: [UUID: String]
        let offer: Offer
        /// Parents (member ids) and facilitators (user ids) with nothing recorded: the planner used the defaults.
        var defaultedParents: Set<UUID> = []
        var defaultedFacilitators: Set<UUID> = []
        /// The municipality's districts (empty: the whole municipality is one place, `place`).
        var districts: [GroupDistrict] = []
        var place: String = ""
    }

    /// Every parent waiting for `offerID` (its waiting list, then the parents "invite everyone" put on its input)
    /// becomes a waiting parent: the referral's (or invitation's) language, their own audience
    /// (mothers, fathers; mixed when unknown), and what was recorded of when they can come (`GroupAvailability`);
    /// without a record: both times of day, not online, not mixed, their own district (from the family's postcode)
    /// or else any district of the municipality. Without a district list the whole municipality is one place.
    /// Trainers and key persons become facilitators with their recorded times and most series (else both times and
    /// `maxSeriesPerFacilitator`); the offer's open series are `existing`, so their parents stay and free places
    /// are filled first.
    func waitingDemand(_ request: GroupPlanRequest) async throws -> WaitingDemand {
        try FamilyAccess.require(staff, .create, .groupSeries)
        var errors: [FieldError] = []
        let rules = GroupPlanRules(minSize: request.minSize ?? 8, maxSize: request.maxSize ?? 15)
        if !(1...GroupSeriesRules.largestSeries).contains(rules.minSize) { errors.append(.init("minSize", "out-of-range")) }
        if !(1...GroupSeriesRules.largestSeries).contains(rules.maxSize) { errors.append(.init("maxSize", "out-of-range")) }
        else if rules.minSize > rules.maxSize { errors.append(.init("maxSize", "below-minimum")) }
        let maxSeries = request.maxSeriesPerFacilitator ?? 2
        if !(1...10).contains(maxSeries) { errors.append(.init("maxSeriesPerFacilitator", "out-of-range")) }
        guard let offerID = request.offerId else { throw AppError.invalid(errors + [.init("offerId", "required")], catalog: catalog) }
        guard let offer = try await OfferService.groupOffer(offerID, municipalityID: staff.municipalityID, on: db) else {
            throw AppError.invalid(errors + [.init("offerId", "not-a-group-offer")], catalog: catalog)
        }
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }

        let name = (try await Tenancy(on: db).municipality(staff.municipalityID))?.name ?? "municipality"
        // The one place of a municipality without districts: its name as a district code.
        let cleaned = String(name.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") ? Character($0) : "-" }.prefix(32))
        let place = Self.isDistrictCode(cleaned) ? cleaned : "municipality"
        let districtList = try await GroupDistrict.query(on: db).filter(\.$municipality.$id == staff.municipalityID).sort(\.$position).all()
        let anyDistrict = districtList.isEmpty ? [place] : districtList.map(\.code)
        let bothTimes = TimeOfDay.allCases
        var entries: [UUID: UUID] = [:]
        var languageOf: [UUID: String] = [:]
        for entry in try await GroupWaitingList.waiting(for: offerID, municipalityID: staff.municipalityID, on: db) {
            for member in entry.memberIDs where entries[member] == nil {
                entries[member] = entry.id!
                languageOf[member] = entry.language
            }
        }
        let series = try await GroupSeries.query(on: db).filter(\.$offer.$id == offerID)
            .filter(\.$status ~~ [GroupSeriesStatus.planned, .running]).sort(\.$startsOn).sort(\.$id).all()
        let participants = series.isEmpty ? [] : try await GroupParticipant.query(on: db)
            .filter(\.$series.$id ~~ series.compactMap(\.id)).filter(\.$status == ParticipantStatus.active).all()
        var invitees: [UUID: UUID] = [:]
        for invitee in try await waitingInvitees(for: offerID) where entries[invitee.$member.id] == nil {
            invitees[invitee.$member.id] = invitee.id!
            languageOf[invitee.$member.id] = invitee.language
        }
        for participant in participants {
            entries[participant.$member.id] = nil
            invitees[participant.$member.id] = nil
        }
        let memberIDs = Array(entries.keys) + Array(invitees.keys)
        let cards = try await MemberCards.load(memberIDs, on: db)
        let recorded = try await parentAvailability(memberIDs)
        let own = try await ownDistricts(cards.values.map(\.familyID), districts: districtList)
        let known = Set(anyDistrict)
        var defaultedParents = Set<UUID>()
        let waiting = memberIDs.sorted { $0.uuidString < $1.uuidString }.compactMap { id -> WaitingParent? in
            guard let card = cards[id], card.familyActive else { return nil }
            let audience: Audience = card.gender == "female" ? .mothers : card.gender == "male" ? .fathers : .mixed
            let usual = own[card.familyID].map { [$0] } ?? anyDistrict
            let times: [TimeOfDay], online: Bool, mixedOk: Bool, districts: [String]
            if let row = recorded[id] {
                let codes = row.times.compactMap(TimeOfDay.init(rawValue:))
                times = codes.isEmpty ? bothTimes : codes
                online = row.online
                mixedOk = row.mixedOk
                // Districts that are no longer on the list are left out; none ticked: online only, or else the default.
                let chosen = row.districts.filter { known.contains($0) }
                districts = !chosen.isEmpty ? chosen : online ? [] : usual
            } else {
                defaultedParents.insert(id)
                (times, online, mixedOk, districts) = (bothTimes, false, false, usual)
            }
            return WaitingParent(id: id.uuidString, languages: [languageOf[id] ?? card.languagesSpoken.first ?? "nl"],
                                 audience: audience, mixedOk: mixedOk, times: times, online: online, districts: districts)
        }
        let trainers = try await Colleagues(on: db).active(in: staff.municipalityID, roles: [.facilitator])
        let keyPersons = try await Colleagues(on: db).active(in: staff.municipalityID, roles: [.keyPerson])
        let working = try await facilitatorAvailability()
        var defaultedFacilitators = Set<UUID>()
        func availability(_ user: User) -> (times: [TimeOfDay], maxSeries: Int) {
            guard let row = working[user.id!] else {
                defaultedFacilitators.insert(user.id!)
                return (bothTimes, maxSeries)
            }
            let codes = row.times.compactMap(TimeOfDay.init(rawValue:))
            return (codes.isEmpty ? bothTimes : codes, row.maxSeries)
        }
        var facilitators = trainers.map { user in
            let can = availability(user)
            return Facilitator(id: user.id!.uuidString, role: .trainer, languages: [], times: can.times, maxSeries: can.maxSeries)
        } + keyPersons.map { user in
            let can = availability(user)
            return Facilitator(id: user.id!.uuidString, role: .keyPerson, languages: user.languages,
                               times: can.times, maxSeries: can.maxSeries)
        }
        let byID = Set(facilitators.map(\.id))
        let existing = series.filter { byID.contains($0.$trainer.id.uuidString) && byID.contains($0.$keyPerson.id.uuidString) }.map { open in
            ExistingSeries(id: open.id!.uuidString, language: open.language, audience: open.audience, time: open.time,
                           place: districtList.isEmpty ? place : (open.place == onlinePlace || Self.isDistrictCode(open.place) ? open.place : place),
                           trainer: open.$trainer.id.uuidString, keyPerson: open.$keyPerson.id.uuidString,
                           parents: participants.filter { $0.$series.id == open.id }.map { $0.$member.id.uuidString })
        }
        // A facilitator of a running series works at its time and leads it, whatever was recorded.
        for open in existing {
            for index in facilitators.indices where [open.trainer, open.keyPerson].contains(facilitators[index].id) {
                if !facilitators[index].times.contains(open.time) { facilitators[index].times = TimeOfDay.allCases.filter { facilitators[index].times.contains($0) || $0 == open.time } }
                let leads = existing.filter { [$0.trainer, $0.keyPerson].contains(facilitators[index].id) }.count
                facilitators[index].maxSeries = max(facilitators[index].maxSeries, leads)
            }
        }
        let names = Dictionary((trainers + keyPersons).map { ($0.id!, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        return WaitingDemand(input: GroupPlanInput(rules: rules, parents: waiting, facilitators: facilitators, existing: existing),
                             entries: entries, invitees: invitees, parents: cards, staffNames: names, offer: offer,
                             defaultedParents: defaultedParents, defaultedFacilitators: defaultedFacilitators,
                             districts: districtList, place: place)
    }

    /// The planner's proposal for the offer's waiting demand. One audit entry names the families of the waiting parents.
    func propose(_ request: GroupPlanRequest) async throws -> (plan: GroupPlan, demand: WaitingDemand) {
        let demand = try await waitingDemand(request)
        let plan: GroupPlan
        do { plan = try GroupPlanner.plan(demand.input) } catch {
            throw AppError(status: .unprocessableEntity, code: "invalid-input", message: error.description)
        }
        var seen = Set<UUID>()
        let families = demand.input.parents.compactMap { UUID(uuidString: $0.id).flatMap { demand.parents[$0]?.familyID } }
            .filter { seen.insert($0).inserted }
        try await audit.record([AuditEvent.list("group.plan.read", families: families)], by: AuditSubject(staff), on: db)
        return (plan, demand)
    }

    /// Turns proposed series `request.series` into a real series (or, for a running one, adds its new parents),
    /// with its parents taken from the waiting list, in one transaction.
    func accept(_ request: GroupPlanRequest) async throws -> UUID {
        let (plan, demand) = try await propose(request)
        guard let index = request.series, plan.series.indices.contains(index) else {
            throw AppError.invalid([.init("series", "out-of-range")], catalog: catalog)
        }
        let proposal = plan.series[index]
        // The parents who join: the proposal's, or the subset the coordinator kept.
        var chosen = proposal.parents.compactMap(UUID.init(uuidString:))
        var errors: [FieldError] = []
        if let kept = request.parents {
            if kept.isEmpty { errors.append(.init("parents", "required")) }
            else if !Set(kept).isSubset(of: Set(chosen)) { errors.append(.init("parents", "not-in-proposal")) }
            else { chosen = chosen.filter { kept.contains($0) } }
        }
        if proposal.id != nil, request.trainerId != nil || request.keyPersonId != nil || request.place != nil || request.time != nil {
            // A running series keeps its facilitators, place and time: change those on its own page.
            errors.append(.init("series", "running-series-fixed"))
        }
        let joining = chosen.filter { demand.entries[$0] != nil || demand.invitees[$0] != nil }.compactMap { demand.parents[$0] }
        var newSeries: GroupSeries?
        if proposal.id == nil {
            let start = request.startsOn ?? clock.today.adding(days: 14).iso
            // The venue: the offer's first location (what the invitation letter names), unless the place was changed.
            let venue = request.place == nil ? (try? demand.offer.draft.locations.first).map { location in
                [location.name, location.address].compactMap { $0 }.joined(separator: ", ")
            }.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } : nil
            let draft = GroupSeriesDraft(language: proposal.language, audience: proposal.audience.rawValue,
                                         minSize: demand.input.rules.minSize, maxSize: demand.input.rules.maxSize,
                                         place: request.place ?? proposal.place, location: venue,
                                         time: request.time ?? proposal.time.rawValue,
                                         childcare: true, startsOn: start,
                                         endsOn: request.endsOn ?? (CalendarDate(iso: start)?.adding(days: 42).iso ?? start))
            let trainer = request.trainerId ?? UUID(uuidString: proposal.trainer)
            let keyPerson = request.keyPersonId ?? UUID(uuidString: proposal.keyPerson)
            errors += GroupSeriesRules.validate(draft)
                + (try await validateLinks(offerID: demand.offer.id, trainerID: trainer, keyPersonID: keyPerson, language: draft.language))
            guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
            let series = GroupSeries()
            series.id = UUID()
            series.version = 1
            series.status = .planned
            series.$municipality.id = staff.municipalityID
            series.$offer.id = demand.offer.id!
            series.$trainer.id = trainer!
            series.$keyPerson.id = keyPerson!
            series.apply(draft)
            newSeries = series
        }
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let seriesID = newSeries?.id ?? UUID(uuidString: proposal.id!)!
        let entries = demand.entries, invitees = demand.invitees
        let created = newSeries
        // The series and all its parents in one transaction: nothing half-planned.
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            if let created {
                try await created.create(on: tx)
                recorder.record(AuditEvent(action: "group.series.create", detail: "series=\(seriesID.uuidString) from=plan"))
            }
            for card in joining {
                if let entry = entries[card.id] {
                    try await Self.join(card, to: seriesID, source: .waitingList, entry: entry, on: tx, recorder: recorder)
                } else {
                    // Invited, not asked: they have not answered yet, and leave the planner's input.
                    try await Self.join(card, to: seriesID, source: .invitation, entry: nil, on: tx, recorder: recorder)
                    try await GroupInvitee.query(on: tx).filter(\.$id == invitees[card.id]!).set(\.$status, to: GroupWaitingStatus.placed).update()
                }
            }
        }
        return seriesID
    }
}
