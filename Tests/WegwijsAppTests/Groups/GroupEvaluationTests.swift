import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// The parents' evaluation of a series (issue 14, item 6; docs/groups.md, "Evaluation"): an anonymous link that sets
/// no cookie and keeps nothing about the sender, closing it, the flood limit, the results, and suppression of small
/// counts for policy officers.
@Suite("Group evaluation")
struct GroupEvaluationTests {
    typealias API = GroupSeriesAPITests

    /// A series of capacity 3 (flood limit 6) with two sessions, opened for evaluation by the case manager.
    static func openSeries(_ app: Application) async throws -> (series: String, path: String, lead: String) {
        let s = try await API.setting(app)
        let created = try await app.send(.POST, "/api/v1/groups/series", token: s.lead, json: API.seriesBody(s))
        #expect(created.status == .created, "\(created.body.string)")
        let seriesID = try #require((created.json["series"] as? [String: Any])?["id"] as? String)
        for (date, topic) in [("2027-01-06", "school-system"), ("2027-01-13", "care-system")] {
            let session = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/sessions", token: s.lead, json: API.session(date, topic))
            #expect(session.status == .created, "\(session.body.string)")
        }
        let opened = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/evaluation", token: s.lead)
        #expect(opened.status == .created, "\(opened.body.string)")
        let path = try #require(opened.json["path"] as? String)
        return (seriesID, path, s.lead)
    }

    /// A phone: no cookie, nothing but the form.
    static func answer(_ app: Application, _ path: String, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
        try await WebClient(app).post(path, fields, includeCSRF: false)
    }

    static func results(_ app: Application, _ series: String, _ token: String) async throws -> [String: Any] {
        let response = try await app.send(.GET, "/api/v1/groups/series/\(series)/evaluation", token: token)
        #expect(response.status == .ok, "\(response.body.string)")
        return response.json
    }

    static func counts(_ json: [String: Any], _ question: String) -> [String: Any] {
        let questions = json["questions"] as? [[String: Any]] ?? []
        return questions.first { $0["question"] as? String == question }?["counts"] as? [String: Any] ?? [:]
    }

    @Test("the phone link sets no cookie, needs no account, and stores counts only", arguments: TestDatabase.available)
    func anonymous(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, path, lead) = try await Self.openSeries(app)
            #expect(path.count == "/evaluatie/".count + 64)
            let form = try await app.testing().sendRequest(.GET, path)
            #expect(form.status == .ok)
            #expect(form.headers[.setCookie].isEmpty, "the form set a cookie: \(form.headers[.setCookie])")
            #expect(form.headers.first(name: .cacheControl) == "no-store")
            #expect(form.body.string.contains(#"lang="ti""#), "a Tigrinya series' form is in Tigrinya")
            #expect(form.body.string.contains("ክትጥቀሙሉ እትኽእሉ ምኽሪ ወይ ሓበሬታ ረኺብኩም ዶ?"))
            #expect(form.body.string.contains("ርክብ 2"))
            let arabic = try await app.testing().sendRequest(.GET, path + "?lang=ar")
            #expect(arabic.body.string.contains(#"dir="rtl""#))

            let sent = try await Self.answer(app, path, [("q-learned", "yes"), ("q-know-where", "a-little"), ("q-at-home", "nonsense"),
                                                         ("topic", "care-system")])
            #expect(sent.status == .ok)
            #expect(sent.headers[.setCookie].isEmpty)
            #expect(sent.body.string.contains("የቐንየልና!"))
            // Sent with a user agent and a forwarded address: neither reaches the database.
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.add(name: .userAgent, value: "PhoneBrowser/1.0 (unique-agent-9f3)")
            headers.add(name: "X-Forwarded-For", value: "203.0.113.77")
            let second = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: "q-learned=no"))
            #expect(second.status == .ok)
            #expect(second.headers[.setCookie].isEmpty)

            // What is stored: counts per question and answer, nothing about who or when (beyond the day it opened).
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw("SELECT * FROM group_evaluation_counts").all()
            let columns = Set(rows.flatMap(\.allColumns))
            #expect(columns == ["evaluation_id", "question", "answer", "source", "count"])
            let stored = try await sql.raw("SELECT * FROM group_evaluations").all()
            #expect(Set(stored.flatMap(\.allColumns)) == ["id", "version", "token", "status", "responses", "opened_on", "closed_on",
                                                          "series_id", "municipality_id", "offer_id"])
            for table in ["group_evaluation_counts", "group_evaluations"] {
                let dump = try await sql.raw("SELECT * FROM \(unsafeRaw: table)").all().map { "\($0)" }.joined()
                #expect(!dump.contains("203.0.113.77") && !dump.contains("unique-agent-9f3"))
            }
            // An unknown code was dropped, not stored.
            #expect(try await sql.raw("SELECT * FROM group_evaluation_counts WHERE answer = 'nonsense'").all().isEmpty)

            let json = try await Self.results(app, series, lead)
            #expect(json["responses"] as? Int == 2)
            #expect(Self.counts(json, "learned")["yes"] as? Int == 1)
            #expect(Self.counts(json, "learned")["no"] as? Int == 1)
            #expect(Self.counts(json, "at-home")["skipped"] as? Int == 2)
            let topics = json["topics"] as? [[String: Any]] ?? []
            #expect(topics.first { $0["topic"] as? String == "care-system" }?["count"] as? Int == 1)
        }
    }

    @Test("a closed link answers 410 and stores nothing; reopening makes a new link", arguments: TestDatabase.available)
    func closing(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, path, lead) = try await Self.openSeries(app)
            let trainer = try await app.token("trainer")
            let stale = try await app.send(.DELETE, "/api/v1/groups/series/\(series)/evaluation", token: trainer, json: #"{"version":7}"#)
            #expect(stale.status == .conflict)
            let closed = try await app.send(.DELETE, "/api/v1/groups/series/\(series)/evaluation", token: trainer, json: #"{"version":1}"#)
            #expect(closed.status == .ok, "\(closed.body.string)")
            #expect(closed.json["status"] as? String == "closed")
            let form = try await app.testing().sendRequest(.GET, path)
            #expect(form.status == .gone)
            #expect(form.headers[.setCookie].isEmpty)
            let refused = try await Self.answer(app, path, [("q-learned", "yes")])
            #expect(refused.status == .gone)
            #expect(try await Self.results(app, series, lead)["responses"] as? Int == 0)
            // An unknown token: 404 with the same calm page, no lookup for a malformed one.
            #expect(try await app.testing().sendRequest(.GET, "/evaluatie/" + String(repeating: "0", count: 64)).status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/evaluatie/abc").status == .notFound)

            let reopened = try await app.send(.POST, "/api/v1/groups/series/\(series)/evaluation", token: lead)
            #expect(reopened.status == .created)
            let newPath = try #require(reopened.json["path"] as? String)
            #expect(newPath != path)
            #expect(try await app.testing().sendRequest(.GET, path).status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, newPath).status == .ok)
            #expect(try await app.send(.POST, "/api/v1/groups/series/\(series)/evaluation", token: lead).status == .conflict)
        }
    }

    @Test("at most twice the capacity in answers: then 409 with a friendly page", arguments: TestDatabase.available)
    func floodLimit(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, path, lead) = try await Self.openSeries(app)
            for _ in 0..<6 { #expect(try await Self.answer(app, path, [("q-recommend", "yes")]).status == .ok) }
            let flood = try await Self.answer(app, path, [("q-recommend", "yes")])
            #expect(flood.status == .conflict)
            #expect(flood.body.string.contains("እኹል መልስታት"))
            let json = try await Self.results(app, series, lead)
            #expect(json["responses"] as? Int == 6)
            #expect(json["answerLimit"] as? Int == 6)
            #expect(Self.counts(json, "recommend")["yes"] as? Int == 6)
            // Paper forms count towards the same limit.
            let web = WebClient(app)
            _ = try await web.signIn("klantmanager")
            _ = try await web.get("/groups/\(series)/evaluation")
            let paper = try await web.post("/groups/\(series)/evaluation/paper", [("forms", "1")])
            #expect(paper.status == .unprocessableEntity)
        }
    }

    @Test("paper forms and the facilitators' own evaluation add to the results", arguments: TestDatabase.available)
    func paperAndFacilitators(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, path, lead) = try await Self.openSeries(app)
            _ = try await Self.answer(app, path, [("q-learned", "yes")])
            let web = WebClient(app)
            _ = try await web.signIn("sleutelpersoon")
            _ = try await web.get("/groups/\(series)/evaluation")
            let tooMany = try await web.post("/groups/\(series)/evaluation/paper", [("forms", "2"), ("c-learned-yes", "3")])
            #expect(tooMany.status == .unprocessableEntity)
            let paper = try await web.post("/groups/\(series)/evaluation/paper",
                                           [("forms", "3"), ("c-learned-yes", "2"), ("c-learned-no", "1"), ("topicCode", "school-system"),
                                            ("t-school-system", "2")])
            #expect(paper.status == .seeOther, "\(paper.body.string.prefix(300))")
            let long = String(repeating: "a", count: GroupEvaluation.facilitatorTextLimit + 1)
            #expect(try await web.post("/groups/\(series)/evaluation/facilitator", [("wentWell", long), ("rating", "4")]).status == .unprocessableEntity)
            #expect(try await web.post("/groups/\(series)/evaluation/facilitator", [("wentWell", "Veel vragen over school"), ("rating", "6")]).status == .unprocessableEntity)
            let own = try await web.post("/groups/\(series)/evaluation/facilitator",
                                         [("wentWell", "Veel vragen over school"), ("toChange", "Meer tijd voor de JGZ"),
                                          ("attendance", "Bijna iedereen kwam"), ("rating", "4")])
            #expect(own.status == .seeOther)
            let page = try await web.get("/groups/\(series)/evaluation")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Meer tijd voor de JGZ"))

            let json = try await Self.results(app, series, lead)
            #expect(json["responses"] as? Int == 4)
            #expect(Self.counts(json, "learned")["yes"] as? Int == 3)
            #expect(Self.counts(json, "learned")["no"] as? Int == 1)
            let facilitators = json["facilitators"] as? [[String: Any]] ?? []
            #expect(facilitators.count == 1 && facilitators.first?["role"] as? String == "key-person")
            #expect(facilitators.first?["rating"] as? Int == 4)
            // The print version carries the link in large type, in the group's language (Tigrinya).
            let print = try await web.get("/groups/\(series)/evaluation/print")
            #expect(print.status == .ok)
            #expect(print.body.string.contains(String(path.split(separator: "/").last!)))
            #expect(print.body.string.contains("ክትጥቀሙሉ እትኽእሉ ምኽሪ ወይ ሓበሬታ ረኺብኩም ዶ?"))
            #expect(print.body.string.contains(#"<html lang="ti""#))
        }
    }

    @Test("policy officers see counts only: small ones suppressed, no facilitators' notes", arguments: TestDatabase.available)
    func suppression(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (series, path, lead) = try await Self.openSeries(app)
            for face in ["yes", "yes", "yes", "yes", "yes", "no"] {
                #expect(try await Self.answer(app, path, [("q-learned", face)]).status == .ok)
            }
            let full = try await Self.results(app, series, lead)
            #expect(full["suppressed"] as? Bool == false)
            #expect(Self.counts(full, "learned")["no"] as? Int == 1)

            let policy = try await app.token("beleid")
            let json = try await Self.results(app, series, policy)
            #expect(json["suppressed"] as? Bool == true)
            #expect(json["responses"] as? Int == 6)
            #expect(json["facilitators"] == nil)
            let learned = Self.counts(json, "learned")
            #expect(learned["no"] == nil, "a count of 1 is hidden")
            #expect(learned["yes"] == nil, "and a complement, or 6 − 5 gives it away")
            #expect(learned["aLittle"] as? Int == 0)
            // The same through the offer, which adds up all its series.
            let offer = try await app.send(.GET, "/api/v1/groups/evaluation/offers/\(ReferralAPITests.mothersGroup)", token: policy)
            #expect(offer.status == .ok, "\(offer.body.string)")
            #expect(offer.json["seriesEvaluated"] as? Int == 1)
            let results = offer.json["results"] as? [String: Any] ?? [:]
            #expect(Self.counts(results, "learned")["no"] == nil)
            // A key person does not see the offer's results; another municipality's case manager not this series.
            #expect(try await app.send(.GET, "/api/v1/groups/evaluation/offers/\(ReferralAPITests.mothersGroup)",
                                       token: try await app.token("sleutelpersoon")).status == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/groups/series/\(series)/evaluation",
                                       token: try await app.token("klantmanager-beekdal")).status == .notFound)
        }
    }

    @Test("the published table: every relation holds, and nothing small is left recoverable")
    func publishing() {
        var tally = EvaluationTally()
        for _ in 0..<7 { tally.add(EvaluationSubmission(faces: [.learned: .yes, .atHome: .yes], favouriteTopic: "school-system")) }
        tally.add(EvaluationSubmission(faces: [.learned: .no]))
        let open = GroupEvaluation.publish(tally, topics: ["school-system", "care-system"], suppress: false)
        #expect(open.responses == 8)
        #expect(open.questions.first { $0.question == .learned }?.counts[.no] == .some(1))
        #expect(open.topics.map(\.topic) == ["care-system", "school-system"])
        #expect(open.noTopic == 1)
        let hidden = GroupEvaluation.publish(tally, topics: ["school-system", "care-system"], suppress: true)
        let learned = hidden.questions.first { $0.question == .learned }!
        #expect(learned.counts[.no] == .some(nil))
        #expect(learned.counts[.yes] == .some(nil), "7 shown with 8 responses would give the 1 away")
        #expect(hidden.noTopic == nil)
        #expect(GroupEvaluation.answerLimit(maxSize: 15) == 30)
    }
}
