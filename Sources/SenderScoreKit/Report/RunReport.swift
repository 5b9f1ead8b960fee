/// The result of `senderscore run`, as programs and notebooks read it (the JSON format).
///
/// Probabilities are fractions of trials, each with its Monte Carlo standard error. `bands` holds
/// every band of the rule set plus `Ineligible`, summing to 1; `bandOrder` gives their order from
/// the lowest. Scores are conditional on eligibility; rates cover every trial where they are
/// defined. See docs/output.md.
public struct RunReport: Codable, Sendable, Hashable {
    public var scenario: String
    public var file: String
    public var rules: String
    public var rulesOrigin: String
    public var rulesNote: String?
    /// What is irregular about a rule set analysed as written (`--rules-as-is`); absent otherwise.
    public var rulesIrregularities: [String]?
    public var trials: Int
    public var seed: UInt64
    public var generator: String
    public var blockSize: Int
    /// Band names from the lowest, then `Ineligible`.
    public var bandOrder: [String]
    public var strategies: [StrategyReport]
    /// The scenario and rule set the numbers rest on.
    public var assumptions: Assumptions
    /// For a run to a precision (`--precision`): the target, the trials used and why it stopped.
    /// Absent otherwise.
    public var precision: PrecisionOutcome? = nil
    /// For a scenario with a timeline: the windows that end at each period (the numbers above are
    /// the last one's). Absent otherwise.
    public var timeline: TimelineReport? = nil
    /// "conditional" when the band probabilities (`bands`, `bandStdErr`, `pAtLeast`) are
    /// conditional estimates (`run --estimator conditional`); absent when they are shares of trials.
    public var bandEstimator: String? = nil

    /// Whether any strategy's team has an unsubscribe rate, so that tables show its column.
    public var showsUnsubscribes: Bool { strategies.contains { $0.team.unsubscribeRate.p50 != nil } }

    /// What the band probabilities are, in a sentence, when they are not shares of trials.
    public var estimatorWording: String? {
        guard bandEstimator == BandEstimator.conditional.rawValue else { return nil }
        return "band probabilities are conditional estimates: per trial, each band's probability given the cohort "
            + "sizes drawn (else all drawn but the replies), averaged over trials (docs/estimators.md); the other "
            + "columns count trials"
    }

    /// For standard error: the precision asked for was not reached, or nil (every format, the
    /// CSV included, gives the numbers without saying so).
    public static func precisionWarning(_ precision: PrecisionOutcome?) -> String? {
        guard let precision, !precision.reached else { return nil }
        return "the standard errors did not all reach \(standardError(precision.target)) within "
            + "\(Format.count(precision.maxTrials)) trials (the largest is \(standardError(precision.largestStdErr))); "
            + "raise --max-trials or ask for less precision"
    }

    /// A standard error as a percentage of three significant digits: "0.0906%".
    static func standardError(_ value: Double) -> String { Format.c("%.3g%%", value * 100) }

    /// What a run to a precision did, in a sentence; nil for other runs.
    public var precisionWording: String? {
        guard let precision else { return nil }
        let place = precision.largestAt
        let largest =
            "the largest is \(Self.standardError(precision.largestStdErr)) (\(place.row), \(place.band), \(place.strategy))"
        let rounds = precision.rounds.count == 1 ? "1 round" : "\(precision.rounds.count) rounds"
        if precision.reached {
            return "precision: stopped after \(Format.count(precision.trials)) trials (\(rounds)) with every band "
                + "probability's standard error at most \(Self.standardError(precision.target)); \(largest)"
        }
        return
            "precision: stopped at the maximum of \(Format.count(precision.trials)) trials (\(rounds)) before every band "
            + "probability's standard error was at most \(Self.standardError(precision.target)): \(largest); raise --max-trials "
            + "or ask for less precision"
    }
}

public struct StrategyReport: Codable, Sendable, Hashable {
    public var name: String
    /// What the strategy applies, one line per intervention; empty for the baseline.
    public var interventions: [String]
    /// The expected cost of the applied interventions, when any has one.
    public var cost: Double?
    /// When volumes in scope are uncertain: the cost's mean and 95% range.
    public var costRange: StrategyCost?

    /// "cost 3900" or "cost 3900, 95% range 3500–4300", for reports.
    public var costWording: String? {
        guard let cost else { return nil }
        guard let range = costRange, range.isUncertain else { return "cost \(Format.number(cost))" }
        return "cost \(Format.number(cost)), 95% range \(Format.number(range.low))–\(Format.number(range.high))"
    }
    /// The reps' reports, then the sequences': built one at a time when read (`LevelReports`);
    /// `reps` and `sequences` give them as arrays.
    public var repLevels: LevelReports
    public var sequenceLevels: LevelReports
    public var team: LevelReport
    /// Per band of the rule set, how many reps are eligible and at the band or better in the
    /// same trial (reps are correlated through shared segment draws, so this is not a sum of
    /// per-rep probabilities' independent parts). Absent in results saved before it existed.
    public var repsAtLeast: [String: RepsAtLeast]? = nil

    enum CodingKeys: String, CodingKey {
        case name, interventions, cost, costRange, team, repsAtLeast
        case repLevels = "reps"
        case sequenceLevels = "sequences"
    }
}

extension StrategyReport {
    /// Every rep's report, built and held (`repLevels` builds one at a time).
    public var reps: [LevelReport] {
        get { Array(repLevels) }
        set { repLevels = LevelReports(newValue) }
    }

    /// Every sequence's report, built and held (`sequenceLevels` builds one at a time).
    public var sequences: [LevelReport] {
        get { Array(sequenceLevels) }
        set { sequenceLevels = LevelReports(newValue) }
    }

    init(
        name: String,
        interventions: [String],
        cost: Double? = nil,
        costRange: StrategyCost? = nil,
        reps: [LevelReport],
        sequences: [LevelReport],
        team: LevelReport,
        repsAtLeast: [String: RepsAtLeast]? = nil
    ) {
        self.init(
            name: name,
            interventions: interventions,
            cost: cost,
            costRange: costRange,
            repLevels: LevelReports(reps),
            sequenceLevels: LevelReports(sequences),
            team: team,
            repsAtLeast: repsAtLeast
        )
    }
}

/// The number of reps at a band or better, trial by trial.
public struct RepsAtLeast: Codable, Sendable, Hashable {
    /// Its mean over trials, with the Monte Carlo standard error.
    public var mean: Double
    public var stdErr: Double
    /// `pAtLeast[k]`: P(at least k reps at the band or better), k from 0 to the number of reps.
    public var pAtLeast: [Double]
    public var pAtLeastStdErr: [Double]
}

/// A rep, one sequence of a rep, or the team.
public struct LevelReport: Codable, Sendable, Hashable {
    /// The rep's or sequence's name, or "team".
    public var name: String
    /// For a sequence, its rep.
    public var rep: String?
    /// Probability of each band and of Ineligible.
    public var bands: [String: Double]
    public var bandStdErr: [String: Double]
    public var mostLikelyBand: String
    /// The point total, over eligible trials.
    public var score: Stats
    /// Replied over the rule set's denominator, over trials where it is defined.
    public var replyRate: Stats
    /// Bounced over completed, over trials with completed enrollments.
    public var bounceRate: Stats
    /// Unsubscribed over delivered; all null when the scenario has no unsubscribe rates.
    public var unsubscribeRate: Stats
    /// The distributions of the reply and bounce rates over trials, in bins of 0.25 points.
    public var replyRateDistribution: RateDistribution
    public var bounceRateDistribution: RateDistribution
    public var pReplyInTarget: Double
    public var pReplyInTargetStdErr: Double
    /// P(the reply rate is above the target's range): with `pReplyInTarget`, the rest is below.
    /// Absent in results saved before it existed.
    public var pReplyAboveTarget: Double? = nil
    public var pReplyAboveTargetStdErr: Double? = nil
    /// P(a reply rate below the target's range); trials with nothing delivered have no reply rate
    /// and count in none of below, in and above. Absent in older results.
    public var pReplyBelowTarget: Double? = nil
    public var pBounceInTarget: Double
    public var pBounceInTargetStdErr: Double
    public var pEligible: Double
    public var pEligibleStdErr: Double
    /// Probability of being eligible with nothing delivered, so earning no reply points.
    public var pNoDelivered: Double
    public var completed: Stats
    /// Mean replies per trial at each step of the sequences (step 1 first).
    public var repliesByStep: [Double]
    /// For a strategy: the paired comparison with the baseline on the same trials.
    public var vsBaseline: Comparison?
    /// Per band of the rule set: P(eligible and at the band or better), and its standard error.
    /// Absent in results saved before it existed.
    public var pAtLeast: [String: Double]? = nil
    public var pAtLeastStdErr: [String: Double]? = nil
    /// When the most likely band cannot be told from others within Monte Carlo error: all of
    /// them, the most likely first. Absent when one band is clearly the most likely.
    public var mostLikelyTies: [String]? = nil
}

/// A strategy against the baseline at one level, paired trial by trial.
///
/// Bands are ordered Ineligible, then from the lowest band up: losing eligibility is a worse band.
public struct Comparison: Codable, Sendable, Hashable {
    /// P(the strategy's band is better than the baseline's in the same trial).
    public var pImproves: Double
    public var pImprovesStdErr: Double
    public var pWorsens: Double
    public var pWorsensStdErr: Double
    /// Change of the score, over trials where both are eligible.
    public var scoreChange: Change
    public var pEligibleChange: Change
    public var pReplyInTargetChange: Change
    /// The change of P(reply rate above the target's range). Absent in older results.
    public var pReplyAboveTargetChange: Change? = nil
    public var pBounceInTargetChange: Change
    /// Change of the completed enrollments (cleaning removes contacts).
    public var completedChange: Change
}

/// The change of a quantity, paired trial by trial: its mean with the Monte Carlo standard error
/// and 95% interval of that mean (how precisely the simulation knows the average), and the 5th and
/// 95th percentiles of the change across trials (what one rep may see next quarter).
public struct Change: Codable, Sendable, Hashable {
    public var mean: Double?
    public var stdErr: Double?
    /// The mean ± 1.96 standard errors: the precision of the average, not the spread of outcomes.
    public var low95: Double?
    public var high95: Double?
    /// Trials the mean is over.
    public var trials: Int
    /// The change's 5th and 95th percentiles across those trials (for a probability's change,
    /// −1, 0 or +1 per trial). Absent in results saved before they existed.
    public var p5: Double? = nil
    public var p95: Double? = nil

    public init(mean: Double?, stdErr: Double?, trials: Int) {
        self.mean = mean
        self.stdErr = stdErr
        self.low95 = mean.flatMap { mean in stdErr.map { mean - 1.96 * $0 } }
        self.high95 = mean.flatMap { mean in stdErr.map { mean + 1.96 * $0 } }
        self.trials = trials
    }

    enum CodingKeys: String, CodingKey {
        case mean, stdErr, low95, high95, trials, p5, p95
    }

    /// Writes every key, with null for what is missing.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeKeepingNulls([
            CodingKeys.mean: mean, .stdErr: stdErr, .low95: low95, .high95: high95, .p5: p5, .p95: p95,
        ])
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trials, forKey: .trials)
    }
}

/// Summary statistics of a quantity over trials; null where there were no trials to summarise.
public struct Stats: Codable, Sendable, Hashable {
    public var mean: Double?
    /// Monte Carlo standard error of the mean.
    public var stdErr: Double?
    public var p5: Double?
    public var p50: Double?
    public var p95: Double?

    public init(mean: Double?, stdErr: Double?, p5: Double?, p50: Double?, p95: Double?) {
        self.mean = mean
        self.stdErr = stdErr
        self.p5 = p5
        self.p50 = p50
        self.p95 = p95
    }

    enum CodingKeys: String, CodingKey {
        case mean, stdErr, p5, p50, p95
    }

    /// Writes every key, with null for what is missing, so readers need not test for keys.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeKeepingNulls([CodingKeys.mean: mean, .stdErr: stdErr, .p5: p5, .p50: p50, .p95: p95])
    }
}
