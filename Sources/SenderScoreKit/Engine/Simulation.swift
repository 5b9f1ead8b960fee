import Foundation

/// Runs the trials of a plan in blocks, in parallel, reproducibly.
///
/// Trials are cut into blocks of `blockSize`; block `b` draws from its own lanes, seeded from
/// (seed, b, lane) by `StreamSeeds`, so its draws do not depend on which thread runs it, nor on
/// which other blocks run. Worker `w` of `T` runs the w-th, (w + T)-th, … block asked for into
/// one summary of its own, and the workers' summaries are merged in worker order. Every
/// accumulator is an exact integer sum (counts, fixed-bin histograms, fixed-point moments) or a
/// minimum or maximum, so the merged result is the same for any number of workers and any
/// grouping of blocks, and memory grows with the number of workers, not of trials.
public enum Simulation {
    /// Trials per block. Part of the reproducibility contract: changing it changes every result.
    public static let blockSize = 1000

    /// Told the number of trials each finished block held, from any thread.
    public typealias Progress = @Sendable (_ trials: Int) -> Void

    /// Runs `blocks` of the run that `options` describe (all of them by default).
    ///
    /// - Throws: `ScenarioError` (code `limit`) for more trials than the engine can count or
    ///   seed, and for blocks outside the run.
    ///
    /// With `trialsOut`, every trial's row of the `TrialTable` is streamed to it in trial order:
    /// blocks then run in waves of one per worker, each wave's rows written before the next
    /// starts, so memory holds one block of rows per worker whatever the number of trials.
    public static func run(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        blocks requested: Range<Int>? = nil,
        trialsOut: RecordStream? = nil,
        progress: Progress? = nil
    ) async throws(ScenarioError) -> SimulationResult {
        try await run(plan, options: options, blocks: requested, trialsOut: trialsOut, header: true, progress: progress)
    }

    /// `run`, writing the per-trial table's header line only when `header` is true (the later
    /// rounds of a run to a precision continue the table).
    private static func run(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        blocks requested: Range<Int>?,
        trialsOut: RecordStream?,
        header: Bool,
        progress: Progress?
    ) async throws(ScenarioError) -> SimulationResult {
        try options.checkRun(for: plan)
        let plan = plan.estimating(with: options)
        let all = 0..<options.blockCount
        let blocks = requested ?? all
        guard blocks.lowerBound >= 0, blocks.upperBound <= all.upperBound else {
            throw ScenarioError(
                location: .run,
                message: "blocks \(blocks.lowerBound)..<\(blocks.upperBound) are outside the run's "
                    + "\(options.blockCount) blocks (0..<\(options.blockCount))",
                code: .limit
            )
        }
        // Each worker holds a summary of every row: many rows, fewer workers.
        // A timeline's windows count as rows too, in proportion to what they hold.
        let timelineRows = plan.timeline.map { plan.rowCount * $0.periods * (plan.rules.cellCount + 1) / 2_000 } ?? 0
        let workers = max(
            1,
            min(options.threads, blocks.count, Limits.summariesInFlight / max(1, plan.rowCount + timelineRows) - 1)
        )
        if let trialsOut {
            return try await runWritingTrials(
                plan,
                options: options,
                blocks: blocks,
                workers: workers,
                to: trialsOut,
                header: header,
                progress: progress
            )
        }
        var results = [SimulationSummary?](repeating: nil, count: workers)
        await withTaskGroup(of: (Int, SimulationSummary).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var summary = SimulationSummary(plan: plan)
                    for block in stride(from: blocks.lowerBound + worker, to: blocks.upperBound, by: workers) {
                        let trials = options.trials(inBlock: block)
                        runBlock(plan, options: options, block: block, into: &summary)
                        progress?(trials)
                    }
                    return (worker, summary)
                }
            }
            for await (worker, summary) in group {
                results[worker] = summary
            }
        }
        // The first worker's summary takes the others in, released as they go: one summary less
        // at the peak, which for a team of thousands of reps is tens of MB.
        var merged = results[0] ?? SimulationSummary(plan: plan)
        results[0] = nil
        for worker in results.indices.dropFirst() {
            if let summary = results[worker] { merged.mergeTrials(of: summary) }
            results[worker] = nil
        }
        merged.copyCountDistributions(plan)
        merged.cover(blocks)
        return SimulationResult(plan: plan, options: options, summary: merged)
    }

    /// Runs rounds of blocks until every band probability reported has a standard error of at
    /// most `precision.standardError`, or its `maxTrials` are in (see `PrecisionTarget`);
    /// `options.trials` is the first round's trials and is otherwise ignored.
    ///
    /// - Throws: `ScenarioError` (code `limit`) as `run` does for `precision.maxTrials` trials.
    public static func run(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        precision: PrecisionTarget,
        trialsOut: RecordStream? = nil,
        progress: Progress? = nil
    ) async throws(ScenarioError) -> SimulationResult {
        try precision.check(options, for: plan)
        let options = precision.options(options)
        let stops = precision.stops
        let (summary, outcome) = try await precision.run(plan: plan) { (intervals) throws(ScenarioError) in
            let blocks =
                (intervals.lowerBound == 0 ? 0 : stops[intervals.lowerBound - 1])..<stops[intervals.upperBound - 1]
            let round = try await run(
                plan,
                options: options,
                blocks: blocks,
                trialsOut: trialsOut,
                header: blocks.lowerBound == 0,
                progress: progress
            )
            return round.summary
        }
        return SimulationResult(plan: plan, options: options, summary: summary, precision: (precision, outcome))
    }

    /// The rounds of a run, as ranges of blocks: all of them at once, or to a precision the
    /// rounds between its stops.
    public static func rounds(options: SimulationOptions, precision: PrecisionTarget?) -> [Range<Int>] {
        guard let precision else { return [0..<options.blockCount] }
        let stops = precision.stops
        return stops.indices.map { ($0 == 0 ? 0 : stops[$0 - 1])..<stops[$0] }
    }

    /// Runs `shard`'s share of every round of a run (all of them to a precision, since a shard
    /// cannot see the others' trials): one summary per round, for `RunPart`.
    public static func runShard(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        precision: PrecisionTarget?,
        shard: Shard,
        progress: Progress? = nil
    ) async throws(ScenarioError) -> [SimulationSummary] {
        try precision?.check(options, for: plan)
        let options = precision?.options(options) ?? options
        try options.checkRun(for: plan)
        var summaries: [SimulationSummary] = []
        for round in rounds(options: options, precision: precision) {
            let result = try await run(plan, options: options, blocks: shard.blocks(of: round), progress: progress)
            summaries.append(result.summary)
        }
        return summaries
    }

    /// The trials `shard` runs: its share of every round.
    public static func trials(
        of shard: Shard,
        options: SimulationOptions,
        precision: PrecisionTarget?
    ) -> Int {
        let options = precision?.options(options) ?? options
        return rounds(options: options, precision: precision).reduce(0) {
            $0 + options.trials(inBlocks: shard.blocks(of: $1))
        }
    }

    /// The result of a run from its rounds' summaries (each holding the blocks of its round, as
    /// the shards' summaries merged give them): the whole run, or to a precision the rounds the
    /// single run would have used, deciding alike after each.
    ///
    /// - Throws: `ScenarioError` when a round's summary does not fit the run or holds other blocks.
    public static func result(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        precision: PrecisionTarget?,
        rounds summaries: [SimulationSummary]
    ) async throws(ScenarioError) -> SimulationResult {
        let options = precision?.options(options) ?? options
        let plan = plan.estimating(with: options)
        let rounds = rounds(options: options, precision: precision)
        guard summaries.count == rounds.count else {
            throw ScenarioError(
                location: .run,
                message: "the parts hold \(summaries.count) rounds of trials; the run has \(rounds.count)"
            )
        }
        for (summary, round) in zip(summaries, rounds) {
            try summary.check(fits: plan, options: options)
            guard summary.blocks == (round.isEmpty ? [] : [round]) else {
                throw ScenarioError(
                    location: .run,
                    message:
                        "the parts hold blocks \(summary.blocks.map { "\($0.lowerBound)..<\($0.upperBound)" }) of a "
                        + "round of blocks \(round.lowerBound)..<\(round.upperBound)"
                )
            }
        }
        guard let precision else {
            return SimulationResult(plan: plan, options: options, summary: summaries[0])
        }
        let (summary, outcome) = try await precision.run(plan: plan) { (intervals) throws(ScenarioError) in
            var merged = SimulationSummary(plan: plan)
            for index in intervals { try merged.merge(summaries[index]) }
            return merged
        }
        return SimulationResult(plan: plan, options: options, summary: summary, precision: (precision, outcome))
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
        var runner = TrialRunner(plan: plan, generator: generator, seed: seed)
        runner.detailedStrategy = strategy
        runner.run(trial: 0)
        return runner.cohortDetails
    }

    /// `run` with the per-trial table: waves of `workers` blocks in parallel, each block's
    /// summary and rows kept until the wave ends, then the rows written and the summaries merged
    /// in block order (the merge is exact in any grouping, so the result is `run`'s).
    private static func runWritingTrials(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        blocks: Range<Int>,
        workers: Int,
        to stream: RecordStream,
        header: Bool,
        progress: Progress?
    ) async throws(ScenarioError) -> SimulationResult {
        let table = TrialTable(plan: plan)
        if header { try stream.write(table.headerLine) }
        var merged = SimulationSummary(plan: plan)
        var waveStart = blocks.lowerBound
        while waveStart < blocks.upperBound {
            let wave = waveStart..<min(blocks.upperBound, waveStart + workers)
            var done = [(summary: SimulationSummary, rows: [UInt8])?](repeating: nil, count: wave.count)
            await withTaskGroup(of: (Int, SimulationSummary, [UInt8]).self) { group in
                for block in wave {
                    group.addTask {
                        var summary = SimulationSummary(plan: plan)
                        var rows: [UInt8] = []
                        runBlock(plan, options: options, block: block, into: &summary, table: table, rows: &rows)
                        progress?(options.trials(inBlock: block))
                        return (block, summary, rows)
                    }
                }
                for await (block, summary, rows) in group { done[block - wave.lowerBound] = (summary, rows) }
            }
            for entry in done {
                guard let entry else { continue }
                try stream.write(entry.rows)
                merged.mergeTrials(of: entry.summary)
            }
            waveStart = wave.upperBound
        }
        merged.copyCountDistributions(plan)
        merged.cover(blocks)
        return SimulationResult(plan: plan, options: options, summary: merged)
    }

    /// Runs one block of trials on the calling thread, adding them to `summary`.
    static func runBlock(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        block: Int,
        into summary: inout SimulationSummary
    ) {
        var none: [UInt8] = []
        runBlock(plan, options: options, block: block, into: &summary, table: nil, rows: &none)
    }

    /// Runs one block, adding its trials to `summary` and, with a `table`, their rows to `rows`.
    static func runBlock(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        block: Int,
        into summary: inout SimulationSummary,
        table: TrialTable?,
        rows: inout [UInt8]
    ) {
        var runner = TrialRunner(plan: plan, generator: options.generator, seed: options.seed, trials: options.trials)
        let first = block * blockSize
        let levels = plan.levels.count
        let minimums = plan.levels.map(\.minimum)
        let unsubscribes = plan.modelsUnsubscribes
        let width = plan.maximumSteps
        let noOutcome = LevelOutcome(cell: nil, band: 0, isReplyInTarget: false, isBounceInTarget: false)
        var outcomes = Array(repeating: noOutcome, count: levels)
        // The baseline's outcomes, for the paired comparisons of strategies (none without them).
        var baseline = plan.strategyNames.count > 1 ? outcomes : []
        let sharesOutcome = plan.sharesOutcomeWith
        let sameCohorts = plan.sameCohorts
        let reps = plan.levels.filter { $0.kind == .rep }.count
        var atLeast = Array(repeating: 0, count: plan.rules.bands.count)
        var timeline = plan.timeline.map { TimelineRecorder(plan: plan, layout: $0) }
        let rules = plan.rules
        var conditional = plan.estimatesBandsConditionally ? ConditionalBands(plan: plan) : nil
        runner.keepsReplyDraws = conditional != nil
        let bands = rules.bands.count
        for trial in first..<first + options.trials(inBlock: block) {
            runner.run(trial: trial)
            timeline?.record(runner, into: &summary)
            table?.appendRow(trial: trial, runner: runner, into: &rows)
            runner.stepReplies.withUnsafeBufferPointer { stepReplies in
                for strategy in 0..<runner.strategyCount {
                    for band in atLeast.indices { atLeast[band] = 0 }
                    conditional?.estimate(strategy: strategy, runner: runner)
                    // The estimates alone: binding the whole estimator would copy (and retain) it.
                    let estimates = conditional?.atLeast
                    for level in 0..<levels {
                        let index = strategy * levels + level
                        let counts = runner.counts[index]
                        let outcome =
                            sharesOutcome[level].map { outcomes[$0] } ?? rules.outcome(counts, minimum: minimums[level])
                        outcomes[level] = outcome
                        if level < reps, outcome.cell != nil {
                            for band in 0...outcome.band { atLeast[band] += 1 }
                        }
                        func record(_ estimates: UnsafeBufferPointer<Int64>?) {
                            // A level with another's cohorts gets that one's distributions of
                            // counts when the run ends (`copyCountDistributions`).
                            guard sameCohorts[level] == nil else {
                                summary.recordOutcome(
                                    strategy: strategy,
                                    level: level,
                                    counts,
                                    outcome,
                                    rules: rules,
                                    conditional: estimates
                                )
                                return
                            }
                            summary.record(
                                strategy: strategy,
                                level: level,
                                counts,
                                outcome,
                                rules: rules,
                                unsubscribes: unsubscribes,
                                stepReplies: UnsafeBufferPointer(
                                    rebasing: stepReplies[index * width..<(index + 1) * width]
                                ),
                                conditional: estimates
                            )
                        }
                        if let estimates {
                            estimates.withUnsafeBufferPointer { estimates in
                                record(UnsafeBufferPointer(rebasing: estimates[level * bands..<(level + 1) * bands]))
                            }
                        } else {
                            record(nil)
                        }
                        if strategy == 0 {
                            if !baseline.isEmpty { baseline[level] = outcome }
                        } else {
                            summary.recordPair(
                                strategy: strategy,
                                level: level,
                                baseline: (runner.counts[level], baseline[level]),
                                strategy: (counts, outcome),
                                rules: rules
                            )
                        }
                    }
                    summary.recordReps(strategy: strategy, atLeast: atLeast)
                }
            }
        }
        conditional?.finish()
    }
}
