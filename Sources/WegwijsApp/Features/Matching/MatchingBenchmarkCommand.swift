import Foundation
import Vapor
import WegwijsCore

/// `wegwijs bench-matching`: the engine's part of `Benchmarks/matching.sh` (issue 7, "Speed"). Generates a
/// catalogue and family profiles from a fixed seed, in memory (no database), and measures:
/// - matching every family (the ten best each, on all cores), against the naive reference on a sample;
/// - one family against a catalogue of 10,000 offers, per call (p50, p99), optimised and naive.
struct MatchingBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "offers", help: "offers in the catalogue (default 5000)") var offers: Int?
        @Option(name: "families", help: "family profiles (default 100000)") var families: Int?
        @Option(name: "seed", help: "generator seed (default 20261123)") var seed: Int?
        @Option(name: "naive-sample", help: "families matched naively for the ratio (default 2000)") var naiveSample: Int?
    }

    var help: String { "Benchmark of the matching engine (used by Benchmarks/matching.sh)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let offerCount = signature.offers ?? 5_000
        let familyCount = signature.families ?? 100_000
        let sample = min(signature.naiveSample ?? 2_000, familyCount)
        var generator = SyntheticMatching(seed: UInt64(signature.seed ?? 20_261_123))
        let today = CalendarDate(year: 2026, month: 11, day: 23)!
        let catalogue = (0..<offerCount).map { generator.offer($0) }
        let profiles = (0..<familyCount).map { _ in generator.family(today: today) }
        let engine = MatchEngine(catalogue: catalogue, municipality: "GM9901", region: "RG99", today: today)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("catalogue: \(offerCount) offers; \(familyCount) family profiles; seed \(signature.seed ?? 20_261_123); \(cores) cores")

        // 1. All families, the ten best each, on all cores.
        _ = engine.matchAll(Array(profiles.prefix(1_000)), limit: 10) // warm-up
        var start = DispatchTime.now()
        let results = engine.matchAll(profiles, limit: 10)
        let allSeconds = seconds(since: start)
        let withMatch = results.filter { !$0.matches.isEmpty }.count
        start = DispatchTime.now()
        for profile in profiles.prefix(sample) { _ = engine.matchNaively(profile) }
        let naivePerFamily = seconds(since: start) / Double(sample)
        let naiveAll = naivePerFamily * Double(familyCount)
        print(String(format: "all families: %.2f s (%d with at least one match); naive (one core, every offer scored, everything sorted): %.3f ms per family, %.1f s for all (estimated from %d families); speed-up %.1fx",
                     allSeconds, withMatch, naivePerFamily * 1000, naiveAll, sample, naiveAll / allSeconds))
        print("GOAL all families < 5 s: \(allSeconds < 5 ? "MET" : "NOT MET")")

        // 2. One family against 10,000 offers, per call, as the API runs it (all matches and the exclusions).
        var large = SyntheticMatching(seed: UInt64(signature.seed ?? 20_261_123) &+ 1)
        let bigCatalogue = (0..<10_000).map { large.offer($0) }
        let big = MatchEngine(catalogue: bigCatalogue, municipality: "GM9901", region: "RG99", today: today)
        let callers = Array(profiles.prefix(2_000))
        for profile in callers.prefix(200) { _ = big.match(profile) }
        var optimised: [Double] = []
        var naive: [Double] = []
        for profile in callers {
            var t = DispatchTime.now()
            _ = big.match(profile)
            optimised.append(seconds(since: t) * 1000)
            t = DispatchTime.now()
            _ = big.matchNaively(profile)
            naive.append(seconds(since: t) * 1000)
        }
        let p99 = percentile(optimised, 0.99), p50 = percentile(optimised, 0.5)
        let naiveP99 = percentile(naive, 0.99), naiveP50 = percentile(naive, 0.5)
        print(String(format: "one family vs 10,000 offers: p50 %.3f ms, p99 %.3f ms; naive p50 %.3f ms, p99 %.3f ms; speed-up at p50 %.1fx",
                     p50, p99, naiveP50, naiveP99, naiveP50 / max(p50, 0.000_001)))
        print("GOAL one family p99 < 1 ms: \(p99 < 1 ? "MET" : "NOT MET")")
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    private func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Catalogues and family profiles from a fixed seed (SplitMix64), for the benchmark and the disparity report's
/// self-test. The same seed always gives the same data.
struct SyntheticMatching {
    var random: SplitMix64
    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
    mutating func some<T: Hashable>(_ values: [T], max: Int) -> [T] { Array(Set((0..<int(0...max)).map { _ in pick(values) })) }

    static let languages = ["nl", "en", "ar", "ti", "fa", "so", "tr", "pl", "bg", "uk", "ps", "ku"]
    static let themes = Theme.allCodes
    static let forms = OfferForm.allCodes
    static let situations = Situation.allCodes

    mutating func offer(_ index: Int) -> MatchableOffer {
        let minimum = int(0...12)
        let draft = OfferDraft(
            name: "Aanbod \(index)", description: "Synthetisch", kind: pick(["formal", "informal"]),
            supportType: pick(SupportType.allCodes), forms: some(Self.forms, max: 2) + [pick(Self.forms)],
            themes: Array(Set([pick(Self.themes)] + some(Self.themes, max: 3))),
            forSituations: int(0...4) == 0 ? [pick(Self.situations)] : [],
            audience: pick(["mixed", "mixed", "mixed", "mothers", "fathers"]),
            languages: Array(Set(["nl"] + some(Self.languages, max: 2))), bridgeInterpreter: int(0...4) == 0,
            bridgeKeyPerson: int(0...3) == 0, minimumAge: minimum, maximumAge: minimum + int(0...12), phase: int(1...3),
            serviceAreas: [pick(["municipality", "municipality", "region", "nationwide"])],
            locations: [OfferLocation(name: "Locatie", postcode: "\(int(23...29))\(int(10...99)) AB", city: "Rijnstad")],
            opensAt: pick(["09:00", "13:30", "19:00"]), freePlaces: pick([nil, 0, 4]), waitingList: int(0...1) == 0,
            registrationRequired: int(0...2) == 0, childcare: int(0...2) == 0,
            culture: some(CultureItem.allCodes, max: 5))
        return MatchableOffer(id: String(format: "%08x-0000-4000-8000-%012x", index, index), municipality: pick(["GM9901", "GM9901", "GM9901", "GM9902"]),
                              region: "RG99", retired: int(0...19) == 0, offer: draft)
    }

    mutating func family(today: CalendarDate) -> MatchProfile {
        MatchProfile(
            parents: (0..<int(1...2)).map { _ in .init(gender: pick(["female", "male"]), languages: [pick(Self.languages)],
                                                       dutchLevel: pick(DutchLevel.allCodes)) },
            children: (0..<int(0...4)).map { _ in .init(age: int(0...17)) },
            situations: some(Self.situations, max: 2),
            themes: (0..<int(1...3)).map { _ in .init(code: pick(Self.themes), priority: pick(["high", "normal", "low"])) },
            preferences: .init(forms: [pick(Self.forms)], audience: pick(["mixed", "mothers", "fathers"]), online: pick(["yes", "no", "any"]),
                               time: pick(["daytime", "evening", "any"]), childcare: int(0...1) == 0, postcode: "\(int(23...29))\(int(10...99))"),
            settledOn: today.adding(days: -int(0...400)).iso, urgent: int(0...9) == 0)
    }
}
