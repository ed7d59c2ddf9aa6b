/// The group-series planner (issue 14, item 4). Deterministic: the same input gives the same plan, byte for byte.
///
/// How it works (docs/groups.md, "The planner"):
/// 1. Identical parents are one *type* (same languages, audience, mixedOk, times, online, districts); a series
///    *kind* is a (language, audience, time, place). Which types may go to which kinds is a bipartite graph.
/// 2. The parents are a flow: type → kind → the kind's series (each up to maxSize, at least minSize). With the
///    number of series per kind fixed, placing as many parents as possible is a maximum flow; the planner keeps
///    that flow and grows it along augmenting paths, which move placed parents to their other options to make room.
/// 3. Facilitators are two b-matchings (trainers to times, key persons to language × time), also grown along
///    augmenting paths, so a series is opened only when somebody can be freed to lead it.
/// 4. Series are opened in rounds of decreasing gain (a full series first): in each round first where enough
///    unplaced parents can go directly (ties: the kind whose parents have the fewest other options, so flexible
///    parents stay free for pooling), then where augmenting paths pool parents from several kinds (and from series
///    above their minimum). Then a local search closes the emptiest series and reopens their facilitators
///    elsewhere when that places more. This runs for a few fixed tie-break rules and the best plan wins.
/// 5. Series of one kind that fit into fewer series are merged; every parent still unplaced gets a reason.
/// The objective is lexicographic: most parents placed, then fewest series.
public enum GroupPlanner {
    /// `alreadyValidated`: the input comes from `GroupPlanInput.parse(json:)`, which validated it.
    public static func plan(_ input: GroupPlanInput, alreadyValidated: Bool = false) throws(GroupPlanInputError) -> GroupPlan {
        if !alreadyValidated { try input.validate() }
        // A few deterministic variants of the opening order; the best plan wins (more placed, then fewer series,
        // then the earlier variant).
        let start = PlannerState(input)
        var best: PlannerState?
        for tieBreak in PlannerState.variants {
            var planner = start
            planner.tieBreak = tieBreak
            planner.run()
            if best == nil || (planner.placedCount, -planner.seriesCount) > (best!.placedCount, -best!.seriesCount) {
                best = planner
            }
            // Nobody can do better than every parent, or every series full: stop early.
            if best!.placedCount >= start.upperBound { break }
        }
        var chosen = best!
        return chosen.result()
    }
}

struct PlannerState {
    let input: GroupPlanInput
    let minSize: Int
    let maxSize: Int
    let languages: [String]
    let places: [String]            // districts, sorted, then "online"
    var onlineIndex: Int { places.count - 1 }
    static let audiences: [Audience] = [.mothers, .fathers, .mixed]
    static let times: [TimeOfDay] = [.daytime, .evening]
    let kindCount: Int
    /// How greedy opening breaks ties between kinds that place as many parents: by the flexibility of the parents
    /// it would take (flexible ones are kept for pooling), with online series (which pool most) kept for later or
    /// not.
    enum TieBreak: CaseIterable { case inflexibleFirst, onlineLast, onlineAndMixedLast, squaredOnlineLast }
    var tieBreak = TieBreak.inflexibleFirst
    /// In this order; measured on the benchmark's instances, the first usually wins.
    static let variants: [TieBreak] = [.onlineAndMixedLast, .onlineLast, .squaredOnlineLast, .inflexibleFirst]
    /// No plan places more than every parent, nor more than full series for every trainer's or key person's capacity.
    var upperBound: Int {
        let seats = maxSize * min(trainers.capacity.reduce(0, +), keys.capacity.reduce(0, +))
        return min(typeParents.reduce(0) { $0 + $1.count }, seats + existingFree.reduce(0, +))
    }

    // types
    var typeParents: [[Int]] = []      // parent indices (input order)
    var typeCount: Int { typeParents.count }
    var edgeStart: [Int] = [0]         // CSR by type
    var edgeKind: [Int] = []
    var edgeType: [Int] = []
    var kindEdgeStart: [Int] = []      // CSR by kind: edge ids
    var kindEdges: [Int] = []
    var flexibility: [Int] = []        // viable kinds per type (fewer = place first)
    /// Unplaced parents per kind and flexibility (capped), kept with `unplaced`: the tie-break reads it in O(64).
    var flexHistogram: [Int] = []
    static let flexBuckets = 64
    /// The tie-break score per kind for the gain it was computed at; -1 when the kind's histogram changed.
    var spreadCache: [Int] = []
    var spreadGain: [Int] = []

    // flow
    var x: [Int] = []
    var unplaced: [Int] = []
    var load: [Int]
    var capacity: [Int]                // existing free places + maxSize * series
    var series: [Int]                  // new series per kind
    var existingFree: [Int]
    var demand: [Int]                  // unplaced parents that could go to each kind directly

    // facilitators
    var trainerIDs: [Int] = []         // facilitator indices
    var keyIDs: [Int] = []
    var trainers: FacilitatorMatching
    var keys: FacilitatorMatching
    var existingSeries: [(kind: Int, index: Int)] = []
    var existingParents = Set<Int>()   // parent indices already in a running series

    init(_ input: GroupPlanInput) {
        self.input = input
        minSize = input.rules.minSize
        maxSize = input.rules.maxSize
        var languageSet = Set<String>()
        var districtSet = Set<String>()
        for parent in input.parents {
            languageSet.formUnion(parent.languages)
            districtSet.formUnion(parent.districts)
        }
        for series in input.existing {
            languageSet.insert(series.language)
            if series.place != onlinePlace { districtSet.insert(series.place) }
        }
        languages = languageSet.sorted()
        places = districtSet.sorted() + [onlinePlace]
        kindCount = languages.count * 3 * 2 * places.count
        load = Array(repeating: 0, count: kindCount)
        capacity = Array(repeating: 0, count: kindCount)
        series = Array(repeating: 0, count: kindCount)
        existingFree = Array(repeating: 0, count: kindCount)
        demand = Array(repeating: 0, count: kindCount)

        let languageIndex = Dictionary(uniqueKeysWithValues: languages.enumerated().map { ($1, $0) })
        let placeIndex = Dictionary(uniqueKeysWithValues: places.enumerated().map { ($1, $0) })
        let slotCount = 2 * languages.count

        // Facilitators: capacity minus the running series they lead (those stay theirs).
        var running: [String: Int] = [:]
        for series in input.existing {
            running[series.trainer, default: 0] += 1
            running[series.keyPerson, default: 0] += 1
        }
        var trainerCapacity: [Int] = [], trainerSlots: [[Int]] = []
        var keyCapacity: [Int] = [], keySlots: [[Int]] = []
        var trainerIDs: [Int] = [], keyIDs: [Int] = []
        var trainerListed: [Bool] = [], keyListed: [Bool] = []
        for (index, person) in input.facilitators.enumerated() {
            let free = max(0, person.maxSeries - running[person.id, default: 0])
            switch person.role {
            case .trainer:
                trainerIDs.append(index)
                trainerCapacity.append(free)
                trainerListed.append(person.maxSeries > 0)
                trainerSlots.append(Set(person.times).map(\.index).sorted())
            case .keyPerson:
                keyIDs.append(index)
                keyCapacity.append(free)
                keyListed.append(person.maxSeries > 0)
                var slots: [Int] = []
                for language in Set(person.languages) {
                    guard let l = languageIndex[language] else { continue }
                    for time in Set(person.times) { slots.append(l * 2 + time.index) }
                }
                keySlots.append(slots.sorted())
            }
        }
        self.trainerIDs = trainerIDs
        self.keyIDs = keyIDs
        trainers = FacilitatorMatching(slotCount: 2, capacity: trainerCapacity, personSlots: trainerSlots, listed: trainerListed)
        keys = FacilitatorMatching(slotCount: slotCount, capacity: keyCapacity, personSlots: keySlots, listed: keyListed)

        let parentIndex = Dictionary(uniqueKeysWithValues: input.parents.enumerated().map { ($1.id, $0) })
        for (index, series) in input.existing.enumerated() {
            let kind = kindIndex(languageIndex[series.language]!, Self.audienceIndex(series.audience),
                                 series.time.index, placeIndex[series.place]!)
            existingSeries.append((kind, index))
            existingFree[kind] += max(0, maxSize - series.parents.count)
            capacity[kind] += max(0, maxSize - series.parents.count)
            for id in series.parents { if let p = parentIndex[id] { existingParents.insert(p) } }
        }

        // Types: identical parents together, numbered in order of first appearance.
        var typeOfKey: [[Int]: Int] = [:]
        var typeKinds: [[Int]] = []
        for (p, parent) in input.parents.enumerated() where !existingParents.contains(p) {
            let ls = Set(parent.languages).map { languageIndex[$0]! }.sorted()
            let ts = Set(parent.times).map(\.index).sorted()
            let ps = Set(parent.districts).map { placeIndex[$0]! }.sorted()
            let a = Self.audienceIndex(parent.audience)
            let mixed = parent.mixedOk || parent.audience == .mixed
            let key = ls + [-1, a, mixed ? 1 : 0, parent.online ? 1 : 0, -1] + ts + [-1] + ps
            if let t = typeOfKey[key] {
                typeParents[t].append(p)
                continue
            }
            typeOfKey[key] = typeParents.count
            typeParents.append([p])
            var audiences = [a]
            if mixed && a != 2 { audiences.append(2) }
            var placeList = ps
            if parent.online { placeList.append(places.count - 1) }
            var kinds: [Int] = []
            for l in ls { for au in audiences { for t in ts { for pl in placeList {
                kinds.append(kindIndex(l, au, t, pl))
            } } } }
            typeKinds.append(kinds.sorted())
        }
        for kinds in typeKinds {
            for kind in kinds {
                edgeKind.append(kind)
                edgeType.append(edgeStart.count - 1)
            }
            edgeStart.append(edgeKind.count)
        }
        var counts = Array(repeating: 0, count: kindCount + 1)
        for kind in edgeKind { counts[kind + 1] += 1 }
        for k in 0..<kindCount { counts[k + 1] += counts[k] }
        kindEdgeStart = counts
        kindEdges = Array(repeating: 0, count: edgeKind.count)
        var fill = counts
        for (e, kind) in edgeKind.enumerated() {
            kindEdges[fill[kind]] = e
            fill[kind] += 1
        }
        x = Array(repeating: 0, count: edgeKind.count)
        unplaced = typeParents.map(\.count)
        for t in 0..<typeCount {
            for e in edgeStart[t]..<edgeStart[t + 1] { demand[edgeKind[e]] += unplaced[t] }
        }
        // A kind is viable when someone could lead a series there at all.
        var slotViable = Array(repeating: false, count: slotCount)
        for slot in 0..<slotCount { slotViable[slot] = trainers.anyone(slot % 2) && keys.anyone(slot) }
        let places = places.count
        flexibility = (0..<typeCount).map { t in
            var viable = 0
            for e in edgeStart[t]..<edgeStart[t + 1] {
                // kind → (language, time) slot without going through kindParts
                let rest = edgeKind[e] / places
                if slotViable[(rest / 6) * 2 + rest % 2] { viable += 1 }
            }
            return min(Self.flexBuckets - 1, viable)
        }
        flexHistogram = Array(repeating: 0, count: kindCount * Self.flexBuckets)
        spreadCache = Array(repeating: -1, count: kindCount)
        spreadGain = Array(repeating: -1, count: kindCount)
        for t in 0..<typeCount {
            for e in edgeStart[t]..<edgeStart[t + 1] {
                flexHistogram[edgeKind[e] * Self.flexBuckets + flexibility[t]] += unplaced[t]
            }
        }
    }

    static func audienceIndex(_ audience: Audience) -> Int {
        switch audience { case .mothers: 0; case .fathers: 1; case .mixed: 2 }
    }

    func kindIndex(_ l: Int, _ a: Int, _ t: Int, _ p: Int) -> Int { ((l * 3 + a) * 2 + t) * places.count + p }
    func kindParts(_ k: Int) -> (l: Int, a: Int, t: Int, p: Int) {
        let p = k % places.count
        var rest = k / places.count
        let t = rest % 2
        rest /= 2
        return (rest / 3, rest % 3, t, p)
    }
    func keySlot(_ k: Int) -> Int { let parts = kindParts(k); return parts.l * 2 + parts.t }
    func timeSlot(_ k: Int) -> Int { kindParts(k).t }
    func viable(_ k: Int) -> Bool { trainers.anyone(timeSlot(k)) && keys.anyone(keySlot(k)) }
    func lower(_ k: Int) -> Int { series[k] > 0 ? existingFree[k] + minSize * series[k] : 0 }

    mutating func canOpen(_ k: Int) -> Bool { trainers.canAdd(timeSlot(k)) && keys.canAdd(keySlot(k)) }

    // MARK: flow primitives

    mutating func setUnplaced(_ t: Int, _ value: Int) {
        let delta = value - unplaced[t]
        guard delta != 0 else { return }
        unplaced[t] = value
        let bucket = flexibility[t]
        for e in edgeStart[t]..<edgeStart[t + 1] {
            demand[edgeKind[e]] += delta
            flexHistogram[edgeKind[e] * Self.flexBuckets + bucket] += delta
            spreadCache[edgeKind[e]] = -1
        }
    }

    /// Puts up to `limit` unplaced parents straight into kind `k`, the least flexible first.
    mutating func fillDirectly(_ k: Int, limit: Int) -> Int {
        var candidates: [(flex: Int, edge: Int)] = []
        for i in kindEdgeStart[k]..<kindEdgeStart[k + 1] {
            let e = kindEdges[i]
            if unplaced[edgeType[e]] > 0 { candidates.append((flexibility[edgeType[e]], e)) }
        }
        candidates.sort { $0.flex != $1.flex ? $0.flex < $1.flex : $0.edge < $1.edge }
        var placed = 0
        for (_, e) in candidates where placed < limit {
            let t = edgeType[e]
            let amount = min(unplaced[t], limit - placed)
            x[e] += amount
            load[k] += amount
            setUnplaced(t, unplaced[t] - amount)
            placed += amount
        }
        return placed
    }

    /// Augmenting paths by breadth-first search over the residual graph: from unplaced parents (and, when `surplus`
    /// is set, from series above their minimum) through type → kind edges and back along placed parents, to a
    /// kind with room (`target` only, when given). Each path places one more parent (or, from a surplus start,
    /// moves one). Returns the number of paths applied.
    mutating func augment(target: Int? = nil, limit: Int = .max, fromSurplus: Bool = false) -> Int {
        var applied = 0
        var typePrev = Array(repeating: -2, count: typeCount)   // -2 unseen, -1 from source, else edge from a kind
        var kindPrev = Array(repeating: -2, count: kindCount)   // -2 unseen, -1 surplus start, else edge from a type
        var queueTypes: [Int] = []
        var queueKinds: [Int] = []
        while applied < limit {
            for i in typePrev.indices { typePrev[i] = -2 }
            for i in kindPrev.indices { kindPrev[i] = -2 }
            queueTypes.removeAll(keepingCapacity: true)
            queueKinds.removeAll(keepingCapacity: true)
            if fromSurplus {
                for k in 0..<kindCount where k != target && series[k] > 0 && load[k] > lower(k) {
                    kindPrev[k] = -1
                    queueKinds.append(k)
                }
            } else {
                for t in 0..<typeCount where unplaced[t] > 0 {
                    typePrev[t] = -1
                    queueTypes.append(t)
                }
            }
            var ends: [Int] = []
            var headT = 0, headK = 0
            // Alternate the two queues level by level (a plain BFS over both node sets).
            while headT < queueTypes.count || headK < queueKinds.count {
                while headK < queueKinds.count {
                    let k = queueKinds[headK]
                    headK += 1
                    for i in kindEdgeStart[k]..<kindEdgeStart[k + 1] {
                        let e = kindEdges[i]
                        let t = edgeType[e]
                        if x[e] > 0 && typePrev[t] == -2 {
                            typePrev[t] = e
                            queueTypes.append(t)
                        }
                    }
                }
                while headT < queueTypes.count {
                    let t = queueTypes[headT]
                    headT += 1
                    for e in edgeStart[t]..<edgeStart[t + 1] {
                        let k = edgeKind[e]
                        guard kindPrev[k] == -2 else { continue }
                        kindPrev[k] = e
                        if let target {
                            if k == target && load[k] < capacity[k] { ends.append(k) } else if k != target { queueKinds.append(k) }
                        } else if load[k] < capacity[k] {
                            ends.append(k)
                        } else {
                            queueKinds.append(k)
                        }
                    }
                }
                if target != nil && !ends.isEmpty { break }
            }
            if ends.isEmpty { break }
            var progress = false
            for end in ends where applied < limit {
                if applyPath(to: end, typePrev: typePrev, kindPrev: kindPrev) {
                    applied += 1
                    progress = true
                }
            }
            if !progress { break }
        }
        return applied
    }

    /// Applies one augmenting path found by `augment` if it is still valid (an earlier path of the same search may
    /// have used it up).
    private mutating func applyPath(to end: Int, typePrev: [Int], kindPrev: [Int]) -> Bool {
        guard load[end] < capacity[end] else { return false }
        // Dry run: every reverse edge must still carry a parent, the start must still have one to give.
        var k = end
        var steps = 0
        while true {
            let e = kindPrev[k]
            if e == -1 { if !(series[k] > 0 && load[k] > lower(k)) { return false }; break }
            let t = edgeType[e]
            let back = typePrev[t]
            if back == -1 { if unplaced[t] <= 0 { return false }; break }
            if x[back] <= 0 { return false }
            k = edgeKind[back]
            steps += 1
            if steps > typeCount + kindCount { return false }
        }
        k = end
        while true {
            let e = kindPrev[k]
            if e == -1 { break }   // a surplus start: the reverse edge below already took the parent out
            let t = edgeType[e]
            x[e] += 1
            load[edgeKind[e]] += 1
            let back = typePrev[t]
            if back == -1 { setUnplaced(t, unplaced[t] - 1); break }
            x[back] -= 1
            load[edgeKind[back]] -= 1
            k = edgeKind[back]
        }
        return true
    }

    // MARK: the search

    var placedCount: Int { load.reduce(0, +) }
    var seriesCount: Int { series.reduce(0, +) }

    mutating func open(_ k: Int) {
        trainers.add(timeSlot(k))
        keys.add(keySlot(k))
        series[k] += 1
        capacity[k] += maxSize
    }

    mutating func close(_ k: Int) {
        trainers.remove(timeSlot(k))
        keys.remove(keySlot(k))
        series[k] -= 1
        capacity[k] -= maxSize
    }

    /// Removes parents from kind `k` until it holds at most `keep`, the most flexible first (they are the easiest
    /// to place again).
    mutating func unload(_ k: Int, keep: Int) {
        var edges: [(flex: Int, edge: Int)] = []
        for i in kindEdgeStart[k]..<kindEdgeStart[k + 1] where x[kindEdges[i]] > 0 {
            edges.append((flexibility[edgeType[kindEdges[i]]], kindEdges[i]))
        }
        edges.sort { $0.flex != $1.flex ? $0.flex > $1.flex : $0.edge > $1.edge }
        for (_, e) in edges where load[k] > keep {
            let amount = min(x[e], load[k] - keep)
            x[e] -= amount
            load[k] -= amount
            setUnplaced(edgeType[e], unplaced[edgeType[e]] + amount)
        }
    }

    /// Opens series where at least `threshold` unplaced parents can go directly, the largest group first.
    mutating func greedyOpen(threshold: Int = 1) {
        while true {
            var best = -1, bestGain = max(0, threshold - 1), bestSpread = Int.max
            for k in 0..<kindCount where demand[k] >= bestGain && demand[k] > 0 {
                let gain = min(demand[k], capacity[k] + maxSize - load[k])
                guard gain >= bestGain, gain >= threshold,
                      load[k] + gain >= lower(k) + existingFreeIfFirst(k) + minSize else { continue }
                // Among equal gains, the kind whose parents have the fewest other options: flexible parents are
                // kept for pooling later.
                if spreadCache[k] < 0 || spreadGain[k] != gain {
                    spreadCache[k] = spreadScore(k, gain)
                    spreadGain[k] = gain
                }
                let spread = spreadCache[k]
                guard gain > bestGain || spread < bestSpread else { continue }
                guard canOpen(k) else { continue }
                best = k
                bestGain = gain
                bestSpread = spread
            }
            guard best >= 0 else { return }
            open(best)
            _ = fillDirectly(best, limit: capacity[best] - load[best])
        }
    }

    func spreadScore(_ k: Int, _ gain: Int) -> Int {
        switch tieBreak {
        case .inflexibleFirst: return flexibilityOfBest(k, gain)
        case .onlineLast: return flexibilityOfBest(k, gain) + (kindParts(k).p == onlineIndex ? 1 << 20 : 0)
        case .onlineAndMixedLast:
            let parts = kindParts(k)
            return flexibilityOfBest(k, gain) + (parts.p == onlineIndex ? 1 << 20 : 0) + (parts.a == 2 ? 1 << 19 : 0)
        case .squaredOnlineLast:
            return flexibilityOfBest(k, gain, squared: true) + (kindParts(k).p == onlineIndex ? 1 << 28 : 0)
        }
    }

    /// The summed flexibility of the `count` least flexible unplaced parents who fit kind `k`.
    func flexibilityOfBest(_ k: Int, _ count: Int, squared: Bool = false) -> Int {
        var left = count, total = 0
        let base = k * Self.flexBuckets
        for flex in 0..<Self.flexBuckets where left > 0 {
            let take = min(flexHistogram[base + flex], left)
            total += take * (squared ? flex * flex : flex)
            left -= take
        }
        return total
    }

    /// The first new series of a kind with a running series needs that series' free places filled first.
    func existingFreeIfFirst(_ k: Int) -> Int { series[k] == 0 ? existingFree[k] : 0 }

    struct Snapshot {
        var x: [Int], unplaced: [Int], load: [Int], capacity: [Int], series: [Int], demand: [Int], flexHistogram: [Int]
        var trainers: FacilitatorMatching, keys: FacilitatorMatching
    }
    func snapshot() -> Snapshot {
        Snapshot(x: x, unplaced: unplaced, load: load, capacity: capacity, series: series, demand: demand,
                 flexHistogram: flexHistogram, trainers: trainers, keys: keys)
    }
    mutating func restore(_ s: Snapshot) {
        x = s.x; unplaced = s.unplaced; load = s.load; capacity = s.capacity; series = s.series; demand = s.demand
        flexHistogram = s.flexHistogram
        for k in spreadCache.indices { spreadCache[k] = -1 }
        trainers = s.trainers; keys = s.keys
    }

    /// Tries to open a series at `k` that places at least `threshold` more parents and reaches its minimum by
    /// pooling: augmenting paths bring unplaced parents (moving placed ones to their other options), then series
    /// above their minimum give up parents.
    mutating func tryPool(_ k: Int, threshold: Int) -> Bool {
        guard canOpen(k) else { return false }
        let saved = snapshot()
        let before = placedCount
        open(k)
        _ = augment(target: k, limit: capacity[k] - load[k])
        if load[k] < lower(k) { _ = augment(target: k, limit: lower(k) - load[k], fromSurplus: true) }
        if load[k] >= lower(k) && placedCount - before >= max(1, threshold) { return true }
        restore(saved)
        return false
    }

    /// An optimistic estimate of what a new series at each kind could place: the unplaced parents who fit it, plus
    /// the placed ones who fit it and sit in a kind that unplaced parents could refill (paths of length two).
    func poolingPotential() -> [Int] {
        var potential = demand
        for t in 0..<typeCount {
            var movable = 0
            for e in edgeStart[t]..<edgeStart[t + 1] where x[e] > 0 && demand[edgeKind[e]] > 0 {
                movable += min(x[e], demand[edgeKind[e]])
            }
            guard movable > 0 else { continue }
            for e in edgeStart[t]..<edgeStart[t + 1] { potential[edgeKind[e]] += movable }
        }
        return potential
    }

    /// Opens series by pooling, the most promising kinds first, while they place at least `threshold` each.
    mutating func poolingOpen(threshold: Int, budget: inout Int) {
        var improved = true
        while improved && budget > 0 {
            improved = false
            let potential = poolingPotential()
            var candidates: [(potential: Int, kind: Int)] = []
            for k in 0..<kindCount where potential[k] >= threshold && demand[k] > 0 && canOpen(k) {
                candidates.append((min(potential[k], maxSize), k))
            }
            candidates.sort { $0.potential != $1.potential ? $0.potential > $1.potential : $0.kind < $1.kind }
            for (_, k) in candidates.prefix(24) where budget > 0 {
                budget -= 1
                if tryPool(k, threshold: threshold) {
                    improved = true
                    _ = augment()
                    greedyOpen(threshold: threshold)
                    break
                }
            }
        }
    }

    /// Series are opened in rounds of decreasing gain (a full series first, one just above the minimum last), each
    /// round first where parents can go directly, then by pooling; so facilitators go where they place the most.
    mutating func openInRounds(budget: inout Int) {
        for threshold in stride(from: maxSize, through: 1, by: -1) {
            // Once no trainer or no key person can be freed anywhere, no round can open anything.
            guard trainers.canAdd(0) || trainers.canAdd(1) else { return }
            guard (0..<keys.slotCount).contains(where: { keys.canAdd($0) }) else { return }
            greedyOpen(threshold: max(threshold, 1))
            _ = augment()
            poolingOpen(threshold: threshold, budget: &budget)
        }
    }

    /// Local search: close the emptiest series, let its parents flow elsewhere, reopen with the freed facilitators;
    /// keep the change only when more parents are placed (or as many in fewer series).
    var poolCandidates: Int { 30 }

    mutating func closeAndReopen(budget: inout Int) {
        var tried = Set<Int>()
        while budget > 0 {
            var worst = -1, worstLoad = Int.max
            for k in 0..<kindCount where series[k] > 0 && !tried.contains(k) {
                // the load above what the kind's other series need
                let spare = load[k] - existingFree[k] - maxSize * (series[k] - 1)
                if spare < worstLoad { worst = k; worstLoad = spare }
            }
            guard worst >= 0, worstLoad < maxSize else { return }
            tried.insert(worst)
            budget -= 1
            let saved = snapshot()
            let before = (placedCount, -seriesCount)
            close(worst)
            unload(worst, keep: capacity[worst])   // stays above the remaining series' minimum (see lower(_:))
            _ = augment()
            // Reopen where a series places more than this one did: direct demand first, then pooling.
            let lost = before.0 - placedCount
            greedyOpen(threshold: lost + 1)
            if placedCount <= before.0 {
                let potential = poolingPotential()
                var candidates: [(potential: Int, kind: Int)] = []
                for k in 0..<kindCount where potential[k] > lost && demand[k] > 0 && canOpen(k) {
                    candidates.append((min(potential[k], maxSize), k))
                }
                candidates.sort { $0.potential != $1.potential ? $0.potential > $1.potential : $0.kind < $1.kind }
                for (_, k) in candidates.prefix(poolCandidates) where tryPool(k, threshold: lost + 1) {
                    _ = augment()
                    break
                }
            }
            let after = (placedCount, -seriesCount)
            if after > before {
                tried.removeAll()
            } else {
                restore(saved)
            }
        }
    }

    /// Fewer series of one kind when its parents fit (and stay above the minimum of the rest).
    mutating func mergeWithinKinds() {
        for k in 0..<kindCount where series[k] > 0 {
            while series[k] > 0 && load[k] <= capacity[k] - maxSize
                    && load[k] >= (series[k] > 1 ? lower(k) - minSize : 0) {
                close(k)
            }
        }
    }

    mutating func run() {
        // Running series' free places first.
        for (kind, _) in existingSeries where load[kind] < capacity[kind] {
            _ = fillDirectly(kind, limit: capacity[kind] - load[kind])
        }
        _ = augment()
        var budget = 600
        openInRounds(budget: &budget)
        var closing = 300
        closeAndReopen(budget: &closing)
        _ = augment()
        mergeWithinKinds()
    }
}
