/// Checks any plan against its input, independently of how the planner works: every rule of the contract
/// (docs/groups.md, "The planner"). Used by the tests on every plan they make; the benchmark has its own copy in
/// Python so that the planner is not checked by its own code only.
public enum GroupPlanChecker {
    /// Every broken rule, in words; empty when the plan is valid.
    public static func problems(_ plan: GroupPlan, for input: GroupPlanInput) -> [String] {
        var problems: [String] = []
        let parents = Dictionary(input.parents.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let facilitators = Dictionary(input.facilitators.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let running = Dictionary(input.existing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var led: [String: Int] = [:]
        var seen: [String: Int] = [:]
        var seenRunning = Set<String>()
        for (index, series) in plan.series.enumerated() {
            let name = "series \(index)" + (series.id.map { " (\($0))" } ?? "")
            led[series.trainer, default: 0] += 1
            led[series.keyPerson, default: 0] += 1
            var joining = series.parents
            if let id = series.id {
                guard let old = running[id] else { problems.append("\(name): no such running series"); continue }
                seenRunning.insert(id)
                if Array(series.parents.prefix(old.parents.count)) != old.parents {
                    problems.append("\(name): the running participants changed")
                }
                if old.language != series.language || old.audience != series.audience || old.time != series.time
                    || old.place != series.place || old.trainer != series.trainer || old.keyPerson != series.keyPerson {
                    problems.append("\(name): the running series changed")
                }
                joining = Array(series.parents.dropFirst(old.parents.count))
                if series.parents.count > input.rules.maxSize { problems.append("\(name): above maxSize") }
            } else if series.parents.count < input.rules.minSize || series.parents.count > input.rules.maxSize {
                problems.append("\(name): \(series.parents.count) parents, outside [\(input.rules.minSize), \(input.rules.maxSize)]")
            }
            if let trainer = facilitators[series.trainer] {
                if trainer.role != .trainer { problems.append("\(name): the trainer is not a trainer") }
                if !trainer.times.contains(series.time) { problems.append("\(name): the trainer does not work then") }
            } else { problems.append("\(name): unknown trainer") }
            if let key = facilitators[series.keyPerson] {
                if key.role != .keyPerson { problems.append("\(name): the key person is not a key person") }
                if !key.times.contains(series.time) { problems.append("\(name): the key person does not work then") }
                if !key.languages.contains(series.language) { problems.append("\(name): the key person does not speak it") }
            } else { problems.append("\(name): unknown key person") }
            for id in series.parents { seen[id, default: 0] += 1 }
            for id in joining {
                guard let parent = parents[id] else { problems.append("\(name): unknown parent"); continue }
                if !parent.languages.contains(series.language) { problems.append("\(name): a parent's language") }
                let audienceOK = series.audience == parent.audience
                    || (series.audience == .mixed && (parent.mixedOk || parent.audience == .mixed))
                if !audienceOK { problems.append("\(name): a parent's audience") }
                if !parent.times.contains(series.time) { problems.append("\(name): a parent's time") }
                let placeOK = series.place == onlinePlace ? parent.online : parent.districts.contains(series.place)
                if !placeOK { problems.append("\(name): a parent's place") }
            }
        }
        for series in input.existing where !seenRunning.contains(series.id) {
            problems.append("running series \(series.id) is missing")
        }
        for (id, count) in led.sorted(by: { $0.key < $1.key }) {
            if let person = facilitators[id], count > person.maxSeries {
                problems.append("facilitator \(id) leads \(count) series, above maxSeries \(person.maxSeries)")
            }
        }
        for (id, count) in seen.sorted(by: { $0.key < $1.key }) where count > 1 {
            problems.append("parent \(id) is in \(count) series")
        }
        var unplacedSeen = Set<String>()
        for entry in plan.unplaced {
            if seen[entry.id] != nil { problems.append("parent \(entry.id) is both placed and unplaced") }
            if !unplacedSeen.insert(entry.id).inserted { problems.append("parent \(entry.id) is unplaced twice") }
            if entry.explanation.isEmpty { problems.append("parent \(entry.id) has no explanation") }
        }
        for parent in input.parents where seen[parent.id] == nil && !unplacedSeen.contains(parent.id) {
            problems.append("parent \(parent.id) is neither placed nor unplaced")
        }
        return problems
    }
}
