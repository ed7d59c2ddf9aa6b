/// Who may do what to which record: role × relationship × action × record type, as one table (security-model.md
/// prints it; `PolicyDocTests` fails when the two differ). The doors and controllers read it instead of comparing roles
/// inline, and the access-matrix tests check every route against what it says.
///
/// How a cell is read (`decide`):
/// 1. `.never`: the role may not do this to any record of this type. 403 before any lookup, so the answer says
///    nothing about a particular record.
/// 2. The user's relationship to the record is one the cell grants: allowed.
/// 3. Otherwise, if the user may *read* that record: 403 (they know it exists, they may not do this to it).
/// 4. Otherwise 404: the record does not exist for them, so its existence does not leak.
public enum AccessPolicy {
    /// How the signed-in user stands to one record. Every record lives in one municipality; `.otherMunicipality` is a
    /// record of another tenant (never granted except for public information, `.anyone`).
    public enum Relationship: String, CaseIterable, Sendable, Hashable {
        /// Any record of the user's own municipality (the municipal team covers for each other).
        case sameMunicipality
        /// The family's own lead (its case manager).
        case lead
        /// The key person coupled to the family.
        case coupledKeyPerson
        /// The social worker coupled to the family.
        case coupledSocialWorker
        /// A partner whose organisation received a referral of the family that it may still see.
        case partnerWithOpenReferral
        /// Named to go along to a referral's first contact.
        case companion
        /// Named on the record itself (a meldcode's lead or its named colleague).
        case assigned
        /// The record belongs to the user's own organisation (an offer).
        case ownOrganisation
        /// A translation into a language the user speaks, in the parents' place's municipality.
        case speaksLanguage
        /// The user's own record (their notifications, their session).
        case own
        /// A municipality of the user's own region (R39: small municipalities buy jointly): aggregates only.
        case sameRegion
        /// Inside the municipality, with none of the above.
        case none
        /// A record of another municipality.
        case otherMunicipality

        public var label: String {
            switch self {
            case .sameMunicipality: return "same municipality"
            case .lead: return "family's lead"
            case .coupledKeyPerson: return "coupled key person"
            case .coupledSocialWorker: return "coupled social worker"
            case .partnerWithOpenReferral: return "partner with open referral"
            case .companion: return "companion"
            case .assigned: return "named on the record"
            case .ownOrganisation: return "own organisation"
            case .speaksLanguage: return "speaks the language"
            case .own: return "own"
            case .sameRegion: return "same region"
            case .none: return "none"
            case .otherMunicipality: return "other municipality"
            }
        }
    }

    public enum Action: String, CaseIterable, Sendable, Hashable {
        case list, read, create, update, delete, close, refer, transition, handover, chase, review
        /// Bulk load from a file (the catalogue's HSDS import).
        case importFile = "import"
    }

    public enum RecordType: String, CaseIterable, Sendable, Hashable {
        case family, member, consent
        /// A member's citizen service number (BSN), a field of the member record.
        case bsn
        /// Screenings (intake).
        case screening
        /// A family's needs (questions, themes).
        case need
        /// The family plan.
        case plan
        /// The printed summary of a case (composition, screening outcome, needs, plan, referrals, consents, next
        /// actions): one page to take along, so only for those who run the case.
        case caseSummary
        /// What the key person records on the plan: information given, offers chosen.
        case planProgress
        /// Contact moments.
        case contact
        case signal, meldcode
        /// Matching a profile against the catalogue (a family's matches, or an anonymous profile).
        case matches
        case referral
        /// The partners' inbox of referrals to their organisation.
        case partnerInbox
        /// The worklist: what needs the user, most urgent first (their families' due work, referrals past their
        /// timers, first contacts; a partner's referrals to answer).
        case worklist
        case notification
        /// Offers of the catalogue.
        case offer
        /// The parents' place pages and their translations.
        case parentPage
        /// An offer's name and description in a parent language (public once written; reviewed like the pages).
        case offerTranslation
        case auditLog
        /// Staff accounts: name, role, organisation, languages, password, active (no family data).
        case account
        /// Aggregate reports of the own municipality (small counts suppressed; docs/reports.md).
        case report
        /// The same reports over every municipality of the own region (R39: buying jointly).
        case regionReport
        /// The municipality's settings (referral timers).
        case settings
        /// A group series with its sessions (no personal data but who leads it).
        case groupSeries
        /// A parent in a group series: their name, invitation and drop-out.
        case groupParticipant
        /// Who came to a session, and the childcare headcount.
        case attendance
        /// The parents' anonymous evaluation of a series: its link and its counts (no personal data).
        case evaluation
        /// A facilitator's own evaluation of a series (free text, a rating).
        case facilitatorEvaluation
        /// A link to a group calendar feed (a series', or a facilitator's own); no personal data.
        case calendarLink
        /// The procurement checklist (R41): offers and portfolio scored, gaps by the families affected (aggregates,
        /// small counts suppressed), per municipality or across the region.
        case procurement

        /// The record this one belongs to: whoever sees that, knows this one's route exists.
        public var parent: RecordType? {
            switch self {
            case .member, .bsn, .consent, .screening, .need, .plan, .planProgress, .contact, .signal, .meldcode, .matches,
                 .referral, .caseSummary:
                return .family
            case .groupParticipant, .attendance, .evaluation, .facilitatorEvaluation, .calendarLink:
                return .groupSeries
            default:
                return nil
            }
        }
    }

    public enum Decision: String, Sendable, Equatable {
        case allowed
        /// 403: the user may not do this.
        case forbidden
        /// 404: the record does not exist for the user.
        case hidden

        public var status: Int {
            switch self {
            case .allowed: return 200
            case .forbidden: return 403
            case .hidden: return 404
            }
        }
    }

    /// One cell of the table.
    public enum Grant: Sendable, Equatable {
        /// 403 before any lookup.
        case never
        /// Any record of the own municipality (or no record at all: creating, lists scoped elsewhere).
        case always
        /// Any record, also another municipality's (public information).
        case anyone
        /// Only with one of these relationships. `.when([])`: the role may open the route, but no record is in its
        /// scope (404, or 403 where it may read the record).
        case when(Set<Relationship>)

        public func grants(_ relationship: Relationship) -> Bool {
            switch self {
            case .never: return false
            case .anyone: return true
            case .always: return relationship != .otherMunicipality
            case .when(let set): return set.contains(relationship)
            }
        }
    }

    public struct Rule: Sendable {
        public let record: RecordType
        public let action: Action
        public let grants: [Role: Grant]
        /// Why, in a few words (printed in the doc).
        public let note: String

        public func grant(_ role: Role) -> Grant { grants[role] ?? .never }
    }

    // Shorthands for the table.
    private static let m: Grant = .when([.sameMunicipality])
    private static let kp: Grant = .when([.coupledKeyPerson])
    private static let sw: Grant = .when([.coupledSocialWorker])
    private static let nothing: Grant = .when([])

    private static func rule(_ record: RecordType, _ action: Action,
                             caseManager: Grant = .never, keyPerson: Grant = .never, socialWorker: Grant = .never,
                             partner: Grant = .never, facilitator: Grant = .never, policyOfficer: Grant = .never,
                             admin: Grant = .never, _ note: String) -> Rule {
        Rule(record: record, action: action,
             grants: [.caseManager: caseManager, .keyPerson: keyPerson, .socialWorker: socialWorker, .partner: partner,
                      .facilitator: facilitator, .policyOfficer: policyOfficer, .admin: admin],
             note: note)
    }

    /// The table. A (record, action) pair not listed is `.never` for every role.
    public static let rules: [Rule] = [
        // Families and what hangs under them: the case managers of the municipality, the coupled key person and
        // social worker; partners open the routes but see no family record (only a referral's shared fields).
        rule(.family, .list, caseManager: .always, keyPerson: .always, socialWorker: .always, partner: .always,
             "each sees only the families in their scope"),
        rule(.family, .read, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "by relationship"),
        rule(.family, .create, caseManager: .always, "registering is the lead's work (R38)"),
        rule(.family, .update, caseManager: m, "the lead's work (R38)"),
        rule(.family, .close, caseManager: m, "closing and reopening"),
        rule(.member, .list, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.member, .read, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.member, .create, caseManager: m, "the lead's work"),
        rule(.member, .update, caseManager: m, "the lead's work"),
        rule(.member, .delete, caseManager: m, "the lead's work"),
        rule(.bsn, .read, caseManager: m, "only the lead who registers them"),
        rule(.consent, .list, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.consent, .create, caseManager: m, "the consent register is the lead's"),
        rule(.consent, .update, caseManager: m, "withdrawing"),
        // Intake.
        rule(.screening, .list, caseManager: m, keyPerson: kp, socialWorker: sw, "field work"),
        rule(.screening, .create, caseManager: m, keyPerson: kp, socialWorker: sw, "field work"),
        rule(.need, .list, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.need, .create, caseManager: m, "the lead's work"),
        rule(.need, .update, caseManager: m, "the lead's work"),
        rule(.plan, .read, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.plan, .update, caseManager: m, "the lead's work"),
        rule(.caseSummary, .read, caseManager: m,
             "the lead's summary to print; the municipality's case managers cover for each other (the timeline: each section's own cell)"),
        rule(.planProgress, .create, caseManager: m, keyPerson: kp, "information given, offers chosen"),
        rule(.contact, .list, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.contact, .create, caseManager: m, keyPerson: kp, socialWorker: sw, "field work"),
        rule(.signal, .list, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing, "as the family"),
        rule(.signal, .create, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing,
             "anyone with access to the family"),
        rule(.signal, .update, caseManager: m, "marking handled is the lead's"),
        rule(.meldcode, .list, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing,
             "shows only the records the user is named on"),
        rule(.meldcode, .read, caseManager: .when([.assigned]), keyPerson: nothing, socialWorker: .when([.assigned]),
             partner: nothing, "a record exists only for its lead and named colleague"),
        rule(.meldcode, .create, caseManager: .when([.lead]), "only the family's own lead opens one"),
        rule(.meldcode, .update, caseManager: .when([.assigned]), keyPerson: nothing,
             socialWorker: .when([.assigned]), partner: nothing, "signing a step: its lead or named colleague"),
        // Matching.
        rule(.matches, .read, caseManager: m, keyPerson: kp, socialWorker: sw, partner: nothing,
             "a family's matches as the family; an anonymous profile: any of these roles"),

        // Referrals: the lead side (case managers, the coupled key person and social worker), the receiving
        // partner, the companion. Which state change each may make is ReferralLifecycle's table.
        rule(.referral, .list, caseManager: .always, keyPerson: .always, socialWorker: .always, partner: .always,
             "each sees only the referrals in their scope"),
        rule(.referral, .read, caseManager: .when([.sameMunicipality, .companion]),
             keyPerson: .when([.coupledKeyPerson, .companion]), socialWorker: .when([.coupledSocialWorker, .companion]),
             partner: .when([.partnerWithOpenReferral, .companion]), "partners see the shared fields only"),
        rule(.referral, .refer, caseManager: m, "referring is the lead's work"),
        rule(.referral, .transition, caseManager: .when([.sameMunicipality, .companion]),
             keyPerson: .when([.companion]), socialWorker: .when([.companion]),
             partner: .when([.partnerWithOpenReferral, .companion]), "which step: ReferralLifecycle"),
        rule(.referral, .handover, caseManager: .when([.sameMunicipality, .companion]),
             keyPerson: .when([.companion]), socialWorker: .when([.companion]), partner: .when([.companion]),
             "the warm handover"),
        rule(.referral, .chase, caseManager: m, keyPerson: nothing, socialWorker: nothing, partner: nothing,
             "reminding the partner is the lead's"),
        rule(.partnerInbox, .list, partner: .always, "referrals to the own organisation"),
        rule(.worklist, .list, caseManager: .always, keyPerson: .always, socialWorker: .always, partner: .always,
             "what needs the user: their families' due work, referrals past their timers, first contacts"),
        rule(.notification, .list, caseManager: .when([.own]), keyPerson: .when([.own]), socialWorker: .when([.own]),
             partner: .when([.own]), "only one's own"),
        rule(.notification, .update, caseManager: .when([.own]), keyPerson: .when([.own]),
             socialWorker: .when([.own]), partner: .when([.own]), "marking read"),
        // The catalogue: everyone reads it; partners keep their own organisation's offers, the admin all of them.
        rule(.offer, .list, caseManager: .always, keyPerson: .always, socialWorker: .always, partner: .always,
             facilitator: .always, policyOfficer: .always, admin: .always, "no personal data"),
        rule(.offer, .read, caseManager: .always, keyPerson: .always, socialWorker: .always, partner: .always,
             facilitator: .always, policyOfficer: .always, admin: .always, "no personal data"),
        rule(.offer, .create, partner: .always, admin: .always, "a partner for its own organisation"),
        rule(.offer, .update, partner: .when([.ownOrganisation]), admin: .always, "own organisation's offers"),
        rule(.offer, .close, partner: .when([.ownOrganisation]), admin: .always, "retiring"),
        rule(.offer, .importFile, admin: .always, "HSDS import"),
        // The parents' place: public pages; translations by key persons who speak the language.
        rule(.parentPage, .list, caseManager: .anyone, keyPerson: .anyone, socialWorker: .anyone, partner: .anyone,
             facilitator: .anyone, policyOfficer: .anyone, admin: .anyone, "the translation overview"),
        rule(.parentPage, .read, caseManager: .anyone, keyPerson: .anyone, socialWorker: .anyone, partner: .anyone,
             facilitator: .anyone, policyOfficer: .anyone, admin: .anyone, "public pages"),
        rule(.parentPage, .update, keyPerson: .when([.speaksLanguage]), admin: .when([.sameMunicipality]),
             "the admin of the parents' place's municipality; a key person: a translation they speak"),
        rule(.parentPage, .review, keyPerson: .when([.speaksLanguage]), "four eyes: a key person who speaks it"),
        // Offers in the parents' languages: written by whoever keeps the offer, or a key person who speaks the
        // language; reviewed by a key person who speaks it, as the pages are.
        rule(.offerTranslation, .read, caseManager: .always, keyPerson: .always, socialWorker: .always, partner: .always,
             facilitator: .always, policyOfficer: .always, admin: .always, "public once written"),
        rule(.offerTranslation, .update, keyPerson: .when([.speaksLanguage]), partner: .when([.ownOrganisation]),
             admin: .when([.sameMunicipality]), "the offer's own organisation, the admin, or a key person who speaks the language"),
        rule(.offerTranslation, .review, keyPerson: .when([.speaksLanguage]), "four eyes: a key person who speaks it"),
        // Oversight.
        rule(.auditLog, .read, admin: .always, "who saw which family"),
        rule(.account, .list, admin: .always, "the own municipality's staff accounts"),
        rule(.account, .read, admin: .when([.sameMunicipality]), "an account of the own municipality"),
        rule(.account, .create, admin: .always, "in the own municipality, with the password policy"),
        rule(.account, .update, admin: .when([.sameMunicipality]), "name, role, organisation, languages, password"),
        rule(.account, .close, admin: .when([.sameMunicipality]), "deactivate and reactivate; never the own account"),
        rule(.report, .read, caseManager: .always, policyOfficer: .always, admin: .always,
             "aggregates only, small counts suppressed for everyone (docs/reports.md)"),
        rule(.regionReport, .read, policyOfficer: .always, admin: .always,
             "the region's municipalities added up, protected against subtraction from each one's own figures"),
        rule(.procurement, .read, policyOfficer: .when([.sameMunicipality, .sameRegion]), admin: .when([.sameMunicipality, .sameRegion]),
             "the procurement checklist: own municipality, and the region's for joint purchasing; aggregates, small counts suppressed"),
        rule(.settings, .read, caseManager: .always, admin: .always, "the referral timers"),
        rule(.settings, .update, admin: .always, "the referral timers"),
        // Group series (docs/groups.md): case managers plan and run every series of the municipality; a trainer plans
        // series and runs the ones they lead; the key person of a series runs it with them (invitations, attendance).
        rule(.groupSeries, .list, caseManager: .always, keyPerson: .always, facilitator: .always,
             "each sees the series in their scope"),
        rule(.groupSeries, .read, caseManager: m, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             "its facilitators; the municipality's case managers"),
        rule(.groupSeries, .create, caseManager: .always, facilitator: .always, "planning from the waiting demand (R25)"),
        rule(.groupSeries, .update, caseManager: m, facilitator: .when([.assigned]), "sessions, places, facilitators"),
        rule(.groupParticipant, .create, caseManager: m, facilitator: .when([.assigned]),
             "from the waiting list or by invitation"),
        rule(.groupParticipant, .update, caseManager: m, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             "the invitation's answer, a drop-out"),
        rule(.attendance, .update, caseManager: m, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             "who came, childcare headcount"),
        // Calendar feed links (docs/groups.md, "Calendar"): a series' feed by its case managers or facilitators; one's own
        // feed (the series one leads or joins as a partner guest) by anyone who can be in a series; revoking by the
        // creator, or the municipality's case managers and admin.
        rule(.calendarLink, .create, caseManager: .when([.sameMunicipality, .own]), keyPerson: .when([.assigned, .own]),
             socialWorker: .when([.own]), partner: .when([.own]), facilitator: .when([.assigned, .own]),
             "a series' feed: its facilitators, the case managers; one's own feed: anyone in a series"),
        rule(.calendarLink, .list, caseManager: .when([.own]), keyPerson: .when([.own]), socialWorker: .when([.own]),
             partner: .when([.own]), facilitator: .when([.own]), "one's own links, without their tokens"),
        rule(.calendarLink, .delete, caseManager: .when([.sameMunicipality, .own]), keyPerson: .when([.own]),
             socialWorker: .when([.own]), partner: .when([.own]), facilitator: .when([.own]), admin: .when([.sameMunicipality]),
             "revoking: the creator, the municipality's case managers and admin"),
        // The parents' evaluation (R47): anonymous counts. Opening and closing the link is for the case managers and the
        // series' trainer; its facilitators type in the paper forms; policy officers read counts, small ones suppressed.
        rule(.evaluation, .read, caseManager: m, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             policyOfficer: .always, "counts only; small counts suppressed for policy officers"),
        rule(.evaluation, .list, caseManager: .always, policyOfficer: .always, "results per offer, the same suppression"),
        rule(.evaluation, .create, caseManager: m, facilitator: .when([.assigned]), "opening the public link"),
        rule(.evaluation, .close, caseManager: m, facilitator: .when([.assigned]), "ending the public link"),
        rule(.evaluation, .update, caseManager: m, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             "typing in the paper forms"),
        rule(.facilitatorEvaluation, .read, caseManager: m, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             "the facilitators' own notes: staff of the series"),
        rule(.facilitatorEvaluation, .update, keyPerson: .when([.assigned]), facilitator: .when([.assigned]),
             "each facilitator writes their own"),
    ]

    private static let index: [String: Rule] = Dictionary(
        rules.map { ("\($0.record.rawValue)/\($0.action.rawValue)", $0) }, uniquingKeysWith: { first, _ in first })

    public static func lookup(_ action: Action, _ record: RecordType) -> Rule? { index["\(record.rawValue)/\(action.rawValue)"] }

    public static func grant(role: Role, action: Action, record: RecordType) -> Grant {
        lookup(action, record)?.grant(role) ?? .never
    }

    /// Whether the role may attempt this at all: the gate before any lookup (false answers 403).
    public static func mayAttempt(role: Role, action: Action, record: RecordType) -> Bool {
        grant(role: role, action: action, record: record) != .never
    }

    public static func decide(role: Role, relationship: Relationship, action: Action, record: RecordType) -> Decision {
        decide(role: role, relationships: [relationship], action: action, record: record)
    }

    /// One user may stand to a record in several ways at once (a case manager who is also the family's lead);
    /// any relationship the cell grants is enough.
    public static func decide(role: Role, relationships: Set<Relationship>, action: Action, record: RecordType) -> Decision {
        let cell = grant(role: role, action: action, record: record)
        if cell == .never { return .forbidden }
        let relationships: Set<Relationship> = relationships.isEmpty ? [Relationship.none] : relationships
        if relationships.contains(where: cell.grants) { return .allowed }
        if action != .read && action != .list {
            // Creating something under a record, or a record with no rule of its own for reading: what counts is
            // whether the user sees the record it belongs to (the family).
            let seen = action == .create || lookup(.read, record) == nil ? (record.parent ?? record) : record
            let read = grant(role: role, action: .read, record: seen)
            if relationships.contains(where: read.grants) { return .forbidden }
        }
        return .hidden
    }
}
