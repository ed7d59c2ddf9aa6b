import Foundation

/// The controlled vocabulary of `shared/design/vocabulary.md`: the codes that the catalogue, intake, matching,
/// reports, the JSON API and HSDS exchange share. Codes are stable; labels live in the locale files.
public protocol VocabularyCode: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where RawValue == String {
    /// The name of the vocabulary, used in error messages and locale keys (`situation.single-parent`).
    static var vocabularyName: String { get }
}

extension VocabularyCode {
    public static var allCodes: [String] { allCases.map(\.rawValue) }
    public static func isKnown(_ code: String) -> Bool { Self(rawValue: code) != nil }
}

public enum Theme: String, VocabularyCode {
    case schoolSystem = "school-system", careSystem = "care-system", childcarePreschool = "childcare-preschool"
    case childHealth = "child-health", mentalHealth = "mental-health", boundariesBehaviour = "boundaries-behaviour"
    case emotionalDevelopment = "emotional-development", developmentDelay = "development-delay", puberty
    case twoCultures = "two-cultures", multilingualism, responsiveTalking = "responsive-talking"
    case parentingConfidence = "parenting-confidence", sexualHealth = "sexual-health", pregnancyBirth = "pregnancy-birth"
    case digitalParenting = "digital-parenting", childProtectionFears = "child-protection-fears", discrimination, religion
    case leisure, fathers, future, worriedAboutChild = "worried-about-child", familyReunification = "family-reunification"
    case moneyStress = "money-stress"
    public static let vocabularyName = "theme"
}

public enum Situation: String, VocabularyCode {
    case statusHolder = "status-holder", asylumSeeker = "asylum-seeker", familyReunification = "family-reunification"
    case exUam = "ex-uam", euLabourMigrant = "eu-labour-migrant", undocumented, pregnant
    case singleParent = "single-parent", youngParent = "young-parent", parentMentalHealth = "parent-mental-health"
    case lowLiteracy = "low-literacy"
    public static let vocabularyName = "situation"
}

public enum OfferForm: String, VocabularyCode {
    case homeVisit = "home-visit", individual, group, informationSession = "information-session", online
    case dropIn = "drop-in", buddy, respite
    public static let vocabularyName = "form"
}

public enum OfferKind: String, VocabularyCode {
    case formal, informal
    public static let vocabularyName = "kind"
}

public enum SupportType: String, VocabularyCode {
    case information, parenthood, parenting, practical
    public static let vocabularyName = "supportType"
}

public enum Audience: String, VocabularyCode {
    case mixed, mothers, fathers
    public static let vocabularyName = "audience"
}

/// Which budget pays for an offer (seed 003: "look beyond the civic-integration budget"): civic integration (Wet
/// Inburgering), prevention, health, participation, or another source (a fund, donors). Recorded per offer for the
/// procurement checklist (R41).
public enum FundingSource: String, VocabularyCode {
    case civicIntegration = "civic-integration", prevention, health, participation, other
    public static let vocabularyName = "funding"
}

/// Provisions for children that parents can know and use (R48; seed 004: after the support, parents know and use
/// many provisions that matter for their children). Asked in the screening at intake and at later screenings.
public enum Provision: String, VocabularyCode {
    /// The well-baby clinic and youth health care (consultatiebureau, JGZ).
    case consultatiebureau
    /// The Centre for Youth and Family.
    case cjg
    case school
    /// The parents' room (ouderkamer) at school.
    case parentsRoom = "parents-room"
    /// Early-childhood education (VVE), playgroup or childcare.
    case childcare
    case library
    /// The family doctor (huisarts).
    case gp
    case districtTeam = "district-team"
    /// The midwife (verloskundige).
    case midwife
    /// The toy library (speel-o-theek; seed 003: groups visit local provisions together).
    case toyLibrary = "toy-library"
    /// The community centre (buurthuis).
    case communityCentre = "community-centre"
    case sportsClub = "sports-club"
    public static let vocabularyName = "provision"
}

public enum DutchLevel: String, VocabularyCode {
    case none, a1 = "A1", a2 = "A2", b1 = "B1", b2Plus = "B2+"
    public static let vocabularyName = "dutchLevel"
    /// R9/matching: Dutch counts as a spoken language from level B1.
    public var countsAsSpoken: Bool { self == .b1 || self == .b2Plus }
}

public enum Gender: String, VocabularyCode {
    case female, male, x
    public static let vocabularyName = "gender"
}

public enum MemberRole: String, VocabularyCode {
    case parent, child
    public static let vocabularyName = "memberRole"
}

public enum ContactPreference: String, VocabularyCode {
    case phone, messaging, viaKeyPerson = "via-key-person"
    public static let vocabularyName = "contactPreference"
}

public enum FamilyStatus: String, VocabularyCode {
    case active, closed
    public static let vocabularyName = "familyStatus"
}

/// Why a family's file was closed.
public enum ClosingReason: String, VocabularyCode {
    case movedAway = "moved-away", supportCompleted = "support-completed", familyDeclined = "family-declined"
    case regularServices = "regular-services", duplicate, other
    public static let vocabularyName = "closingReason"
}

/// The roles of DOMAIN.md. Parents have no account.
public enum Role: String, VocabularyCode {
    case caseManager, keyPerson, socialWorker, partner, facilitator, policyOfficer, admin
    public static let vocabularyName = "role"
}

public enum OrganisationType: String, VocabularyCode {
    case municipality, youthHealthCare = "youth-health-care", centreForYouthAndFamily = "centre-for-youth-and-family"
    case districtTeam = "district-team", school, childcarePreschool = "childcare-preschool"
    case refugeeSupport = "refugee-support", volunteerProgramme = "volunteer-programme"
    case migrantSelfOrganisation = "migrant-self-organisation", gpPractice = "gp-practice", other
    public static let vocabularyName = "organisationType"
}

/// What a consent allows the data to be used for (AVG/GDPR: purpose limitation).
public enum ConsentPurpose: String, VocabularyCode {
    case referral, informationExchange = "information-exchange", chainMeeting = "chain-meeting"
    case keyPersonSupport = "key-person-support", groupParticipation = "group-participation"
    public static let vocabularyName = "consentPurpose"
}

/// Which categories of a family's data a consent covers.
public enum DataCategory: String, VocabularyCode {
    case contactDetails = "contact-details", languages, children, questions, screening, health, notes
    public static let vocabularyName = "dataCategory"
}

/// Languages: ISO 639-1 where one exists, else ISO 639-3 (vocabulary.md).
public enum Languages {
    /// Parent-facing content exists in at least these (vocabulary.md), in this order.
    public static let parentLanguages = ["nl", "en", "ar", "ti", "fa", "so", "tr", "pl", "bg", "uk"]
    public static let rightToLeft: Set<String> = ["ar", "fa", "ps", "ur", "ckb", "prs", "he", "yi"]

    /// ISO 639-3 codes for languages newcomer families often speak that have no ISO 639-1 code.
    private static let extraCodes: Set<String> = ["prs", "ckb", "kmr", "tig", "bej", "ber", "kab", "hz"]

    private static let known: Set<String> = {
        var codes = Set(Locale.LanguageCode.isoLanguageCodes.map(\.identifier).filter { $0.count == 2 || $0.count == 3 })
        codes.formUnion(extraCodes)
        return codes
    }()

    public static func isKnown(_ code: String) -> Bool { known.contains(code) }
}

/// Countries of origin: ISO 3166-1 alpha-2.
public enum Countries {
    private static let known: Set<String> = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 })
    public static func isKnown(_ code: String) -> Bool { known.contains(code) }
}
