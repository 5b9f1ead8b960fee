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
        // Fixed rates and volume: the bounces and replies are summed out, so every trial gives the
        // exact answer (to the 10^-9 the integral leaves out) and the standard errors are 0.
        let counted = try await run(Self.fixedRates, estimator: .counts).report.strategies[0].reps[0]
        #expect(counted.bandStdErr.values.max()! > 0.001)
        #expect(baseline.reps[0].bandStdErr.values.max()! <= ConditionalBandSums.numericalError)
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
            #expect(rep.bandStdErr[band]! <= ConditionalBandSums.numericalError)
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

    /// Scenarios whose conditional estimates still vary from trial to trial, with their exact
    /// band probabilities: the volume (fixed rates, and a beta reply rate: summed out given the
    /// volume), and a reply rate drawn from a uniform distribution (not a beta, so each trial is
    /// estimated given its bounces and its drawn rate).
    enum Variable: String, CaseIterable, Sendable {
        case poissonVolume, betaRateAndPoissonVolume, uniformRate

        /// The one rep's volume, bounce rate and reply rate.
        var model: (completed: String, bounce: Double, reply: String) {
            switch self {
            case .poissonVolume: return ("{poisson: 200}", 0.03, "0.07")
            case .betaRateAndPoissonVolume: return ("{poisson: 150}", 0.02, "{beta: {alpha: 16, beta: 184}}")
            case .uniformRate: return ("200", 0.03, "{uniform: [0.05, 0.09]}")
            }
        }

        var yaml: String {
            """
            segments: {core: {bounce: \(model.bounce), reply: \(model.reply)}}
            reps:
              - name: ana
                enrollments: [{sequence: outbound, completed: \(model.completed), audience: core}]
            """
        }

        func exact(_ rules: RuleSet) -> [String: Double] {
            func given(_ completed: CountDistribution, _ reply: ExactBands.ReplyModel) -> [String: Double] {
                ExactBands.probabilities(
                    rules: rules,
                    level: .rep,
                    completed: completed,
                    bounce: model.bounce,
                    reply: reply
                )
            }
            switch self {
            case .poissonVolume: return given(.poisson(mean: 200), .fixed(0.07))
            case .betaRateAndPoissonVolume: return given(.poisson(mean: 150), .beta(alpha: 16, beta: 184))
            case .uniformRate:
                // The midpoint rule over the uniform rate: the band probabilities are polynomials
                // in it, smooth enough for 400 points to be exact to far below the errors tested.
                var exact: [String: Double] = [:]
                let points = 400
                for index in 0..<points {
                    let rate = 0.05 + 0.04 * (Double(index) + 0.5) / Double(points)
                    for (band, p) in given(.fixed(200), .fixed(rate)) { exact[band, default: 0] += p / Double(points) }
                }
                return exact
            }
        }
    }

    @Test(arguments: Variable.allCases)
    func standardErrorsAreHonestAcrossSeeds(_ variable: Variable) async throws {
        // Over 40 seeds, (estimate − exact) / reported error should be about standard normal: the
        // mean square near 1. Too small an error would push it up, too large pull it down.
        let yaml = variable.yaml
        let exact = variable.exact(try Scenario.parse(yaml, file: "conditional.yaml").rules)
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

    @Test func certainRepliesMatchTheExactAnswer() async throws {
        // No replies, and replies from everyone: the band depends on the volume and the bounces,
        // which are summed out given the volume. Nothing delivered: the band is fixed by the
        // volume alone, so the two estimators agree exactly.
        for (segment, reply) in [("{bounce: 0.03, reply: 0}", 0.0), ("{bounce: 0.03, reply: 1}", 1.0)] {
            let yaml = """
                segments: {core: \(segment)}
                reps:
                  - name: ana
                    enrollments: [{sequence: s, completed: {poisson: 120}, audience: core}]
                """
            let (scenario, report, _) = try await run(yaml, trials: 3_000)
            let exact = ExactBands.probabilities(
                rules: scenario.rules,
                level: .rep,
                completed: .poisson(mean: 120),
                bounce: 0.03,
                reply: .fixed(reply)
            )
            expectWithinErrors(report.strategies[0].reps[0], exact)
            expectWithinErrors(report.strategies[0].team, exact)
        }
        let yaml = """
            segments: {core: {bounce: 1, reply: 0.1}}
            reps:
              - name: ana
                enrollments: [{sequence: s, completed: {poisson: 120}, audience: core}]
            """
        let conditional = try await run(yaml, trials: 3_000).report.strategies[0]
        let counted = try await run(yaml, trials: 3_000, estimator: .counts).report.strategies[0]
        for (mine, theirs) in [(conditional.reps[0], counted.reps[0]), (conditional.team, counted.team)] {
            for (band, p) in theirs.bands {
                #expect(abs(mine.bands[band]! - p) < 1e-12, "\(band)")
            }
        }
    }

    /// The throughput benchmark's model: two reps drawing from a segment whose reply rate is one
    /// beta draw per trial, shared by both, and a segment at fixed rates, split at random.
    static let sharedBeta = """
        segments:
          a: {bounce: 0.02, reply: {beta: {mean: 0.06, sd: 0.012}}}
          b: {bounce: 0.08, reply: 0.025}
        reps:
          - {name: ana, enrollments: [{sequence: s, completed: 260, audience: {a: 0.8, b: 0.2}}]}
          - {name: ben, enrollments: [{sequence: s, completed: 400, audience: {a: 0.5, b: 0.5}}]}
        """

    /// Each band of `mine` (conditional, over `trials`) within 4 combined standard errors of
    /// `theirs` (counted, over `theirTrials`); where `quieter`, with a noise per trial (standard
    /// error times the square root of the trials) at most 1/`factor` of the counted one.
    func expectAgreement(
        _ mine: LevelReport,
        trials: Int,
        _ theirs: LevelReport,
        theirTrials: Int,
        quieter factor: Double?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (band, p) in theirs.bands {
            let (error, theirError) = (mine.bandStdErr[band]!, theirs.bandStdErr[band]!)
            let combined = (error * error + theirError * theirError).squareRoot()
            #expect(
                abs(mine.bands[band]! - p) <= 4 * combined + 1e-9,
                "\(mine.name) \(band)",
                sourceLocation: sourceLocation
            )
            if let factor, p > 0.05 && p < 0.95 {
                #expect(
                    error * Double(trials).squareRoot() * factor < theirError * Double(theirTrials).squareRoot(),
                    "\(mine.name) \(band): \(error) over \(trials) trials against \(theirError) over \(theirTrials)",
                    sourceLocation: sourceLocation
                )
            }
        }
    }

    @Test func aSharedBetaRateAndASplitMatchCountingWithFarSmallerErrors() async throws {
        // Given only each trial's audience split, the bounces, the shared beta rate and the replies
        // are summed out: the estimate agrees with a long counted run, and a trial carries far
        // less noise than a counted one (the benchmark's point: docs/estimators.md).
        let conditional = try await run(Self.sharedBeta, trials: 2_000).report.strategies[0]
        let counted = try await run(Self.sharedBeta, trials: 60_000, estimator: .counts).report.strategies[0]
        for (mine, theirs) in zip(conditional.reps + [conditional.team], counted.reps + [counted.team]) {
            expectAgreement(mine, trials: 2_000, theirs, theirTrials: 60_000, quieter: 5)
        }
    }

    @Test func strategiesAreEstimatedWhereTheyCanBeAndGivenTheirDrawsWhereNot() async throws {
        // A fixed reply lift keeps the chance of replying fixed (summed out); a drawn one and
        // caught bounces do not (estimated given the trial's bounces and rates). Segment a's
        // unverified contacts bounce at a multiple of its rate: three classes of cohorts in two
        // sources. All agree with counting.
        let yaml = """
            segments:
              a: {bounce: 0.03, reply: 0.06, contacts: {unverified: {share: 0.5, bounce: {times: 3}}}}
              b: {bounce: 0.07, reply: 0.04}
            reps:
              - {name: ana, enrollments: [{sequence: s, completed: 220, audience: {a: 0.6, b: 0.4}}]}
            interventions:
              tokens: {kind: personalization, replyLift: 1.2, coverage: 0.8}
              drawn: {kind: personalization, replyLift: {triangular: [1.0, 1.2, 1.5]}, coverage: 0.8}
              verify: {kind: verification, efficacy: 0.9}
            strategies:
              - {name: fixed lift, apply: [tokens]}
              - {name: drawn lift, apply: [drawn]}
              - {name: verification, apply: [verify]}
            """
        let conditional = try await run(yaml, trials: 4_000).report
        let counted = try await run(yaml, trials: 40_000, estimator: .counts).report
        for (mine, theirs) in zip(conditional.strategies, counted.strategies) {
            // Summed out given the split alone: far less noise per trial than a count.
            let summedOut = ["baseline", "fixed lift"].contains(mine.name)
            expectAgreement(
                mine.reps[0],
                trials: 4_000,
                theirs.reps[0],
                theirTrials: 40_000,
                quieter: summedOut ? 4 : nil
            )
        }
    }

    @Test func givenTheBouncesTheIntegralAveragesToTheWholeIntegral() throws {
        // The law of total probability between the two ways of integrating a level: over the
        // bounces, and given them (for levels too large to sum over their bounces).
        let rules = try Scenario.parse(Self.fixedRates, file: "conditional.yaml").rules
        var integral = BandIntegral(rules: rules)
        let sources: [BandIntegral.Source] = [.beta(slot: 0, alpha: 20, beta: 300), .fixed(0.03)]
        let classes = [
            BandIntegral.Class(source: 0, bounce: 0.02, completed: 90),
            BandIntegral.Class(source: 1, bounce: 0.09, completed: 40),
        ]
        let whole = integral.atLeast(sources: sources, classes: classes)
        var averaged = Array(repeating: 0.0, count: whole.count)
        for first in 0...90 {
            for second in 0...40 {
                let weight =
                    Densities.binomial(first, n: 90, p: 0.02) * Densities.binomial(second, n: 40, p: 0.09)
                guard weight > 1e-18 else { continue }
                let given = integral.atLeast(sources: sources, classes: classes, bounced: [first, second])
                for band in given.indices { averaged[band] += weight * Double(given[band]) }
            }
        }
        for band in whole.indices {
            let difference = abs(averaged[band] - Double(whole[band])) / Double(ConditionalBandSums.one)
            #expect(difference < 1e-9, "band \(band): \(difference)")
        }
        #expect(whole[0] == ConditionalBandSums.one)
        #expect(whole.last! > 0 && whole.last! < ConditionalBandSums.one)
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
        let yaml = Self.sharedBeta
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
        var table = CountTable()
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

    @Test func betaBinomialTablesMatchGSL() {
        var table = CountTable()
        for (n, alpha, beta) in [
            (1, 1.0, 1.0), (40, 2.0, 3.0), (150, 16.0, 184.0), (990, 23.4, 367.2), (5_000, 1.5, 40.0),
        ] {
            table.fill(n: n, alpha: alpha, beta: beta)
            var cumulative = 0.0
            var worst = 0.0
            for k in 0...n {
                cumulative += Densities.betaBinomial(k, n: n, alpha: alpha, beta: beta)
                worst = max(worst, abs(table.cumulative(k) - min(1, cumulative)))
            }
            #expect(table.cumulative(-1) == 0)
            #expect(worst < 1e-11, "BetaBinomial(\(n), \(alpha), \(beta)): largest error \(worst)")
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
