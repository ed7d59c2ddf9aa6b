import Fluent
import Foundation
import Vapor
import WegwijsCore

/// Feedback to the people of a referral: an in-app notification, and an e-mail in the outbox for those with an
/// address. Written in the transaction of the change it reports. Nothing personal travels: the family's reference,
/// the organisation, the new state and a link.
struct ReferralNotifier {
    let staff: StaffIdentity
    let publicURL: String
    let logger: Logger
    let clock: WallClock

    /// Every change of state reaches the family's lead; a sent referral reaches the partner's staff; a planned first
    /// contact reaches the companion.
    func stateChanged(_ referral: Referral, family: Family, to status: ReferralStatus, on tx: any Database) async throws {
        try await notifyLead(referral, family: family, kind: status.rawValue, on: tx)
        if status == .sent { try await notifyPartner(referral, family: family, kind: "sent", on: tx) }
        if status == .firstContactPlanned, let companion = referral.$companion.id {
            try await notify([companion], referral, family: family, kind: "companion", on: tx)
        }
    }

    func notifyLead(_ referral: Referral, family: Family, kind: String, on tx: any Database) async throws {
        // Someone who made the change needs no message about it.
        guard referral.$lead.id != staff.userID else { return }
        try await notify([referral.$lead.id], referral, family: family, kind: kind, on: tx)
    }

    func notifyPartner(_ referral: Referral, family: Family, kind: String, on tx: any Database) async throws {
        let partners = try await User.query(on: tx).filter(\.$organisation.$id == referral.$organisation.id)
            .filter(\.$role == Role.partner.rawValue).filter(\.$active == true).all().compactMap(\.id)
        try await notify(partners, referral, family: family, kind: kind, on: tx)
    }

    private func notify(_ users: [UUID], _ referral: Referral, family: Family, kind: String, on tx: any Database) async throws {
        guard !users.isEmpty else { return }
        let organisation = try await Organisation.find(referral.$organisation.id, on: tx)?.name ?? ""
        let accounts = try await User.query(on: tx).filter(\.$id ~~ users).all()
        for account in accounts {
            let notification = Notification()
            notification.id = UUID()
            notification.$municipality.id = account.$municipality.id
            notification.$user.id = try account.requireID()
            notification.$referral.id = referral.id
            notification.kind = kind
            notification.familyReference = family.reference
            notification.organisationName = organisation
            notification.createdAt = clock.now
            try await notification.create(on: tx)
            guard let address = account.email, !address.isEmpty else { continue }
            let mail = OutboxEmail()
            mail.id = UUID()
            mail.$municipality.id = account.$municipality.id
            mail.toAddress = address
            mail.subject = "Wegwijs: verwijzing \(family.reference) — \(Self.dutch(kind))"
            mail.body = """
                Verwijzing \(family.reference) naar \(organisation): \(Self.dutch(kind)).
                Bekijk de verwijzing in Wegwijs: \(publicURL)/referrals/\(referral.id!.uuidString.lowercased())

                Referral \(family.reference) to \(organisation): \(kind).
                """
            mail.createdAt = clock.now
            mail.attempts = 0
            try await mail.create(on: tx)
            // The outbox is the record; the log line says that something is waiting, never for whom or about whom.
            logger.info("e-mail queued", metadata: ["outbox": "\(mail.id!)", "kind": "\(kind)"])
        }
    }

    static func dutch(_ kind: String) -> String {
        switch kind {
        case "sent": return "nieuwe verwijzing"
        case "accepted": return "geaccepteerd"
        case "declined": return "afgewezen"
        case "waiting-list": return "op de wachtlijst"
        case "first-contact-planned": return "eerste contact gepland"
        case "first-contact-made": return "eerste contact gemaakt"
        case "active": return "loopt"
        case "completed": return "afgerond"
        case "cancelled": return "geannuleerd"
        case "chase": return "herinnering: graag een antwoord"
        case "companion": return "u gaat mee naar het eerste contact"
        case "handover-missed": return "eerste contact niet doorgegaan"
        default: return kind
        }
    }
}
