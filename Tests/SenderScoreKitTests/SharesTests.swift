import Testing
import _TestSupport

@testable import SenderScoreKit

/// Shares as any program writes them: any finite number, summing to 1 within 1e-9, then used
/// normalized.
@Suite struct SharesTests {
    static let scenario = """
        segments:
          a: {bounce: 0.30000000000000004, reply: 0.08}
          b: {bounce: 0.02, reply: 0.08}
          c:
            bounce: 0.02
            reply: 0.08
            rates: overall
            contacts: {unengaged: {share: 0.3333333333333333}, optedOut: {share: 0.6666666666666666}}
        sequences:
          out: {steps: [{replyShare: 0.1}, {replyShare: 0.2}, {replyShare: 0.30000000000000004}, {replyShare: 0.4}]}
        reps:
          - name: ana
            enrollments: [{sequence: out, completed: 200, audience: {a: 0.3333333333333333, b: 0.3333333333333333, c: 0.3333333333333334}}]
        """

    @Test func sharesFromAnyProgramAreReadAndNormalized() throws {
        let scenario = try Scenario.parse(Self.scenario, file: "shares.yaml")
        let audience = scenario.reps[0].enrollments[0].audience.map(\.share)
        #expect(abs(audience.reduce(0, +) - 1) < 1e-15)
        #expect(abs(audience[0] - 1.0 / 3) < 1e-15)
        let steps = scenario.sequences[0].steps.map(\.replyShare)
        #expect(abs(steps.reduce(0, +) - 1) < 1e-15)
        #expect(scenario.segments[0].bounce.mean == 0.30000000000000004)
        // The groups fill the segment: no regular contacts, and no negative share for them.
        #expect(scenario.segments[2].memberShares[0] >= 0 && scenario.segments[2].memberShares[0] < 1e-12)
    }

    @Test func sharesOffByMoreThanTheToleranceAreRefused() {
        let almost = Self.scenario.replacingOccurrences(of: "c: 0.3333333333333334", with: "c: 0.333333")
        #expect(
            TestSupport.scenarioError(almost)?.description
                == "test.yaml:13:61: reps[0].enrollments[0].audience: shares sum to 0.999999666667, expected 1"
        )
        let steps = Self.scenario.replacingOccurrences(of: "{replyShare: 0.4}", with: "{replyShare: 0.5}")
        #expect(
            TestSupport.scenarioError(steps)?.description
                == "test.yaml:10:16: sequences.out.steps: the steps' replyShare values sum to 1.1, expected 1"
        )
        let groups = Self.scenario.replacingOccurrences(of: "{share: 0.6666666666666666}", with: "{share: 0.67}")
        #expect(
            TestSupport.scenarioError(groups)?.description.hasSuffix(
                "segments.c.contacts: the shares of these contacts sum to 1.00333, more than the whole segment"
            ) == true,
            "\(String(describing: TestSupport.scenarioError(groups)))"
        )
        let negative = Self.scenario.replacingOccurrences(of: "a: 0.3333333333333333,", with: "a: -0.1,")
        #expect(
            TestSupport.scenarioError(negative)?.description.contains("a share must be from 0 to 1, found -0.1") == true
        )
    }
}
