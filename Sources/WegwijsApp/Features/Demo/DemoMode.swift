import Fluent
import Foundation
import Leaf
import LeafKit
import NIOConcurrencyHelpers
import Vapor

/// Whether `serve` loads the demo into an empty database. The demo's accounts (admin included) share a password
/// printed in the README, so they must never appear by themselves on a real installation.
enum DemoDecision: Equatable, Sendable {
    /// Load the demo and print its accounts.
    case load
    /// The database holds data already: leave it as it is.
    case keep
    /// An empty real installation: no accounts; print how to create the first administrator.
    case firstAdmin
    /// `--demo` in production: refused.
    case refuse

    /// - Parameters:
    ///   - demoFlag: `serve --demo` was given.
    ///   - databaseURLGiven: `DATABASE_URL` is set (PostgreSQL, or an SQLite file chosen by the operator); without
    ///     it `serve` uses the embedded default database of a fresh clone.
    ///   - production: `--env production`.
    ///   - databaseEmpty: no municipality exists yet.
    static func decide(demoFlag: Bool, databaseURLGiven: Bool, production: Bool, databaseEmpty: Bool) -> DemoDecision {
        if production && demoFlag { return .refuse }
        guard databaseEmpty else { return .keep }
        if production { return .firstAdmin }
        if demoFlag || !databaseURLGiven { return .load }
        return .firstAdmin
    }

    /// What `serve` prints on an empty real installation.
    static let firstAdminHelp = """
        The database is empty: no municipality, no accounts. Create the first administrator (with the same
        DATABASE_URL), for example:
          wegwijs user create beheerder --role admin --organisation "Gemeente Voorbeeld" \\
            --municipality GM0000 --municipality-name "Voorbeeld" --name "Full Name" --password '<a long passphrase>'
        To try Wegwijs with made-up data instead, use an empty test database with `wegwijs serve --demo`
        (or `wegwijs seed demo`).
        """
}

/// Whether the database holds the demo (its municipality Rijnstad, CBS-like code GM9901, which no real municipality
/// has): read from the database at start-up, so every server on a demo database shows the banner.
final class DemoMode: Sendable {
    private let on = NIOLockedValueBox(false)
    var isOn: Bool {
        get { on.withLockedValue { $0 } }
        set { on.withLockedValue { $0 = newValue } }
    }

    static let municipalityCode = "GM9901"

    static func isDemoDatabase(_ db: any Database) async throws -> Bool {
        try await Municipality.query(on: db).filter(\.$code == municipalityCode).count() > 0
    }
}

extension Application {
    private struct DemoModeKey: StorageKey { typealias Value = DemoMode }

    var demoMode: DemoMode {
        if let mode = storage[DemoModeKey.self] { return mode }
        let mode = DemoMode()
        storage[DemoModeKey.self] = mode
        return mode
    }

    /// Looks in the database whether it holds the demo (at start-up and after `seed demo`).
    func refreshDemoMode() async throws {
        demoMode.isOn = try await DemoMode.isDemoDatabase(db)
    }
}

/// `#demoBanner()` on staff pages, `#demoBanner(text)` on the parents' place: a visible notice on every page of a
/// demo installation, nothing otherwise. The text is escaped here (the tag's output is not).
struct DemoBannerTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let request = ctx.request, request.application.demoMode.isOn else { return .string("") }
        let text = ctx.parameters.first?.string ?? request.t("demo.banner")
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        return .string(#"<div class="demo-banner" role="note"><p>\#(escaped)</p></div>"#)
    }
}
