import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("HSDS exchange")
struct HSDSTests {
    @Test("the demo catalogue covers every theme and every parent language but Bulgarian")
    func demoCoverage() async throws {
        try await withWegwijs(.sqlite) { app in
            let offers = try await Offer.query(on: app.db).all().map { try $0.draft }
            #expect(offers.count >= 30)
            for theme in Theme.allCodes { #expect(offers.contains { $0.themes.contains(theme) }, "\(theme)") }
            for language in Languages.parentLanguages where language != "bg" {
                #expect(offers.contains { $0.languages.contains(language) }, "\(language)")
            }
            #expect(!offers.contains { $0.languages.contains("bg") })
        }
    }

    @Test("export → import → export gives the same document, and import is idempotent", arguments: TestDatabase.available)
    func roundTrip(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let first = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            let count = try await Offer.query(on: app.db).count()
            let report = try await CatalogExchange.import(first, municipalityCode: "GM9901", replace: false,
                                                          changedBy: "test", catalog: app.locales, on: app.db)
            #expect(report.refused.isEmpty, "\(report.refused.map { "\($0.field): \($0.reason)" })")
            #expect(report.taken.count == count)
            #expect(report.taken.allSatisfy { $0.action == "updated" })
            #expect(try await Offer.query(on: app.db).count() == count)
            let second = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            #expect(String(decoding: first, as: UTF8.self) == String(decoding: second, as: UTF8.self))

            // Into an empty catalogue of Beekdal: ids are kept? No — they belong to Rijnstad, so refused.
            let foreign = try await CatalogExchange.import(first, municipalityCode: "GM9902", replace: false,
                                                           changedBy: "test", catalog: app.locales, on: app.db)
            #expect(foreign.taken.isEmpty)
            #expect(foreign.refused.count == count)
        }
    }

    @Test("bad records are refused one by one with a reason; the good ones are taken; --replace retires the rest")
    func perRecord() async throws {
        try await withWegwijs(.sqlite) { app in
            let document = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            var services = try JSONSerialization.jsonObject(with: document) as! [[String: Any]]
            let keep = Array(services.prefix(3))
            services = keep
            var missingName = keep[0]; missingName["id"] = UUID().uuidString.lowercased(); missingName.removeValue(forKey: "name")
            var badTheme = keep[1]; badTheme["id"] = UUID().uuidString.lowercased()
            var attributes = badTheme["attributes"] as! [[String: Any]]
            attributes[0]["taxonomy_term"] = HSDS.term("theme/cooking")
            attributes[0]["taxonomy_term_id"] = HSDS.termID("theme/cooking")
            badTheme["attributes"] = attributes
            var brokenReference = keep[2]; brokenReference["id"] = UUID().uuidString.lowercased()
            brokenReference["organization_id"] = UUID().uuidString.lowercased()
            var upsideDown = keep[2]; upsideDown["id"] = UUID().uuidString.lowercased()
            upsideDown["minimum_age"] = 12; upsideDown["maximum_age"] = 4
            // A record from another publisher with fields Wegwijs does not use: taken, what we use kept.
            var foreign = keep[0]; foreign["id"] = UUID().uuidString.lowercased(); foreign["alert"] = "Closed on holidays"
            foreign["accreditations"] = "ISO"; foreign["program"] = ["id": UUID().uuidString, "name": "x", "description": "y"]
            services += [missingName, badTheme, brokenReference, upsideDown, foreign]
            let data = try JSONSerialization.data(withJSONObject: services)
            let before = try await Offer.query(on: app.db).count()
            let report = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: true,
                                                          changedBy: "test", catalog: app.locales, on: app.db)
            #expect(report.taken.count == 4)
            // Numbered from 1, as people count the records of a file.
            #expect(Set(report.refused.map(\.index)) == [4, 5, 6, 7])
            #expect(report.refused.first { $0.index == 4 }?.field == "name")
            #expect(report.refused.first { $0.index == 4 }?.code == "missing")
            #expect(report.refused.first { $0.index == 5 }?.reason.contains("themes[0]") == true)
            #expect(report.refused.first { $0.index == 6 }?.code == "broken-reference")
            #expect(report.refused.first { $0.index == 7 }?.field == "maximumAge")
            #expect(report.refused.first { $0.index == 7 }?.reason.contains("The highest age is below the lowest.") == true)
            #expect(report.retired == before - 3)
            let active = try await Offer.query(on: app.db).filter(\.$status == .active).count()
            #expect(active == 4)
            let kept = try #require(try await Offer.find(UUID(uuidString: foreign["id"] as! String), on: app.db))
            #expect(try kept.draft.name == keep[0]["name"] as? String)
        }
    }

    @Test("a malformed file writes nothing")
    func malformed() async throws {
        try await withWegwijs(.sqlite) { app in
            let before = try await OfferRevision.query(on: app.db).count()
            for data in [Data("not json at all".utf8), Data(#"{"id": "x"}"#.utf8), Data(repeating: 0x41, count: 5_000_000)] {
                await #expect(throws: CatalogExchangeError.self) {
                    _ = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: true, changedBy: "t", catalog: app.locales, on: app.db)
                }
            }
            #expect(try await OfferRevision.query(on: app.db).count() == before)
        }
    }

    @Test("the public HSDS API: root, paged services, one service, organisations, taxonomy terms and filters")
    func api() async throws {
        try await withWegwijs(.sqlite) { app in
            let root = try await app.send(.GET, "/api/hsds/")
            #expect(root.json["version"] as? String == "3.0")
            let page = try await app.send(.GET, "/api/hsds/services?per_page=5&page=2")
            #expect(page.status == .ok)
            #expect(page.json["page_number"] as? Int == 2)
            #expect(page.json["size"] as? Int == 5)
            #expect((page.json["total_items"] as? Int ?? 0) >= 30)
            #expect(page.json["first_page"] as? Bool == false)
            let contents = try #require(page.json["contents"] as? [[String: Any]])
            let id = try #require(contents.first?["id"] as? String)
            let one = try await app.send(.GET, "/api/hsds/services/\(id)")
            #expect(one.json["id"] as? String == id)
            #expect(try await app.send(.GET, "/api/hsds/services/\(UUID())").status == .notFound)
            let puberty = try await app.send(.GET, "/api/hsds/services?per_page=200&taxonomy_term_id=\(HSDS.termID("theme/puberty"))")
            let items = try #require(puberty.json["contents"] as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["attributes"] as? [[String: Any]] ?? []).contains {
                ($0["taxonomy_term"] as? [String: Any])?["code"] as? String == "theme/puberty" } })
            let terms = try await app.send(.GET, "/api/hsds/taxonomy_terms?per_page=200")
            #expect((terms.json["contents"] as? [[String: Any]])?.contains { $0["code"] as? String == "theme/puberty" } == true)
            #expect(try await app.send(.GET, "/api/hsds/organizations").json["total_items"] as? Int ?? 0 >= 10)
            #expect(try await app.send(.GET, "/api/hsds/services?per_page=5000").status == .unprocessableEntity)
        }
    }
}
