import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// The consent register (AVG/GDPR): what may be shared with whom, for which purpose, given by whom and when,
/// withdrawn when. Withdrawal takes effect at once: `isActive` is what every later check reads.
final class Consent: Model, @unchecked Sendable {
    static let schema = "consents"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    /// A `ConsentPurpose` code.
    @Field(key: "purpose") var purpose: String
    /// Who gave it, in words ("both parents", "mother, with interpreter").
    @Field(key: "given_by") var givenBy: String
    @Field(key: "given_on") var givenOn: String
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "note") var note: String?

    // relationships
    @Parent(key: "family_id") var family: Family
    @Parent(key: "municipality_id") var municipality: Municipality
    /// The organisation the data may be shared with.
    @Parent(key: "organisation_id") var organisation: Organisation
    @Parent(key: "recorded_by_id") var recordedBy: User
    @OptionalParent(key: "withdrawn_by_id") var withdrawnBy: User?

    /// `DataCategory` codes (`consent_data_categories`): loaded with `load(_:on:)`, written with `storeCategories`.
    var dataCategories: [String] = []

    init() {}

    var isActive: Bool { withdrawnAt == nil }

    /// Fills the data categories of `consents` from their join table.
    static func loadCategories(_ consents: [Consent], on database: any Database) async throws {
        let lists = try await CodeTables.consentDataCategories.load(consents.compactMap(\.id), on: database)
        for consent in consents { consent.dataCategories = lists[consent.id!] ?? [] }
    }

    /// Writes the data categories (on the transaction that writes the consent).
    func storeCategories(on database: any Database) async throws {
        try await CodeTables.consentDataCategories.replace(requireID(), with: dataCategories, on: database)
    }
}

struct CreateConsents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Consent.schema)
            .id()
            .field("version", .int, .required)
            .field("purpose", .string, .required)
            .field("data_categories", .string, .required)
            .field("given_by", .string, .required)
            .field("given_on", .string, .required)
            .field("withdrawn_at", .datetime)
            .field("note", .string)
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("withdrawn_by_id", .uuid, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX consents_family ON consents (family_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Consent.schema).delete()
    }
}
