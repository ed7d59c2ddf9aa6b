import Foundation
import NIOCore
import SQLKit

/// The family list's API answer, written by the database: one JSON text per family, with its members and codes,
/// in exactly the shape `FamilyDTO` encodes (absent keys for empty values, dates as ISO 8601 seconds, ids in upper
/// case). The list is the busiest route; reading 25 families, their members and four code lists into models and
/// encoding them again cost most of the request. Here it is one query and a string join.
/// `FamilyListJSONTests` compares every family of a page with `FamilyDTO`'s own encoding, on SQLite and PostgreSQL.
enum FamilyListJSON {
    /// The JSON objects of the families `ids`, in page order (`name, id`), with their ids for the audit entry.
    /// The BSN is written only for a viewer who may see it; others see `hasBsn`.
    static func families(_ ids: [UUID], municipalityCode: String, showBSN: Bool,
                         on sql: any SQLDatabase) async throws -> [(id: UUID, json: String)] {
        guard !ids.isEmpty else { return [] }
        let query: SQLQueryString = sql.dialect.name == "postgresql"
            ? postgres(ids, municipalityCode: municipalityCode, showBSN: showBSN)
            : sqlite(ids, municipalityCode: municipalityCode, showBSN: showBSN)
        return try await sql.raw(query).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "json", as: String.self))
        }
    }

    /// SQLite: `json_patch('{}', object)` drops the keys whose value is null (a JSON merge patch), as Swift's
    /// encoder leaves out nil optionals; each member's object is patched on its own (arrays are not merged).
    private static func sqlite(_ ids: [UUID], municipalityCode: String, showBSN: Bool) -> SQLQueryString {
        let bsn = showBSN ? "m.bsn" : "NULL"
        func codes(_ table: String, owner: String, of column: String) -> String {
            "json((SELECT json_group_array(code) FROM (SELECT code FROM \(table) WHERE \(owner) = \(column) ORDER BY position)))"
        }
        func iso(_ column: String) -> String {
            "strftime('%Y-%m-%dT%H:%M:%SZ', CAST(\(column) AS INTEGER), 'unixepoch')"
        }
        return """
            SELECT f.id AS id, json_patch('{}', json_object(
                'id', f.id, 'reference', f.reference, 'municipality', \(bind: municipalityCode), 'name', f.name,
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
            )) AS json
            FROM families f WHERE f.id IN (\(binds: ids))
            ORDER BY f.name, f.id
            """
    }

    /// PostgreSQL: `json_strip_nulls` drops null keys at every depth; ids in upper case as Swift writes them.
    private static func postgres(_ ids: [UUID], municipalityCode: String, showBSN: Bool) -> SQLQueryString {
        let bsn = showBSN ? "m.bsn" : "NULL::text"
        func codes(_ table: String, owner: String, of column: String) -> String {
            "(SELECT coalesce(json_agg(code ORDER BY position), '[]'::json) FROM \(table) WHERE \(owner) = \(column))"
        }
        func uuid(_ column: String) -> String { "upper(\(column)::text)" }
        func iso(_ column: String) -> String {
            "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        }
        return """
            SELECT f.id AS id, json_strip_nulls(json_build_object(
                'id', \(unsafeRaw: uuid("f.id")), 'reference', f.reference, 'municipality', \(bind: municipalityCode)::text,
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
            ))::text AS json
            FROM families f WHERE f.id IN (\(binds: ids))
            ORDER BY f.name, f.id
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
