import Foundation

/// The one shape of every report (issue 15), as JSON:
/// `{"report", "municipality", "period": {"from", "to"}, "dimensions", "measures", "cells": [...], "margins": [...]}`.
/// Each cell names its dimension values and measures by name; a suppressed figure is `null` (the key is always
/// there). A margin names only the first dimension; the total over all names none.
extension ReportTable: Encodable {
    private struct Name: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct RowJSON: Encodable {
        let table: ReportTable
        let row: Row

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Name.self)
            for (dimension, value) in zip(table.dimensions, row.keys) { try container.encode(value, forKey: Name(dimension)) }
            for (measure, value) in zip(table.measures, row.values) {
                if let value { try container.encode(value, forKey: Name(measure)) } else { try container.encodeNil(forKey: Name(measure)) }
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        try container.encode(report, forKey: Name("report"))
        try container.encode(municipality, forKey: Name("municipality"))
        try container.encode(["from": period.from.iso, "to": period.to.iso], forKey: Name("period"))
        try container.encode(dimensions, forKey: Name("dimensions"))
        try container.encode(measures, forKey: Name("measures"))
        try container.encode(cells.map { RowJSON(table: self, row: $0) }, forKey: Name("cells"))
        try container.encode(margins.map { RowJSON(table: self, row: $0) }, forKey: Name("margins"))
    }

    /// The table as JSON text with its members in the contract's order (`report`, `municipality`, `period`,
    /// `dimensions`, `measures`, `cells`, `margins`; in a cell its dimensions, then its measures), so that the text
    /// reads as the example does.
    public var json: String {
        func string(_ text: String) -> String { JSONText.quoted(text) }
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
        func row(_ row: Row) -> String {
            let keys = zip(dimensions, row.keys).map { "\(string($0)):\(string($1))" }
            let values = zip(measures, row.values).map { "\(string($0)):\($1.map(String.init) ?? "null")" }
            return "{" + (keys + values).joined(separator: ",") + "}"
        }
        return "{" + [
            "\"report\":" + string(report),
            "\"municipality\":" + string(municipality),
            "\"period\":{\"from\":\"\(period.from.iso)\",\"to\":\"\(period.to.iso)\"}",
            "\"dimensions\":" + list(dimensions.map(string)),
            "\"measures\":" + list(measures.map(string)),
            "\"cells\":" + list(cells.map(row)),
            "\"margins\":" + list(margins.map(row)),
        ].joined(separator: ",") + "}"
    }

    /// The table as CSV (RFC 4180, CRLF line ends): a header of the dimensions and measures, one line per cell, then
    /// one per margin with the dimensions it does not name left empty (the total: all empty). A suppressed figure is
    /// an empty field. A text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`) gets a leading `'`.
    public var csv: String {
        func field(_ text: String) -> String {
            var text = text
            if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func line(_ row: Row) -> String {
            let keys = dimensions.indices.map { $0 < row.keys.count ? field(row.keys[$0]) : "" }
            return (keys + row.values.map { $0.map(String.init) ?? "" }).joined(separator: ",")
        }
        let lines = [(dimensions + measures).map(field).joined(separator: ",")] + cells.map(line) + margins.map(line)
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

