import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `wegwijs seed synthetic --referrals N`: referrals for benchmarks, spread over Rijnstad's families and organisations,
/// in every state, many of them past their timers. Each rests on its own consent, as a real one must.
enum SyntheticReferrals {
    static func seed(_ app: Application, count: Int, password: String) async throws {
        if try await DemoSeeder.databaseIsEmpty(app.db) { try await DemoSeeder.seed(app, password: password) }
        guard let rijnstad = try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first(),
              let lead = try await User.query(on: app.db).filter(\.$username == "klantmanager").first() else {
            throw ConfigError("Rijnstad or its case manager is missing")
        }
        let municipalityID = try rijnstad.requireID(), leadID = try lead.requireID()
        let families = try await Family.query(on: app.db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$status == FamilyStatus.active).sort(\.$createdAt).all()
        let organisations = try await Organisation.query(on: app.db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$type != OrganisationType.municipality.rawValue).sort(\.$name).all().compactMap(\.id)
        guard !families.isEmpty, !organisations.isEmpty else { throw ConfigError("Rijnstad has no families or organisations") }
        let today = app.clock.today
        let states: [ReferralStatus] = [.draft, .sent, .sent, .accepted, .waitingList, .firstContactPlanned, .firstContactMade,
                                        .active, .completed, .cancelled]
        let shared = ReferralSharedField.minimalDefault.map(\.rawValue)
        let categories = [DataCategory.languages, .children, .questions].map(\.rawValue)
        var done = 0
        while done < count {
            let size = min(500, count - done)
            let start = done
            // One batch of families' parents, for the member lists.
            let batchFamilies = (start..<(start + size)).map { families[$0 % families.count] }
            let parents = try await Member.query(on: app.db).filter(\.$family.$id ~~ Set(batchFamilies.compactMap(\.id)))
                .filter(\.$role == MemberRole.parent).all()
            let parentOf = Dictionary(grouping: parents, by: { $0.$family.id })
            let languagesOf = try await CodeTables.familyLanguages.load(Array(Set(batchFamilies.compactMap(\.id))), on: app.db)
            try await app.audit.write(on: app.db, by: .system) { tx, recorder in
                var consents: [Consent] = []
                var referrals: [Referral] = []
                for i in start..<(start + size) {
                    let family = families[i % families.count]
                    let familyID = try family.requireID()
                    let organisationID = organisations[i % organisations.count]
                    let consent = Consent()
                    consent.id = UUID()
                    consent.version = 1
                    consent.purpose = ConsentPurpose.referral.rawValue
                    consent.dataCategories = categories
                    consent.givenBy = "synthetic"
                    consent.givenOn = today.adding(days: -120).iso
                    consent.$family.id = familyID
                    consent.$municipality.id = municipalityID
                    consent.$organisation.id = organisationID
                    consent.$recordedBy.id = leadID
                    consents.append(consent)

                    let state = states[i % states.count]
                    let referral = Referral()
                    referral.id = UUID()
                    referral.version = 1
                    referral.status = state
                    referral.statusChangedAt = app.clock.now
                    let sent = today.adding(days: -(i % 60))
                    referral.sentOn = state == .draft ? nil : sent.iso
                    switch state {
                    case .sent: referral.clockOn = sent.iso
                    case .accepted, .firstContactPlanned: referral.clockOn = sent.adding(days: 3).iso
                    case .waitingList:
                        referral.expectedOn = today.adding(days: 30 - i % 60).iso
                        referral.clockOn = referral.expectedOn
                    default: referral.clockOn = nil
                    }
                    if state == .firstContactPlanned { referral.plannedOn = today.adding(days: 7 - i % 14).iso }
                    if state.isClosed { referral.closedOn = today.adding(days: -(i % 90)).iso }
                    if state == .completed { referral.outcome = ReferralOutcome.allCodes[i % 4] }
                    if state == .cancelled { referral.closingReason = "synthetic" }
                    referral.reason = "Synthetische verwijzing \(i)"
                    referral.memberIDs = (parentOf[familyID] ?? []).prefix(1).compactMap(\.id)
                    referral.needIDs = []
                    referral.language = languagesOf[familyID]?.first ?? "nl"
                    referral.interpreterNeeded = i % 3 == 0
                    referral.sharedFields = shared
                    referral.$municipality.id = municipalityID
                    referral.$family.id = familyID
                    referral.$lead.id = leadID
                    referral.$referredBy.id = leadID
                    referral.$organisation.id = organisationID
                    referral.$consent.id = consent.id!
                    referrals.append(referral)
                }
                try await consents.create(on: tx)
                try await referrals.create(on: tx)
                try await CodeTables.consentDataCategories.insert(consents.map { ($0.id!, $0.dataCategories) }, on: tx)
                try await ReferralLinks.insert(referrals, on: tx)
                recorder.record(AuditEvent(action: "seed.synthetic", purpose: AuditPurpose.administration, detail: "referrals=\(size)"))
            }
            done += size
        }
    }
}
