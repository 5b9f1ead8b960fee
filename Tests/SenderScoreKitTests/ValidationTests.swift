import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct RuleSetAnalysisTests {
    func analysis(_ yaml: String) throws -> RuleSetAnalysis {
        RuleSetAnalysis(try RuleSet.load(try TestSupport.write(yaml, named: "rules.yaml"), asIs: true))
    }

    func failed(_ analysis: RuleSetAnalysis) -> [String] {
        analysis.checks.filter { !$0.passed }.map(\.name)
    }

    @Test func theBuiltInPassesAndMapsEveryCell() throws {
        let result = RuleSetAnalysis(try RuleSet.load("hubspot"))
        #expect(result.passed)
        #expect(result.replyRows == ["7% and up", "4%–7%", "2%–4%", "0%–2%", "no delivered"])
        #expect(result.bounceRows == ["0%–3%", "3%–5%", "5%–10%", "10% and up"])
        #expect(result.cells[0][0] == .init(points: 100, band: "Excellent"))
        #expect(result.cells[1][1] == .init(points: 50, band: "Fair"))
        #expect(result.cells[4][0] == .init(points: 50, band: "Fair"))
        #expect(result.checks[3].details == ["inside both targets: Excellent"])
    }

    @Test func unsortedRowsAreAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.07, points: 50}, {from: 0.04, points: 25}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 90, name: High}]
            """
        )
        #expect(failed(result) == ["rows sorted, from 0, with no gaps"])
        #expect(
            result.checks[0].details.first?.hasSuffix(
                "reply[2].from: rows must be sorted by 'from': 0.04 comes after 0.07"
            ) == true
        )
    }

    @Test func pointsThatAreNotMonotoneAreAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.04, points: 30}, {from: 0.07, points: 25}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 60, name: High}]
            """
        )
        #expect(
            failed(result) == [
                "points monotone (a higher reply rate never earns fewer points, a higher bounce rate never more)"
            ]
        )
        #expect(
            result.checks[1].details.first?.contains(
                "a reply rate from 0.07 earns 25 points, but from 0.04 it earns 30"
            ) == true
        )
    }

    @Test func anUnreachableBandIsAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.07, points: 50}]
            bounce: [{from: 0, points: 50}, {from: 0.03, points: 0}]
            bands: [{from: 0, name: Low}, {from: 60, name: Mid}, {from: 90, name: High}]
            """
        )
        #expect(failed(result) == ["every band reachable"])
        #expect(
            result.checks[2].details == [
                "band 'Mid' (from 60 points) is never reached: no combination of rows adds up to it"
            ]
        )
    }

    @Test func aGapIsAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0.02, points: 10}, {from: 0.07, points: 50}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 90, name: High}]
            """
        )
        #expect(failed(result) == ["rows sorted, from 0, with no gaps"])
        #expect(
            result.checks[0].details.first?.hasSuffix("reply: rates below 0.02 have no row (a gap); add a row from 0")
                == true
        )
    }

    @Test func targetsMustLeadToTheTopBands() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.10, points: 50}]
            bounce: [{from: 0, points: 50}, {from: 0.03, points: 0}]
            bands: [{from: 0, name: Low}, {from: 40, name: Fair}, {from: 70, name: Good}, {from: 90, name: Excellent}]
            """
        )
        let check = try #require(result.checks.first { $0.name.hasPrefix("a rep inside both targets") })
        #expect(!check.passed)
        #expect(check.details.contains("reply 0%–10% with bounce 0%–3% earns 50 points: Fair"))
    }
}

@Suite struct StabilityTests {
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

    @Test func monteCarloAgreesWithTheExactAnswer() async {
        let rates = [ExactDecimal(units: 7, scale: 2), ExactDecimal(units: 10, scale: 2)]
        let bounces = [ExactDecimal(units: 2, scale: 2), ExactDecimal(units: 4, scale: 2)]
        let exact = await StabilityAnalysis.run(
            rules,
            options: .init(replyRates: rates, bounceRates: bounces, volumes: [150], threads: 2)
        )
        let simulated = await StabilityAnalysis.run(
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

    @Test func theStandardGridSummarisesEveryVolume() async {
        let result = await StabilityAnalysis.run(rules, options: .standard)
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
        let result = await StabilityAnalysis.run(rules, against: rules, options: options)
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

@Suite struct GoldenCaseTests {
    @Test func theFixtureAgreesWithTheBuiltIn() throws {
        let result = try GoldenCases.check(
            TestSupport.path("Tests/Fixtures/golden-hubspot.csv"),
            rules: RuleSet.load("hubspot")
        )
        #expect(result.cases == 9)
        #expect(result.passed, "\(result.disagreements)")
    }

    @Test func aWrongExpectationNamesItsLine() throws {
        let csv = """
            completed,bounced,replied,band,note
            200,0,14,Excellent,"exactly 7%"
            200,0,13,Excellent,"a wrong expectation, with a comma"
            """
        let result = try GoldenCases.check(CSVReader(text: csv, file: "cases.csv"), rules: RuleSet.load("hubspot"))
        #expect(
            result.disagreements == [
                .init(
                    line: 3,
                    expected: "band Excellent",
                    actual: "band Good",
                    explanation: "reply 13/200 = 6.50% → 25 points; bounce 0/200 = 0.00% → 50 points"
                )
            ]
        )
    }

    @Test func badRowsAreErrorsWithTheirPlace() throws {
        func message(_ csv: String) -> String? {
            do {
                _ = try GoldenCases.check(CSVReader(text: csv, file: "cases.csv"), rules: RuleSet.load("hubspot"))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(
            message("completed,bounced,replied\n1,0,0")
                == "cases.csv:1: the header needs a points or a band column to check"
        )
        #expect(
            message("completed,replied,band\n1,0,Low")
                == "cases.csv:1: the header lacks bounced; found completed, replied, band"
        )
        #expect(
            message("completed,bounced,replied,band\n100,x,0,Low")
                == "cases.csv:2:2: bounced: expected a whole number of 0 or more, found 'x'"
        )
        #expect(
            message("completed,bounced,replied,band\n100,120,0,Low")
                == "cases.csv:2:2: bounced (120) exceeds completed (100)"
        )
        #expect(
            message("completed,bounced,replied,band\n100,0,0")
                == "cases.csv:2: expected 4 fields as in the header, found 3"
        )
        #expect(
            message("completed,bounced,replied,band\n100,0,0,\"Low")
                == "cases.csv:2:4: a quoted field is never closed (field 4)"
        )
        #expect(
            message("")
                == "cases.csv: the file is empty; expected a header with completed, bounced, replied and points or band"
        )
    }
}
