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
                  senderscore run Scenarios/baseline.yaml --precision 0.2% --format json

                Beyond one machine: --shard K/N runs the K-th of N shares of the trials and writes \
                a part of the run to --output; `senderscore merge` turns all N parts into exactly \
                what the single run writes (docs/scale.md, deploy/slurm/):
                  senderscore run Scenarios/baseline.yaml --trials 1000000 --shard 1/4 --output part-1.json
                  senderscore merge part-*.json --format json -o result.json
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

        @Option(help: "Output format: \(ReportFormat.described) (default: text; with --shard, merge chooses it).")
        var format: ReportFormat?

        @OptionGroup var precision: PrecisionOptions

        @Option(
            help: ArgumentHelp(
                "Run only shard K of N (K from 1) and write a part of the run to --output, for `senderscore merge`.",
                valueName: "K/N"
            )
        )
        var shard: String?

        @Option(
            help: ArgumentHelp(
                "How band probabilities are estimated: counts (the share of trials in each band) or conditional (each trial's band probabilities given only its cohort sizes where bounces and replies can be summed out from them, else given all it drew but its replies, averaged: unbiased and never more variable, at some cost per trial; runs with a timeline count). See docs/estimators.md.",
                valueName: "counts|conditional"
            )
        )
        var estimator: BandEstimator = .counts

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

        func validate() throws {
            guard shard != nil else { return }
            try output.checkShardPart(
                of: "the run",
                formatGiven: format != nil,
                side: trialsOut == nil ? nil : ("--trials-out", "run without it to write every trial's row")
            )
        }

        func run() async throws {
            try await Failure.guarding(offering: ["rulesAsIs"]) {
                if let shard {
                    try await runShard(try Shard(parsing: shard))
                    return
                }
                let scenario = try simulation.scenario(at: self.scenario).keeping(strategies: strategies)
                SenderScore.releaseFreeMemory()
                let destination = try output.open(reading: scenario.files)
                let trials = try output.sideStream(
                    trialsOut,
                    option: "trialsOut",
                    destination: destination,
                    reading: scenario.files
                )
                var options = simulation.options(for: scenario)
                options.bandEstimator = estimator
                let target = try precision.target(firstTrials: options.trials)
                let progress = ProgressBar(
                    total: target?.maxTrials ?? options.trials,
                    quiet: quiet,
                    open: target != nil
                )
                let result: SimulationResult
                do {
                    if let target {
                        result = try await Simulation.run(
                            SimulationPlan(scenario),
                            options: options,
                            precision: target,
                            trialsOut: trials,
                            progress: progress.add
                        )
                    } else {
                        result = try await Simulation.run(
                            SimulationPlan(scenario),
                            options: options,
                            trialsOut: trials,
                            progress: progress.add
                        )
                    }
                    progress.finish()
                } catch {
                    progress.finish()  // the error message starts on a clean line
                    throw error
                }
                if let precision = RunReport.precisionWarning(result.precision) { Failure.warn(precision) }
                SenderScore.releaseFreeMemory()
                try (format ?? .text).write(RunReport(scenario: scenario, result: result)) { try destination.write($0) }
                try trials?.finish()
                try destination.commit()
            }
        }

        /// Runs `shard`'s share of the run and writes it as a part, for `senderscore merge`.
        private func runShard(_ shard: Shard) async throws(ScenarioError) {
            let read = Documents.recording()
            let scenario = try simulation.scenario(at: self.scenario, documents: read).keeping(strategies: strategies)
            let destination = try output.open(reading: scenario.files)
            var options = simulation.options(for: scenario)
            options.bandEstimator = estimator
            let target = try precision.target(firstTrials: options.trials)
            let progress = ProgressBar(
                total: Simulation.trials(of: shard, options: options, precision: target),
                quiet: quiet
            )
            let part: RunPart
            do {
                part = try await RunPart.run(
                    RunPart.Invocation(
                        scenario: self.scenario,
                        rules: simulation.rules,
                        rulesAsIs: simulation.rulesAsIs,
                        // In the file's order, however --strategy named them.
                        strategies: strategies.isEmpty ? [] : scenario.strategies.map(\.name),
                        options: options,
                        precision: target
                    ),
                    documents: RunPart.documents(recorded: read),
                    shard: shard,
                    threads: options.threads,
                    progress: progress.add
                )
                progress.finish()
            } catch {
                progress.finish()
                throw error
            }
            try part.write { (bytes) throws(ScenarioError) in try destination.write(bytes) }
            try destination.commit()
        }
    }
}
