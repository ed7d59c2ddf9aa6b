import Fluent
import Foundation
import SQLKit

/// Moves every comma-separated list (`,ar,ti,`, `,<uuid>,<uuid>,`) into a join table of its own (`CodeTable`), copies
/// what is stored, and drops the old columns. Forward only: the migrations before it are as shipped.
///
/// Each table: (owner FK ON DELETE CASCADE, value, position), primary key (owner, value), index (value, owner) for
/// the filters. Lists of ids get a foreign key on the value too; an id of the old text that names no row any more
/// (there was no foreign key) is not copied — it could not be shown or followed before either.
struct TypedCodeStorage: AsyncMigration {
    /// One old column and its new table. Spelled out here, not taken from `CodeTables`, so this migration keeps
    /// doing what it did when later code changes.
    struct Move: Sendable {
        let table: String
        let owner: String
        let ownerTable: String
        let value: String
        /// For lists of ids: the table the ids name.
        let valueTable: String?
        let oldTable: String
        let oldColumn: String
    }

    static let moves: [Move] = [
        Move(table: "family_languages", owner: "family_id", ownerTable: "families", value: "code", valueTable: nil,
             oldTable: "families", oldColumn: "language_codes"),
        Move(table: "family_situations", owner: "family_id", ownerTable: "families", value: "code", valueTable: nil,
             oldTable: "families", oldColumn: "situation_codes"),
        Move(table: "member_spoken_languages", owner: "member_id", ownerTable: "family_members", value: "code", valueTable: nil,
             oldTable: "family_members", oldColumn: "languages_spoken"),
        Move(table: "member_read_languages", owner: "member_id", ownerTable: "family_members", value: "code", valueTable: nil,
             oldTable: "family_members", oldColumn: "languages_read"),
        Move(table: "offer_themes", owner: "offer_id", ownerTable: "offers", value: "code", valueTable: nil,
             oldTable: "offers", oldColumn: "themes"),
        Move(table: "offer_languages", owner: "offer_id", ownerTable: "offers", value: "code", valueTable: nil,
             oldTable: "offers", oldColumn: "languages"),
        Move(table: "offer_forms", owner: "offer_id", ownerTable: "offers", value: "code", valueTable: nil,
             oldTable: "offers", oldColumn: "forms"),
        Move(table: "offer_situations", owner: "offer_id", ownerTable: "offers", value: "code", valueTable: nil,
             oldTable: "offers", oldColumn: "for_situations"),
        Move(table: "offer_postcode_areas", owner: "offer_id", ownerTable: "offers", value: "code", valueTable: nil,
             oldTable: "offers", oldColumn: "postcode_areas"),
        Move(table: "referral_members", owner: "referral_id", ownerTable: "referrals", value: "member_id",
             valueTable: "family_members", oldTable: "referrals", oldColumn: "member_ids"),
        Move(table: "referral_needs", owner: "referral_id", ownerTable: "referrals", value: "need_id",
             valueTable: "family_needs", oldTable: "referrals", oldColumn: "need_ids"),
        Move(table: "referral_shared_fields", owner: "referral_id", ownerTable: "referrals", value: "code", valueTable: nil,
             oldTable: "referrals", oldColumn: "shared_fields"),
        Move(table: "consent_data_categories", owner: "consent_id", ownerTable: "consents", value: "code", valueTable: nil,
             oldTable: "consents", oldColumn: "data_categories"),
        Move(table: "group_waiting_members", owner: "entry_id", ownerTable: "group_waiting_list", value: "member_id",
             valueTable: "family_members", oldTable: "group_waiting_list", oldColumn: "member_ids"),
    ]

    private static let batch = 2_000

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in try await Self.apply(Self.moves, on: tx) }
    }

    /// Creates the join tables of `moves`, copies the lists and drops the old columns (also used by the later
    /// `TypedCodeStorageOfPeople`, with moves of its own).
    static func apply(_ moves: [Move], on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { return }
        for move in moves {
            var schema = tx.schema(move.table)
                .field(.string(move.owner), .uuid, .required, .references(move.ownerTable, "id", onDelete: .cascade))
            if let valueTable = move.valueTable {
                schema = schema.field(.string(move.value), .uuid, .required, .references(valueTable, "id", onDelete: .cascade))
            } else {
                schema = schema.field(.string(move.value), .string, .required)
            }
            try await schema.field("position", .int, .required)
                .compositeIdentifier(over: .string(move.owner), .string(move.value))
                .create()
            try await sql.raw("""
                CREATE INDEX \(ident: move.table + "_by_value") ON \(ident: move.table) (\(ident: move.value), \(ident: move.owner))
                """).run()
            try await copy(move, on: sql)
        }
        // SQLite drops a column since 3.35 (the driver bundles a newer one); the columns are in no index.
        for move in moves {
            try await sql.raw("ALTER TABLE \(ident: move.oldTable) DROP COLUMN \(ident: move.oldColumn)").run()
        }
    }

    /// Copies one column, a page of rows at a time in id order.
    private static func copy(_ move: Move, on sql: any SQLDatabase) async throws {
        var after: UUID?
        while true {
            var query = sql.select().column("id").column(SQLIdentifier(move.oldColumn)).from(move.oldTable)
            if let after { query = query.where("id", .greaterThan, after) }
            let rows = try await query.orderBy("id").limit(batch).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: UUID.self)
            var lists: [(UUID, [String])] = []
            for row in rows {
                // A nullable old column (`users.languages`) holds NULL for "none".
                let text = try row.decode(column: move.oldColumn, as: String?.self) ?? ""
                let codes = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if !codes.isEmpty { lists.append((try row.decode(column: "id", as: UUID.self), codes)) }
            }
            var values: [[any SQLExpression]] = []
            if let valueTable = move.valueTable {
                let wanted = Set(lists.flatMap { $0.1.compactMap(UUID.init(uuidString:)) })
                var existing = Set<UUID>()
                let ids = Array(wanted)
                for start in stride(from: 0, to: ids.count, by: 1_000) {
                    let found = try await sql.select().column("id").from(valueTable)
                        .where("id", .in, Array(ids[start..<min(start + 1_000, ids.count)])).all()
                    for row in found { existing.insert(try row.decode(column: "id", as: UUID.self)) }
                }
                for (owner, texts) in lists {
                    var seen = Set<UUID>()
                    for id in texts.compactMap(UUID.init(uuidString:)) where existing.contains(id) && seen.insert(id).inserted {
                        values.append([SQLBind(owner), SQLBind(id), SQLBind(seen.count - 1)])
                    }
                }
            } else {
                for (owner, codes) in lists {
                    var seen = Set<String>()
                    for code in codes where seen.insert(code).inserted {
                        values.append([SQLBind(owner), SQLBind(code), SQLBind(seen.count - 1)])
                    }
                }
            }
            for start in stride(from: 0, to: values.count, by: 5_000) {
                var insert = sql.insert(into: move.table).columns(move.owner, move.value, "position")
                for row in values[start..<min(start + 5_000, values.count)] { insert = insert.values(row) }
                try await insert.run()
            }
        }
    }

    /// Puts the lists back into comma-separated columns and drops the join tables.
    func revert(on database: any Database) async throws {
        try await database.transaction { tx in try await Self.unapply(Self.moves, on: tx) }
    }

    static func unapply(_ moves: [Move], on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { return }
        for move in moves {
            try await sql.raw("ALTER TABLE \(ident: move.oldTable) ADD COLUMN \(ident: move.oldColumn) TEXT NOT NULL DEFAULT ','").run()
            let rows = try await sql.select().column(SQLIdentifier(move.owner)).column(SQLIdentifier(move.value))
                .from(move.table).orderBy(move.owner).orderBy("position").all()
            var lists: [UUID: [String]] = [:]
            for row in rows {
                let owner = try row.decode(column: move.owner, as: UUID.self)
                let value = move.valueTable == nil ? try row.decode(column: move.value, as: String.self)
                    : try row.decode(column: move.value, as: UUID.self).uuidString
                lists[owner, default: []].append(value)
            }
            for (owner, values) in lists {
                try await sql.update(move.oldTable).set(SQLIdentifier(move.oldColumn), to: "," + values.joined(separator: ",") + ",")
                    .where("id", .equal, owner).run()
            }
            try await tx.schema(move.table).delete()
        }
    }
}
