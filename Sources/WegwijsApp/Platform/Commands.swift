import Fluent
import Foundation
import Vapor

/// A command that failed in a way the user must see; the executable prints it and exits non-zero.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Sets up the application for the `wegwijs` executable: configuration from the environment, the commands,
/// and for `serve`: migrations, SQLite settings and the demo data where `DemoDecision` says so (`--demo`, or
/// the embedded default database of a fresh clone; never by itself on a database the operator chose, nor in
/// production).
public func bootstrap(_ app: Application) async throws {
    let config = try AppConfig.fromEnvironment()
    try await configure(app, config)

    // `--demo` is ours, not the serve command's: take it out before Vapor reads the arguments.
    let demoFlag = app.environment.arguments.dropFirst().contains("--demo")
    app.environment.arguments.removeAll { $0 == "--demo" }
    let arguments = app.environment.arguments.dropFirst()
    let isServe = arguments.first.map { $0 == "serve" || $0.hasPrefix("-") } ?? true
    if demoFlag && !isServe { throw CommandFailure(description: "--demo belongs to serve (or use `wegwijs seed demo`).") }
    if isServe {
        try await prepareDatabase(app)
        try await app.autoMigrate()
        // Worklists kept with other rules (another WEGWIJS_NO_CONTACT_WEEKS) are made again with these.
        try await FamilyWorkItems.ensureRules(FamilyWorkItems.rules(of: app), on: app.db)
        app.lifecycle.use(SQLiteCheckpointer())
        if let smtp = config.smtp { app.lifecycle.use(OutboxMailer(settings: smtp)) }
        let decision = DemoDecision.decide(demoFlag: demoFlag,
                                           databaseURLGiven: Environment.get("DATABASE_URL")?.isEmpty == false,
                                           production: app.environment == .production,
                                           databaseEmpty: try await DemoSeeder.databaseIsEmpty(app.db))
        switch decision {
        case .load:
            let password = Environment.get("WEGWIJS_DEMO_PASSWORD") ?? DemoSeeder.defaultPassword
            let accounts = try await DemoSeeder.seed(app, password: password)
            printAccounts(accounts, password: password)
        case .firstAdmin:
            print(DemoDecision.firstAdminHelp)
        case .refuse:
            throw CommandFailure(description: "--demo is refused in production: the demo accounts share a published password.")
        case .keep:
            break
        }
        try await app.refreshDemoMode()
        // Pages added to Resources/ParentsPlace since the last start (a new page, a new language).
        try await ParentPages.seedMissing(app)
        try await ScreeningInstruments.publish(from: app.resourcesDirectory + "/Screening/instrument.json", on: app.db)
    }
}

func printAccounts(_ accounts: [DemoAccount], password: String) {
    print("Demo data loaded: municipality Rijnstad (GM9901). Sign in at the address below with one of these accounts,")
    print("password: \(password)")
    for account in accounts {
        print("  \(account.username.padding(toLength: 22, withPad: " ", startingAt: 0)) \(account.role.padding(toLength: 14, withPad: " ", startingAt: 0)) \(account.organisation)")
    }
}

/// `wegwijs migrate`: runs pending migrations, without asking.
struct MigrateNowCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Runs pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await prepareDatabase(app)
        try await app.autoMigrate()
        context.console.print("Migrations are up to date.")
    }
}

/// `wegwijs seed demo [--password P]` and `wegwijs seed synthetic --families N [--referrals M] [--offers K]
/// [--key-person U --key-share S] [--years Y] [--seed X] [--municipality CODE] [--batch B]`.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "demo | synthetic")
        var kind: String
        @Option(name: "password", help: "password of every demo account")
        var password: String?
        @Option(name: "families", help: "number of synthetic families")
        var families: Int?
        @Option(name: "offers", help: "number of synthetic offers")
        var offers: Int?
        @Option(name: "referrals", help: "number of synthetic referrals, spread over Rijnstad's families")
        var referrals: Int?
        @Option(name: "key-person", help: "a key person's account, coupled to 1 in --key-share synthetic families")
        var keyPerson: String?
        @Option(name: "key-share", help: "with --key-person: 1 in how many synthetic families (default 20)")
        var keyShare: Int?
        @Option(name: "years", help: "the families' stories span this many years up to today (default 3)")
        var years: Int?
        @Option(name: "seed", help: "random seed: the same seed gives the same families (default 1)")
        var seed: Int?
        @Option(name: "municipality", help: "CBS code of the municipality the synthetic families live in (default GM9901)")
        var municipality: String?
        @Option(name: "batch", help: "synthetic families per transaction (default 5000)")
        var batch: Int?
    }

    var help: String { "Loads the demo municipality Rijnstad, or synthetic families for benchmarks." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await prepareDatabase(app)
        try await app.autoMigrate()
        let password = signature.password ?? DemoSeeder.defaultPassword
        switch signature.kind {
        case "demo":
            do {
                let accounts = try await DemoSeeder.seed(app, password: password)
                try await app.refreshDemoMode()
                printAccounts(accounts, password: password)
            } catch let error as ConfigError {
                throw CommandFailure(description: error.description)
            }
        case "synthetic":
            let families = signature.families ?? (signature.offers == nil && signature.referrals == nil ? 1000 : 0)
            let offers = signature.offers ?? 0
            let referrals = signature.referrals ?? 0
            guard families >= 0, offers >= 0, referrals >= 0 else {
                throw CommandFailure(description: "--families, --offers and --referrals must not be negative")
            }
            guard (signature.keyShare ?? 20) >= 1 else { throw CommandFailure(description: "--key-share must be at least 1") }
            guard (1...30).contains(signature.years ?? 3) else { throw CommandFailure(description: "--years must be 1 to 30") }
            guard (signature.seed ?? 1) >= 0 else { throw CommandFailure(description: "--seed must not be negative") }
            guard (signature.batch ?? 5_000) >= 1 else { throw CommandFailure(description: "--batch must be at least 1") }
            var options = SyntheticOptions(families: families, referrals: signature.referrals, keyPerson: signature.keyPerson,
                                           keyShare: signature.keyShare ?? 20, years: signature.years ?? 3,
                                           seed: UInt64(signature.seed ?? 1), municipality: signature.municipality ?? "GM9901")
            options.batchSize = signature.batch ?? 5_000
            do {
                // Offers first: the families' referrals go to the whole catalogue.
                if offers > 0 {
                    try await DemoSeeder.seedSyntheticOffers(app, count: offers, password: password)
                    context.console.print("Added \(offers) synthetic offers to Rijnstad's catalogue.")
                }
                if families > 0 {
                    let summary = try await DemoSeeder.seedSynthetic(app, options: options, password: password) { line in
                        print("  \(line)")
                    }
                    context.console.print(Self.describe(summary, families: families, municipality: options.municipality))
                } else if referrals > 0 {
                    let summary = try await SyntheticReferrals.seed(app, count: referrals, options: options)
                    context.console.print("Added \(summary.count("referrals")) synthetic referrals in \(options.municipality) "
                                          + "(\(summary.count("referral_events")) steps) in \(String(format: "%.1f", summary.seconds)) s.")
                }
            } catch let error as ConfigError {
                throw CommandFailure(description: error.description)
            }
        default:
            throw CommandFailure(description: "Unknown kind '\(signature.kind)': use demo or synthetic.")
        }
    }
}

extension SeedCommand {
    static func describe(_ summary: SyntheticSummary, families: Int, municipality: String) -> String {
        func n(_ value: Int) -> String {
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.groupingSeparator = ","
            return formatter.string(from: NSNumber(value: value)) ?? String(value)
        }
        return """
            Added \(n(families)) synthetic families to \(municipality) in \(String(format: "%.1f", summary.seconds)) s \
            (\(n(summary.rows.values.reduce(0, +))) rows): \(n(summary.count("family_members"))) members, \
            \(n(summary.count("screenings"))) screenings, \(n(summary.count("family_needs"))) needs, \
            \(n(summary.count("referrals"))) referrals, \(n(summary.count("group_series"))) group series, \
            \(n(summary.count("group_participants"))) participants.
            Events: \(n(summary.events)) (referral steps \(n(summary.count("referral_events"))), contact moments \
            \(n(summary.count("contact_moments"))), screenings \(n(summary.count("screenings"))), attendance \
            \(n(summary.count("group_attendance"))), signals \(n(summary.count("family_signals")))).
            """
    }
}

/// `wegwijs audit verify`: exit 0 when the chain is intact; otherwise names the first broken entry and exits 1.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }

    var help: String { "Checks the hash chain of the audit trail." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            throw CommandFailure(description: "Unknown action '\(signature.action)': use verify.")
        }
        switch try await AuditLog.verify(on: context.application.db) {
        case .intact(let entries):
            context.console.print("Audit trail intact: \(entries) entries.")
        case .broken(let seq, let reason):
            throw CommandFailure(description: "Audit trail broken at entry \(seq): \(reason).")
        }
    }
}
