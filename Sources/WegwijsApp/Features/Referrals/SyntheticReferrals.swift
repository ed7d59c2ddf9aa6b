import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// The referrals of `wegwijs seed synthetic` (issue 15, item 8): each one a story through `ReferralLifecycle`, as
/// `ReferralService` would have written it — the consent it rests on, its members, need and shared fields, one
/// `referral_events` row per step with the actor and the step's detail (`expected=`, `planned=`, `companion=`,
/// `accompanied=`, `outcome=`), the timers (`clock_on`) of the state it stopped in, a chase where the partner was
/// slow, the group waiting list for group offers (placed into a series at the first contact), and a cancellation
/// when the family's file closed first. Stories stop at today: recent referrals are still open, some past their
/// timers.
extension SyntheticGenerator {
    /// Codes for why a partner declined (stored in `closing_reason`, as the lead and the reports read them).
    static let declineReasons = ["no-capacity", "not-suitable", "outside-target-group", "family-unreachable", "language-not-offered"]
    static let cancelReasons = ["question-solved", "family-chose-other-offer", "moved-away"]

    struct ReferralPlan {
        let offer: Int?
        let organisation: Int
        let day: Int
        let need: NeedInfo?
        let homeVisit: Bool
    }

    /// The family's referrals: the JGZ home visit soon after settlement for families with children (R7/R19), then
    /// one for many of its pressing questions, to an offer on the theme in the family's language (or one that bridges
    /// languages). A question no offer covers gets no referral: the gap the demand-and-supply report shows.
    /// With `quota` (from `--referrals`), exactly that many.
    func referralStories(_ f: FamilyContext, needs: [NeedInfo], quota: Int?, lastChange: inout Int, rng: inout SplitMix64,
                         into batch: inout SyntheticBatch) -> [ReferralSummary] {
        let w = world
        guard !w.organisations.isEmpty else { return [] }
        var plans: [ReferralPlan] = []
        if let visit = w.homeVisit, !f.children.isEmpty, rng.chance(quota == nil ? 0.85 : 1) {
            plans.append(ReferralPlan(offer: visit, organisation: w.offers[visit].organisation,
                                      day: min(f.end, f.intake + rng.int(0, 10)), need: nil, homeVisit: true))
        }
        func offer(for theme: String?) -> Int? {
            let candidates = theme.flatMap { w.offersByTheme[$0] } ?? Array(w.offers.indices)
            guard !candidates.isEmpty else { return nil }
            let inLanguage = candidates.filter { w.offers[$0].languages.contains(f.language) }
            let bridged = candidates.filter { w.offers[$0].bridges }
            let pool = !inLanguage.isEmpty && rng.chance(0.8) ? inLanguage : !bridged.isEmpty ? bridged : candidates
            return pool[rng.int(pool.count)]
        }
        for need in needs where rng.chance(need.priority >= 2 ? 0.45 : 0.12) || quota != nil {
            guard let chosen = offer(for: need.theme) else { continue }
            // One referral per offer: a second question the same offer answers goes with the first.
            if quota == nil, plans.contains(where: { $0.offer == chosen }) { continue }
            let day = need.opened + rng.int(0, 45)
            guard day <= f.end, need.closed.map({ day < $0 }) ?? true else { continue }
            plans.append(ReferralPlan(offer: chosen, organisation: w.offers[chosen].organisation, day: day, need: need, homeVisit: false))
        }
        if let quota {
            if plans.count > quota { plans = Array(plans.prefix(quota)) }
            while plans.count < quota {
                let chosen = offer(for: nil)
                let organisation = chosen.map { w.offers[$0].organisation } ?? rng.int(w.organisations.count)
                plans.append(ReferralPlan(offer: chosen, organisation: organisation, day: rng.int(f.intake, f.end), need: nil, homeVisit: false))
            }
        }
        plans.sort { $0.day < $1.day }
        var consents: [Int: SyntheticID] = [:]
        return plans.map { referral($0, of: f, consents: &consents, lastChange: &lastChange, rng: &rng, into: &batch) }
    }

    /// One referral and its history.
    func referral(_ plan: ReferralPlan, of f: FamilyContext, consents: inout [Int: SyntheticID], lastChange: inout Int,
                  rng: inout SplitMix64, into batch: inout SyntheticBatch) -> ReferralSummary {
        let w = world
        let rid = ids.make()
        let organisation = w.organisations[plan.organisation]
        let partner = organisation.partner, lead = w.lead
        let offer = plan.offer.map { w.offers[$0] }
        let isGroup = offer?.isGroup ?? false
        let limit = f.end

        // The consent it rests on: one per organisation the family agreed to share with, given just before.
        let consent: SyntheticID
        if let known = consents[plan.organisation] { consent = known } else {
            consent = ids.make()
            consents[plan.organisation] = consent
            let given = max(f.intake, plan.day - rng.int(0, 5))
            batch.begin(.consents)
            batch.id(consent); batch.int(1); batch.text(ConsentPurpose.referral.rawValue)
            batch.text(f.interpreter ? "ouders, met tolk" : (f.parents.count == 2 ? "beide ouders" : "de ouder")); batch.day(given)
            batch.id(f.id); batch.id(w.municipality); batch.id(organisation.id); batch.id(lead.id); batch.time(Self.moment(given, &rng))
            batch.end()
            batch.codes(.consentCategories, owner: consent, [DataCategory.languages.rawValue, DataCategory.children.rawValue,
                                                             DataCategory.questions.rawValue])
        }
        // Whom it concerns: for the home visit the parents and children; for a group the parent(s) who go; else a parent.
        var members: [SyntheticID] = []
        let mother = f.parents.first { $0.female } ?? f.parents.first
        var goer = f.parents.first
        if plan.homeVisit { members = f.parents.map(\.id) + f.children }
        else if isGroup {
            let audience = offer?.audience ?? Audience.mixed.rawValue
            goer = audience == Audience.fathers.rawValue ? (f.parents.first { !$0.female } ?? f.parents.first) : mother
            members = goer.map { [$0.id] } ?? []
        } else {
            members = f.parents.prefix(1).map(\.id)
            if let child = f.children.first, rng.chance(0.4) { members.append(child) }
        }

        var events: [(at: Int, by: SyntheticWorld.Person, kind: String, from: ReferralStatus?, to: ReferralStatus?, note: String?, detail: String)] = []
        var lastAt = Self.moment(plan.day, &rng)
        func at(_ day: Int) -> Int {
            let moment = max(Self.moment(day, &rng), lastAt + 300)
            lastAt = moment
            return moment
        }
        var state = ReferralStatus.draft
        events.append((lastAt, lead, "transition", nil, .draft, nil, ""))
        var sentOn: Int?, clockOn: Int?, expectedOn: Int?, plannedOn: Int?, plannedTime: String?
        var companion: SyntheticWorld.Person?, handover: Bool?, accompanied: Bool?, firstContact: Int?, outcome: String?
        var closingReason: String?, closedOn: Int?, chasedAt: Int?
        var lastDay = plan.day
        @discardableResult
        func move(_ to: ReferralStatus, _ day: Int, by: SyntheticWorld.Person, detail: String = "", note: String? = nil) -> Bool {
            guard day <= limit else { return false }
            let day = max(day, lastDay)
            events.append((at(day), by, "transition", state, to, note, detail))
            state = to
            lastDay = day
            if to.isClosed { closedOn = day; clockOn = nil }
            return true
        }

        var waitingEntry: SyntheticID?
        var seat: Int?
        story: do {
            // A few stay drafts (made recently, not yet sent).
            if plan.day >= w.today - 45 && rng.chance(0.04) { break story }
            let sent = plan.day + (rng.chance(0.8) ? 0 : rng.int(1, 3))
            guard move(.sent, sent, by: lead) else { break story }
            sentOn = sent
            clockOn = sent
            if isGroup, goer != nil {
                // A referral to a group puts the parent on its waiting list (ReferralService.updateWaitingList).
                waitingEntry = ids.make()
            }
            // The partner answers: the JGZ within days, others mostly within the 10 working days, some much later.
            let delay = plan.homeVisit ? rng.int(1, 8) : 1 + rng.skewed(5, max: 70)
            if delay > 15, sent + 15 <= limit, rng.chance(0.6) {
                // The lead chased the partner once the answer was overdue.
                chasedAt = at(sent + 15)
                events.append((chasedAt!, lead, "chase", .sent, .sent, nil, ""))
                lastDay = sent + 15
            }
            let answer = sent + delay
            let u = rng.unit()
            let accepted: Int
            if u < 0.04 {
                let day = sent + rng.int(1, max(1, delay))
                closingReason = rng.pick(Self.cancelReasons)
                move(.cancelled, day, by: lead, note: closingReason)
                break story
            } else if u < (plan.homeVisit ? 0.06 : 0.17) {
                closingReason = rng.pick(Self.declineReasons)
                move(.declined, answer, by: partner, note: closingReason)
                break story
            } else if u < (plan.homeVisit ? 0.08 : 0.30) {
                let expected = answer + rng.int(20, 90)
                guard move(.waitingList, answer, by: partner, detail: "expected=\(SyntheticDays.iso(expected))") else { break story }
                expectedOn = expected
                clockOn = expected
                let taken = expected + rng.skewed(7, max: 60) - 10
                guard taken <= limit else { break story }
                if rng.chance(0.5) {
                    guard move(.accepted, max(taken, answer + 1), by: partner) else { break story }
                    accepted = lastDay
                    clockOn = accepted
                } else {
                    // Planned straight from the waiting list (the timer then counts from the planning).
                    accepted = max(taken, answer + 1)
                }
            } else {
                guard move(.accepted, answer, by: partner) else { break story }
                accepted = answer
                clockOn = answer
            }
            // The first contact is planned, with the key person going along for many families (R40/R43).
            let planDay = max(lastDay, accepted) + rng.int(1, 10)
            var planned = planDay + rng.int(3, 21)
            if isGroup, let offerIndex = plan.offer, let goer {
                guard let series = groups.seat(offer: offerIndex, language: f.language, female: goer.female,
                                               notBefore: planDay + 3, into: &batch, ids: &ids, rng: &rng) else { break story }
                seat = series
                planned = groups.series[series].start
            }
            if let keyPerson = f.keyPerson, rng.chance(0.45) { companion = keyPerson }
            else if let worker = f.socialWorker, rng.chance(0.15) { companion = worker }
            var detail = "planned=\(SyntheticDays.iso(planned))"
            if let companion { detail += " companion=\(companion.id.uuid.uuidString)" }
            let fromWaiting = state == .waitingList
            guard move(.firstContactPlanned, planDay, by: rng.chance(0.7) ? partner : lead, detail: detail) else { break story }
            if fromWaiting || clockOn == nil { clockOn = planDay }
            plannedOn = planned
            plannedTime = isGroup ? "09:30" : ["09:00", "10:00", "11:00", "13:30", "14:00", "15:30"][rng.int(6)]
            let r = rng.unit()
            if let person = companion, r < 0.08 {
                // The accompanied visit did not happen: recorded, and planned again.
                guard planned <= limit else { break story }
                events.append((at(planned), person, "handover", state, state, nil, "happened=false"))
                lastDay = planned
                handover = false
                let again = planned + rng.int(1, 5)
                planned = again + rng.int(5, 14)
                guard move(.firstContactPlanned, again, by: lead, detail: "planned=\(SyntheticDays.iso(planned)) companion=\(person.id.uuid.uuidString)") else { break story }
                plannedOn = planned
                handover = nil
            } else if r < 0.13 {
                closingReason = "family-did-not-come"
                move(.cancelled, planned + rng.int(0, 7), by: partner, note: closingReason)
                break story
            } else if r < 0.20 && !isGroup {
                let again = planned
                planned = again + rng.int(5, 14)
                guard move(.firstContactPlanned, again, by: partner, detail: "planned=\(SyntheticDays.iso(planned))" + (companion.map { " companion=\($0.id.uuid.uuidString)" } ?? "")) else { break story }
                plannedOn = planned
            }
            // The first contact: connection proven.
            let byCompanion = companion != nil && rng.chance(0.5)
            let went = companion.map { _ in byCompanion ? true : rng.chance(0.85) }
            guard move(.firstContactMade, planned, by: byCompanion ? companion! : partner,
                       detail: went.map { "accompanied=\($0)" } ?? "") else { break story }
            firstContact = planned
            accompanied = went
            if byCompanion { handover = true }
            clockOn = nil
            if let seat, let goer {
                groups.participate(series: seat, family: f.id, member: goer.id, source: .waitingList, invited: planned - 14,
                                   waitingEntry: waitingEntry, lastChange: &lastChange, into: &batch, ids: &ids, rng: &rng)
            }
            // Then the support runs and ends with an outcome reported back to the lead.
            func outcomeCode() -> String {
                let v = rng.unit()
                return (v < 0.5 ? ReferralOutcome.goalReached : v < 0.8 ? .partlyReached : v < 0.92 ? .droppedOut : .movedOn).rawValue
            }
            if plan.homeVisit {
                outcome = rng.chance(0.85) ? ReferralOutcome.goalReached.rawValue : ReferralOutcome.partlyReached.rawValue
                move(.completed, planned + (rng.chance(0.7) ? 0 : rng.int(1, 30)), by: partner, detail: "outcome=\(outcome!)")
                if state != .completed { outcome = nil }
            } else if rng.chance(0.7) {
                guard move(.active, planned + rng.int(0, 14), by: partner) else { break story }
                let active = lastDay
                if rng.chance(0.25) { move(.active, active + rng.int(30, 60), by: partner, note: "Loopt goed") }
                let code = outcomeCode()
                if move(.completed, active + rng.int(30, 200), by: rng.chance(0.8) ? partner : lead, detail: "outcome=\(code)") {
                    outcome = code
                }
            } else {
                let code = outcomeCode()
                if move(.completed, planned + rng.int(0, 30), by: partner, detail: "outcome=\(code)") { outcome = code }
            }
        }
        // The family's file closed while the referral was still open: it ends with it.
        if f.closed, state.isOpen || state == .draft {
            closingReason = "family-closed"
            if move(.cancelled, f.end, by: lead, note: closingReason) {} else { closingReason = nil }
        }

        // The referral row as it stands.
        let statusChangedAt = events.last!.at
        let updated = max(statusChangedAt, chasedAt ?? 0)
        lastChange = max(lastChange, updated)
        let reasonText: String
        if plan.homeVisit { reasonText = "Huisbezoek JGZ na de vestiging in de gemeente" }
        else if let need = plan.need { reasonText = "Vraag van de ouders over \(Self.themeWords[need.theme] ?? "opgroeien en opvoeden")" }
        else { reasonText = "Ondersteuning bij opgroeien en opvoeden" }
        batch.begin(.referrals)
        batch.id(rid); batch.int(events.filter { $0.kind == "transition" }.count); batch.text(state.rawValue); batch.time(statusChangedAt)
        batch.day(state.isClosed ? nil : clockOn); batch.day(sentOn); batch.day(closedOn); batch.text(reasonText)
        batch.text(f.language); batch.bool(f.interpreter); batch.day(expectedOn); batch.day(plannedOn); batch.text(plannedTime)
        batch.bool(handover); batch.bool(accompanied); batch.day(firstContact); batch.text(outcome); batch.text(closingReason)
        batch.time(chasedAt); batch.id(w.municipality); batch.id(f.id); batch.id(lead.id); batch.id(lead.id)
        batch.id(offer?.id); batch.id(organisation.id); batch.id(consent); batch.id(companion?.id)
        batch.time(events.first!.at); batch.time(updated)
        // A partner's decline carries its code (`DeclineReason`) besides the words.
        batch.text(state == .declined ? closingReason : nil)
        batch.end()
        for event in events {
            batch.begin(.referralEvents)
            batch.id(ids.make()); batch.id(rid); batch.id(w.municipality); batch.time(event.at); batch.id(event.by.id)
            batch.text(event.by.name); batch.text(event.by.role); batch.text(event.kind); batch.text(event.from?.rawValue)
            batch.text(event.to?.rawValue); batch.text(event.note); batch.text(event.detail)
            batch.end()
        }
        batch.ids(.referralMembers, owner: rid, members)
        if let need = plan.need { batch.ids(.referralNeeds, owner: rid, [need.id]) }
        batch.codes(.referralSharedFields, owner: rid, ReferralSharedField.minimalDefault.map(\.rawValue))
        if let entry = waitingEntry, let offer, let goer, let sentOn {
            let status: GroupWaitingStatus = state == .declined || state == .cancelled ? .left
                : firstContact != nil ? .placed : .waiting
            batch.begin(.waitingList)
            batch.id(entry); batch.id(w.municipality); batch.id(offer.id); batch.id(f.id); batch.id(rid); batch.text(f.language)
            batch.day(sentOn); batch.text(status.rawValue); batch.time(updated)
            batch.end()
            batch.ids(.waitingMembers, owner: entry, [goer.id])
        }
        return ReferralSummary(id: rid, offer: plan.offer, created: plan.day, firstContact: firstContact, homeVisit: plan.homeVisit)
    }

    /// How a referral's reason names a theme (Dutch, as the lead writes it).
    static let themeWords: [String: String] = [
        "school-system": "school en het onderwijs", "care-system": "wie waarvoor helpt", "childcare-preschool": "opvang en peuterspeelzaal",
        "child-health": "de gezondheid van de kinderen", "mental-health": "stress, slapen en zich goed voelen",
        "boundaries-behaviour": "grenzen stellen", "emotional-development": "gevoelens van het kind",
        "development-delay": "de ontwikkeling van een kind", "puberty": "pubers", "two-cultures": "opvoeden tussen twee culturen",
        "multilingualism": "meertalig opvoeden", "responsive-talking": "praten met het kind", "parenting-confidence": "zekerheid als ouder",
        "sexual-health": "seksuele gezondheid", "pregnancy-birth": "zwangerschap en geboorte", "digital-parenting": "opvoeden en internet",
        "child-protection-fears": "wat jeugdzorg doet", "discrimination": "discriminatie", "religion": "geloof en opvoeden",
        "leisure": "vrije tijd", "fathers": "de rol van de vader", "future": "de toekomst van de kinderen",
        "worried-about-child": "zorgen over een kind", "family-reunification": "het gezin na de hereniging", "money-stress": "geldzorgen",
    ]
}

/// `wegwijs seed synthetic --referrals N` without `--families`: N referrals over the municipality's active families as
/// they are (one per family in turn), each with its consent, history and links (the same stories as above).
enum SyntheticReferrals {
    static func seed(_ app: Application, count: Int, options: SyntheticOptions) async throws -> SyntheticSummary {
        let started = ContinuousClock.now
        guard let sql = app.db as? any SQLDatabase else { throw ConfigError("seed synthetic needs an SQL database") }
        let dialect: SyntheticDialect = sql.dialect.name == "postgresql" ? .postgres : .sqlite
        let world = try await SyntheticWorld.load(app, options: options, dialect: dialect)
        let municipalityID = world.municipality.uuid
        var families: [(id: UUID, intake: Date?, keyPerson: UUID?)] = []
        for family in try await Family.query(on: app.db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$status == FamilyStatus.active).sort(\.$createdAt).sort(\.$id).all() {
            families.append((family.id!, family.createdAt, family.$keyPerson.id))
        }
        guard !families.isEmpty else { throw ConfigError("\(options.municipality) has no active families") }
        let generator = SyntheticGenerator(world: world, options: options, offset: 0,
                                           startMilliseconds: UInt64(app.clock.now.timeIntervalSince1970 * 1000))
        var summary = SyntheticSummary()
        var done = 0
        var round = 0
        while done < count {
            // A page of families in turn, with their parents, children and first language.
            let page = Array(families[(done % families.count)..<min(families.count, done % families.count + min(2_000, count - done))])
            let pageIDs = page.map(\.id)
            let members = try await Member.query(on: app.db).filter(\.$family.$id ~~ pageIDs).sort(\.$position).all()
            let languages = try await CodeTables.familyLanguages.load(pageIDs, on: app.db)
            let keyPersons = try await User.query(on: app.db).filter(\.$id ~~ Set(page.compactMap(\.keyPerson))).all()
            var batch = SyntheticBatch(dialect: dialect)
            for (offset, family) in page.enumerated() {
                var rng = SplitMix64(seed: options.seed &* 0x2545_F491_4F6C_DD1D ^ UInt64(done + offset) &+ UInt64(round))
                let own = members.filter { $0.$family.id == family.id }
                let parents = own.filter { $0.role == .parent }.map {
                    SyntheticGenerator.Parent(id: SyntheticID($0.id!), female: $0.gender != "male", language: languages[family.id]?.first ?? "nl",
                                              languages: languages[family.id] ?? [])
                }
                let intake = family.intake.map { SyntheticDays.day(CalendarDate.inNetherlands($0)) } ?? world.today - 30
                let keyPerson = keyPersons.first { $0.id == family.keyPerson }
                    .map { SyntheticWorld.Person(id: SyntheticID($0.id!), name: $0.displayName, role: $0.role) }
                let context = SyntheticGenerator.FamilyContext(
                    id: SyntheticID(family.id), reference: "", language: languages[family.id]?.first ?? "nl", interpreter: false,
                    parents: parents, children: own.filter { $0.role == .child }.compactMap { $0.id.map(SyntheticID.init) },
                    keyPerson: keyPerson, socialWorker: nil, settled: intake, intake: min(intake, world.today - 1), end: world.today,
                    closed: false)
                var lastChange = 0
                var consents: [Int: SyntheticID] = [:]
                let chosen = world.offers.isEmpty ? nil : rng.int(world.offers.count)
                let plan = SyntheticGenerator.ReferralPlan(
                    offer: chosen, organisation: chosen.map { world.offers[$0].organisation } ?? rng.int(world.organisations.count),
                    day: rng.int(max(context.intake, world.today - 120), world.today), need: nil, homeVisit: false)
                _ = generator.referral(plan, of: context, consents: &consents, lastChange: &lastChange, rng: &rng, into: &batch)
            }
            batch.finish()
            summary.add(batch)
            let written = page.count, rows = batch
            try await app.audit.write(on: app.db, by: .system) { tx, recorder in
                try await SyntheticWriter.write(rows, on: tx)
                recorder.record(AuditEvent(action: "seed.synthetic", purpose: AuditPurpose.administration, detail: "referrals=\(written)"))
            }
            done += written
            if done % families.count == 0 { round += 1 }
        }
        summary.seconds = (ContinuousClock.now - started).inSeconds
        return summary
    }
}
