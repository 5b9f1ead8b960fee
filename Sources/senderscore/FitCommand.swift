import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Fit: AsyncParsableCommand, OptionWording {
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
        static let outputHelp: ArgumentHelp = "The scenario to write (default: standard output)."
        static let rulesHelp: ArgumentHelp = "Rule set written into the scenario: a built-in name or a rules file."

        @Argument(help: "The enrollment export (CSV).")
        var file: String

        @OptionGroup var output: OutputOptions<Fit>

        @Option(help: "Group by rep, sequence or segment (segment needs a segment column).")
        var by: ScenarioFit.Grouping = .rep

        @Option(
            parsing: .unconditional,
            help: "The prior Beta(a, a) of every rate: 0.5 is Jeffreys' prior, 1 the uniform one."
        )
        var prior = 0.5

        @OptionGroup var rules: RuleSetOption<Fit>

        @OptionGroup var export: ExportOptions

        func validate() throws {
            guard prior > 0, prior <= 100 else { throw ValidationError("--prior must be above 0 and at most 100") }
        }

        func run() async throws {
            try await Failure.guarding(offering: ["columns"]) {
                let ruleSet = try rules.load()
                let destination = try output.open(reading: [file, ruleSet.file])
                let fit = try ScenarioFit.fit(file, by: by, prior: prior, rules: ruleSet, options: try export.options())
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
