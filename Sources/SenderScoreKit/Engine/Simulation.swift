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

/// The merged summaries of a run, one per level of the plan.
public struct SimulationResult: Sendable {
    public let plan: SimulationPlan
    public let options: SimulationOptions
    public let levels: [LevelSummary]
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
        var merged = plan.levels.map { _ in LevelSummary(rules: plan.rules) }
        await withTaskGroup(of: (Int, [LevelSummary]).self) { group in
            var submitted = 0, completed = 0, nextToMerge = 0
            var pending: [Int: [LevelSummary]] = [:]
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
                    for index in merged.indices {
                        merged[index].merge(ready[index])
                    }
                    nextToMerge += 1
                }
                submitWhilePossible()
            }
        }
        return SimulationResult(plan: plan, options: options, levels: merged)
    }

    /// Runs one block of trials on the calling thread.
    static func runBlock(_ plan: SimulationPlan, seeds: StreamSeeds, generator: RandomGenerator, block: Int, trials: Int)
        -> [LevelSummary]
    {
        let lanes = RandomLanes(generator: generator, seeds: seeds, block: block)
        var runner = TrialRunner(plan: plan, lanes: lanes)
        var summaries = plan.levels.map { _ in LevelSummary(rules: plan.rules) }
        let minimums = plan.levels.map(\.minimum)
        let unsubscribes = plan.modelsUnsubscribes
        for _ in 0..<trials {
            runner.run()
            for index in summaries.indices {
                summaries[index].record(runner.levelCounts[index], minimum: minimums[index], rules: plan.rules,
                                        unsubscribes: unsubscribes)
            }
        }
        return summaries
    }
}
