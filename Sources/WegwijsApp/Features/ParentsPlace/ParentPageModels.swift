import Fluent
import Foundation
import SQLKit
import Vapor

/// One page of the parents' place in one language. The Dutch row is the source; every other row is a translation
/// with a review status. A translation reviewed against an older Dutch revision is outdated.
final class ParentPage: Model, @unchecked Sendable {
    static let schema = "parent_pages"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "language") var language: String
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "icon_alt") var iconAlt: String
    @Field(key: "body") var body: String
    /// Raised on every change of the text.
    @Field(key: "revision") var revision: Int
    /// `source` (Dutch), `draft` or `reviewed`.
    @Field(key: "status") var status: String
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    /// The Dutch revision the review was done against.
    @OptionalField(key: "reviewed_source_revision") var reviewedSourceRevision: Int?
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(_ text: ParentContent.PageText, language: String) {
        id = UUID()
        slug = text.slug
        self.language = language
        title = text.title
        summary = text.summary
        iconAlt = text.iconAlt
        body = text.body
        revision = 1
        status = language == ParentContent.sourceLanguage ? ParentPageState.source.rawValue : ParentPageState.draft.rawValue
        updatedBy = "seed"
    }

    var text: ParentContent.PageText {
        ParentContent.PageText(slug: slug, title: title, summary: summary, iconAlt: iconAlt, body: body)
    }

    /// Where this translation stands against the Dutch source's current revision.
    func state(sourceRevision: Int) -> ParentPageState {
        if language == ParentContent.sourceLanguage { return .source }
        guard status == ParentPageState.reviewed.rawValue else { return .draft }
        return (reviewedSourceRevision ?? 0) < sourceRevision ? .outdated : .reviewed
    }
}

enum ParentPageState: String, Codable, Sendable, CaseIterable {
    case source, draft, reviewed, outdated, missing
}

struct CreateParentPages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ParentPage.schema)
            .id()
            .field("slug", .string, .required)
            .field("language", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("icon_alt", .string, .required)
            .field("body", .string, .required)
            .field("revision", .int, .required)
            .field("status", .string, .required)
            .field("reviewed_by", .string)
            .field("reviewed_at", .datetime)
            .field("reviewed_source_revision", .int)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "slug", "language")
            .create()
        // The languages a staff member reads and writes well: key persons review translations in theirs.
        try await database.schema(User.schema).field("languages", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("languages").update()
        try await database.schema(ParentPage.schema).delete()
    }
}

/// The door to the stored pages of the parents' place: the parents' place itself, the translators' pages and other
/// features (the intake's "information handed out", a group session's hand-out) read and write them here.
struct ParentPages {
    let db: any Database

    init(on db: any Database) { self.db = db }

    /// The stored pages of one language, by slug.
    func inLanguage(_ language: String) async throws -> [String: ParentPage] {
        Dictionary(try await ParentPage.query(on: db).filter(\.$language == language).all().map { ($0.slug, $0) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// One page in one language, if stored.
    func page(_ slug: String, language: String) async throws -> ParentPage? {
        try await ParentPage.query(on: db).filter(\.$slug == slug).filter(\.$language == language).first()
    }

    /// One page in every stored language.
    func languages(of slug: String) async throws -> [ParentPage] {
        try await ParentPage.query(on: db).filter(\.$slug == slug).all()
    }

    /// These pages in these languages.
    func pages(_ slugs: [String], in languages: Set<String>) async throws -> [ParentPage] {
        try await ParentPage.query(on: db).filter(\.$slug ~~ slugs).filter(\.$language ~~ languages).all()
    }

    /// Every stored page in every language.
    func all() async throws -> [ParentPage] {
        try await ParentPage.query(on: db).all()
    }

    /// Saves a new or changed page (the database raises the pages' content version).
    func save(_ page: ParentPage) async throws {
        try await page.save(on: db)
    }

    /// Adds the shipped text of every page and language that has no row yet. Never overwrites: once a page is in
    /// the database, staff own its text.
    static func seedMissing(_ app: Application) async throws {
        let content = app.parentContent
        let existing = try await ParentPage.query(on: app.db).all().map { "\($0.slug)/\($0.language)" }
        let have = Set(existing)
        var rows: [ParentPage] = []
        for (code, file) in content.files {
            for text in file.pages where content.page(text.slug) != nil && !have.contains("\(text.slug)/\(code)") {
                rows.append(ParentPage(text, language: code))
            }
        }
        guard !rows.isEmpty else { return }
        let newRows = rows
        try await app.db.transaction { tx in try await newRows.create(on: tx) }
    }
}

extension Application {
    private struct ParentContentKey: StorageKey { typealias Value = ParentContent }
    var parentContent: ParentContent {
        get { storage[ParentContentKey.self]! }
        set { storage[ParentContentKey.self] = newValue }
    }
}

extension Request {
    /// The parents' place pages on this request's database.
    var parentPages: ParentPages { ParentPages(on: db) }
}
