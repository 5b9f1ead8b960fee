import Testing
import _TestSupport

@testable import SenderScoreKit

/// The engine's binomial and multinomial samplers run GSL's inversion and BTPE with their set-ups
/// kept per (p, n) (`BinomialSetups`), and trials seed taus2 lanes without `gsl_rng_set`
/// (`Taus2Seeding`); they must give GSL's own variates, draw for draw, for every n and p a trial can
/// ask for, and a binomial must leave the stream where GSL leaves it.
@Suite struct RandomLanesTests {
    /// A plan's lane names are held as one run of bytes (`LaneNames`) and read back as written.
    @Test func laneNamesReadBackAsWritten() throws {
        var names = LaneNames()
        let written = ["segment core: reply rate", "", "rep ana, line 0 (outbound), café: bounced", "x"]
        for name in written { names.append(name) }
        #expect(Array(names) == written && names.count == 4 && names[2] == written[2])
        let plan = SimulationPlan(try Scenario.load(path: TestSupport.path("Scenarios/baseline.yaml")))
        #expect(plan.laneNames.count == plan.laneCount && plan.laneNames.allSatisfy { !$0.isEmpty })
        #expect(plan.laneNames.contains { $0.hasSuffix(": bounced") })
        // Names stored as what they add to the one before, with whole names every 16: read back
        // across restarts, after a shorter or an equal name, within a multi-byte character, and
        // past 255 shared bytes.
        let long = String(repeating: "r", count: 300)
        var many = (0..<40).flatMap { ["rep \($0)/outbound, café: bounced", "rep \($0)/outbound, café: replied"] }
        many += ["rep 1/outbound, caf", "rep 1/outbound, caf", "rep 1/outbound, cafè", long + "a", long + "b", long]
        var coded = LaneNames()
        for name in many { coded.append(name) }
        #expect(Array(coded) == many)
        var compact = coded
        compact.compact()
        #expect(Array(compact) == many)
        #expect(coded[17] == many[17] && coded[many.count - 1] == long)
    }

    /// A runner holds generators only for the lanes its trials seed; the others share one, and
    /// every seeded lane draws as it would with a generator for every lane.
    @Test func unusedLanesShareAGenerator() {
        let everyLane = RandomLanes(generator: .taus2, count: 6)
        let someLanes = RandomLanes(generator: .taus2, count: 6, used: [1, 4])
        let streams = TrialStreams(seed: 9, baselineLanes: 6, strategyLanes: 0)
        for trial in 0..<50 {
            everyLane.start(trial: trial, lanes: [1, 4], streams: streams)
            someLanes.start(trial: trial, lanes: [1, 4], streams: streams)
            for lane in [1, 4, 1, 4, 4] {
                #expect(everyLane.binomial(lane, n: 300, p: 0.07) == someLanes.binomial(lane, n: 300, p: 0.07))
            }
        }
    }

    @Test func binomialIsGSLsDrawForDraw() {
        var state: UInt64 = 20_261_207
        let lanes = RandomLanes(generator: .taus2, count: 2)
        let streams = TrialStreams(seed: 3, baselineLanes: 1, strategyLanes: 1)
        let edges: [Double] = [1e-12, 0.001, 0.02, 0.06, 0.5, 0.5000001, 0.94, 0.999, 1 - 1e-12]
        for trial in 0..<4_000 {
            // Both lanes get the same seed, as `start` would give one lane.
            let seed = streams.seed(trial: trial, lane: 0)
            lanes.seed(lane: 0, with: seed)
            lanes.seed(lane: 1, with: seed)
            for _ in 0..<8 {
                let r = SplitMix64.next(&state)
                let n = Int(r % 4) == 0 ? Int(r >> 40) % 3_000 + 1 : Int(r >> 40) % 400 + 1
                let p =
                    Int(r >> 8) % 3 == 0
                    ? edges[Int(r >> 16) % edges.count] : Double(r >> 11) / Double(1 << 53)
                let fast = lanes.binomial(0, n: n, p: p)
                let gsl = p > 0 && p < 1 ? lanes.gslReferenceBinomial(1, n: n, p: p) : fast
                #expect(fast == gsl, "n \(n), p \(p)")
            }
            #expect(lanes.uniform(0) == lanes.uniform(1))
        }
    }

    @Test func repeatedSizesAndProbabilitiesHitTheCacheAndStayExact() {
        let lanes = RandomLanes(generator: .taus2, count: 2)
        for seed in UInt32(1)...UInt32(3_000) {
            lanes.seed(lane: 0, with: seed)
            lanes.seed(lane: 1, with: seed)
            for n in [100, 180, 200, 260, 400] {
                for p in [0.02, 0.025, 0.06, 0.08] {
                    #expect(lanes.binomial(0, n: n, p: p) == lanes.gslReferenceBinomial(1, n: n, p: p))
                }
            }
        }
    }

    @Test func multinomialIsGSLsDrawForDraw() {
        let lanes = RandomLanes(generator: .taus2, count: 2)
        let splits: [[Double]] = [
            [0.8, 0.2], [0.5, 0.5], [0.9, 0.1], [0.7, 0.2, 0.1], [0.03, 0.01, 0.96],
            [0.25, 0.03, 0.01, 0.71], [0, 1], [1, 0], [0.3, 0, 0.7], [0.1, 0.2, 0.3, 0.4],
        ]
        for seed in UInt32(1)...UInt32(2_000) {
            lanes.seed(lane: 0, with: seed)
            lanes.seed(lane: 1, with: seed)
            for (index, shares) in splits.enumerated() {
                let n = [0, 1, 13, 150, 400, 5_000][(Int(seed) + index) % 6]
                var fast = [UInt32](repeating: 0, count: shares.count)
                shares.withUnsafeBufferPointer { probabilities in
                    fast.withUnsafeMutableBufferPointer {
                        lanes.multinomial(0, n: n, probabilities: probabilities, into: $0)
                    }
                }
                #expect(fast == lanes.gslReferenceMultinomial(1, n: n, probabilities: shares))
                // The lanes may now stand one uniform apart (a certain last draw is left out).
                lanes.seed(lane: 0, with: seed &+ UInt32(index))
                lanes.seed(lane: 1, with: seed &+ UInt32(index))
            }
        }
    }

    @Test func trialSeedingLeavesGSLsTaus2State() {
        // The inline seeding is in use on this machine, and gives gsl_rng_set's streams.
        #expect(Taus2Seeding.isExact)
        let lanes = RandomLanes(generator: .taus2, count: 4)
        let streams = TrialStreams(seed: 11, baselineLanes: 2, strategyLanes: 2)
        for trial in 0..<2_000 {
            lanes.start(trial: trial, lanes: [0, 2], streams: streams)
            lanes.seed(lane: 1, with: streams.seed(trial: trial, lane: 0))
            lanes.seed(lane: 3, with: streams.seed(trial: trial, lane: 2))
            for _ in 0..<3 {
                #expect(lanes.uniform(0) == lanes.uniform(1))
                #expect(lanes.uniform(2) == lanes.uniform(3))
            }
        }
    }
}
