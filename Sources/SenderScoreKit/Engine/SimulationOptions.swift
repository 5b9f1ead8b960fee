import Foundation

/// How to run a simulation. Trials, seed and generator decide the result; threads only decide
/// how fast it comes.
public struct SimulationOptions: Sendable, Hashable, Codable {
    public var trials: Int
    public var seed: UInt64
    public var generator: RandomGenerator
    public var threads: Int
    /// How band probabilities are estimated from the trials (`BandEstimator`).
    public var bandEstimator: BandEstimator = .counts

    public static let defaultTrials = 10_000
    public static let defaultSeed: UInt64 = 1
    /// The most trials a run may have: the rate histograms count trials per bin in 32 bits.
    public static let trialLimit = Limits.trials

    public init(
        trials: Int = defaultTrials,
        seed: UInt64 = defaultSeed,
        generator: RandomGenerator = .default,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.trials = trials
        self.seed = seed
        self.generator = generator
        self.threads = max(1, threads)
    }

    /// The options for a run of `scenario`: each value given here, else the scenario's own, else
    /// the default; threads default to every core.
    public init(
        for scenario: Scenario,
        trials: Int? = nil,
        seed: UInt64? = nil,
        generator: RandomGenerator? = nil,
        threads: Int? = nil
    ) {
        self.init(
            trials: trials ?? scenario.trials ?? Self.defaultTrials,
            seed: seed ?? scenario.seed ?? Self.defaultSeed,
            generator: generator ?? scenario.generator ?? .default,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount
        )
    }

    /// The blocks the trials are cut into (`Simulation.blockSize` each, the last one the rest).
    public var blockCount: Int { (trials + Simulation.blockSize - 1) / Simulation.blockSize }

    /// The trials of block `block`.
    public func trials(inBlock block: Int) -> Int {
        trials(inBlocks: block..<block + 1)
    }

    /// The trials of the blocks in `blocks`.
    public func trials(inBlocks blocks: Range<Int>) -> Int {
        blocks.isEmpty
            ? 0 : min(trials, blocks.upperBound * Simulation.blockSize) - blocks.lowerBound * Simulation.blockSize
    }

    /// Refuses options that the engine cannot run for `plan` without overflowing its counters or
    /// reusing a random stream; `Simulation.run` checks this itself.
    ///
    /// - Throws: `ScenarioError` with code `limit`: at the `trials` option for a count outside 1 to
    ///   `trialLimit`, and for the run as a whole when it would need more streams than there are seeds.
    public func check(for plan: SimulationPlan) throws(ScenarioError) {
        try check(for: plan, capacity: plan.streams(seed: seed).trialCapacity, lanes: plan.laneCount)
    }

    /// `check(for:)` for a run (`Simulation.run`), which may take the dense layout of streams
    /// (`SimulationPlan.streams(seed:trials:)`) and so have more trials.
    public func checkRun(for plan: SimulationPlan) throws(ScenarioError) {
        try check(for: plan, capacity: plan.runTrialCapacity, lanes: plan.seededLaneCount)
    }

    private func check(for plan: SimulationPlan, capacity: Int, lanes: Int) throws(ScenarioError) {
        guard (1...Self.trialLimit).contains(trials) else {
            throw ScenarioError(
                option: "trials",
                message: "\(Format.count(trials)) trials: a run has from 1 to \(Format.count(Self.trialLimit))",
                code: .limit
            )
        }
        let rows = plan.rowCount
        guard rows <= Limits.levels else {
            let levels = plan.levels.count
            let strategies = plan.strategyNames.count
            let scored =
                "\(Format.count(levels)) rows (reps, each rep's sequences and the team)"
                + (strategies == 1
                    ? ""
                    : " under each of \(Format.count(strategies)) strategies (the baseline and the file's): "
                        + "\(Format.count(rows)) in all")
            throw ScenarioError(
                location: .run,
                message: "this scenario scores \(scored), more than the \(Format.count(Limits.levels)) a run holds; "
                    + "split the team into several scenarios"
                    + (strategies == 1 || levels > Limits.levels ? "" : ", or compare fewer strategies in one run"),
                code: .limit
            )
        }
        if let problem = plan.timeline?.timeline.tooManyWindows(rows: rows, cells: plan.rules.cellCount) {
            throw ScenarioError(location: .run, message: problem, code: .limit)
        }
        guard trials <= capacity else {
            // The trials may come from the scenario's file: the run as a whole is too large.
            throw ScenarioError(
                location: .run,
                message: "\(Format.count(trials)) trials of this scenario need more random streams than the "
                    + "\(Format.count(StreamSeeds.capacity)) distinct seeds available (each trial has "
                    + "\(Format.count(lanes)) lanes); use at most \(Format.count(capacity)) trials",
                code: .limit
            )
        }
    }

    /// Threads do not change a result, so a saved result does not keep them; the estimator is
    /// kept only when it is not the default, so that results saved before it existed read alike.
    enum CodingKeys: String, CodingKey {
        case trials, seed, generator, bandEstimator
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(trials, forKey: .trials)
        try container.encode(seed, forKey: .seed)
        try container.encode(generator, forKey: .generator)
        if bandEstimator != .counts { try container.encode(bandEstimator, forKey: .bandEstimator) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let trials = try container.decode(Int.self, forKey: .trials)
        guard (1...Self.trialLimit).contains(trials) else {
            throw DecodingError.dataCorruptedError(
                forKey: .trials,
                in: container,
                debugDescription: "trials must be from 1 to \(Self.trialLimit)"
            )
        }
        self.init(
            trials: trials,
            seed: try container.decode(UInt64.self, forKey: .seed),
            generator: try container.decode(RandomGenerator.self, forKey: .generator),
            threads: 1
        )
        bandEstimator = try container.decodeIfPresent(BandEstimator.self, forKey: .bandEstimator) ?? .counts
    }
}

/// How a run estimates band probabilities from its trials.
public enum BandEstimator: String, Sendable, Hashable, Codable, CaseIterable {
    /// The share of trials in each band, with the binomial standard error: the default.
    case counts
    /// The mean over trials of each band's probability given everything the trial drew but its
    /// replies (`ConditionalBands`, a Rao–Blackwell estimator), with the standard error of that
    /// mean. Unbiased like `counts` and never more variable. Runs with a timeline count instead.
    case conditional
}
