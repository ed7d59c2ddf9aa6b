import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/api/v1/groups/…/evaluation`: the results of a series, opening and closing its public link, results per offer.
struct GroupEvaluationAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("groups", "series", ":seriesID", "evaluation")
        one.get(use: results)
        one.post(use: open)
        one.delete(use: close)
        routes.get("groups", "evaluation", "offers", ":offerID", use: offer)
    }

    private func seriesID(_ request: Request) throws -> UUID { try request.uuidParameter("seriesID", what: "series") }

    func results(_ request: Request) async throws -> EvaluationResultsDTO {
        try await GroupEvaluationService(request: request).results(try seriesID(request))
    }

    /// 201 with the public link when it is made. The API gives the link once: while it is open, 409 (staff find it
    /// on the series' evaluation page).
    func open(_ request: Request) async throws -> Response {
        let service = try GroupEvaluationService(request: request)
        try FamilyAccess.require(service.staff, .create, .evaluation)
        let (link, created) = try await service.open(try seriesID(request))
        guard created else {
            throw AppError(status: .conflict, code: "already-open", message: "The evaluation is open already.")
        }
        return try await link.encodeResponse(status: .created, for: request)
    }

    func close(_ request: Request) async throws -> EvaluationLinkDTO {
        let service = try GroupEvaluationService(request: request)
        try FamilyAccess.require(service.staff, .close, .evaluation)
        let input = request.body.data == nil ? EvaluationCloseInput() : try request.content.decode(EvaluationCloseInput.self)
        return try await service.close(try seriesID(request), version: try expectedVersion(request, body: input.version))
    }

    func offer(_ request: Request) async throws -> OfferEvaluationDTO {
        try await GroupEvaluationService(request: request).offerResults(try request.uuidParameter("offerID", what: "offer"))
    }
}

// MARK: the parents' page

/// `/evaluatie/:token`: the parents' evaluation on a phone. Public, no account, registered outside the session and
/// CSRF middleware; nothing here reads the session, so no cookie is ever set. A parent's answers are counts only.
struct PublicEvaluationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("evaluatie", ":token", use: form)
        routes.post("evaluatie", ":token", use: submit)
    }

    struct FaceChoice: Encodable {
        let value: String
        let label: String
        let id: String
    }

    struct QuestionBlock: Encodable {
        let name: String
        let text: String
        let faces: [FaceChoice]
    }

    struct Meeting: Encodable {
        let value: String
        let label: String
        let id: String
    }

    struct LanguageLink: Encodable {
        let code: String
        let name: String
        let href: String
        let current: Bool
    }

    struct FormContext: Encodable {
        let lang: String
        let dir: String
        let title: String
        let intro: String
        let anonymous: String
        let action: String
        let questions: [QuestionBlock]
        let favourite: String
        let favouriteNone: String
        let meetings: [Meeting]
        /// The topic names come from the staff catalogue (Dutch or English).
        let meetingLang: String
        let send: String
        let languageLabel: String
        let languages: [LanguageLink]
    }

    struct MessageContext: Encodable {
        let lang: String
        let dir: String
        let title: String
        let text: String
        let face: Bool
    }

    static func texts(_ request: Request, seriesLanguage: String) -> EvaluationTexts {
        let chosen = request.query[String.self, at: "lang"].flatMap { EvaluationTexts.languages.contains($0) ? $0 : nil }
        return EvaluationTexts.texts(chosen ?? seriesLanguage)
    }

    func form(_ request: Request) async throws -> Response {
        let token = request.parameters.get("token") ?? ""
        switch try await request.publicEvaluation(token) {
        case .unknown:
            return try await message(request, EvaluationTexts.texts("nl"), status: .notFound, \.unknown, face: false)
        case .closed(let language):
            return try await message(request, Self.texts(request, seriesLanguage: language), status: .gone, \.closed, face: false)
        case .open(_, let series, let sessions):
            let texts = Self.texts(request, seriesLanguage: series.language)
            let locale: StaffLocale = texts.language == "en" ? .en : .nl
            let catalog = request.application.locales
            let path = GroupEvaluationService.path(token)
            let context = FormContext(
                lang: texts.language, dir: texts.dir, title: texts.title, intro: texts.intro, anonymous: texts.anonymous,
                action: path + (request.query[String.self, at: "lang"].map { "?lang=\($0)" } ?? ""),
                questions: EvaluationQuestion.allCases.map { question in
                    QuestionBlock(name: "q-\(question.rawValue)", text: texts.questions[question] ?? "",
                                  faces: EvaluationFace.allCases.map {
                                      FaceChoice(value: $0.rawValue, label: texts.faces[$0] ?? "", id: "q-\(question.rawValue)-\($0.rawValue)")
                                  })
                },
                favourite: texts.favourite, favouriteNone: texts.favouriteNone,
                meetings: Self.meetings(sessions).map { number, topic in
                    Meeting(value: topic, label: "\(texts.meeting) \(number): \(catalog.label("theme", topic, locale))", id: "topic-\(number)")
                },
                meetingLang: locale.rawValue, send: texts.send, languageLabel: texts.languageLabel,
                languages: EvaluationTexts.names.map { code, name in
                    LanguageLink(code: code, name: name, href: "\(path)?lang=\(code)", current: code == texts.language)
                })
            return try await page(request, "groups/evaluation-form", context, status: .ok)
        }
    }

    /// One choice per topic, numbered by the first session with it.
    static func meetings(_ sessions: [GroupSession]) -> [(Int, String)] {
        var seen = Set<String>()
        return sessions.enumerated().compactMap { index, session in seen.insert(session.topic).inserted ? (index + 1, session.topic) : nil }
    }

    func submit(_ request: Request) async throws -> Response {
        let token = request.parameters.get("token") ?? ""
        let form = try FormFields(request)
        var submission = EvaluationSubmission()
        for question in EvaluationQuestion.allCases {
            if let face = form["q-\(question.rawValue)"].flatMap(EvaluationFace.init(rawValue:)) { submission.faces[question] = face }
        }
        submission.favouriteTopic = form["topic"]
        let (outcome, language) = try await request.submitPublicEvaluation(token, submission)
        let texts = Self.texts(request, seriesLanguage: language)
        switch outcome {
        case .stored: return try await message(request, texts, status: .ok, \.thanksMore, title: texts.thanks, face: true)
        case .full: return try await message(request, texts, status: .conflict, \.full, face: true)
        case .closed: return try await message(request, texts, status: .gone, \.closed, face: false)
        case .unknown: return try await message(request, EvaluationTexts.texts("nl"), status: .notFound, \.unknown, face: false)
        }
    }

    private func message(_ request: Request, _ texts: EvaluationTexts, status: HTTPStatus, _ text: KeyPath<EvaluationTexts, String>,
                         title: String? = nil, face: Bool) async throws -> Response {
        try await page(request, "groups/evaluation-message",
                       MessageContext(lang: texts.language, dir: texts.dir, title: title ?? texts.title, text: texts[keyPath: text], face: face),
                       status: status)
    }

    private func page(_ request: Request, _ template: String, _ context: some Encodable, status: HTTPStatus) async throws -> Response {
        let body = try await request.view.render(template, context).get().data
        var headers = HTTPHeaders()
        headers.contentType = .html
        // Never kept by a shared phone's browser or a proxy, and the link is not passed on to other sites.
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return Response(status: status, headers: headers, body: .init(buffer: body))
    }
}

// MARK: staff pages

/// `/groups/:seriesID/evaluation`: the evaluation of one series for its staff — the link, the results, the paper
/// forms typed in, the facilitators' own evaluation — and the printable paper version.
struct GroupEvaluationWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("groups", ":seriesID", "evaluation")
        one.get(use: show)
        one.get("print", use: print)
        one.post("open", use: open)
        one.post("close", use: close)
        one.post("paper", use: paper)
        one.post("facilitator", use: facilitator)
    }

    struct CountCell: Encodable {
        let label: String
        let value: String
    }

    struct ResultRow: Encodable {
        let question: String
        let cells: [CountCell]
    }

    struct PaperQuestion: Encodable {
        let code: String
        let text: String
        let faces: [CountCell]
    }

    struct FacilitatorRow: Encodable {
        let role: String
        let rating: Int
        let wentWell: String
        let toChange: String
        let attendance: String
        let writtenOn: String
    }

    struct ShowContext: Encodable {
        let page: PageInfo
        let seriesId: UUID
        let status: String
        let isOpen: Bool
        let isClosed: Bool
        let mayOpen: Bool
        let mayClose: Bool
        let mayPaper: Bool
        let mayWrite: Bool
        let link: String?
        let version: Int?
        let responses: String
        let limit: String?
        let suppressed: Bool
        let faceLabels: [String]
        let results: [ResultRow]
        let topics: [CountCell]
        let paperQuestions: [PaperQuestion]
        let paperTopics: [CountCell]
        let mayReadFacilitators: Bool
        let facilitators: [FacilitatorRow]
        let own: [String: String]
        let ratings: [Choice]
        let errorSummary: [ErrorLink]
    }

    struct PrintQuestion: Encodable {
        let text: String
        let faces: [String]
    }

    struct PrintContext: Encodable {
        let lang: String
        let dir: String
        let title: String
        let intro: String
        let anonymous: String
        let questions: [PrintQuestion]
        let favourite: String
        let meetings: [String]
        let meetingLang: String
        let link: String?
        /// The link in pieces, so a narrow page wraps it between them rather than inside the address.
        let linkOrigin: String?
        let linkToken: String?
        /// The link as a QR code (an SVG picture in a data: address, which the pages' CSP allows for images).
        let qrImage: String?
        let qrAlt: String
        let linkIntro: String
        let printLabel: String
        let backLabel: String
        let backHref: String
        let notOpened: String
    }

    private func seriesID(_ request: Request) throws -> UUID { try request.uuidParameter("seriesID", what: "series") }

    func show(_ request: Request) async throws -> View {
        try await render(request, try GroupEvaluationService(request: request), errors: [], own: nil)
    }

    private func render(_ request: Request, _ service: GroupEvaluationService, errors: [(field: String, message: String)],
                        own values: [String: String]?) async throws -> View {
        let id = try seriesID(request)
        let results = try await service.results(id)
        let series = try await service.series(id, .read, .evaluation)
        let record = try await service.record(for: id)
        let locale = request.staffLocale, catalog = request.application.locales
        func show(_ value: Int?) -> String { value.map(String.init) ?? request.t("evaluation.suppressed") }
        let faceLabels = EvaluationFace.allCases.map { request.t("evaluation.face.\($0.rawValue)") } + [request.t("evaluation.skipped")]
        let mine = results.facilitators?.first { $0.authorId == service.staff.userID }
        let own = values ?? ["wentWell": mine?.wentWell ?? "", "toChange": mine?.toChange ?? "", "attendance": mine?.attendance ?? "",
                             "rating": mine.map { String($0.rating) } ?? ""]
        let topics = CodeList.unique(try await service.sessions(id).map(\.topic))
        let isOpen = record?.status == .open
        return try await request.view.render("groups/evaluation-show", ShowContext(
            page: PageInfo(request, titleKey: "evaluation.title", flash: request.takeFlash()),
            seriesId: id, status: request.t("evaluation.status.\(results.status)"), isOpen: isOpen, isClosed: record?.status == .closed,
            mayOpen: service.may(.create, .evaluation, series), mayClose: isOpen && service.may(.close, .evaluation, series),
            mayPaper: record != nil && service.may(.update, .evaluation, series),
            mayWrite: service.may(.update, .facilitatorEvaluation, series),
            link: isOpen && service.may(.update, .evaluation, series) ? record.map { service.link($0).url } : nil,
            version: record?.version, responses: show(results.responses), limit: results.answerLimit.map(String.init),
            suppressed: results.suppressed, faceLabels: faceLabels,
            results: results.questions.map { question in
                ResultRow(question: request.t("evaluation.question.\(question.question)"), cells: [
                    CountCell(label: faceLabels[0], value: show(question.counts.yes)),
                    CountCell(label: faceLabels[1], value: show(question.counts.aLittle)),
                    CountCell(label: faceLabels[2], value: show(question.counts.no)),
                    CountCell(label: faceLabels[3], value: show(question.counts.skipped)),
                ])
            },
            topics: results.topics.map { CountCell(label: catalog.label("theme", $0.topic, locale), value: show($0.count)) }
                + [CountCell(label: request.t("evaluation.noTopic"), value: show(results.noTopic))],
            paperQuestions: EvaluationQuestion.allCases.map { question in
                PaperQuestion(code: question.rawValue, text: request.t("evaluation.question.\(question.rawValue)"),
                              faces: EvaluationFace.allCases.map { CountCell(label: request.t("evaluation.face.\($0.rawValue)"), value: $0.rawValue) })
            },
            paperTopics: topics.map { CountCell(label: catalog.label("theme", $0, locale), value: $0) },
            mayReadFacilitators: results.facilitators != nil,
            facilitators: (results.facilitators ?? []).map {
                FacilitatorRow(role: request.t("evaluation.role.\($0.role)"), rating: $0.rating, wentWell: $0.wentWell,
                               toChange: $0.toChange, attendance: $0.attendance, writtenOn: locale.date($0.writtenOn))
            },
            own: own,
            ratings: GroupEvaluation.ratings.map { Choice(value: String($0), label: String($0), selected: own["rating"] == String($0)) },
            errorSummary: errors.map { ErrorLink(field: $0.field, message: $0.message) }))
    }

    /// Runs a change; bad input shows the page again with the messages (422), otherwise back to the page.
    private func change(_ request: Request, flash: String, own: [String: String]? = nil,
                        _ body: (GroupEvaluationService) async throws -> Void) async throws -> Response {
        let service = try GroupEvaluationService(request: request)
        do {
            try await body(service)
            request.setFlash(flash)
            return request.redirect(to: "/groups/\(try seriesID(request))/evaluation")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let errors = FamilyWebController.fieldErrors(from: error, request: request, map: FamilyWebController.baseField)
            let view = try await render(request, service, errors: errors, own: own)
            return try await view.encodeResponse(status: .unprocessableEntity, for: request)
        }
    }

    func open(_ request: Request) async throws -> Response {
        try await change(request, flash: "flash.evaluationOpened") { service in
            try FamilyAccess.require(service.staff, .create, .evaluation)
            _ = try await service.open(try seriesID(request))
        }
    }

    func close(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        return try await change(request, flash: "flash.evaluationClosed") { service in
            try FamilyAccess.require(service.staff, .close, .evaluation)
            _ = try await service.close(try seriesID(request), version: form["version"].flatMap(Int.init))
        }
    }

    func paper(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        return try await change(request, flash: "flash.evaluationPaperAdded") { service in
            try FamilyAccess.require(service.staff, .update, .evaluation)
            var counts: [String: [String: Int]] = [:], errors: [FieldError] = []
            func number(_ name: String) -> Int? {
                guard let text = form[name] else { return nil }
                guard let value = Int(text) else { errors.append(.init(name, "number-invalid")); return nil }
                return value
            }
            for question in EvaluationQuestion.allCases {
                for face in EvaluationFace.allCases {
                    if let n = number("c-\(question.rawValue)-\(face.rawValue)") { counts[question.rawValue, default: [:]][face.rawValue] = n }
                }
            }
            var topics: [String: Int] = [:]
            for topic in form.all("topicCode") { if let n = number("t-\(topic)") { topics[topic] = n } }
            let forms = number("forms")
            guard errors.isEmpty else { throw AppError.invalid(errors, catalog: service.catalog) }
            try await service.addPaper(try seriesID(request), EvaluationPaperInput(forms: forms, counts: counts, topics: topics))
        }
    }

    func facilitator(_ request: Request) async throws -> Response {
        let form = try FormFields(request)
        let own = Dictionary(uniqueKeysWithValues: ["wentWell", "toChange", "attendance", "rating"].map { ($0, form.raw($0)) })
        return try await change(request, flash: "flash.saved", own: own) { service in
            try FamilyAccess.require(service.staff, .update, .facilitatorEvaluation)
            _ = try await service.saveFacilitator(try seriesID(request), FacilitatorEvaluationInput(
                wentWell: form.raw("wentWell"), toChange: form.raw("toChange"), attendance: form.raw("attendance"),
                rating: form["rating"].flatMap(Int.init)))
        }
    }

    /// The paper version in the group's language: the questions with the faces to tick, and the phone link.
    func print(_ request: Request) async throws -> View {
        let service = try GroupEvaluationService(request: request)
        let id = try seriesID(request)
        let series = try await service.series(id, .update, .evaluation)
        let record = try await service.record(for: id)
        let texts = EvaluationTexts.texts(series.language)
        let locale: StaffLocale = texts.language == "en" ? .en : .nl
        let sessions = try await service.sessions(id)
        return try await request.view.render("groups/evaluation-print", PrintContext(
            lang: texts.language, dir: texts.dir, title: texts.title, intro: texts.intro, anonymous: texts.anonymous,
            questions: EvaluationQuestion.allCases.map { question in
                PrintQuestion(text: texts.questions[question] ?? "", faces: EvaluationFace.allCases.map { texts.faces[$0] ?? "" })
            },
            favourite: texts.favourite,
            meetings: PublicEvaluationController.meetings(sessions).map { number, topic in
                "\(texts.meeting) \(number): \(request.application.locales.label("theme", topic, locale))"
            },
            meetingLang: locale.rawValue,
            link: record?.status == .open ? record.map { service.link($0).url } : nil,
            linkOrigin: service.publicURL, linkToken: record?.token,
            qrImage: record?.status == .open ? record.flatMap { QRCode.encode(service.link($0).url) }
                .map { "data:image/svg+xml;base64," + Data($0.svg(scale: 4).utf8).base64EncodedString() } : nil,
            qrAlt: request.t("evaluation.print.qr"),
            linkIntro: request.t("evaluation.print.link"), printLabel: request.t("evaluation.print.button"),
            backLabel: request.t("evaluation.back"), backHref: "/groups/\(id)/evaluation",
            notOpened: request.t("evaluation.print.notOpened")))
    }
}
