import Foundation
import WegwijsCore

/// The parents' place as shipped in `Resources/ParentsPlace/`: the page list (`pages.json`) and per language the
/// fixed strings, the labels of the vocabulary, and the seed texts of the pages. The page texts live in the
/// database once seeded (`ParentPage`), where staff edit and key persons review them; the fixed strings stay here.
struct ParentContent: Sendable {
    struct PageSpec: Codable, Sendable {
        let slug: String
        let themes: [String]
    }

    struct PageText: Codable, Sendable, Equatable {
        var slug: String
        var title: String
        var summary: String
        var iconAlt: String
        var body: String
    }

    struct LanguageFile: Codable, Sendable {
        let language: String
        let ui: [String: String]
        let labels: [String: [String: String]]
        let pages: [PageText]
    }

    /// A language as the chooser shows it: its code, its own name in its own script, and its direction.
    struct Language: Encodable, Sendable {
        let code: String
        let name: String
        let dir: String
    }

    static let sourceLanguage = "nl"
    /// Each language's own name for itself (endonym).
    static let endonyms: [String: String] = [
        "nl": "Nederlands", "en": "English", "ar": "العربية", "ti": "ትግርኛ", "fa": "فارسی / دری", "so": "Soomaali",
        "tr": "Türkçe", "pl": "Polski", "bg": "Български", "uk": "Українська",
    ]

    let pages: [PageSpec]
    let files: [String: LanguageFile]

    var languages: [Language] {
        Languages.parentLanguages.filter { files[$0] != nil }.map {
            Language(code: $0, name: Self.endonyms[$0] ?? $0, dir: Languages.rightToLeft.contains($0) ? "rtl" : "ltr")
        }
    }

    func isLanguage(_ code: String) -> Bool { files[code] != nil }
    func page(_ slug: String) -> PageSpec? { pages.first { $0.slug == slug } }

    /// A fixed string in `language`, with `{name}` placeholders filled in; Dutch when the language lacks it.
    func ui(_ key: String, _ language: String, _ values: [String: String] = [:]) -> String {
        var text = files[language]?.ui[key] ?? files[Self.sourceLanguage]?.ui[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    func label(_ group: String, _ code: String, _ language: String) -> String {
        files[language]?.labels[group]?[code] ?? files[Self.sourceLanguage]?.labels[group]?[code] ?? code
    }

    static func load(from folder: String) throws -> ParentContent {
        let decoder = JSONDecoder()
        struct PageList: Decodable { let pages: [PageSpec] }
        let list = try decoder.decode(PageList.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/pages.json")))
        var files: [String: LanguageFile] = [:]
        for code in Languages.parentLanguages {
            let path = folder + "/\(code).json"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                files[code] = try decoder.decode(LanguageFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw ConfigError("Resources/ParentsPlace/\(code).json cannot be read: \(error)")
            }
        }
        guard files[sourceLanguage] != nil else { throw ConfigError("Resources/ParentsPlace/nl.json is missing") }
        return ParentContent(pages: list.pages, files: files)
    }
}

/// A page body in the small markup of the content files: paragraphs separated by a blank line, `## ` headings,
/// `- ` bullets. Parsed into blocks that the template renders, so no text is ever treated as HTML.
struct TextBlock: Codable, Sendable, Equatable {
    let kind: String // "p", "h2", "ul"
    let text: String
    let items: [String]

    static func parse(_ body: String) -> [TextBlock] {
        var blocks: [TextBlock] = []
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n")
        for chunk in normalised.components(separatedBy: "\n\n") {
            let lines = chunk.split(separator: "\n", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !lines.isEmpty else { continue }
            var paragraph: [String] = []
            var bullets: [String] = []
            func flush() {
                if !paragraph.isEmpty { blocks.append(TextBlock(kind: "p", text: paragraph.joined(separator: " "), items: [])); paragraph = [] }
                if !bullets.isEmpty { blocks.append(TextBlock(kind: "ul", text: "", items: bullets)); bullets = [] }
            }
            for line in lines {
                if line.hasPrefix("## ") {
                    flush()
                    blocks.append(TextBlock(kind: "h2", text: String(line.dropFirst(3)), items: []))
                } else if line.hasPrefix("- ") {
                    if !paragraph.isEmpty { flush() }
                    bullets.append(String(line.dropFirst(2)))
                } else {
                    if !bullets.isEmpty { flush() }
                    paragraph.append(line)
                }
            }
            flush()
        }
        return blocks
    }
}
