import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import LeafKit
import SQLKit
import Vapor

/// Reads the configuration, picks the database, registers migrations, middleware and routes.
public func configure(_ app: Application, _ config: AppConfig) async throws {
    try configureDatabase(app, config.database)
    try configureReadReplica(app, config.replica)
    app.migrations.add(CreateTenancy(), CreateAccounts(), CreateFamilies(), CreateConsents(), CreateAudit(),
                       SessionRecord.migration, CreateOffers(), CreateParentPages(), CreateContentVersions(), CreateIntake(),
                       CreateReferrals())
    // Forward migrations, after the ones shipped (which are never edited).
    app.migrations.add(TypedCodeStorage())
    app.migrations.add(AddListIndexes(), AddOutboxClaims(), AddFamilyListKeys(), CreateGroups())
    app.migrations.add(CreateGroupEvaluations())
    app.migrations.add(CreateGroupCalendarLinks())
    app.migrations.add(CreateGroupInvitees())
    app.migrations.add(CreateGroupAvailability())
    app.migrations.add(AddFamilyListJSON())
    app.migrations.add(AddOfferFunding())
    app.migrations.add(CreateScreeningProvisions())
    app.migrations.add(AddReportIndexes())
    app.migrations.add(AddFamilyProfile())
    app.migrations.add(AddReferralDeclineReason())
    app.migrations.add(AddPlanReportColumns(), AddReportIndexes2())
    app.migrations.add(TypedCodeStorageOfPeople())
    app.migrations.add(AddFamilyNameKeys())
    app.migrations.add(AddWorklistIndexes(), AddWorkDates())
    app.migrations.add(CreateFamilyWorkItems())
    app.migrations.add(AddAuditTimeIndex())
    app.migrations.add(AddFirstContactPlace())
    app.migrations.add(CreateOfferTranslations())

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    // Verified for unknown accounts at the same cost as real hashes (sign-in takes as long either way).
    app.signInDummyHash = try Bcrypt.hash([UInt8].random(count: 16).base64URL, cost: config.bcryptCost)
    app.storage[AppConfigKey.self] = config
    _ = app.audit
    // Referrals follow families' leads and withdrawn consents (DomainEvents): no feature calls another in a circle.
    ReferralService.subscribe(to: app.domainEvents)
    IntakeService.subscribe(to: app.domainEvents, settings: config.intake)
    app.catalogueCaches = CatalogueCaches(enabled: config.listCache)
    // The parents' place holds no personal data; its pages follow the content versions kept by the database.
    app.parentPageCache = DerivedCache(ttl: .infinity, capacity: 2_000)
    app.parentContentVersions = RecentContentVersions()
    app.screeningInstruments = ScreeningInstruments()
    app.matchEngines = DerivedCache(ttl: .infinity, capacity: 50)
    app.tokenCache = TokenCache()
    app.hsdsCache = HSDSRecordCache()
    app.locales = try LocaleCatalog.load(from: config.resourcesDirectory + "/Locales")
    app.parentContent = try ParentContent.load(from: config.resourcesDirectory + "/ParentsPlace")

    app.views.use(.leaf)
    app.leaf.configuration = LeafConfiguration(rootDirectory: config.resourcesDirectory + "/Views/")
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["label"] = LabelTag()
    app.leaf.tags["date"] = DateTag()
    app.leaf.tags["demoBanner"] = DemoBannerTag()
    app.leaf.cache.isEnabled = app.environment != .development

    // A body larger than 1 MiB is refused with 413 before it is read.
    app.routes.defaultMaxBodySize = "1mb"

    app.sessions.use { ChangedSessionsOnly(base: $0.fluent.sessions.driver()) }
    let cookieName = "wegwijs-session"
    let secure = config.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: cookieName) { id in
        HTTPCookies.Value(string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    // Outermost first. The security headers wrap everything, so every answer carries them (also a refused static
    // path, a 413 or an error page). Errors are caught twice: inside the session middleware (so error pages keep
    // the session) and once more outside it, for what the file middleware or the session store throws; that outer
    // one never touches the session.
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(AppErrorMiddleware(environment: app.environment, insideSessions: false))
    app.middleware.use(RefuseNULMiddleware(scope: .url))
    app.middleware.use(FileMiddleware(publicDirectory: config.resourcesDirectory + "/Public/"))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(AppErrorMiddleware(environment: app.environment))
    app.middleware.use(BodyLimitMiddleware(limit: 1 << 20))
    app.middleware.use(RefuseNULMiddleware(scope: .body))
    // Innermost: what a request showed of families is audited once, before its answer leaves (RequestReads).
    app.middleware.use(RequestAuditMiddleware())

    try routes(app, config: config, cookieName: cookieName)

    app.asyncCommands.use(MigrateNowCommand(), as: "migrate")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(CatalogCommand(), as: "catalog")
    app.asyncCommands.use(MatchingBenchmarkCommand(), as: "bench-matching")
    app.asyncCommands.use(ReportCommand(), as: "report")
    app.asyncCommands.use(PlanCommand(), as: "plan")
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    /// The folder with `Views/`, `Public/`, `Locales/`, `ParentsPlace/` and `Screening/`.
    var resourcesDirectory: String { storage[AppConfigKey.self]?.resourcesDirectory ?? AppConfig.findResources() }
}

func configureDatabase(_ app: Application, _ target: DatabaseTarget) throws {
    switch target {
    case .sqlite(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url, let searchPath):
        var configuration = try SQLPostgresConfiguration(url: url)
        if let searchPath { configuration.searchPath = [searchPath] }
        app.databases.use(.postgres(configuration: configuration, sqlLogLevel: .trace), as: .psql)
    }
}

/// SQLite settings that are per connection: each event loop has exactly one SQLite connection (fluent-sqlite-driver),
/// so running the pragmas once on every loop covers them all. WAL lets readers and the writer work side by side;
/// `synchronous=NORMAL` is safe in WAL mode (no corruption, at most the last commits lost on power loss);
/// `busy_timeout` makes a second writer wait instead of failing. Foreign keys are switched on by the driver.
public func prepareDatabase(_ app: Application) async throws {
    guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
    try await sql.raw("PRAGMA journal_mode=WAL").run()
    for loop in app.eventLoopGroup.makeIterator() {
        guard let db = app.databases.database(logger: app.logger, on: loop) as? any SQLDatabase else { continue }
        try await db.raw("PRAGMA synchronous=NORMAL").run()
        try await db.raw("PRAGMA busy_timeout=5000").run()
        // A 64 MiB page cache per connection keeps the hot tables in memory (the default is 2 MiB).
        try await db.raw("PRAGMA cache_size=-65536").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        // Checkpoints run in the background (`SQLiteCheckpointer`), not in the commit of whichever request
        // crosses the threshold; this larger threshold remains as a backstop.
        try await db.raw("PRAGMA wal_autocheckpoint=10000").run()
    }
}

/// While the server runs: copies the write-ahead log into the database file every half second, without
/// blocking readers or the writer (PASSIVE). The audit trail writes thousands of rows a second under load; a
/// checkpoint (with its fsync) inside a request's commit made that request, and every read waiting on its
/// audit entries, stall.
struct SQLiteCheckpointer: LifecycleHandler {
    private final class Box: @unchecked Sendable { var task: RepeatedTask? }
    private let box = Box()

    func didBoot(_ app: Application) throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        let logger = app.logger
        box.task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .milliseconds(500), delay: .milliseconds(500)) { _ in
            sql.raw("PRAGMA wal_checkpoint(PASSIVE)").run().flatMapErrorWithEventLoop { error, loop in
                logger.warning("WAL checkpoint failed: \(String(reflecting: type(of: error)))")
                return loop.makeSucceededVoidFuture()
            }
        }
    }

    func shutdown(_ app: Application) {
        box.task?.cancel()
    }
}

/// Logs method, route pattern and status: never the path (it holds ids) nor the query (it could hold names).
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        request.logger.info("\(request.method) \(request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(static or unknown)") \(response.status.code)")
        return response
    }
}

/// Refuses a body over the limit with 413 before any route reads it: by its declared length, or by what arrived
/// (the router's `defaultMaxBodySize` covers streamed bodies that do not declare one).
struct BodyLimitMiddleware: AsyncMiddleware {
    let limit: Int
    /// The admin's catalogue upload may be larger (an HSDS file of a whole region).
    static let uploadPath = "/admin/catalog/import"
    static let uploadLimit = 20 << 20

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let limit = request.url.path == Self.uploadPath ? Self.uploadLimit : self.limit
        let declared = request.headers.first(name: .contentLength).flatMap(Int.init) ?? 0
        if declared > limit || (request.body.data?.readableBytes ?? 0) > limit {
            throw Abort(.payloadTooLarge)
        }
        return try await next.respond(to: request)
    }
}

/// Defensive headers for every response; pages with personal data are never cached.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        // Staff pages and API answers hold personal data: never stored. Public, data-free routes (the parents'
        // place, static files) set their own caching.
        let isStaticFile = request.url.path.split(separator: "/").last?.contains(".") ?? false
        if !response.headers.contains(name: .cacheControl) && !isStaticFile {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
