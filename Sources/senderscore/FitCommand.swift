import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Fit: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Fit a runnable scenario to an enrollment export.",
            discussion: """
                Groups the completed enrollments by rep, sequence or segment, or by several at once \
                (--by rep,sequence: one segment per rep and sequence), and writes a scenario with \
                one segment per group whose bounce, reply and unsubscribe rates are Beta \
                posteriors from the group's counts, and the observed volumes (or --volume), \
                commented with what each number was fitted from.

                By default the groups are partially pooled (--pooling partial, a hierarchical \
                Beta-binomial; docs/export-format.md): each rate's prior comes from the other \
                groups, so a group of a few enrollments borrows strength from its rep, its sequence \
                and the team instead of resting on a flat prior, and a large group keeps its own \
                rate. --pooling none fits every group on its own with the flat prior Beta(a, a) of \
                --prior.

                With a last-step column (hs_last_executed_step_order) each sequence gets its emails \
                and the share of replies and unsubscribes at each; with a contact_group column each \
                segment gets calibrated contact groups (rates: overall), so cleaning and follow-up \
                strategies apply. The fitted scenario runs as is, reproduces the export's rates, \
                and is the natural baseline for strategies; `run` warns if an edit stops it \
                matching the export.

                Examples:
                  senderscore fit enrollments.csv -o Scenarios/fitted.yaml --by rep
                  senderscore fit enrollments.csv -o fitted.yaml --by rep,sequence --volume 300
                  senderscore fit enrollments.csv -o plan.yaml --timeline week   # history for a timeline
                  senderscore run Scenarios/fitted.yaml
                """
        )
        static let outputHelp: ArgumentHelp = "The scenario to write (default: standard output)."
        static let rulesHelp: ArgumentHelp = "Rule set written into the scenario: a built-in name or a rules file."

        @Argument(help: "The enrollment export (CSV).")
        var file: String

        @OptionGroup var output: OutputOptions<Fit>

        @Option(
            help: ArgumentHelp(
                "Group by rep, sequence or segment, or several joined by commas: rep,sequence (segment needs a segment column).",
                valueName: "columns"
            )
        )
        var by = "rep"

        @Option(
            help:
                "partial: each rate's prior comes from the other groups (hierarchical Beta-binomial); none: every group on its own."
        )
        var pooling: ScenarioFit.Pooling = .partial

        @Option(
            parsing: .unconditional,
            help: "The flat prior Beta(a, a) of a rate that is not pooled: 0.5 is Jeffreys' prior, 1 the uniform one."
        )
        var prior = 0.5

        @Option(
            help: ArgumentHelp(
                "Next period's completed enrollments: a number per rep (300, split over its lines as observed) or a scale of the observed ones (120%). Default: as observed.",
                valueName: "volume"
            )
        )
        var volume: String?

        @Option(
            help: ArgumentHelp(
                "Write a timeline of weeks or months that starts after the export: its enrollments become each line's history in the score window (inWindow), and each line goes on at its observed pace (perPeriod).",
                valueName: "week|month"
            )
        )
        var timeline: PeriodLength?

        @OptionGroup var rules: RuleSetOption<Fit>

        @OptionGroup var export: ExportOptions

        func validate() throws {
            guard prior > 0, prior <= 100 else { throw ValidationError("--prior must be above 0 and at most 100") }
            _ = try grouping()
            _ = try plannedVolume()
        }

        func grouping() throws -> [ScenarioFit.Grouping] { try Self.grouping(by) }

        /// `--by`'s columns, or a message that says what it takes (init's `--by` too).
        static func grouping(_ by: String) throws -> [ScenarioFit.Grouping] {
            guard let columns = ScenarioFit.Grouping.list(by) else {
                throw ValidationError(
                    "--by \(Format.quoted(by)): expected rep, sequence or segment, or several of them once each "
                        + "joined by commas (rep,sequence)"
                )
            }
            return columns
        }

        func plannedVolume() throws -> ScenarioFit.Volume? {
            guard let volume else { return nil }
            let text = volume.trimmingCharacters(in: .whitespaces)
            if text.hasSuffix("%"), let percent = Double(text.dropLast()), percent.isFinite, percent > 0,
                percent <= 100_000
            {
                return .scaled(percent / 100)
            }
            if let count = Int(text), count >= 0, count <= Limits.completed { return .perRep(count) }
            throw ValidationError(
                "--volume \(Format.quoted(volume)): expected completed enrollments per rep (0 to "
                    + "\(Format.count(Limits.completed))) or a percentage of the observed volumes (120%)"
            )
        }

        func run() async throws {
            try await Failure.guarding(offering: ["columns"]) {
                let ruleSet = try rules.load()
                let destination = try output.open(reading: [file, ruleSet.file])
                let fit = try ScenarioFit.fit(
                    file,
                    by: try grouping(),
                    pooling: pooling,
                    prior: prior,
                    volume: try plannedVolume(),
                    timeline: timeline,
                    rules: ruleSet,
                    options: try export.options()
                )
                try destination.commit(fit.yaml(rulesReference: rules.rules))
                if let renamed = fit.score.renamed {
                    Failure.note(
                        "\(renamed.count) names of the export are written otherwise (control characters, case or "
                            + "spaces, a rep called 'team'); the scenario's first comments list them"
                    )
                }
            }
        }
    }
}
