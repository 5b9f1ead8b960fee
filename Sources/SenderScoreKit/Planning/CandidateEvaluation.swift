import Foundation

/// What trials of a set of candidate strategies add up to, for `Planner`: per candidate the sum
/// of its per-trial objective values and, per rep, how often it was eligible and at the target
/// band or better; the same for the baseline; and, when asked, every trial's objective values.
///
/// Objective values are integers (reps counted, indicators, score units), so every sum is exact
/// and the result is the same for any number of threads.
struct CandidateEvaluation: Sendable {
    /// The trials evaluated.
    var trials: Int
    /// Per candidate, the sum of its objective values.
    var sums: [Int64]
    /// Per candidate, the sum of its squared objective values.
    var squares: [Int64]
    /// Per candidate and rep (`candidate * reps + rep`): trials eligible, and at the target or better.
    var eligible: [Int]
    var atTarget: [Int]
    /// Per rep, the baseline's.
    var baselineEligible: [Int]
    var baselineAtTarget: [Int]
    /// The baseline's objective sum.
    var baselineSum: Int64
    /// When kept: `values[trial * candidates + candidate]`, trials in order.
    var values: [Int32]

    init(candidates: Int, reps: Int) {
        trials = 0
        sums = Array(repeating: 0, count: candidates)
        squares = sums
        eligible = Array(repeating: 0, count: candidates * reps)
        atTarget = eligible
        baselineEligible = Array(repeating: 0, count: reps)
        baselineAtTarget = baselineEligible
        baselineSum = 0
        values = []
    }

    /// Adds `other`, which covers the trials right after these.
    mutating func append(_ other: CandidateEvaluation) {
        trials += other.trials
        for index in sums.indices {
            sums[index] += other.sums[index]
            squares[index] += other.squares[index]
        }
        for index in eligible.indices {
            eligible[index] += other.eligible[index]
            atTarget[index] += other.atTarget[index]
        }
        for index in baselineEligible.indices {
            baselineEligible[index] += other.baselineEligible[index]
            baselineAtTarget[index] += other.baselineAtTarget[index]
        }
        baselineSum += other.baselineSum
        values += other.values
    }
}

/// Scores one trial of a plan's strategies for the objective and the constraints.
struct TrialScorer: Sendable {
    let objective: PlanSpec.Objective
    let rules: RuleSet
    let reps: Int
    let teamLevel: Int
    let minimums: [Int]
    /// The band index of the objective's band (or of the target band for meanScore).
    let objectiveBand: Int
    let targetBand: Int
    /// For meanScore: per rep, whether it is averaged.
    let scored: [Bool]

    init(plan: SimulationPlan, objective: PlanSpec.Objective, targetBand: String, repNames: [String]) {
        self.objective = objective
        rules = plan.rules
        reps = repNames.count
        teamLevel = plan.teamLevel
        minimums = plan.levels.map(\.minimum)
        let bands = plan.rules.bandNames
        let target = bands.firstIndex(of: targetBand) ?? 0
        self.targetBand = target
        objectiveBand = objective.band.flatMap { bands.firstIndex(of: $0) } ?? target
        if case .meanScore(let names) = objective {
            scored = repNames.map { names?.contains($0) ?? true }
        } else {
            scored = Array(repeating: false, count: repNames.count)
        }
    }

    /// What one objective value of 1 is in the objective's units: score units per rep averaged
    /// for meanScore, else 1.
    static func unit(of objective: PlanSpec.Objective, rules: RuleSet, repCount: Int) -> Double {
        guard case .meanScore(let names) = objective else { return 1 }
        return 1 / (Double(names?.count ?? repCount) * pow(10, Double(rules.scoreScale)))
    }

    /// The objective value of `strategy` in the runner's last trial, adding its rep outcomes to
    /// `eligible` and `atTarget` at `offset`.
    func score(
        _ runner: TrialRunner,
        strategy: Int,
        eligible: inout [Int],
        atTarget: inout [Int],
        offset: Int
    ) -> Int64 {
        let levels = runner.plan.levels.count
        let base = strategy * levels
        var atObjective = 0
        var units: Int64 = 0
        for rep in 0..<reps {
            let outcome = rules.outcome(runner.counts[base + rep], minimum: minimums[rep])
            guard let cell = outcome.cell else { continue }
            eligible[offset + rep] += 1
            if outcome.band >= targetBand { atTarget[offset + rep] += 1 }
            if outcome.band >= objectiveBand { atObjective += 1 }
            if scored[rep] { units += rules.cellScoreUnits[cell] }
        }
        switch objective {
        case .repsAtLeast: return Int64(atObjective)
        case .pRepsAtLeast(_, let count): return atObjective >= count ? 1 : 0
        case .meanScore: return units
        case .teamAtLeast:
            let team = rules.outcome(runner.counts[base + teamLevel], minimum: minimums[teamLevel])
            return team.cell != nil && team.band >= objectiveBand ? 1 : 0
        }
    }
}

extension Simulation {
    /// Runs `trials` of `plan`, whose strategies after the baseline are the candidates, and
    /// scores them. Trial t's numbers depend only on (seed, t, purpose), so a candidate gets the
    /// same values in any set of candidates and in any round.
    static func evaluate(
        _ plan: SimulationPlan,
        scorer: TrialScorer,
        trials: Range<Int>,
        seed: UInt64,
        generator: RandomGenerator,
        threads: Int,
        keepValues: Bool
    ) async -> CandidateEvaluation {
        let candidates = plan.strategyNames.count - 1
        let workers = max(1, min(threads, trials.count / 50 + 1))
        let size = (trials.count + workers - 1) / workers
        var parts = [CandidateEvaluation?](repeating: nil, count: workers)
        await withTaskGroup(of: (Int, CandidateEvaluation).self) { group in
            for worker in 0..<workers {
                let lower = min(trials.upperBound, trials.lowerBound + worker * size)
                let upper = min(trials.upperBound, lower + size)
                group.addTask {
                    var part = CandidateEvaluation(candidates: candidates, reps: scorer.reps)
                    var runner = TrialRunner(plan: plan, generator: generator, seed: seed)
                    if keepValues { part.values.reserveCapacity((upper - lower) * candidates) }
                    for trial in lower..<upper {
                        runner.run(trial: trial)
                        part.baselineSum += scorer.score(
                            runner,
                            strategy: 0,
                            eligible: &part.baselineEligible,
                            atTarget: &part.baselineAtTarget,
                            offset: 0
                        )
                        for candidate in 0..<candidates {
                            let value = scorer.score(
                                runner,
                                strategy: candidate + 1,
                                eligible: &part.eligible,
                                atTarget: &part.atTarget,
                                offset: candidate * scorer.reps
                            )
                            part.sums[candidate] += value
                            part.squares[candidate] += value * value
                            if keepValues { part.values.append(Int32(clamping: value)) }
                        }
                    }
                    part.trials = upper - lower
                    return (worker, part)
                }
            }
            for await (worker, part) in group { parts[worker] = part }
        }
        var total = CandidateEvaluation(candidates: candidates, reps: scorer.reps)
        for part in parts { if let part { total.append(part) } }
        return total
    }
}
