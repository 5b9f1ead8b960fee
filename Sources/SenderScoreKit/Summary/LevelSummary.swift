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
    /// The distributions recorded from counts alone, in one allocation that copies share until
    /// one changes: nil until the first is recorded, and so in every row whose counts are another
    /// row's (a rep's only sequence), which records only its outcomes (`recordOutcome`). A
    /// 10,000-rep team has tens of thousands of rows per worker. Safe to send: changed only where
    /// this summary alone holds it (`CountDistributions.Box`).
    nonisolated(unsafe) private var distributions: CountDistributions.Box?
    private let steps: Int
    /// The band probabilities given all but each trial's replies (`ConditionalBands`), where the
    /// run estimates them so; nil where it counts trials in bands instead.
    public private(set) var conditional: ConditionalBandSums?

    /// The distributions recorded, empty ones where none are.
    private var counted: CountDistributions { distributions?.value ?? CountDistributions(steps: steps) }

    public var replyRate: RateHistogram { counted.replyRate }
    public var bounceRate: RateHistogram { counted.bounceRate }
    /// Unsubscribed over delivered; recorded only when the scenario models unsubscribes.
    public var unsubscribeRate: RateHistogram { counted.unsubscribeRate }
    public var completed: CountHistogram { counted.completed }
    /// Replies at each step of the sequences, summed over trials.
    public var stepReplies: [Int] { counted.stepReplies }

    public init(rules: RuleSet, steps: Int = 1, conditional: Bool = false) {
        cells = Array(repeating: 0, count: rules.cellCount)
        self.steps = steps
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
        changeDistributions { $0.record(counts, rules: rules, unsubscribes: unsubscribes, stepReplies: replies) }
    }

    /// Runs `body` on the distributions, made for this summary alone first where another holds
    /// them (or made, where there are none yet).
    @inline(__always)
    private mutating func changeDistributions(_ body: (inout CountDistributions) -> Void) {
        if !isKnownUniquelyReferenced(&distributions) {
            distributions = .make(counted)
        }
        // Borrowed, not retained: `distributions` holds it throughout (a retain and a release per
        // row and trial were 2.5% of the team benchmark).
        Unmanaged.passUnretained(distributions.unsafelyUnwrapped)._withUnsafeGuaranteedRef { $0.change(body) }
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
        distributions = other.distributions
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
        if let theirs = other.conditional { conditional?.merge(theirs) }
        if let theirs = other.distributions {
            if distributions == nil {
                distributions = theirs
            } else {
                changeDistributions { $0.merge(theirs.value) }
            }
        }
    }

    /// Whether `other` has as many cells and steps, so that the two can merge.
    func hasLayout(of other: LevelSummary) -> Bool {
        cells.count == other.cells.count && steps == other.steps
            && conditional?.bands == other.conditional?.bands
    }

    public static func == (left: LevelSummary, right: LevelSummary) -> Bool {
        left.trials == right.trials && left.cells == right.cells && left.noReplyDenominator == right.noReplyDenominator
            && left.replyInTarget == right.replyInTarget && left.replyAboveTarget == right.replyAboveTarget
            && left.bounceInTarget == right.bounceInTarget && left.conditional == right.conditional
            && left.steps == right.steps
            && (left.distributions === right.distributions || left.counted == right.counted)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(trials)
        hasher.combine(cells)
        hasher.combine(counted)
    }

    enum CodingKeys: String, CodingKey {
        case trials, cells, noReplyDenominator, replyInTarget, replyAboveTarget, bounceInTarget, replyRate, bounceRate
        case unsubscribeRate
        case completed, stepReplies, conditional
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trials, forKey: .trials)
        try container.encode(cells, forKey: .cells)
        try container.encode(noReplyDenominator, forKey: .noReplyDenominator)
        try container.encode(replyInTarget, forKey: .replyInTarget)
        try container.encode(replyAboveTarget, forKey: .replyAboveTarget)
        try container.encode(bounceInTarget, forKey: .bounceInTarget)
        try container.encode(replyRate, forKey: .replyRate)
        try container.encode(bounceRate, forKey: .bounceRate)
        try container.encode(unsubscribeRate, forKey: .unsubscribeRate)
        try container.encode(completed, forKey: .completed)
        try container.encode(stepReplies, forKey: .stepReplies)
        try container.encodeIfPresent(conditional, forKey: .conditional)
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
        let distributions = CountDistributions(
            replyRate: try container.decode(RateHistogram.self, forKey: .replyRate),
            bounceRate: try container.decode(RateHistogram.self, forKey: .bounceRate),
            unsubscribeRate: try container.decode(RateHistogram.self, forKey: .unsubscribeRate),
            completed: try container.decode(CountHistogram.self, forKey: .completed),
            stepReplies: try container.decode([Int].self, forKey: .stepReplies)
        )
        self.distributions = .make(distributions)
        steps = distributions.stepReplies.count
        conditional = try container.decodeIfPresent(ConditionalBandSums.self, forKey: .conditional)
        let counts = [trials, noReplyDenominator, replyInTarget, replyAboveTarget, bounceInTarget] + cells
        let rates = [
            distributions.replyRate.count, distributions.bounceRate.count, distributions.unsubscribeRate.count,
        ]
        guard (0...Limits.trials).contains(trials), counts.allSatisfy({ (0...trials).contains($0) }),
            cells.reduce(0, +) <= trials, rates.allSatisfy({ $0 <= trials }), distributions.completed.count == trials,
            distributions.stepReplies.allSatisfy({ $0 >= 0 && $0 / Limits.completed <= trials }),
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
