import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Cases found in review: each once gave a wrong answer, a crash or a silent surprise.
@Suite struct EdgeCaseTests {
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

    @Test func aSmallPartialDropLeavesTheOtherEmailsPaired() async throws {
        let scenario = try Scenario.parse(
            """
            segments: {core: {bounce: 0.02, reply: 0.08, unsubscribe: 0.01}}
            sequences: {outbound: {steps: [{replyShare: 0.5}, {replyShare: 0.3}, {replyShare: 0.2}]}}
            reps: [{name: ana, enrollments: [{sequence: outbound, completed: 300, audience: core}]}]
            interventions: {tiny: {kind: dropLastStep, coverage: 0.001}}
            strategies: [{name: tiny drop, apply: [tiny]}]
            """,
            file: "drop.yaml"
        )
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 3000, seed: 3, threads: 2)
        )
        let change = Comparison(result.paired[1][0], rules: scenario.rules)
        #expect(change.pImproves + change.pWorsens < 0.01, "better \(change.pImproves), worse \(change.pWorsens)")
    }

    @Test func anInterventionAppliedTwiceToTheSameEnrollmentsIsRefused() {
        let yaml = """
            segments: {core: {bounce: 0.02, reply: 0.08}}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 100, audience: core}]}]
            interventions: {tokens: {kind: personalization, replyLift: 1.2}}
            strategies:
              - {name: twice, apply: [tokens, tokens]}
            """
        #expect(
            TestSupport.scenarioError(yaml)?.description
                == "test.yaml:5:35: strategies[0].apply[1]: 'tokens' is applied twice to the same enrollments (apply[0] and apply[1]); apply it once, or give the entries reps or sequences that do not overlap"
        )
        let separate = yaml.replacingOccurrences(
            of: "apply: [tokens, tokens]",
            with: "apply: [{intervention: tokens, reps: [ana]}, {intervention: tokens, sequences: [other]}]"
        )
        #expect(TestSupport.scenarioError(separate)?.description.contains("unknown sequence 'other'") == true)
    }

    @Test func multipliersStayFinite() {
        let yaml = """
            segments: {core: {bounce: 0.02, reply: 0.08}}
            reps: [{name: ana, skill: 1e300, enrollments: [{sequence: s, completed: 100, audience: core}]}]
            """
        #expect(
            TestSupport.scenarioError(yaml)?.description.contains(
                "is not a multiplier; expected a value from 0 to 1,000"
            ) == true
        )
        #expect(
            TestSupport.scenarioError(
                yaml.replacingOccurrences(of: "skill: 1e300", with: "skill: {lognormal: {median: 1, sigma: 40}}")
            )?
            .description.contains("has a mean of") == true
        )
    }

    func score(_ csv: String, skipInvalid: Bool = false) throws -> ExportScore {
        try ExportScore.score(
            ExportReader(reader: CSVReader(text: csv, file: "e.csv")),
            rules: RuleSet.load("hubspot"),
            options: .init(skipInvalid: skipInvalid)
        )
    }

    @Test func skippingARowWithAStrayQuoteSkipsOnlyThatRow() throws {
        let csv = "rep,state,replies,bounces\nana,FINISHED,1,0\nana,FINISHED,\"1\"x,0\nana,FINISHED,0,0\n"
        let result = try score(csv, skipInvalid: true)
        #expect(result.team.completed == 2)
        #expect(result.excluded.invalid == 1)
        // A quote never closed swallows the rest of the file: that stops even with --skip-invalid.
        #expect(throws: ScenarioError.self) {
            try score("rep,state,replies,bounces\nana,\"FINISHED,0,0\nana,FINISHED,0,0\n", skipInvalid: true)
        }
    }

    @Test func booleanCountsDatesAndMissingSequences() throws {
        let csv =
            "rep,sequence,state,replied,bounced,ended\n"
            + "ana,out,FINISHED,true,false,2026-07-01T10:00:00+0200\n"
            + "ana,,FINISHED,no,yes,2026-07-02\n"
        let result = try score(csv)
        #expect((result.team.replied, result.team.bounced) == (1, 1))
        #expect(result.sequences.map(\.name) == ["out", "(no sequence)"])
        #expect(Timestamp(parsing: "2026-02-31") == nil)
        #expect(Timestamp(parsing: "2026-07-01T10:00:00+0200")?.description == "2026-07-01T08:00:00Z")
        #expect(Timestamp(parsing: "2026-07-01T10:00:00-03")?.description == "2026-07-01T13:00:00Z")
    }

    @Test func theMostSpecificColumnNameWins() throws {
        let csv = "Sequence ID,Sequence name,Owner,Status,Replies,Bounces\n123,outbound,ana,FINISHED,0,0\n"
        let result = try score(csv)
        #expect(result.sequences.map(\.name) == ["outbound"])
    }

    @Test func aGoldenCaseWithNothingToCheckIsAnError() {
        #expect(
            throws: ScenarioError(
                file: "g.csv",
                line: 2,
                message: "nothing to check: give the expected points, the band or both"
            )
        ) {
            try GoldenCases.check(
                CSVReader(text: "completed,bounced,replied,points,band\n100,0,7,,\n", file: "g.csv"),
                rules: RuleSet.load("hubspot")
            )
        }
    }
}
