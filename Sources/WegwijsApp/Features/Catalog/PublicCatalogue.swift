import Fluent
import Foundation
import Vapor
import WegwijsCore

/// The catalogue as the public sees it, without an account: the HSDS API and the parents' place read active offers
/// and organisations here instead of querying the catalogue's tables. Nothing here is personal data.
struct PublicCatalogue {
    let db: any Database

    /// The catalogue's version (raised by the database on every change to offers or organisations).
    func version() async throws -> UInt64 {
        try await CatalogueVersion.current(on: db)
    }

    /// Active offers of a municipality matching `filter`, by name, at most `limit`.
    func activeOffers(_ filter: OfferFilter, municipalityID: UUID, limit: Int) async throws -> [Offer] {
        try await OfferService.query(filter, municipalityID: municipalityID, on: db).sort(\.$name).limit(limit).all()
    }

    /// One page of the active offers of a municipality matching `filter`, by name, and how many there are in all
    /// (the parents' finder: a catalogue of a municipality is small enough to count).
    func activeOffers(_ filter: OfferFilter, municipalityID: UUID, offset: Int, limit: Int) async throws -> (offers: [Offer], total: Int) {
        let query = OfferService.query(filter, municipalityID: municipalityID, on: db)
        let total = try await query.count()
        let offers = try await query.copy().sort(\.$name).sort(\.$id).range(offset..<(offset + limit)).all()
        return (offers, total)
    }

    /// Active offers of a municipality on any of `themes`, by name, at most `limit`.
    func activeOffers(onAnyOf themes: [String], municipalityID: UUID, limit: Int) async throws -> [Offer] {
        guard !themes.isEmpty else { return [] }
        let query = OfferService.query(OfferFilter(), municipalityID: municipalityID, on: db)
        query.group(.or) { group in
            for theme in themes { group.filter(OfferCodes.theme(theme)) }
        }
        return try await query.sort(\.$name).limit(limit).all()
    }

    /// What the HSDS `services` list asks for.
    struct ServiceQuery {
        var municipalityID: UUID?
        var search: String?
        var organisationID: UUID?
        /// A taxonomy code (`theme/...`, `form/...`) from `HSDSController.allCodes`.
        var code: String?
    }

    /// One page of active offers with their organisation and municipality, by name, and the total.
    func activeServices(_ wanted: ServiceQuery, page: Int, perPage: Int) async throws -> (offers: [Offer], total: Int) {
        let query = Offer.query(on: db).filter(\.$status == OfferStatus.active).with(\.$organisation).with(\.$municipality)
        if let id = wanted.municipalityID { query.filter(\.$municipality.$id == id) }
        if let search = wanted.search { query.filter(\.$name ~~ search) }
        if let id = wanted.organisationID { query.filter(\.$organisation.$id == id) }
        if let code = wanted.code { HSDSController.filter(query, code: code) }
        let total = try await query.count()
        let offers = try await query.copy().sort(\.$name).sort(\.$id).range(((page - 1) * perPage)..<(page * perPage)).all()
        return (offers, total)
    }

    /// One active offer with its organisation and municipality.
    func activeService(_ id: UUID) async throws -> Offer? {
        try await Offer.query(on: db).filter(\.$id == id).filter(\.$status == OfferStatus.active)
            .with(\.$organisation).with(\.$municipality).first()
    }

    /// One page of organisations by name, and the total.
    func organisations(search: String?, page: Int, perPage: Int) async throws -> (organisations: [Organisation], total: Int) {
        let query = Organisation.query(on: db)
        if let search { query.filter(\.$name ~~ search) }
        let total = try await query.count()
        let organisations = try await query.copy().sort(\.$name).sort(\.$id).range(((page - 1) * perPage)..<(page * perPage)).all()
        return (organisations, total)
    }
}

extension Request {
    /// The public catalogue on this request's database.
    var publicCatalogue: PublicCatalogue { PublicCatalogue(db: db) }
}
