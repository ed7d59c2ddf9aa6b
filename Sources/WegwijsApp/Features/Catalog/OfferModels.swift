import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// An offer of the catalogue (sociale kaart). The whole submitted `OfferDraft` is kept as JSON in `data`; the
/// attributes the catalogue filters on are repeated in their own columns, and its lists of codes in join tables
/// (`OfferCodes`), so one portable query filters them on SQLite and PostgreSQL alike. The id is the HSDS `id`: an
/// import keeps it.
final class Offer: Model, @unchecked Sendable {
    static let schema = "offers"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "data") var data: String
    @Field(key: "name") var name: String
    /// Stored as its code; a row with another code fails to load rather than pass as a guess.
    @Field(key: "status") var status: OfferStatus
    @Field(key: "kind") var kind: String
    @Field(key: "audience") var audience: String
    @Field(key: "bridges") var bridges: Bool
    @Field(key: "min_age") var minimumAge: Int
    @Field(key: "max_age") var maximumAge: Int
    /// Free places; -1 when the offer does not count places (then places are available).
    @Field(key: "free_places") var freePlaces: Int
    @Field(key: "waiting_list") var waitingList: Bool
    @OptionalField(key: "active_until") var activeUntil: String?

    // relationships
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "organisation_id") var organisation: Organisation
    @OptionalParent(key: "updated_by_id") var updatedBy: User?

    init() {}

    var draft: OfferDraft {
        get throws { try JSONDecoder().decode(OfferDraft.self, from: Data(data.utf8)) }
    }

    /// Stores `draft` and refreshes the filter columns from it.
    func apply(_ draft: OfferDraft) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        data = String(decoding: try encoder.encode(draft), as: UTF8.self)
        name = draft.name.trimmed
        kind = draft.kind
        audience = draft.audience
        bridges = draft.bridgeInterpreter || draft.bridgeKeyPerson
        minimumAge = draft.minimumAge ?? 0
        maximumAge = draft.maximumAge ?? OfferValidation.maxAge
        freePlaces = draft.freePlaces ?? -1
        waitingList = draft.waitingList
        activeUntil = draft.activeUntil
    }
}

/// Whether an offer is in the catalogue: retired offers are kept (referrals name them) but not offered. An offer
/// imported without a Wegwijs theme waits `toClassify`: stored and listed for the catalogue's editors, but neither
/// matched nor shown to parents (every reader of the catalogue asks for `active`) until an editor gives it a theme
/// and saves it.
enum OfferStatus: String, Codable, Sendable, CaseIterable {
    case active, retired
    case toClassify = "to-classify"
}

/// The lists of codes an offer is filtered on, in join tables: themes, languages, forms, the situations it is for
/// (none: for everyone) and the 4-digit postcode areas of its locations. Taken from the offer's draft; written on
/// the transaction that writes the offer.
enum OfferCodes {
    static func store(_ offers: [Offer], on database: any Database) async throws {
        guard !offers.isEmpty else { return }
        let drafts = try offers.map { (id: try $0.requireID(), draft: try $0.draft) }
        try await CodeTables.offerThemes.replace(drafts.map { ($0.id, $0.draft.themes) }, on: database)
        try await CodeTables.offerLanguages.replace(drafts.map { ($0.id, $0.draft.languages) }, on: database)
        try await CodeTables.offerForms.replace(drafts.map { ($0.id, $0.draft.forms) }, on: database)
        try await CodeTables.offerSituations.replace(drafts.map { ($0.id, $0.draft.forSituations) }, on: database)
        try await CodeTables.offerPostcodeAreas.replace(drafts.map { ($0.id, postcodeAreas($0.draft)) }, on: database)
        try await OfferFunding.store(drafts.map { ($0.id, $0.draft.funding) }, on: database)
    }

    static func postcodeAreas(_ draft: OfferDraft) -> [String] {
        draft.locations.compactMap { $0.postcode.map { String($0.prefix(4)) } }
    }

    // Filters for `QueryBuilder<Offer>`: the same EXISTS on SQLite and PostgreSQL.
    static func theme(_ code: String) -> DatabaseQuery.Filter { .sql(embed: CodeTables.offerThemes.contains(code, ownerColumn: "offers.id")) }
    static func language(_ code: String) -> DatabaseQuery.Filter { .sql(embed: CodeTables.offerLanguages.contains(code, ownerColumn: "offers.id")) }
    static func form(_ code: String) -> DatabaseQuery.Filter { .sql(embed: CodeTables.offerForms.contains(code, ownerColumn: "offers.id")) }
    /// For the situation, or for everyone (no situation named).
    static func situation(_ code: String) -> DatabaseQuery.Filter {
        .sql(embed: "(\(CodeTables.offerSituations.contains(code, ownerColumn: "offers.id")) OR NOT \(CodeTables.offerSituations.any(ownerColumn: "offers.id")))")
    }
    /// Strictly for the situation (the HSDS taxonomy filter).
    static func namedSituation(_ code: String) -> DatabaseQuery.Filter { .sql(embed: CodeTables.offerSituations.contains(code, ownerColumn: "offers.id")) }
    /// A postcode area: the 4 digits or their first 2.
    static func postcodeArea(_ prefix: String) -> DatabaseQuery.Filter {
        .sql(embed: CodeTables.offerPostcodeAreas.startsWith(prefix, ownerColumn: "offers.id"))
    }
}

/// Who changed an offer and when, with the version it became (R41: a living catalogue kept by the partners).
final class OfferRevision: Model, @unchecked Sendable {
    static let schema = "offer_revisions"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "change") var change: String
    @Field(key: "changed_by") var changedBy: String
    @Timestamp(key: "changed_at", on: .create) var changedAt: Date?
    @Parent(key: "offer_id") var offer: Offer

    init() {}
    init(offerID: UUID, version: Int, change: String, changedBy: String) {
        self.$offer.id = offerID
        self.version = version
        self.change = change
        self.changedBy = changedBy
    }
}

struct CreateOffers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Offer.schema)
            .id()
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("status", .string, .required)
            .field("kind", .string, .required)
            .field("audience", .string, .required)
            .field("themes", .string, .required)
            .field("languages", .string, .required)
            .field("forms", .string, .required)
            .field("for_situations", .string, .required)
            .field("bridges", .bool, .required)
            .field("min_age", .int, .required)
            .field("max_age", .int, .required)
            .field("free_places", .int, .required)
            .field("waiting_list", .bool, .required)
            .field("postcode_areas", .string, .required)
            .field("active_until", .string)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("updated_by_id", .uuid, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // Last: the JSON document is large (it overflows into extra pages), and SQLite reads a row's columns
            // in order, so filters on the columns above never touch it.
            .field("data", .string, .required)
            .create()
        try await database.schema(OfferRevision.schema)
            .id()
            .field("version", .int, .required)
            .field("change", .string, .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .datetime)
            .field("offer_id", .uuid, .required, .references(Offer.schema, .id, onDelete: .cascade))
            .create()
        if let sql = database as? any SQLDatabase {
            // Lists are scoped by municipality (staff) or not (the public HSDS API), always by status, sorted by
            // name then id: with the id in the index, counting and ordering a page never reads the rows.
            try await sql.raw("CREATE INDEX offers_municipality_name ON offers (municipality_id, status, name, id)").run()
            try await sql.raw("CREATE INDEX offers_status_name ON offers (status, name, id)").run()
            try await sql.raw("CREATE INDEX offer_revisions_offer ON offer_revisions (offer_id, version)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OfferRevision.schema).delete()
        try await database.schema(Offer.schema).delete()
    }
}
