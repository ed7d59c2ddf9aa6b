import Fluent
import Foundation
import Vapor
import WegwijsCore

/// A demo account, as printed by `serve` on an empty database and by `seed demo`.
public struct DemoAccount: Sendable {
    public let username: String
    public let role: String
    public let organisation: String
}

/// The fictitious municipality Rijnstad (GM9901) with its chain, one account per role and about 40 families;
/// plus its neighbour Beekdal (GM9902), with which it buys jointly in the region Rijnstreek.
public enum DemoSeeder {
    public static let defaultPassword = "Rijnstad-demo-2026"

    struct OrganisationSeed {
        let key: String
        let municipality: String
        let name: String
        let kind: OfferKind
        let type: OrganisationType
    }

    static let organisations: [OrganisationSeed] = [
        .init(key: "gemeente", municipality: "GM9901", name: "Gemeente Rijnstad", kind: .formal, type: .municipality),
        .init(key: "vluchtelingenhulp", municipality: "GM9901", name: "Vluchtelingenhulp Rijnstad", kind: .formal, type: .refugeeSupport),
        .init(key: "jgz", municipality: "GM9901", name: "GGD Rijnstreek – Jeugdgezondheidszorg", kind: .formal, type: .youthHealthCare),
        .init(key: "cjg", municipality: "GM9901", name: "Centrum voor Jeugd en Gezin Rijnstad", kind: .formal, type: .centreForYouthAndFamily),
        .init(key: "wijkteam", municipality: "GM9901", name: "Wijkteam Rijnstad-Oost", kind: .formal, type: .districtTeam),
        .init(key: "school", municipality: "GM9901", name: "Basisschool De Regenboog (met nieuwkomersklas)", kind: .formal, type: .school),
        .init(key: "opvang", municipality: "GM9901", name: "Kinderopvang en Peuterspeelzaal Zonnestraal", kind: .formal, type: .childcarePreschool),
        .init(key: "zelforganisatie", municipality: "GM9901", name: "Stichting Samen Sterk (migrantenzelforganisatie)", kind: .informal, type: .migrantSelfOrganisation),
        .init(key: "homestart", municipality: "GM9901", name: "Home-Start Rijnstad", kind: .informal, type: .volunteerProgramme),
        .init(key: "taalmaatjes", municipality: "GM9901", name: "Taalmaatjes Rijnstad", kind: .informal, type: .volunteerProgramme),
        .init(key: "huisarts", municipality: "GM9901", name: "Huisartsenpraktijk Rijnhof", kind: .formal, type: .gpPractice),
        .init(key: "gemeente-beekdal", municipality: "GM9902", name: "Gemeente Beekdal", kind: .formal, type: .municipality),
    ]

    struct AccountSeed {
        let username: String
        let displayName: String
        let role: Role
        let organisation: String
    }

    static let accounts: [AccountSeed] = [
        .init(username: "admin", displayName: "Anouk de Beheerder", role: .admin, organisation: "gemeente"),
        .init(username: "klantmanager", displayName: "Karin Mulder", role: .caseManager, organisation: "gemeente"),
        .init(username: "sleutelpersoon", displayName: "Samira Haddad", role: .keyPerson, organisation: "zelforganisatie"),
        .init(username: "sleutelpersoon2", displayName: "Farid Ahmadi", role: .keyPerson, organisation: "zelforganisatie"),
        .init(username: "begeleider", displayName: "Bram Visser", role: .socialWorker, organisation: "vluchtelingenhulp"),
        .init(username: "partner-jgz", displayName: "Petra Jansen", role: .partner, organisation: "jgz"),
        .init(username: "trainer", displayName: "Tamar Bakker", role: .facilitator, organisation: "vluchtelingenhulp"),
        .init(username: "beleid", displayName: "Bas de Vries", role: .policyOfficer, organisation: "gemeente"),
        .init(username: "klantmanager-beekdal", displayName: "Kees Smit", role: .caseManager, organisation: "gemeente-beekdal"),
    ]

    /// True when no municipality exists yet: `serve` then loads the demo.
    public static func databaseIsEmpty(_ db: any Database) async throws -> Bool {
        try await Municipality.query(on: db).count() == 0
    }

    /// Loads the demo in one transaction. Refuses a password that the password policy refuses.
    @discardableResult
    public static func seed(_ app: Application, password: String = defaultPassword) async throws -> [DemoAccount] {
        if let problem = PasswordPolicy.problem(with: password, username: "admin") {
            throw ConfigError("The demo password is refused: \(app.locales.text("error.\(problem.rawValue)", .en))")
        }
        guard try await databaseIsEmpty(app.db) else {
            throw ConfigError("The database already holds data; demo data is only loaded into an empty database.")
        }
        // Hash once: every demo account gets the same password.
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(password).get()
        let today = app.clock.today
        let created = try await app.audit.write(on: app.db, by: .system) { tx, recorder in
            let region = Region(code: "RG99", name: "Regio Rijnstreek")
            try await region.create(on: tx)
            var municipalities: [String: UUID] = [:]
            for (code, name) in [("GM9901", "Rijnstad"), ("GM9902", "Beekdal")] {
                let municipality = Municipality(code: code, name: name, regionID: region.id)
                try await municipality.create(on: tx)
                municipalities[code] = municipality.id
            }
            var organisationIDs: [String: UUID] = [:]
            for seed in organisations {
                let organisation = Organisation(municipalityID: municipalities[seed.municipality]!, name: seed.name,
                                                kind: seed.kind, type: seed.type)
                try await organisation.create(on: tx)
                organisationIDs[seed.key] = organisation.id
            }
            var users: [String: User] = [:]
            var created: [DemoAccount] = []
            for seed in accounts {
                let organisation = organisations.first { $0.key == seed.organisation }!
                let user = User(username: seed.username, displayName: seed.displayName, role: seed.role, passwordHash: hash,
                                municipalityID: municipalities[organisation.municipality]!,
                                organisationID: organisationIDs[seed.organisation]!)
                // Notification e-mails land in the outbox (and are sent only when an SMTP relay is configured).
                user.email = "\(seed.username)@rijnstad.example"
                try await user.create(on: tx)
                users[seed.username] = user
                created.append(DemoAccount(username: seed.username, role: seed.role.rawValue, organisation: organisation.name))
            }
            var familyIDs: [String: UUID] = [:]
            for (index, demo) in DemoFamilies.all.enumerated() {
                let errors = FamilyValidation.validate(household: demo.household)
                    + FamilyValidation.validate(members: demo.members, today: today)
                guard errors.isEmpty else { throw ConfigError("demo family \(demo.household.name) is invalid: \(errors)") }
                let family = Family()
                family.id = UUID()
                family.version = 1
                family.reference = FamilyReference.make()
                family.$municipality.id = municipalities[demo.municipality]!
                family.name = demo.household.name
                family.address = demo.household.address
                family.postcode = demo.household.postcode
                family.contactPreference = demo.household.contactPreference
                family.situations = CodeList.unique(demo.household.situations)
                family.status = demo.status
                family.closedReason = demo.closedReason
                family.$caseManager.id = users[demo.caseManager]?.id
                family.$keyPerson.id = demo.keyPerson.flatMap { users[$0]?.id }
                family.$socialWorker.id = demo.socialWorker.flatMap { users[$0]?.id }
                let members = FamilyService.makeMembers(demo.members, family: family)
                FamilyService.refreshIndexes(family, members: members)
                family.registeredOn = today.adding(days: -Self.registeredDaysAgo(index)).iso
                try await family.create(on: tx)
                try await Self.workHistory(index, family: family, lead: users[demo.caseManager], today: today, on: tx)
                try await members.create(on: tx)
                try await FamilyCodes.insert([family], members: members, on: tx)
                familyIDs[demo.household.name] = family.id
                recorder.record(AuditEvent(action: "family.create", familyID: family.id, familyReference: family.reference,
                                           purpose: AuditPurpose.administration, detail: "demo"))
                // Their open questions: what demand against supply, equity and the procurement checklist count.
                for theme in DemoFamilies.openQuestions[demo.household.name] ?? [] {
                    try await Need(family: family.id!, municipality: family.$municipality.id, theme: theme.rawValue, priority: 2,
                                   source: .staff).create(on: tx)
                    recorder.record(AuditEvent(action: "need.create", familyID: family.id, familyReference: family.reference,
                                               purpose: AuditPurpose.administration, detail: "demo theme=\(theme.rawValue)"))
                }
            }
            // The young Tigrinya-speaking mother (Habte) agreed to be referred to the JGZ: the consent a referral needs.
            if let habte = familyIDs["Habte"] {
                let consent = Consent()
                consent.id = UUID()
                consent.version = 1
                consent.purpose = ConsentPurpose.referral.rawValue
                consent.dataCategories = [DataCategory.languages, .children, .questions].map(\.rawValue)
                consent.givenBy = "Senait, met de sleutelpersoon als tolk"
                consent.givenOn = today.adding(days: -14).iso
                consent.$family.id = habte
                consent.$municipality.id = municipalities["GM9901"]!
                consent.$organisation.id = organisationIDs["jgz"]!
                consent.$recordedBy.id = users["klantmanager"]!.id!
                try await consent.create(on: tx)
                try await consent.storeCategories(on: tx)
                recorder.record(AuditEvent(action: "consent.create", familyID: habte, purpose: AuditPurpose.administration, detail: "demo"))
            }
            for demo in DemoCatalogue.all {
                let offer = Offer()
                offer.id = UUID(uuidString: demo.id)
                offer.version = 1
                offer.status = .active
                offer.$municipality.id = municipalities["GM9901"]!
                offer.$organisation.id = organisationIDs[demo.organisation]!
                try offer.apply(demo.offer)
                try await offer.create(on: tx)
                try await OfferCodes.store([offer], on: tx)
                try await OfferRevision(offerID: offer.id!, version: 1, change: "create", changedBy: "demo").create(on: tx)
            }
            // 30 parents in five languages wait on the planner input of the group offer in the parents' own languages.
            try await DemoGroups.seed(on: tx, municipalityID: municipalities["GM9901"]!, familyIDs: familyIDs, today: today,
                                      recorder: recorder)
            return created
        }
        // The demo key persons' languages: they review the parents' place in these.
        for (username, languages) in [("sleutelpersoon", ["ar", "ti"]), ("sleutelpersoon2", ["fa", "ps"])] {
            guard let user = try await User.query(on: app.db).filter(\.$username == username).first(), let id = user.id else { continue }
            try await Colleagues(on: app.db).setLanguages(languages, of: id)
        }
        try await ParentPages.seedMissing(app)
        try await ScreeningInstruments.publish(from: app.resourcesDirectory + "/Screening/instrument.json", on: app.db)
        // The demo's contacts and plans were written directly: its worklists are made from them once.
        try await FamilyWorkItems.rebuildAll(rules: FamilyWorkItems.rules(of: app), on: app.db)
        return created
    }

    /// `seed synthetic --offers N`: generated offers in Rijnstad's catalogue, varied over every vocabulary, for benchmarks.
    /// A demo family's working history, so the worklist looks like a real one instead of the same lines on every
    /// family: registered on a day between 2 days and 10 months ago (registration counts as the first contact), and
    /// for most families a contact with their lead some days ago. Deterministic by the family's place in the demo.
    static func registeredDaysAgo(_ index: Int) -> Int { [2, 9, 25, 45, 80, 150, 300][index % 7] }

    static func workHistory(_ index: Int, family: Family, lead: User?, today: CalendarDate, on db: any Database) async throws {
        let registeredDaysAgo = Self.registeredDaysAgo(index)
        // Two in three families had a contact some days ago (the others wait for one: on the lead's worklist).
        guard let lead, index % 3 != 0, registeredDaysAgo > 9 else { return }
        let contact = ContactMoment()
        contact.$family.id = family.id!
        contact.$municipality.id = family.$municipality.id
        contact.at = today.adding(days: -min(registeredDaysAgo - 1, 3 + (index * 7) % 50)).noonInNetherlands
        contact.byUserID = lead.id!
        contact.byName = lead.displayName
        contact.mode = ["phone", "home-visit", "location"][index % 3]
        contact.interpreter = false
        try await contact.create(on: db)
    }

    public static func seedSyntheticOffers(_ app: Application, count: Int, password: String = defaultPassword) async throws {
        if try await databaseIsEmpty(app.db) { try await seed(app, password: password) }
        guard let rijnstad = try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first() else {
            throw ConfigError("Rijnstad is missing")
        }
        let organisations = try await Organisation.query(on: app.db).filter(\.$municipality.$id == rijnstad.id!).all()
        var done = 0
        while done < count {
            let size = min(500, count - done)
            let start = done
            try await app.db.transaction { tx in
                var offers: [Offer] = []
                for i in start..<(start + size) {
                    let offer = Offer()
                    offer.id = UUID()
                    offer.version = 1
                    offer.status = .active
                    offer.$municipality.id = rijnstad.id!
                    offer.$organisation.id = organisations[i % organisations.count].id!
                    try offer.apply(syntheticOffer(i))
                    try await offer.create(on: tx)
                    offers.append(offer)
                }
                try await OfferCodes.store(offers, on: tx)
            }
            done += size
        }
    }

    static func syntheticOffer(_ i: Int) -> OfferDraft {
        let themes = Theme.allCodes, forms = OfferForm.allCodes, languages = Languages.parentLanguages
        let low = i % 12
        return OfferDraft(
            name: "Aanbod \(i)", description: "Gegenereerd aanbod \(i) voor metingen.",
            kind: i % 2 == 0 ? "formal" : "informal", supportType: SupportType.allCodes[i % 4],
            forms: [forms[i % forms.count]], themes: [themes[i % themes.count], themes[(i / 7) % themes.count]],
            suitsSituations: [Situation.allCodes[i % Situation.allCodes.count]], audience: Audience.allCodes[i % 3],
            languages: ["nl", languages[i % languages.count]], bridgeInterpreter: i % 3 == 0, bridgeKeyPerson: i % 5 == 0,
            minimumAge: low, maximumAge: low + 6, phase: 1 + i % 3, serviceAreas: ["municipality"],
            locations: [OfferLocation(address: "Straat \(i)", postcode: "23\(10 + i % 90) AB", city: "Rijnstad")],
            days: [Weekday.allCodes[i % 7]], opensAt: i % 4 == 0 ? "19:00" : "09:30", closesAt: i % 4 == 0 ? "21:00" : "11:30",
            frequency: "weekly", capacity: 15, freePlaces: i % 6, waitingList: i % 2 == 0,
            culture: [CultureItem.allCodes[i % 10]], funding: FundingSource.allCodes[i % FundingSource.allCodes.count])
    }

    /// `seed synthetic --families N`: generated families with their stories over `options.years` years (screenings,
    /// needs, plans, contacts, referrals through their states, group series with attendance and evaluations), loaded
    /// in bulk (`SyntheticSeeder`); the demo base first when the database is empty.
    @discardableResult
    public static func seedSynthetic(_ app: Application, options: SyntheticOptions, password: String = defaultPassword,
                                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> SyntheticSummary {
        try await SyntheticSeeder.run(app, options: options, password: password, progress: progress)
    }
}
