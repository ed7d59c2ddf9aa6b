/// Who leads which series, as a b-matching: persons (each up to `capacity` series) serve slots (a time of day for
/// trainers; a language at a time of day for key persons). Only the number of series per slot is fixed while
/// planning; adding one more series to a slot follows an augmenting path, so a key person who speaks two languages
/// is moved to the other language when that frees someone for this one. Adding succeeds exactly when some
/// assignment of persons to the slots' series exists (Hall's condition for b-matchings).
struct FacilitatorMatching {
    let slotCount: Int
    let capacity: [Int]
    let personSlots: [[Int]]
    let slotPersons: [[Int]]
    /// assigned[p * slotCount + s]: series of slot s led by person p.
    private(set) var assigned: [Int]
    private(set) var used: [Int]
    private(set) var demand: [Int]
    private var cache: [Int8]   // -1 unknown, 0 no, 1 yes; reset on every change

    /// Persons whose maxSeries is above zero, whether or not running series use it all up.
    let listed: [Bool]

    init(slotCount: Int, capacity: [Int], personSlots: [[Int]], listed: [Bool]) {
        self.slotCount = slotCount
        self.listed = listed
        self.capacity = capacity
        self.personSlots = personSlots
        var slotPersons = Array(repeating: [Int](), count: slotCount)
        for (person, slots) in personSlots.enumerated() { for slot in slots { slotPersons[slot].append(person) } }
        self.slotPersons = slotPersons
        assigned = Array(repeating: 0, count: capacity.count * slotCount)
        used = Array(repeating: 0, count: capacity.count)
        demand = Array(repeating: 0, count: slotCount)
        cache = Array(repeating: -1, count: slotCount)
    }

    /// Does anybody serve this slot at all (ignoring how booked they are)?
    func anyone(_ slot: Int) -> Bool { slotPersons[slot].contains { listed[$0] } }

    mutating func canAdd(_ slot: Int) -> Bool {
        if cache[slot] < 0 { cache[slot] = augmentingPath(slot) == nil ? 0 : 1 }
        return cache[slot] == 1
    }

    /// One more series in `slot`; false (and nothing changed) when nobody can be freed for it.
    @discardableResult
    mutating func add(_ slot: Int) -> Bool {
        guard let path = augmentingPath(slot) else { return false }
        // path: (person, slot taken, slot given up or -1)
        for step in path {
            assigned[step.person * slotCount + step.takes] += 1
            if step.releases >= 0 { assigned[step.person * slotCount + step.releases] -= 1 } else { used[step.person] += 1 }
        }
        demand[slot] += 1
        invalidate()
        return true
    }

    /// One series fewer in `slot` (its person with the highest index gives it up).
    mutating func remove(_ slot: Int) {
        guard demand[slot] > 0 else { return }
        for person in slotPersons[slot].reversed() where assigned[person * slotCount + slot] > 0 {
            assigned[person * slotCount + slot] -= 1
            used[person] -= 1
            demand[slot] -= 1
            invalidate()
            return
        }
    }

    /// The persons of each series of `slot`, in person order (a person with two series there appears twice).
    func persons(of slot: Int) -> [Int] {
        var result: [Int] = []
        for person in slotPersons[slot] {
            let count = assigned[person * slotCount + slot]
            if count > 0 { result += Array(repeating: person, count: count) }
        }
        return result
    }

    private mutating func invalidate() {
        for i in cache.indices { cache[i] = -1 }
    }

    private struct Step { var person: Int; var takes: Int; var releases: Int }

    /// Breadth-first over slots: from a slot, any person who serves it either has room (done) or gives up one of
    /// their series in another slot, which then looks for a person in turn.
    private func augmentingPath(_ start: Int) -> [Step]? {
        var reachedBy = Array(repeating: (person: -1, from: -1), count: slotCount)
        var visited = Array(repeating: false, count: slotCount)
        visited[start] = true
        var queue = [start]
        var head = 0
        while head < queue.count {
            let slot = queue[head]
            head += 1
            for person in slotPersons[slot] where capacity[person] > 0 {
                if used[person] < capacity[person] {
                    var path = [Step(person: person, takes: slot, releases: -1)]
                    var current = slot
                    while current != start {
                        let (previous, from) = reachedBy[current]
                        path.append(Step(person: previous, takes: from, releases: current))
                        current = from
                    }
                    return path
                }
                for other in personSlots[person] where !visited[other] && assigned[person * slotCount + other] > 0 {
                    visited[other] = true
                    reachedBy[other] = (person, slot)
                    queue.append(other)
                }
            }
        }
        return nil
    }
}
