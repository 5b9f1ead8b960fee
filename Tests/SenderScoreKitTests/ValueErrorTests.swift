import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// The rest of the messages a user can meet: structure, parameters, rule sets, limits.
@Suite struct ValueErrorTests {
    static let valid = ScenarioErrorTests.valid

    func message(replacing old: String, with new: String, in yaml: String = valid) -> String? {
        precondition(yaml.contains(old), old)
        return TestSupport.scenarioError(yaml.replacingOccurrences(of: old, with: new))?.description
    }

    @Test(arguments: [
        ("name: ana", "name: \"\"", "test.yaml:5:11: reps[0].name: a name cannot be empty"),
        (
            "  - name: ana\n    enrollments:\n      - {sequence: outbound, completed: 200, audience: {core: 0.7, bought: 0.3}}",
            " []", "test.yaml:5:2: reps: list at least one rep"
        ),
        (
            "      - {sequence: outbound, completed: 200, audience: {core: 0.7, bought: 0.3}}", "      []",
            "test.yaml:5:5: reps[0]: rep 'ana' needs at least one enrollment line"
        ),
        (
            "audience: {core: 0.7, bought: 0.3}", "audience: {}",
            "test.yaml:7:56: reps[0].enrollments[0].audience: name at least one segment with its share"
        ),
        (
            "completed: 200", "completed: -5",
            "test.yaml:7:41: reps[0].enrollments[0].completed: -5 is out of range; expected 0 to 1000000000"
        ),
        (
            "completed: 200", "completed: {poisson: 600000000}",
            "test.yaml:7:51: reps[0].enrollments[0].completed.poisson: a poisson mean must be above 0 and at most 500000000"
        ),
        (
            "completed: 200", "completed: {negativeBinomial: {n: 5, p: 1}}",
            "test.yaml:7:60: reps[0].enrollments[0].completed.negativeBinomial: p must be between 0 and 1 (exclusive), found 1"
        ),
        (
            "reply: 0.08", "reply: {beta: {alpha: 0, beta: 3}}",
            "test.yaml:2:46: segments.core.reply.beta.alpha: must be above 0, found 0"
        ),
        (
            "reply: 0.08", "reply: {beta: {mean: 1.2, sd: 0.1}}",
            "test.yaml:2:38: segments.core.reply.beta: a beta mean must be between 0 and 1, found 1.2"
        ),
        (
            "reply: 0.08", "reply: {beta: {mean: 0.5, sd: 1e-200}}",
            "test.yaml:2:38: segments.core.reply.beta: these values do not form a usable beta distribution (the sd is too small or too large); for a value without spread write the number itself"
        ),
        (
            "completed: 200", "completed: {negativeBinomial: {mean: 1000000, sd: 100000000}}",
            "test.yaml:7:60: reps[0].enrollments[0].completed.negativeBinomial: negativeBinomial(mean 1000000, sd 100000000) puts counts above 1,000,000,000 within reach; use a smaller mean or less spread"
        ),
        (
            "reply: 0.08", "reply: 0x10",
            "test.yaml:2:31: segments.core.reply: 16 is not a probability; expected a value from 0 to 1 (or 0% to 100%)"
        ),
    ])
    func scenarioMessages(old: String, new: String, expected: String) {
        #expect(message(replacing: old, with: new) == expected)
    }

    @Test func structureMessages() {
        #expect(
            TestSupport.scenarioError("segments: {}\nreps: []")?.description
                == "test.yaml:1:11: segments: define at least one segment"
        )
        #expect(
            TestSupport.scenarioError("segments:\n  ? [a]\n  : {bounce: 0, reply: 0}\nreps: []")?.description
                == "test.yaml:2:5: segments: keys must be plain names"
        )
        #expect(
            message(replacing: "seed", with: "seed", in: "seed: 18446744073709551616\n" + Self.valid)
                == "test.yaml:1:7: seed: 18446744073709551616 is out of range; expected 0 to 18446744073709551615"
        )
    }

    @Test func seedsAreReadExactly() throws {
        let scenario = try Scenario.parse("seed: 9007199254740993\n" + Self.valid, file: "s.yaml")
        #expect(scenario.seed == 9_007_199_254_740_993)
        #expect(try Scenario.parse("seed: 18446744073709551615\n" + Self.valid, file: "s.yaml").seed == UInt64.max)
    }

    static let rules = """
        reply: [{from: 0, points: 0}]
        bounce: [{from: 0, points: 50}]
        bands: [{from: 0, name: Low}]
        """

    func rulesMessage(_ yaml: String) -> String? {
        do {
            _ = try RuleSet.load(try TestSupport.write(yaml, named: "rules.yaml"))
            return nil
        } catch {
            return (error as? ScenarioError)?.message ?? "\(error)"
        }
    }

    @Test(arguments: [
        (
            "replyDenominator: deliverd\n",
            "unknown reply denominator 'deliverd' (did you mean 'delivered'?); expected delivered or completed"
        ),
        ("targets: {reply: [0.13, 0.07]}\n", "expected [low, high] with 0 <= low <= high <= 1, found [0.13, 0.07]"),
        ("targets: {reply: 0.07}\n", "expected a list, found the number 0.07"),
        ("targets: {reply: [0.07]}\n", "expected [low, high], such as [0.07, 0.13]"),
        ("targets: {bounce: 3}\n", "expected a rate from 0 to 1, found 3"),
        ("minimumCompleted: {rep: 0}\n", "must be at least 1"),
        ("minimumCompleted: {sequence: 0}\n", "must be at least 1"),
    ])
    func ruleSetMessages(prefix: String, expected: String) {
        #expect(rulesMessage(prefix + Self.rules) == expected)
    }

    @Test func emptyTablesAndPrecision() {
        #expect(
            rulesMessage(Self.rules.replacingOccurrences(of: "reply: [{from: 0, points: 0}]", with: "reply: []"))
                == "needs at least one row, such as {from: 0, points: 0}"
        )
        #expect(
            rulesMessage(Self.rules.replacingOccurrences(of: "bands: [{from: 0, name: Low}]", with: "bands: []"))
                == "needs at least one band, such as {from: 0, name: Low}"
        )
        #expect(
            rulesMessage(Self.rules.replacingOccurrences(of: "points: 50", with: "points: 0.0000000001"))
                == "the number 0.0000000001 cannot be held exactly; write it with at most 9 decimal places and a magnitude below 1,000,000,000"
        )
        #expect(
            rulesMessage(Self.rules.replacingOccurrences(of: "points: 50", with: "points: 600000000"))
                == "600000000 points is too large; points must stay below 500,000,000 so totals fit"
        )
        // Large scales are fine: a band from 200 on a 0–300 scale.
        #expect(
            rulesMessage(
                """
                reply: [{from: 0, points: 0}, {from: 0.07, points: 150}]
                bounce: [{from: 0, points: 150}]
                bands: [{from: 0, name: Low}, {from: 200, name: High}]
                """
            ) == nil
        )
    }

    @Test func tooManyStreamsIsRefusedBeforeRunning() async throws {
        let reps = (0..<200).map { "  - {name: r\($0), enrollments: [{sequence: s, completed: 100, audience: core}]}" }
        let scenario = try Scenario.parse(
            "segments: {core: {bounce: 0.02, reply: 0.08}}\nreps:\n" + reps.joined(separator: "\n"),
            file: "big.yaml"
        )
        let plan = SimulationPlan(scenario)
        let error = await #expect(throws: ScenarioError.self) {
            try await Simulation.run(plan, options: SimulationOptions(trials: 1_000_000_000, seed: 1, threads: 1))
        }
        #expect(error?.location == .run && error?.code == .limit)
        #expect(error?.message.contains("distinct seeds available") == true)
        #expect(error?.message.contains("; use at most ") == true)
    }
}
