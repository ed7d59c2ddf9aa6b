import Foundation
import Vapor
import WegwijsCore

/// What a parent asked the activity finder (`/ouders/:lang/activiteiten`). Unknown or out-of-range values are
/// ignored rather than refused: this form is for parents. Only a postcode that cannot be one says so, next to
/// its field.
struct FinderQuery: Sendable, Equatable {
    /// In which language the activity is given.
    enum LanguageChoice: Sendable, Equatable {
        /// The page's language, or with an interpreter or key person who speaks it (the default).
        case mine
        /// Given in this language.
        case givenIn(String)
        /// Any language.
        case any
    }

    static let anyLanguage = "all"

    var age: Int?
    var theme: String?
    var language: LanguageChoice = .mine
    /// A postcode area: 4 digits, or the first 2.
    var postcode: String?
    /// What the parent typed, shown back in the field.
    var postcodeText = ""
    var postcodeInvalid = false
    var page = 1

    init(_ request: Request, content: ParentContent) {
        age = request.query[String.self, at: "age"].flatMap(Int.init).flatMap { (0...18).contains($0) ? $0 : nil }
        theme = request.query[String.self, at: "theme"].flatMap { Theme.isKnown($0) ? $0 : nil }
        switch request.query[String.self, at: "language"] {
        case Self.anyLanguage?: language = .any
        case let code? where content.isLanguage(code): language = .givenIn(code)
        default: language = .mine
        }
        let typed = String((request.query[String.self, at: "postcode"] ?? "").prefix(20)).trimmingCharacters(in: .whitespaces)
        postcodeText = typed
        if !typed.isEmpty {
            postcode = Self.postcodeArea(typed)
            postcodeInvalid = postcode == nil
        }
        // A page number beyond the last shows the last one's neighbours as empty; absurd numbers are capped.
        page = request.query[String.self, at: "page"].flatMap(Int.init).map { min(max($0, 1), 10_000) } ?? 1
    }

    /// The postcode area of what a parent typed: "2311 AB", "2311ab" and "2311" give 2311; "23" gives 23.
    static func postcodeArea(_ typed: String) -> String? {
        let compact = typed.replacingOccurrences(of: " ", with: "").uppercased()
        let digits = compact.prefix { $0.isASCII && $0.isNumber }
        let rest = compact.dropFirst(digits.count)
        switch (digits.count, rest.count) {
        case (2, 0): return String(digits)
        case (4, 0): return digits.first == "0" ? nil : String(digits)
        case (4, 2) where rest.allSatisfy({ $0.isASCII && $0.isLetter }): return digits.first == "0" ? nil : String(digits)
        default: return nil
        }
    }

    /// The cache key of the rendered page: every input that changes it.
    var key: String {
        let languageKey: String
        switch language {
        case .mine: languageKey = ""
        case .givenIn(let code): languageKey = code
        case .any: languageKey = Self.anyLanguage
        }
        return [age.map(String.init) ?? "", theme ?? "", languageKey, postcode ?? "", postcodeInvalid ? "!" + postcodeText : "",
                String(page)].joined(separator: "/")
    }

    /// The query string of this search on another page.
    func query(page: Int) -> String {
        var items: [String] = []
        if let age { items.append("age=\(age)") }
        if let theme { items.append("theme=\(theme)") }
        switch language {
        case .mine: break
        case .givenIn(let code): items.append("language=\(code)")
        case .any: items.append("language=\(Self.anyLanguage)")
        }
        if let postcode { items.append("postcode=\(postcode)") }
        items.append("page=\(page)")
        return "?" + items.joined(separator: "&")
    }
}
