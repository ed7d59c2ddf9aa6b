import Foundation

/// The parenting screening of the Brede Intake as data (`Resources/Screening/instrument.json`): sections of items,
/// each of a known type. A municipality adapts the questions by publishing a new version; every screening keeps the
/// version it was filled in with.
public struct ScreeningInstrument: Codable, Sendable, Equatable {
    public struct Text: Codable, Sendable, Equatable {
        public let nl: String
        public let en: String
        public func text(_ language: String) -> String { language == "en" ? en : nl }
    }

    public enum ItemType: String, Codable, Sendable {
        /// Per theme code: 0 no question, 1 would like information, 2 important, 3 pressing.
        case themes
        case scale, choice, multi, yesno, language
    }

    public struct Item: Codable, Sendable, Equatable {
        public let id: String
        public let type: ItemType
        public let text: Text
        public var options: [String]?
        public var min: Int?
        public var max: Int?
        public var pictogram: String?
        /// Filled in by the worker, not asked of the parent (the safety signal).
        public var staffOnly: Bool?
    }

    public struct Section: Codable, Sendable, Equatable {
        public let id: String
        public let title: Text
        public let items: [Item]
    }

    public let version: Int
    public let name: Text
    public let sections: [Section]
    public let optionLabels: [String: Text]
    public let priorityLabels: [String: Text]

    public var items: [Item] { sections.flatMap(\.items) }
    public func item(_ id: String) -> Item? { items.first { $0.id == id } }

    public static let maxPriority = 3

    /// Checks every answer against its item: unknown items, wrong types, values out of range, unknown options.
    public func validate(_ answers: [String: ScreeningAnswer]) -> [FieldError] {
        var errors: [FieldError] = []
        for (id, answer) in answers.sorted(by: { $0.key < $1.key }) {
            let field = "answers.\(id)"
            guard let item = item(id) else { errors.append(FieldError(field, "unknown-question")); continue }
            switch (item.type, answer) {
            case (.themes, .priorities(let priorities)):
                for (theme, priority) in priorities {
                    if !(item.options ?? []).contains(theme) { errors.append(FieldError(field, "unknown-code")) }
                    else if !(0...Self.maxPriority).contains(priority) { errors.append(FieldError(field, "out-of-range")) }
                }
            case (.scale, .number(let value)):
                if value < (item.min ?? 1) || value > (item.max ?? 5) { errors.append(FieldError(field, "out-of-range")) }
            case (.choice, .text(let value)):
                if !(item.options ?? []).contains(value) { errors.append(FieldError(field, "unknown-code")) }
            case (.multi, .list(let values)):
                if values.contains(where: { !(item.options ?? []).contains($0) }) { errors.append(FieldError(field, "unknown-code")) }
            case (.yesno, .flag):
                break
            case (.language, .text(let value)):
                if !Languages.isKnown(value) { errors.append(FieldError(field, "unknown-code")) }
            default:
                errors.append(FieldError(field, "wrong-type"))
            }
        }
        return errors
    }
}

/// One answer: a number (scale), a code (choice, language), codes (multi), yes/no, or priorities per theme.
public enum ScreeningAnswer: Codable, Sendable, Equatable {
    case number(Int)
    case text(String)
    case list([String])
    case flag(Bool)
    case priorities([String: Int])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .flag(value); return }
        if let value = try? container.decode(Int.self) { self = .number(value); return }
        if let value = try? container.decode(String.self) { self = .text(value); return }
        if let value = try? container.decode([String].self) { self = .list(value); return }
        if let value = try? container.decode([String: Int].self) { self = .priorities(value); return }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "an answer is a number, text, list, yes/no or an object of priorities")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        case .priorities(let value): try container.encode(value)
        }
    }
}

/// What changed between two screenings of the same family (and, where given, the same parent).
public struct ScreeningChange: Codable, Sendable, Equatable {
    /// Per scale item: the difference (later minus earlier); only items answered both times.
    public var confidence: [String: Int] = [:]
    public var newThemes: [String] = []
    public var themesGone: [String] = []
    /// Themes whose priority went up or down.
    public var themesChanged: [String: Int] = [:]
    public var newStressors: [String] = []
    public var stressorsGone: [String] = []
    /// Provisions the parent knows now and did not before, and uses now and did not before (R48), when both
    /// screenings asked about them (`ProvisionAnswers`, whatever instrument version each used).
    public var newlyKnownProvisions: [String] = []
    public var newlyUsedProvisions: [String] = []

    public var isEmpty: Bool {
        confidence.isEmpty && newThemes.isEmpty && themesGone.isEmpty && themesChanged.isEmpty && newStressors.isEmpty
            && stressorsGone.isEmpty && newlyKnownProvisions.isEmpty && newlyUsedProvisions.isEmpty
    }

    public init() {}

    public init(from earlier: [String: ScreeningAnswer], to later: [String: ScreeningAnswer], instrument: ScreeningInstrument) {
        for item in instrument.items where item.type == .scale {
            if case .number(let before)? = earlier[item.id], case .number(let after)? = later[item.id], before != after {
                confidence[item.id] = after - before
            }
        }
        func priorities(_ answers: [String: ScreeningAnswer]) -> [String: Int] {
            var result: [String: Int] = [:]
            for item in instrument.items where item.type == .themes {
                if case .priorities(let values)? = answers[item.id] { result.merge(values.filter { $0.value > 0 }) { max($0, $1) } }
            }
            return result
        }
        let before = priorities(earlier), after = priorities(later)
        newThemes = after.keys.filter { before[$0] == nil }.sorted()
        themesGone = before.keys.filter { after[$0] == nil }.sorted()
        for (theme, priority) in after { if let old = before[theme], old != priority { themesChanged[theme] = priority - old } }
        if case .list(let old)? = earlier["stressors"], case .list(let new)? = later["stressors"] {
            newStressors = new.filter { !old.contains($0) }.sorted()
            stressorsGone = old.filter { !new.contains($0) }.sorted()
        } else if case .list(let new)? = later["stressors"], earlier["stressors"] == nil {
            newStressors = new.sorted()
        }
        let provisionsBefore = ProvisionAnswers(earlier), provisionsNow = ProvisionAnswers(later)
        if provisionsBefore.asked && provisionsNow.asked {
            let change = provisionsNow.change(since: provisionsBefore)
            newlyKnownProvisions = change.newlyKnown.map(\.rawValue)
            newlyUsedProvisions = change.newlyUsed.map(\.rawValue)
        }
    }
}
