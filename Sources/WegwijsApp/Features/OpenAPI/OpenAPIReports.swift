import Foundation
import OpenAPIKit
import WegwijsCore

/// The municipality's reports in `/openapi.json` (docs/reports.md): one operation per report, all answering the one
/// shape (`Report`), as JSON or CSV.
extension OpenAPIDocument {
    static var reportOperations: [Operation] {
        ReportName.allCases.map { report in
            Operation(method: .get, path: "/api/v1/reports/\(report.rawValue)",
                      summary: "\(reportSummary(report)) Small counts are null (suppressed), and so is whatever would give one away. Tables (by): \(report.tableNames.joined(separator: " | ")).",
                      response: "Report", query: reportQuery(report), csv: true)
        }
    }

    /// One sentence per report (a switch, so a new report cannot go undescribed).
    static func reportSummary(_ report: ReportName) -> String {
        switch report {
        case .reach: return "Families known in the period: by origin × language (with the parenting screening at intake), by situation, by phase."
        case .timings: return "Families settled in the period, per origin: days from settlement to the welcome package, the first JGZ contact and the first support that started (median, 90th percentile)."
        case .referrals: return "Referrals sent in the period, per receiving organisation: first answers, connection proven, accompanied, outcomes, median days to answer."
        case .groups: return "Group series in the period per language × audience: series, parents placed, invited, dropped out, attendances, waiting now; settled parents invited or placed (R26)."
        case .offerReach: return "Per offer: the families referred to it or in its group series in the period, and those it reached."
        case .satisfaction: return "Parents' anonymous evaluations (per question and face) and the facilitators' own ratings (R47)."
        case .keyPersons: return "The key persons' work per month (contacts, families contacted, accompanied first visits, group sessions) and their load now (R42)."
        case .provisions: return "Provisions for their children (JGZ, school, parents' room, preschool, library, GP, ...) that the families screened in the period know and use, at the intake and later (R48)."
        case .demandSupply: return "Open questions per language × theme against today's catalogue (offers, free places, bridging offers); offers per language × theme × form × audience."
        case .equity: return "Questions raised in the period and the share the catalogue can answer, per origin × theme, language × theme, quarter × origin."
        }
    }

    static func reportQuery(_ report: ReportName) -> [OpenAPI.Parameter] {
        func parameter(_ name: String, _ schema: JSONSchema, _ description: String) -> OpenAPI.Parameter {
            OpenAPI.Parameter(name: name, context: .query(schema: schema), description: description)
        }
        return [
            parameter("from", .string(format: .date), "First day of the period (default: 1 January of this year)"),
            parameter("to", .string(format: .date), "Last day of the period (default: 31 December of this year)"),
            parameter("scope", .string(allowedValues: ["municipality", "region"]),
                      "municipality (default) or region: the municipalities of your region together (policy officer, admin)"),
            parameter("region", .string(allowedValues: ["true", "false", "1", "0"]), "true: the same as scope=region"),
            parameter("by", .string(allowedValues: report.tableNames.map { AnyCodable($0) }),
                      "The table: its dimensions joined by commas (default: the first)"),
            parameter("format", .string(allowedValues: ["json", "csv"]), "json (default) or csv (also: Accept: text/csv)"),
        ]
    }
}

extension Schemas {
    /// `{"report", "municipality", "period", "dimensions", "measures", "cells", "margins"}`; a cell or margin holds its
    /// dimension values (text) and measures (an integer, or null when suppressed); a margin names only the first
    /// dimension, the total none.
    static var reportTable: S {
        let dimensions = Set(ReportName.allCases.flatMap { $0.specs.flatMap(\.dimensions) }).sorted()
        let measures = Set(ReportName.allCases.flatMap { $0.specs.flatMap { $0.measures.map(\.name) } }).sorted()
        let row = S.object(additionalProperties: .b(.one(of: [S.string, S.integer(nullable: true, minimum: (0, exclusive: false))])))
        return closed([
            "report": .string(allowedValues: ReportName.allCases.map { AnyCodable($0.rawValue) }),
            "municipality": S.string(description: "The municipality's code, or the region's for scope=region"),
            "period": closed(["from": date, "to": date]),
            "dimensions": .array(items: .string(allowedValues: dimensions.map { AnyCodable($0) })),
            "measures": .array(items: .string(allowedValues: measures.map { AnyCodable($0) })),
            "cells": .array(items: row),
            "margins": .array(items: row),
        ])
    }
}
