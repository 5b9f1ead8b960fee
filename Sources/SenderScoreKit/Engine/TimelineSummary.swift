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
    /// The window's completed enrollments summed over trials, laid out like a row of `cells`.
    public private(set) var completed: [Int]
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
        var counts = Array(repeating: 0, count: bands + 1)
        let first = row(strategy: strategy, period: period, level: level) * cellCount
        var eligible = 0
        for cell in 0..<cellCount {
            counts[rules.cellBands[cell]] += cells[first + cell]
            eligible += cells[first + cell]
        }
        counts[bands] = trials - eligible
        return counts
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
        completed[index] += count
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
        add(&completed, other.completed)
        add(&reach, other.reach)
        add(&gained, other.gained)
        add(&gainedSquares, other.gainedSquares)
        add(&earlier, other.earlier)
        add(&later, other.later)
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
