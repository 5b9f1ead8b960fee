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
