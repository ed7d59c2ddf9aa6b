import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// Everything about families that the API and the web UI share: scoping, validation, versioning and auditing.
/// Every method checks access first, runs in one transaction, and writes its audit entries in that transaction.
struct FamilyService {
    let db: any Database
    let audit: AuditLog
    let staff: StaffIdentity
    let catalog: LocaleCatalog
    let today: CalendarDate
    let caches: FamilyListCaches

    init(request: Request) throws {
        self.db = request.db
        self.audit = request.audit
        self.caches = request.application.familyListCaches
        self.staff = try request.requireStaff()
        self.catalog = request.application.locales
        self.today = .todayInNetherlands()
    }

    init(db: any Database, audit: AuditLog, staff: StaffIdentity, catalog: LocaleCatalog, today: CalendarDate,
         caches: FamilyListCaches = FamilyListCaches(enabled: false)) {
        self.caches = caches
        self.db = db
        self.audit = audit
        self.staff = staff
        self.catalog = catalog
        self.today = today
    }

    typealias Household = (family: Family, members: [Member])

    // MARK: reading

    func list(filter: FamilyFilter, page: PageRequest) async throws -> (items: [Household], total: Int) {
        let query = try listQuery(filter)
        let (items, total) = try await readPage(query, page)
        try await auditList(items.map { ($0.family.id!, $0.family.reference) })
        return (items, total)
    }

    /// The list as the API sends it. The encoded page is remembered until the next write (see `DerivedCache`);
    /// the access check and the audit entries happen on every request all the same.
    /// `variant` names whatever else `render` depends on besides scope, filter and page.
    func listRendered(filter: FamilyFilter, page: PageRequest, variant: String,
                      render: @escaping @Sendable ([Household], Int) throws -> ByteBuffer) async throws -> ByteBuffer {
        let query = try listQuery(filter)
        let key = [query.cacheKey, String(page.page), String(page.per), variant].joined(separator: "\u{1F}")
        let rendered = try await caches.pages.value(key, version: audit.writes.current) {
            let (items, total) = try await readPage(query, page)
            return RenderedFamilyPage(body: try render(items, total), families: items.map { ($0.family.id!, $0.family.reference) })
        }
        try await auditList(rendered.families)
        return rendered.body
    }

    private func listQuery(_ filter: FamilyFilter) throws -> FamilyListQuery {
        try FamilyAccess.requireRead(staff)
        let errors = filter.validate()
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        guard let sql = db as? any SQLDatabase else {
            throw AppError(status: .internalServerError, code: "database-unsupported", message: "Wegwijs needs an SQL database.")
        }
        return FamilyListQuery(sql: sql, staff: staff, filter: filter)
    }

    private func readPage(_ query: FamilyListQuery, _ page: PageRequest) async throws -> (items: [Household], total: Int) {
        let total = try await caches.counts.value(query.cacheKey, version: audit.writes.current) { try await query.count() }
        // Past the last page there is nothing to read.
        let items = page.offset < total ? try await query.page(page) : []
        return (items, total)
    }

    /// One entry per family shown: a list reveals names, so it is an access to each of them.
    private func auditList(_ families: [(id: UUID, reference: String)]) async throws {
        try await audit.record(families.map {
            AuditEvent(action: "family.list", familyID: $0.id, familyReference: $0.reference)
        }, by: AuditSubject(staff), on: db)
    }

    func read(_ id: UUID, action: String = "family.read") async throws -> Household {
        try FamilyAccess.requireRead(staff)
        let household = try await load(id, on: db)
        try await audit.record([AuditEvent(action: action, familyID: id, familyReference: household.family.reference)],
                               by: AuditSubject(staff), on: db)
        return household
    }

    // MARK: writing

    func create(household draft: HouseholdDraft, members: [MemberDraft], assignment: FamilyAssignment) async throws -> Household {
        try FamilyAccess.requireChange(staff)
        var errors = FamilyValidation.validate(household: draft) + FamilyValidation.validate(members: members, today: today)
        errors += try await validate(assignment)
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }

        let staff = self.staff
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let family = Family()
            family.id = UUID()
            family.version = 1
            family.reference = FamilyReference.make()
            family.$municipality.id = staff.municipalityID
            family.status = FamilyStatus.active.rawValue
            Self.apply(draft, assignment: assignment, defaultCaseManager: staff.userID, to: family)
            let rows = Self.makeMembers(members, family: family)
            Self.refreshIndexes(family, members: rows)
            try await family.create(on: tx)
            try await rows.create(on: tx)
            recorder.record(AuditEvent(action: "family.create", familyID: family.id, familyReference: family.reference,
                                       detail: "members=\(rows.count)"))
            return (family, rows)
        }
    }

    func update(_ id: UUID, household draft: HouseholdDraft, assignment: FamilyAssignment, version: Int?) async throws -> Household {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        var errors = FamilyValidation.validate(household: draft)
        errors += try await validate(assignment)
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        return try await change(id, version: version, action: "family.update") { family, members, tx in
            let lead = family.$caseManager.id
            Self.apply(draft, assignment: assignment, defaultCaseManager: family.$caseManager.id, to: family)
            Self.refreshIndexes(family, members: members)
            // The family's referrals report to its lead: a new lead gets them.
            if let newLead = family.$caseManager.id, newLead != lead {
                try await ReferralService.leadChanged(familyID: id, to: newLead, on: tx)
            }
            return "fields=household"
        }
    }

    func close(_ id: UUID, reason: String, note: String?, version: Int?) async throws -> Household {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        guard ClosingReason.isKnown(reason) else {
            throw AppError.invalid([FieldError("reason", reason.isEmpty ? "required" : "unknown-code")], catalog: catalog)
        }
        if let note, note.count > FamilyValidation.maxTextLength {
            throw AppError.invalid([FieldError("note", "too-long")], catalog: catalog)
        }
        return try await change(id, version: version, action: "family.close") { family, _, _ in
            guard family.status == FamilyStatus.active.rawValue else {
                throw AppError(status: .conflict, code: "already-closed", message: "This family's file is already closed.")
            }
            family.status = FamilyStatus.closed.rawValue
            family.closedReason = reason
            family.closedNote = note?.trimmed.nilIfEmpty
            return "reason=\(reason)"
        }
    }

    func reopen(_ id: UUID, version: Int?) async throws -> Household {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        return try await change(id, version: version, action: "family.reopen") { family, _, _ in
            guard family.status == FamilyStatus.closed.rawValue else {
                throw AppError(status: .conflict, code: "not-closed", message: "This family's file is not closed.")
            }
            family.status = FamilyStatus.active.rawValue
            family.closedReason = nil
            family.closedNote = nil
            return ""
        }
    }

    // MARK: members

    func addMember(to familyID: UUID, _ draft: MemberDraft) async throws -> Member {
        try FamilyAccess.requireChange(staff)
        let today = self.today, catalog = self.catalog
        let newID = UUID()
        let household = try await changeMembers(familyID, version: nil, action: "member.create") { family, members in
            try Self.check(draft, at: members.count, among: members.map(\.draft) + [draft], today: today, catalog: catalog)
            let member = Self.makeMembers([draft], family: family, startingAt: (members.map(\.position).max() ?? -1) + 1)[0]
            member.id = newID
            return (members + [member], [member], [], nil)
        }
        return household.members.first { $0.id == newID }!
    }

    func updateMember(_ memberID: UUID, of familyID: UUID, _ draft: MemberDraft, version: Int?) async throws -> Member {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        let today = self.today, catalog = self.catalog
        let household = try await changeMembers(familyID, version: nil, action: "member.update") { family, members in
            guard let index = members.firstIndex(where: { $0.id == memberID }) else { throw AppError.notFound("member") }
            guard members[index].version == version else { throw AppError.staleVersion }
            var drafts = members.map(\.draft)
            drafts[index] = draft
            try Self.check(draft, at: index, among: drafts, today: today, catalog: catalog)
            members[index].apply(draft)
            members[index].version += 1
            return (members, [], [members[index]], nil)
        }
        return household.members.first { $0.id == memberID }!
    }

    func deleteMember(_ memberID: UUID, of familyID: UUID, version: Int?) async throws {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        _ = try await changeMembers(familyID, version: nil, action: "member.delete") { family, members in
            guard let index = members.firstIndex(where: { $0.id == memberID }) else { throw AppError.notFound("member") }
            guard members[index].version == version else { throw AppError.staleVersion }
            let removed = members.remove(at: index)
            return (members, [], [], removed)
        }
    }

    // MARK: helpers

    /// Loads a family with its members if `staff` may see it; 404 otherwise (also for other municipalities).
    func load(_ id: UUID, on database: any Database) async throws -> Household {
        guard let family = try await FamilyAccess.scope(Family.query(on: database), to: staff)
            .filter(\.$id == id).first() else { throw AppError.notFound("family") }
        let members = try await Member.query(on: database).filter(\.$family.$id == id).sort(\.$position).all()
        return (family, members)
    }

    /// Runs a change of the household in one audited transaction, refusing a stale version.
    private func change(_ id: UUID, version: Int, action: String,
                        _ body: @escaping @Sendable (Family, [Member], any Database) async throws -> String) async throws -> Household {
        let service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (family, members) = try await service.load(id, on: tx)
            guard family.version == version else { throw AppError.staleVersion }
            let detail = try await body(family, members, tx)
            family.version += 1
            try await family.update(on: tx)
            recorder.record(AuditEvent(action: action, familyID: id, familyReference: family.reference, detail: detail))
            return (family, members)
        }
    }

    private typealias MemberChange = (all: [Member], created: [Member], updated: [Member], deleted: Member?)

    /// Changes members of a family in one audited transaction, keeping the family's search indexes in step.
    private func changeMembers(_ familyID: UUID, version: Int?, action: String,
                               _ body: @escaping @Sendable (Family, inout [Member]) throws -> MemberChange) async throws -> Household {
        let service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            var (family, members) = try await service.load(familyID, on: tx)
            let change = try body(family, &members)
            try await change.created.create(on: tx)
            for member in change.updated { try await member.update(on: tx) }
            if let deleted = change.deleted { try await deleted.delete(on: tx) }
            Self.refreshIndexes(family, members: change.all)
            family.version += 1
            try await family.update(on: tx)
            recorder.record(AuditEvent(action: action, familyID: familyID, familyReference: family.reference))
            return (family, change.all)
        }
    }

    /// Validates one member in the context of the others; problems with other members caused by this one
    /// (a child born before this parent could have been) are reported on this member's birth field.
    private static func check(_ draft: MemberDraft, at index: Int, among drafts: [MemberDraft], today: CalendarDate,
                              catalog: LocaleCatalog) throws {
        let errors = FamilyValidation.validate(members: drafts, today: today, fieldPrefix: { "m\($0)" })
        var own: [FieldError] = []
        for error in errors {
            if error.field.hasPrefix("m\(index).") {
                own.append(FieldError(String(error.field.dropFirst("m\(index).".count)), error.code))
            } else if error.code == "born-before-parent" {
                own.append(FieldError(draft.birthDate != nil ? "birthDate" : "birthYear", "born-before-parent"))
            }
        }
        guard own.isEmpty else { throw AppError.invalid(own, catalog: catalog) }
    }

    /// The people assigned must be staff of this municipality with the matching role.
    private func validate(_ assignment: FamilyAssignment) async throws -> [FieldError] {
        let wanted: [(String, UUID?, Role)] = [("caseManagerId", assignment.caseManagerID, .caseManager),
                                               ("keyPersonId", assignment.keyPersonID, .keyPerson),
                                               ("socialWorkerId", assignment.socialWorkerID, .socialWorker)]
        var errors: [FieldError] = []
        for (field, id, role) in wanted {
            guard let id else { continue }
            let user = try await User.query(on: db).filter(\.$id == id)
                .filter(\.$municipality.$id == staff.municipalityID).filter(\.$active == true).first()
            if user?.role != role.rawValue { errors.append(FieldError(field, "unknown-user")) }
        }
        return errors
    }

    private static func apply(_ draft: HouseholdDraft, assignment: FamilyAssignment, defaultCaseManager: UUID?, to family: Family) {
        family.name = draft.name.trimmed
        family.address = draft.address?.trimmed.nilIfEmpty
        family.postcode = draft.postcode.map(FamilyValidation.normalisedPostcode)?.nilIfEmpty
        family.contactPreference = draft.contactPreference
        family.situationCodes = CodeList.encode(draft.situations)
        family.$caseManager.id = assignment.caseManagerID ?? defaultCaseManager
        family.$keyPerson.id = assignment.keyPersonID
        family.$socialWorker.id = assignment.socialWorkerID
    }

    static func makeMembers(_ drafts: [MemberDraft], family: Family, startingAt start: Int = 0) -> [Member] {
        drafts.enumerated().map { offset, draft in
            let member = Member()
            member.id = UUID()
            member.version = 1
            member.position = start + offset
            member.$family.id = family.id!
            member.$municipality.id = family.$municipality.id
            member.apply(draft)
            return member
        }
    }

    /// Keeps the denormalised search columns in step with the members.
    static func refreshIndexes(_ family: Family, members: [Member]) {
        var languages: [String] = []
        var names = [family.name]
        for member in members {
            languages += CodeList.decode(member.languagesSpoken) + CodeList.decode(member.languagesRead)
            names.append(member.givenName)
            if let familyName = member.familyName { names.append(familyName) }
        }
        family.languageCodes = CodeList.encode(languages)
        family.searchText = names.joined(separator: " ").lowercased()
    }

    func membersByFamily(_ ids: [UUID], on database: any Database) async throws -> [UUID: [Member]] {
        guard !ids.isEmpty else { return [:] }
        let members = try await Member.query(on: database).filter(\.$family.$id ~~ ids).sort(\.$position).all()
        return Dictionary(grouping: members, by: { $0.$family.id })
    }
}

/// Short, random, non-personal references (`W-7K3M-Q9PX`): letters and digits that cannot be confused.
enum FamilyReference {
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    static func make() -> String {
        let chars = (0..<8).map { _ in alphabet.randomElement()! }
        return "W-" + String(chars[0..<4]) + "-" + String(chars[4..<8])
    }
}

extension CalendarDate {
    /// Today in the Netherlands, where the families and the staff are.
    static func todayInNetherlands(_ now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
