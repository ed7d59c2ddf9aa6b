import Foundation
import Vapor
import WegwijsCore

/// `wegwijs plan groups INPUT.json [--output PLAN.json]`: the group-series planner on a file (docs/groups.md,
/// "The planner"). Needs no database: it reads the file, plans in WegwijsCore and writes the plan as JSON to the
/// file or to standard output; the summary goes to standard error so that standard output stays pure JSON.
/// Bad input exits non-zero with the record and field, and writes nothing.
struct PlanCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "groups")
        var what: String
        @Argument(name: "input", help: "the planner input (JSON)")
        var input: String
        @Option(name: "output", short: "o", help: "write the plan here instead of to standard output")
        var output: String?
    }

    var help: String { "Proposes group series from the waiting parents and the facilitators in a JSON file." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.what == "groups" else {
            throw CommandFailure(description: "Unknown plan '\(signature.what)': use `wegwijs plan groups INPUT.json`.")
        }
        let summary = try Self.execute(inputPath: signature.input, outputPath: signature.output) {
            FileHandle.standardOutput.write($0)
        }
        FileHandle.standardError.write(Data((summary + "\n").utf8))
    }

    /// The command without the console: plans, writes the plan to `outputPath` (atomically) or hands it to
    /// `standardOutput`, and returns the one-line summary. Nothing is written when it throws.
    static func execute(inputPath: String, outputPath: String?,
                        standardOutput: (Data) -> Void) throws(CommandFailure) -> String {
        let started = ContinuousClock.now
        let (data, plan, planning) = try Self.plan(inputPath: inputPath)
        let elapsed = ContinuousClock.now - started
        if let outputPath {
            do {
                try data.write(to: URL(fileURLWithPath: outputPath), options: .atomic)
            } catch {
                throw CommandFailure(description: "Cannot write \(outputPath).")
            }
        } else {
            standardOutput(data)
        }
        func seconds(_ d: Duration) -> String {
            String(format: "%.3f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        return "Planned \(plan.series.count) series, \(plan.placedCount) parents placed, "
            + "\(plan.unplaced.count) unplaced, in \(seconds(elapsed)) s (planning \(seconds(planning)) s)."
    }

    /// Reads, validates and plans; the plan's JSON and the plan. Every failure is a `CommandFailure` naming the
    /// file or the record and field.
    /// Also returns the time of the planning alone (no file, no JSON).
    static func plan(inputPath: String) throws(CommandFailure) -> (Data, GroupPlan, Duration) {
        guard let input = FileManager.default.contents(atPath: inputPath) else {
            throw CommandFailure(description: "Cannot read \(inputPath).")
        }
        do {
            let parsed = try GroupPlanInput.parse(json: input)
            let started = ContinuousClock.now
            let plan = try GroupPlanner.plan(parsed, alreadyValidated: true)
            let planning = ContinuousClock.now - started
            guard let data = try? plan.jsonData() else { throw CommandFailure(description: "Cannot encode the plan.") }
            return (data, plan, planning)
        } catch let error as GroupPlanInputError {
            throw CommandFailure(description: "\(inputPath): \(error.description)")
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(description: "\(inputPath): \(error)")
        }
    }
}
