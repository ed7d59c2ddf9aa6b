import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

// MARK: DTOs

struct EvaluationFaceCountsDTO: Content {
    /// `nil` where a small count is suppressed (policy officers).
    let yes: Int?
    let aLittle: Int?
    let no: Int?
    let skipped: Int?
}

struct EvaluationQuestionDTO: Content {
    let question: String
    let counts: EvaluationFaceCountsDTO
}

struct EvaluationTopicDTO: Content {
    let topic: String
    let count: Int?
}

struct FacilitatorEvaluationDTO: Content {
    let authorId: UUID
    let role: String
    let wentWell: String
    let toChange: String
    let attendance: String
    let rating: Int
    let writtenOn: String
    let version: Int
}

struct EvaluationResultsDTO: Content {
    /// `not-opened`, `open` or `closed`.
    let status: String
    let suppressed: Bool
    let responses: Int?
    let answerLimit: Int?
    let questions: [EvaluationQuestionDTO]
    let topics: [EvaluationTopicDTO]
    let noTopic: Int?
    /// The facilitators' own evaluations (absent for those who may not read them).
    let facilitators: [FacilitatorEvaluationDTO]?
    let version: Int?
}

struct OfferEvaluationDTO: Content {
    let offerId: UUID
    let seriesEvaluated: Int
    let results: EvaluationResultsDTO
}

struct EvaluationLinkDTO: Content {
    let status: String
    /// The path of the public link (`/evaluatie/<token>`) and the same as a full address.
    let path: String
    let url: String
    let version: Int
}

struct EvaluationCloseInput: Content {
    var version: Int?
}

/// Counts typed in from paper forms: how many forms, and per question how many chose each face.
struct EvaluationPaperInput: Content {
    var forms: Int?
    /// question code → face code → count.
    var counts: [String: [String: Int]]?
    /// topic code → count.
    var topics: [String: Int]?
}

struct FacilitatorEvaluationInput: Content {
    var wentWell: String?
    var toChange: String?
    var attendance: String?
    var rating: Int?
}

// MARK: the door

/// The door to the evaluation of group series (docs/groups.md, "Evaluation"): staff open and close the public link,
/// type in paper forms, write their own evaluation and read the results, each decided from the policy table
/// (`evaluation`, `facilitatorEvaluation`) and audited. The counts hold no personal data; they are audited as writes
/// so who opened, closed or typed in what stays traceable.
struct GroupEvaluationService {
    let db: any Database
    let staff: StaffIdentity
    let audit: AuditLog
    let catalog: LocaleCatalog
    let clock: WallClock
    let groups: GroupService
    let publicURL: String

    init(request: Request) throws {
        db = request.db
        staff = try request.requireStaff()
        audit = request.audit
        catalog = request.application.locales
        clock = request.clock
        groups = try GroupService(request: request)
        publicURL = request.application.storage[AppConfigKey.self]?.publicURL ?? "http://127.0.0.1:8080"
    }

    static func path(_ token: String) -> String { "/evaluatie/\(token)" }

    private func invalid(_ errors: [FieldError]) -> AppError { AppError.invalid(errors, catalog: catalog) }

    /// The series with the decision for `action` on `record`: 403 before any lookup when the role may never.
    func series(_ id: UUID, _ action: AccessPolicy.Action, _ record: AccessPolicy.RecordType) async throws -> GroupSeries {
        try FamilyAccess.require(staff, action, record)
        guard let series = try await GroupSeries.find(id, on: db) else { throw AppError.notFound("series") }
        try FamilyAccess.require(staff, action, record, relationships: groups.relationships(to: series), notFound: "series")
        return series
    }

    func may(_ action: AccessPolicy.Action, _ record: AccessPolicy.RecordType, _ series: GroupSeries) -> Bool {
        AccessPolicy.decide(role: staff.role, relationships: groups.relationships(to: series), action: action, record: record) == .allowed
    }

    var suppresses: Bool { staff.role == .policyOfficer }

    func record(for seriesID: UUID) async throws -> GroupEvaluationRecord? {
        try await GroupEvaluationRecord.query(on: db).filter(\.$series.$id == seriesID).first()
    }

    func link(_ record: GroupEvaluationRecord) -> EvaluationLinkDTO {
        let path = Self.path(record.token)
        return EvaluationLinkDTO(status: record.status.rawValue, path: path, url: publicURL + path, version: record.version)
    }

    /// The series' topics in session order (the choices for "which meeting did you like most").
    func sessions(_ seriesID: UUID) async throws -> [GroupSession] {
        try await GroupSession.query(on: db).filter(\.$series.$id == seriesID).sort(\.$date).sort(\.$startsAt).all()
    }

    // MARK: results

    func results(_ seriesID: UUID) async throws -> EvaluationResultsDTO {
        let series = try await series(seriesID, .read, .evaluation)
        let record = try await record(for: seriesID)
        let tally = try await EvaluationStore.tally(record.map { [$0.id!] } ?? [], on: db)
        var facilitators: [FacilitatorEvaluationDTO]?
        if may(.read, .facilitatorEvaluation, series) {
            facilitators = try await GroupFacilitatorEvaluation.query(on: db).filter(\.$series.$id == seriesID)
                .sort(\.$role).all().map(Self.dto)
        }
        let topics = CodeList.unique(try await sessions(seriesID).map(\.topic))
        try await audit.record([AuditEvent(action: "group.evaluation.read", detail: "series=\(seriesID.uuidString)")],
                               by: AuditSubject(staff), on: db)
        return Self.dto(tally, topics: topics, status: record?.status.rawValue ?? "not-opened", suppress: suppresses,
                        limit: suppresses ? nil : GroupEvaluation.answerLimit(maxSize: series.maxSize),
                        facilitators: facilitators, version: record?.version)
    }

    /// All evaluated series of one offer of the municipality, added up.
    func offerResults(_ offerID: UUID) async throws -> OfferEvaluationDTO {
        try FamilyAccess.require(staff, .list, .evaluation)
        let records = try await GroupEvaluationRecord.query(on: db).filter(\.$municipality.$id == staff.municipalityID)
            .filter(\.$offer.$id == offerID).all()
        // An offer of the municipality without evaluations answers zeros; another municipality's, none at all.
        if records.isEmpty, try await OfferService.query(OfferFilter(), municipalityID: staff.municipalityID, on: db)
            .filter(\.$id == offerID).first() == nil {
            throw AppError.notFound("offer")
        }
        let tally = try await EvaluationStore.tally(records.compactMap(\.id), on: db)
        let seriesIDs = records.map { $0.$series.id }
        let topics = seriesIDs.isEmpty ? [] : CodeList.unique(try await GroupSession.query(on: db)
            .filter(\.$series.$id ~~ seriesIDs).sort(\.$date).all().map(\.topic))
        try await audit.record([AuditEvent(action: "group.evaluation.offer.read", detail: "offer=\(offerID.uuidString)")],
                               by: AuditSubject(staff), on: db)
        return OfferEvaluationDTO(offerId: offerID, seriesEvaluated: records.count,
                                  results: Self.dto(tally, topics: topics, status: records.isEmpty ? "not-opened" : "open",
                                                    suppress: suppresses, limit: nil, facilitators: nil, version: nil))
    }

    static func dto(_ tally: EvaluationTally, topics: [String], status: String, suppress: Bool, limit: Int?,
                    facilitators: [FacilitatorEvaluationDTO]?, version: Int?) -> EvaluationResultsDTO {
        let published = GroupEvaluation.publish(tally, topics: topics, suppress: suppress)
        return EvaluationResultsDTO(
            status: status, suppressed: suppress, responses: published.responses, answerLimit: limit,
            questions: published.questions.map { question in
                EvaluationQuestionDTO(question: question.question.rawValue, counts: EvaluationFaceCountsDTO(
                    yes: question.counts[.yes] ?? nil, aLittle: question.counts[.aLittle] ?? nil,
                    no: question.counts[.no] ?? nil, skipped: question.skipped))
            },
            topics: published.topics.map { EvaluationTopicDTO(topic: $0.topic, count: $0.count) },
            noTopic: published.noTopic, facilitators: facilitators, version: version)
    }

    static func dto(_ evaluation: GroupFacilitatorEvaluation) -> FacilitatorEvaluationDTO {
        FacilitatorEvaluationDTO(authorId: evaluation.$author.id, role: evaluation.role.rawValue, wentWell: evaluation.wentWell,
                                 toChange: evaluation.toChange, attendance: evaluation.attendance, rating: evaluation.rating,
                                 writtenOn: evaluation.writtenOn, version: evaluation.version)
    }

    // MARK: the link

    /// Opens the evaluation: a new unguessable link, or the open one again. A closed evaluation opens with a new
    /// token, so the old link stays dead. Answers `created` when a link was made.
    func open(_ seriesID: UUID) async throws -> (link: EvaluationLinkDTO, created: Bool) {
        let series = try await series(seriesID, .create, .evaluation)
        if let existing = try await record(for: seriesID), existing.status == .open { return (link(existing), false) }
        let today = clock.today.iso
        let record = try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let record = try await GroupEvaluationRecord.query(on: tx).filter(\.$series.$id == seriesID).first() ?? {
                let record = GroupEvaluationRecord()
                record.id = UUID()
                record.version = 0
                record.responses = 0
                record.$series.id = seriesID
                record.$municipality.id = series.$municipality.id
                record.$offer.id = series.$offer.id
                return record
            }()
            record.token = EvaluationStore.newToken()
            record.status = .open
            record.openedOn = today
            record.closedOn = nil
            record.version += 1
            try await record.save(on: tx)
            recorder.record(AuditEvent(action: "group.evaluation.open", detail: "series=\(seriesID.uuidString)"))
            return record
        }
        return (link(record), true)
    }

    func close(_ seriesID: UUID, version: Int?) async throws -> EvaluationLinkDTO {
        _ = try await series(seriesID, .close, .evaluation)
        guard let record = try await record(for: seriesID) else { throw AppError.notFound("evaluation") }
        guard let version else { throw AppError.versionRequired }
        guard record.version == version else { throw AppError.staleVersion }
        guard record.status == .open else {
            throw AppError(status: .conflict, code: "already-closed", message: "The evaluation is closed already.")
        }
        let today = clock.today.iso
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            record.status = .closed
            record.closedOn = today
            record.version += 1
            try await record.update(on: tx)
            recorder.record(AuditEvent(action: "group.evaluation.close", detail: "series=\(seriesID.uuidString)"))
        }
        return link(record)
    }

    // MARK: paper forms

    /// Adds the counts of a pile of paper forms. Every count is 0 or more, no question has more answers than forms,
    /// and the total stays within the flood limit.
    func addPaper(_ seriesID: UUID, _ input: EvaluationPaperInput) async throws {
        let series = try await series(seriesID, .update, .evaluation)
        guard let record = try await record(for: seriesID) else {
            throw AppError(status: .conflict, code: "not-opened", message: "Open the evaluation first.")
        }
        var errors: [FieldError] = []
        let forms = input.forms ?? 0
        if input.forms == nil { errors.append(.init("forms", "required")) }
        else if forms < 1 { errors.append(.init("forms", "out-of-range")) }
        else if record.responses + forms > GroupEvaluation.answerLimit(maxSize: series.maxSize) {
            errors.append(.init("forms", "over-answer-limit"))
        }
        var cells: [(question: String, answer: String, count: Int)] = [(EvaluationCounts.responses, "", forms)]
        for (code, counts) in (input.counts ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let question = EvaluationQuestion(rawValue: code) else { errors.append(.init("counts.\(code)", "unknown-code")); continue }
            var sum = 0
            for (faceCode, count) in counts.sorted(by: { $0.key < $1.key }) {
                guard let face = EvaluationFace(rawValue: faceCode) else {
                    errors.append(.init("counts.\(code).\(faceCode)", "unknown-code")); continue
                }
                if count < 0 { errors.append(.init("counts.\(code).\(faceCode)", "out-of-range")) }
                sum += max(0, count)
                if count > 0 { cells.append((question.rawValue, face.rawValue, count)) }
            }
            if sum > forms { errors.append(.init("counts.\(code)", "more-than-forms")) }
        }
        let topics = Set(try await sessions(seriesID).map(\.topic))
        var topicSum = 0
        for (topic, count) in (input.topics ?? [:]).sorted(by: { $0.key < $1.key }) {
            if !topics.contains(topic) { errors.append(.init("topics.\(topic)", "unknown-code")); continue }
            if count < 0 { errors.append(.init("topics.\(topic)", "out-of-range")) }
            topicSum += max(0, count)
            if count > 0 { cells.append((EvaluationCounts.favourite, topic, count)) }
        }
        if topicSum > forms { errors.append(.init("topics", "more-than-forms")) }
        guard errors.isEmpty else { throw invalid(errors) }
        let evaluationID = record.id!, paperCells = cells
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            try await EvaluationStore.add(paperCells, to: evaluationID, source: .paper, on: tx)
            try await EvaluationStore.countResponses(evaluationID, by: forms, on: tx)
            recorder.record(AuditEvent(action: "group.evaluation.paper", detail: "series=\(seriesID.uuidString) forms=\(forms)"))
        }
    }

    // MARK: the facilitators' own evaluation

    func saveFacilitator(_ seriesID: UUID, _ input: FacilitatorEvaluationInput) async throws -> FacilitatorEvaluationDTO {
        let series = try await series(seriesID, .update, .facilitatorEvaluation)
        var errors: [FieldError] = []
        func text(_ field: String, _ value: String?) -> String {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count > GroupEvaluation.facilitatorTextLimit { errors.append(.init(field, "too-long")) }
            return trimmed
        }
        let wentWell = text("wentWell", input.wentWell), toChange = text("toChange", input.toChange)
        let attendance = text("attendance", input.attendance)
        if let rating = input.rating {
            if !GroupEvaluation.ratings.contains(rating) { errors.append(.init("rating", "out-of-range")) }
        } else {
            errors.append(.init("rating", "required"))
        }
        guard errors.isEmpty, let rating = input.rating else { throw invalid(errors) }
        let role: FacilitatorRole = series.$trainer.id == staff.userID ? .trainer
            : series.$keyPerson.id == staff.userID ? .keyPerson : .coordinator
        let staff = self.staff, today = clock.today.iso
        return try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let row = try await GroupFacilitatorEvaluation.query(on: tx).filter(\.$series.$id == seriesID)
                .filter(\.$author.$id == staff.userID).first() ?? {
                    let row = GroupFacilitatorEvaluation()
                    row.id = UUID()
                    row.version = 0
                    row.$series.id = seriesID
                    row.$author.id = staff.userID
                    return row
                }()
            row.role = role
            row.wentWell = wentWell
            row.toChange = toChange
            row.attendance = attendance
            row.rating = rating
            row.writtenOn = today
            row.version += 1
            try await row.save(on: tx)
            recorder.record(AuditEvent(action: "group.evaluation.facilitator", detail: "series=\(seriesID.uuidString)"))
            return Self.dto(row)
        }
    }
}

// MARK: the public side

/// The parents' side of the evaluation: no account, no session, nothing about the sender. Every outcome is a value,
/// not a thrown error, so no error page touches the session (which would set a cookie).
enum PublicEvaluation {
    enum Outcome {
        case open(GroupEvaluationRecord, GroupSeries, [GroupSession])
        case closed(language: String)
        case unknown
    }

    enum SubmitOutcome: Equatable {
        case stored, closed, unknown, full
    }

    /// Tokens are 64 hexadecimal characters; anything else is not looked up.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    static func find(_ token: String, on db: any Database) async throws -> Outcome {
        guard isWellFormed(token),
              let record = try await GroupEvaluationRecord.query(on: db).filter(\.$token == token).first(),
              let series = try await GroupSeries.find(record.$series.id, on: db) else { return .unknown }
        guard record.status == .open else { return .closed(language: series.language) }
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id == series.id!).sort(\.$date).sort(\.$startsAt).all()
        return .open(record, series, sessions)
    }

    /// Stores one parent's answers as +1 on each count they touch, within one transaction, unless the link is
    /// closed or the flood limit is reached. Unknown codes are dropped rather than refused: this form is for parents.
    static func submit(_ token: String, _ submission: EvaluationSubmission, on db: any Database) async throws
        -> (outcome: SubmitOutcome, language: String) {
        let found = try await find(token, on: db)
        switch found {
        case .unknown: return (.unknown, "nl")
        case .closed(let language): return (.closed, language)
        case .open(_, let series, _): return (try await store(found, submission, on: db), series.language)
        }
    }

    private static func store(_ found: Outcome, _ submission: EvaluationSubmission, on db: any Database) async throws -> SubmitOutcome {
        guard case .open(let record, let series, let sessions) = found else { return .unknown }
        var cells: [(question: String, answer: String, count: Int)] = [(EvaluationCounts.responses, "", 1)]
        for question in EvaluationQuestion.allCases {
            if let face = submission.faces[question] { cells.append((question.rawValue, face.rawValue, 1)) }
        }
        if let topic = submission.favouriteTopic, sessions.contains(where: { $0.topic == topic }) {
            cells.append((EvaluationCounts.favourite, topic, 1))
        }
        let limit = GroupEvaluation.answerLimit(maxSize: series.maxSize)
        let evaluationID = record.id!, phoneCells = cells
        return try await db.transaction { tx in
            // The limit is checked and the count raised in one statement, so two parents at once cannot pass it together.
            guard try await EvaluationStore.takeResponse(evaluationID, limit: limit, on: tx) else { return .full }
            try await EvaluationStore.add(phoneCells, to: evaluationID, source: .phone, on: tx)
            return .stored
        }
    }
}

/// The counts table (`group_evaluation_counts`) through SQL, the same on SQLite and PostgreSQL.
enum EvaluationStore {
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
    }

    private static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return sql
    }

    /// Adds each count to its cell (an upsert: `ON CONFLICT … DO UPDATE` reads the same on both databases).
    static func add(_ cells: [(question: String, answer: String, count: Int)], to evaluationID: UUID,
                    source: EvaluationSource, on db: any Database) async throws {
        let sql = try sql(db)
        for cell in cells {
            try await sql.raw("""
                INSERT INTO group_evaluation_counts (evaluation_id, question, answer, source, count)
                VALUES (\(bind: evaluationID), \(bind: cell.question), \(bind: cell.answer), \(bind: source.rawValue), \(bind: cell.count))
                ON CONFLICT (evaluation_id, question, answer, source)
                DO UPDATE SET count = group_evaluation_counts.count + excluded.count
                """).run()
        }
    }

    /// Raises the response count by one if it is below `limit`; false when the limit is reached.
    static func takeResponse(_ evaluationID: UUID, limit: Int, on db: any Database) async throws -> Bool {
        let rows = try await sql(db).raw("""
            UPDATE group_evaluations SET responses = responses + 1
            WHERE id = \(bind: evaluationID) AND status = 'open' AND responses < \(bind: limit)
            RETURNING responses
            """).all()
        return !rows.isEmpty
    }

    static func countResponses(_ evaluationID: UUID, by forms: Int, on db: any Database) async throws {
        try await sql(db).raw("UPDATE group_evaluations SET responses = responses + \(bind: forms) WHERE id = \(bind: evaluationID)").run()
    }

    /// The tally of these evaluations, phone and paper together.
    static func tally(_ evaluationIDs: [UUID], on db: any Database) async throws -> EvaluationTally {
        var tally = EvaluationTally()
        guard !evaluationIDs.isEmpty else { return tally }
        let rows = try await sql(db).select()
            .column("question").column("answer")
            // PostgreSQL sums a bigint as numeric; the cast gives an integer on both databases.
            .column(SQLAlias(SQLRaw("CAST(SUM(count) AS BIGINT)"), as: SQLIdentifier("total")))
            .from(EvaluationCounts.schema)
            .where(SQLColumn("evaluation_id"), .in, SQLBind.group(evaluationIDs))
            .groupBy("question").groupBy("answer")
            .all()
        for row in rows {
            let question = try row.decode(column: "question", as: String.self)
            let answer = try row.decode(column: "answer", as: String.self)
            let total = try row.decode(column: "total", as: Int.self)
            if question == EvaluationCounts.responses { tally.responses += total }
            else if question == EvaluationCounts.favourite { tally.topics[answer, default: 0] += total }
            else if let q = EvaluationQuestion(rawValue: question), let face = EvaluationFace(rawValue: answer) {
                tally.faces[q, default: [:]][face, default: 0] += total
            }
        }
        return tally
    }
}

extension Request {
    /// The parents' evaluation form by its token (no account): what it shows, and storing the answers.
    func publicEvaluation(_ token: String) async throws -> PublicEvaluation.Outcome {
        try await PublicEvaluation.find(token, on: db)
    }

    func submitPublicEvaluation(_ token: String, _ submission: EvaluationSubmission) async throws
        -> (outcome: PublicEvaluation.SubmitOutcome, language: String) {
        try await PublicEvaluation.submit(token, submission, on: db)
    }
}
