/// A run's timeline, as JSON holds it: per strategy and level, the score in the window that ends
/// at each period, and when the level gets to each band and stays there. See docs/timeline.md.
public struct TimelineReport: Codable, Sendable, Hashable {
    /// "week" or "month".
    public var period: String
    public var periods: Int
    /// The first day of period 1, when the scenario gives it.
    public var start: String?
    /// "cumulative", "rolling" or "quarter".
    public var window: String
    /// For a rolling window, its periods.
    public var windowPeriods: Int?
    /// Per period, "week 3" or "week 3 (2027-01-18)".
    public var labels: [String]
    public var strategies: [TimelineStrategy]

    /// The window in words: "the last 13 weeks", "the calendar quarter", "everything since the start".
    public var windowWording: String {
        switch window {
        case "rolling":
            let n = windowPeriods ?? 1
            return n == 1 ? "the last \(period)" : "the last \(n) \(period)s"
        case "quarter": return "the calendar quarter"
        default: return "everything completed since the start (and the history)"
        }
    }
}

/// A strategy's reps' or sequences' timelines, each built when read (`LevelList`).
public typealias TimelineLevels = LevelList<TimelineLevel>

public struct TimelineStrategy: Codable, Sendable, Hashable {
    public var name: String
    public var reps: TimelineLevels
    public var sequences: TimelineLevels
    public var team: TimelineLevel

    /// The levels in report order, each built when its row is read.
    public var rows: LevelRows<TimelineLevel> { LevelRows(reps: reps, sequences: sequences, team: team) }
}

public struct TimelineLevel: Codable, Sendable, Hashable, ReportedLevel {
    public var name: String
    public var rep: String?
    /// The window that ends at each period, in order.
    public var periods: [TimelinePeriod]
    /// Per band of the rule set: when the level first gets to the band or better and stays
    /// there to the end of the horizon.
    public var reach: [String: TimelineReach]
    /// For a strategy, per band: the periods it gains over the baseline, trial by trial.
    public var periodsGained: [String: PeriodsGained]?
}

/// The score window that ends at one period.
public struct TimelinePeriod: Codable, Sendable, Hashable {
    /// Probability of each band and of Ineligible, with standard errors.
    public var bands: [String: Double]
    public var bandStdErr: [String: Double]
    /// P(eligible and at the band or better), per band of the rule set.
    public var pAtLeast: [String: Double]
    public var pAtLeastStdErr: [String: Double]
    /// The point total over eligible trials (mean, p5, p50, p95).
    public var score: Stats
    /// The mean completed enrollments in the window.
    public var completed: Double
}

/// When a level first gets to a band or better and stays there to the end of the horizon.
public struct TimelineReach: Codable, Sendable, Hashable {
    /// `byPeriod[k]`: P(from period k + 1 on, the level is at the band or better to the end).
    public var byPeriod: [Double]
    /// `pByPeriod[k]`: the same, cumulated: P(there by period k + 1 and staying).
    public var pByPeriod: [Double]
    public var pByPeriodStdErr: [Double]
    /// P(not there to stay within the horizon).
    public var pNever: Double
    /// The median first period (from 1): the first by which at least half the trials are there to
    /// stay; nil (null) when fewer than half ever are.
    public var medianPeriod: Int?

    enum CodingKeys: String, CodingKey {
        case byPeriod, pByPeriod, pByPeriodStdErr, pNever, medianPeriod
    }

    /// Writes `medianPeriod` as null when there is none, so readers need not test for the key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(byPeriod, forKey: .byPeriod)
        try container.encode(pByPeriod, forKey: .pByPeriod)
        try container.encode(pByPeriodStdErr, forKey: .pByPeriodStdErr)
        try container.encode(pNever, forKey: .pNever)
        try container.encode(medianPeriod, forKey: .medianPeriod)
    }
}

/// A strategy's head start to a band over the baseline, trial by trial; a trial that never gets
/// there counts as getting there in the period after the horizon.
public struct PeriodsGained: Codable, Sendable, Hashable {
    public var mean: Double
    public var stdErr: Double
    /// P(the strategy gets there, to stay, earlier than the baseline) and P(later).
    public var pEarlier: Double
    public var pLater: Double
}

extension TimelineReport {
    init(_ summary: TimelineSummary, plan: SimulationPlan, layout: TimelineLayout) {
        let timeline = layout.timeline
        let strategies = plan.strategyNames.indices.map { strategy in
            @Sendable func level(_ index: Int) -> TimelineLevel {
                TimelineLevel(summary, plan: plan, strategy: strategy, level: index)
            }
            return TimelineStrategy(
                name: plan.strategyNames[strategy],
                reps: TimelineLevels(plan, .rep, build: level),
                sequences: TimelineLevels(plan, .sequence, build: level),
                team: level(plan.teamLevel)
            )
        }
        let window: (String, Int?) =
            switch timeline.window {
            case .cumulative: ("cumulative", nil)
            case .rolling(let n): ("rolling", n)
            case .quarter: ("quarter", nil)
            }
        self.init(
            period: timeline.length.rawValue,
            periods: timeline.periods,
            start: timeline.date(0),
            window: window.0,
            windowPeriods: window.1,
            labels: (0..<timeline.periods).map(timeline.label),
            strategies: strategies
        )
    }
}

extension TimelineLevel {
    /// Level `index`'s timeline under `strategy`.
    init(_ summary: TimelineSummary, plan: SimulationPlan, strategy: Int, level index: Int) {
        let rules = plan.rules
        let trials = summary.trials
        func share(_ count: Int) -> Double { trials > 0 ? Double(count) / Double(trials) : 0 }
        func error(_ p: Double) -> Double { Statistics.proportionStandardError(p, trials: trials) }
        let periods = (0..<summary.periods).map { period -> TimelinePeriod in
            let counts = summary.bandCounts(strategy: strategy, period: period, level: index, rules: rules)
            let (bands, bandStdErr, pAtLeast, pAtLeastStdErr) = LevelReport.bandShares(
                BandEstimates(counts: counts, trials: trials),
                rules: rules
            )
            return TimelinePeriod(
                bands: bands,
                bandStdErr: bandStdErr,
                pAtLeast: pAtLeast,
                pAtLeastStdErr: pAtLeastStdErr,
                score: LevelReport.scoreStats(
                    cells: summary.cellCounts(strategy: strategy, period: period, level: index),
                    rules: rules
                ),
                completed: summary.meanCompleted(strategy: strategy, period: period, level: index)
            )
        }
        var reach: [String: TimelineReach] = [:]
        var gained: [String: PeriodsGained] = [:]
        for (band, name) in rules.bandNames.enumerated() {
            let first = Array(summary.firstPeriods(strategy: strategy, level: index, band: band))
            var cumulative = 0
            var median: Int?
            var byPeriod: [Double] = []
            var pByPeriod: [Double] = []
            for (period, count) in first.dropLast().enumerated() {
                cumulative += count
                if median == nil, 2 * cumulative >= trials, trials > 0 { median = period + 1 }
                byPeriod.append(share(count))
                pByPeriod.append(share(cumulative))
            }
            reach[name] = TimelineReach(
                byPeriod: byPeriod,
                pByPeriod: pByPeriod,
                pByPeriodStdErr: pByPeriod.map(error),
                pNever: share(first.last ?? 0),
                medianPeriod: median
            )
            if strategy > 0 {
                let gain = summary.gain(strategy: strategy, level: index, band: band)
                let n = Double(max(1, trials))
                let mean = Double(gain.sum) / n
                let variance = trials > 1 ? max(0, (Double(gain.squares) - n * mean * mean) / (n - 1)) : 0
                gained[name] = PeriodsGained(
                    mean: mean,
                    stdErr: (variance / n).squareRoot(),
                    pEarlier: share(gain.earlier),
                    pLater: share(gain.later)
                )
            }
        }
        self.init(
            name: plan.levels[index].name,
            rep: plan.levels[index].rep,
            periods: periods,
            reach: reach,
            periodsGained: strategy > 0 ? gained : nil
        )
    }
}
