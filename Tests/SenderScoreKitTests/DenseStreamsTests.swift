import Testing
import _TestSupport

@testable import SenderScoreKit

/// A run too large for every lane to have a stream of its own numbers only the lanes its trials
/// seed (`TrialStreams`, dense layout); a run that fits keeps the first layout and its numbers.
@Suite struct DenseStreamsTests {
    /// One rep and 20,000 segments with fixed rates: 40,000 lanes, two of them drawn per trial.
    private static func manySegments() throws -> Scenario {
        var yaml = "name: many segments\nsegments:\n"
        for index in 0..<20_000 { yaml += "  s\(index): {bounce: 0.02, reply: 0.08}\n" }
        yaml += "reps:\n  - {name: ana, enrollments: [{sequence: out, completed: 200, audience: s7}]}\n"
        return try Scenario.parse(yaml, file: "many.yaml")
    }

    @Test func denseSeedsAreDistinctAndKeepTheHalvesApart() {
        // Lanes 0..<6 are the baseline's, 6..<10 the strategies'; 1, 4, 7 and 9 are seeded.
        let streams = TrialStreams(seed: 5, lanes: 10, baselineLanes: 6, seeded: [1, 4, 7, 9])
        #expect(streams.isDense)
        #expect(streams.baselineLanes == 2 && streams.strategyLanes == 2)
        var seen = Set<UInt32>()
        for trial in 0..<20_000 {
            for lane in [1, 4, 7, 9] {
                let seed = streams.seed(trial: trial, lane: lane)
                #expect(seed != 0 && seed <= UInt32(StreamSeeds.capacity))
                seen.insert(seed)
            }
        }
        #expect(seen.count == 80_000)
        // Trial t's baseline lanes take streams 2t and 2t + 1 of the first half.
        let first = TrialStreams(seed: 5, baselineLanes: 6, strategyLanes: 4)
        #expect(streams.seed(trial: 3, lane: 4) == first.seeds.trialSeed(stream: 7))
        #expect(streams.seed(trial: 3, lane: 9) == first.seeds.trialSeed(stream: TrialStreams.halfCapacity + 7))
    }

    @Test func aRunThatFitsKeepsTheFirstLayout() throws {
        let plan = SimulationPlan(try Self.manySegments())
        let numbered = plan.streams(seed: 1)
        #expect(numbered.trialCapacity == (TrialStreams.halfCapacity - 1) / plan.baselineLaneCount)
        #expect(!plan.streams(seed: 1, trials: numbered.trialCapacity).isDense)
        #expect(plan.streams(seed: 1, trials: numbered.trialCapacity + 1).isDense)
        #expect(plan.runTrialCapacity > 100 * numbered.trialCapacity)
    }

    @Test func aRunPastTheFirstLayoutsCapacityRuns() async throws {
        let plan = SimulationPlan(try Self.manySegments())
        let capacity = plan.streams(seed: 1).trialCapacity
        let options = SimulationOptions(trials: capacity + 1_000, seed: 1, generator: .taus2, threads: 2)
        // The plan path (sensitivity, planning) keeps the first layout and refuses.
        #expect(throws: ScenarioError.self) { try options.check(for: plan) }
        let result = try await Simulation.run(plan, options: options)
        #expect(result.summary.trials == capacity + 1_000)
        // Bounced ~ Binomial(200, 0.02): a mean of 4 within a few standard errors.
        let bounce = try #require(result.summary.summaries[0][0].bounceRate.moments.mean)
        let trials = Double(capacity + 1_000)
        let standardError: Double = (0.02 * 0.98 / 200 / trials).squareRoot()
        #expect(abs(bounce - 0.02) < 4 * standardError)
        // Any thread count gives the same summary.
        var one = options
        one.threads = 1
        #expect(try await Simulation.run(plan, options: one).summary == result.summary)
    }
}
