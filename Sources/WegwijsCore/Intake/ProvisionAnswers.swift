import Foundation

/// The provisions a parent knows and uses (R48), read from a screening's answers: the items `provisions.known` and
/// `provisions.used` (both `multi`, options `Provision` codes) of every instrument version that asks them. What a
/// parent uses they know, so a provision used counts as known too. Codes that are not provisions (an instrument a
/// municipality adapted with its own options) are left out of the typed rows; the answers keep them.
public struct ProvisionAnswers: Sendable, Equatable {
    public static let knownItem = "provisions.known"
    public static let usedItem = "provisions.used"

    public struct Row: Sendable, Equatable {
        public let provision: Provision
        public let known: Bool
        public let used: Bool

        public init(provision: Provision, known: Bool, used: Bool) {
            self.provision = provision
            self.known = known
            self.used = used
        }
    }

    /// One row per provision the parent knows or uses, in the vocabulary's order.
    public let rows: [Row]
    /// Whether the screening asked about provisions at all (an answer to either item).
    public let asked: Bool

    public init(_ answers: [String: ScreeningAnswer]) {
        func codes(_ item: String) -> Set<Provision>? {
            guard case .list(let values)? = answers[item] else { return nil }
            return Set(values.compactMap(Provision.init(rawValue:)))
        }
        let known = codes(Self.knownItem), used = codes(Self.usedItem)
        asked = known != nil || used != nil
        let usedSet = used ?? [], knownSet = (known ?? []).union(usedSet)
        rows = Provision.allCases.filter(knownSet.contains).map { Row(provision: $0, known: true, used: usedSet.contains($0)) }
    }

    public var known: [Provision] { rows.filter(\.known).map(\.provision) }
    public var used: [Provision] { rows.filter(\.used).map(\.provision) }

    /// Provisions known (or used) now that were not before, and used now that were not before.
    public func change(since earlier: ProvisionAnswers) -> (newlyKnown: [Provision], newlyUsed: [Provision]) {
        let knownBefore = Set(earlier.known), usedBefore = Set(earlier.used)
        return (known.filter { !knownBefore.contains($0) }, used.filter { !usedBefore.contains($0) })
    }
}
