import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

struct NamedRef: Content, Equatable {
    let id: UUID
    let name: String
}

/// What a partner sees of a family: the fields this referral shares, and nothing else. The lead sees the same
/// block on the referral, so they know exactly what went out.
struct SharedFamilyData: Content {
    struct Person: Content {
        let firstName: String?
        let familyName: String?
    }
    struct Question: Content {
        let themes: [String]
        let reason: String
        let ownWords: String?
    }
    struct Contact: Content {
        let address: String?
        let postcode: String?
        let contactPreference: String?
    }
    struct ScreeningSummary: Content {
        let conductedOn: String?
        let themes: [String]
    }
    let parents: [Person]
    let language: String?
    let interpreterNeeded: Bool
    let childrenAges: [Int]?
    let question: Question?
    let contactDetails: Contact?
    let situations: [String]?
    let screening: ScreeningSummary?
}

struct ReferralEventDTO: Content {
    let at: Date
    let by: String
    let role: String
    let kind: String
    let from: String?
    let to: String?
    let note: String?
    let detail: String
}

struct ReferralDTO: Content {
    let id: UUID
    let version: Int
    let status: String
    let statusChangedAt: Date
    let familyReference: String
    /// Lead side only: the family's id and name, the people and needs, the consent.
    let familyId: UUID?
    let familyName: String?
    let memberIds: [UUID]?
    let needIds: [UUID]?
    let consentId: UUID?
    let consentActive: Bool
    let offer: NamedRef?
    let organisation: NamedRef
    let referredBy: String
    let lead: NamedRef
    let sharedFields: [String]
    let shared: SharedFamilyData
    let sentOn: String?
    let expectedOn: String?
    let plannedOn: String?
    let plannedTime: String?
    let plannedPlace: String?
    let companion: NamedRef?
    let handoverHappened: Bool?
    let accompanied: Bool?
    let firstContactOn: String?
    let outcome: String?
    let closingReason: String?
    /// Why the partner declined: a `DeclineReason` code.
    let declineReason: String?
    let closedOn: String?
    let redirectedFrom: UUID?
    /// The states this user may move it to now.
    let next: [String]
    /// Whether this user may record the accompanied first visit, or chase the partner.
    let mayRecordHandover: Bool
    let mayChase: Bool
    let events: [ReferralEventDTO]
}

/// One line of a referral list, the partner inbox or the worklist.
struct ReferralListItem: Content {
    let id: UUID
    let status: String
    let familyReference: String
    /// Lead side: the family; partner side: the first name when shared.
    let familyId: UUID?
    let familyName: String?
    let firstName: String?
    let offerName: String?
    let organisationName: String
    let sentOn: String?
    let expectedOn: String?
    let plannedOn: String?
    let closedOn: String?
    /// Waiting for the partner's answer (`sent`): the day the answer is due (the answer working days after sending).
    /// Given in the partner inbox and on worklists.
    var answerBy: String? = nil
}

/// A page of a referral list. `hasMore` says whether a next page exists; `total` is there only when asked for
/// (`count=true`, and the web lists), because counting reads every matching row.
struct ReferralPage: Content {
    let items: [ReferralListItem]
    let page: Int
    let per: Int
    let hasMore: Bool
    let total: Int?
}

private struct ListRow {
    let id: UUID
    let status: String
    let sent_on: String?
    let clock_on: String?
    let expected_on: String?
    let planned_on: String?
    let planned_time: String?
    let planned_place: String?
    let closed_on: String?
    let family_id: UUID
    let reference: String
    let family_name: String
    let offer_name: String?
    let organisation_name: String
    /// The concerned parents' given names, in household order, where the referral shares the first name
    /// (read only for a partner, see `select`).
    let first_names: String?

    /// Column by column: the reflection-based row decoder cost more than the query on a page of 25.
    init(_ row: any SQLRow) throws {
        func text(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) }
        id = try row.decode(column: "id", as: UUID.self)
        status = try row.decode(column: "status", as: String.self)
        sent_on = try text("sent_on")
        clock_on = try text("clock_on")
        expected_on = try text("expected_on")
        planned_on = try text("planned_on")
        planned_time = try text("planned_time")
        planned_place = try text("planned_place")
        closed_on = try text("closed_on")
        family_id = try row.decode(column: "family_id", as: UUID.self)
        reference = try row.decode(column: "reference", as: String.self)
        family_name = try row.decode(column: "family_name", as: String.self)
        offer_name = try text("offer_name")
        organisation_name = try row.decode(column: "organisation_name", as: String.self)
        first_names = try text("first_names")
    }
}

extension ReferralService {
    // MARK: one referral

    func detail(_ id: UUID) async throws -> ReferralDTO {
        try await detailAndFamily(id).0
    }

    /// The referral as this user sees it, and its family (the web page offers the family's key person and social
    /// worker as companions). Audited as one read.
    func detailAndFamily(_ id: UUID) async throws -> (ReferralDTO, Family) {
        let (referral, family, actors, _) = try await loadVisible(id, on: db)
        try await audit.record([AuditEvent(action: "referral.read", familyID: family.id, familyReference: family.reference,
                                           detail: "referral=\(id) as=\(actors.map(\.rawValue).sorted().joined(separator: ","))")],
                               by: AuditSubject(staff), on: db)
        return (try await dto(referral, family: family, actors: actors), family)
    }

    func dto(_ referral: Referral, family: Family, actors: Set<ReferralActor>) async throws -> ReferralDTO {
        let leadSide = FamilyAccess.maySeeFamilyRecords(staff.role)
        let members = try await Member.query(on: db).filter(\.$family.$id == family.requireID()).sort(\.$position).all()
        let shared = try await sharedData(referral, family: family, members: members)
        let organisation = try await Organisation.find(referral.$organisation.id, on: db)
        var offer: Offer?
        if let offerID = referral.$offer.id { offer = try await Offer.find(offerID, on: db) }
        let peopleIDs = [referral.$lead.id, referral.$referredBy.id] + [referral.$companion.id].compactMap { $0 }
        let people = try await User.query(on: db).filter(\.$id ~~ peopleIDs).all()
        let name: (UUID) -> String = { id in people.first { $0.id == id }?.displayName ?? "" }
        let consent = try await Consent.find(referral.$consent.id, on: db)
        let events = try await ReferralEvent.query(on: db).filter(\.$referral.$id == referral.requireID()).sort(\.$at).all()
        let state = referral.state
        return ReferralDTO(
            id: try referral.requireID(), version: referral.version, status: referral.status.rawValue, statusChangedAt: referral.statusChangedAt,
            familyReference: family.reference,
            familyId: leadSide ? family.id : nil, familyName: leadSide ? family.name : nil,
            memberIds: leadSide ? referral.memberIDs : nil,
            needIds: leadSide ? referral.needIDs : nil,
            consentId: leadSide ? referral.$consent.id : nil,
            consentActive: consent?.isActive ?? false && referral.consentWithdrawnAt == nil,
            offer: offer.map { NamedRef(id: $0.id!, name: $0.name) },
            organisation: NamedRef(id: referral.$organisation.id, name: organisation?.name ?? ""),
            referredBy: name(referral.$referredBy.id), lead: NamedRef(id: referral.$lead.id, name: name(referral.$lead.id)),
            sharedFields: referral.sharedFields, shared: shared,
            sentOn: referral.sentOn, expectedOn: referral.expectedOn, plannedOn: referral.plannedOn, plannedTime: referral.plannedTime,
            plannedPlace: referral.plannedPlace,
            companion: referral.$companion.id.map { NamedRef(id: $0, name: name($0)) },
            handoverHappened: referral.handoverHappened, accompanied: referral.accompanied, firstContactOn: referral.firstContactOn,
            outcome: referral.outcome, closingReason: referral.closingReason,
            declineReason: referral.declineReason, closedOn: referral.closedOn,
            redirectedFrom: leadSide ? referral.$redirectedFrom.id : nil,
            next: ReferralLifecycle.next(from: state, by: actors).map(\.rawValue),
            mayRecordHandover: state == .firstContactPlanned && referral.$companion.id != nil
                && (actors.contains(.companion) || actors.contains(.lead)),
            mayChase: actors.contains(.lead) && state.isOpen,
            events: events.map { ReferralEventDTO(at: $0.at, by: $0.byName, role: $0.byRole, kind: $0.kind, from: $0.fromStatus,
                                                  to: $0.toStatus, note: $0.note, detail: $0.detail) })
    }

    /// Only the ticked fields, of only the people the referral concerns.
    func sharedData(_ referral: Referral, family: Family, members: [Member]) async throws -> SharedFamilyData {
        let fields = Set(referral.sharedFields.compactMap(ReferralSharedField.init(rawValue:)))
        let concerned = Set(referral.memberIDs)
        let people = members.filter { concerned.contains($0.id!) }
        let parents = people.filter { $0.role == .parent }.map {
            SharedFamilyData.Person(firstName: fields.contains(.firstName) ? $0.givenName : nil,
                                    familyName: fields.contains(.familyName) ? $0.familyName : nil)
        }
        let ages = people.filter { $0.role == .child }.compactMap { child -> Int? in
            if let date = child.birthDate.flatMap(CalendarDate.init(iso:)) { return date.years(until: today) }
            return child.birthYear.map { today.year - $0 }
        }.sorted()
        var question: SharedFamilyData.Question?
        var screening: SharedFamilyData.ScreeningSummary?
        if fields.contains(.question) || fields.contains(.screening) {
            let needIDs = referral.needIDs
            let needs = needIDs.isEmpty ? [] : try await Need.query(on: db).filter(\.$id ~~ needIDs).all()
            if fields.contains(.question) {
                question = .init(themes: needs.map(\.theme), reason: referral.reason, ownWords: referral.ownWords)
            }
            if fields.contains(.screening) {
                let latest = try await Screening.query(on: db).filter(\.$family.$id == family.requireID())
                    .sort(\.$conductedOn, .descending).first()
                let open = try await Need.query(on: db).filter(\.$family.$id == family.requireID()).filter(\.$status == NeedStatus.open)
                    .filter(\.$source == NeedSource.screening).all()
                screening = .init(conductedOn: latest?.conductedOn, themes: open.map(\.theme))
            }
        }
        return SharedFamilyData(
            parents: parents, language: fields.contains(.language) ? referral.language : nil,
            interpreterNeeded: referral.interpreterNeeded, childrenAges: fields.contains(.childrenAges) ? ages : nil,
            question: question,
            contactDetails: fields.contains(.contactDetails)
                ? .init(address: family.address, postcode: family.postcode, contactPreference: family.contactPreference) : nil,
            situations: fields.contains(.situations) ? family.situations : nil, screening: screening)
    }

    // MARK: lists

    /// A family's referrals (lead side: case managers and the family's key person and social worker).
    func forFamily(_ familyID: UUID) async throws -> [ReferralListItem] {
        try requireUse()
        guard FamilyAccess.maySeeFamilyRecords(staff.role) else { throw AppError.notFound("family") }
        let families = FamilyService(db: db, audit: audit, staff: staff, catalog: catalog, clock: clock, reads: reads)
        _ = try await families.read(familyID, action: "referral.list")
        let rows = try await select("r.family_id = \(bind: familyID)", order: "r.created_at DESC", limit: 500, offset: 0)
        return items(rows)
    }

    /// `GET /api/v1/referrals`: for a partner, the inbox; for case managers, the municipality's referrals; for key
    /// persons and social workers, those of their families. Filter by `status`.
    func list(status: String?, page: PageRequest) async throws -> ReferralPage {
        try requireUse()
        if let status, !status.isEmpty, status != "open", !ReferralStatus.isKnown(status) {
            throw invalid([FieldError("status", "unknown-code")])
        }
        if FamilyAccess.may(staff.role, .list, .partnerInbox) { return try await inbox(status: status, page: page) }
        var condition: SQLQueryString = "r.municipality_id = \(bind: staff.municipalityID)"
        switch FamilyAccess.listScope(staff) {
        case .keyPerson(let id): condition = "\(condition) AND f.key_person_id = \(bind: id)"
        case .socialWorker(let id): condition = "\(condition) AND f.social_worker_id = \(bind: id)"
        default: break
        }
        condition = statusCondition(condition, status)
        let needsFamily = FamilyAccess.listScope(staff) != .municipality
        let (rows, hasMore) = try await selectPage(condition, order: "r.status_changed_at DESC, r.id", page: page,
                                                   needsFamily: needsFamily)
        let total = page.count ? try await count(condition, needsFamily: needsFamily) : nil
        try await auditList(rows)
        return ReferralPage(items: items(rows), page: page.page, per: page.per, hasMore: hasMore, total: total)
    }

    /// The partner inbox: referrals to the partner's organisation, from the moment they are sent, newest first.
    func inbox(status: String?, page: PageRequest) async throws -> ReferralPage {
        try requireUse()
        try FamilyAccess.require(staff, .list, .partnerInbox)
        let settings = try await ReferralSettings.load(staff.municipalityID, defaults: defaults, on: db)
        let visibleFrom = today.adding(days: -settings.partnerAccessDays).iso
        var condition: SQLQueryString = """
            r.organisation_id = \(bind: staff.organisationID) AND r.status <> 'draft' AND r.consent_withdrawn_at IS NULL \
            AND (r.closed_on IS NULL OR r.closed_on >= \(bind: visibleFrom))
            """
        condition = statusCondition(condition, status)
        // The index (organisation_id, sent_on, id, …) gives the rows in page order; nothing is counted.
        let (rows, hasMore) = try await selectPage(condition, order: "r.sent_on DESC, r.id DESC", page: page)
        let total = page.count ? try await count(condition, needsFamily: false) : nil
        try await auditList(rows)
        return ReferralPage(items: items(rows, answerWorkingDays: settings.answerWorkingDays), page: page.page, per: page.per,
                            hasMore: hasMore, total: total)
    }

    /// A partner's start page: how many referrals of the inbox are in each state, and the ones waiting for an answer
    /// with their answer-by date, the soonest first (at most `limit`). Audited as a list.
    func inboxSummary(limit: Int = 10) async throws -> (counts: [String: Int], toAnswer: [ReferralListItem]) {
        try requireUse()
        try FamilyAccess.require(staff, .list, .partnerInbox)
        let settings = try await ReferralSettings.load(staff.municipalityID, defaults: defaults, on: db)
        let visibleFrom = today.adding(days: -settings.partnerAccessDays).iso
        let condition: SQLQueryString = """
            r.organisation_id = \(bind: staff.organisationID) AND r.status <> 'draft' AND r.consent_withdrawn_at IS NULL \
            AND (r.closed_on IS NULL OR r.closed_on >= \(bind: visibleFrom))
            """
        var counts: [String: Int] = [:]
        for row in try await sql.raw("SELECT r.status, COUNT(*) AS n FROM referrals r WHERE \(condition) GROUP BY r.status").all() {
            counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let rows = try await select("\(condition) AND r.status = 'sent'", order: "r.clock_on, r.id", limit: limit, offset: 0)
        try await auditList(rows)
        return (counts, items(rows, answerWorkingDays: settings.answerWorkingDays))
    }

    private func statusCondition(_ condition: SQLQueryString, _ status: String?) -> SQLQueryString {
        guard let status, !status.isEmpty else { return condition }
        if status == "open" {
            return "\(condition) AND r.status NOT IN ('draft', 'declined', 'completed', 'cancelled')"
        }
        return "\(condition) AND r.status = \(bind: status)"
    }

    /// One referral on a worklist: why it is there, by when, since when, and the line as lists show it.
    struct WorkCandidate: Sendable {
        let kind: WorkKind
        let due: CalendarDate
        let since: CalendarDate?
        /// The family it concerns (for the audit entry; a partner's line does not show it).
        let familyID: UUID
        let item: ReferralListItem
        let plannedTime: String?
        let plannedPlace: String?
    }

    /// The referrals that need this user, as worklist candidates: for a lead, those past their timers; for anyone,
    /// the first contacts they go along to; for a partner, the referrals to answer, first contacts to plan and to
    /// record. Each kind is one index range read in due order, at most `limit` rows (the worklist merges the kinds
    /// and pages the result), and counted in full. `kinds` nil: every kind.
    /// Not audited here: the worklist's door (`WorklistService`) writes one entry naming the families it shows.
    func worklistCandidates(kinds: Set<WorkKind>?, limit: Int) async throws -> (items: [WorkCandidate], counts: [WorkKind: Int]) {
        try requireUse()
        try FamilyAccess.require(staff, .list, .worklist)
        let settings = try await ReferralSettings.load(staff.municipalityID, defaults: defaults, on: db)
        let today = self.today
        let answerCutoff = WorkingDays.overdueCutoff(settings.answerWorkingDays, today: today).iso
        let contactCutoff = today.adding(days: -settings.firstContactDays).iso
        let me = staff.userID
        let answerBy: @Sendable (CalendarDate) -> CalendarDate = { WorkingDays.adding(settings.answerWorkingDays, to: $0) }
        let contactBy: @Sendable (CalendarDate) -> CalendarDate = { $0.adding(days: settings.firstContactDays) }
        let same: @Sendable (CalendarDate) -> CalendarDate = { $0 }
        /// (kind, condition, the column that starts the clock (also the order), the due date from it)
        var branches: [(WorkKind, SQLQueryString, String, @Sendable (CalendarDate) -> CalendarDate)] = [
            (.firstContactComing, "r.companion_id = \(bind: me) AND r.status = 'first-contact-planned' AND r.handover_happened IS NULL",
             "planned_on", same),
        ]
        if staff.role == .caseManager {
            branches += [
                (.referralNoAnswer, "r.lead_id = \(bind: me) AND r.status = 'sent' AND r.clock_on <= \(bind: answerCutoff)", "clock_on", answerBy),
                // Two ranges of the index (lead, status, clock): accepted, and planned without the contact made.
                (.referralNoFirstContact, "r.lead_id = \(bind: me) AND r.status = 'accepted' AND r.clock_on <= \(bind: contactCutoff)",
                 "clock_on", contactBy),
                (.referralNoFirstContact, "r.lead_id = \(bind: me) AND r.status = 'first-contact-planned' AND r.clock_on <= \(bind: contactCutoff)",
                 "clock_on", contactBy),
                (.referralWaitingPastExpected, "r.lead_id = \(bind: me) AND r.status = 'waiting-list' AND r.clock_on < \(bind: today.iso)",
                 "clock_on", same),
            ]
        }
        if staff.role == .partner {
            let organisation = staff.organisationID
            let mine: SQLQueryString = "r.organisation_id = \(bind: organisation) AND r.consent_withdrawn_at IS NULL"
            branches += [
                (.referralToAnswer, "\(mine) AND r.status = 'sent'", "clock_on", answerBy),
                (.firstContactToPlan, "\(mine) AND r.status = 'accepted'", "clock_on", contactBy),
                (.firstContactToRecord, "\(mine) AND r.status = 'first-contact-planned' AND r.planned_on <= \(bind: today.iso)",
                 "planned_on", same),
            ]
        }
        var candidates: [WorkCandidate] = [], counts: [WorkKind: Int] = [:]
        for (kind, condition, clock, due) in branches {
            let n = try await count(condition, needsFamily: false)
            guard n > 0 else { continue }
            counts[kind, default: 0] += n
            guard kinds?.contains(kind) ?? true else { continue }
            let rows = try await select(condition, order: "r.\(clock), r.id", limit: limit, offset: 0)
            for row in rows {
                guard let start = (clock == "planned_on" ? row.planned_on : row.clock_on).flatMap(CalendarDate.init(iso:)) else { continue }
                candidates.append(WorkCandidate(kind: kind, due: due(start), since: kind == .firstContactComing ? nil : start,
                                                familyID: row.family_id,
                                                item: items([row], answerWorkingDays: settings.answerWorkingDays).first!,
                                                plannedTime: row.planned_time, plannedPlace: row.planned_place))
            }
        }
        return (candidates, counts)
    }

    private var sql: any SQLDatabase {
        get throws {
            guard let sql = db as? any SQLDatabase else {
                throw AppError(status: .internalServerError, code: "database-unsupported", message: "Wegwijs needs an SQL database.")
            }
            return sql
        }
    }

    /// Every match, or with `upTo` at most that many (a bounded count stops reading there).
    fileprivate func count(_ condition: SQLQueryString, needsFamily: Bool, upTo limit: Int? = nil) async throws -> Int {
        let join: SQLQueryString = needsFamily ? " JOIN families f ON f.id = r.family_id" : ""
        let query: SQLQueryString = limit.map { "SELECT COUNT(*) AS n FROM (SELECT 1 FROM referrals r\(join) WHERE \(condition) LIMIT \(bind: $0)) AS bounded" }
            ?? "SELECT COUNT(*) AS n FROM referrals r\(join) WHERE \(condition)"
        let row = try await sql.raw(query).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// One page and whether more follow (one row more than the page is read).
    fileprivate func selectPage(_ condition: SQLQueryString, order: String, page: PageRequest,
                                needsFamily: Bool = false) async throws -> ([ListRow], Bool) {
        var rows = try await select(condition, order: order, limit: page.per + 1, offset: page.offset, needsFamily: needsFamily)
        let hasMore = rows.count > page.per
        if hasMore { rows.removeLast() }
        return (rows, hasMore)
    }

    /// The page's referral ids are found first, on the referrals alone (their indexes cover the conditions and the
    /// order), and only those rows are joined: a deep page no longer joins every row it skips (`OFFSET`).
    /// `needsFamily` when `condition` names the family (`f.`). CROSS JOIN keeps SQLite reading the page first.
    fileprivate func select(_ condition: SQLQueryString, order: String, limit: Int, offset: Int,
                            needsFamily: Bool = false) async throws -> [ListRow] {
        let sql = try self.sql
        let pageJoin: SQLQueryString = needsFamily ? " JOIN families f ON f.id = r.family_id" : ""
        return try await sql.raw("""
            SELECT r.id, r.status, r.sent_on, r.clock_on, r.expected_on, r.planned_on, r.planned_time, r.planned_place, r.closed_on,
                   r.family_id, f.reference, f.name AS family_name, o.name AS offer_name,
                   g.name AS organisation_name, \(firstNames(on: sql)) AS first_names
            FROM (SELECT r.id FROM referrals r\(pageJoin) WHERE \(condition)
                  ORDER BY \(unsafeRaw: order) LIMIT \(bind: limit) OFFSET \(bind: offset)) AS page
            CROSS JOIN referrals r JOIN families f ON f.id = r.family_id JOIN organisations g ON g.id = r.organisation_id
            LEFT JOIN offers o ON o.id = r.offer_id
            WHERE r.id = page.id ORDER BY \(unsafeRaw: order)
            """).all().map(ListRow.init)
    }

    /// A partner sees the first names only where the referral shares them: the concerned parents' given names in
    /// household order, in the page's own query (no extra round trips). Others get NULL (they see the family).
    private func firstNames(on sql: any SQLDatabase) -> SQLQueryString {
        guard !FamilyAccess.maySeeFamilyRecords(staff.role) else { return "NULL" }
        let shared: SQLQueryString = """
            EXISTS (SELECT 1 FROM referral_shared_fields s WHERE s.referral_id = r.id \
            AND s.code = \(bind: ReferralSharedField.firstName.rawValue))
            """
        let names: SQLQueryString = sql.dialect.name == "postgresql"
            ? """
              (SELECT string_agg(m.given_name, ', ' ORDER BY m.position) FROM referral_members rm \
              JOIN family_members m ON m.id = rm.member_id WHERE rm.referral_id = r.id AND m.role = 'parent')
              """
            : """
              (SELECT group_concat(given_name, ', ') FROM (SELECT m.given_name FROM referral_members rm \
              JOIN family_members m ON m.id = rm.member_id WHERE rm.referral_id = r.id AND m.role = 'parent' \
              ORDER BY m.position))
              """
        return "CASE WHEN \(shared) THEN \(names) END"
    }

    /// A list shows which families have referrals: one entry for the request, naming every family shown.
    private func auditList(_ rows: [ListRow]) async throws {
        try await audit.record([AuditEvent.list("referral.list", families: rows.map(\.family_id))], by: AuditSubject(staff), on: db)
    }

    fileprivate func items(_ rows: [ListRow], answerWorkingDays: Int? = nil) -> [ReferralListItem] {
        let partner = !FamilyAccess.maySeeFamilyRecords(staff.role)
        return rows.map { row in
            var item = ReferralListItem(id: row.id, status: row.status, familyReference: row.reference,
                             familyId: partner ? nil : row.family_id, familyName: partner ? nil : row.family_name,
                             firstName: partner ? row.first_names : nil, offerName: row.offer_name, organisationName: row.organisation_name,
                             sentOn: row.sent_on, expectedOn: row.expected_on, plannedOn: row.planned_on, closedOn: row.closed_on)
            if let days = answerWorkingDays, row.status == ReferralStatus.sent.rawValue,
               let start = row.clock_on.flatMap(CalendarDate.init(iso:)) {
                item.answerBy = WorkingDays.adding(days, to: start).iso
            }
            return item
        }
    }

    // MARK: notifications

    func notifications(unreadOnly: Bool) async throws -> [Notification] {
        try requireUse()
        let query = Notification.query(on: db).filter(\.$user.$id == staff.userID)
        if unreadOnly { query.filter(\.$readAt == nil) }
        let notes = try await query.sort(\.$createdAt, .descending).limit(200).all()
        // A notification names a family (by its reference): showing them is reading, audited once per request.
        let referralIDs = Array(Set(notes.compactMap { $0.$referral.id }))
        let familyOf = referralIDs.isEmpty ? [:] : Dictionary(
            try await Referral.query(on: db).filter(\.$id ~~ referralIDs).all().map { ($0.id!, $0.$family.id) },
            uniquingKeysWith: { a, _ in a })
        let shown = notes.compactMap { $0.$referral.id.flatMap { familyOf[$0] } }
            .reduce(into: [UUID]()) { if !$0.contains($1) { $0.append($1) } }
        if let reads {
            reads.noteList(action: "notification.list", families: shown, by: AuditSubject(staff))
        } else if !shown.isEmpty {
            try await audit.record([AuditEvent.list("notification.list", families: shown)], by: AuditSubject(staff), on: db)
        }
        return notes
    }

    func unreadCount() async throws -> Int {
        try await Notification.query(on: db).filter(\.$user.$id == staff.userID).filter(\.$readAt == nil).count()
    }

    /// Opening a referral marks its notifications for this user as read.
    func markRead(referral id: UUID) async throws {
        try await Notification.query(on: db).filter(\.$user.$id == staff.userID).filter(\.$referral.$id == id)
            .filter(\.$readAt == nil).set(\.$readAt, to: clock.now).update()
    }

    func markRead(_ id: UUID?) async throws {
        try requireUse()
        let query = Notification.query(on: db).filter(\.$user.$id == staff.userID).filter(\.$readAt == nil)
        if let id { query.filter(\.$id == id) }
        try await query.set(\.$readAt, to: clock.now).update()
    }
}

/// A planned first contact a companion goes along to, as their calendar feed shows it: when and where, and nothing
/// about the family (no reference, no name, no offer).
struct AccompaniedFirstContact: Sendable, Equatable {
    let referralID: UUID
    let date: CalendarDate
    /// `HH:MM`, when planned with a time.
    let time: String?
    let place: String?
}

extension ReferralService {
    /// The first contacts `userID` is to go along to: planned, not yet recorded (a handover recorded as "did not
    /// happen" waits for the partner to plan again), consent not withdrawn — the same rule as the companion's worklist.
    /// Static: the calendar feed has no signed-in user, its token is the key. Not audited: nothing of the family
    /// leaves (the place is the meeting's place; the form asks for no family details in it). Uses the
    /// `referrals_companion` index.
    static func accompaniedFirstContacts(of userID: UUID, on db: any Database) async throws -> [AccompaniedFirstContact] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("""
            SELECT id, planned_on, planned_time, planned_place FROM referrals
            WHERE companion_id = \(bind: userID) AND status = \(bind: ReferralStatus.firstContactPlanned.rawValue)
              AND handover_happened IS NULL AND consent_withdrawn_at IS NULL
            ORDER BY planned_on, planned_time, id
            """).all()
        return try rows.compactMap { row in
            func text(_ column: String) throws -> String? {
                try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self)
            }
            guard let day = try text("planned_on").flatMap(CalendarDate.init(iso:)) else { return nil }
            return AccompaniedFirstContact(referralID: try row.decode(column: "id", as: UUID.self), date: day,
                                           time: try text("planned_time")?.nilIfEmpty, place: try text("planned_place")?.nilIfEmpty)
        }
    }
}
