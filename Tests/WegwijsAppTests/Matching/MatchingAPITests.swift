import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Matching API")
struct MatchingAPITests {
    static let profile = #"""
    {"parents": [{"gender": "female", "languages": ["ti"], "dutchLevel": "none"}],
     "children": [{"age": 3}],
     "situations": ["pregnant", "family-reunification"],
     "themes": [{"code": "pregnancy-birth", "priority": "high"}, {"code": "sexual-health", "priority": "normal"}],
     "preferences": {"forms": ["group"], "audience": "mothers", "online": "any", "time": "any", "childcare": false, "postcode": "2312"},
     "settledOn": "2026-01-10", "urgent": false}
    """#

    @Test("POST /api/v1/match: the documented profile gets explained matches and named exclusions", arguments: TestDatabase.available)
    func match(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let response = try await app.send(.POST, "/api/v1/match?excluded=true", token: token, json: Self.profile)
            #expect(response.status == .ok)
            let matches = response.json["matches"] as? [[String: Any]] ?? []
            #expect(!matches.isEmpty)
            // The Eritrean midwives' group consultation, in Tigrinya, for mothers, on pregnancy.
            #expect(matches.first?["name"] as? String == "Groepsspreekuur zwangerschap met een Eritrese verloskundige")
            for match in matches {
                #expect(match["offerId"] is String && match["score"] is Int)
                #expect(!((match["themes"] as? [String]) ?? []).isEmpty)
                #expect(((match["reasons"] as? [[String: Any]]) ?? []).allSatisfy { $0["code"] is String && $0["nl"] is String && $0["en"] is String })
            }
            let excluded = try #require(response.json["excluded"] as? [[String: Any]], "asked for, so listed")
            #expect(excluded.allSatisfy { !(($0["constraints"] as? [String]) ?? []).isEmpty })
            // Deterministic.
            let again = try await app.send(.POST, "/api/v1/match", token: token, json: Self.profile)
            func order(_ r: TestingHTTPResponse) -> [String] {
                ((r.json["matches"] as? [[String: Any]]) ?? []).map { "\($0["offerId"] ?? "")@\($0["score"] ?? "")" }
            }
            #expect(order(again) == order(response))
            // The offer id is the HSDS id.
            let id = try #require(matches.first?["offerId"] as? String)
            #expect(try await app.send(.GET, "/api/hsds/services/\(id)").status == .ok)
        }
    }

    @Test("the best 20 by default: limit and offset page the ranked list, the exclusions only when asked", arguments: TestDatabase.available)
    func window(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            // Every theme: many matches in the demo catalogue.
            let broad = #"{"parents":[{"languages":["nl","ar"]}],"children":[{"age":4}],"themes":["# + Theme.allCodes.map { #"{"code":"\#($0)"}"# }.joined(separator: ",") + "]}"
            let all = try await app.send(.POST, "/api/v1/match?limit=200&excluded=true", token: token, json: broad)
            #expect(all.status == .ok)
            let ranked = ((all.json["matches"] as? [[String: Any]]) ?? []).compactMap { $0["offerId"] as? String }
            let total = try #require(all.json["total"] as? Int)
            #expect(total == ranked.count && total > 8, "\(total)")

            let first = try await app.send(.POST, "/api/v1/match", token: token, json: broad)
            #expect(first.json["excluded"] == nil, "no exclusions unless asked")
            #expect(first.json["total"] as? Int == total && first.json["limit"] as? Int == 20 && first.json["offset"] as? Int == 0)
            #expect(((first.json["matches"] as? [[String: Any]]) ?? []).compactMap { $0["offerId"] as? String } == Array(ranked.prefix(20)))
            let second = try await app.send(.POST, "/api/v1/match?limit=3&offset=4", token: token, json: broad)
            #expect(((second.json["matches"] as? [[String: Any]]) ?? []).compactMap { $0["offerId"] as? String } == Array(ranked[4..<7]))
            let beyond = try await app.send(.POST, "/api/v1/match?offset=\(total)", token: token, json: broad)
            #expect(beyond.status == .ok && (beyond.json["matches"] as? [Any])?.isEmpty == true && beyond.json["total"] as? Int == total)

            // The same window on a stored family.
            let family = try #require(try await app.demoFamily().id)
            let stored = try await app.send(.GET, "/api/v1/families/\(family)/matches?limit=3", token: token)
            #expect(stored.status == .ok && ((stored.json["matches"] as? [Any])?.count ?? 0) <= 3 && stored.json["excluded"] == nil)

            // Nonsense is a 422 that names the parameter.
            for query in ["limit=0", "limit=201", "limit=abc", "offset=-1", "offset=x", "excluded=maybe"] {
                let refused = try await app.send(.POST, "/api/v1/match?\(query)", token: token, json: broad)
                #expect(refused.status == .unprocessableEntity, "\(query)")
                let field = String(query.prefix { $0 != "=" })
                #expect((refused.json["error"] as? [String: Any]).flatMap { $0["fields"] as? [String: String] }?[field] != nil, "\(query)")
            }
        }
    }

    @Test("bad profiles: unknown codes, negative age, no parents, no themes, malformed postcode")
    func badInput() async throws {
        try await withWegwijs(.sqlite) { app in
            let token = try await app.token("klantmanager")
            for (json, field) in [
                (#"{"parents":[],"themes":[{"code":"puberty"}]}"#, "parents"),
                (#"{"parents":[{"languages":["ti"]}],"themes":[]}"#, "themes"),
                (#"{"parents":[{"languages":["xx9"]}],"themes":[{"code":"puberty"}]}"#, "parents.0.languages"),
                (#"{"parents":[{"languages":["ti"]}],"children":[{"age":-2}],"themes":[{"code":"puberty"}]}"#, "children.0.age"),
                (#"{"parents":[{"languages":["ti"]}],"themes":[{"code":"astrology"}]}"#, "themes.0.code"),
                (#"{"parents":[{"languages":["ti"]}],"themes":[{"code":"puberty"}],"preferences":{"postcode":"23AB"}}"#, "preferences.postcode"),
            ] {
                let response = try await app.send(.POST, "/api/v1/match", token: token, json: json)
                #expect(response.status == .unprocessableEntity, "\(json)")
                #expect((response.json["error"] as? [String: Any]).flatMap { $0["fields"] as? [String: String] }?[field] != nil, "\(field)")
            }
            #expect(try await app.send(.POST, "/api/v1/match", token: token, json: "{nonsense").status == .badRequest)
            #expect(try await app.send(.POST, "/api/v1/match", json: Self.profile).status == .unauthorized)
            #expect(try await app.send(.POST, "/api/v1/match", token: try await app.token("beleid"), json: Self.profile).status == .forbidden)
        }
    }

    @Test("a stored family: matches from its needs, audited; a catalogue change shows at once; choices are recorded",
          arguments: TestDatabase.available)
    func storedFamily(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let lead = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/families", token: lead, json: IntakeAPITests.motherJSON(settled: app.clock.today.adding(days: -200)))
            let id = try #require(created.json["id"] as? String)
            let empty = try await app.send(.GET, "/api/v1/families/\(id)/matches", token: lead)
            #expect(empty.status == .ok && (empty.json["matches"] as? [Any])?.isEmpty == true)
            _ = try await app.send(.POST, "/api/v1/families/\(id)/needs", token: lead, json: #"{"theme":"pregnancy-birth","priority":3}"#)
            let found = try await app.send(.GET, "/api/v1/families/\(id)/matches", token: lead)
            let matches = found.json["matches"] as? [[String: Any]] ?? []
            let names = matches.compactMap { $0["name"] as? String }
            #expect(names.contains("Groepsspreekuur zwangerschap met een Eritrese verloskundige"))
            #expect(try await app.auditCount(action: "family.matches") == 2)
            // The partner fills the group and closes its waiting list: it drops out at once, named as capacity.
            let offerID = try #require(matches.first { $0["name"] as? String == "Groepsspreekuur zwangerschap met een Eritrese verloskundige" }?["offerId"] as? String)
            let offer = try #require(try await Offer.find(UUID(uuidString: offerID), on: app.db))
            var draft = try offer.draft
            draft.freePlaces = 0
            draft.waitingList = false
            try offer.apply(draft)
            offer.version += 1
            try await offer.update(on: app.db)
            let after = try await app.send(.GET, "/api/v1/families/\(id)/matches?excluded=true&limit=200", token: lead)
            #expect(!((after.json["matches"] as? [[String: Any]]) ?? []).contains { $0["offerId"] as? String == offerID })
            #expect(((after.json["excluded"] as? [[String: Any]]) ?? []).first { $0["offerId"] as? String == offerID }?["constraints"] as? [String] == ["capacity"])

            // The choices made with the parents.
            let other = try #require((after.json["matches"] as? [[String: Any]])?.first?["offerId"] as? String)
            let chosen = try await app.send(.POST, "/api/v1/families/\(id)/matches/choices", token: lead,
                                            json: #"{"discussed":["\#(other)","\#(offerID)"],"chosen":["\#(other)"]}"#)
            #expect(chosen.status == .ok)
            let choices = (chosen.json["plan"] as? [String: Any])?["offerChoices"] as? [[String: Any]] ?? []
            #expect(choices.count == 2 && choices.filter { $0["chosen"] as? Bool == true }.map { $0["offerId"] as? String } == [other])
            #expect(try await app.send(.POST, "/api/v1/families/\(id)/matches/choices", token: lead,
                                       json: #"{"discussed":["\#(other)"],"chosen":["\#(offerID)"]}"#).status == .unprocessableEntity)
            // Outside the scope: a key person of other families.
            #expect(try await app.send(.GET, "/api/v1/families/\(id)/matches", token: try await app.token("sleutelpersoon2")).status == .notFound)
        }
    }
}

@Suite("Match disparity report")
struct DisparityReportTests {
    @Test("per origin and language: the share of families reached per theme, and the supply gaps named")
    func report() async throws {
        try await withWegwijs(.sqlite) { app in
            let lead = try await app.token("klantmanager")
            // The demo's active families of Rijnstad with open questions, before this one.
            let rijnstad = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first()?.id)
            let asking = Set(try await Need.query(on: app.db).filter(\.$status == NeedStatus.open)
                .filter(\.$municipality.$id == rijnstad).all().map { $0.$family.id })
            let before = try await Family.query(on: app.db).filter(\.$id ~~ asking).filter(\.$status == FamilyStatus.active).count()
            // A Tigrinya-speaking family asking about pregnancy (the catalogue has that), and about religion (it has not).
            let created = try await app.send(.POST, "/api/v1/families", token: lead,
                                             json: IntakeAPITests.motherJSON(settled: app.clock.today.adding(days: -200)))
            let id = try #require(created.json["id"] as? String)
            _ = try await app.send(.POST, "/api/v1/families/\(id)/needs", token: lead, json: #"{"theme":"pregnancy-birth","priority":3}"#)
            _ = try await app.send(.POST, "/api/v1/families/\(id)/needs", token: lead, json: #"{"theme":"religion","priority":1}"#)
            let lines = try await ReportCommand.matchDisparity(app, municipality: "GM9901")
            let text = lines.joined(separator: "\n")
            #expect(text.contains("\(before + 1) active families with open questions"), "\(text)")
            #expect(text.contains("  origin ER") && text.contains("  language ti"))
            // A group under 5 shows neither its count nor its share (100% of one family would name what it got).
            #expect(lines.contains { $0.contains("pregnancy-birth") && $0.contains("– of <5") })
            #expect(lines.contains { $0.contains("religion") && $0.contains("– of <5") })
            #expect(!text.contains("% of <5"))
            #expect(text.contains("Supply gaps") && text.contains("language ti · religion"))
        }
    }
}
