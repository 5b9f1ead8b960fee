/// The formats of a run's report (`senderscore run` and `senderscore report`).
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Tables a person reads in ten seconds.
    case text
    /// Everything, for programs and notebooks (docs/output.md).
    case json
    /// Tidy: one row per strategy, level, name and band.
    case csv
    /// Tables for wikis and pull requests.
    case markdown
    /// One self-contained page with charts.
    case html

    /// What the format is for, as `--help` says it: "tables for wikis".
    public var purpose: String {
        switch self {
        case .text: return "a table"
        case .json: return "for programs and notebooks"
        case .csv: return "tidy: one row per strategy, level, name and band"
        case .markdown: return "tables for wikis"
        case .html: return "a self-contained report with charts"
        }
    }

    /// Every format with its purpose: "text (a table), json (…), … or html (…)".
    public static var described: String {
        let items = allCases.map { "\($0.rawValue) (\($0.purpose))" }
        return items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }

    public func render(_ report: RunReport) throws -> String {
        var text = ""
        try write(report) { text += $0 }
        return text
    }

    /// Writes `report` in this format through `write`, in pieces: JSON and CSV level by level
    /// (`RunReport.writeJSON`, `CSVReport.write`), text, Markdown and HTML in pieces of about
    /// 64 KB (`TextReport.write`, `MarkdownReport.write`, `HTMLReport.write`). No format holds
    /// every level's report at once (`LevelReports`).
    public func write(_ report: RunReport, to write: (String) throws -> Void) throws {
        switch self {
        case .text: try TextReport(report).write(to: write)
        case .json: try report.writeJSON(to: write)
        case .csv: try CSVReport(report).write(to: write)
        case .markdown: try MarkdownReport(report).write(to: write)
        case .html: try HTMLReport(report).write(to: write)
        }
    }
}

/// A result with a text format for people and a JSON format for programs: what `score` and
/// `validate` write.
public protocol TextAndJSONReport: Encodable {
    /// The text format.
    func text() -> String
}

/// The formats of `senderscore score` and `senderscore validate`.
public enum TextOrJSON: String, Sendable, Hashable, CaseIterable {
    case text, json

    public func render(_ result: some TextAndJSONReport) throws -> String {
        switch self {
        case .text: return result.text()
        case .json: return try JSONOutput.encode(result)
        }
    }
}

extension ExportScore: TextAndJSONReport {}
extension ValidationReport: TextAndJSONReport {}
