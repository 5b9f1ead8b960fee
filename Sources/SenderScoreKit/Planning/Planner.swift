import Foundation

/// Finds the plan to fund: searches the plan's decision space, selects among the finalists on
/// common random numbers with Kim and Nelson's fully sequential procedure, and re-runs the
/// winner on fresh trials. See docs/planning.md.
public enum Planner {
    /// Trials, seed and threads of a planning run.
    public struct Options: Sendable {
        public var seed: UInt64
        public var generator: RandomGenerator
        public var threads: Int
        /// Told of progress as a share from 0 to 1.
        public var progress: (@Sendable (Double) -> Void)?

        public init(
            seed: UInt64,
            generator: RandomGenerator,
            threads: Int,
            progress: (@Sendable (Double) -> Void)? = nil
        ) {
            self.seed = seed
            self.generator = generator
            self.threads = threads
            self.progress = progress
        }
    }

    /// The choices the decision space is made of: one intervention team-wide, for one rep, or for
    /// one enrollment line. A candidate is a set of them (a bit mask).
    struct Unit {
        var lever: Int
        var application: Strategy.Application
    }

    /// The most choices a decision space may have (a candidate is a 64-bit mask).
    public static let unitLimit = 64

    public static func plan(_ scenario: Scenario, options: Options) async throws(ScenarioError) -> PlanResult {
        guard let spec = scenario.plan else {
            throw ScenarioError(
                file: scenario.file,
                message: "the scenario has no `plan:` section; add one (docs/planning.md), or give an objective"
            )
        }
        var units: [Unit] = []
        for (index, lever) in spec.levers.enumerated() {
            units += PlanSpec.units(of: lever, in: scenario).map { Unit(lever: index, application: $0) }
        }
        guard units.count <= unitLimit else {
            throw ScenarioError(
                file: scenario.file,
                keyPath: "plan.levers",
                message: "the levers offer \(units.count) choices (rep by rep and line by line), more than the "
                    + "\(unitLimit) a plan can search; choose some levers team-wide",
                code: .limit
            )
        }
        // The search, the selection and the re-run use distinct trials: all must have streams.
        var layout = scenario
        layout.strategies = []
        let capacity = SimulationPlan(layout).streams(seed: options.seed).trialCapacity
        let needed = spec.firstStage + spec.maxTrials + spec.outOfSample
        guard needed <= capacity else {
            throw ScenarioError(
                file: scenario.file,
                keyPath: "plan.selection",
                message: "firstStage, maxTrials and outOfSample come to \(Format.count(needed)) trials, more than the "
                    + "\(Format.count(capacity)) this scenario's random streams allow; lower maxTrials",
                code: .limit
            )
        }
        let target = spec.objective.band ?? scenario.rules.targetBand
        // The baseline alone: each rep's median rates (for what limits them) and P(eligible).
        let baseline = try await Simulation.run(
            SimulationPlan(layout),
            options: SimulationOptions(
                trials: spec.firstStage,
                seed: options.seed,
                generator: options.generator,
                threads: options.threads
            )
        )
        var medians: [String: (Double, Double)] = [:]
        for (index, rep) in scenario.reps.enumerated() {
            let level = baseline.levels[index]
            medians[rep.name] = (level.replyRate.quantile(0.5) ?? 0, level.bounceRate.quantile(0.5) ?? 0)
            // No lever adds enrollments: a rep clearly below a level the file sets cannot meet it.
            let n = Double(baseline.trials)
            let p = Double(level.eligible) / n
            let margin = Self.screeningMargin(p, trials: n)
            if let location = spec.eligibleLocation, !spec.allowIneligible.contains(rep.name),
                p + margin < spec.eligible
            {
                throw ScenarioError(
                    location: location,
                    keyPath: "plan.constraints.eligible",
                    message:
                        "\(rep.name) is eligible in only \(Format.percent(p)) of trials under the baseline, and no "
                        + "lever adds enrollments, so no plan can keep every rep eligible in "
                        + "\(Format.percent(spec.eligible)); lower `eligible` or list \(rep.name) under `allowIneligible`"
                )
            }
        }
        var planner = Search(scenario: scenario, spec: spec, units: units, target: target, options: options)
        planner.baselineMedians = medians
        return await planner.run()
    }

    /// How far an estimated probability `p` over `trials` may be from a level before it clearly
    /// misses it: three standard errors, with p(1 − p) kept at least 1/trials so that an
    /// estimate of exactly 0 or 1 is not taken as certain.
    static func screeningMargin(_ p: Double, trials: Double) -> Double {
        3 * max(p * (1 - p), 1 / trials).squareRoot() / trials.squareRoot()
    }

    /// The standard normal distribution function.
    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}

extension Planner {
    /// One planning run's state.
    struct Search {
        let scenario: Scenario
        let spec: PlanSpec
        let units: [Unit]
        let target: String
        let options: Options
        let repNames: [String]
        /// What one objective value of 1 is in the objective's units.
        let unit: Double
        /// Per mask: its candidate record, once evaluated.
        var records: [UInt64: Record] = [:]
        var order: [UInt64] = []
        var trialsSpent = 0
        /// The next trial no stage has used.
        var nextTrial = 0

        struct Record {
            var mask: UInt64
            var strategy: Strategy
            var name: String
            var cost: StrategyCost?
            var budgetCost: Double
            var withinBudget: Bool
            var evaluation: CandidateEvaluation
            var firstTrial: Int
            var eliminated = false
            /// The objective sum after each evaluation of it, for comparisons on common trials.
            var history: [(trials: Int, sum: Int64)] = []
        }

        init(scenario: Scenario, spec: PlanSpec, units: [Unit], target: String, options: Options) {
            self.scenario = scenario
            self.spec = spec
            self.units = units
            self.target = target
            self.options = options
            repNames = scenario.reps.map(\.name)
            unit = TrialScorer.unit(of: spec.objective, rules: scenario.rules, repCount: repNames.count)
        }

        // MARK: Candidates

        func strategy(_ mask: UInt64) -> (Strategy, String) {
            var applications: [Strategy.Application] = []
            var parts: [String] = []
            for (index, lever) in spec.levers.enumerated() {
                let chosen = units.indices.filter { units[$0].lever == index && mask & (1 << UInt64($0)) != 0 }
                guard !chosen.isEmpty else { continue }
                let name = scenario.interventions[lever.intervention].name
                let all = units.indices.filter { units[$0].lever == index }
                switch lever.scope {
                case .team:
                    applications.append(Strategy.Application(intervention: lever.intervention))
                    parts.append(name)
                case .rep where chosen.count == all.count, .sequence where chosen.count == all.count:
                    applications.append(Strategy.Application(intervention: lever.intervention))
                    parts.append(name)
                case .rep:
                    let reps = chosen.compactMap { units[$0].application.reps?.first }
                    applications.append(Strategy.Application(intervention: lever.intervention, reps: reps))
                    parts.append("\(name) (\(reps.joined(separator: ", ")))")
                case .sequence:
                    var lines: [String] = []
                    for rep in repNames {
                        let sequences = chosen.filter { units[$0].application.reps?.first == rep }
                            .compactMap { units[$0].application.sequences?.first }
                        guard !sequences.isEmpty else { continue }
                        applications.append(
                            Strategy.Application(intervention: lever.intervention, reps: [rep], sequences: sequences)
                        )
                        lines += sequences.map { "\(rep)/\($0)" }
                    }
                    parts.append("\(name) (\(lines.joined(separator: ", ")))")
                }
            }
            let name = parts.isEmpty ? "nothing" : parts.joined(separator: " + ")
            return (Strategy(name: name, applications: applications), name)
        }

        func budgetCost(_ cost: StrategyCost?) -> Double { cost?.value(on: spec.budgetOn) ?? 0 }

        func withinBudget(_ cost: StrategyCost?) -> Bool {
            guard let budget = spec.budget else { return true }
            return budgetCost(cost) <= budget * (1 + 1e-12)
        }

        /// Evaluates `masks` on `trials`, adding to their records.
        mutating func evaluate(
            _ masks: [UInt64],
            trials: Range<Int>,
            keepValues: Bool = false
        ) async
            -> CandidateEvaluation
        {
            var strategies: [Strategy] = []
            for mask in masks {
                if records[mask] == nil {
                    let (strategy, name) = strategy(mask)
                    let cost = scenario.cost(of: strategy)
                    records[mask] = Record(
                        mask: mask,
                        strategy: strategy,
                        name: name,
                        cost: cost,
                        budgetCost: budgetCost(cost),
                        withinBudget: withinBudget(cost),
                        evaluation: CandidateEvaluation(candidates: 1, reps: repNames.count),
                        firstTrial: trials.lowerBound
                    )
                    order.append(mask)
                }
                strategies.append(records[mask]!.strategy)
            }
            var copy = scenario
            copy.strategies = strategies
            let plan = SimulationPlan(copy)
            let scorer = TrialScorer(plan: plan, objective: spec.objective, targetBand: target, repNames: repNames)
            let evaluation = await Simulation.evaluate(
                plan,
                scorer: scorer,
                trials: trials,
                seed: options.seed,
                generator: options.generator,
                threads: options.threads,
                keepValues: keepValues
            )
            let reps = repNames.count
            for (position, mask) in masks.enumerated() {
                var single = CandidateEvaluation(candidates: 1, reps: reps)
                single.trials = evaluation.trials
                single.sums[0] = evaluation.sums[position]
                single.squares[0] = evaluation.squares[position]
                single.eligible = Array(evaluation.eligible[position * reps..<(position + 1) * reps])
                single.atTarget = Array(evaluation.atTarget[position * reps..<(position + 1) * reps])
                single.baselineEligible = evaluation.baselineEligible
                single.baselineAtTarget = evaluation.baselineAtTarget
                single.baselineSum = evaluation.baselineSum
                records[mask]!.evaluation.append(single)
                records[mask]!.history.append((records[mask]!.evaluation.trials, records[mask]!.evaluation.sums[0]))
            }
            trialsSpent += evaluation.trials * masks.count
            nextTrial = max(nextTrial, trials.upperBound)
            return evaluation
        }

        func mean(_ record: Record) -> Double {
            record.evaluation.trials > 0 ? Double(record.evaluation.sums[0]) / Double(record.evaluation.trials) : 0
        }

        /// The constraints a record misses on its estimates, and by how much.
        func misses(_ record: Record) -> (words: [String], shortfall: Double) {
            let evaluation = record.evaluation
            let n = Double(max(1, evaluation.trials))
            var words: [String] = []
            var shortfall = 0.0
            for (index, rep) in repNames.enumerated() where !spec.allowIneligible.contains(rep) {
                let p = Double(evaluation.eligible[index]) / n
                let base = Double(evaluation.baselineEligible[index]) / n
                let required = required(baseline: base)
                if p < required - 1e-12 {
                    words.append(
                        "\(rep) eligible \(Format.percent(p)) < \(Format.percent(required))"
                    )
                    shortfall += required - p
                }
            }
            if let drop = spec.maxDrop {
                for (index, rep) in repNames.enumerated() {
                    let p = Double(evaluation.atTarget[index]) / n
                    let base = Double(evaluation.baselineAtTarget[index]) / n
                    if base - p > drop + 1e-12 {
                        words.append("\(rep) P(\(target)+) falls \(Format.percent(base - p)) > \(Format.percent(drop))")
                        shortfall += base - p - drop
                    }
                }
            }
            return (words, shortfall)
        }

        /// The P(eligible) a rep must keep: the file's level as written, else the default level or
        /// the baseline's `baseline`, whichever is lower.
        func required(baseline: Double) -> Double {
            spec.eligibleLocation != nil ? spec.eligible : min(spec.eligible, baseline)
        }

        /// Whether a record clearly misses a constraint: by more than three standard errors.
        func clearlyInfeasible(_ record: Record) -> Bool {
            let evaluation = record.evaluation
            let n = Double(max(1, evaluation.trials))
            func margin(_ p: Double) -> Double { Planner.screeningMargin(p, trials: n) }
            for (index, rep) in repNames.enumerated() where !spec.allowIneligible.contains(rep) {
                let p = Double(evaluation.eligible[index]) / n
                let base = Double(evaluation.baselineEligible[index]) / n
                if p + margin(p) < required(baseline: base) { return true }
            }
            if let drop = spec.maxDrop {
                for index in repNames.indices {
                    let p = Double(evaluation.atTarget[index]) / n
                    let base = Double(evaluation.baselineAtTarget[index]) / n
                    if base - p - margin(p) > drop { return true }
                }
            }
            return false
        }

        // MARK: The run

        mutating func run() async -> PlanResult {
            let firstStage = spec.firstStage
            let space = pow(2, Double(units.count))
            let exhaustive = space <= Double(PlanResult.exhaustiveLimit)
            var finalists: [UInt64]
            var values: [Int32] = []
            var selectionStart: Int
            options.progress?(0)
            if exhaustive {
                let all = (0..<UInt64(1 << units.count)).map { $0 }
                let stage = await evaluate(all, trials: 0..<firstStage, keepValues: true)
                values = stage.values
                finalists = all
                selectionStart = 0
            } else {
                await greedyAndLocalSearch(trials: 0..<firstStage)
                let ranked = order.filter { records[$0]!.withinBudget && !clearlyInfeasible(records[$0]!) }
                    .sorted { mean(records[$0]!) > mean(records[$1]!) }
                finalists = Array(ranked.prefix(32))
                if !finalists.contains(0) { finalists.append(0) }
                // The search chose on its own trials; selection starts on fresh ones.
                selectionStart = nextTrial
                for mask in finalists {
                    records[mask]!.evaluation = CandidateEvaluation(candidates: 1, reps: repNames.count)
                    records[mask]!.firstTrial = selectionStart
                    records[mask]!.history = []
                }
                let stage = await evaluate(
                    finalists,
                    trials: selectionStart..<selectionStart + firstStage,
                    keepValues: true
                )
                values = stage.values
            }
            options.progress?(0.2)
            let columns = finalists.count
            // Selection among the finalists within budget that do not clearly miss a constraint.
            var contenders = finalists.indices.filter {
                let record = records[finalists[$0]]!
                return record.withinBudget && !clearlyInfeasible(record)
            }
            for index in finalists.indices where !contenders.contains(index) {
                records[finalists[index]]!.eliminated = true
            }
            let delta = spec.indifferenceZone / unit
            let k = contenders.count
            let initial = contenders
            let alpha = 1 - spec.confidence
            let n0 = Double(firstStage)
            let eta = k > 1 ? 0.5 * (pow(2 * alpha / Double(k - 1), -2 / (n0 - 1)) - 1) : 0
            let h2 = 2 * eta * (n0 - 1)
            // First-stage variances of the paired differences.
            var variance: [Int: Double] = [:]
            func key(_ a: Int, _ b: Int) -> Int { min(a, b) * columns + max(a, b) }
            for (position, a) in contenders.enumerated() {
                for b in contenders[(position + 1)...] {
                    var sum = 0.0
                    var squares = 0.0
                    for trial in 0..<firstStage {
                        let d = Double(values[trial * columns + a]) - Double(values[trial * columns + b])
                        sum += d
                        squares += d * d
                    }
                    variance[key(a, b)] = max(0, (squares - sum * sum / n0) / (n0 - 1))
                }
            }
            var r = firstStage
            var truncated = false
            func eliminate() {
                let survivors = contenders
                var out: Set<Int> = []
                for i in survivors {
                    let si = Double(records[finalists[i]]!.evaluation.sums[0])
                    for l in survivors where l != i {
                        let sl = Double(records[finalists[l]]!.evaluation.sums[0])
                        let v = variance[key(i, l)]!
                        let w = max(0, h2 * v / (2 * delta) - Double(r) * delta / 2)
                        // Plans with the same outcome in every trial tie for good: keep the cheaper.
                        let tie =
                            v == 0 && sl == si && !out.contains(l)
                            && (records[finalists[l]]!.budgetCost, finalists[l].nonzeroBitCount, finalists[l])
                                < (records[finalists[i]]!.budgetCost, finalists[i].nonzeroBitCount, finalists[i])
                        if sl - si > w || tie {
                            out.insert(i)
                            break
                        }
                    }
                }
                contenders.removeAll { out.contains($0) }
                for i in out { records[finalists[i]]!.eliminated = true }
            }
            eliminate()
            while contenders.count > 1 {
                guard r < spec.maxTrials else {
                    truncated = true
                    break
                }
                let step = min(firstStage, spec.maxTrials - r)
                let start = selectionStart + r
                _ = await evaluate(contenders.map { finalists[$0] }, trials: start..<start + step)
                r += step
                eliminate()
                options.progress?(0.2 + 0.7 * Double(r) / Double(spec.maxTrials))
            }
            let selectionTrials = trialsSpent
            // The winner: the best survivor that meets the constraints on its estimates.
            let survivors = contenders.map { finalists[$0] }
            func better(_ a: UInt64, _ b: UInt64) -> Bool {
                let (ra, rb) = (records[a]!, records[b]!)
                let (ma, mb) = (mean(ra), mean(rb))
                if ma != mb { return ma > mb }
                if ra.budgetCost != rb.budgetCost { return ra.budgetCost < rb.budgetCost }
                return a.nonzeroBitCount < b.nonzeroBitCount || (a.nonzeroBitCount == b.nonzeroBitCount && a < b)
            }
            var winnerMask = survivors.filter { misses(records[$0]!).words.isEmpty }.sorted(by: better).first
            var fromProcedure = winnerMask != nil
            if winnerMask == nil {
                winnerMask =
                    order.filter { records[$0]!.withinBudget && misses(records[$0]!).words.isEmpty }
                    .sorted(by: better).first
                fromProcedure = false
            }
            // The winner on fresh trials, with the baseline on the same ones.
            var outOfSample: (trials: Int, firstTrial: Int, mean: Double, stdErr: Double, baselineMean: Double)?
            if let winnerMask, spec.outOfSample > 0 {
                let first = nextTrial
                let (strategy, _) = strategy(winnerMask)
                var copy = scenario
                copy.strategies = [strategy]
                let plan = SimulationPlan(copy)
                let scorer = TrialScorer(plan: plan, objective: spec.objective, targetBand: target, repNames: repNames)
                let fresh = await Simulation.evaluate(
                    plan,
                    scorer: scorer,
                    trials: first..<first + spec.outOfSample,
                    seed: options.seed,
                    generator: options.generator,
                    threads: options.threads,
                    keepValues: false
                )
                let n = Double(fresh.trials)
                let mean = Double(fresh.sums[0]) / n
                let squares = Double(fresh.squares[0])
                let sd = max(0, (squares - n * mean * mean) / max(1, n - 1)).squareRoot()
                outOfSample = (
                    fresh.trials, first, mean * unit, sd / n.squareRoot() * unit, Double(fresh.baselineSum) / n * unit
                )
                trialsSpent += fresh.trials
            }
            options.progress?(1)
            return result(
                winner: winnerMask,
                fromProcedure: fromProcedure,
                survivors: survivors,
                finalists: finalists,
                selectionTrials: selectionTrials,
                equalAllocation: { winner in
                    // A fixed-sample procedure with the same constant needs, for every plan, the
                    // trials at which the winner's continuation region against each other closes.
                    guard let w = finalists.firstIndex(of: winner), k > 1 else { return 0 }
                    let largest =
                        initial.filter { $0 != w }.map { h2 * variance[key(w, $0)]! / (delta * delta) }.max() ?? 0
                    return initial.count * max(firstStage, Int(largest.rounded(.up)))
                },
                variance: { a, b in
                    guard let i = finalists.firstIndex(of: a), let j = finalists.firstIndex(of: b) else { return nil }
                    return variance[key(i, j)]
                },
                truncated: truncated,
                exhaustive: exhaustive,
                space: space,
                rounds: r,
                contenderCount: k,
                outOfSample: outOfSample
            )
        }

        /// Greedy by marginal gain per cost from doing nothing, then local search over adding or
        /// dropping one choice, all on the same trials.
        mutating func greedyAndLocalSearch(trials: Range<Int>) async {
            var current: UInt64 = 0
            _ = await evaluate([0], trials: trials)
            func score(_ mask: UInt64) -> Double? {
                guard let record = records[mask], record.withinBudget, misses(record).words.isEmpty else { return nil }
                return mean(record)
            }
            while true {
                let moves = units.indices.map { current | (1 << UInt64($0)) }.filter { $0 != current }
                let fresh = moves.filter { records[$0] == nil }
                if !fresh.isEmpty { _ = await evaluate(fresh, trials: trials) }
                let base = score(current) ?? -.infinity
                let currentCost = records[current]!.budgetCost
                var best: (mask: UInt64, ratio: Double)?
                for mask in moves {
                    guard let value = score(mask), value > base else { continue }
                    let extra = records[mask]!.budgetCost - currentCost
                    let ratio = extra > 0 ? (value - base) / extra : .infinity
                    if best == nil || ratio > best!.ratio { best = (mask, ratio) }
                }
                guard let best else { break }
                current = best.mask
            }
            // Add or drop one choice; when neither improves, swap one chosen for one not chosen.
            for _ in 0..<50 {
                let base = score(current) ?? -.infinity
                func best(_ moves: [UInt64]) async -> UInt64? {
                    let fresh = moves.filter { records[$0] == nil }
                    if !fresh.isEmpty { _ = await evaluate(fresh, trials: trials) }
                    return moves.filter { (score($0) ?? -.infinity) > base }.max { score($0)! < score($1)! }
                }
                let bits = units.indices.map { UInt64(1) << UInt64($0) }
                if let next = await best(bits.map { current ^ $0 }) {
                    current = next
                    continue
                }
                let chosen = bits.filter { current & $0 != 0 }
                let open = bits.filter { current & $0 == 0 }
                guard let next = await best(chosen.flatMap { out in open.map { current ^ out ^ $0 } }) else { break }
                current = next
            }
        }

        // MARK: The result

        /// What holds each rep back under the baseline, from the band map at the rep's median
        /// rates over the first stage's trials.
        func limits() -> [PlanResult.RepLimit] {
            let rules = scenario.rules
            let bands = rules.bandNames
            guard let targetIndex = bands.firstIndex(of: target), let baseline = records[0] else { return [] }
            let medians = baselineMedians
            return repNames.enumerated().map { index, rep in
                let n = Double(max(1, baseline.evaluation.trials))
                let eligible = Double(baseline.evaluation.baselineEligible[index]) / n
                if eligible < 0.5 {
                    return PlanResult.RepLimit(
                        rep: rep,
                        kind: "volume-bound",
                        explanation: "\(rep) is eligible in only \(Format.percent(eligible)) of trials: more completed "
                            + "enrollments come before any band"
                    )
                }
                guard let (reply, bounce) = medians[rep] else {
                    return PlanResult.RepLimit(rep: rep, kind: "within reach", explanation: "")
                }
                let scale = 1_000_000
                let bounceRow = RuleSet.row(in: rules.bounce, count: Int(bounce * Double(scale)), denominator: scale)
                let replyRow = RuleSet.row(in: rules.reply, count: Int(reply * Double(scale)), denominator: scale)
                let bestWithAnyReply =
                    (0...rules.reply.count).map {
                        rules.cellBands[rules.cellIndex(replyRow: $0, bounceRow: bounceRow)]
                    }.max() ?? 0
                let bestWithAnyBounce =
                    (0...rules.bounce.count).map {
                        rules.cellBands[rules.cellIndex(replyRow: replyRow, bounceRow: $0)]
                    }.max() ?? 0
                if bestWithAnyReply < targetIndex, bounceRow < rules.bounce.count {
                    let from = rules.bounce[bounceRow].from.doubleValue
                    return PlanResult.RepLimit(
                        rep: rep,
                        kind: "bounce-bound",
                        explanation:
                            "no reply lever lifts \(rep) above \(bands[bestWithAnyReply]) while the bounce rate is "
                            + "at least \(Format.percent(from)) (median \(Format.percent(bounce))): clean the list first"
                    )
                }
                if bestWithAnyBounce < targetIndex, replyRow < rules.reply.count {
                    return PlanResult.RepLimit(
                        rep: rep,
                        kind: "reply-bound",
                        explanation: "no cleaning lifts \(rep) above \(bands[bestWithAnyBounce]) at a reply rate of "
                            + "\(Format.percent(reply)) (median): a reply lever comes first"
                    )
                }
                return PlanResult.RepLimit(
                    rep: rep,
                    kind: "within reach",
                    explanation:
                        "\(target) is reachable at \(rep)'s median rates (reply \(Format.percent(reply)), bounce "
                        + "\(Format.percent(bounce))) by moving either rate"
                )
            }
        }

        /// Per rep, the baseline's median reply and bounce rates, set by `run`.
        var baselineMedians: [String: (Double, Double)] = [:]

        func result(
            winner: UInt64?,
            fromProcedure: Bool,
            survivors: [UInt64],
            finalists: [UInt64],
            selectionTrials: Int,
            equalAllocation: (UInt64) -> Int,
            variance: (UInt64, UInt64) -> Double?,
            truncated: Bool,
            exhaustive: Bool,
            space: Double,
            rounds: Int,
            contenderCount: Int,
            outOfSample: (trials: Int, firstTrial: Int, mean: Double, stdErr: Double, baselineMean: Double)?
        ) -> PlanResult {
            let reps = repNames.count
            var candidates: [PlanResult.Candidate] = order.map { mask in
                let record = records[mask]!
                let evaluation = record.evaluation
                let n = Double(max(1, evaluation.trials))
                let (words, shortfall) = misses(record)
                let sum = Double(evaluation.sums[0])
                let sd = max(0, (Double(evaluation.squares[0]) - sum * sum / n) / max(1, n - 1))
                return PlanResult.Candidate(
                    name: record.name,
                    strategy: record.strategy,
                    cost: record.cost,
                    budgetCost: record.budgetCost,
                    withinBudget: record.withinBudget,
                    firstTrial: record.firstTrial,
                    trials: evaluation.trials,
                    mean: mean(record) * unit,
                    stdErr: (sd / n).squareRoot() * unit,
                    pEligible: (0..<reps).map { Double(evaluation.eligible[$0]) / n },
                    pAtTarget: (0..<reps).map { Double(evaluation.atTarget[$0]) / n },
                    baselineEligible: (0..<reps).map { Double(evaluation.baselineEligible[$0]) / n },
                    baselineAtTarget: (0..<reps).map { Double(evaluation.baselineAtTarget[$0]) / n },
                    misses: words,
                    shortfall: shortfall,
                    eliminated: record.eliminated || !survivors.contains(mask),
                    pBest: nil
                )
            }
            // P(best) among the top plans, from the paired differences with the winner.
            let winnerMask = winner
            var indices = Array(candidates.indices)
            indices.sort { a, b in
                let (ca, cb) = (candidates[a], candidates[b])
                let okA = ca.withinBudget && ca.meetsConstraints
                let okB = cb.withinBudget && cb.meetsConstraints
                if okA != okB { return okA }
                if order[a] == winnerMask || order[b] == winnerMask { return order[a] == winnerMask }
                if ca.mean != cb.mean { return ca.mean > cb.mean }
                return ca.budgetCost < cb.budgetCost
            }
            var sorted = indices.map { candidates[$0] }
            let sortedMasks = indices.map { order[$0] }
            if let winnerMask, let w = sortedMasks.firstIndex(of: winnerMask) {
                let top = Array(sorted.indices.prefix(max(spec.top, 2)))
                var product = 1.0
                let winnerHistory = records[winnerMask]!.history
                for i in top where i != w {
                    guard let v = variance(sortedMasks[i], winnerMask) else { continue }
                    guard v > 0 else {
                        sorted[i].sameAsChosen = true
                        continue
                    }
                    // Compared on the trials both had: the first ones of the selection.
                    let history = records[sortedMasks[i]]!.history
                    let common = min(history.count, winnerHistory.count)
                    guard common > 0, history[common - 1].trials == winnerHistory[common - 1].trials else { continue }
                    let n = Double(history[common - 1].trials)
                    let difference = Double(winnerHistory[common - 1].sum - history[common - 1].sum) / n
                    let z = difference / (v / n).squareRoot()
                    sorted[i].pBest = Planner.normalCDF(-z)
                    product *= Planner.normalCDF(z)
                }
                sorted[w].pBest = product
            }
            // The frontier: the best plan meeting the constraints at each cost.
            var frontier: [Int] = []
            var bestSoFar = -Double.infinity
            let byCost = sorted.indices.filter { sorted[$0].meetsConstraints }
                .sorted {
                    sorted[$0].budgetCost != sorted[$1].budgetCost
                        ? sorted[$0].budgetCost < sorted[$1].budgetCost : sorted[$0].mean > sorted[$1].mean
                }
            for index in byCost where sorted[index].mean > bestSoFar + 1e-12 {
                frontier.append(index)
                bestSoFar = sorted[index].mean
            }
            let k = contenderCount
            let statement: String
            let pcs: Double?
            if !fromProcedure {
                pcs = nil
                statement =
                    winner == nil
                    ? "no plan meets the constraints; the nearest misses are listed"
                    : "no plan the selection kept meets the constraints on its estimates; the best plan that does is "
                        + "shown, without a stated probability of a correct selection"
            } else if k <= 1 {
                pcs = 1
                statement = "one plan was left to select after the budget and the constraints"
            } else if truncated {
                pcs = nil
                statement =
                    "Kim and Nelson's procedure stopped at \(Format.count(spec.maxTrials)) trials with "
                    + "\(survivors.count) plans still within reach of each other; the one with the best estimate is "
                    + "shown, with no stated probability of a correct selection (raise selection.maxTrials)"
            } else {
                pcs = spec.confidence
                statement =
                    "Kim and Nelson's fully sequential procedure on common random numbers: with probability at "
                    + "least \(Format.percent(spec.confidence)) the chosen plan is the best of the \(k) compared, or within "
                    + "\(Format.number(spec.indifferenceZone)) of it (the indifference zone)"
                    + (exhaustive
                        ? ""
                        : "; they are the finalists of a heuristic search, which states no probability of having found "
                            + "the best of all \(Format.count(Int(space))) plans")
            }
            let winnerIndex = winnerMask.flatMap { sortedMasks.firstIndex(of: $0) }
            return PlanResult(
                scenario: scenario,
                spec: spec,
                seed: options.seed,
                generator: options.generator,
                targetBand: target,
                candidates: sorted,
                winner: winnerIndex,
                search: exhaustive ? "exhaustive" : "greedy + local search",
                spaceSize: space,
                pCorrectSelection: pcs,
                selectionStatement: statement,
                indifference: spec.indifferenceZone,
                trialsSpent: selectionTrials,
                equalAllocationTrials: winnerMask.map(equalAllocation) ?? 0,
                outOfSample: outOfSample,
                frontier: frontier,
                limits: limits()
            )
        }
    }
}
