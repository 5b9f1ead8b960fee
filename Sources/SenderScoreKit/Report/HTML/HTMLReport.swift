import Foundation

/// The HTML format of `senderscore run` and `senderscore report`: one self-contained page (no
/// network fetches, no scripts) with SVG charts, readable on a laptop screen and in print.
///
/// Sections: band probabilities per rep for each strategy (stacked bars), reply and bounce rate
/// distributions with the target zones shaded, paired strategy changes with their 95% intervals,
/// the numbers as tables, and the assumptions with the rule set labelled as a reconstruction.
/// The markup is well-formed XML, so tests can read it with an XML parser.
public struct HTMLReport {
    public let report: RunReport

    public init(_ report: RunReport) {
        self.report = report
    }

    /// The whole page, as one string.
    public func render() -> String { TextPieces.document(writePage(into:)) }

    /// Writes the page through `write`, in pieces of about 64 KB (`TextPieces`): the page of a
    /// 10,000-rep team is tens of MB, and it is never held whole, nor are its reps' reports.
    public func write(to write: (String) throws -> Void) throws {
        try TextPieces.write(to: write, writePage(into:))
    }

    private func writePage(into page: inout TextPieces) {
        page += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        page +=
            "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        page +=
            "<title>\(Self.escape(report.scenario)) — senderscore</title>\n<style>\(Self.style)</style>\n</head>\n<body>\n"
        page += header()
        bandSection(&page)
        rateSection(&page)
        if report.strategies.count > 1 { strategySection(&page) }
        if let timeline = report.timeline, let band = RuleSet.targetBand(among: report.bandOrder) {
            timelineSection(timeline, band: band, &page)
        }
        tableSection(&page)
        assumptionSection(&page)
        page +=
            "<footer>Made by senderscore from \(Self.escape(report.file)): \(Format.count(report.trials)) trials, seed \(report.seed), "
            + "generator \(Self.escape(report.generator)). Every probability is a Monte Carlo estimate; ± is one standard error.</footer>\n"
        page += "</body>\n</html>\n"
    }

    func header() -> String {
        var html = "<header>\n<h1>\(Self.escape(report.scenario))</h1>\n"
        html +=
            "<p class=\"meta\">\(Self.escape(report.file)) · \(Format.count(report.trials)) trials · seed \(report.seed) · "
            + "\(Self.strategiesWording(report.strategies.count - 1))</p>\n"
        html +=
            "<p class=\"caveat\"><strong>Rule set \(Self.escape(report.rules))</strong> (\(Self.escape(report.rulesOrigin)))"
            + (report.rulesNote.map { ": \(Self.escape($0))" } ?? "") + ".</p>\n"
        for irregularity in report.rulesIrregularities ?? [] {
            html += "<p class=\"caveat\">Analysed as written: \(Self.escape(irregularity))</p>\n"
        }
        if let precision = report.precisionWording {
            html += "<p class=\"meta\">\(Self.escape(precision.prefix(1).uppercased() + precision.dropFirst())).</p>\n"
        }
        if let timeline = report.timeline {
            let text = TimelineCells.lastWindow(timeline)
            html += "<p class=\"meta\">\(Self.escape(text.prefix(1).uppercased() + text.dropFirst())).</p>\n"
        }
        html +=
            "<nav><a href=\"#bands\">Bands</a> <a href=\"#rates\">Rates</a>"
            + (report.strategies.count > 1 ? " <a href=\"#strategies\">Strategies</a>" : "")
            + (report.timeline == nil ? "" : " <a href=\"#timeline\">Timeline</a>")
            + " <a href=\"#tables\">Tables</a> <a href=\"#assumptions\">Assumptions</a></nav>\n</header>\n"
        return html
    }

    /// "baseline only", "1 strategy against the baseline", "2 strategies against the baseline".
    static func strategiesWording(_ strategies: Int) -> String {
        switch strategies {
        case 0: return "baseline only"
        case 1: return "1 strategy against the baseline"
        default: return "\(strategies) strategies against the baseline"
        }
    }

    /// A section of the page: its anchor, its heading, a paragraph of introduction, then `body`.
    static func section(_ id: String, _ title: String, intro: String? = nil, _ body: String) -> String {
        sectionStart(id, title, intro: intro) + body + sectionEnd
    }

    /// A section's anchor, heading and paragraph of introduction, for a body written after it.
    static func sectionStart(_ id: String, _ title: String, intro: String? = nil) -> String {
        "<section id=\"\(id)\">\n<h2>\(title)</h2>\n" + (intro.map { "<p>\($0)</p>\n" } ?? "")
    }

    static let sectionEnd = "</section>\n"

    static func f(_ value: Double) -> String {
        Format.c("%.1f", value)
    }

    /// `text` as HTML text or attribute: printable (`Format.printable`, so that a saved result
    /// cannot reorder or forge what the page or a terminal shows), with markup characters escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in Format.printable(text) {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
