import Testing
@testable import WegwijsCore

@Suite("Name tokens")
struct NameTokensTests {
    @Test("names fold case, diacritics and letters typed without their mark; parts of joined names are tokens too")
    func folding() {
        #expect(NameTokens.tokens(of: "Yılmaz Öztürk") == ["yilmaz", "ozturk"])
        #expect(NameTokens.tokens(of: "Al-Hassan") == ["al", "hassan", "alhassan"])
        #expect(NameTokens.tokens(of: "N'Diaye  Müller") == ["n", "diaye", "ndiaye", "muller"])
        #expect(NameTokens.tokens(of: "Tesfay / Gebremedhin") == ["tesfay", "gebremedhin"])
        #expect(NameTokens.tokens(of: "Straße Łukasz") == ["strasse", "lukasz"])
        #expect(NameTokens.tokens(of: "Haddad haddad HADDAD") == ["haddad"])
        #expect(NameTokens.tokens(of: "أحمد") == ["أحمد"])  // Arabic stays Arabic (no transliteration yet)
        #expect(NameTokens.tokens(of: "% _ !") == [])
    }

    @Test("search words fold the same way and split at punctuation")
    func searchWords() {
        #expect(NameTokens.searchWords(of: "  Al Hassan ") == ["al", "hassan"])
        #expect(NameTokens.searchWords(of: "al-hassan") == ["al", "hassan"])
        #expect(NameTokens.searchWords(of: "YILM") == ["yilm"])
        #expect(NameTokens.searchWords(of: "%_") == [])
        #expect(NameTokens.searchWords(of: String(repeating: "a", count: 100)).first?.count == NameTokens.maximumLength)
    }

    @Test("the upper bound of a prefix is above everything that starts with it and below what follows")
    func upperBound() {
        #expect(NameTokens.upperBound(ofPrefix: "hadd") == "hade")
        #expect(NameTokens.upperBound(ofPrefix: "az") == "a{")
        for (prefix, inside, outside) in [("hadd", "haddad", "hade"), ("yi", "yilmaz", "yj"), ("ab", "ab\u{10FFFF}x", "ac"),
                                          ("\u{D7FF}", "\u{D7FF}a", "\u{E000}")] {
            let upper = NameTokens.upperBound(ofPrefix: prefix)
            #expect(Array(inside.utf8).lexicographicallyPrecedes(Array(upper.utf8)), "\(prefix)")
            #expect(!Array(outside.utf8).lexicographicallyPrecedes(Array(upper.utf8)), "\(prefix)")
            #expect(!Array(inside.utf8).lexicographicallyPrecedes(Array(prefix.utf8)))
        }
    }
}
