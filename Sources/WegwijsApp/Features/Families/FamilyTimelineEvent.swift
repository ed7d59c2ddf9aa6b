import Foundation
import WegwijsCore

/// One dated thing that happened to a family, as a feature's door hands it to the timeline (`FamilyTimeline`): plain
/// values, no model, nothing the section's reader may not see. Descriptions are codes and names; the page puts them in
/// words (`FamilyTimelineWebController`), so the same values serve Dutch and English.
struct FamilyTimelineEvent: Sendable, Equatable {
    /// What happened. The raw value is the filter's code (`?kind=`) and the label's key (`timeline.kind.<raw>`).
    enum Kind: String, CaseIterable, Sendable, Codable {
        case registration
        case screening
        case contact
        case signal
        case phaseChange = "phase-change"
        case planAction = "plan-action"
        case welcomePackage = "welcome-package"
        case offerChoice = "offer-choice"
        case referral
        case consentGiven = "consent-given"
        case consentWithdrawn = "consent-withdrawn"

        /// The group a filter shows (plan actions, phases and offer choices are "the plan"; consents both ways).
        var group: Group {
            switch self {
            case .registration: return .registration
            case .screening: return .screening
            case .contact, .signal: return .contact
            case .phaseChange, .planAction, .offerChoice: return .plan
            case .welcomePackage: return .welcomePackage
            case .referral: return .referral
            case .consentGiven, .consentWithdrawn: return .consent
            }
        }
    }

    /// The timeline's filters.
    enum Group: String, CaseIterable, Sendable, Codable {
        case registration, screening, contact, plan
        case welcomePackage = "welcome-package"
        case referral, consent
    }

    let kind: Kind
    /// The Dutch calendar day it happened (or, for a plan action, is due).
    let on: CalendarDate
    /// The moment, where the feature stores one (contacts, referral steps, withdrawals); orders events of one day.
    var at: Date? = nil
    /// Who did it, as the feature stored it.
    var byName: String? = nil
    var byUserID: UUID? = nil
    var byRole: Role? = nil
    /// The organisation acting, where it is not the municipality (a partner answering a referral).
    var organisation: String? = nil
    /// A vocabulary code and the vocabulary it belongs to (`intake.mode` / `phone`, `referralStatus` / `accepted`).
    var vocabulary: String? = nil
    var code: String? = nil
    /// A name that says what it concerns: an offer, an organisation, a plan action's text.
    var subject: String? = nil
    /// Short extra facts as codes or days (`planned=2026-12-01`, `outcome=goal-reached`, `pages=3`, `language=ti`).
    var facts: [String: String] = [:]
    /// Orders events of one moment: the feature's own order (a referral's steps).
    var sequence: Int = 0
}
