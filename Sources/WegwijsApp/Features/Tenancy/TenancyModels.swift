import Fluent
import Foundation
import WegwijsCore

/// Municipalities that buy jointly (R39: small municipalities buy together).
final class Region: Model, @unchecked Sendable {
    static let schema = "regions"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String

    init() {}
    init(id: UUID? = nil, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

/// The tenant: every row of personal data carries its municipality id and every query is scoped by it.
final class Municipality: Model, @unchecked Sendable {
    static let schema = "municipalities"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    /// CBS code, e.g. `GM9901` for the demo municipality Rijnstad.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String

    // relationships
    @OptionalParent(key: "region_id") var region: Region?

    init() {}
    init(id: UUID? = nil, code: String, name: String, regionID: UUID?) {
        self.id = id
        self.code = code
        self.name = name
        self.$region.id = regionID
    }
}

/// A formal or informal organisation of the chain (R1).
final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "name") var name: String
    /// `formal` or `informal` (vocabulary `kind`).
    @Field(key: "kind") var kind: String
    /// An `OrganisationType` code.
    @Field(key: "type") var type: String

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality

    init() {}
    init(id: UUID? = nil, municipalityID: UUID, name: String, kind: OfferKind, type: OrganisationType) {
        self.id = id
        self.$municipality.id = municipalityID
        self.name = name
        self.kind = kind.rawValue
        self.type = type.rawValue
    }
}

struct CreateTenancy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Region.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(Municipality.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("region_id", .uuid, .references(Region.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(Organisation.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("type", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).delete()
        try await database.schema(Municipality.schema).delete()
        try await database.schema(Region.schema).delete()
    }
}
