import ArgumentParser
import SenderScoreKit

/// The options of the subcommands that read enrollment exports.
struct ExportOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: "Only enrollments that ended on or after this date (2026-07-01 or 2026-07-01T00:00:00Z)."
    )
    var from: String?

    @Option(
        parsing: .unconditional,
        help: "Only enrollments that ended on or before this date (a date alone includes the whole day)."
    )
    var to: String?

    @Option(help: "Map fields to columns: rep=Owner,sequence=\"Sequence name\" (fields: \(Self.fields)).")
    var columns: String?

    @Flag(help: "Skip malformed rows and report how many and why, instead of stopping at the first.")
    var skipInvalid = false

    static let fields = ExportField.allCases.map(\.key).joined(separator: ", ")

    func options() throws(ScenarioError) -> ExportScore.Options {
        try ExportScore.Options(from: from, to: to, columns: columns, skipInvalid: skipInvalid)
    }
}
