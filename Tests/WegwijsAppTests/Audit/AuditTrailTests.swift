import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp

@Suite("Audit trail")
struct AuditTrailTests {
    @Test("reads and writes are chained; verify passes on an intact log", arguments: TestDatabase.available)
    func intact(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let family = try await app.demoFamily()
            _ = try await app.send(.GET, "/api/v1/families/\(family.id!)", token: token)
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "family.read").first())
            #expect(entry.username == "klantmanager")
            #expect(entry.role == "caseManager")
            #expect(entry.familyID == family.id)
            #expect(entry.familyReference == family.reference)
            #expect(entry.purpose == AuditPurpose.caseManagement)
            #expect(entry.organisationID != nil)
            guard case .intact(let count) = try await AuditLog.verify(on: app.db) else {
                Issue.record("chain should be intact")
                return
            }
            #expect(count == (try await AuditEntry.query(on: app.db).count()))
        }
    }

    @Test("the database refuses UPDATE and DELETE of audit entries", arguments: TestDatabase.available)
    func appendOnly(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_entries SET username = 'someone' WHERE seq = 1").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_entries WHERE seq = 1").run()
            }
        }
    }

    /// An attacker with database access drops the guard and edits or removes rows: verify names the first broken entry.
    @Test("verify names the first altered or removed entry", arguments: TestDatabase.available)
    func tampering(_ database: TestDatabase) async throws {
        for tamper in ["alter", "remove", "truncate"] {
            try await withWegwijs(database) { app in
                let token = try await app.token("klantmanager")
                for family in try await Family.query(on: app.db).limit(5).all() {
                    _ = try await app.send(.GET, "/api/v1/families/\(family.id!)", token: token)
                }
                let sql = app.db as! any SQLDatabase
                if sql.dialect.name == "sqlite" {
                    try await sql.raw("DROP TRIGGER audit_entries_no_update").run()
                    try await sql.raw("DROP TRIGGER audit_entries_no_delete").run()
                } else {
                    try await sql.raw("DROP TRIGGER audit_entries_append_only ON audit_entries").run()
                }
                let last = try await AuditEntry.query(on: app.db).count()
                switch tamper {
                case "alter": try await sql.raw("UPDATE audit_entries SET username = 'someone-else' WHERE seq = 3").run()
                case "remove": try await sql.raw("DELETE FROM audit_entries WHERE seq = 3").run()
                default: try await sql.raw("DELETE FROM audit_entries WHERE seq = \(unsafeRaw: String(last))").run()
                }
                let result = try await AuditLog.verify(on: app.db)
                switch tamper {
                case "truncate":
                    guard case .broken(let seq, _) = result else { Issue.record("truncation not detected"); return }
                    #expect(seq == last)
                default:
                    #expect(result == .broken(seq: 3, reason: tamper == "alter" ? "entry 3 was altered" : "entry 3 is missing"))
                }
            }
        }
    }

    @Test("concurrent requests keep one unbroken chain", arguments: TestDatabase.available)
    func concurrency(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let families = try await Family.query(on: app.db).limit(10).all()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for family in families {
                    group.addTask { _ = try await app.send(.GET, "/api/v1/families/\(family.id!)", token: token) }
                    group.addTask { _ = try await app.send(.GET, "/api/v1/families?per=5", token: token) }
                }
                try await group.waitForAll()
            }
            let result = try await AuditLog.verify(on: app.db)
            guard case .intact = result else { Issue.record("chain broken: \(result)"); return }
        }
    }

    @Test("the admin searches by family reference and by user; the search is audited; others may not", arguments: TestDatabase.available)
    func adminSearch(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily()
            let caseManager = WebClient(app)
            _ = try await caseManager.signIn("klantmanager")
            _ = try await caseManager.get("/families/\(family.id!)")
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let page = try await admin.get("/admin/audit?family=\(family.reference)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("family.read"))
            #expect(page.body.string.contains("klantmanager"))
            // The admin sees references and actions, never the family's name.
            #expect(!page.body.string.contains(family.name))
            let byUser = try await admin.get("/admin/audit?user=klantmanager")
            #expect(byUser.body.string.contains("auth.login"))
            #expect(try await app.auditCount(action: "audit.search") == 2)
            #expect(try await caseManager.get("/admin/audit?user=admin").status == .forbidden)
        }
    }
}
