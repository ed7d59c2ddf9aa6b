import Fluent
import Foundation

/// The comma-separated lists that were left after `TypedCodeStorage`, moved into join tables the same way: the
/// languages a staff member speaks (`users.languages`, `,ar,ti,`), and when a waiting parent can come and where
/// (`group_parent_availability.times` / `.districts`) and when a trainer or key person can work
/// (`group_facilitator_availability.times`). Forward only; the lists keep their order.
struct TypedCodeStorageOfPeople: AsyncMigration {
    typealias Move = TypedCodeStorage.Move

    /// Spelled out here, not taken from `CodeTables`, so this migration keeps doing what it did.
    static let moves: [Move] = [
        Move(table: "user_languages", owner: "user_id", ownerTable: "users", value: "code", valueTable: nil,
             oldTable: "users", oldColumn: "languages"),
        Move(table: "parent_availability_times", owner: "availability_id", ownerTable: "group_parent_availability",
             value: "code", valueTable: nil, oldTable: "group_parent_availability", oldColumn: "times"),
        Move(table: "parent_availability_districts", owner: "availability_id", ownerTable: "group_parent_availability",
             value: "code", valueTable: nil, oldTable: "group_parent_availability", oldColumn: "districts"),
        Move(table: "facilitator_availability_times", owner: "availability_id", ownerTable: "group_facilitator_availability",
             value: "code", valueTable: nil, oldTable: "group_facilitator_availability", oldColumn: "times"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in try await TypedCodeStorage.apply(Self.moves, on: tx) }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in try await TypedCodeStorage.unapply(Self.moves, on: tx) }
    }
}
