import Foundation

/// The words of a name as the family list searches them: lower case, without diacritics, split at spaces, hyphens,
/// apostrophes and other punctuation. A search word matches a family when it is the beginning of one of these
/// tokens, so "had" finds "Haddad", "yilm" finds "Yılmaz" and "al hassan" finds "Al-Hassan".
///
/// The tokens are stored in an indexed table, so a name search is an index range read instead of a scan of every
/// family's names (`LIKE '%…%'` cannot use an index).
public enum NameTokens {
    /// Letters that case and diacritic folding leave as they are but that people type without the mark.
    private static let foldedLetters: [Character: String] = [
        "ı": "i", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    ]

    /// The longest token kept: longer words are cut (a search word is cut the same way, so it still matches).
    public static let maximumLength = 40

    /// The tokens of `text`, each once, in order of first appearance. A hyphenated or apostrophed name also gives
    /// its parts written together ("al-hassan" gives "al", "hassan" and "alhassan").
    public static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var seen = Set<String>()
        func add(_ token: String) {
            let cut = String(token.prefix(maximumLength))
            if !cut.isEmpty, seen.insert(cut).inserted { tokens.append(cut) }
        }
        for chunk in fold(text).split(whereSeparator: { $0.isWhitespace }) {
            let parts = chunk.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
            parts.forEach(add)
            if parts.count > 1 { add(parts.joined()) }
        }
        return tokens
    }

    /// The search words of a query, folded like the tokens (punctuation inside a word splits it too).
    public static func searchWords(of query: String) -> [String] {
        fold(query).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { String($0.prefix(maximumLength)) }
    }

    /// The smallest string above every string that starts with `prefix`, in the byte order of UTF-8 (SQLite's
    /// default and PostgreSQL's `COLLATE "C"`): `prefix` with its last character moved one code point up, so that
    /// `token >= prefix AND token < upperBound(prefix)` is "starts with" as an index range.
    public static func upperBound(ofPrefix prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var result = String.UnicodeScalarView()
                result.append(contentsOf: scalars)
                return String(result)
            }
        }
        return "\u{10FFFF}"
    }

    /// Lower case, without diacritics, the letters above spelled out (also `NameKey`'s folding of Latin text).
    static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var out = ""
        out.reserveCapacity(folded.count)
        for character in folded {
            if let replacement = foldedLetters[character] { out += replacement } else { out.append(character) }
        }
        return out
    }
}
