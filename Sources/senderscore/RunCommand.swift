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
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Argument(help: "The scenario file (YAML). See docs/scenario-format.md.")
        var scenario: String

        @Option(help: "Trials to simulate (default: the file's `trials`, else \(SimulationOptions.defaultTrials)).")
        var trials: Int?

        @Option(help: "Random seed (default: the file's `seed`, else \(SimulationOptions.defaultSeed)).")
        var seed: UInt64?

        @Option(help: "Worker threads; never changes the output (default: all cores).")
        var threads: Int?

        @Option(help: "Rule set: a built-in name (\(BuiltInRuleSets.names.joined(separator: ", "))) or a rules file; replaces the file's `rules`.")
        var rules: String?

        @Flag(help: "Analyse an irregular rule set (unsorted, not monotone, with gaps) as written instead of rejecting it.")
        var rulesAsIs = false

        @Option(help: "GSL generator: \(RandomGenerator.allCases.map(\.rawValue).joined(separator: ", ")) (default: the file's `generator`, else \(RandomGenerator.default.rawValue)).")
        var generator: String?

        @Option(help: "Output format: text for people, json for programs.")
        var format: Format = .text

        @Option(name: [.short, .long], help: "Write to this file instead of standard output (written only when complete).")
        var output: String?

        func validate() throws {
            if let trials, !(1...1_000_000_000).contains(trials) {
                throw ValidationError("--trials must be from 1 to 1,000,000,000")
            }
            if let threads, threads < 1 {
                throw ValidationError("--threads must be at least 1")
            }
            if let generator, RandomGenerator(rawValue: generator) == nil {
                throw ValidationError("unknown generator '\(generator)'; expected one of "
                    + RandomGenerator.allCases.map(\.rawValue).joined(separator: ", "))
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
                    threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
                let result = try await Simulation.run(SimulationPlan(scenario), options: options)
                let report = RunReport(scenario: scenario, result: result)
                switch format {
                case .text: try destination.write(TextReport(report).render())
                case .json: try destination.write(try report.json())
                }
            }
        }
    }
}
