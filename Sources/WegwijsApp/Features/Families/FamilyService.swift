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
    /// The one clock (see `WallClock`): every date rule of the family's records reads it.
    let clock: WallClock
    var today: CalendarDate { clock.today }
    /// What this request has shown (see `RequestReads`); nil outside a request, and then reads are audited at once.
    let reads: RequestReads?
    /// Tells the features that follow a family's changes (Referrals), in the change's transaction.
    let publish: @Sendable (DomainEvent, any Database, AuditRecorder) async throws -> Void

    init(request: Request) throws {
        self.reads = request.reads
        let events = request.application.domainEvents, staff = try request.requireStaff(), clock = request.clock
        let publicURL = request.application.storage[AppConfigKey.self]?.publicURL ?? "http://127.0.0.1:8080"
        let logger = request.logger
        self.publish = { event, tx, recorder in
            try await events.publish(event, DomainEventContext(tx: tx, recorder: recorder, staff: staff, clock: clock,
                                                               publicURL: publicURL, logger: logger))
        }
        self.db = request.db
        self.audit = request.audit
        self.staff = try request.requireStaff()
        self.catalog = request.application.locales
        self.clock = request.clock
    }

    init(db: any Database, audit: AuditLog, staff: StaffIdentity, catalog: LocaleCatalog, clock: WallClock, reads: RequestReads? = nil) {
        self.db = db
        self.audit = audit
        self.staff = staff
        self.catalog = catalog
        self.clock = clock
        self.reads = reads
        // Built outside a request, this service only reads; a change would need the subscribers.
        self.publish = { _, _, _ in
            throw AppError(status: .internalServerError, code: "internal-error", message: "Something went wrong on our side.")
        }
    }

    typealias Household = (family: Family, members: [Member])

    // MARK: reading

    // The list (`list`, `listPage`) is in FamilyListQuery.swift.

    /// The door for reading a family: one access decision per family and request (404 when out of reach), and what
    /// was shown noted for the request's one audit entry per family (`RequestReads`). Outside a request the entry is
    /// written at once. `action` names the section shown (`intake.read`, `screening.list`, …).
    func read(_ id: UUID, action: String = "family.read", detail: String = "") async throws -> Household {
        try FamilyAccess.requireRead(staff)
        let household: Household
        if let known = reads?.household(id) {
            household = known
        } else {
            household = try await load(id, on: db)
            reads?.remember(household)
        }
        if let reads {
            reads.noteShown(id, reference: household.family.reference, action: action, detail: detail, by: AuditSubject(staff))
        } else {
            try await audit.record([AuditEvent(action: action, familyID: id, familyReference: household.family.reference, detail: detail)],
                                   by: AuditSubject(staff), on: db)
        }
        return household
    }

    /// The door for changing a family's records: loads the family inside the caller's audited transaction (the
    /// recorder proves there is one), 404 when out of reach. The caller records what it changed.
    func loadForChange(_ id: UUID, on tx: any Database, recorder: AuditRecorder) async throws -> Household {
        reads?.forget(id)
        return try await load(id, on: tx)
    }

    /// Refuses a family out of reach with 404 before anything else is said about a request; shows nothing, so it
    /// writes no audit entry.
    func requireInReach(_ id: UUID) async throws {
        guard try await FamilyAccess.scope(Family.query(on: db), to: staff).filter(\.$id == id).count() == 1 else {
            throw AppError.notFound("family")
        }
    }

    // MARK: writing

    /// `duplicateOverride`: the case manager saw possible duplicates (`possibleDuplicates`) and registers anyway, for
    /// this reason (kept in the audit entry).
    func create(household draft: HouseholdDraft, members: [MemberDraft], assignment: FamilyAssignment,
                duplicateOverride: DuplicateOverride? = nil) async throws -> Household {
        try await validateRegistration(household: draft, members: members, assignment: assignment)

        let staff = self.staff, service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let family = Family()
            family.id = UUID()
            family.version = 1
            family.reference = FamilyReference.make()
            family.$municipality.id = staff.municipalityID
            family.status = .active
            family.registeredOn = today.iso
            Self.apply(draft, assignment: assignment, defaultCaseManager: staff.userID, to: family)
            let rows = Self.makeMembers(members, family: family)
            Self.refreshIndexes(family, members: rows)
            try await family.create(on: tx)
            try await rows.create(on: tx)
            try await FamilyCodes.store(family, members: rows, on: tx)
            try await service.publish(.familyChanged(familyID: family.id!), tx, recorder)
            recorder.record(AuditEvent(action: "family.create", familyID: family.id, familyReference: family.reference,
                                       detail: "members=\(rows.count)" + (duplicateOverride.map { " duplicate-override=\($0.rawValue)" } ?? "")))
            return (family, rows)
        }
    }

    /// What `create` refuses, without creating anything (the web form checks it before it looks for duplicates).
    func validateRegistration(household draft: HouseholdDraft, members: [MemberDraft], assignment: FamilyAssignment) async throws {
        try FamilyAccess.requireChange(staff)
        var errors = FamilyValidation.validate(household: draft) + FamilyValidation.validate(members: members, today: today)
        errors += try await validate(assignment)
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
    }

    func update(_ id: UUID, household draft: HouseholdDraft, assignment: FamilyAssignment, version: Int?) async throws -> Household {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        var errors = FamilyValidation.validate(household: draft)
        errors += try await validate(assignment)
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let service = self
        return try await change(id, version: version, action: "family.update") { family, members, tx, recorder in
            let lead = family.$caseManager.id
            Self.apply(draft, assignment: assignment, defaultCaseManager: family.$caseManager.id, to: family)
            Self.refreshIndexes(family, members: members)
            // The family's referrals report to its lead: a new lead gets them.
            if let newLead = family.$caseManager.id, newLead != lead {
                try await service.publish(.leadChanged(familyID: id, newLead: newLead), tx, recorder)
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
        return try await change(id, version: version, action: "family.close") { family, _, _, _ in
            guard family.status == .active else {
                throw AppError(status: .conflict, code: "already-closed", message: "This family's file is already closed.")
            }
            family.status = .closed
            family.closedReason = reason
            family.closedNote = note?.trimmed.nilIfEmpty
            return "reason=\(reason)"
        }
    }

    func reopen(_ id: UUID, version: Int?) async throws -> Household {
        try FamilyAccess.requireChange(staff)
        guard let version else { throw AppError.versionRequired }
        return try await change(id, version: version, action: "family.reopen") { family, _, _, _ in
            guard family.status == .closed else {
                throw AppError(status: .conflict, code: "not-closed", message: "This family's file is not closed.")
            }
            family.status = .active
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
    /// Private: other code goes through `read` (audited) or `loadForChange` (inside an audited transaction).
    private func load(_ id: UUID, on database: any Database) async throws -> Household {
        guard let family = try await FamilyAccess.scope(Family.query(on: database), to: staff)
            .filter(\.$id == id).first() else { throw AppError.notFound("family") }
        let members = try await Member.query(on: database).filter(\.$family.$id == id).sort(\.$position).all()
        try await FamilyCodes.load([family], members: members, on: database)
        return (family, members)
    }

    /// Runs a change of the household in one audited transaction, refusing a stale version.
    private func change(_ id: UUID, version: Int, action: String,
                        _ body: @escaping @Sendable (Family, [Member], any Database, AuditRecorder) async throws -> String) async throws -> Household {
        let service = self
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let (family, members) = try await service.loadForChange(id, on: tx, recorder: recorder)
            guard family.version == version else { throw AppError.staleVersion }
            let detail = try await body(family, members, tx, recorder)
            family.version += 1
            try await family.update(on: tx)
            try await FamilyCodes.store(family, members: [], on: tx)
            try await service.publish(.familyChanged(familyID: id), tx, recorder)
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
            var (family, members) = try await service.loadForChange(familyID, on: tx, recorder: recorder)
            let change = try body(family, &members)
            try await change.created.create(on: tx)
            for member in change.updated { try await member.update(on: tx) }
            if let deleted = change.deleted { try await deleted.delete(on: tx) }
            Self.refreshIndexes(family, members: change.all)
            family.version += 1
            try await family.update(on: tx)
            try await FamilyCodes.store(family, members: change.created + change.updated, on: tx)
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
        family.situations = CodeList.unique(draft.situations)
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

    /// Keeps the denormalised search column and the family's languages in step with the members.
    static func refreshIndexes(_ family: Family, members: [Member]) {
        var languages: [String] = []
        var names = [family.name]
        for member in members {
            languages += member.languagesSpoken + member.languagesRead
            names.append(member.givenName)
            if let familyName = member.familyName { names.append(familyName) }
        }
        family.languages = CodeList.unique(languages)
        let firstParent = members.filter { $0.role == .parent }.min { $0.position < $1.position }
        family.profileOrigin = firstParent?.countryOfOrigin
        family.profileLanguage = firstParent?.languagesSpoken.first
        family.searchText = names.joined(separator: " ").lowercased()
        // The reference too ("W-TKUN-GRLP"): partners and the audit log name a family by it.
        family.nameTokens = NameTokens.tokens(of: (names + [family.reference]).joined(separator: " "))
    }

    func membersByFamily(_ ids: [UUID], on database: any Database) async throws -> [UUID: [Member]] {
        guard !ids.isEmpty else { return [:] }
        let members = try await Member.query(on: database).filter(\.$family.$id ~~ ids).sort(\.$position).all()
        try await FamilyCodes.load([], members: members, on: database)
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
