import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Offers API")
struct OfferAPITests {
    static func body(name: String = "Koffieochtend voor nieuwe ouders", themes: String = #"["school-system"]"#,
                     extra: String = "", organisation: String? = nil, version: Int? = nil) -> String {
        let offer = #"""
        {"name":"\#(name)","description":"Elke week koffie op school, met uitleg over de school.","kind":"informal",
         "supportType":"information","forms":["drop-in"],"themes":\#(themes),"forSituations":[],"excludesSituations":[],
         "suitsSituations":["status-holder"],"audience":"mixed","languages":["nl","ar"],"bridgeInterpreter":false,
         "bridgeKeyPerson":true,"minimumAge":4,"maximumAge":12,"phase":2,"serviceAreas":["municipality"],
         "locations":[{"name":"De Regenboog","address":"Schoolstraat 1","postcode":"2311 AB","city":"Rijnstad"}],
         "days":["WE"],"opensAt":"08:30","closesAt":"10:00","frequency":"weekly","capacity":20,"freePlaces":5,
         "waitingList":false,"registrationRequired":false,"childcare":false,"culture":["familiar-place","demand-led"]\#(extra)}
        """#
        var fields = [#""offer":\#(offer)"#]
        if let organisation { fields.append(#""organisationId":"\#(organisation)""#) }
        if let version { fields.append(#""version":\#(version)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test("a partner adds and edits its own offer, and is refused another's", arguments: TestDatabase.available)
    func ownership(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let partner = try await app.token("partner-jgz")
            let created = try await app.send(.POST, "/api/v1/offers", token: partner, json: Self.body())
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            let jgz = try await app.user("partner-jgz").$organisation.id
            #expect(created.json["organisationId"] as? String == jgz.uuidString)

            // Free places change: the partner's everyday edit.
            let updated = try await app.send(.PUT, "/api/v1/offers/\(id)", token: partner,
                                             json: Self.body(extra: "", version: 1).replacingOccurrences(of: #""freePlaces":5"#, with: #""freePlaces":0"#))
            #expect(updated.status == .ok)
            #expect((updated.json["offer"] as? [String: Any])?["freePlaces"] as? Int == 0)
            let stale = try await app.send(.PUT, "/api/v1/offers/\(id)", token: partner, json: Self.body(version: 1))
            #expect(stale.status == .conflict)
            #expect(try await OfferRevision.query(on: app.db).filter(\.$offer.$id == UUID(uuidString: id)!).count() == 2)

            // An offer of another organisation: created by the admin for Home-Start; the JGZ partner may not touch it.
            let admin = try await app.token("admin")
            let homeStart = try await Organisation.query(on: app.db).filter(\.$name == "Home-Start Rijnstad").first()!.id!
            let other = try await app.send(.POST, "/api/v1/offers", token: admin, json: Self.body(name: "Home-Start", organisation: homeStart.uuidString))
            #expect(other.status == .created)
            let otherID = try #require(other.json["id"] as? String)
            let refused = try await app.send(.PUT, "/api/v1/offers/\(otherID)", token: partner, json: Self.body(version: 1))
            #expect(refused.status == .forbidden)
            let refusedCreate = try await app.send(.POST, "/api/v1/offers", token: partner,
                                                   json: Self.body(organisation: homeStart.uuidString))
            #expect(refusedCreate.status == .forbidden)
            // Case managers read the catalogue but do not edit it.
            let caseManager = try await app.token("klantmanager")
            #expect(try await app.send(.GET, "/api/v1/offers/\(otherID)", token: caseManager).status == .ok)
            #expect(try await app.send(.PUT, "/api/v1/offers/\(otherID)", token: caseManager, json: Self.body(version: 1)).status == .forbidden)
            // The admin retires it.
            let retired = try await app.send(.POST, "/api/v1/offers/\(otherID)/retire", token: admin, json: #"{"version":1}"#)
            #expect(retired.json["status"] as? String == "retired")
            // Another municipality does not see it at all.
            let beekdal = try await app.token("klantmanager-beekdal")
            #expect(try await app.send(.GET, "/api/v1/offers/\(id)", token: beekdal).status == .notFound)
        }
    }

    @Test("bad offers are refused per field and nothing is written", arguments: TestDatabase.available)
    func badInput(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let partner = try await app.token("partner-jgz")
            let before = try await Offer.query(on: app.db).count()
            let bad = Self.body(themes: #"["cooking"]"#)
                .replacingOccurrences(of: #""minimumAge":4,"maximumAge":12"#, with: #""minimumAge":12,"maximumAge":4"#)
                .replacingOccurrences(of: #""capacity":20,"freePlaces":5"#, with: #""capacity":-1,"freePlaces":5"#)
                .replacingOccurrences(of: #""closesAt":"10:00""#, with: #""closesAt":"07:00""#)
            let response = try await app.send(.POST, "/api/v1/offers", token: partner, json: bad)
            #expect(response.status == .unprocessableEntity)
            for field in ["themes[0]", "maximumAge", "capacity", "closesAt"] {
                #expect(response.errorFields[field] != nil, "\(field) in \(response.errorFields)")
            }
            #expect(try await Offer.query(on: app.db).count() == before)
        }
    }

    @Test("filters: theme, language (given in or bridged), age, free places, postcode area", arguments: TestDatabase.available)
    func filters(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            // Only the two offers below, so the expected sets are exact (the demo's group planner input goes first).
            try await GroupInvitee.query(on: app.db).delete()
            try await Offer.query(on: app.db).delete()
            let partner = try await app.token("partner-jgz")
            _ = try await app.send(.POST, "/api/v1/offers", token: partner, json: Self.body())
            _ = try await app.send(.POST, "/api/v1/offers", token: partner, json: Self.body(name: "Puberavond", themes: #"["puberty"]"#)
                .replacingOccurrences(of: #""languages":["nl","ar"]"#, with: #""languages":["nl"]"#)
                .replacingOccurrences(of: #""bridgeKeyPerson":true"#, with: #""bridgeKeyPerson":false"#)
                .replacingOccurrences(of: #""minimumAge":4,"maximumAge":12"#, with: #""minimumAge":12,"maximumAge":18"#)
                .replacingOccurrences(of: #""freePlaces":5"#, with: #""freePlaces":0"#)
                .replacingOccurrences(of: "2311 AB", with: "2340 XY"))
            func names(_ query: String) async throws -> Set<String> {
                let response = try await app.send(.GET, "/api/v1/offers?\(query)", token: partner)
                #expect(response.status == .ok, "\(query)")
                return Set((response.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["offer"] as? [String: Any])?["name"] as? String })
            }
            let koffie = "Koffieochtend voor nieuwe ouders", puber = "Puberavond"
            #expect(try await names("theme=puberty").contains(puber))
            #expect(!(try await names("theme=puberty").contains(koffie)))
            #expect(try await names("language=ar") .contains(koffie))
            #expect(!(try await names("language=ti").contains(koffie)))
            #expect(try await names("language=ti&bridged=true").contains(koffie))
            #expect(try await names("age=14") == [puber])
            #expect(!(try await names("freePlaces=true").contains(puber)))
            #expect(try await names("postcode=2340") == [puber])
            #expect(try await names("postcode=23").isSuperset(of: [koffie, puber]))
            #expect(try await names("theme=puberty&language=nl&age=13") == [puber])
            #expect(try await app.send(.GET, "/api/v1/offers?theme=cooking", token: partner).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/api/v1/offers?age=old", token: partner).status == .unprocessableEntity)
        }
    }
}
