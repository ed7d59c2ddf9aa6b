import Fluent
import Foundation
import Vapor

/// The door to the tenancy tables (regions, municipalities, organisations): other features and controllers ask here
/// instead of querying them. None of this is personal data; it names who works where.
struct Tenancy {
    let db: any Database

    init(on db: any Database) { self.db = db }

    func municipality(_ id: UUID) async throws -> Municipality? {
        try await Municipality.find(id, on: db)
    }

    func municipality(code: String) async throws -> Municipality? {
        try await Municipality.query(on: db).filter(\.$code == code).first()
    }

    func organisation(_ id: UUID) async throws -> Organisation? {
        try await Organisation.find(id, on: db)
    }

    /// The organisations of the given municipalities, by name.
    func organisations(in municipalityIDs: Set<UUID>) async throws -> [Organisation] {
        try await Organisation.query(on: db).filter(\.$municipality.$id ~~ municipalityIDs).sort(\.$name).all()
    }

    /// The region a municipality buys jointly in, if any.
    func region(of municipality: Municipality) async throws -> Region? {
        guard let id = municipality.$region.id else { return nil }
        return try await Region.find(id, on: db)
    }

    /// The municipalities of the region `municipalityID` belongs to (itself alone when it has no region): partners of
    /// the region work for every municipality in it.
    func regionMunicipalities(of municipalityID: UUID) async throws -> Set<UUID> {
        guard let municipality = try await Municipality.find(municipalityID, on: db) else { return [] }
        guard let region = municipality.$region.id else { return [municipalityID] }
        return Set(try await Municipality.query(on: db).filter(\.$region.$id == region).all().compactMap(\.id))
    }
}

extension Request {
    /// The tenancy door on this request's database (controllers never hold the database themselves).
    var tenancy: Tenancy { Tenancy(on: db) }
}
