/// A strategy against the baseline at one level, trial by trial (the same trial under both, with
/// common random numbers), so differences are paired and their errors small. Mergeable.
public struct PairedSummary: Sendable, Hashable, Codable {
    public private(set) var trials = 0
    /// Trials per (baseline outcome, strategy outcome); outcomes are indexed Ineligible first, then
    /// the bands from the lowest, so a higher index is a better band.
    public private(set) var transitions: [Int]
    /// Trials per (baseline in target, strategy in target), as 2 × baseline + strategy.
    public private(set) var replyInTarget = [0, 0, 0, 0]
    public private(set) var bounceInTarget = [0, 0, 0, 0]
    /// Trials per (baseline above the reply target, strategy above it), as 2 × baseline + strategy.
    public private(set) var replyAboveTarget = [0, 0, 0, 0]
    /// Score differences (strategy − baseline) over trials where both are eligible, in units of
    /// 10^-`RuleSet.scoreScale` points: their moments and distribution, for the change's mean and
    /// its spread across trials (what one quarter may bring).
    public private(set) var scoreChange = CountHistogram()
    /// Completed-enrollment differences over all trials.
    public private(set) var completedChange = CountHistogram()

    public init(rules: RuleSet) {
        transitions = Array(repeating: 0, count: (rules.bands.count + 1) * (rules.bands.count + 1))
    }

    /// The number of outcomes: Ineligible and every band.
    public var outcomes: Int { Int(Double(transitions.count).squareRoot().rounded()) }

    mutating func record(
        baseline: (counts: Counts, outcome: LevelOutcome),
        strategy: (counts: Counts, outcome: LevelOutcome),
        rules: RuleSet
    ) {
        trials += 1
        let before = Self.rank(baseline.outcome, rules)
        let after = Self.rank(strategy.outcome, rules)
        transitions[before * outcomes + after] += 1
        replyInTarget[(baseline.outcome.isReplyInTarget ? 2 : 0) + (strategy.outcome.isReplyInTarget ? 1 : 0)] += 1
        bounceInTarget[(baseline.outcome.isBounceInTarget ? 2 : 0) + (strategy.outcome.isBounceInTarget ? 1 : 0)] += 1
        replyAboveTarget[
            (baseline.outcome.isReplyAboveTarget ? 2 : 0) + (strategy.outcome.isReplyAboveTarget ? 1 : 0)
        ] += 1
        if let old = baseline.outcome.cell, let new = strategy.outcome.cell {
            scoreChange.record(Int(rules.cellScoreUnits[new] - rules.cellScoreUnits[old]))
        }
        completedChange.record(strategy.counts.completed - baseline.counts.completed)
    }

    /// Ineligible is 0, the lowest band 1, and so on.
    static func rank(_ outcome: LevelOutcome, _ rules: RuleSet) -> Int {
        outcome.cell == nil ? 0 : outcome.band + 1
    }

    public mutating func merge(_ other: PairedSummary) {
        trials += other.trials
        for index in transitions.indices { transitions[index] += other.transitions[index] }
        for index in 0..<4 {
            replyInTarget[index] += other.replyInTarget[index]
            bounceInTarget[index] += other.bounceInTarget[index]
            replyAboveTarget[index] += other.replyAboveTarget[index]
        }
        scoreChange.merge(other.scoreChange)
        completedChange.merge(other.completedChange)
    }

    /// Whether `other` has as many outcomes, so that the two can merge.
    func hasLayout(of other: PairedSummary) -> Bool {
        transitions.count == other.transitions.count && replyInTarget.count == 4 && other.replyInTarget.count == 4
            && bounceInTarget.count == 4 && other.bounceInTarget.count == 4 && replyAboveTarget.count == 4
            && other.replyAboveTarget.count == 4
    }

    enum CodingKeys: String, CodingKey {
        case trials, transitions, replyInTarget, bounceInTarget, replyAboveTarget, scoreChange, completedChange
    }

    /// Reads a saved comparison, refusing counts that no run of at most `Limits.trials` trials
    /// records.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        trials = try container.decode(Int.self, forKey: .trials)
        transitions = try container.decode([Int].self, forKey: .transitions)
        replyInTarget = try container.decode([Int].self, forKey: .replyInTarget)
        bounceInTarget = try container.decode([Int].self, forKey: .bounceInTarget)
        replyAboveTarget = try container.decodeIfPresent([Int].self, forKey: .replyAboveTarget) ?? [trials, 0, 0, 0]
        scoreChange = try container.decode(CountHistogram.self, forKey: .scoreChange)
        completedChange = try container.decode(CountHistogram.self, forKey: .completedChange)
        let tables = [transitions, replyInTarget, bounceInTarget, replyAboveTarget]
        let side = Int(Double(transitions.count).squareRoot().rounded())
        guard (0...Limits.trials).contains(trials), side >= 2, side * side == transitions.count,
            replyInTarget.count == 4, bounceInTarget.count == 4, replyAboveTarget.count == 4,
            tables.allSatisfy({ $0.allSatisfy({ (0...trials).contains($0) }) && $0.reduce(0, +) == trials }),
            scoreChange.count <= trials, completedChange.count == trials
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .trials,
                in: container,
                debugDescription: "not the counts of a run of at most \(Limits.trials) trials"
            )
        }
    }
}
