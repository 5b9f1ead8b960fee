import Foundation

/// `--precision`: add rounds of trials until every band probability the run reports has a Monte
/// Carlo standard error of at most `standardError`, or `maxTrials` trials are in.
///
/// A run to a precision is a prefix of the blocks of the run of `maxTrials` trials. It may stop
/// only at the blocks of `stops`, a grid fixed in advance: the first round (`firstTrials` in whole
/// blocks), then each about a quarter more than the one before, ending with every block. After
/// each round it decides on the summary of the blocks so far, which is the same whatever the
/// threads or shards that computed it, so the trials used and every number reported are too.
/// Since a trial's draws depend only on the seed and its index, the numbers are those of a plain
/// run of the trials used.
public struct PrecisionTarget: Sendable, Hashable, Codable {
    /// The largest standard error allowed on any reported band probability, as a probability.
    public var standardError: Double
    /// The trials of the first round (rounded up to whole blocks).
    public var firstTrials: Int
    /// The most trials the run may use.
    public var maxTrials: Int

    /// `--max-trials` when not given.
    public static let defaultMaxTrials = 1_000_000

    /// - Throws: `ScenarioError` at the `precision` option for a standard error outside (0, 0.5],
    ///   and at `max-trials` for fewer than `firstTrials` or more than `Limits.trials`.
    public init(standardError: Double, firstTrials: Int, maxTrials: Int) throws(ScenarioError) {
        guard standardError.isFinite, standardError > 0, standardError <= 0.5 else {
            throw ScenarioError(
                option: "precision",
                message:
                    "a standard error of \(standardError): give one above 0 and at most 0.5 (50%), e.g. 0.002 or 0.2%"
            )
        }
        guard (1...Limits.trials).contains(maxTrials) else {
            throw ScenarioError(
                option: "max-trials",
                message: "\(Format.count(maxTrials)) trials: a run has from 1 to \(Format.count(Limits.trials))",
                code: .limit
            )
        }
        guard maxTrials >= firstTrials else {
            throw ScenarioError(
                option: "max-trials",
                message:
                    "\(Format.count(maxTrials)) is fewer than the \(Format.count(firstTrials)) trials of the first "
                    + "round (--trials, else the scenario's `trials`, else 10,000); give at least as many, or a smaller --trials"
            )
        }
        self.standardError = standardError
        self.firstTrials = firstTrials
        self.maxTrials = maxTrials
    }

    enum CodingKeys: String, CodingKey { case standardError, firstTrials, maxTrials }

    /// A saved target, checked as one given on the command line.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let firstTrials = try container.decode(Int.self, forKey: .firstTrials)
        guard (1...Limits.trials).contains(firstTrials) else {
            throw DecodingError.dataCorruptedError(
                forKey: .firstTrials,
                in: container,
                debugDescription: "not a trial count"
            )
        }
        do {
            try self.init(
                standardError: try container.decode(Double.self, forKey: .standardError),
                firstTrials: firstTrials,
                maxTrials: try container.decode(Int.self, forKey: .maxTrials)
            )
        } catch let error as ScenarioError {
            throw DecodingError.dataCorruptedError(
                forKey: .standardError,
                in: container,
                debugDescription: error.message
            )
        }
    }

    /// Checks the run of `maxTrials` trials as `SimulationOptions.check` does, naming
    /// `--max-trials` in what it refuses.
    func check(_ options: SimulationOptions, for plan: SimulationPlan) throws(ScenarioError) {
        do {
            try self.options(options).checkRun(for: plan)
        } catch {
            throw ScenarioError(
                option: "max-trials",
                message: error.message + " (a run to a precision is sized for --max-trials, default "
                    + "\(Format.count(Self.defaultMaxTrials)))",
                code: error.code
            )
        }
    }

    /// The options of the run this is a prefix of: `maxTrials` trials.
    public func options(_ options: SimulationOptions) -> SimulationOptions {
        var copy = options
        copy.trials = maxTrials
        return copy
    }

    /// The blocks after which the run may stop, ascending, the last one every block of
    /// `maxTrials`.
    public var stops: [Int] {
        let all = (maxTrials + Simulation.blockSize - 1) / Simulation.blockSize
        var stops = [min(all, (firstTrials + Simulation.blockSize - 1) / Simulation.blockSize)]
        while let last = stops.last, last < all {
            stops.append(min(all, last + max(1, (last + 3) / 4)))
        }
        return stops
    }

    /// Where to stop after the round ending at `stops[current]`, whose summary has `largest`
    /// as its largest standard error over `trials` trials: nil to stop, else the index of the
    /// next stop, the first at or beyond the trials that standard error predicts are needed
    /// (it falls as one over the square root of the trials).
    func next(after current: Int, largest: Double, trials: Int, stops: [Int]) -> Int? {
        guard largest > standardError, current + 1 < stops.count else { return nil }
        let ratio = largest / standardError
        let needed = Double(trials) * ratio * ratio / Double(Simulation.blockSize)
        let blocks = needed < Double(stops[stops.count - 1]) ? Int(needed.rounded(.up)) : stops[stops.count - 1]
        return stops[(current + 1)...].firstIndex { $0 >= blocks } ?? stops.count - 1
    }

    /// Runs the rounds: `summary(of: intervals)` gives the summary of the blocks from
    /// `stops[intervals.lowerBound - 1]` (0 for the first) to `stops[intervals.upperBound - 1]`.
    /// Returns the summary of every round run and what was decided.
    func run(
        plan: SimulationPlan,
        summary: (Range<Int>) async throws(ScenarioError) -> SimulationSummary
    ) async throws(ScenarioError) -> (SimulationSummary, PrecisionOutcome) {
        let stops = self.stops
        var merged = try await summary(0..<1)
        var current = 0
        var rounds = [merged.trials]
        while true {
            let largest = LargestStandardError(merged, plan: plan)
            guard let next = next(after: current, largest: largest.value, trials: merged.trials, stops: stops) else {
                let outcome = PrecisionOutcome(
                    target: standardError,
                    firstTrials: firstTrials,
                    maxTrials: maxTrials,
                    trials: merged.trials,
                    reached: largest.value <= standardError,
                    largestStdErr: largest.value,
                    largestAt: largest.place(in: plan),
                    rounds: rounds
                )
                return (merged, outcome)
            }
            try merged.merge(try await summary(current + 1..<next + 1))
            current = next
            rounds.append(merged.trials)
        }
    }
}

/// What a run to a precision did: the trials it used, why it stopped, and its largest standard
/// error.
public struct PrecisionOutcome: Sendable, Hashable, Codable {
    /// The largest standard error asked for on a band probability.
    public var target: Double
    public var firstTrials: Int
    public var maxTrials: Int
    /// The trials used.
    public var trials: Int
    /// Whether every standard error is at most the target (else `maxTrials` ran out first).
    public var reached: Bool
    /// The largest standard error of a band probability at the end, and where.
    public var largestStdErr: Double
    public var largestAt: Place
    /// The trials after each round.
    public var rounds: [Int]

    /// A band of a row under a strategy.
    public struct Place: Sendable, Hashable, Codable {
        public var strategy: String
        /// A rep's name, "rep · sequence", or "team".
        public var row: String
        public var band: String
    }

    /// "precision reached" or "maximum trials reached".
    public var stopped: String { reached ? "precision reached" : "maximum trials reached" }
}

/// The largest standard error of a band probability (every band and Ineligible) over the rows
/// and strategies of a summary, the first in strategy, row and band order when several tie.
struct LargestStandardError {
    var value = 0.0
    var strategy = 0
    var level = 0
    var band = 0

    init(_ summary: SimulationSummary, plan: SimulationPlan) {
        for (strategy, levels) in summary.summaries.enumerated() {
            for (level, levelSummary) in levels.enumerated() {
                for (band, error) in levelSummary.bandEstimates(rules: plan.rules).stdErrs.enumerated() {
                    if error > value { (value, self.strategy, self.level, self.band) = (error, strategy, level, band) }
                }
            }
        }
    }

    func place(in plan: SimulationPlan) -> PrecisionOutcome.Place {
        let row = plan.levels[level]
        let names = plan.rules.bandNames + [RuleSet.ineligible]
        return PrecisionOutcome.Place(
            strategy: plan.strategyNames[strategy],
            row: row.rep.map { "\($0) · \(row.name)" } ?? row.name,
            band: names[band]
        )
    }
}
