import Foundation
import WegwijsCore

/// Generates the families of `seed synthetic` as stories over the years (issue 15, item 8): who they are and
/// where they come from, when they arrived and settled, their intake and screenings, their questions (needs), the
/// family plan through its phases and the welcome package, contact moments with the case manager and the key
/// person, signals, referrals through their states (`SyntheticReferrals`), and group series with invitations,
/// attendance and evaluations (`SyntheticGroups`). Every row is made the way the application itself would have
/// made it — the same codes, the same derived rows (family languages, list keys, consents behind referrals, group
/// waiting entries) — so the reports, lists and checks read it as real data.
///
/// Deterministic: family `i` of a run draws from its own random source, seeded from the run's seed and `i`, so the
/// same seed gives the same families whatever the batch size. Only the ids (time-ordered) differ between runs.
final class SyntheticGenerator: @unchecked Sendable {
    // Used by one task at a time: the seeder generates batch k+1 while batch k is written, never two at once.
    let world: SyntheticWorld
    let dialect: SyntheticDialect
    var ids: SyntheticIDs
    var groups: SyntheticGroups
    /// Families already in the database when the run began: the first index of this run.
    let offset: Int
    let families: Int
    /// `--referrals`: exactly this many in all, spread by quota.
    let referralTotal: Int?
    private var tokenCache: [String: [String]] = [:]
    private var nameKeyCache: [String: String] = [:]

    init(world: SyntheticWorld, options: SyntheticOptions, offset: Int, startMilliseconds: UInt64) {
        self.world = world
        dialect = world.dialect
        ids = SyntheticIDs(startMilliseconds: startMilliseconds, seed: options.seed &+ UInt64(offset))
        groups = SyntheticGroups(world: world, salt: UInt64(offset))
        self.offset = offset
        families = options.families
        referralTotal = options.referrals
    }

    /// The rows of families `range` (indexes within this run).
    func batch(_ range: Range<Int>) -> SyntheticBatch {
        var batch = SyntheticBatch(dialect: dialect)
        batch.familyIDs.reserveCapacity(range.count)
        for index in range { family(index, into: &batch) }
        batch.finish()
        return batch
    }

    /// What only the end of the run knows: the evaluations of the series that have finished.
    func finish() -> SyntheticBatch {
        var batch = SyntheticBatch(dialect: dialect)
        groups.evaluations(into: &batch, ids: &ids)
        batch.finish()
        return batch
    }

    // MARK: - one family

    struct Parent {
        let id: SyntheticID
        let female: Bool
        let language: String
        let languages: [String]
    }

    /// What the referral and group stories of a family need to know of it.
    struct FamilyContext {
        let id: SyntheticID
        let reference: String
        let language: String
        let interpreter: Bool
        let parents: [Parent]
        let children: [SyntheticID]
        let keyPerson: SyntheticWorld.Person?
        let socialWorker: SyntheticWorld.Person?
        let settled: Int
        let intake: Int
        /// The last day of the story: the closing day, or today.
        let end: Int
        let closed: Bool
    }

    struct NeedInfo {
        let id: SyntheticID
        let theme: String
        let priority: Int
        let opened: Int
        let closed: Int?
        let raisedBy: SyntheticID?
    }

    private func tokens(_ name: String) -> [String] {
        if let known = tokenCache[name] { return known }
        let made = NameTokens.tokens(of: name)
        tokenCache[name] = made
        return made
    }

    /// The phonetic key of a token (`NameKey`), as `FamilyListKeys.keys` makes it; names repeat, so remembered.
    private func nameKey(_ token: String) -> String {
        if let known = nameKeyCache[token] { return known }
        let made = NameKey.key(of: token)
        nameKeyCache[token] = made
        return made
    }

    /// A moment on `day` during working hours.
    static func moment(_ day: Int, _ rng: inout SplitMix64) -> Int { day * 86_400 + (7 + rng.int(9)) * 3_600 + rng.int(60) * 60 }

    private func family(_ index: Int, into batch: inout SyntheticBatch) {
        let w = world
        let n = offset + index
        var rng = SplitMix64(seed: w.seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(n) &* 0xD1B5_4A32_D192_ED03)
        let origin = SyntheticNames.origins[rng.pick(cumulative: SyntheticNames.cumulative)]
        let span = w.today - w.start
        // Slightly more families in recent years.
        let settled = w.start + Int(Double(span - 7) * pow(rng.unit(), 0.85))
        let fid = ids.make()
        let reference = Self.reference(n)

        // Situations (vocabulary.md) as they go together.
        var situations: [String] = []
        let ukrainian = origin.country == "UA"
        let asylum = origin.refugee && !ukrainian && rng.chance(0.10)
        if asylum { situations.append(Situation.asylumSeeker.rawValue) }
        else if origin.refugee && !ukrainian { situations.append(Situation.statusHolder.rawValue) }
        let reunification = origin.refugee && !ukrainian && !asylum && rng.chance(0.28)
        if reunification { situations.append(Situation.familyReunification.rawValue) }
        let exUAM = origin.refugee && !ukrainian && rng.chance(0.03)
        if exUAM { situations.append(Situation.exUam.rawValue) }
        let undocumented = origin.euMigrant && rng.chance(0.07)
        if origin.euMigrant && (undocumented || rng.chance(0.92)) { situations.append(Situation.euLabourMigrant.rawValue) }
        if undocumented { situations.append(Situation.undocumented.rawValue) }
        let single = rng.chance(ukrainian ? 0.45 : 0.14)
        if single { situations.append(Situation.singleParent.rawValue) }
        let young = exUAM || rng.chance(0.07)
        if young { situations.append(Situation.youngParent.rawValue) }
        let pregnant = rng.chance(0.07)
        if pregnant { situations.append(Situation.pregnant.rawValue) }
        let lowLiteracy = rng.chance(origin.lowLiteracy)
        if lowLiteracy { situations.append(Situation.lowLiteracy.rawValue) }
        if rng.chance(0.05) { situations.append(Situation.parentMentalHealth.rawValue) }

        // When they came: arrival before settlement (time in reception), reunited members later.
        let arrival: Int
        if asylum { arrival = settled } else if origin.refugee && !ukrainian { arrival = settled - rng.int(60, 540) }
        else { arrival = settled - rng.int(0, 45) }
        let intake = min(w.today - 1, settled + (asylum ? rng.int(7, 60) : rng.int(3, 42)))
        let elapsed = w.today - intake
        let closeChance = elapsed > 900 ? 0.6 : elapsed > 540 ? 0.35 : elapsed > 270 ? 0.12 : 0.02
        let closed = elapsed > 120 && rng.chance(closeChance)
        let closedDay = closed ? intake + rng.int(max(90, elapsed * 2 / 5), elapsed) : nil
        let end = closedDay ?? w.today

        // Members: parents first, then children (as the intake form lists them).
        let motherAge = young ? rng.int(18, 22) : rng.int(23, 44)
        let fatherAge = motherAge + rng.int(0, 8)
        var parentDrafts: [(female: Bool, age: Int)] = []
        if single { parentDrafts.append((rng.chance(0.88), motherAge)) } else { parentDrafts = [(true, motherAge), (false, fatherAge)] }
        let childCount = young ? rng.int(1, 2) : min(6, 1 + Int(-log(1 - rng.unit() * 0.999) / 0.8))
        let surname = rng.pick(origin.surnames)
        let secondSurname = origin.ownNames ? rng.pick(origin.surnames) : surname
        var memberRows: [(id: SyntheticID, given: String, familyName: String, female: Bool, parent: Bool)] = []
        var parents: [Parent] = []
        var memberJSON: [String] = []
        var children: [SyntheticID] = []
        let firstLanguage = origin.language
        var familyLanguages: [String] = []
        var nameParts: [String] = []
        let householdName = origin.ownNames && parentDrafts.count == 2 ? "\(surname) / \(secondSurname)" : surname
        nameParts.append(householdName)
        let created = Self.moment(intake, &rng)
        // Reunited members (nareizigers, R12) arrive later than the first; the family settled with the first.
        let reunitedArrival = reunification ? min(w.today - 1, settled + rng.int(60, 420)) : nil
        let level: (Int) -> String? = { arrived in
            let years = Double(w.today - arrived) / 365
            if origin.euMigrant { return years > 2 ? "A1" : "none" }
            return years < 0.5 ? "none" : years < 1.5 ? "A1" : years < 3 ? "A2" : "B1"
        }
        for (position, draft) in parentDrafts.enumerated() {
            let mid = ids.make()
            let given = draft.female ? rng.pick(origin.female) : rng.pick(origin.male)
            let familyName = position == 0 ? surname : secondSurname
            var spoken = [firstLanguage]
            for (language, p) in origin.otherLanguages where rng.chance(p) { spoken.append(language) }
            if w.today - arrival > 700 && rng.chance(0.35) { spoken.append("nl") }
            let read = lowLiteracy ? [] : spoken.filter { _ in rng.chance(0.9) }
            // In a reunited family the father came first; the mother and the children followed (nareizigers).
            let parentArrival = parentDrafts.count == 2 && draft.female ? (reunitedArrival ?? arrival) : arrival
            let settlement: Int? = asylum || undocumented ? nil : max(settled, parentArrival)
            batch.begin(.members)
            batch.id(mid); batch.int(1); batch.text(MemberRole.parent.rawValue); batch.text(given); batch.text(familyName)
            batch.text(draft.female ? "female" : "male"); batch.null()
            batch.int(SyntheticDays.year(settled) - draft.age); batch.text(origin.country)
            batch.text(level(parentArrival)); batch.day(parentArrival); batch.day(settlement); batch.null()
            batch.int(position); batch.id(fid); batch.id(w.municipality); batch.time(created); batch.time(created)
            batch.end()
            batch.codes(.spokenLanguages, owner: mid, spoken)
            batch.codes(.readLanguages, owner: mid, read)
            var json = SyntheticJSON()
            json.id("id", mid); json.string("role", MemberRole.parent.rawValue); json.string("givenName", given)
            json.string("familyName", familyName); json.string("gender", draft.female ? "female" : "male")
            json.int("birthYear", SyntheticDays.year(settled) - draft.age); json.string("countryOfOrigin", origin.country)
            json.strings("languagesSpoken", CodeList.unique(spoken)); json.strings("languagesRead", CodeList.unique(read))
            json.string("dutchLevel", level(parentArrival)); json.day("arrivalDate", parentArrival); json.day("settlementDate", settlement)
            json.bool("hasBsn", false); json.int("version", 1)
            memberJSON.append(json.object)
            familyLanguages += spoken + read
            parents.append(Parent(id: mid, female: draft.female, language: firstLanguage, languages: spoken))
            memberRows.append((mid, given, familyName, draft.female, true))
            nameParts.append(given)
            if familyName != householdName { nameParts.append(familyName) }
        }
        let fatherName = zip(parentDrafts, memberRows).first { !$0.0.female }?.1.given
        var teenagers = false
        for position in 0..<childCount {
            let mid = ids.make()
            let female = rng.chance(0.5)
            let given = female ? rng.pick(origin.female) : rng.pick(origin.male)
            // Eritrean and Ethiopian children carry their father's first name.
            let familyName = origin.ownNames ? (fatherName ?? surname) : surname
            let age = rng.int(0, max(0, min(17, motherAge - 17)))
            if age >= 11 { teenagers = true }
            let born = max(settled - age * 365 - rng.int(0, 364), SyntheticDays.day(1990, 1, 1))
            let childArrival = reunitedArrival ?? arrival
            let school: String? = age >= 4 && rng.chance(0.3) ? (age >= 12 ? "ISK Rijnstad" : "Basisschool De Regenboog")
                : age >= 2 && age < 4 && rng.chance(0.3) ? "Peuterspeelzaal Zonnestraal" : nil
            batch.begin(.members)
            batch.id(mid); batch.int(1); batch.text(MemberRole.child.rawValue); batch.text(given); batch.text(familyName)
            batch.text(female ? "female" : "male"); batch.day(born); batch.int(SyntheticDays.year(born)); batch.text(origin.country)
            batch.null(); batch.day(max(born, min(childArrival, w.today - 1))); batch.day(asylum || undocumented ? nil : max(settled, childArrival))
            batch.text(school); batch.int(parentDrafts.count + position); batch.id(fid); batch.id(w.municipality)
            batch.time(created); batch.time(created)
            batch.end()
            var json = SyntheticJSON()
            json.id("id", mid); json.string("role", MemberRole.child.rawValue); json.string("givenName", given)
            json.string("familyName", familyName); json.string("gender", female ? "female" : "male"); json.day("birthDate", born)
            json.int("birthYear", SyntheticDays.year(born)); json.string("countryOfOrigin", origin.country)
            json.strings("languagesSpoken", []); json.strings("languagesRead", [])
            json.day("arrivalDate", max(born, min(childArrival, w.today - 1)))
            json.day("settlementDate", asylum || undocumented ? nil : max(settled, childArrival)); json.string("schoolOrChildcare", school)
            json.bool("hasBsn", false); json.int("version", 1)
            memberJSON.append(json.object)
            children.append(mid)
            memberRows.append((mid, given, familyName, female, false))
            nameParts.append(given)
            if familyName != householdName { nameParts.append(familyName) }
        }

        // Who works with the family: the case manager always; a key person who speaks the language from the first
        // talk (R35) for most refugee families; a social worker for some status holders.
        let keyPerson: SyntheticWorld.Person?
        if let benchmark = w.benchmarkKeyPerson, index % w.keyShare == 0 { keyPerson = benchmark }
        else if rng.chance(origin.refugee ? 0.72 : 0.28), let pool = w.keyPersons[firstLanguage], !pool.isEmpty {
            keyPerson = pool[rng.int(pool.count)]
        } else { keyPerson = nil }
        let socialWorker = origin.refugee && !asylum && rng.chance(0.35) ? w.socialWorker : nil
        let interpreter = parents.allSatisfy { !$0.languages.contains("nl") } && rng.chance(0.8)
        let context = FamilyContext(id: fid, reference: reference, language: firstLanguage, interpreter: interpreter,
                                    parents: parents, children: children, keyPerson: keyPerson, socialWorker: socialWorker,
                                    settled: settled, intake: intake, end: end, closed: closed)

        // Screenings and the needs they open (IntakeService.createScreening: a new theme opens a need, a known one
        // keeps its highest priority).
        var needs: [NeedInfo] = []
        var lastChange = created
        if let instrument = w.instrument {
            needs = screenings(context, instrument: instrument, origin: origin, pregnant: pregnant, teenagers: teenagers,
                               reunification: reunification, lastChange: &lastChange, rng: &rng, into: &batch)
        }
        // A need raised by staff now and then.
        if rng.chance(0.08), intake + 30 < end {
            let day = rng.int(intake + 7, end)
            let theme = rng.pick(origin.themes)
            let need = NeedInfo(id: ids.make(), theme: theme, priority: rng.int(1, 3), opened: day,
                                closed: closed ? closedDay : nil, raisedBy: nil)
            emitNeed(need, source: .staff, family: fid, rng: &rng, into: &batch)
            needs.append(need)
        }

        // Referrals: the JGZ home visit soon after settlement (R7/R19), then the family's pressing questions.
        let quota: Int? = referralTotal.map { total -> Int in
            let share = { (k: Int) in Int((Int64(k) * Int64(total)) / Int64(max(1, self.families))) }
            return share(index + 1) - share(index)
        }
        let referrals = referralStories(context, needs: needs, quota: quota, lastChange: &lastChange, rng: &rng, into: &batch)

        // Contact moments: often in the first months, then less (R38: the lead stays the one point of contact).
        contacts(context, lastChange: &lastChange, rng: &rng, into: &batch)
        signals(context, lastChange: &lastChange, rng: &rng, into: &batch)
        if keyPerson != nil, let selfOrganisation = w.organisations.firstIndex(where: { $0.type == OrganisationType.migrantSelfOrganisation.rawValue }) {
            // The consent for the key person's support (the self-organisation may know the family).
            let cid = ids.make()
            batch.begin(.consents)
            batch.id(cid); batch.int(1); batch.text(ConsentPurpose.keyPersonSupport.rawValue)
            batch.text(interpreter ? "ouders, met de sleutelpersoon als tolk" : "ouders"); batch.day(intake); batch.id(fid)
            batch.id(w.municipality); batch.id(w.organisations[selfOrganisation].id); batch.id(w.lead.id); batch.time(created)
            batch.end()
            batch.codes(.consentCategories, owner: cid, [DataCategory.languages.rawValue, DataCategory.children.rawValue,
                                                         DataCategory.contactDetails.rawValue])
        }

        // Group series: every newly settled parent is invited (R26), more of them in later years.
        groupInvitations(context, rng: &rng, lastChange: &lastChange, into: &batch)

        // The family plan (its phases, the welcome package, the JGZ visit, the offers chosen).
        plan(context, referrals: referrals, rng: &rng, lastChange: &lastChange, into: &batch)

        // The family row last: its `updated_at` is its last change. Closing it raised its version.
        let closedAt = closedDay.map { Self.moment($0, &rng) }
        let updated = max(lastChange, closedAt ?? created)
        let postcode = "23\(10 + rng.int(12)) \(["AA", "AB", "AC", "BD", "CE", "KL", "MN", "RS"][rng.int(8)])"
        let address = rng.chance(0.85) ? "\(["Lindelaan", "Havenkade", "Molenstraat", "Polderweg", "Brugstraat", "Kastanjeplein", "Rijnhof"][rng.int(7)]) \(rng.int(1, 180))" : nil
        let preference = keyPerson != nil && rng.chance(0.4) ? ContactPreference.viaKeyPerson.rawValue
            : rng.chance(0.6) ? ContactPreference.phone.rawValue : ContactPreference.messaging.rawValue
        let status = closed ? FamilyStatus.closed.rawValue : FamilyStatus.active.rawValue
        let closedReason = closed ? Self.closingReason(&rng) : nil
        let version = closed ? 2 : 1
        batch.begin(.families)
        batch.id(fid); batch.int(version); batch.text(reference); batch.text(householdName); batch.text(address)
        batch.text(postcode); batch.text(preference); batch.text(nameParts.joined(separator: " ").lowercased()); batch.text(status)
        batch.text(closedReason); batch.id(w.municipality); batch.id(w.lead.id); batch.id(keyPerson?.id); batch.id(socialWorker?.id)
        batch.time(created); batch.time(updated)
        // The profile (`Family.profileOrigin`, `profileLanguage`): the first parent's origin and first language.
        batch.text(origin.country); batch.text(firstLanguage)
        batch.end()
        let uniqueSituations = CodeList.unique(situations)
        let uniqueLanguages = CodeList.unique(familyLanguages)
        // The list's JSON, as FamilyListJSON would write it, with the family's version and time.
        var json = SyntheticJSON()
        json.id("id", fid); json.string("reference", reference); json.string("municipality", w.municipalityCode)
        json.string("name", householdName); json.string("status", status); json.string("closedReason", closedReason)
        json.string("address", address); json.string("postcode", postcode); json.string("contactPreference", preference)
        json.strings("situations", uniqueSituations); json.strings("languages", uniqueLanguages)
        json.id("caseManagerId", w.lead.id); json.id("keyPersonId", keyPerson?.id); json.id("socialWorkerId", socialWorker?.id)
        json.raw("members", "[" + memberJSON.joined(separator: ",") + "]"); json.int("version", version)
        json.time("createdAt", created); json.time("updatedAt", updated)
        batch.begin(.listJSON)
        batch.id(fid); batch.int(version); batch.time(updated); batch.text(json.object); batch.null()
        batch.end()
        batch.codes(.familyLanguages, owner: fid, uniqueLanguages)
        batch.codes(.familySituations, owner: fid, uniqueSituations)
        // The list keys, as FamilyListKeys.keys makes them: name tokens (the reference's too) and their name keys,
        // languages, situations, each once.
        var seen = Set<String>()
        var nameTokens: [String] = []
        for part in nameParts + [reference] { for token in tokens(part) where seen.insert(token).inserted { nameTokens.append(token) } }
        let nameKeys = nameTokens.map(nameKey).filter { !$0.isEmpty }
        for (kind, codes) in [(FamilyListKeys.Kind.name, nameTokens), (.nameKey, nameKeys), (.language, uniqueLanguages),
                              (.situation, uniqueSituations)] {
            var kindSeen = Set<String>()
            for code in codes where kindSeen.insert(code).inserted {
                batch.begin(.listKeys); batch.id(fid); batch.text(kind.rawValue); batch.text(code); batch.id(w.municipality)
                batch.text(householdName); batch.end()
            }
        }
        batch.familyIDs.append(fid.uuid)
    }

    static func closingReason(_ rng: inout SplitMix64) -> String {
        let u = rng.unit()
        let reason: ClosingReason = u < 0.40 ? .supportCompleted : u < 0.70 ? .regularServices : u < 0.88 ? .movedAway
            : u < 0.95 ? .familyDeclined : .other
        return reason.rawValue
    }

    /// `W-XXXX-XXXX`, unique per family index: the index through a bijection of 40 bits, in the reference alphabet.
    static func reference(_ n: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let mask: UInt64 = (1 << 40) - 1
        var x = (UInt64(n) &* 0x9E_3779_B97F) & mask
        x ^= x >> 20
        x = (x &* 0x5_DEEC_E66D) & mask
        x ^= x >> 17
        var chars: [Character] = []
        for i in 0..<8 { chars.append(alphabet[Int(x >> UInt64(35 - 5 * i) & 31)]) }
        return "W-" + String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    // MARK: - screenings and needs

    private func screenings(_ f: FamilyContext, instrument: SyntheticWorld.Instrument, origin: SyntheticNames.Origin,
                            pregnant: Bool, teenagers: Bool, reunification: Bool, lastChange: inout Int,
                            rng: inout SplitMix64, into batch: inout SyntheticBatch) -> [NeedInfo] {
        guard rng.chance(0.93) else { return [] }
        var days = [f.intake]
        var next = f.intake + rng.int(84, 140)
        while next <= f.end, days.count < 6, rng.chance(0.55) {
            days.append(next)
            next += rng.int(84, 160)
        }
        // The family's themes as they change from screening to screening.
        var themes: [String: Int] = [:]
        let themeItem = instrument.items.first { $0.type == .themes }
        let options = Set(themeItem?.options ?? [])
        func priority() -> Int { let u = rng.unit(); return u < 0.35 ? 1 : u < 0.75 ? 2 : 3 }
        let shuffled = origin.themes.shuffled(using: &rng)
        var wanted = Array(shuffled.prefix(rng.int(1, 3)))
        if pregnant { wanted.append(Theme.pregnancyBirth.rawValue) }
        if reunification && rng.chance(0.5) { wanted.append(Theme.familyReunification.rawValue) }
        if teenagers && rng.chance(0.4) { wanted.append(Theme.puberty.rawValue) }
        if f.parents.contains(where: { !$0.female }) && rng.chance(0.15) { wanted.append(Theme.fathers.rawValue) }
        if rng.chance(0.3), let any = themeItem?.options?.randomElement(using: &rng) { wanted.append(any) }
        for theme in wanted where options.contains(theme) { themes[theme] = priority() }

        var scales: [String: Int] = [:]
        var lists: [String: Set<String>] = [:]
        var flags: [String: Bool] = [:]
        var choices: [String: String] = [:]
        var open: [String: (id: SyntheticID, priority: Int, opened: Int, raisedBy: SyntheticID?)] = [:]
        var needs: [NeedInfo] = []
        let household = rng.chance(0.8)
        let asksProvisions = instrument.items.contains { $0.id == ProvisionAnswers.knownItem || $0.id == ProvisionAnswers.usedItem }
        for (number, day) in days.enumerated() {
            if number > 0 {
                // Questions answered go, others change, new ones come (R28: change over time is visible).
                for theme in themes.keys.sorted() {
                    if rng.chance(0.35) { themes[theme] = nil } else if rng.chance(0.2) { themes[theme] = max(1, min(3, themes[theme]! + (rng.chance(0.5) ? 1 : -1))) }
                }
                if rng.chance(0.3), let any = (rng.chance(0.6) ? origin.themes.randomElement(using: &rng) : themeItem?.options?.randomElement(using: &rng)),
                   options.contains(any), themes[any] == nil { themes[any] = priority() }
            }
            let by = number == 0 || f.keyPerson == nil || rng.chance(0.6) ? world.lead : f.keyPerson!
            let member = household ? nil : f.parents.first?.id
            var json = "{"
            var first = true
            func key(_ id: String) { if !first { json += "," }; first = false; json += "\"\(id)\":" }
            var safety = false
            for item in instrument.items {
                switch item.type {
                case .themes:
                    key(item.id)
                    json += "{" + themes.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
                case .scale:
                    guard rng.chance(0.92) else { continue }
                    let low = item.min ?? 1, high = item.max ?? 5
                    // Confidence grows a little with time in the municipality.
                    let value = scales[item.id].map { min(high, max(low, $0 + (rng.chance(0.45) ? 1 : rng.chance(0.15) ? -1 : 0))) }
                        ?? rng.int(low, max(low, high - 1))
                    scales[item.id] = value
                    key(item.id); json += String(value)
                case .choice:
                    guard let values = item.options, !values.isEmpty, rng.chance(0.9) else { continue }
                    let value = choices[item.id] ?? values[rng.int(values.count)]
                    choices[item.id] = value
                    key(item.id); json += "\"\(value)\""
                case .multi:
                    guard let values = item.options, !values.isEmpty else { continue }
                    var set = lists[item.id] ?? []
                    if item.id.hasPrefix("stressors") {
                        // What takes energy eases over time.
                        if number == 0 { for value in values where rng.chance(0.22) { set.insert(value) } }
                        else {
                            // In the options' order: a Set's order differs between processes.
                            set = Set(values.filter { set.contains($0) && rng.chance(0.6) })
                            if rng.chance(0.2) { set.insert(values[rng.int(values.count)]) }
                        }
                    } else if item.id == ProvisionAnswers.usedItem {
                        // R48: what parents use they know; use follows knowing, from screening to screening.
                        let known = lists[ProvisionAnswers.knownItem] ?? []
                        for value in values where known.contains(value) && rng.chance(number == 0 ? 0.4 : 0.35) { set.insert(value) }
                    } else {
                        // What parents know (provisions, R48) grows from screening to screening.
                        let p = number == 0 ? 0.2 : 0.3
                        for value in values where rng.chance(p) { set.insert(value) }
                    }
                    lists[item.id] = set
                    key(item.id); json += "[" + values.filter { set.contains($0) }.map { "\"\($0)\"" }.joined(separator: ",") + "]"
                case .yesno:
                    let value: Bool
                    if item.staffOnly == true { value = rng.chance(0.015); safety = safety || (value && item.id == "safety.concern") }
                    else if item.id == "network.co-parent" { value = f.parents.count == 2 }
                    else { value = flags[item.id] ?? rng.chance(0.5) }
                    flags[item.id] = value
                    key(item.id); json += value ? "true" : "false"
                case .language:
                    key(item.id); json += "\"\(f.language)\""
                }
            }
            json += "}"
            let at = Self.moment(day, &rng)
            lastChange = max(lastChange, at)
            let sid = ids.make()
            batch.begin(.screenings)
            batch.id(sid); batch.id(f.id); batch.id(world.municipality); batch.id(member); batch.int(instrument.version)
            batch.text(number == 0 ? "intake" : "guidance"); batch.day(day); batch.text(json); batch.id(by.id); batch.text(by.name)
            batch.time(at)
            batch.end()
            // The typed provisions (ScreeningProvisions, as ProvisionAnswers reads the answers): used counts as known.
            if asksProvisions {
                let used = lists[ProvisionAnswers.usedItem] ?? []
                let known = (lists[ProvisionAnswers.knownItem] ?? []).union(used)
                for provision in Provision.allCases where known.contains(provision.rawValue) {
                    batch.begin(.screeningProvisions)
                    batch.id(sid); batch.text(provision.rawValue); batch.bool(true); batch.bool(used.contains(provision.rawValue))
                    batch.id(f.id); batch.id(world.municipality)
                    batch.end()
                }
            }
            // Needs: a theme gone since the last screening closes its need; a new one opens one.
            for (theme, known) in open.sorted(by: { $0.key < $1.key }) where themes[theme] == nil {
                needs.append(NeedInfo(id: known.id, theme: theme, priority: known.priority, opened: known.opened, closed: day,
                                      raisedBy: known.raisedBy))
                open[theme] = nil
            }
            for (theme, value) in themes.sorted(by: { $0.key < $1.key }) where value > 0 {
                if let known = open[theme] { open[theme] = (known.id, max(known.priority, value), known.opened, known.raisedBy) }
                else { open[theme] = (ids.make(), value, day, member) }
            }
            if safety {
                emitSignal(f, kind: "concern", text: "Signaal over veiligheid uit de screening", by: by, day: day,
                           lastChange: &lastChange, rng: &rng, into: &batch)
            }
        }
        for (theme, known) in open.sorted(by: { $0.key < $1.key }) {
            needs.append(NeedInfo(id: known.id, theme: theme, priority: known.priority, opened: known.opened,
                                  closed: f.closed ? f.end : nil, raisedBy: known.raisedBy))
        }
        needs.sort { ($0.opened, $0.theme) < ($1.opened, $1.theme) }
        for need in needs { emitNeed(need, source: .screening, family: f.id, rng: &rng, into: &batch) }
        return needs
    }

    private func emitNeed(_ need: NeedInfo, source: NeedSource, family: SyntheticID, rng: inout SplitMix64,
                          into batch: inout SyntheticBatch) {
        let opened = Self.moment(need.opened, &rng)
        batch.begin(.needs)
        batch.id(need.id); batch.id(family); batch.id(world.municipality); batch.text(need.theme); batch.int(need.priority)
        batch.text(source.rawValue); batch.id(need.raisedBy)
        batch.text(need.closed == nil ? NeedStatus.open.rawValue : NeedStatus.closed.rawValue)
        batch.int(need.closed == nil ? 1 : 2); batch.time(opened); batch.time(need.closed.map { max(opened, $0 * 86_400 + 50_000) } ?? opened)
        batch.end()
    }

    // MARK: - contacts and signals

    private func contacts(_ f: FamilyContext, lastChange: inout Int, rng: inout SplitMix64, into batch: inout SyntheticBatch) {
        var month = 0
        var day = f.intake
        while day <= f.end {
            let rate = month < 3 ? 1.0 : month < 12 ? 0.35 : 0.1
            var count = Int(rate)
            if rng.chance(rate - Double(count)) { count += 1 }
            for _ in 0..<count {
                let at = day + rng.int(0, 29)
                guard at <= f.end else { continue }
                let u = rng.unit()
                let by: SyntheticWorld.Person
                let mode: String
                if let keyPerson = f.keyPerson, u < 0.38 {
                    by = keyPerson
                    mode = rng.chance(0.5) ? "home-visit" : rng.chance(0.5) ? "phone" : "location"
                } else if let worker = f.socialWorker, u < 0.48 {
                    by = worker
                    mode = rng.chance(0.6) ? "home-visit" : "phone"
                } else {
                    by = world.lead
                    let v = rng.unit()
                    mode = f.keyPerson != nil && v < 0.25 ? "via-key-person" : v < 0.45 ? "phone" : v < 0.75 ? "location"
                        : v < 0.95 ? "home-visit" : "group"
                }
                let moment = Self.moment(at, &rng)
                lastChange = max(lastChange, moment)
                batch.begin(.contacts)
                batch.id(ids.make()); batch.id(f.id); batch.id(world.municipality); batch.time(moment); batch.id(by.id)
                batch.text(by.name); batch.text(mode); batch.id(rng.chance(0.5) ? f.parents.first?.id : nil)
                batch.text(by.role == Role.keyPerson.rawValue ? f.language : (f.interpreter ? f.language : "nl"))
                batch.bool(by.role != Role.keyPerson.rawValue && f.interpreter && rng.chance(0.7)); batch.time(moment)
                batch.end()
            }
            month += 1
            day += 30
        }
    }

    private func signals(_ f: FamilyContext, lastChange: inout Int, rng: inout SplitMix64, into batch: inout SyntheticBatch) {
        guard rng.chance(0.04), f.intake + 14 < f.end else { return }
        let texts = ["Zorgen over de slaap van een kind", "Vraag over schoolkeuze voor de oudste", "Moeder lijkt erg moe en alleen",
                     "Vraag over inentingen", "Kind komt vaak niet op school", "Geldzorgen rond de huur"]
        let by = f.keyPerson ?? world.organisations.first.map(\.partner) ?? world.lead
        emitSignal(f, kind: rng.chance(0.6) ? "concern" : "question", text: texts[rng.int(texts.count)], by: by,
                   day: rng.int(f.intake + 7, f.end), lastChange: &lastChange, rng: &rng, into: &batch)
    }

    func emitSignal(_ f: FamilyContext, kind: String, text: String, by: SyntheticWorld.Person, day: Int,
                    lastChange: inout Int, rng: inout SplitMix64, into batch: inout SyntheticBatch) {
        let at = Self.moment(day, &rng)
        let handledDay = day + rng.int(0, 12)
        let handled = handledDay <= world.today && rng.chance(0.85)
        let handledAt = handled ? Self.moment(handledDay, &rng) + 1 : nil
        lastChange = max(lastChange, handledAt ?? at)
        batch.begin(.signals)
        batch.id(ids.make()); batch.id(f.id); batch.id(world.municipality); batch.text(kind); batch.text(text); batch.id(by.id)
        batch.text(by.name); batch.text(by.role); batch.text(handled ? SignalStatus.handled.rawValue : SignalStatus.open.rawValue)
        batch.text(handled ? world.lead.name : nil); batch.time(handledAt.map { max($0, at) }); batch.time(at)
        batch.end()
    }

    // MARK: - the family plan

    struct ReferralSummary {
        let id: SyntheticID
        let offer: Int?
        let created: Int
        let firstContact: Int?
        let homeVisit: Bool
    }

    private func plan(_ f: FamilyContext, referrals: [ReferralSummary], rng: inout SplitMix64, lastChange: inout Int,
                      into batch: inout SyntheticBatch) {
        let w = world
        func string(_ s: String) -> String {
            var out = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "\""
        }
        var changes = [f.intake]
        var actions: [String] = []
        // The welcome package in the family's language from day one (R39).
        var information: [String] = []
        let welcomeDay = f.intake + rng.int(0, 21)
        let welcomeGiven = welcomeDay <= f.end && rng.chance(0.9) && !w.welcomePages.isEmpty
        if welcomeGiven {
            let language = w.welcomeLanguages.contains(f.language) ? f.language
                : f.parents.contains(where: { $0.languages.contains("en") }) ? "en" : "nl"
            let pages = w.welcomePages.filter { _ in rng.chance(0.7) }
            let by = f.keyPerson != nil && rng.chance(0.4) ? f.keyPerson!.name : w.lead.name
            information.append("{\"by\":\(string(by)),\"how\":\"\(rng.chance(0.8) ? "printed" : "sent")\",\"language\":\"\(language)\",\"on\":\"\(SyntheticDays.iso(welcomeDay))\",\"pages\":[\(pages.map { "\"\($0)\"" }.joined(separator: ","))]}")
            changes.append(welcomeDay)
        }
        actions.append("{\"done\":\(welcomeGiven),\"due\":\"\(SyntheticDays.iso(f.intake))\",\"kind\":\"welcome-package\",\"text\":\"Welkomstmap in de eigen taal meegeven\",\"who\":\"klantmanager of sleutelpersoon\"}")
        if !f.children.isEmpty {
            let visit = referrals.first { $0.homeVisit }
            actions.append("{\"done\":\(visit?.firstContact != nil),\"due\":\"\(SyntheticDays.iso(f.settled))\",\"kind\":\"jgz-home-visit\",\"text\":\"Huisbezoek JGZ (ook bij kinderen ouder dan 4)\",\"who\":\"JGZ\"}")
        }
        let urgent = rng.chance(0.08)
        let activeFrom = urgent ? f.intake : f.settled + 7 * 12
        // Phases (R37): signalling at intake, low-threshold support once settled, regular services later.
        var phases = [(1, f.intake)]
        let phase2 = max(activeFrom, f.intake) + rng.int(0, 30)
        if phase2 <= f.end && rng.chance(0.85) {
            phases.append((2, phase2))
            let phase3 = phase2 + rng.int(90, 400)
            if phase3 <= f.end && rng.chance(0.55) { phases.append((3, phase3)) }
        }
        changes += phases.map(\.1)
        actions.append("{\"done\":\(phases.count > 1),\"due\":\"\(SyntheticDays.iso(activeFrom))\",\"kind\":\"active-support\",\"text\":\"Actieve ondersteuning starten\",\"who\":\"klantmanager\"}")
        let history = phases.map { "{\"by\":\(string(w.lead.name)),\"on\":\"\(SyntheticDays.iso($0.1))\",\"phase\":\($0.0)}" }
        let choices = referrals.compactMap { referral -> String? in
            guard let offer = referral.offer, !referral.homeVisit else { return nil }
            changes.append(referral.created)
            return "{\"by\":\(string(w.lead.name)),\"chosen\":true,\"name\":\(string(w.offers[offer].name)),\"offerId\":\"\(w.offers[offer].id.uuid.uuidString)\",\"on\":\"\(SyntheticDays.iso(referral.created))\",\"referralId\":\"\(referral.id.uuid.uuidString)\"}"
        }
        let last = changes.filter { $0 <= f.end }.max() ?? f.intake
        let goals = rng.chance(0.6) ? "[\(string(["Weten waar we met vragen over school terechtkunnen", "Rust in huis na de hereniging", "De kinderen goed laten starten op school", "Andere ouders leren kennen", "Weten hoe de zorg voor kinderen hier werkt"][rng.int(5)]))]" : "[]"
        var json = "{\"actions\":[\(actions.joined(separator: ","))],\"activeSupportFrom\":\"\(SyntheticDays.iso(activeFrom))\""
        json += ",\"goals\":\(goals),\"informationGiven\":[\(information.joined(separator: ","))]"
        json += ",\"offerChoices\":[\(choices.joined(separator: ","))],\"phase\":\(phases.last!.0),\"phaseHistory\":[\(history.joined(separator: ","))]"
        json += ",\"reviewDate\":\"\(SyntheticDays.iso(last + 42))\",\"urgent\":\(urgent)}"
        let updated = Self.moment(last, &rng)
        lastChange = max(lastChange, updated)
        batch.begin(.plans)
        batch.id(ids.make()); batch.id(f.id); batch.id(w.municipality); batch.text(json); batch.int(changes.count); batch.time(updated)
        batch.int(phases.last!.0); batch.day(welcomeGiven ? welcomeDay : nil)
        batch.end()
    }
}
