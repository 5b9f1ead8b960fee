import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Every intervention kind goes through the reader, the plan and the reports from its descriptor
/// alone, so a kind added to `InterventionKind.all` works end to end with no other change.
@Suite struct InterventionKindTests {
    /// Every contact group, so that every kind reaches some cohort.
    static let segments = StrategyTests.team

    /// An intervention of `kind` written from its keys: `value` for its effect, the first segment
    /// where it lists segments.
    static func entry(_ kind: InterventionKind, value: Double?) -> String {
        var fields = ["kind: \(kind.name)"]
        if let key = kind.valueKey, let value { fields.append("\(key.name): \(value)") }
        if kind.reach == .listedSegments { fields.append("segments: [core]") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func scenario(_ kind: InterventionKind, value: Double?) throws -> Scenario {
        try Scenario.parse(
            segments + """

                interventions:
                  lever: \(entry(kind, value: value))
                strategies:
                  - {name: with it, apply: [lever]}
                """,
            file: "kind.yaml"
        )
    }

    static func neutral(_ kind: InterventionKind) -> Double? {
        switch kind.family {
        case .replyMultiplier: return 1
        case .removal, .catchBounces: return 0
        case .addStep, .dropStep: return nil
        }
    }

    @Test(arguments: InterventionKind.all)
    func everyKindReadsFromItsKeysAndIsDescribed(_ kind: InterventionKind) throws {
        let scenario = try Self.scenario(kind, value: kind.valueKey?.domain == .probability ? 0.5 : 1.5)
        #expect(scenario.interventions.map(\.kind) == [kind])
        let line = try #require(scenario.descriptions(of: scenario.strategies[0]).first)
        #expect(line.hasPrefix("lever: \(kind.name)"))
        if let key = kind.valueKey {
            #expect(line.contains(kind.valueKey?.domain == .probability ? "0.5" : "1.5"), "\(line)")
            let missing = TestSupport.scenarioError(
                Self.segments + "\ninterventions:\n  lever: \(Self.entry(kind, value: nil))\n"
            )
            // A required key must be there; an optional one (a follow-up's replyHazard) defaults.
            #expect(missing?.message == (key.isRequired ? "missing key '\(key.name)'" : nil))
        }
        let unknown = TestSupport.scenarioError(
            Self.segments + "\ninterventions:\n  lever: {kind: \(kind.name), colour: red}\n"
        )
        #expect(unknown?.message.hasPrefix("unknown key 'colour'") == true)
        #expect(unknown?.message.hasSuffix("allowed here: " + kind.keys.joined(separator: ", ")) == true)
    }

    /// A reply lift of 1 or an efficacy of 0 gives the baseline's numbers exactly; any other value
    /// moves them the kind's way.
    @Test(arguments: InterventionKind.all.filter { neutral($0) != nil })
    func theNeutralValueChangesNothingAndAnotherDoes(_ kind: InterventionKind) async throws {
        let options = SimulationOptions(trials: 1_500, seed: 3, threads: 2)
        let flat = try await Simulation.run(
            SimulationPlan(Self.scenario(kind, value: Self.neutral(kind))),
            options: options
        )
        #expect(flat.summaries[1] == flat.summaries[0])
        let strong = kind.family == .replyMultiplier ? 2.0 : 1.0
        let result = try await Simulation.run(SimulationPlan(Self.scenario(kind, value: strong)), options: options)
        let (before, after) = (result.summaries[0][0], result.summaries[1][0])
        switch kind.family {
        case .replyMultiplier:
            #expect(try #require(after.replyRate.moments.mean) > #require(before.replyRate.moments.mean))
        case .removal, .catchBounces:
            #expect(try #require(after.completed.moments.mean) < #require(before.completed.moments.mean))
        case .addStep, .dropStep:
            Issue.record("no neutral value")
        }
    }

    @Test func keysAreListedOnceInReadingOrder() {
        #expect(
            InterventionKind.allKeys == [
                "kind", "description", "coverage", "cost", "start", "ramp", "replyLift", "efficacy", "replyHazard",
                "unsubscribeHazard", "segments", "dropUnmatched",
            ]
        )
        #expect(Set(InterventionKind.all.map(\.name)).count == InterventionKind.all.count)
    }
}
