import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

@Suite("Catalogue pages")
struct CatalogWebTests {
    @Test("everyone browses and filters; the offer page shows the culture-sensitivity profile")
    func browse() async throws {
        try await withWegwijs(.sqlite) { app in
            let client = WebClient(app)
            _ = try await client.signIn("klantmanager")
            let all = try await client.get("/catalog")
            #expect(all.status == .ok)
            #expect(all.body.string.contains("Home-Start"))
            let filtered = try await client.get("/catalog?theme=pregnancy-birth&language=ti&freePlaces=true")
            #expect(filtered.status == .ok)
            #expect(!filtered.body.string.contains("Home-Start"))
            let bad = try await client.get("/catalog?age=abc")
            #expect(bad.body.string.contains(#"id="f-age-error""#))
            let offer = try #require(try await Offer.query(on: app.db).filter(\.$name ~~ "Home-Start").first())
            let page = try await client.get("/catalog/\(offer.id!)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Cultuursensitief werken"))
            // A case manager does not edit the catalogue.
            #expect(!page.body.string.contains("/catalog/\(offer.id!)/edit"))
            #expect(try await client.get("/catalog/\(offer.id!)/edit").status == .forbidden)
        }
    }

    @Test("a partner updates the free places of its own offer, with a clear message on a stale edit; another's is refused")
    func partnerEdits() async throws {
        try await withWegwijs(.sqlite) { app in
            let jgz = try await app.user("partner-jgz").$organisation.id
            let own = try #require(try await Offer.query(on: app.db).filter(\.$organisation.$id == jgz).sort(\.$name).first())
            let other = try #require(try await Offer.query(on: app.db).filter(\.$organisation.$id != jgz).first())
            let client = WebClient(app)
            _ = try await client.signIn("partner-jgz")
            let form = try await client.get("/catalog/\(own.id!)/edit")
            #expect(form.status == .ok)
            // Post the form back as the browser would, with free places changed.
            var fields = Self.fields(of: form.body.string)
            fields.removeAll { $0.0 == "freePlaces" || $0.0 == "_csrf" }
            fields.append(("freePlaces", "0"))
            let saved = try await client.post("/catalog/\(own.id!)/edit", fields)
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(3000))")
            #expect(try await Offer.find(own.id, on: app.db)?.draft.freePlaces == 0)
            let stale = try await client.post("/catalog/\(own.id!)/edit", fields)
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("Iemand anders heeft dit intussen gewijzigd"))
            #expect(try await client.get("/catalog/\(other.id!)/edit").status == .forbidden)
            #expect(try await client.post("/catalog/\(other.id!)/edit", [("name", "Mine now"), ("version", "1")]).status == .forbidden)
            // A bad edit shows the message next to the field and keeps the input.
            var bad = fields.filter { $0.0 != "version" && $0.0 != "minimumAge" && $0.0 != "maximumAge" }
            bad += [("version", "2"), ("minimumAge", "12"), ("maximumAge", "4")]
            let invalid = try await client.post("/catalog/\(own.id!)/edit", bad)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains(#"id="maximumAge-error""#))
        }
    }

    @Test("the admin uploads an HSDS file and sees per record what was taken and what was refused")
    func adminImport() async throws {
        try await withWegwijs(.sqlite) { app in
            var services = try JSONSerialization.jsonObject(with: try await CatalogExchange.export(municipalityCode: "GM9901", on: app.db)) as! [[String: Any]]
            services = Array(services.prefix(2))
            var broken = services[0]
            broken["id"] = "not-a-uuid"
            services.append(broken)
            let file = try JSONSerialization.data(withJSONObject: services)
            let client = WebClient(app)
            _ = try await client.signIn("admin")
            _ = try await client.get("/admin/catalog/import")
            let boundary = "----wegwijs"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(client.csrf)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"other.json\"\r\nContent-Type: application/json\r\n\r\n"
            body += String(decoding: file, as: UTF8.self) + "\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: client.cookie!)
            headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let response = try await app.testing().sendRequest(.POST, "/admin/catalog/import", headers: headers,
                                                               body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains("2 overgenomen"))
            #expect(html.contains("1 geweigerd"))
            #expect(html.contains("not-a-uuid"))
            let partner = WebClient(app)
            _ = try await partner.signIn("partner-jgz")
            #expect(try await partner.get("/admin/catalog/import").status == .forbidden)
        }
    }

    /// The name/value pairs an HTML form would submit (inputs with values, checked boxes, selected options, textareas).
    static func fields(of html: String) -> [(String, String)] {
        var result: [(String, String)] = []
        func attribute(_ name: String, in tag: String) -> String? {
            guard let range = tag.range(of: " \(name)=\"") else { return nil }
            let rest = tag[range.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
        func unescape(_ text: String) -> String {
            text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        let scanner = html as NSString
        let inputs = try! NSRegularExpression(pattern: "<input[^>]*>")
        for match in inputs.matches(in: html, range: NSRange(location: 0, length: scanner.length)) {
            let tag = scanner.substring(with: match.range)
            guard let name = attribute("name", in: tag) else { continue }
            let type = attribute("type", in: tag) ?? "text"
            if type == "checkbox" && !tag.contains(" checked") { continue }
            if type == "file" || type == "submit" { continue }
            result.append((name, unescape(attribute("value", in: tag) ?? "")))
        }
        let selects = try! NSRegularExpression(pattern: "<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", options: [.dotMatchesLineSeparators])
        for match in selects.matches(in: html, range: NSRange(location: 0, length: scanner.length)) {
            let name = scanner.substring(with: match.range(at: 1))
            let options = scanner.substring(with: match.range(at: 2))
            if let selected = options.range(of: "<option value=\"[^\"]*\" selected", options: .regularExpression) {
                let tag = String(options[selected])
                result.append((name, unescape(attribute("value", in: tag) ?? "")))
            } else if let first = options.range(of: "<option value=\"[^\"]*\"", options: .regularExpression) {
                result.append((name, unescape(attribute("value", in: String(options[first])) ?? "")))
            }
        }
        let areas = try! NSRegularExpression(pattern: "<textarea[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</textarea>", options: [.dotMatchesLineSeparators])
        for match in areas.matches(in: html, range: NSRange(location: 0, length: scanner.length)) {
            result.append((scanner.substring(with: match.range(at: 1)), unescape(scanner.substring(with: match.range(at: 2)))))
        }
        return result.filter { $0.0 != "locale" }
    }
}
