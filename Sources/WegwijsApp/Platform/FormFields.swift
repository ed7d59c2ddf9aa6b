import Foundation
import Vapor
import WegwijsCore

/// The fields of a submitted HTML form (`application/x-www-form-urlencoded`), keeping repeated names
/// (checkbox groups) in order.
struct FormFields: Sendable {
    private var values: [String: [String]] = [:]

    init(_ request: Request) throws {
        guard let buffer = request.body.data else { return }
        let body = String(buffer: buffer)
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    /// The value of a single field, trimmed; nil when absent or empty.
    subscript(_ name: String) -> String? { values[name]?.first?.trimmed.nilIfEmpty }

    /// Whether the form sent the field at all (an empty choice is sent; an unticked checkbox is not).
    func has(_ name: String) -> Bool { values[name] != nil }

    /// The raw value (not trimmed), for fields that keep what the user typed.
    func raw(_ name: String) -> String { values[name]?.first ?? "" }

    /// Every value of a repeated field (checkboxes).
    func all(_ name: String) -> [String] { (values[name] ?? []).map(\.trimmed).filter { !$0.isEmpty } }
}

/// Turns what staff type ("Arabisch, Koerdisch" or "ar, ku"; "Syrië" or "SY") into codes, and codes back into
/// names, in Dutch or English. Unresolvable entries are returned as they are, so validation names them.
enum NameResolver {
    static func languageCodes(from text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmed }.filter { !$0.isEmpty }.map(languageCode)
    }

    static func languageCode(_ entry: String) -> String {
        let lower = entry.lowercased()
        if Languages.isKnown(lower) { return lower }
        return languageIndex[lower] ?? entry
    }

    static func countryCode(_ entry: String) -> String {
        let upper = entry.uppercased()
        if upper.count == 2, Countries.isKnown(upper) { return upper }
        return countryIndex[entry.lowercased()] ?? entry
    }

    static func languageNames(_ codes: [String], _ locale: StaffLocale) -> String {
        codes.map { Locale(identifier: locale.rawValue).localizedString(forLanguageCode: $0) ?? $0 }.joined(separator: ", ")
    }

    static func countryName(_ code: String?, _ locale: StaffLocale) -> String {
        guard let code else { return "" }
        return Locale(identifier: locale.rawValue).localizedString(forRegionCode: code) ?? code
    }

    /// Names staff are likely to type, in Dutch and English, for the languages newcomer families speak.
    static let commonLanguages = ["nl", "en", "ar", "ti", "fa", "so", "tr", "pl", "bg", "uk", "ps", "ku", "ckb", "am",
                                  "ru", "ro", "fr", "es", "de", "ur", "om", "sw", "hu", "lt", "lv", "sq", "hy", "ka"]

    private static let languageIndex: [String: String] = {
        var index: [String: String] = [:]
        for locale in ["nl", "en"] {
            for code in Locale.LanguageCode.isoLanguageCodes.map(\.identifier) where code.count <= 3 {
                if let name = Locale(identifier: locale).localizedString(forLanguageCode: code)?.lowercased(), index[name] == nil {
                    index[name] = code
                }
            }
        }
        // Common words staff use that CLDR spells differently.
        index["dari"] = "fa"
        index["farsi"] = "fa"
        index["perzisch"] = "fa"
        index["koerdisch"] = "ku"
        index["kurdish"] = "ku"
        index["sorani"] = "ckb"
        return index
    }()

    private static let countryIndex: [String: String] = {
        var index: [String: String] = [:]
        for locale in ["nl", "en"] {
            for region in Locale.Region.isoRegions where region.identifier.count == 2 {
                if let name = Locale(identifier: locale).localizedString(forRegionCode: region.identifier)?.lowercased() {
                    index[name] = region.identifier
                }
            }
        }
        return index
    }()
}

/// An option of a select, radio or checkbox group.
struct Choice: Encodable, Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// A field error for the page: the field's HTML id and the translated message, for the summary at the top.
struct ErrorLink: Encodable, Sendable {
    let field: String
    let message: String
}
