import Foundation

/// Which assumption the answer hangs on: a one-at-a-time tornado on common random numbers.
///
/// For each input a trial draws, the metric's mean is computed with that input held at its 10th
/// and then its 90th percentile while everything else stays random; every run uses the same seed,
/// and every other input keeps its own lane, so the runs share their random numbers and the
/// swing is the input's own. Entries are sorted by the size of the swing.
public struct Sensitivity: Sendable, Encodable {
    /// What is measured: a decision metric of `run` at one level, under one strategy, or that
    /// strategy's change against the baseline.
    public struct Metric: Sendable, Hashable, Encodable {
        public enum Kind: Sendable, Hashable, Encodable {
            case meanScore
            case pAtLeast(String)
            case repsAtLeast(String)
        }

        public var kind: Kind
        /// A rep, "rep / sequence", or nil for the team (ignored by `repsAtLeast`).
        public var level: String?
        /// The strategy; nil for the baseline.
        public var strategy: String?
        /// The strategy's value less the baseline's on the same trials.
        public var change: Bool

        public init(kind: Kind, level: String? = nil, strategy: String? = nil, change: Bool = false) {
            self.kind = kind
            self.level = level
            self.strategy = strategy
            self.change = change
        }

        /// "mean score of ana under tokens, change against the baseline".
        public var description: String {
            let what: String
            switch kind {
            case .meanScore: what = "mean score of \(level ?? "the team (pooled)")"
            case .pAtLeast(let band): what = "P(\(band) or better) of \(level ?? "the team (pooled)")"
            case .repsAtLeast(let band): what = "expected reps at \(band) or better"
            }
            let under = strategy.map { " under \($0)" } ?? " (baseline)"
            return what + under + (change ? ", change against the baseline" : "")
        }

        /// The metric's value and standard error in a run's report; nil where it is undefined.
        func value(in report: RunReport) throws(ScenarioError) -> (value: Double, stdErr: Double)? {
            func find(_ name: String?) throws(ScenarioError) -> StrategyReport {
                guard let name else { return report.strategies[0] }
                guard let strategy = report.strategies.first(where: { Name.key($0.name) == Name.key(name) }) else {
                    throw ScenarioError(
                        option: "strategy",
                        message: "unknown strategy \(Format.quoted(name)); the strategies are "
                            + report.strategies.dropFirst().map(\.name).joined(separator: ", ")
                    )
                }
                return strategy
            }
            func level(in strategy: StrategyReport) throws(ScenarioError) -> LevelReport {
                guard let name = self.level else { return strategy.team }
                let all = strategy.rows
                if let row = all.first(where: {
                    ($0.kind == .sequence ? "\($0.level.rep ?? "") / \($0.level.name)" : $0.level.name) == name
                }) {
                    return row.level
                }
                throw ScenarioError(
                    option: "level",
                    message:
                        "unknown level \(Format.quoted(name)); name a rep, a rep's sequence as 'rep / sequence', or team"
                )
            }
            func measure(_ strategy: StrategyReport) throws(ScenarioError) -> (Double, Double)? {
                switch kind {
                case .meanScore:
                    let level = try level(in: strategy)
                    guard let mean = level.score.mean else { return nil }
                    return (mean, level.score.stdErr ?? 0)
                case .pAtLeast(let band):
                    let level = try level(in: strategy)
                    guard let p = level.pAtLeast?[band] else { return nil }
                    return (p, level.pAtLeastStdErr?[band] ?? 0)
                case .repsAtLeast(let band):
                    guard let joint = strategy.repsAtLeast?[band] else { return nil }
                    return (joint.mean, joint.stdErr)
                }
            }
            let chosen = try find(strategy)
            guard let value = try measure(chosen) else { return nil }
            guard change else { return value }
            guard let base = try measure(report.strategies[0]) else { return nil }
            // Unpaired error: an upper bound for the paired one.
            return (value.0 - base.0, (value.1 * value.1 + base.1 * base.1).squareRoot())
        }
    }

    /// One input's row of the tornado.
    public struct Entry: Sendable, Encodable {
        public var input: String
        public var distribution: String
        /// The input's 10th and 90th percentiles.
        public var low: Double
        public var high: Double
        /// The metric's mean with the input held at each, and its standard error.
        public var atLow: Double?
        public var atLowStdErr: Double?
        public var atHigh: Double?
        public var atHighStdErr: Double?
        /// atHigh − atLow.
        public var swing: Double?
        public var swingStdErr: Double?
    }

    public var scenario: String
    public var file: String
    public var trials: Int
    public var seed: UInt64
    public var metric: String
    /// The metric with every input random.
    public var base: Double?
    public var baseStdErr: Double?
    public var entries: [Entry]

    /// Runs the tornado: one run with every input random, then two per input.
    public static func tornado(
        _ scenario: Scenario,
        options: SimulationOptions,
        metric: Metric
    ) async throws(ScenarioError) -> Sensitivity {
        // Only the strategy measured runs; the lanes do not depend on which strategies run, so the
        // numbers are those of the full scenario. Levers that strategy does not apply are left out.
        var scenario = try scenario.keeping(strategies: metric.strategy.map { [$0] } ?? [])
        if metric.strategy == nil { scenario.strategies = [] }
        let applied = Set(
            scenario.strategies.flatMap { $0.applications.map { scenario.interventions[$0.intervention].name } }
        )
        let plan = SimulationPlan(scenario)
        func evaluate(_ plan: SimulationPlan) async throws(ScenarioError) -> (value: Double, stdErr: Double)? {
            let result = try await Simulation.run(plan, options: options)
            return try metric.value(in: RunReport(scenario: scenario, result: result))
        }
        let base = try await evaluate(plan)
        var entries: [Entry] = []
        for input in plan.uncertainInputs
        where Self.isRelevant(input.name, interventions: scenario.interventions.map(\.name), applied: applied) {
            let low = plan.quantile(of: input, 0.1)
            let high = plan.quantile(of: input, 0.9)
            let atLow = try await evaluate(plan.fixing(input, at: low))
            let atHigh = try await evaluate(plan.fixing(input, at: high))
            let swing = atLow.flatMap { l in atHigh.map { h in h.value - l.value } }
            let swingError = atLow.flatMap { l in
                atHigh.map { h in (l.stdErr * l.stdErr + h.stdErr * h.stdErr).squareRoot() }
            }
            entries.append(
                Entry(
                    input: input.name,
                    distribution: input.distribution,
                    low: low,
                    high: high,
                    atLow: atLow?.value,
                    atLowStdErr: atLow?.stdErr,
                    atHigh: atHigh?.value,
                    atHighStdErr: atHigh?.stdErr,
                    swing: swing,
                    swingStdErr: swingError
                )
            )
        }
        // Largest swing first; inputs named in lane order among equals.
        let order = entries.indices.sorted { a, b in
            let (x, y) = (abs(entries[a].swing ?? 0), abs(entries[b].swing ?? 0))
            return x != y ? x > y : a < b
        }
        return Sensitivity(
            scenario: scenario.name,
            file: scenario.file,
            trials: options.trials,
            seed: options.seed,
            metric: metric.description,
            base: base?.value,
            baseStdErr: base?.stdErr,
            entries: order.map { entries[$0] }
        )
    }

    /// The tornado as a table a person reads.
    public func text() -> String {
        var lines = [
            "Sensitivity of \(metric)",
            "\(scenario) (\(file)) · \(Format.count(trials)) trials per run · seed \(seed) · common random numbers",
            "with every input random: \(Self.value(base, baseStdErr))",
            "",
            "Tornado: the metric with one input held at its 10th and its 90th percentile, everything else random",
        ]
        let width = max(24, entries.map(\.input.count).max() ?? 0) + 2
        lines.append(
            TextLayout.left("input", width) + TextLayout.left("p10 → p90", 24) + TextLayout.left("at p10", 18)
                + TextLayout.left("at p90", 18) + "swing"
        )
        for entry in entries {
            lines.append(
                TextLayout.left(entry.input, width)
                    + TextLayout.left("\(Format.number(entry.low)) → \(Format.number(entry.high))", 24)
                    + TextLayout.left(Self.value(entry.atLow, entry.atLowStdErr), 18)
                    + TextLayout.left(Self.value(entry.atHigh, entry.atHighStdErr), 18)
                    + (entry.swing.map {
                        Format.signed($0, digits: 3) + " ±" + Format.fixed(entry.swingStdErr, digits: 3)
                    } ?? "–")
            )
        }
        if entries.isEmpty { lines.append("  (no input is uncertain: every parameter and volume is a fixed number)") }
        lines += [
            "",
            "± is one Monte Carlo standard error (for a swing, of the two means taken apart: an upper bound,",
            "since the runs share their random numbers). An input with no spread would swing 0.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether an input can move the metric: not the effect or coverage of a lever that the
    /// strategy measured does not apply.
    static func isRelevant(_ input: String, interventions: [String], applied: Set<String>) -> Bool {
        for name in interventions where input.hasPrefix("intervention \(name): ") { return applied.contains(name) }
        return true
    }

    static func value(_ value: Double?, _ error: Double?) -> String {
        guard let value else { return "–" }
        return Format.fixed(value, digits: 3) + (error.map { " ±" + Format.fixed($0, digits: 3) } ?? "")
    }
}

extension Sensitivity: TextAndJSONReport {}

extension Sensitivity.Metric {
    /// Reads `mean-score`, `at-least:Good` or `reps:Good` against the bands of `rules`.
    public static func kind(_ text: String, rules: RuleSet) throws(ScenarioError) -> Kind {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        func band(_ name: String?) throws(ScenarioError) -> String {
            guard let name, let band = rules.bandNames.first(where: { Name.key($0) == Name.key(name) }) else {
                throw ScenarioError(
                    option: "metric",
                    message: "\(Format.quoted(text)) names no band of \(rules.name); the bands are "
                        + rules.bandNames.joined(separator: ", ")
                )
            }
            return band
        }
        switch parts.first?.lowercased() {
        case "mean-score": return .meanScore
        case "at-least": return .pAtLeast(try band(parts.count > 1 ? parts[1] : nil))
        case "reps": return .repsAtLeast(try band(parts.count > 1 ? parts[1] : nil))
        default:
            throw ScenarioError(
                option: "metric",
                message: "\(Format.quoted(text)) is not a metric; expected mean-score, at-least:BAND "
                    + "(P(the band or better)) or reps:BAND (expected reps at the band or better)"
            )
        }
    }
}
