import WegwijsCore

/// One fictitious family of the demo municipality (all names invented).
struct DemoFamily: Sendable {
    let municipality: String          // "GM9901" (Rijnstad) for 40 families, "GM9902" (Beekdal, a neighbour municipality) for 4
    let household: HouseholdDraft
    let members: [MemberDraft]
    let caseManager: String           // user name of the case manager: "klantmanager" for Rijnstad, "klantmanager-beekdal" for Beekdal
    let keyPerson: String?            // "sleutelpersoon" for about 12 Rijnstad families, "sleutelpersoon2" for about 8, else nil
    let socialWorker: String?         // "begeleider" for about 10 Rijnstad families, else nil
    let status: FamilyStatus          // active mostly; 3 families closed
    let closedReason: String?         // a ClosingReason code when closed
}

/// The demo caseload: 40 families in Rijnstad (GM9901) and 4 in the neighbour municipality Beekdal (GM9902).
/// Every name, address, date and number is invented; the three BSNs pass the 11-test but belong to nobody we know.
/// Families in the AZC and families without registration have no address and are reached through their key person
/// (R13, R18); they have no settlement date.
enum DemoFamilies {
    // MARK: Users and places of the demo

    private static let rijnstad = "GM9901"
    private static let beekdal = "GM9902"
    private static let keyPersonA = "sleutelpersoon"   // Arabic, Tigrinya, Amharic
    private static let keyPersonB = "sleutelpersoon2"  // Dari, Pashto, Somali, Turkish, Bulgarian
    private static let socialWorker = "begeleider"

    private static let regenboog = "Basisschool De Regenboog"
    private static let nieuwkomersklas = "Basisschool De Regenboog (nieuwkomersklas)"
    private static let wilgen = "Basisschool De Wilgen"
    private static let college = "Rijnstad College"
    private static let isk = "Rijnstad College (ISK)"
    private static let zonnestraal = "Kinderopvang Zonnestraal"
    private static let kikkertje = "Peuterspeelzaal 't Kikkertje"
    private static let palet = "Basisschool 't Palet"           // Beekdal

    // MARK: Their open questions

    /// The questions that families of the demo still have open (by family name), so that a fresh demo shows the
    /// municipality's demand against its supply: some the catalogue answers in the family's language, some it does
    /// not (Romanian, Pashto, Somali, Dari). The families the tests walk through (Habte, Yusuf, Al-Hassan, and Abdi,
    /// first in the list) have none.
    static let openQuestions: [String: [Theme]] = [
        "Haddad": [.puberty, .twoCultures],
        "Tesfay / Gebremedhin": [.schoolSystem],
        "Ahmadi": [.multilingualism],
        "Warsame": [.schoolSystem, .moneyStress],
        "Yılmaz": [.digitalParenting],
        "Saleh": [.careSystem],
        "Rostami": [.emotionalDevelopment],
        "Popescu": [.childcarePreschool, .schoolSystem],
        "Karimi": [.childProtectionFears],
        "Osman": [.boundariesBehaviour],
        "Darwish": [.puberty],
        "Hashimi": [.schoolSystem],
        "Kareem": [.twoCultures],
        "Jafari": [.boundariesBehaviour],
        "Weldu / Berhane": [.boundariesBehaviour],
        "Stan": [.childcarePreschool],
        "Nur": [.schoolSystem],
    ]

    // MARK: The families

    static let all: [DemoFamily] = [
        // 1 — Syrian status holders, settled 2020; eldest in puberty.
        family("Haddad", address: "Molenweg 12", postcode: "2311 AB", contact: .phone,
               situations: [.statusHolder], keyPerson: keyPersonA, socialWorker: socialWorker, members: [
                   parent("Ahmad", "Haddad", .male, year: 1984, from: "SY", speaks: ["ar", "en"], reads: ["ar", "en"],
                          dutch: .a2, arrived: "2019-09-17", settled: "2020-06-15", bsn: "111222333"),
                   parent("Rasha", "Sabbagh", .female, year: 1988, from: "SY", speaks: ["ar"], reads: ["ar"],
                          dutch: .a1, arrived: "2019-09-17", settled: "2020-06-15"),
                   child("Omar", "2010-03-14", .male, school: college),
                   child("Lina", "2014-07-02", .female, school: regenboog),
                   child("Yousef", "2021-01-19", school: regenboog),
               ]),
        // 2 — Eritrean reunification: young mother followed her husband in 2025 and is pregnant again; his mother came too.
        family("Tesfay / Gebremedhin", address: "Kastanjelaan 5", postcode: "2314 GH", contact: .viaKeyPerson,
               situations: [.statusHolder, .familyReunification, .pregnant, .youngParent], keyPerson: keyPersonA, members: [
                   parent("Mehari", "Tesfay", .male, year: 1999, from: "ER", speaks: ["ti"], reads: ["ti"],
                          dutch: .a2, arrived: "2022-09-05", settled: "2023-04-11"),
                   parent("Selam", "Gebremedhin", .female, birthDate: "2004-05-10", from: "ER", speaks: ["ti"], reads: ["ti"],
                          dutch: .none, arrived: "2025-04-08", settled: "2025-04-08"),
                   // Mehari's mother came with Selam and helps with Luwam (she raises the children with them).
                   parent("Abrehet", "Gebreyesus", .female, year: 1969, from: "ER", speaks: ["ti"], reads: [],
                          dutch: .none, arrived: "2025-04-08", settled: "2025-04-08"),
                   child("Luwam", "2021-12-03", .female),
               ]),
        // 3 — Former unaccompanied minor from Eritrea, now a young single mother expecting her second child.
        family("Habte", address: "Stationsstraat 40B", postcode: "2312 CD", contact: .messaging,
               situations: [.statusHolder, .exUam, .singleParent, .youngParent, .pregnant],
               keyPerson: keyPersonA, socialWorker: socialWorker, members: [
                   parent("Senait", "Habte", .female, birthDate: "2004-11-22", from: "ER", speaks: ["ti", "am"], reads: ["ti"],
                          dutch: .a2, arrived: "2021-03-30", settled: "2022-08-01"),
                   child("Aron", "2025-06-14", .male, school: zonnestraal),
               ]),
        // 4 — Afghan evacuees (August 2021), five children; the mother does not read.
        family("Ahmadi", address: "Lindelaan 3", postcode: "2313 EF", contact: .phone,
               situations: [.statusHolder, .lowLiteracy], keyPerson: keyPersonB, members: [
                   parent("Farid", "Ahmadi", .male, year: 1980, from: "AF", speaks: ["fa", "ps", "en"], reads: ["fa", "en"],
                          dutch: .a1, arrived: "2021-08-26", settled: "2022-05-10"),
                   parent("Zahra", "Ahmadi", .female, year: 1985, from: "AF", speaks: ["fa"], reads: [],
                          dutch: .none, arrived: "2021-08-26", settled: "2022-05-10"),
                   child("Mustafa", "2009-02-11", .male, school: college),
                   child("Mariam", "2011-09-30", .female, school: college),
                   child("Sohrab", "2016-04-05", .male, school: regenboog),
                   child("Parwana", "2019-12-20", .female, school: regenboog),
                   child("Ali", "2023-06-01", .male, school: kikkertje),
               ]),
        // 5 — Ukrainian mother with two children; the father stayed in Ukraine.
        family("Kovalenko", contact: .phone, situations: [.singleParent], members: [
            parent("Olena", "Kovalenko", .female, year: 1987, from: "UA", speaks: ["uk", "ru", "en"], reads: ["uk", "ru", "en"],
                   dutch: .a2, arrived: "2022-03-15", settled: "2022-03-21"),
            child("Sofiia", "2013-05-09", .female, school: college),
            child("Maksym", "2018-10-27", .male, school: wilgen),
        ]),
        // 6 — Somali single mother of four, reads no language yet.
        family("Warsame", address: "Prinsenstraat 23", postcode: "2315 JK", contact: .viaKeyPerson,
               situations: [.statusHolder, .singleParent, .lowLiteracy],
               keyPerson: keyPersonB, socialWorker: socialWorker, members: [
                   parent("Hodan", "Warsame", .female, year: 1992, from: "SO", speaks: ["so", "ar"], reads: [],
                          dutch: .a1, arrived: "2019-06-10", settled: "2020-02-03"),
                   child("Abdirahman", "2012-01-15", .male, school: college),
                   child("Hibo", "2014-08-03", .female, school: regenboog),
                   child("Ayaan", "2017-11-21", .female, school: regenboog),
                   child("Idil", "2021-03-08", school: regenboog),
               ]),
        // 7 — Turkish teachers who fled after 2016; the father carries the weight of his detention.
        family("Yılmaz", address: "Julianalaan 61", postcode: "2316 LM", contact: .phone,
               situations: [.statusHolder, .parentMentalHealth], socialWorker: socialWorker, members: [
                   parent("Mehmet", "Yılmaz", .male, year: 1982, from: "TR", speaks: ["tr", "en"], reads: ["tr", "en"],
                          dutch: .b1, arrived: "2019-03-12", settled: "2020-01-20", bsn: "123456782"),
                   parent("Ayşe", "Yılmaz", .female, year: 1985, from: "TR", speaks: ["tr", "en"], reads: ["tr", "en"],
                          dutch: .b1, arrived: "2019-11-02", settled: "2020-01-20"),
                   child("Elif", "2011-04-18", .female, school: college),
                   child("Emre", "2014-12-01", .male, school: wilgen),
               ]),
        // 8 — Polish labour migrants (distribution centre), registered.
        family("Kowalski", address: "Havenstraat 17", postcode: "2317 NP", contact: .messaging,
               situations: [.euLabourMigrant], members: [
                   parent("Tomasz", "Kowalski", .male, year: 1990, from: "PL", speaks: ["pl", "en"], reads: ["pl", "en"],
                          dutch: .a1, arrived: "2019-04-01", settled: "2019-05-13"),
                   parent("Agnieszka", "Kowalska", .female, year: 1992, from: "PL", speaks: ["pl"], reads: ["pl"],
                          dutch: .a2, arrived: "2019-10-14", settled: "2019-10-14"),
                   child("Zuzanna", "2016-02-27", .female, school: wilgen),
                   child("Jakub", "2020-09-09", .male, school: wilgen),
               ]),
        // 9 — Bulgarian (Turkish-speaking) labour migrants in agency housing, no address on file.
        family("Petrov", contact: .messaging, situations: [.euLabourMigrant, .lowLiteracy], members: [
            parent("Stoyan", "Petrov", .male, year: 1995, from: "BG", speaks: ["bg", "tr"], reads: ["bg"],
                   dutch: .none, arrived: "2023-02-10", settled: "2023-09-01"),
            parent("Ivelina", "Petrova", .female, year: 1998, from: "BG", speaks: ["tr", "bg"], reads: [],
                   dutch: .none, arrived: "2023-05-20", settled: "2023-09-01"),
            child("Kaloyan", "2017-07-07", .male, school: nieuwkomersklas),
            child("Yoana", "2024-01-30", .female),
        ]),
        // 10 — Iraqi asylum seekers in the AZC; a baby born during the procedure; the mother is depressed.
        family("Al-Jubouri", contact: .viaKeyPerson, situations: [.asylumSeeker, .parentMentalHealth],
               keyPerson: keyPersonA, members: [
                   parent("Hussein", "Al-Jubouri", .male, year: 1986, from: "IQ", speaks: ["ar"], reads: ["ar"],
                          dutch: .none, arrived: "2024-06-03"),
                   parent("Zainab", "Hamid", .female, year: 1990, from: "IQ", speaks: ["ar"], reads: ["ar"],
                          dutch: .a1, arrived: "2024-06-03"),
                   child("Ruqaya", "2015-10-12", .female, school: nieuwkomersklas),
                   child("Ali", "2018-03-22", .male, school: nieuwkomersklas),
                   child("Fatima", "2025-01-17", .female),
               ]),
        // 11 — Yemeni asylum seekers, arrived 2025, children in the ISK and the newcomers' class.
        family("Saleh", contact: .viaKeyPerson, situations: [.asylumSeeker], keyPerson: keyPersonA, members: [
            parent("Abdullah", "Saleh", .male, year: 1979, from: "YE", speaks: ["ar"], reads: ["ar"],
                   dutch: .none, arrived: "2025-09-14"),
            parent("Amal", "Qasim", .female, year: 1988, from: "YE", speaks: ["ar"], reads: ["ar"],
                   dutch: .none, arrived: "2025-09-14"),
            child("Ibrahim", "2010-06-30", .male, school: isk),
            child("Huda", "2013-02-14", .female, school: isk),
            child("Maryam", "2017-08-19", .female, school: nieuwkomersklas),
        ]),
        // 12 — Iranian reunification: the mother and children followed in 2024.
        family("Rostami", address: "Vondelstraat 9", postcode: "2318 PR", contact: .phone,
               situations: [.statusHolder, .familyReunification], socialWorker: socialWorker, members: [
                   parent("Reza", "Rostami", .male, year: 1983, from: "IR", speaks: ["fa", "en"], reads: ["fa", "en"],
                          dutch: .b1, arrived: "2022-01-18", settled: "2022-10-03"),
                   parent("Shirin", "Mohammadi", .female, year: 1987, from: "IR", speaks: ["fa", "en"], reads: ["fa", "en"],
                          dutch: .a1, arrived: "2024-05-06", settled: "2024-05-06"),
                   child("Arash", "2012-11-11", .male, school: isk),
                   child("Darya", "2016-03-03", .female, school: regenboog),
               ]),
        // 13 — Ethiopian widower raising two children alone.
        family("Bekele", address: "Beatrixstraat 14", postcode: "2319 ST", contact: .phone,
               situations: [.statusHolder, .singleParent], keyPerson: keyPersonA, members: [
                   parent("Dawit", "Bekele", .male, year: 1988, from: "ET", speaks: ["am", "om", "en"], reads: ["am", "en"],
                          dutch: .a2, arrived: "2020-02-25", settled: "2020-11-16"),
                   child("Abel", "2014-09-08", .male, school: wilgen),
                   child("Hana", "2017-05-25", .female, school: wilgen),
               ]),
        // 14 — Romanian labour migrants, registered.
        family("Popescu", address: "Kerkstraat 33", postcode: "2320 AC", contact: .messaging,
               situations: [.euLabourMigrant], members: [
                   parent("Andrei", "Popescu", .male, year: 1993, from: "RO", speaks: ["ro", "en"], reads: ["ro", "en"],
                          dutch: .a2, arrived: "2021-04-12", settled: "2021-06-01"),
                   parent("Elena", "Popescu", .female, year: 1995, from: "RO", speaks: ["ro", "it"], reads: ["ro", "it"],
                          dutch: .a1, arrived: "2021-04-12", settled: "2021-06-01"),
                   child("Ana", "2017-01-29", .female, school: wilgen),
                   child("Mihai", "2022-08-15", .male, school: zonnestraal),
               ]),
        // 15 — Bulgarian mother, not registered in the BRP, living with relatives.
        family("Dimitrova", contact: .viaKeyPerson,
               situations: [.euLabourMigrant, .undocumented, .singleParent, .lowLiteracy], keyPerson: keyPersonB, members: [
                   parent("Maria", "Dimitrova", .female, year: 1997, from: "BG", speaks: ["bg", "tr"], reads: [],
                          dutch: .none, arrived: "2024-04-22"),
                   child("Georgi", "2016-03-15", .male, school: nieuwkomersklas),
                   child("Desislava", "2021-07-04", .female),
               ]),
        // 16 — Afghan family whose asylum claim was rejected; no legal residence.
        family("Karimi", contact: .viaKeyPerson, situations: [.undocumented], keyPerson: keyPersonB, members: [
            parent("Hamid", "Karimi", .male, year: 1985, from: "AF", speaks: ["fa"], reads: ["fa"],
                   dutch: .a2, arrived: "2019-10-02"),
            parent("Fatima", "Karimi", .female, year: 1990, from: "AF", speaks: ["fa"], reads: ["fa"],
                   dutch: .a1, arrived: "2019-10-02"),
            child("Sara", "2014-04-10", .female, school: wilgen),
            child("Yasin", "2019-11-25", .male, school: wilgen),
        ]),
        // 17 — Ethiopian mother without residence permit, pregnant, one toddler.
        family("Tadesse", contact: .viaKeyPerson, situations: [.undocumented, .pregnant, .singleParent],
               keyPerson: keyPersonA, members: [
                   parent("Meron", "Tadesse", .female, year: 1996, from: "ET", speaks: ["am", "ti"], reads: ["am"],
                          dutch: .a1, arrived: "2020-07-15"),
                   child("Liya", "2023-02-09", .female, school: kikkertje),
               ]),
        // 18 — Eritrean reunification: the father came first (2019), the mother and children in 2021.
        family("Kidane / Tekle", address: "Populierenlaan 7", postcode: "2321 BD", contact: .viaKeyPerson,
               situations: [.statusHolder, .familyReunification, .lowLiteracy],
               keyPerson: keyPersonA, socialWorker: socialWorker, members: [
                   parent("Yonas", "Kidane", .male, year: 1990, from: "ER", speaks: ["ti", "ar"], reads: ["ti"],
                          dutch: .a2, arrived: "2019-08-19", settled: "2020-04-06"),
                   parent("Rahwa", "Tekle", .female, year: 1994, from: "ER", speaks: ["ti"], reads: [],
                          dutch: .none, arrived: "2021-05-27", settled: "2021-05-27"),
                   child("Filmon", "2013-01-06", .male, school: regenboog),
                   child("Semhar", "2016-06-16", .female, school: regenboog),
                   child("Daniel", "2022-10-10", .male, school: zonnestraal),
               ]),
        // 19 — Syrian ex-UAM who came alone at 15; his young wife joined him in 2024, first baby in 2025.
        family("Al-Hassan", address: "Eikenlaan 2", postcode: "2322 CE", contact: .messaging,
               situations: [.statusHolder, .exUam, .familyReunification, .youngParent], socialWorker: socialWorker, members: [
                   parent("Karam", "Al-Hassan", .male, birthDate: "2003-08-01", from: "SY", speaks: ["ar", "en"], reads: ["ar", "en"],
                          dutch: .b1, arrived: "2019-02-11", settled: "2020-09-14"),
                   parent("Nour", "Al-Ali", .female, birthDate: "2005-01-20", from: "SY", speaks: ["ar"], reads: ["ar"],
                          dutch: .none, arrived: "2024-10-01", settled: "2024-10-01"),
                   child("Sami", "2025-07-21", .male),
               ]),
        // 20 — Somali reunification: mother and five children joined the father in 2023.
        family("Osman", address: "Schoolstraat 19", postcode: "2323 DF", contact: .viaKeyPerson,
               situations: [.statusHolder, .familyReunification, .lowLiteracy], keyPerson: keyPersonB, members: [
                   parent("Yusuf", "Osman", .male, year: 1978, from: "SO", speaks: ["so", "ar", "en"], reads: ["so", "en"],
                          dutch: .a2, arrived: "2020-01-13", settled: "2020-08-24"),
                   parent("Fadumo", "Ali", .female, year: 1984, from: "SO", speaks: ["so"], reads: [],
                          dutch: .none, arrived: "2023-03-02", settled: "2023-03-02"),
                   child("Sahra", "2009-05-05", .female, school: college),
                   child("Mohamed", "2011-10-10", .male, school: college),
                   child("Hamza", "2013-12-24", .male, school: isk),
                   child("Ifrah", "2016-09-01", .female, school: regenboog),
                   child("Bilan", "2019-04-14", .female, school: regenboog),
               ]),
        // 21 — Ukrainian mother with war trauma, living in municipal reception for Ukrainians.
        family("Shevchenko", contact: .messaging, situations: [.singleParent, .parentMentalHealth], members: [
            parent("Iryna", "Shevchenko", .female, year: 1993, from: "UA", speaks: ["uk", "ru"], reads: ["uk", "ru"],
                   dutch: .a2, arrived: "2022-04-02", settled: "2023-01-10"),
            child("Anastasiia", "2020-02-17", .female, school: wilgen),
        ]),
        // 22 — Polish single mother working shifts; a daughter in puberty.
        family("Nowak", address: "Dijkstraat 45", postcode: "2324 EG", contact: .phone,
               situations: [.euLabourMigrant, .singleParent], members: [
                   parent("Katarzyna", "Nowak", .female, year: 1986, from: "PL", speaks: ["pl", "en"], reads: ["pl", "en"],
                          dutch: .a2, arrived: "2019-01-20", settled: "2019-03-01"),
                   child("Wiktoria", "2010-07-31", .female, school: college),
                   child("Oliwer", "2015-11-05", .male, school: wilgen),
               ]),
        // 23 — Kurdish family from Turkey in the AZC since February 2026; the mother is pregnant.
        family("Demir", contact: .viaKeyPerson, situations: [.asylumSeeker, .pregnant], keyPerson: keyPersonB, members: [
            parent("Serhat", "Demir", .male, year: 1991, from: "TR", speaks: ["ku", "tr"], reads: ["tr"],
                   dutch: .none, arrived: "2026-02-11"),
            parent("Rojda", "Demir", .female, year: 1994, from: "TR", speaks: ["ku", "tr"], reads: ["tr"],
                   dutch: .none, arrived: "2026-02-11"),
            child("Berfin", "2020-05-29", .female, school: nieuwkomersklas),
            child("Baran", "2023-09-13", .male, school: kikkertje),
        ]),
        // 24 — Afghan ex-UAM, now a young father; his wife joined him in 2025.
        family("Noori", address: "Wilgenhof 8", postcode: "2325 GH", contact: .messaging,
               situations: [.statusHolder, .exUam, .familyReunification, .youngParent], members: [
                   parent("Sohail", "Noori", .male, birthDate: "2002-09-05", from: "AF", speaks: ["fa", "ps", "en"], reads: ["fa", "en"],
                          dutch: .b1, arrived: "2019-11-28", settled: "2021-02-15"),
                   parent("Mahbooba", "Noori", .female, birthDate: "2004-06-12", from: "AF", speaks: ["fa"], reads: ["fa"],
                          dutch: .a1, arrived: "2025-06-03", settled: "2025-06-03"),
                   child("Hasib", "2026-03-02", .male),
               ]),
        // 25 — Syrian family, father with PTSD; handed over to regular services (closed).
        family("Darwish", address: "Meidoornstraat 26", postcode: "2326 HJ", contact: .phone,
               situations: [.statusHolder, .parentMentalHealth], closed: .regularServices, members: [
                   parent("Khaled", "Darwish", .male, year: 1975, from: "SY", speaks: ["ar"], reads: ["ar"],
                          dutch: .a2, arrived: "2019-05-06", settled: "2019-12-09"),
                   parent("Hala", "Najjar", .female, year: 1982, from: "SY", speaks: ["ar", "en"], reads: ["ar", "en"],
                          dutch: .b1, arrived: "2019-05-06", settled: "2019-12-09"),
                   child("Maya", "2008-12-01", .female, school: college),
                   child("Tarek", "2010-10-15", .male, school: college),
                   child("Jana", "2014-03-30", .female, school: wilgen),
               ]),
        // 26 — Pashtun asylum seekers, arrived November 2025; the mother does not read.
        family("Hashimi", contact: .viaKeyPerson, situations: [.asylumSeeker, .lowLiteracy], keyPerson: keyPersonB, members: [
            parent("Zalmai", "Hashimi", .male, year: 1987, from: "AF", speaks: ["ps", "fa"], reads: ["ps"],
                   dutch: .none, arrived: "2025-11-20"),
            parent("Shabana", "Hashimi", .female, year: 1992, from: "AF", speaks: ["ps"], reads: [],
                   dutch: .none, arrived: "2025-11-20"),
            child("Wahid", "2012-08-08", .male, school: isk),
            child("Nazia", "2016-01-21", .female, school: nieuwkomersklas),
            child("Bilal", "2021-10-30", .male),
        ]),
        // 27 — Iraqi Kurdish status holders, well settled.
        family("Kareem", address: "Oranjestraat 52", postcode: "2327 JK", contact: .phone,
               situations: [.statusHolder], members: [
                   parent("Aras", "Kareem", .male, year: 1985, from: "IQ", speaks: ["ckb", "ar", "en"], reads: ["ckb", "ar", "en"],
                          dutch: .b1, arrived: "2019-07-22", settled: "2020-03-16", bsn: "231456785"),
                   parent("Shilan", "Kareem", .female, year: 1989, from: "IQ", speaks: ["ckb", "ar"], reads: ["ckb", "ar"],
                          dutch: .a2, arrived: "2019-07-22", settled: "2020-03-16"),
                   child("Dilan", "2012-02-02", .female, school: college),
                   child("Rezan", "2017-06-06", .male, school: regenboog),
               ]),
        // 28 — Yemeni single mother with anxiety complaints.
        family("Al-Hakimi", address: "Lijsterstraat 4", postcode: "2328 KL", contact: .messaging,
               situations: [.statusHolder, .singleParent, .parentMentalHealth],
               keyPerson: keyPersonA, socialWorker: socialWorker, members: [
                   parent("Huda", "Al-Hakimi", .female, year: 1991, from: "YE", speaks: ["ar"], reads: ["ar"],
                          dutch: .a1, arrived: "2021-09-09", settled: "2022-06-27"),
                   child("Ahmed", "2013-04-04", .male, school: college),
                   child("Reem", "2018-12-12", .female, school: regenboog),
               ]),
        // 29 — Iranian status holders, a baby born in Rijnstad.
        family("Jafari", address: "Spoorlaan 110", postcode: "2329 LM", contact: .phone,
               situations: [.statusHolder], members: [
                   parent("Behnam", "Jafari", .male, year: 1986, from: "IR", speaks: ["fa", "en"], reads: ["fa", "en"],
                          dutch: .b2Plus, arrived: "2020-10-05", settled: "2021-07-19"),
                   parent("Niloufar", "Jafari", .female, year: 1990, from: "IR", speaks: ["fa", "en"], reads: ["fa", "en"],
                          dutch: .b1, arrived: "2020-10-05", settled: "2021-07-19"),
                   child("Kian", "2019-08-23", .male, school: wilgen),
                   child("Tara", "2025-12-05", .female),
               ]),
        // 30 — Bulgarian labour migrants who moved on to another municipality (closed).
        family("Ivanov", address: "Havenstraat 3", postcode: "2317 NR", contact: .messaging,
               situations: [.euLabourMigrant], closed: .movedAway, members: [
                   parent("Nikolay", "Ivanov", .male, year: 1988, from: "BG", speaks: ["bg", "ru"], reads: ["bg", "ru"],
                          dutch: .a1, arrived: "2022-03-01", settled: "2022-04-11"),
                   parent("Gergana", "Ivanova", .female, year: 1990, from: "BG", speaks: ["bg"], reads: ["bg"],
                          dutch: .none, arrived: "2022-03-01", settled: "2022-04-11"),
                   child("Viktoria", "2012-09-19", .female, school: isk),
                   child("Daniel", "2016-05-02", .male, school: nieuwkomersklas),
               ]),
        // 31 — Polish family, three children, settled since 2019.
        family("Wiśniewski", address: "Zonnebloemstraat 21", postcode: "2330 MN", contact: .phone,
               situations: [.euLabourMigrant], members: [
                   parent("Piotr", "Wiśniewski", .male, year: 1984, from: "PL", speaks: ["pl", "de"], reads: ["pl", "de"],
                          dutch: .a2, arrived: "2019-09-02", settled: "2019-09-30"),
                   parent("Magdalena", "Wiśniewska", .female, year: 1986, from: "PL", speaks: ["pl", "en"], reads: ["pl", "en"],
                          dutch: .a2, arrived: "2020-01-06", settled: "2020-01-06"),
                   child("Jan", "2011-03-17", .male, school: college),
                   child("Hanna", "2014-10-20", .female, school: wilgen),
                   child("Antoni", "2021-12-31", school: wilgen),
               ]),
        // 32 — Young Romanian parents in employer housing; the mother left school early.
        family("Stan", contact: .messaging, situations: [.euLabourMigrant, .youngParent, .lowLiteracy], members: [
            parent("Ionuț", "Stan", .male, birthDate: "2003-02-14", from: "RO", speaks: ["ro"], reads: ["ro"],
                   dutch: .none, arrived: "2024-03-04", settled: "2024-05-13"),
            parent("Bianca", "Stan", .female, birthDate: "2005-09-09", from: "RO", speaks: ["ro"], reads: [],
                   dutch: .none, arrived: "2024-03-04", settled: "2024-05-13"),
            child("Denisa", "2023-04-18", .female, school: kikkertje),
        ]),
        // 33 — Young Eritrean single mother, pregnant with her second child.
        family("Yohannes", address: "Stationsstraat 40C", postcode: "2312 CD", contact: .messaging,
               situations: [.statusHolder, .singleParent, .youngParent, .pregnant],
               keyPerson: keyPersonA, socialWorker: socialWorker, members: [
                   parent("Merhawit", "Yohannes", .female, birthDate: "2004-01-15", from: "ER", speaks: ["ti"], reads: ["ti"],
                          dutch: .a1, arrived: "2022-02-14", settled: "2022-12-05"),
                   child("Nahom", "2023-05-30", .male, school: zonnestraal),
               ]),
        // 34 — Somali status holders with three young children.
        family("Abdi", address: "Rozenstraat 38", postcode: "2331 NP", contact: .phone,
               situations: [.statusHolder], keyPerson: keyPersonB, members: [
                   parent("Mahad", "Abdi", .male, year: 1987, from: "SO", speaks: ["so", "en"], reads: ["so", "en"],
                          dutch: .a2, arrived: "2020-06-29", settled: "2021-01-25"),
                   parent("Khadra", "Hassan", .female, year: 1993, from: "SO", speaks: ["so", "ar"], reads: ["so"],
                          dutch: .a1, arrived: "2020-06-29", settled: "2021-01-25"),
                   child("Hamdi", "2015-04-12", .female, school: regenboog),
                   child("Liban", "2018-11-03", .male, school: regenboog),
                   child("Sagal", "2022-07-19", .female, school: zonnestraal),
               ]),
        // 35 — Ukrainian family of five in municipal reception (temporary protection: none of the situations).
        family("Bondarenko", contact: .phone, situations: [], members: [
            parent("Oleksandr", "Bondarenko", .male, year: 1980, from: "UA", speaks: ["uk", "ru"], reads: ["uk", "ru"],
                   dutch: .a1, arrived: "2022-05-10", settled: "2022-06-01"),
            parent("Natalia", "Bondarenko", .female, year: 1983, from: "UA", speaks: ["uk", "ru", "en"], reads: ["uk", "ru", "en"],
                   dutch: .a2, arrived: "2022-05-10", settled: "2022-06-01"),
            child("Bohdan", "2009-01-25", .male, school: college),
            child("Kateryna", "2012-07-14", .female, school: college),
            child("Yaroslav", "2016-11-29", .male, school: wilgen),
        ]),
        // 36 — Syrian single mother; support completed (closed).
        family("Khalil", address: "Berkenlaan 16", postcode: "2332 PR", contact: .phone,
               situations: [.statusHolder, .singleParent], keyPerson: keyPersonA, closed: .supportCompleted, members: [
                   parent("Nisreen", "Khalil", .female, year: 1985, from: "SY", speaks: ["ar"], reads: ["ar"],
                          dutch: .a2, arrived: "2019-04-15", settled: "2019-11-25"),
                   child("Yara", "2011-06-21", .female, school: college),
                   child("Adam", "2014-02-08", .male, school: regenboog),
               ]),
        // 37 — Eritrean family of six; the mother does not read; her mother lives with them since 2024.
        family("Weldu / Berhane", address: "Tulpstraat 12", postcode: "2333 RS", contact: .viaKeyPerson,
               situations: [.statusHolder, .lowLiteracy], keyPerson: keyPersonA, socialWorker: socialWorker, members: [
                   parent("Aman", "Weldu", .male, year: 1982, from: "ER", speaks: ["ti", "ar"], reads: ["ti"],
                          dutch: .a1, arrived: "2020-09-21", settled: "2021-05-03"),
                   parent("Helen", "Berhane", .female, year: 1987, from: "ER", speaks: ["ti"], reads: [],
                          dutch: .none, arrived: "2020-09-21", settled: "2021-05-03"),
                   // Helen's mother joined the household in 2024 and looks after the youngest.
                   parent("Zewdi", "Habtom", .female, year: 1961, from: "ER", speaks: ["ti"], reads: [],
                          dutch: .none, arrived: "2024-03-18", settled: "2024-03-18"),
                   child("Robel", "2010-04-04", .male, school: college),
                   child("Saron", "2013-09-17", .female, school: regenboog),
                   child("Eden", "2017-01-10", .female, school: regenboog),
                   childBorn("Natnael", year: 2023, .male, school: kikkertje),
               ]),
        // 38 — Hazara family from Afghanistan: the father came first, the family followed in December 2023.
        family("Mohammadi", address: "Hoflaan 70", postcode: "2334 ST", contact: .phone,
               situations: [.statusHolder, .familyReunification], members: [
                   parent("Ali", "Mohammadi", .male, year: 1983, from: "AF", speaks: ["fa"], reads: ["fa"],
                          dutch: .a2, arrived: "2021-11-08", settled: "2022-07-04"),
                   parent("Roya", "Mohammadi", .female, year: 1988, from: "AF", speaks: ["fa"], reads: ["fa"],
                          dutch: .none, arrived: "2023-12-11", settled: "2023-12-11"),
                   child("Mahdi", "2009-10-01", .male, school: isk),
                   child("Zainab", "2012-05-15", .female, school: isk),
                   child("Hadi", "2017-03-27", .male, school: regenboog),
               ]),
        // 39 — Polish single mother with depression, staying with a friend (no address on file).
        family("Lewandowska", contact: .messaging, situations: [.euLabourMigrant, .singleParent, .parentMentalHealth], members: [
            parent("Monika", "Lewandowska", .female, year: 1989, from: "PL", speaks: ["pl"], reads: ["pl"],
                   dutch: .a1, arrived: "2023-08-14", settled: "2024-02-19"),
            childBorn("Oskar", year: 2017, school: wilgen),
        ]),
        // 40 — Iraqi status holders with a newborn.
        family("Al-Obaidi", address: "Merelstraat 29", postcode: "2335 TV", contact: .phone,
               situations: [.statusHolder], members: [
                   parent("Mustafa", "Al-Obaidi", .male, year: 1992, from: "IQ", speaks: ["ar", "en"], reads: ["ar", "en"],
                          dutch: .a2, arrived: "2023-01-30", settled: "2023-10-16"),
                   parent("Zahraa", "Salman", .female, year: 1997, from: "IQ", speaks: ["ar"], reads: ["ar"],
                          dutch: .a1, arrived: "2023-01-30", settled: "2023-10-16"),
                   child("Hawra", "2020-09-01", .female, school: regenboog),
                   child("Mohammed", "2026-05-18", .male),
               ]),

        // Beekdal (GM9902), the neighbour municipality: its own case manager, no key person or social worker.

        // 41 — Syrian status holders in the village centre.
        family("Al-Masri", in: beekdal, address: "Dorpsstraat 7", postcode: "2411 AB", contact: .phone,
               situations: [.statusHolder], members: [
                   parent("Bassam", "Al-Masri", .male, year: 1981, from: "SY", speaks: ["ar"], reads: ["ar"],
                          dutch: .a2, arrived: "2019-12-02", settled: "2020-08-17"),
                   parent("Dima", "Hamdan", .female, year: 1986, from: "SY", speaks: ["ar"], reads: ["ar"],
                          dutch: .a1, arrived: "2019-12-02", settled: "2020-08-17"),
                   child("Rami", "2011-01-11", .male),
                   child("Salma", "2015-05-05", .female, school: palet),
                   child("Kinan", "2020-12-12", .male, school: palet),
               ]),
        // 42 — Eritrean reunification: mother and daughter joined the father in 2024.
        family("Haile / Asfaha", in: beekdal, address: "Kerkpad 3", postcode: "2412 CD", contact: .messaging,
               situations: [.statusHolder, .familyReunification], members: [
                   parent("Samuel", "Haile", .male, year: 1995, from: "ER", speaks: ["ti"], reads: ["ti"],
                          dutch: .a2, arrived: "2021-10-18", settled: "2022-06-20"),
                   parent("Winta", "Asfaha", .female, year: 1998, from: "ER", speaks: ["ti"], reads: ["ti"],
                          dutch: .none, arrived: "2024-08-26", settled: "2024-08-26"),
                   child("Lidya", "2020-04-24", .female, school: palet),
               ]),
        // 43 — Polish greenhouse workers in employer housing.
        family("Zieliński", in: beekdal, contact: .messaging, situations: [.euLabourMigrant], members: [
            parent("Marek", "Zieliński", .male, year: 1991, from: "PL", speaks: ["pl"], reads: ["pl"],
                   dutch: .none, arrived: "2022-03-28", settled: "2022-05-02"),
            parent("Ewa", "Zielińska", .female, year: 1993, from: "PL", speaks: ["pl", "en"], reads: ["pl", "en"],
                   dutch: .a1, arrived: "2022-03-28", settled: "2022-05-02"),
            child("Maja", "2018-08-18", .female, school: palet),
        ]),
        // 44 — Somali single mother of two.
        family("Nur", in: beekdal, address: "Molenpad 11", postcode: "2413 EF", contact: .phone,
               situations: [.statusHolder, .singleParent], members: [
                   parent("Asha", "Nur", .female, year: 1990, from: "SO", speaks: ["so", "ar"], reads: ["so"],
                          dutch: .a1, arrived: "2020-03-09", settled: "2021-02-01"),
                   child("Mustafe", "2012-12-12", .male),
                   child("Nimco", "2016-02-29", .female, school: palet),
               ]),
    ]

    // MARK: Builders

    private static func family(_ name: String, in municipality: String = rijnstad, address: String? = nil,
                               postcode: String? = nil, contact: ContactPreference, situations: [Situation],
                               keyPerson: String? = nil, socialWorker: String? = nil,
                               closed reason: ClosingReason? = nil, members: [MemberDraft]) -> DemoFamily {
        DemoFamily(
            municipality: municipality,
            household: HouseholdDraft(name: name, address: address, postcode: postcode,
                                      contactPreference: contact.rawValue, situations: situations.map(\.rawValue)),
            members: members,
            caseManager: municipality == beekdal ? "klantmanager-beekdal" : "klantmanager",
            keyPerson: keyPerson,
            socialWorker: socialWorker,
            status: reason == nil ? .active : .closed,
            closedReason: reason?.rawValue)
    }

    private static func parent(_ given: String, _ familyName: String, _ gender: Gender, year: Int? = nil,
                               birthDate: String? = nil, from country: String, speaks: [String], reads: [String],
                               dutch: DutchLevel, arrived: String, settled: String? = nil,
                               bsn: String? = nil) -> MemberDraft {
        MemberDraft(role: MemberRole.parent.rawValue, givenName: given, familyName: familyName, gender: gender.rawValue,
                    birthDate: birthDate, birthYear: year, countryOfOrigin: country, languagesSpoken: speaks,
                    languagesRead: reads, dutchLevel: dutch.rawValue, arrivalDate: arrived, settlementDate: settled,
                    bsn: bsn)
    }

    private static func child(_ given: String, _ birthDate: String, _ gender: Gender? = nil,
                              school: String? = nil) -> MemberDraft {
        MemberDraft(role: MemberRole.child.rawValue, givenName: given, gender: gender?.rawValue, birthDate: birthDate,
                    schoolOrChildcare: school)
    }

    /// A child of whom only the birth year is known.
    private static func childBorn(_ given: String, year: Int, _ gender: Gender? = nil,
                                  school: String? = nil) -> MemberDraft {
        MemberDraft(role: MemberRole.child.rawValue, givenName: given, gender: gender?.rawValue, birthYear: year,
                    schoolOrChildcare: school)
    }
}
