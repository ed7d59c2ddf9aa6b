import Foundation
import Vapor
import WegwijsCore

/// `GET /families/:familyID/timeline` (everything dated about the family that the user may see) and
/// `GET /families/:familyID/summary` (the lead's A4 summary to print). The doors are in `FamilyTimeline`; this puts
/// their plain values in words.
struct FamilyTimelineWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let family = routes.grouped("families", ":familyID")
        family.get("timeline", use: timeline)
        family.get("summary", use: summary)
    }

    // MARK: the timeline

    struct EventRow: Encodable {
        /// The ISO day, for `#date`.
        let day: String
        /// The time of day in the Netherlands ("14:05"), where stored.
        let time: String?
        let kind: String
        let kindLabel: String
        let who: String?
        let description: String
    }

    struct FilterOption: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct TimelineContext: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let reference: String
        let events: [EventRow]
        let groups: [FilterOption]
        let orders: [FilterOption]
        let filtered: Bool
        let mayPrint: Bool
    }

    func timeline(_ request: Request) async throws -> Response {
        let service = try FamilyTimeline(request: request)
        let id = try request.uuidParameter("familyID", what: "family")
        // An unknown filter or order is ignored rather than refused: the page shows everything.
        let only = (try? request.query.get(String.self, at: "kind")).flatMap(FamilyTimelineEvent.Group.init(rawValue:))
        let order = (try? request.query.get(String.self, at: "order")).flatMap(FamilyTimeline.Order.init(rawValue:)) ?? .newest
        let result = try await service.timeline(id, order: order, only: only)
        let locale = request.staffLocale, catalog = request.application.locales
        let rows = result.events.map { Self.row($0, catalog: catalog, locale: locale) }
        let context = TimelineContext(
            page: PageInfo(request, titleKey: "timeline.title"), familyId: id, familyName: result.family.name,
            reference: result.family.reference, events: rows,
            groups: [FilterOption(value: "", label: catalog.text("timeline.group.all", locale), selected: only == nil)]
                + result.groups.map { FilterOption(value: $0.rawValue, label: catalog.text("timeline.group.\($0.rawValue)", locale),
                                              selected: $0 == only) },
            orders: FamilyTimeline.Order.allCases.map {
                FilterOption(value: $0.rawValue, label: catalog.text("timeline.order.\($0.rawValue)", locale), selected: $0 == order)
            },
            filtered: only != nil,
            mayPrint: FamilyAccess.may(service.staff.role, .read, .caseSummary))
        return try await request.render("families/timeline", context)
    }

    /// One event in words: what, who (name, role, the partner's organisation) and a short description of codes and days.
    static func row(_ event: FamilyTimelineEvent, catalog: LocaleCatalog, locale: StaffLocale) -> EventRow {
        func t(_ key: String) -> String { catalog.text(key, locale) }
        func label() -> String? {
            guard let vocabulary = event.vocabulary, let code = event.code else { return nil }
            return catalog.label(vocabulary, code, locale)
        }
        func day(_ iso: String?) -> String? { iso.map { catalog.longDate($0, locale) } }
        var parts: [String] = []
        switch event.kind {
        case .registration:
            parts = [t("timeline.registered")]
        case .screening:
            parts = [label()].compactMap { $0 }
        case .contact:
            parts = [label(), event.facts["language"].map { catalog.languageName($0, locale) },
                     event.facts["interpreter"] == "true" ? t("timeline.interpreter") : nil].compactMap { $0 }
        case .signal:
            parts = [label(), event.facts["state"].map { t("timeline.signal.\($0)") }].compactMap { $0 }
        case .phaseChange:
            parts = [label()].compactMap { $0 }
        case .welcomePackage:
            parts = ["\(event.facts["pages"] ?? "0") \(t("timeline.pages"))",
                     event.facts["language"].map { catalog.languageName($0, locale) }, label()].compactMap { $0 }
        case .offerChoice:
            parts = [event.subject, t(event.facts["chosen"] == "true" ? "timeline.chosen" : "timeline.discussed")].compactMap { $0 }
        case .planAction:
            parts = [event.subject, event.facts["who"].flatMap { $0.isEmpty ? nil : "\(t("timeline.who")): \($0)" },
                     t(event.facts["done"] == "true" ? "timeline.action.done" : "timeline.action.open")].compactMap { $0 }
        case .referral:
            var step = label() ?? ""
            if event.vocabulary == "timeline.referralStep", event.code == "handover", let happened = event.facts["happened"] {
                step += ": " + t(happened == "true" ? "timeline.handover.happened" : "timeline.handover.missed")
            }
            let subject = [event.subject, event.subject == event.facts["organisation"] ? nil : event.facts["organisation"]]
                .compactMap { $0?.nilIfEmpty }.joined(separator: ", ")
            parts = [step, subject.nilIfEmpty,
                     day(event.facts["planned"]).map { "\(t("timeline.plannedOn")) \($0)" },
                     day(event.facts["expected"]).map { "\(t("timeline.expectedOn")) \($0)" },
                     day(event.facts["on"]).map { "\(t("timeline.madeOn")) \($0)" },
                     event.facts["accompanied"] == "true" ? t("timeline.accompanied") : nil,
                     event.facts["outcome"].map { catalog.label("referralOutcome", $0, locale) },
                     event.facts["declineReason"].map { catalog.label("declineReason", $0, locale) }].compactMap { $0 }
        case .consentGiven, .consentWithdrawn:
            parts = [label(), event.subject].compactMap { $0 }
        }
        let role = event.byRole.map { catalog.label("role", $0.rawValue, locale) }
        let who = [event.byName, [role, event.organisation].compactMap { $0 }.joined(separator: ", ").nilIfEmpty]
            .compactMap { $0 }
        return EventRow(day: event.on.iso, time: event.at.map(Self.time), kind: event.kind.rawValue,
                        kindLabel: t("timeline.kind.\(event.kind.rawValue)"),
                        who: who.isEmpty ? nil : (who.count == 2 ? "\(who[0]) (\(who[1]))" : who[0]),
                        description: parts.filter { !$0.isEmpty }.joined(separator: " · "))
    }

    /// Made once: a timeline formats a time for every event.
    private static let netherlands: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        return calendar
    }()

    static func time(_ moment: Date) -> String {
        let parts = netherlands.dateComponents([.hour, .minute], from: moment)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    // MARK: the summary

    struct MemberLine: Encodable {
        let role: String
        let name: String
        let age: Int?
        let languages: String?
        let dutchLevel: String?
    }

    struct NeedLine: Encodable {
        let theme: String
        let priority: Int
    }

    struct ActionLine: Encodable {
        let text: String
        let who: String
        let due: String?
        let done: Bool
    }

    struct ReferralLine: Encodable {
        let offer: String
        let organisation: String
        let status: String
        let sentOn: String?
        let plannedOn: String?
        let closedOn: String?
    }

    struct ConsentLine: Encodable {
        let purpose: String
        let organisation: String
        let givenOn: String
        let active: Bool
    }

    struct NextLine: Encodable {
        let text: String
        let due: String?
    }

    struct SummaryContext: Encodable {
        let page: PageInfo
        let familyId: UUID
        let familyName: String
        let reference: String
        let status: String
        let madeOn: String
        let madeBy: String
        let members: [MemberLine]
        let language: String?
        let situations: [String]
        let phase: String
        let caseManager: String?
        let keyPerson: String?
        let socialWorker: String?
        let screeningOn: String?
        let screeningOccasion: String?
        let screeningThemes: [NeedLine]
        let screeningCount: Int
        let openNeeds: [NeedLine]
        let goals: [String]
        let actions: [ActionLine]
        let planProposed: Bool
        let reviewDate: String?
        let lastContact: String?
        let referrals: [ReferralLine]
        let consents: [ConsentLine]
        let next: [NextLine]
    }

    func summary(_ request: Request) async throws -> Response {
        let service = try FamilyTimeline(request: request)
        let id = try request.uuidParameter("familyID", what: "family")
        let s = try await service.summary(id)
        let locale = request.staffLocale, catalog = request.application.locales
        let today = service.families.today
        let members = s.members.map { member -> MemberLine in
            let born = member.birthDate.flatMap(CalendarDate.init(iso:))
            return MemberLine(role: catalog.label("memberRole", member.role.rawValue, locale),
                              name: [member.givenName, member.familyName].compactMap { $0 }.joined(separator: " "),
                              age: born.map { $0.years(until: today) } ?? member.birthYear.map { today.year - $0 },
                              languages: NameResolver.languageNames(member.languagesSpoken, locale).nilIfEmpty,
                              dutchLevel: member.dutchLevel.map { catalog.label("dutchLevel", $0, locale) })
        }
        let latest = s.screenings.last
        var screeningThemes: [NeedLine] = []
        if let latest {
            for answer in latest.answers.values {
                if case .priorities(let priorities) = answer {
                    screeningThemes += priorities.filter { $0.value > 0 }
                        .map { NeedLine(theme: catalog.label("theme", $0.key, locale), priority: $0.value) }
                }
            }
        }
        screeningThemes.sort { ($0.priority, $1.theme) > ($1.priority, $0.theme) }
        let open = s.needs.filter { $0.status == .open }
            .map { NeedLine(theme: catalog.label("theme", $0.theme, locale), priority: $0.priority) }
        let plan = s.plan.plan
        let actions = plan.actions.map { ActionLine(text: $0.text, who: $0.who, due: $0.due, done: $0.done) }
        // What comes next: open plan actions by due day, first contacts planned, the plan's review.
        var next: [(String?, String)] = plan.actions.filter { !$0.done }.map { ($0.due, $0.text) }
        for referral in s.referrals where referral.status == ReferralStatus.firstContactPlanned.rawValue {
            next.append((referral.plannedOn, "\(catalog.text("summary.firstContact", locale)): \(referral.offerName ?? referral.organisationName)"))
        }
        for referral in s.referrals where referral.status == ReferralStatus.sent.rawValue {
            next.append((referral.answerBy, "\(catalog.text("summary.awaitAnswer", locale)): \(referral.offerName ?? referral.organisationName)"))
        }
        if let review = plan.reviewDate { next.append((review, catalog.text("summary.reviewPlan", locale))) }
        next.sort { ($0.0 ?? "9999") < ($1.0 ?? "9999") }
        let context = SummaryContext(
            page: PageInfo(request, titleKey: "summary.title"), familyId: id, familyName: s.family.name,
            reference: s.family.reference, status: s.family.status.rawValue, madeOn: today.iso,
            madeBy: service.staff.displayName, members: members,
            language: s.family.profileLanguage.map { catalog.languageName($0, locale) },
            situations: s.family.situations.map { catalog.label("situation", $0, locale) },
            phase: catalog.label("intake.phase", String(plan.phase), locale),
            caseManager: s.family.$caseManager.id.flatMap { s.people[$0] },
            keyPerson: s.family.$keyPerson.id.flatMap { s.people[$0] },
            socialWorker: s.family.$socialWorker.id.flatMap { s.people[$0] },
            screeningOn: latest?.conductedOn, screeningOccasion: latest.map { catalog.label("intake.occasion", $0.occasion, locale) },
            screeningThemes: screeningThemes, screeningCount: s.screenings.count, openNeeds: open, goals: plan.goals,
            actions: actions, planProposed: s.plan.proposed, reviewDate: plan.reviewDate,
            lastContact: s.lastContact.map { CalendarDate.inNetherlands($0).iso },
            referrals: s.referrals.map {
                ReferralLine(offer: $0.offerName ?? "–", organisation: $0.organisationName,
                             status: catalog.label("referralStatus", $0.status, locale), sentOn: $0.sentOn,
                             plannedOn: $0.plannedOn, closedOn: $0.closedOn)
            },
            consents: s.consents.map { consent, organisation in
                ConsentLine(purpose: catalog.label("consentPurpose", consent.purpose, locale), organisation: organisation,
                            givenOn: consent.givenOn, active: consent.isActive)
            },
            next: next.map { NextLine(text: $0.1, due: $0.0) })
        return try await request.render("families/summary", context)
    }
}
