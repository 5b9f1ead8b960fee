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
    /// Every uncertain input's distribution as written, by name.
    public var distributions: [String: String] = [:]
    /// The parts that ran, in order.
    public var analyses: [Analysis] = Analysis.allCases
    /// The metric with every input random.
    public var base: Double?
    public var baseStdErr: Double?
    /// The tornado, largest swing first.
    public var entries: [Entry]
    public var indices: Indices?
    public var decision: Decision?
    /// Why a part asked for is missing.
    public var notes: [String] = []

    /// One factor's Sobol' indices.
    public struct IndexEntry: Sendable, Encodable {
        public var input: String
        public var index: SobolIndex
    }

    /// The variance-based indices of the metric's value in one trial.
    public struct Indices: Sendable, Encodable {
        /// N: the rows of each of the design's matrices A and B.
        public var baseTrials: Int
        /// Trials evaluated: N × (2 × inputs + 3).
        public var evaluations: Int
        public var resamples: Int
        public var confidence = 0.95
        /// The metric's mean and variance per trial over the design.
        public var mean: Double
        public var variance: Double
        /// Per input, largest first-order index first.
        public var inputs: [IndexEntry]
        /// The enrollments' own randomness: its total index is the share of the variance that no
        /// input explains (E[Var(Y | inputs)] / Var(Y)).
        public var noise: IndexEntry?
    }

    /// The decision the metric drives: which strategy (or none) is best, and what learning each
    /// input first would change.
    public struct Decision: Sendable, Encodable {
        public struct Choice: Sendable, Encodable {
            public var strategy: String
            public var mean: Double
            public var stdErr: Double
        }
        public struct Share: Sendable, Encodable {
            public var strategy: String
            public var share: Double
        }
        /// The bins each input's trials are cut into.
        public var bins: Int
        /// The baseline (doing nothing) and every strategy, with the metric's mean.
        public var choices: [Choice]
        /// The best choice with every input random.
        public var best: String
        /// What the estimators give for an input unrelated to any outcome: their bias from noise.
        public var noiseFloor: Double
        public var noiseFloorPChange: Double
        /// Per input, largest value of information first.
        public var entries: [DecisionEntry]
    }

    /// What learning one input before choosing is worth.
    public struct DecisionEntry: Sendable, Encodable {
        public var input: String
        /// The probability that the best choice differs from `Decision.best` once the input is known.
        public var pChange: Double
        public var pChangeStdErr: Double
        /// The expected value of perfect information, in the metric's units.
        public var evpi: Double
        public var evpiStdErr: Double
        /// Which choices are best for some values of the input, with the share of trials.
        public var bestWhenKnown: [Decision.Share]
    }

    /// The analysis as tables a person reads.
    public func text() -> String {
        var lines = [
            "Sensitivity of \(metric)",
            "\(scenario) (\(file)) · \(Format.count(trials)) trials · seed \(seed) · common random numbers",
            "with every input random: \(Self.value(base, baseStdErr))",
        ]
        let names =
            entries.map(\.input) + (indices?.inputs.map(\.input) ?? []) + (decision?.entries.map(\.input) ?? [])
        let width = max(24, (names + [Self.noiseFactor]).map(\.count).max() ?? 0) + 2
        if analyses.contains(.tornado) { lines += tornadoLines(width) }
        if let indices { lines += indexLines(indices, width) }
        if let decision { lines += decisionLines(decision, width) }
        for note in notes { lines += [""] + TextLayout.wrap(note + ".", width: 100, indent: "") }
        return TextLayout.document(lines)
    }

    private func tornadoLines(_ width: Int) -> [String] {
        var lines = [
            "",
            "Tornado: the metric with one input held at its 10th and its 90th percentile, everything else random",
            TextLayout.left("input", width) + TextLayout.left("p10 → p90", 24) + TextLayout.left("at p10", 18)
                + TextLayout.left("at p90", 18) + "swing",
        ]
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
        lines.append("± is one Monte Carlo standard error; a swing's is paired, since its two runs share their trials.")
        return lines
    }

    private func indexLines(_ indices: Indices, _ width: Int) -> [String] {
        func interval(_ value: Double, _ conf: Double) -> String {
            Format.fixed(value, digits: 3) + " [" + Format.fixed(value - conf, digits: 3) + ", "
                + Format.fixed(value + conf, digits: 3) + "]"
        }
        var lines = [
            "",
            "Variance-based (Sobol') indices: shares of the variance of the metric in one trial "
                + "(variance \(Format.number(indices.variance))),",
            "from \(Format.count(indices.baseTrials)) × \(indices.evaluations / max(1, indices.baseTrials)) = "
                + "\(Format.count(indices.evaluations)) evaluations; [95% bootstrap interval, "
                + "\(Format.count(indices.resamples)) resamples]",
            TextLayout.left("input", width) + TextLayout.left("first-order", 26) + "total-effect",
        ]
        for entry in indices.inputs {
            lines.append(
                TextLayout.left(entry.input, width)
                    + TextLayout.left(interval(entry.index.first, entry.index.firstConf), 26)
                    + interval(entry.index.total, entry.index.totalConf)
            )
        }
        if let noise = indices.noise {
            lines.append(
                TextLayout.left(noise.input, width) + TextLayout.left("–", 26)
                    + interval(noise.index.total, noise.index.totalConf)
            )
        }
        lines += [
            "First-order: the share of the variance that knowing the input alone would remove; measure the top",
            "ones first. Total-effect: its share of the expected outcome's variance with its interactions with",
            "other inputs. The enrollment noise's share is what no input explains: the luck of which contacts",
            "bounce and reply, which no measurement removes. Indices near 0 whose interval spans 0 are noise.",
        ]
        return lines
    }

    private func decisionLines(_ decision: Decision, _ width: Int) -> [String] {
        var lines = [
            "",
            "Decision: the best of \(decision.choices.count) choices (doing nothing included) by the metric",
        ]
        let choiceWidth = max(24, decision.choices.map(\.strategy.count).max() ?? 0) + 9
        for choice in decision.choices {
            lines.append(
                TextLayout.left(choice.strategy + (choice.strategy == decision.best ? " (best)" : ""), choiceWidth)
                    + Self.value(choice.mean, choice.stdErr)
            )
        }
        lines += [
            "",
            "If one input were known before choosing (the trials cut into \(decision.bins) groups by its value):",
            TextLayout.left("input", width) + TextLayout.left("P(best changes)", 18) + TextLayout.left("EVPI", 20)
                + "best once known",
        ]
        for entry in decision.entries {
            let best = entry.bestWhenKnown.map { "\($0.strategy) \(Format.percent($0.share, digits: 0))" }
            lines.append(
                TextLayout.left(entry.input, width)
                    + TextLayout.left(Self.value(entry.pChange, entry.pChangeStdErr), 18)
                    + TextLayout.left(
                        Format.fixed(entry.evpi, digits: 4) + " ±" + Format.fixed(entry.evpiStdErr, digits: 4),
                        20
                    ) + best.joined(separator: ", ")
            )
        }
        lines += [
            "EVPI: how much the metric would gain, on average, if the input were measured first and the best",
            "choice made for its value. Noise floor: an input unrelated to every outcome would show EVPI "
                + Format.fixed(decision.noiseFloor, digits: 4),
            "and P(best changes) \(Format.fixed(decision.noiseFloorPChange, digits: 3)); values near these are noise, "
                + "not information.",
        ]
        return lines
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
