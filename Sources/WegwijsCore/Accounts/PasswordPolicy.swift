import Foundation

/// Why a proposed password is refused. The raw value is the message key shown to the user.
public enum PasswordProblem: String, Sendable, Equatable {
    case tooShort = "password-too-short"
    case common = "password-common"
    case containsUsername = "password-contains-username"
    /// bcrypt reads only the first 72 bytes: the rest would silently not count.
    case tooLong = "password-too-long"
}

/// Password rules in the spirit of NIST SP 800-63B: a minimum length, no composition rules,
/// and a check against commonly used, expected or compromised values.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// In UTF-8 bytes: what bcrypt reads of a password.
    public static let maximumBytes = 72

    /// nil when acceptable.
    public static func problem(with password: String, username: String) -> PasswordProblem? {
        if password.count < minimumLength { return .tooShort }
        if password.utf8.count > maximumBytes { return .tooLong }
        let lowered = password.lowercased()
        if isCommon(lowered) { return .common }
        let name = username.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if name.count >= 3, lowered.contains(name) { return .containsUsername }
        return nil
    }

    // MARK: - Common passwords and patterns

    /// `password` must already be lowercased.
    static func isCommon(_ password: String) -> Bool {
        if commonPasswords.contains(password) { return true }
        if isRepetition(password) || isRun(password) { return true }
        // A common word or pattern padded out with digits and/or symbols: "Welkom2026!!", "P@ssw0rd123".
        let core = strippingPadding(password)
        guard !core.isEmpty else { return false }
        if variants(of: core).contains(where: commonPasswords.contains) { return true }
        if core.count >= 4 && (isRepetition(core) || isRun(core)) { return true }
        // Words repeated with separators or case between them: "wegwijs-wegwijs", "Zomer Zomer", "summer.summer".
        let letters = String(core.filter { $0.isLetter || $0.isNumber })
        if letters.count >= 4 && isRepetition(letters) { return true }
        // A famous passphrase (or one of its words repeated), with or without separators.
        return commonPassphrases.contains(letters)
    }

    /// Passphrases that are published examples or lists' favourites: long, but among the first an attacker tries.
    static let commonPassphrases: Set<String> = Set("""
        correcthorsebatterystaple correcthorsebatterystaples correcthorse horsebatterystaple trustnoone
        iloveyousomuch iloveyouforever letmeinplease opensesame thequickbrownfox thequickbrownfoxjumpsoverthelazydog
        thequickbrownfoxjumpsoverthelazydog1 maytheforcebewithyou tobeornottobe passwordispassword
        thisismypassword mypasswordissecret mysecretpassword ilovemyfamily ilovemykids ilovemymom
        welcometothejungle allyourbasearebelongtous ihatemyjob iloveyoubaby hellohowareyou
        thisisatest testtesttest changemenow changemeplease pleaseletmein letmeinnow
        ikhouvanjou ikhouvanmijnkinderen ditismijnwachtwoord mijnwachtwoordisgeheim welkomthuis
        hetisgoed allesgoed goedemorgen goedemiddag goedenavond lekkerweer vandaagmorgen
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Removes leading and trailing characters that are not letters (digits, punctuation, symbols, spaces).
    static func strippingPadding(_ text: String) -> String {
        var chars = Substring(text)
        while let first = chars.first, !first.isLetter { chars.removeFirst() }
        while let last = chars.last, !last.isLetter { chars.removeLast() }
        return String(chars)
    }

    /// The core as typed, with common character substitutions undone, and without separators.
    private static func variants(of core: String) -> [String] {
        func unleet(_ one: Character) -> String {
            String(core.map { $0 == "1" ? one : (leet[$0] ?? $0) })
        }
        return [core, unleet("i"), unleet("l"), String(core.filter { $0.isLetter || $0.isNumber })]
    }

    private static let leet: [Character: Character] = [
        "0": "o", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s", "7": "t", "!": "i", "8": "b", "9": "g",
    ]

    /// One character repeated, or a short unit repeated at least twice ("abcabcabcabc", "121212121212").
    static func isRepetition(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count >= 2 else { return false }
        return (1...(chars.count / 2)).contains { unit in
            chars.indices.allSatisfy { chars[$0] == chars[$0 % unit] }
        }
    }

    /// A straight run along the digits, the alphabet or a keyboard row/column, forwards or backwards.
    static func isRun(_ text: String) -> Bool {
        runSequences.contains { $0.contains(text) }
    }

    private static let runSequences: [String] = {
        let digits = "1234567890", alphabet = "abcdefghijklmnopqrstuvwxyz"
        let forwards = [
            String(repeating: digits, count: 4),
            String(repeating: alphabet, count: 2),
            "qwertyuiopasdfghjklzxcvbnm",   // QWERTY rows
            "qwertzuiopasdfghjklyxcvbnm",   // QWERTZ rows
            "azertyuiopqsdfghjklmwxcvbn",   // AZERTY rows (Belgium)
            "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",  // QWERTY columns
            "zaq1xsw2cde3vfr4bgt5nhy6mju7ki8lo9p0",
        ]
        return forwards + forwards.map { String($0.reversed()) }
    }()

    /// Common-knowledge compilation of the most used passwords (published top-lists), Dutch favourites and
    /// this app's own words; NIST SP 800-63B requires checking new passwords against such lists.
    static let commonPasswords: Set<String> = Set("""
        123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123
        football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael
        654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm
        asdfgh hunter buster soccer harley batman andrew tigger sunshine iloveyou charlie robert thomas hockey
        ranger daniel starwars klaster 112233 george computer michelle jessica pepper 1111 zxcvbn 555555
        11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess joshua cheese amanda summer
        love ashley nicole chelsea matthew access yankees 987654321 dallas austin thunder taylor matrix
        william corvette hello martin heather secret merlin diamond 1234qwer hammer silver 222222 88888888
        anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange 11111 golfer cookie richard
        samantha bigdog guitar jackson whatever mickey chicken sparky snoopy maverick phoenix camaro peanut
        morgan welcome falcon cowboy ferrari samsung andrea smokey steelers joseph mercedes dakota arsenal
        eagles melissa boomer booboo spider nascar monster tigers yellow xxxxxx 123123123 gateway marina
        diablo bulldog qwer1234 purple banana junior hannah 123654 porsche lakers iceman money cowboys
        987654 london tennis 999999 ncc1701 coffee scooby 0000 miller boston q1w2e3r4 brandon yamaha chester
        mother forever johnny edward 333333 oliver redsox player nikita knight fender barney midnight please
        brandy chicago badboy slayer rangers charles angel flower rabbit wizard jasper enter rachel chris
        steven winner adidas victoria natasha 1q2w3e4r jasmine winter prince marine fishing cocacola casper
        james 232323 raiders 888888 marlboro gandalf asdfasdf crystal 87654321 12344321 golden 8675309
        nirvana liverpool manchester barcelona chelsea1 arsenal1 pokemon minecraft fortnite naruto
        hellokitty babygirl lovely loveme iloveu iloveyou1 iloveyou2 iloveyou123 iloveyou1234 beautiful
        butterfly friends family jesus blessed christ heaven angel1 sweety sweetheart honey cupcake
        chocolate pepper1 tinkerbell bubbles peaches buttercup strawberry flowers rainbow unicorn
        admin administrator admin123 admin1234 root toor guest user login master123 default changeme
        changeme123 passw0rd p@ssword p@ssw0rd pa55word password1 password12 password123 password1234
        password12345 password123456 password! passwordpassword mypassword newpassword secret123
        qwerty1 qwerty12 qwerty123 qwerty1234 qwerty12345 qwerty123456 qwertyuiop123 qwertyuiop1234
        qwe123 qweqwe qweasd qweasdzxc 123qweasd 123qweasdzxc qazwsxedc qazwsx123 1qaz2wsx3edc zaq12wsx
        zaq1zaq1 1q2w3e 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u q1w2e3r4t5y6 asdfghjkl asdf1234 zxcvbnm123
        abc abcd abcde abcdef abcdefg abcdefgh abcd1234 abc12345 abc123456 123abc a1b2c3 a1b2c3d4 aa123456
        abcabc 123123abc 1234abcd letmein1 letmein123 welcome1 welcome12 welcome123 welcome1234 hello123
        hellohello helloworld monkey123 dragon123 football1 football123 sunshine1 princess1 starwars1
        superman1 batman123 baseball1 shadow123 master1 michael1 charlie1 jordan23 696969696969
        1111111111 0000000000 123456123456 11223344 112233445566 123654789 147258369 741852963 159357
        qwertyqwerty asdfasdfasdf trustno1trustno1 whatever1 computer1 internet1 samsung123 apple123
        google facebook linkedin twitter instagram youtube microsoft windows apple iphone android yahoo
        hotmail gmail outlook office office365 wifi letmeinnow opensesame abracadabra superstar rockstar
        ninja samurai pirate captain soldier killer1 legend hunter2 spiderman ironman hulk thor avengers
        skywalker pikachu mario zelda sonic tetris matrix1 gandalf1 frodo hobbit harrypotter hogwarts
        snowball snowflake cookie1 muffin pumpkin teddybear kitten puppy doggie kitty tiger lion bear eagle
        shark dolphin horse bunny panda penguin turtle
        january february march april may june july august september october november december
        monday tuesday wednesday thursday friday saturday sunday spring autumn
        wachtwoord wachtwoord1 wachtwoord12 wachtwoord123 wachtwoord1234 wachtwoord! wachtwoordje
        mijnwachtwoord nieuwwachtwoord welkom welkom1 welkom01 welkom12 welkom123 welkom1234 welkomwelkom
        welkomthuis geheim geheim1 geheim123 supergeheim topgeheim voetbal voetbal1 voetbal123 voetballen
        ajax ajax1900 ajaxamsterdam ajaxajax feyenoord feyenoord1908 psv psveindhoven azalkmaar fctwente
        vitesse utrechtfc hallo hallo1 hallo123 hallohallo doei liefde liefje lieverd schat schatje
        schatje1 prinses prinsesje ikhouvanjou ikhouvanjou1 ikhouvanjij konijn konijntje hondje
        poesje poes kat katje hond kikker beertje muis vogel paard pony draak tijger leeuw vlinder bloem
        bloemen zonnetje zomer lente herfst winterkoning sneeuw regen zon maan sterren appel banaan
        aardbei chocola snoepje koekje kaas fiets molen tulp tulpen klomp kabouter nijntje sinterklaas
        kerstmis kerst pasen koningsdag oranje nederland holland amsterdam rotterdam denhaag
        utrecht eindhoven groningen tilburg almere breda nijmegen arnhem haarlem enschede zwolle leiden
        maastricht dordrecht zoetermeer apeldoorn amersfoort friesland brabant limburg zeeland belgie
        antwerpen brussel gent vlaanderen mama papa oma opa broer zus familie kinderen gezin vriend
        vriendin vrienden maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari
        maart mei juni juli augustus oktober gebruiker beheerder beheer inloggen toegang welkomadmin
        computer123 laptop printer internet123 kantoor werk collega thuis school
        jan piet kees henk klaas gerrit willem johan peter anna emma sophie julia lisa sanne lotte daan
        lucas sem bram thijs tim ruben noah levi finn milan jesse luuk sven
        wegwijs wegwijs1 wegwijs123 wegwijs2024 wegwijs2025 wegwijs2026 rijnstad rijnstad1 rijnstad123
        gemeente gemeente1 gemeente123 gemeenterijnstad klantmanager sleutelpersoon casemanager
        wijkteam sociaalteam sociaaldomein jeugdzorg participatie burger inwoner ambtenaar overheid
        dossier zaak zaken cliënt client klant
        """.split(whereSeparator: \.isWhitespace).map(String.init))
}
