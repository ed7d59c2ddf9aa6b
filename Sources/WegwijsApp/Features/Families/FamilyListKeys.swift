import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// The family list's search index: one row per family and thing it can be found by — a name token, a language,
/// a situation — with the family's municipality and name beside it. The index
/// `(municipality_id, kind, code, name, family_id)` then hands out "the families of Rijnstad who speak Tigrinya,
/// by name" or "… with a name starting with hadd" in page order, without reading the families that do not match.
///
/// Derived data: the truth stays in `families`, `family_members` and the code tables. It is rewritten in the
/// transaction that changes the family (`FamilyCodes.store`), and built for existing databases by
/// `AddFamilyListKeys`.
enum FamilyListKeys {
    static let table = "family_list_keys"

    /// What a family can be found by.
    enum Kind: String, Codable, Sendable {
        /// A word of the household's or a member's name, or of the family's reference (`NameTokens`).
        case name
        /// The phonetic key of such a word (`NameKey`): "Muhammad" is found by "Mohammed", "ተስፋይ" by "Tesfay".
        case nameKey = "namekey"
        /// A language a member speaks or reads (the family's `languages`).
        case language
        /// A situation code of the family.
        case situation
    }

    struct Key: Hashable, Sendable {
        let kind: Kind
        let code: String
    }

    /// The keys of a family: its name tokens (from `FamilyService.refreshIndexes`) and their phonetic keys,
    /// languages and situations.
    static func keys(of family: Family, nameTokens: [String]) -> [Key] {
        var keys = nameTokens.map { Key(kind: .name, code: $0) }
        keys += nameTokens.map(NameKey.key(of:)).filter { !$0.isEmpty }.map { Key(kind: .nameKey, code: $0) }
        keys += CodeList.unique(family.languages).map { Key(kind: .language, code: $0) }
        keys += CodeList.unique(family.situations).map { Key(kind: .situation, code: $0) }
        return CodeList.unique(keys)
    }

    /// Rewrites the keys of the families whose name tokens were computed in this change (`nameTokens` set);
    /// a change that did not touch names, languages or situations leaves them as they are.
    static func replace(_ families: [Family], on database: any Database) async throws {
        let changed = families.filter { $0.nameTokens != nil }
        guard let sql = database as? any SQLDatabase, !changed.isEmpty else { return }
        try await sql.delete(from: table).where("family_id", .in, changed.compactMap(\.id)).run()
        try await insert(changed, on: sql)
    }

    /// Adds the keys of new families (no delete first): the seeders write thousands at once.
    static func insert(_ families: [Family], on sql: any SQLDatabase) async throws {
        var rows: [[any SQLExpression]] = []
        for family in families {
            for key in keys(of: family, nameTokens: family.nameTokens ?? []) {
                rows.append([SQLBind(family.id!), SQLBind(key.kind.rawValue), SQLBind(key.code),
                             SQLBind(family.$municipality.id), SQLBind(family.name)])
            }
        }
        // Five bound values a row, under SQLite's 32,766 per statement.
        for start in stride(from: 0, to: rows.count, by: 5_000) {
            var insert = sql.insert(into: table).columns("family_id", "kind", "code", "municipality_id", "name")
            for row in rows[start..<min(start + 5_000, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }

    // MARK: - conditions for the list query

    /// `EXISTS` a key of `kind` equal to `code` for the row `families.id` (the primary key's prefix).
    static func has(_ kind: Kind, _ code: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM family_list_keys k WHERE k.family_id = families.id AND k.kind = \(bind: kind.rawValue) AND k.code = \(bind: code))"
    }

    /// `EXISTS` a name token starting with `prefix` for the row `families.id`.
    static func hasName(startingWith prefix: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM family_list_keys k WHERE k.family_id = families.id AND k.kind = 'name' AND k.code >= \(bind: prefix) AND k.code < \(bind: NameTokens.upperBound(ofPrefix: prefix)))"
    }

    /// How a search word finds name keys: its key equals a stored key. Not "starts with": keys drop vowels, so a
    /// short key is the start of many unrelated names ("ubaydi" would find every "Abd…"); typing part of a name in
    /// the same spelling is found by the tokens already ("moham" finds "Mohammed").
    struct NameKeyMatch: Sendable {
        let key: String

        init?(word: String) {
            let key = NameKey.key(of: word)
            guard !key.isEmpty else { return nil }
            self.key = key
        }

        /// The condition on `k.code` (a `family_list_keys` row of kind `namekey`).
        var codeCondition: SQLQueryString { "k.code = \(bind: key)" }
    }

    /// The rule the SQL follows, in memory (for tests and for reasoning): `word` starts one of `tokens`, or its name
    /// key is the name key of one of them (`NameKey.matches`, whose corpus test measures recall and precision).
    static func nameMatches(word: String, tokens: [String]) -> Bool {
        if tokens.contains(where: { $0.hasPrefix(word) }) { return true }
        guard let match = NameKeyMatch(word: word) else { return false }
        return tokens.map(NameKey.key(of:)).contains(match.key)
    }

    /// `EXISTS` a name token starting with `word`, or a name key that `word`'s key finds, for the row `families.id`.
    static func hasName(matching word: String) -> SQLQueryString {
        guard let match = NameKeyMatch(word: word) else { return hasName(startingWith: word) }
        return "(\(hasName(startingWith: word)) OR EXISTS (SELECT 1 FROM family_list_keys k WHERE k.family_id = families.id AND k.kind = 'namekey' AND \(match.codeCondition)))"
    }
}

/// Creates `family_list_keys` and fills it from the families already stored.
struct AddFamilyListKeys: AsyncMigration {
    private static let batch = 2_000

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await tx.schema(FamilyListKeys.table)
                .field("family_id", .uuid, .required, .references(Family.schema, "id", onDelete: .cascade))
                .field("kind", .string, .required)
                .field("code", .string, .required)
                .field("municipality_id", .uuid, .required)
                .field("name", .string, .required)
                .compositeIdentifier(over: "family_id", "kind", "code")
                .create()
            if sql.dialect.name == "postgresql" {
                // Name prefixes are index ranges (`code >= 'hadd' AND code < 'hade'`): byte order, whatever the
                // database's locale. SQLite compares bytes already.
                try await sql.raw("ALTER TABLE family_list_keys ALTER COLUMN code TYPE TEXT COLLATE \"C\"").run()
            }
            try await sql.raw("""
                CREATE INDEX family_list_keys_lookup ON family_list_keys (municipality_id, kind, code, name, family_id)
                """).run()
            try await Self.fill(on: sql)
        }
    }

    /// Reads the families a batch at a time in id order, with their members' names and their codes, and writes
    /// their keys.
    private static func fill(on sql: any SQLDatabase) async throws {
        var after: UUID?
        while true {
            var query = sql.select().columns("id", "name", "municipality_id").from(Family.schema)
            if let after { query = query.where("id", .greaterThan, after) }
            let rows = try await query.orderBy("id").limit(batch).all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: UUID.self)
            var families: [UUID: Family] = [:]
            var order: [UUID] = []
            for row in rows {
                let family = Family()
                family.id = try row.decode(column: "id", as: UUID.self)
                family.name = try row.decode(column: "name", as: String.self)
                family.$municipality.id = try row.decode(column: "municipality_id", as: UUID.self)
                families[family.id!] = family
                order.append(family.id!)
            }
            var names: [UUID: [String]] = [:]
            let members = try await sql.select().columns("family_id", "given_name", "family_name").from(Member.schema)
                .where("family_id", .in, order).orderBy("family_id").orderBy("position").all()
            for row in members {
                let id = try row.decode(column: "family_id", as: UUID.self)
                names[id, default: []].append(try row.decode(column: "given_name", as: String.self))
                if let familyName = try row.optional("family_name", as: String.self) { names[id, default: []].append(familyName) }
            }
            let languages = try await CodeTables.familyLanguages.load(order, on: sql)
            let situations = try await CodeTables.familySituations.load(order, on: sql)
            let batch = order.map { id -> Family in
                let family = families[id]!
                family.languages = languages[id] ?? []
                family.situations = situations[id] ?? []
                family.nameTokens = NameTokens.tokens(of: ([family.name] + (names[id] ?? [])).joined(separator: " "))
                return family
            }
            try await FamilyListKeys.insert(batch, on: sql)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FamilyListKeys.table).delete()
    }
}

/// Rebuilds every family's list keys so existing databases find what new registrations are found by: the
/// reference's tokens (`W-TKUN-GRLP`) and the phonetic name keys (`NameKey`, kind `namekey`). Forward only; the
/// table and its index stay as `AddFamilyListKeys` made them.
struct AddFamilyNameKeys: AsyncMigration {
    private static let batch = 2_000

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            var after: UUID?
            while true {
                var query = sql.select().columns("id", "name", "reference", "municipality_id").from(Family.schema)
                if let after { query = query.where("id", .greaterThan, after) }
                let rows = try await query.orderBy("id").limit(Self.batch).all()
                guard let last = rows.last else { return }
                after = try last.decode(column: "id", as: UUID.self)
                var families: [Family] = []
                for row in rows {
                    let family = Family()
                    family.id = try row.decode(column: "id", as: UUID.self)
                    family.name = try row.decode(column: "name", as: String.self)
                    family.reference = try row.decode(column: "reference", as: String.self)
                    family.$municipality.id = try row.decode(column: "municipality_id", as: UUID.self)
                    families.append(family)
                }
                let ids = families.compactMap(\.id)
                var names: [UUID: [String]] = [:]
                let members = try await sql.select().columns("family_id", "given_name", "family_name").from(Member.schema)
                    .where("family_id", .in, ids).orderBy("family_id").orderBy("position").all()
                for row in members {
                    let id = try row.decode(column: "family_id", as: UUID.self)
                    names[id, default: []].append(try row.decode(column: "given_name", as: String.self))
                    if let familyName = try row.optional("family_name", as: String.self) { names[id, default: []].append(familyName) }
                }
                let languages = try await CodeTables.familyLanguages.load(ids, on: sql)
                let situations = try await CodeTables.familySituations.load(ids, on: sql)
                for family in families {
                    let id = family.id!
                    family.languages = languages[id] ?? []
                    family.situations = situations[id] ?? []
                    // As `FamilyService.refreshIndexes` makes them.
                    family.nameTokens = NameTokens.tokens(of: ([family.name] + (names[id] ?? []) + [family.reference]).joined(separator: " "))
                }
                try await FamilyListKeys.replace(families, on: tx)
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DELETE FROM family_list_keys WHERE kind = 'namekey'").run()
    }
}
