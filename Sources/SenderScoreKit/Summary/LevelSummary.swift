/// Everything accumulated about one level (rep, sequence or team) over trials. Mergeable:
/// `a.merge(b)` equals the summary of the trials of `a` followed by those of `b`, exactly.
public struct LevelSummary: Sendable, Hashable {
    public private(set) var trials = 0
    /// Eligible trials per rule-set cell (`RuleSet.cellIndex`): the score distribution, exactly.
    public private(set) var cells: [Int]
    /// Eligible trials with no reply-rate denominator (nothing delivered).
    public private(set) var noReplyDenominator = 0
    public private(set) var replyInTarget = 0
    public private(set) var bounceInTarget = 0
    public private(set) var replyRate = RateHistogram()
    public private(set) var bounceRate = RateHistogram()
    /// Unsubscribed over delivered; recorded only when the scenario models unsubscribes.
    public private(set) var unsubscribeRate = RateHistogram()
    public private(set) var completed = CountHistogram()

    public init(rules: RuleSet) {
        cells = Array(repeating: 0, count: rules.cellCount)
    }

    /// Trials with at least the minimum of completed enrollments.
    public var eligible: Int { cells.reduce(0, +) }

    /// Adds one trial's counts.
    public mutating func record(_ counts: Counts, minimum: Int, rules: RuleSet, unsubscribes: Bool = false) {
        trials += 1
        if unsubscribes, counts.delivered > 0 {
            unsubscribeRate.record(counts.unsubscribed, of: counts.delivered)
        }
        completed.record(counts.completed)
        let denominator = rules.replyDenominator(counts)
        if denominator > 0 {
            replyRate.record(counts.replied, of: denominator)
        }
        if counts.completed > 0 {
            bounceRate.record(counts.bounced, of: counts.completed)
        }
        if rules.isReplyInTarget(counts) { replyInTarget += 1 }
        if rules.isBounceInTarget(counts) { bounceInTarget += 1 }
        guard counts.completed >= max(1, minimum) else { return }
        if denominator == 0 { noReplyDenominator += 1 }
        cells[rules.cellIndex(replyRow: rules.replyRow(counts), bounceRow: rules.bounceRow(counts))] += 1
    }

    public mutating func merge(_ other: LevelSummary) {
        trials += other.trials
        for index in cells.indices {
            cells[index] += other.cells[index]
        }
        noReplyDenominator += other.noReplyDenominator
        replyInTarget += other.replyInTarget
        bounceInTarget += other.bounceInTarget
        replyRate.merge(other.replyRate)
        bounceRate.merge(other.bounceRate)
        unsubscribeRate.merge(other.unsubscribeRate)
        completed.merge(other.completed)
    }
}
