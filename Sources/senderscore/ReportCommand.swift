import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Report: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Render a saved JSON result (from run --format json) as HTML, text, Markdown or CSV.",
            discussion: """
                Example:
                  senderscore run Scenarios/combined-plan.yaml --format json -o result.json
                  senderscore report result.json -o report.html

                A result of up to \(Format.bytes(Limits.resultBytes)) is read, its reps' and sequences' reports one at a time: 10,000 reps save about 80 MB, and 200 MB with one strategy.
                """
        )

        @Argument(help: "A result written by `senderscore run --format json`.")
        var result: String

        @Option(help: "Output format: html (default), text, markdown, csv or json.")
        var format: ReportFormat = .html

        @OptionGroup var output: OutputOptions<Report>

        func run() async throws {
            try await Failure.guarding {
                let destination = try output.open(reading: [result])
                try format.write(try RunReport.load(path: result)) { try destination.write($0) }
                try destination.commit()
            }
        }
    }
}
