import Fluent
import Foundation
import Vapor
import WegwijsCore

/// An offer as the API sends it: every attribute of the draft, plus id, organisation, status and version.
struct OfferDTO: Content {
    let id: UUID
    let organisationId: UUID
    let status: String
    let version: Int
    let updatedAt: Date?
    let offer: OfferDraft

    init(_ model: Offer) throws {
        id = try model.requireID()
        organisationId = model.$organisation.id
        status = model.status.rawValue
        version = model.version
        updatedAt = model.updatedAt
        offer = try model.draft
    }
}

/// The body of create and update: the offer, plus the organisation (admins) and the version edited (updates).
struct OfferInput: Content {
    var organisationId: UUID?
    var version: Int?
    var offer: OfferDraft
}

/// `/api/v1/offers`: list with filters, get, create, update, retire.
struct OfferAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let offers = routes.grouped("offers")
        offers.get(use: list)
        offers.post(use: create)
        offers.get(":offerID", use: get)
        offers.put(":offerID", use: update)
        offers.post(":offerID", "retire", use: retire)
    }

    /// The encoded page is remembered per catalogue version (`CatalogueVersion`): the same filters give the
    /// same bytes until an offer or organisation changes.
    func list(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let filter = try Self.filter(from: request)
        let paging = try PageRequest.from(request)
        let filterKey = String(decoding: try Self.keyEncoder.encode(filter), as: UTF8.self)
        let key = [service.staff.municipalityID.uuidString, filterKey, String(paging.page), String(paging.per)]
            .joined(separator: "\u{1F}")
        let version = try await request.publicCatalogue.version()
        let body = try await request.application.catalogueCaches.offerPages.value(key, version: version) {
            let (items, total) = try await service.list(filter, page: paging)
            let page = Page(items: try items.map(OfferDTO.init), page: paging.page, per: paging.per, total: total)
            return try EncodedJSON.encode(page)
        }
        return EncodedJSON.response(body)
    }

    private static let keyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    func get(_ request: Request) async throws -> Response {
        let offer = try await OfferService(request: request).find(try request.uuidParameter("offerID", what: "offer"))
        return try Self.respond(offer, status: .ok)
    }

    func create(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let input = try request.content.decode(OfferInput.self)
        let offer = try await service.create(input.offer, organisationID: input.organisationId)
        let response = try Self.respond(offer, status: .created)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/offers/\(offer.id!)")
        return response
    }

    func update(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let input = try request.content.decode(OfferInput.self)
        let offer = try await service.update(try request.uuidParameter("offerID", what: "offer"), input.offer,
                                             version: try expectedVersion(request, body: input.version))
        return try Self.respond(offer, status: .ok)
    }

    func retire(_ request: Request) async throws -> Response {
        let service = try OfferService(request: request)
        let input = (try? request.content.decode(FamilyAPIController.VersionInput.self)) ?? .init(version: nil)
        let offer = try await service.retire(try request.uuidParameter("offerID", what: "offer"),
                                             version: try expectedVersion(request, body: input.version))
        return try Self.respond(offer, status: .ok)
    }

    static func respond(_ offer: Offer, status: HTTPResponseStatus) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(OfferDTO(offer), as: .json)
        response.headers.replaceOrAdd(name: .eTag, value: ETag.make(offer.version))
        return response
    }

    /// Reads the filters from the query string; a value of the wrong type names its parameter.
    static func filter(from request: Request) throws -> OfferFilter {
        func text(_ name: String) -> String? { request.query[String.self, at: name]?.trimmed.nilIfEmpty }
        func flag(_ name: String) -> Bool? { text(name).map { $0 == "true" || $0 == "1" } }
        // A whole postcode ("2311 AB") means its area.
        let postcode = text("postcode").map { FamilyValidation.isDutchPostcode($0) ? String($0.prefix(4)) : $0 }
        var filter = OfferFilter(theme: text("theme"), language: text("language"), bridged: flag("bridged"),
                                 form: text("form"), audience: text("audience"), kind: text("kind"),
                                 situation: text("situation"), freePlaces: flag("freePlaces"), postcode: postcode,
                                 status: text("status"), search: text("search"))
        if let age = text("age") {
            guard let value = Int(age) else {
                throw AppError(status: .unprocessableEntity, code: "invalid-input", message: "age: must be a whole number of years",
                               fields: ["age": "must be a whole number of years"], fieldCodes: [FieldError("age", "age-invalid")])
            }
            filter.age = value
        }
        if let organisation = text("organisationId") {
            guard let id = UUID(uuidString: organisation) else { throw AppError.badField("organisationId", "must be a UUID") }
            filter.organisationId = id
        }
        return filter
    }
}
