import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a scenario and report the distribution of score bands.",
            discussion: """
                For every rep, every sequence of a rep and the team (pooled counts), reports the \
                probability of each band and of Ineligible with its Monte Carlo standard error, the \
                score (mean, p5, p50, p95, over eligible trials), the reply and bounce rates, and the \
                probabilities of being in the targets and eligible.

                The same scenario, trials and seed give the same output whatever --threads is.

                Examples:
                  senderscore run Scenarios/baseline.yaml
                  senderscore run Scenarios/baseline.yaml --trials 100000 --seed 42
                  senderscore run Scenarios/baseline.yaml --format json --output result.json
                  senderscore run Scenarios/baseline.yaml --rules my-rules.yaml
                  senderscore run Scenarios/combined-plan.yaml --format html -o report.html
                """
        )

        @Argument(help: "The scenario file (YAML). See docs/scenario-format.md.")
        var scenario: String

        @Option(help: "Trials to simulate (default: the file's `trials`, else \(SimulationOptions.defaultTrials)).")
        var trials: Int?

        @Option(help: "Random seed (default: the file's `seed`, else \(SimulationOptions.defaultSeed)).")
        var seed: UInt64?

        @Option(help: "Worker threads; never changes the output (default: all cores).")
        var threads: Int?

        @Option(
            help:
                "Rule set: a built-in name (\(BuiltInRuleSets.names.joined(separator: ", "))) or a rules file; replaces the file's `rules`."
        )
        var rules: String?

        @Flag(
            help:
                "Analyse an irregular rule set (unsorted, not monotone, with gaps) as written instead of rejecting it."
        )
        var rulesAsIs = false

        @Option(
            help:
                "GSL generator: \(RandomGenerator.allCases.map(\.rawValue).joined(separator: ", ")) (default: the file's `generator`, else \(RandomGenerator.default.rawValue)). gfsr4 is slow with strategies (docs/randomness.md)."
        )
        var generator: String?

        @Option(
            help:
                "Output format: text (a table), json (for programs and notebooks), csv (tidy: one row per strategy, level, name and band), markdown (tables for wikis) or html (a self-contained report with charts)."
        )
        var format: ReportFormat = .text

        @Flag(help: "No progress bar (it only shows when standard error is a terminal).")
        var quiet = false

        @Option(
            name: [.short, .long],
            help: "Write to this file instead of standard output (written only when complete)."
        )
        var output: String?

        func validate() throws {
            if let trials, !(1...1_000_000_000).contains(trials) {
                throw ValidationError("--trials must be from 1 to 1,000,000,000")
            }
            if let threads, threads < 1 {
                throw ValidationError("--threads must be at least 1")
            }
            if let generator, RandomGenerator(rawValue: generator) == nil {
                throw ValidationError(
                    "unknown generator '\(generator)'; expected one of "
                        + RandomGenerator.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
        }

        func run() async throws {
            try await Failure.guarding {
                let destination = Output(path: output)
                try destination.check()
                let scenario = try Scenario.load(path: self.scenario, rules: rules, rulesAsIs: rulesAsIs)
                let options = SimulationOptions(
                    trials: trials ?? scenario.trials ?? SimulationOptions.defaultTrials,
                    seed: seed ?? scenario.seed ?? SimulationOptions.defaultSeed,
                    generator: generator.flatMap(RandomGenerator.init(rawValue:)) ?? scenario.generator ?? .default,
                    threads: threads ?? ProcessInfo.processInfo.activeProcessorCount
                )
                let progress = ProgressBar(total: options.trials, quiet: quiet)
                let result: SimulationResult
                do {
                    result = try await Simulation.run(
                        SimulationPlan(scenario),
                        options: options,
                        progress: progress.add
                    )
                    progress.finish()
                } catch {
                    progress.finish()  // the error message starts on a clean line
                    throw error
                }
                let report = RunReport(scenario: scenario, result: result)
                try destination.write(try format.render(report))
            }
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
