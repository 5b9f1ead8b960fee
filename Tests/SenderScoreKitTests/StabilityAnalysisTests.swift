import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct StabilityAnalysisTests {
    let rules = try! RuleSet.load("hubspot")

    @Test func agreementAtAThresholdIsTheBinomialTail() {
        // True reply 7% and no bounces: Excellent exactly when at least 14 of 200 reply.
        let distribution = ExactOutcomes.distribution(
            completed: 200,
            bounce: 0,
            reply: 0.07,
            rules: [rules],
            level: .rep
        )
        let exact = 1 - Densities.binomialCDF(13, n: 200, p: 0.07)
        #expect(abs((distribution[[3]] ?? 0) - exact) < 1e-12)
        #expect(abs(distribution.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test func exactOutcomesEqualABruteForceSum() {
        // Near both thresholds: every (bounced, replied) pair summed one by one.
        let n = 150
        let bounce = 0.03
        let reply = 0.065
        var brute = Array(repeating: 0.0, count: rules.bands.count + 1)
        for bounced in 0...n {
            let pBounced = Densities.binomial(bounced, n: n, p: bounce)
            for replied in 0...(n - bounced) {
                let counts = Counts(completed: n, bounced: bounced, replied: replied)
                brute[rules.outcome(counts, minimum: 100).band] +=
                    pBounced * Densities.binomial(replied, n: n - bounced, p: reply)
            }
        }
        let fast = ExactOutcomes.distribution(completed: n, bounce: bounce, reply: reply, rules: [rules], level: .rep)
        for band in brute.indices {
            #expect(abs((fast[[band]] ?? 0) - brute[band]) < 1e-12, "band \(band)")
        }
    }

    @Test func monteCarloAgreesWithTheExactAnswer() async throws {
        let rates = [ExactDecimal(units: 7, scale: 2), ExactDecimal(units: 10, scale: 2)]
        let bounces = [ExactDecimal(units: 2, scale: 2), ExactDecimal(units: 4, scale: 2)]
        let exact = try await StabilityAnalysis.run(
            rules,
            options: .init(replyRates: rates, bounceRates: bounces, volumes: [150], threads: 2)
        )
        let simulated = try await StabilityAnalysis.run(
            rules,
            options: .init(
                replyRates: rates,
                bounceRates: bounces,
                volumes: [150],
                method: .monteCarlo(trials: 20_000, seed: 3),
                threads: 2
            )
        )
        #expect(exact.method == "exact (binomial sums through GSL)")
        for (a, b) in zip(exact.cells, simulated.cells) {
            let p = a.agreement[0]
            #expect(abs(a.agreement[0] - b.agreement[0]) < 4 * (p * (1 - p) / 20_000).squareRoot() + 1e-9)
        }
    }

    @Test func optionsItCannotRunAreRefused() async throws {
        let rules = try RuleSet.load("hubspot")
        var options = StabilityAnalysis.Options.standard
        options.method = .monteCarlo(trials: 0, seed: 1)
        let error = await #expect(throws: ScenarioError.self) {
            try await StabilityAnalysis.run(rules, options: options)
        }
        #expect(error?.location == .option("trials"))
        options = .standard
        options.volumes = []
        await #expect(throws: ScenarioError.self) { try await StabilityAnalysis.run(rules, options: options) }
    }

    @Test func theStandardGridSummarisesEveryVolume() async throws {
        let result = try await StabilityAnalysis.run(rules, options: .standard)
        #expect(result.cells.count == 21 * 13)
        #expect(result.perVolume.map(\.volume) == [100, 150, 250, 500, 1000])
        // More enrollments, more stable bands.
        let shares = result.perVolume.map(\.shareReachingTarget)
        #expect(shares == shares.sorted())
        for summary in result.perVolume {
            for row in summary.confusion where !row.isEmpty {
                #expect(abs(row.reduce(0, +) - 1) < 1e-9)
            }
        }
    }

    @Test func aRuleSetAgreesWithItself() async throws {
        let options = StabilityAnalysis.Options(
            replyRates: [ExactDecimal(units: 7, scale: 2)],
            bounceRates: [ExactDecimal(units: 3, scale: 2)],
            volumes: [100]
        )
        let result = try await StabilityAnalysis.run(rules, against: rules, options: options)
        #expect(result.meanDisagreement == [0])
        #expect(result.trueRateDisagreement == 0)
    }

    @Test func minimumVolumes() {
        let reachable = StabilityAnalysis.minimumVolume(
            rules,
            reply: ExactDecimal(units: 10, scale: 2),
            bounce: ExactDecimal(units: 1, scale: 2)
        )
        let volume = try? #require(reachable.volume)
        #expect((volume ?? 0) > 100)
        #expect(reachable.agreement.first { $0.volume == volume }.map { $0.agreement >= 0.9 } == true)
        let onThreshold = StabilityAnalysis.minimumVolume(
            rules,
            reply: ExactDecimal(units: 7, scale: 2),
            bounce: ExactDecimal(units: 1, scale: 2)
        )
        #expect(onThreshold.volume == nil)
        #expect(onThreshold.note?.contains("lies on a threshold") == true)
    }
}

extension StabilityAnalysisTests {
    @Test func stabilityWithRepliesOverCompletedUsesTheObservedRate() throws {
        // Replies over completed tend to reply × (1 − bounce): 7.5% × 0.91 = 6.825%, below 7%.
        var rules = try RuleSet.load("hubspot")
        rules.replyDenominator = .completed
        let band = rules.bandOfRates(reply: ExactDecimal(units: 75, scale: 3), bounce: ExactDecimal(units: 9, scale: 2))
        #expect(rules.bands[band].name == "Low")  // 25 + 10 points
        let result = StabilityAnalysis.minimumVolume(
            rules,
            reply: ExactDecimal(units: 75, scale: 3),
            bounce: ExactDecimal(units: 9, scale: 2)
        )
        #expect(result.volume != nil)
    }
}
