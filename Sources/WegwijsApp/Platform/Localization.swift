import Foundation
import Leaf
import LeafKit
import Vapor
import WegwijsCore

/// The staff UI's languages. Dutch is the default (the users are Dutch public-sector staff); English by choice.
enum StaffLocale: String, CaseIterable, Sendable {
    case nl, en
    static let fallback = StaffLocale.nl
    var isRightToLeft: Bool { Languages.rightToLeft.contains(rawValue) }
}

/// Translations, read once at start-up from `Resources/Locales/<lang>.json` (flat `"key": "text"` maps).
/// A missing key renders as the key itself: visible, and caught by the catalogue test and the browser suite.
struct LocaleCatalog: Sendable {
    private let texts: [String: [String: String]]

    init(texts: [String: [String: String]]) { self.texts = texts }

    static func load(from directory: String) throws -> LocaleCatalog {
        var texts: [String: [String: String]] = [:]
        for locale in StaffLocale.allCases {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(locale.rawValue).json")
            let data = try Data(contentsOf: url)
            texts[locale.rawValue] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return LocaleCatalog(texts: texts)
    }

    func keys(_ locale: StaffLocale) -> Set<String> { Set(texts[locale.rawValue]?.keys ?? [:].keys) }

    func text(_ key: String, _ locale: StaffLocale) -> String {
        texts[locale.rawValue]?[key] ?? key
    }

    func has(_ key: String, _ locale: StaffLocale) -> Bool { texts[locale.rawValue]?[key] != nil }

    /// The label of a vocabulary code (`situation.single-parent`); unknown codes fall back to the code itself.
    func label(_ vocabulary: String, _ code: String, _ locale: StaffLocale) -> String {
        texts[locale.rawValue]?["\(vocabulary).\(code)"] ?? code
    }

    /// A field error as a sentence, in `locale` (English for the API).
    func fieldMessage(_ error: FieldError, _ locale: StaffLocale = .en) -> String {
        text("error.\(error.code)", locale)
    }

    /// The codes of a vocabulary as choices of a select or checkbox group, labelled in `locale`.
    func choices<V: VocabularyCode>(_: V.Type, _ vocabulary: String, _ locale: StaffLocale, selected: [String]) -> [Choice] {
        V.allCodes.map { Choice(value: $0, label: label(vocabulary, $0, locale), selected: selected.contains($0)) }
    }

    /// Languages and countries are named by the system's CLDR data rather than by our catalogues.
    func languageName(_ code: String, _ locale: StaffLocale) -> String { locale.languageName(code) }

    func countryName(_ code: String, _ locale: StaffLocale) -> String {
        Locale(identifier: locale.rawValue).localizedString(forRegionCode: code) ?? code
    }
}

extension Application {
    private struct CatalogKey: StorageKey { typealias Value = LocaleCatalog }
    var locales: LocaleCatalog {
        get {
            guard let catalog = storage[CatalogKey.self] else { fatalError("locales not loaded in configure()") }
            return catalog
        }
        set { storage[CatalogKey.self] = newValue }
    }
}

extension Request {
    /// The UI language: the one chosen in this session, else the browser's preference between nl and en, else Dutch.
    var staffLocale: StaffLocale {
        if let chosen = session.data["locale"].flatMap(StaffLocale.init(rawValue:)) { return chosen }
        let accept = headers.first(name: .acceptLanguage)?.lowercased() ?? ""
        if let en = accept.range(of: "en"), let nl = accept.range(of: "nl") {
            return en.lowerBound < nl.lowerBound ? .en : .nl
        }
        return accept.hasPrefix("en") ? .en : .fallback
    }

    func t(_ key: String) -> String { application.locales.text(key, staffLocale) }
}

/// `#t("key")`: the text of `key` in the request's language.
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else { throw LeafError(.unknownError("#t() needs a key")) }
        guard let request = ctx.request else { return .string(key) }
        return .string(request.application.locales.text(key, request.staffLocale))
    }
}

/// `#label("situation", code)`: the label of a vocabulary code in the request's language.
struct LabelTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 2, let vocabulary = ctx.parameters[0].string,
              let code = ctx.parameters[1].string else { throw LeafError(.unknownError("#label() needs a vocabulary and a code")) }
        guard let request = ctx.request else { return .string(code) }
        let catalog = request.application.locales
        switch vocabulary {
        case "language": return .string(catalog.languageName(code, request.staffLocale))
        case "country": return .string(catalog.countryName(code, request.staffLocale))
        default: return .string(catalog.label(vocabulary, code, request.staffLocale))
        }
    }
}



/// `#date(iso)`: a calendar day the way people write it ("1 december 2026", `LocaleCatalog.longDate`); anything that is
/// not a day is shown as it is.
struct DateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 1 else { throw LeafError(.unknownError("#date() needs one ISO day")) }
        let iso = ctx.parameters[0].string ?? ""
        guard let request = ctx.request else { return .string(iso) }
        return .string(request.application.locales.longDate(iso, request.staffLocale))
    }
}

extension StaffLocale {
    /// A calendar day (`2027-01-06`) as staff read it: "6 januari 2027", "January 6, 2027". Anything else as it is.
    func date(_ iso: String) -> String {
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: "UTC")
        parser.dateFormat = "yyyy-MM-dd"
        guard let day = parser.date(from: iso) else { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: rawValue)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .long
        return formatter.string(from: day)
    }

    /// A moment as staff read it: medium date and short time, in the Netherlands' time zone.
    func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: rawValue)
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: date)
    }
}

extension LocaleCatalog {
    /// A date the way people write it: "1 december 2026" (the month's name from the locale file, `date.month.12`).
    /// Text that is not a date is shown as it is.
    func longDate(_ iso: String, _ locale: StaffLocale) -> String {
        guard let date = CalendarDate(iso: iso) else { return iso }
        return "\(date.day) \(text("date.month.\(date.month)", locale)) \(date.year)"
    }
}

extension StaffLocale {
    /// A language's name in this locale, from the system's CLDR data; the code itself when CLDR has none.
    func languageName(_ code: String) -> String {
        Locale(identifier: rawValue).localizedString(forLanguageCode: code) ?? code
    }
}
