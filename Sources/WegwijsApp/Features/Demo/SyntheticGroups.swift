import Foundation
import WegwijsCore

/// The group series of `seed synthetic` (R21, R26): series of five weekly meetings per group offer, language and
/// audience, a new wave every four weeks, as many in a wave as the parents who come need (12–15 a series). Series
/// are made when the first parent is seated in them, so their number follows the families generated; their
/// evaluations (parents' counts per question and face, the facilitators' own) are written at the end of the run,
/// when the attendance of every series is known.
struct SyntheticGroups {
    struct Series {
        let id: SyntheticID
        let offer: Int
        let language: String
        let audience: String
        let start: Int
        let sessions: [(id: SyntheticID, day: Int, topic: String)]
        let trainer: SyntheticWorld.Person
        let keyPerson: SyntheticWorld.Person
        let capacity: Int
        let maxSize: Int
        var accepted = 0
        /// Parents who stayed to the end and came to most meetings: who answer the evaluation.
        var completers = 0
        var last: Int { sessions.last!.day }
    }

    struct Key: Hashable {
        let offer: Int
        let language: String
        let audience: String
        let wave: Int
    }

    let world: SyntheticWorld
    /// The first wave's Wednesday.
    let base: Int
    private(set) var series: [Series] = []
    private var filling: [Key: Int] = [:]
    /// Parents of the family in hand already seated in a series, and in which (a parent is in a series once).
    var seatedInFamily: Set<SyntheticID> = []
    private var seats: Set<[UInt64]> = []

    /// Differs per run (the families before it), so a second run's evaluation tokens differ from the first's.
    let salt: UInt64

    /// Forgets the seats of the family in hand.
    mutating func nextFamily() {
        seatedInFamily.removeAll(keepingCapacity: true)
        seats.removeAll(keepingCapacity: true)
    }

    init(world: SyntheticWorld, salt: UInt64) {
        self.world = world
        self.salt = salt
        var day = world.start - 56
        while SyntheticDays.weekday(day) != 2 { day += 1 }
        base = day
    }

    /// The series of `offer` a parent can join from `notBefore`: in the parent's language (or in Dutch with an
    /// interpreter when the offer is given in Dutch), for mothers or fathers (R39), with room. Nil when the offer
    /// has no series for them, or the next one is more than eight weeks ahead (not planned yet).
    mutating func seat(offer: Int, language: String, female: Bool, notBefore: Int, into batch: inout SyntheticBatch,
                       ids: inout SyntheticIDs, rng: inout SplitMix64) -> Int? {
        let info = world.offers[offer]
        let seriesLanguage: String
        if info.languages.contains(language) && language != "nl" { seriesLanguage = language }
        else if info.languages.contains("nl") { seriesLanguage = "nl" } else { return nil }
        let audience = info.audience == Audience.mixed.rawValue ? (female ? Audience.mothers.rawValue : Audience.fathers.rawValue) : info.audience
        if audience == Audience.mothers.rawValue && !female || audience == Audience.fathers.rawValue && female { return nil }
        let wave = max(0, (notBefore - base + 27) / 28)
        let start = base + 28 * wave
        guard start <= world.today + 56 else { return nil }
        let key = Key(offer: offer, language: seriesLanguage, audience: audience, wave: wave)
        if let index = filling[key], series[index].accepted < series[index].capacity { return index }
        let index = series.count
        series.append(make(key, start: start, into: &batch, ids: &ids, rng: &rng))
        filling[key] = index
        return index
    }

    private func make(_ key: Key, start: Int, into batch: inout SyntheticBatch, ids: inout SyntheticIDs,
                      rng: inout SplitMix64) -> Series {
        let w = world
        let id = ids.make()
        let fathers = key.audience == Audience.fathers.rawValue
        var topics = GroupTopics.standard.map(\.rawValue) + [Theme.careSystem.rawValue]
        if fathers { topics[1] = Theme.fathers.rawValue }
        let first = topics.removeFirst()
        topics.shuffle(using: &rng)
        topics.insert(first, at: 0)
        let evening = rng.chance(fathers ? 0.6 : 0.2)
        let (from, to) = evening ? ("19:00", "21:00") : ("09:30", "11:30")
        let childcare = !evening && rng.chance(0.85)
        var sessions: [(id: SyntheticID, day: Int, topic: String)] = []
        for (number, topic) in topics.enumerated() { sessions.append((ids.make(), start + 7 * number, topic)) }
        let pool = w.keyPersons[key.language] ?? w.keyPersons.keys.sorted().first.flatMap { w.keyPersons[$0] } ?? []
        let keyPerson = pool.isEmpty ? w.lead : pool[rng.int(pool.count)]
        let trainer = w.trainers.isEmpty ? w.lead : w.trainers[rng.int(w.trainers.count)]
        let maxSize = 15
        let last = sessions.last!.day
        let status: GroupSeriesStatus = last < w.today ? .finished : start <= w.today ? .running : .planned
        let online = rng.chance(0.1)
        let created = SyntheticGenerator.moment(start - 35, &rng)
        batch.begin(.groupSeries)
        batch.id(id); batch.int(1 + sessions.filter { $0.day <= w.today }.count); batch.text(key.language)
        batch.bool(key.language == "nl" || rng.chance(0.15)); batch.text(key.audience); batch.int(8); batch.int(maxSize)
        batch.text(online ? "online" : w.districts[rng.int(w.districts.count)])
        batch.text(online ? nil : ["Buurthuis De Brug, Brugstraat 14", "Wijkcentrum De Kastanje, Kastanjeplein 3",
                                   "Ontmoetingscentrum Samen Sterk, Havenkade 22"][rng.int(3)])
        batch.text(evening ? TimeOfDay.evening.rawValue : TimeOfDay.daytime.rawValue); batch.bool(childcare)
        batch.day(start); batch.day(last); batch.text(status.rawValue); batch.id(w.municipality); batch.id(w.offers[key.offer].id)
        batch.id(trainer.id); batch.id(keyPerson.id); batch.time(created)
        batch.time(max(created, SyntheticGenerator.moment(min(w.today, last), &rng)))
        batch.end()
        for session in sessions {
            batch.begin(.groupSessions)
            batch.id(session.id); batch.int(session.day <= w.today ? 2 : 1); batch.day(session.day); batch.text(from); batch.text(to)
            batch.text(session.topic); batch.int(childcare && session.day <= w.today ? rng.int(2, 9) : nil); batch.id(id)
            batch.time(created); batch.time(session.day <= w.today ? session.day * 86_400 + 72_000 : created)
            batch.end()
        }
        return Series(id: id, offer: key.offer, language: key.language, audience: key.audience, start: start,
                      sessions: sessions, trainer: trainer, keyPerson: keyPerson, capacity: rng.int(12, 15), maxSize: maxSize)
    }

    /// A parent in a series: invited (and their answer), or placed from the waiting list; attendance at each
    /// meeting held so far; some stop coming (with a reason a coordinator can act on).
    mutating func participate(series index: Int, family: SyntheticID, member: SyntheticID, source: ParticipantSource,
                              invited: Int, waitingEntry: SyntheticID?, lastChange: inout Int,
                              into batch: inout SyntheticBatch, ids: inout SyntheticIDs, rng: inout SplitMix64) {
        let w = world
        let s = series[index]
        guard seats.insert([UInt64(index), member.hi, member.lo]).inserted else { return }
        seatedInFamily.insert(member)
        let answer: InvitationAnswer
        if source == .waitingList { answer = .accepted }
        else if s.start > w.today { answer = rng.chance(0.5) ? .invited : .accepted }
        else {
            let u = rng.unit()
            answer = u < 0.62 ? .accepted : u < 0.80 ? .declined : .noAnswer
        }
        let pid = ids.make()
        var status = ParticipantStatus.active
        var reason: DropOutReason?
        var updated = SyntheticGenerator.moment(min(w.today, max(invited, s.start - 7)), &rng)
        var rows: [(id: SyntheticID, status: AttendanceStatus, children: Int, session: SyntheticID, at: Int)] = []
        if answer == .accepted {
            series[index].accepted += 1
            let propensity = 0.55 + 0.4 * rng.unit()
            let dropAt = rng.chance(0.14) ? rng.int(1, 4) : nil
            var present = 0
            for (number, session) in s.sessions.enumerated() where session.day <= w.today {
                if let dropAt, number >= dropAt {
                    status = .droppedOut
                    reason = DropOutReason.allCases[rng.int(DropOutReason.allCases.count)]
                    break
                }
                let mark: AttendanceStatus = rng.chance(propensity) ? .present : rng.chance(0.4) ? .excused : .absent
                if mark == .present { present += 1 }
                let at = session.day * 86_400 + 72_000 + rng.int(0, 3_000)
                rows.append((ids.make(), mark, mark == .present && rng.chance(0.12) ? rng.int(1, 2) : 0, session.id, at))
                updated = max(updated, at)
            }
            if status == .active, s.last <= w.today, present >= 3 { series[index].completers += 1 }
        }
        lastChange = max(lastChange, updated)
        let created = SyntheticGenerator.moment(min(w.today, invited), &rng)
        batch.begin(.participants)
        batch.id(pid); batch.int(1 + rows.count + (status == .droppedOut ? 1 : 0)); batch.text(source.rawValue)
        batch.text(answer.rawValue); batch.text(status.rawValue); batch.text(reason?.rawValue); batch.id(s.id)
        batch.id(w.municipality); batch.id(family); batch.id(member); batch.id(waitingEntry); batch.time(created)
        batch.time(max(created, updated))
        batch.end()
        for row in rows {
            batch.begin(.attendance)
            batch.id(row.id); batch.text(row.status.rawValue); batch.int(row.children); batch.id(row.session); batch.id(pid)
            batch.time(row.at)
            batch.end()
        }
    }

    /// The evaluations of the finished series: most got a link; the parents who stayed answered by phone or on
    /// paper (counts only, R47); the trainer and the key person wrote their own.
    func evaluations(into batch: inout SyntheticBatch, ids: inout SyntheticIDs) {
        let w = world
        for (index, s) in series.enumerated() where s.last < w.today {
            var rng = SplitMix64(seed: (w.seed ^ 0xE7A1_0000 &+ UInt64(index)) &+ salt &* 0x9E37_79B9_7F4A_7C15)
            guard rng.chance(0.85), s.accepted > 0 else { continue }
            let closed = s.last + 21 < w.today
            let responses = min(2 * s.maxSize, Int((Double(s.completers) * (0.55 + 0.35 * rng.unit())).rounded()))
            let eid = ids.make()
            var token = ""
            for _ in 0..<4 { token += String(format: "%016llx", rng.next()) }
            batch.begin(.evaluations)
            batch.id(eid); batch.int(1 + (closed ? 1 : 0)); batch.text(token)
            batch.text(closed ? EvaluationStatus.closed.rawValue : EvaluationStatus.open.rawValue); batch.int(responses)
            batch.day(s.last); batch.day(closed ? s.last + 21 : nil); batch.id(s.id); batch.id(w.municipality); batch.id(w.offers[s.offer].id)
            batch.end()
            let phone = Int((Double(responses) * (0.4 + 0.4 * rng.unit())).rounded())
            for (source, n) in [(EvaluationSource.phone, phone), (.paper, responses - phone)] where n > 0 {
                func count(_ question: String, _ answer: String, _ value: Int) {
                    guard value > 0 else { return }
                    batch.begin(.evaluationCounts)
                    batch.id(eid); batch.text(question); batch.text(answer); batch.text(source.rawValue); batch.int(value)
                    batch.end()
                }
                count(EvaluationCounts.responses, "", n)
                for question in EvaluationQuestion.allCases {
                    var tally: [EvaluationFace: Int] = [:]
                    for _ in 0..<n {
                        let u = rng.unit()
                        if u < 0.62 { tally[.yes, default: 0] += 1 } else if u < 0.88 { tally[.aLittle, default: 0] += 1 }
                        else if u < 0.95 { tally[.no, default: 0] += 1 }
                    }
                    for face in EvaluationFace.allCases { count(question.rawValue, face.rawValue, tally[face] ?? 0) }
                }
                var topics: [String: Int] = [:]
                for _ in 0..<n where rng.chance(0.85) { topics[s.sessions[rng.int(s.sessions.count)].topic, default: 0] += 1 }
                for (topic, value) in topics.sorted(by: { $0.key < $1.key }) { count(EvaluationCounts.favourite, topic, value) }
            }
            let texts = [("De ouders stelden veel vragen over school.", "Meer tijd voor vragen aan het eind."),
                         ("Goede sfeer; de opvang werkte.", "De uitnodiging eerder rondbrengen."),
                         ("De gastspreker van het consultatiebureau viel goed.", "Een bijeenkomst over geld toevoegen."),
                         ("Moeders kwamen samen naar de bibliotheek.", "Minder informatie per bijeenkomst.")]
            for (person, role) in [(s.trainer, FacilitatorRole.trainer), (s.keyPerson, .keyPerson)] where rng.chance(0.8) {
                guard role == .trainer || s.keyPerson.id != s.trainer.id else { continue }
                let text = texts[rng.int(texts.count)]
                batch.begin(.facilitatorEvaluations)
                batch.id(ids.make()); batch.int(1); batch.text(role.rawValue); batch.text(text.0); batch.text(text.1)
                batch.text("Gemiddeld \(max(1, s.accepted - rng.int(0, 3))) ouders per bijeenkomst"); batch.int(rng.int(3, 5))
                batch.day(min(w.today, s.last + rng.int(0, 10))); batch.id(s.id); batch.id(person.id)
                batch.end()
            }
        }
    }
}

extension SyntheticGenerator {
    /// R26: every newly settled parent who speaks a language of the invitation offer is invited to a series of it —
    /// more of them in later years (the municipality got better at it). Placed: a participant; not yet: waiting on
    /// the planner's input.
    func groupInvitations(_ f: FamilyContext, rng: inout SplitMix64, lastChange: inout Int, into batch: inout SyntheticBatch) {
        defer { groups.nextFamily() }
        let w = world
        guard let invitation = w.invitationOffer, w.offers[invitation].languages.contains(f.language) else { return }
        let progress = Double(f.settled - w.start) / Double(max(1, w.today - w.start))
        for parent in f.parents where !groups.seatedInFamily.contains(parent.id) {
            guard rng.chance((parent.female ? 0.55 : 0.35) + 0.3 * progress) else { continue }
            let invited = max(f.intake, f.settled) + rng.int(14, 120)
            guard invited <= f.end else { continue }
            let status: GroupWaitingStatus
            if let series = groups.seat(offer: invitation, language: f.language, female: parent.female, notBefore: invited + 14,
                                        into: &batch, ids: &ids, rng: &rng) {
                groups.participate(series: series, family: f.id, member: parent.id, source: .invitation, invited: invited,
                                   waitingEntry: nil, lastChange: &lastChange, into: &batch, ids: &ids, rng: &rng)
                status = .placed
            } else if invited >= w.today - 150 {
                status = .waiting
            } else { continue }
            let at = Self.moment(min(invited, w.today), &rng)
            lastChange = max(lastChange, at)
            batch.begin(.invitees)
            batch.id(ids.make()); batch.text(f.language); batch.day(min(invited, w.today)); batch.text(status.rawValue)
            batch.id(w.municipality); batch.id(w.offers[invitation].id); batch.id(f.id); batch.id(parent.id); batch.time(at)
            batch.end()
        }
    }
}
