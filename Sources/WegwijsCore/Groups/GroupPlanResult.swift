import Foundation

extension PlannerState {
    /// The plan as the contract's values: running series first (input order), then new series by language,
    /// audience, time and place; parents in input order; unplaced parents by input order with a reason.
    mutating func result() -> GroupPlan {
        // Hand each type's parents out over its kinds in edge order.
        var kindParents = Array(repeating: [Int](), count: kindCount)
        for t in 0..<typeCount {
            var next = 0
            for e in edgeStart[t]..<edgeStart[t + 1] where x[e] > 0 {
                kindParents[edgeKind[e]] += typeParents[t][next..<(next + x[e])]
                next += x[e]
            }
        }
        for k in 0..<kindCount { kindParents[k].sort() }
        var taken = Array(repeating: 0, count: kindCount)
        var output: [PlannedSeries] = []
        for (kind, index) in existingSeries {
            let running = input.existing[index]
            let free = max(0, maxSize - running.parents.count)
            let joining = kindParents[kind][taken[kind]..<min(kindParents[kind].count, taken[kind] + free)]
            taken[kind] += joining.count
            output.append(PlannedSeries(id: running.id, language: running.language, audience: running.audience,
                                        time: running.time, place: running.place, trainer: running.trainer,
                                        keyPerson: running.keyPerson,
                                        parents: running.parents + joining.map { input.parents[$0].id }))
        }
        var trainerQueue = (0..<2).map { trainers.persons(of: $0) }
        var keyQueue = (0..<keys.slotCount).map { keys.persons(of: $0) }
        for k in 0..<kindCount where series[k] > 0 {
            let parts = kindParts(k)
            let rest = Array(kindParents[k][taken[k]...])
            // Even sizes: n series of ⌊L/n⌋ or ⌈L/n⌉, all within [minSize, maxSize] since minSize·n ≤ L ≤ maxSize·n.
            let n = series[k]
            var start = 0
            for i in 0..<n {
                let size = rest.count / n + (i < rest.count % n ? 1 : 0)
                let members = rest[start..<(start + size)]
                start += size
                let trainer = trainerQueue[parts.t].removeFirst()
                let key = keyQueue[keySlot(k)].removeFirst()
                output.append(PlannedSeries(language: languages[parts.l], audience: Self.audiences[parts.a],
                                            time: Self.times[parts.t], place: places[parts.p],
                                            trainer: input.facilitators[trainerIDs[trainer]].id,
                                            keyPerson: input.facilitators[keyIDs[key]].id,
                                            parents: members.map { input.parents[$0].id }))
            }
        }
        return GroupPlan(series: output, unplaced: unplacedWithReasons())
    }

    private struct Blocker {
        var reason: UnplacedReason
        var rank: Int
        var kind: Int
    }

    /// For every parent left over: the first thing in the way on their most promising option (the kind where they
    /// got furthest), and one sentence per group of parents in the same situation.
    mutating func unplacedWithReasons() -> [UnplacedParent] {
        var names: [String: String] = [:]
        func name(_ code: String) -> String {
            if let known = names[code] { return known }
            let looked = GroupPlanLanguageNames.name(code)
            names[code] = looked
            return looked
        }
        var keySpeaks = Array(repeating: false, count: languages.count)
        for l in 0..<languages.count where keys.anyone(l * 2) || keys.anyone(l * 2 + 1) { keySpeaks[l] = true }
        var entries: [(parent: Int, reason: UnplacedReason, key: String)] = []
        var groupSize: [String: Int] = [:]
        var sentence: [String: String] = [:]
        for t in 0..<typeCount where unplaced[t] > 0 {
            var best: Blocker?
            for e in edgeStart[t]..<edgeStart[t + 1] {
                let k = edgeKind[e]
                let parts = kindParts(k)
                let blocker: Blocker
                if !keySpeaks[parts.l] {
                    blocker = Blocker(reason: .noKeyPersonForLanguage, rank: 0, kind: k)
                } else if !keys.anyone(keySlot(k)) {
                    blocker = Blocker(reason: .noKeyPersonAtTime, rank: 1, kind: k)
                } else if !trainers.anyone(timeSlot(k)) {
                    blocker = Blocker(reason: .noTrainerAtTime, rank: 1, kind: k)
                } else if !canOpen(k) {
                    blocker = Blocker(reason: .facilitatorsFullyBooked, rank: 2, kind: k)
                } else {
                    blocker = Blocker(reason: .belowMinimum, rank: 3, kind: k)
                }
                if best == nil || blocker.rank > best!.rank { best = blocker }
            }
            let parent = input.parents[typeParents[t][0]]
            let (reason, key, text) = describe(best, parent, name)
            // The unplaced parents of the type: the last ones (placed ones were handed out first).
            for p in typeParents[t].suffix(unplaced[t]) { entries.append((p, reason, key)) }
            groupSize[key, default: 0] += unplaced[t]
            sentence[key] = text
        }
        entries.sort { $0.parent < $1.parent }
        // One sentence per situation, with its count (the audience is part of the key, so {who} is the same).
        var final: [String: String] = [:]
        for entry in entries where final[entry.key] == nil {
            let count = groupSize[entry.key]!
            final[entry.key] = sentence[entry.key]!
                .replacingOccurrences(of: "{n}", with: "\(count)")
                .replacingOccurrences(of: "{who}", with: Self.who(count, parent: input.parents[entry.parent]))
        }
        return entries.map { UnplacedParent(id: input.parents[$0.parent].id, reason: $0.reason, explanation: final[$0.key]!) }
    }

    /// The reason, the key that groups parents in the same situation, and the sentence ({n} and {who} filled in later).
    private mutating func describe(_ blocker: Blocker?, _ parent: WaitingParent,
                                   _ languageName: (String) -> String) -> (UnplacedReason, String, String) {
        let audienceKey = parent.audience.rawValue
        guard let blocker else {
            let language = languageName(parent.languages.sorted().first ?? "")
            return (.noMatchingPlace, "place|\(language)|\(audienceKey)",
                    "{n} \(language) {who}: no district they can reach, and online does not suit them")
        }
        let parts = kindParts(blocker.kind)
        let language = languageName(languages[parts.l])
        let key = "\(blocker.reason.rawValue)|\(languages[parts.l])|\(audienceKey)"
        let times = Set(parent.times).sorted()
        let time = Self.times[parts.t].rawValue
        switch blocker.reason {
        case .noKeyPersonForLanguage:
            return (blocker.reason, key, "{n} \(language) {who}: no key person speaks \(language)")
        case .noKeyPersonAtTime, .noTrainerAtTime:
            // What is missing at each time the parent can come (a key person then, a trainer then, or both).
            var clauses: [String] = []
            for when in times {
                let noKey = !keys.anyone(parts.l * 2 + when.index)
                let noTrainer = !trainers.anyone(when.index)
                if noKey { clauses.append("no key person speaks \(language) in the \(when.rawValue)") }
                if noTrainer { clauses.append("no trainer works in the \(when.rawValue)") }
            }
            let text = clauses.joined(separator: ", and ")
            return (blocker.reason, key + "|\(text)", "{n} \(language) {who}: \(text)")
        case .facilitatorsFullyBooked:
            let trainersFull = !trainers.canAdd(timeSlot(blocker.kind))
            let keysFull = !keys.canAdd(keySlot(blocker.kind))
            let who = trainersFull && keysFull
                ? "the trainers and the key persons who speak \(language) in the \(time) are"
                : trainersFull ? "the trainers in the \(time) are" : "the key persons who speak \(language) in the \(time) are"
            return (blocker.reason, key + "|\(time)|\(trainersFull)|\(keysFull)", "{n} \(language) {who}: \(who) fully booked")
        case .belowMinimum:
            return (blocker.reason, key, "{n} \(language) {who}: below the minimum of \(minSize) for a series")
        case .noMatchingPlace:
            return (blocker.reason, key, "{n} \(language) {who}: no district they can reach, and online does not suit them")
        }
    }

    static func who(_ count: Int, parent: WaitingParent) -> String {
        switch parent.audience {
        case .mothers: count == 1 ? "mother" : "mothers"
        case .fathers: count == 1 ? "father" : "fathers"
        case .mixed: count == 1 ? "parent for a mixed group" : "parents for a mixed group"
        }
    }
}

/// English names of language codes for the planner's sentences (Foundation's names, with the code as fallback).
enum GroupPlanLanguageNames {
    static func name(_ code: String) -> String {
        Locale(identifier: "en").localizedString(forLanguageCode: code).map { $0.isEmpty ? code : $0 } ?? code
    }
}
