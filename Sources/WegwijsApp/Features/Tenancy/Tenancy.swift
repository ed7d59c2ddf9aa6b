import Fluent
import Foundation

/// The door to the tenancy tables (regions, municipalities, organisations): other features and controllers ask here
/// instead of querying them. None of this is personal data; it names who works where.
enum Tenancy {
    static func municipality(_ id: UUID, on db: any Database) async throws -> Municipality? {
        try await Municipality.find(id, on: db)
    }

    static func municipality(code: String, on db: any Database) async throws -> Municipality? {
        try await Municipality.query(on: db).filter(\.$code == code).first()
    }

    static func organisation(_ id: UUID, on db: any Database) async throws -> Organisation? {
        try await Organisation.find(id, on: db)
    }

    /// The organisations of the given municipalities, by name.
    static func organisations(in municipalityIDs: Set<UUID>, on db: any Database) async throws -> [Organisation] {
        try await Organisation.query(on: db).filter(\.$municipality.$id ~~ municipalityIDs).sort(\.$name).all()
    }

    /// The region a municipality buys jointly in, if any.
    static func region(of municipality: Municipality, on db: any Database) async throws -> Region? {
        guard let id = municipality.$region.id else { return nil }
        return try await Region.find(id, on: db)
    }

    /// The municipalities of the region `municipalityID` belongs to (itself alone when it has no region): partners of
    /// the region work for every municipality in it.
    static func regionMunicipalities(of municipalityID: UUID, on db: any Database) async throws -> Set<UUID> {
        guard let municipality = try await Municipality.find(municipalityID, on: db) else { return [] }
        guard let region = municipality.$region.id else { return [municipalityID] }
        return Set(try await Municipality.query(on: db).filter(\.$region.$id == region).all().compactMap(\.id))
    }
}
