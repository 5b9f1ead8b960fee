import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Strategies: exact no-ops, common random numbers, and each lever against its expected effect.
@Suite struct StrategyTests {
    static let trials = 20_000

    func run(_ yaml: String, trials: Int = trials, seed: UInt64 = 5) async throws -> (SimulationResult, RunReport) {
        let scenario = try Scenario.parse(yaml, file: "strategy.yaml")
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: trials, seed: seed, threads: 2)
        )
        return (result, RunReport(scenario: scenario, result: result))
    }

    static let team = """
        segments:
          core:
            bounce: {beta: {mean: 0.03, sd: 0.01}}
            reply: {beta: {mean: 0.07, sd: 0.015}}
            unsubscribe: 0.01
            contacts:
              unengaged: {share: 0.2}
              previouslyBounced: {share: 0.05}
              optedOut: {share: 0.02}
              unverified: {share: 0.1}
        sequences:
          outbound:
            steps: [{replyShare: 0.6}, {replyShare: 0.3}, {replyShare: 0.1}]
        reps:
          - name: ana
            skill: {gamma: {mean: 1, sd: 0.1}}
            enrollments: [{sequence: outbound, completed: {poisson: 150}, audience: core}]
          - name: ben
            enrollments: [{sequence: outbound, completed: 400, audience: core}]
        """

    @Test func interventionsWithoutEffectGiveExactlyTheBaseline() async throws {
        let (result, report) = try await run(
            Self.team + """

                interventions:
                  flat: {kind: personalization, replyLift: 1, coverage: {uniform: [0.2, 0.9]}}
                  idle: {kind: filterUnengaged, efficacy: 0}
                  blind: {kind: verification, efficacy: 0}
                  unmatched: {kind: segmentation, replyLift: 1, segments: [core]}
                strategies:
                  - {name: no-op, apply: [flat, idle, blind, unmatched]}
                """,
            trials: 3_000
        )
        #expect(result.summaries[1] == result.summaries[0])
        let team = try #require(report.strategies[1].team.vsBaseline)
        #expect(team.pImproves == 0 && team.pWorsens == 0)
        #expect(team.scoreChange.mean == 0)
        #expect(team.completedChange.mean == 0)
    }

    @Test func pairedDifferencesAreMuchMorePreciseThanUnpaired() async throws {
        let (_, report) = try await run(
            Self.team + """

                interventions:
                  tokens: {kind: personalization, replyLift: 1.15, coverage: 0.8}
                strategies:
                  - {name: personalize, apply: [tokens]}
                """
        )
        let baseline = report.strategies[0].reps[1]
        let strategy = report.strategies[1].reps[1]
        let paired = try #require(strategy.vsBaseline?.scoreChange.stdErr)
        let unpaired =
            ((baseline.score.stdErr ?? 0) * (baseline.score.stdErr ?? 0)
            + (strategy.score.stdErr ?? 0) * (strategy.score.stdErr ?? 0)).squareRoot()
        #expect(paired < unpaired / 2, "paired s.e. \(paired), unpaired \(unpaired)")
        #expect((strategy.vsBaseline?.scoreChange.mean ?? 0) > 0)
        // A reply lift only helps: the rare "worse" trials come from the rejection sampler the
        // binomial uses at large means, whose shared random numbers need not move the count up.
        let change = try #require(strategy.vsBaseline)
        #expect(change.pWorsens < change.pImproves / 10, "better \(change.pImproves), worse \(change.pWorsens)")
    }

    @Test func replyLiftMatchesTheMixtureOfCoveredAndUncovered() async throws {
        // Fixed rates: the reply rate's mean is exactly 0.05 × (1 + 0.5 × (1.4 − 1)) = 0.06.
        let (_, report) = try await run(
            """
            segments: {core: {bounce: 0, reply: 0.05}}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 1000, audience: core}]}]
            interventions:
              tokens: {kind: personalization, replyLift: 1.4, coverage: 0.5}
            strategies:
              - {name: personalize, apply: [tokens]}
            """
        )
        let rate = try #require(report.strategies[1].reps[0].replyRate.mean)
        let standardError = (0.06 * 0.94 / 1000 / Double(Self.trials)).squareRoot()
        #expect(abs(rate - 0.06) < 4 * standardError, "mean reply rate \(rate)")
    }

    @Test func cleaningRemovesTheExpectedVolumeAndCanCostEligibility() async throws {
        // 120 completed, 20% unengaged: filtering 90% of them removes 21.6 on average, so the
        // rep often drops below 100 completed enrollments.
        let (_, report) = try await run(
            """
            segments:
              core:
                bounce: 0.02
                reply: 0.08
                contacts: {unengaged: {share: 0.2}}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 120, audience: core}]}]
            interventions:
              filter: {kind: filterUnengaged, efficacy: 0.9}
            strategies:
              - {name: clean, apply: [filter]}
            """
        )
        let strategy = report.strategies[1].reps[0]
        let change = try #require(strategy.vsBaseline)
        let removed = try #require(change.completedChange.mean)
        // removed ~ Binomial(120, 0.2 × 0.9) exactly (the multinomial split then a binomial thinning).
        let expected = 120 * 0.18
        let standardError = (120 * 0.18 * 0.82 / Double(Self.trials)).squareRoot()
        #expect(abs(-removed - expected) < 4 * standardError, "removed \(-removed)")
        #expect(report.strategies[0].reps[0].pEligible == 1)
        #expect(strategy.pEligible < 0.5)
        #expect((change.pEligibleChange.mean ?? 0) < -0.5)
        #expect(change.pWorsens > 0.5)
    }

    @Test func standardErrorsOfStrategiesAreHonestAcrossSeeds() async throws {
        // Draws that only a strategy makes (here: which unengaged contacts are removed) must be
        // fresh in every trial; if they repeated, estimates from different seeds would scatter far
        // more than their reported standard errors.
        let yaml = """
            segments:
              core: {bounce: 0.02, reply: 0.08, contacts: {unengaged: {share: 0.2}}}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 120, audience: core}]}]
            interventions:
              filter: {kind: filterUnengaged, efficacy: 0.9}
            strategies:
              - {name: clean, apply: [filter]}
            """
        var estimates: [Double] = []
        var errors: [Double] = []
        for seed in 1...12 {
            let (_, report) = try await run(yaml, trials: 2_000, seed: UInt64(seed))
            let change = try #require(report.strategies[1].reps[0].vsBaseline?.completedChange)
            estimates.append(try #require(change.mean))
            errors.append(try #require(change.stdErr))
        }
        let mean = estimates.reduce(0, +) / Double(estimates.count)
        let scatter = (estimates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(estimates.count - 1))
            .squareRoot()
        let reported = errors.reduce(0, +) / Double(errors.count)
        #expect(scatter < 2 * reported, "estimates scatter by \(scatter), reported standard error \(reported)")
        #expect(abs(mean + 21.6) < 4 * reported / Double(estimates.count).squareRoot() + 0.01)
    }

    @Test func verificationCatchesWouldBeBounces() async throws {
        // Half the contacts unverified with a 20% bounce rate, the rest 2%; catching 75% of the
        // unverified bounces leaves an expected bounce share of (0.5·0.02 + 0.5·0.2·0.25) / (1 − 0.5·0.2·0.75).
        let (_, report) = try await run(
            """
            segments:
              core:
                bounce: 0.02
                reply: 0.08
                contacts: {unverified: {share: 0.5, bounce: 0.2}}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 2000, audience: core}]}]
            interventions:
              verify: {kind: verification, efficacy: 0.75}
            strategies:
              - {name: verify, apply: [verify]}
            """,
            trials: 5_000
        )
        let bounce = try #require(report.strategies[1].reps[0].bounceRate.mean)
        let expected = (0.5 * 0.02 + 0.5 * 0.2 * 0.25) / (1 - 0.5 * 0.2 * 0.75)
        #expect(abs(bounce - expected) < 0.001, "bounce rate \(bounce), expected about \(expected)")
        let completed = try #require(report.strategies[1].reps[0].vsBaseline?.completedChange.mean)
        #expect(abs(-completed - 2000 * 0.5 * 0.2 * 0.75) < 1)
    }

    @Test func stepsReproduceTheSegmentRateAndFollowUpsAddReplies() async throws {
        // Without unsubscribes, three steps with shares 0.6/0.3/0.1 give exactly the one-step
        // reply distribution: replied ~ Binomial(delivered, 0.08). A follow-up at half the last
        // step's hazard adds P(no reply) × h₃ / 2 to the reply probability.
        let (result, report) = try await run(
            """
            segments: {core: {bounce: 0.03, reply: 0.07}}
            sequences:
              outbound: {steps: [{replyShare: 0.6}, {replyShare: 0.3}, {replyShare: 0.1}]}
            reps: [{name: ana, enrollments: [{sequence: outbound, completed: 200, audience: core}]}]
            interventions:
              follow: {kind: addFollowUp, replyHazard: 0.5}
              shorter: {kind: dropLastStep}
            strategies:
              - {name: follow up, apply: [follow]}
              - {name: shorter, apply: [shorter]}
            """
        )
        let rules = try RuleSet.load("hubspot")
        let exact = ExactBands.probabilities(
            rules: rules,
            level: .rep,
            completed: 200,
            bounce: 0.03,
            reply: .fixed(0.07)
        )
        for (band, p) in exact {
            let observed = report.strategies[0].reps[0].bands[band] ?? -1
            #expect(abs(observed - p) <= max(4 * (p * (1 - p) / Double(Self.trials)).squareRoot(), 1e-12), "\(band)")
        }
        // Replies by step follow the shares.
        let steps = report.strategies[0].reps[0].repliesByStep
        let total = steps.reduce(0, +)
        #expect(abs(steps[0] / total - 0.6) < 0.01 && abs(steps[1] / total - 0.3) < 0.01)
        // Hazard of step 3: 0.007 / (1 − 0.063) ; the follow-up adds (1 − 0.07) × that / 2.
        let h3 = 0.07 * 0.1 / (1 - 0.07 * 0.9)
        let expected = 0.07 + (1 - 0.07) * h3 / 2
        let rate = try #require(report.strategies[1].reps[0].replyRate.mean)
        #expect(
            abs(rate - expected) < 4 * (expected * (1 - expected) / 194 / Double(Self.trials)).squareRoot(),
            "reply rate \(rate), expected \(expected)"
        )
        // Dropping the last step loses its 10% share of replies.
        let shorter = try #require(report.strategies[2].reps[0].replyRate.mean)
        #expect(
            abs(shorter - 0.063) < 4 * (0.063 * 0.937 / 194 / Double(Self.trials)).squareRoot(),
            "reply rate \(shorter)"
        )
        #expect(result.summaries[2][0].stepReplies[2] == 0)
    }

    @Test func strategiesApplyOnlyWhereTheyAreScoped() async throws {
        let (result, _) = try await run(
            Self.team + """

                interventions:
                  tokens: {kind: personalization, replyLift: 1.3}
                strategies:
                  - {name: ben only, apply: [{intervention: tokens, reps: [ben]}]}
                """,
            trials: 2_000
        )
        // ana (level 0) is untouched, ben (level 1) changes.
        #expect(result.summaries[1][0] == result.summaries[0][0])
        #expect(result.summaries[1][1] != result.summaries[0][1])
    }

    @Test func segmentationLiftsMatchedSegmentsAndCanDropTheOthers() async throws {
        let (_, report) = try await run(
            """
            segments:
              fit: {bounce: 0.01, reply: 0.08}
              misfit: {bounce: 0.06, reply: 0.02}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 300, audience: {fit: 0.6, misfit: 0.4}}]}]
            interventions:
              match: {kind: segmentation, replyLift: 1.25, segments: [fit], dropUnmatched: true}
            strategies:
              - {name: segment, apply: [match]}
            """,
            trials: 5_000
        )
        let strategy = report.strategies[1].reps[0]
        #expect(abs((strategy.completed.mean ?? 0) - 180) < 1)
        #expect(abs((strategy.replyRate.mean ?? 0) - 0.1) < 0.002)
        #expect(abs((strategy.bounceRate.mean ?? 0) - 0.01) < 0.001)
    }

    @Test func theSameSeedGivesTheSameStrategiesOnAnyThreadCount() async throws {
        let scenario = try Scenario.parse(
            Self.team + """

                interventions:
                  tokens: {kind: personalization, replyLift: {triangular: [1, 1.2, 1.4]}, coverage: 0.7}
                  verify: {kind: verification, efficacy: {beta: {mean: 0.8, sd: 0.1}}}
                  follow: {kind: addFollowUp, replyHazard: 0.6}
                strategies:
                  - {name: a, apply: [tokens, verify]}
                  - {name: b, apply: [follow, {intervention: verify, reps: [ben]}]}
                """,
            file: "threads.yaml"
        )
        let plan = SimulationPlan(scenario)
        let one = try await Simulation.run(plan, options: SimulationOptions(trials: 2_500, seed: 9, threads: 1))
        let three = try await Simulation.run(plan, options: SimulationOptions(trials: 2_500, seed: 9, threads: 3))
        #expect(one.summaries == three.summaries)
        #expect(one.paired == three.paired)
    }
}

extension StrategyTests {
    @Test func aSmallPartialDropLeavesTheOtherEmailsPaired() async throws {
        let scenario = try Scenario.parse(
            """
            segments: {core: {bounce: 0.02, reply: 0.08, unsubscribe: 0.01}}
            sequences: {outbound: {steps: [{replyShare: 0.5}, {replyShare: 0.3}, {replyShare: 0.2}]}}
            reps: [{name: ana, enrollments: [{sequence: outbound, completed: 300, audience: core}]}]
            interventions: {tiny: {kind: dropLastStep, coverage: 0.001}}
            strategies: [{name: tiny drop, apply: [tiny]}]
            """,
            file: "drop.yaml"
        )
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 3000, seed: 3, threads: 2)
        )
        let change = Comparison(result.paired[1][0], rules: scenario.rules)
        #expect(change.pImproves + change.pWorsens < 0.01, "better \(change.pImproves), worse \(change.pWorsens)")
    }
}
