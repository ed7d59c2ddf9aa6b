import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// `seed synthetic` (issue 15, item 8) writes around the services, in bulk: these tests read what it wrote the way
/// the application reads it — through the API, the models and every derived table — and check that nothing is
/// missing or contradicts itself.
@Suite("Synthetic seed")
struct SyntheticSeedTests {
    static let families = 200

    @Test("200 synthetic families: the API lists them as FamilyDTO encodes them, every derived row is in step, the audit trail is intact",
          arguments: TestDatabase.available)
    func consistent(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            try await Self.seedAndCheck(app, options: SyntheticOptions(families: Self.families, seed: 7), auditEntries: 2)
        }
    }

    @Test("a large load on PostgreSQL: one transaction, indexes and foreign keys dropped and made again exactly as they were",
          // Opt-in (WEGWIJS_TEST_LARGE_LOAD=1): it drops and remakes indexes and keys while the other suites run,
          // and in CI it waited 452 s and then failed (see the closing note of 2026-12-02).
          .enabled(if: TestDatabase.postgresURL != nil && ProcessInfo.processInfo.environment["WEGWIJS_TEST_LARGE_LOAD"] == "1"))
    func largeLoad() async throws {
        try await withWegwijs(.postgres) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            func schema() async throws -> [String] {
                let indexes = try await sql.raw("""
                    SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname
                    """).all().map { try $0.decode(column: "d", as: String.self) }
                let keys = try await sql.raw("""
                    SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS d
                    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() ORDER BY 1
                    """).all().map { try $0.decode(column: "d", as: String.self) }
                return indexes + keys
            }
            let before = try await schema()
            #expect(before.count > 50)
            var options = SyntheticOptions(families: Self.families, seed: 8)
            options.oneTransaction = true
            options.batchSize = 64
            try await Self.seedAndCheck(app, options: options, auditEntries: 1)
            #expect(try await schema() == before)
        }
    }

    static func seedAndCheck(_ app: Application, options: SyntheticOptions, auditEntries: Int) async throws {
        do {
            let before = try await Family.query(on: app.db).count()
            let rijnstadBefore = try await Family.query(on: app.db).join(Municipality.self, on: \Family.$municipality.$id == \Municipality.$id)
                .filter(Municipality.self, \.$code == "GM9901").count()
            let summary = try await DemoSeeder.seedSynthetic(app, options: options)
            #expect(summary.count("families") == Self.families)
            #expect(summary.events > Self.families * 5, "events: \(summary.events)")
            let sql = try #require(app.db as? any SQLDatabase)
            let municipalityID = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM9901").first()?.id)
            #expect(try await Family.query(on: app.db).count() == before + Self.families)

            // The audit trail: one chained entry per batch, and the chain intact.
            guard case .intact = try await AuditLog.verify(on: app.db) else {
                Issue.record("audit chain broken after seed synthetic")
                return
            }
            // One per transaction: per batch of families and for the evaluations written at the end, or one in all.
            #expect(try await app.auditCount(action: "seed.synthetic") == auditEntries)

            // The family list: every family counted, each as FamilyDTO encodes it from the models.
            let token = try await app.token("klantmanager")
            let counted = try await app.send(.GET, "/api/v1/families?per=1&count=true", token: token)
            #expect(counted.status == .ok)
            #expect(counted.json["total"] as? Int == rijnstadBefore + Self.families)
            let page = try await app.send(.GET, "/api/v1/families?per=100", token: token)
            let items = try #require(page.json["items"] as? [[String: Any]])
            #expect(items.count == 100)
            for item in items {
                let id = try #require((item["id"] as? String).flatMap(UUID.init(uuidString:)))
                let family = try #require(try await Family.find(id, on: app.db))
                let members = try await Member.query(on: app.db).filter(\.$family.$id == id).sort(\.$position).all()
                try await FamilyCodes.load([family], members: members, on: app.db)
                let dto = FamilyDTO(family, members: members, municipalityCode: "GM9901", showBSN: true)
                let expected = try JSONSerialization.jsonObject(with: JSONEncoder.custom(dates: .iso8601).encode(dto))
                #expect((expected as? NSDictionary)?.isEqual(to: item) == true, "family \(family.reference): \(item) vs \(expected)")
            }
            // … and the stored JSON is in step with every family (version and time), so no family is built live.
            let stale = try await sql.raw("""
                SELECT COUNT(*) AS n FROM families f LEFT JOIN family_list_json j ON j.family_id = f.id
                WHERE j.family_id IS NULL OR j.version <> f.version OR j.updated_at <> f.updated_at
                """).first()?.decode(column: "n", as: Int.self)
            #expect(stale == 0)
            // … and it is, parsed, what the database's own query builds from the rows.
            let stored = try await sql.raw("SELECT family_id, json FROM family_list_json").all()
            let storedIDs = try stored.map { try $0.decode(column: "family_id", as: UUID.self) }
            let live = Dictionary(try await FamilyListJSON.live(storedIDs, municipality: .column, showBSN: false, on: sql)
                .map { ($0.id, $0.json) }, uniquingKeysWith: { a, _ in a })
            func parsed(_ text: String?) -> NSDictionary? {
                text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary }
            }
            for row in stored {
                let id = try row.decode(column: "family_id", as: UUID.self)
                let json = try row.decode(column: "json", as: String.self)
                #expect(parsed(json) != nil && parsed(json) == parsed(live[id]), "stored list JSON of \(id): \(json) vs \(live[id] ?? "-")")
            }

            // Derived codes: the family's languages are its members', the list keys are FamilyListKeys.keys.
            let sample = Array(try await Family.query(on: app.db).filter(\.$municipality.$id == municipalityID)
                .sort(\.$createdAt, .descending).all().prefix(80))
            let sampleMembers = try await Member.query(on: app.db).filter(\.$family.$id ~~ sample.compactMap(\.id)).sort(\.$position).all()
            try await FamilyCodes.load(sample, members: sampleMembers, on: app.db)
            let keyRows = try await sql.select().columns("family_id", "kind", "code").from(FamilyListKeys.table)
                .where("family_id", .in, sample.compactMap(\.id)).all()
            var keys: [UUID: Set<String>] = [:]
            for row in keyRows {
                keys[try row.decode(column: "family_id", as: UUID.self), default: []]
                    .insert(try row.decode(column: "kind", as: String.self) + ":" + row.decode(column: "code", as: String.self))
            }
            for family in sample {
                let members = sampleMembers.filter { $0.$family.id == family.id }
                #expect(!members.isEmpty)
                #expect(Set(family.languages) == Set(members.flatMap { $0.languagesSpoken + $0.languagesRead }))
                let copy = Family()
                copy.id = family.id
                copy.name = family.name
                copy.reference = family.reference
                FamilyService.refreshIndexes(copy, members: members)
                copy.situations = family.situations
                let expectedKeys = Set(FamilyListKeys.keys(of: copy, nameTokens: copy.nameTokens ?? []).map { "\($0.kind.rawValue):\($0.code)" })
                #expect(keys[family.id!] == expectedKeys, "list keys of \(family.reference)")
                #expect(FamilyValidation.validate(members: members.map(\.draft), today: app.clock.today).isEmpty,
                        "members of \(family.reference) are invalid")
                #expect(FamilyValidation.validate(household: HouseholdDraft(name: family.name, address: family.address,
                                                                            postcode: family.postcode,
                                                                            contactPreference: family.contactPreference,
                                                                            situations: family.situations)).isEmpty)
            }

            // Referrals: a consent of the same family and organisation behind each, their members and shared fields,
            // a history of allowed steps from `draft` ending in the referral's state, its version counting them.
            let referrals = try await Referral.query(on: app.db).filter(\.$municipality.$id == municipalityID).all()
            #expect(referrals.count > Self.families / 2)
            try await ReferralLinks.load(referrals, on: app.db)
            let consents = Dictionary(try await Consent.query(on: app.db).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
            let events = Dictionary(grouping: try await ReferralEvent.query(on: app.db).sort(\.$at).all(), by: { $0.$referral.id })
            let needs = Dictionary(try await Need.query(on: app.db).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
            let memberFamily = Dictionary(try await Member.query(on: app.db).all().map { ($0.id!, $0.$family.id) }, uniquingKeysWith: { a, _ in a })
            var states = Set<ReferralStatus>()
            for referral in referrals {
                let consent = try #require(consents[referral.$consent.id])
                #expect(consent.$family.id == referral.$family.id && consent.$organisation.id == referral.$organisation.id)
                #expect(consent.purpose == ConsentPurpose.referral.rawValue)
                #expect(!referral.memberIDs.isEmpty && referral.memberIDs.allSatisfy { memberFamily[$0] == referral.$family.id })
                #expect(referral.needIDs.allSatisfy { needs[$0]?.$family.id == referral.$family.id })
                #expect(referral.sharedFields == ReferralSharedField.minimalDefault.map(\.rawValue))
                let history = (events[referral.id!] ?? []).filter { $0.kind == "transition" }
                #expect(history.first?.toStatus == ReferralStatus.draft.rawValue && history.first?.fromStatus == nil)
                #expect(history.last?.toStatus == referral.status.rawValue)
                #expect(referral.version == history.count)
                for (earlier, later) in zip(history, history.dropFirst()) {
                    let from = try #require(ReferralStatus(rawValue: later.fromStatus ?? ""))
                    let to = try #require(ReferralStatus(rawValue: later.toStatus ?? ""))
                    #expect(from.rawValue == earlier.toStatus && ReferralLifecycle.isAllowed(from, to), "\(from) -> \(to)")
                    #expect(earlier.at <= later.at)
                }
                #expect(referral.status.isClosed == (referral.closedOn != nil))
                if referral.status != .draft { #expect(referral.sentOn != nil) }
                if referral.status == .completed { #expect(referral.outcome.map(ReferralOutcome.isKnown) == true) }
                if [.firstContactMade, .active, .completed].contains(referral.status) { #expect(referral.firstContactOn != nil) }
                if referral.status == .sent || referral.status == .waitingList { #expect(referral.clockOn != nil) }
                states.insert(referral.status)
            }
            // Stories over three years reach every state.
            for state in [ReferralStatus.sent, .accepted, .declined, .firstContactPlanned, .completed, .cancelled] {
                #expect(states.contains(state), "no referral is \(state)")
            }
            // The partner's inbox and the lead's referral list read them through the service.
            let one = try #require(referrals.first { $0.status == .completed })
            #expect(try await app.send(.GET, "/api/v1/referrals/\(one.id!)", token: token).status == .ok)
            #expect(try await app.send(.GET, "/api/v1/referrals/\(one.id!)/transitions", token: token).status == .ok)

            // Screenings: answers valid against the published instrument; the intake API reads them.
            let (instrument, _) = try await app.screeningInstruments.current(on: app.db)
            let screenings = try await Screening.query(on: app.db).filter(\.$municipality.$id == municipalityID).all()
            #expect(screenings.count > Self.families / 2)
            for screening in screenings.prefix(200) {
                #expect(instrument.validate(screening.decodedAnswers).isEmpty, "answers of screening \(screening.id!)")
                // The typed provisions (R48) are what the answers say.
                #expect(try await ScreeningProvisions.load(screening.id!, on: app.db) == ProvisionAnswers(screening.decodedAnswers).rows)
            }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM screening_provisions").first()?.decode(column: "n", as: Int.self) ?? 0 > 0)
            let screened = try #require(screenings.first?.$family.id)
            for path in ["screenings", "needs", "plan", "contacts", "signals"] {
                let response = try await app.send(.GET, "/api/v1/families/\(screened)/\(path)", token: token)
                #expect(response.status == .ok, "GET …/\(path): \(response.status) \(response.body.string.prefix(300))")
            }
            // Plans decode, in a phase of 1–3.
            for plan in try await FamilyPlanRecord.query(on: app.db).all() {
                #expect(PlanData.phases.contains(PlanData.decode(plan.data).phase))
            }

            // Groups: participants are parents of their family; attendance is at sessions of the participant's series.
            let participants = try await GroupParticipant.query(on: app.db).all()
            #expect(!participants.isEmpty)
            let sessions = Dictionary(try await GroupSession.query(on: app.db).all().map { ($0.id!, $0.$series.id) }, uniquingKeysWith: { a, _ in a })
            let participantSeries = Dictionary(participants.map { ($0.id!, $0.$series.id) }, uniquingKeysWith: { a, _ in a })
            for participant in participants { #expect(memberFamily[participant.$member.id] == participant.$family.id) }
            for row in try await GroupAttendance.query(on: app.db).all() {
                #expect(sessions[row.$session.id] == participantSeries[row.$participant.id])
            }
            #expect(try await GroupEvaluationRecord.query(on: app.db).count() > 0)
            let report = try await app.send(.GET, "/api/v1/reports/groups", token: try await app.token("beleid"))
            #expect(report.status == .ok)
        } catch {
            // PSQLError's description hides the server's message; the reflection names it (no personal data: synthetic).
            Issue.record("seed synthetic failed: \(String(reflecting: error))")
            throw error
        }
    }

    @Test("the same seed gives the same families, whatever the batch size")
    func deterministic() async throws {
        func run(batch: Int) async throws -> [String] {
            var result: [String] = []
            try await withWegwijs(.sqlite) { app in
                var options = SyntheticOptions(families: 30, seed: 42)
                options.batchSize = batch
                let demo = Set(try await Family.query(on: app.db).all().compactMap(\.id))
                try await DemoSeeder.seedSynthetic(app, options: options)
                let sql = try #require(app.db as? any SQLDatabase)
                let rows = try await sql.raw("""
                    SELECT f.id, f.reference, f.name, f.status, m.given_name, m.birth_year, m.settlement_date
                    FROM families f JOIN family_members m ON m.family_id = f.id ORDER BY f.reference, m.position
                    """).all().filter { !demo.contains(try $0.decode(column: "id", as: UUID.self)) }
                result = try rows.map {
                    [try $0.decode(column: "reference", as: String.self), try $0.decode(column: "name", as: String.self),
                     try $0.decode(column: "status", as: String.self), try $0.decode(column: "given_name", as: String.self),
                     String(try $0.decode(column: "birth_year", as: Int?.self) ?? 0),
                     try $0.decode(column: "settlement_date", as: String?.self) ?? "-"].joined(separator: "|")
                }
                let statuses = try await sql.raw("SELECT status, COUNT(*) AS n FROM referrals GROUP BY status ORDER BY status").all()
                result += try statuses.map { "\(try $0.decode(column: "status", as: String.self))=\(try $0.decode(column: "n", as: Int.self))" }
            }
            return result
        }
        let whole = try await run(batch: 5_000)
        #expect(whole.count > 30)
        #expect(try await run(batch: 7) == whole)
    }

    @Test("--referrals: exactly that many, on top of the families; --key-person couples 1 in --key-share")
    func options() async throws {
        try await withWegwijs(.sqlite) { app in
            let referralsBefore = try await Referral.query(on: app.db).count()
            let coupledBefore = try await Family.query(on: app.db).filter(\.$keyPerson.$id == (try await app.user("sleutelpersoon")).id!).count()
            var options = SyntheticOptions(families: 120, referrals: 250, keyPerson: "sleutelpersoon", keyShare: 20)
            options.batchSize = 50
            try await DemoSeeder.seedSynthetic(app, options: options)
            #expect(try await Referral.query(on: app.db).count() == referralsBefore + 250)
            let keyPerson = try await app.user("sleutelpersoon")
            #expect(try await Family.query(on: app.db).filter(\.$keyPerson.$id == keyPerson.id!).count() == coupledBefore + 6)
            // A second run adds to the first (new references, the same generated accounts).
            let users = try await User.query(on: app.db).count()
            try await DemoSeeder.seedSynthetic(app, options: SyntheticOptions(families: 10))
            #expect(try await User.query(on: app.db).count() == users)
            guard case .intact = try await AuditLog.verify(on: app.db) else {
                Issue.record("audit chain broken")
                return
            }
            // Referrals alone, over the families as they are.
            let existing = try await Referral.query(on: app.db).count()
            let summary = try await SyntheticReferrals.seed(app, count: 40, options: SyntheticOptions(families: 0))
            #expect(summary.count("referrals") == 40)
            #expect(try await Referral.query(on: app.db).count() == existing + 40)
            guard case .intact = try await AuditLog.verify(on: app.db) else {
                Issue.record("audit chain broken after the referrals")
                return
            }
        }
    }

    @Test("the bulk encoder spells values for COPY and for SQLite literals")
    func encoding() {
        var pg = SyntheticBatch(dialect: .postgres)
        pg.begin(.listKeys)
        pg.id(SyntheticID(hi: 0x0123_4567_89AB_CDEF, lo: 0xFEDC_BA98_7654_3210)); pg.text("a\tb\\c\nd"); pg.text(nil as String?)
        pg.int(-5); pg.text("é'")
        pg.end()
        #expect(String(decoding: pg.tables[SyntheticTable.listKeys.rawValue].bytes, as: UTF8.self)
                == "01234567-89AB-CDEF-FEDC-BA9876543210\ta\\tb\\\\c\\nd\t\\N\t-5\té'\n")
        var lite = SyntheticBatch(dialect: .sqlite)
        lite.begin(.listKeys)
        lite.id(SyntheticID(hi: 1, lo: 2)); lite.text("O'Brien"); lite.null(); lite.int(3); lite.time(86_400)
        lite.end()
        lite.finish()
        #expect(String(decoding: lite.tables[SyntheticTable.listKeys.rawValue].statements[0], as: UTF8.self)
                == "('00000000-0000-0001-0000-000000000002','O''Brien',NULL,3,86400.0)")
        var time = SyntheticBatch(dialect: .postgres)
        time.begin(.familyLanguages); time.time(1_700_000_000); time.day(SyntheticDays.day(2024, 2, 29)); time.bool(true); time.end()
        #expect(String(decoding: time.tables[SyntheticTable.familyLanguages.rawValue].bytes, as: UTF8.self)
                == "2023-11-14 22:13:20+00\t2024-02-29\tt\n")
        #expect(SyntheticDays.civil(SyntheticDays.day(1999, 12, 31)) == (1999, 12, 31))
        let id = SyntheticID(hi: 0x0123_4567_89AB_CDEF, lo: 0xFEDC_BA98_7654_3210)
        #expect(SyntheticID(id.uuid) == id)
        var ids = SyntheticIDs(startMilliseconds: 1_700_000_000_000, seed: 1)
        let a = ids.make(), b = ids.make()
        #expect(a.hi < b.hi && a.uuid.uuidString < b.uuid.uuidString)
        #expect(Set((0..<10_000).map(SyntheticGenerator.reference)).count == 10_000)
    }
}
