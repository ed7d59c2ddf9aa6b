import Foundation
import Testing

/// One word per role and the "u" form on every Dutch staff text (issue 16, item 3): each Dutch text in
/// Resources/Locales/nl.json is checked against the words the glossary (Resources/Glossary/nl.json) says not
/// to use, except the texts parents read too (its `parentFacing` key prefixes).
@Suite("Glossary")
struct GlossaryTests {
    struct Glossary: Decodable {
        struct Word: Decodable { let meaning: String; let notThese: [String] }
        let words: [String: Word]
        let parentFacing: [String]
    }

    static var resources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources")
    }

    /// The texts that use a word the glossary replaces, as "key: word (use …)".
    static func offenders(_ texts: [String: String], _ glossary: Glossary) -> [String] {
        var found: [String] = []
        for (key, text) in texts.sorted(by: { $0.key < $1.key })
        where !glossary.parentFacing.contains(where: { key.hasPrefix($0) }) {
            let lowered = text.lowercased()
            for (use, word) in glossary.words.sorted(by: { $0.key < $1.key }) {
                for avoid in word.notThese where lowered.range(of: "\\b\(avoid)\\b", options: .regularExpression) != nil {
                    found.append("\(key): '\(avoid)' (use '\(use)')")
                }
            }
        }
        return found
    }

    @Test("Every Dutch staff text uses the glossary's words and the u form")
    func dutchTextsFollowTheGlossary() throws {
        let glossary = try JSONDecoder().decode(Glossary.self, from: Data(contentsOf: Self.resources.appendingPathComponent("Glossary/nl.json")))
        let texts = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: Self.resources.appendingPathComponent("Locales/nl.json")))
        #expect(texts.count > 1_000)
        let offenders = Self.offenders(texts, glossary)
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    @Test("The check finds a role word and a 'je', and lets parents' texts keep theirs")
    func theCheckCanFail() {
        let glossary = Glossary(words: ["klantmanager": .init(meaning: "", notThese: ["regisseur"]),
                                        "u": .init(meaning: "", notThese: ["je"])],
                                parentFacing: ["theme."])
        let texts = ["a": "Vraag het de regisseur", "b": "Heeft je gezin", "c": "Jeugdzorg en jeugdarts",
                     "theme.x": "Praten met je kind", "d": "De Regisseur zegt"]
        #expect(Self.offenders(texts, glossary) == ["a: 'regisseur' (use 'klantmanager')", "b: 'je' (use 'u')",
                                                    "d: 'regisseur' (use 'klantmanager')"])
    }
}
