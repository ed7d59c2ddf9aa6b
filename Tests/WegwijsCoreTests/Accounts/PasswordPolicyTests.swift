import Testing
@testable import WegwijsCore

@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    private func problem(_ password: String, username: String = "mvandijk") -> PasswordProblem? {
        PasswordPolicy.problem(with: password, username: username)
    }

    @Test("message keys are stable")
    func rawValues() {
        #expect(PasswordProblem.tooShort.rawValue == "password-too-short")
        #expect(PasswordProblem.common.rawValue == "password-common")
        #expect(PasswordProblem.containsUsername.rawValue == "password-contains-username")
        #expect(PasswordPolicy.minimumLength == 12)
    }

    @Test("fewer than 12 characters is too short, counted as Characters")
    func tooShort() {
        #expect(problem("") == .tooShort)
        #expect(problem("kort") == .tooShort)
        #expect(problem("zeven-fiets") == .tooShort)          // 11
        #expect(problem("zeven-fietsj") == nil)                // 12
        // 11 Characters but 12 Unicode scalars (the flag is two): still too short.
        #expect(problem("tulp🌷molen🇳🇱") == .tooShort)
        // 12 Characters, many more UTF-16 units: long enough.
        #expect(problem("tulp🌷molen🇳🇱x") == nil)
    }

    @Test("exact entries of the common list, case-insensitively")
    func exactCommon() {
        #expect(problem("1q2w3e4r5t6y") == .common)
        #expect(problem("1Q2W3E4R5T6Y") == .common)
        #expect(problem("q1w2e3r4t5y6") == .common)
        #expect(problem("passwordpassword") == .common)
        #expect(problem("iloveyou1234") == .common)
        #expect(problem("qwertyuiop123") == .common)
    }

    @Test("common base words padded with digits and symbols")
    func paddedCommon() {
        #expect(problem("Password1234") == .common)
        #expect(problem("Welkom2026!!") == .common)
        #expect(problem("welkom123456") == .common)
        #expect(problem("Qwerty123456!") == .common)
        #expect(problem("wachtwoord12") == .common)
        #expect(problem("!!Feyenoord1908") == .common)
        #expect(problem("Rijnstad2026!") == .common)
        #expect(problem("P@ssw0rd2026") == .common)
    }

    @Test("one character or a short unit repeated")
    func repeated() {
        #expect(problem("zzzzzzzzzzzz") == .common)
        #expect(problem("abcabcabcabc") == .common)
        #expect(problem("121212121212") == .common)
        #expect(problem("XyZ!XyZ!XyZ!") == .common)
    }

    @Test("straight runs along digits, alphabet or keyboard")
    func runs() {
        #expect(problem("123456789012") == .common)
        #expect(problem("987654321098") == .common)
        #expect(problem("qwertyuiopas") == .common)
        #expect(problem("abcdefghijkl") == .common)
        #expect(problem("LKJHGFDSAPOI") == .common)
        #expect(problem("azertyuiopqs") == .common)
    }

    @Test("the username may not appear in the password")
    func usernameContained() {
        #expect(problem("ik-ben-MVanDijk-hier", username: "mvandijk") == .containsUsername)
        #expect(problem("fiets-jdevries-7", username: " JDeVries ") == .containsUsername)
        // Usernames shorter than 3 characters are not checked.
        #expect(problem("jojo-en-de-fiets", username: "jo") == nil)
        #expect(problem("paars-fiets-regen-42", username: "jdevries") == nil)
    }

    @Test("good passphrases pass")
    func goodPassphrases() {
        #expect(problem("paars-fiets-regen-42") == nil)
        #expect(problem("Mijn kat heet Nijntje!") == nil)
        #expect(problem("8371926450xy") == nil)
        #expect(problem("lamp-otter-vijver-plank") == nil)
        #expect(problem("Wegwijs voor Rijnstad, echt waar") == nil)
        #expect(problem("zomer in de winterstad") == nil)
    }

    /// The famous passphrases are the first an attacker tries, with or without spaces.
    @Test("common passphrases and words repeated with separators are refused")
    func passphrasesAndRepeatedWords() {
        #expect(problem("correct horse battery staple") == .common)
        #expect(problem("correcthorsebatterystaple") == .common)
        #expect(problem("Correct-Horse-Battery-Staple!") == .common)
        #expect(problem("the quick brown fox jumps over the lazy dog") == .common)
        #expect(problem("wegwijs-wegwijs") == .common)
        #expect(problem("summersummer") == .common)
        #expect(problem("Zomer Zomer Zomer") == .common)
        #expect(problem("fiets.fiets.fiets.2026") == .common)
    }

    @Test("the built-in list is substantial and lowercase")
    func builtInList() {
        #expect(PasswordPolicy.commonPasswords.count >= 400)
        #expect(PasswordPolicy.commonPasswords.allSatisfy { $0 == $0.lowercased() })
        for word in ["wachtwoord", "welkom", "geheim", "voetbal", "ajax", "feyenoord", "hallo", "liefde",
                     "wegwijs", "rijnstad", "gemeente", "klantmanager", "sleutelpersoon",
                     "123456", "password", "iloveyou", "letmein", "password1234", "1q2w3e4r5t6y"] {
            #expect(PasswordPolicy.commonPasswords.contains(word), "\(word)")
        }
    }
}
