import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The partner rows of the access matrix (issue 8): with a referral of the target family sent to the JGZ, who sees
/// and changes what, including a partner of another organisation (not a demo account). The partner of the JGZ sees
/// the referral (only its shared fields) and answers it; nobody else outside the family's relationships sees it; and
/// the family records stay closed to every partner. Each cell expects exactly one status.
@Suite("Access matrix: referrals")
struct ReferralAccessMatrixTests {
    static let users = ["klantmanager", "sleutelpersoon", "sleutelpersoon2", "begeleider", "partner-jgz", "partner-other",
                        "trainer", "beleid", "admin", "klantmanager-beekdal"]

    /// Reading the referral and its history.
    static func read(_ user: String) -> HTTPStatus {
        switch user {
        case "klantmanager", "sleutelpersoon", "begeleider", "partner-jgz": return .ok
        case "sleutelpersoon2", "partner-other", "klantmanager-beekdal": return .notFound
        default: return .forbidden
        }
    }

    /// Declining it is the receiving partner's step only; without a reason theirs is a 422. Those who see the referral
    /// but may not make this step get 403; those who do not see it, 404.
    static func answer(_ user: String) -> HTTPStatus {
        switch user {
        case "partner-jgz": return .unprocessableEntity
        case "sleutelpersoon2", "partner-other", "klantmanager-beekdal": return .notFound
        default: return .forbidden
        }
    }

    /// Referring is the case managers' work; without an offer the input is refused (422), and the neighbouring
    /// municipality's case manager does not see the family (404).
    static func refer(_ user: String) -> HTTPStatus {
        switch user {
        case "klantmanager": return .unprocessableEntity
        case "klantmanager-beekdal": return .notFound
        default: return .forbidden
        }
    }

    @Test("API: every role × the referral routes; family routes stay closed to partners", arguments: TestDatabase.available)
    func api(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            // Habte: coupled to sleutelpersoon and begeleider, with a referral consent for the JGZ.
            let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
            let mother = try await Member.query(on: app.db).filter(\.$family.$id == family.id!).filter(\.$role == .parent).first()!
            let jgzPartner = try await app.user("partner-jgz")
            // The refugee-support organisation (begeleider's): another partner organisation of Rijnstad.
            let refugeeSupport = try await app.user("begeleider").$organisation.id
            try await User(username: "partner-other", displayName: "Olga Ander", role: .partner, passwordHash: jgzPartner.passwordHash,
                           municipalityID: jgzPartner.$municipality.id, organisationID: refugeeSupport).create(on: app.db)
            let lead = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/referrals", token: lead, json: """
                {"familyId":"\(family.id!)","offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","memberIds":["\(mother.id!)"],"reason":"Moedergroep","send":true}
                """)
            #expect(created.status == .created)
            let id = created.json["id"] as? String ?? ""
            for user in Self.users {
                let token = try await app.token(user)
                let read = try await app.send(.GET, "/api/v1/referrals/\(id)", token: token)
                let history = try await app.send(.GET, "/api/v1/referrals/\(id)/transitions", token: token)
                for response in [read, history] {
                    #expect(response.status == Self.read(user), "\(user) read: \(response.status)")
                    if Self.read(user) != .ok || user.hasPrefix("partner") {
                        #expect(!response.body.string.contains(family.name), "\(user) sees the family name")
                    }
                }
                let answer = try await app.send(.POST, "/api/v1/referrals/\(id)/transitions", token: token,
                                                json: #"{"to":"declined","from":"sent"}"#)
                #expect(answer.status == Self.answer(user), "\(user) answer: \(answer.status)")
                // The inbox is the partners' list; a partner's family routes stay closed even with an open referral.
                let inbox = try await app.send(.GET, "/api/v1/referrals/inbox", token: token)
                if user.hasPrefix("partner") {
                    #expect(inbox.status == .ok)
                    #expect((inbox.json["items"] as? [Any])?.count == (user == "partner-jgz" ? 1 : 0), "\(user) inbox")
                    #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)", token: token).status == .notFound)
                    #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)/consents", token: token).status == .notFound)
                    #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)/referrals", token: token).status == .notFound)
                } else {
                    #expect(inbox.status == .forbidden, "\(user) inbox: \(inbox.status)")
                }
                let refer = try await app.send(.POST, "/api/v1/referrals", token: token, json: #"{"familyId":"\#(family.id!)"}"#)
                #expect(refer.status == Self.refer(user), "\(user) refer: \(refer.status)")
            }
            // Nobody's attempt moved it.
            #expect(try await app.send(.GET, "/api/v1/referrals/\(id)", token: lead).json["status"] as? String == "sent")
        }
    }
}
