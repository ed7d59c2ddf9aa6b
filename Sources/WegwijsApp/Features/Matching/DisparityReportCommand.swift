import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `wegwijs report match-disparity [--municipality GM9901]`: runs the matching engine over every active family with
/// open questions and prints, per origin group (parents' country of origin) and per language (languages the parents
/// speak or read), the share of families that get at least one match for each of their themes. A share of 0% is a
/// supply gap: the catalogue has nothing that reaches that group on that theme. Only counts leave the command; with
/// fewer than `minimumGroup` families a group is shown as "<5" so no single family can be recognised.
struct ReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "report", help: "match-disparity | referrals") var report: String
        @Option(name: "municipality", help: "CBS code (default: every municipality)") var municipality: String?
    }

    static let minimumGroup = 5

    var help: String {
        "Reports for the municipality: match-disparity (whom the catalogue reaches, per group and theme); referrals (per organisation: sent, open, past their timers, outcomes)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard ["match-disparity", "referrals"].contains(signature.report) else {
            throw CommandFailure(description: "Unknown report \(signature.report); available: match-disparity, referrals")
        }
        let app = context.application
        try await prepareDatabase(app)
        try await app.autoMigrate()
        if signature.report == "referrals" {
            for line in try await Self.referrals(app, municipality: signature.municipality) { print(line) }
            return
        }
        for line in try await Self.matchDisparity(app, municipality: signature.municipality) { print(line) }
    }

    /// Referrals per receiving organisation, with the municipality's timers; small numbers suppressed as "<5".
    static func referrals(_ app: Application, municipality code: String?) async throws -> [String] {
        var municipalities = try await Municipality.query(on: app.db).sort(\.$code).all()
        if let code {
            municipalities = municipalities.filter { $0.code == code }
            guard !municipalities.isEmpty else { throw CommandFailure(description: "Unknown municipality \(code).") }
        }
        let defaults = app.storage[AppConfigKey.self]?.referrals ?? ReferralSettings()
        var lines: [String] = []
        for municipality in municipalities {
            let settings = try await ReferralSettings.load(municipality.id!, defaults: defaults, on: app.db)
            lines += try await ReferralReport.make(municipalityID: municipality.id!, settings: settings,
                                                   today: app.clock.today, suppress: true, on: app.db).lines
        }
        return lines
    }

    /// The report's lines (printed by the command; read by the tests).
    static func matchDisparity(_ app: Application, municipality code: String?) async throws -> [String] {
        var lines: [String] = []
        let today = app.clock.today
        var municipalities = try await Municipality.query(on: app.db).sort(\.$code).all()
        if let code {
            municipalities = municipalities.filter { $0.code == code }
            guard !municipalities.isEmpty else { throw CommandFailure(description: "Unknown municipality \(code).") }
        }
        for municipality in municipalities {
            let engine = try await MatchingService.compile(municipality: municipality.code, today: today, on: app.db)
            let families = try await Family.query(on: app.db).filter(\.$municipality.$id == municipality.id!)
                .filter(\.$status == FamilyStatus.active).all()
            var tallies: [String: [String: (families: Int, reached: Int)]] = [:]
            var counted = 0
            for family in families {
                let id = family.id!
                let needs = try await Need.query(on: app.db).filter(\.$family.$id == id).filter(\.$status == NeedStatus.open).all()
                guard !needs.isEmpty else { continue }
                let members = try await Member.query(on: app.db).filter(\.$family.$id == id).all()
                try await FamilyCodes.load([family], members: members, on: app.db)
                let latest = try await Screening.query(on: app.db).filter(\.$family.$id == id).sort(\.$conductedOn, .descending).first()?.decodedAnswers
                let plan = try await FamilyPlanRecord.query(on: app.db).filter(\.$family.$id == id).first().map { PlanData.decode($0.data) }
                let profile = MatchingService.profile(family: family, members: members, needs: needs, latest: latest, plan: plan, today: today)
                let result = engine.match(profile, withExclusions: false)
                counted += 1
                let parents = members.filter { $0.role == .parent }
                let origins = Set(parents.map { $0.countryOfOrigin ?? "unknown" })
                let languages = Set(parents.flatMap { $0.languagesSpoken + $0.languagesRead })
                let groups = origins.map { "origin \($0)" } + languages.map { "language \($0)" }
                for theme in Set(profile.themes.map(\.code)) {
                    let reached = result.matches.contains { $0.themes.contains(theme) }
                    for group in groups {
                        var entry = tallies[group, default: [:]][theme] ?? (0, 0)
                        entry.families += 1
                        if reached { entry.reached += 1 }
                        tallies[group, default: [:]][theme] = entry
                    }
                }
            }
            lines.append("Match disparity — \(municipality.name) (\(municipality.code)), \(today.iso): \(counted) active families with open questions")
            lines.append("Per group and theme: families reached by at least one matching offer / families with that question.")
            var gaps: [String] = []
            for group in tallies.keys.sorted() {
                lines.append("  \(group)")
                for (theme, entry) in tallies[group]!.sorted(by: { $0.key < $1.key }) {
                    let share = entry.families == 0 ? 0 : Int((Double(entry.reached) / Double(entry.families) * 100).rounded())
                    // A small group's share would give its count away (100% of "<5" reached …): both hidden.
                    let small = SmallCountSuppression.isSmall(entry.families)
                    let families = small ? "<\(SmallCountSuppression.minimumCount)" : String(entry.families)
                    let shown = small ? "–" : "\(share)%"
                    lines.append("    \(theme.padding(toLength: 24, withPad: " ", startingAt: 0)) \(shown) of \(families)")
                    if entry.reached == 0 { gaps.append("\(group) · \(theme)") }
                }
            }
            lines.append(gaps.isEmpty ? "Supply gaps: none." : "Supply gaps (no family of the group reached on the theme): " + gaps.joined(separator: "; "))
            lines.append("")
        }
        return lines
    }
}
