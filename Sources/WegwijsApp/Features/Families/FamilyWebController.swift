import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The family pages of the staff UI: my families, the list with search and filters, the family page, and the
/// forms to register, edit and close a family and to add, edit and remove members.
struct FamilyWebController: RouteCollection {
    static let memberSlots: [(role: MemberRole, count: Int)] = [(.parent, 2), (.child, 4)]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("my-families", use: myFamilies)
        let families = routes.grouped("families")
        families.get(use: list)
        families.post("search", use: search)
        families.get("new", use: newForm)
        families.post("new", use: create)
        let family = families.grouped(":familyID")
        family.get(use: show)
        family.get("edit", use: editForm)
        family.post("edit", use: update)
        family.get("close", use: closeForm)
        family.post("close", use: close)
        family.post("reopen", use: reopen)
        family.get("members", "new", use: newMemberForm)
        family.post("members", "new", use: addMember)
        family.get("members", ":memberID", "edit", use: editMemberForm)
        family.post("members", ":memberID", "edit", use: updateMember)
        family.get("members", ":memberID", "delete", use: deleteMemberForm)
        family.post("members", ":memberID", "delete", use: deleteMember)
    }

    // MARK: lists

    struct FamilyRow: Encodable {
        let id: UUID
        let reference: String
        let name: String
        let status: String
        let situations: [String]
        let languages: String
        let parents: Int
        let children: Int
    }

    struct Pagination: Encodable {
        let page: Int
        let pages: Int
        let total: Int
        let previous: Int?
        let next: Int?

        init(_ paging: PageRequest, total: Int) {
            page = paging.page
            pages = max(1, (total + paging.per - 1) / paging.per)
            self.total = total
            previous = page > 1 ? page - 1 : nil
            next = page < pages ? page + 1 : nil
        }
    }

    struct ListContext: Encodable {
        let page: PageInfo
        let mine: Bool
        let filter: FamilyFilter
        let languageOptions: [Choice]
        let situationOptions: [Choice]
        let statusOptions: [Choice]
        let families: [FamilyRow]
        let pagination: Pagination
        let errors: [String: String]
        /// The report's drill-down filters in words ("Open question: Health · Own language of the first parent: Tigrinya").
        let drillDown: String?
        let hasFilter: Bool
    }

    static func drillDown(_ filter: FamilyFilter, _ request: Request) -> String? {
        let catalog = request.application.locales, locale = request.staffLocale
        var parts: [String] = []
        if let theme = filter.openNeed?.nilIfEmpty, Theme.isKnown(theme) {
            parts.append(request.t("families.filter.openNeed") + ": " + catalog.label("theme", theme, locale))
        }
        if let language = filter.parentLanguage?.nilIfEmpty, Languages.isKnown(language) {
            parts.append(request.t("families.filter.parentLanguage") + ": " + catalog.languageName(language, locale))
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    func myFamilies(_ request: Request) async throws -> Response {
        try await renderList(request, mine: true)
    }

    func list(_ request: Request) async throws -> Response {
        try await renderList(request, mine: false)
    }

    /// The search form posts here; the filter is kept in the session and the browser is sent back to the list,
    /// so names never appear in a URL.
    func search(_ request: Request) async throws -> Response {
        // As the list it leads to: refused before a filter is remembered.
        try FamilyAccess.require(try request.requireStaff(), .list, .family)
        let form = try FormFields(request)
        let target = form["scope"] == "mine" ? "/my-families" : "/families"
        if form["clear"] != nil {
            request.session.data[SessionKeys.familyFilter] = nil
        } else {
            // `openNeed` and `parentLanguage` come from a report's drill-down (a gap in demand against supply) and
            // stay while the other filters change.
            let filter = FamilyFilter(name: form["name"], language: form["language"], situation: form["situation"],
                                      status: form["status"], openNeed: form["openNeed"], parentLanguage: form["parentLanguage"])
            let data = try JSONEncoder().encode(filter)
            request.session.data[SessionKeys.familyFilter] = String(decoding: data, as: UTF8.self)
        }
        return request.redirect(to: target)
    }

    private func renderList(_ request: Request, mine: Bool) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireRead(service.staff)
        var filter = request.session.data[SessionKeys.familyFilter]
            .flatMap { try? JSONDecoder().decode(FamilyFilter.self, from: Data($0.utf8)) } ?? FamilyFilter()
        filter.mine = mine ? true : nil
        let paging = (try? PageRequest.from(request)) ?? PageRequest()
        let locale = request.staffLocale
        let catalog = request.application.locales
        var errors: [String: String] = [:]
        var rows: [FamilyRow] = []
        var total = 0
        do {
            let result = try await service.list(filter: filter, page: paging)
            total = result.total
            rows = result.items.map { family, members in
                FamilyRow(id: family.id!, reference: family.reference, name: family.name, status: family.status.rawValue,
                          situations: family.situations.map { catalog.label("situation", $0, locale) },
                          languages: NameResolver.languageNames(family.languages, locale),
                          parents: members.filter { $0.role == .parent }.count,
                          children: members.filter { $0.role == .child }.count)
            }
        } catch let error as AppError where error.status == .unprocessableEntity {
            // Each field's own message ("type at least two letters", "we do not know this value").
            errors = error.fields.mapValues { _ in catalog.text("error.unknown-code", locale) }
            for field in error.fieldCodes ?? [] { errors[field.field] = catalog.text("error.\(field.code)", locale) }
        }
        let context = ListContext(
            page: PageInfo(request, titleKey: mine ? "families.mine.title" : "families.list.title"),
            mine: mine, filter: filter,
            languageOptions: Self.languageChoices(locale, selected: filter.language),
            situationOptions: catalog.choices(Situation.self, "situation", locale, selected: [filter.situation].compactMap { $0 }),
            statusOptions: catalog.choices(FamilyStatus.self, "familyStatus", locale, selected: [filter.status].compactMap { $0 }),
            families: rows,
            pagination: Pagination(paging, total: total),
            errors: errors,
            drillDown: Self.drillDown(filter, request),
            hasFilter: [filter.name, filter.language, filter.situation, filter.status, filter.openNeed, filter.parentLanguage]
                .contains { $0?.isEmpty == false })
        return try await request.render("families/list", context)
    }

    // MARK: the family page

    struct MemberView: Encodable {
        let id: UUID
        let role: String
        let name: String
        let gender: String?
        let birth: String?
        /// The full date of birth, when known, for `<time>`; `birth` is the year otherwise.
        let birthDate: String?
        let age: Int?
        let country: String?
        let languagesSpoken: String?
        let languagesRead: String?
        let dutchLevel: String?
        let arrivalDate: String?
        let settlementDate: String?
        let schoolOrChildcare: String?
        let bsn: String?
        let hasBsn: Bool
        let version: Int
    }

    struct ShowContext: Encodable {
        let page: PageInfo
        let family: FamilyView
        let parents: [MemberView]
        let children: [MemberView]
        let canChange: Bool
    }

    struct FamilyView: Encodable {
        let id: UUID
        let reference: String
        let name: String
        let status: String
        let closedReason: String?
        let closedNote: String?
        let address: String?
        let postcode: String?
        let contactPreference: String?
        let situations: [String]
        let caseManager: String?
        let keyPerson: String?
        let socialWorker: String?
        let version: Int
    }

    func show(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        let (family, members) = try await service.read(try familyID(request))
        let locale = request.staffLocale
        let catalog = request.application.locales
        let people = try await request.colleagues.displayNames([family.$caseManager.id, family.$keyPerson.id, family.$socialWorker.id])
        let today = request.clock.today
        let showBSN = FamilyAccess.maySeeBSN(service.staff)
        let views = members.map { member -> MemberView in
            let birthDate = member.birthDate.flatMap(CalendarDate.init(iso:))
            return MemberView(
                id: member.id!, role: member.role.rawValue,
                name: [member.givenName, member.familyName].compactMap { $0 }.joined(separator: " "),
                gender: member.gender.map { catalog.label("gender", $0, locale) },
                birth: member.birthDate ?? member.birthYear.map(String.init), birthDate: member.birthDate,
                age: birthDate.map { $0.years(until: today) } ?? member.birthYear.map { today.year - $0 },
                country: member.countryOfOrigin.map { catalog.countryName($0, locale) },
                languagesSpoken: NameResolver.languageNames(member.languagesSpoken, locale).nilIfEmpty,
                languagesRead: NameResolver.languageNames(member.languagesRead, locale).nilIfEmpty,
                dutchLevel: member.dutchLevel.map { catalog.label("dutchLevel", $0, locale) },
                arrivalDate: member.arrivalDate, settlementDate: member.settlementDate,
                schoolOrChildcare: member.schoolOrChildcare, bsn: showBSN ? member.bsn : nil, hasBsn: member.bsn != nil,
                version: member.version)
        }
        let view = FamilyView(
            id: family.id!, reference: family.reference, name: family.name, status: family.status.rawValue,
            closedReason: family.closedReason.map { catalog.label("closingReason", $0, locale) },
            closedNote: family.closedNote, address: family.address, postcode: family.postcode,
            contactPreference: family.contactPreference.map { catalog.label("contactPreference", $0, locale) },
            situations: family.situations.map { catalog.label("situation", $0, locale) },
            caseManager: family.$caseManager.id.flatMap { people[$0] }, keyPerson: family.$keyPerson.id.flatMap { people[$0] },
            socialWorker: family.$socialWorker.id.flatMap { people[$0] }, version: family.version)
        let context = ShowContext(page: PageInfo(request, titleKey: "family.title"), family: view,
                                  parents: views.filter { $0.role == MemberRole.parent.rawValue },
                                  children: views.filter { $0.role == MemberRole.child.rawValue },
                                  canChange: FamilyAccess.mayChangeFamilies(service.staff.role))
        return try await request.render("families/show", context)
    }

    // MARK: register and edit

    struct HouseholdValues: Encodable {
        var name = ""
        var address = ""
        var postcode = ""
        var contactPreference = ""
        var situations: [String] = []
        var caseManagerId = ""
        var keyPersonId = ""
        var socialWorkerId = ""
    }

    struct MemberValues: Encodable {
        var role = MemberRole.parent.rawValue
        var givenName = ""
        var familyName = ""
        var gender = ""
        var birthDate = ""
        var birthYear = ""
        var countryOfOrigin = ""
        var languagesSpoken = ""
        var languagesRead = ""
        var dutchLevel = ""
        var arrivalDate = ""
        var settlementDate = ""
        var schoolOrChildcare = ""
        var bsn = ""
    }

    struct MemberSlot: Encodable {
        let prefix: String
        let legend: String
        let values: MemberValues
        let errors: [String: String]
        let genderOptions: [Choice]
        let dutchLevelOptions: [Choice]
        let isParent: Bool
        /// The single-member form shows every field: the role can change there.
        let showAll: Bool
    }

    struct FamilyFormContext: Encodable {
        let page: PageInfo
        let action: String
        let isNew: Bool
        let familyId: UUID?
        let version: Int?
        let values: HouseholdValues
        let errors: [String: String]
        let errorSummary: [ErrorLink]
        let situationOptions: [Choice]
        let contactOptions: [Choice]
        let caseManagerOptions: [Choice]
        let keyPersonOptions: [Choice]
        let socialWorkerOptions: [Choice]
        let members: [MemberSlot]
        let countries: [Choice]
        let languages: [Choice]
        /// Families that may be the one being registered, and why a case manager may register it anyway.
        var duplicates: [DuplicateRow] = []
        var overrideOptions: [Choice] = []
    }

    struct DuplicateRow: Encodable {
        let id: UUID
        let reference: String
        let name: String
        let members: String
        let reasons: String
    }

    func newForm(_ request: Request) async throws -> Response {
        let staff = try request.requireStaff()
        try FamilyAccess.requireChange(staff)
        var values = HouseholdValues()
        values.caseManagerId = staff.userID.uuidString
        let slots = Self.emptySlots()
        return try await renderFamilyForm(request, isNew: true, family: nil, values: values, slots: slots, errors: [],
                                          status: .ok)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let form = try FormFields(request)
        let values = Self.householdValues(form)
        var slots: [(prefix: String, values: MemberValues)] = []
        for (prefix, role) in Self.slotPrefixes() {
            var member = Self.memberValues(form, prefix: prefix)
            member.role = role.rawValue
            slots.append((prefix, member))
        }
        // Only the member blocks that were filled in count.
        let used = slots.filter { Self.isFilled($0.values) }
        // The panel sends an empty value beside the radio buttons, so "shown, nothing chosen" can be told apart.
        let override = form.all("duplicateOverride").first.flatMap(DuplicateOverride.init(rawValue:))
        let drafts = used.map { Self.draft($0.values) }
        // A pasted text in a languages field is refused as a whole, before the service reads it entry by entry.
        let local = used.enumerated().flatMap { k, slot in
            Self.tooLongFields(slot.values).map { FieldError("members[\(k)].\($0)", "too-long") }
        }
        do {
            // A form with mistakes is answered first; then, if the same household may be registered already, who
            // (unless the case manager chose to go on, and why).
            do {
                try await service.validateRegistration(household: Self.household(values), members: drafts,
                                                       assignment: Self.assignment(values))
            } catch let error as AppError where error.status == .unprocessableEntity && !local.isEmpty {
                throw AppError.invalid(local + (error.fieldCodes ?? []), catalog: request.application.locales)
            }
            if !local.isEmpty { throw AppError.invalid(local, catalog: request.application.locales) }
            if override == nil {
                let candidates = try await service.possibleDuplicates(household: Self.household(values),
                                                                      members: used.map { Self.draft($0.values) })
                if !candidates.isEmpty {
                    let errors = form.has("duplicateOverride")
                        ? [(field: "duplicateOverride", message: request.t("error.duplicate-reason-required"))] : []
                    return try await renderFamilyForm(request, isNew: true, family: nil, values: values, slots: slots,
                                                      errors: errors, status: .conflict, duplicates: candidates)
                }
            }
            let (family, _) = try await service.create(household: Self.household(values),
                                                       members: used.map { Self.draft($0.values) },
                                                       assignment: Self.assignment(values), duplicateOverride: override)
            request.setFlash("flash.familyCreated")
            return request.redirect(to: "/families/\(family.id!)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            // Map API field paths (members[k].x) to the form's slot fields (m0_x), each worded with its person.
            let words = Self.formErrors(request)
            let fieldErrors = words.messages(error.fieldCodes ?? []) { error in
                let field = error.field
                guard field.hasPrefix("members["), let close = field.firstIndex(of: "]"),
                      let k = Int(field[field.index(field.startIndex, offsetBy: 8)..<close]), k < used.count else {
                    return Self.householdPlace(field, words)
                }
                let base = Self.baseField(String(field[field.index(after: close)...].dropFirst()))
                return .init(formField: used[k].prefix + base, field: base, person: Self.slotPerson(used[k].prefix, words),
                             member: drafts[k])
            }
            return try await renderFamilyForm(request, isNew: true, family: nil, values: values,
                                              slots: slots, errors: fieldErrors, status: .unprocessableEntity)
        }
    }

    func editForm(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let (family, _) = try await service.read(try familyID(request), action: "family.read")
        var values = HouseholdValues()
        values.name = family.name
        values.address = family.address ?? ""
        values.postcode = family.postcode ?? ""
        values.contactPreference = family.contactPreference ?? ""
        values.situations = family.situations
        values.caseManagerId = family.$caseManager.id?.uuidString ?? ""
        values.keyPersonId = family.$keyPerson.id?.uuidString ?? ""
        values.socialWorkerId = family.$socialWorker.id?.uuidString ?? ""
        return try await renderFamilyForm(request, isNew: false, family: (family.id!, family.version), values: values,
                                          slots: [], errors: [], status: .ok)
    }

    func update(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let id = try familyID(request)
        let form = try FormFields(request)
        let values = Self.householdValues(form)
        let version = form["version"].flatMap(Int.init)
        do {
            _ = try await service.update(id, household: Self.household(values), assignment: Self.assignment(values),
                                         version: version)
            request.setFlash("flash.familyUpdated")
            return request.redirect(to: "/families/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let errors = error.status == .conflict
                ? [(field: "form", message: request.t("error.stale-version"))]
                : Self.formErrors(request).messages(error.fieldCodes ?? []) { Self.householdPlace($0.field, Self.formErrors(request)) }
            return try await renderFamilyForm(request, isNew: false, family: (id, version ?? 0), values: values, slots: [],
                                              errors: errors, status: error.status)
        }
    }

    // MARK: close and reopen

    struct CloseContext: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let version: Int
        let reasonOptions: [Choice]
        let note: String
        let errors: [String: String]
        let errorSummary: [ErrorLink]
    }

    func closeForm(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let (family, _) = try await service.read(try familyID(request))
        return try await renderClose(request, family: family, version: family.version, reason: "", note: "", errors: [],
                                     status: .ok)
    }

    func close(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let id = try familyID(request)
        let form = try FormFields(request)
        let version = form["version"].flatMap(Int.init)
        do {
            _ = try await service.close(id, reason: form["reason"] ?? "", note: form["note"], version: version)
            request.setFlash("flash.familyClosed")
            return request.redirect(to: "/families/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let (family, _) = try await service.read(id, action: "family.form")
            let errors = error.status == .conflict
                ? [(field: "reason", message: request.t(error.code == "already-closed" ? "error.already-closed" : "error.stale-version"))]
                : Self.fieldErrors(from: error, request: request) { $0 }
            return try await renderClose(request, family: family, version: version ?? family.version,
                                         reason: form["reason"] ?? "", note: form.raw("note"), errors: errors,
                                         status: error.status)
        }
    }

    func reopen(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        let id = try familyID(request)
        let form = try FormFields(request)
        do {
            _ = try await service.reopen(id, version: form["version"].flatMap(Int.init))
            request.setFlash("flash.familyReopened")
        } catch let error as AppError where error.status == .conflict {
            request.setFlash("error.stale-version")
        }
        return request.redirect(to: "/families/\(id)")
    }

    // MARK: members

    struct MemberFormContext: Encodable {
        let page: PageInfo
        let action: String
        let familyId: UUID
        let familyName: String
        let isNew: Bool
        let version: Int?
        let slot: MemberSlot
        let roleOptions: [Choice]
        let errorSummary: [ErrorLink]
        let countries: [Choice]
        let languages: [Choice]
    }

    func newMemberForm(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let (family, _) = try await service.read(try familyID(request))
        var values = MemberValues()
        values.role = (MemberRole(rawValue: request.query[String.self, at: "role"] ?? "") ?? .child).rawValue
        return try await renderMemberForm(request, family: family, memberID: nil, version: nil, values: values, errors: [],
                                          status: .ok)
    }

    func addMember(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let id = try familyID(request)
        let form = try FormFields(request)
        var values = Self.memberValues(form, prefix: "m_")
        values.role = form["m_role"] ?? "child"
        let draft = Self.draft(values)
        do {
            try Self.refuseTooLong(values, draft, request)
            _ = try await service.addMember(to: id, draft)
            request.setFlash("flash.memberAdded")
            return request.redirect(to: "/families/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let (family, _) = try await service.read(id, action: "family.form")
            return try await renderMemberForm(request, family: family, memberID: nil, version: nil, values: values,
                                              errors: Self.memberErrors(error, values, draft, request),
                                              status: .unprocessableEntity)
        }
    }

    func editMemberForm(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let (family, members) = try await service.read(try familyID(request), action: "member.read")
        let memberID = try request.uuidParameter("memberID", what: "member")
        guard let member = members.first(where: { $0.id == memberID }) else { throw AppError.notFound("member") }
        let locale = request.staffLocale
        var values = MemberValues()
        values.role = member.role.rawValue
        values.givenName = member.givenName
        values.familyName = member.familyName ?? ""
        values.gender = member.gender ?? ""
        values.birthDate = member.birthDate ?? ""
        values.birthYear = member.birthDate == nil ? member.birthYear.map(String.init) ?? "" : ""
        values.countryOfOrigin = NameResolver.countryName(member.countryOfOrigin, locale)
        values.languagesSpoken = LanguagePicker.text(member.languagesSpoken, locale)
        values.languagesRead = LanguagePicker.text(member.languagesRead, locale)
        values.dutchLevel = member.dutchLevel ?? ""
        values.arrivalDate = member.arrivalDate ?? ""
        values.settlementDate = member.settlementDate ?? ""
        values.schoolOrChildcare = member.schoolOrChildcare ?? ""
        values.bsn = FamilyAccess.maySeeBSN(service.staff) ? member.bsn ?? "" : ""
        return try await renderMemberForm(request, family: family, memberID: memberID, version: member.version,
                                          values: values, errors: [], status: .ok)
    }

    func updateMember(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let id = try familyID(request)
        let memberID = try request.uuidParameter("memberID", what: "member")
        let form = try FormFields(request)
        var values = Self.memberValues(form, prefix: "m_")
        values.role = form["m_role"] ?? "child"
        let version = form["version"].flatMap(Int.init)
        let draft = Self.draft(values)
        do {
            try Self.refuseTooLong(values, draft, request)
            _ = try await service.updateMember(memberID, of: id, draft, version: version)
            request.setFlash("flash.memberUpdated")
            return request.redirect(to: "/families/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            let (family, _) = try await service.read(id, action: "family.form")
            let errors = error.status == .conflict
                ? [(field: "m_givenName", message: request.t("error.stale-version"))]
                : Self.memberErrors(error, values, draft, request)
            return try await renderMemberForm(request, family: family, memberID: memberID, version: version, values: values,
                                              errors: errors, status: error.status)
        }
    }

    struct DeleteMemberContext: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let memberId: UUID
        let memberName: String
        let version: Int
    }

    /// Removing a member is asked once more, on a page of its own (no script needed): the button on the family page
    /// leads here, and only this page's button removes.
    func deleteMemberForm(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        try FamilyAccess.requireChange(service.staff)
        let (family, members) = try await service.read(try familyID(request), action: "member.read")
        let memberID = try request.uuidParameter("memberID", what: "member")
        guard let member = members.first(where: { $0.id == memberID }) else { throw AppError.notFound("member") }
        let name = [member.givenName, member.familyName ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        return try await request.render("families/member-delete", DeleteMemberContext(
            page: PageInfo(request, titleKey: "member.remove.title"), familyId: family.id!, familyName: family.name,
            memberId: memberID, memberName: name, version: member.version))
    }

    func deleteMember(_ request: Request) async throws -> Response {
        let service = try FamilyService(request: request)
        let id = try familyID(request)
        let form = try FormFields(request)
        do {
            try await service.deleteMember(try request.uuidParameter("memberID", what: "member"), of: id, version: form["version"].flatMap(Int.init))
            request.setFlash("flash.memberRemoved")
        } catch let error as AppError where error.status == .conflict {
            request.setFlash("error.stale-version")
        }
        return request.redirect(to: "/families/\(id)")
    }

    // MARK: rendering

    private func renderFamilyForm(_ request: Request, isNew: Bool, family: (id: UUID, version: Int)?,
                                  values: HouseholdValues, slots: [(prefix: String, values: MemberValues)],
                                  errors: [(field: String, message: String)], status: HTTPResponseStatus,
                                  duplicates: [DuplicateCandidate] = []) async throws -> Response {
        let staff = try request.requireStaff()
        let locale = request.staffLocale
        let catalog = request.application.locales
        let colleagues = try await request.colleagues.active(in: staff.municipalityID)
        func people(_ role: Role, _ selected: String) -> [Choice] {
            colleagues.filter { $0.role == role.rawValue }.map {
                Choice(value: $0.id!.uuidString, label: $0.displayName, selected: $0.id!.uuidString == selected)
            }
        }
        let errorMap = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        let memberSlots = slots.enumerated().map { index, slot in
            makeSlot(request, prefix: slot.prefix, values: slot.values, errors: errorMap,
                     legend: Self.slotLegend(slot.prefix, request: request))
        }
        var context = FamilyFormContext(
            page: PageInfo(request, titleKey: isNew ? "familyForm.newTitle" : "familyForm.editTitle"),
            action: isNew ? "/families/new" : "/families/\(family!.id)/edit",
            isNew: isNew, familyId: family?.id, version: family?.version, values: values, errors: errorMap,
            errorSummary: errors.filter { $0.field != "form" }.map { ErrorLink(field: $0.field, message: $0.message) },
            situationOptions: Situation.allCodes.map {
                Choice(value: $0, label: catalog.label("situation", $0, locale), selected: values.situations.contains($0))
            },
            contactOptions: ContactPreference.allCodes.map {
                Choice(value: $0, label: catalog.label("contactPreference", $0, locale), selected: values.contactPreference == $0)
            },
            caseManagerOptions: people(.caseManager, values.caseManagerId),
            keyPersonOptions: people(.keyPerson, values.keyPersonId),
            socialWorkerOptions: people(.socialWorker, values.socialWorkerId),
            members: memberSlots, countries: Self.countryOptions(locale), languages: Self.languageOptions(locale))
        if !duplicates.isEmpty {
            let born = catalog.text("duplicates.born", locale)
            context.duplicates = duplicates.map { candidate in
                DuplicateRow(id: candidate.id, reference: candidate.reference, name: candidate.name,
                             members: candidate.members.map { $0.givenName + ($0.birthYear.map { " (\(born) \($0))" } ?? "") }
                                 .joined(separator: ", "),
                             reasons: candidate.reasons.map { catalog.text("duplicates.reason.\($0.rawValue)", locale) }
                                 .joined(separator: " · "))
            }
            context.overrideOptions = catalog.choices(DuplicateOverride.self, "duplicateOverride", locale, selected: [])
        }
        return try await request.render("families/form", context, status: status)
    }

    private func renderClose(_ request: Request, family: Family, version: Int, reason: String, note: String,
                             errors: [(field: String, message: String)], status: HTTPResponseStatus) async throws -> Response {
        let locale = request.staffLocale
        let catalog = request.application.locales
        let context = CloseContext(
            page: PageInfo(request, titleKey: "close.title"), familyId: family.id!, familyName: family.name, version: version,
            reasonOptions: ClosingReason.allCodes.map {
                Choice(value: $0, label: catalog.label("closingReason", $0, locale), selected: reason == $0)
            },
            note: note, errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) })
        return try await request.render("families/close", context, status: status)
    }

    private func renderMemberForm(_ request: Request, family: Family, memberID: UUID?, version: Int?, values: MemberValues,
                                  errors: [(field: String, message: String)], status: HTTPResponseStatus) async throws -> Response {
        let locale = request.staffLocale
        let catalog = request.application.locales
        let errorMap = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        let isNew = memberID == nil
        let context = MemberFormContext(
            page: PageInfo(request, titleKey: isNew ? "memberForm.newTitle" : "memberForm.editTitle"),
            action: isNew ? "/families/\(family.id!)/members/new" : "/families/\(family.id!)/members/\(memberID!)/edit",
            familyId: family.id!, familyName: family.name, isNew: isNew, version: version,
            slot: makeSlot(request, prefix: "m_", values: values, errors: errorMap, legend: request.t("memberForm.legend"), showAll: true),
            roleOptions: MemberRole.allCodes.map {
                Choice(value: $0, label: catalog.label("memberRole", $0, locale), selected: values.role == $0)
            },
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) },
            countries: Self.countryOptions(locale), languages: Self.languageOptions(locale))
        return try await request.render("families/member-form", context, status: status)
    }

    private func makeSlot(_ request: Request, prefix: String, values: MemberValues, errors: [String: String],
                          legend: String, showAll: Bool = false) -> MemberSlot {
        let locale = request.staffLocale
        let catalog = request.application.locales
        var own: [String: String] = [:]
        for (field, message) in errors where field.hasPrefix(prefix) { own[String(field.dropFirst(prefix.count))] = message }
        return MemberSlot(
            prefix: prefix, legend: legend, values: values, errors: own,
            genderOptions: Gender.allCodes.map { Choice(value: $0, label: catalog.label("gender", $0, locale), selected: values.gender == $0) },
            dutchLevelOptions: DutchLevel.allCodes.map {
                Choice(value: $0, label: catalog.label("dutchLevel", $0, locale), selected: values.dutchLevel == $0)
            },
            isParent: values.role == MemberRole.parent.rawValue, showAll: showAll)
    }

    // MARK: form helpers

    static func slotPrefixes() -> [(String, MemberRole)] {
        var result: [(String, MemberRole)] = []
        var index = 0
        for (role, count) in memberSlots {
            for _ in 0..<count {
                result.append(("m\(index)_", role))
                index += 1
            }
        }
        return result
    }

    static func emptySlots() -> [(prefix: String, values: MemberValues)] {
        slotPrefixes().map { prefix, role in
            var values = MemberValues()
            values.role = role.rawValue
            return (prefix, values)
        }
    }

    static func slotLegend(_ prefix: String, request: Request) -> String {
        let index = Int(prefix.dropFirst().dropLast()) ?? 0
        let parents = memberSlots[0].count
        return index < parents
            ? "\(request.t("familyForm.parent")) \(index + 1)"
            : "\(request.t("familyForm.child")) \(index - parents + 1)"
    }

    static func householdValues(_ form: FormFields) -> HouseholdValues {
        var values = HouseholdValues()
        values.name = form.raw("name")
        values.address = form.raw("address")
        values.postcode = form.raw("postcode")
        values.contactPreference = form["contactPreference"] ?? ""
        values.situations = form.all("situations")
        values.caseManagerId = form["caseManagerId"] ?? ""
        values.keyPersonId = form["keyPersonId"] ?? ""
        values.socialWorkerId = form["socialWorkerId"] ?? ""
        return values
    }

    static func memberValues(_ form: FormFields, prefix: String) -> MemberValues {
        var values = MemberValues()
        values.givenName = form.raw(prefix + "givenName")
        values.familyName = form.raw(prefix + "familyName")
        values.gender = form[prefix + "gender"] ?? ""
        values.birthDate = form.raw(prefix + "birthDate")
        values.birthYear = form.raw(prefix + "birthYear")
        values.countryOfOrigin = form.raw(prefix + "countryOfOrigin")
        values.languagesSpoken = form.raw(prefix + "languagesSpoken")
        values.languagesRead = form.raw(prefix + "languagesRead")
        values.dutchLevel = form[prefix + "dutchLevel"] ?? ""
        values.arrivalDate = form.raw(prefix + "arrivalDate")
        values.settlementDate = form.raw(prefix + "settlementDate")
        values.schoolOrChildcare = form.raw(prefix + "schoolOrChildcare")
        values.bsn = form.raw(prefix + "bsn")
        return values
    }

    static func isFilled(_ values: MemberValues) -> Bool {
        [values.givenName, values.familyName, values.birthDate, values.birthYear, values.countryOfOrigin,
         values.languagesSpoken, values.languagesRead, values.arrivalDate, values.settlementDate,
         values.schoolOrChildcare, values.bsn].contains { !$0.trimmed.isEmpty }
    }

    static func household(_ values: HouseholdValues) -> HouseholdDraft {
        HouseholdDraft(name: values.name, address: values.address.trimmed.nilIfEmpty,
                       postcode: values.postcode.trimmed.nilIfEmpty,
                       contactPreference: values.contactPreference.nilIfEmpty, situations: values.situations)
    }

    static func assignment(_ values: HouseholdValues) -> FamilyAssignment {
        FamilyAssignment(caseManagerID: UUID(uuidString: values.caseManagerId),
                         keyPersonID: UUID(uuidString: values.keyPersonId),
                         socialWorkerID: UUID(uuidString: values.socialWorkerId))
    }

    static func draft(_ values: MemberValues) -> MemberDraft {
        let year = values.birthYear.trimmed
        return MemberDraft(
            role: values.role, givenName: values.givenName, familyName: values.familyName.trimmed.nilIfEmpty,
            gender: values.gender.nilIfEmpty, birthDate: values.birthDate.trimmed.nilIfEmpty,
            // A year that is not a number is kept as an impossible year, so validation names the field.
            birthYear: year.isEmpty ? nil : (Int(year) ?? -1),
            countryOfOrigin: values.countryOfOrigin.trimmed.nilIfEmpty.map(NameResolver.countryCode),
            languagesSpoken: LanguagePicker.codes(from: values.languagesSpoken),
            languagesRead: LanguagePicker.codes(from: values.languagesRead),
            dutchLevel: values.dutchLevel.nilIfEmpty, arrivalDate: values.arrivalDate.trimmed.nilIfEmpty,
            settlementDate: values.settlementDate.trimmed.nilIfEmpty,
            schoolOrChildcare: values.schoolOrChildcare.trimmed.nilIfEmpty,
            bsn: values.bsn.replacingOccurrences(of: " ", with: "").nilIfEmpty)
    }

    /// `languagesSpoken[2]` → `languagesSpoken`: the form has one field for the whole list.
    static func baseField(_ field: String) -> String {
        field.split(separator: "[").first.map(String.init) ?? field
    }

    static func householdField(_ field: String) -> String { baseField(field) }

    /// Translates an `AppError`'s fields into the user's language, keyed by the form's field names.
    static func fieldErrors(from error: AppError, request: Request,
                            map: (String) -> String) -> [(field: String, message: String)] {
        guard let codes = error.fieldCodes else { return [] }
        return codes.map { (field: map($0.field), message: request.t("error.\($0.code)")) }
    }

    static func countryOptions(_ locale: StaffLocale) -> [Choice] {
        Locale.Region.isoRegions.filter { $0.identifier.count == 2 }.compactMap { region in
            Locale(identifier: locale.rawValue).localizedString(forRegionCode: region.identifier)
                .map { Choice(value: $0, label: region.identifier, selected: false) }
        }.sorted { $0.value < $1.value }
    }

    /// The languages newcomer families speak most, named in the user's language, for a filter's select.
    static func languageChoices(_ locale: StaffLocale, selected: String?) -> [Choice] {
        NameResolver.commonLanguages.map {
            Choice(value: $0, label: Locale(identifier: locale.rawValue).localizedString(forLanguageCode: $0) ?? $0,
                   selected: selected == $0)
        }.sorted { $0.label < $1.label }
    }

    /// The languages field's list: "Tigrinya (ti)" in the page's language, with the language's own name.
    static func languageOptions(_ locale: StaffLocale) -> [Choice] { LanguagePicker.options(locale) }

    // MARK: errors that name the field and the person

    static func formErrors(_ request: Request) -> FamilyFormErrors {
        FamilyFormErrors(catalog: request.application.locales, locale: request.staffLocale, today: request.clock.today)
    }

    static func householdPlace(_ field: String, _ words: FamilyFormErrors) -> FamilyFormErrors.Place {
        let base = householdField(field)
        return .init(formField: base, field: base, person: words.householdPerson, member: nil)
    }

    /// "m3_" → "kind 2": the same numbering as the blocks' legends.
    static func slotPerson(_ prefix: String, _ words: FamilyFormErrors) -> String {
        let index = Int(prefix.dropFirst().dropLast()) ?? 0
        let parents = memberSlots[0].count
        return index < parents ? words.slotPerson(.parent, number: index + 1) : words.slotPerson(.child, number: index - parents + 1)
    }

    /// The languages fields that hold more than a list of languages can be.
    static func tooLongFields(_ values: MemberValues) -> [String] {
        [("languagesSpoken", values.languagesSpoken), ("languagesRead", values.languagesRead)]
            .filter { $0.1.count > LanguagePicker.maxTextLength }.map(\.0)
    }

    /// The member form's own check of a too-long languages field, answered with the member's other problems.
    static func refuseTooLong(_ values: MemberValues, _ draft: MemberDraft, _ request: Request) throws {
        let local = tooLongFields(values).map { FieldError($0, "too-long") }
        guard !local.isEmpty else { return }
        let others = FamilyValidation.validate(members: [draft], today: request.clock.today, fieldPrefix: { _ in "m" })
            .filter { $0.field.hasPrefix("m.") }.map { FieldError(String($0.field.dropFirst(2)), $0.code) }
        throw AppError.invalid(local + others, catalog: request.application.locales)
    }

    static func memberErrors(_ error: AppError, _ values: MemberValues, _ draft: MemberDraft,
                             _ request: Request) -> [(field: String, message: String)] {
        let words = formErrors(request)
        let person = words.memberPerson(values.givenName)
        return words.messages(error.fieldCodes ?? []) { error in
            let base = baseField(error.field)
            return .init(formField: "m_" + base, field: base, person: person, member: draft)
        }
    }

    private func familyID(_ request: Request) throws -> UUID { try request.uuidParameter("familyID", what: "family") }
}
