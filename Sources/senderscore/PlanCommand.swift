import ArgumentParser
import SenderScoreKit
import Synchronization

extension SenderScore {
    struct Plan: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Find the plan to fund: the best combination of levers under a budget and constraints.",
            discussion: """
                Reads the scenario's `plan:` section (docs/planning.md): an objective, a budget, \
                constraints, and the levers to choose from, team-wide or rep by rep. Every combination \
                is evaluated when there are at most 1,024 (else a greedy search by gain per cost, then a \
                local search, picks finalists); the finalists are compared on common random numbers with \
                Kim and Nelson's fully sequential procedure, which spends trials where the decision is close \
                and states the probability that the chosen plan is the best, or within the indifference \
                zone of it. The winner is then re-run on fresh trials, because the best of many noisy \
                estimates is biased upward.

                The same scenario and seed give the same plan whatever --threads is.

                Examples:
                  senderscore plan Scenarios/plan-budget.yaml
                  senderscore plan Scenarios/plan-budget.yaml --budget 3000
                  senderscore plan Scenarios/plan-budget.yaml --objective "pRepsAtLeast Good 4"
                  senderscore plan Scenarios/plan-budget.yaml --format json -o plan.json
                """
        )
        static let threadsHelp: ArgumentHelp = "Worker threads; never changes the plan (default: all cores)."
        static let outputHelp: ArgumentHelp =
            "Write to this file instead of standard output (written only when complete)."

        @Argument(help: "The scenario file (YAML) with a `plan:` section.")
        var scenario: String

        @Option(
            help: """
                Objective, replacing the file's: 'repsAtLeast BAND', 'pRepsAtLeast BAND K', 'meanScore all' \
                (or REP,REP), 'teamAtLeast BAND'.
                """
        )
        var objective: String?

        @Option(parsing: .unconditional, help: "Budget, replacing the file's (interventions need a `cost`).")
        var budget: Double?

        @Option(parsing: .unconditional, help: "Stated probability of a correct selection (default 0.95).")
        var confidence: Double?

        @Option(
            parsing: .unconditional,
            help: "Indifference zone in the objective's units (default 0.05 reps, 0.01 of probability, 1 point)."
        )
        var indifference: Double?

        @Option(
            parsing: .unconditional,
            help: "Trials of the first stage, which every plan gets (default 1,000; at least 100)."
        )
        var firstStage: Int?

        @Option(parsing: .unconditional, help: "The most trials any plan gets (default 50,000).")
        var maxTrials: Int?

        @Option(
            parsing: .unconditional,
            help: "Fresh trials the recommended plan is re-run on (default 10,000; 0: none)."
        )
        var outOfSample: Int?

        @Option(parsing: .unconditional, help: "Ranked plans to show (default 5).")
        var top: Int?

        @OptionGroup var seed: SeedOption<Plan>

        @OptionGroup var threads: ThreadOptions<Plan>

        @Option(help: "Rule set: a built-in name or a rules file; replaces the file's `rules`.")
        var rules: String?

        @Option(help: "GSL generator (default: the file's, else taus2).")
        var generator: String?

        @Option(
            help: """
                Output format: text (the answer and the evidence), json (for programs and notebooks), csv (the \
                ranked plans and the frontier), markdown, or html (with the frontier as a chart).
                """
        )
        var format: ReportFormat = .text

        @Flag(help: "No progress bar (it only shows when standard error is a terminal).")
        var quiet = false

        @OptionGroup var output: OutputOptions<Plan>

        func validate() throws {
            try ScenarioRunOptions<Plan>.check(generator: generator)
        }

        func run() async throws {
            try await Failure.guarding(offering: []) {
                let loaded = try Scenario.load(path: self.scenario, rules: rules)
                for warning in loaded.warnings { Failure.warn(warning) }
                let scenario = try loaded.planning(
                    PlanOverrides(
                        objective: objective,
                        budget: budget,
                        confidence: confidence,
                        indifference: indifference,
                        firstStage: firstStage,
                        maxTrials: maxTrials,
                        outOfSample: outOfSample,
                        top: top
                    )
                )
                let destination = try output.open(reading: scenario.files)
                let progress = ProgressBar(total: 1000, quiet: quiet)
                let done = Counter()
                let result = try await Planner.plan(
                    scenario,
                    options: Planner.Options(
                        seed: seed.seed ?? scenario.seed ?? SimulationOptions.defaultSeed,
                        generator: generator.flatMap(RandomGenerator.init(rawValue:)) ?? scenario.generator ?? .default,
                        threads: threads.count,
                        progress: { share in progress.add(done.advance(to: Int(share * 1000))) }
                    )
                )
                progress.finish()
                try destination.commit(try format.render(PlanReport(result)))
            }
        }
    }
}

/// The progress already shown, so that a share becomes an increment.
private final class Counter: Sendable {
    private let value = Mutex(0)

    /// Moves to `target` and returns how far that is, never backwards.
    func advance(to target: Int) -> Int {
        value.withLock { value in
            let step = max(0, target - value)
            value += step
            return step
        }
    }
}
