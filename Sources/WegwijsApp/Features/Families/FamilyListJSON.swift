import Fluent
import Foundation
import NIOCore
import SQLKit

/// The family list's API answer: one JSON text per family, with its members and codes, in exactly the shape
/// `FamilyDTO` encodes (absent keys for empty values, dates as ISO 8601 seconds, ids in upper case).
///
/// The database writes each family's JSON when the family changes (`refresh`, called by `FamilyCodes.store` and
/// `FamilyCodes.insert` in the transaction that writes the family) and keeps it in `family_list_json`, with the
/// family's `version` and `updated_at` it was made from. A list page then reads 25 stored texts and joins them: no
/// models, no member and code queries, no encoder, no JSON built per request. This is derived data in the database,
/// not a cache: it is written in the same transaction as the family, so every server sees it at once. A row that
/// does not match its family's version and time (written around the door) is ignored and that family's JSON is
/// built live, by the same query (`live`).
/// `FamilyListJSONTests` compares every family of a page with `FamilyDTO`'s own encoding, on SQLite and PostgreSQL,
/// after every kind of change.
enum FamilyListJSON {
    static let table = "family_list_json"

    /// The JSON objects of the families `ids`, in the order of `ids`, with their ids for the audit entry.
    /// The BSN is written only for a viewer who may see it; others see `hasBsn`.
    static func families(_ ids: [UUID], municipalityCode: String, showBSN: Bool,
                         on sql: any SQLDatabase) async throws -> [(id: UUID, json: String)] {
        guard !ids.isEmpty else { return [] }
        let column = showBSN ? "coalesce(j.json_bsn, j.json)" : "j.json"
        let same = sql.dialect.name == "postgresql" ? "IS NOT DISTINCT FROM" : "IS"
        let rows = try await sql.raw("""
            SELECT f.id AS id, CASE WHEN j.version = f.version AND j.updated_at \(unsafeRaw: same) f.updated_at
                                    THEN \(unsafeRaw: column) END AS json
            FROM families f LEFT JOIN family_list_json j ON j.family_id = f.id
            WHERE f.id IN (\(binds: ids))
            """).all()
        var found: [UUID: String] = [:]
        found.reserveCapacity(rows.count)
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            if let json = try row.optional("json", as: String.self) { found[id] = json }
        }
        let missing = ids.filter { found[$0] == nil }
        if !missing.isEmpty {
            for row in try await live(missing, municipality: .bound(municipalityCode), showBSN: showBSN, on: sql) {
                found[row.id] = row.json
            }
        }
        return ids.compactMap { id in found[id].map { (id, $0) } }
    }

    /// Writes the stored JSON of `ids` again, from their rows as they are now in this transaction.
    static func refresh(_ ids: [UUID], on sql: any SQLDatabase) async throws {
        let plain = json(municipality: .column, showBSN: false, dialect: sql.dialect.name)
        let withBSN = json(municipality: .column, showBSN: true, dialect: sql.dialect.name)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            try await sql.raw("""
                INSERT INTO family_list_json (family_id, version, updated_at, json, json_bsn)
                SELECT f.id, f.version, f.updated_at, \(plain),
                       CASE WHEN EXISTS (SELECT 1 FROM family_members b WHERE b.family_id = f.id AND b.bsn IS NOT NULL)
                            THEN \(withBSN) END
                FROM families f JOIN municipalities mu ON mu.id = f.municipality_id
                WHERE f.id IN (\(binds: chunk))
                ON CONFLICT (family_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,
                    json = excluded.json, json_bsn = excluded.json_bsn
                """).run()
        }
    }

    /// The municipality's code in the JSON: bound (the viewer's, at read time) or the family's own (when stored).
    enum Municipality {
        case bound(String)
        case column
    }

    /// Builds the JSON of `ids` from the rows themselves (what `refresh` stores; the fallback of `families`).
    static func live(_ ids: [UUID], municipality: Municipality, showBSN: Bool,
                     on sql: any SQLDatabase) async throws -> [(id: UUID, json: String)] {
        let join: SQLQueryString = if case .column = municipality { "JOIN municipalities mu ON mu.id = f.municipality_id" } else { "" }
        return try await sql.raw("""
            SELECT f.id AS id, \(json(municipality: municipality, showBSN: showBSN, dialect: sql.dialect.name)) AS json
            FROM families f \(join) WHERE f.id IN (\(binds: ids))
            """).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "json", as: String.self))
        }
    }

    /// The JSON expression of the family row `f` (with `mu` joined for `.column`), as text.
    private static func json(municipality: Municipality, showBSN: Bool, dialect: String) -> SQLQueryString {
        let code: SQLQueryString = switch municipality {
        case .bound(let code): dialect == "postgresql" ? "\(bind: code)::text" : "\(bind: code)"
        case .column: "mu.code"
        }
        return dialect == "postgresql" ? postgres(municipality: code, showBSN: showBSN) : sqlite(municipality: code, showBSN: showBSN)
    }

    /// SQLite: `json_patch('{}', object)` drops the keys whose value is null (a JSON merge patch), as Swift's
    /// encoder leaves out nil optionals; each member's object is patched on its own (arrays are not merged).
    private static func sqlite(municipality: SQLQueryString, showBSN: Bool) -> SQLQueryString {
        let bsn = showBSN ? "m.bsn" : "NULL"
        func codes(_ table: String, owner: String, of column: String) -> String {
            "json((SELECT json_group_array(code) FROM (SELECT code FROM \(table) WHERE \(owner) = \(column) ORDER BY position)))"
        }
        func iso(_ column: String) -> String {
            "strftime('%Y-%m-%dT%H:%M:%SZ', CAST(\(column) AS INTEGER), 'unixepoch')"
        }
        return """
            json_patch('{}', json_object(
                'id', f.id, 'reference', f.reference, 'municipality', \(municipality), 'name', f.name,
                'status', f.status, 'closedReason', f.closed_reason, 'address', f.address, 'postcode', f.postcode,
                'contactPreference', f.contact_preference,
                'situations', \(unsafeRaw: codes("family_situations", owner: "family_id", of: "f.id")),
                'languages', \(unsafeRaw: codes("family_languages", owner: "family_id", of: "f.id")),
                'caseManagerId', f.case_manager_id, 'keyPersonId', f.key_person_id, 'socialWorkerId', f.social_worker_id,
                'members', json((SELECT json_group_array(json(member)) FROM (
                    SELECT json_patch('{}', json_object(
                        'id', m.id, 'role', m.role, 'givenName', m.given_name, 'familyName', m.family_name,
                        'gender', m.gender, 'birthDate', m.birth_date, 'birthYear', m.birth_year,
                        'countryOfOrigin', m.country_of_origin,
                        'languagesSpoken', \(unsafeRaw: codes("member_spoken_languages", owner: "member_id", of: "m.id")),
                        'languagesRead', \(unsafeRaw: codes("member_read_languages", owner: "member_id", of: "m.id")),
                        'dutchLevel', m.dutch_level, 'arrivalDate', m.arrival_date, 'settlementDate', m.settlement_date,
                        'schoolOrChildcare', m.school_or_childcare, 'bsn', \(unsafeRaw: bsn),
                        'hasBsn', json(CASE WHEN m.bsn IS NULL THEN 'false' ELSE 'true' END), 'version', m.version
                    )) AS member
                    FROM family_members m WHERE m.family_id = f.id ORDER BY m.position))),
                'version', f.version, 'createdAt', \(unsafeRaw: iso("f.created_at")), 'updatedAt', \(unsafeRaw: iso("f.updated_at"))
            ))
            """
    }

    /// PostgreSQL: `json_strip_nulls` drops null keys at every depth; ids in upper case as Swift writes them.
    private static func postgres(municipality: SQLQueryString, showBSN: Bool) -> SQLQueryString {
        let bsn = showBSN ? "m.bsn" : "NULL::text"
        func codes(_ table: String, owner: String, of column: String) -> String {
            "(SELECT coalesce(json_agg(code ORDER BY position), '[]'::json) FROM \(table) WHERE \(owner) = \(column))"
        }
        func uuid(_ column: String) -> String { "upper(\(column)::text)" }
        func iso(_ column: String) -> String {
            "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        }
        return """
            json_strip_nulls(json_build_object(
                'id', \(unsafeRaw: uuid("f.id")), 'reference', f.reference, 'municipality', \(municipality),
                'name', f.name, 'status', f.status, 'closedReason', f.closed_reason, 'address', f.address,
                'postcode', f.postcode, 'contactPreference', f.contact_preference,
                'situations', \(unsafeRaw: codes("family_situations", owner: "family_id", of: "f.id")),
                'languages', \(unsafeRaw: codes("family_languages", owner: "family_id", of: "f.id")),
                'caseManagerId', \(unsafeRaw: uuid("f.case_manager_id")), 'keyPersonId', \(unsafeRaw: uuid("f.key_person_id")),
                'socialWorkerId', \(unsafeRaw: uuid("f.social_worker_id")),
                'members', (SELECT coalesce(json_agg(json_build_object(
                        'id', \(unsafeRaw: uuid("m.id")), 'role', m.role, 'givenName', m.given_name,
                        'familyName', m.family_name, 'gender', m.gender, 'birthDate', m.birth_date,
                        'birthYear', m.birth_year, 'countryOfOrigin', m.country_of_origin,
                        'languagesSpoken', \(unsafeRaw: codes("member_spoken_languages", owner: "member_id", of: "m.id")),
                        'languagesRead', \(unsafeRaw: codes("member_read_languages", owner: "member_id", of: "m.id")),
                        'dutchLevel', m.dutch_level, 'arrivalDate', m.arrival_date, 'settlementDate', m.settlement_date,
                        'schoolOrChildcare', m.school_or_childcare, 'bsn', \(unsafeRaw: bsn),
                        'hasBsn', m.bsn IS NOT NULL, 'version', m.version
                    ) ORDER BY m.position), '[]'::json)
                    FROM family_members m WHERE m.family_id = f.id),
                'version', f.version, 'createdAt', \(unsafeRaw: iso("f.created_at")), 'updatedAt', \(unsafeRaw: iso("f.updated_at"))
            ))::text
            """
    }

    /// `{"items": [...], "page", "per", "hasMore", "next"?, "total"?}`: the keys of `ListPage`, in its order.
    static func page(_ items: [String], page: PageRequest, hasMore: Bool, next: UUID?, total: Int?) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(items.reduce(64) { $0 + $1.utf8.count + 1 })
        buffer.writeString("{\"items\":[")
        for (index, item) in items.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(item)
        }
        buffer.writeString("],\"page\":\(page.page),\"per\":\(page.per),\"hasMore\":\(hasMore)")
        if let next { buffer.writeString(",\"next\":\"\(next.uuidString)\"") }
        if let total { buffer.writeString(",\"total\":\(total)") }
        buffer.writeString("}")
        return buffer
    }
}

/// Creates `family_list_json` and writes it for the families already stored (a forward migration).
struct AddFamilyListJSON: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await tx.schema(FamilyListJSON.table)
                .field("family_id", .uuid, .identifier(auto: false), .references(Family.schema, "id", onDelete: .cascade))
                .field("version", .int, .required)
                .field("updated_at", .datetime)
                .field("json", .string, .required)
                .field("json_bsn", .string)
                .create()
            var after: UUID?
            while true {
                var query = sql.select().column("id").from(Family.schema)
                if let after { query = query.where("id", .greaterThan, after) }
                let ids = try await query.orderBy("id").limit(2_000).all().map { try $0.decode(column: "id", as: UUID.self) }
                guard let last = ids.last else { return }
                try await FamilyListJSON.refresh(ids, on: sql)
                after = last
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FamilyListJSON.table).delete()
    }
}
