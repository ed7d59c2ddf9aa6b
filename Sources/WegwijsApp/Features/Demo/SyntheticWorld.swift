import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// What `wegwijs seed synthetic` is asked for (see `SeedCommand`).
public struct SyntheticOptions: Sendable {
    /// Generated families.
    public var families: Int
    /// Referrals in all: exactly this many, spread evenly over the new families. Nil: as many as the families'
    /// stories give (a JGZ home visit for most families with children, referrals for their pressing questions).
    public var referrals: Int?
    /// A key person's account coupled to 1 in `keyShare` of the new families (a benchmark's key person's list);
    /// the other coupled families get generated key persons who speak their language.
    public var keyPerson: String?
    public var keyShare: Int = 20
    /// The stories span this many years up to today: settlement dates, intakes, screenings, referrals, groups.
    public var years: Int = 3
    /// The same seed gives the same families (names, dates, answers, states), whatever the batch size.
    public var seed: UInt64 = 1
    /// The municipality (CBS code) the families live in.
    public var municipality: String = "GM9901"
    /// Families per transaction (the batch the generator hands over at once).
    public var batchSize: Int = 5_000
    /// PostgreSQL: one transaction with the indexes rebuilt after, as for large runs (`SyntheticSeeder.largeLoad`).
    var oneTransaction = false

    public init(families: Int, referrals: Int? = nil, keyPerson: String? = nil, keyShare: Int = 20, years: Int = 3,
                seed: UInt64 = 1, municipality: String = "GM9901") {
        self.families = families
        self.referrals = referrals
        self.keyPerson = keyPerson
        self.keyShare = keyShare
        self.years = years
        self.seed = seed
        self.municipality = municipality
    }
}

/// What a run wrote, for the command's summary.
public struct SyntheticSummary: Sendable {
    public var rows: [String: Int] = [:]
    public var seconds: Double = 0

    public func count(_ table: String) -> Int { rows[table] ?? 0 }

    /// Dated events in the families' stories: referral steps, contact moments, screenings, signals, attendance.
    public var events: Int {
        ["referral_events", "contact_moments", "screenings", "family_signals", "group_attendance"].reduce(0) { $0 + count($1) }
    }

    mutating func add(_ batch: SyntheticBatch) {
        for table in SyntheticTable.allCases where batch.rows(table) > 0 { rows[table.name, default: 0] += batch.rows(table) }
    }
}

/// The fixed things every generated family is made against: the municipality, its staff, organisations, offers,
/// the screening instrument and the welcome package, and the day the stories end (the application's clock).
struct SyntheticWorld: Sendable {
    struct Person: Sendable {
        let id: SyntheticID
        let name: String
        let role: String
    }

    struct OrganisationInfo: Sendable {
        let id: SyntheticID
        let name: String
        let type: String
        /// Who answers its referrals.
        let partner: Person
    }

    struct OfferInfo: Sendable {
        let id: SyntheticID
        let name: String
        let organisation: Int
        let themes: [String]
        let languages: Set<String>
        let forms: Set<String>
        let audience: String
        let bridges: Bool
        var isGroup: Bool { forms.contains(OfferForm.group.rawValue) }
    }

    struct Instrument: Sendable {
        let version: Int
        let items: [ScreeningInstrument.Item]
    }

    let dialect: SyntheticDialect
    let municipality: SyntheticID
    let municipalityCode: String
    let lead: Person
    let socialWorker: Person?
    /// Generated key persons by the language they speak.
    let keyPersons: [String: [Person]]
    /// The account of `--key-person`, coupled to 1 in `keyShare` families.
    let benchmarkKeyPerson: Person?
    let keyShare: Int
    let trainers: [Person]
    let organisations: [OrganisationInfo]
    let offers: [OfferInfo]
    /// Offers by theme (indexes into `offers`).
    let offersByTheme: [String: [Int]]
    /// The JGZ's home visit (R7/R19), when the catalogue has one.
    let homeVisit: Int?
    /// The group offer every newly settled parent is invited to (R26): the one in the most languages.
    let invitationOffer: Int?
    let instrument: Instrument?
    let welcomePages: [String]
    let welcomeLanguages: Set<String>
    let districts: [String]
    /// Days since 1970 of today and of the first day the stories may start.
    let today: Int
    let start: Int
    let seed: UInt64
    let years: Int

    var groupOffers: [Int] { offers.indices.filter { offers[$0].isGroup } }
}

extension SyntheticWorld {
    /// Reads the municipality's people, organisations, offers and instrument, and adds the generated accounts the
    /// stories need (key persons per language, trainers, a partner for every organisation without one). Those
    /// accounts share the password of the municipality's case manager and are made once: a second run reuses them.
    static func load(_ app: Application, options: SyntheticOptions, dialect: SyntheticDialect) async throws -> SyntheticWorld {
        let db = app.db
        guard let municipality = try await Municipality.query(on: db).filter(\.$code == options.municipality).first(),
              let municipalityID = municipality.id else {
            throw ConfigError("municipality \(options.municipality) is missing (load the demo first: wegwijs seed demo)")
        }
        let staff = try await User.query(on: db).filter(\.$municipality.$id == municipalityID).filter(\.$active == true)
            .sort(\.$username).all()
        guard let lead = staff.first(where: { $0.username == "klantmanager" && $0.role == Role.caseManager.rawValue })
                ?? staff.first(where: { $0.role == Role.caseManager.rawValue && !$0.username.hasPrefix("synth-") }) else {
            throw ConfigError("\(options.municipality) has no case manager")
        }
        let socialWorker = staff.first { $0.role == Role.socialWorker.rawValue && !$0.username.hasPrefix("synth-") }
        var benchmarkKeyPerson: Person?
        if let username = options.keyPerson {
            guard let user = staff.first(where: { $0.username == username }), user.role == Role.keyPerson.rawValue else {
                throw ConfigError("--key-person \(username) is not a key person of \(municipality.name)")
            }
            benchmarkKeyPerson = Person(id: SyntheticID(user.id!), name: user.displayName, role: user.role)
        }

        // Organisations referrals go to: the municipality's own partners; a municipality without any (Beekdal) refers
        // to the partners of its region.
        var organisations = try await Organisation.query(on: db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$type != OrganisationType.municipality.rawValue).sort(\.$name).all()
        var offerMunicipalities = [municipalityID]
        if organisations.isEmpty, let regionID = municipality.$region.id {
            let neighbours = try await Municipality.query(on: db).filter(\.$region.$id == regionID).all().compactMap(\.id)
            organisations = try await Organisation.query(on: db).filter(\.$municipality.$id ~~ neighbours)
                .filter(\.$type != OrganisationType.municipality.rawValue).sort(\.$name).all()
            offerMunicipalities = neighbours
        }
        let own = try await Organisation.query(on: db).filter(\.$municipality.$id == municipalityID).sort(\.$name).all()
        guard let home = own.first(where: { $0.type == OrganisationType.municipality.rawValue }) ?? own.first else {
            throw ConfigError("\(options.municipality) has no organisation")
        }
        let selfOrganisation = own.first { $0.type == OrganisationType.migrantSelfOrganisation.rawValue } ?? home
        let trainerOrganisation = own.first { $0.type == OrganisationType.refugeeSupport.rawValue } ?? home

        // The generated accounts.
        let prefix = "synth-\(options.municipality.lowercased())-"
        let existing = Dictionary(try await User.query(on: db).filter(\.$username >= "synth-").filter(\.$username < "synth-~")
            .all().map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
        var wanted: [User] = []
        var naming = SplitMix64(seed: options.seed ^ 0xACC0_0575)
        func account(_ username: String, role: Role, organisation: UUID, in municipality: UUID? = nil, languages: [String] = [],
                     names: SyntheticNames.Origin) -> Person {
            if let user = existing[username] { return Person(id: SyntheticID(user.id!), name: user.displayName, role: user.role) }
            let female = naming.chance(0.6)
            let name = (female ? naming.pick(names.female) : naming.pick(names.male)) + " " + naming.pick(names.surnames)
            let user = User(id: UUID(), username: username, displayName: name, role: role, passwordHash: lead.passwordHash,
                            municipalityID: municipality ?? municipalityID, organisationID: organisation)
            user.languages = languages
            wanted.append(user)
            return Person(id: SyntheticID(user.id!), name: name, role: role.rawValue)
        }
        var keyPersons: [String: [Person]] = [:]
        for (language, share) in SyntheticNames.languageShares {
            // About 150 families per key person over the years (R42: a heavy load, and visible).
            let pool = max(1, Int((Double(options.families) * share * 0.6 / 150).rounded(.up)))
            let origin = SyntheticNames.origin(speaking: language)
            keyPersons[language] = (1...pool).map {
                account(prefix + "sp-\(language)-\(String(format: "%04d", $0))", role: .keyPerson, organisation: selfOrganisation.id!,
                        languages: [language, "nl"], names: origin)
            }
        }
        let trainers = (1...max(2, options.families / 6_000)).map {
            account(prefix + "trainer-\(String(format: "%04d", $0))", role: .facilitator, organisation: trainerOrganisation.id!,
                    names: SyntheticNames.dutch)
        }
        let partnerUsers = try await User.query(on: db).filter(\.$role == Role.partner.rawValue).filter(\.$active == true)
            .sort(\.$username).all()
        var orgs: [OrganisationInfo] = []
        for organisation in organisations {
            // The organisation's own partner account (a demo one first), else one generated for it, in its municipality.
            let own = partnerUsers.filter { $0.$organisation.id == organisation.id }
            let partner = (own.first { !$0.username.hasPrefix("synth-") } ?? own.first)
                .map { Person(id: SyntheticID($0.id!), name: $0.displayName, role: $0.role) }
                ?? account("synth-partner-" + organisation.id!.uuidString.prefix(8).lowercased(), role: .partner,
                           organisation: organisation.id!, in: organisation.$municipality.id, names: SyntheticNames.dutch)
            orgs.append(OrganisationInfo(id: SyntheticID(organisation.id!), name: organisation.name, type: organisation.type, partner: partner))
        }
        for start in stride(from: 0, to: wanted.count, by: 500) {
            let chunk = Array(wanted[start..<min(start + 500, wanted.count)])
            try await chunk.create(on: db)
            try await CodeTables.userLanguages.insert(chunk.map { ($0.id!, $0.languages) }, on: db)
        }

        // The catalogue.
        let offerRows = try await Offer.query(on: db).filter(\.$municipality.$id ~~ offerMunicipalities)
            .filter(\.$status == OfferStatus.active).sort(\.$name).all()
        let offerIDs = offerRows.compactMap(\.id)
        let themes = try await CodeTables.offerThemes.load(offerIDs, on: db)
        let languages = try await CodeTables.offerLanguages.load(offerIDs, on: db)
        let forms = try await CodeTables.offerForms.load(offerIDs, on: db)
        let orgIndex = Dictionary(orgs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var offers: [OfferInfo] = []
        for row in offerRows {
            guard let organisation = orgIndex[SyntheticID(row.$organisation.id)] else { continue }
            offers.append(OfferInfo(id: SyntheticID(row.id!), name: row.name, organisation: organisation,
                                    themes: themes[row.id!] ?? [], languages: Set(languages[row.id!] ?? []),
                                    forms: Set(forms[row.id!] ?? []), audience: row.audience, bridges: row.bridges))
        }
        var byTheme: [String: [Int]] = [:]
        for (index, offer) in offers.enumerated() {
            for theme in offer.themes { byTheme[theme, default: []].append(index) }
        }
        let homeVisit = offers.indices.first {
            orgs[offers[$0].organisation].type == OrganisationType.youthHealthCare.rawValue
                && offers[$0].forms.contains(OfferForm.homeVisit.rawValue)
        }
        let invitationOffer = offers.indices.filter { offers[$0].isGroup }
            .max { offers[$0].languages.count < offers[$1].languages.count }

        var instrument: Instrument?
        if let current = try? await app.screeningInstruments.current(on: db) {
            instrument = Instrument(version: current.1, items: current.0.items)
        }
        let districts = try await GroupDistrict.query(on: db).filter(\.$municipality.$id == municipalityID).all().map(\.code)
        let today = SyntheticDays.day(app.clock.today)
        return SyntheticWorld(
            dialect: dialect, municipality: SyntheticID(municipalityID), municipalityCode: municipality.code,
            lead: Person(id: SyntheticID(lead.id!), name: lead.displayName, role: lead.role),
            socialWorker: socialWorker.map { Person(id: SyntheticID($0.id!), name: $0.displayName, role: $0.role) },
            keyPersons: keyPersons, benchmarkKeyPerson: benchmarkKeyPerson, keyShare: max(1, options.keyShare),
            trainers: trainers, organisations: orgs, offers: offers, offersByTheme: byTheme, homeVisit: homeVisit,
            invitationOffer: invitationOffer, instrument: instrument,
            welcomePages: app.parentContent.pages.map(\.slug),
            welcomeLanguages: Set(app.parentContent.languages.map(\.code)),
            districts: districts.isEmpty ? ["centrum", "noord", "oost", "zuid", "west"] : districts,
            today: today, start: today - 365 * max(1, options.years), seed: options.seed, years: max(1, options.years))
    }
}
