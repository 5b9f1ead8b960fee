/// What the engine needs to know of one level in one trial, computed once and shared by the
/// level's summary and by every paired comparison.
///
/// Held in 12 bytes, not 32: a run keeps one per row per thread (20,001 for a 10,000-rep team).
struct LevelOutcome: Sendable, Hashable {
    /// The cell, or -1 when the level is not eligible (a rule set has far fewer than 2^31 cells,
    /// and bands).
    private let storedCell: Int32
    private let storedBand: Int32
    let isReplyInTarget: Bool
    let isBounceInTarget: Bool
    /// Above the reply target's range (a rate too high to be "good", however it scores).
    let isReplyAboveTarget: Bool

    /// The rule-set cell, or nil when the level is not eligible.
    var cell: Int? { storedCell < 0 ? nil : Int(storedCell) }
    /// The band index; `bands.count` stands for Ineligible, the lowest outcome.
    var band: Int { Int(storedBand) }

    init(cell: Int?, band: Int, isReplyInTarget: Bool, isBounceInTarget: Bool, isReplyAboveTarget: Bool = false) {
        storedCell = Int32(cell ?? -1)
        storedBand = Int32(band)
        self.isReplyInTarget = isReplyInTarget
        self.isBounceInTarget = isBounceInTarget
        self.isReplyAboveTarget = isReplyAboveTarget
    }
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
