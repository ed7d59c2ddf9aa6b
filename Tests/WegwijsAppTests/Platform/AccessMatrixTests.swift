import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Every role × every family route, on the API and the web UI (security-model.md). The target family is coupled
/// to `sleutelpersoon` and `begeleider`; `sleutelpersoon2` is a key person of other families; `klantmanager-beekdal`
/// works in the neighbouring municipality. Writes use a stale version or invalid input, so an allowed write answers
/// 409/422 without changing anything, and a refused one 403/404.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Outcome: CustomStringConvertible {
        case allowed, forbidden, hidden
        var description: String {
            switch self {
            case .allowed: return "allowed"
            case .forbidden: return "forbidden (403)"
            case .hidden: return "hidden (404)"
            }
        }
        func matches(_ status: HTTPStatus) -> Bool {
            switch self {
            case .allowed: return [.ok, .created, .noContent, .conflict, .unprocessableEntity, .seeOther].contains(status)
            case .forbidden: return status == .forbidden
            case .hidden: return status == .notFound
            }
        }
    }

    static let users = ["klantmanager", "sleutelpersoon", "sleutelpersoon2", "begeleider", "partner-jgz", "trainer",
                        "beleid", "admin", "klantmanager-beekdal"]

    /// What each user may do with the target family: read it, change it.
    static func expected(_ user: String, write: Bool) -> Outcome {
        switch user {
        case "klantmanager": return .allowed
        case "sleutelpersoon", "begeleider": return write ? .forbidden : .allowed
        case "sleutelpersoon2", "partner-jgz": return write ? .forbidden : .hidden
        case "klantmanager-beekdal": return .hidden
        default: return .forbidden
        }
    }

    static func expectedList(_ user: String) -> Outcome {
        ["trainer", "beleid", "admin"].contains(user) ? .forbidden : .allowed
    }

    @Test("API: every role × every family route", arguments: TestDatabase.available)
    func api(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let id = family.id!
            let member = try await Member.query(on: app.db).filter(\.$family.$id == id).first()!.id!
            let consentBody = #"{"purpose":"nonsense","givenBy":"","dataCategories":[]}"#
            // A real consent to withdraw (the case manager's withdrawal is the one allowed write that succeeds).
            let jgz = try await Organisation.query(on: app.db).filter(\.$type == "youth-health-care").first()!.id!
            let recorded = try await app.send(.POST, "/api/v1/families/\(id)/consents", token: try await app.token("klantmanager"),
                                              json: #"{"purpose":"referral","organisationId":"\#(jgz)","dataCategories":["languages"],"givenBy":"both parents"}"#)
            #expect(recorded.status == .created)
            let consent = recorded.json["id"] as? String ?? ""
            let household = #"{"name":"Changed","version":999}"#
            let routes: [(HTTPMethod, String, String?, Bool)] = [
                (.GET, "/api/v1/families/\(id)", nil, false),
                (.GET, "/api/v1/families/\(id)/members", nil, false),
                (.GET, "/api/v1/families/\(id)/members/\(member)", nil, false),
                (.GET, "/api/v1/families/\(id)/consents", nil, false),
                (.PUT, "/api/v1/families/\(id)", household, true),
                (.POST, "/api/v1/families/\(id)/close", #"{"reason":"moved-away","version":999}"#, true),
                (.POST, "/api/v1/families/\(id)/reopen", #"{"version":999}"#, true),
                (.POST, "/api/v1/families/\(id)/members", #"{"role":"child","givenName":""}"#, true),
                (.PUT, "/api/v1/families/\(id)/members/\(member)", #"{"role":"child","givenName":"X","version":999}"#, true),
                (.DELETE, "/api/v1/families/\(id)/members/\(member)", #"{"version":999}"#, true),
                (.POST, "/api/v1/families/\(id)/consents", consentBody, true),
                (.POST, "/api/v1/families/\(id)/consents/\(consent)/withdraw", nil, true),
            ]
            for user in Self.users {
                let token = try await app.token(user)
                for (method, path, body, write) in routes {
                    let response = try await app.send(method, path, token: token, json: body)
                    let outcome = Self.expected(user, write: write)
                    #expect(outcome.matches(response.status),
                            "\(user) \(method) \(path): expected \(outcome), got \(response.status)")
                    // The answer never names the family to someone who may not see it.
                    if outcome != .allowed { #expect(!response.body.string.contains(family.name)) }
                }
                // Lists and registering.
                let list = try await app.send(.GET, "/api/v1/families?per=100", token: token)
                #expect(Self.expectedList(user).matches(list.status), "\(user) GET list: \(list.status)")
                if list.status == .ok {
                    let ids = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    let sees = ids.contains(id.uuidString)
                    #expect(sees == (Self.expected(user, write: false) == .allowed), "\(user) list shows the family: \(sees)")
                }
                let create = try await app.send(.POST, "/api/v1/families", token: token, json: #"{"name":""}"#)
                let mayCreate = user.hasPrefix("klantmanager")
                #expect(mayCreate ? create.status == .unprocessableEntity : create.status == .forbidden,
                        "\(user) POST /api/v1/families: \(create.status)")
            }
            // Nothing was changed by any of it.
            let after = try await Family.find(id, on: app.db)!
            #expect(after.version == family.version)
            #expect(after.name == family.name)
        }
    }

    @Test("Web UI: every role × every family page", arguments: TestDatabase.available)
    func web(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let id = family.id!
            let member = try await Member.query(on: app.db).filter(\.$family.$id == id).first()!.id!
            let pages: [(String, Bool)] = [
                ("/families/\(id)", false), ("/families/\(id)/consents", false), ("/families/\(id)/edit", true),
                ("/families/\(id)/close", true), ("/families/\(id)/members/new", true),
                ("/families/\(id)/members/\(member)/edit", true),
            ]
            let posts: [(String, [(String, String)])] = [
                ("/families/\(id)/edit", [("name", "Changed"), ("version", "999")]),
                ("/families/\(id)/close", [("reason", "moved-away"), ("version", "999")]),
                ("/families/\(id)/members/new", [("m_role", "child"), ("m_givenName", "")]),
                ("/families/\(id)/consents", [("purpose", "nonsense")]),
            ]
            for user in Self.users {
                let client = WebClient(app)
                let signIn = try await client.signIn(user)
                #expect(signIn.status == .seeOther, "\(user) could not sign in: \(signIn.status)")
                for (path, write) in pages {
                    let response = try await client.get(path)
                    let outcome = Self.expected(user, write: write)
                    #expect(outcome.matches(response.status), "\(user) GET \(path): expected \(outcome), got \(response.status)")
                    if outcome != .allowed { #expect(!response.body.string.contains(family.name)) }
                }
                for (path, fields) in posts {
                    let response = try await client.post(path, fields)
                    let outcome = Self.expected(user, write: true)
                    #expect(outcome.matches(response.status), "\(user) POST \(path): expected \(outcome), got \(response.status)")
                }
                let list = try await client.get("/families")
                #expect(Self.expectedList(user).matches(list.status), "\(user) GET /families: \(list.status)")
                if list.status == .ok {
                    #expect(list.body.string.contains(id.uuidString) == (Self.expected(user, write: false) == .allowed))
                }
            }
            let after = try await Family.find(id, on: app.db)!
            #expect(after.version == family.version)
        }
    }
}

/// The partner rows of the access matrix (issue 8): with a referral of the target family sent to the JGZ, who sees
/// and changes what. The partner of the JGZ sees the referral (only its shared fields) and answers it; nobody else
/// outside the family's relationships sees it; and the family records stay closed to every partner.
@Suite("Access matrix: referrals")
struct ReferralAccessMatrixTests {
    static let users = ["klantmanager", "sleutelpersoon", "sleutelpersoon2", "begeleider", "partner-jgz", "partner-other",
                        "trainer", "beleid", "admin", "klantmanager-beekdal"]

    enum Outcome { case allowed, forbidden, hidden }

    /// Reading the referral.
    static func read(_ user: String) -> Outcome {
        switch user {
        case "klantmanager", "sleutelpersoon", "begeleider", "partner-jgz": return .allowed
        case "sleutelpersoon2", "partner-other", "klantmanager-beekdal": return .hidden
        default: return .forbidden
        }
    }

    /// Answering it (sent → accepted) is the receiving partner's step only.
    static func answer(_ user: String) -> Outcome {
        switch user {
        case "partner-jgz": return .allowed
        case "klantmanager", "sleutelpersoon", "begeleider": return .forbidden
        case "sleutelpersoon2", "partner-other", "klantmanager-beekdal": return .hidden
        default: return .forbidden
        }
    }

    @Test("API: every role × the referral routes; family routes stay closed to partners", arguments: TestDatabase.available)
    func api(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            // Habte: coupled to sleutelpersoon and begeleider, with a referral consent for the JGZ.
            let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
            let mother = try await Member.query(on: app.db).filter(\.$family.$id == family.id!).filter(\.$role == "parent").first()!
            let jgzPartner = try await app.user("partner-jgz")
            let refugeeSupport = try await Organisation.query(on: app.db).filter(\.$type == "refugee-support").first()!
            try await User(username: "partner-other", displayName: "Olga Ander", role: .partner, passwordHash: jgzPartner.passwordHash,
                           municipalityID: jgzPartner.$municipality.id, organisationID: refugeeSupport.id!).create(on: app.db)
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
                    switch Self.read(user) {
                    case .allowed: #expect(response.status == .ok, "\(user) read: \(response.status)")
                    case .hidden: #expect(response.status == .notFound, "\(user) read: \(response.status)")
                    case .forbidden: #expect(response.status == .forbidden, "\(user) read: \(response.status)")
                    }
                    if Self.read(user) != .allowed || user.hasPrefix("partner") {
                        #expect(!response.body.string.contains(family.name), "\(user) sees the family name")
                    }
                }
                // A stale "from" makes the answer a 409 for whoever may answer, so nothing changes here.
                let answer = try await app.send(.POST, "/api/v1/referrals/\(id)/transitions", token: token,
                                                json: #"{"to":"accepted","from":"waiting-list"}"#)
                switch Self.answer(user) {
                case .allowed: #expect(answer.status == .conflict, "\(user) answer: \(answer.status)")
                case .hidden: #expect(answer.status == .notFound, "\(user) answer: \(answer.status)")
                case .forbidden: #expect([.forbidden, .conflict].contains(answer.status) && answer.status != .ok, "\(user) answer: \(answer.status)")
                }
                // The inbox is the partners' list; a partner's family routes stay closed even with an open referral.
                let inbox = try await app.send(.GET, "/api/v1/referrals/inbox", token: token)
                if user.hasPrefix("partner") {
                    #expect(inbox.status == .ok)
                    #expect((inbox.json["total"] as? Int) == (user == "partner-jgz" ? 1 : 0), "\(user) inbox")
                    #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)", token: token).status == .notFound)
                    #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)/consents", token: token).status == .notFound)
                    #expect(try await app.send(.GET, "/api/v1/families/\(family.id!)/referrals", token: token).status == .notFound)
                } else {
                    #expect(inbox.status == .forbidden, "\(user) inbox: \(inbox.status)")
                }
                // Referring is the case managers' work.
                let refer = try await app.send(.POST, "/api/v1/referrals", token: token, json: #"{"familyId":"\#(family.id!)"}"#)
                #expect(user.hasPrefix("klantmanager") ? refer.status != .forbidden : refer.status == .forbidden, "\(user) refer: \(refer.status)")
            }
            #expect(try await Referral.find(UUID(uuidString: id)!, on: app.db)?.status == "sent")
        }
    }
}
