import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Sensitivity: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Which assumption the answer hangs on: a tornado over the scenario's uncertain inputs.",
            discussion: """
                For a metric of `run` (the mean score, P(a band or better) or the expected number \
                of reps at a band or better; for a rep, a rep's sequence or the team; under the \
                baseline, a strategy, or a strategy's change against the baseline), runs the \
                scenario once with every input random and then, for each input a trial draws (a \
                segment or contact-group rate, a share, a skill, a lever's effect or coverage, an \
                uncertain volume), with that input held at its 10th and at its 90th percentile \
                while everything else stays random. All runs share their random numbers, so a swing \
                is that input's own. The inputs are listed by the size of their swing: measure the \
                top ones first.

                Examples:
                  senderscore sensitivity Scenarios/combined-plan.yaml --metric reps:Good
                  senderscore sensitivity Scenarios/combined-plan.yaml --metric mean-score --level ben --strategy "full plan" --change
                """
        )
        static let threadsHelp: ArgumentHelp = "Worker threads; never changes the output (default: all cores)."
        static let outputHelp: ArgumentHelp =
            "Write to this file instead of standard output (written only when complete)."

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(
            help:
                "mean-score, at-least:BAND (P(the band or better)) or reps:BAND (expected reps at the band or better)."
        )
        var metric = "mean-score"

        @Option(help: "A rep, a rep's sequence as \"rep / sequence\", or team (default: team). Not used by reps:BAND.")
        var level: String?

        @Option(help: "The strategy (default: the baseline).")
        var strategy: String?

        @Flag(help: "Measure the strategy's change against the baseline on the same trials.")
        var change = false

        @OptionGroup var simulation: ScenarioRunOptions<Sensitivity>

        @Option(
            help:
                "Output format: text (a table), json, csv (one row per input) or html (a page with the tornado chart)."
        )
        var format: SenderScoreKit.Sensitivity.OutputFormat = .text

        @OptionGroup var output: OutputOptions<Sensitivity>

        func validate() throws {
            if change, strategy == nil {
                throw ValidationError("--change needs --strategy: the change of which strategy?")
            }
        }

        func run() async throws {
            try await Failure.guarding(offering: ["rulesAsIs"]) {
                let scenario = try simulation.scenario(at: self.scenario)
                let destination = try output.open(reading: scenario.files)
                let metric = SenderScoreKit.Sensitivity.Metric(
                    kind: try SenderScoreKit.Sensitivity.Metric.kind(self.metric, rules: scenario.rules),
                    level: level.flatMap { Name.key($0) == Name.team ? nil : $0 },
                    strategy: strategy,
                    change: change
                )
                let result = try await SenderScoreKit.Sensitivity.tornado(
                    scenario,
                    options: simulation.options(for: scenario),
                    metric: metric
                )
                try destination.commit(try format.render(result))
            }
        }
    }
}
