import Fluent
import Foundation
import SQLKit

/// One access to personal data, or one security event. Append-only (database triggers refuse UPDATE and DELETE)
/// and hash-chained: `hash = SHA-256(prevHash + canonical fields)`, so altering or removing a row breaks the chain
/// and `wegwijs audit verify` names the first broken entry.
/// Holds no personal data of its own: ids, the family's reference, codes, and a short non-personal detail.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(custom: "seq", generatedBy: .user) var id: Int?
    /// Milliseconds since 1970: an integer, so the hashed value survives every database round trip exactly.
    @Field(key: "at_ms") var atMilliseconds: Int64
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "username") var username: String
    @Field(key: "role") var role: String
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "municipality_id") var municipalityID: UUID?
    @OptionalField(key: "family_id") var familyID: UUID?
    @OptionalField(key: "family_reference") var familyReference: String?
    @Field(key: "action") var action: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "detail") var detail: String
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String

    init() {}

    var at: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1000) }

    /// The text that is hashed (see `AuditRow.canonical`).
    var canonical: String {
        AuditRow(seq: id ?? 0, atMilliseconds: atMilliseconds, userID: userID, username: username, role: role,
                 organisationID: organisationID, municipalityID: municipalityID, familyID: familyID,
                 familyReference: familyReference, action: action, purpose: purpose, detail: detail,
                 prevHash: prevHash).canonical
    }
}

/// An audit entry as it is written: a plain value, because the append sits on every request's path and a
/// Fluent model per row costs more than the insert itself.
struct AuditRow: Sendable {
    var seq: Int
    var atMilliseconds: Int64
    var userID: UUID?
    var username: String
    var role: String
    var organisationID: UUID?
    var municipalityID: UUID?
    var familyID: UUID?
    var familyReference: String?
    var action: String
    var purpose: String
    var detail: String
    var prevHash: String
    var hash: String = ""

    /// The text that is hashed: every field, in a fixed order, separated by a character that no field contains.
    var canonical: String {
        [String(seq), String(atMilliseconds), userID?.uuidString ?? "", username, role,
         organisationID?.uuidString ?? "", municipalityID?.uuidString ?? "", familyID?.uuidString ?? "",
         familyReference ?? "", action, purpose, detail, prevHash].joined(separator: "\u{1F}")
    }
}

/// The last link of the chain, so that removing the newest entries is detected too.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "audit_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seq") var seq: Int
    @Field(key: "hash") var hash: String

    init() {}
    init(seq: Int, hash: String) {
        self.id = 1
        self.seq = seq
        self.hash = hash
    }
}

struct CreateAudit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .field("seq", .int64, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("user_id", .uuid)
            .field("username", .string, .required)
            .field("role", .string, .required)
            .field("organisation_id", .uuid)
            .field("municipality_id", .uuid)
            .field("family_id", .uuid)
            .field("family_reference", .string)
            .field("action", .string, .required)
            .field("purpose", .string, .required)
            .field("detail", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema(AuditHead.schema)
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX audit_entries_family ON audit_entries (family_reference, seq)").run()
        try await sql.raw("CREATE INDEX audit_entries_user ON audit_entries (username, seq)").run()
        // Append-only, enforced by the database itself rather than by convention.
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
                """).run()
        } else {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
                FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditHead.schema).delete()
        try await database.schema(AuditEntry.schema).delete()
    }
}

/// The audit log's period search (issue 16): an index on the moment of each entry, so a period is turned into the
/// range of sequence numbers written in it without reading the whole trail (a forward migration).
struct AddAuditTimeIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX audit_entries_at ON audit_entries (at_ms, seq)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX audit_entries_at").run()
    }
}
