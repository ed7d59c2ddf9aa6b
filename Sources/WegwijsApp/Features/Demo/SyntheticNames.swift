import Foundation
import WegwijsCore

/// The origin groups of the generated families, roughly as newcomer families arrive in a Dutch municipality over
/// a few years (refugees from Syria, Eritrea, Afghanistan, Somalia, Iraq, Iran and Ethiopia; Ukrainians; EU labour
/// migrants from Poland, Bulgaria and Romania; family migration from Turkey and Morocco), with names and languages
/// of each. All names are common names; no generated family is a real one.
enum SyntheticNames {
    struct Origin: Sendable {
        let country: String
        let weight: Double
        /// The first language everyone speaks; the others some do, with their probability.
        let language: String
        let otherLanguages: [(String, Double)]
        let surnames: [String]
        let female: [String]
        let male: [String]
        let refugee: Bool
        let euMigrant: Bool
        /// Partners keep their own family names (Eritrea, Ethiopia): the household is named after both.
        let ownNames: Bool
        /// Themes this group asks about more often (seeds 000–004; vocabulary.md).
        let themes: [String]
        /// Share of parents who read little or not at all (R9: low literacy, visual material).
        let lowLiteracy: Double
    }

    static let origins: [Origin] = [
        Origin(country: "SY", weight: 0.20, language: "ar", otherLanguages: [("kmr", 0.10), ("en", 0.15)],
               surnames: ["Haddad", "Hassan", "Al-Hassan", "Khalil", "Saleh", "Darwish", "Kareem", "Haddad", "Mansour", "Youssef"],
               female: ["Rasha", "Nour", "Amal", "Huda", "Lina", "Rania", "Fatima", "Yasmin", "Hiba", "Dima"],
               male: ["Ahmad", "Mohammed", "Omar", "Khaled", "Samer", "Bashar", "Ali", "Yousef", "Tarek", "Hussam"],
               refugee: true, euMigrant: false, ownNames: false,
               themes: ["school-system", "two-cultures", "mental-health", "family-reunification", "care-system", "puberty"],
               lowLiteracy: 0.08),
        Origin(country: "ER", weight: 0.13, language: "ti", otherLanguages: [("ar", 0.10), ("tig", 0.05), ("am", 0.10)],
               surnames: ["Tesfay", "Gebremedhin", "Habte", "Kidane", "Tekle", "Yohannes", "Weldu", "Berhane", "Tadesse", "Ghebreyesus"],
               female: ["Selam", "Senait", "Rahwa", "Merhawit", "Helen", "Zewdi", "Meron", "Saba", "Luwam", "Abrehet"],
               male: ["Yonas", "Dawit", "Filmon", "Henok", "Samuel", "Biniam", "Robel", "Amanuel", "Tesfalem", "Mussie"],
               refugee: true, euMigrant: false, ownNames: true,
               themes: ["pregnancy-birth", "care-system", "school-system", "child-protection-fears", "family-reunification", "sexual-health"],
               lowLiteracy: 0.30),
        Origin(country: "AF", weight: 0.08, language: "fa", otherLanguages: [("ps", 0.30), ("en", 0.10)],
               surnames: ["Ahmadi", "Rahimi", "Karimi", "Noori", "Jafari", "Mohammadi", "Hakimi", "Sultani", "Ahmadzai", "Popal"],
               female: ["Zahra", "Fatima", "Mahbooba", "Roya", "Maryam", "Fereshta", "Shabnam", "Nazanin", "Freshta", "Marzia"],
               male: ["Hamid", "Reza", "Ali", "Farid", "Javid", "Mustafa", "Nasir", "Ahmad", "Wahid", "Sohrab"],
               refugee: true, euMigrant: false, ownNames: false,
               themes: ["school-system", "two-cultures", "fathers", "mental-health", "religion", "care-system"],
               lowLiteracy: 0.25),
        Origin(country: "UA", weight: 0.14, language: "uk", otherLanguages: [("ru", 0.50), ("en", 0.30)],
               surnames: ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Kovalchuk"],
               female: ["Olena", "Iryna", "Natalia", "Oksana", "Yulia", "Tetiana", "Svitlana", "Kateryna", "Anastasia"],
               male: ["Andriy", "Oleksandr", "Dmytro", "Serhiy", "Volodymyr", "Mykola", "Ihor", "Taras"],
               refugee: true, euMigrant: false, ownNames: false,
               themes: ["school-system", "mental-health", "multilingualism", "childcare-preschool", "leisure"],
               lowLiteracy: 0.01),
        Origin(country: "SO", weight: 0.05, language: "so", otherLanguages: [("ar", 0.20), ("en", 0.10)],
               surnames: ["Abdi", "Warsame", "Osman", "Mohamed", "Farah", "Hussein", "Ali", "Jama", "Abdullahi", "Nur"],
               female: ["Hodan", "Fadumo", "Khadra", "Sahra", "Ayaan", "Hibo", "Faduma", "Ubah", "Idil"],
               male: ["Yusuf", "Abdirahman", "Mahad", "Liban", "Hassan", "Abdi", "Said", "Ahmed"],
               refugee: true, euMigrant: false, ownNames: false,
               themes: ["school-system", "care-system", "discrimination", "two-cultures", "sexual-health", "puberty"],
               lowLiteracy: 0.35),
        Origin(country: "IQ", weight: 0.05, language: "ar", otherLanguages: [("ckb", 0.30), ("kmr", 0.10)],
               surnames: ["Al-Jubouri", "Al-Obaidi", "Al-Hakimi", "Kareem", "Al-Tamimi", "Hussein", "Jabbar"],
               female: ["Zainab", "Zahraa", "Huda", "Shilan", "Noor", "Maryam", "Sara"],
               male: ["Haider", "Mustafa", "Ali", "Hussein", "Karar", "Ammar", "Saif"],
               refugee: true, euMigrant: false, ownNames: false,
               themes: ["school-system", "two-cultures", "mental-health", "religion", "care-system"], lowLiteracy: 0.12),
        Origin(country: "IR", weight: 0.03, language: "fa", otherLanguages: [("en", 0.40)],
               surnames: ["Rostami", "Hosseini", "Moradi", "Rezaei", "Karimi", "Ahmadi", "Jafari"],
               female: ["Shirin", "Niloufar", "Sara", "Leila", "Mina", "Parisa"],
               male: ["Reza", "Amir", "Babak", "Dariush", "Kaveh", "Arash"],
               refugee: true, euMigrant: false, ownNames: false,
               themes: ["school-system", "two-cultures", "mental-health", "digital-parenting"], lowLiteracy: 0.02),
        Origin(country: "ET", weight: 0.03, language: "am", otherLanguages: [("ti", 0.30), ("om", 0.20)],
               surnames: ["Tadesse", "Bekele", "Alemu", "Girma", "Haile", "Mekonnen", "Tesfaye"],
               female: ["Meron", "Tigist", "Hirut", "Selamawit", "Almaz", "Bethlehem"],
               male: ["Dawit", "Abebe", "Yonas", "Tewodros", "Getachew", "Solomon"],
               refugee: true, euMigrant: false, ownNames: true,
               themes: ["pregnancy-birth", "care-system", "school-system", "child-protection-fears"], lowLiteracy: 0.25),
        Origin(country: "TR", weight: 0.07, language: "tr", otherLanguages: [("kmr", 0.15)],
               surnames: ["Demir", "Yılmaz", "Kaya", "Çelik", "Şahin", "Öztürk", "Aydın", "Doğan"],
               female: ["Ayşe", "Elif", "Fatma", "Zeynep", "Emine", "Hatice", "Merve"],
               male: ["Mehmet", "Mustafa", "Ahmet", "Emre", "Murat", "Hasan", "Burak"],
               refugee: false, euMigrant: false, ownNames: false,
               themes: ["school-system", "multilingualism", "two-cultures", "puberty", "discrimination"], lowLiteracy: 0.05),
        Origin(country: "PL", weight: 0.08, language: "pl", otherLanguages: [("en", 0.25)],
               surnames: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Nowakowski"],
               female: ["Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Monika", "Ewa"],
               male: ["Piotr", "Tomasz", "Paweł", "Marek", "Krzysztof", "Michał", "Łukasz"],
               refugee: false, euMigrant: true, ownNames: false,
               themes: ["school-system", "childcare-preschool", "money-stress", "care-system", "multilingualism"], lowLiteracy: 0.02),
        Origin(country: "BG", weight: 0.05, language: "bg", otherLanguages: [("tr", 0.30)],
               surnames: ["Petrova", "Ivanova", "Georgieva", "Dimitrova", "Popova", "Stoyanova", "Petrov", "Ivanov"],
               female: ["Maria", "Elena", "Desislava", "Ivelina", "Gergana", "Silviya"],
               male: ["Georgi", "Ivan", "Dimitar", "Nikolay", "Stefan", "Hristo"],
               refugee: false, euMigrant: true, ownNames: false,
               themes: ["school-system", "money-stress", "childcare-preschool", "care-system", "leisure"], lowLiteracy: 0.15),
        Origin(country: "RO", weight: 0.04, language: "ro", otherLanguages: [("en", 0.20)],
               surnames: ["Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Constantin", "Stoica"],
               female: ["Ioana", "Andreea", "Elena", "Mihaela", "Alexandra", "Cristina"],
               male: ["Andrei", "Ionuț", "Florin", "Mihai", "Alexandru", "Bogdan"],
               refugee: false, euMigrant: true, ownNames: false,
               themes: ["school-system", "money-stress", "childcare-preschool", "care-system"], lowLiteracy: 0.08),
        Origin(country: "MA", weight: 0.05, language: "ar", otherLanguages: [("ber", 0.35), ("fr", 0.20)],
               surnames: ["El Amrani", "Benali", "Bouzid", "El Idrissi", "Ouali", "Ziani", "El Khatib"],
               female: ["Fatima", "Khadija", "Samira", "Nadia", "Houda", "Salma"],
               male: ["Youssef", "Mohamed", "Karim", "Rachid", "Hamza", "Nabil"],
               refugee: false, euMigrant: false, ownNames: false,
               themes: ["school-system", "two-cultures", "puberty", "religion", "discrimination"], lowLiteracy: 0.15),
    ]

    /// Staff with Dutch names (trainers, partners' staff).
    static let dutch = Origin(
        country: "NL", weight: 0, language: "nl", otherLanguages: [],
        surnames: ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos"],
        female: ["Anouk", "Sanne", "Lotte", "Femke", "Ilse", "Marieke", "Eva"],
        male: ["Bram", "Thijs", "Joost", "Ruben", "Daan", "Sander", "Pieter"],
        refugee: false, euMigrant: false, ownNames: false, themes: [], lowLiteracy: 0)

    /// Cumulative weights for picking an origin.
    static let cumulative: [Double] = {
        var sum = 0.0
        let total = origins.reduce(0) { $0 + $1.weight }
        return origins.map { sum += $0.weight / total; return sum }
    }()

    /// Each first language and the share of families that speak it first.
    static let languageShares: [(String, Double)] = {
        var shares: [String: Double] = [:]
        let total = origins.reduce(0) { $0 + $1.weight }
        for origin in origins { shares[origin.language, default: 0] += origin.weight / total }
        return shares.sorted { $0.key < $1.key }
    }()

    static func origin(speaking language: String) -> Origin {
        origins.first { $0.language == language } ?? dutch
    }
}

extension SplitMix64 {
    /// 0 ..< n.
    @inline(__always) mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    /// lo ... hi.
    @inline(__always) mutating func int(_ lo: Int, _ hi: Int) -> Int { hi <= lo ? lo : lo + int(hi - lo + 1) }
    /// 0 ..< 1.
    @inline(__always) mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    @inline(__always) mutating func chance(_ p: Double) -> Bool { unit() < p }
    @inline(__always) mutating func pick<T>(_ values: [T]) -> T { values[int(values.count)] }

    /// An index drawn with the weights `cumulative` (increasing, ending at 1).
    mutating func pick(cumulative: [Double]) -> Int {
        let u = unit()
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// A delay with a long tail: mostly short, sometimes very long (answer times, waiting times).
    mutating func skewed(_ typical: Int, max: Int) -> Int {
        let u = unit()
        return Swift.min(max, Int(Double(typical) * -Foundation.log(1 - u * 0.999)))
    }
}

