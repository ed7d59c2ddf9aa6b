import Foundation

/// A horizontal bar chart drawn on the server as SVG (no JavaScript, no external files): `role="img"` with a
/// `<title>` and a `<desc>` that says what it shows, every bar labelled with its number, series told apart by
/// pattern as well as by shade (solid, hatched, dotted) and named in a legend, so nothing depends on colour; a hidden
/// figure is an outlined box with its word. The page shows the same figures as a table beside it (the table
/// alternative). Presentation attributes only (no `style`), so the page's Content-Security-Policy allows it, and it
/// prints in black and white.
struct ReportChart {
    struct Bar {
        let label: String
        /// One value per series; nil: hidden.
        let values: [Int?]
    }

    let id: String
    let title: String
    let description: String
    let series: [String]
    let bars: [Bar]
    /// The word for a hidden figure ("verborgen").
    let hiddenLabel: String
    /// The unit after a number ("dagen"), or empty.
    var unit: String = ""

    static let width = 720.0
    static let labelWidth = 230.0
    static let valueWidth = 120.0
    static let barHeight = 16.0
    static let gap = 10.0
    /// Solid, hatched, dotted: the series' fills (the patterns are this chart's own, so ids stay unique on a page).
    var fills: [String] { ["#1d3f66", "url(#\(id)-hatch)", "url(#\(id)-dots)"] }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    var svg: String {
        let maximum = max(1, bars.flatMap { $0.values.compactMap { $0 } }.max() ?? 1)
        let legendHeight = series.count > 1 ? 28.0 : 0
        let rowHeight = Double(series.count) * Self.barHeight + Self.gap
        let height = legendHeight + Double(bars.count) * rowHeight + Self.gap
        let area = Self.width - Self.labelWidth - Self.valueWidth
        let e = Self.escape
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" viewBox="0 0 \(Int(Self.width)) \(Int(height))" \
            width="100%" aria-labelledby="\(id)-title \(id)-desc" focusable="false">
            <title id="\(id)-title">\(e(title))</title>
            <desc id="\(id)-desc">\(e(description))</desc>
            <defs>
            <pattern id="\(id)-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1d3f66" stroke-width="3"/></pattern>
            <pattern id="\(id)-dots" patternUnits="userSpaceOnUse" width="5" height="5">
            <rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.4" fill="#1d3f66"/></pattern>
            </defs>

            """
        if series.count > 1 {
            var x = Self.labelWidth
            for (index, name) in series.enumerated() {
                out += """
                    <rect x="\(x)" y="6" width="14" height="14" fill="\(fills[index % 3])" stroke="#1d3f66"/>
                    <text x="\(x + 20)" y="18" font-size="13" fill="#1a1a1a">\(e(name))</text>

                    """
                x += 26 + Double(name.count) * 7.5
            }
        }
        for (row, bar) in bars.enumerated() {
            let top = legendHeight + Double(row) * rowHeight + Self.gap / 2
            out += """
                <text x="\(Self.labelWidth - 8)" y="\(top + Self.barHeight * Double(series.count) / 2 + 4)" font-size="13" \
                text-anchor="end" fill="#1a1a1a">\(e(Self.shorten(bar.label)))</text>

                """
            for (index, value) in bar.values.enumerated() {
                let y = top + Double(index) * Self.barHeight
                if let value {
                    let w = value == 0 ? 0 : max(2, area * Double(value) / Double(maximum))
                    out += """
                        <rect x="\(Self.labelWidth)" y="\(y + 1)" width="\(w)" height="\(Self.barHeight - 3)" fill="\(fills[index % 3])" stroke="#1d3f66" stroke-width="\(w == 0 ? 0 : 1)"/>
                        <text x="\(Self.labelWidth + w + 6)" y="\(y + Self.barHeight - 4)" font-size="12" fill="#1a1a1a">\(value)\(unit.isEmpty ? "" : " " + e(unit))</text>

                        """
                } else {
                    out += """
                        <rect x="\(Self.labelWidth)" y="\(y + 1)" width="70" height="\(Self.barHeight - 3)" fill="#ffffff" stroke="#595959" stroke-dasharray="3 2"/>
                        <text x="\(Self.labelWidth + 6)" y="\(y + Self.barHeight - 4)" font-size="11" fill="#1a1a1a">\(e(hiddenLabel))</text>

                        """
                }
            }
        }
        return out + "</svg>"
    }

    static func shorten(_ text: String) -> String { text.count > 32 ? String(text.prefix(31)) + "…" : text }
}
