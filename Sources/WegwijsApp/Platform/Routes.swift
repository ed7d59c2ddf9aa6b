import Fluent
import SQLKit
import Vapor

func routes(_ app: Application, config: AppConfig, cookieName: String) throws {
    // Machine routes: no session, no cookies.
    app.get("health") { request async throws -> Response in
        guard let sql = request.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
        _ = try await sql.raw("SELECT 1").all()
        return try await ["status": "ok"].encodeResponse(for: request)
    }
    app.get("openapi.json") { request async throws -> Response in
        let response = Response(status: .ok, body: .init(data: OpenAPIDocument.json))
        response.headers.contentType = .json
        return response
    }

    // The public HSDS 3.0 catalogue: information about services, no personal data.
    // Remembered per catalogue version: ETag and 304 for clients that ask again.
    try app.grouped(ConditionalGetMiddleware(.public)).register(collection: HSDSController())

    // The parents' place: public, no account, no session, no cookies.
    try app.grouped(ConditionalGetMiddleware(.public)).register(collection: ParentsPlaceController())

    // The parents' evaluation of a group series: public, no account, no session, no cookies, nothing personal kept.
    try app.register(collection: PublicEvaluationController())

    // Group calendar feeds: public, no account, no session, no cookies; the token in the address is the only key.
    try app.register(collection: GroupCalendarFeedController())

    // JSON API v1: bearer tokens.
    try app.register(collection: SessionAPIController())
    let api = app.grouped("api", "v1").grouped(BearerAuthMiddleware())
    try api.register(collection: FamilyAPIController())
    try api.register(collection: ConsentAPIController())
    try api.grouped(ConditionalGetMiddleware(.private)).register(collection: OfferAPIController())
    try api.register(collection: IntakeAPIController())
    try api.register(collection: MatchingAPIController())
    try api.register(collection: ReferralAPIController())
    try api.register(collection: WorklistController(api: true))
    try api.register(collection: GroupAPIController())
    try api.register(collection: GroupCalendarController())
    try api.register(collection: GroupEvaluationAPIController())
    try api.register(collection: ProcurementAPIController())
    try api.register(collection: ReportAPIController())

    // Web UI: session cookie, CSRF on every form.
    let web = app.grouped(SessionStaffMiddleware(policy: config.sessions, cookieName: cookieName), CSRFMiddleware())
    try web.register(collection: LoginController())
    let signedIn = web.grouped(RequireSignInMiddleware())
    try signedIn.register(collection: HomeController())
    try signedIn.register(collection: FamilyWebController())
    try signedIn.register(collection: FamilyTimelineWebController())
    try signedIn.register(collection: ConsentWebController())
    try signedIn.register(collection: AuditWebController())
    try signedIn.register(collection: AccountAdminWebController())
    try signedIn.register(collection: CatalogWebController())
    try signedIn.register(collection: TranslationsWebController())
    try signedIn.register(collection: OfferTranslationWebController())
    try signedIn.register(collection: IntakeWebController())
    try signedIn.register(collection: ReferralWebController())
    try signedIn.register(collection: WorklistController(api: false))
    try signedIn.register(collection: GroupWebController())
    try signedIn.register(collection: GroupEvaluationWebController())
    try signedIn.register(collection: ProcurementWebController())
    try signedIn.register(collection: ReportWebController())
}
