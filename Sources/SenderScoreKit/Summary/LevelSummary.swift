/// Everything accumulated about one level (rep, sequence or team) under one strategy over trials.
/// Mergeable: `a.merge(b)` equals the summary of the trials of `a` followed by those of `b`, exactly.
public struct LevelSummary: Sendable, Hashable, Codable {
    public private(set) var trials = 0
    /// Eligible trials per rule-set cell (`RuleSet.cellIndex`): the score distribution, exactly.
    public private(set) var cells: [Int]
    /// Eligible trials with no reply-rate denominator (nothing delivered).
    public private(set) var noReplyDenominator = 0
    public private(set) var replyInTarget = 0
    /// Trials whose reply rate is above the target's range.
    public private(set) var replyAboveTarget = 0
    public private(set) var bounceInTarget = 0
    public private(set) var replyRate = RateHistogram()
    public private(set) var bounceRate = RateHistogram()
    /// Unsubscribed over delivered; recorded only when the scenario models unsubscribes.
    public private(set) var unsubscribeRate = RateHistogram()
    public private(set) var completed = CountHistogram()
    /// Replies at each step of the sequences, summed over trials.
    public private(set) var stepReplies: [Int]
    /// The band probabilities given all but each trial's replies (`ConditionalBands`), where the
    /// run estimates them so; nil where it counts trials in bands instead.
    public private(set) var conditional: ConditionalBandSums?

    public init(rules: RuleSet, steps: Int = 1, conditional: Bool = false) {
        cells = Array(repeating: 0, count: rules.cellCount)
        stepReplies = Array(repeating: 0, count: steps)
        self.conditional = conditional ? ConditionalBandSums(bands: rules.bands.count) : nil
    }

    /// Trials with at least the minimum of completed enrollments.
    public var eligible: Int { cells.reduce(0, +) }

    /// The trials in each band of `rules`, from the lowest, then the ineligible ones.
    public func bandCounts(rules: RuleSet) -> [Int] { rules.bandCounts(cells: cells, trials: trials) }

    /// The probability of each band of `rules` from the lowest, then of Ineligible, and of being
    /// eligible and at each band or better, with their standard errors: the conditional estimates
    /// where the run made them, else shares of trials.
    public func bandEstimates(rules: RuleSet) -> BandEstimates {
        if let conditional, conditional.count == trials, conditional.bands == rules.bands.count {
            let outcomes = (0...rules.bands.count).map { conditional.outcome($0) }
            let atLeast = rules.bands.indices.map { conditional.atLeast($0) }
            return BandEstimates(
                probabilities: outcomes.map(\.mean),
                stdErrs: outcomes.map(\.stdErr),
                atLeast: atLeast.map(\.mean),
                atLeastStdErrs: atLeast.map(\.stdErr),
                conditional: true
            )
        }
        return BandEstimates(counts: bandCounts(rules: rules), trials: trials)
    }

    /// Adds one trial's counts, with their outcome under the rule set.
    mutating func record(
        _ counts: Counts,
        _ outcome: LevelOutcome,
        rules: RuleSet,
        unsubscribes: Bool,
        stepReplies replies: UnsafeBufferPointer<Int>,
        conditional atLeast: UnsafeBufferPointer<Int64>?
    ) {
        recordOutcome(counts, outcome, rules: rules, conditional: atLeast)
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
        stepReplies.withUnsafeMutableBufferPointer { sums in
            for step in 0..<min(sums.count, replies.count) { sums[step] += replies[step] }
        }
    }

    /// Adds what depends on the outcome, for a level whose counts are another's in every trial:
    /// the rest (the distributions of the rates and volumes, the replies by step) is that level's
    /// (`copyCountDistributions(of:)`), so it is kept once.
    mutating func recordOutcome(
        _ counts: Counts,
        _ outcome: LevelOutcome,
        rules: RuleSet,
        conditional atLeast: UnsafeBufferPointer<Int64>?
    ) {
        trials += 1
        if let atLeast { conditional?.record(atLeast: atLeast) }
        if outcome.isReplyInTarget { replyInTarget += 1 }
        if outcome.isReplyAboveTarget { replyAboveTarget += 1 }
        if outcome.isBounceInTarget { bounceInTarget += 1 }
        guard let cell = outcome.cell else { return }
        if rules.replyDenominator(counts) == 0 { noReplyDenominator += 1 }
        cells[cell] += 1
    }

    /// Takes the distributions `other` records from counts alone, for a level that only records
    /// its outcomes (`recordOutcome`) because its counts are those of `other` in every trial.
    /// The copies share storage until either changes.
    mutating func copyCountDistributions(of other: LevelSummary) {
        replyRate = other.replyRate
        bounceRate = other.bounceRate
        unsubscribeRate = other.unsubscribeRate
        completed = other.completed
        stepReplies = other.stepReplies
    }

    /// Adds `other`, which must have the same layout (`hasLayout(of:)`).
    public mutating func merge(_ other: LevelSummary) {
        trials += other.trials
        for index in cells.indices {
            cells[index] += other.cells[index]
        }
        noReplyDenominator += other.noReplyDenominator
        replyInTarget += other.replyInTarget
        replyAboveTarget += other.replyAboveTarget
        bounceInTarget += other.bounceInTarget
        replyRate.merge(other.replyRate)
        bounceRate.merge(other.bounceRate)
        unsubscribeRate.merge(other.unsubscribeRate)
        completed.merge(other.completed)
        if let theirs = other.conditional { conditional?.merge(theirs) }
        // Wrapping: a saved summary's replies are only known to be non-negative.
        for index in stepReplies.indices {
            stepReplies[index] &+= other.stepReplies[index]
        }
    }

    /// Whether `other` has as many cells and steps, so that the two can merge.
    func hasLayout(of other: LevelSummary) -> Bool {
        cells.count == other.cells.count && stepReplies.count == other.stepReplies.count
            && conditional?.bands == other.conditional?.bands
    }

    enum CodingKeys: String, CodingKey {
        case trials, cells, noReplyDenominator, replyInTarget, replyAboveTarget, bounceInTarget, replyRate, bounceRate
        case unsubscribeRate
        case completed, stepReplies, conditional
    }

    /// Reads a saved summary, refusing counts that no run of at most `Limits.trials` trials
    /// records (and that could overflow when merged).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        trials = try container.decode(Int.self, forKey: .trials)
        cells = try container.decode([Int].self, forKey: .cells)
        noReplyDenominator = try container.decode(Int.self, forKey: .noReplyDenominator)
        replyInTarget = try container.decode(Int.self, forKey: .replyInTarget)
        replyAboveTarget = try container.decodeIfPresent(Int.self, forKey: .replyAboveTarget) ?? 0
        bounceInTarget = try container.decode(Int.self, forKey: .bounceInTarget)
        replyRate = try container.decode(RateHistogram.self, forKey: .replyRate)
        bounceRate = try container.decode(RateHistogram.self, forKey: .bounceRate)
        unsubscribeRate = try container.decode(RateHistogram.self, forKey: .unsubscribeRate)
        completed = try container.decode(CountHistogram.self, forKey: .completed)
        stepReplies = try container.decode([Int].self, forKey: .stepReplies)
        conditional = try container.decodeIfPresent(ConditionalBandSums.self, forKey: .conditional)
        let counts = [trials, noReplyDenominator, replyInTarget, replyAboveTarget, bounceInTarget] + cells
        let rates = [replyRate.count, bounceRate.count, unsubscribeRate.count]
        guard (0...Limits.trials).contains(trials), counts.allSatisfy({ (0...trials).contains($0) }),
            cells.reduce(0, +) <= trials, rates.allSatisfy({ $0 <= trials }), completed.count == trials,
            stepReplies.allSatisfy({ $0 >= 0 && $0 / Limits.completed <= trials }),
            conditional.map({ $0.count == trials }) ?? true
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .trials,
                in: container,
                debugDescription: "not the counts of a run of at most \(Limits.trials) trials"
            )
        }
    }
}
