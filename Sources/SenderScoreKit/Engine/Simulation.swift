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

    public init(trials: Int = defaultTrials, seed: UInt64 = defaultSeed, generator: RandomGenerator = .default,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
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

/// What one block of trials accumulates; merged block by block in block order.
struct BlockSummary: Sendable, Hashable {
    var summaries: [[LevelSummary]]
    var paired: [[PairedSummary]]

    init(plan: SimulationPlan) {
        let levels = plan.levels.count
        summaries = plan.strategies.indices.map { _ in
            (0..<levels).map { _ in LevelSummary(rules: plan.rules, steps: plan.maximumSteps) }
        }
        paired = plan.strategies.indices.map { strategy in
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
/// (seed, b, lane) by `StreamSeeds`, and block summaries are merged in block order. The output
/// therefore depends on the seed and the trial count, never on the number of threads.
public enum Simulation {
    /// Trials per block. Part of the reproducibility contract: changing it changes every result.
    public static let blockSize = 1000

    public static func run(_ plan: SimulationPlan, options: SimulationOptions) async throws -> SimulationResult {
        let blocks = (options.trials + blockSize - 1) / blockSize
        guard blocks * max(1, plan.laneCount) < StreamSeeds.capacity else {
            throw SimulationError(description: "\(options.trials) trials of this scenario need \(blocks * plan.laneCount) "
                + "random streams, more than the \(StreamSeeds.capacity) distinct seeds available; use fewer trials")
        }
        let seeds = StreamSeeds(seed: options.seed, lanes: max(1, plan.laneCount))
        var merged = BlockSummary(plan: plan)
        await withTaskGroup(of: (Int, BlockSummary).self) { group in
            var submitted = 0, completed = 0, nextToMerge = 0
            var pending: [Int: BlockSummary] = [:]
            // Keep `threads` blocks running, but never run far ahead of the merge, so that memory
            // stays flat however many trials there are.
            func submitWhilePossible() {
                while submitted < blocks, submitted - completed < options.threads,
                      submitted - nextToMerge < 4 * options.threads {
                    let block = submitted
                    let count = min(options.trials, (block + 1) * blockSize) - block * blockSize
                    group.addTask {
                        (block, runBlock(plan, seeds: seeds, generator: options.generator, block: block, trials: count))
                    }
                    submitted += 1
                }
            }
            submitWhilePossible()
            for await (block, summaries) in group {
                completed += 1
                pending[block] = summaries
                while let ready = pending.removeValue(forKey: nextToMerge) {
                    merged.merge(ready)
                    nextToMerge += 1
                }
                submitWhilePossible()
            }
        }
        return SimulationResult(plan: plan, options: options, summaries: merged.summaries, paired: merged.paired)
    }

    /// Runs one block of trials on the calling thread.
    static func runBlock(_ plan: SimulationPlan, seeds: StreamSeeds, generator: RandomGenerator, block: Int, trials: Int)
        -> BlockSummary
    {
        let lanes = RandomLanes(generator: generator, seeds: seeds, block: block)
        var runner = TrialRunner(plan: plan, lanes: lanes)
        var block = BlockSummary(plan: plan)
        let levels = plan.levels.count
        let minimums = plan.levels.map(\.minimum)
        let unsubscribes = plan.modelsUnsubscribes
        let width = plan.maximumSteps
        var baseline = Array(repeating: LevelOutcome(cell: nil, band: 0, isReplyInTarget: false, isBounceInTarget: false),
                             count: levels)
        for _ in 0..<trials {
            runner.run()
            for strategy in 0..<runner.strategyCount {
                for level in 0..<levels {
                    let index = strategy * levels + level
                    let counts = runner.counts[index]
                    let outcome = plan.rules.outcome(counts, minimum: minimums[level])
                    block.summaries[strategy][level].record(
                        counts, outcome, rules: plan.rules, unsubscribes: unsubscribes,
                        stepReplies: runner.stepReplies[index * width..<(index + 1) * width])
                    if strategy == 0 {
                        baseline[level] = outcome
                    } else {
                        block.paired[strategy][level].record(
                            baseline: (runner.counts[level], baseline[level]), strategy: (counts, outcome), rules: plan.rules)
                    }
                }
            }
        }
        return block
    }
}
