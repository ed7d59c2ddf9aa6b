import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// The one query layer of the reports: aggregate SQL (`GROUP BY`) over the typed tables of other features (families,
/// members, needs, plans, screenings, referrals, group series, evaluations, offers). It is the only place outside
/// those features that reads their tables, it reads them only here and only to count, and it never brings a family
/// row into Swift: every query answers counts per group (docs/reports.md, "Where the figures come from"). The same
/// SQL runs on SQLite and PostgreSQL; the few expressions that differ (days between dates, a day or a month of a
/// timestamp) are spelled per dialect below.
///
/// Every query groups by municipality too, so one pass answers a regional view's municipalities each on their own
/// (the regional view protects each municipality's own figures, `ReportPublisher`).
struct ReportQueries {
    let sql: any SQLDatabase
    let municipalities: [UUID]
    let period: ReportPeriod
    let today: CalendarDate

    init(sql: any SQLDatabase, municipalities: [UUID], period: ReportPeriod, today: CalendarDate) {
        self.sql = sql
        self.municipalities = municipalities.isEmpty ? [UUID()] : municipalities
        self.period = period
        self.today = today
    }

    var isPostgres: Bool { sql.dialect.name == "postgresql" }
    var from: String { period.from.iso }
    var to: String { period.to.iso }
    /// Timestamps are read by their UTC day: the period runs from its first day 00:00 UTC to the day after its last.
    var start: Date { Self.utcMidnight(period.from) }
    var end: Date { Self.utcMidnight(period.to.adding(days: 1)) }

    static func utcMidnight(_ date: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    }

    // MARK: dialect

    /// Whole days from the ISO date `earlier` to the ISO date `later` (text columns or expressions).
    func days(_ later: String, _ earlier: String) -> String {
        isPostgres ? "(CAST(\(later) AS date) - CAST(\(earlier) AS date))"
            : "CAST(julianday(\(later)) - julianday(\(earlier)) AS INTEGER)"
    }

    /// The UTC day (`YYYY-MM-DD`) of a timestamp column.
    func utcDay(_ column: String) -> String {
        isPostgres ? "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "date(\(column), 'unixepoch')"
    }

    /// The UTC month (`YYYY-MM`) of a timestamp column.
    func utcMonth(_ column: String) -> String {
        isPostgres ? "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM')" : "strftime('%Y-%m', \(column), 'unixepoch')"
    }

    /// The family plan's phase, as text (kept beside the plan's JSON: `FamilyPlanRecord.phase`).
    var planPhase: String { "CAST(p.phase AS TEXT)" }

    var inMunicipalities: SQLQueryString { "(\(binds: municipalities))" }

    /// SQLite picks a unique index for an equality lookup even when another index covers every column the query reads
    /// (it then reads the wide row, a plan's JSON); `INDEXED BY` names the covering one. PostgreSQL chooses itself.
    func indexedBy(_ index: String) -> String { isPostgres ? "" : "INDEXED BY \(index)" }

    /// The origin of the family `f` (its first parent's, kept on the family row: `Family.profileOrigin`), or `unknown`.
    func origin(_ family: String) -> String { "COALESCE(\(family).profile_origin, 'unknown')" }

    /// The own language of the family `f` (its first parent's first spoken language: `Family.profileLanguage`), or
    /// `unknown`.
    func language(_ family: String) -> String { "COALESCE(\(family).profile_language, 'unknown')" }

    /// A family known in the period: registered before its end, and still open, or closed (its last change) on or
    /// after its start.
    var familyKnown: SQLQueryString {
        "f.created_at < \(bind: end) AND (f.status = 'active' OR f.updated_at >= \(bind: start))"
    }

    /// An offer of the catalogue today.
    var offerActive: SQLQueryString {
        "o.status = 'active' AND (o.active_until IS NULL OR o.active_until >= \(bind: today.iso))"
    }

    // MARK: reading rows

    func rows(_ query: SQLQueryString) async throws -> [any SQLRow] { try await sql.raw(query).all() }

    /// Empty drafts of `report` for every municipality.
    func empty(_ report: ReportName) -> [UUID: [ReportDraft]] {
        Dictionary(uniqueKeysWithValues: municipalities.map { ($0, report.specs.map { ReportDraft($0) }) })
    }

    static func text(_ column: String, _ row: any SQLRow) throws -> String {
        try row.decodeNil(column: column) ? "unknown" : try row.decode(column: column, as: String.self)
    }

    static func int(_ row: any SQLRow, _ column: String) throws -> Int {
        try row.decodeNil(column: column) ? 0 : try row.decode(column: column, as: Int.self)
    }

    static func municipality(_ row: any SQLRow) throws -> UUID { try row.decode(column: "m", as: UUID.self) }

    // MARK: the reports

    func drafts(_ report: ReportName) async throws -> [UUID: [ReportDraft]] {
        switch report {
        case .reach: return try await reach()
        case .timings: return try await timings()
        case .referrals: return try await referrals()
        case .groups: return try await groups()
        case .offerReach: return try await offerReach()
        case .satisfaction: return try await satisfaction()
        case .keyPersons: return try await keyPersons()
        case .provisions: return try await provisions()
        case .demandSupply: return try await demandSupply()
        case .equity: return try await equity()
        }
    }

    /// Families known in the period, by origin × language (with the parenting screening at intake), by phase, and
    /// by situation.
    func reach() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.reach)
        for row in try await rows("""
            SELECT x.m, x.origin, x.language, x.phase, COUNT(*) AS n, SUM(x.intake) AS intake FROM (
              SELECT f.municipality_id AS m, \(unsafeRaw: origin("f")) AS origin, \(unsafeRaw: language("f")) AS language,
                COALESCE(\(unsafeRaw: planPhase), 'none') AS phase,
                CASE WHEN EXISTS (SELECT 1 FROM screenings s WHERE s.family_id = f.id AND s.occasion = 'intake' AND s.conducted_on <= \(bind: to))
                     THEN 1 ELSE 0 END AS intake
              FROM families f LEFT JOIN family_plans p \(unsafeRaw: indexedBy("reports_plans_report")) ON p.family_id = f.id
              WHERE f.municipality_id IN \(inMunicipalities) AND \(familyKnown)
            ) x GROUP BY x.m, x.origin, x.language, x.phase
            """) {
            let m = try Self.municipality(row), n = try Self.int(row, "n")
            let keys = [try Self.text("origin", row), try Self.text("language", row)]
            drafts[m]?[0].add(keys, "families", n)
            drafts[m]?[0].add(keys, "withParentingModule", try Self.int(row, "intake"))
            let phase = try Self.text("phase", row)
            drafts[m]?[2].add([ReportCatalogue.phases.contains(phase) ? phase : "none"], "families", n)
        }
        for row in try await rows("""
            SELECT f.municipality_id AS m, s.code AS situation, COUNT(*) AS n
            FROM families f JOIN family_situations s ON s.family_id = f.id
            WHERE f.municipality_id IN \(inMunicipalities) AND \(familyKnown)
            GROUP BY f.municipality_id, s.code
            """) {
            drafts[try Self.municipality(row)]?[1].add([try Self.text("situation", row)], "families", try Self.int(row, "n"))
        }
        return drafts
    }

    /// Families settled in the period (their first parent's settlement day), per origin: how many reached each
    /// milestone, and in how many days (median, 90th percentile).
    func timings() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.timings)
        let cohort: SQLQueryString = """
            settled AS (
              SELECT m.family_id, MIN(m.settlement_date) AS on_day FROM family_members m
              WHERE m.municipality_id IN \(inMunicipalities) AND m.role = 'parent' AND m.settlement_date IS NOT NULL
              GROUP BY m.family_id
            ),
            cohort AS (
              SELECT f.id AS family_id, f.municipality_id AS m, \(unsafeRaw: origin("f")) AS origin, settled.on_day
              FROM families f JOIN settled ON settled.family_id = f.id
              WHERE f.municipality_id IN \(inMunicipalities) AND settled.on_day >= \(bind: from) AND settled.on_day <= \(bind: to)
            )
            """
        for row in try await rows("""
            WITH \(cohort),
            firsts AS MATERIALIZED (
              -- Each family of the cohort looks its own first milestones up (by the family's indexes), rather than
              -- every family's events being grouped first. MATERIALIZED: once, not again in each branch of `events`
              -- (SQLite 3.54 inlines it there and looked every milestone up four times: 2.7 s instead of 0.8 s).
              SELECT c.m, c.origin, c.on_day,
                (SELECT p.welcomed_on FROM family_plans p \(unsafeRaw: indexedBy("reports_plans_report")) WHERE p.family_id = c.family_id) AS welcome,
                (SELECT MIN(r.first_contact_on) FROM referrals r JOIN organisations g ON g.id = r.organisation_id
                 WHERE r.family_id = c.family_id AND r.first_contact_on IS NOT NULL AND g.type = 'youth-health-care') AS jgz,
                (SELECT MIN(r.first_contact_on) FROM referrals r
                 WHERE r.family_id = c.family_id AND r.first_contact_on IS NOT NULL) AS contact,
                (SELECT MIN(gs.date) FROM group_participants gp JOIN group_attendance a ON a.participant_id = gp.id
                 JOIN group_sessions gs ON gs.id = a.session_id
                 WHERE gp.family_id = c.family_id AND a.status = 'present') AS session
              FROM cohort c
            ),
            events AS (
              -- The cohort itself (day 0), counted in the same pass.
              SELECT m, origin, on_day, 'cohort' AS milestone, on_day AS at FROM firsts
              UNION ALL
              SELECT m, origin, on_day, 'welcome', welcome FROM firsts WHERE welcome IS NOT NULL
              UNION ALL
              SELECT m, origin, on_day, 'jgz', jgz FROM firsts WHERE jgz IS NOT NULL
              UNION ALL
              SELECT m, origin, on_day, 'support',
                CASE WHEN contact IS NULL THEN session WHEN session IS NULL OR contact <= session THEN contact ELSE session END
              FROM firsts WHERE contact IS NOT NULL OR session IS NOT NULL
            )
            SELECT x.m, x.origin, x.milestone, x.d, COUNT(*) AS n FROM (
              SELECT e.m, e.origin, e.milestone, \(unsafeRaw: days("e.at", "e.on_day")) AS d FROM events e
            ) x GROUP BY x.m, x.origin, x.milestone, x.d
            """) {
            let m = try Self.municipality(row), milestone = try Self.text("milestone", row), n = try Self.int(row, "n")
            let keys = [try Self.text("origin", row)]
            if milestone == "cohort" { drafts[m]?[0].add(keys, "families", n); continue }
            // A milestone before settlement (a welcome package in the reception centre) counts as day 0.
            drafts[m]?[0].add(keys, histogram: milestone, days: max(0, try Self.int(row, "d")), count: n)
            drafts[m]?[0].add(keys, "\(milestone)Reached", n)
        }
        return drafts
    }

    /// Referrals sent in the period, per receiving organisation: the partner's first answer, the connection made,
    /// the outcome, and the days to the first answer.
    func referrals() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.referrals)
        for row in try await rows("""
            SELECT x.m, x.organisation, x.status, x.outcome, x.met, x.accompanied, x.answer, x.d, COUNT(*) AS n FROM (
              SELECT r.municipality_id AS m, g.name AS organisation, r.status, r.outcome,
                CASE WHEN r.first_contact_on IS NOT NULL THEN 1 ELSE 0 END AS met,
                CASE WHEN r.accompanied THEN 1 ELSE 0 END AS accompanied,
                e.to_status AS answer, \(unsafeRaw: days(utcDay("e.at"), "r.sent_on")) AS d
              FROM referrals r JOIN organisations g ON g.id = r.organisation_id
              LEFT JOIN referral_events e ON e.referral_id = r.id AND e.kind = 'transition' AND e.from_status = 'sent'
                AND e.to_status IN ('accepted', 'declined', 'waiting-list')
              WHERE r.municipality_id IN \(inMunicipalities) AND r.sent_on >= \(bind: from) AND r.sent_on <= \(bind: to)
            ) x GROUP BY x.m, x.organisation, x.status, x.outcome, x.met, x.accompanied, x.answer, x.d
            """) {
            let m = try Self.municipality(row), n = try Self.int(row, "n")
            let keys = [try Self.text("organisation", row)]
            let status = ReferralStatus(rawValue: try Self.text("status", row)) ?? .sent
            let event = try row.decodeNil(column: "answer") ? nil : try row.decode(column: "answer", as: String.self)
            let proven = try Self.int(row, "met") == 1 || [.firstContactMade, .active, .completed].contains(status)
            // The first answer: the partner's step from `sent`; for a record without that step, what its state says.
            var answer: String?
            if let event { answer = event } else {
                switch status {
                case .declined: answer = "declined"
                case .waitingList: answer = "waiting-list"
                case .accepted, .firstContactPlanned, .firstContactMade, .active, .completed: answer = "accepted"
                default: answer = nil
                }
            }
            if proven && (answer == nil || answer == "declined") { answer = "accepted" }
            drafts[m]?[0].add(keys, "sent", n)
            if let answer {
                drafts[m]?[0].add(keys, "answered", n)
                drafts[m]?[0].add(keys, ["accepted": "accepted", "declined": "declined", "waiting-list": "waitingList"][answer]!, n)
            }
            if event != nil { drafts[m]?[0].add(keys, histogram: "answerDays", days: max(0, try Self.int(row, "d")), count: n) }
            if proven {
                drafts[m]?[0].add(keys, "connectionProven", n)
                if try Self.int(row, "accompanied") == 1 { drafts[m]?[0].add(keys, "accompanied", n) }
            }
            if status == .completed {
                drafts[m]?[0].add(keys, "completed", n)
                let outcome = try row.decodeNil(column: "outcome") ? nil : try row.decode(column: "outcome", as: String.self)
                let measures = ["goal-reached": "goalReached", "partly-reached": "partlyReached", "dropped-out": "droppedOut",
                                "moved-on": "movedOn"]
                if let outcome, let measure = measures[outcome] { drafts[m]?[0].add(keys, measure, n) }
            }
        }
        for row in try await rows("""
            SELECT r.municipality_id AS m, COALESCE(r.decline_reason, 'unknown') AS reason, COUNT(*) AS n FROM referrals r
            WHERE r.municipality_id IN \(inMunicipalities) AND r.status = 'declined'
              AND r.sent_on >= \(bind: from) AND r.sent_on <= \(bind: to)
            GROUP BY r.municipality_id, COALESCE(r.decline_reason, 'unknown')
            """) {
            drafts[try Self.municipality(row)]?[1].add([try Self.text("reason", row)], "declined", try Self.int(row, "n"))
        }
        return drafts
    }

    /// Group series running in the period, per language × audience: series, parents placed (by invitation), drop-out,
    /// attendance; who waits now; and the parents settled in the period (status holders and reunified families)
    /// who were invited or placed (R26).
    func groups() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.groups)
        let series: SQLQueryString = """
            s.municipality_id IN \(inMunicipalities) AND s.status <> 'cancelled' AND s.starts_on <= \(bind: to) AND s.ends_on >= \(bind: from)
            """
        for row in try await rows("""
            SELECT s.municipality_id AS m, s.language, s.audience, COUNT(*) AS n FROM group_series s WHERE \(series)
            GROUP BY s.municipality_id, s.language, s.audience
            """) {
            drafts[try Self.municipality(row)]?[0].add([try Self.text("language", row), try Self.text("audience", row)], "series", try Self.int(row, "n"))
        }
        for row in try await rows("""
            SELECT s.municipality_id AS m, s.language, s.audience, p.source, p.status, COUNT(*) AS n
            FROM group_participants p JOIN group_series s ON s.id = p.series_id WHERE \(series)
            GROUP BY s.municipality_id, s.language, s.audience, p.source, p.status
            """) {
            let m = try Self.municipality(row), n = try Self.int(row, "n")
            let keys = [try Self.text("language", row), try Self.text("audience", row)]
            drafts[m]?[0].add(keys, "placed", n)
            if try Self.text("source", row) == ParticipantSource.invitation.rawValue { drafts[m]?[0].add(keys, "invited", n) }
            if try Self.text("status", row) == ParticipantStatus.droppedOut.rawValue { drafts[m]?[0].add(keys, "droppedOut", n) }
        }
        for row in try await rows("""
            SELECT s.municipality_id AS m, s.language, s.audience, COUNT(*) AS n
            FROM group_attendance a JOIN group_sessions g ON g.id = a.session_id JOIN group_series s ON s.id = g.series_id
            WHERE s.municipality_id IN \(inMunicipalities) AND s.status <> 'cancelled' AND a.status = 'present'
              AND g.date >= \(bind: from) AND g.date <= \(bind: to)
            GROUP BY s.municipality_id, s.language, s.audience
            """) {
            drafts[try Self.municipality(row)]?[0].add([try Self.text("language", row), try Self.text("audience", row)], "attendances", try Self.int(row, "n"))
        }
        for row in try await rows("""
            SELECT x.m, x.language, x.audience, COUNT(*) AS n FROM (
              SELECT w.municipality_id AS m, w.language, o.audience FROM group_waiting_list w
              JOIN group_waiting_members wm ON wm.entry_id = w.id JOIN offers o ON o.id = w.offer_id
              WHERE w.municipality_id IN \(inMunicipalities) AND w.status = 'waiting'
              UNION ALL
              SELECT i.municipality_id, i.language, o.audience FROM group_invitees i JOIN offers o ON o.id = i.offer_id
              WHERE i.municipality_id IN \(inMunicipalities) AND i.status = 'waiting'
            ) x GROUP BY x.m, x.language, x.audience
            """) {
            drafts[try Self.municipality(row)]?[0].add([try Self.text("language", row), try Self.text("audience", row)], "waiting", try Self.int(row, "n"))
        }
        for row in try await rows("""
            SELECT x.m, x.language, x.audience, COUNT(*) AS n, SUM(x.reached) AS reached FROM (
              SELECT m.municipality_id AS m,
                COALESCE((SELECT l.code FROM member_spoken_languages l WHERE l.member_id = m.id AND l.position = 0), 'unknown') AS language,
                CASE m.gender WHEN 'female' THEN 'mothers' WHEN 'male' THEN 'fathers' ELSE 'mixed' END AS audience,
                CASE WHEN EXISTS (SELECT 1 FROM group_participants gp WHERE gp.member_id = m.id)
                       OR EXISTS (SELECT 1 FROM group_invitees gi WHERE gi.member_id = m.id) THEN 1 ELSE 0 END AS reached
              FROM family_members m
              WHERE m.municipality_id IN \(inMunicipalities) AND m.role = 'parent'
                AND m.settlement_date >= \(bind: from) AND m.settlement_date <= \(bind: to)
                AND EXISTS (SELECT 1 FROM family_situations fs WHERE fs.family_id = m.family_id
                            AND fs.code IN ('status-holder', 'family-reunification'))
            ) x GROUP BY x.m, x.language, x.audience
            """) {
            let m = try Self.municipality(row)
            let keys = [try Self.text("language", row), try Self.text("audience", row)]
            drafts[m]?[0].add(keys, "settledParents", try Self.int(row, "n"))
            drafts[m]?[0].add(keys, "settledReached", try Self.int(row, "reached"))
        }
        return drafts
    }

    /// Per offer: the families referred to it in the period or in one of its group series running then, and those
    /// it reached (a first contact made, or at a session).
    func offerReach() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.offerReach)
        for row in try await rows("""
            SELECT x.m, o.kind, o.name, COUNT(*) AS n, SUM(x.reached) AS reached FROM (
              SELECT y.m, y.offer_id, y.family_id, MAX(y.reached) AS reached FROM (
                SELECT r.municipality_id AS m, r.offer_id, r.family_id,
                  CASE WHEN r.first_contact_on IS NOT NULL OR r.status IN ('first-contact-made', 'active', 'completed') THEN 1 ELSE 0 END AS reached
                FROM referrals r
                WHERE r.municipality_id IN \(inMunicipalities) AND r.offer_id IS NOT NULL
                  AND r.sent_on >= \(bind: from) AND r.sent_on <= \(bind: to)
                UNION ALL
                SELECT s.municipality_id, s.offer_id, p.family_id,
                  CASE WHEN EXISTS (SELECT 1 FROM group_attendance a WHERE a.participant_id = p.id AND a.status = 'present') THEN 1 ELSE 0 END
                FROM group_participants p JOIN group_series s ON s.id = p.series_id
                WHERE s.municipality_id IN \(inMunicipalities) AND s.status <> 'cancelled'
                  AND s.starts_on <= \(bind: to) AND s.ends_on >= \(bind: from)
              ) y GROUP BY y.m, y.offer_id, y.family_id
            ) x JOIN offers o ON o.id = x.offer_id
            GROUP BY x.m, o.id, o.kind, o.name
            """) {
            let m = try Self.municipality(row)
            let keys = [try Self.text("kind", row), try Self.text("name", row)]
            drafts[m]?[0].add(keys, "families", try Self.int(row, "n"))
            drafts[m]?[0].add(keys, "reached", try Self.int(row, "reached"))
        }
        return drafts
    }

    /// The parents' anonymous evaluations opened in the period (R47): per question, the faces and the unanswered;
    /// and the facilitators' own ratings written in the period, per role.
    func satisfaction() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.satisfaction)
        var tallies: [UUID: EvaluationTally] = [:]
        for row in try await rows("""
            SELECT e.municipality_id AS m, c.question, c.answer, CAST(SUM(c.count) AS BIGINT) AS n
            FROM group_evaluation_counts c JOIN group_evaluations e ON e.id = c.evaluation_id
            WHERE e.municipality_id IN \(inMunicipalities) AND e.opened_on >= \(bind: from) AND e.opened_on <= \(bind: to)
            GROUP BY e.municipality_id, c.question, c.answer
            """) {
            let m = try Self.municipality(row), n = try Self.int(row, "n")
            let question = try Self.text("question", row), answer = try Self.text("answer", row)
            if question == EvaluationCounts.responses { tallies[m, default: EvaluationTally()].responses += n }
            else if let q = EvaluationQuestion(rawValue: question), let face = EvaluationFace(rawValue: answer) {
                tallies[m, default: EvaluationTally()].faces[q, default: [:]][face, default: 0] += n
            }
        }
        for (m, tally) in tallies where tally.responses > 0 {
            for question in EvaluationQuestion.allCases {
                for face in EvaluationFace.allCases {
                    drafts[m]?[0].add([question.rawValue, face.rawValue], "answers", tally.count(question, face))
                }
                drafts[m]?[0].add([question.rawValue, "skipped"], "answers", tally.skipped(question))
            }
        }
        for row in try await rows("""
            SELECT s.municipality_id AS m, f.role, f.rating, COUNT(*) AS n
            FROM group_facilitator_evaluations f JOIN group_series s ON s.id = f.series_id
            WHERE s.municipality_id IN \(inMunicipalities) AND f.written_on >= \(bind: from) AND f.written_on <= \(bind: to)
            GROUP BY s.municipality_id, f.role, f.rating
            """) {
            drafts[try Self.municipality(row)]?[1].add([try Self.text("role", row), String(try Self.int(row, "rating"))], "evaluations",
                                                       try Self.int(row, "n"))
        }
        return drafts
    }

    /// The key persons' work per month of the period (contacts they recorded and the families in them, first visits
    /// they went along to, group sessions held), and their load now: key persons by the number of families coupled.
    func keyPersons() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.keyPersons)
        // Every month of the period up to this one, also without any work in it.
        let months = period.months.filter { $0 <= String(today.iso.prefix(7)) }
        for m in municipalities { for month in months { drafts[m]?[0].add([month], "contacts", 0) } }
        let month = utcMonth("c.at")
        for row in try await rows("""
            SELECT c.municipality_id AS m, \(unsafeRaw: month) AS month, COUNT(*) AS n, COUNT(DISTINCT c.family_id) AS families
            FROM contact_moments c JOIN users u ON u.id = c.by_user_id
            WHERE c.municipality_id IN \(inMunicipalities) AND u.role = 'keyPerson' AND c.at >= \(bind: start) AND c.at < \(bind: end)
            GROUP BY c.municipality_id, \(unsafeRaw: month)
            """) {
            let m = try Self.municipality(row), keys = [try Self.text("month", row)]
            drafts[m]?[0].add(keys, "contacts", try Self.int(row, "n"))
            drafts[m]?[0].add(keys, "familiesContacted", try Self.int(row, "families"))
        }
        for row in try await rows("""
            SELECT r.municipality_id AS m, substr(r.first_contact_on, 1, 7) AS month, COUNT(*) AS n
            FROM referrals r JOIN users u ON u.id = r.companion_id
            WHERE r.municipality_id IN \(inMunicipalities) AND u.role = 'keyPerson' AND r.accompanied = \(bind: true)
              AND r.first_contact_on >= \(bind: from) AND r.first_contact_on <= \(bind: to)
            GROUP BY r.municipality_id, substr(r.first_contact_on, 1, 7)
            """) {
            drafts[try Self.municipality(row)]?[0].add([try Self.text("month", row)], "accompaniedVisits", try Self.int(row, "n"))
        }
        let held = min(period.to, today).iso
        for row in try await rows("""
            SELECT s.municipality_id AS m, substr(g.date, 1, 7) AS month, COUNT(*) AS n
            FROM group_sessions g JOIN group_series s ON s.id = g.series_id
            WHERE s.municipality_id IN \(inMunicipalities) AND s.status <> 'cancelled' AND g.date >= \(bind: from) AND g.date <= \(bind: held)
            GROUP BY s.municipality_id, substr(g.date, 1, 7)
            """) {
            drafts[try Self.municipality(row)]?[0].add([try Self.text("month", row)], "groupSessions", try Self.int(row, "n"))
        }
        for row in try await rows("""
            SELECT u.municipality_id AS m, (SELECT COUNT(*) FROM families f WHERE f.key_person_id = u.id AND f.status = 'active') AS n
            FROM users u WHERE u.municipality_id IN \(inMunicipalities) AND u.role = 'keyPerson' AND u.active = \(bind: true)
            """) {
            let n = try Self.int(row, "n")
            let band = n == 0 ? "0" : n <= 5 ? "1-5" : n <= 10 ? "6-10" : n <= 20 ? "11-20" : "21+"
            drafts[try Self.municipality(row)]?[1].add([band], "keyPersons", 1)
            drafts[try Self.municipality(row)]?[1].add([band], "families", n)
        }
        return drafts
    }

    /// The provisions families know and use (R48), from the screenings of the period: per occasion (at the intake,
    /// later during guidance) every family screened then counts once per provision — uses it (said so at a
    /// screening of that occasion in the period), knows it but does not use it, or does not know it.
    func provisions() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.provisions)
        let inPeriod: SQLQueryString = """
            s.municipality_id IN \(inMunicipalities) AND s.conducted_on >= \(bind: from) AND s.conducted_on <= \(bind: to)
            """
        var screened: [UUID: [String: Int]] = [:]
        for row in try await rows("""
            SELECT s.municipality_id AS m, s.occasion, COUNT(DISTINCT s.family_id) AS n FROM screenings s WHERE \(inPeriod)
            GROUP BY s.municipality_id, s.occasion
            """) {
            screened[try Self.municipality(row), default: [:]][try Self.text("occasion", row)] = try Self.int(row, "n")
        }
        // A provision has a row only where the family knows it (`ScreeningProvisions`): known = rows, used = those used.
        var said: [UUID: [String: [String: (known: Int, used: Int)]]] = [:]
        for row in try await rows("""
            SELECT s.municipality_id AS m, s.occasion, p.code, COUNT(DISTINCT s.family_id) AS known,
              COUNT(DISTINCT CASE WHEN p.used THEN s.family_id END) AS used
            FROM screenings s JOIN screening_provisions p \(unsafeRaw: indexedBy("reports_provisions_used")) ON p.screening_id = s.id
            WHERE \(inPeriod)
            GROUP BY s.municipality_id, s.occasion, p.code
            """) {
            said[try Self.municipality(row), default: [:]][try Self.text("occasion", row), default: [:]][try Self.text("code", row)] =
                (try Self.int(row, "known"), try Self.int(row, "used"))
        }
        for (m, occasions) in screened {
            for (index, occasion) in ReportCatalogue.screeningOccasions.enumerated() {
                guard let families = occasions[occasion], families > 0 else { continue }
                for provision in Provision.allCodes {
                    let answer = said[m]?[occasion]?[provision] ?? (0, 0)
                    drafts[m]?[index].add([provision, "uses"], "families", answer.used)
                    drafts[m]?[index].add([provision, "knows"], "families", answer.known - answer.used)
                    drafts[m]?[index].add([provision, "unknown"], "families", families - answer.known)
                }
            }
        }
        return drafts
    }

    /// The families' open questions now (raised before the period's end), per their own language × theme, against
    /// today's catalogue: offers given in that language on that theme, their free places, offers without a limit,
    /// and offers on the theme that bridge other languages; and the offers per language × theme × form × audience.
    func demandSupply() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.demandSupply)
        for row in try await rows("""
            SELECT f.municipality_id AS m, \(unsafeRaw: language("f")) AS language, n.theme, COUNT(DISTINCT n.family_id) AS n
            FROM family_needs n JOIN families f ON f.id = n.family_id
            WHERE n.municipality_id IN \(inMunicipalities) AND n.status = 'open' AND f.status = 'active' AND n.created_at < \(bind: end)
            GROUP BY f.municipality_id, \(unsafeRaw: language("f")), n.theme
            """) {
            drafts[try Self.municipality(row)]?[0].add([try Self.text("language", row), try Self.text("theme", row)], "families", try Self.int(row, "n"))
        }
        // PostgreSQL sums a bigint column as numeric: cast back so both databases answer an integer.
        let freePlaces = "CAST(SUM(CASE WHEN o.free_places >= 0 THEN o.free_places ELSE 0 END) AS BIGINT)"
        let openEnded = "SUM(CASE WHEN o.free_places < 0 THEN 1 ELSE 0 END)"
        for row in try await rows("""
            SELECT o.municipality_id AS m, l.code AS language, t.code AS theme, COUNT(*) AS n,
              \(unsafeRaw: freePlaces) AS free, \(unsafeRaw: openEnded) AS open_ended
            FROM offers o JOIN offer_themes t ON t.offer_id = o.id JOIN offer_languages l ON l.offer_id = o.id
            WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive)
            GROUP BY o.municipality_id, l.code, t.code
            """) {
            let m = try Self.municipality(row), keys = [try Self.text("language", row), try Self.text("theme", row)]
            drafts[m]?[0].add(keys, "offers", try Self.int(row, "n"))
            drafts[m]?[0].add(keys, "freePlaces", try Self.int(row, "free"))
            drafts[m]?[0].add(keys, "openEndedOffers", try Self.int(row, "open_ended"))
        }
        // The margins' offers are distinct offers (an offer on three themes is one offer of its language).
        let hasTheme = "EXISTS (SELECT 1 FROM offer_themes t WHERE t.offer_id = o.id)"
        for row in try await rows("""
            SELECT o.municipality_id AS m, l.code AS language, COUNT(*) AS n, \(unsafeRaw: freePlaces) AS free, \(unsafeRaw: openEnded) AS open_ended
            FROM offers o JOIN offer_languages l ON l.offer_id = o.id
            WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive) AND \(unsafeRaw: hasTheme)
            GROUP BY o.municipality_id, l.code
            """) {
            let m = try Self.municipality(row), language = try Self.text("language", row)
            drafts[m]?[0].marginFacts[[language]] = ["offers": try Self.int(row, "n"), "freePlaces": try Self.int(row, "free"),
                                                     "openEndedOffers": try Self.int(row, "open_ended")]
        }
        for row in try await rows("""
            SELECT o.municipality_id AS m, COUNT(*) AS n, \(unsafeRaw: freePlaces) AS free, \(unsafeRaw: openEnded) AS open_ended,
              SUM(CASE WHEN o.bridges = \(bind: true) THEN 1 ELSE 0 END) AS bridging
            FROM offers o WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive) AND \(unsafeRaw: hasTheme)
            GROUP BY o.municipality_id
            """) {
            drafts[try Self.municipality(row)]?[0].marginFacts[[]] = [
                "offers": try Self.int(row, "n"), "freePlaces": try Self.int(row, "free"),
                "openEndedOffers": try Self.int(row, "open_ended"), "bridgingOffers": try Self.int(row, "bridging")]
        }
        // Offers that bridge other languages (an interpreter or a key person): per theme, with the languages they are
        // given in (a bridge counts for the languages it is not given in). The catalogue is small: no family data.
        var bridging: [UUID: [UUID: (themes: Set<String>, languages: Set<String>)]] = [:]
        for row in try await rows("""
            SELECT o.municipality_id AS m, o.id, t.code AS theme, NULL AS language FROM offers o JOIN offer_themes t ON t.offer_id = o.id
            WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive) AND o.bridges = \(bind: true)
            UNION ALL
            SELECT o.municipality_id, o.id, NULL, l.code FROM offers o JOIN offer_languages l ON l.offer_id = o.id
            WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive) AND o.bridges = \(bind: true)
            """) {
            let m = try Self.municipality(row), id = try row.decode(column: "id", as: UUID.self)
            var entry = bridging[m]?[id] ?? ([], [])
            if !(try row.decodeNil(column: "theme")) { entry.themes.insert(try row.decode(column: "theme", as: String.self)) }
            if !(try row.decodeNil(column: "language")) { entry.languages.insert(try row.decode(column: "language", as: String.self)) }
            bridging[m, default: [:]][id] = entry
        }
        for (m, offers) in bridging {
            guard var draft = drafts[m]?[0] else { continue }
            let languages = Set(draft.rows.keys.map { $0[0] })
            for keys in draft.rows.keys {
                let n = offers.values.filter { $0.themes.contains(keys[1]) && !$0.languages.contains(keys[0]) }.count
                draft.rows[keys]!.counts["bridgingOffers"] = n
            }
            for language in languages {
                draft.marginFacts[[language], default: [:]]["bridgingOffers"] = offers.values.filter { !$0.languages.contains(language) && !$0.themes.isEmpty }.count
            }
            drafts[m]?[0] = draft
        }
        for row in try await rows("""
            SELECT o.municipality_id AS m, l.code AS language, t.code AS theme, fo.code AS form, o.audience, COUNT(*) AS n,
              \(unsafeRaw: freePlaces) AS free
            FROM offers o JOIN offer_themes t ON t.offer_id = o.id JOIN offer_languages l ON l.offer_id = o.id
              JOIN offer_forms fo ON fo.offer_id = o.id
            WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive)
            GROUP BY o.municipality_id, l.code, t.code, fo.code, o.audience
            """) {
            let m = try Self.municipality(row)
            let keys = [try Self.text("language", row), try Self.text("theme", row), try Self.text("form", row), try Self.text("audience", row)]
            drafts[m]?[1].add(keys, "offers", try Self.int(row, "n"))
            drafts[m]?[1].add(keys, "freePlaces", try Self.int(row, "free"))
        }
        return drafts
    }

    /// The families' questions raised in the period (a family counts once per theme), and those the catalogue can
    /// answer today: an active offer of the municipality on the theme in a language a parent speaks (Dutch from B1,
    /// as the matching engine counts it), or one that bridges other languages. Per origin × theme, language × theme,
    /// and quarter × origin.
    func equity() async throws -> [UUID: [ReportDraft]] {
        var drafts = empty(.equity)
        let month = utcMonth("n.created_at")
        for row in try await rows("""
            WITH q AS (
              SELECT n.family_id, n.theme, MIN(\(unsafeRaw: month)) AS month FROM family_needs n
              WHERE n.municipality_id IN \(inMunicipalities) AND n.status <> 'merged'
                AND n.created_at >= \(bind: start) AND n.created_at < \(bind: end)
              GROUP BY n.family_id, n.theme
            ),
            covered AS (
              SELECT DISTINCT o.municipality_id AS m, t.code AS theme, l.code AS language
              FROM offers o JOIN offer_themes t ON t.offer_id = o.id JOIN offer_languages l ON l.offer_id = o.id
              WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive)
            ),
            bridged AS (
              SELECT DISTINCT o.municipality_id AS m, t.code AS theme FROM offers o JOIN offer_themes t ON t.offer_id = o.id
              WHERE o.municipality_id IN \(inMunicipalities) AND \(offerActive) AND o.bridges = \(bind: true)
            )
            SELECT x.m, x.origin, x.language, x.theme, x.month, x.matched, COUNT(*) AS n FROM (
              SELECT f.municipality_id AS m, \(unsafeRaw: origin("f")) AS origin, \(unsafeRaw: language("f")) AS language,
                q.theme, q.month,
                CASE WHEN EXISTS (
                       SELECT 1 FROM family_members pm JOIN member_spoken_languages sl ON sl.member_id = pm.id
                       JOIN covered c ON c.m = f.municipality_id AND c.theme = q.theme AND c.language = sl.code
                       WHERE pm.family_id = f.id AND pm.role = 'parent' AND (sl.code <> 'nl' OR pm.dutch_level IN ('B1', 'B2+')))
                     OR EXISTS (
                       SELECT 1 FROM family_members pm JOIN covered c ON c.m = f.municipality_id AND c.theme = q.theme AND c.language = 'nl'
                       WHERE pm.family_id = f.id AND pm.role = 'parent' AND pm.dutch_level IN ('B1', 'B2+'))
                     OR EXISTS (SELECT 1 FROM bridged b WHERE b.m = f.municipality_id AND b.theme = q.theme)
                     THEN 1 ELSE 0 END AS matched
              FROM q JOIN families f ON f.id = q.family_id
            ) x GROUP BY x.m, x.origin, x.language, x.theme, x.month, x.matched
            """) {
            let m = try Self.municipality(row), n = try Self.int(row, "n"), matched = try Self.int(row, "matched") == 1
            let origin = try Self.text("origin", row), language = try Self.text("language", row), theme = try Self.text("theme", row)
            let monthText = try Self.text("month", row)
            let quarter = Self.quarter(ofMonth: monthText)
            for (index, keys) in [[origin, theme], [language, theme], [quarter, origin]].enumerated() {
                drafts[m]?[index].add(keys, "questions", n)
                drafts[m]?[index].add(keys, "matched", matched ? n : 0)
            }
        }
        return drafts
    }

    /// `2026-Q2` for `2026-05`.
    static func quarter(ofMonth month: String) -> String {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let m = Int(parts[1]) else { return "unknown" }
        return "\(parts[0])-Q\((m - 1) / 3 + 1)"
    }
}
