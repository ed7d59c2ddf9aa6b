import Foundation

/// The JSON of a match result, written directly: an answer can hold hundreds of matches with their sentences, and
/// a general-purpose encoder spent most of the request's time on it. The output is the same document as
/// `JSONEncoder` gives for `MatchResult` (a test keeps them equal).
extension MatchResult {
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + matches.count * 600 + excluded.count * 120)
        out.append(contentsOf: Array(#"{"matches":["#.utf8))
        Self.appendMatches(matches[...], into: &out)
        out.append(contentsOf: Array(#"],"excluded":["#.utf8))
        Self.appendExclusions(excluded, into: &out)
        out.append(contentsOf: Array("]}".utf8))
        return out
    }

    /// One page of the result (`MatchWindow`), the same document as `JSONEncoder` gives for `page(window)`.
    public func jsonBytes(_ window: MatchWindow) -> [UInt8] {
        let shown = window.slice(of: matches)
        var out: [UInt8] = []
        out.reserveCapacity(256 + shown.count * 600 + (window.includeExcluded ? excluded.count * 120 : 0))
        out.append(contentsOf: Array(#"{"matches":["#.utf8))
        Self.appendMatches(shown, into: &out)
        out.append(contentsOf: Array(#"],"total":\#(matches.count),"offset":\#(window.offset),"limit":\#(window.limit)"#.utf8))
        if window.includeExcluded {
            out.append(contentsOf: Array(#","excluded":["#.utf8))
            Self.appendExclusions(excluded, into: &out)
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func appendMatches(_ matches: ArraySlice<Match>, into out: inout [UInt8]) {
        for (position, match) in matches.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: Array(#"{"offerId":"#.utf8))
            JSONText.string(match.offerId, into: &out)
            out.append(contentsOf: Array(#","name":"#.utf8))
            JSONText.string(match.name, into: &out)
            out.append(contentsOf: Array(#","score":"#.utf8))
            out.append(contentsOf: Array(String(match.score).utf8))
            out.append(contentsOf: Array(#","themes":["#.utf8))
            let themes = match.themes
            for (index, theme) in themes.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.string(theme, into: &out)
            }
            out.append(contentsOf: Array(#"],"reasons":["#.utf8))
            JSONText.explanation(Explain.themes(themes), into: &out)
            for index in Explain.reasons.indices where match.reasonBits & (1 << index) != 0 {
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: JSONText.reasons[index])
            }
            out.append(contentsOf: Array(#"],"warnings":["#.utf8))
            var first = true
            for index in Explain.warnings.indices where match.warningBits & (1 << index) != 0 {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: JSONText.warnings[index])
            }
            out.append(contentsOf: Array("]}".utf8))
        }
    }

    private static func appendExclusions(_ excluded: [Exclusion], into out: inout [UInt8]) {
        for (position, exclusion) in excluded.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: Array(#"{"offerId":"#.utf8))
            JSONText.string(exclusion.offerId, into: &out)
            out.append(contentsOf: Array(#","name":"#.utf8))
            JSONText.string(exclusion.name, into: &out)
            out.append(contentsOf: Array(#","constraints":["#.utf8))
            var first = true
            for (index, constraint) in MatchConstraint.allCases.enumerated() where exclusion.constraintBits & (1 << index) != 0 {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONText.string(constraint.rawValue, into: &out)
            }
            out.append(contentsOf: Array("]}".utf8))
        }
    }
}

/// Which part of a result one answer holds (issue 16, item 9): the best `limit` matches from `offset`, and the
/// excluded offers only when asked. An answer with every match and every exclusion of a catalogue of 5,000 offers
/// was about 0.5 MB; a person reads the first few.
public struct MatchWindow: Sendable, Equatable {
    public static let defaultLimit = 20
    public static let maximumLimit = 200

    public var offset: Int
    public var limit: Int
    public var includeExcluded: Bool

    public init(offset: Int = 0, limit: Int = MatchWindow.defaultLimit, includeExcluded: Bool = false) {
        self.offset = offset
        self.limit = limit
        self.includeExcluded = includeExcluded
    }

    /// The matches of the window (empty past the end).
    public func slice<T>(of all: [T]) -> ArraySlice<T> {
        let start = min(max(0, offset), all.count)
        return all[start..<min(all.count, start + max(0, limit))]
    }
}

/// A page of a match result as the API answers it (`jsonBytes(_:)` writes the same document).
public struct MatchPage: Codable, Sendable, Equatable {
    public var matches: [MatchResult.Match]
    /// Every match of the profile, of which `matches` are the window.
    public var total: Int
    public var offset: Int
    public var limit: Int
    /// Only when asked for (`MatchWindow.includeExcluded`); absent otherwise.
    public var excluded: [MatchResult.Exclusion]?
}

extension MatchResult {
    /// No matches and no exclusions (a family without open questions).
    public static let empty = MatchResult(matches: [], excluded: [])

    public func page(_ window: MatchWindow) -> MatchPage {
        MatchPage(matches: Array(window.slice(of: matches)), total: matches.count, offset: window.offset, limit: window.limit,
                  excluded: window.includeExcluded ? excluded : nil)
    }
}

public enum JSONText {
    static let reasons: [[UInt8]] = Explain.reasons.map { bytes(of: $0) }
    static let warnings: [[UInt8]] = Explain.warnings.map { bytes(of: $0) }

    static func bytes(of explanation: MatchResult.Explanation) -> [UInt8] {
        var out: [UInt8] = []
        Self.explanation(explanation, into: &out)
        return out
    }

    static func explanation(_ explanation: MatchResult.Explanation, into out: inout [UInt8]) {
        out.append(contentsOf: Array(#"{"code":"#.utf8))
        string(explanation.code, into: &out)
        out.append(contentsOf: Array(#","nl":"#.utf8))
        string(explanation.nl, into: &out)
        out.append(contentsOf: Array(#","en":"#.utf8))
        string(explanation.en, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// `text` as a JSON string literal (see `string(_:into:)`), for JSON written as text in a fixed member order
    /// (the reports, the seeder's stored list JSON).
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        string(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string: quotes, backslashes and control characters escaped; everything else as UTF-8.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, 110])
            case 0x0D: out.append(contentsOf: [92, 114])
            case 0x09: out.append(contentsOf: [92, 116])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
