import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import WegwijsApp
import WegwijsCore

/// A database made by the migrations as shipped before the typed storage (git: 6310002), filled the old way
/// (comma-separated codes and ids), then migrated forward: every code and every relation must still be there.
@Suite("Forward migration")
struct ForwardMigrationTests {
    /// The migrations as shipped, in their order (configure.swift at 6310002). Never edited; only appended to.
    static func shipped() -> [any Migration] {
        [CreateTenancy(), CreateAccounts(), CreateFamilies(), CreateConsents(), CreateAudit(), SessionRecord.migration,
         CreateOffers(), CreateParentPages(), CreateContentVersions(), CreateIntake(), CreateReferrals()]
    }

    struct Old {
        let municipality = UUID(), organisation = UUID(), user = UUID()
        let family = UUID(), emptyFamily = UUID()
        let mother = UUID(), father = UUID(), child = UUID()
        let need1 = UUID(), need2 = UUID()
        let offer = UUID(), openOffer = UUID()
        let consent = UUID(), referral = UUID(), entry = UUID()
        /// A member id that named no row any more: the old text had no foreign key.
        let gone = UUID()
    }

    @Test("a database of the shipped migrations keeps every code and relation", arguments: TestDatabase.available)
    func forward(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)

            // The family's profile (the reports' origin and own language) is filled from the members already stored.
            // (The registration day too: today's family model reads it.)
            app.migrations.add(TypedCodeStorage(), AddFamilyProfile(), AddReferralDeclineReason(), AddPlanReportColumns(),
                               AddWorkDates(), CreateFamilyWorkItems(), AddFirstContactPlace(), CreateOfferTranslations())
            try await app.autoMigrate()

            let t = CodeTables.self
            #expect(try await t.familyLanguages.load(old.family, on: app.db) == ["ar", "ti", "nl"])
            #expect(try await t.familySituations.load(old.family, on: app.db) == ["refugee", "single-parent"])
            #expect(try await t.familyLanguages.load(old.emptyFamily, on: app.db) == [])
            #expect(try await t.familySituations.load(old.emptyFamily, on: app.db) == [])
            #expect(try await t.memberSpokenLanguages.load(old.mother, on: app.db) == ["ti", "ar"])
            #expect(try await t.memberReadLanguages.load(old.mother, on: app.db) == ["ti"])
            #expect(try await t.memberSpokenLanguages.load(old.father, on: app.db) == ["ar", "nl"])
            #expect(try await t.memberReadLanguages.load(old.father, on: app.db) == [])
            #expect(try await t.offerThemes.load(old.offer, on: app.db) == ["parenting", "language"])
            #expect(try await t.offerLanguages.load(old.offer, on: app.db) == ["nl", "ar", "ti"])
            #expect(try await t.offerForms.load(old.offer, on: app.db) == ["group", "home-visit"])
            #expect(try await t.offerSituations.load(old.offer, on: app.db) == ["refugee"])
            #expect(try await t.offerPostcodeAreas.load(old.offer, on: app.db) == ["2311", "2312"])
            #expect(try await t.offerSituations.load(old.openOffer, on: app.db) == [])
            // The dangling id is not copied (it named nobody); the others are, in their order.
            #expect(try await t.referralMembers.load(old.referral, on: app.db) == [old.mother, old.child])
            #expect(try await t.referralNeeds.load(old.referral, on: app.db) == [old.need2, old.need1])
            #expect(try await t.referralSharedFields.load(old.referral, on: app.db) == ["first-name", "language", "question"])
            #expect(try await t.consentDataCategories.load(old.consent, on: app.db) == ["languages", "children", "questions"])
            #expect(try await t.groupWaitingMembers.load(old.entry, on: app.db) == [old.mother])

            // The models read them back the way the application does.
            let family = try #require(try await Family.find(old.family, on: app.db))
            let members = try await Member.query(on: app.db).filter(\.$family.$id == old.family).sort(\.$position).all()
            try await FamilyCodes.load([family], members: members, on: app.db)
            #expect(family.languages == ["ar", "ti", "nl"])
            #expect(family.profileLanguage == "ti" && family.profileOrigin == nil)
            #expect(try await Family.find(old.emptyFamily, on: app.db)?.profileLanguage == nil)
            #expect(members.map(\.languagesSpoken) == [["ti", "ar"], ["ar", "nl"], []])
            let referral = try #require(try await Referral.find(old.referral, on: app.db))
            try await ReferralLinks.load([referral], on: app.db)
            #expect(referral.memberIDs == [old.mother, old.child])
            #expect(referral.needIDs == [old.need2, old.need1])

            // The filters find them through the join tables.
            let byLanguage = try await sql.raw("SELECT id FROM families WHERE \(t.familyLanguages.contains("ti", ownerColumn: "families.id"))")
                .all().map { try $0.decode(column: "id", as: UUID.self) }
            #expect(byLanguage == [old.family])
            let forRefugees = try await OfferService.query(OfferFilter(situation: "refugee"), municipalityID: old.municipality, on: app.db)
                .all().compactMap(\.id)
            #expect(Set(forRefugees) == [old.offer, old.openOffer])
            let forOthers = try await OfferService.query(OfferFilter(situation: "single-parent"), municipalityID: old.municipality, on: app.db)
                .all().compactMap(\.id)
            #expect(forOthers == [old.openOffer])
            let inArea = try await OfferService.query(OfferFilter(postcode: "23"), municipalityID: old.municipality, on: app.db)
                .all().compactMap(\.id)
            #expect(inArea == [old.offer])

            // The old columns are gone.
            for (table, column) in TypedCodeStorage.moves.map({ ($0.oldTable, $0.oldColumn) }) {
                await #expect(throws: (any Error).self, "\(table).\(column)") {
                    try await sql.raw("SELECT \(ident: column) FROM \(ident: table)").all()
                }
            }
            // Relations are foreign keys now: an unknown member is refused, and a deleted one leaves the referral.
            await #expect(throws: (any Error).self) {
                try await CodeTables.referralMembers.insert([(old.referral, [UUID()])], on: app.db)
            }
            try await sql.raw("DELETE FROM family_members WHERE id = \(bind: old.child)").run()
            #expect(try await t.referralMembers.load(old.referral, on: app.db) == [old.mother])
        }
    }

    @Test("the family list's keys are built for the families already stored", arguments: TestDatabase.available)
    func listKeys(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)
            app.migrations.add(TypedCodeStorage(), AddListIndexes(), AddOutboxClaims(), AddFamilyListKeys())
            try await app.autoMigrate()

            let rows = try await sql.raw("SELECT kind, code, name FROM family_list_keys WHERE family_id = \(bind: old.family)").all()
            let keys = Set(try rows.map { "\(try $0.decode(column: "kind", as: String.self)):\(try $0.decode(column: "code", as: String.self))" })
            // As `FamilyListKeys.keys` makes them today: the name tokens with their name keys, languages, situations.
            let names = ["habte", "p0", "p1", "p2"]
            #expect(keys == Set(names.map { "name:\($0)" } + names.map { "namekey:\(NameKey.key(of: $0))" })
                .union(["language:ar", "language:ti", "language:nl", "situation:refugee", "situation:single-parent"]))
            #expect(try rows.allSatisfy { try $0.decode(column: "name", as: String.self) == "Habte" })
            let empty = try await sql.raw("SELECT kind, code FROM family_list_keys WHERE family_id = \(bind: old.emptyFamily) AND kind = 'name'").all()
            #expect(try empty.map { try $0.decode(column: "code", as: String.self) } == ["leeg"])
            // Keys go with their family.
            try await sql.raw("DELETE FROM family_members WHERE family_id = \(bind: old.emptyFamily)").run()
            try await sql.raw("DELETE FROM families WHERE id = \(bind: old.emptyFamily)").run()
            #expect(try await sql.raw("SELECT kind FROM family_list_keys WHERE family_id = \(bind: old.emptyFamily)").all().isEmpty)
        }
    }

    @Test("families already stored get the name keys and reference tokens new ones get", arguments: TestDatabase.available)
    func nameKeys(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)
            app.migrations.add(TypedCodeStorage(), AddListIndexes(), AddOutboxClaims(), AddFamilyListKeys())
            try await app.autoMigrate()
            let before = try await sql.raw("SELECT code FROM family_list_keys WHERE family_id = \(bind: old.family) AND kind = 'name'").all()
            #expect(try !before.contains { try $0.decode(column: "code", as: String.self) == "whabte" }, "no reference tokens yet")

            app.migrations.add(AddFamilyNameKeys())
            try await app.autoMigrate()
            let rows = try await sql.raw("SELECT kind, code FROM family_list_keys WHERE family_id = \(bind: old.family)").all()
            let keys = Set(try rows.map { "\(try $0.decode(column: "kind", as: String.self)):\(try $0.decode(column: "code", as: String.self))" })
            // As a family registered today: the old keys, the reference's tokens, and every token's name key.
            let tokens = NameTokens.tokens(of: "Habte P0 P1 P2 W-Habte")
            var expected: Set<String> = ["language:ar", "language:ti", "language:nl", "situation:refugee", "situation:single-parent"]
            expected.formUnion(tokens.map { "name:\($0)" })
            expected.formUnion(tokens.map(NameKey.key(of:)).filter { !$0.isEmpty }.map { "namekey:\($0)" })
            #expect(keys == expected)
            #expect(keys.contains("name:whabte"))
        }
    }

    @Test("the migration reverts to comma-separated columns", arguments: TestDatabase.available)
    func revert(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)
            app.migrations.add(TypedCodeStorage())
            try await app.autoMigrate()
            try await app.migrator.revertLastBatch().get()
            let row = try #require(try await sql.raw("SELECT language_codes, situation_codes FROM families WHERE id = \(bind: old.family)").first())
            #expect(try row.decode(column: "language_codes", as: String.self) == ",ar,ti,nl,")
            #expect(try row.decode(column: "situation_codes", as: String.self) == ",refugee,single-parent,")
            let referral = try #require(try await sql.raw("SELECT member_ids FROM referrals WHERE id = \(bind: old.referral)").first())
            #expect(try referral.decode(column: "member_ids", as: String.self) == ",\(old.mother.uuidString),\(old.child.uuidString),")
        }
    }

    @Test("a staff member's languages and the planner's availability move to join tables", arguments: TestDatabase.available)
    func people(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)
            app.migrations.add(TypedCodeStorage(), CreateGroupAvailability())
            try await app.autoMigrate()
            // As the code before `TypedCodeStorageOfPeople` wrote them.
            try await sql.raw("UPDATE users SET languages = ',ti,ar,' WHERE id = \(bind: old.user)").run()
            let parentRow = UUID(), otherParentRow = UUID(), facilitatorRow = UUID()
            for (id, member, times, districts) in [(parentRow, old.mother, "evening,daytime", "OOST,WEST"),
                                                   (otherParentRow, old.father, "daytime", "")] {
                try await sql.insert(into: "group_parent_availability")
                    .columns("id", "times", "online", "mixed_ok", "districts", "municipality_id", "family_id", "member_id")
                    .values(SQLBind(id), SQLBind(times), SQLBind(false), SQLBind(true), SQLBind(districts),
                            SQLBind(old.municipality), SQLBind(old.family), SQLBind(member))
                    .run()
            }
            try await sql.insert(into: "group_facilitator_availability")
                .columns("id", "times", "max_series", "municipality_id", "user_id")
                .values(SQLBind(facilitatorRow), SQLBind("evening"), SQLBind(2), SQLBind(old.municipality), SQLBind(old.user))
                .run()

            app.migrations.add(TypedCodeStorageOfPeople())
            try await app.autoMigrate()

            let t = CodeTables.self
            #expect(try await Colleagues(on: app.db).languages(of: old.user) == ["ti", "ar"])
            #expect(try await Colleagues(on: app.db).named([old.user]).first?.languages == ["ti", "ar"])
            #expect(try await t.parentAvailabilityTimes.load(parentRow, on: app.db) == ["evening", "daytime"])
            #expect(try await t.parentAvailabilityDistricts.load(parentRow, on: app.db) == ["OOST", "WEST"])
            #expect(try await t.parentAvailabilityTimes.load(otherParentRow, on: app.db) == ["daytime"])
            #expect(try await t.parentAvailabilityDistricts.load(otherParentRow, on: app.db) == [])
            #expect(try await t.facilitatorAvailabilityTimes.load(facilitatorRow, on: app.db) == ["evening"])
            for (table, column) in TypedCodeStorageOfPeople.moves.map({ ($0.oldTable, $0.oldColumn) }) {
                await #expect(throws: (any Error).self, "\(table).\(column)") {
                    try await sql.raw("SELECT \(ident: column) FROM \(ident: table)").all()
                }
            }
            // The rows go with their owner.
            try await sql.raw("DELETE FROM group_parent_availability WHERE id = \(bind: parentRow)").run()
            #expect(try await t.parentAvailabilityTimes.load(parentRow, on: app.db) == [])

            try await app.migrator.revertLastBatch().get()
            let back = try #require(try await sql.raw("SELECT languages FROM users WHERE id = \(bind: old.user)").first())
            #expect(try back.decode(column: "languages", as: String.self) == ",ti,ar,")
        }
    }

    @Test("families and signals already stored get their registration and raising day from created_at",
          arguments: TestDatabase.available)
    func workDates(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)
            // A signal as the shipped code wrote it, on 1 March 2026 at 23:30 UTC: already 2 March in the Netherlands.
            let raised = CalendarDate(iso: "2026-03-02")!.noonInNetherlands.addingTimeInterval(-11.5 * 3_600)
            let signal = UUID()
            try await sql.insert(into: "family_signals")
                .columns("id", "family_id", "municipality_id", "kind", "text", "raised_by_user_id", "raised_by_name",
                         "raised_by_role", "status", "created_at")
                .values(SQLBind(signal), SQLBind(old.family), SQLBind(old.municipality), SQLBind("concern"), SQLBind("x"),
                        SQLBind(old.user), SQLBind("Lead"), SQLBind("case-manager"), SQLBind("open"), SQLBind(raised))
                .run()
            app.migrations.add(AddWorkDates())
            try await app.autoMigrate()
            let family = try #require(try await sql.raw("SELECT registered_on, created_at FROM families WHERE id = \(bind: old.family)").first())
            #expect(try family.decode(column: "registered_on", as: String.self)
                    == CalendarDate.inNetherlands(try family.decode(column: "created_at", as: Date.self)).iso)
            let row = try #require(try await sql.raw("SELECT raised_on FROM family_signals WHERE id = \(bind: signal)").first())
            #expect(try row.decode(column: "raised_on", as: String.self) == "2026-03-02")
            try await app.migrator.revertLastBatch().get()
            await #expect(throws: (any Error).self) { try await sql.raw("SELECT raised_on FROM family_signals").all() }
        }
    }

    @Test("families already stored get their worklist items, for their lead", arguments: TestDatabase.available)
    func workItems(_ database: TestDatabase) async throws {
        try await withOldDatabase(database) { app, sql in
            let old = Old()
            try await fillTheOldWay(sql, old)
            app.migrations.add(AddWorkDates(), CreateFamilyWorkItems())
            try await app.autoMigrate()
            let rows = try await sql.raw("""
                SELECT kind, due, visible_from FROM family_work_items WHERE owner_id = \(bind: old.user) AND family_id = \(bind: old.family)
                ORDER BY kind
                """).all()
            let familyRow = try #require(try await sql.raw("SELECT registered_on FROM families WHERE id = \(bind: old.family)").first())
            let registered = try #require(CalendarDate(iso: try familyRow.decode(column: "registered_on", as: String.self)))
            // Never screened, never contacted: the first screening two weeks after registration, contact after six.
            #expect(try rows.map { try $0.decode(column: "kind", as: String.self) } == ["no-recent-contact", "screening-due"])
            #expect(try rows.map { try $0.decode(column: "due", as: String.self) }
                    == [registered.adding(days: 42).iso, registered.adding(days: 14).iso])
            #expect(try rows.map { try $0.decode(column: "visible_from", as: String.self) }
                    == [registered.adding(days: 42).iso, registered.adding(days: 7).iso])
            try await app.migrator.revertLastBatch().get()
            await #expect(throws: (any Error).self) { try await sql.raw("SELECT kind FROM family_work_items").all() }
        }
    }

    @Test("the join rows follow every write of the family, in the same request", arguments: TestDatabase.available)
    func joinRowsFollowWrites(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let token = try await app.token("klantmanager")
            let created = try await app.send(.POST, "/api/v1/families", token: token, json: #"""
                {"name":"Joinrij","situations":["status-holder","single-parent"],
                 "members":[{"role":"parent","givenName":"Rania","birthYear":1990,"languagesSpoken":["ar","ku"],"languagesRead":["ar"]}]}
                """#)
            #expect(created.status == .created, "\(created.body.string)")
            let id = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            #expect(created.json["languages"] as? [String] == ["ar", "ku"])
            #expect(try await CodeTables.familyLanguages.load(id, on: app.db) == ["ar", "ku"])
            #expect(try await CodeTables.familySituations.load(id, on: app.db) == ["status-holder", "single-parent"])

            func listed(_ language: String) async throws -> Bool {
                let page = try await app.send(.GET, "/api/v1/families?language=\(language)&per=100", token: token)
                #expect(page.status == .ok)
                return (page.json["items"] as? [[String: Any]] ?? []).contains { ($0["id"] as? String).flatMap(UUID.init(uuidString:)) == id }
            }
            #expect(try await !listed("so"))
            let added = try await app.send(.POST, "/api/v1/families/\(id)/members", token: token,
                                           json: #"{"role":"parent","givenName":"Amal","birthYear":1988,"languagesSpoken":["so","ar"]}"#)
            #expect(added.status == .created, "\(added.body.string)")
            let memberID = try #require(UUID(uuidString: added.json["id"] as? String ?? ""))
            #expect(added.json["languagesSpoken"] as? [String] == ["so", "ar"])
            #expect(try await CodeTables.familyLanguages.load(id, on: app.db) == ["ar", "ku", "so"])
            #expect(try await listed("so"))

            let deleted = try await app.send(.DELETE, "/api/v1/families/\(id)/members/\(memberID)", token: token,
                                             headers: [("If-Match", "\"1\"")])
            #expect(deleted.status == .noContent)
            #expect(try await CodeTables.familyLanguages.load(id, on: app.db) == ["ar", "ku"])
            #expect(try await CodeTables.memberSpokenLanguages.load(memberID, on: app.db) == [])
            #expect(try await !listed("so"))
            let read = try await app.send(.GET, "/api/v1/families/\(id)", token: token)
            #expect(read.json["situations"] as? [String] == ["status-holder", "single-parent"])
        }
    }

    // MARK: helpers

    private func withOldDatabase(_ database: TestDatabase,
                                 _ body: (Application, any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wegwijs-migration-\(UUID().uuidString)")
        let schema = "m_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        switch database {
        case .sqlite: try configureDatabase(app, .sqlite(path: folder.appendingPathComponent("old.sqlite").path))
        case .postgres: try configureDatabase(app, .postgres(url: TestDatabase.postgresURL!, searchPath: String(schema)))
        }
        let sql = app.db as! any SQLDatabase
        do {
            if database == .postgres { try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: String(schema))").run() }
            try await prepareDatabase(app)
            for migration in Self.shipped() { app.migrations.add(migration) }
            try await app.autoMigrate()
            try await body(app, sql)
        } catch {
            if database == .postgres { try? await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: String(schema)) CASCADE").run() }
            try? await app.asyncShutdown()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        if database == .postgres { try? await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: String(schema)) CASCADE").run() }
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Rows as the shipped code wrote them, columns by name (the models of today no longer have these columns).
    private func fillTheOldWay(_ sql: any SQLDatabase, _ o: Old) async throws {
        func insert(_ table: String, _ values: [String: any Encodable & Sendable]) async throws {
            let columns = values.keys.sorted()
            try await sql.insert(into: table).columns(columns).values(columns.map { values[$0]! }).run()
        }
        let now = Date()
        try await insert("municipalities", ["id": o.municipality, "code": "GM9999", "name": "Oudstad", "created_at": now])
        try await insert("organisations", ["id": o.organisation, "municipality_id": o.municipality, "name": "JGZ",
                                           "kind": "formal", "type": "jgz", "created_at": now])
        try await insert("users", ["id": o.user, "username": "lead", "display_name": "Lead", "role": "case-manager",
                                   "password_hash": "x", "active": true, "municipality_id": o.municipality,
                                   "organisation_id": o.organisation, "created_at": now])
        for (id, name, situations, languages) in [(o.family, "Habte", ",refugee,single-parent,", ",ar,ti,nl,"),
                                                  (o.emptyFamily, "Leeg", ",", ",")] {
            try await insert("families", ["id": id, "version": 1, "reference": "W-\(name)", "name": name,
                                          "situation_codes": situations, "language_codes": languages,
                                          "search_text": name.lowercased(), "status": "active",
                                          "municipality_id": o.municipality, "case_manager_id": o.user, "created_at": now])
        }
        for (position, id, role, spoken, read) in [(0, o.mother, "parent", ",ti,ar,", ",ti,"), (1, o.father, "parent", ",ar,nl,", ","),
                                                   (2, o.child, "child", ",", ",")] {
            try await insert("family_members", ["id": id, "version": 1, "role": role, "given_name": "P\(position)",
                                                "languages_spoken": spoken, "languages_read": read, "position": position,
                                                "family_id": o.family, "municipality_id": o.municipality, "created_at": now])
        }
        for (id, theme) in [(o.need1, "parenting"), (o.need2, "language")] {
            try await insert("family_needs", ["id": id, "family_id": o.family, "municipality_id": o.municipality,
                                              "theme": theme, "priority": 1, "source": "screening", "status": "open",
                                              "version": 1, "created_at": now])
        }
        for (id, themes, languages, forms, situations, areas) in [
            (o.offer, ",parenting,language,", ",nl,ar,ti,", ",group,home-visit,", ",refugee,", ",2311,2312,"),
            (o.openOffer, ",parenting,", ",nl,", ",individual,", ",", ","),
        ] {
            try await insert("offers", ["id": id, "version": 1, "name": "Aanbod \(areas)", "status": "active", "kind": "formal",
                                        "audience": "parents", "themes": themes, "languages": languages, "forms": forms,
                                        "for_situations": situations, "bridges": false, "min_age": 0, "max_age": 99,
                                        "free_places": -1, "waiting_list": false, "postcode_areas": areas,
                                        "municipality_id": o.municipality, "organisation_id": o.organisation,
                                        "data": "{}", "created_at": now])
        }
        try await insert("consents", ["id": o.consent, "version": 1, "purpose": "referral",
                                      "data_categories": ",languages,children,questions,", "given_by": "mother",
                                      "given_on": "2026-01-05", "family_id": o.family, "municipality_id": o.municipality,
                                      "organisation_id": o.organisation, "recorded_by_id": o.user, "created_at": now])
        try await insert("referrals", ["id": o.referral, "version": 1, "status": "sent", "status_changed_at": now,
                                       "reason": "r", "member_ids": ",\(o.mother.uuidString),\(o.gone.uuidString),\(o.child.uuidString),",
                                       "need_ids": ",\(o.need2.uuidString),\(o.need1.uuidString),", "language": "ti",
                                       "interpreter_needed": true, "shared_fields": ",first-name,language,question,",
                                       "municipality_id": o.municipality, "family_id": o.family, "lead_id": o.user,
                                       "referred_by_id": o.user, "offer_id": o.offer, "organisation_id": o.organisation,
                                       "consent_id": o.consent, "created_at": now])
        try await insert("group_waiting_list", ["id": o.entry, "municipality_id": o.municipality, "offer_id": o.offer,
                                                "family_id": o.family, "referral_id": o.referral,
                                                "member_ids": ",\(o.mother.uuidString),", "language": "ti",
                                                "since": "2026-01-06", "status": "waiting"])
    }
}
