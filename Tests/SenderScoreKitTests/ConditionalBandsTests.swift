import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// The conditional (Rao–Blackwell) band estimator, `run --estimator conditional`: against exact
/// answers within 4 of its own reported standard errors, its standard errors honest across seeds,
/// never less precise than counting, exact where replies are certain, and as reproducible and
/// mergeable as the counts. Seeds are fixed, so these tests never flake.
@Suite struct ConditionalBandsTests {
    static let trials = 20_000

    func run(
        _ yaml: String,
        trials: Int = trials,
        seed: UInt64 = 2026,
        estimator: BandEstimator = .conditional,
        threads: Int = 2
    ) async throws -> (scenario: Scenario, report: RunReport, result: SimulationResult) {
        let scenario = try Scenario.parse(yaml, file: "conditional.yaml")
        var options = SimulationOptions(trials: trials, seed: seed, threads: threads)
        options.bandEstimator = estimator
        let result = try await Simulation.run(SimulationPlan(scenario), options: options)
        return (scenario, RunReport(scenario: scenario, result: result), result)
    }

    /// Every band within 4 of the level's reported standard errors of the exact probability.
    func expectWithinErrors(
        _ level: LevelReport,
        _ exact: [String: Double],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(abs(exact.values.reduce(0, +) - 1) < 1e-9, sourceLocation: sourceLocation)
        for (band, p) in exact {
            let observed = level.bands[band] ?? -1
            let error = level.bandStdErr[band] ?? -1
            #expect(
                abs(observed - p) <= 4 * error + 1e-9,
                "\(level.name) \(band): estimated \(observed) ± \(error), exact \(p)",
                sourceLocation: sourceLocation
            )
        }
    }

    /// The exact band probabilities of one rep's `completed` enrollments at fixed rates.
    func exactBands(
        _ scenario: Scenario,
        completed: Int,
        bounce: Double,
        reply: ExactBands.ReplyModel
    ) -> [String: Double] {
        ExactBands.probabilities(rules: scenario.rules, level: .rep, completed: completed, bounce: bounce, reply: reply)
    }

    static let fixedRates = """
        segments: {core: {bounce: 0.03, reply: 0.07}}
        reps:
          - name: ana
            enrollments: [{sequence: outbound, completed: 200, audience: core}]
        """

    static let betaRate = """
        segments: {core: {bounce: 0.02, reply: {beta: {alpha: 16, beta: 184}}}}
        reps:
          - name: ana
            enrollments: [{sequence: outbound, completed: 150, audience: core}]
        """

    @Test func fixedRatesMatchTheBinomialEnumerationWithSmallerErrors() async throws {
        let (scenario, report, _) = try await run(Self.fixedRates)
        let exact = exactBands(scenario, completed: 200, bounce: 0.03, reply: .fixed(0.07))
        let baseline = report.strategies[0]
        #expect(report.bandEstimator == "conditional")
        expectWithinErrors(baseline.reps[0], exact)
        expectWithinErrors(baseline.sequences[0], exact)
        expectWithinErrors(baseline.team, exact)
        // Only the bounces vary between trials here: the estimate is much less variable than a share
        // (the rates sit on row edges, so bounces alone still move the band often).
        let counted = try await run(Self.fixedRates, estimator: .counts).report.strategies[0].reps[0]
        #expect(counted.bandStdErr.values.max()! > 1.5 * baseline.reps[0].bandStdErr.values.max()!)
        #expect(counted.bands.values.reduce(0, +) > 0.999_999)
        #expect(abs(baseline.reps[0].bands.values.reduce(0, +) - 1) < 1e-12)
        // P(at a band or better) is the sum of the bands above.
        for (index, band) in scenario.rules.bandNames.enumerated() {
            let above = scenario.rules.bandNames[index...].map { baseline.reps[0].bands[$0]! }.reduce(0, +)
            #expect(abs(baseline.reps[0].pAtLeast![band]! - above) < 1e-12)
        }
    }

    @Test func withNothingButRepliesUncertainEveryTrialIsExact() async throws {
        // Fixed volume and rates and no bounces: each trial's estimate is the exact answer.
        let (scenario, report, _) = try await run(
            """
            segments: {core: {bounce: 0, reply: 0.07}}
            reps:
              - name: ana
                enrollments: [{sequence: outbound, completed: 200, audience: core}]
            """,
            trials: 1_000
        )
        let exact = exactBands(scenario, completed: 200, bounce: 0, reply: .fixed(0.07))
        let rep = report.strategies[0].reps[0]
        #expect(exact.values.filter { $0 > 0.01 }.count >= 2, "the test needs several likely bands")
        for (band, p) in exact {
            #expect(abs(rep.bands[band]! - p) < 1e-12, "\(band): \(rep.bands[band]!) against \(p)")
            #expect(rep.bandStdErr[band]! < 1e-9)
        }
    }

    @Test func aBetaReplyRateMatchesTheBetaBinomial() async throws {
        let (scenario, report, _) = try await run(Self.betaRate)
        let exact = exactBands(scenario, completed: 150, bounce: 0.02, reply: .beta(alpha: 16, beta: 184))
        expectWithinErrors(report.strategies[0].reps[0], exact)
    }

    @Test func aPoissonMixtureOfVolumesMatchesAndIneligibleIsCounted() async throws {
        let yaml = """
            segments: {core: {bounce: 0.025, reply: 0.08}}
            reps:
              - name: ana
                enrollments: [{sequence: s, completed: {poisson: 104}, audience: core}]
            """
        let (scenario, report, _) = try await run(yaml)
        let completed = CountDistribution.poisson(mean: 104)
        for level in [Scorecard.Level.rep, .sequence] {
            let exact = ExactBands.probabilities(
                rules: scenario.rules,
                level: level,
                completed: completed,
                bounce: 0.025,
                reply: .fixed(0.08)
            )
            let reported = level == .rep ? report.strategies[0].reps[0] : report.strategies[0].sequences[0]
            expectWithinErrors(reported, exact)
        }
        // Eligibility does not depend on replies: the estimate is the share of ineligible trials.
        let counted = try await run(yaml, estimator: .counts).report.strategies[0].reps[0]
        #expect(report.strategies[0].reps[0].bands[RuleSet.ineligible] == counted.bands[RuleSet.ineligible])
    }

    @Test func aMixtureOfSegmentsMatchesItsEnumeration() async throws {
        // Two fixed volumes from segments with different rates: the rep's replies are a sum of two
        // binomials on their delivered, enumerated here over every bounce count of both.
        let (nA, bA, rA) = (50, 0.02, 0.09)
        let (nB, bB, rB) = (55, 0.06, 0.03)
        let (scenario, report, _) = try await run(
            """
            segments:
              a: {bounce: \(bA), reply: \(rA)}
              b: {bounce: \(bB), reply: \(rB)}
            reps:
              - name: ana
                enrollments:
                  - {sequence: first, completed: \(nA), audience: a}
                  - {sequence: second, completed: \(nB), audience: b}
            """
        )
        let rules = scenario.rules
        var exact = Dictionary(uniqueKeysWithValues: (rules.bandNames + [RuleSet.ineligible]).map { ($0, 0.0) })
        for bouncedA in 0...nA {
            let pA = Densities.binomial(bouncedA, n: nA, p: bA)
            let repliesA = (0...(nA - bouncedA)).map { Densities.binomial($0, n: nA - bouncedA, p: rA) }
            for bouncedB in 0...nB {
                let weight = pA * Densities.binomial(bouncedB, n: nB, p: bB)
                guard weight > 1e-16 else { continue }
                let repliesB = (0...(nB - bouncedB)).map { Densities.binomial($0, n: nB - bouncedB, p: rB) }
                var total = Array(repeating: 0.0, count: repliesA.count + repliesB.count - 1)
                for (i, a) in repliesA.enumerated() { for (j, b) in repliesB.enumerated() { total[i + j] += a * b } }
                for (replied, p) in total.enumerated() {
                    let counts = Counts(completed: nA + nB, bounced: bouncedA + bouncedB, replied: replied)
                    let band = rules.bandNames[rules.outcome(counts, minimum: 100).band]
                    exact[band, default: 0] += weight * p
                }
            }
        }
        expectWithinErrors(report.strategies[0].reps[0], exact)
        expectWithinErrors(report.strategies[0].team, exact)
    }

    @Test func aSequenceOfStepsRepliesAsItsOverallRate() async throws {
        // Replies spread over three emails, with unsubscribes between: a delivered enrollment
        // still replies at some step with the segment's rate, so the exact answer is one binomial.
        let (scenario, report, _) = try await run(
            """
            segments: {core: {bounce: 0.03, reply: 0.07, unsubscribe: 0.02}}
            sequences:
              outbound:
                steps:
                  - {name: intro, replyShare: 0.5, unsubscribeShare: 0.2}
                  - {name: bump, replyShare: 0.3, unsubscribeShare: 0.3}
                  - {name: break-up, replyShare: 0.2, unsubscribeShare: 0.5}
            reps:
              - name: ana
                enrollments: [{sequence: outbound, completed: 200, audience: core}]
            """
        )
        let exact = exactBands(scenario, completed: 200, bounce: 0.03, reply: .fixed(0.07))
        expectWithinErrors(report.strategies[0].reps[0], exact)
    }

    @Test(arguments: [fixedRates, betaRate])
    func standardErrorsAreHonestAcrossSeeds(_ yaml: String) async throws {
        // Over 40 seeds, (estimate − exact) / reported error should be about standard normal: the
        // mean square near 1. Too small an error would push it up, too large pull it down.
        let scenario = try Scenario.parse(yaml, file: "conditional.yaml")
        let completed = yaml.contains("150") ? 150 : 200
        let reply: ExactBands.ReplyModel = yaml.contains("beta") ? .beta(alpha: 16, beta: 184) : .fixed(0.07)
        let exact = exactBands(
            scenario,
            completed: completed,
            bounce: yaml.contains("0.02,") ? 0.02 : 0.03,
            reply: reply
        )
        var squares: [Double] = []
        for seed in UInt64(1)...40 {
            let level = try await run(yaml, trials: 500, seed: seed).report.strategies[0].reps[0]
            for (band, p) in exact where p > 0.02 && p < 0.98 {
                let z = (level.bands[band]! - p) / level.bandStdErr[band]!
                squares.append(z * z)
            }
        }
        let meanSquare = squares.reduce(0, +) / Double(squares.count)
        #expect(squares.count >= 80)
        #expect((0.6...1.5).contains(meanSquare), "mean squared z over \(squares.count) estimates: \(meanSquare)")
    }

    @Test func certainRepliesGiveTheCountedEstimate() async throws {
        // No replies, replies from everyone, and nothing delivered: a trial's band is fixed by what
        // the estimator conditions on, so the two estimators agree exactly.
        for segment in ["{bounce: 0.03, reply: 0}", "{bounce: 0.03, reply: 1}", "{bounce: 1, reply: 0.1}"] {
            let yaml = """
                segments: {core: \(segment)}
                reps:
                  - name: ana
                    enrollments: [{sequence: s, completed: {poisson: 120}, audience: core}]
                """
            let conditional = try await run(yaml, trials: 3_000).report.strategies[0]
            let counted = try await run(yaml, trials: 3_000, estimator: .counts).report.strategies[0]
            for (mine, theirs) in [(conditional.reps[0], counted.reps[0]), (conditional.team, counted.team)] {
                for (band, p) in theirs.bands {
                    #expect(abs(mine.bands[band]! - p) < 1e-12, "\(segment) \(band)")
                }
            }
        }
    }

    @Test func aReplyRateOverCompletedIsEstimatedToo() async throws {
        let yaml = """
            segments: {core: {bounce: 0.04, reply: 0.07}}
            rules:
              name: over-completed
              replyDenominator: completed
              reply: [{from: 0, points: 0}, {from: 0.05, points: 30}, {from: 0.07, points: 50}]
              bounce: [{from: 0, points: 50}, {from: 0.05, points: 0}]
              bands: [{from: 0, name: Low}, {from: 60, name: Fair}, {from: 90, name: Good}]
            reps:
              - name: ana
                enrollments: [{sequence: s, completed: 200, audience: core}]
            """
        let (scenario, report, _) = try await run(yaml)
        let exact = exactBands(scenario, completed: 200, bounce: 0.04, reply: .fixed(0.07))
        #expect(scenario.rules.replyDenominator == .completed)
        expectWithinErrors(report.strategies[0].reps[0], exact)
    }

    @Test func threadsAndShardsGiveTheSameSums() async throws {
        let yaml = """
            segments:
              a: {bounce: 0.02, reply: {beta: {mean: 0.06, sd: 0.012}}}
              b: {bounce: 0.08, reply: 0.025}
            reps:
              - {name: ana, enrollments: [{sequence: s, completed: 260, audience: {a: 0.8, b: 0.2}}]}
              - {name: ben, enrollments: [{sequence: s, completed: 400, audience: {a: 0.5, b: 0.5}}]}
            """
        let one = try await run(yaml, trials: 3_000, threads: 1).result
        let two = try await run(yaml, trials: 3_000, threads: 2).result
        #expect(one.summary == two.summary)
        #expect(one.summary.summaries[0][0].conditional != nil)
        // Two shards' blocks, merged, are the whole run.
        let scenario = try Scenario.parse(yaml, file: "conditional.yaml")
        var options = SimulationOptions(trials: 3_000, seed: 2026, threads: 2)
        options.bandEstimator = .conditional
        let blocks = options.blockCount
        let plan = SimulationPlan(scenario)
        var merged = try await Simulation.run(plan, options: options, blocks: 0..<blocks / 2).summary
        try merged.merge(try await Simulation.run(plan, options: options, blocks: blocks / 2..<blocks).summary)
        #expect(merged == one.summary)
        // And a saved summary reads back the same.
        let data = try JSONEncoder().encode(merged)
        #expect(try JSONDecoder().decode(SimulationSummary.self, from: data) == merged)
    }

    @Test func groupsTooWideToTabulateAreTakenAsDrawn() async throws {
        // Four reps of a billion enrollments: each rep's replies are tabulated (about 200,000
        // counts wide), the team's would be twice as wide and are taken as drawn.
        let yaml = """
            segments: {core: {bounce: 0.5, reply: 0.5}}
            reps:
            \((1...4).map { "  - {name: r\($0), enrollments: [{sequence: s, completed: 1000000000, audience: core}]}" }
                .joined(separator: "\n"))
            """
        let conditional = try await run(yaml, trials: 4, threads: 1).report.strategies[0]
        let counted = try await run(yaml, trials: 4, estimator: .counts, threads: 1).report.strategies[0]
        #expect(conditional.team.bands == counted.team.bands)
        #expect(abs(conditional.reps[0].bands.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test func savedSumsThatNoRunRecordsAreRefused() throws {
        var sums = ConditionalBandSums(bands: 2)
        let atLeast: [Int64] = [ConditionalBandSums.one, ConditionalBandSums.one / 4]
        atLeast.withUnsafeBufferPointer { sums.record(atLeast: $0) }
        let data = try JSONEncoder().encode(sums)
        #expect(try JSONDecoder().decode(ConditionalBandSums.self, from: data) == sums)
        let text = String(decoding: data, as: UTF8.self)
        // Probabilities that do not add up to one per trial.
        let tampered = text.replacingOccurrences(of: "\"1125899906842624\"", with: "\"1125899906842625\"")
        #expect(tampered != text)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ConditionalBandSums.self, from: Data(tampered.utf8))
        }
    }

    @Test func aTimelineCountsTrials() async throws {
        let scenario = try Scenario.load(path: TestSupport.path("Scenarios/quarter-ramp.yaml"))
        var options = SimulationOptions(trials: 200, seed: 1, threads: 2)
        options.bandEstimator = .conditional
        let result = try await Simulation.run(SimulationPlan(scenario), options: options)
        #expect(result.summary.summaries[0][0].conditional == nil)
        #expect(RunReport(scenario: scenario, result: result).bandEstimator == nil)
    }

    @Test func binomialTablesMatchGSL() {
        var table = BinomialTable()
        for (n, p) in [(1, 0.3), (10, 0.5), (200, 0.06), (57, 0.999), (1_000, 0.001), (100_000, 0.07), (3, 1e-9)] {
            table.fill(n: n, p: p)
            var worst = 0.0
            for k in stride(from: -1, through: n + 1, by: max(1, n / 500)) {
                let exact = k < 0 ? 0 : Densities.binomialCDF(k, n: n, p: p)
                let probability = table.cumulative(k)
                worst = max(worst, abs(probability - exact))
            }
            #expect(worst < 1e-12, "Binomial(\(n), \(p)): largest error \(worst)")
        }
    }

    @Test func smallestCountsAgreeWithExactComparison() {
        for text in ["0", "0.02", "0.07", "0.125", "1", "1.5", "0.333333"] {
            let rate = ExactDecimal(parsing: text)!
            for denominator in [1, 3, 7, 100, 245, 999_983, 4_000_000_000] {
                let k = rate.smallestCount(over: denominator)
                #expect(k == 0 || rate.signOfRate(k - 1, over: denominator) < 0, "\(text) over \(denominator)")
                if k <= denominator {
                    #expect(rate.signOfRate(k, over: denominator) >= 0, "\(text) over \(denominator)")
                }
            }
        }
    }
}
