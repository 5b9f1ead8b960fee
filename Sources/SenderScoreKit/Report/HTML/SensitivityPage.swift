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
            "<p class=\"meta\">\(e(s.scenario)) · \(e(s.file)) · \(Format.count(s.trials)) trials · seed \(s.seed)</p>\n"
        page +=
            "<p>The metric: <strong>\(e(s.metric))</strong>, \(e(Sensitivity.value(s.base, s.baseStdErr))) with every input random.</p>\n</header>\n"
        if s.analyses.contains(.tornado) {
            page += HTMLReport.section(
                "tornado",
                "Tornado",
                intro: "Each bar spans the metric with one input held at its 10th and at its 90th percentile while "
                    + "everything else stays random, on common random numbers; the line is the metric with every input "
                    + "random. The longest bars are the assumptions to measure first.",
                chart() + table()
            )
        }
        if let indices = s.indices {
            page += HTMLReport.section(
                "indices",
                "Variance-based indices",
                intro: "Shares of the variance of the metric in one trial (Sobol' indices, "
                    + "\(Format.count(indices.evaluations)) evaluations). First-order (filled): what knowing the input "
                    + "alone would remove. Total-effect (outlined): its share of the expected outcome's variance with "
                    + "its interactions. Whiskers: 95% bootstrap intervals. The enrollment noise is the share no input "
                    + "explains.",
                indexChart(indices) + indexTable(indices)
            )
        }
        if let decision = s.decision {
            page += HTMLReport.section(
                "decision",
                "Which input would change the decision",
                intro: "The best of \(decision.choices.count) choices, doing nothing included, is <strong>"
                    + e(decision.best) + "</strong>. Per input: the probability that the best choice changes once the "
                    + "input is known, and the expected value of perfect information (EVPI), what the metric would "
                    + "gain on average if the input were measured before choosing. An input unrelated to every "
                    + "outcome would show EVPI \(Format.fixed(decision.noiseFloor, digits: 4)) and P(best changes) "
                    + "\(Format.fixed(decision.noiseFloorPChange, digits: 3)): the noise floor.",
                decisionTable(decision)
            )
        }
        for note in s.notes { page += "<p class=\"note\">\(e(note)).</p>\n" }
        page += "<footer>Made by senderscore. ± is one Monte Carlo standard error; a swing's is paired, since its two "
        page += "runs share their trials. See docs/sensitivity.md.</footer>\n</body>\n</html>\n"
        return page
    }

    /// Bars of every input's first-order and total-effect index, with their intervals.
    private func indexChart(_ indices: Sensitivity.Indices) -> String {
        let rows = indices.inputs + (indices.noise.map { [$0] } ?? [])
        let ends = rows.flatMap {
            [
                $0.index.first - $0.index.firstConf, $0.index.total + $0.index.totalConf,
                $0.index.total - $0.index.totalConf,
            ]
        }
        let low = min(0, ends.min() ?? 0)
        let high = max(0.05, ends.max() ?? 1)
        let frame = Frame(low: low, high: high, rowHeight: 34, rows: rows.count)
        let (label, plot, row, x) = (Frame.label, Frame.plot, frame.rowHeight, frame.x)
        var svg = frame.open(class: "indices", label: "Sobol indices")
        for (index, entry) in rows.enumerated() {
            let y = Double(index) * row + 4
            let isNoise = entry.input == Sensitivity.noiseFactor
            svg += "<g class=\"index\" data-input=\"\(HTMLReport.escape(entry.input))\">"
            svg +=
                "<text x=\"\(HTMLReport.f(label - 8))\" y=\"\(HTMLReport.f(y + 17))\" text-anchor=\"end\" class=\"tick\">\(HTMLReport.escape(entry.input))</text>"
            func bar(_ value: Double, _ conf: Double, top: Double, filled: Bool, name: String) {
                let (a, b) = (x(0), x(value))
                svg +=
                    "<rect class=\"\(filled ? "dot" : "strategy whisker")\" x=\"\(HTMLReport.f(min(a, b)))\" y=\"\(HTMLReport.f(top))\" width=\"\(HTMLReport.f(max(1, abs(b - a))))\" height=\"11\">"
                svg +=
                    "<title>\(name): \(Format.fixed(value, digits: 3)) [\(Format.fixed(value - conf, digits: 3)), \(Format.fixed(value + conf, digits: 3))]</title></rect>"
                svg +=
                    "<line class=\"whisker\" x1=\"\(HTMLReport.f(x(value - conf)))\" y1=\"\(HTMLReport.f(top + 5.5))\" x2=\"\(HTMLReport.f(x(value + conf)))\" y2=\"\(HTMLReport.f(top + 5.5))\"/>"
            }
            if !isNoise { bar(entry.index.first, entry.index.firstConf, top: y + 2, filled: true, name: "first-order") }
            bar(
                entry.index.total,
                entry.index.totalConf,
                top: y + 15,
                filled: false,
                name: isNoise ? "share" : "total-effect"
            )
            svg +=
                "<text x=\"\(HTMLReport.f(label + plot + 8))\" y=\"\(HTMLReport.f(y + 17))\" class=\"side\">\(isNoise ? "" : Format.fixed(entry.index.first, digits: 3) + " / ")\(Format.fixed(entry.index.total, digits: 3))</text></g>\n"
        }
        svg += frame.axis(at: 0)
        return svg
            + "</svg><figcaption>filled: first-order index; outlined: total effect; whiskers: 95% bootstrap intervals</figcaption></figure>\n"
    }

    private func indexTable(_ indices: Sensitivity.Indices) -> String {
        func interval(_ value: Double, _ conf: Double) -> String {
            "\(Format.fixed(value, digits: 3)) [\(Format.fixed(value - conf, digits: 3)), \(Format.fixed(value + conf, digits: 3))]"
        }
        var html =
            "<table><thead><tr><th>input</th><th>first-order [95%]</th><th>total-effect [95%]</th></tr></thead><tbody>\n"
        for entry in indices.inputs {
            html +=
                "<tr><th>\(HTMLReport.escape(entry.input))</th><td>\(interval(entry.index.first, entry.index.firstConf))</td>"
            html += "<td>\(interval(entry.index.total, entry.index.totalConf))</td></tr>\n"
        }
        if let noise = indices.noise {
            html += "<tr><th>\(HTMLReport.escape(noise.input))</th><td>–</td>"
            html += "<td>\(interval(noise.index.total, noise.index.totalConf))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func decisionTable(_ decision: Sensitivity.Decision) -> String {
        var html = "<table><thead><tr><th>choice</th><th>metric</th></tr></thead><tbody>\n"
        for choice in decision.choices {
            let name = HTMLReport.escape(choice.strategy) + (choice.strategy == decision.best ? " (best)" : "")
            html += "<tr><th>\(name)</th><td>\(Sensitivity.value(choice.mean, choice.stdErr))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        html +=
            "<table><thead><tr><th>input</th><th>P(best changes)</th><th>EVPI</th><th>best once known</th></tr></thead><tbody>\n"
        for entry in decision.entries {
            let best = entry.bestWhenKnown.map {
                "\(HTMLReport.escape($0.strategy)) \(Format.percent($0.share, digits: 0))"
            }
            html += "<tr data-input=\"\(HTMLReport.escape(entry.input))\"><th>\(HTMLReport.escape(entry.input))</th>"
            html += "<td>\(Sensitivity.value(entry.pChange, entry.pChangeStdErr))</td>"
            html += "<td>\(Format.fixed(entry.evpi, digits: 4)) ±\(Format.fixed(entry.evpiStdErr, digits: 4))</td>"
            html += "<td>\(best.joined(separator: ", "))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
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
        let frame = Frame(low: low, high: high, rowHeight: 24, rows: rows.count)
        let (label, plot, row, x) = (Frame.label, Frame.plot, frame.rowHeight, frame.x)
        var svg = frame.open(class: "tornado", label: "tornado")
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
        svg += frame.axis(at: base)
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
    /// The CSV header: the tornado's columns, the indices', then the decision's.
    public static let csvHeader =
        "input,distribution,p10,p90,at_p10,at_p10_std_err,at_p90,at_p90_std_err,swing,swing_std_err,"
        + "first_order,first_order_conf,total_effect,total_effect_conf,salib_total,salib_total_conf,"
        + "p_best_changes,p_best_changes_std_err,evpi,evpi_std_err"

    /// Tidy CSV: one row per input, in the order of the first analysis run, then the enrollment
    /// noise's row when the indices ran; a column an analysis did not fill is empty.
    public func csv() -> String {
        var names = entries.map(\.input)
        for name in (indices?.inputs.map(\.input) ?? []) + (decision?.entries.map(\.input) ?? [])
        where !names.contains(name) {
            names.append(name)
        }
        if indices?.noise != nil { names.append(Self.noiseFactor) }
        var lines = [Self.csvHeader]
        for name in names {
            let entry = entries.first { $0.input == name }
            let index =
                (indices?.inputs ?? []).first { $0.input == name }?.index
                ?? (name == Self.noiseFactor ? indices?.noise?.index : nil)
            let choice = decision?.entries.first { $0.input == name }
            let numbers: [Double?] =
                [entry?.low, entry?.high, entry?.atLow, entry?.atLowStdErr, entry?.atHigh, entry?.atHighStdErr]
                + [entry?.swing, entry?.swingStdErr, name == Self.noiseFactor ? nil : index?.first]
                + [name == Self.noiseFactor ? nil : index?.firstConf, index?.total, index?.totalConf]
                + [index?.salibTotal, index?.salibTotalConf, choice?.pChange, choice?.pChangeStdErr]
                + [choice?.evpi, choice?.evpiStdErr]
            let fields = [name, distributions[name] ?? ""] + numbers.map { $0.map { "\($0)" } ?? "" }
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

/// The frame of a horizontal bar chart: labels on the left, the plot, a side note on the right.
private struct Frame {
    static let label = 300.0
    static let plot = 420.0
    let low: Double
    let high: Double
    let rowHeight: Double
    let rows: Int

    var height: Double { Double(rows) * rowHeight + 30 }

    func x(_ value: Double) -> Double { Self.label + (value - low) / (high - low) * Self.plot }

    func open(class name: String, label: String) -> String {
        "<figure class=\"chart \(name)\"><svg viewBox=\"0 0 \(Int(Self.label + Self.plot + 130)) \(Int(height))\" "
            + "role=\"img\" aria-label=\"\(label)\">\n"
    }

    /// The reference line at `value` and the scale's two ends.
    func axis(at value: Double) -> String {
        "<line class=\"zero\" x1=\"\(HTMLReport.f(x(value)))\" y1=\"0\" x2=\"\(HTMLReport.f(x(value)))\" "
            + "y2=\"\(HTMLReport.f(height - 24))\"/>"
            + "<text x=\"\(HTMLReport.f(x(low)))\" y=\"\(HTMLReport.f(height - 6))\" class=\"tick\">"
            + "\(Format.fixed(low, digits: 2))</text>"
            + "<text x=\"\(HTMLReport.f(x(high)))\" y=\"\(HTMLReport.f(height - 6))\" text-anchor=\"end\" class=\"tick\">"
            + "\(Format.fixed(high, digits: 2))</text>\n"
    }
}
