import Fluent
import NIOConcurrencyHelpers
import Foundation
import Vapor
import WegwijsCore

/// The public HSDS 3.0 API (`shared/hsds-3.0/schema/openapi.json`): the catalogue is public information about
/// services, not personal data, so other directories can read it without an account. Only active offers are listed.
/// Query parameters: `page`, `per_page` (max 200), `search`, `taxonomy_term_id`, `organization_id`, and our own
/// `municipality` (a CBS code) to restrict to one municipality.
struct HSDSController: RouteCollection {
    static let maxPerPage = 200

    func boot(routes: any RoutesBuilder) throws {
        let hsds = routes.grouped("api", "hsds")
        hsds.get(use: root)
        hsds.get("services", use: services)
        hsds.get("services", ":id", use: service)
        hsds.get("organizations", use: organizations)
        hsds.get("taxonomy_terms", use: taxonomyTerms)
    }

    func root(_ request: Request) async throws -> Response {
        try json(["version": "3.0", "profile": "https://docs.openreferral.org/en/latest/hsds/",
                  "openapi_url": "/openapi.json"])
    }

    /// The encoded page is remembered per catalogue version (`CatalogueVersion`) and query.
    func services(_ request: Request) async throws -> Response {
        let (page, perPage) = try paging(request)
        let parameters = try request.query.decode(ServiceParameters.self)
        let organisationID = try parameters.organization_id.map {
            guard let id = UUID(uuidString: $0) else { throw AppError.badField("organization_id", "must be a UUID") }
            return id
        }
        let search = parameters.search?.trimmed.nilIfEmpty
        let key = [parameters.municipality ?? "-", search ?? "-", organisationID?.uuidString ?? "-",
                   parameters.taxonomy_term_id?.lowercased() ?? "-", String(page), String(perPage)].joined(separator: "\u{1F}")
        let version = try await request.publicCatalogue.version()
        let body = try await request.application.catalogueCaches.hsdsPages.value(key, version: version) {
            try await servicesPage(request, parameters, search: search, organisationID: organisationID,
                                   page: page, perPage: perPage, catalogueVersion: version)
        }
        return EncodedJSON.response(body)
    }

    private struct ServiceParameters: Decodable {
        var municipality: String?
        var search: String?
        var organization_id: String?
        var taxonomy_term_id: String?
    }

    private func servicesPage(_ request: Request, _ parameters: ServiceParameters, search: String?, organisationID: UUID?,
                              page: Int, perPage: Int, catalogueVersion: UInt64) async throws -> ByteBuffer {
        var wanted = PublicCatalogue.ServiceQuery(search: search, organisationID: organisationID)
        if let code = parameters.municipality {
            guard let municipality = try await request.tenancy.municipality(code: code) else {
                return ByteBuffer(data: try jsonData(pageBody([], total: 0, page: page, perPage: perPage)))
            }
            wanted.municipalityID = municipality.id
        }
        if let termID = parameters.taxonomy_term_id {
            guard let code = Self.codesByTermID[termID.lowercased()] else {
                return ByteBuffer(data: try jsonData(pageBody([], total: 0, page: page, perPage: perPage)))
            }
            wanted.code = code
        }
        let (offers, total) = try await request.publicCatalogue.activeServices(wanted, page: page, perPage: perPage)
        let cache = request.application.hsdsCache
        let records = try offers.map { try cache.record(for: $0, catalogueVersion: catalogueVersion) }
        // The page around the records: each record is cached as JSON text per offer version.
        var body = try jsonData(pageBody([], total: total, page: page, perPage: perPage, size: records.count))
        let empty = Data(#""contents":[]"#.utf8)
        guard let range = body.range(of: empty) else { throw Abort(.internalServerError) }
        var contents = Data(#""contents":["#.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { contents.append(UInt8(ascii: ",")) }
            contents.append(record)
        }
        contents.append(UInt8(ascii: "]"))
        body.replaceSubrange(range, with: contents)
        return ByteBuffer(data: body)
    }

    func service(_ request: Request) async throws -> Response {
        // Read before the offer: a change committed in between then makes the record stale, not the cache wrong.
        let version = try await request.publicCatalogue.version()
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let offer = try await request.publicCatalogue.activeService(id) else { throw AppError.notFound("service") }
        let response = Response(status: .ok, body: .init(data: try request.application.hsdsCache.record(for: offer, catalogueVersion: version)))
        response.headers.contentType = .json
        return response
    }

    func organizations(_ request: Request) async throws -> Response {
        let (page, perPage) = try paging(request)
        let search = request.query[String.self, at: "search"]?.trimmed.nilIfEmpty
        let (organisations, total) = try await request.publicCatalogue.organisations(search: search, page: page, perPage: perPage)
        let contents: [[String: Any]] = organisations.map {
            ["id": $0.id!.uuidString.lowercased(), "name": $0.name, "description": $0.type]
        }
        return try json(pageBody(contents, total: total, page: page, perPage: perPage))
    }

    func taxonomyTerms(_ request: Request) async throws -> Response {
        let (page, perPage) = try paging(request)
        var codes = Self.allCodes
        if let search = request.query[String.self, at: "search"]?.lowercased(), !search.isEmpty {
            codes = codes.filter { $0.lowercased().contains(search) }
        }
        let slice = codes.dropFirst((page - 1) * perPage).prefix(perPage)
        return try json(pageBody(slice.map(HSDS.term), total: codes.count, page: page, perPage: perPage))
    }

    // MARK: helpers

    static func record(_ offer: Offer) throws -> [String: Any] {
        HSDS.service(id: offer.id!, active: offer.status == .active, offer: try offer.draft,
                     organisation: .init(id: offer.organisation.id!, name: offer.organisation.name,
                                         description: offer.organisation.type),
                     municipalityCode: offer.municipality.code)
    }

    /// Every term of the `wegwijs` taxonomy that stands for a vocabulary code.
    static let allCodes: [String] = {
        var codes: [String] = []
        codes += Theme.allCodes.map { "theme/\($0)" }
        codes += OfferForm.allCodes.map { "form/\($0)" }
        codes += OfferKind.allCodes.map { "kind/\($0)" }
        codes += SupportType.allCodes.map { "supportType/\($0)" }
        codes += Audience.allCodes.map { "audience/\($0)" }
        codes += ["phase/1", "phase/2", "phase/3"]
        for prefix in ["for", "suits", "excludes"] { codes += Situation.allCodes.map { "\(prefix)/\($0)" } }
        codes += ServiceArea.allCodes.map { "area/\($0)" }
        codes += ["bridge/interpreter", "bridge/key-person", "registration/required", "childcare/provided",
                  "capacity/places", "capacity/free-places", "capacity/waiting-list", "sessions/count",
                  "active/from", "active/until"]
        codes += Frequency.allCodes.map { "frequency/\($0)" }
        codes += EvidenceLevel.allCodes.map { "evidence/\($0)" }
        codes += CultureItem.allCodes.map { "culture/\($0)" }
        codes += FundingSource.allCodes.map { "funding/\($0)" }
        return codes
    }()

    static let codesByTermID: [String: String] = Dictionary(uniqueKeysWithValues: allCodes.map { (HSDS.termID($0), $0) })

    /// Filters offers on one taxonomy code, for the codes the catalogue has columns for.
    static func filter(_ query: QueryBuilder<Offer>, code: String) {
        let parts = code.split(separator: "/", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "theme": query.filter(OfferCodes.theme(parts[1]))
        case "form": query.filter(OfferCodes.form(parts[1]))
        case "kind": query.filter(\.$kind == parts[1])
        case "audience": query.filter(\.$audience == parts[1])
        case "for": query.filter(OfferCodes.namedSituation(parts[1]))
        case "funding": query.filter(OfferFunding.filter(parts[1]))
        default: query.filter(\.$data ~~ "\"\(parts[1])\"")
        }
    }

    private func paging(_ request: Request) throws -> (Int, Int) {
        let page = request.query[String.self, at: "page"].map { Int($0) ?? 0 } ?? 1
        let perPage = request.query[String.self, at: "per_page"].map { Int($0) ?? 0 } ?? 50
        guard page >= 1 else { throw AppError.badField("page", "must be a whole number from 1") }
        guard (1...Self.maxPerPage).contains(perPage) else {
            throw AppError.badField("per_page", "must be a whole number from 1 to \(Self.maxPerPage)")
        }
        return (page, perPage)
    }

    /// The HSDS page object; `size` when the contents are spliced in afterwards.
    private func pageBody(_ contents: [[String: Any]], total: Int, page: Int, perPage: Int, size: Int? = nil) -> [String: Any] {
        let pages = max(1, (total + perPage - 1) / perPage)
        let count = size ?? contents.count
        return ["total_items": total, "total_pages": pages, "page_number": page, "size": count,
                "first_page": page == 1, "last_page": page >= pages, "empty": count == 0, "contents": contents]
    }

    private func jsonData(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private func json(_ object: Any) throws -> Response {
        let response = Response(status: .ok, body: .init(data: try jsonData(object)))
        response.headers.contentType = .json
        return response
    }
}

/// HSDS records as JSON text, per offer and version: building a nested record (about 30 derived ids, a JSON
/// document) costs far more than serving it, and offers change rarely. A new version replaces the entry.
final class HSDSRecordCache: Sendable {
    private let records = NIOLockedValueBox<[UUID: (catalogueVersion: UInt64, json: Data)]>([:])

    /// The offer must be loaded with its organisation and municipality. A record holds while the catalogue
    /// version it was made at holds (`CatalogueVersion`: any change to offers or organisations, by any writer).
    func record(for offer: Offer, catalogueVersion: UInt64) throws -> Data {
        let id = try offer.requireID()
        if let hit = records.withLockedValue({ $0[id] }), hit.catalogueVersion == catalogueVersion {
            return hit.json
        }
        let json = try JSONSerialization.data(withJSONObject: try HSDSController.record(offer),
                                              options: [.sortedKeys, .withoutEscapingSlashes])
        records.withLockedValue { $0[id] = (catalogueVersion, json) }
        return json
    }
}

extension Application {
    private struct HSDSRecordCacheKey: StorageKey { typealias Value = HSDSRecordCache }
    var hsdsCache: HSDSRecordCache {
        get { storage[HSDSRecordCacheKey.self]! }
        set { storage[HSDSRecordCacheKey.self] = newValue }
    }
}
