import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct RuleSetTests {
    let rules = try! RuleSet.load("hubspot")

    func card(completed: Int, bounced: Int = 0, replied: Int = 0, level: Scorecard.Level = .rep) -> Scorecard {
        rules.scorecard(Counts(completed: completed, bounced: bounced, replied: replied), level: level)
    }

    @Test func builtInIsLabelledAsAReconstruction() {
        #expect(rules.name == "hubspot")
        #expect(rules.note?.contains("our reconstruction") == true)
        #expect(rules.bandNames == ["Low", "Fair", "Good", "Excellent"])
        #expect(rules.replyDenominator == .delivered)
        #expect(rules.minimumCompleted == .init(rep: 100, sequence: 101))
    }

    @Test func exactlySevenPercentEarnsTheSevenPercentRow() {
        // 14 replies of 200 delivered is exactly 7%.
        let atSeven = card(completed: 200, replied: 14)
        #expect(atSeven.replyPoints == ExactDecimal(50))
        #expect(atSeven.isReplyInTarget)
        let below = card(completed: 200, replied: 13)
        #expect(below.replyPoints == ExactDecimal(25))
        #expect(!below.isReplyInTarget)
    }

    @Test func exactlySevenPercentOfDeliveredNotOfCompleted() {
        // 210 completed, 10 bounced: 14 / 200 delivered = 7%, but 14 / 210 completed < 7%.
        let counts = Counts(completed: 210, bounced: 10, replied: 14)
        #expect(rules.scorecard(counts, level: .rep).replyPoints == ExactDecimal(50))
        var byCompleted = rules
        byCompleted.replyDenominator = .completed
        #expect(byCompleted.scorecard(counts, level: .rep).replyPoints == ExactDecimal(25))
    }

    @Test func thirteenPercentIsStillInTargetAndAboveIsNot() {
        #expect(card(completed: 100, replied: 13).isReplyInTarget)
        #expect(!card(completed: 100, replied: 14).isReplyInTarget)
        #expect(card(completed: 1000, replied: 130).isReplyInTarget)
        #expect(!card(completed: 1000, replied: 131).isReplyInTarget)
    }

    @Test func exactlyThreePercentBounceIsNoLongerUnderThree() {
        let atThree = card(completed: 100, bounced: 3, replied: 7)
        #expect(atThree.bouncePoints == ExactDecimal(25))
        #expect(!atThree.isBounceInTarget)
        let under = card(completed: 100, bounced: 2, replied: 7)
        #expect(under.bouncePoints == ExactDecimal(50))
        #expect(under.isBounceInTarget)
        // 3 of 100 and 6 of 200 are the same rate.
        #expect(card(completed: 200, bounced: 6, replied: 14).bouncePoints == ExactDecimal(25))
    }

    @Test func zeroDeliveredEarnsNoReplyPointsAndSaysWhy() {
        let allBounced = card(completed: 120, bounced: 120)
        #expect(allBounced.replyRate == nil)
        #expect(allBounced.replyPoints == .zero)
        #expect(allBounced.bouncePoints == .zero)
        #expect(allBounced.band == "Low")
        #expect(allBounced.notes.contains("no delivered enrollments: no reply points"))
        #expect(!allBounced.isReplyInTarget)
    }

    @Test(arguments: [(99, false), (100, true), (101, true)])
    func repEligibility(completed: Int, eligible: Bool) {
        let scored = card(completed: completed, replied: 10, level: .rep)
        #expect(scored.isEligible == eligible)
        #expect((scored.band == RuleSet.ineligible) == !eligible)
    }

    @Test(arguments: [(99, false), (100, false), (101, true)])
    func sequenceNeedsMoreThanOneHundred(completed: Int, eligible: Bool) {
        let scored = card(completed: completed, replied: 10, level: .sequence)
        #expect(scored.isEligible == eligible)
        if !eligible {
            #expect(scored.notes.first == "\(completed) completed enrollments; a sequence needs at least 101")
        }
    }

    @Test func bandsFollowTheTotal() {
        // 7% reply (50) + 2% bounce (50) = 100: Excellent.
        #expect(card(completed: 100, bounced: 2, replied: 7).band == "Excellent")
        // 4% reply (25) + 4% bounce (25) = 50: Fair.
        #expect(card(completed: 100, bounced: 4, replied: 4).band == "Fair")
        // 2% reply (10) + 12% bounce (0) = 10: Low.
        #expect(card(completed: 100, bounced: 12, replied: 2).band == "Low")
        // 7% reply (50) + 3% bounce (25) = 75: Good.
        #expect(card(completed: 100, bounced: 3, replied: 7).band == "Good")
    }

    @Test func everyCellHasABand() {
        #expect(rules.cellBands.count == rules.cellCount)
        #expect(rules.cellTotals.max() == ExactDecimal(100))
    }
}

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
                + " (to analyse the rule set as written, use --rules-as-is)"
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
