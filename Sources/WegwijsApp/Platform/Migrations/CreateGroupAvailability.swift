import Fluent
import Foundation
import SQLKit

/// The planner's real input (issue 14, item 4; docs/groups.md "What parents and facilitators can"): the
/// municipality's districts, when each waiting parent can come (times, online, mixed, districts), and when each
/// trainer and key person can work and how many series they lead at most. A forward migration after
/// `CreateGroupInvitees` (shipped migrations are never edited).
struct CreateGroupAvailability: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GroupDistrict.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("postcodes", .string, .required)
            .field("position", .int, .required)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .unique(on: "municipality_id", "code")
            .create()
        try await database.schema(GroupParentAvailability.schema)
            .id()
            .field("times", .string, .required)
            .field("online", .bool, .required)
            .field("mixed_ok", .bool, .required)
            .field("districts", .string, .required)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("family_id", .uuid, .required, .references(Family.schema, .id, onDelete: .cascade))
            .field("member_id", .uuid, .required, .references(Member.schema, .id, onDelete: .cascade))
            .field("updated_at", .datetime)
            .unique(on: "member_id")
            .create()
        try await database.schema(GroupFacilitatorAvailability.schema)
            .id()
            .field("times", .string, .required)
            .field("max_series", .int, .required)
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, .id))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("updated_at", .datetime)
            .unique(on: "user_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX group_parent_availability_family ON group_parent_availability (family_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [GroupFacilitatorAvailability.schema, GroupParentAvailability.schema, GroupDistrict.schema] {
            try await database.schema(schema).delete()
        }
    }
}
