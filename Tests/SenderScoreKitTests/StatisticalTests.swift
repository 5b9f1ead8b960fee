import Testing
import _TestSupport

@testable import SenderScoreKit

/// The engine against exact answers: binomial and beta-binomial sums through GSL. Every
/// probability must lie within 4 Monte Carlo standard errors of the exact one; seeds are fixed,
/// so these tests never flake.
@Suite struct StatisticalTests {
    static let trials = 20_000

    func simulate(_ yaml: String, seed: UInt64 = 2026) async throws -> (Scenario, RunReport) {
        let scenario = try Scenario.parse(yaml, file: "statistical.yaml")
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: Self.trials, seed: seed, threads: 2)
        )
        return (scenario, RunReport(scenario: scenario, result: result))
    }

    func expectClose(_ level: LevelReport, _ exact: [String: Double], sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(
            abs(exact.values.reduce(0, +) - 1) < 1e-9,
            "exact probabilities must sum to 1",
            sourceLocation: sourceLocation
        )
        for (band, p) in exact {
            let observed = level.bands[band] ?? -1
            let standardError = (p * (1 - p) / Double(Self.trials)).squareRoot()
            #expect(
                abs(observed - p) <= max(4 * standardError, 1e-12),
                "\(level.name) \(band): simulated \(observed), exact \(p), 4 s.e. = \(4 * standardError)",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test func fixedRatesMatchBinomialEnumeration() async throws {
        // Rates right at the 7% reply and 3% bounce thresholds, so several bands are likely.
        let (scenario, report) = try await simulate(
            """
            segments: {core: {bounce: 0.03, reply: 0.07}}
            reps:
              - name: ana
                enrollments: [{sequence: outbound, completed: 200, audience: core}]
            """
        )
        let exact = ExactBands.probabilities(
            rules: scenario.rules,
            level: .rep,
            completed: 200,
            bounce: 0.03,
            reply: .fixed(0.07)
        )
        #expect(exact.filter { $0.value > 0.05 }.count >= 3, "the test needs several likely bands")
        let baseline = report.strategies[0]
        expectClose(baseline.reps[0], exact)
        expectClose(baseline.sequences[0], exact)
        expectClose(baseline.team, exact)
        // The mean bounce rate of a fixed-volume cohort is the bounce probability.
        let bounce = try #require(baseline.reps[0].bounceRate.mean)
        let bounceStandardError: Double = (0.03 * 0.97 / 200 / Double(Self.trials)).squareRoot()
        #expect(abs(bounce - 0.03) <= 4 * bounceStandardError)
    }

    @Test func betaReplyRateMatchesBetaBinomial() async throws {
        let (scenario, report) = try await simulate(
            """
            segments: {core: {bounce: 0.02, reply: {beta: {alpha: 16, beta: 184}}}}
            reps:
              - name: ana
                enrollments: [{sequence: outbound, completed: 150, audience: core}]
            """
        )
        let exact = ExactBands.probabilities(
            rules: scenario.rules,
            level: .rep,
            completed: 150,
            bounce: 0.02,
            reply: .beta(alpha: 16, beta: 184)
        )
        expectClose(report.strategies[0].reps[0], exact)
    }

    @Test func pooledCountsOfIdenticalCohortsAreOneBinomial() async throws {
        // Two reps and a two-way audience split with identical segments: the team's pooled counts
        // are distributed as one cohort of 300, which checks the split and the pooling.
        let (scenario, report) = try await simulate(
            """
            segments:
              a: {bounce: 0.04, reply: 0.06}
              b: {bounce: 0.04, reply: 0.06}
            reps:
              - name: ana
                enrollments: [{sequence: s, completed: 180, audience: {a: 0.5, b: 0.5}}]
              - name: ben
                enrollments: [{sequence: s, completed: 120, audience: {a: 0.25, b: 0.75}}]
            """
        )
        let rules = scenario.rules
        expectClose(
            report.strategies[0].team,
            ExactBands.probabilities(rules: rules, level: .team, completed: 300, bounce: 0.04, reply: .fixed(0.06))
        )
        expectClose(
            report.strategies[0].reps[1],
            ExactBands.probabilities(rules: rules, level: .rep, completed: 120, bounce: 0.04, reply: .fixed(0.06))
        )
    }

    @Test func eligibilityRiskMatchesThePoissonMixture() async throws {
        // A rep near the minimum: P(Ineligible) = P(Poisson(104) < 100), and the sequence needs 101.
        let (scenario, report) = try await simulate(
            """
            segments: {core: {bounce: 0.025, reply: 0.08}}
            reps:
              - name: ana
                enrollments: [{sequence: s, completed: {poisson: 104}, audience: core}]
            """
        )
        let completed = CountDistribution.poisson(mean: 104)
        let rep = ExactBands.probabilities(
            rules: scenario.rules,
            level: .rep,
            completed: completed,
            bounce: 0.025,
            reply: .fixed(0.08)
        )
        let sequence = ExactBands.probabilities(
            rules: scenario.rules,
            level: .sequence,
            completed: completed,
            bounce: 0.025,
            reply: .fixed(0.08)
        )
        #expect((rep[RuleSet.ineligible] ?? 0) > 0.3)
        #expect((sequence[RuleSet.ineligible] ?? 0) > (rep[RuleSet.ineligible] ?? 0))
        expectClose(report.strategies[0].reps[0], rep)
        expectClose(report.strategies[0].sequences[0], sequence)
        let simulated = report.strategies[0].reps[0]
        #expect(abs(simulated.pEligible - (1 - simulated.bands[RuleSet.ineligible]!)) < 1e-12)
    }
}
