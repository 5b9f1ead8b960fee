import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Run: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a scenario and report the distribution of score bands.",
            discussion: """
                For every rep, every sequence of a rep and the team (pooled counts), reports the \
                probability of each band and of Ineligible with its Monte Carlo standard error, the \
                score (mean, p5, p50, p95, over eligible trials), the reply and bounce rates, and the \
                probabilities of being in the targets and eligible.

                What if? A scenario may list interventions, the help article's levers, each with an \
                uncertain effect (\(InterventionKind.all.map(\.name).joined(separator: ", "))), and \
                strategies that combine them. Every strategy runs on the same simulated quarters as \
                the baseline (common random numbers) and is reported beside it: how often its band \
                is better or worse, the mean score change with the 95% interval of that mean, and \
                the 5th to 95th percentile of the change across quarters (what a rep may see). \
                --strategy shows some of them; docs/levers.md describes each lever.

                The same scenario, trials and seed give the same output whatever --threads is.

                Examples:
                  senderscore run Scenarios/baseline.yaml
                  senderscore run Scenarios/baseline.yaml --trials 100000 --seed 42
                  senderscore run Scenarios/baseline.yaml --format json --output result.json
                  senderscore run Scenarios/baseline.yaml --rules my-rules.yaml
                  senderscore run Scenarios/combined-plan.yaml --format html -o report.html
                  senderscore run Scenarios/combined-plan.yaml --strategy "full plan"
                """
        )
        static let threadsHelp: ArgumentHelp = "Worker threads; never changes the output (default: all cores)."
        static let outputHelp: ArgumentHelp =
            "Write to this file instead of standard output (written only when complete)."

        @Argument(help: "The scenario file (YAML). See docs/scenario-format.md.")
        var scenario: String

        @OptionGroup var simulation: ScenarioRunOptions<Run>

        @Option(
            name: .customLong("strategy"),
            help:
                "Show only this strategy (and the baseline); repeat for several. The numbers are the same as in a full run."
        )
        var strategies: [String] = []

        @Option(help: "Output format: \(ReportFormat.described).")
        var format: ReportFormat = .text

        @Flag(help: "No progress bar (it only shows when standard error is a terminal).")
        var quiet = false

        @Option(
            help: ArgumentHelp(
                "Also write every trial as a CSV row (gzip when the name ends in .gz): the drawn inputs and each rep's, sequence's and the team's completed, bounced, replied, score and band under every strategy. Memory stays flat. See docs/output.md.",
                valueName: "file"
            )
        )
        var trialsOut: String?

        @OptionGroup var output: OutputOptions<Run>

        func run() async throws {
            try await Failure.guarding(offering: ["rulesAsIs"]) {
                let scenario = try simulation.scenario(at: self.scenario).keeping(strategies: strategies)
                let destination = try output.open(reading: scenario.files)
                let trials = try output.sideStream(
                    trialsOut,
                    option: "trialsOut",
                    destination: destination,
                    reading: scenario.files
                )
                let options = simulation.options(for: scenario)
                let progress = ProgressBar(total: options.trials, quiet: quiet)
                let result: SimulationResult
                do {
                    result = try await Simulation.run(
                        SimulationPlan(scenario),
                        options: options,
                        trialsOut: trials,
                        progress: progress.add
                    )
                    progress.finish()
                } catch {
                    progress.finish()  // the error message starts on a clean line
                    throw error
                }
                let rendered = try format.render(RunReport(scenario: scenario, result: result))
                try trials?.finish()
                try destination.commit(rendered)
            }
        }
    }
}
