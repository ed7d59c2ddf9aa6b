import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The group demo (issue 14's "Done when"): 30 parents of Rijnstad, in five languages, wait on the planner input of
/// "Oudergroepen in de eigen taal" (offer 37), as if the coordinator had invited every settled parent (R26). With the
/// demo's one trainer (Tamar Bakker, two series at most) and key persons Samira Haddad (Arabic, Tigrinya) and Farid
/// Ahmadi (Dari/Persian, Pashto), the planner proposes a Tigrinya and an Arabic mothers' series, and names who it
/// cannot place and why: too few Persian mothers and fathers for a series, nobody who speaks Somali or Ukrainian.
enum DemoGroups {
    /// The umbrella group offer of the demo (DemoCatalogue, 37).
    static let offerID = UUID(uuidString: "5a0e0c1e-0037-4c3a-9f00-000000000037")!

    struct Waiting: Sendable {
        let family: String
        let parent: String
        let language: String
    }

    /// Who waits, by language: 8 Tigrinya mothers, 8 Arabic mothers, 6 Persian mothers and 2 fathers, 2 Somali
    /// mothers and a father, 3 Ukrainian mothers.
    static let waiting: [Waiting] = [
        .init(family: "Tesfay / Gebremedhin", parent: "Selam", language: "ti"),
        .init(family: "Tesfay / Gebremedhin", parent: "Abrehet", language: "ti"),
        .init(family: "Habte", parent: "Senait", language: "ti"),
        .init(family: "Kidane / Tekle", parent: "Rahwa", language: "ti"),
        .init(family: "Yohannes", parent: "Merhawit", language: "ti"),
        .init(family: "Weldu / Berhane", parent: "Helen", language: "ti"),
        .init(family: "Weldu / Berhane", parent: "Zewdi", language: "ti"),
        .init(family: "Tadesse", parent: "Meron", language: "ti"),
        .init(family: "Haddad", parent: "Rasha", language: "ar"),
        .init(family: "Al-Jubouri", parent: "Zainab", language: "ar"),
        .init(family: "Saleh", parent: "Amal", language: "ar"),
        .init(family: "Al-Hassan", parent: "Nour", language: "ar"),
        .init(family: "Al-Hakimi", parent: "Huda", language: "ar"),
        .init(family: "Al-Obaidi", parent: "Zahraa", language: "ar"),
        .init(family: "Kareem", parent: "Shilan", language: "ar"),
        .init(family: "Abdi", parent: "Khadra", language: "ar"),
        .init(family: "Ahmadi", parent: "Zahra", language: "fa"),
        .init(family: "Rostami", parent: "Shirin", language: "fa"),
        .init(family: "Rostami", parent: "Reza", language: "fa"),
        .init(family: "Karimi", parent: "Fatima", language: "fa"),
        .init(family: "Karimi", parent: "Hamid", language: "fa"),
        .init(family: "Noori", parent: "Mahbooba", language: "fa"),
        .init(family: "Jafari", parent: "Niloufar", language: "fa"),
        .init(family: "Mohammadi", parent: "Roya", language: "fa"),
        .init(family: "Warsame", parent: "Hodan", language: "so"),
        .init(family: "Osman", parent: "Fadumo", language: "so"),
        .init(family: "Osman", parent: "Yusuf", language: "so"),
        .init(family: "Kovalenko", parent: "Olena", language: "uk"),
        .init(family: "Shevchenko", parent: "Iryna", language: "uk"),
        .init(family: "Bondarenko", parent: "Natalia", language: "uk"),
    ]

    /// Puts the waiting parents on the offer's planner input (in the demo's transaction).
    static func seed(on tx: any Database, municipalityID: UUID, familyIDs: [String: UUID], today: CalendarDate,
                     recorder: AuditRecorder) async throws {
        for (index, waiting) in Self.waiting.enumerated() {
            guard let familyID = familyIDs[waiting.family],
                  let member = try await Member.query(on: tx).filter(\.$family.$id == familyID)
                    .filter(\.$givenName == waiting.parent).first() else {
                throw ConfigError("demo group parent \(waiting.parent) of \(waiting.family) is missing")
            }
            let invitee = GroupInvitee()
            invitee.id = UUID()
            invitee.language = waiting.language
            // Invited over the last weeks: the oldest first.
            invitee.since = today.adding(days: -30 + index / 3).iso
            invitee.status = .waiting
            invitee.$municipality.id = municipalityID
            invitee.$offer.id = offerID
            invitee.$family.id = familyID
            invitee.$member.id = member.id!
            try await invitee.create(on: tx)
            recorder.record(AuditEvent(action: "group.plan.invite", familyID: familyID, purpose: AuditPurpose.administration,
                                       detail: "demo"))
        }
    }
}
