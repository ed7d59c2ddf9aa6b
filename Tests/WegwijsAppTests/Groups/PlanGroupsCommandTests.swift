import Foundation
import Testing
@testable import WegwijsApp
import WegwijsCore

@Suite("wegwijs plan groups")
struct PlanGroupsCommandTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plan-groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static let input = #"""
    {"rules": {"minSize": 2, "maxSize": 15},
     "parents": [{"id": "p1", "languages": ["ti"], "audience": "mothers", "mixedOk": false,
                  "times": ["daytime", "evening"], "online": false, "districts": ["D03", "D04"]},
                 {"id": "p2", "languages": ["ti"], "audience": "mothers", "times": ["evening"], "districts": ["D03"]},
                 {"id": "p9", "languages": ["so"], "audience": "fathers", "times": ["evening"], "districts": ["D03"]}],
     "facilitators": [{"id": "f1", "role": "trainer", "languages": ["nl"], "times": ["evening"], "maxSeries": 2},
                      {"id": "f2", "role": "keyPerson", "languages": ["ti", "am"], "times": ["evening"], "maxSeries": 1}]}
    """#

    @Test("a plan is written to --output, in the contract's shape")
    func writesPlan() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputPath = dir.appendingPathComponent("in.json").path
        let outputPath = dir.appendingPathComponent("plan.json").path
        try Data(Self.input.utf8).write(to: URL(fileURLWithPath: inputPath))
        var printed = Data()
        let summary = try PlanCommand.execute(inputPath: inputPath, outputPath: outputPath) { printed.append($0) }
        #expect(printed.isEmpty)
        #expect(summary.hasPrefix("Planned 1 series, 2 parents placed, 1 unplaced"))
        let plan = try JSONDecoder().decode(GroupPlan.self, from: Data(contentsOf: URL(fileURLWithPath: outputPath)))
        #expect(plan.series == [PlannedSeries(language: "ti", audience: .mothers, time: .evening, place: "D03",
                                              trainer: "f1", keyPerson: "f2", parents: ["p1", "p2"])])
        #expect(plan.unplaced.map(\.reason) == [.noKeyPersonForLanguage])
        #expect(plan.unplaced.first?.explanation == "1 Somali father: no key person speaks Somali")
    }

    @Test("without --output the plan goes to standard output, the same bytes every time")
    func standardOutput() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputPath = dir.appendingPathComponent("in.json").path
        try Data(Self.input.utf8).write(to: URL(fileURLWithPath: inputPath))
        var first = Data(), second = Data()
        _ = try PlanCommand.execute(inputPath: inputPath, outputPath: nil) { first.append($0) }
        _ = try PlanCommand.execute(inputPath: inputPath, outputPath: nil) { second.append($0) }
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test("bad input fails naming the record and field, and writes no file")
    func badInput() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputPath = dir.appendingPathComponent("in.json").path
        let outputPath = dir.appendingPathComponent("plan.json").path
        let bad = Self.input.replacingOccurrences(of: #", "maxSeries": 1}"#, with: "}")
        try Data(bad.utf8).write(to: URL(fileURLWithPath: inputPath))
        #expect {
            _ = try PlanCommand.execute(inputPath: inputPath, outputPath: outputPath) { _ in }
        } throws: { error in
            (error as? CommandFailure)?.description == "\(inputPath): facilitators[f2].maxSeries: is missing"
        }
        #expect(!FileManager.default.fileExists(atPath: outputPath))
        #expect(throws: CommandFailure.self) {
            _ = try PlanCommand.execute(inputPath: dir.appendingPathComponent("missing.json").path, outputPath: outputPath) { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: outputPath))
    }
}
