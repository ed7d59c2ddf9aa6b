import Foundation
import Vapor
import WegwijsCore

/// `GET /api/v1/reports/<name>`: one table of a report in the one shape (docs/reports.md), as JSON or, with
/// `?format=csv` or `Accept: text/csv`, as CSV. Query: `from`, `to` (ISO dates; default the current calendar year),
/// `scope=region` (or `region=true`), `by` (the table, its dimensions joined by commas; default the first).
/// The controller reads the query and writes the answer; `ReportService` decides, reads and audits.
struct ReportAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reports = routes.grouped("reports")
        for report in ReportName.allCases {
            reports.get(PathComponent(stringLiteral: report.rawValue)) { request in try await Self.answer(report, request) }
        }
    }

    enum Format: String, CaseIterable { case json, csv }

    static func format(_ request: Request) throws -> Format {
        if let text = request.query[String.self, at: "format"], !text.isEmpty {
            guard let format = Format(rawValue: text) else {
                throw AppError.invalid([FieldError("format", "unknown-code")], catalog: request.application.locales)
            }
            return format
        }
        let accept = request.headers.first(name: .accept)?.lowercased() ?? ""
        return accept.contains("text/csv") && !accept.contains("application/json") ? .csv : .json
    }

    static func answer(_ report: ReportName, _ request: Request) async throws -> Response {
        let format = try Self.format(request)
        let query = try ReportService.query(request, report: report)
        let service = try ReportService(request: request)
        let (_, tables) = try await service.tables(report, query, format: format.rawValue)
        return try Self.response(ReportService.table(tables, named: query.table), format: format)
    }

    static func response(_ table: ReportTable, format: Format) throws -> Response {
        let response: Response
        switch format {
        case .json:
            response = Response(status: .ok, body: .init(string: table.json))
            response.headers.contentType = .json
        case .csv:
            response = Response(status: .ok, body: .init(string: table.csv))
            response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            let name = ([table.report, table.municipality] + table.dimensions + [table.period.from.iso, table.period.to.iso])
                .joined(separator: "_").filter { $0.isLetter || $0.isNumber || "-_,".contains($0) }
                .replacingOccurrences(of: ",", with: "-")
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
        }
        return response
    }
}
