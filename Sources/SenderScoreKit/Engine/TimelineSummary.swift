/// What a run of a timeline accumulates beyond the last window's `SimulationSummary`: per
/// strategy, period and level the score's distribution in the window that ends at the period;
/// per strategy, level and band the first period from which the level stays at the band or
/// better to the end of the horizon; and per strategy, level and band the periods gained over the
/// baseline, trial by trial (common random numbers).
///
/// Every accumulator is an exact integer sum, so summaries of disjoint blocks merge exactly.
public struct TimelineSummary: Sendable, Hashable, Codable {
    public let strategies: Int
    public let periods: Int
    public let levels: Int
    public let cellCount: Int
    public let bands: Int
    public private(set) var trials = 0
    /// Eligible trials per rule-set cell: `cells[((strategy * periods + period) * levels + level) * cellCount + cell]`.
    public private(set) var cells: [Int]
    /// The window's completed enrollments summed over trials, one per row (strategy, period,
    /// level), in 128 bits: a window may hold up to 10¹² enrollments in each of 10⁹ trials.
    public private(set) var completed: [Int128]
    /// Trials whose level first stays at the band or better from a period on:
    /// `reach[((strategy * levels + level) * bands + band) * (periods + 1) + period]`, the last
    /// place (`periods`) for never.
    public private(set) var reach: [Int]
    /// Per strategy after the baseline, level and band: the sums over trials of the periods
    /// gained (the baseline's first period less the strategy's, never counting as `periods`)
    /// and of their squares, and the trials in which the strategy gets there earlier or later.
    public private(set) var gained: [Int]
    public private(set) var gainedSquares: [Int]
    public private(set) var earlier: [Int]
    public private(set) var later: [Int]

    public init(strategies: Int, periods: Int, levels: Int, rules: RuleSet) {
        self.strategies = strategies
        self.periods = periods
        self.levels = levels
        cellCount = rules.cellCount
        bands = rules.bands.count
        cells = Array(repeating: 0, count: strategies * periods * levels * cellCount)
        completed = Array(repeating: 0, count: strategies * periods * levels)
        reach = Array(repeating: 0, count: strategies * levels * bands * (periods + 1))
        let pairs = max(0, strategies - 1) * levels * bands
        gained = Array(repeating: 0, count: pairs)
        gainedSquares = gained
        earlier = gained
        later = gained
    }

    /// The index of a row (strategy, period, level) in `completed`, and of its cells' first.
    func row(strategy: Int, period: Int, level: Int) -> Int { (strategy * periods + period) * levels + level }

    /// The trials in each band at a row, from the lowest, then the ineligible ones.
    public func bandCounts(strategy: Int, period: Int, level: Int, rules: RuleSet) -> [Int] {
        rules.bandCounts(cells: cellCounts(strategy: strategy, period: period, level: level), trials: trials)
    }

    /// The eligible trials per cell at a row.
    public func cellCounts(strategy: Int, period: Int, level: Int) -> ArraySlice<Int> {
        let first = row(strategy: strategy, period: period, level: level) * cellCount
        return cells[first..<first + cellCount]
    }

    /// The mean completed enrollments in the window at a row.
    public func meanCompleted(strategy: Int, period: Int, level: Int) -> Double {
        trials == 0 ? 0 : Double(completed[row(strategy: strategy, period: period, level: level)]) / Double(trials)
    }

    /// The trials by the first period from which a level stays at `band` or better; the last
    /// entry counts those that never do within the horizon.
    public func firstPeriods(strategy: Int, level: Int, band: Int) -> ArraySlice<Int> {
        let first = ((strategy * levels + level) * bands + band) * (periods + 1)
        return reach[first..<first + periods + 1]
    }

    /// The paired gain of a strategy (from 1) over the baseline at a level and band.
    public func gain(strategy: Int, level: Int, band: Int) -> (sum: Int, squares: Int, earlier: Int, later: Int) {
        let index = ((strategy - 1) * levels + level) * bands + band
        return (gained[index], gainedSquares[index], earlier[index], later[index])
    }

    // MARK: Recording

    mutating func countTrial() { trials += 1 }

    mutating func record(strategy: Int, period: Int, level: Int, cell: Int?, completed count: Int) {
        let index = row(strategy: strategy, period: period, level: level)
        completed[index] &+= Int128(count)
        if let cell { cells[index * cellCount + cell] += 1 }
    }

    /// Records the first periods (`periods` for never) from which a level stays at each band or
    /// better, under one strategy; with the baseline's, the strategy's gains.
    mutating func recordReach(strategy: Int, level: Int, first: [Int], baseline: [Int]?) {
        for band in 0..<bands {
            reach[((strategy * levels + level) * bands + band) * (periods + 1) + first[band]] += 1
            guard let baseline else { continue }
            let index = ((strategy - 1) * levels + level) * bands + band
            let gain = baseline[band] - first[band]
            gained[index] += gain
            gainedSquares[index] += gain * gain
            if gain > 0 { earlier[index] += 1 }
            if gain < 0 { later[index] += 1 }
        }
    }

    /// Adds `other`, laid out alike (`hasLayout(of:)`).
    mutating func merge(_ other: TimelineSummary) {
        trials += other.trials
        func add(_ mine: inout [Int], _ theirs: [Int]) {
            for index in mine.indices { mine[index] += theirs[index] }
        }
        add(&cells, other.cells)
        for index in completed.indices { completed[index] &+= other.completed[index] }
        add(&reach, other.reach)
        add(&gained, other.gained)
        add(&gainedSquares, other.gainedSquares)
        add(&earlier, other.earlier)
        add(&later, other.later)
    }

    enum CodingKeys: String, CodingKey {
        case strategies, periods, levels, cellCount, bands, trials, cells, completed, reach, gained, gainedSquares
        case earlier, later
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(strategies, forKey: .strategies)
        try container.encode(periods, forKey: .periods)
        try container.encode(levels, forKey: .levels)
        try container.encode(cellCount, forKey: .cellCount)
        try container.encode(bands, forKey: .bands)
        try container.encode(trials, forKey: .trials)
        try container.encode(cells, forKey: .cells)
        // As decimal text: JSON numbers do not hold 128 bits everywhere.
        try container.encode(completed.map { String($0) }, forKey: .completed)
        try container.encode(reach, forKey: .reach)
        try container.encode(gained, forKey: .gained)
        try container.encode(gainedSquares, forKey: .gainedSquares)
        try container.encode(earlier, forKey: .earlier)
        try container.encode(later, forKey: .later)
    }

    /// Reads a saved summary (a part of a sharded run), refusing one whose layout or counts no
    /// run could have made, so that merging it can neither trap nor overflow.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func refuse(_ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .trials, in: container, debugDescription: message)
        }
        strategies = try container.decode(Int.self, forKey: .strategies)
        periods = try container.decode(Int.self, forKey: .periods)
        levels = try container.decode(Int.self, forKey: .levels)
        cellCount = try container.decode(Int.self, forKey: .cellCount)
        bands = try container.decode(Int.self, forKey: .bands)
        trials = try container.decode(Int.self, forKey: .trials)
        let maximumCells = (Limits.ruleRows + 1) * (Limits.ruleRows + 1)
        guard (1...Limits.levels).contains(strategies), (1...Limits.periods).contains(periods),
            (1...Limits.levels).contains(levels), (1...maximumCells).contains(cellCount),
            (1...Limits.ruleRows).contains(bands), (0...Limits.trials).contains(trials),
            strategies * periods * levels * cellCount <= Limits.timelineCells
        else { throw refuse("not the layout of a timeline's summary") }
        cells = try container.decode([Int].self, forKey: .cells)
        completed = try container.decode([String].self, forKey: .completed).map { text in
            guard let value = Int128(text), value >= 0 else { throw refuse("not a sum of completed enrollments") }
            return value
        }
        reach = try container.decode([Int].self, forKey: .reach)
        gained = try container.decode([Int].self, forKey: .gained)
        gainedSquares = try container.decode([Int].self, forKey: .gainedSquares)
        earlier = try container.decode([Int].self, forKey: .earlier)
        later = try container.decode([Int].self, forKey: .later)
        let rows = strategies * periods * levels
        let pairs = (strategies - 1) * levels * bands
        guard cells.count == rows * cellCount, completed.count == rows,
            reach.count == strategies * levels * bands * (periods + 1),
            [gained, gainedSquares, earlier, later].allSatisfy({ $0.count == pairs })
        else { throw refuse("a timeline's summary with arrays of the wrong length") }
        let counts = cells + reach + earlier + later
        guard counts.allSatisfy({ (0...trials).contains($0) }),
            stride(from: 0, to: cells.count, by: cellCount).allSatisfy({
                cells[$0..<$0 + cellCount].reduce(0, +) <= trials
            }),
            stride(from: 0, to: reach.count, by: periods + 1).allSatisfy({
                reach[$0..<$0 + periods + 1].reduce(0, +) == trials
            }),
            zip(earlier, later).allSatisfy({ $0 + $1 <= trials }),
            gained.allSatisfy({ abs($0) <= periods * trials }),
            gainedSquares.allSatisfy({ $0 >= 0 && $0 <= periods * periods * trials })
        else { throw refuse("not the counts of a timeline's trials") }
    }

    func hasLayout(of other: TimelineSummary) -> Bool {
        strategies == other.strategies && periods == other.periods && levels == other.levels
            && cellCount == other.cellCount && bands == other.bands && cells.count == other.cells.count
            && completed.count == other.completed.count && reach.count == other.reach.count
            && gained.count == other.gained.count && gainedSquares.count == other.gainedSquares.count
            && earlier.count == other.earlier.count && later.count == other.later.count
    }
}

/// Scores a trial's windows, period by period, into a summary's `TimelineSummary`; holds the
/// buffers, so that a block of trials allocates once.
struct TimelineRecorder {
    let plan: SimulationPlan
    let layout: TimelineLayout
    private var windows: [Counts] = []
    private var running: [Counts] = []
    /// Per period, the band of the window ending there (−1 when ineligible).
    private var bands: [Int]
    private var first: [Int]
    /// The baseline's first periods, per level and band.
    private var baseline: [[Int]]

    init(plan: SimulationPlan, layout: TimelineLayout) {
        self.plan = plan
        self.layout = layout
        bands = Array(repeating: -1, count: layout.periods)
        first = Array(repeating: layout.periods, count: plan.rules.bands.count)
        baseline = Array(repeating: first, count: plan.levels.count)
    }

    mutating func record(_ runner: TrialRunner, into summary: inout SimulationSummary) {
        runner.windows(into: &windows, running: &running)
        let levels = plan.levels.count
        let periods = layout.periods
        summary.timeline!.countTrial()
        for strategy in 0..<runner.strategyCount {
            for level in 0..<levels {
                let minimum = plan.levels[level].minimum
                for period in 0..<periods {
                    let counts = windows[(strategy * periods + period) * levels + level]
                    let outcome = plan.rules.outcome(counts, minimum: minimum)
                    summary.timeline!.record(
                        strategy: strategy,
                        period: period,
                        level: level,
                        cell: outcome.cell,
                        completed: counts.completed
                    )
                    bands[period] = outcome.cell == nil ? -1 : outcome.band
                }
                // The first period from which every later window is at the band or better.
                for band in first.indices { first[band] = periods }
                var lowest = Int.max
                for period in stride(from: periods - 1, through: 0, by: -1) {
                    lowest = min(lowest, bands[period])
                    guard lowest >= 0 else { break }
                    for band in 0...min(lowest, first.count - 1) { first[band] = period }
                }
                summary.timeline!.recordReach(
                    strategy: strategy,
                    level: level,
                    first: first,
                    baseline: strategy == 0 ? nil : baseline[level]
                )
                if strategy == 0 { baseline[level] = first }
            }
        }
    }
}
