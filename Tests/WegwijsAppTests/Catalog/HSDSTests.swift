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

    @Test("impossible values are left out with a warning per field and the record kept; only no name or a broken reference is refused; --replace retires the rest")
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
            var foreign = keep[0]; foreign["id"] = UUID().uuidString.lowercased(); foreign["alert"] = "Closed on holidays"
            foreign["accreditations"] = "ISO"; foreign["program"] = ["id": UUID().uuidString, "name": "x", "description": "y"]
            services += [missingName, badTheme, brokenReference, upsideDown, foreign]
            let data = try JSONSerialization.data(withJSONObject: services)
            let before = try await Offer.query(on: app.db).filter(\.$status == .active).count()
            let report = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: true,
                                                          changedBy: "test", catalog: app.locales, on: app.db)
            #expect(report.taken.count == 6)
            #expect(Set(report.refused.map(\.index)) == [4, 6])
            #expect(report.refused.first { $0.index == 4 }?.field == "name")
            #expect(report.refused.first { $0.index == 6 }?.code == "broken-reference")
            #expect(report.warnings.contains { $0.index == 5 && $0.field == "themes" && $0.value == "cooking" })
            let ages = report.warnings.filter { $0.index == 7 }
            #expect(Set(ages.map(\.field)) == ["minimumAge", "maximumAge"], "\(ages.map(\.field))")
            #expect(ages.first?.reason.contains("the highest age is below the lowest") == true)
            let kept = try #require(try await Offer.find(UUID(uuidString: upsideDown["id"] as! String), on: app.db))
            #expect(try kept.draft.minimumAge == nil && kept.draft.maximumAge == nil)
            #expect(report.retired == before - 3)
            #expect(report.retiredOffers.count == report.retired)
        }
    }

    /// Open Referral's example service (`examples/service_full.json` of openreferral/specification), as a fixture
    /// written for Wegwijs with the same shape and the same impossible values: one object (not a list), a latitude
    /// of 100 and longitude of 101, a postcode "ABC 1234" in the US, a maximum age of 100, a cost in pounds, a
    /// quoted phone number, and only another publisher's taxonomy (no Wegwijs theme).
    nonisolated(unsafe) static let serviceFull: [String: Any] = [
        "id": "ac148810-d857-441c-9679-408f346de14b", "name": "Community Counselling",
        "alternate_name": "MyCity Counselling Services",
        "description": "Counselling services provided by trained professionals.",
        "url": "http://example.com/counselling", "email": "email@example.com", "status": "active",
        "minimum_age": 12, "maximum_age": 100, "assured_date": "2005-01-01",
        "phones": [["id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number": "\"+44 1234 234567\"", "extension": 100]],
        "schedules": [["id": "48102e86-bb50-41c4-8f1e-e269368c41d1", "valid_from": "2005-01-01", "valid_to": "2005-01-01",
                       "freq": "WEEKLY", "interval": 1, "byday": "TH,FR", "opens_at": "10:00:00", "closes_at": "18:00:00"]],
        "service_areas": [["id": "381c64f1-a724-4884-9c21-ac96c21cca3e", "extent": "extent", "extent_type": "geojson"]],
        "service_at_locations": [["id": "e94c9f38-1e8f-4564-91d4-d53501ab1765", "location": [
            "id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "location_type": "physical", "name": "MyCity Civic Center",
            "latitude": 100, "longitude": 101,
            "addresses": [["id": "74706e55-df26-4b84-80fe-ecc30b5befb4", "address_1": "1-30 Main Street", "city": "MyCity",
                           "state_province": "MyState", "postal_code": "ABC 1234", "country": "US", "address_type": "postal"]],
        ] as [String: Any]]],
        "languages": [["id": "2989d3ed-c547-48f8-8f9d-432d81c7892e", "name": "Urdu", "code": "ur"]],
        "organization": ["id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Example Organization Inc.",
                         "description": "Example Org is a non-profit organization"],
        "cost_options": [["id": "1fdf4d39-3d80-484d-9f92-a8ffa08621e7", "option": "Under 18s and Over 60s", "currency": "gbp", "amount": 35]],
        "contacts": [["id": "1e7efce3-639b-4880-940c-b95cd30cdb50", "name": "Ann Persona"]],
        "attributes": [["id": "ae58cc39-8b70-4ab1-8aea-786882e5ac8e", "value": "value",
                        "taxonomy_term": ["id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "code": "code", "name": "name", "taxonomy": "taxonomy"]]],
    ]

    @Test("Open Referral's service_full.json imports with warnings, waits to be classified, is not matched or shown to parents, and is offered once an editor gives it a theme")
    func serviceFull() async throws {
        try await withWegwijs(.sqlite) { app in
            let data = try JSONSerialization.data(withJSONObject: Self.serviceFull)
            let report = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: false,
                                                          changedBy: "test", catalog: app.locales, locale: .nl, on: app.db)
            #expect(report.refused.isEmpty, "\(report.refused.map(\.reason))")
            #expect(report.taken.count == 1 && report.toClassify == 1)
            let fields = Set(report.warnings.map(\.field))
            for field in ["locations[0].latitude", "locations[0].postcode", "maximumAge", "cost", "themes"] {
                #expect(fields.contains(field), "\(field) in \(fields)")
            }
            let latitude = try #require(report.warnings.first { $0.field == "locations[0].latitude" })
            #expect(latitude.index == 1 && latitude.name == "Community Counselling" && latitude.value == "100.0")
            #expect(latitude.reason.contains("geen coördinaat op aarde") && latitude.reason.contains("weggelaten"))
            let id = UUID(uuidString: "ac148810-d857-441c-9679-408f346de14b")!
            let offer = try #require(try await Offer.find(id, on: app.db))
            #expect(offer.status == .toClassify)
            let draft = try offer.draft
            #expect(draft.minimumAge == 12 && draft.maximumAge == nil && draft.cost == nil)
            #expect(draft.locations.first?.latitude == nil && draft.locations.first?.postcode == nil)
            #expect(draft.locations.first?.address == "1-30 Main Street")

            // Not matched, not in the parents' finder or the public HSDS API; listed for the catalogue's editors.
            let engine = try await MatchingService.compile(municipality: "GM9901", today: CalendarDate(iso: "2026-12-06")!, on: app.db)
            let profile = MatchProfile(parents: [.init(languages: ["nl", "ur"])],
                                       themes: Theme.allCodes.map { .init(code: $0, priority: "high") })
            #expect(!engine.match(profile).matches.contains { $0.offerId == id.uuidString })
            #expect(try await app.send(.GET, "/api/hsds/services/\(id)").status == .notFound)
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let list = try await admin.get("/catalog?status=to-classify")
            #expect(list.body.string.contains("Community Counselling"))
            #expect(try await admin.get("/catalog").body.string.contains(#"href="/catalog?status=to-classify""#))

            // An editor gives it a theme and saves: it is offered.
            let form = try await admin.get("/catalog/\(id)/edit")
            var values = CatalogWebTests.fields(of: form.body.string).filter { $0.0 != "_csrf" && $0.0 != "themes" }
            values.append(("themes", "mental-health"))
            let saved = try await admin.post("/catalog/\(id)/edit", values)
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(300))")
            #expect(try await Offer.find(id, on: app.db)?.status == .active)
        }
    }

    @Test("a full synchronisation: the dry run writes nothing and lists what it would do; the confirmation performs exactly that")
    func dryRunAndConfirm() async throws {
        try await withWegwijs(.sqlite) { app in
            let document = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            let services = try JSONSerialization.jsonObject(with: document) as! [[String: Any]]
            let data = try JSONSerialization.data(withJSONObject: Array(services.prefix(2)) + [Self.serviceFull])
            let active = try await Offer.query(on: app.db).filter(\.$status == .active).count()
            let revisions = try await OfferRevision.query(on: app.db).count()
            let version = try await CatalogueVersion.current(on: app.db)
            let dry = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: true, changedBy: "t",
                                                       catalog: app.locales, mode: .dryRun, on: app.db)
            #expect(dry.dryRun && dry.created == 1 && dry.updated == 2 && dry.retired == active - 2)
            #expect(try await OfferRevision.query(on: app.db).count() == revisions)
            #expect(try await Offer.query(on: app.db).filter(\.$status == .active).count() == active)
            #expect(try await Offer.find(UUID(uuidString: Self.serviceFull["id"] as! String), on: app.db) == nil)
            #expect(try await CatalogueVersion.current(on: app.db) == version)

            // In the browser: the upload answers the dry run; its confirmation performs it.
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            _ = try await admin.get("/admin/catalog/import")
            let preview = try await Self.upload(app, admin, [("replace", "1")], file: data)
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains(#"id="confirm-form""#))
            #expect(try await Offer.query(on: app.db).filter(\.$status == .active).count() == active)
            let hidden = CatalogWebTests.fields(of: preview.body.string).filter { ["content", "digest", "plan"].contains($0.0) }
            #expect(hidden.count == 3)
            // A tampered file is refused, nothing written.
            let tampered = hidden.map { $0.0 == "content" ? ($0.0, $0.1.replacingOccurrences(of: "Community", with: "Kommunity")) : $0 }
            #expect(try await Self.upload(app, admin, tampered, file: nil).body.string.contains("past niet bij het bestand"))
            #expect(try await Offer.query(on: app.db).filter(\.$status == .active).count() == active)
            let done = try await Self.upload(app, admin, hidden, file: nil)
            #expect(done.status == .ok)
            #expect(done.body.string.contains(#"id="report-heading""#))
            #expect(try await Offer.query(on: app.db).filter(\.$status == .active).count() == 2)
            #expect(try await Offer.find(UUID(uuidString: Self.serviceFull["id"] as! String), on: app.db)?.status == .toClassify)
        }
    }

    /// A multipart POST to the import page (the fields, and the file if given).
    static func upload(_ app: Application, _ client: WebClient, _ fields: [(String, String)], file: Data?) async throws -> TestingHTTPResponse {
        let boundary = "----wegwijs"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(client.csrf)\r\n"
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"other.json\"\r\nContent-Type: application/json\r\n\r\n"
            body += String(decoding: file, as: UTF8.self) + "\r\n"
        }
        body += "--\(boundary)--\r\n"
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: client.cookie!)
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, "/admin/catalog/import", headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a file that is not JSON, or not records, writes nothing; one record on its own is a list of one")
    func malformed() async throws {
        try await withWegwijs(.sqlite) { app in
            let before = try await OfferRevision.query(on: app.db).count()
            for data in [Data("not json at all".utf8), Data("42".utf8), Data(repeating: 0x41, count: 5_000_000)] {
                await #expect(throws: CatalogExchangeError.self) {
                    _ = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: true, changedBy: "t", catalog: app.locales, on: app.db)
                }
            }
            let one = try await CatalogExchange.import(Data(#"{"id": "x"}"#.utf8), municipalityCode: "GM9901", replace: false,
                                                       changedBy: "t", catalog: app.locales, on: app.db)
            #expect(one.taken.isEmpty && one.refused.first?.field == "id")
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
