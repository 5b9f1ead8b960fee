import Testing
import _TestSupport

@testable import SenderScoreKit

/// The decisions docs/levers.md states under "The order of things, decided".
@Suite struct LeverOrderTests {
    static func run(_ yaml: String, trials: Int = 400) async throws -> RunReport {
        let scenario = try Scenario.parse(yaml, file: "order.yaml")
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: trials, seed: 4, threads: 2)
        )
        return RunReport(scenario: scenario, result: result)
    }

    /// Checks that a mean over `trials` of a binomial share of `n` is `truth` within 4.5 errors.
    static func expectShare(_ mean: Double?, _ truth: Double, n: Double, trials: Int, _ what: String) throws {
        let mean = try #require(mean)
        let error = (truth * (1 - truth) / n / Double(trials)).squareRoot()
        #expect(abs(mean - truth) <= 4.5 * error + 1e-12, "\(what): \(mean) against \(truth) ± \(error)")
    }

    @Test func skillAndLiftsAreCappedOnceAndScaleOnlyReplies() async throws {
        // reply 0.4 × skill 3 × lift 0.5 = 0.6; capping skill first would give 0.5.
        let report = try await Self.run(
            """
            segments:
              core: {bounce: 0, reply: 0.4, unsubscribe: 0.1}
            reps:
              - {name: ana, skill: 3, enrollments: [{sequence: out, completed: 5000, audience: core}]}
            interventions:
              halve: {kind: content, replyLift: 0.5}
            strategies:
              - {name: halve, apply: [halve]}
            """
        )
        let lifted = report.strategies[1].reps[0]
        try Self.expectShare(lifted.replyRate.mean, 0.6, n: 5000, trials: 400, "reply")
        // Unsubscribes: the segment's 10% of those who did not reply, skill or not.
        try Self.expectShare(lifted.unsubscribeRate.mean, 0.4 * 0.1, n: 5000, trials: 400, "unsubscribe")
        let baseline = report.strategies[0].reps[0]
        #expect(baseline.replyRate.mean == 1)  // 0.4 × 3, capped
    }

    static let stepped = """
        segments:
          core: {bounce: 0, reply: 0.1}
        sequences:
          out: {steps: [{replyShare: 0.5}, {replyShare: 0.3}, {replyShare: 0.2}]}
        reps:
          - {name: ana, enrollments: [{sequence: out, completed: 10000, audience: core}]}
        interventions:
          tokens: {kind: personalization, replyLift: 1.5}
          more: {kind: addFollowUp, replyHazard: 1}
          less: {kind: dropLastStep}
        """

    @Test func aFollowUpBuildsOnTheLiftedReplyRate() async throws {
        let report = try await Self.run(
            Self.stepped + """

                strategies:
                  - {name: lifted follow-up, apply: [tokens, more]}
                """
        )
        // With r' = 0.15 the third email's hazard is r'·0.2 / (1 − r'·0.8); the fourth repeats it
        // on the 1 − r' still active.
        let r = 0.15
        let hazard = r * 0.2 / (1 - r * 0.8)
        let fourth = try #require(report.strategies[1].reps[0].repliesByStep.dropFirst(3).first)
        try Self.expectShare(fourth / 10000, (1 - r) * hazard, n: 10000, trials: 400, "fourth email")
    }

    @Test func hazardsPastOneAreCappedReplyFirst() async throws {
        let report = try await Self.run(
            Self.stepped.replacingOccurrences(
                of: "more: {kind: addFollowUp, replyHazard: 1}",
                with: "more: {kind: addFollowUp, replyHazard: 1000, unsubscribeHazard: 5}"
            ).replacingOccurrences(of: "reply: 0.1}", with: "reply: 0.1, unsubscribe: 0.05}") + """

                strategies:
                  - {name: everyone replies, apply: [more]}
                """,
            trials: 50
        )
        let ana = report.strategies[1].reps[0]
        let byStep = ana.repliesByStep
        // Every enrollment still active at the fourth email replies there; none unsubscribes there.
        let baselineReplies = report.strategies[0].reps[0].repliesByStep.reduce(0, +)
        let baselineUnsubscribed = try #require(report.strategies[0].reps[0].unsubscribeRate.mean) * 10000
        let active = 10000 - baselineReplies - baselineUnsubscribed
        #expect(abs(byStep[3] - active) < 1e-6 * 10000)
        #expect(ana.unsubscribeRate.mean == report.strategies[0].reps[0].unsubscribeRate.mean)
    }

    @Test func addAndDropApplyInTheOrderListed() async throws {
        let report = try await Self.run(
            Self.stepped + """

                strategies:
                  - {name: add then drop, apply: [more, less]}
                  - {name: drop then add, apply: [less, more]}
                """
        )
        let (baseline, addDrop, dropAdd) = (
            report.strategies[0].reps[0], report.strategies[1].reps[0], report.strategies[2].reps[0]
        )
        // Adding an email and dropping it again leaves the sequence as it was, exactly.
        #expect(addDrop.bands == baseline.bands && addDrop.replyRate == baseline.replyRate)
        #expect(Array(addDrop.repliesByStep.prefix(3)) == Array(baseline.repliesByStep.prefix(3)))
        // Dropping the third email and adding one modelled on the second changes the replies.
        #expect(dropAdd.replyRate.mean != baseline.replyRate.mean)
        #expect(dropAdd.repliesByStep[0] == baseline.repliesByStep[0])
    }

    @Test func replyHazardDefaultsToOne() async throws {
        let explicit = try await Self.run(
            Self.stepped + "\nstrategies:\n  - {name: more, apply: [more]}\n",
            trials: 100
        )
        let implicit = try await Self.run(
            Self.stepped.replacingOccurrences(of: "{kind: addFollowUp, replyHazard: 1}", with: "{kind: addFollowUp}")
                + "\nstrategies:\n  - {name: more, apply: [more]}\n",
            trials: 100
        )
        #expect(explicit.strategies[1].reps[0].replyRate == implicit.strategies[1].reps[0].replyRate)
        #expect(explicit.strategies[1].reps[0].repliesByStep == implicit.strategies[1].reps[0].repliesByStep)
    }
}
