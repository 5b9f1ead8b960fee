/// The score of one group of enrollments under a rule set, with the reasons behind it.
public struct Scorecard: Sendable, Hashable {
    /// What is scored, which decides the eligibility minimum.
    public enum Level: String, Sendable, Hashable, CaseIterable {
        case rep, sequence, team
    }

    public var counts: Counts
    public var isEligible: Bool
    /// Replied over the rule set's denominator; nil when the denominator is zero.
    public var replyRate: Double?
    /// Bounced over completed; nil when nothing completed.
    public var bounceRate: Double?
    public var replyPoints: ExactDecimal
    public var bouncePoints: ExactDecimal
    public var total: ExactDecimal
    /// The band of the total, or `RuleSet.ineligible`.
    public var band: String
    public var isReplyInTarget: Bool
    public var isBounceInTarget: Bool
    /// Why something is missing: "no delivered enrollments: no reply points".
    public var notes: [String]
}

extension RuleSet {
    /// The completed enrollments a level needs to be scored. The team uses the rep minimum.
    public func minimum(for level: Scorecard.Level) -> Int {
        level == .sequence ? minimumCompleted.sequence : minimumCompleted.rep
    }

    /// Scores `counts` at `level`.
    public func scorecard(_ counts: Counts, level: Scorecard.Level) -> Scorecard {
        let replyRow = replyRow(counts)
        let bounceRow = bounceRow(counts)
        let cell = cellIndex(replyRow: replyRow, bounceRow: bounceRow)
        let denominator = replyDenominator(counts)
        let isEligible = counts.completed >= max(1, minimum(for: level))
        var notes: [String] = []
        if !isEligible {
            notes.append(
                "\(counts.completed) completed enrollments; a \(level.rawValue) needs at least \(minimum(for: level))"
            )
        }
        if denominator == 0 {
            notes.append("no \(replyDenominator.rawValue) enrollments: no reply points")
        } else if replyRow == reply.count {
            notes.append("the reply rate is below every row: no reply points")
        }
        if counts.completed > 0, bounceRow == bounce.count {
            notes.append("the bounce rate is below every row: no bounce points")
        }
        return Scorecard(
            counts: counts,
            isEligible: isEligible,
            replyRate: denominator > 0 ? Double(counts.replied) / Double(denominator) : nil,
            bounceRate: counts.completed > 0 ? Double(counts.bounced) / Double(counts.completed) : nil,
            replyPoints: replyRow < reply.count ? reply[replyRow].points : .zero,
            bouncePoints: bounceRow < bounce.count ? bounce[bounceRow].points : .zero,
            total: cellTotals[cell],
            band: isEligible ? bands[cellBands[cell]].name : Self.ineligible,
            isReplyInTarget: isReplyInTarget(counts),
            isBounceInTarget: isBounceInTarget(counts),
            notes: notes
        )
    }
}
