import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

// The group calendar (issue 14, item 5; docs/groups.md, "Calendar"): iCalendar feeds per series and per facilitator
// behind unguessable, revocable links, and the group items on the worklist (the reminder the day before a session,
// and the sessions a partner joins as a guest).

/// What a feed link shows.
enum CalendarLinkKind: String, Codable, CaseIterable, Sendable {
    /// Every session of one series.
    case series
    /// Every session of the open series the link's owner leads (trainer, key person) or joins as a guest.
    case facilitator
}

/// A feed link. Only the SHA-256 of its token is stored: the token is shown once, on creation, so a copy of the
/// database gives no one a working link. The link carries no personal data; the feed it opens has none either.
final class GroupCalendarLink: Model, @unchecked Sendable {
    static let schema = "group_calendar_links"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    /// Hex SHA-256 of the token.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "kind") var kind: CalendarLinkKind
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    // relationships
    @OptionalParent(key: "series_id") var series: GroupSeries?
    /// A facilitator feed: whose sessions.
    @OptionalParent(key: "user_id") var user: User?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "created_by") var creator: User

    init() {}
}

struct CreateGroupCalendarLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupCalendarLink.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("kind", .string, .required)
            .field("series_id", .uuid, .references(GroupSeries.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .references(User.schema, .id))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("created_by", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("revoked_at", .datetime)
            // The feed looks a link up by its hash alone.
            .unique(on: "token_hash")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // "My links" (the API list).
        try await sql.raw("CREATE INDEX group_calendar_links_creator ON group_calendar_links (created_by, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GroupCalendarLink.schema).delete()
    }
}

struct CalendarLinkInput: Content {
    /// `series` or `facilitator`.
    var kind: String?
    var seriesId: UUID?
}

struct CalendarLinkDTO: Content {
    let id: UUID
    let kind: String
    let seriesId: UUID?
    let createdAt: Date
    let revokedAt: Date?
}

/// The answer to creating a link: the only time the token is shown.
struct CreatedCalendarLinkDTO: Content {
    let id: UUID
    let url: String
    let kind: String
    let createdAt: Date
}

/// The door to feed links: access decisions from the policy table (`calendarLink`), audit entries for create and
/// revoke (no family is involved), one transaction per write.
struct GroupCalendarService {
    typealias Relationship = AccessPolicy.Relationship

    let db: any Database
    let staff: StaffIdentity
    let audit: AuditLog
    let catalog: LocaleCatalog
    let clock: WallClock
    let publicURL: String

    init(request: Request) throws {
        db = request.db
        staff = try request.requireStaff()
        audit = request.audit
        catalog = request.application.locales
        clock = request.clock
        publicURL = request.application.storage[AppConfigKey.self]?.publicURL ?? "http://127.0.0.1:8080"
    }

    /// The path of a feed: the token and nothing else (no names, no ids).
    static func path(token: String) -> String { "/calendar/\(token).ics" }

    func create(_ input: CalendarLinkInput) async throws -> CreatedCalendarLinkDTO {
        try FamilyAccess.require(staff, .create, .calendarLink)
        guard let raw = input.kind, let kind = CalendarLinkKind(rawValue: raw) else {
            throw AppError.invalid([.init("kind", input.kind == nil ? "required" : "unknown-code")], catalog: catalog)
        }
        var seriesID: UUID?
        switch kind {
        case .series:
            guard let id = input.seriesId else { throw AppError.invalid([.init("seriesId", "required")], catalog: catalog) }
            // A series of another municipality, or one a key person or trainer does not lead, does not exist for them.
            guard let series = try await GroupSeries.find(id, on: db) else { throw AppError.notFound("series") }
            var relationships: Set<Relationship> = series.$municipality.id == staff.municipalityID ? [.sameMunicipality] : [.otherMunicipality]
            if series.$municipality.id == staff.municipalityID,
               series.$trainer.id == staff.userID || series.$keyPerson.id == staff.userID {
                relationships.insert(.assigned)
            }
            try FamilyAccess.require(staff, .create, .calendarLink, relationships: relationships, notFound: "series")
            seriesID = id
        case .facilitator:
            // One's own feed: whatever series one leads or joins shows in it (possibly none yet).
            try FamilyAccess.require(staff, .create, .calendarLink, relationships: [.own], notFound: "link")
        }
        let token = Self.newToken()
        let staff = self.staff, linkSeries = seriesID
        let link = try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let link = GroupCalendarLink()
            link.id = UUID()
            link.tokenHash = Self.digest(token)
            link.kind = kind
            link.$series.id = linkSeries
            link.$user.id = kind == .facilitator ? staff.userID : nil
            link.$municipality.id = staff.municipalityID
            link.$creator.id = staff.userID
            try await link.create(on: tx)
            recorder.record(AuditEvent(action: "group.calendar-link.create", purpose: AuditPurpose.administration,
                                       detail: "link=\(link.id!.uuidString) kind=\(kind.rawValue)"
                                           + (linkSeries.map { " series=\($0.uuidString)" } ?? "")))
            return link
        }
        return CreatedCalendarLinkDTO(id: link.id!, url: publicURL + Self.path(token: token), kind: kind.rawValue,
                                      createdAt: link.createdAt ?? clock.now)
    }

    /// The links the user made, newest first, without their tokens (they were shown once).
    func list() async throws -> [CalendarLinkDTO] {
        try FamilyAccess.require(staff, .list, .calendarLink)
        return try await GroupCalendarLink.query(on: db).filter(\.$creator.$id == staff.userID)
            .sort(\.$createdAt, .descending).sort(\.$id).all()
            .map { CalendarLinkDTO(id: $0.id!, kind: $0.kind.rawValue, seriesId: $0.$series.id, createdAt: $0.createdAt ?? .distantPast,
                                   revokedAt: $0.revokedAt) }
    }

    /// Revokes a link: its creator, or an admin or case manager of its municipality. Revoking a revoked link changes
    /// nothing and answers the same (the client's retry is safe).
    func revoke(_ id: UUID) async throws {
        try FamilyAccess.require(staff, .delete, .calendarLink)
        guard let link = try await GroupCalendarLink.find(id, on: db) else { throw AppError.notFound("link") }
        var relationships: Set<Relationship> = link.$municipality.id == staff.municipalityID ? [.sameMunicipality] : [.otherMunicipality]
        if link.$creator.id == staff.userID { relationships.insert(.own) }
        try FamilyAccess.require(staff, .delete, .calendarLink, relationships: relationships, notFound: "link")
        guard link.revokedAt == nil else { return }
        let now = clock.now
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            link.revokedAt = now
            try await link.update(on: tx)
            recorder.record(AuditEvent(action: "group.calendar-link.revoke", purpose: AuditPurpose.administration,
                                       detail: "link=\(id.uuidString)"))
        }
    }

    /// The series' links still working, newest first, for its page: each with whether the user may revoke it (its
    /// maker, or a case manager or admin of the municipality). The caller has shown the series (read access decided).
    func seriesLinks(_ seriesID: UUID) async throws -> [(link: GroupCalendarLink, mayRevoke: Bool)] {
        let links = try await GroupCalendarLink.query(on: db).filter(\.$series.$id == seriesID)
            .filter(\.$municipality.$id == staff.municipalityID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).sort(\.$id).all()
        return links.map { link in
            var relationships: Set<Relationship> = [.sameMunicipality]
            if link.$creator.id == staff.userID { relationships.insert(.own) }
            return (link, AccessPolicy.decide(role: staff.role, relationships: relationships, action: .delete,
                                              record: .calendarLink) == .allowed)
        }
    }

    /// The link `linkID` of `seriesID`, revoked (a link of another series is not found here).
    func revoke(_ linkID: UUID, of seriesID: UUID) async throws {
        try FamilyAccess.require(staff, .delete, .calendarLink)
        guard try await GroupCalendarLink.query(on: db).filter(\.$id == linkID).filter(\.$series.$id == seriesID).first() != nil
        else { throw AppError.notFound("link") }
        try await revoke(linkID)
    }

    /// 32 random bytes, base64url without padding (43 characters).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).hexString }
}

/// What the feed and the worklist read: sessions with their series, without any parent.
enum GroupCalendar {
    /// A session as the calendar and the worklist show it.
    struct Meeting: Sendable {
        let series: GroupSeries
        let session: GroupSession
        /// 1 for the series' first session by date and time.
        let number: Int
    }

    /// The feed of a token (the file name without `.ics`), or nil when the token is unknown or revoked: both answer
    /// the same 404, so a revoked link says nothing about whether it ever worked.
    static func feed(token: String, catalog: LocaleCatalog, clock: WallClock, on db: any Database) async throws -> String? {
        // A token is 43 base64url characters; anything else is not looked up at all.
        guard token.count == 43, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        guard let link = try await GroupCalendarLink.query(on: db).filter(\.$tokenHash == GroupCalendarService.digest(token)).first(),
              link.revokedAt == nil else { return nil }
        // A link lives no longer than its maker's account: a colleague who left takes their feeds along.
        guard let creator = try await User.find(link.$creator.id, on: db), creator.active else { return nil }
        let locale = StaffLocale.nl
        let meetings: [Meeting]
        let name: String
        var firstContacts: [ICalendarEvent] = []
        switch link.kind {
        case .series:
            guard let seriesID = link.$series.id, let series = try await GroupSeries.find(seriesID, on: db) else { return nil }
            meetings = series.status == .cancelled ? [] : try await Self.meetings(of: [series], on: db)
            name = title(series, catalog: catalog, locale: locale)
        case .facilitator:
            guard let userID = link.$user.id else { return nil }
            meetings = try await Self.meetings(ledOrJoinedBy: userID, on: db)
            name = catalog.text("calendar.facilitator.name", locale)
            // The first contacts they go along to (companion), read through the Referral feature's door.
            firstContacts = try await ReferralService.accompaniedFirstContacts(of: userID, on: db)
                .compactMap { firstContactEvent($0, catalog: catalog, locale: locale) }
        }
        let events = meetings.compactMap { meeting -> ICalendarEvent? in
            guard let date = CalendarDate(iso: meeting.session.date) else { return nil }
            return ICalendarEvent(uid: "\(meeting.session.id!.uuidString.lowercased())@wegwijs", date: date,
                                  startsAt: meeting.session.startsAt, endsAt: meeting.session.endsAt,
                                  summary: summary(meeting, catalog: catalog, locale: locale),
                                  location: place(meeting), description: description(meeting, catalog: catalog, locale: locale))
        }
        let all = (events + firstContacts).sorted { ($0.date, $0.startsAt, $0.uid) < ($1.date, $1.startsAt, $1.uid) }
        return ICalendar(name: name, events: all).render(stamp: clock.now)
    }

    /// A first contact one goes along to: "Eerste contact (begeleiding)" at its day, time and place, an hour long.
    /// Never the family, the offer or the organisation (the feed is readable by anyone holding the link). The UID is
    /// the referral's, so planning again moves the event; once made, cancelled or the consent withdrawn it is no
    /// longer in the feed and the calendar program drops it. Planned without a time: not in the feed (an event needs
    /// a start; the worklist shows it).
    static func firstContactEvent(_ contact: AccompaniedFirstContact, catalog: LocaleCatalog, locale: StaffLocale) -> ICalendarEvent? {
        guard let time = contact.time, let start = minutes(time) else { return nil }
        let end = min(start + firstContactMinutes, 23 * 60 + 59)
        return ICalendarEvent(uid: "first-contact-\(contact.referralID.uuidString.lowercased())@wegwijs", date: contact.date,
                              startsAt: time, endsAt: String(format: "%02d:%02d", end / 60, end % 60),
                              summary: catalog.text("calendar.firstContact", locale), location: contact.place,
                              description: catalog.text("calendar.firstContact.description", locale))
    }

    /// How long a first contact is in the calendar (the plan has only its start).
    static let firstContactMinutes = 60

    static func minutes(_ time: String) -> Int? {
        let parts = time.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    /// "Groep Tigrinya moeders": language and audience, never a person.
    static func title(_ series: GroupSeries, catalog: LocaleCatalog, locale: StaffLocale) -> String {
        catalog.text("calendar.group", locale) + " " + catalog.languageName(series.language, locale) + " "
            + catalog.label("audience", series.audience.rawValue, locale).lowercased()
    }

    /// "Groep Tigrinya moeders — bijeenkomst 2: Het schoolsysteem".
    static func summary(_ meeting: Meeting, catalog: LocaleCatalog, locale: StaffLocale) -> String {
        title(meeting.series, catalog: catalog, locale: locale) + " — " + catalog.text("calendar.session", locale)
            + " \(meeting.number): " + catalog.label("theme", meeting.session.topic, locale)
    }

    /// The session's own place, else the series' venue, else its district (or `online`).
    static func place(_ meeting: Meeting) -> String {
        meeting.session.place ?? meeting.series.location ?? meeting.series.place
    }

    static func description(_ meeting: Meeting, catalog: LocaleCatalog, locale: StaffLocale) -> String {
        var lines = [catalog.label("theme", meeting.session.topic, locale)]
        if meeting.series.interpreter { lines.append(catalog.text("calendar.interpreter", locale)) }
        if meeting.series.childcare { lines.append(catalog.text("calendar.childcare", locale)) }
        return lines.joined(separator: "\n")
    }

    /// Every session of these series, numbered within their series, by date and time.
    static func meetings(of series: [GroupSeries], onlySessions: Set<UUID>? = nil, on db: any Database) async throws -> [Meeting] {
        let ids = series.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let byID = Dictionary(series.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id ~~ ids)
            .sort(\.$date).sort(\.$startsAt).sort(\.$id).all()
        var numbers: [UUID: Int] = [:]
        var result: [Meeting] = []
        for session in sessions {
            let seriesID = session.$series.id
            numbers[seriesID, default: 0] += 1
            if let only = onlySessions, !only.contains(session.id!) { continue }
            if let series = byID[seriesID] { result.append(Meeting(series: series, session: session, number: numbers[seriesID]!)) }
        }
        return result
    }

    /// The sessions of the open series `userID` leads (trainer or key person), and those they join as a guest.
    static func meetings(ledOrJoinedBy userID: UUID, on db: any Database) async throws -> [Meeting] {
        let open: [GroupSeriesStatus] = [.planned, .running]
        let led = try await GroupSeries.query(on: db)
            .group(.or) { $0.filter(\.$trainer.$id == userID).filter(\.$keyPerson.$id == userID) }
            .filter(\.$status ~~ open).all()
        let guestSessions = try await guestSessionIDs(userID, on: db)
        let ledIDs = Set(led.compactMap(\.id))
        var guestSeries: [GroupSeries] = []
        if !guestSessions.isEmpty {
            let seriesIDs = Set(try await GroupSession.query(on: db).filter(\.$id ~~ guestSessions).all().map { $0.$series.id })
                .subtracting(ledIDs)
            if !seriesIDs.isEmpty {
                guestSeries = try await GroupSeries.query(on: db).filter(\.$id ~~ seriesIDs).filter(\.$status ~~ open).all()
            }
        }
        let all = try await meetings(of: led, on: db) + meetings(of: guestSeries, onlySessions: Set(guestSessions), on: db)
        return all.sorted { ($0.session.date, $0.session.startsAt, $0.session.id!.uuidString)
            < ($1.session.date, $1.session.startsAt, $1.session.id!.uuidString) }
    }

    /// The sessions `userID` is a partner guest of (`group_session_guests`, indexed by user).
    static func guestSessionIDs(_ userID: UUID, on db: any Database) async throws -> [UUID] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.select().column("session_id").from("group_session_guests")
            .where("user_id", .equal, userID).all()
            .map { try $0.decode(column: "session_id", as: UUID.self) }
    }

    // MARK: worklist

    /// Why a session is on someone's worklist.
    enum WorklistReason: String, Codable, CaseIterable, Sendable {
        /// The day before a session of a series one leads (trainer, key person).
        case tomorrow
        /// A session one joins as a partner guest, from 14 days before until the day itself.
        case guest
    }

    /// A partner guest sees the session this many days ahead.
    static let guestLeadDays = 14

    struct WorklistItem: Sendable {
        let reason: WorklistReason
        let meeting: Meeting
    }

    /// The group items on `staff`'s worklist on `today` (the application's clock): the sessions tomorrow of the open
    /// series they lead, and the sessions in the coming 14 days (today included) of the open series they are a guest
    /// of. Sessions only, never a parent: nothing here is family data, so no audit entry.
    static func worklistItems(for staff: StaffIdentity, today: CalendarDate, on db: any Database) async throws -> [WorklistItem] {
        let open: [GroupSeriesStatus] = [.planned, .running]
        let tomorrow = today.adding(days: 1).iso
        let led = try await GroupSeries.query(on: db).filter(\.$municipality.$id == staff.municipalityID)
            .group(.or) { $0.filter(\.$trainer.$id == staff.userID).filter(\.$keyPerson.$id == staff.userID) }
            .filter(\.$status ~~ open).all()
        var items = try await meetings(of: led, on: db).filter { $0.session.date == tomorrow }
            .map { WorklistItem(reason: .tomorrow, meeting: $0) }
        let guestSessions = try await guestSessionIDs(staff.userID, on: db)
        if !guestSessions.isEmpty {
            let last = today.adding(days: guestLeadDays).iso
            let upcoming = try await GroupSession.query(on: db).filter(\.$id ~~ guestSessions)
                .filter(\.$date >= today.iso).filter(\.$date <= last).all()
            let series = upcoming.isEmpty ? [] : try await GroupSeries.query(on: db)
                .filter(\.$id ~~ Set(upcoming.map { $0.$series.id })).filter(\.$municipality.$id == staff.municipalityID)
                .filter(\.$status ~~ open).all()
            items += try await meetings(of: series, onlySessions: Set(upcoming.compactMap(\.id)), on: db)
                .map { WorklistItem(reason: .guest, meeting: $0) }
        }
        return items.sorted { ($0.meeting.session.date, $0.meeting.session.startsAt) < ($1.meeting.session.date, $1.meeting.session.startsAt) }
    }

    /// A worklist item as the API shows it (`GET /api/v1/worklist`, `groupSessions`): codes, no wording.
    struct WorklistDTO: Content {
        let reason: String
        let seriesId: UUID
        let sessionId: UUID
        let number: Int
        let date: String
        let startsAt: String
        let endsAt: String
        let topic: String
        let language: String
        let audience: String
        let place: String

        init(_ item: WorklistItem) {
            reason = item.reason.rawValue
            seriesId = item.meeting.series.id!
            sessionId = item.meeting.session.id!
            number = item.meeting.number
            date = item.meeting.session.date
            startsAt = item.meeting.session.startsAt
            endsAt = item.meeting.session.endsAt
            topic = item.meeting.session.topic
            language = item.meeting.series.language
            audience = item.meeting.series.audience.rawValue
            place = GroupCalendar.place(item.meeting)
        }
    }

    /// A worklist line as a page shows it.
    struct WorklistRow: Encodable, Sendable {
        let reason: String
        let label: String
        let seriesId: UUID
        let title: String
        let date: String
        let time: String
        let place: String
    }

    /// The group items for the signed-in user, worded in their language (the worklist page, a partner's home page).
    static func worklistRows(_ request: Request) async throws -> [WorklistRow] {
        let staff = try request.requireStaff()
        let locale = request.staffLocale, catalog = request.application.locales
        return try await worklistItems(for: staff, today: request.clock.today, on: request.db).map { item in
            WorklistRow(reason: item.reason.rawValue, label: catalog.text("calendar.worklist.\(item.reason.rawValue)", locale),
                        seriesId: item.meeting.series.id!, title: summary(item.meeting, catalog: catalog, locale: locale),
                        date: item.meeting.session.date,
                        time: "\(item.meeting.session.startsAt)–\(item.meeting.session.endsAt)", place: place(item.meeting))
        }
    }

    /// Whether a role has group work to see on a worklist page even without family routes (a trainer).
    static func hasGroupWorklist(_ role: Role) -> Bool { FamilyAccess.may(role, .list, .groupSeries) }
}

extension Request {
    /// The calendar feed of a subscription token (no account: the token is the key), or nil for an unknown one.
    func groupCalendarFeed(token: String) async throws -> String? {
        try await GroupCalendar.feed(token: token, catalog: application.locales, clock: clock, on: db)
    }

    /// The group sessions coming up for `staff`, for their worklist.
    func groupWorklistItems(for staff: StaffIdentity) async throws -> [GroupCalendar.WorklistItem] {
        try await GroupCalendar.worklistItems(for: staff, today: clock.today, on: db)
    }
}
