/// What the engine needs to know of one level in one trial, computed once and shared by the
/// level's summary and by every paired comparison.
struct LevelOutcome: Sendable, Hashable {
    /// The rule-set cell, or nil when the level is not eligible.
    var cell: Int?
    /// The band index; `bands.count` stands for Ineligible, the lowest outcome.
    var band: Int
    var isReplyInTarget: Bool
    var isBounceInTarget: Bool
    /// Above the reply target's range (a rate too high to be "good", however it scores).
    var isReplyAboveTarget = false
}

extension RuleSet {
    /// Scores `counts` for a level that needs `minimum` completed enrollments.
    func outcome(_ counts: Counts, minimum: Int) -> LevelOutcome {
        let eligible = counts.completed >= max(1, minimum)
        let cell = eligible ? cellIndex(replyRow: replyRow(counts), bounceRow: bounceRow(counts)) : nil
        return LevelOutcome(
            cell: cell,
            band: cell.map { cellBands[$0] } ?? bands.count,
            isReplyInTarget: isReplyInTarget(counts),
            isBounceInTarget: isBounceInTarget(counts),
            isReplyAboveTarget: isReplyAboveTarget(counts)
        )
    }

    /// Band names from the lowest, with Ineligible first: the order in which a band "improves".
    var outcomeOrder: [String] { [Self.ineligible] + bandNames }
}
