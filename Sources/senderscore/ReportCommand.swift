import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Report: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Render a saved JSON result (from run --format json) as HTML, text, Markdown or CSV.",
            discussion: """
                Example:
                  senderscore run Scenarios/combined-plan.yaml --format json -o result.json
                  senderscore report result.json -o report.html
                """
        )

        @Argument(help: "A result written by `senderscore run --format json`.")
        var result: String

        @Option(help: "Output format: html (default), text, markdown, csv or json.")
        var format: ReportFormat = .html

        @OptionGroup var output: OutputOptions<Report>

        func run() async throws {
            try await Failure.guarding {
                let destination = output.destination
                try destination.check()
                guard let data = FileManager.default.contents(atPath: result) else {
                    throw ScenarioError(
                        file: result,
                        message: "cannot read the file: no such file or not readable",
                        code: .unreadable
                    )
                }
                let report: RunReport
                do {
                    report = try RunReport(json: data)
                } catch {
                    throw ScenarioError(
                        file: result,
                        message: "not a result of `senderscore run --format json` (\(Self.describe(error)))"
                    )
                }
                try destination.write(try format.render(report))
            }
        }

        static func describe(_ error: any Error) -> String {
            switch error as? DecodingError {
            case .keyNotFound(let key, let context)?:
                return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
            case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return (path.isEmpty ? "" : "at '\(path)': ") + context.debugDescription
            default:
                return "\(error)"
            }
        }
    }
}
