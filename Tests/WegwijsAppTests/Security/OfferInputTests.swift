import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// An offer's web address becomes a link on staff and parents' pages; its cost is printed and compared.
@Suite("Security: offer addresses and costs")
struct OfferInputTests {
    @Test("only http(s) addresses, and a bounded cost, in the core rule")
    func rule() {
        for good in ["https://rijnstad.nl/ouders", "http://example.org", "HTTPS://Example.org/a?b=c#d"] {
            #expect(OfferValidation.isWebAddress(good), "\(good)")
        }
        for bad in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>", "vbscript:x",
                    "//evil.example", "https://", "https:// evil.example", "https://a.example/\"onmouseover=x",
                    "ftp://example.org", "https://@evil", " https://example.org"] {
            #expect(!OfferValidation.isWebAddress(bad), "\(bad)")
        }
    }

    @Test("the API refuses javascript: and data: addresses and a cost of 1e308", arguments: TestDatabase.available)
    func api(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let partner = try await app.token("partner-jgz")
            for (extra, field) in [(#","url":"javascript:alert(document.cookie)""#, "url"),
                                   (#","url":"data:text/html;base64,PHNjcmlwdD4=""#, "url"),
                                   (#","cost":1e308"#, "cost"), (#","cost":100001"#, "cost")] {
                let response = try await app.send(.POST, "/api/v1/offers", token: partner, json: OfferAPITests.body(extra: extra))
                #expect(response.status == .unprocessableEntity, "\(extra): \(response.status)")
                #expect(response.errorFields[field] != nil, "\(extra): \(response.errorFields)")
            }
            let good = try await app.send(.POST, "/api/v1/offers", token: partner,
                                          json: OfferAPITests.body(extra: #","url":"https://rijnstad.nl/koffie","cost":12.5"#))
            #expect(good.status == .created, "\(good.body.string)")
        }
    }

    @Test("the web form refuses a javascript: address and keeps the offer as it was")
    func webForm() async throws {
        try await withWegwijs(.sqlite) { app in
            let jgz = try await app.user("partner-jgz").$organisation.id
            let own = try #require(try await Offer.query(on: app.db).filter(\.$organisation.$id == jgz).sort(\.$name).first())
            let urlBefore = try own.draft.url
            let client = WebClient(app)
            _ = try await client.signIn("partner-jgz")
            let form = try await client.get("/catalog/\(own.id!)/edit")
            var fields = CatalogWebTests.fields(of: form.body.string).filter { $0.0 != "url" && $0.0 != "_csrf" }
            fields.append(("url", "javascript:alert(1)"))
            let refused = try await client.post("/catalog/\(own.id!)/edit", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await Offer.find(own.id, on: app.db)?.draft.url == urlBefore)
        }
    }

    @Test("an HSDS import never stores a javascript: address or a huge cost: the value is left out with a warning, the record kept")
    func hsdsImport() async throws {
        try await withWegwijs(.sqlite) { app in
            let document = try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)
            let services = try JSONSerialization.jsonObject(with: document) as! [[String: Any]]
            var script = services[0]; script["id"] = UUID().uuidString.lowercased(); script["url"] = "javascript:alert(1)"
            var costly = services[1]; costly["id"] = UUID().uuidString.lowercased()
            costly["cost_options"] = [["id": UUID().uuidString.lowercased(), "currency": "EUR", "amount": 1e308]]
            var fine = services[2]; fine["id"] = UUID().uuidString.lowercased(); fine["url"] = "https://rijnstad.nl/x"
            let data = try JSONSerialization.data(withJSONObject: [script, costly, fine])
            let report = try await CatalogExchange.import(data, municipalityCode: "GM9901", replace: false,
                                                          changedBy: "test", catalog: app.locales, on: app.db)
            #expect(report.taken.count == 3)
            #expect(report.refused.isEmpty)
            #expect(Set(report.warnings.map(\.field)) == ["url", "cost"], "\(report.warnings.map(\.field))")
            #expect(try await Offer.find(UUID(uuidString: script["id"] as! String), on: app.db)?.draft.url == nil)
            #expect(try await Offer.find(UUID(uuidString: costly["id"] as! String), on: app.db)?.draft.cost == nil)
        }
    }
}
