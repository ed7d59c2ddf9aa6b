import Foundation
import WegwijsCore

/// The languages field of the family forms: staff pick "Tigrinya (ti)" from a list or type a name (Dutch, English or
/// the language's own name, any case) or a code; several are separated by commas. Entries that name no language are
/// kept as typed, so validation names them next to the field.
enum LanguagePicker {
    /// More than this is not a list of languages (a pasted text): refused as too long instead of read entry by entry.
    static let maxTextLength = 500

    static func entries(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    static func codes(from text: String) -> [String] {
        guard text.count <= maxTextLength else { return [] }
        var seen = Set<String>()
        // The same language picked twice is one language.
        return entries(text).map { resolve($0) ?? $0 }.filter { seen.insert($0).inserted }
    }

    /// The code an entry names, or nil.
    static func resolve(_ entry: String) -> String? {
        var text = entry.trimmed
        // "Tigrinya (ti)" as the list offers it: the code in brackets decides.
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let code = String(text[text.index(after: open)..<text.index(before: text.endIndex)]).trimmed.lowercased()
            if Languages.isKnown(code) { return code }
            text = String(text[..<open]).trimmed
        }
        // A code as typed ("ti", "prs"); a name only of a language the list offers, so that "Klingon" (which has an
        // ISO code) is not taken for a language a family speaks.
        if Languages.isKnown(text.lowercased()) { return text.lowercased() }
        if let code = index[fold(text)] { return code }
        let alias = NameResolver.languageCode(text)
        return offeredSet.contains(alias) ? alias : nil
    }

    /// "Tigrinya (ti), Arabisch (ar)": how the edit form shows stored codes, read back exactly by `codes(from:)`.
    static func text(_ codes: [String], _ locale: StaffLocale) -> String {
        codes.map { "\(name($0, locale)) (\($0))" }.joined(separator: ", ")
    }

    static func name(_ code: String, _ locale: StaffLocale) -> String { locale.languageName(code) }

    /// The list's options: value "Tigrinya (ti)" in the page's language, label the language's own name ("ትግርኛ").
    static func options(_ locale: StaffLocale) -> [Choice] {
        offered.compactMap { code -> (String, String)? in
            let name = name(code, locale)
            return name == code ? nil : (code, name)
        }
        .sorted { $0.1.compare($1.1, locale: Locale(identifier: locale.rawValue)) == .orderedAscending }
        .map { code, name in
            let own = Locale(identifier: code).localizedString(forLanguageCode: code) ?? ""
            return Choice(value: "\(name) (\(code))", label: own.lowercased() == name.lowercased() ? "" : own, selected: false)
        }
    }

    /// Two-letter codes, and the three-letter ones Wegwijs knows that newcomer families speak.
    private static let offered: [String] = {
        var codes = Set(Locale.LanguageCode.isoLanguageCodes.map(\.identifier).filter { $0.count == 2 && Languages.isKnown($0) })
        codes.formUnion(NameResolver.commonLanguages.filter(Languages.isKnown))
        codes.formUnion(["prs", "ckb", "kmr", "tig"].filter(Languages.isKnown))
        return codes.sorted()
    }()

    private static let offeredSet = Set(offered)

    private static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).trimmed
    }

    /// Names in Dutch, English and the language's own name, case and accents folded.
    private static let index: [String: String] = {
        var index: [String: String] = [:]
        for code in offered {
            for locale in ["nl", "en", code] {
                if let name = Locale(identifier: locale).localizedString(forLanguageCode: code) {
                    let key = fold(name)
                    if index[key] == nil { index[key] = code }
                }
            }
        }
        return index
    }()
}
