import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct ReproducibilityTests {
    static let yaml = """
        segments:
          core: {bounce: {beta: {mean: 0.03, sd: 0.01}}, reply: {beta: {mean: 0.07, sd: 0.015}}, unsubscribe: 0.01}
          cold: {bounce: {uniform: [0.05, 0.1]}, reply: {triangular: [0.01, 0.02, 0.04]}}
        reps:
          - name: ana
            skill: {gamma: {mean: 1.1, sd: 0.1}}
            enrollments:
              - {sequence: a, completed: {negativeBinomial: {mean: 150, sd: 30}}, audience: {core: 0.6, cold: 0.4}}
              - {sequence: b, completed: 90, audience: core}
          - name: ben
            skill: {normal: {mean: 1, sd: 0.2}}
            enrollments:
              - {sequence: a, completed: {poisson: 120}, audience: cold}
        """

    func plan() throws -> SimulationPlan {
        SimulationPlan(try Scenario.parse(Self.yaml, file: "repro.yaml"))
    }

    @Test func threadsNeverChangeTheResult() async throws {
        let plan = try plan()
        var results: [[LevelSummary]] = []
        for threads in [1, 2, 5] {
            let options = SimulationOptions(trials: 4_321, seed: 11, threads: threads)
            results.append(try await Simulation.run(plan, options: options).levels)
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    @Test func aLongerRunExtendsAShorterOne() async throws {
        // Blocks depend only on (seed, block), so the first 2,000 trials of a 3,000-trial run are
        // the 2,000-trial run.
        let plan = try plan()
        let short = try await Simulation.run(plan, options: SimulationOptions(trials: 2_000, seed: 3, threads: 2))
        let long = try await Simulation.run(
            plan,
            options: SimulationOptions(trials: 3_000, seed: 3, threads: 2),
            blocks: 0..<2
        )
        #expect(short.summaries == long.summaries)
        #expect(short.paired == long.paired)
        #expect(short.fingerprint != long.fingerprint)
    }

    @Test func generatorsAreSelectable() async throws {
        let plan = try plan()
        var teams: [Double] = []
        for generator in RandomGenerator.allCases {
            let result = try await Simulation.run(
                plan,
                options: SimulationOptions(trials: 1_000, seed: 1, generator: generator, threads: 2)
            )
            teams.append(result.levels[plan.teamLevel].replyRate.moments.mean ?? 0)
        }
        #expect(Set(teams).count == RandomGenerator.allCases.count)
    }

    @Test func everyLevelSumsToOne() async throws {
        let plan = try plan()
        let scenario = try Scenario.parse(Self.yaml, file: "repro.yaml")
        let result = try await Simulation.run(plan, options: SimulationOptions(trials: 3_000, seed: 2, threads: 2))
        let report = RunReport(scenario: scenario, result: result)
        let strategy = report.strategies[0]
        for level in strategy.reps + strategy.sequences + [strategy.team] {
            #expect(abs(level.bands.values.reduce(0, +) - 1) < 1e-12)
            #expect(Set(level.bands.keys) == Set(report.bandOrder))
        }
        // ana's sequence b has 90 completed: never eligible, so no score.
        let b = try #require(strategy.sequences.first { $0.rep == "ana" && $0.name == "b" })
        #expect(b.bands[RuleSet.ineligible] == 1)
        #expect(b.score.mean == nil)
    }
}
