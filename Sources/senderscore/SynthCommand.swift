import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Synth: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Write one synthetic quarter of a scenario as an enrollment export (CSV).",
            discussion: """
                One row per completed enrollment, with the CRM's column names (docs/export-format.md): \
                id, rep, sequence, segment, contact group, enrolled and ended dates, state \
                (FINISHED/UNENROLLED), unenrolled source (REPLY, MEETING, MANUAL, ERROR), step error \
                type (BOUNCED, UNSUBSCRIBED), reply, bounce and meeting counts, last step reached. \
                The outcomes are the first trial of the scenario for the seed, under the baseline or \
                --strategy. Rows stream to disk; the file appears only when complete. The counts \
                written are printed, so `senderscore score` of the file can be checked against them.

                Example:
                  senderscore synth Scenarios/baseline.yaml -o enrollments.csv --seed 3
                """
        )
        static let outputHelp: ArgumentHelp =
            "The CSV to write (default: standard output, with the summary on standard error)."
        static let seedHelp: ArgumentHelp = "Random seed (default: the scenario's, else 1)."

        @Argument(help: "The scenario file.")
        var scenario: String

        @OptionGroup var output: OutputOptions<Synth>

        @Option(help: "A strategy of the scenario (default: the baseline).")
        var strategy: String?

        @OptionGroup var seed: SeedOption<Synth>

        @Option(parsing: .unconditional, help: "The quarter's first day.")
        var start = "2026-01-01"

        @Option(parsing: .unconditional, help: "Days in the window.")
        var days = 90

        @Option(parsing: .unconditional, help: "Days between two emails of a sequence.")
        var daysBetweenEmails = 3

        @Option(parsing: .unconditional, help: "Share of replies that also book a meeting (unenrolled source MEETING).")
        var meetingShare = 0.2

        @Option(
            parsing: .unconditional,
            help: "Share of finishing enrollments unenrolled by hand before the end (MANUAL)."
        )
        var manualShare = 0.02

        func validate() throws {
            guard SyntheticExport.Options.dayRange.contains(days) else {
                throw ValidationError("--days must be from 1 to 36,600 (a century)")
            }
            guard SyntheticExport.Options.gapRange.contains(daysBetweenEmails) else {
                throw ValidationError("--days-between-emails must be from 0 to 365")
            }
            guard (0...1).contains(meetingShare), (0...1).contains(manualShare) else {
                throw ValidationError("--meeting-share and --manual-share must be from 0 to 1")
            }
        }

        func run() async throws {
            try await Failure.guarding {
                let scenario = try Scenario.load(path: self.scenario)
                for warning in scenario.warnings { Failure.warn(warning) }
                let destination = try output.open(reading: scenario.files)
                let path = destination.path
                let options = SyntheticExport.Options(
                    seed: seed.seed ?? scenario.seed ?? SimulationOptions.defaultSeed,
                    strategy: strategy,
                    start: try SyntheticExport.startDay(parsing: start),
                    days: days,
                    daysBetweenEmails: daysBetweenEmails,
                    meetingShare: meetingShare,
                    manualShare: manualShare
                )
                let summary = try SyntheticExport.write(scenario, options: options, to: CSVWriter(output: destination))
                // With the rows on standard output, the summary goes to standard error.
                let text = summary.text(file: path, strategy: strategy, seed: options.seed)
                if path == nil { Console.error(text) } else { Console.print(text) }
            }
        }
    }
}
