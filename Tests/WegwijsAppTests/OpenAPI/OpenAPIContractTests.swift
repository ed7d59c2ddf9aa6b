import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
import WegwijsCore

/// What `/openapi.json` says about answers, read from the served document itself (not from the Swift values that
/// build it), so this checks what clients see.
struct OpenAPIContract {
    let document: JSONValue
    let validator: JSONSchemaValidator

    init(document: JSONValue) {
        self.document = document
        validator = JSONSchemaValidator(document: document)
    }

    /// Every documented operation as "METHOD /path/{template}".
    var operations: Set<String> {
        var result = Set<String>()
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys { result.insert("\(method.uppercased()) \(path)") }
        }
        return result
    }

    /// Everything wrong with this answer by the document: an undocumented status, a body where none is
    /// documented (or none where one is), a wrong content type, a body that breaks its schema.
    func problems(_ method: HTTPMethod, _ template: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let operation = document["paths"]?[template]?[method.rawValue.lowercased()] else {
            return ["\(method) \(template) is not documented"]
        }
        guard let response = operation["responses"]?[String(status)] ?? operation["responses"]?["default"] else {
            return ["\(method) \(template) answered \(status), which is not documented"]
        }
        guard let schema = response["content"]?["application/json"]?["schema"] else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status): a body where the document says none"]
        }
        guard contentType?.hasPrefix("application/json") == true else {
            return ["\(method) \(template) \(status): content type \(contentType ?? "none"), documented application/json"]
        }
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { return ["\(method) \(template) \(status): the body is not JSON"] }
        return validator.errors(value, schema).map { "\(method) \(template) \(status): \($0)" }
    }
}

/// Calls every documented operation with the demo data, as a role that may, and validates each answer against the
/// schema the document gives for its status. A response that drifts from its description (a member renamed, added
/// or left out, a code outside its enum, a date in another format, an undocumented status) fails here.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    /// Sends requests and checks each answer against the contract, remembering which operations were exercised.
    final class Caller: @unchecked Sendable {
        let app: Application
        let contract: OpenAPIContract
        var called = Set<String>()

        init(_ app: Application, _ contract: OpenAPIContract) {
            self.app = app
            self.contract = contract
        }

        /// Calls `path` (an instance of `template`), expects one of `statuses`, validates the answer and returns
        /// its body.
        @discardableResult
        func call(_ method: HTTPMethod, _ template: String, _ path: String? = nil, token: String?, json: String? = nil,
                  headers: [(String, String)] = [], expect statuses: [HTTPStatus] = [.ok],
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
            let response = try await app.send(method, path ?? template, token: token, json: json, headers: headers)
            let body = Data(response.body.readableBytesView)
            #expect(statuses.contains(response.status),
                    "\(method) \(path ?? template) answered \(response.status.code): \(response.body.string.prefix(400))",
                    sourceLocation: sourceLocation)
            let problems = contract.problems(method, template, status: Int(response.status.code),
                                             contentType: response.headers.first(name: .contentType), body: body)
            #expect(problems.isEmpty, "\(problems.prefix(12).joined(separator: "\n"))", sourceLocation: sourceLocation)
            called.insert("\(method.rawValue) \(template)")
            return (try? JSONValue.parse(body)) ?? .null
        }
    }

    @Test("every documented operation answers as its schema says", arguments: TestDatabase.available)
    func everyOperation(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let served = try await app.send(.GET, "/openapi.json")
            #expect(served.status == .ok)
            let contract = OpenAPIContract(document: try JSONValue.parse(Data(served.body.readableBytesView)))
            let c = Caller(app, contract)

            // Sessions and health.
            try await c.call(.GET, "/health", token: nil)
            try await c.call(.POST, "/api/v1/session", token: nil,
                             json: #"{"username":"klantmanager","password":"\#(demoPassword)"}"#, expect: [.created])
            let lead = try await app.token("klantmanager")
            let admin = try await app.token("admin")
            let partner = try await app.token("partner-jgz")
            let keyPerson = try await app.token("sleutelpersoon")
            let policy = try await app.token("beleid")
            let leadUser = try await app.user("klantmanager")
            let keyPersonUser = try await app.user("sleutelpersoon")
            let socialWorkerUser = try await app.user("begeleider")
            let partnerOrganisation = try await app.user("partner-jgz").$organisation.id

            // Errors have the documented shape too.
            try await c.call(.GET, "/api/v1/families", token: nil, expect: [.unauthorized])
            try await c.call(.GET, "/api/v1/families/{familyID}", "/api/v1/families/\(UUID())", token: lead, expect: [.notFound])
            try await c.call(.POST, "/api/v1/families", token: lead, json: #"{"name":""}"#, expect: [.unprocessableEntity])
            try await c.call(.POST, "/api/v1/families", token: lead, json: #"{"name":"#, expect: [.badRequest])
            try await c.call(.POST, "/api/v1/families", token: partner, json: #"{"name":"X"}"#, expect: [.forbidden])
            try await c.call(.GET, "/api/v1/families", "/api/v1/families?per=1000", token: lead, expect: [.unprocessableEntity])

            // Families and members.
            try await c.call(.GET, "/api/v1/families", "/api/v1/families?per=5&count=true", token: lead)
            try await c.call(.POST, "/api/v1/families/search", "/api/v1/families/search?per=3", token: lead, json: #"{"name":"ab"}"#)
            try await c.call(.POST, "/api/v1/families/duplicates", token: lead,
                             json: #"{"name":"Haddad","members":[{"role":"parent","givenName":"Samira","birthYear":1988}]}"#)
            let created = try await c.call(.POST, "/api/v1/families", token: lead, json: """
                {"name":"Contract","postcode":"2311 AB","contactPreference":"phone","situations":["status-holder"],
                 "caseManagerId":"\(leadUser.id!)","keyPersonId":"\(keyPersonUser.id!)","socialWorkerId":"\(socialWorkerUser.id!)",
                 "members":[{"role":"parent","givenName":"Amal","familyName":"Contract","gender":"female","birthYear":1990,
                             "languagesSpoken":["ar"],"dutchLevel":"A2","countryOfOrigin":"SY"},
                            {"role":"child","givenName":"Sami","birthDate":"2020-03-01"}]}
                """, expect: [.created])
            let familyID = try #require(created["id"]?.stringValue)
            let family = "/api/v1/families/\(familyID)"
            var version = created["version"]?.numberValue.map { Int($0) } ?? 1
            try await c.call(.GET, "/api/v1/families/{familyID}", family, token: lead)
            let updated = try await c.call(.PUT, "/api/v1/families/{familyID}", family, token: lead,
                                           json: #"{"name":"Contract","postcode":"2311 AB","caseManagerId":"\#(leadUser.id!)","keyPersonId":"\#(keyPersonUser.id!)","socialWorkerId":"\#(socialWorkerUser.id!)","version":\#(version)}"#,
                                           expect: [.ok])
            version = updated["version"]?.numberValue.map { Int($0) } ?? version
            try await c.call(.PUT, "/api/v1/families/{familyID}", family, token: lead, json: #"{"name":"Contract"}"#,
                             expect: [.preconditionRequired])
            try await c.call(.PUT, "/api/v1/families/{familyID}", family, token: lead, json: #"{"name":"Contract","version":0}"#,
                             expect: [.conflict])
            let closed = try await c.call(.POST, "/api/v1/families/{familyID}/close", "\(family)/close", token: lead,
                                          json: #"{"reason":"duplicate","version":\#(version)}"#)
            version = closed["version"]?.numberValue.map { Int($0) } ?? version
            let reopened = try await c.call(.POST, "/api/v1/families/{familyID}/reopen", "\(family)/reopen", token: lead,
                                            json: #"{"version":\#(version)}"#)
            version = reopened["version"]?.numberValue.map { Int($0) } ?? version
            let members = try await c.call(.GET, "/api/v1/families/{familyID}/members", "\(family)/members", token: lead)
            let parentID = try #require(members.arrayValue?.first?["id"]?.stringValue)
            try await c.call(.GET, "/api/v1/families/{familyID}/members/{memberID}", "\(family)/members/\(parentID)", token: lead)
            try await c.call(.GET, "/api/v1/families/{familyID}/members/{memberID}", "\(family)/members/\(parentID)", token: keyPerson)
            let added = try await c.call(.POST, "/api/v1/families/{familyID}/members", "\(family)/members", token: lead,
                                         json: #"{"role":"child","givenName":"Lina","birthYear":2022}"#, expect: [.created])
            let addedID = try #require(added["id"]?.stringValue)
            let changed = try await c.call(.PUT, "/api/v1/families/{familyID}/members/{memberID}", "\(family)/members/\(addedID)",
                                           token: lead, json: #"{"role":"child","givenName":"Lina","birthYear":2021,"version":1}"#)
            let memberVersion = changed["version"]?.numberValue.map { Int($0) } ?? 2
            try await c.call(.DELETE, "/api/v1/families/{familyID}/members/{memberID}", "\(family)/members/\(addedID)",
                             token: lead, headers: [("If-Match", "\"\(memberVersion)\"")], expect: [.noContent])

            // Consents.
            let consent = try await c.call(.POST, "/api/v1/families/{familyID}/consents", "\(family)/consents", token: lead, json: """
                {"purpose":"referral","organisationId":"\(partnerOrganisation)",
                 "dataCategories":["contact-details","languages","children","questions","screening","health"],"givenBy":"Amal"}
                """, expect: [.created])
            let consentID = try #require(consent["id"]?.stringValue)
            let second = try await c.call(.POST, "/api/v1/families/{familyID}/consents", "\(family)/consents", token: lead,
                                          json: #"{"purpose":"chain-meeting","organisationId":"\#(partnerOrganisation)","dataCategories":["notes"],"givenBy":"Amal","givenOn":"2026-11-01","note":"Mondeling"}"#,
                                          expect: [.created])
            try await c.call(.POST, "/api/v1/families/{familyID}/consents/{consentID}/withdraw",
                             "\(family)/consents/\(second["id"]?.stringValue ?? "")/withdraw", token: lead)
            try await c.call(.GET, "/api/v1/families/{familyID}/consents", "\(family)/consents", token: lead)

            // The catalogue.
            let offers = try await c.call(.GET, "/api/v1/offers", "/api/v1/offers?per=5&theme=leisure", token: lead)
            try await c.call(.GET, "/api/v1/offers", "/api/v1/offers?per=100", token: lead)
            let offerID = try #require((try await c.call(.GET, "/api/v1/offers", token: lead))["items"]?.arrayValue?.first?["id"]?.stringValue)
            _ = offers
            try await c.call(.GET, "/api/v1/offers/{offerID}", "/api/v1/offers/\(offerID)", token: lead)
            let draft = """
                {"name":"Contract-aanbod","description":"Een groep voor ouders.","kind":"informal","supportType":"parenting",
                 "forms":["group"],"themes":["leisure"],"forSituations":[],"excludesSituations":[],"suitsSituations":["status-holder"],
                 "audience":"mixed","languages":["nl","ar"],"bridgeInterpreter":false,"bridgeKeyPerson":true,"minimumAge":0,
                 "maximumAge":12,"serviceAreas":["municipality"],"locations":[{"name":"Buurthuis","postcode":"2311 AB","city":"Rijnstad"}],
                 "days":["MO"],"opensAt":"09:00","closesAt":"11:00","waitingList":false,"registrationRequired":false,
                 "childcare":true,"culture":["own-language"],"cost":0,"contactEmail":"info@example.org","url":"https://example.org",
                 "activeFrom":"2026-01-01","frequency":"weekly","evidence":"well-described","capacity":12,"freePlaces":3}
                """
            let offer = try await c.call(.POST, "/api/v1/offers", token: admin,
                                         json: #"{"organisationId":"\#(partnerOrganisation)","offer":\#(draft)}"#, expect: [.created])
            let newOfferID = try #require(offer["id"]?.stringValue)
            let offerVersion = offer["version"]?.numberValue.map { Int($0) } ?? 1
            let putOffer = try await c.call(.PUT, "/api/v1/offers/{offerID}", "/api/v1/offers/\(newOfferID)", token: admin,
                                            json: #"{"version":\#(offerVersion),"offer":\#(draft)}"#)
            try await c.call(.POST, "/api/v1/offers/{offerID}/retire", "/api/v1/offers/\(newOfferID)/retire", token: admin,
                             json: #"{"version":\#(putOffer["version"]?.numberValue.map { Int($0) } ?? 2)}"#)

            // The intake.
            try await c.call(.GET, "/api/v1/screening-instrument", token: lead)
            // Answers of every kind the instrument has: theme priorities, scales, several choices.
            let answers = #"{"themes":{"school-system":3,"leisure":1},"confidence.where-to-go":2,"confidence.talking":4,"stressors":["housing"]}"#
            try await c.call(.POST, "/api/v1/families/{familyID}/screenings", "\(family)/screenings", token: lead,
                             json: #"{"occasion":"intake","conductedOn":"2026-11-10","memberId":"\#(parentID)","answers":\#(answers)}"#,
                             expect: [.created])
            try await c.call(.POST, "/api/v1/families/{familyID}/screenings", "\(family)/screenings", token: lead,
                             json: #"{"occasion":"guidance","memberId":"\#(parentID)","answers":{"themes":{"school-system":1,"money-stress":2},"confidence.where-to-go":4,"stressors":[]}}"#,
                             expect: [.created])
            try await c.call(.GET, "/api/v1/families/{familyID}/screenings", "\(family)/screenings", token: lead)
            let need = try await c.call(.POST, "/api/v1/families/{familyID}/needs", "\(family)/needs", token: lead,
                                        json: #"{"theme":"money-stress","priority":2,"note":"Schulden","raisedByMemberId":"\#(parentID)"}"#,
                                        expect: [.created])
            let needID = try #require(need["id"]?.stringValue)
            try await c.call(.PATCH, "/api/v1/families/{familyID}/needs/{needID}", "\(family)/needs/\(needID)", token: lead,
                             json: #"{"priority":3,"version":\#(need["version"]?.numberValue.map { Int($0) } ?? 1)}"#)
            let needs = try await c.call(.GET, "/api/v1/families/{familyID}/needs", "\(family)/needs", token: lead)
            let proposed = try await c.call(.GET, "/api/v1/families/{familyID}/plan", "\(family)/plan", token: lead)
            let saved = try await c.call(.PUT, "/api/v1/families/{familyID}/plan", "\(family)/plan", token: lead, json: """
                {"goals":["Weten hoe school werkt"],"actions":[{"text":"Schoolbezoek","who":"Sleutelpersoon","due":"2026-12-01","done":false}],
                 "phase":1,"reviewDate":"2027-01-15","urgent":false,"version":\(proposed["version"]?.numberValue.map { Int($0) } ?? 0)}
                """)
            _ = saved
            let page = try #require(app.parentContent.pages.first?.slug)
            try await c.call(.POST, "/api/v1/families/{familyID}/plan/information", "\(family)/plan/information", token: lead,
                             json: #"{"pages":["\#(page)"],"language":"ar","how":"printed"}"#)
            try await c.call(.POST, "/api/v1/families/{familyID}/contacts", "\(family)/contacts", token: lead,
                             json: #"{"mode":"home-visit","memberId":"\#(parentID)","language":"ar","interpreter":true,"note":"Kennismaking","signal":{"kind":"question","text":"Vraag over school"}}"#,
                             expect: [.created])
            try await c.call(.GET, "/api/v1/families/{familyID}/contacts", "\(family)/contacts", token: lead)
            try await c.call(.GET, "/api/v1/families/{familyID}/contacts", "\(family)/contacts", token: keyPerson)
            let signal = try await c.call(.POST, "/api/v1/families/{familyID}/signals", "\(family)/signals", token: keyPerson,
                                          json: #"{"kind":"concern","text":"Zorgen over slapen"}"#, expect: [.created])
            try await c.call(.POST, "/api/v1/families/{familyID}/signals/{signalID}/handled",
                             "\(family)/signals/\(signal["id"]?.stringValue ?? "")/handled", token: lead)
            try await c.call(.GET, "/api/v1/families/{familyID}/signals", "\(family)/signals", token: lead)
            let record = try await c.call(.POST, "/api/v1/families/{familyID}/meldcode", "\(family)/meldcode", token: lead,
                                          json: #"{"colleagueId":"\#(socialWorkerUser.id!)"}"#, expect: [.created])
            try await c.call(.POST, "/api/v1/families/{familyID}/meldcode/{recordID}/steps",
                             "\(family)/meldcode/\(record["id"]?.stringValue ?? "")/steps", token: lead,
                             json: #"{"step":1,"note":"Signalen in kaart","version":\#(record["version"]?.numberValue.map { Int($0) } ?? 1)}"#)
            try await c.call(.GET, "/api/v1/families/{familyID}/meldcode", "\(family)/meldcode", token: lead)

            // Matching.
            try await c.call(.POST, "/api/v1/match", token: lead, json: """
                {"parents":[{"gender":"female","languages":["ar"],"dutchLevel":"A1"}],"children":[{"age":4}],
                 "situations":["status-holder"],"themes":[{"code":"school-system","priority":"high"},{"code":"leisure"}],
                 "preferences":{"forms":["group"],"audience":"mothers","online":"no","time":"daytime","childcare":true,"postcode":"2311"},
                 "settledOn":"2026-06-01","urgent":false}
                """)
            let matches = try await c.call(.GET, "/api/v1/families/{familyID}/matches", "\(family)/matches", token: lead)
            let discussed = matches["matches"]?.arrayValue?.prefix(2).compactMap { $0["offerId"]?.stringValue } ?? []
            let choices = discussed.isEmpty ? [offerID] : discussed
            try await c.call(.POST, "/api/v1/families/{familyID}/matches/choices", "\(family)/matches/choices", token: lead,
                             json: #"{"discussed":\#(JSONValue.array(choices.map(JSONValue.string)).jsonText),"chosen":["\#(choices[0])"]}"#)

            // Referrals.
            let referral = try await c.call(.POST, "/api/v1/referrals", token: lead, json: """
                {"familyId":"\(familyID)","organisationId":"\(partnerOrganisation)","memberIds":["\(parentID)"],
                 "needIds":\(JSONValue.array((needs.arrayValue ?? []).compactMap { $0["id"] }).jsonText),
                 "reason":"Hulp bij opvoeden","ownWords":"Ik wil het beter doen","language":"ar","interpreterNeeded":true,
                 "sharedFields":["first-name","language","children-ages","question","family-name","contact-details","situations","screening"],
                 "consentId":"\(consentID)","send":true}
                """, expect: [.created])
            let referralID = try #require(referral["id"]?.stringValue)
            let one = "/api/v1/referrals/\(referralID)"
            try await c.call(.GET, "/api/v1/referrals/{referralID}", one, token: lead)
            try await c.call(.GET, "/api/v1/referrals/{referralID}", one, token: partner)
            try await c.call(.POST, "/api/v1/referrals/{referralID}/chase", "\(one)/chase", token: lead, json: #"{"note":"Graag een antwoord"}"#)
            try await c.call(.GET, "/api/v1/referrals/inbox", "/api/v1/referrals/inbox?per=10&count=true", token: partner)
            try await c.call(.GET, "/api/v1/referrals/inbox", "/api/v1/referrals/inbox?status=open", token: partner)
            try await c.call(.POST, "/api/v1/referrals/{referralID}/transitions", "\(one)/transitions", token: partner,
                             json: #"{"to":"accepted","from":"sent","note":"Welkom"}"#)
            try await c.call(.POST, "/api/v1/referrals/{referralID}/transitions", "\(one)/transitions", token: partner,
                             json: #"{"to":"completed"}"#, expect: [.conflict])
            try await c.call(.POST, "/api/v1/referrals/{referralID}/transitions", "\(one)/transitions", token: partner,
                             json: #"{"to":"first-contact-planned","plannedOn":"2026-11-25","plannedTime":"10:00","companionId":"\#(keyPersonUser.id!)"}"#)
            try await c.call(.POST, "/api/v1/referrals/{referralID}/handover", "\(one)/handover", token: keyPerson,
                             json: #"{"happened":true,"note":"Samen geweest"}"#)
            try await c.call(.GET, "/api/v1/referrals/{referralID}/transitions", "\(one)/transitions", token: lead)
            try await c.call(.GET, "/api/v1/referrals", "/api/v1/referrals?per=10", token: lead)
            try await c.call(.GET, "/api/v1/referrals", "/api/v1/referrals?status=open&count=true", token: partner)
            try await c.call(.GET, "/api/v1/families/{familyID}/referrals", "\(family)/referrals", token: lead)
            for token in [lead, keyPerson] { try await c.call(.GET, "/api/v1/worklist", token: token) }
            for token in [lead, partner] { try await c.call(.GET, "/api/v1/notifications", token: token) }
            try await c.call(.GET, "/api/v1/notifications", "/api/v1/notifications?unread=true", token: lead)
            try await c.call(.POST, "/api/v1/notifications/read", token: lead, json: "{}", expect: [.noContent])
            for token in [lead, policy] { try await c.call(.GET, "/api/v1/reports/referrals", token: token) }
            try await c.call(.GET, "/api/v1/settings/referrals", token: admin)
            try await c.call(.PUT, "/api/v1/settings/referrals", token: admin,
                             json: #"{"answerWorkingDays":10,"firstContactDays":20,"partnerAccessDays":30}"#)
            try await c.call(.PUT, "/api/v1/settings/referrals", token: admin,
                             json: #"{"answerWorkingDays":0,"firstContactDays":20,"partnerAccessDays":30}"#, expect: [.unprocessableEntity])

            // The demo's own families, as their key person and lead see them.
            let demo = try await app.demoFamily(keyPerson: "sleutelpersoon")
            for token in [lead, keyPerson] {
                try await c.call(.GET, "/api/v1/families/{familyID}", "/api/v1/families/\(demo.id!)", token: token)
                try await c.call(.GET, "/api/v1/families/{familyID}/members", "/api/v1/families/\(demo.id!)/members", token: token)
                try await c.call(.GET, "/api/v1/families/{familyID}/screenings", "/api/v1/families/\(demo.id!)/screenings", token: token)
                try await c.call(.GET, "/api/v1/families/{familyID}/plan", "/api/v1/families/\(demo.id!)/plan", token: token)
                try await c.call(.GET, "/api/v1/families/{familyID}/contacts", "/api/v1/families/\(demo.id!)/contacts", token: token)
                try await c.call(.GET, "/api/v1/families/{familyID}/referrals", "/api/v1/families/\(demo.id!)/referrals", token: token,
                                 expect: [.ok, .forbidden])
            }

            // Group series: plan, sessions, a parent by invitation, answers, attendance; and a refusal.
            let trainerID = try await app.user("trainer").id!
            let seriesBody = #"{"offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","language":"ti","audience":"mothers","minSize":2,"maxSize":12,"place":"D03","location":"Buurthuis","time":"evening","childcare":true,"startsOn":"2027-01-04","endsOn":"2027-02-28","trainerId":"\#(trainerID)","keyPersonId":"\#(keyPersonUser.id!)""#
            let planned = try await c.call(.POST, "/api/v1/groups/series", token: lead, json: seriesBody + "}", expect: [.created])
            try await c.call(.POST, "/api/v1/groups/series", token: lead, json: #"{"language":"zz"}"#, expect: [.unprocessableEntity])
            let seriesID = try #require(planned["series"]?["id"]?.stringValue)
            let seriesPath = "/api/v1/groups/series/\(seriesID)"
            try await c.call(.GET, "/api/v1/groups/series", token: lead)
            try await c.call(.PUT, "/api/v1/groups/series/{seriesID}", seriesPath, token: lead, json: seriesBody + #","status":"running","version":1}"#)
            let withSession = try await c.call(.POST, "/api/v1/groups/series/{seriesID}/sessions", "\(seriesPath)/sessions", token: lead,
                                               json: #"{"date":"2027-01-06","startsAt":"19:00","endsAt":"21:00","topic":"school-system","guestIds":["\#(try await app.user("partner-jgz").id!)"]}"#,
                                               expect: [.created])
            let sessionID = try #require(withSession["sessions"]?.arrayValue?.first?["id"]?.stringValue)
            try await c.call(.PUT, "/api/v1/groups/series/{seriesID}/sessions/{sessionID}", "\(seriesPath)/sessions/\(sessionID)", token: lead,
                             json: #"{"date":"2027-01-06","startsAt":"19:00","endsAt":"21:00","topic":"care-system","place":"Bibliotheek","version":1}"#)
            let mother = try await c.call(.POST, "/api/v1/families", token: lead, json: #"""
                {"name":"Groep","members":[{"role":"parent","givenName":"Selam","gender":"female","languagesSpoken":["ti"]}]}
                """#, expect: [.created])
            let motherID = try #require(mother["members"]?.arrayValue?.first?["id"]?.stringValue)
            let joined = try await c.call(.POST, "/api/v1/groups/series/{seriesID}/participants", "\(seriesPath)/participants", token: lead,
                                          json: #"{"memberId":"\#(motherID)","source":"invitation"}"#, expect: [.created])
            let participantID = try #require(joined["participants"]?.arrayValue?.first?["id"]?.stringValue)
            try await c.call(.PUT, "/api/v1/groups/series/{seriesID}/participants/{participantID}", "\(seriesPath)/participants/\(participantID)",
                             token: keyPerson, json: #"{"invitation":"accepted","version":1}"#)
            try await c.call(.PUT, "/api/v1/groups/series/{seriesID}/sessions/{sessionID}/attendance", "\(seriesPath)/sessions/\(sessionID)/attendance",
                             token: lead, json: #"{"childcareHeadcount":1,"records":[{"participantId":"\#(participantID)","status":"present","childrenBrought":1}]}"#)
            try await c.call(.GET, "/api/v1/groups/series/{seriesID}", seriesPath, token: keyPerson)

            // The parents' evaluation: opened once (the link), an answer on a phone, results for staff and, per offer,
            // for the policy officer (suppressed); closed with a stale version, then for real.
            let evaluationPath = "\(seriesPath)/evaluation"
            let link = try await c.call(.POST, "/api/v1/groups/series/{seriesID}/evaluation", evaluationPath, token: lead, expect: [.created])
            try await c.call(.POST, "/api/v1/groups/series/{seriesID}/evaluation", evaluationPath, token: lead, expect: [.conflict])
            let publicPath = try #require(link["path"]?.stringValue)
            let answered = try await WebClient(app).post(publicPath, [("q-learned", "yes"), ("topic", "care-system")], includeCSRF: false)
            #expect(answered.status == .ok)
            let results = try await c.call(.GET, "/api/v1/groups/series/{seriesID}/evaluation", evaluationPath, token: lead)
            #expect(results["responses"]?.numberValue == 1)
            try await c.call(.GET, "/api/v1/groups/series/{seriesID}/evaluation", evaluationPath, token: policy)
            try await c.call(.GET, "/api/v1/groups/evaluation/offers/{offerID}",
                             "/api/v1/groups/evaluation/offers/5a0e0c1e-0036-4c3a-9f00-000000000036", token: policy)
            try await c.call(.DELETE, "/api/v1/groups/series/{seriesID}/evaluation", evaluationPath, token: lead,
                             json: #"{"version":99}"#, expect: [.conflict])
            try await c.call(.DELETE, "/api/v1/groups/series/{seriesID}/evaluation", evaluationPath, token: lead, json: #"{"version":1}"#)

            // Calendar feed links: a series' feed by its case manager, one's own by the key person; list; revoke.
            let seriesLink = try await c.call(.POST, "/api/v1/groups/calendar-links", token: lead,
                                              json: #"{"kind":"series","seriesId":"\#(seriesID)"}"#, expect: [.created])
            try await c.call(.POST, "/api/v1/groups/calendar-links", token: keyPerson, json: #"{"kind":"facilitator"}"#, expect: [.created])
            try await c.call(.POST, "/api/v1/groups/calendar-links", token: lead, json: #"{"kind":"series"}"#, expect: [.unprocessableEntity])
            try await c.call(.GET, "/api/v1/groups/calendar-links", token: lead)
            let linkID = try #require(seriesLink["id"]?.stringValue)
            try await c.call(.DELETE, "/api/v1/groups/calendar-links/{linkID}", "/api/v1/groups/calendar-links/\(linkID)", token: lead,
                             expect: [.noContent])
            for token in [lead, policy] { try await c.call(.GET, "/api/v1/reports/groups", token: token) }
            // Every report (docs/reports.md): each table, the regional view, a bad period, a role that may not.
            for report in ReportName.allCases {
                let template = "/api/v1/reports/\(report.rawValue)"
                for table in report.tableNames { try await c.call(.GET, template, template + "?by=\(table)", token: policy) }
                try await c.call(.GET, template, template + "?scope=region&from=2025-01-01&to=2026-12-31", token: policy)
            }
            try await c.call(.GET, "/api/v1/reports/reach", "/api/v1/reports/reach?from=2026-13-01", token: policy, expect: [.unprocessableEntity])
            try await c.call(.GET, "/api/v1/reports/reach", token: keyPerson, expect: [.forbidden])
            // The procurement checklist: own municipality and region (policy officer), the admin; a bad scope.
            for (token, query) in [(policy, ""), (policy, "?scope=region"), (admin, "?scope=municipality")] {
                try await c.call(.GET, "/api/v1/reports/procurement", "/api/v1/reports/procurement\(query)", token: token)
            }
            try await c.call(.GET, "/api/v1/reports/procurement", "/api/v1/reports/procurement?scope=country", token: policy,
                             expect: [.unprocessableEntity])
            try await c.call(.GET, "/api/v1/reports/procurement", token: lead, expect: [.forbidden])
            try await c.call(.POST, "/api/v1/groups/plan", token: lead, json: #"{"offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","minSize":1}"#)
            try await c.call(.POST, "/api/v1/groups/plan/accept", token: lead,
                             json: #"{"offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","minSize":1,"series":99}"#, expect: [.unprocessableEntity])
            try await c.call(.POST, "/api/v1/groups/plan/invite", token: lead, json: #"{"offerId":"5a0e0c1e-0037-4c3a-9f00-000000000037","settledMonths":48}"#)
            try await c.call(.POST, "/api/v1/groups/plan/invite", token: lead, json: #"{"offerId":"5a0e0c1e-0037-4c3a-9f00-000000000037","settledMonths":0}"#,
                             expect: [.unprocessableEntity])
            // What the planner knows of people: districts, a parent's and a trainer's availability; an invitee off the list.
            try await c.call(.PUT, "/api/v1/groups/districts", token: lead,
                             json: #"{"districts":[{"code":"D03","name":"Rijnstad-Oost","postcodes":["2311-2315"]}]}"#)
            try await c.call(.PUT, "/api/v1/groups/districts", token: lead, json: #"{"districts":[{"code":"online","name":"x"}]}"#,
                             expect: [.unprocessableEntity])
            try await c.call(.GET, "/api/v1/groups/districts", token: lead)
            try await c.call(.PUT, "/api/v1/groups/plan/availability/parents/{memberID}", "/api/v1/groups/plan/availability/parents/\(motherID)",
                             token: lead, json: #"{"times":["evening"],"online":true,"districts":["D03"]}"#)
            try await c.call(.PUT, "/api/v1/groups/plan/availability/parents/{memberID}", "/api/v1/groups/plan/availability/parents/\(motherID)",
                             token: lead, json: #"{"times":["night"],"districts":["D99"]}"#, expect: [.unprocessableEntity])
            try await c.call(.PUT, "/api/v1/groups/plan/availability/facilitators/{userID}", "/api/v1/groups/plan/availability/facilitators/\(trainerID)",
                             token: lead, json: #"{"times":["daytime"],"maxSeries":3}"#)
            let invitee = try await GroupInvitee.query(on: app.db).filter(\.$status == .waiting).first()
            try await c.call(.DELETE, "/api/v1/groups/plan/invitees/{inviteeID}", "/api/v1/groups/plan/invitees/\(invitee?.id ?? UUID())",
                             token: lead, expect: [.noContent])
            try await c.call(.GET, "/api/v1/groups/series/{seriesID}/sessions/{sessionID}/handout",
                             "\(seriesPath)/sessions/\(sessionID)/handout", token: keyPerson)

            // Sign out last: the token stops working.
            try await c.call(.DELETE, "/api/v1/session", token: policy, expect: [.noContent])
            try await c.call(.GET, "/api/v1/worklist", token: policy, expect: [.unauthorized])

            let missed = contract.operations.subtracting(c.called)
            #expect(missed.isEmpty, "operations the contract test does not call: \(missed.sorted())")
        }
    }

    /// The check itself bites: a real answer with one member renamed, a code outside its enum, a member left out,
    /// or an undocumented status is refused.
    @Test("a drifted answer fails the contract")
    func driftFails() async throws {
        try await withWegwijs(.sqlite) { app in
            let contract = OpenAPIContract(document: try JSONValue.parse(OpenAPIDocument.json))
            let token = try await app.token("klantmanager")
            let family = try await app.demoFamily()
            let response = try await app.send(.GET, "/api/v1/families/\(family.id!)", token: token)
            let body = Data(response.body.readableBytesView)
            let template = "/api/v1/families/{familyID}"
            #expect(contract.problems(.GET, template, status: 200, contentType: "application/json; charset=utf-8", body: body).isEmpty)

            guard case .object(var members) = try JSONValue.parse(body) else { Issue.record("not an object"); return }
            func problems(_ changed: [String: JSONValue]) throws -> [String] {
                contract.problems(.GET, template, status: 200, contentType: "application/json",
                                  body: try JSONEncoder().encode(JSONValue.object(changed)))
            }
            var renamed = members
            renamed["familyName"] = renamed.removeValue(forKey: "name")
            #expect(try !problems(renamed).isEmpty)
            var badCode = members
            badCode["status"] = .string("archived")
            #expect(try !problems(badCode).isEmpty)
            var badDate = members
            badDate["createdAt"] = .string("18-11-2026")
            #expect(try !problems(badDate).isEmpty)
            members.removeValue(forKey: "version")
            #expect(try !problems(members).isEmpty)
            #expect(!contract.problems(.GET, template, status: 418, contentType: "application/json", body: body).isEmpty)
            #expect(!contract.problems(.GET, template, status: 200, contentType: "text/html", body: body).isEmpty)
            #expect(!contract.problems(.DELETE, "/api/v1/families/{familyID}/members/{memberID}", status: 204,
                                       contentType: "application/json", body: body).isEmpty)
        }
    }

    @Test("the document is OpenAPI 3.1 with a bearer scheme, enums from the vocabulary, and errors on every operation")
    func documentShape() throws {
        let document = try JSONValue.parse(OpenAPIDocument.json)
        #expect(document["openapi"]?.stringValue == "3.1.0")
        #expect(document["components"]?["securitySchemes"]?["bearer"]?["scheme"]?.stringValue == "bearer")
        let schemas = try #require(document["components"]?["schemas"])
        let situations = schemas["Family"]?["properties"]?["situations"]?["items"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
        #expect(situations == Situation.allCodes)
        #expect(schemas["OfferDraft"]?["properties"]?["themes"]?["items"]?["enum"]?.arrayValue?.count == Theme.allCases.count)
        #expect(schemas["ReferralSettings"]?["properties"]?["answerWorkingDays"]?["maximum"]?.numberValue == 60)
        let validator = JSONSchemaValidator(document: document)
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] {
                let responses = operation["responses"]?.objectValue ?? [:]
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path) documents no success")
                if path != "/health" {
                    for status in ["400", "422"] {
                        #expect(responses[status]?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
                                == "#/components/schemas/Error", "\(method) \(path) \(status)")
                    }
                }
                if path.contains("{") { #expect(responses["404"] != nil, "\(method) \(path) 404") }
            }
        }
        // Every schema the document holds uses only keywords and formats the validator checks.
        #expect(validator.unsupported(in: document).isEmpty, "\(validator.unsupported(in: document).prefix(10))")
    }
}
