import WegwijsCore

/// One offer of the demo catalogue of Rijnstad, with the key of the organisation that provides it.
struct DemoOffer: Sendable {
    let id: String            // a fixed UUID string (lower-case), so exports of the demo are stable
    let organisation: String  // a DemoSeeder organisation key
    let offer: OfferDraft
}

/// The demo catalogue (sociale kaart) of the fictitious municipality Rijnstad (GM9901): formal offers of the chain
/// and informal offers of volunteers and the migrant self-organisation (R1, R5, R21, R43). Every address, phone number,
/// e-mail address and person is invented; the named volunteer programmes are real programmes, shown here as if they
/// ran in Rijnstad.
///
/// Deliberate test cases: no offer is given in Bulgarian (`bg`), so the language gap is visible in the reports;
/// offers 4, 20 and 31 are full with a waiting list, offer 21 is full without one; offer 7 ended in 2025.
/// Each offer names the budget that pays for it (`funding`: civic integration, prevention, health, participation or
/// other), except offer 33, so the procurement checklist shows an offer whose source is not recorded.
/// Parent-facing texts say "informatie" and "tips en advies", never "opvoedsteun" (R31).
enum DemoCatalogue {
    // MARK: Places in Rijnstad (all invented)

    private static let city = "Rijnstad"
    private static let stadhuis = OfferLocation(name: "Stadhuis Rijnstad", address: "Stadhuisplein 1", postcode: "2311 AA", city: city)
    private static let deBrug = OfferLocation(name: "Buurthuis De Brug", address: "Brugstraat 14", postcode: "2312 AA", city: city)
    private static let cjgHuis = OfferLocation(name: "CJG Rijnstad", address: "Stationsplein 5", postcode: "2313 AA", city: city)
    private static let consultatiebureau = OfferLocation(name: "Consultatiebureau Rijnstad-Oost", address: "Lindelaan 8",
                                                         postcode: "2314 AA", city: city)
    private static let deKastanje = OfferLocation(name: "Wijkcentrum De Kastanje", address: "Kastanjeplein 3",
                                                  postcode: "2315 AA", city: city)
    private static let regenboog = OfferLocation(name: "Basisschool De Regenboog", address: "Regenbooglaan 20",
                                                 postcode: "2316 AA", city: city)
    private static let zonnestraal = OfferLocation(name: "Kinderopvang en Peuterspeelzaal Zonnestraal", address: "Zonnebloemstraat 7",
                                                   postcode: "2317 AA", city: city)
    private static let azc = OfferLocation(name: "Azc Rijnstad, ouder-kindruimte", address: "Polderweg 40", postcode: "2318 AA", city: city)
    private static let samenSterk = OfferLocation(name: "Ontmoetingscentrum Samen Sterk", address: "Havenkade 22",
                                                  postcode: "2319 AA", city: city)
    private static let moskee = OfferLocation(name: "Moskee Rijnstad-Oost", address: "Molenstraat 31", postcode: "2320 AA", city: city)
    private static let bibliotheek = OfferLocation(name: "Bibliotheek Rijnstad", address: "Boekenplein 2", postcode: "2321 AA", city: city)
    private static let rijnhof = OfferLocation(name: "Gezondheidscentrum Rijnhof", address: "Rijnhof 10", postcode: "2322 AA", city: city)

    // MARK: The offers

    static let all: [DemoOffer] = [
        // 1 — The welcome package from day one (R39), in the parents' languages.
        DemoOffer(id: "5a0e0c1e-0001-4c3a-9f00-000000000001", organisation: "gemeente", offer: OfferDraft(
            name: "Welkomstmap Opgroeien in Rijnstad",
            description: "Bij het eerste gesprek met de gemeente krijgt u een map met de belangrijkste informatie over opgroeien in Rijnstad. "
                + "Er staat in bij wie u terechtkunt met vragen over gezondheid, school, kinderopvang, geld en vrije tijd, met foto's en korte teksten. "
                + "De map is er op papier en online, in het Nederlands, Engels, Arabisch, Tigrinya, Perzisch en Oekraïens. "
                + "Uw klantmanager bekijkt de map samen met u.",
            kind: "formal", supportType: "information", forms: ["individual", "online"],
            themes: ["care-system", "school-system", "childcare-preschool", "child-health", "leisure"],
            suitsSituations: ["status-holder", "family-reunification"],
            languages: ["nl", "en", "ar", "ti", "fa", "uk"], bridgeInterpreter: true, bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 1, serviceAreas: ["municipality", "online"], locations: [stadhuis],
            sessions: 1, frequency: "once", frequencyNote: "bij het eerste gesprek na de vestiging in Rijnstad",
            contactName: "Karin Mulder", contactPhone: "071 555 0101", contactEmail: "welkom.rijnstad@example.org",
            url: "https://rijnstad.example.org/welkom",
            activeFrom: "2025-01-01", lastChecked: "2026-09-15",
            culture: ["own-language", "visual-material", "refers-on"], funding: "civic-integration")),

        // 2 — Leisure and sports fund information session.
        DemoOffer(id: "5a0e0c1e-0002-4c3a-9f00-000000000002", organisation: "gemeente", offer: OfferDraft(
            name: "Informatieavond: sport, muziek en zwemles voor uw kind",
            description: "Sporten, zwemles of muziekles kost geld. Op deze avond hoort u hoe het Jeugdfonds Sport & Cultuur en de Rijnstadpas "
                + "de contributie of het lesgeld voor uw kind kunnen betalen. Een medewerker van de gemeente helpt u meteen met de aanvraag. "
                + "Een tolk of sleutelpersoon kan vertalen.",
            kind: "formal", supportType: "practical", forms: ["information-session"],
            themes: ["leisure", "money-stress", "future"],
            languages: ["nl"], bridgeInterpreter: true, bridgeKeyPerson: true,
            minimumAge: 4, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [stadhuis],
            days: ["WE"], opensAt: "19:00", closesAt: "20:30", sessions: 1, frequency: "monthly",
            frequencyNote: "elke eerste woensdag van de maand", capacity: 30, freePlaces: 18,
            contactName: "Loket Meedoen", contactPhone: "071 555 0102", contactEmail: "meedoen.rijnstad@example.org",
            activeFrom: "2025-02-01", lastChecked: "2026-10-01",
            culture: ["refers-on", "visual-material", "flexible"], funding: "participation")),

        // 3 — R21 group series, Arabic-speaking mothers.
        DemoOffer(id: "5a0e0c1e-0003-4c3a-9f00-000000000003", organisation: "vluchtelingenhulp", offer: OfferDraft(
            name: "Moedergroep in het Arabisch: opgroeien en opvoeden in Nederland",
            description: "In vijf bijeenkomsten praten 12 tot 15 moeders in het Arabisch over kinderen opvoeden in een nieuw land. "
                + "Onderwerpen zijn de school, de gezondheid van kinderen, opvoeden tussen twee culturen en wat u kunt doen als u zich zorgen maakt over uw kind. "
                + "Een trainer en een sleutelpersoon leiden de groep, en medewerkers van onder andere het consultatiebureau en het CJG komen vertellen wat zij doen. "
                + "Tijdens de bijeenkomsten is er opvang voor uw kinderen.",
            kind: "formal", supportType: "parenthood", forms: ["group"],
            themes: ["school-system", "child-health", "two-cultures", "worried-about-child", "care-system", "parenting-confidence"],
            suitsSituations: ["status-holder", "family-reunification"],
            audience: "mothers", languages: ["ar"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [samenSterk],
            days: ["TU"], opensAt: "09:30", closesAt: "11:30", sessions: 5, frequency: "weekly",
            frequencyNote: "vijf dinsdagochtenden achter elkaar; een nieuwe groep start elk kwartaal",
            capacity: 15, freePlaces: 4, childcare: true,
            contactName: "Tamar Bakker", contactPhone: "071 555 0111", contactEmail: "ouderbijeenkomsten@example.org",
            activeFrom: "2025-09-01", lastChecked: "2026-10-20",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
                      "childcare", "visual-material", "trained-staff"], funding: "civic-integration")),

        // 4 — R21 group series, Tigrinya-speaking fathers; full, with a waiting list.
        DemoOffer(id: "5a0e0c1e-0004-4c3a-9f00-000000000004", organisation: "vluchtelingenhulp", offer: OfferDraft(
            name: "Vadergroep in het Tigrinya: opgroeien en opvoeden in Nederland",
            description: "Vijf avonden voor 12 tot 15 vaders uit Eritrea, in het Tigrinya. U praat met andere vaders over uw rol in het gezin, "
                + "over school en gezondheid, over opvoeden tussen twee culturen en over de tijd nadat uw gezin naar Nederland is gekomen. "
                + "Een trainer en een Eritrese sleutelpersoon leiden de avonden; medewerkers van school en het wijkteam vertellen over hun werk. "
                + "Kinderen die meekomen, worden opgevangen.",
            kind: "formal", supportType: "parenthood", forms: ["group"],
            themes: ["fathers", "school-system", "child-health", "two-cultures", "worried-about-child", "family-reunification"],
            suitsSituations: ["status-holder", "family-reunification", "young-parent"],
            audience: "fathers", languages: ["ti"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [deBrug],
            days: ["TH"], opensAt: "19:00", closesAt: "21:00", sessions: 5, frequency: "weekly",
            frequencyNote: "vijf donderdagavonden achter elkaar",
            capacity: 15, freePlaces: 0, waitingList: true, childcare: true,
            contactName: "Tamar Bakker", contactPhone: "071 555 0111", contactEmail: "ouderbijeenkomsten@example.org",
            activeFrom: "2025-09-01", lastChecked: "2026-10-20",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
                      "childcare", "visual-material", "trained-staff", "involves-fathers"], funding: "civic-integration")),

        // 36 — R21 group series, Tigrinya-speaking mothers, with the consultatiebureau joining one evening.
        // Run by the JGZ, so the demo partner account (partner-jgz) receives the referrals to it (issue 8's demo).
        DemoOffer(id: "5a0e0c1e-0036-4c3a-9f00-000000000036", organisation: "jgz", offer: OfferDraft(
            name: "Moedergroep in het Tigrinya: opgroeien in Nederland",
            description: "Vijf ochtenden voor 12 tot 15 moeders uit Eritrea, in het Tigrinya. U praat met andere moeders over school, "
                + "gezondheid, slapen en eten, en over opvoeden tussen twee culturen. Een trainer en een Eritrese sleutelpersoon "
                + "leiden de ochtenden; een verpleegkundige van het consultatiebureau (JGZ) organiseert de groep. "
                + "U kunt uw kleine kinderen meenemen: er is opvang.",
            kind: "formal", supportType: "information", forms: ["group"],
            themes: ["care-system", "child-health", "school-system", "two-cultures", "worried-about-child"],
            suitsSituations: ["status-holder", "family-reunification", "asylum-seeker"],
            audience: "mothers", languages: ["ti"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 12, phase: 2, serviceAreas: ["municipality"], locations: [deBrug],
            days: ["TU"], opensAt: "09:30", closesAt: "11:30", sessions: 5, frequency: "weekly",
            frequencyNote: "vijf dinsdagochtenden achter elkaar",
            capacity: 15, freePlaces: 6, waitingList: false, registrationRequired: true, childcare: true,
            contactName: "Petra Jansen", contactPhone: "071 555 0140", contactEmail: "moedergroep@ggd-rijnstreek.example",
            activeFrom: "2026-09-01", lastChecked: "2026-11-02",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
                      "childcare", "visual-material", "trained-staff"], funding: "prevention")),

        // 5 — R21 group series, Dari/Persian-speaking mothers.
        DemoOffer(id: "5a0e0c1e-0005-4c3a-9f00-000000000005", organisation: "vluchtelingenhulp", offer: OfferDraft(
            name: "Moedergroep in het Dari en Perzisch: opgroeien en opvoeden in Nederland",
            description: "Vijf ochtenden voor moeders die Dari of Perzisch spreken. U praat in uw eigen taal over school, gezondheid, "
                + "slapen en stress bij kinderen, opvoeden in twee talen en twee culturen, en wat u doet als u zich zorgen maakt. "
                + "Een trainer en een sleutelpersoon leiden de groep, en elke keer komt een medewerker van bijvoorbeeld school of het consultatiebureau vertellen. "
                + "Er is opvang voor de kinderen.",
            kind: "formal", supportType: "parenthood", forms: ["group"],
            themes: ["school-system", "child-health", "two-cultures", "worried-about-child", "mental-health", "multilingualism"],
            suitsSituations: ["status-holder", "family-reunification", "low-literacy"],
            audience: "mothers", languages: ["fa"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [deBrug],
            days: ["MO"], opensAt: "09:30", closesAt: "11:30", sessions: 5, frequency: "weekly",
            frequencyNote: "vijf maandagochtenden achter elkaar",
            capacity: 14, freePlaces: 6, childcare: true,
            contactName: "Tamar Bakker", contactPhone: "071 555 0111", contactEmail: "ouderbijeenkomsten@example.org",
            activeFrom: "2026-01-05", lastChecked: "2026-10-20",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
                      "childcare", "visual-material", "trained-staff"], funding: "civic-integration")),

        // 6 — Drop-in at the asylum reception centre (R13), only for asylum seekers.
        DemoOffer(id: "5a0e0c1e-0006-4c3a-9f00-000000000006", organisation: "vluchtelingenhulp", offer: OfferDraft(
            name: "Inloop voor ouders in het azc",
            description: "Ouders die in het azc wonen, kunnen elke woensdagmiddag zonder afspraak binnenlopen in de ouder-kindruimte. "
                + "Een maatschappelijk begeleider en een jeugdverpleegkundige van de GGD beantwoorden vragen over slapen, eten, stress, school en de zorg in Nederland. "
                + "Er zijn sleutelpersonen die Arabisch en Tigrinya spreken; voor andere talen bellen we een tolk. Kinderen mogen mee en kunnen spelen.",
            kind: "formal", supportType: "information", forms: ["drop-in"],
            themes: ["care-system", "mental-health", "child-health", "parenting-confidence", "child-protection-fears"],
            forSituations: ["asylum-seeker"],
            languages: ["nl", "en", "ar", "ti"], bridgeInterpreter: true, bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 1, serviceAreas: ["municipality"], locations: [azc],
            days: ["WE"], opensAt: "13:30", closesAt: "16:00", frequency: "weekly",
            frequencyNote: "elke woensdagmiddag, zonder afspraak",
            contactName: "Bram Visser", contactPhone: "071 555 0112", contactEmail: "azc.inloop@example.org",
            activeFrom: "2025-03-01", lastChecked: "2026-11-02",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "trained-staff"], funding: "other")),

        // 7 — An online pilot that ended in 2025 (tests that expired offers are not offered).
        DemoOffer(id: "5a0e0c1e-0007-4c3a-9f00-000000000007", organisation: "vluchtelingenhulp", offer: OfferDraft(
            name: "Online ouderavonden via videobellen (proef)",
            description: "Vier avonden waarop ouders vanuit huis met elkaar praten via videobellen, in het Arabisch of in het Dari. "
                + "U hoeft niet te reizen en geen oppas te regelen. Het gaat over stress, slapen en het schermgebruik van kinderen. "
                + "Een trainer en een sleutelpersoon leiden het gesprek.",
            kind: "formal", supportType: "parenthood", forms: ["online", "group"],
            themes: ["mental-health", "digital-parenting", "parenting-confidence"],
            languages: ["ar", "fa"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["online"],
            days: ["MO"], opensAt: "20:00", closesAt: "21:00", sessions: 4, frequency: "weekly",
            frequencyNote: "vier maandagavonden", capacity: 12, freePlaces: 5,
            contactName: "Tamar Bakker", contactPhone: "071 555 0111", contactEmail: "ouderbijeenkomsten@example.org",
            activeFrom: "2025-03-01", activeUntil: "2025-06-30", lastChecked: "2026-02-10",
            culture: ["own-language", "flexible", "trained-staff"], funding: "civic-integration")),

        // 8 — JGZ home visit soon after settlement, all children 0–18 (R7/R19, R44).
        DemoOffer(id: "5a0e0c1e-0008-4c3a-9f00-000000000008", organisation: "jgz", offer: OfferDraft(
            name: "Kennismakingsbezoek van de jeugdverpleegkundige",
            description: "Kort nadat uw gezin in Rijnstad is komen wonen, komt een jeugdverpleegkundige van de GGD bij u thuis. "
                + "Zij maakt kennis met al uw kinderen van 0 tot 18 jaar, kijkt of de vaccinaties compleet zijn en vertelt waar u terechtkunt met vragen over gezondheid en opgroeien. "
                + "Als het nodig is, is er een tolk bij het gesprek. Het bezoek is gratis, ook voor gezinnen zonder BSN.",
            kind: "formal", supportType: "information", forms: ["home-visit"],
            themes: ["child-health", "care-system", "development-delay", "worried-about-child"],
            suitsSituations: ["status-holder", "family-reunification", "eu-labour-migrant", "undocumented"],
            languages: ["nl", "en"], bridgeInterpreter: true,
            minimumAge: 0, maximumAge: 17, phase: 1, serviceAreas: ["municipality"],
            sessions: 1, frequency: "once", frequencyNote: "één bezoek kort na de vestiging; daarna op afspraak",
            contactName: "Petra Jansen", contactPhone: "071 555 0131", contactEmail: "jgz.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-08-28",
            culture: ["familiar-place", "refers-on", "trained-staff", "flexible"], funding: "health")),

        // 9 — Well-baby clinic consultations until the child is 4.
        DemoOffer(id: "5a0e0c1e-0009-4c3a-9f00-000000000009", organisation: "jgz", offer: OfferDraft(
            name: "Consultatiebureau: afspraken voor baby's en peuters",
            description: "Op het consultatiebureau kijken de jeugdarts en de jeugdverpleegkundige hoe uw kind groeit en zich ontwikkelt, van de geboorte tot 4 jaar. "
                + "Uw kind krijgt hier ook de vaccinaties. U kunt vragen stellen over voeding, slapen, praten en spelen. "
                + "U krijgt vanzelf een uitnodiging; de afspraken zijn gratis, ook zonder BSN of zorgverzekering.",
            kind: "formal", supportType: "information", forms: ["individual"],
            themes: ["child-health", "development-delay", "responsive-talking", "multilingualism", "childcare-preschool"],
            languages: ["nl", "en"], bridgeInterpreter: true,
            minimumAge: 0, maximumAge: 3, phase: 3, serviceAreas: ["municipality"], locations: [consultatiebureau],
            days: ["MO", "TU", "TH"], opensAt: "08:30", closesAt: "16:30", frequency: "ongoing",
            frequencyNote: "ongeveer vijftien afspraken tussen 0 en 4 jaar, het vaakst in het eerste jaar",
            contactName: "Consultatiebureau Rijnstad-Oost", contactPhone: "071 555 0132", contactEmail: "jgz.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-08-28",
            culture: ["trained-staff", "refers-on", "visual-material"], funding: "health")),

        // 10 — Moeders informeren Moeders (R5).
        DemoOffer(id: "5a0e0c1e-0010-4c3a-9f00-000000000010", organisation: "jgz", offer: OfferDraft(
            name: "Moeders informeren Moeders",
            description: "Een getrainde vrijwilliger die zelf moeder is, komt één keer per maand bij u thuis tot uw kind 2 jaar is. "
                + "Zij geeft tips over voeding, slapen, spelen en gezondheid, en luistert naar wat u bezighoudt. "
                + "Er zijn vrijwilligers die Arabisch of Turks spreken. Een jeugdverpleegkundige van de GGD begeleidt de vrijwilligers.",
            kind: "informal", supportType: "parenthood", forms: ["home-visit", "buddy"],
            themes: ["child-health", "parenting-confidence", "responsive-talking", "emotional-development"],
            suitsSituations: ["young-parent", "single-parent", "low-literacy"],
            audience: "mothers", languages: ["nl", "ar", "tr"],
            minimumAge: 0, maximumAge: 1, phase: 2, serviceAreas: ["municipality"],
            frequency: "monthly", frequencyNote: "maandelijks tot het kind 2 jaar is",
            capacity: 20, freePlaces: 5,
            contactName: "Coördinator Moeders informeren Moeders", contactPhone: "071 555 0133", contactEmail: "mim.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-07-14",
            culture: ["own-language", "demand-led", "flexible", "familiar-place", "trained-staff", "refers-on"], funding: "prevention")),

        // 11 — Group consultations by an Eritrean midwife (R5), only for pregnant women.
        DemoOffer(id: "5a0e0c1e-0011-4c3a-9f00-000000000011", organisation: "jgz", offer: OfferDraft(
            name: "Groepsspreekuur zwangerschap met een Eritrese verloskundige",
            description: "Zwangere vrouwen uit Eritrea komen om de twee weken samen bij een verloskundige die zelf uit Eritrea komt en Tigrinya spreekt. "
                + "U praat over de zwangerschap, de bevalling, borstvoeding en de eerste weken met de baby, en u kunt vragen stellen over uw lichaam. "
                + "De verloskundige werkt samen met het consultatiebureau, zodat u ook na de bevalling goed geholpen wordt. Er is opvang voor kleine kinderen.",
            kind: "formal", supportType: "parenthood", forms: ["group"],
            themes: ["pregnancy-birth", "sexual-health", "child-health"],
            forSituations: ["pregnant"], suitsSituations: ["young-parent", "ex-uam", "family-reunification"],
            audience: "mothers", languages: ["ti"],
            phase: 2, serviceAreas: ["region"], locations: [consultatiebureau],
            days: ["FR"], opensAt: "10:00", closesAt: "12:00", frequency: "fortnightly",
            frequencyNote: "om de twee weken op vrijdagochtend, zolang u zwanger bent",
            capacity: 10, freePlaces: 3, childcare: true,
            contactName: "Verloskundige groepsspreekuur", contactPhone: "071 555 0134", contactEmail: "groepsspreekuur@example.org",
            activeFrom: "2025-04-01", lastChecked: "2026-09-30",
            culture: ["own-language", "familiar-place", "separate-mothers-fathers", "visual-material", "trained-staff",
                      "refers-on", "childcare"], funding: "health")),

        // 12 — Centering Pregnancy (R5, Haarlem), only for pregnant women.
        DemoOffer(id: "5a0e0c1e-0012-4c3a-9f00-000000000012", organisation: "huisarts", offer: OfferDraft(
            name: "Centering Pregnancy: zwangerschapscontroles in een groep",
            description: "Bij Centering Pregnancy krijgt u de zwangerschapscontroles samen met 8 tot 12 vrouwen die rond dezelfde tijd uitgerekend zijn. "
                + "U meet zelf uw bloeddruk en gewicht, en de verloskundige doet de controle. Daarna praat de groep over onderwerpen als voeding, de bevalling en de tijd na de geboorte. "
                + "Er zijn tien bijeenkomsten van twee uur in Gezondheidscentrum Rijnhof; een tolk kan aansluiten.",
            kind: "formal", supportType: "parenthood", forms: ["group"],
            themes: ["pregnancy-birth", "child-health", "sexual-health", "parenting-confidence"],
            forSituations: ["pregnant"], suitsSituations: ["young-parent", "single-parent"],
            audience: "mothers", languages: ["nl", "en"], bridgeInterpreter: true,
            phase: 2, serviceAreas: ["municipality", "region"], locations: [rijnhof],
            days: ["TU"], opensAt: "13:30", closesAt: "15:30", sessions: 10, frequency: "fortnightly",
            frequencyNote: "tien bijeenkomsten: eerst om de vier weken, aan het eind van de zwangerschap om de twee weken",
            capacity: 12, freePlaces: 2,
            costNote: "Vergoed uit de basisverzekering; zonder verzekering via de regeling van het CAK.",
            contactName: "Verloskundigen Rijnhof", contactPhone: "071 555 0171", contactEmail: "verloskunde.rijnhof@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-06-18",
            culture: ["demand-led", "visual-material", "trained-staff", "refers-on"], funding: "health")),

        // 13 — GP practice information hour.
        DemoOffer(id: "5a0e0c1e-0013-4c3a-9f00-000000000013", organisation: "huisarts", offer: OfferDraft(
            name: "Informatie-uur: zo werkt de huisarts in Nederland",
            description: "Eén keer per maand legt een praktijkondersteuner van Huisartsenpraktijk Rijnhof uit hoe de huisarts in Nederland werkt. "
                + "U hoort hoe u een afspraak maakt, wanneer u de huisartsenpost belt en wat u zelf kunt doen als uw kind koorts of buikpijn heeft. "
                + "U kunt ook vragen stellen over de zorgverzekering. Een tolk of sleutelpersoon kan vertalen.",
            kind: "formal", supportType: "information", forms: ["information-session"],
            themes: ["care-system", "child-health", "mental-health"],
            suitsSituations: ["status-holder", "eu-labour-migrant"],
            languages: ["nl", "en"], bridgeInterpreter: true, bridgeKeyPerson: true,
            phase: 2, serviceAreas: ["municipality"], locations: [rijnhof],
            days: ["TH"], opensAt: "14:00", closesAt: "15:00", sessions: 1, frequency: "monthly",
            frequencyNote: "elke tweede donderdag van de maand", capacity: 20, freePlaces: 12,
            contactName: "Praktijkondersteuner Rijnhof", contactPhone: "071 555 0172", contactEmail: "praktijk.rijnhof@example.org",
            activeFrom: "2025-05-01", lastChecked: "2026-09-04",
            culture: ["visual-material", "refers-on", "trained-staff"], funding: "health")),

        // 14 — CJG individual tips and advice (phase 3, regular services).
        DemoOffer(id: "5a0e0c1e-0014-4c3a-9f00-000000000014", organisation: "cjg", offer: OfferDraft(
            name: "Tips en advies over opvoeden: gesprek met een pedagoog",
            description: "Heeft u een vraag over uw kind, bijvoorbeeld over slapen, boos worden, niet luisteren of huiswerk? "
                + "Een pedagoog van het CJG praat met u op het CJG, bij u thuis of via videobellen. Meestal zijn één tot vijf gesprekken genoeg. "
                + "Er is een pedagoog die Pools spreekt; voor andere talen komt er een tolk bij.",
            kind: "formal", supportType: "parenting", forms: ["individual", "home-visit", "online"],
            themes: ["boundaries-behaviour", "emotional-development", "mental-health", "worried-about-child", "parenting-confidence", "puberty"],
            suitsSituations: ["eu-labour-migrant"],
            languages: ["nl", "en", "pl"], bridgeInterpreter: true,
            minimumAge: 0, maximumAge: 17, phase: 3, serviceAreas: ["municipality", "online"], locations: [cjgHuis],
            days: ["MO", "TU", "WE", "TH", "FR"], opensAt: "09:00", closesAt: "17:00", frequency: "ongoing",
            frequencyNote: "één tot vijf gesprekken, in overleg",
            contactName: "CJG Rijnstad", contactPhone: "071 555 0141", contactEmail: "cjg.rijnstad@example.org",
            url: "https://cjg-rijnstad.example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-10-06",
            culture: ["demand-led", "flexible", "refers-on", "trained-staff"], funding: "prevention")),

        // 15 — CJG theme evening on puberty; small cost.
        DemoOffer(id: "5a0e0c1e-0015-4c3a-9f00-000000000015", organisation: "cjg", offer: OfferDraft(
            name: "Thema-avond: uw kind in de puberteit",
            description: "Wat verandert er als uw kind tussen 10 en 18 jaar is? Op deze avond praat u met andere ouders over vrijheid en regels, vrienden, school en uitgaan, "
                + "en over de verschillen tussen opgroeien hier en in uw land van herkomst. Een pedagoog van het CJG geeft tips, en een sleutelpersoon vertaalt in het Arabisch. "
                + "Koffie en thee kosten € 2,50; met de Rijnstadpas is de avond gratis.",
            kind: "formal", supportType: "parenting", forms: ["information-session"],
            themes: ["puberty", "two-cultures", "boundaries-behaviour", "future", "discrimination"],
            languages: ["nl", "ar"], bridgeKeyPerson: true,
            minimumAge: 10, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [cjgHuis],
            days: ["TU"], opensAt: "19:30", closesAt: "21:30", sessions: 1, frequency: "once",
            frequencyNote: "één avond; in het voorjaar en in het najaar opnieuw",
            capacity: 25, freePlaces: 9,
            cost: 2.5, costNote: "€ 2,50 voor koffie en thee; gratis met de Rijnstadpas (vergoed door de gemeente)",
            contactName: "CJG Rijnstad", contactPhone: "071 555 0141", contactEmail: "cjg.rijnstad@example.org",
            activeFrom: "2026-01-01", lastChecked: "2026-10-06",
            culture: ["own-language", "visual-material", "refers-on", "trained-staff"], funding: "prevention")),

        // 16 — CJG online theme evening on digital parenting.
        DemoOffer(id: "5a0e0c1e-0016-4c3a-9f00-000000000016", organisation: "cjg", offer: OfferDraft(
            name: "Online thema-avond: opgroeien in een digitale wereld",
            description: "Kinderen zitten veel op hun telefoon, tablet of spelcomputer. In deze online bijeenkomst hoort u hoe u afspraken maakt over schermtijd, "
                + "hoe u uw kind beschermt tegen nare dingen op internet en hoe u zelf het goede voorbeeld geeft. "
                + "U doet mee via videobellen met uw eigen telefoon. De avond is er in het Nederlands en in het Oekraïens.",
            kind: "formal", supportType: "parenting", forms: ["online", "information-session"],
            themes: ["digital-parenting", "boundaries-behaviour", "puberty"],
            languages: ["nl", "uk"],
            minimumAge: 4, maximumAge: 17, phase: 2, serviceAreas: ["online"],
            days: ["WE"], opensAt: "20:00", closesAt: "21:15", sessions: 1, frequency: "monthly",
            frequencyNote: "elke maand, om de beurt in het Nederlands en in het Oekraïens",
            capacity: 40, freePlaces: 22,
            contactName: "CJG Rijnstad", contactPhone: "071 555 0141", contactEmail: "cjg.rijnstad@example.org",
            activeFrom: "2025-10-01", lastChecked: "2026-10-06",
            culture: ["own-language", "flexible", "visual-material"], funding: "prevention")),

        // 17 — What youth care and child protection really do (R15, R30).
        DemoOffer(id: "5a0e0c1e-0017-4c3a-9f00-000000000017", organisation: "cjg", offer: OfferDraft(
            name: "Informatiebijeenkomst: wat doet de jeugdhulp echt?",
            description: "Veel ouders zijn bang dat de jeugdhulp hun kind kan weghalen. Op deze middag vertellen medewerkers van het CJG en het wijkteam eerlijk "
                + "wat jeugdhulp en jeugdbescherming wel en niet doen, en welke rechten u als ouder heeft; u kunt ook anoniem vragen stellen. "
                + "De bijeenkomst is in het ontmoetingscentrum van Samen Sterk, met sleutelpersonen die Arabisch, Tigrinya en Dari spreken. Er is opvang voor de kinderen.",
            kind: "formal", supportType: "information", forms: ["information-session"],
            themes: ["child-protection-fears", "care-system", "worried-about-child"],
            languages: ["nl", "ar", "ti", "fa"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [samenSterk],
            days: ["SA"], opensAt: "14:00", closesAt: "16:00", sessions: 1, frequency: "once",
            frequencyNote: "vier keer per jaar, steeds op een zaterdagmiddag",
            capacity: 30, freePlaces: 20, childcare: true,
            contactName: "CJG Rijnstad", contactPhone: "071 555 0141", contactEmail: "cjg.rijnstad@example.org",
            activeFrom: "2025-06-01", lastChecked: "2026-10-06",
            culture: ["own-language", "familiar-place", "trained-staff", "refers-on", "childcare", "visual-material"], funding: "prevention")),

        // 18 — A fathers' evening (R39: involve fathers explicitly).
        DemoOffer(id: "5a0e0c1e-0018-4c3a-9f00-000000000018", organisation: "cjg", offer: OfferDraft(
            name: "Vaderavond: vader zijn in Nederland",
            description: "Eén keer per maand een avond alleen voor vaders. U praat met andere vaders over uw rol in het gezin, over werk en stress, over geloof "
                + "en over hoe u met uw kinderen praat als ze ouder worden. Een medewerker van het CJG en een vader die zelf gevlucht is, leiden het gesprek. "
                + "Er zijn sleutelpersonen die Arabisch en Dari spreken.",
            kind: "formal", supportType: "parenthood", forms: ["group"],
            themes: ["fathers", "two-cultures", "responsive-talking", "religion", "future"],
            audience: "fathers", languages: ["nl", "ar", "fa"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [deKastanje],
            days: ["TH"], opensAt: "19:30", closesAt: "21:30", frequency: "monthly",
            frequencyNote: "elke laatste donderdag van de maand", capacity: 15, freePlaces: 7,
            contactName: "CJG Rijnstad", contactPhone: "071 555 0141", contactEmail: "cjg.rijnstad@example.org",
            activeFrom: "2025-09-01", lastChecked: "2026-10-06",
            culture: ["own-language", "separate-mothers-fathers", "involves-fathers", "demand-led", "familiar-place", "refers-on"], funding: "prevention")),

        // 19 — District team help with money worries; debt counselling needs registration in Rijnstad.
        DemoOffer(id: "5a0e0c1e-0019-4c3a-9f00-000000000019", organisation: "wijkteam", offer: OfferDraft(
            name: "Hulp bij geldzorgen voor gezinnen",
            description: "Heeft u schulden of komt u niet rond? Een medewerker van het wijkteam zoekt met u uit welke toeslagen en regelingen er zijn, "
                + "helpt met brieven en maakt samen met u een plan voor de rekeningen. We kijken ook hoe het met u en de kinderen gaat, want geldzorgen geven veel stress. "
                + "Voor schuldhulp van de gemeente moet u ingeschreven staan in Rijnstad; met andere vragen kunt u altijd langskomen.",
            kind: "formal", supportType: "practical", forms: ["individual", "home-visit"],
            themes: ["money-stress", "family-reunification", "parenting-confidence"],
            suitsSituations: ["family-reunification", "single-parent", "ex-uam"],
            languages: ["nl", "en"], bridgeInterpreter: true,
            phase: 3, serviceAreas: ["municipality"], locations: [deKastanje],
            days: ["MO", "WE", "FR"], opensAt: "09:00", closesAt: "12:00", frequency: "ongoing",
            frequencyNote: "zo vaak als nodig; inloopspreekuur op maandag-, woensdag- en vrijdagochtend",
            registrationRequired: true,
            contactName: "Wijkteam Rijnstad-Oost", contactPhone: "071 555 0151", contactEmail: "wijkteam.oost@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-09-22",
            culture: ["refers-on", "flexible", "trained-staff"], funding: "participation")),

        // 20 — Samen oplopen (R5): volunteer plus professional; full, with a waiting list.
        DemoOffer(id: "5a0e0c1e-0020-4c3a-9f00-000000000020", organisation: "wijkteam", offer: OfferDraft(
            name: "Samen oplopen: een vrijwilliger en een hulpverlener voor uw gezin",
            description: "Bij Samen oplopen helpen twee mensen uw gezin tegelijk: een gezinsvrijwilliger en een hulpverlener van het wijkteam. "
                + "Samen met u kijken zij wat u nodig heeft, bijvoorbeeld hulp bij geldzaken, meer rust in huis of iemand die met de kinderen speelt en naar u luistert. "
                + "De vrijwilliger komt ongeveer één keer per week, de hulpverlener wanneer dat nodig is.",
            kind: "informal", supportType: "parenthood", forms: ["home-visit", "buddy"],
            themes: ["money-stress", "parenting-confidence", "mental-health", "boundaries-behaviour"],
            suitsSituations: ["single-parent", "parent-mental-health", "family-reunification"],
            languages: ["nl"], bridgeInterpreter: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"],
            frequency: "weekly", frequencyNote: "de vrijwilliger komt ongeveer één keer per week, meestal een jaar lang",
            capacity: 8, freePlaces: 0, waitingList: true,
            contactName: "Wijkteam Rijnstad-Oost", contactPhone: "071 555 0151", contactEmail: "wijkteam.oost@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-09-22",
            culture: ["demand-led", "flexible", "refers-on", "familiar-place"], funding: "prevention")),

        // 21 — Meeleefgezin (R5): children 0–4 of parents with mental-health problems; full, no waiting list.
        DemoOffer(id: "5a0e0c1e-0021-4c3a-9f00-000000000021", organisation: "wijkteam", offer: OfferDraft(
            name: "Meeleefgezin",
            description: "Voor ouders met psychische klachten, zoals een depressie of trauma, met een kind van 0 tot en met 4 jaar. "
                + "Uw kind gaat op vaste momenten naar een vrijwilligersgezin, bijvoorbeeld één dag per week. "
                + "Zo heeft u even rust, en heeft uw kind een tweede vertrouwde plek. U blijft zelf de ouder en maakt samen de afspraken.",
            kind: "informal", supportType: "practical", forms: ["respite"],
            themes: ["mental-health", "emotional-development", "parenting-confidence"],
            forSituations: ["parent-mental-health"],
            languages: ["nl"], bridgeInterpreter: true,
            minimumAge: 0, maximumAge: 4, phase: 2, serviceAreas: ["region"],
            frequency: "weekly", frequencyNote: "op vaste momenten, bijvoorbeeld één dag per week",
            capacity: 4, freePlaces: 0, waitingList: false,
            contactName: "Coördinator Meeleefgezin Rijnstreek", contactPhone: "071 555 0152", contactEmail: "meeleefgezin@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-05-12",
            culture: ["flexible", "familiar-place", "refers-on"], funding: "prevention")),

        // 22 — Coffee morning at school (R40/R43: a warm handover to regular services).
        DemoOffer(id: "5a0e0c1e-0022-4c3a-9f00-000000000022", organisation: "school", offer: OfferDraft(
            name: "Koffieochtend voor nieuwe ouders op De Regenboog",
            description: "Elke vrijdagochtend, na het brengen van de kinderen, staat de koffie klaar voor ouders van de nieuwkomersklas en andere nieuwe ouders. "
                + "U leert andere ouders en de leerkrachten kennen en kunt vragen stellen over school, huiswerk en brieven van school. "
                + "Vaak is er een sleutelpersoon die Arabisch spreekt en een moeder die Oekraïens spreekt.",
            kind: "formal", supportType: "information", forms: ["drop-in"],
            themes: ["school-system", "multilingualism", "two-cultures", "parenting-confidence"],
            languages: ["nl", "ar", "uk"], bridgeKeyPerson: true,
            minimumAge: 4, maximumAge: 12, phase: 3, serviceAreas: ["municipality"], locations: [regenboog],
            days: ["FR"], opensAt: "08:30", closesAt: "10:00", frequency: "weekly",
            frequencyNote: "elke vrijdagochtend in de schoolweken",
            contactName: "Basisschool De Regenboog", contactPhone: "071 555 0161", contactEmail: "regenboog@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-09-09",
            culture: ["familiar-place", "own-language", "demand-led", "flexible"], funding: "participation")),

        // 23 — The parent room at school (R1: a place where parents already are).
        DemoOffer(id: "5a0e0c1e-0023-4c3a-9f00-000000000023", organisation: "school", offer: OfferDraft(
            name: "Ouderkamer De Regenboog",
            description: "In de ouderkamer van de school zijn alle ouders welkom op maandag-, dinsdag- en donderdagochtend. "
                + "Vrijwillige ouders helpen met formulieren, vertellen over activiteiten in de wijk en organiseren soms een ochtend over voorlezen of opvoeden in twee talen. "
                + "U kunt ook praten over wat u doet als uw kind gepest of uitgescholden wordt. Er zijn moeders die Turks, Arabisch en Somalisch spreken.",
            kind: "informal", supportType: "information", forms: ["drop-in"],
            themes: ["school-system", "multilingualism", "responsive-talking", "discrimination"],
            languages: ["nl", "tr", "ar", "so"],
            minimumAge: 4, maximumAge: 12, phase: 3, serviceAreas: ["municipality"], locations: [regenboog],
            days: ["MO", "TU", "TH"], opensAt: "08:30", closesAt: "11:30", frequency: "ongoing",
            frequencyNote: "drie ochtenden per week, zonder afspraak",
            contactName: "Ouderconsulent De Regenboog", contactPhone: "071 555 0162", contactEmail: "ouderkamer.regenboog@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-09-09",
            culture: ["familiar-place", "own-language", "demand-led", "flexible", "refers-on"], funding: "participation")),

        // 24 — Information evening "how Dutch school works" (R22, R30; FORUM recommendation 2).
        DemoOffer(id: "5a0e0c1e-0024-4c3a-9f00-000000000024", organisation: "school", offer: OfferDraft(
            name: "Informatieavond: zo werkt school in Nederland",
            description: "Hoe werkt de basisschool, wat betekent het schooladvies in groep 8 en welke middelbare scholen zijn er? "
                + "Een leerkracht en de intern begeleider leggen het uit met plaatjes en voorbeelden. U hoort ook wat u kunt doen als u het niet eens bent met het advies. "
                + "Er zijn tolken en sleutelpersonen aanwezig.",
            kind: "formal", supportType: "information", forms: ["information-session"],
            themes: ["school-system", "future", "discrimination", "multilingualism"],
            suitsSituations: ["eu-labour-migrant", "status-holder"],
            languages: ["nl"], bridgeInterpreter: true, bridgeKeyPerson: true,
            minimumAge: 4, maximumAge: 12, phase: 2, serviceAreas: ["municipality"], locations: [regenboog],
            days: ["TU"], opensAt: "19:00", closesAt: "20:30", sessions: 1, frequency: "once",
            frequencyNote: "twee keer per schooljaar: in oktober en in maart",
            capacity: 40, freePlaces: 31,
            contactName: "Basisschool De Regenboog", contactPhone: "071 555 0161", contactEmail: "regenboog@example.org",
            activeFrom: "2025-09-01", lastChecked: "2026-09-09",
            culture: ["visual-material", "refers-on", "familiar-place"], funding: "civic-integration")),

        // 25 — Pre-school with early-childhood education (VVE, R43); a small cost and registration required.
        DemoOffer(id: "5a0e0c1e-0025-4c3a-9f00-000000000025", organisation: "opvang", offer: OfferDraft(
            name: "Peuterspeelzaal met voorschoolse educatie (VVE)",
            description: "Peuters van 2 tot 4 jaar spelen vier ochtenden per week in een kleine groep met vaste pedagogisch medewerkers. "
                + "Ze leren al spelend Nederlands, samen spelen en luisteren, zodat ze goed voorbereid naar de basisschool gaan. "
                + "Het consultatiebureau kan uw kind aanmelden. Eén van de medewerkers spreekt Oekraïens.",
            kind: "formal", supportType: "practical", forms: ["group"],
            themes: ["childcare-preschool", "development-delay", "multilingualism", "responsive-talking"],
            languages: ["nl", "uk"],
            minimumAge: 2, maximumAge: 3, phase: 3, serviceAreas: ["municipality"], locations: [zonnestraal],
            days: ["MO", "TU", "TH", "FR"], opensAt: "08:30", closesAt: "12:00", frequency: "weekly",
            frequencyNote: "vier ochtenden per week, 16 uur", capacity: 16, freePlaces: 3,
            cost: 25, costNote: "Ouderbijdrage vanaf € 25 per maand, naar inkomen; voor peuters met een VVE-indicatie vergoed door de gemeente",
            registrationRequired: true,
            contactName: "Peuterspeelzaal Zonnestraal", contactPhone: "071 555 0191", contactEmail: "zonnestraal@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-08-19",
            culture: ["trained-staff", "refers-on", "visual-material"], funding: "other")),

        // 26 — Spel aan Huis (R5): weekly play sessions at home; recognised as well-founded (2018).
        DemoOffer(id: "5a0e0c1e-0026-4c3a-9f00-000000000026", organisation: "opvang", offer: OfferDraft(
            name: "Spel aan Huis",
            description: "Een getrainde spelbegeleider komt twintig weken lang één keer per week bij u thuis om met uw kind te spelen. "
                + "U speelt mee en krijgt ideeën voor spelletjes en boekjes die goed zijn voor de taal en de ontwikkeling van uw kind. "
                + "De begeleider vertelt ook over de peuterspeelzaal, de bibliotheek en de speel-o-theek in de buurt. Voor kinderen van anderhalf tot en met 7 jaar.",
            kind: "informal", supportType: "parenting", forms: ["home-visit"],
            themes: ["responsive-talking", "development-delay", "emotional-development", "childcare-preschool", "multilingualism"],
            suitsSituations: ["low-literacy", "status-holder"],
            languages: ["nl", "en"], bridgeKeyPerson: true,
            minimumAge: 1, maximumAge: 7, phase: 2, serviceAreas: ["municipality"],
            sessions: 20, frequency: "weekly", frequencyNote: "twintig weken, één keer per week ongeveer twee uur",
            capacity: 12, freePlaces: 2, evidence: "well-founded",
            contactName: "Coördinator Spel aan Huis", contactPhone: "071 555 0192", contactEmail: "spelaanhuis@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-08-19",
            culture: ["familiar-place", "visual-material", "refers-on", "trained-staff", "demand-led"], funding: "prevention")),

        // 27 — Key-person support from the first talk (R35, R40): accompanies the first visits.
        DemoOffer(id: "5a0e0c1e-0027-4c3a-9f00-000000000027", organisation: "zelforganisatie", offer: OfferDraft(
            name: "Sleutelpersoon: iemand die uw taal spreekt en met u meegaat",
            description: "Een sleutelpersoon van Stichting Samen Sterk komt uit dezelfde gemeenschap als u en spreekt uw taal. "
                + "Hij of zij legt uit hoe dingen in Rijnstad werken en gaat mee naar de eerste afspraak op school, bij het consultatiebureau of bij het CJG. "
                + "U bepaalt zelf waarbij u hulp wilt. Sleutelpersonen spreken onder andere Arabisch, Tigrinya, Amhaars, Dari, Pashto, Somalisch en Turks.",
            kind: "informal", supportType: "practical", forms: ["buddy", "home-visit"],
            themes: ["care-system", "school-system", "child-protection-fears", "two-cultures", "family-reunification"],
            suitsSituations: ["status-holder", "family-reunification", "asylum-seeker", "undocumented", "low-literacy"],
            languages: ["nl", "ar", "ti", "am", "fa", "ps", "so", "tr"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 1, serviceAreas: ["municipality"], locations: [samenSterk],
            frequency: "ongoing", frequencyNote: "zo lang als nodig, in uw eigen tempo",
            contactName: "Samira Haddad", contactPhone: "071 555 0181", contactEmail: "sleutelpersonen@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-11-02",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "trained-staff", "involves-fathers"], funding: "civic-integration")),

        // 28 — Mother-tongue psychosocial help (like Re-care and Helping Hands, R5).
        DemoOffer(id: "5a0e0c1e-0028-4c3a-9f00-000000000028", organisation: "zelforganisatie", offer: OfferDraft(
            name: "Gesprekken in uw eigen taal bij zorgen en stress",
            description: "Soms drukt wat u heeft meegemaakt zwaar op het gezin, of is het thuis na de gezinshereniging anders dan u hoopte. "
                + "Getrainde ervaringsdeskundigen met een eigen migratieachtergrond praten met u in uw eigen taal over stress, slecht slapen, ruzie thuis en zorgen om uw kinderen. "
                + "De gesprekken zijn bij u thuis of in het ontmoetingscentrum. Is er meer hulp nodig, dan zoeken zij die samen met u.",
            kind: "informal", supportType: "parenthood", forms: ["individual", "home-visit"],
            themes: ["mental-health", "family-reunification", "parenting-confidence", "worried-about-child"],
            suitsSituations: ["family-reunification", "parent-mental-health", "ex-uam"],
            languages: ["ar", "ti", "fa", "ckb", "so"],
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality", "region"], locations: [samenSterk],
            frequency: "fortnightly", frequencyNote: "elke week of om de twee weken, in overleg",
            capacity: 10, freePlaces: 1,
            contactName: "Farid Ahmadi", contactPhone: "071 555 0182", contactEmail: "moedertaal@example.org",
            activeFrom: "2025-04-01", lastChecked: "2026-10-27",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "trained-staff"], funding: "health")),

        // 29 — Somali-language support (like Iftin in Amsterdam, R5).
        DemoOffer(id: "5a0e0c1e-0029-4c3a-9f00-000000000029", organisation: "zelforganisatie", offer: OfferDraft(
            name: "Somalisch ouderpunt: vragen over opgroeien in uw eigen taal",
            description: "Somalische ouders kunnen hier terecht met vragen over school, puberteit, geloof en opvoeden in Nederland. "
                + "Medewerkers die Somalisch spreken komen bij u thuis en gaan mee naar gesprekken op school. "
                + "Elke maand is er een ochtend voor moeders en een avond voor vaders. Het ouderpunt werkt samen met het CJG en de scholen en helpt u verder als er meer nodig is.",
            kind: "informal", supportType: "parenthood", forms: ["home-visit", "group", "individual"],
            themes: ["school-system", "two-cultures", "religion", "puberty", "discrimination", "child-protection-fears"],
            languages: ["so", "nl"],
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [samenSterk],
            days: ["SA"], opensAt: "10:00", closesAt: "12:30", frequency: "monthly",
            frequencyNote: "huisbezoeken in overleg; elke maand een ochtend voor moeders en een avond voor vaders",
            capacity: 20, freePlaces: 8,
            contactName: "Somalisch ouderpunt", contactPhone: "071 555 0183", contactEmail: "ouderpunt.somalisch@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-10-27",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
                      "trained-staff", "involves-fathers", "visual-material"], funding: "participation")),

        // 30 — A mothers' morning in the mosque (R1: places where parents already are).
        DemoOffer(id: "5a0e0c1e-0030-4c3a-9f00-000000000030", organisation: "zelforganisatie", offer: OfferDraft(
            name: "Moederochtend in de moskee: opgroeien, geloof en het leven in Nederland",
            description: "Eén zaterdag per maand praten moeders in de moskee met elkaar over hun kinderen, over geloof en over het leven in Nederland. "
                + "Een sleutelpersoon van Samen Sterk leidt het gesprek in het Arabisch en het Turks; soms vertelt een medewerker van het CJG of de school iets. "
                + "Kinderen spelen ondertussen in de zaal ernaast, met toezicht.",
            kind: "informal", supportType: "parenthood", forms: ["group"],
            themes: ["religion", "two-cultures", "puberty", "parenting-confidence", "discrimination"],
            audience: "mothers", languages: ["ar", "tr"],
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [moskee],
            days: ["SA"], opensAt: "10:30", closesAt: "12:00", frequency: "monthly",
            frequencyNote: "elke eerste zaterdag van de maand", capacity: 20, freePlaces: 8, childcare: true,
            contactName: "Samira Haddad", contactPhone: "071 555 0181", contactEmail: "sleutelpersonen@example.org",
            activeFrom: "2025-02-01", lastChecked: "2026-10-27",
            culture: ["own-language", "familiar-place", "separate-mothers-fathers", "demand-led", "refers-on", "flexible", "childcare"], funding: "other")),

        // 31 — Home-Start (R5): recognised as effective according to good indications (2019); full, with a waiting list.
        DemoOffer(id: "5a0e0c1e-0031-4c3a-9f00-000000000031", organisation: "homestart", offer: OfferDraft(
            name: "Home-Start: een vrijwilliger bij u thuis",
            description: "Een ervaren vrijwilliger, zelf ook ouder, komt één keer per week een dagdeel bij u thuis. "
                + "U bepaalt samen waarmee: praten over de kinderen, samen naar het consultatiebureau, spelen met de kinderen of de weg vinden in de wijk. "
                + "Voor gezinnen met minstens één kind tot en met 6 jaar. De vrijwilliger komt een paar maanden tot anderhalf jaar.",
            kind: "informal", supportType: "parenthood", forms: ["home-visit", "buddy"],
            themes: ["parenting-confidence", "care-system", "responsive-talking"],
            suitsSituations: ["single-parent", "young-parent", "status-holder"],
            languages: ["nl", "en", "ar"],
            minimumAge: 0, maximumAge: 6, phase: 2, serviceAreas: ["municipality"],
            frequency: "weekly", frequencyNote: "één dagdeel per week, een paar maanden tot anderhalf jaar",
            capacity: 25, freePlaces: 0, waitingList: true, evidence: "good-indications",
            contactName: "Coördinator Home-Start Rijnstad", contactPhone: "071 555 0195", contactEmail: "homestart.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-10-13",
            culture: ["demand-led", "flexible", "familiar-place", "refers-on", "trained-staff"], funding: "prevention")),

        // 32 — Steunouder (R5): a child cared for 1–2 part-days a week by a volunteer family.
        DemoOffer(id: "5a0e0c1e-0032-4c3a-9f00-000000000032", organisation: "homestart", offer: OfferDraft(
            name: "Steunouder: een vast adres waar uw kind welkom is",
            description: "Een vrijwillige steunouder zorgt één of twee dagdelen per week voor uw kind, bij de steunouder thuis. "
                + "U heeft dan even tijd voor uzelf, voor de inburgering of voor uw andere kinderen, en uw kind krijgt er een vertrouwd adres bij. "
                + "De coördinator zoekt een steunouder die bij uw gezin past en houdt contact met u.",
            kind: "informal", supportType: "practical", forms: ["respite"],
            themes: ["parenting-confidence", "mental-health"],
            suitsSituations: ["single-parent", "parent-mental-health", "young-parent"],
            languages: ["nl"],
            phase: 2, serviceAreas: ["municipality"],
            frequency: "weekly", frequencyNote: "één of twee dagdelen per week",
            capacity: 6, freePlaces: 2,
            contactName: "Coördinator Steunouder", contactPhone: "071 555 0196", contactEmail: "steunouder.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-10-13",
            culture: ["flexible", "demand-led", "familiar-place"], funding: "prevention")),

        // 33 — Buurtgezin (R5): a coordinator pairs the family with a steady family nearby.
        DemoOffer(id: "5a0e0c1e-0033-4c3a-9f00-000000000033", organisation: "homestart", offer: OfferDraft(
            name: "Buurtgezin: een gezin in de buurt dat met u meeleeft",
            description: "Een coördinator koppelt uw gezin aan een stabiel gezin bij u in de buurt, het steungezin. "
                + "Uw kinderen spelen of eten af en toe bij het steungezin, en u heeft iemand dichtbij om mee te praten. "
                + "Het contact is gewoon en gelijkwaardig, zoals bij goede buren; u spreekt samen af hoe vaak u elkaar ziet.",
            kind: "informal", supportType: "parenthood", forms: ["buddy", "respite"],
            themes: ["parenting-confidence", "two-cultures", "leisure"],
            suitsSituations: ["single-parent", "status-holder"],
            languages: ["nl", "en"],
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"],
            frequency: "weekly", frequencyNote: "in overleg, vaak één keer per week",
            capacity: 10, freePlaces: 4,
            contactName: "Coördinator Buurtgezin", contactPhone: "071 555 0197", contactEmail: "buurtgezin.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-10-13",
            culture: ["demand-led", "flexible", "familiar-place"])),

        // 34 — Taalmaatjes (R5, R39: contact with Dutch residents).
        DemoOffer(id: "5a0e0c1e-0034-4c3a-9f00-000000000034", organisation: "taalmaatjes", offer: OfferDraft(
            name: "Taalmaatje: Nederlands oefenen met een buurtbewoner",
            description: "Een vrijwilliger uit Rijnstad spreekt elke week ongeveer een uur met u af om Nederlands te oefenen. "
                + "U praat over gewone dingen, zoals de boodschappen, een brief van school of een gesprek met de juf. "
                + "Zo leert u de taal en de stad kennen en heeft u iemand om vragen aan te stellen.",
            kind: "informal", supportType: "practical", forms: ["buddy"],
            themes: ["multilingualism", "school-system", "two-cultures"],
            suitsSituations: ["single-parent", "low-literacy", "status-holder", "family-reunification"],
            languages: ["nl"],
            phase: 2, serviceAreas: ["municipality"], locations: [bibliotheek],
            frequency: "weekly", frequencyNote: "één uur per week, minstens een half jaar",
            capacity: 40, freePlaces: 11,
            contactName: "Taalmaatjes Rijnstad", contactPhone: "071 555 0198", contactEmail: "taalmaatjes.rijnstad@example.org",
            activeFrom: "2025-01-01", lastChecked: "2026-09-26",
            culture: ["flexible", "demand-led"], funding: "participation")),

        // 35 — Reading café for parents and young children, also in Polish and Ukrainian.
        DemoOffer(id: "5a0e0c1e-0035-4c3a-9f00-000000000035", organisation: "taalmaatjes", offer: OfferDraft(
            name: "Voorleescafé voor ouders en jonge kinderen in de bibliotheek",
            description: "Elke zaterdagochtend kunt u zonder afspraak met uw jonge kinderen naar de bibliotheek komen. "
                + "Vrijwilligers lezen voor in het Nederlands, en er zijn ook boeken en vrijwilligers in het Pools en het Oekraïens. "
                + "U hoort hoe u thuis in uw eigen taal kunt voorlezen en praten, want dat helpt uw kind ook bij het leren van Nederlands.",
            kind: "informal", supportType: "parenting", forms: ["drop-in"],
            themes: ["multilingualism", "responsive-talking", "leisure"],
            suitsSituations: ["eu-labour-migrant"],
            languages: ["nl", "pl", "uk"],
            minimumAge: 0, maximumAge: 6, phase: 2, serviceAreas: ["municipality"], locations: [bibliotheek],
            days: ["SA"], opensAt: "10:00", closesAt: "11:30", frequency: "weekly",
            frequencyNote: "elke zaterdagochtend, zonder afspraak",
            contactName: "Taalmaatjes Rijnstad", contactPhone: "071 555 0198", contactEmail: "taalmaatjes.rijnstad@example.org",
            activeFrom: "2025-09-01", lastChecked: "2026-09-26",
            culture: ["own-language", "familiar-place", "visual-material", "flexible"], funding: "participation")),

        // 37 — R21/R25/R26 group series in the parents' own languages: the planner decides from the waiting demand how
        // many series, in which languages, for mothers or for fathers (the demo of issue 14's "Done when").
        DemoOffer(id: "5a0e0c1e-0037-4c3a-9f00-000000000037", organisation: "vluchtelingenhulp", offer: OfferDraft(
            name: "Oudergroepen in de eigen taal: opgroeien in Nederland",
            description: "Vijf bijeenkomsten voor 8 tot 15 moeders of vaders die dezelfde taal spreken: Tigrinya, Arabisch, Perzisch, "
                + "Somalisch of Oekraïens. U krijgt informatie en tips over de school, gezondheid, opvoeden tussen twee culturen "
                + "en waar u terechtkunt met vragen over uw kind, en u ontmoet andere ouders. Een trainer en een sleutelpersoon "
                + "die uw taal spreekt, leiden de groep. Alle ouders die kort in Rijnstad wonen, worden uitgenodigd. "
                + "Er is opvang voor uw kinderen.",
            kind: "formal", supportType: "information", forms: ["group"],
            themes: ["school-system", "sexual-health", "parenting-confidence", "two-cultures", "child-health", "care-system"],
            suitsSituations: ["status-holder", "family-reunification"],
            audience: "mixed", languages: ["ti", "ar", "fa", "so", "uk"], bridgeKeyPerson: true,
            minimumAge: 0, maximumAge: 17, phase: 2, serviceAreas: ["municipality"], locations: [deBrug],
            days: ["WE"], opensAt: "09:30", closesAt: "11:30", sessions: 5, frequency: "weekly",
            frequencyNote: "vijf ochtenden achter elkaar; het aantal groepen en hun talen volgen uit wie er wacht",
            capacity: 15, freePlaces: 15, waitingList: true, childcare: true,
            contactName: "Tamar Bakker", contactPhone: "071 555 0111", contactEmail: "ouderbijeenkomsten@example.org",
            activeFrom: "2026-09-01", lastChecked: "2026-11-20",
            culture: ["own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
                      "childcare", "visual-material", "trained-staff"], funding: "civic-integration")),
    ]
}
