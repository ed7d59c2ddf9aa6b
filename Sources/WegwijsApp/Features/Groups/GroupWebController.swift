import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The group series pages (docs/groups.md): the list (a trainer's home), planning a series, and one series with its
/// sessions, parents, invitations and attendance. Every read and write goes through `GroupService`.
struct GroupWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let groups = routes.grouped("groups")
        groups.get(use: list)
        groups.get("new", use: newForm)
        groups.post("new", use: create)
        groups.get("plan", use: planPage)
        groups.post("plan", "accept", use: acceptPlan)
        groups.post("plan", "invite", use: inviteEveryone)
        let one = groups.grouped(":seriesID")
        one.get(use: show)
        one.post("sessions", use: addSession)
        one.post("participants", use: addParticipant)
        one.post("participants", ":participantID", use: updateParticipant)
        one.get("participants", ":participantID", "invitation", use: invitation)
        one.post("sessions", ":sessionID", "attendance", use: recordAttendance)
        one.post("calendar-link", use: createCalendarLink)
        one.post("calendar-links", ":linkID", "revoke", use: revokeCalendarLink)
        bootAvailability(routes: routes)
    }

    // MARK: view models

    struct SeriesRow: Encodable {
        let id: UUID
        let title: String
        let facts: String
        let dates: String
        let status: String
        let participants: String
        let nextSession: String?
        /// Past sessions without attendance recorded (a facilitator's to-do).
        var unrecorded: Int = 0
    }

    struct ListContext: Encodable {
        let page: PageInfo
        let series: [SeriesRow]
        let mayPlan: Bool
    }

    struct FormContext: Encodable {
        let page: PageInfo
        let values: [String: String]
        let errors: [String: String]
        let errorSummary: [ErrorLink]
        let offers: [Choice]
        let languages: [Choice]
        let audiences: [Choice]
        let times: [Choice]
        let trainers: [Choice]
        let keyPersons: [Choice]
    }

    struct AttendanceRow: Encodable {
        let participantId: UUID
        let name: String
        let present: Bool
        let excused: Bool
        let absent: Bool
        let childrenBrought: Int
    }

    struct SessionRow: Encodable {
        let id: UUID
        let number: Int
        let when: String
        let topic: String
        let place: String?
        /// The partner guests' names, by comma (empty: none).
        let guests: String
        let childcareHeadcount: Int?
        let attendance: [AttendanceRow]
        let recorded: Int
    }

    struct ParticipantRow: Encodable {
        let id: UUID
        let name: String
        let source: String
        let invitation: String
        let invitationChoices: [Choice]
        let status: String
        let droppedOut: Bool
        let version: Int
    }

    struct CandidateRow: Encodable {
        let memberId: UUID
        let name: String
        let waitingEntryId: UUID?
    }

    /// A working calendar link of the series (its address is never shown again after it was made).
    struct CalendarLinkRow: Encodable {
        let id: UUID
        let made: String
        let mayRevoke: Bool
    }

    struct ShowContext: Encodable {
        let page: PageInfo
        let series: SeriesRow
        let seriesId: UUID
        let location: String?
        let sessions: [SessionRow]
        let participants: [ParticipantRow]
        let waiting: [CandidateRow]
        let invite: [CandidateRow]
        let mayAddParents: Bool
        let mayChange: Bool
        /// Printing invitations: the key person, the trainer, the case managers (updating parents' answers).
        let mayInvite: Bool
        let isFull: Bool
        let topics: [Choice]
        let guestChoices: [Choice]
        let dropOutReasons: [Choice]
        let inviteIntro: String
        let errorSummary: [ErrorLink]
        let values: [String: String]
        /// Making a calendar link of the series: its trainer and key person, the case managers.
        let mayCalendar: Bool
        let calendarLinks: [CalendarLinkRow]
        /// The address of the link just made: shown this once.
        let newCalendarLink: String?
    }

    // MARK: list

    func list(_ request: Request) async throws -> View {
        let service = try GroupService(request: request)
        let all = try await service.list()
        let todo = try await service.workToDo(all)
        var rows: [SeriesRow] = []
        for summary in all {
            let work = todo[summary.id]
            var row = try await row(summary, request, next: work?.next.map {
                GroupSessionDTO(id: $0.id!, number: 0, date: $0.date, startsAt: $0.startsAt, endsAt: $0.endsAt, topic: $0.topic,
                                place: $0.place, guestIds: [], childcareHeadcount: nil, attendance: [], version: $0.version)
            })
            row.unrecorded = work?.unrecorded ?? 0
            rows.append(row)
        }
        return try await request.view.render("groups/list", ListContext(
            page: PageInfo(request, titleKey: "groups.title"), series: rows,
            mayPlan: FamilyAccess.may(service.staff.role, .create, .groupSeries)))
    }

    private func row(_ series: GroupSeriesDTO, _ request: Request, next: GroupSessionDTO?) async throws -> SeriesRow {
        let locale = request.staffLocale, catalog = request.application.locales
        let title = "\(catalog.label("audience", series.audience, locale)) · \(catalog.languageName(series.language, locale))"
        let place = series.place == onlinePlace ? request.t("groups.online") : series.place
        let facts = [catalog.label("time", series.time, locale), place,
                     series.childcare ? request.t("groups.childcare") : nil].compactMap { $0 }.joined(separator: " · ")
        return SeriesRow(id: series.id, title: title, facts: facts,
                         dates: "\(locale.date(series.startsOn)) – \(locale.date(series.endsOn))",
                         status: catalog.label("seriesStatus", series.status, locale),
                         participants: String(format: request.t("groups.participantCount"), series.participantCount, series.maxSize),
                         nextSession: next.map { "\(locale.date($0.date)) \($0.startsAt)" })
    }

    // MARK: planning from the waiting demand

    struct ProposalRow: Encodable {
        let index: Int
        let title: String
        let facts: String
        let leaders: String
        /// The parents' names, by comma.
        let parents: String
        let existing: Bool
        /// The edit form ("Aanpassen"): open after a refused edit of this proposal.
        let editOpen: Bool
        let trainerChoices: [Choice]
        let keyPersonChoices: [Choice]
        let place: String
        let timeChoices: [Choice]
        let parentChoices: [ParentChoice]
        /// The message next to each field of the edit form that is wrong (trainerId, keyPersonId, place, time, parents).
        let errors: [String: String]
    }

    struct ParentChoice: Encodable {
        let id: String
        let name: String
        let checked: Bool
    }

    /// A refused edit of proposal `index`: what was sent, and the messages.
    struct PlanEdit {
        let index: Int
        let values: [String: String]
        let parents: Set<String>
        let errors: [String: String]
    }

    /// The edit form's fields, numbered by proposal so every id on the page is unique.
    static let editFields = ["trainerId", "keyPersonId", "place", "time", "parents"]

    struct UnplacedRow: Encodable {
        let name: String
        let explanation: String
    }

    /// The waiting demand of one language: how many mothers, fathers and others wait.
    struct DemandRow: Encodable {
        let language: String
        let count: Int
        let audiences: String
    }

    struct PlanContext: Encodable {
        let page: PageInfo
        let offers: [Choice]
        let offerId: String?
        let waitingCount: Int
        let demand: [DemandRow]
        let settledMonths: Int
        /// After "invite everyone": how many parents it added.
        let invited: String?
        let proposals: [ProposalRow]
        let unplaced: [UnplacedRow]
        let startsOn: String
        let errorSummary: [ErrorLink]
        /// The message next to each field that is wrong.
        let errors: [String: String]
        /// When the waiting parents can come and the facilitators can work (what the planner used).
        let parentRows: [AvailabilityRow]
        let facilitatorRows: [FacilitatorRow]
        /// How many have nothing recorded, so the planner used the defaults.
        let defaultNote: String?
        let districtText: String
        let hasDistricts: Bool
    }

    struct AvailabilityRow: Encodable {
        let id: String
        let name: String
        let language: String
        let summary: String
        let isDefault: Bool
        let open: Bool
        let times: [Choice]
        let online: Bool
        let mixedOk: Bool
        let districts: [Choice]
        /// On the planner input by "invite everyone": it can be taken off.
        let inviteeId: String?
        let errors: [String: String]
    }

    struct FacilitatorRow: Encodable {
        let id: String
        let name: String
        let role: String
        let summary: String
        let isDefault: Bool
        let open: Bool
        let times: [Choice]
        let maxSeries: String
        let errors: [String: String]
    }

    func planPage(_ request: Request) async throws -> Response {
        try await renderPlan(request, try GroupService(request: request), errors: [], status: .ok)
    }

    func renderPlan(_ request: Request, _ service: GroupService, errors: [ErrorLink], status: HTTPStatus,
                    offer: UUID? = nil, edit: PlanEdit? = nil, availability: AvailabilityEdit? = nil,
                    districtText: String? = nil) async throws -> Response {
        let (offers, trainers, keyPersons) = try await service.planningChoices()
        let chosen = offer ?? request.query[String.self, at: "offer"].flatMap(UUID.init(uuidString:)) ?? offers.first?.id
        let locale = request.staffLocale, catalog = request.application.locales
        var proposals: [ProposalRow] = [], unplaced: [UnplacedRow] = [], waiting = 0, demandRows: [DemandRow] = []
        var parentRows: [AvailabilityRow] = [], facilitatorRows: [FacilitatorRow] = [], defaultNote: String?
        var districtList: [GroupDistrict] = []
        if let chosen {
            let (plan, demand) = try await service.propose(GroupPlanRequest(offerId: chosen))
            waiting = demand.input.parents.count
            // Per language, most waiting first: how many mothers and fathers.
            let byLanguage = Dictionary(grouping: demand.input.parents, by: { $0.languages.first ?? "" })
            demandRows = byLanguage.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map { language, parents in
                let audiences = Audience.allCases.compactMap { audience -> String? in
                    let n = parents.filter { $0.audience == audience }.count
                    return n == 0 ? nil : "\(catalog.label("audience", audience.rawValue, locale)) \(n)"
                }
                return DemandRow(language: catalog.languageName(language, locale), count: parents.count,
                                 audiences: audiences.joined(separator: ", "))
            }
            func name(_ id: String) -> String { UUID(uuidString: id).flatMap { demand.parents[$0]?.displayName } ?? id }
            func staffName(_ id: String) -> String { UUID(uuidString: id).flatMap { demand.staffNames[$0] } ?? id }
            districtList = demand.districts
            let districtNames = Dictionary(demand.districts.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            func timeChoices(_ times: Set<String>) -> [Choice] {
                catalog.choices(TimeOfDay.self, "time", locale, selected: Array(times))
            }
            func timeText(_ times: [TimeOfDay]) -> String { times.map { catalog.label("time", $0.rawValue, locale) }.joined(separator: ", ") }
            // "Wijzigen" opens one person's form (`?who=<id>`); a refused form shows it again.
            let who = request.query[String.self, at: "who"]?.uppercased()
            parentRows = demand.input.parents.compactMap { parent -> AvailabilityRow? in
                guard let id = UUID(uuidString: parent.id) else { return nil }
                let edited = availability?.id == id ? availability : nil
                let isDefault = demand.defaultedParents.contains(id)
                let places = parent.districts.map { districtNames[$0] ?? $0 } + (parent.online ? [request.t("groups.online")] : [])
                let summary = [timeText(parent.times), places.joined(separator: ", "),
                               parent.mixedOk ? request.t("groups.availability.mixedShort") : nil].compactMap { $0 }.filter { !$0.isEmpty }
                    .joined(separator: " · ")
                return AvailabilityRow(
                    id: parent.id, name: name(parent.id), language: catalog.languageName(parent.languages.first ?? "", locale),
                    summary: summary, isDefault: isDefault, open: edited != nil || (availability == nil && who == parent.id),
                    times: timeChoices(edited?.times ?? Set(parent.times.map(\.rawValue))),
                    online: edited?.online ?? parent.online, mixedOk: edited?.mixedOk ?? parent.mixedOk,
                    districts: demand.districts.map { district in
                        Choice(value: district.code, label: "\(district.name) (\(district.code))",
                               selected: edited.map { $0.districts.contains(district.code) } ?? parent.districts.contains(district.code))
                    },
                    inviteeId: demand.invitees[id]?.uuidString, errors: edited?.errors ?? [:])
            }
            facilitatorRows = demand.input.facilitators.compactMap { facilitator -> FacilitatorRow? in
                guard let id = UUID(uuidString: facilitator.id) else { return nil }
                let edited = availability?.id == id ? availability : nil
                return FacilitatorRow(
                    id: facilitator.id, name: staffName(facilitator.id),
                    role: request.t(facilitator.role == .trainer ? "groups.form.trainer" : "groups.form.keyPerson"),
                    summary: "\(timeText(facilitator.times)) · " + String(format: request.t("groups.availability.maxSeriesShort"), facilitator.maxSeries),
                    isDefault: demand.defaultedFacilitators.contains(id),
                    open: edited != nil || (availability == nil && who == facilitator.id),
                    times: timeChoices(edited?.times ?? Set(facilitator.times.map(\.rawValue))),
                    maxSeries: edited?.maxSeries ?? String(facilitator.maxSeries), errors: edited?.errors ?? [:])
            }
            let defaultParents = demand.defaultedParents.count, defaultStaff = demand.defaultedFacilitators.count
            if defaultParents + defaultStaff > 0 {
                defaultNote = String(format: request.t("groups.availability.defaultNote"), defaultParents, defaultStaff)
            }
            proposals = plan.series.enumerated().map { index, series in
                let edited = edit?.index == index ? edit : nil
                // "Aanpassen" opens one proposal's edit form (`?edit=<index>`), or a refused edit shows it again.
                let open = edited != nil || (edit == nil && request.query[Int.self, at: "edit"] == index)
                func value(_ field: String, _ proposed: String) -> String { edited?.values[field] ?? proposed }
                func people(_ users: [User], _ field: String, _ proposed: String) -> [Choice] {
                    users.map { user in
                        let spoken = user.languages.map { catalog.languageName($0, locale) }.joined(separator: ", ")
                        return Choice(value: user.id!.uuidString, label: user.displayName + (spoken.isEmpty ? "" : " (\(spoken))"),
                                      selected: value(field, proposed) == user.id!.uuidString)
                    }
                }
                return ProposalRow(
                    index: index,
                    title: "\(catalog.label("audience", series.audience.rawValue, locale)) · \(catalog.languageName(series.language, locale))",
                    facts: "\(catalog.label("time", series.time.rawValue, locale)) · \(series.place)",
                    leaders: "\(staffName(series.trainer)), \(staffName(series.keyPerson))",
                    parents: series.parents.map(name).joined(separator: ", "), existing: series.id != nil,
                    editOpen: open,
                    trainerChoices: people(trainers, "trainerId", series.trainer),
                    keyPersonChoices: people(keyPersons, "keyPersonId", series.keyPerson),
                    place: value("place", series.place),
                    timeChoices: catalog.choices(TimeOfDay.self, "time", locale, selected: [value("time", series.time.rawValue)]),
                    parentChoices: series.parents.map { id in
                        ParentChoice(id: id, name: name(id), checked: edited.map { $0.parents.contains(id) } ?? true)
                    },
                    errors: edited?.errors ?? [:])
            }
            // Why, in the page's language (the planner's own sentence, in English, is what the API and the command give):
            // how many of the same language and audience are held back for the same reason, and the reason.
            let waitingByID = Dictionary(demand.input.parents.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let timeReasons: Set<UnplacedReason> = [.noKeyPersonAtTime, .noTrainerAtTime, .facilitatorsFullyBooked]
            func situation(_ u: UnplacedParent) -> String {
                let parent = waitingByID[u.id]
                let times = timeReasons.contains(u.reason) ? (parent?.times.map(\.rawValue).joined(separator: ",") ?? "") : ""
                return "\(u.reason.rawValue)|\(parent?.languages.first ?? "")|\(parent?.audience.rawValue ?? "")|\(times)"
            }
            // "in the evening", "during the day", or "at a time they can come" (both).
            func when(_ parent: WaitingParent?) -> String {
                let times = parent?.times ?? TimeOfDay.allCases
                return request.t("groups.unplaced.time.\(times.count == 1 ? times[0].rawValue : "any")")
            }
            let sameSituation = Dictionary(grouping: plan.unplaced, by: situation).mapValues(\.count)
            unplaced = plan.unplaced.map { u in
                let parent = waitingByID[u.id]
                let count = sameSituation[situation(u)] ?? 1
                let language = catalog.languageName(parent?.languages.first ?? "", locale)
                let who = request.t("groups.unplaced.\(parent?.audience.rawValue ?? "mixed").\(count == 1 ? "one" : "many")")
                let reason = request.t("groups.unplaced.\(u.reason.rawValue)")
                let why = switch u.reason {
                case .noKeyPersonForLanguage: String(format: reason, language)
                case .belowMinimum: String(format: reason, demand.input.rules.minSize)
                case .noKeyPersonAtTime: String(format: reason, language, when(parent))
                case .noTrainerAtTime: String(format: reason, when(parent))
                default: reason
                }
                return UnplacedRow(name: name(u.id), explanation: String(format: request.t("groups.unplaced.sentence.\(count == 1 ? "one" : "many")"), count, who, language, why))
            }
        }
        return try await request.render("groups/plan", PlanContext(
            page: PageInfo(request, titleKey: "groups.plan.title", flash: request.takeFlash()),
            offers: offers.map { Choice(value: $0.id!.uuidString, label: $0.name, selected: $0.id == chosen) },
            offerId: chosen?.uuidString, waitingCount: waiting, demand: demandRows, settledMonths: GroupService.settledMonths,
            invited: request.query[Int.self, at: "invited"].map { String(format: request.t("groups.plan.invited"), $0) },
            proposals: proposals, unplaced: unplaced,
            startsOn: service.clock.today.adding(days: 14).iso, errorSummary: errors,
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            parentRows: parentRows, facilitatorRows: facilitatorRows, defaultNote: defaultNote,
            districtText: districtText ?? Self.districtText(districtList), hasDistricts: !districtList.isEmpty), status: status)
    }

    func acceptPlan(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let form = try FormFields(request)
        let offer = form["offerId"].flatMap(UUID.init(uuidString:))
        let index = form["series"].flatMap(Int.init)
        // The edit form ("Aanpassen") sends `edit` and the proposal's fields; the plain button only the proposal.
        let editing = form["edit"] != nil
        let parents = form.all("parents")
        var values: [String: String] = [:]
        for field in ["trainerId", "keyPersonId", "place", "time"] { values[field] = form.raw(field) }
        do {
            let id = try await service.accept(GroupPlanRequest(
                offerId: offer, series: index, startsOn: form["startsOn"],
                trainerId: editing ? form["trainerId"].flatMap(UUID.init(uuidString:)) : nil,
                keyPersonId: editing ? form["keyPersonId"].flatMap(UUID.init(uuidString:)) : nil,
                place: editing ? form.raw("place") : nil, time: editing ? form["time"] : nil,
                parents: editing ? parents.compactMap(UUID.init(uuidString:)) : nil))
            request.setFlash("flash.seriesPlanned")
            return request.redirect(to: "/groups/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            var edit: PlanEdit?
            if editing, let index {
                // The edit form's fields carry the proposal's number: the summary links to the field on the page.
                errors = errors.map { Self.editFields.contains($0.field) ? (field: "\($0.field)-\(index)", message: $0.message) : $0 }
                let own = Dictionary(errors.filter { $0.field.hasSuffix("-\(index)") }
                    .map { (String($0.field.dropLast("-\(index)".count)), $0.message) }, uniquingKeysWith: { a, _ in a })
                edit = PlanEdit(index: index, values: values, parents: Set(parents), errors: own)
            }
            return try await renderPlan(request, service, errors: errors.map { ErrorLink(field: $0.field, message: $0.message) },
                                        status: .unprocessableEntity, offer: offer, edit: edit)
        }
    }

    /// "Invite everyone" (R26): the newly settled parents who speak one of the offer's languages go onto its planner
    /// input; back to the planner with how many were added.
    func inviteEveryone(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let form = try FormFields(request)
        let offer = form["offerId"].flatMap(UUID.init(uuidString:))
        do {
            let result = try await service.inviteEveryone(GroupInviteRequest(
                offerId: offer, settledMonths: form["settledMonths"].map { Int($0) ?? -1 }))
            request.setFlash(result.added == 0 ? "flash.nobodyToInvite" : "flash.invitedEveryone")
            return request.redirect(to: "/groups/plan?offer=\(offer!.uuidString)&invited=\(result.added)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            return try await renderPlan(request, service, errors: errors.map { ErrorLink(field: $0.field, message: $0.message) },
                                        status: .unprocessableEntity)
        }
    }

    // MARK: planning a series

    func newForm(_ request: Request) async throws -> View {
        let service = try GroupService(request: request)
        return try await renderForm(request, service, values: ["minSize": "8", "maxSize": "15", "time": "daytime"], errors: [])
    }

    private func renderForm(_ request: Request, _ service: GroupService, values: [String: String],
                            errors: [(field: String, message: String)]) async throws -> View {
        let (offers, trainers, keyPersons) = try await service.planningChoices()
        let locale = request.staffLocale, catalog = request.application.locales
        let languages = Set(keyPersons.flatMap { $0.languages }).sorted()
        func choices(_ users: [User], _ field: String) -> [Choice] {
            users.map { user in
                let spoken = user.languages.map { catalog.languageName($0, locale) }.joined(separator: ", ")
                return Choice(value: user.id!.uuidString, label: user.displayName + (spoken.isEmpty ? "" : " (\(spoken))"),
                              selected: values[field] == user.id!.uuidString)
            }
        }
        return try await request.view.render("groups/new", FormContext(
            page: PageInfo(request, titleKey: "groups.new.title"), values: values,
            errors: Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a }),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) },
            offers: offers.map { Choice(value: $0.id!.uuidString, label: $0.name, selected: values["offerId"] == $0.id!.uuidString) },
            languages: languages.map { Choice(value: $0, label: catalog.languageName($0, locale), selected: values["language"] == $0) },
            audiences: catalog.choices(Audience.self, "audience", locale, selected: [values["audience"] ?? ""]),
            times: catalog.choices(TimeOfDay.self, "time", locale, selected: [values["time"] ?? ""]),
            trainers: choices(trainers, "trainerId"), keyPersons: choices(keyPersons, "keyPersonId")))
    }

    func create(_ request: Request) async throws -> Response {
        let service = try GroupService(request: request)
        try FamilyAccess.require(service.staff, .create, .groupSeries)
        let form = try FormFields(request)
        let names = ["offerId", "language", "audience", "minSize", "maxSize", "place", "location", "time", "startsOn", "endsOn",
                     "trainerId", "keyPersonId"]
        var values = Dictionary(uniqueKeysWithValues: names.map { ($0, form.raw($0)) })
        values["childcare"] = form["childcare"] == nil ? "" : "on"
        values["interpreter"] = form["interpreter"] == nil ? "" : "on"
        var errors: [(field: String, message: String)] = []
        let minSize = Int(form["minSize"] ?? "8"), maxSize = Int(form["maxSize"] ?? "15")
        if minSize == nil { errors.append(("minSize", request.t("error.number-invalid"))) }
        if maxSize == nil { errors.append(("maxSize", request.t("error.number-invalid"))) }
        if errors.isEmpty {
            let input = GroupSeriesInput(
                offerId: form["offerId"].flatMap(UUID.init(uuidString:)), language: form["language"], interpreter: form["interpreter"] != nil,
                audience: form["audience"], minSize: minSize, maxSize: maxSize, place: form["place"], location: form["location"],
                time: form["time"], childcare: form["childcare"] != nil, startsOn: form["startsOn"], endsOn: form["endsOn"],
                trainerId: form["trainerId"].flatMap(UUID.init(uuidString:)), keyPersonId: form["keyPersonId"].flatMap(UUID.init(uuidString:)))
            do {
                let detail = try await service.create(input)
                request.setFlash("flash.seriesPlanned")
                return request.redirect(to: "/groups/\(detail.series.id)")
            } catch let error as AppError where error.status == .unprocessableEntity {
                errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            }
        }
        let view = try await renderForm(request, service, values: values, errors: errors)
        return try await view.encodeResponse(status: .unprocessableEntity, for: request)
    }

    // MARK: one series

    func show(_ request: Request) async throws -> View {
        try await renderShow(request, try GroupService(request: request), errors: [], values: [:])
    }

    private func seriesID(_ request: Request) throws -> UUID { try request.uuidParameter("seriesID", what: "series") }

    private func renderShow(_ request: Request, _ service: GroupService, errors: [(field: String, message: String)],
                            values: [String: String], newCalendarLink: String? = nil) async throws -> View {
        let id = try seriesID(request)
        let detail = try await service.detail(id)
        let locale = request.staffLocale, catalog = request.application.locales
        let mayAddParents = service.may(.create, .groupParticipant, detail.series)
        let mayChange = service.may(.update, .groupSeries, detail.series)
        let open = GroupSeriesStatus(rawValue: detail.series.status)?.isOpen ?? false
        var waiting: [CandidateRow] = [], invite: [CandidateRow] = []
        if mayAddParents && open {
            let candidates = try await service.candidates(id)
            waiting = candidates.waiting.map { CandidateRow(memberId: $0.parent.id, name: $0.parent.displayName, waitingEntryId: $0.entry) }
            invite = candidates.invite.map { CandidateRow(memberId: $0.id, name: $0.displayName, waitingEntryId: nil) }
        }
        let names = Dictionary(detail.participants.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let active = detail.participants.filter { $0.status == ParticipantStatus.active.rawValue }
        let today = service.clock.today.iso
        let next = detail.sessions.first { $0.date >= today }
        let partners = mayChange && open ? try await service.guestChoices() : []
        let guestNames = try await service.guestNames(detail.sessions.flatMap(\.guestIds))
        let mayCalendar = service.may(.create, .calendarLink, detail.series)
        let calendarLinks = mayCalendar || FamilyAccess.may(service.staff.role, .delete, .calendarLink)
            ? try await GroupCalendarService(request: request).seriesLinks(id) : []
        return try await request.view.render("groups/show", ShowContext(
            page: PageInfo(request, titleKey: "groups.series.title", flash: request.takeFlash()),
            series: try await row(detail.series, request, next: next), seriesId: id, location: detail.series.location,
            sessions: detail.sessions.map { session in
                let marks = Dictionary(session.attendance.map { ($0.participantId, $0) }, uniquingKeysWith: { a, _ in a })
                return SessionRow(
                    id: session.id, number: session.number,
                    when: "\(locale.date(session.date)) \(session.startsAt)–\(session.endsAt)",
                    topic: catalog.label("theme", session.topic, locale), place: session.place,
                    guests: session.guestIds.compactMap { guestNames[$0] }.joined(separator: ", "),
                    childcareHeadcount: session.childcareHeadcount,
                    attendance: active.map { participant in
                        let mark = marks[participant.id]
                        return AttendanceRow(participantId: participant.id, name: names[participant.id] ?? "",
                                             present: mark?.status == "present", excused: mark?.status == "excused",
                                             absent: mark?.status == "absent", childrenBrought: mark?.childrenBrought ?? 0)
                    },
                    recorded: session.attendance.count)
            },
            participants: detail.participants.map { participant in
                ParticipantRow(id: participant.id, name: participant.name,
                               source: catalog.label("participantSource", participant.source, locale),
                               invitation: catalog.label("invitation", participant.invitation, locale),
                               invitationChoices: catalog.choices(InvitationAnswer.self, "invitation", locale, selected: [participant.invitation]),
                               status: catalog.label("participantStatus", participant.status, locale),
                               droppedOut: participant.status == ParticipantStatus.droppedOut.rawValue, version: participant.version)
            },
            waiting: waiting, invite: invite, mayAddParents: mayAddParents && open, mayChange: mayChange && open,
            mayInvite: service.may(.update, .groupParticipant, detail.series),
            isFull: active.count >= detail.series.maxSize,
            topics: catalog.choices(Theme.self, "theme", locale, selected: [values["topic"] ?? ""]).sorted {
                GroupTopics.standard.map(\.rawValue).contains($0.value) && !GroupTopics.standard.map(\.rawValue).contains($1.value)
            },
            guestChoices: partners.map { Choice(value: $0.id!.uuidString, label: $0.displayName, selected: false) },
            dropOutReasons: catalog.choices(DropOutReason.self, "dropOutReason", locale, selected: []),
            inviteIntro: String(format: request.t("groups.inviteIntro"), GroupService.settledMonths),
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) }, values: values,
            mayCalendar: mayCalendar && open,
            calendarLinks: calendarLinks.map {
                CalendarLinkRow(id: $0.link.id!, made: $0.link.createdAt.map(locale.dateTime) ?? "", mayRevoke: $0.mayRevoke)
            },
            newCalendarLink: newCalendarLink))
    }

    /// Makes a calendar link of the series and shows the series page with its address, this once (nothing keeps the
    /// token: the page is not cached, and a reload makes no second link without the browser asking).
    func createCalendarLink(_ request: Request) async throws -> Response {
        let calendar = try GroupCalendarService(request: request)
        try FamilyAccess.require(calendar.staff, .create, .calendarLink)
        let id = try seriesID(request)
        let created = try await calendar.create(CalendarLinkInput(kind: CalendarLinkKind.series.rawValue, seriesId: id))
        request.setFlash("flash.calendarLinkMade")
        let view = try await renderShow(request, try GroupService(request: request), errors: [], values: [:],
                                        newCalendarLink: created.url)
        let response = try await view.encodeResponse(status: .ok, for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Revokes one of the series' calendar links: from now on its address answers 404.
    func revokeCalendarLink(_ request: Request) async throws -> Response {
        let calendar = try GroupCalendarService(request: request)
        try FamilyAccess.require(calendar.staff, .delete, .calendarLink)
        let id = try seriesID(request)
        try await calendar.revoke(try request.uuidParameter("linkID", what: "link"), of: id)
        request.setFlash("flash.calendarLinkRevoked")
        return request.redirect(to: "/groups/\(id)#calendar")
    }

    struct InvitationContext: Encodable {
        let page: PageInfo
        let seriesId: UUID
        let letter: InvitationText
        let dir: String
        /// Each session in the letter's language: date, time and topic.
        let sessions: [String]
        let place: String
        let childcare: Bool
        /// The parent's language has no letter yet: staff see that the key person tells it.
        let fallbackNote: String?
    }

    /// A printable invitation letter and a message text for one parent, in their language where Wegwijs has it.
    func invitation(_ request: Request) async throws -> View {
        let service = try GroupService(request: request)
        let (series, sessions, parent, keyPerson) = try await service.invitation(
            try request.uuidParameter("participantID", what: "participant"), of: try seriesID(request))
        // The first language the parent speaks that the letter is written in (Amharic first, Tigrinya too: Tigrinya).
        let own = parent.languagesSpoken.first ?? "nl"
        let language = InvitationText.language(forSpeakerOf: parent.languagesSpoken)
        let letterLocale = Locale(identifier: language)
        func day(_ iso: String) -> String {
            guard let date = CalendarDate(iso: iso)?.noonInNetherlands else { return iso }
            let formatter = DateFormatter()
            formatter.locale = letterLocale
            formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            formatter.dateFormat = DateFormatter.dateFormat(fromTemplate: "EEEEdMMMM", options: 0, locale: letterLocale)
            return formatter.string(from: date)
        }
        let place = [series.location, series.place == onlinePlace ? "online" : nil].compactMap { $0 }.first ?? series.place
        let first = sessions.first.map { "\(day($0.date)) \($0.startsAt)" } ?? day(series.startsOn)
        let letter = InvitationText.letter(in: language, .init(
            parentName: parent.givenName, audience: series.audience,
            seriesLanguageName: letterLocale.localizedString(forLanguageCode: series.language) ?? series.language,
            firstSession: first, place: place, keyPersonName: keyPerson.split(separator: " ").first.map(String.init) ?? keyPerson))
        let catalog = request.application.locales
        let fallback = language != "nl" || own == "nl" ? nil
            : String(format: request.t("groups.invitation.fallback"), catalog.languageName(own, request.staffLocale))
        return try await request.view.render("groups/invitation", InvitationContext(
            page: PageInfo(request, titleKey: "groups.invitation.title"), seriesId: series.id!, letter: letter,
            dir: Languages.rightToLeft.contains(language) ? "rtl" : "ltr",
            sessions: sessions.map { "\(day($0.date)), \($0.startsAt) – \($0.endsAt)" }, place: place, childcare: series.childcare,
            fallbackNote: fallback))
    }

    /// Runs a change; on bad input shows the series again with the messages (422), otherwise back to the series.
    private func change(_ request: Request, values: [String: String], flash: String,
                        _ body: (GroupService) async throws -> Void) async throws -> Response {
        let service = try GroupService(request: request)
        do {
            try await body(service)
            request.setFlash(flash)
            return request.redirect(to: "/groups/\(try seriesID(request))")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            let view = try await renderShow(request, service, errors: errors, values: values)
            return try await view.encodeResponse(status: .unprocessableEntity, for: request)
        }
    }

    func addSession(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        let values = Dictionary(uniqueKeysWithValues: ["date", "startsAt", "endsAt", "topic", "place"].map { ($0, form.raw($0)) })
        return try await change(request, values: values, flash: "flash.sessionAdded") { service in
            try FamilyAccess.require(service.staff, .update, .groupSeries)
            _ = try await service.addSession(to: try seriesID(request), GroupSessionInput(
                date: form["date"], startsAt: form["startsAt"], endsAt: form["endsAt"], topic: form["topic"], place: form["place"],
                guestIds: form.all("guestIds").compactMap(UUID.init(uuidString:))))
        }
    }

    func addParticipant(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        return try await change(request, values: [:], flash: "flash.parentAdded") { service in
            try FamilyAccess.require(service.staff, .create, .groupParticipant)
            let entry = form["waitingEntryId"].flatMap(UUID.init(uuidString:))
            _ = try await service.addParticipant(to: try seriesID(request), GroupParticipantInput(
                memberId: form["memberId"].flatMap(UUID.init(uuidString:)),
                source: entry == nil ? ParticipantSource.invitation.rawValue : ParticipantSource.waitingList.rawValue,
                waitingEntryId: entry))
        }
    }

    func updateParticipant(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        return try await change(request, values: [:], flash: "flash.saved") { service in
            try FamilyAccess.require(service.staff, .update, .groupParticipant)
            let dropOut = form["dropOutReason"]
            _ = try await service.updateParticipant(try request.uuidParameter("participantID", what: "participant"),
                                                    of: try seriesID(request), GroupParticipantUpdate(
                invitation: form["invitation"], status: dropOut == nil ? nil : ParticipantStatus.droppedOut.rawValue,
                dropOutReason: dropOut, version: form["version"].flatMap(Int.init)))
        }
    }

    func recordAttendance(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        return try await change(request, values: [:], flash: "flash.attendanceSaved") { service in
            try FamilyAccess.require(service.staff, .update, .attendance)
            let ids = form.all("participant").compactMap(UUID.init(uuidString:))
            let records = ids.map { id in
                GroupAttendanceInput.Record(participantId: id, status: form["status-\(id.uuidString)"],
                                            childrenBrought: form["children-\(id.uuidString)"].flatMap(Int.init) ?? 0)
            }
            let headcount = form["childcareHeadcount"]
            _ = try await service.recordAttendance(try request.uuidParameter("sessionID", what: "session"), of: try seriesID(request),
                                                   GroupAttendanceInput(records: records, childcareHeadcount: headcount.flatMap(Int.init)))
        }
    }
}
