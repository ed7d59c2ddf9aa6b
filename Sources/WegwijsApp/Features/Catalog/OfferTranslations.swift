import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// An offer's name and description in one parent language (R31: parents read offers in their own language). The
/// Dutch text in the offer is the source; a translation is a draft until a key person who speaks the language
/// reviews it, and becomes outdated when the Dutch name or description changes after that review — the same cycle
/// as the parents' place pages (`ParentPageState`).
final class OfferTranslation: Model, @unchecked Sendable {
    static let schema = "offer_translations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "offer_id") var offer: Offer
    @Field(key: "language") var language: String
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    /// Raised on every change of the text: a review is of the text the reviewer saw.
    @Field(key: "revision") var revision: Int
    @Field(key: "status") var status: OfferTranslationStatus
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    /// `OfferTranslation.sourceDigest` of the Dutch name and description the review was done against.
    @OptionalField(key: "reviewed_source_digest") var reviewedSourceDigest: String?
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(offerID: UUID, language: String) {
        id = UUID()
        $offer.id = offerID
        self.language = language
        name = ""
        description = ""
        revision = 0
        status = .draft
        updatedBy = ""
    }

    /// Where this translation stands against the offer's current Dutch text.
    func state(sourceDigest: String) -> ParentPageState {
        guard status == .reviewed else { return .draft }
        return reviewedSourceDigest == sourceDigest ? .reviewed : .outdated
    }

    /// A fingerprint of the Dutch text a translation follows: only a change of the name or the description makes a
    /// reviewed translation outdated (a new phone number does not).
    static func sourceDigest(name: String, description: String) -> String {
        String(SHA256.hash(data: Data((name + "\u{0}" + description).utf8)).hexString.prefix(32))
    }

    static func sourceDigest(of draft: OfferDraft) -> String { sourceDigest(name: draft.name, description: draft.description) }

    /// What a translation may hold.
    static let nameLimit = 200
    static let descriptionLimit = 4_000
}

/// Stored: a translation is written as a draft and becomes reviewed by a key person's review.
enum OfferTranslationStatus: String, Codable, Sendable, CaseIterable {
    case draft, reviewed
}

/// The languages an offer can be translated into: the parents' place's languages other than Dutch.
enum OfferTranslationLanguages {
    static func all(_ content: ParentContent) -> [ParentContent.Language] {
        content.languages.filter { $0.code != ParentContent.sourceLanguage }
    }

    static func serves(_ code: String, _ content: ParentContent) -> Bool {
        code != ParentContent.sourceLanguage && content.isLanguage(code)
    }
}

struct CreateOfferTranslations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OfferTranslation.schema)
            .id()
            .field("offer_id", .uuid, .required, .references(Offer.schema, .id, onDelete: .cascade))
            .field("language", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("revision", .int, .required)
            .field("status", .string, .required)
            .field("reviewed_by", .string)
            .field("reviewed_at", .datetime)
            .field("reviewed_source_digest", .string)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            // One per offer and language; the finder reads a page's offers in one language through it.
            .unique(on: "offer_id", "language")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The key persons' list of what to review, per language.
        try await sql.raw("CREATE INDEX offer_translations_language ON offer_translations (language, status)").run()
        // A translation is catalogue content: the parents' place and HSDS pages remembered per catalogue version
        // must see it change.
        try await ContentVersion.installTriggers(table: OfferTranslation.schema, id: ContentVersion.catalogue, on: sql)
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await ContentVersion.dropTriggers(table: OfferTranslation.schema, on: sql)
        }
        try await database.schema(OfferTranslation.schema).delete()
    }
}

/// The door to offers' translations. Reading is public (the parents' place, HSDS); writing and reviewing are
/// decided here from the policy table (`AccessPolicy` record `.offerTranslation`).
struct OfferTranslations {
    let db: any Database

    init(on db: any Database) { self.db = db }

    /// The translations of these offers into `language`, by offer id (one query for a page of the finder).
    func of(_ offerIDs: [UUID], language: String) async throws -> [UUID: OfferTranslation] {
        guard !offerIDs.isEmpty, language != ParentContent.sourceLanguage else { return [:] }
        let rows = try await OfferTranslation.query(on: db).filter(\.$offer.$id ~~ offerIDs).filter(\.$language == language).all()
        return Dictionary(rows.map { ($0.$offer.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every translation of these offers, by offer id (HSDS export).
    func all(of offerIDs: [UUID]) async throws -> [UUID: [OfferTranslation]] {
        guard !offerIDs.isEmpty else { return [:] }
        let rows = try await OfferTranslation.query(on: db).filter(\.$offer.$id ~~ offerIDs).sort(\.$language).all()
        return Dictionary(grouping: rows, by: { $0.$offer.id })
    }

    /// One offer's translation into `language`, if any.
    func one(_ offerID: UUID, language: String) async throws -> OfferTranslation? {
        try await OfferTranslation.query(on: db).filter(\.$offer.$id == offerID).filter(\.$language == language).first()
    }

    /// Translations of the municipality's active offers into `languages` that wait for a review (draft or
    /// outdated), oldest change first, at most `limit`: the key person's to-do list.
    func awaitingReview(municipalityID: UUID, languages: Set<String>, limit: Int) async throws -> [(offer: Offer, translation: OfferTranslation)] {
        guard !languages.isEmpty, limit > 0 else { return [] }
        let query = OfferTranslation.query(on: db).filter(\.$language ~~ languages)
            .join(Offer.self, on: \OfferTranslation.$offer.$id == \Offer.$id)
            .filter(Offer.self, \.$municipality.$id == municipalityID).filter(Offer.self, \.$status == .active)
            .sort(\.$updatedAt).sort(\.$id)
        // Whether a reviewed text is outdated depends on the offer's Dutch text, so it is decided here, batch by
        // batch, until enough are found: the oldest rows may well all be reviewed.
        let batch = 200
        var result: [(Offer, OfferTranslation)] = []
        var offset = 0
        while result.count < limit {
            let rows = try await query.copy().range(offset..<(offset + batch)).all()
            for row in rows where result.count < limit {
                let offer = try row.joined(Offer.self)
                guard let draft = try? offer.draft else { continue }
                if row.state(sourceDigest: OfferTranslation.sourceDigest(of: draft)) != .reviewed { result.append((offer, row)) }
            }
            if rows.count < batch { break }
            offset += batch
        }
        return result
    }

    /// Stores a translation's new text as a draft (a changed text needs a new review). Answers whether it changed.
    @discardableResult
    func saveText(_ translation: OfferTranslation, name: String, description: String, by username: String) async throws -> Bool {
        let changed = translation.name != name || translation.description != description || translation.revision == 0
        guard changed else { return false }
        translation.name = name
        translation.description = description
        translation.revision += 1
        translation.status = .draft
        translation.reviewedBy = nil
        translation.reviewedAt = nil
        translation.reviewedSourceDigest = nil
        translation.updatedBy = username
        try await translation.save(on: db)
        return true
    }

    /// Marks a translation reviewed against the offer's current Dutch text.
    func markReviewed(_ translation: OfferTranslation, sourceDigest: String, by reviewer: String, at now: Date) async throws {
        translation.status = .reviewed
        translation.reviewedBy = reviewer
        translation.reviewedAt = now
        translation.reviewedSourceDigest = sourceDigest
        try await translation.save(on: db)
    }
}

/// What an offer's translations page may do for the signed-in staff member, and the writes, decided from the
/// policy table (record `.offerTranslation`): the offer's own organisation and the admin write every language, a
/// key person writes and reviews the languages on their account.
struct OfferTranslationService {
    let request: Request
    let staff: StaffIdentity
    let offers: OfferService

    init(request: Request) throws {
        self.request = request
        staff = try request.requireStaff()
        offers = try OfferService(request: request)
    }

    struct Permissions {
        let mayEdit: Bool
        let mayReview: Bool
    }

    /// The role gate first, as for offers: a role that never translates learns nothing about the offer.
    func gate(_ action: AccessPolicy.Action) throws {
        try FamilyAccess.require(staff, action, .offerTranslation)
    }

    /// The offer (of the own municipality, else 404) and the language (one the parents' place serves, else 404).
    func target(_ offerID: UUID, language: String) async throws -> Offer {
        guard OfferTranslationLanguages.serves(language, request.application.parentContent) else {
            throw AppError.notFound("language")
        }
        return try await offers.find(offerID)
    }

    func permissions(_ offer: Offer, language: String) async throws -> Permissions {
        var relationships: Set<AccessPolicy.Relationship> = [.sameMunicipality]
        if offer.$organisation.id == staff.organisationID { relationships.insert(.ownOrganisation) }
        let languageMatters = [AccessPolicy.Action.update, .review].contains {
            AccessPolicy.grant(role: staff.role, action: $0, record: .offerTranslation).grants(.speaksLanguage)
        }
        if languageMatters, try await request.colleagues.languages(of: staff.userID).contains(language) {
            relationships.insert(.speaksLanguage)
        }
        func allowed(_ action: AccessPolicy.Action) -> Bool {
            // A retired offer is no longer shown to parents: nothing to translate.
            offer.status == .active
                && AccessPolicy.decide(role: staff.role, relationships: relationships, action: action, record: .offerTranslation) == .allowed
        }
        return Permissions(mayEdit: allowed(.update), mayReview: allowed(.review))
    }

    /// Field errors of a submitted text, in the staff member's language, naming the field.
    private func problems(name: String, description: String, languageName: String) -> [String: String] {
        let catalog = request.application.locales
        let locale = request.staffLocale
        func message(_ key: String) -> String { catalog.text(key, locale).replacingOccurrences(of: "{language}", with: languageName) }
        var errors: [String: String] = [:]
        if name.isEmpty { errors["name"] = message("offerTranslation.error.nameRequired") }
        else if name.count > OfferTranslation.nameLimit { errors["name"] = message("offerTranslation.error.nameTooLong") }
        if description.isEmpty { errors["description"] = message("offerTranslation.error.descriptionRequired") }
        else if description.count > OfferTranslation.descriptionLimit {
            errors["description"] = message("offerTranslation.error.descriptionTooLong")
        }
        return errors
    }

    /// Saves the text as a draft, in one transaction; `revision` is the one the editor saw (a newer one: 409).
    /// The permission first (403 before any message about the text), then the text's problems (nothing written).
    func save(_ offer: Offer, language: String, name: String, description: String, revision: Int?,
              languageName: String) async throws -> SaveOutcome {
        guard try await permissions(offer, language: language).mayEdit else { throw AppError.forbidden }
        let errors = problems(name: name, description: description, languageName: languageName)
        guard errors.isEmpty else { return .invalid(errors) }
        let offerID = try offer.requireID()
        let username = staff.username
        return try await request.db.writeTransaction { tx in
            let store = OfferTranslations(on: tx)
            let existing = try await store.one(offerID, language: language)
            if let existing, let revision, revision != existing.revision { return .stale }
            let row = existing ?? OfferTranslation(offerID: offerID, language: language)
            try await store.saveText(row, name: name, description: description, by: username)
            return .saved
        }
    }

    /// Marks the text the reviewer saw as reviewed against the current Dutch text.
    func review(_ offer: Offer, language: String, revision: Int?) async throws -> SaveOutcome {
        guard try await permissions(offer, language: language).mayReview else { throw AppError.forbidden }
        let offerID = try offer.requireID()
        let digest = OfferTranslation.sourceDigest(of: try offer.draft)
        let reviewer = staff.displayName, now = request.clock.now
        return try await request.db.writeTransaction { tx in
            let store = OfferTranslations(on: tx)
            // Allowed, but nothing written yet: there is nothing to review.
            guard let row = try await store.one(offerID, language: language) else {
                throw AppError(status: .conflict, code: "nothing-to-review", message: "There is no translation to review yet.")
            }
            guard revision == row.revision else { return .stale }
            try await store.markReviewed(row, sourceDigest: digest, by: reviewer, at: now)
            return .saved
        }
    }

    enum SaveOutcome: Sendable {
        case saved, stale
        /// Field errors by field, in the staff member's language; nothing written.
        case invalid([String: String])
    }
}

extension Request {
    /// Offers' translations on this request's database.
    var offerTranslations: OfferTranslations { OfferTranslations(on: db) }
}
