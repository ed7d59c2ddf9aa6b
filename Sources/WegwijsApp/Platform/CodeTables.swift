import Fluent
import Foundation
import SQLKit

/// A list of codes (or of ids) that belongs to one row, kept in a join table of its own: one row per
/// (owner, value), with the list's order in `position` (the first spoken language is a parent's own language).
/// The owner's foreign key removes the rows with their owner; filters are `EXISTS` on the table's
/// (value, owner) index — the same SQL on SQLite and PostgreSQL, where the comma-separated columns needed
/// `LIKE '%,ar,%'` and could not be indexed.
///
/// The lists are not Fluent fields: whoever loads a model loads its lists with `load`, and whoever writes one
/// writes its lists with `replace` on the same transaction (`FamilyCodes`, `OfferCodes`, `ReferralLinks`).
struct CodeTable<Value: Codable & Hashable & Sendable>: Sendable {
    let table: String
    /// The column naming the owner (`family_id`).
    let owner: String
    /// The column holding the code or id (`code`, `member_id`).
    let value: String

    /// SQLite allows 32,766 bound values per statement, PostgreSQL 65,535; three per row.
    private static var rowsPerInsert: Int { 5_000 }
    fileprivate static var idsPerSelect: Int { 1_000 }

    /// The lists of `owners`, in their order; an owner without values is absent.
    func load(_ owners: [UUID], on database: any Database) async throws -> [UUID: [Value]] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        return try await load(owners, on: sql)
    }

    func load(_ owners: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [Value]] {
        guard !owners.isEmpty else { return [:] }
        var lists: [UUID: [Value]] = [:]
        for start in stride(from: 0, to: owners.count, by: Self.idsPerSelect) {
            let chunk = Array(owners[start..<min(start + Self.idsPerSelect, owners.count)])
            let rows = try await sql.select().column(SQLIdentifier(owner)).column(SQLIdentifier(value)).from(table)
                .where(SQLIdentifier(owner), .in, chunk)
                .orderBy(owner).orderBy("position")
                .all()
            for row in rows {
                lists[try row.decode(column: owner, as: UUID.self), default: []].append(try row.decode(column: value, as: Value.self))
            }
        }
        return lists
    }

    /// The lists of several tables with the same value type in one query (`UNION ALL`), for a page that shows one
    /// family or a few: one round trip instead of one per table. Answers in the order of `tables`.
    static func load(_ tables: [(table: CodeTable<Value>, owners: [UUID])], on sql: any SQLDatabase) async throws -> [[UUID: [Value]]] {
        let asked = tables.enumerated().filter { !$0.element.owners.isEmpty }
        guard !asked.isEmpty else { return tables.map { _ in [:] } }
        guard asked.allSatisfy({ $0.element.owners.count <= idsPerSelect }) else {
            var lists: [[UUID: [Value]]] = []
            for entry in tables { lists.append(try await entry.table.load(entry.owners, on: sql)) }
            return lists
        }
        let parts: [SQLQueryString] = asked.map { index, entry in
            let table = entry.table
            return "SELECT \(literal: index) AS part, \(ident: table.owner) AS owner, \(ident: table.value) AS value, position FROM \(ident: table.table) WHERE \(ident: table.owner) IN (\(binds: entry.owners))"
        }
        let query = parts.joined(separator: " UNION ALL ") + " ORDER BY part, owner, position"
        var lists: [[UUID: [Value]]] = tables.map { _ in [:] }
        for row in try await sql.raw(query).all() {
            let part = try row.decode(column: "part", as: Int.self)
            lists[part][try row.decode(column: "owner", as: UUID.self), default: []].append(try row.decode(column: "value", as: Value.self))
        }
        return lists
    }

    /// The list of one owner.
    func load(_ owner: UUID, on database: any Database) async throws -> [Value] {
        try await load([owner], on: database)[owner] ?? []
    }

    /// Replaces the lists of the given owners (an empty list removes them all).
    func replace(_ lists: [(owner: UUID, values: [Value])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !lists.isEmpty else { return }
        let owners = lists.map(\.owner)
        for start in stride(from: 0, to: owners.count, by: Self.idsPerSelect) {
            try await sql.delete(from: table)
                .where(SQLIdentifier(owner), .in, Array(owners[start..<min(start + Self.idsPerSelect, owners.count)]))
                .run()
        }
        try await insert(lists, on: database)
    }

    func replace(_ owner: UUID, with values: [Value], on database: any Database) async throws {
        try await replace([(owner, values)], on: database)
    }

    /// Adds the lists of owners that have none yet, in batched multi-row inserts (the seeders write
    /// hundreds of thousands). Repeated values are stored once, at their first place.
    func insert(_ lists: [(owner: UUID, values: [Value])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var rows: [[any SQLExpression]] = []
        for (owner, values) in lists {
            var seen = Set<Value>()
            for value in values where seen.insert(value).inserted {
                rows.append([SQLBind(owner), SQLBind(value), SQLBind(seen.count - 1)])
            }
        }
        for start in stride(from: 0, to: rows.count, by: Self.rowsPerInsert) {
            var insert = sql.insert(into: table).columns(owner, value, "position")
            for row in rows[start..<min(start + Self.rowsPerInsert, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }

    /// `EXISTS` a row of `ownerColumn` (e.g. `families.id`) with `code`: a filter for a WHERE clause.
    func contains(_ code: Value, ownerColumn: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM \(ident: table) WHERE \(ident: table).\(ident: owner) = \(unsafeRaw: ownerColumn) AND \(ident: table).\(ident: value) = \(bind: code))"
    }

    /// `EXISTS` a row of `ownerColumn` whose code starts with `prefix` (digits only: no wildcard to escape).
    func startsWith(_ prefix: String, ownerColumn: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM \(ident: table) WHERE \(ident: table).\(ident: owner) = \(unsafeRaw: ownerColumn) AND \(ident: table).\(ident: value) LIKE \(bind: prefix + "%"))"
    }

    /// `EXISTS` any row of `ownerColumn`.
    func any(ownerColumn: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM \(ident: table) WHERE \(ident: table).\(ident: owner) = \(unsafeRaw: ownerColumn))"
    }
}

/// The join tables of the application (created by `TypedCodeStorage`).
enum CodeTables {
    static let familyLanguages = CodeTable<String>(table: "family_languages", owner: "family_id", value: "code")
    static let familySituations = CodeTable<String>(table: "family_situations", owner: "family_id", value: "code")
    static let memberSpokenLanguages = CodeTable<String>(table: "member_spoken_languages", owner: "member_id", value: "code")
    static let memberReadLanguages = CodeTable<String>(table: "member_read_languages", owner: "member_id", value: "code")
    static let offerThemes = CodeTable<String>(table: "offer_themes", owner: "offer_id", value: "code")
    static let offerLanguages = CodeTable<String>(table: "offer_languages", owner: "offer_id", value: "code")
    static let offerForms = CodeTable<String>(table: "offer_forms", owner: "offer_id", value: "code")
    static let offerSituations = CodeTable<String>(table: "offer_situations", owner: "offer_id", value: "code")
    static let offerPostcodeAreas = CodeTable<String>(table: "offer_postcode_areas", owner: "offer_id", value: "code")
    static let referralMembers = CodeTable<UUID>(table: "referral_members", owner: "referral_id", value: "member_id")
    static let referralNeeds = CodeTable<UUID>(table: "referral_needs", owner: "referral_id", value: "need_id")
    static let referralSharedFields = CodeTable<String>(table: "referral_shared_fields", owner: "referral_id", value: "code")
    static let consentDataCategories = CodeTable<String>(table: "consent_data_categories", owner: "consent_id", value: "code")
    static let groupWaitingMembers = CodeTable<UUID>(table: "group_waiting_members", owner: "entry_id", value: "member_id")
    // Created by `TypedCodeStorageOfPeople`.
    static let userLanguages = CodeTable<String>(table: "user_languages", owner: "user_id", value: "code")
    static let parentAvailabilityTimes = CodeTable<String>(table: "parent_availability_times", owner: "availability_id", value: "code")
    static let parentAvailabilityDistricts = CodeTable<String>(table: "parent_availability_districts", owner: "availability_id", value: "code")
    static let facilitatorAvailabilityTimes = CodeTable<String>(table: "facilitator_availability_times", owner: "availability_id", value: "code")
}
