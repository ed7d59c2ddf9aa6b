import Foundation

/// A phonetic key for the words of a name, so that a search finds the same name in another spelling or script:
/// "Mohammed" finds "Muhammad" and "محمد", "Tesfay" finds "ተስፋይ", "Oleksandr" finds "Олександр".
///
/// The family list stores, beside each name token (`NameTokens`), the key of that token. A search word finds a
/// family when it starts one of the tokens (as before), or when its key equals one of the stored keys.
/// `matches(query:name:)` is that rule in Swift: the reference for the SQL and for the tests.
///
/// How a key is made (`key(of:)`):
/// 1. Arabic, Ge'ez and Cyrillic are written in Latin letters (`transliterate`);
/// 2. endings that spellings add or leave out are evened out (Fatimah = Fatima, Yassine = Yassin);
/// 3. letters that spell one sound together become one symbol: "sh", "ch", "sch", "sz" → `x`; "kh" → `h`;
///    "ph" → `f`; "w" → `v`; "c" and "q" → `k`; …;
/// 4. a doubled letter counts once ("Haddad" = "Hadad");
/// 5. vowels are dropped: Arabic script does not write short vowels, and the vowels are where spellings of one
///    name differ most (Mohamed, Muhammad). What is kept: an `a` in front for a word that starts with a vowel
///    (Ahmed "ahmd", not Mahmoud), an `a` at the end for a word that ends in a or e (Amina "amna", not Amin
///    "amn"), and the one vowel that tells Mahmoud from Muhammad and Hussein from Hassan.
///
/// Known limits: spellings that differ in a consonant stay apart (Osman and Othman, Oleg and Oleh, Ibragim and
/// Ibrahim, Turkish Ayşe typed "Ayse" and Aisha); names that differ only in vowels meet (Salim and Selam);
/// a name written as two words ("Abdul Rahman") has two keys and does not find the one-word spelling.
///
/// A key is lower-case ASCII for the scripts above; letters of other scripts are kept as they are.
public enum NameKey {
    // MARK: - public API

    /// `text` in lower-case Latin letters: Arabic script (with the Persian, Pashto and Urdu letters), the Ge'ez
    /// syllabary (Tigrinya, Amharic) and Cyrillic (Ukrainian, Russian, Bulgarian, Serbian) are transliterated;
    /// Latin letters are folded like `NameTokens` folds them (lower case, without diacritics). Everything that is
    /// not a letter stays where it is, so the words of the result are the words of `text`.
    ///
    /// Arabic does not write short vowels, so "محمد" gives the skeleton "mhmd"; the key does not need them.
    public static func transliterate(_ text: String) -> String {
        // Plain ASCII only needs lower case (most names; the search compares thousands of them).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var out = ""
        var run: [Unicode.Scalar] = []
        var runScript = Script.other
        func flush() {
            switch runScript {
            case .arabic: out += arabic(run)
            case .ethiopic: out += ethiopic(run)
            case .cyrillic: out += cyrillic(run)
            case .other: out += latin(run)
            }
            run.removeAll(keepingCapacity: true)
        }
        // Compatibility mapping first: Arabic presentation forms (ﻣﺤﻤﺪ) become the plain letters (محمد).
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            let script = Script(scalar)
            if script != runScript {
                flush()
                runScript = script
            }
            run.append(scalar)
        }
        flush()
        return out
    }

    /// The phonetic key of one word, in any script (it is transliterated first). Empty when the word has no
    /// letters or digits. Mohammed, Muhammad, Mohamed and محمد all give "mhmd"; Tesfay, Tesfaye and ተስፋይ "tsf".
    public static func key(of word: String) -> String {
        // Cut like a token (`NameTokens.maximumLength`), so that a long search word still finds its token.
        let letters = Array(transliterate(word).filter { $0.isLetter || $0.isNumber }.prefix(NameTokens.maximumLength))
        guard !letters.isEmpty else { return "" }
        var sounds = self.sounds(of: trimEnding(letters))
        sounds = foldAbd(devoiceEnd(sounds).removingRepeats())
        return spell(sounds)
    }

    /// The keys of the tokens of a full name (`NameTokens.tokens`), each once, in order: what is stored.
    public static func keys(of text: String) -> [String] {
        unique(NameTokens.tokens(of: text).map(key(of:)))
    }

    /// The keys of the search words of a query (`NameTokens.searchWords`), each once, in order.
    public static func searchKeys(of query: String) -> [String] {
        unique(NameTokens.searchWords(of: query).map(key(of:)))
    }

    /// Whether the family list finds `name` for `query`: every search word of the query starts a token of the
    /// name (`NameTokens`), or has the key of one (`FamilyListKeys` in the application does the same in SQL). Not
    /// "a key that starts a key": keys drop vowels, so a short key starts many unrelated names ("ubaydi" → "abd…");
    /// typing part of a name in the same spelling is found by the tokens already. A blank query filters nothing
    /// (true); a query without words ("%_") finds nothing.
    public static func matches(query: String, name: String) -> Bool {
        Search(query).finds(StoredName(name))
    }

    /// A name as the family list stores it: its tokens and their keys.
    struct StoredName {
        let tokens: [String]
        let keys: Set<String>

        init(_ name: String) {
            tokens = NameTokens.tokens(of: name)
            keys = Set(tokens.map(NameKey.key(of:)).filter { !$0.isEmpty })
        }
    }

    /// A name search: the search words and their keys. Made once, it is tried against many names.
    struct Search {
        let words: [(word: String, key: String)]
        let isBlank: Bool

        init(_ query: String) {
            words = NameTokens.searchWords(of: query).map { ($0, NameKey.key(of: $0)) }
            isBlank = query.allSatisfy(\.isWhitespace)
        }

        func finds(_ name: StoredName) -> Bool {
            guard !words.isEmpty else { return isBlank }
            return words.allSatisfy { word, key in
                if name.tokens.contains(where: { $0.hasPrefix(word) }) { return true }
                guard !key.isEmpty else { return false }
                return name.keys.contains(key)
            }
        }
    }

    private static func unique(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    // MARK: - scripts

    private enum Script {
        case arabic, ethiopic, cyrillic, other

        /// The script of a letter (or an Arabic vowel mark); digits and punctuation count as `other`.
        init(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x0620...0x065F, 0x066E...0x06D3, 0x06D5...0x06DC, 0x06E5...0x06E7, 0x06EE...0x06EF,
                 0x06FA...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF:
                self = .arabic
            case 0x1200...0x135F, 0x1380...0x139F, 0x2D80...0x2DDF, 0xAB00...0xAB2F:
                self = .ethiopic
            case 0x0400...0x0481, 0x048A...0x052F:
                self = .cyrillic
            default:
                self = .other
            }
        }
    }

    /// Eastern Arabic digits, in Arabic and Persian forms, are digits.
    private static func asciiDigit(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x0660...0x0669: return Unicode.Scalar(scalar.value - 0x0660 + 0x30)
        case 0x06F0...0x06F9: return Unicode.Scalar(scalar.value - 0x06F0 + 0x30)
        default: return nil
        }
    }

    /// Latin (and anything else): folded like `NameTokens`.
    private static func latin(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.map { asciiDigit($0) ?? $0 })
        // The same folding as the tokens', so that the key of a stored token equals the key of the name as typed.
        return NameTokens.fold(String(view))
    }

    // MARK: Arabic

    /// The Latin of the Arabic letters that always sound the same. ع, ء, و, ي and ه depend on their place and are
    /// handled in `arabic(_:)`.
    private static let arabicLetters: [Unicode.Scalar: String] = [
        "ا": "a", "آ": "a", "أ": "a", "إ": "i", "ٱ": "a", "ى": "a", "ة": "a", "ؤ": "u", "ئ": "i",
        "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
        "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "q", "ك": "k",
        "ل": "l", "م": "m", "ن": "n",
        // Persian, Urdu, Kurdish
        "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ۀ": "a", "ە": "e", "ہ": "h", "ھ": "h", "ۃ": "a",
        "ے": "e", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ڤ": "v", "ڨ": "g", "ڭ": "g", "ۆ": "o", "ۇ": "u",
        "ێ": "e", "ڵ": "l", "ڕ": "r",
        // Pashto
        "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ځ": "dz", "څ": "ts", "ڼ": "n", "ې": "e", "ۍ": "i",
        // vowel marks, when written: fatha, damma, kasra, the small alef
        "\u{064E}": "a", "\u{064F}": "u", "\u{0650}": "i", "\u{0670}": "a",
    ]

    /// Letters that write a vowel after a consonant: before one of them و and ي are consonants (w, y).
    private static let arabicVowelLetters: Set<Unicode.Scalar> = ["ا", "آ", "أ", "إ", "ى", "ة", "ۀ", "ە"]

    /// Consonants whose Latin followed by "h" would read as another sound ("s" + "h" as "sh"): ز + ه in "زهرة" is
    /// written "zahra", so an "a" goes between them (the short vowel Arabic leaves out).
    private static let joinsWithH: Set<Character> = ["s", "z", "t", "d", "k", "g", "c", "p"]

    private static func arabic(_ run: [Unicode.Scalar]) -> String {
        // The letters, each with the vowel marks written over or under it (mostly none). Tatweel, the stroke
        // that stretches a word, is no letter.
        var word: [(letter: Unicode.Scalar, marks: [Unicode.Scalar])] = []
        for scalar in run where scalar != "\u{0640}" {
            if (0x064B...0x065F).contains(scalar.value) || scalar == "\u{0670}" {
                if !word.isEmpty { word[word.count - 1].marks.append(scalar) }
            } else {
                word.append((scalar, []))
            }
        }
        var out = ""
        for index in word.indices {
            let letter = word[index].letter
            let isFirst = index == word.startIndex
            let isLast = index == word.index(before: word.endIndex)
            let next: Unicode.Scalar? = isLast ? nil : word[index + 1].letter
            let previous: Unicode.Scalar? = isFirst ? nil : word[index - 1].letter
            let nextIsVowelLetter = next.map { arabicVowelLetters.contains($0) } ?? false
            var latin: String
            switch letter {
            case "ع", "ء":
                // A word starting with ع (عمر Omar, علي Ali) starts with a vowel in Latin; inside a word it is
                // mostly not written (سعيد Said). Before a long vowel letter that letter gives the vowel.
                let beforeVowel = nextIsVowelLetter || next == "ي" || next == "ی" || next == "و"
                latin = isFirst && !beforeVowel ? "a" : ""
            case "و":
                // w at the start or before a vowel (وليد Walid, مروة Marwa, نويد Navid), else the long u (يوسف Yusuf).
                latin = isFirst || nextIsVowelLetter || next == "ي" || next == "ی" ? "w" : "u"
            case "ي", "ی":
                // y at the start or before a vowel (ياسين Yasin, زياد Ziyad), else the long i (كريم Karim).
                latin = isFirst || nextIsVowelLetter || next == "و" ? "y" : "i"
            case "ه":
                // At the end after a consonant it is the feminine ending, "-ah" / "-eh" (فاطمه Fatemeh, الله Allah).
                let afterLongVowel = previous.map { $0 == "ا" || $0 == "و" || $0 == "ي" || $0 == "ی" } ?? true
                latin = isLast && !afterLongVowel ? "ah" : "h"
            default:
                if let digit = asciiDigit(letter) {
                    latin = String(Character(digit))
                } else {
                    latin = arabicLetters[letter] ?? String(Character(letter))
                }
            }
            // Shadda doubles the consonant (مُحَمَّد muhammad); fatha, damma and kasra are the short vowels.
            let marks = word[index].marks
            if marks.contains("\u{0651}") { latin += latin }
            for mark in marks { latin += arabicLetters[mark] ?? "" }
            if latin.hasPrefix("h"), let last = out.last, joinsWithH.contains(last) { out += "a" }
            out += latin
        }
        return out
    }

    // MARK: Ge'ez

    /// The consonant of each row of eight syllables from U+1200 (ሀ) to U+1357: a syllable is its row's consonant
    /// and the vowel of its place in the row. The glottal rows (አ, ዐ) have no consonant: their syllables are vowels.
    private static let ethiopicConsonants: [String] = [
        "h", "l", "h", "m", "s", "r", "s", "sh",      // ሀ ለ ሐ መ ሠ ረ ሰ ሸ
        "q", "qw", "q", "qw", "b", "v", "t", "ch",    // ቀ ቈ ቐ ቘ በ ቨ ተ ቸ
        "h", "hw", "n", "ny", "", "k", "kw", "k",     // ኀ ኈ ነ ኘ አ ከ ኰ ኸ (Tigrinya ኽ is mostly written k)
        "kw", "w", "", "z", "zh", "y", "d", "d",      // ዀ ወ ዐ ዘ ዠ የ ደ ዸ
        "j", "g", "gw", "ng", "t", "ch", "p", "ts",   // ጀ ገ ጐ ጘ ጠ ጨ ጰ ጸ
        "ts", "f", "p",                               // ፀ ፈ ፐ
    ]

    /// The vowels of the eight places of a row. The sixth is a consonant without a vowel (or a short ə): ስ in
    /// ተስፋይ is "s", as in "Tesfay". The eighth is the "wa" of ሏ, ሗ, ….
    private static let ethiopicVowels = ["e", "u", "i", "a", "e", "", "o", "wa"]

    /// Rows whose consonant is said with rounded lips (ቈ, ኰ, ጐ, …): places 0, 2, 3, 4 and 5 only, no eighth.
    private static let ethiopicLabialRows: Set<Int> = [9, 11, 17, 22, 24, 34]

    /// One Ge'ez syllable as consonant and vowel; `sixth` when it is the vowelless sixth form. Nil for a
    /// character that makes no sound (a combining mark) or that is outside the table (it is then kept as is).
    private static func ethiopicSyllable(_ scalar: Unicode.Scalar) -> (consonant: String, vowel: String, sixth: Bool)? {
        let value = Int(scalar.value)
        switch value {
        case 0x1358: return ("m", "ya", false)
        case 0x1359: return ("r", "ya", false)
        case 0x135A: return ("f", "ya", false)
        case 0x135D...0x135F: return ("", "", false)
        case 0x1200..<0x1358:
            let row = (value - 0x1200) / 8, place = (value - 0x1200) % 8
            let consonant = ethiopicConsonants[row]
            if ethiopicLabialRows.contains(row) {
                return (consonant, ["e", "", "i", "a", "e", "", "", ""][place], place == 5)
            }
            if consonant.isEmpty {
                // አ, ዐ and their forms write the vowel alone; the first form is "a" in names (ኣብርሃ, አበበ Abebe).
                return ("", ["a", "u", "i", "a", "e", "e", "o", "wa"][place], false)
            }
            return (consonant, ethiopicVowels[place], place == 5)
        default:
            return nil
        }
    }

    private static func ethiopic(_ run: [Unicode.Scalar]) -> String {
        var out = ""
        var syllables: [(consonant: String, vowel: String, sixth: Bool)] = []
        func flush() {
            var previousEnd: Character?  // the last letter written for the previous syllable
            for (index, syllable) in syllables.enumerated() {
                var vowel = syllable.vowel
                if syllable.sixth, index < syllables.count - 1 {
                    // The short vowel Latin spellings write: after a first consonant (ግርማ Girma, ክብሮም Kibrom)
                    // and between two consonants (ኣብርሃ Abreha). Not after y or w, which are vowels there
                    // (ሰናይት Senait), and not at the end (ሰላም Selam).
                    if index == 0 {
                        vowel = "i"
                    } else if let end = previousEnd, !"aeiouwy".contains(end) {
                        vowel = "e"
                    }
                }
                let written = syllable.consonant + vowel
                out += written
                previousEnd = written.last ?? previousEnd
            }
            syllables.removeAll()
        }
        for scalar in run {
            if let syllable = ethiopicSyllable(scalar) {
                if !(syllable.consonant.isEmpty && syllable.vowel.isEmpty) { syllables.append(syllable) }
            } else {
                flush()
                out.unicodeScalars.append(scalar)
            }
        }
        flush()
        return out
    }

    // MARK: Cyrillic

    /// Cyrillic letters that sound the same in Ukrainian and Russian (and Bulgarian, Serbian, Macedonian,
    /// Belarusian). г, и, й, е and the iotated vowels depend on the language and place (`cyrillic(_:)`).
    private static let cyrillicLetters: [Unicode.Scalar: String] = [
        "а": "a", "б": "b", "в": "v", "ґ": "g", "д": "d", "ж": "zh", "з": "z", "і": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
        "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e", "ё": "yo",
        "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dzh", "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "ў": "u",
    ]

    /// Whether a Cyrillic word is Russian rather than Ukrainian. Ukrainian is the default: most Cyrillic names the
    /// municipalities register now are Ukrainian, and the two differ in г (Ukrainian h: Ганна Hanna, Ольга Olha).
    private static func isRussian(_ word: String) -> Bool {
        if word.contains(where: { "іїєґ".contains($0) }) { return false }
        if word.contains(where: { "ыэъё".contains($0) }) { return true }
        // Сергей, Андрей, Дмитрий, Юлия; not the Ukrainian -ський, -цький (Зеленський).
        if word.hasSuffix("ей") || word.hasSuffix("еи") || word.hasSuffix("ия") { return true }
        if word.hasSuffix("ий") || word.hasSuffix("ии") { return !(word.contains("ськ") || word.contains("цьк")) }
        return false
    }

    private static func cyrillic(_ run: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: run)
        let word = String(view).lowercased()
        let russian = isRussian(word)
        let letters = Array(word.unicodeScalars)
        var out = ""
        for index in letters.indices {
            let letter = letters[index]
            let isFirst = index == 0
            let previous: Unicode.Scalar? = isFirst ? nil : letters[index - 1]
            switch letter {
            case "г": out += russian ? "g" : (previous == "з" ? "gh" : "h")  // Ukrainian зг is "zgh", not "zh"
            case "и": out += russian || isFirst ? "i" : "y"                  // Ukrainian и is y: Микола Mykola
            case "й": out += isFirst || russian ? "y" : "i"
            case "е": out += "e"
            case "є": out += isFirst ? "ye" : "ie"
            case "ї": out += isFirst ? "yi" : "i"
            case "ю": out += isFirst || russian ? "yu" : "iu"
            case "я": out += isFirst || russian ? "ya" : "ia"
            default: out += cyrillicLetters[letter] ?? String(Character(letter))
            }
        }
        return out
    }

    // MARK: - the key

    /// A sound of a word: a vowel (with its letter, which the endings and `vowelledSkeletons` look at) or a
    /// consonant symbol.
    private enum Sound: Equatable {
        case vowel(Character)
        case consonant(Character)

        var isVowel: Bool { vowel != nil }
        var vowel: Character? { if case .vowel(let letter) = self { letter } else { nil } }
    }

    private static func isVowelLetter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return "aeiouy".contains(character)
    }

    /// Endings that spellings add or leave out: a final "h" after a vowel (Fatimah, Hannah, Fatemeh), the
    /// silent "e" of French spellings (Yassine, Hassane, Alexandre), the "j" of German and Dutch spellings of
    /// -ей, -ий (Sergej, Dmitrij); and "-off" is "-ov" (Petroff).
    private static func trimEnding(_ letters: [Character]) -> [Character] {
        var letters = letters
        let count = letters.count
        if count > 2, letters[count - 1] == "h", !joinsWithH.contains(letters[count - 2]) {
            // -ah always (Hannah, Abdullah, الله); -eh is the Persian feminine ending in longer names (Fatemeh,
            // Zohreh); in Saleh, Oleh and after other letters (Salih, صالح) the h is said.
            if letters[count - 2] == "a" || (letters[count - 2] == "e" && count > 5) { letters.removeLast() }
        }
        let last = letters.count - 1
        if last > 3, letters[last] == "e", letters[last - 1] == "n", "ai".contains(letters[last - 2]) {
            letters.removeLast()  // Yassine, Hassane, Soufiane
        } else if last > 3, letters[last] == "e", letters[last - 1] == "r", !isVowelLetter(letters[last - 2]) {
            letters.removeLast()  // Alexandre = Alexander, Andre = Andrei
        }
        if letters.count > 3, letters.last == "j", "eiy".contains(letters[letters.count - 2]) {
            letters[letters.count - 1] = "i"  // Sergej = Sergei, Dmitrij = Dmitrii
        }
        if letters.count > 3, letters.suffix(2) == ["f", "f"] {
            letters.removeLast(2)
            letters.append("v")
        }
        return letters
    }

    /// Letter groups that spell one sound, longest first.
    private static let groups: [(letters: [Character], sound: Character)] = [
        ("tsch", "x"), ("shch", "x"), ("dzh", "j"), ("sch", "x"), ("tch", "x"),
        ("sh", "x"), ("sz", "x"), ("cz", "x"), ("sj", "x"), ("zh", "z"), ("dj", "j"), ("kh", "h"), ("gh", "g"),
        ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"),
    ].map { (Array($0.0), $0.1) }

    /// The sounds of a word in lower-case Latin letters.
    private static func sounds(of letters: [Character]) -> [Sound] {
        var sounds: [Sound] = []
        var index = 0
        func letter(_ offset: Int) -> Character? {
            letters.indices.contains(index + offset) ? letters[index + offset] : nil
        }
        func startsHere(_ group: [Character]) -> Bool {
            index + group.count <= letters.count && letters[index..<(index + group.count)].elementsEqual(group)
        }
        while index < letters.count {
            let character = letters[index]
            if character == "c", letter(1) == "h" {
                // "ch" is "sh" in French spellings (Aicha, Rachid, Hicham), "kh" in Dutch and German ones before
                // m (Achmed), and "k" in Chr- (Christina).
                if index == 0, letter(2) == "r" {
                    sounds.append(.consonant("k"))
                } else if letter(2) == "m" {
                    sounds.append(.consonant("h"))
                } else {
                    sounds.append(.consonant("x"))
                }
                index += 2
                continue
            }
            if let group = groups.first(where: { startsHere($0.letters) }) {
                sounds.append(.consonant(group.sound))
                index += group.letters.count
                continue
            }
            switch character {
            case "i" where letter(1) == "j" && (!isVowelLetter(letter(2)) || isVowelLetter(letter(-1))):
                // Dutch ij is a vowel (Dijk, Meijer); after a consonant and before a vowel it is i + j (Khadija).
                sounds.append(.vowel("i"))
                index += 2
                continue
            case "c":
                sounds.append(.consonant(letter(1).map { "eiy".contains($0) } ?? false ? "s" : "k"))
            case "q":
                sounds.append(.consonant("k"))
            case "x":
                sounds.append(.consonant("k"))
                sounds.append(.consonant("s"))
            case "w":
                // A w between vowels next to u or o is only a glide some spellings write: Dawud = Daoud,
                // Luwam = Luam. Elsewhere w is v (Kowalenko, Nowak, Marwa).
                let previous = letter(-1), next = letter(1)
                let glide = isVowelLetter(previous) && isVowelLetter(next)
                    && (previous == "u" || next == "u" || next == "o")
                if !glide { sounds.append(.consonant("v")) }
            case "y", "i":
                // At the start before a vowel y is a consonant (Yusuf), and so is i (Iurii, Iana); elsewhere a vowel.
                if index == 0, let next = letter(1), "aeiou".contains(next) {
                    sounds.append(.consonant("y"))
                } else {
                    sounds.append(.vowel(character))
                }
            case "a", "e", "o", "u":
                sounds.append(.vowel(character))
            default:
                sounds.append(.consonant(character))
            }
            index += 1
        }
        // A j at the start is y in Dutch, German and Slavic spellings (Jusuf, Julia, Johannes), and dj, dzh the j
        // of English spellings (Djamal, Джамал): all three meet at y.
        if sounds.first == .consonant("j") { sounds[0] = .consonant("y") }
        return sounds
    }

    /// A final d is said t in Turkish, Dutch and German, and spelled so: Mehmet, Ahmet, Mahmut; Dawit = Dawid.
    /// The same for b and p (Zeynep = Zainab, Eyüp = Ayoub).
    private static func devoiceEnd(_ sounds: [Sound]) -> [Sound] {
        var sounds = sounds
        switch sounds.last {
        case .consonant("t"): sounds[sounds.count - 1] = .consonant("d")
        case .consonant("p"): sounds[sounds.count - 1] = .consonant("b")
        default: break
        }
        return sounds
    }

    /// "Abd" names ("servant of"): Abdirahman, Abdurahman, Abdulrahman, Abderrahman, Abd al-Rahman and عبدالرحمن
    /// differ in the vowel and article after "abd". Both are dropped, so all are "abd" + "rahman". Abdullah and
    /// Abdallah keep their l: it is also the first letter of "Allah" (abd-ul-lah, written with one l).
    private static func foldAbd(_ sounds: [Sound]) -> [Sound] {
        guard sounds.count > 3, sounds[0] == .vowel("a"), sounds[1] == .consonant("b"), sounds[2] == .consonant("d")
        else { return sounds }
        var rest = sounds[3...].drop(while: \.isVowel)
        if rest.first == .consonant("l"), !(rest.count == 2 && rest.last?.isVowel == true) { rest = rest.dropFirst() }
        return Array(sounds[..<3]) + rest
    }

    /// Names that share their consonants with another common name, and the vowel that tells them apart: the long
    /// u of Mahmoud (محمود, Mahmut, Mohamud) against Muhammad, the i of Hussein (حسين, Hüseyin, Husayn) against
    /// Hassan. When that vowel is said before the last consonant, it stays in the key.
    private static let vowelledSkeletons: [String: (vowels: Set<Character>, mark: Character)] = [
        "mhmd": (["u", "o"], "u"),
        "hsn": (["i", "y"], "i"),
    ]

    /// The key: an "a" for a vowel at the start, then the consonants, then an "a" for a word that ends in a or e
    /// (Fatima, Fatemeh, Aliya, Hanne): the ending that makes Amina of Amin, Aliya of Ali, Hana of Khan.
    private static func spell(_ sounds: [Sound]) -> String {
        var consonants: [Character] = []
        var consonantIndices: [Int] = []
        for (index, sound) in sounds.enumerated() {
            if case .consonant(let character) = sound {
                consonants.append(character)
                consonantIndices.append(index)
            }
        }
        var key = sounds.first?.isVowel == true ? "a" : ""
        key.append(contentsOf: consonants)
        if let rule = vowelledSkeletons[String(consonants)], consonantIndices.count >= 2 {
            let lastTwo = consonantIndices.suffix(2)
            let between = sounds[((lastTwo.first ?? 0) + 1)..<(lastTwo.last ?? 0)]
            if between.contains(where: { rule.vowels.contains($0.vowel ?? " ") }) {
                key.insert(rule.mark, at: key.index(before: key.endIndex))
            }
        }
        if let last = consonantIndices.last {
            let ending = sounds[(last + 1)...]
            if ending.last == .vowel("a") || (ending.count == 1 && ending.first == .vowel("e")) { key.append("a") }
        }
        return key
    }
}

private extension Array where Element: Equatable {
    /// The elements without repeats next to each other: a doubled letter counts once.
    func removingRepeats() -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        for element in self where out.last != element { out.append(element) }
        return out
    }
}
