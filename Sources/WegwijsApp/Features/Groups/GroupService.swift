import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// The door to group series (docs/groups.md): every read and write of series, sessions, participants and attendance
/// takes its access decision here from the policy table (`groupSeries`, `groupParticipant`, `attendance`) and writes
/// its audit entry here. Parents in a series are family personal data: a read that shows them writes one entry
/// naming every family shown; a write records the family it touched.
struct GroupService {
    typealias Relationship = AccessPolicy.Relationship

    let db: any Database
    let staff: StaffIdentity
    let audit: AuditLog
    let catalog: LocaleCatalog
    let clock: WallClock

    init(request: Request) throws {
        db = request.db
        staff = try request.requireStaff()
        audit = request.audit
        catalog = request.application.locales
        clock = request.clock
    }

    /// Parents settled within this many months count as newly settled: every one of them is invited (R26).
    static let settledMonths = 24

    /// What a series can be planned with: the municipality's group offers, trainers and key persons (with the
    /// languages they speak).
    func planningChoices() async throws -> (offers: [Offer], trainers: [User], keyPersons: [User]) {
        try FamilyAccess.require(staff, .create, .groupSeries)
        let offers = try await OfferService.groupOffers(municipalityID: staff.municipalityID, on: db)
        let trainers = try await Colleagues(on: db).active(in: staff.municipalityID, roles: [.facilitator])
        let keyPersons = try await Colleagues(on: db).active(in: staff.municipalityID, roles: [.keyPerson])
        return (offers, trainers, keyPersons)
    }

    /// Partner staff of the municipality who can join a session as guests (the JGZ nurse at session 2), by name.
    func guestChoices() async throws -> [User] {
        try await Colleagues(on: db).active(in: staff.municipalityID, roles: [.partner])
    }

    /// Who could join a series: the group's waiting list, and the parents settled in the last `settledMonths` who speak
    /// its language and are not in it (R26). One audit entry names the families shown.
    func candidates(_ seriesID: UUID, limit: Int = 50) async throws -> (waiting: [(entry: UUID, parent: MemberCard)], invite: [MemberCard]) {
        let series = try await series(seriesID, .create, .groupParticipant)
        let inSeries = Set(try await GroupParticipant.query(on: db).filter(\.$series.$id == seriesID).all().map { $0.$member.id })
        let entries = try await GroupWaitingList.waiting(for: series.$offer.id, municipalityID: staff.municipalityID, on: db)
        let waitingCards = try await MemberCards.load(entries.flatMap(\.memberIDs), on: db)
        let waiting = entries.flatMap { entry in
            entry.memberIDs.filter { !inSeries.contains($0) }.compactMap { id in waitingCards[id].map { (entry.id!, $0) } }
        }
        let since = clock.today.adding(days: -Self.settledMonths * 365 / 12).iso
        let invite = try await MemberCards.parents(speaking: series.language, municipalityID: staff.municipalityID, settledSince: since,
                                                   excluding: inSeries.union(waiting.map(\.1.id)), limit: limit, on: db)
        var seen = Set<UUID>()
        let families = (waiting.map(\.1.familyID) + invite.map(\.familyID)).filter { seen.insert($0).inserted }
        try await audit.record([AuditEvent.list("group.candidates.read", families: families)], by: AuditSubject(staff), on: db)
        return (waiting, invite)
    }

    // MARK: access

    /// How the signed-in user stands to a series: its trainer or key person (`assigned`), the municipality, or not.
    func relationships(to series: GroupSeries) -> Set<Relationship> {
        relationships(municipalityID: series.$municipality.id, leaders: [series.$trainer.id, series.$keyPerson.id])
    }

    private func relationships(municipalityID: UUID, leaders: [UUID]) -> Set<Relationship> {
        guard municipalityID == staff.municipalityID else { return [.otherMunicipality] }
        var relationships: Set<Relationship> = [.sameMunicipality]
        if leaders.contains(staff.userID) { relationships.insert(.assigned) }
        return relationships
    }

    /// Whether the user may do `action` to `record` of a series they have been shown (`detail` read it in their
    /// municipality): the web page decides from this which forms to show.
    func may(_ action: AccessPolicy.Action, _ record: AccessPolicy.RecordType, _ series: GroupSeriesDTO) -> Bool {
        let relationships = relationships(municipalityID: staff.municipalityID, leaders: [series.trainerId, series.keyPersonId])
        return AccessPolicy.decide(role: staff.role, relationships: relationships, action: action, record: record) == .allowed
    }

    /// The display names of the partner guests of sessions.
    func guestNames(_ ids: [UUID]) async throws -> [UUID: String] {
        try await Colleagues(on: db).displayNames(ids)
    }

    private func require(_ action: AccessPolicy.Action, _ record: AccessPolicy.RecordType, _ series: GroupSeries) throws {
        try FamilyAccess.require(staff, action, record, relationships: relationships(to: series), notFound: "series")
    }

    /// The series with the access decision for `action` on `record`: 403 before any lookup when the role may
    /// never, 404 when the series is not the user's to see.
    func series(_ id: UUID, _ action: AccessPolicy.Action, _ record: AccessPolicy.RecordType,
                        on database: (any Database)? = nil) async throws -> GroupSeries {
        try FamilyAccess.require(staff, action, record)
        guard let series = try await GroupSeries.find(id, on: database ?? db) else { throw AppError.notFound("series") }
        try require(action, record, series)
        return series
    }

    private func invalid(_ errors: [FieldError]) -> AppError { AppError.invalid(errors, catalog: catalog) }

    // MARK: series

    /// The series in the user's scope, by start date: the municipality's for case managers, a facilitator's own.
    func list() async throws -> [GroupSeriesDTO] {
        try FamilyAccess.require(staff, .list, .groupSeries)
        let query = GroupSeries.query(on: db).filter(\.$municipality.$id == staff.municipalityID)
        switch AccessPolicy.grant(role: staff.role, action: .read, record: .groupSeries) {
        case .always, .anyone: break
        case .when(let granted) where granted.contains(.sameMunicipality): break
        default:
            query.group(.or) { $0.filter(\.$trainer.$id == staff.userID).filter(\.$keyPerson.$id == staff.userID) }
        }
        let all = try await query.sort(\.$startsOn).sort(\.$id).all()
        return try await summaries(all)
    }

    /// For a facilitator's start page: per series, the next session (today or later) and how many past sessions
    /// have no attendance recorded yet. The series are already in the user's scope (`list()`).
    func workToDo(_ series: [GroupSeriesDTO]) async throws -> [UUID: (next: GroupSession?, unrecorded: Int)] {
        let ids = series.map(\.id)
        guard !ids.isEmpty else { return [:] }
        let today = clock.today.iso
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id ~~ ids).sort(\.$date).sort(\.$startsAt).all()
        let past = sessions.filter { $0.date < today }.compactMap(\.id)
        let recorded = past.isEmpty ? Set<UUID>() : Set(try await GroupAttendance.query(on: db).filter(\.$session.$id ~~ past).all()
            .map { $0.$session.id })
        var result: [UUID: (next: GroupSession?, unrecorded: Int)] = [:]
        for session in sessions {
            var entry = result[session.$series.id] ?? (nil, 0)
            if session.date >= today, entry.next == nil { entry.next = session }
            if session.date < today, !recorded.contains(session.id!) { entry.unrecorded += 1 }
            result[session.$series.id] = entry
        }
        return result
    }

    private func summaries(_ all: [GroupSeries]) async throws -> [GroupSeriesDTO] {
        let ids = all.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let participants = try await GroupParticipant.query(on: db).filter(\.$series.$id ~~ ids)
            .filter(\.$status == ParticipantStatus.active).all()
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id ~~ ids).all()
        let people = Dictionary(grouping: participants, by: { $0.$series.id }).mapValues(\.count)
        let meetings = Dictionary(grouping: sessions, by: { $0.$series.id }).mapValues(\.count)
        return all.map { GroupSeriesDTO($0, participants: people[$0.id!] ?? 0, sessions: meetings[$0.id!] ?? 0) }
    }

    func create(_ input: GroupSeriesInput) async throws -> GroupSeriesDetailDTO {
        try FamilyAccess.require(staff, .create, .groupSeries)
        let draft = input.draft
        var errors = GroupSeriesRules.validate(draft)
        errors += try await validateLinks(offerID: input.offerId, trainerID: input.trainerId, keyPersonID: input.keyPersonId,
                                          language: draft.language)
        guard errors.isEmpty else { throw invalid(errors) }
        let staff = self.staff
        let id = try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let series = GroupSeries()
            series.id = UUID()
            series.version = 1
            series.status = .planned
            series.$municipality.id = staff.municipalityID
            series.$offer.id = input.offerId!
            series.$trainer.id = input.trainerId!
            series.$keyPerson.id = input.keyPersonId!
            series.apply(draft)
            try await series.create(on: tx)
            recorder.record(AuditEvent(action: "group.series.create", detail: "series=\(series.id!.uuidString)"))
            return series.id!
        }
        return try await detail(id)
    }

    func update(_ id: UUID, _ input: GroupSeriesInput) async throws -> GroupSeriesDetailDTO {
        let current = try await series(id, .update, .groupSeries)
        guard let version = input.version else { throw AppError.versionRequired }
        let draft = input.draft
        var errors = GroupSeriesRules.validate(draft)
        let status = input.status.map { GroupSeriesStatus(rawValue: $0) }
        if case .some(.none) = status { errors.append(.init("status", "unknown-code")) }
        let trainerID = input.trainerId ?? current.$trainer.id, keyPersonID = input.keyPersonId ?? current.$keyPerson.id
        errors += try await validateLinks(offerID: input.offerId ?? current.$offer.id, trainerID: trainerID,
                                          keyPersonID: keyPersonID, language: draft.language)
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id == id).all()
        for session in sessions {
            if session.date < draft.startsOn { errors.append(.init("startsOn", "sessions-outside")) }
            if session.date > draft.endsOn { errors.append(.init("endsOn", "sessions-outside")) }
        }
        let active = try await GroupParticipant.query(on: db).filter(\.$series.$id == id)
            .filter(\.$status == ParticipantStatus.active).count()
        if active > draft.maxSize { errors.append(.init("maxSize", "below-participants")) }
        for (field, person) in [("trainerId", trainerID), ("keyPersonId", keyPersonID)] {
            if try await doubleBooked(person, sessions: sessions.map { ($0.date, $0.startsAt, $0.endsAt) }, except: id) {
                errors.append(.init(field, "double-booked"))
            }
        }
        guard errors.isEmpty else { throw invalid(Array(Set(errors)).sorted { $0.field < $1.field }) }
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            guard let series = try await GroupSeries.find(id, on: tx) else { throw AppError.notFound("series") }
            guard series.version == version else { throw AppError.staleVersion }
            series.apply(draft)
            if let offerID = input.offerId { series.$offer.id = offerID }
            series.$trainer.id = trainerID
            series.$keyPerson.id = keyPersonID
            if let status = status ?? nil { series.status = status }
            series.version += 1
            try await series.update(on: tx)
            recorder.record(AuditEvent(action: "group.series.update", detail: "series=\(id.uuidString)"))
        }
        return try await detail(id)
    }

    /// The offer must be an active group offer of the municipality; the trainer an active facilitator of it; the
    /// key person an active key person of it who speaks the series' language (R21).
    func validateLinks(offerID: UUID?, trainerID: UUID?, keyPersonID: UUID?, language: String) async throws -> [FieldError] {
        var errors: [FieldError] = []
        if let offerID {
            if try await OfferService.groupOffer(offerID, municipalityID: staff.municipalityID, on: db) == nil {
                errors.append(.init("offerId", "not-a-group-offer"))
            }
        } else {
            errors.append(.init("offerId", "required"))
        }
        let people = try await Colleagues(on: db).named([trainerID, keyPersonID])
        func colleague(_ id: UUID?, role: Role) -> User? {
            people.first { $0.id == id && $0.active && $0.$municipality.id == staff.municipalityID && $0.role == role.rawValue }
        }
        if trainerID == nil { errors.append(.init("trainerId", "required")) }
        else if colleague(trainerID, role: .facilitator) == nil { errors.append(.init("trainerId", "not-a-trainer")) }
        if keyPersonID == nil { errors.append(.init("keyPersonId", "required")) }
        else if let keyPerson = colleague(keyPersonID, role: .keyPerson) {
            if Languages.isKnown(language), !keyPerson.languages.contains(language) {
                errors.append(.init("keyPersonId", "does-not-speak-language"))
            }
        } else {
            errors.append(.init("keyPersonId", "not-a-key-person"))
        }
        return errors
    }

    /// Whether `person` leads another open series with a session on one of these dates at an overlapping time.
    private func doubleBooked(_ person: UUID, sessions: [(date: String, startsAt: String, endsAt: String)],
                              except seriesID: UUID, on database: (any Database)? = nil) async throws -> Bool {
        guard !sessions.isEmpty else { return false }
        let database = database ?? db
        let others = try await GroupSeries.query(on: database)
            .group(.or) { $0.filter(\.$trainer.$id == person).filter(\.$keyPerson.$id == person) }
            .filter(\.$id != seriesID)
            .filter(\.$status ~~ [GroupSeriesStatus.planned, .running]).all()
        guard !others.isEmpty else { return false }
        let booked = try await GroupSession.query(on: database).filter(\.$series.$id ~~ others.compactMap(\.id))
            .filter(\.$date ~~ Set(sessions.map(\.date))).all()
        return sessions.contains { session in
            booked.contains { $0.date == session.date && GroupSeriesRules.overlap(($0.startsAt, $0.endsAt), (session.startsAt, session.endsAt)) }
        }
    }

    /// A series with its sessions, parents and attendance; one audit entry names every family shown.
    func detail(_ id: UUID) async throws -> GroupSeriesDetailDTO {
        let series = try await series(id, .read, .groupSeries)
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id == id).sort(\.$date).sort(\.$startsAt).all()
        let participants = try await GroupParticipant.query(on: db).filter(\.$series.$id == id).sort(\.$createdAt).all()
        let attendance = sessions.isEmpty ? [] : try await GroupAttendance.query(on: db)
            .filter(\.$session.$id ~~ sessions.compactMap(\.id)).all()
        let guests = try await GroupSessionGuests.load(sessions.compactMap(\.id), on: db)
        let cards = try await MemberCards.load(participants.map { $0.$member.id }, on: db)
        let bySession = Dictionary(grouping: attendance, by: { $0.$session.id })
        let shownFamilies = participants.map { $0.$family.id }
        var seen = Set<UUID>()
        try await audit.record([AuditEvent.list("group.series.read", families: shownFamilies.filter { seen.insert($0).inserted })],
                               by: AuditSubject(staff), on: db)
        let summary = GroupSeriesDTO(series, participants: participants.filter { $0.status == .active }.count, sessions: sessions.count)
        return GroupSeriesDetailDTO(
            series: summary,
            sessions: sessions.enumerated().map { index, session in
                GroupSessionDTO(id: session.id!, number: index + 1, date: session.date, startsAt: session.startsAt,
                                endsAt: session.endsAt, topic: session.topic, place: session.place,
                                guestIds: guests[session.id!] ?? [], childcareHeadcount: session.childcareHeadcount,
                                attendance: (bySession[session.id!] ?? []).map {
                                    GroupAttendanceDTO(participantId: $0.$participant.id, status: $0.status.rawValue,
                                                       childrenBrought: $0.childrenBrought)
                                }.sorted { $0.participantId.uuidString < $1.participantId.uuidString },
                                version: session.version)
            },
            participants: participants.map { participant in
                GroupParticipantDTO(id: participant.id!, memberId: participant.$member.id, familyId: participant.$family.id,
                                    name: cards[participant.$member.id]?.displayName ?? "",
                                    source: participant.source.rawValue, invitation: participant.invitation.rawValue,
                                    status: participant.status.rawValue, dropOutReason: participant.dropOutReason?.rawValue,
                                    version: participant.version)
            })
    }

    // MARK: sessions

    func addSession(to seriesID: UUID, _ input: GroupSessionInput) async throws -> GroupSeriesDetailDTO {
        let series = try await series(seriesID, .update, .groupSeries)
        try await saveSession(series, session: nil, input)
        return try await detail(seriesID)
    }

    func updateSession(_ sessionID: UUID, of seriesID: UUID, _ input: GroupSessionInput) async throws -> GroupSeriesDetailDTO {
        let series = try await series(seriesID, .update, .groupSeries)
        guard let session = try await GroupSession.query(on: db).filter(\.$id == sessionID).filter(\.$series.$id == seriesID).first()
        else { throw AppError.notFound("session") }
        guard let version = input.version else { throw AppError.versionRequired }
        guard session.version == version else { throw AppError.staleVersion }
        try await saveSession(series, session: session, input)
        return try await detail(seriesID)
    }

    private func saveSession(_ series: GroupSeries, session existing: GroupSession?, _ input: GroupSessionInput) async throws {
        guard series.status.isOpen else { throw invalid([.init("status", "series-closed")]) }
        let draft = input.draft
        var errors = GroupSeriesRules.validate(draft, seriesStartsOn: series.startsOn, seriesEndsOn: series.endsOn)
        let guestIDs = CodeList.unique(input.guestIds ?? [])
        if !guestIDs.isEmpty {
            let guests = try await Colleagues(on: db).named(guestIDs)
            let known = Set(guests.filter { $0.active && $0.$municipality.id == staff.municipalityID }.compactMap(\.id))
            if !Set(guestIDs).isSubset(of: known) { errors.append(.init("guestIds", "unknown-colleague")) }
        }
        if errors.isEmpty {
            let slot = [(draft.date, draft.startsAt, draft.endsAt)]
            if try await doubleBooked(series.$trainer.id, sessions: slot, except: series.id!) {
                errors.append(.init("startsAt", "trainer-double-booked"))
            }
            if try await doubleBooked(series.$keyPerson.id, sessions: slot, except: series.id!) {
                errors.append(.init("startsAt", "key-person-double-booked"))
            }
        }
        guard errors.isEmpty else { throw invalid(errors) }
        let seriesID = series.id!
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let session: GroupSession
            if let existing {
                session = existing
                session.version += 1
            } else {
                session = GroupSession()
                session.id = UUID()
                session.version = 1
                session.$series.id = seriesID
            }
            session.apply(draft)
            if existing == nil { try await session.create(on: tx) } else { try await session.update(on: tx) }
            try await GroupSessionGuests.table.replace(session.id!, with: guestIDs, on: tx)
            recorder.record(AuditEvent(action: existing == nil ? "group.session.create" : "group.session.update",
                                       detail: "series=\(seriesID.uuidString) session=\(session.id!.uuidString)"))
        }
    }

    // MARK: participants

    func addParticipant(to seriesID: UUID, _ input: GroupParticipantInput) async throws -> GroupSeriesDetailDTO {
        let series = try await series(seriesID, .create, .groupParticipant)
        guard series.status.isOpen else { throw invalid([.init("status", "series-closed")]) }
        var errors: [FieldError] = []
        let source = input.source.flatMap(ParticipantSource.init(rawValue:))
        if source == nil { errors.append(.init("source", input.source == nil ? "required" : "unknown-code")) }
        guard let memberID = input.memberId else { throw invalid(errors + [.init("memberId", "required")]) }
        // A parent of an active family of the municipality; a card of any other says nothing about it (no leak).
        let card = try await MemberCards.load([memberID], on: db)[memberID]
        guard let card, card.municipalityID == staff.municipalityID, card.role == .parent, card.familyActive else {
            throw invalid(errors + [.init("memberId", "not-a-parent")])
        }
        if series.audience == .mothers && card.gender == "male" || series.audience == .fathers && card.gender == "female" {
            errors.append(.init("memberId", "audience-mismatch"))
        }
        let taken = try await GroupParticipant.query(on: db).filter(\.$series.$id == seriesID)
            .filter(\.$status == ParticipantStatus.active).count()
        if taken >= series.maxSize { errors.append(.init("memberId", "over-capacity")) }
        // One series of an offer at a time: the parent's other open series of the same offer.
        let elsewhere = try await GroupParticipant.query(on: db).filter(\.$member.$id == memberID)
            .filter(\.$status == ParticipantStatus.active).all()
        if !elsewhere.isEmpty {
            let open = try await GroupSeries.query(on: db).filter(\.$id ~~ elsewhere.map { $0.$series.id })
                .filter(\.$offer.$id == series.$offer.id).filter(\.$status ~~ [GroupSeriesStatus.planned, .running]).all()
            if open.contains(where: { $0.id == seriesID }) { errors.append(.init("memberId", "already-in-this-series")) }
            else if !open.isEmpty { errors.append(.init("memberId", "already-in-series")) }
        }
        var entryID: UUID?
        if source == .waitingList {
            if let id = input.waitingEntryId,
               let entry = try await GroupWaitingList.entry(id, municipalityID: staff.municipalityID, on: db),
               entry.status == .waiting, entry.$offer.id == series.$offer.id, entry.memberIDs.contains(memberID) {
                entryID = id
            } else {
                errors.append(.init("waitingEntryId", input.waitingEntryId == nil ? "required" : "not-waiting"))
            }
        }
        guard errors.isEmpty, let source else { throw invalid(errors) }
        let placedEntry = entryID
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            try await Self.join(card, to: seriesID, source: source, entry: placedEntry, on: tx, recorder: recorder)
        }
        return try await detail(seriesID)
    }

    /// Writes a parent into a series (on the caller's audited transaction): from the waiting list they asked for
    /// the group; an invited parent has not answered yet.
    static func join(_ card: MemberCard, to seriesID: UUID, source: ParticipantSource, entry: UUID?,
                     on tx: any Database, recorder: AuditRecorder) async throws {
        let participant = GroupParticipant()
        participant.id = UUID()
        participant.version = 1
        participant.source = source
        participant.invitation = source == .waitingList ? .accepted : .invited
        participant.status = .active
        participant.$series.id = seriesID
        participant.$municipality.id = card.municipalityID
        participant.$family.id = card.familyID
        participant.$member.id = card.id
        participant.$waitingEntry.id = entry
        try await participant.create(on: tx)
        if let entry { try await GroupWaitingList.markPlaced(entry, on: tx) }
        recorder.record(AuditEvent(action: "group.participant.add", familyID: card.familyID,
                                   detail: "series=\(seriesID.uuidString) source=\(source.rawValue)"))
    }

    func updateParticipant(_ participantID: UUID, of seriesID: UUID, _ input: GroupParticipantUpdate) async throws -> GroupSeriesDetailDTO {
        _ = try await series(seriesID, .update, .groupParticipant)
        guard let participant = try await GroupParticipant.query(on: db).filter(\.$id == participantID)
            .filter(\.$series.$id == seriesID).first() else { throw AppError.notFound("participant") }
        guard let version = input.version else { throw AppError.versionRequired }
        var errors: [FieldError] = []
        let invitation = input.invitation.map { InvitationAnswer(rawValue: $0) }
        if case .some(.none) = invitation { errors.append(.init("invitation", "unknown-code")) }
        let status = input.status.map { ParticipantStatus(rawValue: $0) }
        if case .some(.none) = status { errors.append(.init("status", "unknown-code")) }
        let reason = input.dropOutReason.map { DropOutReason(rawValue: $0) }
        if case .some(.none) = reason { errors.append(.init("dropOutReason", "unknown-code")) }
        let newStatus = (status ?? nil) ?? participant.status
        if newStatus == .droppedOut, (reason ?? nil) == nil, participant.dropOutReason == nil {
            errors.append(.init("dropOutReason", "required"))
        }
        guard errors.isEmpty else { throw invalid(errors) }
        guard participant.version == version else { throw AppError.staleVersion }
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            if let invitation = invitation ?? nil { participant.invitation = invitation }
            participant.status = newStatus
            participant.dropOutReason = newStatus == .droppedOut ? ((reason ?? nil) ?? participant.dropOutReason) : nil
            participant.version += 1
            try await participant.update(on: tx)
            recorder.record(AuditEvent(action: "group.participant.update", familyID: participant.$family.id,
                                       detail: "series=\(seriesID.uuidString) invitation=\(participant.invitation.rawValue) status=\(participant.status.rawValue)"))
        }
        return try await detail(seriesID)
    }

    // MARK: invitations

    /// What the invitation letter of one parent needs: the series, the parent and the key person's name. The key
    /// person, the trainer and the municipality's case managers print it; one audit entry names the family.
    func invitation(_ participantID: UUID, of seriesID: UUID) async throws
        -> (series: GroupSeries, sessions: [GroupSession], parent: MemberCard, keyPersonName: String) {
        let series = try await series(seriesID, .update, .groupParticipant)
        guard let participant = try await GroupParticipant.query(on: db).filter(\.$id == participantID)
            .filter(\.$series.$id == seriesID).first(),
              let card = try await MemberCards.load([participant.$member.id], on: db)[participant.$member.id]
        else { throw AppError.notFound("participant") }
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id == seriesID).sort(\.$date).sort(\.$startsAt).all()
        let keyPerson = try await Colleagues(on: db).named([series.$keyPerson.id]).first?.displayName ?? ""
        try await audit.record([AuditEvent(action: "group.invitation.read", familyID: card.familyID,
                                           detail: "series=\(seriesID.uuidString)")], by: AuditSubject(staff), on: db)
        return (series, sessions, card, keyPerson)
    }

    // MARK: attendance

    /// Who came to a session (each record replaces that parent's earlier one) and the childcare headcount.
    func recordAttendance(_ sessionID: UUID, of seriesID: UUID, _ input: GroupAttendanceInput) async throws -> GroupSeriesDetailDTO {
        _ = try await series(seriesID, .update, .attendance)
        guard try await GroupSession.query(on: db).filter(\.$id == sessionID).filter(\.$series.$id == seriesID).first() != nil
        else { throw AppError.notFound("session") }
        let participants = try await GroupParticipant.query(on: db).filter(\.$series.$id == seriesID).all()
        let byID = Dictionary(participants.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var errors: [FieldError] = []
        let records = input.records ?? []
        if records.isEmpty && input.childcareHeadcount == nil { errors.append(.init("records", "required")) }
        if let headcount = input.childcareHeadcount, !(0...100).contains(headcount) {
            errors.append(.init("childcareHeadcount", "out-of-range"))
        }
        var seen = Set<UUID>()
        for (index, record) in records.enumerated() {
            let field = "records[\(index)]"
            if let id = record.participantId {
                if byID[id] == nil { errors.append(.init("\(field).participantId", "not-in-series")) }
                else if !seen.insert(id).inserted { errors.append(.init("\(field).participantId", "duplicate")) }
            } else {
                errors.append(.init("\(field).participantId", "required"))
            }
            if record.status.flatMap(AttendanceStatus.init(rawValue:)) == nil {
                errors.append(.init("\(field).status", record.status == nil ? "required" : "unknown-code"))
            }
            if let children = record.childrenBrought, !(0...20).contains(children) {
                errors.append(.init("\(field).childrenBrought", "out-of-range"))
            }
        }
        guard errors.isEmpty else { throw invalid(errors) }
        let families = Set(records.compactMap { $0.participantId.flatMap { byID[$0]?.$family.id } })
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            if let headcount = input.childcareHeadcount, let session = try await GroupSession.find(sessionID, on: tx) {
                session.childcareHeadcount = headcount
                try await session.update(on: tx)
            }
            for record in records {
                let id = record.participantId!
                try await GroupAttendance.query(on: tx).filter(\.$session.$id == sessionID).filter(\.$participant.$id == id).delete()
                let row = GroupAttendance()
                row.id = UUID()
                row.status = AttendanceStatus(rawValue: record.status!)!
                row.childrenBrought = record.childrenBrought ?? 0
                row.$session.id = sessionID
                row.$participant.id = id
                try await row.create(on: tx)
            }
            for family in families.sorted(by: { $0.uuidString < $1.uuidString }) {
                recorder.record(AuditEvent(action: "group.attendance.record", familyID: family,
                                           detail: "series=\(seriesID.uuidString) session=\(sessionID.uuidString)"))
            }
            if families.isEmpty {
                recorder.record(AuditEvent(action: "group.attendance.record", detail: "series=\(seriesID.uuidString) session=\(sessionID.uuidString)"))
            }
        }
        return try await detail(seriesID)
    }
}

/// The partner guests of sessions (`group_session_guests`).
enum GroupSessionGuests {
    static let table = CodeTable<UUID>(table: "group_session_guests", owner: "session_id", value: "user_id")

    static func load(_ sessions: [UUID], on db: any Database) async throws -> [UUID: [UUID]] {
        try await table.load(sessions, on: db)
    }
}
