import Foundation

/// The HTML page of `senderscore sensitivity`: the tornado chart and its table, in the style of
/// `run`'s report (self-contained, no scripts, well-formed XML).
public struct SensitivityPage {
    public let sensitivity: Sensitivity

    public init(_ sensitivity: Sensitivity) {
        self.sensitivity = sensitivity
    }

    public func render() -> String {
        let s = sensitivity
        func e(_ text: String) -> String { HTMLReport.escape(text) }
        var page = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        page += "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        page +=
            "<title>Sensitivity: \(e(s.scenario)) — senderscore</title>\n<style>\(HTMLReport.style)</style>\n</head>\n<body>\n"
        page += "<header>\n<h1>Which assumption the answer hangs on</h1>\n"
        page +=
            "<p class=\"meta\">\(e(s.scenario)) · \(e(s.file)) · \(Format.count(s.trials)) trials per run · seed \(s.seed)</p>\n"
        page +=
            "<p>The metric: <strong>\(e(s.metric))</strong>, \(e(Sensitivity.value(s.base, s.baseStdErr))) with every input random.</p>\n</header>\n"
        page += HTMLReport.section(
            "tornado",
            "Tornado",
            intro: "Each bar spans the metric with one input held at its 10th and at its 90th percentile while "
                + "everything else stays random, on common random numbers; the line is the metric with every input "
                + "random. The longest bars are the assumptions to measure first.",
            chart() + table()
        )
        page += "<footer>Made by senderscore. ± is one Monte Carlo standard error (for a swing, of its two runs taken "
        page += "apart: an upper bound).</footer>\n</body>\n</html>\n"
        return page
    }

    private func chart() -> String {
        let s = sensitivity
        let rows = s.entries.filter { $0.atLow != nil && $0.atHigh != nil }
        guard !rows.isEmpty, let base = s.base else {
            return "<p>No input is uncertain, or the metric is undefined.</p>\n"
        }
        let values = rows.flatMap { [$0.atLow!, $0.atHigh!] } + [base]
        var (low, high) = (values.min()!, values.max()!)
        if high - low < 1e-9 { (low, high) = (low - 1, high + 1) }
        let label = 300.0
        let plot = 420.0
        let row = 24.0
        func x(_ value: Double) -> Double { label + (value - low) / (high - low) * plot }
        let height = Double(rows.count) * row + 30
        var svg =
            "<figure class=\"chart tornado\"><svg viewBox=\"0 0 \(Int(label + plot + 130)) \(Int(height))\" role=\"img\" aria-label=\"tornado\">\n"
        for (index, entry) in rows.enumerated() {
            let y = Double(index) * row + 4
            let (a, b) = (x(entry.atLow!), x(entry.atHigh!))
            svg += "<g class=\"input\" data-input=\"\(HTMLReport.escape(entry.input))\">"
            svg +=
                "<text x=\"\(HTMLReport.f(label - 8))\" y=\"\(HTMLReport.f(y + 14))\" text-anchor=\"end\" class=\"tick\">\(HTMLReport.escape(entry.input))</text>"
            svg +=
                "<rect class=\"spread\" x=\"\(HTMLReport.f(min(a, b)))\" y=\"\(HTMLReport.f(y + 2))\" width=\"\(HTMLReport.f(max(1, abs(b - a))))\" height=\"16\">"
            svg +=
                "<title>at p10 (\(Format.number(entry.low))): \(Sensitivity.value(entry.atLow, entry.atLowStdErr)); at p90 (\(Format.number(entry.high))): \(Sensitivity.value(entry.atHigh, entry.atHighStdErr))</title></rect>"
            svg += "<circle class=\"dot\" cx=\"\(HTMLReport.f(a))\" cy=\"\(HTMLReport.f(y + 10))\" r=\"3\"/>"
            svg +=
                "<text x=\"\(HTMLReport.f(label + plot + 8))\" y=\"\(HTMLReport.f(y + 14))\" class=\"side\">swing \(Format.signed(entry.swing, digits: 3))</text></g>\n"
        }
        svg +=
            "<line class=\"zero\" x1=\"\(HTMLReport.f(x(base)))\" y1=\"0\" x2=\"\(HTMLReport.f(x(base)))\" y2=\"\(HTMLReport.f(height - 24))\"/>"
        svg +=
            "<text x=\"\(HTMLReport.f(x(low)))\" y=\"\(HTMLReport.f(height - 6))\" class=\"tick\">\(Format.fixed(low, digits: 2))</text>"
        svg +=
            "<text x=\"\(HTMLReport.f(x(high)))\" y=\"\(HTMLReport.f(height - 6))\" text-anchor=\"end\" class=\"tick\">\(Format.fixed(high, digits: 2))</text>\n"
        return svg + "</svg><figcaption>dot: the input at its 10th percentile; bar: to its 90th</figcaption></figure>\n"
    }

    private func table() -> String {
        var html =
            "<table><thead><tr><th>input</th><th>distribution</th><th>p10</th><th>p90</th><th>at p10</th><th>at p90</th><th>swing</th></tr></thead><tbody>\n"
        for entry in sensitivity.entries {
            html += "<tr><th>\(HTMLReport.escape(entry.input))</th><td>\(HTMLReport.escape(entry.distribution))</td>"
            html += "<td>\(Format.number(entry.low))</td><td>\(Format.number(entry.high))</td>"
            html +=
                "<td>\(Sensitivity.value(entry.atLow, entry.atLowStdErr))</td><td>\(Sensitivity.value(entry.atHigh, entry.atHighStdErr))</td>"
            html += "<td>\(entry.swing.map { Format.signed($0, digits: 3) } ?? "–")</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}

extension Sensitivity {
    /// The tornado as tidy CSV: one row per input.
    public func csv() -> String {
        var lines = ["input,distribution,p10,p90,at_p10,at_p10_std_err,at_p90,at_p90_std_err,swing,swing_std_err"]
        for entry in entries {
            let fields =
                [entry.input, entry.distribution, "\(entry.low)", "\(entry.high)"]
                + [entry.atLow, entry.atLowStdErr, entry.atHigh, entry.atHighStdErr, entry.swing, entry.swingStdErr]
                .map { $0.map { "\($0)" } ?? "" }
            lines.append(fields.map(CSVField.escaped).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The formats of `senderscore sensitivity`.
    public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
        case text, json, csv, html

        public func render(_ sensitivity: Sensitivity) throws -> String {
            switch self {
            case .text: return sensitivity.text()
            case .json: return try JSONOutput.encode(sensitivity)
            case .csv: return sensitivity.csv()
            case .html: return SensitivityPage(sensitivity).render()
            }
        }
    }
}
