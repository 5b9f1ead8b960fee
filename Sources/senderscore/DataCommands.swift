import ArgumentParser
import Foundation
import SenderScoreKit

/// Options shared by the commands that read enrollment exports.
struct ExportOptions: ParsableArguments {
    @Option(help: "Only enrollments that ended on or after this date (2026-07-01 or 2026-07-01T00:00:00Z).")
    var from: String?

    @Option(help: "Only enrollments that ended on or before this date (a date alone includes the whole day).")
    var to: String?

    @Option(
        help:
            "Map fields to columns: rep=Owner,sequence=\"Sequence name\" (fields: \(ExportField.allCases.map(\.key).joined(separator: ", ")))."
    )
    var columns: String?

    @Flag(help: "Skip malformed rows and report how many and why, instead of stopping at the first.")
    var skipInvalid = false

    func options() throws(ScenarioError) -> ExportScore.Options {
        func date(_ text: String?, option: String, endOfDay: Bool) throws(ScenarioError) -> Timestamp? {
            guard let text else { return nil }
            guard var value = Timestamp(parsing: text) else {
                throw ScenarioError(
                    file: option,
                    message: "expected a date such as 2026-07-01 or 2026-07-01T00:00:00Z, found '\(text)'"
                )
            }
            if endOfDay, text.count == 10 { value.seconds += 86_399 }
            return value
        }
        var mapping: [String: String] = [:]
        for pair in (columns ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ScenarioError(
                    file: "--columns",
                    message: "expected FIELD=COLUMN pairs separated by commas, found '\(pair)'"
                )
            }
            mapping[parts[0]] = parts[1]
        }
        let options = ExportScore.Options(
            from: try date(from, option: "--from", endOfDay: false),
            to: try date(to, option: "--to", endOfDay: true),
            skipInvalid: skipInvalid,
            columns: mapping
        )
        if let from = options.from, let to = options.to, to < from {
            throw ScenarioError(file: "--to", message: "\(to) is before --from \(from)")
        }
        return options
    }
}

extension SenderScore {
    struct Synth: AsyncParsableCommand {
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

        @Argument(help: "The scenario file.")
        var scenario: String

        @Option(
            name: [.short, .long],
            help: "The CSV to write (default: standard output, with the summary on standard error)."
        )
        var output: String?

        @Option(help: "A strategy of the scenario (default: the baseline).")
        var strategy: String?

        @Option(help: "Random seed (default: the scenario's, else 1).")
        var seed: UInt64?

        @Option(help: "The quarter's first day.")
        var start = "2026-01-01"

        @Option(help: "Days in the window.")
        var days = 90

        @Option(help: "Days between two emails of a sequence.")
        var daysBetweenEmails = 3

        @Option(help: "Share of replies that also book a meeting (unenrolled source MEETING).")
        var meetingShare = 0.2

        @Option(help: "Share of finishing enrollments unenrolled by hand before the end (MANUAL).")
        var manualShare = 0.02

        func validate() throws {
            guard (1...36_600).contains(days) else {
                throw ValidationError("--days must be from 1 to 36,600 (a century)")
            }
            guard (0...365).contains(daysBetweenEmails) else {
                throw ValidationError("--days-between-emails must be from 0 to 365")
            }
            guard (0...1).contains(meetingShare), (0...1).contains(manualShare) else {
                throw ValidationError("--meeting-share and --manual-share must be from 0 to 1")
            }
        }

        func run() async throws {
            try await Failure.guarding {
                try Output(path: output).check()
                let scenario = try Scenario.load(path: self.scenario)
                guard let start = Timestamp(parsing: start),
                    start >= Timestamp(year: 1970, month: 1, day: 1), start <= Timestamp(year: 9800, month: 1, day: 1)
                else {
                    throw ScenarioError(
                        file: "--start",
                        message: "expected a date from 1970 to 9800 such as 2026-01-01, found '\(self.start)'"
                    )
                }
                let options = SyntheticExport.Options(
                    seed: seed ?? scenario.seed ?? SimulationOptions.defaultSeed,
                    strategy: strategy,
                    start: start,
                    days: days,
                    daysBetweenEmails: daysBetweenEmails,
                    meetingShare: meetingShare,
                    manualShare: manualShare
                )
                let summary = try SyntheticExport.write(scenario, options: options, to: CSVWriter(path: output))
                var lines = [
                    "\(Format.count(summary.rows)) completed enrollments written\(output.map { " to \($0)" } ?? "")"
                        + " (\(strategy ?? "baseline"), seed \(options.seed))",
                    "rep / sequence        completed  bounced  replied  unsubscribed",
                ]
                for rep in summary.reps.keys.sorted() {
                    lines.append(Self.row(rep, summary.reps[rep]!))
                    for key in summary.sequences.keys.sorted() where key.hasPrefix(rep + "/") {
                        lines.append(Self.row("  " + key.dropFirst(rep.count + 1), summary.sequences[key]!))
                    }
                }
                let text = lines.joined(separator: "\n") + "\n"
                FileHandle(fileDescriptor: output == nil ? 2 : 1).write(Data(text.utf8))
            }
        }

        static func row(_ label: some StringProtocol, _ counts: Counts) -> String {
            String(label).padding(toLength: 22, withPad: " ", startingAt: 0)
                + [counts.completed, counts.bounced, counts.replied, counts.unsubscribed]
                .map { Format.count($0).padding(toLength: 9, withPad: " ", startingAt: 0) + " " }.joined()
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute the actual sender score per rep and per sequence from an enrollment export.",
            discussion: """
                Reads a CSV export of sequence enrollments (one row per enrollment) and reports, per rep, \
                per sequence of a rep and for the team: completed, delivered, replied and bounced \
                enrollments, the rates, the points, the band and eligibility. Enrollments still \
                EXECUTING or PAUSED are left out and counted.

                Columns are found under the CRM's names (hs_enrolled_by, hs_enrollment_state, \
                hs_email_reply_count, hs_step_error_type, …) or common labels, in any case and \
                spacing; the mapping in use is printed, and --columns overrides it. See \
                docs/export-format.md.

                Examples:
                  senderscore score enrollments.csv
                  senderscore score export.csv --from 2026-07-01 --to 2026-09-30 --columns rep=Owner
                """
        )

        @Argument(help: "The enrollment export (CSV).")
        var file: String

        @Option(help: "Rule set: a built-in name or a rules file.")
        var rules = "hubspot"

        @OptionGroup var export: ExportOptions

        @Option(help: "Output format: text for people, json for programs.")
        var format: TextOrJSON = .text

        @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
        var output: String?

        func run() async throws {
            try await Failure.guarding {
                let destination = Output(path: output)
                try destination.check()
                let ruleSet = try RuleSet.load(rules, citedAt: ScenarioError(file: "--rules", message: ""))
                let score = try ExportScore.score(file, rules: ruleSet, options: try export.options())
                try destination.write(try format.render(score))
            }
        }
    }

    struct Fit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a runnable scenario to an enrollment export.",
            discussion: """
                Groups the completed enrollments by rep, sequence or segment, and writes a scenario \
                with one segment per group whose bounce, reply and unsubscribe rates are Beta \
                posteriors from the group's counts (prior Beta(0.5, 0.5) by default), and the \
                observed volumes, commented with what each number was fitted from. With a \
                last-step column (hs_last_executed_step_order) each sequence gets its emails and \
                the share of replies and unsubscribes at each; with a contact_group column each \
                segment gets its contact groups, so cleaning and follow-up strategies apply. The \
                fitted scenario runs as is and is the natural baseline for strategies.

                Example:
                  senderscore fit enrollments.csv -o Scenarios/fitted.yaml --by rep
                  senderscore run Scenarios/fitted.yaml
                """
        )

        @Argument(help: "The enrollment export (CSV).")
        var file: String

        @Option(name: [.short, .long], help: "The scenario to write (default: standard output).")
        var output: String?

        @Option(help: "Group by rep, sequence or segment (segment needs a segment column).")
        var by: ScenarioFit.Grouping = .rep

        @Option(help: "The prior Beta(a, a) of every rate: 0.5 is Jeffreys' prior, 1 the uniform one.")
        var prior = 0.5

        @Option(help: "Rule set written into the scenario: a built-in name or a rules file.")
        var rules = "hubspot"

        @OptionGroup var export: ExportOptions

        func validate() throws {
            guard prior > 0, prior <= 100 else { throw ValidationError("--prior must be above 0 and at most 100") }
        }

        func run() async throws {
            try await Failure.guarding {
                let destination = Output(path: output)
                try destination.check()
                let ruleSet = try RuleSet.load(rules, citedAt: ScenarioError(file: "--rules", message: ""))
                let fit = try ScenarioFit.fit(file, by: by, prior: prior, rules: ruleSet, options: try export.options())
                try destination.write(fit.yaml(rulesReference: rules))
            }
        }
    }
}

extension ScenarioFit.Grouping: ExpressibleByArgument {}
