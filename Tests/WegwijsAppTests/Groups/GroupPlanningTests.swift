import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Planning from the waiting demand (issue 14, item 4): the waiting list of a group offer and the municipality's
/// trainers and key persons go through the planner; one action turns a proposal into a series with its parents.
@Suite("Group planning from the waiting list")
struct GroupPlanningTests {
    @Test("a waiting mother is proposed into a Tigrinya series with a key person who speaks it; accepting places her",
          arguments: TestDatabase.available)
    func proposeAndAccept(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let habte = try await ReferralAPITests.habte(app)
            let referral = try await app.send(.POST, "/api/v1/referrals", token: habte.lead, json: ReferralAPITests.referBody(habte))
            #expect(referral.status == .created)
            let body = #"{"offerId":"\#(ReferralAPITests.mothersGroup)","minSize":1,"maxSize":12}"#
            let proposed = try await app.send(.POST, "/api/v1/groups/plan", token: habte.lead, json: body)
            #expect(proposed.status == .ok, "\(proposed.body.string)")
            let plan = try #require(proposed.json["plan"] as? [String: Any])
            let series = try #require(plan["series"] as? [[String: Any]])
            #expect(series.count == 1)
            #expect(series.first?["language"] as? String == "ti" && series.first?["audience"] as? String == "mothers")
            #expect(series.first?["keyPerson"] as? String == (try await app.user("sleutelpersoon")).id!.uuidString)
            #expect(series.first?["parents"] as? [String] == [habte.mother.uuidString])
            #expect(try await app.auditCount(action: "group.plan.read") == 1)

            // The same input gives the same plan.
            let again = try await app.send(.POST, "/api/v1/groups/plan", token: habte.lead, json: body)
            #expect(NSDictionary(dictionary: again.json).isEqual(to: proposed.json))

            let accepted = try await app.send(.POST, "/api/v1/groups/plan/accept", token: habte.lead,
                                              json: #"{"offerId":"\#(ReferralAPITests.mothersGroup)","minSize":1,"maxSize":12,"series":0,"startsOn":"2027-01-04","endsOn":"2027-02-28"}"#)
            #expect(accepted.status == .created, "\(accepted.body.string)")
            let participants = accepted.json["participants"] as? [[String: Any]] ?? []
            #expect(participants.count == 1)
            #expect((participants.first?["memberId"] as? String)?.uppercased() == habte.mother.uuidString)
            #expect(participants.first?["source"] as? String == "waiting-list")
            #expect(try await GroupWaitingEntry.query(on: app.db).filter(\.$family.$id == habte.family.id!).first()?.status == .placed)

            // Nobody waits any more: the running series is kept, nothing new is proposed.
            let after = try await app.send(.POST, "/api/v1/groups/plan", token: habte.lead, json: body)
            let left = (after.json["plan"] as? [String: Any])?["series"] as? [[String: Any]] ?? []
            #expect(left.allSatisfy { ($0["id"] as? String) != nil })
            #expect(((after.json["plan"] as? [String: Any])?["unplaced"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("bad planning input names its field; a proposal out of range creates nothing", arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let notGroup = try await app.send(.POST, "/api/v1/groups/plan", token: lead, json: #"{"offerId":"\#(UUID())"}"#)
            #expect(notGroup.status == .unprocessableEntity && notGroup.errorFields["offerId"] != nil)
            let sizes = try await app.send(.POST, "/api/v1/groups/plan", token: lead,
                                           json: #"{"offerId":"\#(ReferralAPITests.mothersGroup)","minSize":9,"maxSize":4}"#)
            #expect(sizes.status == .unprocessableEntity && sizes.errorFields["maxSize"] != nil)
            let range = try await app.send(.POST, "/api/v1/groups/plan/accept", token: lead,
                                           json: #"{"offerId":"\#(ReferralAPITests.mothersGroup)","series":7}"#)
            #expect(range.status == .unprocessableEntity && range.errorFields["series"] != nil)
            #expect(try await GroupSeries.query(on: app.db).count() == 0)
            let partner = try await app.send(.POST, "/api/v1/groups/plan", token: try await app.token("partner-jgz"),
                                             json: #"{"offerId":"\#(ReferralAPITests.mothersGroup)"}"#)
            #expect(partner.status == .forbidden)
        }
    }
}
