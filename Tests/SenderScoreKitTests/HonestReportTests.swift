import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Reports that cannot be misread: the spread of a change next to the precision of its mean, the
/// reply target split below / in / above, ties, the pooled team, Ineligible in the change chart,
/// unsubscribes and replies by step, every intervention parameter, and 12 distinct strategy lines.
@Suite struct HonestReportTests {
    static func run(_ yaml: String, trials: Int = 4000) async throws -> RunReport {
        let scenario = try Scenario.parse(yaml, file: "honest.yaml")
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: trials, seed: 9, threads: 2)
        )
        return RunReport(scenario: scenario, result: result)
    }

    static let team = """
        segments:
          core: {bounce: 0.02, reply: {beta: {mean: 0.09, sd: 0.02}}, unsubscribe: 0.01}
        sequences:
          outbound: {steps: [{replyShare: 0.6}, {replyShare: 0.4}]}
        reps:
          - name: ana
            enrollments: [{sequence: outbound, completed: 300, audience: core}]
          - name: ben
            enrollments: [{sequence: outbound, completed: 104, audience: core}]
        interventions:
          tokens: {kind: personalization, replyLift: {uniform: [1.3, 1.9]}}
          more: {kind: addFollowUp, replyHazard: 0.5, unsubscribeHazard: 3}
        strategies:
          - {name: tokens, apply: [tokens]}
          - {name: more, apply: [more]}
        """

    @Test func aChangeHasItsSpreadBesideThePrecisionOfItsMean() async throws {
        let report = try await Self.run(Self.team)
        let change = try #require(report.strategies[1].reps[0].vsBaseline?.scoreChange)
        let (mean, low, high) = (try #require(change.mean), try #require(change.low95), try #require(change.high95))
        let (p5, p95) = (try #require(change.p5), try #require(change.p95))
        // The interval of the mean is narrow; the spread of quarters is wide and holds the mean.
        #expect(p5 <= mean && mean <= p95)
        #expect(p95 - p5 > 5 * (high - low))
        // Every paired change carries the percentiles, probability changes as −1, 0 or +1.
        let comparison = try #require(report.strategies[1].team.vsBaseline)
        for probability in [
            comparison.pEligibleChange, comparison.pReplyInTargetChange, comparison.pBounceInTargetChange,
        ] {
            let (low, high) = (try #require(probability.p5), try #require(probability.p95))
            #expect([-1.0, 0, 1].contains(low) && [-1.0, 0, 1].contains(high) && low <= high)
        }
        #expect(comparison.completedChange.p5 == 0 && comparison.completedChange.p95 == 0)
        // Each format says which is which.
        let text = try ReportFormat.text.render(report)
        #expect(text.contains("Δ score [95% CI]") && text.contains("Δ score p5–p95"))
        #expect(text.contains("the range a rep may see next quarter"))
        #expect(text.contains(ReportCells.spread(change)))
        let markdown = try ReportFormat.markdown.render(report)
        #expect(markdown.contains("Δ score p5–p95") && markdown.contains(ReportCells.spread(change)))
        let html = try ReportFormat.html.render(report)
        #expect(html.contains("class=\"spread\"") && html.contains("Δ score p5–p95"))
        let json = try ReportFormat.json.render(report)
        #expect(json.contains("\"p5\"") && json.contains("\"p95\""))
    }

    @Test func theReplyTargetIsSplitBelowInAndAbove() async throws {
        let report = try await Self.run(Self.team)
        for level in report.strategies.flatMap({ $0.reps + $0.sequences + [$0.team] }) {
            let above = try #require(level.pReplyAboveTarget)
            #expect(level.pReplyInTarget + above <= 1 + 1e-12)
        }
        // Personalization pushes ana above 13% in some quarters: her "in target" can fall while
        // her score does not, and the report says so.
        let ana = try #require(report.strategies[1].reps[0].vsBaseline)
        #expect(try #require(ana.pReplyAboveTargetChange?.mean) > 0.05)
        let text = try ReportFormat.text.render(report)
        #expect(text.contains("below / in / above"))
        #expect(text.contains("scores it like one in the target (50 points)"))
    }

    @Test func tiesAreShownAsTies() async throws {
        // One rep exactly between two bands' chances: a fair coin on the reply points.
        let report = try await Self.run(Self.team)
        for level in report.strategies.flatMap({ $0.reps + $0.sequences + [$0.team] }) {
            let label = ReportCells.mostLikely(level)
            if let ties = level.mostLikelyTies {
                #expect(ties.first == level.mostLikelyBand && ties.count > 1)
                #expect(label.contains("tied"))
            } else {
                #expect(!label.contains("tied"))
            }
        }
        var level = report.strategies[0].reps[0]
        level.bands = ["Low": 0, "Fair": 0.4, "Good": 0.4, "Excellent": 0.2, "Ineligible": 0]
        level.mostLikelyBand = "Fair"
        level.mostLikelyTies = ["Fair", "Good"]
        #expect(ReportCells.mostLikely(level) == "Fair or Good (tied, 40%)")
    }

    @Test func theTeamIsNamedAsThePooledTeam() async throws {
        let report = try await Self.run(Self.team)
        for format in [ReportFormat.text, .markdown, .html] {
            #expect(try format.render(report).contains("team (pooled)"), "\(format)")
        }
        #expect(try ReportFormat.text.render(report).contains("the CRM gives no team score"))
    }

    @Test func unsubscribesRepliesByStepAndEveryParameterAreShown() async throws {
        let report = try await Self.run(Self.team)
        for format in [ReportFormat.text, .markdown, .html] {
            let rendered = try format.render(report)
            #expect(rendered.contains("unsubscribe"), "\(format)")
            #expect(rendered.contains("email 2") || rendered.contains("step 2"), "\(format)")
            #expect(rendered.contains("unsubscribe hazard × 3"), "\(format)")
        }
        let follow = try #require(report.assumptions.interventions.first { $0.name == "more" })
        #expect(follow.unsubscribeHazard == "3")
        let tokens = try #require(report.assumptions.interventions.first { $0.name == "tokens" })
        #expect(tokens.unsubscribeHazard == nil)
    }

    @Test func anIneligibleRepIsShownInTheChangeChart() async throws {
        // ben has 104 completed enrollments: dropping a fifth of them makes him Ineligible.
        let yaml = Self.team.replacingOccurrences(
            of: "  - {name: more, apply: [more]}",
            with: "  - {name: smaller, apply: [{intervention: shrink, reps: [ben]}]}"
        ).replacingOccurrences(
            of: "  more: {kind: addFollowUp, replyHazard: 0.5, unsubscribeHazard: 3}",
            with: "  shrink: {kind: filterUnengaged, efficacy: 1}"
        ).replacingOccurrences(
            of: "unsubscribe: 0.01}",
            with: "unsubscribe: 0.01, rates: overall, contacts: {unengaged: {share: 0.3}}}"
        )
        let report = try await Self.run(yaml, trials: 500)
        let ben = try #require(report.strategies[2].reps.first { $0.name == "ben" })
        #expect(ben.bands[RuleSet.ineligible] == 1)
        let html = try ReportFormat.html.render(report)
        #expect(html.contains("no quarter eligible under both: Ineligible"))
        #expect(html.contains("Ineligible 100%"))
    }

    @Test func twelveStrategiesGetTwelveDistinctLines() {
        let strokes = (1...24).map(HTMLReport.strategyStroke)
        #expect(Set(strokes).count == 24)
    }
}
