import Testing
import _TestSupport

@testable import SenderScoreKit

/// Trial t's numbers for a purpose depend only on (seed, t, purpose): a strategy gets the same
/// numbers whichever strategies run with it, so candidates can be evaluated in rounds.
@Suite struct CommonRandomNumberTests {
    static let yaml = """
        segments:
          core:
            bounce: {beta: {mean: 0.03, sd: 0.01}}
            reply: {beta: {mean: 0.07, sd: 0.015}}
            unsubscribe: 0.01
            contacts: {unengaged: {share: 0.2}, previouslyBounced: {share: 0.05}, unverified: {share: 0.1}}
          cold: {bounce: {uniform: [0.05, 0.1]}, reply: {triangular: [0.01, 0.02, 0.04]}}
        sequences:
          a:
            steps:
              - {replyShare: 0.6, unsubscribeShare: 0.5}
              - {replyShare: 0.4, unsubscribeShare: 0.5}
          b: {}
        reps:
          - name: ana
            skill: {gamma: {mean: 1.1, sd: 0.1}}
            enrollments:
              - {sequence: a, completed: {negativeBinomial: {mean: 150, sd: 30}}, audience: {core: 0.6, cold: 0.4}}
              - {sequence: b, completed: 90, audience: core}
          - name: ben
            enrollments:
              - {sequence: a, completed: {poisson: 120}, audience: cold}
        interventions:
          tokens: {kind: personalization, replyLift: {triangular: [1.05, 1.2, 1.5]}, coverage: 0.8}
          clean: {kind: removeBounced, efficacy: {beta: {mean: 0.8, sd: 0.1}}}
          nudge: {kind: addFollowUp, replyHazard: {uniform: [0.5, 1]}}
          verify: {kind: verification, efficacy: 0.7}
        """

    static func summary(strategies: String, extraInterventions: String = "") async throws -> SimulationSummary {
        let scenario = try Scenario.parse(
            yaml + extraInterventions + "\nstrategies:\n" + strategies,
            file: "crn.yaml"
        )
        let options = SimulationOptions(trials: 2_345, seed: 5, threads: 2)
        return try await Simulation.run(SimulationPlan(scenario), options: options).summary
    }

    @Test func aStrategyHasTheSameNumbersAloneOrAmongOthers() async throws {
        let alone = try await Self.summary(strategies: "  - {name: both, apply: [tokens, nudge]}")
        let among = try await Self.summary(
            strategies: """
                  - {name: clean, apply: [clean]}
                  - {name: both, apply: [tokens, nudge]}
                  - {name: all, apply: [tokens, clean, nudge, verify]}
                """
        )
        #expect(alone.summaries[0] == among.summaries[0])
        #expect(alone.summaries[1] == among.summaries[2])
        #expect(alone.paired[1] == among.paired[2])
    }

    @Test func addingAStrategyOrAnInterventionLeavesTheBaselineAlone() async throws {
        let one = try await Self.summary(strategies: "  - {name: clean, apply: [clean]}")
        let more = try await Self.summary(
            strategies: """
                  - {name: clean, apply: [clean]}
                  - {name: extra, apply: [extra, nudge]}
                """,
            extraInterventions: "\n  extra: {kind: addFollowUp, replyHazard: 0.8}"
        )
        // The second layout has room for one more email; the numbers are the same.
        for (a, b) in zip(one.summaries[0], more.summaries[0]) {
            #expect(a.cells == b.cells)
            #expect(a.stepReplies == Array(b.stepReplies.prefix(a.stepReplies.count)))
            #expect(a.replyRate == b.replyRate && a.bounceRate == b.bounceRate && a.completed == b.completed)
        }
    }

    @Test func trialStreamsAreDistinct() {
        let streams = TrialStreams(seed: 3, baselineLanes: 37, strategyLanes: 11)
        var seen = Set<UInt32>()
        for trial in 0..<3_000 {
            for lane in 0..<48 { seen.insert(streams.seed(trial: trial, lane: lane)) }
        }
        #expect(seen.count == 3_000 * 48)
        #expect(streams.trialCapacity == (TrialStreams.halfCapacity - 1) / 37)
    }
}

/// The joint outcome of the team: reps at a band or better, counted trial by trial.
@Suite struct RepsAtLeastTests {
    @Test func theExpectedCountIsTheSumOfTheRepsProbabilities() async throws {
        // Linearity of expectation holds exactly in counts, whatever the correlation between reps.
        let scenario = try Scenario.load(path: TestSupport.path("Scenarios/combined-plan.yaml"))
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 3_000, seed: 4, threads: 2)
        )
        let report = RunReport(scenario: scenario, result: result)
        for strategy in report.strategies {
            for band in report.bandOrder.dropLast() {
                let joint = try #require(strategy.repsAtLeast?[band])
                let sum = strategy.reps.map { $0.pAtLeast?[band] ?? -1 }.reduce(0, +)
                #expect(abs(joint.mean - sum) < 1e-9, "\(strategy.name), \(band)")
                #expect(abs(joint.mean - joint.pAtLeast.dropFirst().reduce(0, +)) < 1e-9)
                #expect(joint.pAtLeast.first == 1 && joint.pAtLeast.count == strategy.reps.count + 1)
                #expect(joint.pAtLeast == joint.pAtLeast.sorted(by: >))
            }
        }
    }

    @Test func sharedSegmentDrawsCorrelateTheReps() async throws {
        // Two identical reps whose only uncertainty is the segment's reply rate, shared by both:
        // they reach Good together, so P(both) is P(one), far above P(one)^2.
        let scenario = try Scenario.parse(
            """
            segments: {core: {bounce: 0.01, reply: {uniform: [0.01, 0.06]}}}
            reps:
              - {name: a, enrollments: [{sequence: s, completed: 100000, audience: core}]}
              - {name: b, enrollments: [{sequence: s, completed: 100000, audience: core}]}
            """,
            file: "shared.yaml"
        )
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 4_000, seed: 9, threads: 2)
        )
        let report = RunReport(scenario: scenario, result: result)
        let joint = try #require(report.strategies[0].repsAtLeast?["Good"])
        let one = try #require(report.strategies[0].reps[0].pAtLeast?["Good"])
        #expect(one > 0.2 && one < 0.8)
        #expect(abs(joint.pAtLeast[2] - one) < 0.02)
        #expect(joint.pAtLeast[2] > one * one + 0.1)
    }
}
