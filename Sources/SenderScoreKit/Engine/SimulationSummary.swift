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
    /// The blocks summarised: sorted, disjoint ranges of block indices that do not touch.
    public private(set) var blocks: [Range<Int>]
    /// The team's joint outcome, trial by trial: `repsAtLeast[strategy][band][k]` counts the trials
    /// in which exactly k reps were eligible and at `band` or better (k from 0 to the reps).
    public private(set) var repsAtLeast: [[[Int]]]
    /// With a timeline, the windows that end at each period (the fields above hold the last).
    public internal(set) var timeline: TimelineSummary?

    /// An encoder's `userInfo` key: where it is set, a summary encodes `summariesMarker` and
    /// `pairedMarker` in place of its level summaries, for `PartFile.seal` to write them one at a
    /// time.
    static let levelsAside = CodingUserInfoKey(rawValue: "senderscore.levelsAside")!
    /// Strings with control characters, which no other text of a part holds.
    static let summariesMarker = "\u{1}senderscore summaries\u{1}"
    static let pairedMarker = "\u{1}senderscore paired\u{1}"
    /// `summariesMarker` and `pairedMarker` as JSONEncoder writes them: JSON strings.
    static let encodedMarkers = [summariesMarker, pairedMarker].map {
        Array(("\"" + $0.replacing("\u{1}", with: "\\u0001") + "\"").utf8)
    }

    enum CodingKeys: String, CodingKey {
        case summaries, paired, blocks, repsAtLeast, timeline
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if encoder.userInfo[Self.levelsAside] != nil {
            try container.encode(Self.summariesMarker, forKey: .summaries)
            try container.encode(Self.pairedMarker, forKey: .paired)
        } else {
            try container.encode(summaries, forKey: .summaries)
            try container.encode(paired, forKey: .paired)
        }
        try container.encode(blocks, forKey: .blocks)
        try container.encode(repsAtLeast, forKey: .repsAtLeast)
        try container.encodeIfPresent(timeline, forKey: .timeline)
    }

    /// Reads a summary; with `levelsAside` set in the decoder's `userInfo`, one whose level
    /// summaries are markers, for `restoreLevels` to fill (`PartFile.decodeRun`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if decoder.userInfo[Self.levelsAside] != nil {
            guard try container.decode(String.self, forKey: .summaries) == Self.summariesMarker,
                try container.decode(String.self, forKey: .paired) == Self.pairedMarker
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .summaries,
                    in: container,
                    debugDescription: "not the summaries of a part"
                )
            }
            summaries = []
            paired = []
        } else {
            summaries = try container.decode([[LevelSummary]].self, forKey: .summaries)
            paired = try container.decode([[PairedSummary]].self, forKey: .paired)
        }
        blocks = try container.decode([Range<Int>].self, forKey: .blocks)
        repsAtLeast = try container.decode([[[Int]]].self, forKey: .repsAtLeast)
        timeline = try container.decodeIfPresent(TimelineSummary.self, forKey: .timeline)
    }

    /// Puts back the level summaries that a summary read with `levelsAside` left out.
    mutating func restoreLevels(summaries: [[LevelSummary]], paired: [[PairedSummary]]) {
        self.summaries = summaries
        self.paired = paired
    }

    /// An empty summary laid out for `plan`.
    public init(plan: SimulationPlan) {
        let levels = plan.levels.count
        summaries = plan.strategyNames.indices.map { _ in
            (0..<levels).map { _ in
                LevelSummary(rules: plan.rules, steps: plan.maximumSteps, conditional: plan.estimatesBandsConditionally)
            }
        }
        paired = plan.strategyNames.indices.map { strategy in
            strategy == 0 ? [] : (0..<levels).map { _ in PairedSummary(rules: plan.rules) }
        }
        blocks = []
        let reps = plan.levels.filter { $0.kind == .rep }.count
        repsAtLeast = plan.strategyNames.indices.map { _ in
            plan.rules.bands.indices.map { _ in Array(repeating: 0, count: reps + 1) }
        }
        timeline = plan.timeline.map {
            TimelineSummary(
                strategies: plan.strategyNames.count,
                periods: $0.periods,
                levels: levels,
                rules: plan.rules
            )
        }
    }

    /// The trials summarised.
    public var trials: Int { summaries.first?.first?.trials ?? 0 }

    /// Records a trial's outcome at one strategy and level.
    mutating func record(
        strategy: Int,
        level: Int,
        _ counts: Counts,
        _ outcome: LevelOutcome,
        rules: RuleSet,
        unsubscribes: Bool,
        stepReplies: UnsafeBufferPointer<Int>,
        conditional: UnsafeBufferPointer<Int64>? = nil
    ) {
        summaries[strategy][level].record(
            counts,
            outcome,
            rules: rules,
            unsubscribes: unsubscribes,
            stepReplies: stepReplies,
            conditional: conditional
        )
    }

    /// Records a trial's joint outcome under one strategy: `counts[band]` reps were at the band or
    /// better.
    mutating func recordReps(strategy: Int, atLeast counts: [Int]) {
        for (band, count) in counts.enumerated() { repsAtLeast[strategy][band][count] += 1 }
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

    /// Records a trial's outcome at a level whose counts are another's (`recordOutcome`).
    mutating func recordOutcome(
        strategy: Int,
        level: Int,
        _ counts: Counts,
        _ outcome: LevelOutcome,
        rules: RuleSet,
        conditional: UnsafeBufferPointer<Int64>? = nil
    ) {
        summaries[strategy][level].recordOutcome(counts, outcome, rules: rules, conditional: conditional)
    }

    /// Gives each level with another's cohorts (`SimulationPlan.sameCohorts`), for which
    /// `Simulation.runBlock` records only outcomes, that level's distributions of counts.
    mutating func copyCountDistributions(_ plan: SimulationPlan) {
        for (level, same) in plan.sameCohorts.enumerated() {
            guard let same else { continue }
            for strategy in summaries.indices {
                // Read first: reading within the mutation could copy the strategy's whole row.
                let source = summaries[strategy][same]
                summaries[strategy][level].copyCountDistributions(of: source)
            }
        }
    }

    /// Says which blocks the recorded trials come from, once a run of them is done.
    mutating func cover(_ range: Range<Int>) {
        blocks = range.isEmpty ? [] : [range]
    }

    /// Adds the trials of `other`, which must be laid out alike; the blocks are the caller's to
    /// keep (the workers of one run share theirs).
    mutating func mergeTrials(of other: SimulationSummary) {
        for strategy in summaries.indices {
            for level in summaries[strategy].indices {
                summaries[strategy][level].merge(other.summaries[strategy][level])
            }
            for level in paired[strategy].indices {
                paired[strategy][level].merge(other.paired[strategy][level])
            }
            for band in repsAtLeast[strategy].indices {
                for count in repsAtLeast[strategy][band].indices {
                    repsAtLeast[strategy][band][count] += other.repsAtLeast[strategy][band][count]
                }
            }
        }
        if let theirs = other.timeline { timeline?.merge(theirs) }
    }

    /// Adds the trials of `other`, which must cover other blocks of a run of the same plan.
    ///
    /// - Throws: `ScenarioError` (code `invalid`) when the two are laid out differently or share
    ///   a block, and (code `limit`) when together they would exceed `Limits.trials`.
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
        let (total, overflow) = trials.addingReportingOverflow(other.trials)
        guard !overflow, total <= Limits.trials else {
            throw ScenarioError(
                location: .run,
                message: "together the summaries hold more than the \(Format.count(Limits.trials)) trials "
                    + "a result can count",
                code: .limit
            )
        }
        mergeTrials(of: other)
        for range in other.blocks { Self.insert(range, into: &blocks) }
    }

    /// Checks that this summary, read back or from elsewhere, is a part of a run of `plan` with
    /// `options`: laid out for the plan, its blocks inside the run, and each level holding the
    /// trials of those blocks.
    public func check(fits plan: SimulationPlan, options: SimulationOptions) throws(ScenarioError) {
        guard hasLayout(of: SimulationSummary(plan: plan.estimating(with: options))) else {
            throw ScenarioError(location: .run, message: "the summary is laid out for another scenario or rule set")
        }
        var previous = -1
        var expected = 0
        for range in blocks {
            guard range.lowerBound > previous, range.lowerBound >= 0, range.upperBound <= options.blockCount,
                !range.isEmpty
            else {
                throw ScenarioError(
                    location: .run,
                    message: "the summary's blocks \(blocks.map { "\($0.lowerBound)..<\($0.upperBound)" }) are not "
                        + "sorted, disjoint ranges within the run's \(options.blockCount) blocks"
                )
            }
            previous = range.upperBound
            expected += options.trials(inBlocks: range)
        }
        let counts =
            summaries.joined().map(\.trials) + paired.joined().map(\.trials)
            + repsAtLeast.joined().map { $0.reduce(0, +) } + (timeline.map { [$0.trials] } ?? [])
        guard counts.allSatisfy({ $0 == expected }) else {
            throw ScenarioError(
                location: .run,
                message: "the summary's levels do not all hold the \(Format.count(expected)) trials of its blocks"
            )
        }
    }

    /// Whether `other` has the same strategies, levels, cells, steps and bins.
    func hasLayout(of other: SimulationSummary) -> Bool {
        guard summaries.count == other.summaries.count, paired.count == other.paired.count,
            repsAtLeast.map({ $0.map(\.count) }) == other.repsAtLeast.map({ $0.map(\.count) })
        else { return false }
        switch (timeline, other.timeline) {
        case (nil, nil): break
        case (let mine?, let theirs?): guard mine.hasLayout(of: theirs) else { return false }
        default: return false
        }
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
    ///
    /// - Complexity: O(ranges).
    static func insert(_ range: Range<Int>, into ranges: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        // The common case: a part that comes after all the others.
        if let last = ranges.last, last.upperBound <= range.lowerBound {
            if last.upperBound == range.lowerBound {
                ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
            } else {
                ranges.append(range)
            }
            return
        }
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
