import Foundation
import WegwijsCore

/// The family plan's content (stored as JSON in `family_plans.data`).
struct PlanData: Codable, Sendable, Equatable {
    struct Action: Codable, Sendable, Equatable {
        var text: String
        /// Who does it: a name or a role, in the family's words.
        var who: String
        /// By when (YYYY-MM-DD).
        var due: String?
        var done: Bool
        /// Set on the actions the plan proposes itself (`welcome-package`, `jgz-home-visit`, `active-support`).
        var kind: String?
    }

    struct PhaseChange: Codable, Sendable, Equatable {
        var phase: Int
        var on: String
        var by: String
        var note: String?
    }

    struct InformationGiven: Codable, Sendable, Equatable {
        var pages: [String]
        var language: String
        /// `printed` or `sent`.
        var how: String
        var on: String
        var by: String
        /// The referral made from this choice (issue 8), when there is one.
        var referralId: String? = nil
    }

    /// Goals in the family's own words.
    var goals: [String] = []
    var actions: [Action] = []
    /// 1 signalling, 2 low-threshold tailored support, 3 regular services (R37).
    var phase: Int = 1
    var phaseHistory: [PhaseChange] = []
    var reviewDate: String?
    /// Active support at once rather than after the settling-in weeks (R39 "start slowly").
    var urgent: Bool = false
    var activeSupportFrom: String?
    var informationGiven: [InformationGiven] = []
    /// Offers discussed with the parents, and which they chose (input for referrals).
    var offerChoices: [OfferChoice] = []

    struct OfferChoice: Codable, Sendable, Equatable {
        var offerId: String
        var name: String
        var chosen: Bool
        var on: String
        var by: String
        /// The referral made from this choice (issue 8), when there is one.
        var referralId: String? = nil
    }

    static let phases = 1...3

    /// What a new plan proposes (R39, R7/R19): the welcome package at once; a JGZ home visit at settlement for every
    /// family with children, also with children over 4; active support from `weeks` weeks after settlement (or today
    /// when urgent).
    static func proposal(family: Family, members: [Member], weeksAfterSettlement: Int, today: CalendarDate, by: String,
                         urgent: Bool = false) -> PlanData {
        var plan = PlanData()
        plan.urgent = urgent
        plan.phaseHistory = [PhaseChange(phase: 1, on: today.iso, by: by, note: nil)]
        let settlement = members.compactMap { $0.settlementDate.flatMap(CalendarDate.init(iso:)) }.min()
        plan.actions.append(Action(text: "Welkomstmap in de eigen taal meegeven", who: "klantmanager of sleutelpersoon",
                                   due: today.iso, done: false, kind: "welcome-package"))
        if members.contains(where: { $0.role == .child }) {
            plan.actions.append(Action(text: "Huisbezoek JGZ (ook bij kinderen ouder dan 4)", who: "JGZ",
                                       due: (settlement ?? today).iso, done: false, kind: "jgz-home-visit"))
        }
        plan.activeSupportFrom = urgent ? today.iso : (settlement ?? today).adding(days: 7 * weeksAfterSettlement).iso
        plan.actions.append(Action(text: "Actieve ondersteuning starten", who: "klantmanager",
                                   due: plan.activeSupportFrom, done: false, kind: "active-support"))
        plan.reviewDate = today.adding(days: 42).iso
        return plan
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        goals = try c.decodeIfPresent([String].self, forKey: .goals) ?? []
        actions = try c.decodeIfPresent([Action].self, forKey: .actions) ?? []
        phase = try c.decodeIfPresent(Int.self, forKey: .phase) ?? 1
        phaseHistory = try c.decodeIfPresent([PhaseChange].self, forKey: .phaseHistory) ?? []
        reviewDate = try c.decodeIfPresent(String.self, forKey: .reviewDate)
        urgent = try c.decodeIfPresent(Bool.self, forKey: .urgent) ?? false
        activeSupportFrom = try c.decodeIfPresent(String.self, forKey: .activeSupportFrom)
        informationGiven = try c.decodeIfPresent([InformationGiven].self, forKey: .informationGiven) ?? []
        offerChoices = try c.decodeIfPresent([OfferChoice].self, forKey: .offerChoices) ?? []
    }

    static func decode(_ text: String) -> PlanData {
        (try? JSONDecoder().decode(PlanData.self, from: Data(text.utf8))) ?? PlanData()
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// The Meldcode's five steps (Meldcode huiselijk geweld en kindermishandeling).
struct MeldcodeStep: Codable, Sendable, Equatable {
    static let names = [1: "map-signals", 2: "consult", 3: "talk-with-parents", 4: "weigh", 5: "decide"]
    var step: Int
    var on: String
    var signedBy: String
    var signedByUserID: UUID
    var note: String
}
