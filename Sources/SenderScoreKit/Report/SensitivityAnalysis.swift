import Foundation

extension Sensitivity {
    /// The parts of a sensitivity analysis.
    public enum Analysis: String, Sendable, Hashable, CaseIterable, Codable {
        /// One input at a time at its 10th and 90th percentile.
        case tornado
        /// First-order and total-effect Sobol' indices.
        case indices
        /// The probability that the best strategy changes, and the value of perfect information.
        case decision
    }

    /// The most values the analysis holds in memory (8 bytes each): trials × evaluations per trial.
    public static let valueLimit = 20_000_000

    /// Runs the analyses asked for, all on trials 0 … N − 1 of the run (N the trials of
    /// `options`) and, for the indices, N … 2N − 1.
    ///
    /// - The tornado evaluates trial t with every input as drawn except one, held at its 10th or
    ///   90th percentile: its means are `run`'s on a scenario with that input fixed.
    /// - The indices use a Saltelli design on the trials themselves: A's row t is trial t, B's is
    ///   trial N + t, AB_i is trial t with input i taken from trial N + t. The enrollments' own
    ///   randomness (which trial's outcome draws are used) is one more factor, whose AB row is
    ///   A's inputs with trial N + t's enrollments: its total index is the share of the variance
    ///   no input explains. A second AB_i per input, with trial N + t's enrollments, gives totals
    ///   that do not depend on how the engine turns random numbers into counts
    ///   (`SobolEstimator.indices`).
    /// - The decision uses trials 0 … N − 1 under every strategy, binned by each input.
    public static func analyze(
        _ scenario: Scenario,
        options: SimulationOptions,
        metric: Metric,
        analyses: Set<Analysis> = Set(Analysis.allCases),
        resamples: Int = 100,
        samplesOut: RecordStream? = nil,
        progress: Simulation.Progress? = nil
    ) async throws(ScenarioError) -> Sensitivity {
        let result = try await evaluate(
            scenario,
            options: options,
            metric: metric,
            analyses: analyses,
            resamples: resamples,
            samplesOut: samplesOut,
            progress: progress,
            rows: DesignRows()
        )
        guard let result else { throw ScenarioError(location: .run, message: "the analysis computed no rows") }
        return result
    }

    /// `analyze` with the design's rows from `source`: nil when it computes a shard's rows, which
    /// it keeps for the shard's part instead of estimating from them.
    static func evaluate(
        _ scenario: Scenario,
        options: SimulationOptions,
        metric: Metric,
        analyses: Set<Analysis>,
        resamples: Int,
        samplesOut: RecordStream?,
        progress: Simulation.Progress?,
        rows source: DesignRows
    ) async throws(ScenarioError) -> Sensitivity? {
        // Only the strategy measured runs for the tornado and the indices; the lanes do not depend
        // on which strategies run, so its numbers are those of the full scenario.
        var kept = try scenario.keeping(strategies: metric.strategy.map { [$0] } ?? [])
        if metric.strategy == nil { kept.strategies = [] }
        let plan = SimulationPlan(kept)
        let fullPlan = SimulationPlan(scenario)
        let n = options.trials
        try options.check(for: fullPlan)
        if analyses.contains(.indices) {
            // The design's B is trials N … 2N − 1.
            var doubled = options
            doubled.trials = 2 * n
            do {
                try doubled.check(for: fullPlan)
            } catch {
                throw ScenarioError(
                    option: "trials",
                    message: "the indices use twice the trials (\(Format.count(2 * n))), more than this scenario can "
                        + "run; use at most \(Format.count(min(SimulationOptions.trialLimit, fullPlan.streams(seed: options.seed).trialCapacity) / 2)) trials",
                    code: .limit
                )
            }
        }
        let measure = try metric.trialMetric(in: plan)
        let measured = metric.strategy == nil ? 0 : 1
        let change = metric.change
        let inputs = plan.uncertainInputs
        let relevant = relevantInputs(of: plan, to: kept)
        let lows = relevant.map { plan.quantile(of: inputs[$0], 0.1) }
        let highs = relevant.map { plan.quantile(of: inputs[$0], 0.9) }
        let doTornado = analyses.contains(.tornado)
        let doIndices = analyses.contains(.indices)

        // One evaluation is the metric (and, for a change, the baseline's too) of one trial.
        let k = change ? 2 : 1
        let width = k * (1 + (doTornado ? 2 * relevant.count : 0) + (doIndices ? 2 * relevant.count + 2 : 0))
        guard n * width <= valueLimit else {
            throw ScenarioError(
                option: "trials",
                message: "\(Format.count(n)) trials of \(width / k) evaluations each are more than this analysis holds "
                    + "(\(Format.count(valueLimit)) values); use at most \(Format.count(valueLimit / width)) trials",
                code: .limit
            )
        }
        let values = try await source.values(0, plan, options: options, count: n, width: width, progress: progress) {
            j,
            runner in
            var row: [Double] = []
            row.reserveCapacity(width)
            func evaluate(trial: Int, inputs: [Double]?) {
                runner.inputs = inputs
                runner.run(trial: trial)
                row.append(measure.value(runner, strategy: measured) ?? .nan)
                if change { row.append(measure.value(runner, strategy: 0) ?? .nan) }
            }
            evaluate(trial: j, inputs: nil)
            let a = runner.drawInputs(trial: j)
            if doTornado {
                for (position, input) in relevant.enumerated() {
                    var point = a
                    point[input] = lows[position]
                    evaluate(trial: j, inputs: point)
                    point[input] = highs[position]
                    evaluate(trial: j, inputs: point)
                }
            }
            if doIndices {
                // SALib's design: AB_i with A's enrollments, the noise's AB with B's, then B;
                // then the decoupled AB_i, with B's enrollments.
                let b = runner.drawInputs(trial: n + j)
                for input in relevant {
                    var point = a
                    point[input] = b[input]
                    evaluate(trial: j, inputs: point)
                }
                evaluate(trial: n + j, inputs: a)
                evaluate(trial: n + j, inputs: nil)
                for input in relevant {
                    var point = a
                    point[input] = b[input]
                    evaluate(trial: n + j, inputs: point)
                }
            }
            runner.inputs = nil
            return row
        }
        if source.isShard {
            // The decision's rows too; the estimates come when the shards' rows are merged.
            if analyses.contains(.decision), !scenario.strategies.isEmpty {
                _ = try await decide(
                    scenario,
                    plan: fullPlan,
                    options: options,
                    metric: metric,
                    resamples: [],
                    progress: progress,
                    rows: source
                )
            }
            return nil
        }
        func series(_ evaluation: Int) -> (y: [Double], y0: [Double]?) {
            let y = (0..<n).map { values[$0 * width + evaluation * k] }
            return (y, change ? (0..<n).map { values[$0 * width + evaluation * k + 1] } : nil)
        }

        let base = Estimate(series(0))
        var result = Sensitivity(
            scenario: scenario.name,
            file: scenario.file,
            trials: n,
            seed: options.seed,
            metric: metric.description + (scenario.timeline.map { ", \($0.horizonWording)" } ?? ""),
            analyses: Analysis.allCases.filter(analyses.contains),
            base: base.value,
            baseStdErr: base.stdErr,
            entries: []
        )
        for input in fullPlan.uncertainInputs { result.distributions[input.name] = input.distribution }
        if doTornado {
            var entries: [Entry] = []
            for (position, input) in relevant.enumerated() {
                let low = Estimate(series(1 + 2 * position))
                let high = Estimate(series(2 + 2 * position))
                let swing = low.value.flatMap { l in high.value.map { $0 - l } }
                entries.append(
                    Entry(
                        input: inputs[input].name,
                        distribution: inputs[input].distribution,
                        low: lows[position],
                        high: highs[position],
                        atLow: low.value,
                        atLowStdErr: low.stdErr,
                        atHigh: high.value,
                        atHighStdErr: high.stdErr,
                        swing: swing,
                        swingStdErr: swing == nil ? nil : Estimate.differenceStdErr(high, low)
                    )
                )
            }
            // Largest swing first; inputs named in lane order among equals.
            let order = entries.indices.sorted { a, b in
                let (x, y) = (abs(entries[a].swing ?? 0), abs(entries[b].swing ?? 0))
                return x != y ? x > y : a < b
            }
            result.entries = order.map { entries[$0] }
        }
        let rows = SobolEstimator.resamples(rows: n, count: resamples, seed: options.seed)
        if doIndices {
            let first = 1 + (doTornado ? 2 * relevant.count : 0)
            let factors = relevant.count + 1
            var design: [Double] = []
            var decoupled: [Double] = []
            design.reserveCapacity(n * (factors + 2))
            decoupled.reserveCapacity(n * (factors + 2))
            func y(_ j: Int, _ column: Int) -> Double {
                let y = values[j * width + column * k]
                return change ? y - values[j * width + column * k + 1] : y
            }
            let noiseColumn = first + factors - 1
            for j in 0..<n {
                for column in [0] + Array(first...noiseColumn + 1) { design.append(y(j, column)) }
                decoupled.append(y(j, 0))
                for column in noiseColumn + 2..<noiseColumn + 2 + relevant.count { decoupled.append(y(j, column)) }
                decoupled += [y(j, noiseColumn), y(j, noiseColumn + 1)]
            }
            let factorNames = relevant.map { inputs[$0].name } + [noiseFactor]
            let evaluated = [0] + Array(first..<first + 2 * factors)
            let undefined = (0..<n).reduce(0) { sum, j in sum + evaluated.count { y(j, $0).isNaN } }
            if undefined > 0 {
                result.notes.append(
                    "No indices: the metric is undefined in \(Format.count(undefined)) of the design's "
                        + "\(Format.count(n * evaluated.count)) evaluations (the level is not eligible there); "
                        + "the indices need a value in every trial, so use --metric at-least:BAND"
                )
            } else {
                let estimates = SobolEstimator.indices(
                    design,
                    decoupled: decoupled,
                    factors: factors,
                    resamples: rows,
                    z: z95
                )
                let (mean, variance) = Estimate.meanAndVariance(design)
                if variance == 0 {
                    result.notes.append(
                        "The metric is the same in every trial: no input moves it, and every index is 0"
                    )
                }
                result.indices = Indices(
                    baseTrials: n,
                    evaluations: n * (2 * factors + 1),
                    resamples: resamples,
                    mean: mean,
                    variance: variance,
                    inputs: Self.byFirstOrder(
                        zip(factorNames.dropLast(), estimates.dropLast()).map { IndexEntry(input: $0, index: $1) }
                    ),
                    noise: estimates.last.map { IndexEntry(input: noiseFactor, index: $0) }
                )
                if let samplesOut {
                    try writeDesign(
                        to: samplesOut,
                        plan: plan,
                        options: options,
                        relevant: relevant,
                        names: factorNames,
                        design: design
                    )
                }
            }
        }
        if analyses.contains(.decision) {
            if scenario.strategies.isEmpty {
                result.notes.append("No decision: the scenario has no strategies to choose between")
            } else {
                result.decision = try await decide(
                    scenario,
                    plan: fullPlan,
                    options: options,
                    metric: metric,
                    resamples: rows,
                    progress: progress,
                    rows: source
                )
                if result.decision == nil {
                    result.notes.append(
                        "No decision: the metric is undefined in some trials (the level is not eligible there); "
                            + "use --metric at-least:BAND"
                    )
                }
            }
        }
        return result
    }

    /// The indices, among `plan.uncertainInputs`, of the inputs that can move some choice of
    /// `scenario`: every input but the effects and coverages of levers none of its strategies apply.
    static func relevantInputs(of plan: SimulationPlan, to scenario: Scenario) -> [Int] {
        let names = scenario.interventions.map(\.name)
        let applied = Set(scenario.strategies.flatMap { $0.applications.map { names[$0.intervention] } })
        let inputs = plan.uncertainInputs
        return inputs.indices.filter { isRelevant(inputs[$0].name, interventions: names, applied: applied) }
    }

    /// Largest first-order index first; in lane order among equals.
    static func byFirstOrder(_ entries: [IndexEntry]) -> [IndexEntry] {
        entries.indices.sorted { a, b in
            entries[a].index.first != entries[b].index.first ? entries[a].index.first > entries[b].index.first : a < b
        }.map { entries[$0] }
    }

    /// The tornado alone.
    public static func tornado(
        _ scenario: Scenario,
        options: SimulationOptions,
        metric: Metric
    ) async throws(ScenarioError) -> Sensitivity {
        try await analyze(scenario, options: options, metric: metric, analyses: [.tornado])
    }

    /// The factor that stands for the enrollments' own randomness in the indices.
    public static let noiseFactor = "enrollment noise (not any input)"
    static let z95 = 1.959963984540054

    /// Trials 0 … N − 1 under every strategy: the best choice with every input random, and per
    /// input what knowing it first would change. Nil when the metric is undefined in some trial.
    static func decide(
        _ scenario: Scenario,
        plan: SimulationPlan,
        options: SimulationOptions,
        metric: Metric,
        resamples: [[Int]],
        progress: Simulation.Progress?,
        rows source: DesignRows
    ) async throws(ScenarioError) -> Decision? {
        let n = options.trials
        let measure = try metric.trialMetric(in: plan)
        let choices = plan.strategyNames.count
        let inputs = plan.uncertainInputs
        let relevant = relevantInputs(of: plan, to: scenario)
        let width = choices + relevant.count
        guard n * width <= valueLimit else {
            throw ScenarioError(
                option: "trials",
                message:
                    "\(Format.count(n)) trials of \(choices) strategies and \(relevant.count) inputs are more than "
                    + "the decision analysis holds; use at most \(Format.count(valueLimit / width)) trials",
                code: .limit
            )
        }
        let values = try await source.values(1, plan, options: options, count: n, width: width, progress: progress) {
            j,
            runner in
            runner.run(trial: j)
            let drawn = runner.drawInputs(trial: j)
            return (0..<choices).map { measure.value(runner, strategy: $0) ?? .nan } + relevant.map { drawn[$0] }
        }
        if source.isShard { return nil }
        let outcomes = (0..<choices).map { choice in (0..<n).map { values[$0 * width + choice] } }
        guard !outcomes.joined().contains(where: \.isNaN) else { return nil }
        let bins = min(20, max(2, n / 250))
        let weights = resamples.map { rows in
            var counts = Array(repeating: 0.0, count: n)
            for row in rows { counts[row] += 1 }
            return counts
        }
        func judged(order: [Int], x: [Double]) -> (DecisionValue.Estimate, evpiStdErr: Double, pStdErr: Double) {
            let ranges = DecisionValue.bins(order: order, x: x, bins: bins)
            let point = DecisionValue.estimate(values: outcomes, order: order, bins: ranges)
            let boot = weights.map {
                DecisionValue.estimate(values: outcomes, order: order, bins: ranges, weights: $0)
            }
            return (
                point,
                Statistics.sampleStandardDeviation(boot.map(\.evpi)),
                Statistics.sampleStandardDeviation(boot.map(\.pChange))
            )
        }
        var entries: [DecisionEntry] = []
        for (position, input) in relevant.enumerated() {
            let x = (0..<n).map { values[$0 * width + choices + position] }
            let order = (0..<n).sorted { x[$0] != x[$1] ? x[$0] < x[$1] : $0 < $1 }
            let (estimate, evpiError, pError) = judged(order: order, x: x)
            entries.append(
                DecisionEntry(
                    input: inputs[input].name,
                    pChange: estimate.pChange,
                    pChangeStdErr: pError,
                    evpi: estimate.evpi,
                    evpiStdErr: evpiError,
                    bestWhenKnown: zip(plan.strategyNames, estimate.bestShares).compactMap { name, share in
                        share > 0 ? Decision.Share(strategy: name, share: share) : nil
                    }
                )
            )
        }
        let floor = judged(order: Array(0..<n), x: (0..<n).map(Double.init))
        let means = outcomes.map { Estimate(($0, nil)) }
        let best = DecisionValue.best(means.map { $0.value ?? -.infinity })
        return Decision(
            bins: bins,
            choices: zip(plan.strategyNames, means).map {
                Decision.Choice(strategy: $0, mean: $1.value ?? 0, stdErr: $1.stdErr ?? 0)
            },
            best: plan.strategyNames[best],
            noiseFloor: floor.0.evpi,
            noiseFloorPChange: floor.0.pChange,
            entries: entries.indices.sorted { a, b in
                entries[a].evpi != entries[b].evpi ? entries[a].evpi > entries[b].evpi : a < b
            }.map { entries[$0] }
        )
    }

    /// The Saltelli design as CSV, in SALib's order (per base row: A, AB_1 … AB_k, B), with the
    /// inputs' values, the trial whose enrollment randomness each evaluation used, and the output.
    static func writeDesign(
        to stream: RecordStream,
        plan: SimulationPlan,
        options: SimulationOptions,
        relevant: [Int],
        names: [String],
        design: [Double]
    ) throws(ScenarioError) {
        let n = options.trials
        let factors = names.count
        try stream.write(
            (["row", "matrix", "trial"] + names.dropLast() + ["y"]).map(CSVField.escaped).joined(separator: ",") + "\n"
        )
        let runner = TrialRunner(plan: plan, generator: options.generator, seed: options.seed)
        for j in 0..<n {
            let a = runner.drawInputs(trial: j)
            let b = runner.drawInputs(trial: n + j)
            var text = ""
            for column in 0..<factors + 2 {
                let matrix: String
                var point = a
                var trial = j
                switch column {
                case 0: matrix = "A"
                case factors + 1:
                    matrix = "B"
                    point = b
                    trial = n + j
                case factors:
                    matrix = "AB:" + names[factors - 1]
                    trial = n + j
                default:
                    matrix = "AB:" + names[column - 1]
                    point[relevant[column - 1]] = b[relevant[column - 1]]
                }
                let fields =
                    ["\(j)", CSVField.escaped(matrix), "\(trial)"] + relevant.map { "\(point[$0])" }
                    + ["\(design[j * (factors + 2) + column])"]
                text += fields.joined(separator: ",") + "\n"
            }
            try stream.write(text)
        }
    }

    /// A mean over trials as `run` computes it, with the standard error of its linearisation.
    struct Estimate {
        var value: Double?
        var stdErr: Double?
        /// Per trial, its contribution to the estimate's error (for paired differences).
        var influence: [Double]

        /// From the metric's values (NaN where undefined) and, for a change, the baseline's.
        init(_ series: (y: [Double], y0: [Double]?)) {
            let own = Self.ratio(series.y)
            guard let y0 = series.y0 else {
                (value, influence) = own
                stdErr = value == nil ? nil : Self.stdErr(influence)
                return
            }
            let base = Self.ratio(y0)
            value = own.mean.flatMap { m in base.mean.map { m - $0 } }
            influence = zip(own.influence, base.influence).map { $0 - $1 }
            stdErr = value == nil ? nil : Self.stdErr(influence)
        }

        /// The mean over the trials where `y` is defined, summed as `run` sums scores (by value,
        /// from the lowest), and each trial's influence on it.
        static func ratio(_ y: [Double]) -> (mean: Double?, influence: [Double]) {
            var counts: [Double: Int] = [:]
            for value in y where !value.isNaN { counts[value, default: 0] += 1 }
            let defined = counts.values.reduce(0, +)
            guard defined > 0 else { return (nil, y.map { _ in 0 }) }
            let sum = counts.keys.sorted().reduce(0.0) { $0 + $1 * Double(counts[$1]!) }
            let mean = sum / Double(defined)
            let share = Double(defined) / Double(y.count)
            return (mean, y.map { $0.isNaN ? 0 : ($0 - mean) / share })
        }

        static func stdErr(_ influence: [Double]) -> Double {
            Statistics.sampleStandardDeviation(influence) / Double(max(1, influence.count)).squareRoot()
        }

        /// The standard error of `a − b` on the same trials.
        static func differenceStdErr(_ a: Estimate, _ b: Estimate) -> Double {
            stdErr(zip(a.influence, b.influence).map { $0 - $1 })
        }

        static func meanAndVariance(_ values: [Double]) -> (Double, Double) {
            let mean = values.reduce(0, +) / Double(max(1, values.count))
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count))
            return (mean, variance)
        }
    }
}

extension Sensitivity.Metric {
    /// The metric as the engine measures it in one trial of `plan`.
    func trialMetric(in plan: SimulationPlan) throws(ScenarioError) -> TrialMetric {
        if let strategy, !plan.strategyNames.dropFirst().contains(where: { Name.key($0) == Name.key(strategy) }) {
            throw ScenarioError(
                option: "strategy",
                message: "unknown strategy \(Format.quoted(strategy)); the strategies are "
                    + plan.strategyNames.dropFirst().joined(separator: ", ")
            )
        }
        let bands = plan.rules.bandNames
        func band(_ name: String) -> Int { bands.firstIndex(of: name) ?? 0 }
        var level = plan.teamLevel
        if let name = self.level {
            guard
                let index = plan.levels.firstIndex(where: {
                    ($0.kind == .sequence ? "\($0.rep ?? "") / \($0.name)" : $0.name) == name && $0.kind != .team
                })
            else {
                throw ScenarioError(
                    option: "level",
                    message:
                        "unknown level \(Format.quoted(name)); name a rep, a rep's sequence as 'rep / sequence', or team"
                )
            }
            level = index
        }
        switch kind {
        case .meanScore: return TrialMetric(kind: .score, level: level)
        case .pAtLeast(let name): return TrialMetric(kind: .atLeast(band: band(name)), level: level)
        case .repsAtLeast(let name): return TrialMetric(kind: .repsAtLeast(band: band(name)), level: level)
        }
    }
}
