import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Calibrated contact groups (`rates: overall`): the solve, the runs that reproduce the stated
/// rates, the lever files that share baseline.yaml's baseline, and fitted scenarios that
/// reproduce their export.
@Suite struct CalibratedGroupsTests {
    /// The mixture Σ wₖ rₖ over Σ wₖ for the solved regular rate.
    static func mixture(_ x: Double, weights: [Double], factors: [Double?], absolutes: [Double]) -> Double {
        let total = weights.reduce(0, +)
        return weights.indices.reduce(0.0) { sum, k in
            sum + weights[k] * (factors[k].map { min(1, $0 * x) } ?? absolutes[k])
        } / total
    }

    static func solve(
        _ overall: Double,
        _ weights: [Double],
        _ factors: [Double?],
        _ absolutes: [Double]
    ) -> (
        rate: Double, exact: Bool
    ) {
        ContactMixture.regularRate(
            overall: overall,
            count: weights.count,
            weight: { weights[$0] },
            factor: { factors[$0] },
            absolute: { absolutes[$0] }
        )
    }

    @Test func theSolveReproducesTheOverallRate() {
        // Linear: 0.7 x + 0.2 × 2x + 0.1 × 0.85 = 0.12.
        let weights = [0.7, 0.2, 0.1]
        let factors: [Double?] = [1, 2, nil]
        let absolutes = [0.0, 0.0, 0.85]
        let linear = Self.solve(0.12, weights, factors, absolutes)
        #expect(linear.exact && abs(linear.rate - (0.12 - 0.085) / 1.1) < 1e-15)
        // Capped: a group at 30 × reaches 1, so the solve must go past the linear answer.
        for overall in stride(from: 0.01, through: 0.9, by: 0.01) {
            let factors: [Double?] = [1, 30, 2, nil]
            let weights = [0.5, 0.1, 0.3, 0.1]
            let absolutes = [0, 0, 0, 0.2]
            let solved = Self.solve(overall, weights, factors, absolutes)
            if solved.exact {
                let reached = Self.mixture(solved.rate, weights: weights, factors: factors, absolutes: absolutes)
                #expect(abs(reached - overall) < 1e-12, "overall \(overall)")
            } else {
                // Only when even the regular contacts at 1 fall short, or the absolute group alone is too much.
                #expect(overall < 0.02 + 1e-12 || solved.rate == 1, "overall \(overall)")
            }
        }
    }

    @Test func anInfeasibleMixtureIsHeldAtTheNearestEnd() {
        // The absolute group alone gives 0.085, more than 0.05: x is 0 and the solve not exact.
        let low = Self.solve(0.05, [0.9, 0.1], [1, nil], [0, 0.85])
        #expect(low.rate == 0 && !low.exact)
        // The regular contacts at 1 and a group at 0.25 × give 0.925 at most.
        let high = Self.solve(0.95, [0.9, 0.1], [1, 0.25], [0, 0])
        #expect(high.rate == 1 && !high.exact)
        // Nothing delivered: the weights are 0 and any rate will do.
        #expect(Self.solve(0.3, [0, 0], [1, 2], [0, 0]).exact)
    }

    static let segment = """
        segments:
          core:
            bounce: 0.04
            reply: 0.08
            unsubscribe: 0.01
            rates: overall
            contacts:
              unengaged: {share: 0.2}
              previouslyBounced: {share: 0.01}
              optedOut: {share: 0.01}
              unverified: {share: 0.1, bounce: {times: 3}, reply: {uniform: [0.02, 0.06]}}
        reps:
          - name: ana
            enrollments: [{sequence: outbound, completed: 4000, audience: core}]
        interventions:
          nothing: {kind: filterUnengaged, efficacy: 0}
          clean: {kind: filterUnengaged, efficacy: 1}
        strategies:
          - {name: nothing, apply: [nothing]}
          - {name: clean, apply: [clean]}
        """

    @Test func aCalibratedSegmentRunsAtItsStatedRates() async throws {
        for (bounce, reply) in [("0.04", "0.08"), ("{beta: {mean: 0.04, sd: 0.01}}", "{uniform: [0.05, 0.11]}")] {
            let yaml = Self.segment.replacingOccurrences(of: "bounce: 0.04", with: "bounce: \(bounce)")
                .replacingOccurrences(of: "reply: 0.08", with: "reply: \(reply)")
            let scenario = try Scenario.parse(yaml, file: "calibrated.yaml")
            let stated = scenario.segments[0].overallRatesAtMeans()
            #expect(abs(stated.bounce - 0.04) < 1e-12 && abs(stated.reply - 0.08) < 1e-12)
            #expect(abs(try #require(stated.unsubscribe) - 0.01) < 1e-12)
            let trials = 4000
            let result = try await Simulation.run(
                SimulationPlan(scenario),
                options: SimulationOptions(trials: trials, seed: 3, threads: 2)
            )
            let report = RunReport(scenario: scenario, result: result)
            let ana = report.strategies[0].reps[0]
            // Each trial's rates are unbiased for the drawn overall rates, whose mean is stated. The
            // report's unsubscribe rate is over the delivered; the segment's over those who did not reply.
            for (name, stats, truth) in [
                ("bounce", ana.bounceRate, 0.04), ("reply", ana.replyRate, 0.08),
                ("unsubscribe", ana.unsubscribeRate, 0.01 * (1 - 0.08)),
            ] {
                let mean = try #require(stats.mean)
                let error = try #require(stats.stdErr)
                #expect(
                    abs(mean - truth) < 4 * error,
                    "\(name) with bounce \(bounce): \(mean) against \(truth) ± \(error)"
                )
            }
            // Removing the unengaged contacts with efficacy 0 changes nothing, exactly.
            #expect(report.strategies[1].reps[0].bands == ana.bands)
            #expect(report.strategies[1].reps[0].replyRate == ana.replyRate)
            #expect(report.strategies[1].team.bounceRate == report.strategies[0].team.bounceRate)
            // Removing them all raises the reply rate: they reply at a quarter of the regular rate.
            #expect(try #require(report.strategies[2].reps[0].replyRate.mean) > 0.08)
        }
    }

    /// The band probabilities of two runs of the same baseline agree within their errors.
    static func expectSameBands(_ a: LevelReport, _ b: LevelReport, _ what: String) {
        for (band, p) in a.bands {
            let q = b.bands[band] ?? 0
            let error =
                ((a.bandStdErr[band] ?? 0) * (a.bandStdErr[band] ?? 0)
                + (b.bandStdErr[band] ?? 0) * (b.bandStdErr[band] ?? 0)).squareRoot()
            #expect(abs(p - q) <= 4.5 * error + 1e-9, "\(what) \(band): \(p) against \(q) ± \(error)")
        }
    }

    @Test func theLeverFilesShareTheBaselineOfBaselineYAML() async throws {
        func baseline(_ file: String) async throws -> StrategyReport {
            let scenario = try Scenario.load(path: TestSupport.path("Scenarios/\(file)")).keeping(strategies: [])
            let result = try await Simulation.run(
                SimulationPlan(scenario),
                options: SimulationOptions(trials: 8000, seed: 11, threads: 2)
            )
            return RunReport(scenario: scenario, result: result).strategies[0]
        }
        let reference = try await baseline("baseline.yaml")
        for file in ["filter-unengaged.yaml", "verified-sources.yaml"] {
            let scenario = try Scenario.load(path: TestSupport.path("Scenarios/\(file)"))
            #expect(scenario.warnings.isEmpty, "\(file): \(scenario.warnings)")
            let lever = try await baseline(file)
            for (a, b) in zip(reference.reps, lever.reps) { Self.expectSameBands(a, b, "\(file) \(a.name)") }
            Self.expectSameBands(reference.team, lever.team, "\(file) team")
        }
    }

    @Test func everyScenarioWithContactGroupsSaysWhomItsRatesAreOf() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestSupport.path("Scenarios"))
            .filter { $0.hasSuffix(".yaml") }
        for file in files {
            let scenario = try Scenario.load(path: TestSupport.path("Scenarios/\(file)"))
            #expect(scenario.warnings.isEmpty, "\(file): \(scenario.warnings)")
            for segment in scenario.segments where !segment.contacts.isEmpty {
                #expect(segment.rates != nil, "\(file) \(segment.name)")
            }
        }
    }

    func message(replacing old: String, with new: String) -> String? {
        precondition(Self.segment.contains(old), old)
        return TestSupport.scenarioError(Self.segment.replacingOccurrences(of: old, with: new))?.description
    }

    @Test func badCalibrationsAreRefused() {
        #expect(
            message(replacing: "rates: overall", with: "rates: all")
                == "test.yaml:6:12: segments.core.rates: 'all' is not a basis of rates; expected overall (the rates are of all the segment's contacts, groups included) or regular (of the regular contacts only)"
        )
        #expect(
            message(replacing: "bounce: {times: 3}", with: "bounce: {times: -3}")
                == "test.yaml:11:48: segments.core.contacts.unverified.bounce.times: a multiple of the regular contacts' rate must be from 0 to 1000, found -3"
        )
        #expect(
            message(replacing: "bounce: {times: 3}", with: "bounce: {times: 3, cap: 1}")
                == "test.yaml:11:51: segments.core.contacts.unverified.bounce: unknown key 'cap'; allowed here: times"
        )
        #expect(
            message(replacing: "previouslyBounced: {share: 0.01}", with: "previouslyBounced: {share: 0.05}")
                == "test.yaml:8:7: segments.core.contacts: with `rates: overall` the mixture must have the segment's bounce rate, 4.00% at its mean, but the groups give 4.25% whatever the regular contacts' rate; lower the groups' shares or their own bounce rates, or give them as multiples ({times: 2})"
        )
    }

    @Test func aSegmentWithGroupsButNoBasisIsReadAsBeforeWithAWarning() throws {
        let yaml = Self.segment.replacingOccurrences(of: "    rates: overall\n", with: "")
        let scenario = try Scenario.parse(yaml, file: "test.yaml")
        #expect(!scenario.segments[0].isCalibrated)
        let overall = scenario.segments[0].overallRatesAtMeans()
        #expect(overall.bounce > 0.05)
        #expect(scenario.warnings.count == 1)
        #expect(
            scenario.warnings.first?.contains("segments.core: the segment has contact groups but does not say") == true
        )
        // Said explicitly, the old meaning gives no warning.
        let regular = try Scenario.parse(
            Self.segment.replacingOccurrences(of: "rates: overall", with: "rates: regular"),
            file: "test.yaml"
        )
        #expect(regular.warnings.isEmpty)
        #expect(regular.segments[0].overallRatesAtMeans() == overall)
    }

    @Test func aFittedSegmentThatNoLongerMatchesItsExportWarns() throws {
        let fitted = """
            segments:
              ana:
                bounce: {beta: {alpha: 39.5, beta: 341.5}}
                reply: {beta: {alpha: 30.5, beta: 311.5}}
                observed: {completed: 380, bounced: 39, replied: 30}
            reps:
              - name: ana
                enrollments: [{sequence: outbound, completed: 380, audience: ana}]
            """
        #expect(try Scenario.parse(fitted, file: "fit.yaml").warnings.isEmpty)
        // The documented way to try cleaning levers before calibration: groups on top of the rates.
        let added = fitted.replacingOccurrences(
            of: "    observed:",
            with: "    contacts: {unverified: {share: 0.3}, unengaged: {share: 0.2}}\n    observed:"
        )
        let warnings = try Scenario.parse(added, file: "fit.yaml").warnings
        #expect(warnings.count == 2)
        #expect(
            warnings.last
                == "fit.yaml: segments.ana: the segment's bounce rate over all its contacts is 13.83% at the means, outside the 95% interval 7.51%–13.61% of the export it was fitted from (39 of 380, 10.26%), so its baseline no longer matches the data; its contact groups come on top of its rates: write `rates: overall` to keep the fitted rates as the segment's"
        )
        let calibrated = added.replacingOccurrences(of: "    contacts:", with: "    rates: overall\n    contacts:")
        #expect(try Scenario.parse(calibrated, file: "fit.yaml").warnings.isEmpty)
        #expect(
            TestSupport.scenarioError(fitted.replacingOccurrences(of: "bounced: 39", with: "bounced: 390"))?
                .description
                == "test.yaml:5:41: segments.ana.observed.bounced: 390 bounced is more than the 380 completed"
        )
    }

    /// Fit scenarios with contact groups, then run them: every rep's simulated rates are the
    /// export's observed ones within Monte Carlo error (plus the prior's pull, under 1/n).
    @Test func aFittedScenarioReproducesItsExport() async throws {
        let source = try Scenario.load(path: TestSupport.path("Scenarios/filter-unengaged.yaml"))
        for seed: UInt64 in [3, 8, 13] {
            let path = try TestSupport.temporaryDirectory().appendingPathComponent("export.csv").path
            _ = try SyntheticExport.write(source, options: .init(seed: seed), to: CSVWriter(path: path))
            let fit = try ScenarioFit.fit(path, by: .rep, rules: RuleSet.load("hubspot"))
            #expect(fit.groups.contains { !$0.contacts.isEmpty })
            let scenario = try Scenario.parse(fit.yaml(rulesReference: "hubspot"), file: "fitted.yaml")
            #expect(scenario.warnings.isEmpty, "\(scenario.warnings)")
            #expect(scenario.segments.allSatisfy { $0.contacts.isEmpty || $0.isCalibrated })
            let result = try await Simulation.run(
                SimulationPlan(scenario),
                options: SimulationOptions(trials: 3000, seed: seed, threads: 2)
            )
            let report = RunReport(scenario: scenario, result: result)
            for (group, rep) in zip(fit.groups, report.strategies[0].reps) {
                let counts = group.total
                for (name, stats, successes, trials) in [
                    ("bounce", rep.bounceRate, counts.bounced, counts.completed),
                    ("reply", rep.replyRate, counts.replied, counts.delivered),
                ] {
                    let observed = Double(successes) / Double(trials)
                    let mean = try #require(stats.mean)
                    let error = try #require(stats.stdErr)
                    #expect(
                        abs(mean - observed) < 4 * error + 1 / Double(trials),
                        "seed \(seed), \(rep.name) \(name): \(mean) ± \(error) against \(observed)"
                    )
                }
            }
        }
    }

    @Test func drawsThatNoCalibrationCanMeetAreCountedAndWarned() throws {
        let scenario = try Scenario.parse(
            """
            segments:
              core:
                bounce: {beta: {mean: 0.02, sd: 0.005}}
                reply: 0.08
                rates: overall
                contacts: {previouslyBounced: {share: 0.015}}
            reps:
              - name: ana
                enrollments: [{sequence: out, completed: 200, audience: core}]
            """,
            file: "risk.yaml"
        )
        let risk = try #require(scenario.segments[0].calibrationRisks().first)
        // P(Beta(mean 0.02, sd 0.005) < 0.015 × 0.85), from scipy.stats.beta.cdf: 0.0565.
        #expect(risk.rate == "bounce" && abs(risk.probability - 0.0565) < 0.001)
        #expect(abs(risk.reachable.lowerBound - 0.01275) < 1e-12)
        #expect(scenario.warnings.count == 1)
        #expect(
            scenario.warnings.first?.contains("in about 5.6% of trials the drawn bounce rate falls outside") == true
        )
        // The reply and unsubscribe calibrations here can always be met.
        #expect(scenario.segments[0].calibrationRisks().dropFirst().allSatisfy { $0.probability < 1e-9 })
    }
}
