import Fluent
import Foundation
import SQLKit
import WegwijsCore

enum EvaluationStatus: String, Codable, Sendable {
    case open, closed
}

/// The parents' evaluation of one series: the unguessable token of its public link, open or closed. No personal
/// data: the token names the series, nobody else. It is kept as it is (not hashed) because staff print it on the
/// hand-out; closing it ends the link.
final class GroupEvaluationRecord: Model, @unchecked Sendable {
    static let schema = "group_evaluations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int

    // data fields
    @Field(key: "token") var token: String
    @Field(key: "status") var status: EvaluationStatus
    /// Answers so far (phone and paper): the flood limit reads it.
    @Field(key: "responses") var responses: Int
    /// Days only: nothing finer is kept about when anything happened.
    @Field(key: "opened_on") var openedOn: String
    @OptionalField(key: "closed_on") var closedOn: String?

    // relationships
    @Parent(key: "series_id") var series: GroupSeries
    @Parent(key: "municipality_id") var municipality: Municipality
    /// The series' offer, so results per offer are one indexed read.
    @Parent(key: "offer_id") var offer: Offer

    init() {}
}

/// One count of the tally: question × answer × source. A phone answer adds 1 to each of its cells; a paper batch
/// adds its counts. No row per parent exists, so no set of answers can be tied together.
enum EvaluationCounts {
    static let schema = "group_evaluation_counts"
    /// The `question` of the row that counts responses, and of the favourite-topic rows.
    static let responses = "responses"
    static let favourite = "favourite"
}

/// A facilitator's own evaluation of the series (trainer or key person), one per person per series.
final class GroupFacilitatorEvaluation: Model, @unchecked Sendable {
    static let schema = "group_facilitator_evaluations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int

    // data fields
    @Field(key: "role") var role: FacilitatorRole
    @Field(key: "went_well") var wentWell: String
    @Field(key: "to_change") var toChange: String
    @Field(key: "attendance") var attendance: String
    @Field(key: "rating") var rating: Int
    @Field(key: "written_on") var writtenOn: String

    // relationships
    @Parent(key: "series_id") var series: GroupSeries
    @Parent(key: "author_id") var author: User

    init() {}
}

enum FacilitatorRole: String, Codable, Sendable {
    case trainer
    case keyPerson = "key-person"
    /// A case manager who ran it with them.
    case coordinator
}

struct CreateGroupEvaluations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupEvaluationRecord.schema)
            .id()
            .field("version", .int, .required)
            .field("token", .string, .required)
            .field("status", .string, .required)
            .field("responses", .int, .required)
            .field("opened_on", .string, .required)
            .field("closed_on", .string)
            .field("series_id", .uuid, .required, .references(GroupSeries.schema, .id, onDelete: .cascade))
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("offer_id", .uuid, .required, .references(Offer.schema, .id))
            .unique(on: "token")
            .unique(on: "series_id")
            .create()
        try await database.schema(EvaluationCounts.schema)
            .field("evaluation_id", .uuid, .required, .references(GroupEvaluationRecord.schema, .id, onDelete: .cascade))
            .field("question", .string, .required)
            .field("answer", .string, .required)
            .field("source", .string, .required)
            .field("count", .int, .required)
            .compositeIdentifier(over: "evaluation_id", "question", "answer", "source")
            .create()
        try await database.schema(GroupFacilitatorEvaluation.schema)
            .id()
            .field("version", .int, .required)
            .field("role", .string, .required)
            .field("went_well", .string, .required)
            .field("to_change", .string, .required)
            .field("attendance", .string, .required)
            .field("rating", .int, .required)
            .field("written_on", .string, .required)
            .field("series_id", .uuid, .required, .references(GroupSeries.schema, .id, onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, .id))
            .unique(on: "series_id", "author_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Results per offer of the municipality.
        try await sql.raw("CREATE INDEX group_evaluations_offer ON group_evaluations (municipality_id, offer_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [GroupFacilitatorEvaluation.schema, EvaluationCounts.schema, GroupEvaluationRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}
