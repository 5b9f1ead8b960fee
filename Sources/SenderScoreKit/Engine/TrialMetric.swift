/// A decision metric's value in one trial: a level's score, whether it is at a band or better,
/// or how many reps are. Its mean over trials is the metric `run` reports.
public struct TrialMetric: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The score; undefined (nil) in a trial where the level is not eligible.
        case score
        /// 1 when the level is eligible and at band index `band` or better, else 0.
        case atLeast(band: Int)
        /// The reps eligible and at band index `band` or better.
        case repsAtLeast(band: Int)
    }

    public var kind: Kind
    /// Index into `SimulationPlan.levels` (not used by `repsAtLeast`).
    public var level: Int

    public init(kind: Kind, level: Int) {
        self.kind = kind
        self.level = level
    }

    /// Whether the value is defined in every trial (the score is not where a level is ineligible).
    public var isTotal: Bool {
        if case .score = kind { return false }
        return true
    }

    /// The value under `strategy` in the runner's last trial.
    func value(_ runner: TrialRunner, strategy: Int) -> Double? {
        let plan = runner.plan
        let base = strategy * plan.levels.count
        switch kind {
        case .score:
            let outcome = plan.rules.outcome(runner.counts[base + level], minimum: plan.levels[level].minimum)
            return outcome.cell.map { plan.rules.cellTotals[$0].doubleValue }
        case .atLeast(let band):
            let outcome = plan.rules.outcome(runner.counts[base + level], minimum: plan.levels[level].minimum)
            return outcome.cell != nil && outcome.band >= band ? 1 : 0
        case .repsAtLeast(let band):
            var count = 0
            for (index, level) in plan.levels.enumerated() where level.kind == .rep {
                let outcome = plan.rules.outcome(runner.counts[base + index], minimum: level.minimum)
                if outcome.cell != nil, outcome.band >= band { count += 1 }
            }
            return Double(count)
        }
    }
}

extension Simulation {
    /// The rows `rows` of a design, computed in parallel: `row(j, &runner)` gives row j's `width`
    /// values (NaN for an undefined one). Rows are cut into chunks that workers take in turn and
    /// are returned in row order, so the result does not depend on `threads`, and a row's values
    /// do not depend on which other rows are computed.
    static func rows(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        rows requested: Range<Int>,
        width: Int,
        progress: Progress? = nil,
        _ row: @escaping @Sendable (Int, inout TrialRunner) -> [Double]
    ) async -> [Double] {
        let chunk = 250
        let first = requested.lowerBound
        let count = requested.count
        let chunks = (count + chunk - 1) / chunk
        let workers = max(1, min(options.threads, chunks))
        var parts = [[Double]](repeating: [], count: chunks)
        await withTaskGroup(of: [(Int, [Double])].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var runner = TrialRunner(plan: plan, generator: options.generator, seed: options.seed)
                    var done: [(Int, [Double])] = []
                    for index in stride(from: worker, to: chunks, by: workers) {
                        var values: [Double] = []
                        values.reserveCapacity(chunk * width)
                        let rows = first + index * chunk..<first + min(count, (index + 1) * chunk)
                        for j in rows { values += row(j, &runner) }
                        progress?(rows.count)
                        done.append((index, values))
                    }
                    return done
                }
            }
            for await done in group {
                for (index, values) in done { parts[index] = values }
            }
        }
        return Array(parts.joined())
    }
}
