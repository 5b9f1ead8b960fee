import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct SyntheticExportAndFitTests {
    static let scenario = """
        name: round trip
        seed: 4
        segments:
          warm: {bounce: 0.01, reply: 0.12, unsubscribe: 0.01}
          cold: {bounce: 0.05, reply: 0.04, unsubscribe: 0.02}
        sequences:
          outbound: {steps: [{replyShare: 0.6}, {replyShare: 0.4}]}
          inbound: {}
        reps:
          - name: ana
            enrollments:
              - {sequence: outbound, completed: 3000, audience: {warm: 0.5, cold: 0.5}}
              - {sequence: inbound, completed: 1500, audience: warm}
          - name: ben
            enrollments:
              - {sequence: outbound, completed: 2500, audience: cold}
        """

    func synthesize(seed: UInt64 = 4) throws -> (path: String, summary: SyntheticExport.Summary) {
        let scenario = try Scenario.parse(Self.scenario, file: "roundtrip.yaml")
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("enrollments.csv").path
        let summary = try SyntheticExport.write(scenario, options: .init(seed: seed), to: CSVWriter(path: path))
        return (path, summary)
    }

    @Test func scoreOfASyntheticExportMatchesItsCounts() throws {
        let (path, summary) = try synthesize()
        #expect(summary.rows == 7000)
        let score = try ExportScore.score(path, rules: RuleSet.load("hubspot"))
        for rep in score.reps {
            let written = try #require(summary.reps[rep.name])
            #expect(
                (rep.completed, rep.bounced, rep.replied, rep.unsubscribed)
                    == (written.completed, written.bounced, written.replied, written.unsubscribed)
            )
        }
        for sequence in score.sequences {
            let written = try #require(summary.sequences["\(sequence.rep!)/\(sequence.name)"])
            #expect(
                (sequence.completed, sequence.bounced, sequence.replied) == (
                    written.completed, written.bounced, written.replied
                )
            )
        }
    }

    @Test func fittedRatesContainTheTrueOnes() throws {
        // Six 95% intervals: on this fixed seed each contains its true rate.
        let (path, _) = try synthesize(seed: 5)
        let fit = try ScenarioFit.fit(path, by: .segment, rules: RuleSet.load("hubspot"))
        let truth: [String: (bounce: Double, reply: Double, unsubscribe: Double)] = [
            "warm": (0.01, 0.12, 0.01), "cold": (0.05, 0.04, 0.02),
        ]
        #expect(Set(fit.groups.map(\.name)) == ["warm", "cold"])
        for group in fit.groups {
            let rates = try #require(truth[group.name])
            try Self.expectRates(group.rates, contain: rates, group.name)
            #expect(group.contacts.isEmpty && group.total == group.rates.counts)
        }
        // The steps of the sequences: outbound's two emails, inbound's one.
        #expect(fit.sequences.map(\.name) == ["outbound", "inbound"])
        #expect(fit.sequences.map(\.replies.count) == [2, 1])
    }

    static func expectRates(
        _ fitted: ScenarioFit.Rates,
        contain truth: (bounce: Double, reply: Double, unsubscribe: Double),
        _ name: String
    ) throws {
        #expect(fitted.bounce.low95 <= truth.bounce && truth.bounce <= fitted.bounce.high95, "\(name) bounce")
        #expect(fitted.reply.low95 <= truth.reply && truth.reply <= fitted.reply.high95, "\(name) reply")
        let unsubscribe = try #require(fitted.unsubscribe)
        #expect(
            unsubscribe.low95 <= truth.unsubscribe && truth.unsubscribe <= unsubscribe.high95,
            "\(name) unsubscribe"
        )
    }

    /// Contact groups and steps survive the round trip, so the fitted scenario can host cleaning
    /// and follow-up strategies.
    @Test func fitKeepsContactGroupsAndSteps() async throws {
        let scenario = try Scenario.parse(
            """
            name: groups and steps
            segments:
              core:
                bounce: 0.02
                reply: 0.1
                unsubscribe: 0.01
                contacts: {unengaged: {share: 0.25}}
            sequences:
              outbound: {steps: [{replyShare: 0.5}, {replyShare: 0.3}, {replyShare: 0.2}]}
            reps:
              - {name: ana, enrollments: [{sequence: outbound, completed: 20000, audience: core}]}
            """,
            file: "groups.yaml"
        )
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("groups.csv").path
        _ = try SyntheticExport.write(scenario, options: .init(seed: 7), to: CSVWriter(path: path))
        let fit = try ScenarioFit.fit(path, by: .segment, rules: RuleSet.load("hubspot"))

        let core = try #require(fit.groups.first)
        try Self.expectRates(core.rates, contain: (0.02, 0.1, 0.01), "regular")
        let unengaged = try #require(core.contacts.first)
        #expect(core.contacts.count == 1 && unengaged.kind == .unengaged)
        // The documented defaults: bounce 2 ×, reply 0.25 ×, unsubscribe 2 × the segment's.
        try Self.expectRates(unengaged.rates, contain: (0.04, 0.025, 0.02), "unengaged")
        let share = unengaged.share.doubleValue
        let shareError = (0.25 * 0.75 / 20000).squareRoot()
        #expect(abs(share - 0.25) < 4 * shareError)
        #expect(core.total.completed == 20000)

        let outbound = try #require(fit.sequences.first)
        let replies = outbound.replies.reduce(0, +)
        #expect(outbound.replies.count == 3)
        for (step, truth) in [0.5, 0.3, 0.2].enumerated() {
            let observed = Double(outbound.replies[step]) / Double(replies)
            #expect(
                abs(observed - truth) < 4 * (truth * (1 - truth) / Double(replies)).squareRoot(),
                "step \(step + 1)"
            )
        }

        // The fitted scenario takes a cleaning and a follow-up strategy as written.
        let yaml =
            fit.yaml(rulesReference: "hubspot") + """

                interventions:
                  clean: {kind: filterUnengaged, efficacy: 1}
                  more: {kind: addFollowUp, replyHazard: 1}
                strategies:
                  - {name: clean, apply: [clean]}
                  - {name: more, apply: [more]}
                """
        let fitted = try Scenario.parse(yaml, file: "fitted.yaml")
        #expect(fitted.sequences.first?.steps.count == 3)
        let result = try await Simulation.run(
            SimulationPlan(fitted),
            options: SimulationOptions(trials: 300, seed: 2, threads: 1)
        )
        let report = RunReport(scenario: fitted, result: result)
        let ana = report.strategies.map { $0.reps[0] }
        // The unengaged quarter is gone; a fourth email adds replies.
        #expect(try #require(ana[1].completed.mean) < #require(ana[0].completed.mean) * 0.8)
        #expect(try #require(ana[2].replyRate.mean) > #require(ana[0].replyRate.mean))
    }

    @Test func theFittedScenarioRuns() async throws {
        let (path, _) = try synthesize()
        for grouping in ScenarioFit.Grouping.allCases {
            let fit = try ScenarioFit.fit(path, by: grouping, rules: RuleSet.load("hubspot"))
            let scenario = try Scenario.parse(fit.yaml(rulesReference: "hubspot"), file: "fitted.yaml")
            #expect(scenario.reps.map(\.name) == ["ana", "ben"])
            #expect(scenario.reps[0].enrollments.map(\.completed.mean) == [3000, 1500])
            let result = try await Simulation.run(
                SimulationPlan(scenario),
                options: SimulationOptions(trials: 200, seed: 1, threads: 1)
            )
            #expect(result.levels[0].trials == 200)
        }
    }

    @Test func stepsNumberedFromZeroAreReadFromOne() throws {
        let csv = """
            hs_enrolled_by,hs_sequence_name,hs_enrollment_state,hs_email_reply_count,hs_step_error_type,hs_last_executed_step_order
            ana,s,FINISHED,0,,2
            ana,s,UNENROLLED,1,,0
            ana,s,UNENROLLED,1,,1
            ana,s,UNENROLLED,0,UNSUBSCRIBED,2
            ana,t,FINISHED,0,,0
            """
        let path = try TestSupport.write(csv, named: "steps.csv")
        let fit = try ScenarioFit.fit(path, by: .rep, rules: RuleSet.load("hubspot"))
        #expect(fit.stepsFromZero)
        #expect(
            fit.sequences == [
                .init(name: "s", replies: [1, 1, 0], unsubscribes: [0, 0, 1]),
                .init(name: "t", replies: [0], unsubscribes: [0]),
            ]
        )
        let yaml = fit.yaml(rulesReference: nil)
        #expect(yaml.contains("(the export numbers steps from 0)"))
        #expect(yaml.contains("- {replyShare: 0.5, unsubscribeShare: 0}"))
        let scenario = try Scenario.parse(yaml, file: "fitted.yaml")
        #expect(scenario.sequences.map(\.steps.count) == [3, 1])
    }

    @Test func strategiesAndSeedsChangeTheExport() throws {
        let base = try synthesize(seed: 4).summary
        let other = try synthesize(seed: 5).summary
        #expect(base.reps != other.reps)
        #expect(base.rows == other.rows)
        #expect(try synthesize(seed: 4).summary == base)
    }

    @Test func theExportRefusesOptionsThatWouldOverflowItsDates() throws {
        let scenario = try Scenario.parse(Self.scenario, file: "synth.yaml")
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("out.csv").path
        for (options, option) in [
            (SyntheticExport.Options(days: 0), "days"),
            (SyntheticExport.Options(daysBetweenEmails: 1 << 40), "daysBetweenEmails"),
            (SyntheticExport.Options(meetingShare: 2), "meetingShare"),
        ] {
            let error = #expect(throws: ScenarioError.self) {
                try SyntheticExport.write(scenario, options: options, to: CSVWriter(path: path))
            }
            #expect(error?.location == .option(option))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func betaQuantilesAreFiniteAndExact() {
        #expect(abs(Densities.betaQuantile(0.3, alpha: 1, beta: 1) - 0.3) < 1e-12)
        // Parameters for which gsl_cdf_beta_Pinv gave NaN.
        let high = Densities.betaQuantile(0.975, alpha: 22.5, beta: 2_000)
        #expect(high.isFinite && high > 0.011 && high < 0.02)
        #expect(abs(Densities.betaQuantile(0.5, alpha: 3, beta: 3) - 0.5) < 1e-12)
    }

    @Test func timestamps() {
        #expect(Timestamp(parsing: "2026-07-03")?.description == "2026-07-03T00:00:00Z")
        #expect(Timestamp(parsing: "2026-07-03T14:05:09Z")?.description == "2026-07-03T14:05:09Z")
        #expect(Timestamp(parsing: "2026-07-03 14:05")?.description == "2026-07-03T14:05:00Z")
        #expect(Timestamp(parsing: "2026-07-03T14:05:09.123+02:00")?.description == "2026-07-03T12:05:09Z")
        #expect(Timestamp(parsing: "1783087509000")?.description == "2026-07-03T14:05:09Z")
        #expect(Timestamp(parsing: "2024-02-29")?.description == "2024-02-29T00:00:00Z")
        #expect(Timestamp(parsing: "July 3") == nil)
        #expect(Timestamp(parsing: "2026-13-01") == nil)
    }
}
