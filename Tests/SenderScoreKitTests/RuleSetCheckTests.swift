import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct RuleSetCheckTests {
    func error(_ rules: String) -> String? {
        let yaml = """
            segments: {a: {bounce: 0.01, reply: 0.1}}
            reps: [{name: r, enrollments: [{sequence: s, completed: 100, audience: {a: 1}}]}]
            rules:
            \(rules.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
        return TestSupport.scenarioError(yaml)?.description
    }

    static let bands = "bands: [{from: 0, name: Low}, {from: 50, name: High}]"

    @Test func unsortedRowsAreRejected() {
        let message = error(
            """
            reply: [{from: 0, points: 0}, {from: 0.04, points: 25}, {from: 0.02, points: 10}]
            bounce: [{from: 0, points: 50}]
            \(Self.bands)
            """
        )
        #expect(
            message == "test.yaml:4:66: rules.reply[2].from: rows must be sorted by 'from': 0.02 comes after 0.04"
                + " (to analyse the rule set as written, use option 'rulesAsIs')"
        )
    }

    @Test func nonMonotonePointsAreRejected() {
        let message = error(
            """
            reply: [{from: 0, points: 0}, {from: 0.02, points: 30}, {from: 0.04, points: 25}]
            bounce: [{from: 0, points: 50}]
            \(Self.bands)
            """
        )
        #expect(
            message?.contains(
                "rules.reply[2].points: not monotone: a reply rate from 0.04 earns 25 points, but from 0.02 it earns 30"
            ) == true
        )
    }

    @Test func bounceMustNotEarnMoreAtHigherRates() {
        let message = error(
            """
            reply: [{from: 0, points: 0}]
            bounce: [{from: 0, points: 10}, {from: 0.05, points: 20}]
            \(Self.bands)
            """
        )
        #expect(message?.contains("rules.bounce[1].points: not monotone") == true)
        #expect(message?.contains("must never earn more points") == true)
    }

    @Test func gapsAreRejected() {
        let message = error(
            """
            reply: [{from: 0.02, points: 10}]
            bounce: [{from: 0, points: 50}]
            \(Self.bands)
            """
        )
        #expect(
            message?.hasPrefix("test.yaml:4:10: rules.reply: rates below 0.02 have no row (a gap); add a row from 0")
                == true
        )
        let bandGap = error(
            """
            reply: [{from: 0, points: 0}]
            bounce: [{from: 0, points: 0}]
            bands: [{from: 10, name: Low}]
            """
        )
        #expect(bandGap?.contains("rules.bands: point totals from 0 up to 10 have no band (a gap)") == true)
    }

    @Test func percentLikeRatesGetAHint() {
        let message = error(
            """
            reply: [{from: 0, points: 0}, {from: 7, points: 50}]
            bounce: [{from: 0, points: 50}]
            \(Self.bands)
            """
        )
        #expect(
            message?.contains(
                "rules.reply[1].from: from 7 is outside 0 to 1; rates are fractions (did you mean 0.07, that is 7%?)"
            ) == true
        )
    }

    @Test func reservedAndDuplicateBandNames() {
        #expect(
            error(
                """
                reply: [{from: 0, points: 0}]
                bounce: [{from: 0, points: 50}]
                bands: [{from: 0, name: Low}, {from: 40, name: Ineligible}]
                """
            )?.contains("rules.bands[1].name: 'Ineligible' is reserved") == true
        )
        #expect(
            error(
                """
                reply: [{from: 0, points: 0}]
                bounce: [{from: 0, points: 50}]
                bands: [{from: 0, name: Low}, {from: 40, name: Low}]
                """
            )?.contains("band name 'Low' is used twice") == true
        )
    }

    @Test func duplicateAndUnsortedStarts() {
        #expect(
            error(
                """
                reply: [{from: 0, points: 0}, {from: 0.04, points: 25}, {from: 0.04, points: 30}]
                bounce: [{from: 0, points: 50}]
                \(Self.bands)
                """
            )?.contains("rules.reply[2].from: two rows start at 0.04 (reply[1] and reply[2])") == true
        )
        #expect(
            error(
                """
                reply: [{from: 0, points: 0}]
                bounce: [{from: 0, points: 50}]
                bands: [{from: 0, name: Low}, {from: 40, name: Fair}, {from: 40, name: Good}]
                """
            )?.contains("rules.bands[2].from: two bands start at 40 (Fair and Good)") == true
        )
        #expect(
            error(
                """
                reply: [{from: 0, points: 0}]
                bounce: [{from: 0, points: 50}]
                bands: [{from: 0, name: Low}, {from: 70, name: Good}, {from: 40, name: Fair}]
                """
            )?.contains("rules.bands[2].from: bands must be sorted by 'from': Fair from 40 comes after Good from 70")
                == true
        )
    }

    @Test func asIsAcceptsIrregularButNotInvalidRuleSets() throws {
        let irregular = """
            name: odd
            reply: [{from: 0, points: 0}, {from: 0.04, points: 25}, {from: 0.02, points: 30}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 50, name: High}]
            """
        let path = try TestSupport.write(irregular, named: "odd.yaml")
        #expect(throws: ScenarioError.self) { try RuleSet.load(path) }
        let rules = try RuleSet.load(path, asIs: true)
        // Order does not matter to "the row with the largest from at or below the rate".
        #expect(rules.scorecard(Counts(completed: 100, replied: 3), level: .rep).replyPoints == ExactDecimal(30))
        #expect(rules.scorecard(Counts(completed: 100, replied: 5), level: .rep).replyPoints == ExactDecimal(25))
    }

    @Test func builtInPassesEveryCheck() throws {
        let rules = try RuleSet.load("hubspot")
        #expect(
            RuleSetCheck.findings(
                reply: rules.reply,
                bounce: rules.bounce,
                bands: rules.bands,
                targets: rules.targets,
                minimum: rules.minimumCompleted
            ).isEmpty
        )
    }
}
