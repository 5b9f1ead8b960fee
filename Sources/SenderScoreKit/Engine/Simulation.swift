import Foundation

/// How to run a simulation. Trials, seed and generator decide the result; threads only decide
/// how fast it comes.
public struct SimulationOptions: Sendable, Hashable {
    public var trials: Int
    public var seed: UInt64
    public var generator: RandomGenerator
    public var threads: Int

    public static let defaultTrials = 10_000
    public static let defaultSeed: UInt64 = 1

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
}

/// A run that cannot start (its options do not fit the plan).
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The merged summaries of a run: per strategy (the baseline first) and level, and per strategy
/// and level the paired comparison with the baseline.
public struct SimulationResult: Sendable {
    public let plan: SimulationPlan
    public let options: SimulationOptions
    /// `summaries[strategy][level]`; strategy 0 is the baseline.
    public let summaries: [[LevelSummary]]
    /// `paired[strategy][level]`; empty for the baseline.
    public let paired: [[PairedSummary]]

    /// The baseline's summaries.
    public var levels: [LevelSummary] { summaries[0] }
}

/// What a worker accumulates over its blocks; merged exactly, in any grouping.
struct BlockSummary: Sendable, Hashable {
    var summaries: [[LevelSummary]]
    var paired: [[PairedSummary]]

    init(plan: SimulationPlan) {
        let levels = plan.levels.count
        summaries = plan.strategyNames.indices.map { _ in
            (0..<levels).map { _ in LevelSummary(rules: plan.rules, steps: plan.maximumSteps) }
        }
        paired = plan.strategyNames.indices.map { strategy in
            strategy == 0 ? [] : (0..<levels).map { _ in PairedSummary(rules: plan.rules) }
        }
    }

    mutating func merge(_ other: BlockSummary) {
        for strategy in summaries.indices {
            for level in summaries[strategy].indices {
                summaries[strategy][level].merge(other.summaries[strategy][level])
            }
            for level in paired[strategy].indices {
                paired[strategy][level].merge(other.paired[strategy][level])
            }
        }
    }
}

/// Runs the trials of a plan in blocks, in parallel, reproducibly.
///
/// Trials are cut into blocks of `blockSize`; block `b` draws from its own lanes, seeded from
/// (seed, b, lane) by `StreamSeeds`, so its draws do not depend on which thread runs it. Worker
/// `w` of `T` runs blocks w, w + T, w + 2T, … into one summary of its own, and the workers'
/// summaries are merged in worker order. Every accumulator is an exact integer sum (counts,
/// fixed-bin histograms, fixed-point moments) or a minimum or maximum, so the merged result is
/// the same for any number of workers and any grouping of blocks, and memory grows with the
/// number of workers, not of trials.
public enum Simulation {
    /// Trials per block. Part of the reproducibility contract: changing it changes every result.
    public static let blockSize = 1000

    /// Told the number of trials each finished block held, from any thread.
    public typealias Progress = @Sendable (_ trials: Int) -> Void

    public static func run(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        progress: Progress? = nil
    ) async throws
        -> SimulationResult
    {
        let blocks = (options.trials + blockSize - 1) / blockSize
        guard blocks * max(1, plan.laneCount) < StreamSeeds.capacity else {
            throw SimulationError(
                description: "\(Format.count(options.trials)) trials of this scenario need "
                    + "\(Format.count(blocks * plan.laneCount)) random streams, more than the \(Format.count(StreamSeeds.capacity)) "
                    + "distinct seeds available; use fewer trials"
            )
        }
        let seeds = StreamSeeds(seed: options.seed, lanes: max(1, plan.laneCount))
        let workers = max(1, min(options.threads, blocks))
        var results = [BlockSummary?](repeating: nil, count: workers)
        await withTaskGroup(of: (Int, BlockSummary).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var summary = BlockSummary(plan: plan)
                    for block in stride(from: worker, to: blocks, by: workers) {
                        let trials = min(options.trials, (block + 1) * blockSize) - block * blockSize
                        runBlock(
                            plan,
                            seeds: seeds,
                            generator: options.generator,
                            block: block,
                            trials: trials,
                            into: &summary
                        )
                        progress?(trials)
                    }
                    return (worker, summary)
                }
            }
            for await (worker, summary) in group {
                results[worker] = summary
            }
        }
        var merged = BlockSummary(plan: plan)
        for summary in results {
            if let summary { merged.merge(summary) }
        }
        return SimulationResult(plan: plan, options: options, summaries: merged.summaries, paired: merged.paired)
    }

    /// How every cohort's enrollments ended in the first trial for `seed`, under `strategy`
    /// (0 is the baseline): one synthetic quarter, for exports.
    public static func cohortDetails(
        _ plan: SimulationPlan,
        seed: UInt64,
        generator: RandomGenerator,
        strategy: Int
    )
        -> [CohortDetail]
    {
        let lanes = RandomLanes(
            generator: generator,
            seeds: StreamSeeds(seed: seed, lanes: max(1, plan.laneCount)),
            block: 0
        )
        var runner = TrialRunner(plan: plan, lanes: lanes)
        runner.detailedStrategy = strategy
        runner.run()
        return runner.cohortDetails
    }

    /// Runs one block of trials on the calling thread into a fresh summary.
    static func runBlock(
        _ plan: SimulationPlan,
        seeds: StreamSeeds,
        generator: RandomGenerator,
        block: Int,
        trials: Int
    )
        -> BlockSummary
    {
        var summary = BlockSummary(plan: plan)
        runBlock(plan, seeds: seeds, generator: generator, block: block, trials: trials, into: &summary)
        return summary
    }

    /// Runs one block of trials on the calling thread, adding them to `summary`.
    static func runBlock(
        _ plan: SimulationPlan,
        seeds: StreamSeeds,
        generator: RandomGenerator,
        block: Int,
        trials: Int,
        into summary: inout BlockSummary
    ) {
        let lanes = RandomLanes(generator: generator, seeds: seeds, block: block)
        var runner = TrialRunner(plan: plan, lanes: lanes)
        let levels = plan.levels.count
        let minimums = plan.levels.map(\.minimum)
        let unsubscribes = plan.modelsUnsubscribes
        let width = plan.maximumSteps
        var baseline = Array(
            repeating: LevelOutcome(cell: nil, band: 0, isReplyInTarget: false, isBounceInTarget: false),
            count: levels
        )
        for _ in 0..<trials {
            runner.run()
            for strategy in 0..<runner.strategyCount {
                for level in 0..<levels {
                    let index = strategy * levels + level
                    let counts = runner.counts[index]
                    let outcome = plan.rules.outcome(counts, minimum: minimums[level])
                    summary.summaries[strategy][level].record(
                        counts,
                        outcome,
                        rules: plan.rules,
                        unsubscribes: unsubscribes,
                        stepReplies: runner.stepReplies[index * width..<(index + 1) * width]
                    )
                    if strategy == 0 {
                        baseline[level] = outcome
                    } else {
                        summary.paired[strategy][level].record(
                            baseline: (runner.counts[level], baseline[level]),
                            strategy: (counts, outcome),
                            rules: plan.rules
                        )
                    }
                }
            }
        }
    }
}
