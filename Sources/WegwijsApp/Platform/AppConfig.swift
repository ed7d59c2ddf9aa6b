import Foundation
import Vapor
import WegwijsCore

/// Where the data lives. SQLite is the zero-set-up default; PostgreSQL for production.
public enum DatabaseTarget: Sendable, Equatable {
    case sqlite(path: String)
    /// PostgreSQL; `searchPath` lets tests give each run its own schema.
    case postgres(url: String, searchPath: String? = nil)

    public static let defaultSQLitePath = "data/wegwijs.sqlite"

    /// Reads `DATABASE_URL`: `sqlite:///absolute/path`, `sqlite://relative/path`, or `postgres://user:pass@host:port/db`.
    public static func parse(_ url: String?) throws -> DatabaseTarget {
        guard let url, !url.isEmpty else { return .sqlite(path: defaultSQLitePath) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigError("DATABASE_URL: sqlite:// needs a path") }
            return .sqlite(path: path)
        }
        throw ConfigError("DATABASE_URL must start with sqlite:// or postgres://")
    }
}

struct ConfigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Everything that can be configured, with sane defaults (`Environment.get(...) ?? default`).
public struct AppConfig: Sendable {
    public var database: DatabaseTarget
    /// A PostgreSQL read replica (hot standby) of `database` that report aggregates are read from
    /// (`DATABASE_REPLICA_URL`; see `ReadReplica.swift`). Nil: reports read the primary.
    public var replica: DatabaseTarget?
    /// The address users reach Wegwijs at; `https://…` makes the session cookie `Secure`.
    public var publicURL: String?
    public var bcryptCost: Int
    var sessions: SessionPolicy
    /// The folder that holds `Views/`, `Public/` and `Locales/`.
    public var resourcesDirectory: String
    /// Whether the catalogue's pages (staff list, HSDS) are remembered per catalogue version kept by the database
    /// (`WEGWIJS_LIST_CACHE=off` turns it off, e.g. to measure the uncached path). The family and referral lists
    /// keep no page cache at all.
    public var listCache: Bool
    /// The municipality whose offers the parents' place shows (`WEGWIJS_PARENTS_MUNICIPALITY`, a CBS code).
    public var parentsMunicipality: String = "GM9901"
    /// Weeks and intervals of the intake module (`WEGWIJS_ACTIVE_SUPPORT_WEEKS`, `WEGWIJS_NO_CONTACT_WEEKS`,
    /// `WEGWIJS_RESCREEN_WEEKS`).
    var intake = IntakeSettings()
    /// Referral timers where a municipality set none (`WEGWIJS_REFERRAL_ANSWER_DAYS` working days,
    /// `WEGWIJS_REFERRAL_FIRST_CONTACT_DAYS`, `WEGWIJS_PARTNER_ACCESS_DAYS`).
    var referrals = ReferralSettings()
    /// Where notification e-mails go out (`WEGWIJS_SMTP_URL`, `smtp://host:port`); none means: outbox and log only.
    var smtp: SMTPSettings?
    /// Reverse proxies whose `X-Forwarded-For` names the real client (`WEGWIJS_TRUSTED_PROXIES`, comma-separated
    /// addresses or CIDR ranges; default none: the header is ignored, since anyone can send it).
    public var trustedProxies: [IPNetwork] = []

    public init(database: DatabaseTarget, publicURL: String? = nil, bcryptCost: Int = 12,
                resourcesDirectory: String? = nil, sessionIdleMinutes: Double? = nil, listCache: Bool = true) {
        self.database = database
        self.listCache = listCache
        self.publicURL = publicURL
        self.bcryptCost = bcryptCost
        self.resourcesDirectory = resourcesDirectory ?? AppConfig.findResources()
        var sessions = SessionPolicy()
        if let sessionIdleMinutes { sessions.idleTimeout = sessionIdleMinutes * 60 }
        self.sessions = sessions
    }

    public static func fromEnvironment() throws -> AppConfig {
        var config = try AppConfig(database: .parse(Environment.get("DATABASE_URL")),
                      publicURL: Environment.get("WEGWIJS_PUBLIC_URL"),
                      bcryptCost: Environment.get("WEGWIJS_BCRYPT_COST").flatMap(Int.init) ?? 12,
                      resourcesDirectory: Environment.get("WEGWIJS_RESOURCES"),
                      sessionIdleMinutes: Environment.get("WEGWIJS_SESSION_IDLE_MINUTES").flatMap(Double.init),
                      listCache: Environment.get("WEGWIJS_LIST_CACHE")?.lowercased() != "off")
        config.replica = try DatabaseTarget.replica(Environment.get("DATABASE_REPLICA_URL"), primary: config.database)
        if let code = Environment.get("WEGWIJS_PARENTS_MUNICIPALITY"), !code.isEmpty { config.parentsMunicipality = code }
        if let weeks = Environment.get("WEGWIJS_ACTIVE_SUPPORT_WEEKS").flatMap(Int.init), weeks >= 0 { config.intake.activeSupportWeeks = weeks }
        if let weeks = Environment.get("WEGWIJS_NO_CONTACT_WEEKS").flatMap(Int.init), weeks > 0 { config.intake.noContactWeeks = weeks }
        if let weeks = Environment.get("WEGWIJS_RESCREEN_WEEKS").flatMap(Int.init), weeks > 0 { config.intake.rescreenWeeks = weeks }
        if let days = Environment.get("WEGWIJS_REFERRAL_ANSWER_DAYS").flatMap(Int.init), days > 0 { config.referrals.answerWorkingDays = days }
        if let days = Environment.get("WEGWIJS_REFERRAL_FIRST_CONTACT_DAYS").flatMap(Int.init), days > 0 { config.referrals.firstContactDays = days }
        if let days = Environment.get("WEGWIJS_PARTNER_ACCESS_DAYS").flatMap(Int.init), days >= 0 { config.referrals.partnerAccessDays = days }
        if let url = Environment.get("WEGWIJS_SMTP_URL"), !url.isEmpty {
            config.smtp = try SMTPSettings.parse(url, from: Environment.get("WEGWIJS_MAIL_FROM"))
        }
        if let proxies = Environment.get("WEGWIJS_TRUSTED_PROXIES") {
            switch IPNetwork.parseList(proxies) {
            case .success(let networks): config.trustedProxies = networks
            case .failure(let error):
                throw ConfigError("WEGWIJS_TRUSTED_PROXIES: '\(error.entry)' is not an IP address or CIDR range")
            }
        }
        return config
    }

    var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }

    /// `Resources/` of the working directory (`swift run` from the repository), else of the source checkout
    /// this binary was built from (tests, benchmarks started elsewhere).
    static func findResources() -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let candidates = [cwd + "/Resources",
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                              .deletingLastPathComponent().deletingLastPathComponent().path + "/Resources"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/Locales/nl.json") } ?? candidates[0]
    }
}
