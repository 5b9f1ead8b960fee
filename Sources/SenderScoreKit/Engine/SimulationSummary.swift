/// Everything a run accumulates, for the blocks it covers: per strategy (the baseline first) and
/// level the summary, and per strategy and level the paired comparison with the baseline.
///
/// Every accumulator is an exact integer sum or a minimum or maximum, so merging summaries of
/// disjoint blocks gives, in any order and grouping, exactly the summary of one run over all of
/// them; and a summary can be saved (`Codable`) and merged later.
public struct SimulationSummary: Sendable, Hashable, Codable {
    /// `summaries[strategy][level]`; strategy 0 is the baseline.
    public private(set) var summaries: [[LevelSummary]]
    /// `paired[strategy][level]`; empty for the baseline.
    public private(set) var paired: [[PairedSummary]]
    /// The blocks summarised: sorted, disjoint, not adjacent ranges of block indices.
    public private(set) var blocks: [Range<Int>]

    /// An empty summary laid out for `plan`.
    public init(plan: SimulationPlan) {
        let levels = plan.levels.count
        summaries = plan.strategyNames.indices.map { _ in
            (0..<levels).map { _ in LevelSummary(rules: plan.rules, steps: plan.maximumSteps) }
        }
        paired = plan.strategyNames.indices.map { strategy in
            strategy == 0 ? [] : (0..<levels).map { _ in PairedSummary(rules: plan.rules) }
        }
        blocks = []
    }

    /// The trials summarised.
    public var trials: Int { summaries.first?.first?.trials ?? 0 }

    /// Records that block `block` is in; its trials are recorded level by level.
    mutating func add(block: Int) {
        Self.insert(block..<block + 1, into: &blocks)
    }

    /// Records a trial's outcome at one strategy and level.
    mutating func record(
        strategy: Int,
        level: Int,
        _ counts: Counts,
        _ outcome: LevelOutcome,
        rules: RuleSet,
        unsubscribes: Bool,
        stepReplies: ArraySlice<Int>
    ) {
        summaries[strategy][level].record(
            counts,
            outcome,
            rules: rules,
            unsubscribes: unsubscribes,
            stepReplies: stepReplies
        )
    }

    mutating func recordPair(
        strategy: Int,
        level: Int,
        baseline: (counts: Counts, outcome: LevelOutcome),
        strategy outcome: (counts: Counts, outcome: LevelOutcome),
        rules: RuleSet
    ) {
        paired[strategy][level].record(baseline: baseline, strategy: outcome, rules: rules)
    }

    /// Adds the trials of `other`, which must cover other blocks of a run of the same plan.
    ///
    /// - Throws: `ScenarioError` (code `invalid`) when the two are laid out differently or share
    ///   a block, and (code `limit`) when together they would exceed `SimulationOptions.trialLimit`.
    public mutating func merge(_ other: SimulationSummary) throws(ScenarioError) {
        guard hasLayout(of: other) else {
            throw ScenarioError(
                location: .run,
                message: "the summaries are laid out for different scenarios or rule sets"
            )
        }
        for range in other.blocks {
            if let shared = blocks.first(where: { $0.overlaps(range) }) {
                let block = max(shared.lowerBound, range.lowerBound)
                throw ScenarioError(location: .run, message: "block \(block) is in both summaries")
            }
        }
        guard trials + other.trials <= SimulationOptions.trialLimit else {
            throw ScenarioError(
                location: .run,
                message: "together the summaries hold \(Format.count(trials + other.trials)) trials, more than the "
                    + "\(Format.count(SimulationOptions.trialLimit)) a result can count",
                code: .limit
            )
        }
        mergeTrials(of: other)
    }

    /// Adds the trials and blocks of `other`, known to be laid out alike and to hold other blocks.
    mutating func mergeTrials(of other: SimulationSummary) {
        for strategy in summaries.indices {
            for level in summaries[strategy].indices {
                summaries[strategy][level].merge(other.summaries[strategy][level])
            }
            for level in paired[strategy].indices {
                paired[strategy][level].merge(other.paired[strategy][level])
            }
        }
        for range in other.blocks { Self.insert(range, into: &blocks) }
    }

    /// Whether `other` has the same strategies, levels, cells, steps and bins.
    func hasLayout(of other: SimulationSummary) -> Bool {
        guard summaries.count == other.summaries.count, paired.count == other.paired.count else { return false }
        for (mine, theirs) in zip(summaries, other.summaries) {
            guard mine.count == theirs.count, zip(mine, theirs).allSatisfy({ $0.hasLayout(of: $1) }) else {
                return false
            }
        }
        for (mine, theirs) in zip(paired, other.paired) {
            guard mine.count == theirs.count, zip(mine, theirs).allSatisfy({ $0.hasLayout(of: $1) }) else {
                return false
            }
        }
        return true
    }

    /// Adds `range` to sorted, disjoint ranges, joining it with the ones it touches.
    static func insert(_ range: Range<Int>, into ranges: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        var merged = range
        var kept: [Range<Int>] = []
        for existing in ranges {
            if existing.upperBound < merged.lowerBound || existing.lowerBound > merged.upperBound {
                kept.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
            }
        }
        kept.append(merged)
        ranges = kept.sorted { $0.lowerBound < $1.lowerBound }
    }
}
