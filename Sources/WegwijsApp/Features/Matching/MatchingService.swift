import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// Runs the matching engine (`WegwijsCore.MatchEngine`) for staff: on a profile sent to the API, or on a stored
/// family (its open needs, the preferences of its latest screening, its members). The compiled catalogue snapshot
/// is kept per municipality and day, and rebuilt when the catalogue version changes (any offer or organisation
/// change, by any writer), never by polling.
struct MatchingService {
    let request: Request
    let staff: StaffIdentity

    init(request: Request) throws {
        self.request = request
        staff = try request.requireStaff()
    }

    /// The engine for the staff member's municipality, as of today.
    func engine() async throws -> MatchEngine {
        let version = try await CatalogueVersion.current(on: request.db)
        let today = request.clock.today
        let municipality = staff.municipalityCode
        let db = request.db
        return try await request.application.matchEngines.value("\(municipality)|\(today.iso)", version: version) {
            try await Self.compile(municipality: municipality, today: today, on: db)
        }
    }

    static func compile(municipality code: String, today: CalendarDate, on db: any Database) async throws -> MatchEngine {
        let municipalities = try await Municipality.query(on: db).all()
        let regions = Dictionary(try await Region.query(on: db).all().compactMap { region in region.id.map { ($0, region.code) } },
                                 uniquingKeysWith: { a, _ in a })
        var municipalityCodes: [UUID: (code: String, region: String?)] = [:]
        for municipality in municipalities {
            municipalityCodes[municipality.id!] = (municipality.code, municipality.$region.id.flatMap { regions[$0] })
        }
        let ownRegion = municipalities.first { $0.code == code }.flatMap { $0.$region.id.flatMap { regions[$0] } }
        var offers: [MatchableOffer] = []
        let decoder = JSONDecoder()
        for offer in try await Offer.query(on: db).all() {
            guard let owner = municipalityCodes[offer.$municipality.id],
                  let draft = try? decoder.decode(OfferDraft.self, from: Data(offer.data.utf8)) else { continue }
            offers.append(MatchableOffer(id: offer.id!.uuidString, municipality: owner.code, region: owner.region,
                                         retired: offer.status != .active, offer: draft))
        }
        return MatchEngine(catalogue: offers, municipality: code, region: ownRegion, today: today)
    }

    func match(_ profile: MatchProfile) async throws -> MatchResult {
        try FamilyAccess.requireRead(staff)
        let errors = profile.validate()
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: request.application.locales) }
        return try await engine().match(profile)
    }

    // MARK: a stored family

    /// The matching profile of a stored family: parents (gender, languages, Dutch level), children's ages, its
    /// situations, its open needs as themes, the preferences of its latest screening, settlement and urgency.
    static func profile(family: Family, members: [Member], needs: [Need], latest: [String: ScreeningAnswer]?, plan: PlanData?,
                        today: CalendarDate) -> MatchProfile {
        let parents = members.filter { $0.role == .parent }.map {
            MatchProfile.Parent(gender: $0.gender, languages: Array(Set($0.languagesSpoken + $0.languagesRead)).sorted(),
                                dutchLevel: $0.dutchLevel)
        }
        let children = members.filter { $0.role == .child }.compactMap { member -> MatchProfile.Child? in
            if let born = member.birthDate.flatMap(CalendarDate.init(iso:)) { return .init(age: max(0, born.years(until: today))) }
            return member.birthYear.map { .init(age: max(0, today.year - $0)) }
        }
        let themes = needs.filter { $0.status == .open }.map {
            MatchProfile.ThemeNeed(code: $0.theme, priority: $0.priority >= 3 ? "high" : $0.priority == 2 ? "normal" : "low")
        }
        var preferences = MatchProfile.Preferences()
        if let latest {
            var forms: [String] = []
            if case .text(let setting)? = latest["preferences.setting"] {
                if setting == "group" { forms += ["group", "information-session"] }
                if setting == "individual" { forms += ["individual", "home-visit"] }
            }
            if case .list(let places)? = latest["preferences.place"] {
                if places.contains("home") { forms.append("home-visit") }
                if places.contains("online") { forms.append("online") }
                preferences.online = places.contains("online") ? (places.count == 1 ? "yes" : "any") : "no"
            }
            preferences.forms = forms.isEmpty ? nil : Array(Set(forms)).sorted()
            if case .text(let audience)? = latest["preferences.audience"] { preferences.audience = audience }
            if case .text(let time)? = latest["preferences.time"] { preferences.time = time == "either" ? "any" : time }
            if case .flag(let childcare)? = latest["preferences.childcare"] { preferences.childcare = childcare }
        }
        if let postcode = family.postcode?.filter(\.isNumber), postcode.count >= 4 { preferences.postcode = String(postcode.prefix(4)) }
        let settled = members.compactMap { $0.settlementDate }.min()
        return MatchProfile(parents: parents, children: children, situations: family.situations, themes: themes,
                            preferences: preferences, settledOn: settled, urgent: plan?.urgent)
    }

    /// A stored family's profile and one page of its matches (`MatchWindow`); `excluded` only when asked.
    struct FamilyMatches: Content {
        let profile: MatchProfile
        let matches: [MatchResult.Match]
        let total: Int
        let offset: Int
        let limit: Int
        let excluded: [MatchResult.Exclusion]?
    }

    /// Matches for a stored family; the access is checked and audited like reading the family.
    func familyMatches(_ familyID: UUID, window: MatchWindow) async throws -> FamilyMatches {
        let (profile, _) = try await familyProfile(familyID, action: "family.matches")
        return try await matches(for: profile, window: window)
    }

    /// The matches of inputs a page has already read through the intake's door (`IntakeService.matchingInputs`).
    func familyMatches(_ inputs: IntakeService.MatchingInputs, window: MatchWindow) async throws -> FamilyMatches {
        let today = try IntakeService(request: request).today
        return try await matches(for: Self.profile(family: inputs.family, members: inputs.members, needs: inputs.needs,
                                                   latest: inputs.latestAnswers, plan: inputs.plan, today: today),
                                 window: window)
    }

    private func matches(for profile: MatchProfile, window: MatchWindow) async throws -> FamilyMatches {
        let result = profile.themes.isEmpty ? .empty : try await engine().match(profile)
        let page = result.page(window)
        return FamilyMatches(profile: profile, matches: page.matches, total: page.total, offset: page.offset, limit: page.limit,
                             excluded: page.excluded)
    }

    func familyProfile(_ familyID: UUID, action: String) async throws -> (MatchProfile, Family) {
        // The family's intake records through the intake's door (one access decision and audit entry per request).
        let intake = try IntakeService(request: request)
        let inputs = try await intake.matchingInputs(familyID, action: action)
        return (Self.profile(family: inputs.family, members: inputs.members, needs: inputs.needs, latest: inputs.latestAnswers,
                             plan: inputs.plan, today: intake.today), inputs.family)
    }
}

extension Application {
    private struct MatchEnginesKey: StorageKey { typealias Value = DerivedCache<MatchEngine> }
    /// Compiled catalogue snapshots, per municipality and day, kept while the catalogue version holds.
    var matchEngines: DerivedCache<MatchEngine> {
        get { storage[MatchEnginesKey.self] ?? DerivedCache(ttl: .infinity, capacity: 50, enabled: false) }
        set { storage[MatchEnginesKey.self] = newValue }
    }
}
