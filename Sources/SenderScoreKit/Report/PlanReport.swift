import Foundation

/// The result of `senderscore plan`, as programs and notebooks read it (the JSON format); the
/// other formats render it. See docs/planning.md.
public struct PlanReport: Codable, Sendable {
    public struct Estimate: Codable, Sendable {
        public var mean: Double
        public var stdErr: Double
        public var low95: Double
        public var high95: Double
        public var trials: Int
        /// The first trial index it is over (trial t's numbers depend only on the seed and t).
        public var firstTrial: Int

        init(mean: Double, stdErr: Double, trials: Int, firstTrial: Int) {
            self.mean = mean
            self.stdErr = stdErr
            low95 = mean - 1.96 * stdErr
            high95 = mean + 1.96 * stdErr
            self.trials = trials
            self.firstTrial = firstTrial
        }
    }

    public struct RepOutcome: Codable, Sendable {
        public var name: String
        public var pEligible: Double
        public var baselinePEligible: Double
        /// P(at the target band or better), and the baseline's on the same trials.
        public var pAtTarget: Double
        public var baselinePAtTarget: Double
    }

    public struct Plan: Codable, Sendable {
        public var rank: Int
        public var name: String
        /// What it applies, one line per intervention.
        public var interventions: [String]
        /// The expected cost, and its 95% range when volumes are uncertain.
        public var cost: Double?
        public var costRange: StrategyCost?
        public var withinBudget: Bool
        public var meetsConstraints: Bool
        public var misses: [String]
        public var objective: Estimate
        /// Estimated probability that it is the best of the plans ranked (normal approximation of
        /// the paired differences with the recommended plan).
        public var pBest: Double?
        /// Whether the selection procedure eliminated it (or it never was a finalist).
        public var eliminated: Bool
        /// Whether it had the recommended plan's outcome in every trial both had.
        public var sameAsChosen: Bool
        public var reps: [RepOutcome]
    }

    public struct Budget: Codable, Sendable {
        public var limit: Double
        /// "expected" or "high" (the high end of the cost's 95% range).
        public var on: String
    }

    public struct FrontierPoint: Codable, Sendable {
        public var cost: Double
        public var objective: Double
        public var stdErr: Double
        public var name: String
    }

    public struct Limit: Codable, Sendable {
        public var rep: String
        public var kind: String
        public var explanation: String
    }

    public struct OutOfSample: Codable, Sendable {
        public var objective: Estimate
        public var baseline: Double
    }

    public var scenario: String
    public var file: String
    public var rules: String
    public var seed: UInt64
    public var generator: String
    public var objective: String
    public var objectiveKind: String
    public var targetBand: String
    public var budget: Budget?
    public var constraints: [String]
    public var search: String
    public var candidates: Int
    public var exhaustiveLimit: Int
    public var selection: String
    public var pCorrectSelection: Double?
    public var indifference: Double
    public var trialsSpent: Int
    public var equalAllocationTrials: Int
    /// The recommended plan (the first of `plans`), nil when no plan meets the constraints.
    public var recommended: Plan?
    /// The recommended plan on fresh, independent trials.
    public var outOfSample: OutOfSample?
    /// The recommended plan as a strategy to paste under `strategies:`.
    public var strategyYAML: String?
    public var plans: [Plan]
    /// When no plan meets the constraints: the plans within budget that miss them least.
    public var nearestMisses: [Plan]
    public var frontier: [FrontierPoint]
    public var limits: [Limit]

    public init(_ result: PlanResult) {
        let scenario = result.scenario
        let spec = result.spec
        func plan(_ index: Int, rank: Int) -> Plan {
            let candidate = result.candidates[index]
            return Plan(
                rank: rank,
                name: candidate.name,
                interventions: scenario.descriptions(of: candidate.strategy),
                cost: candidate.cost?.mean,
                costRange: candidate.cost.flatMap { $0.isUncertain ? $0 : nil },
                withinBudget: candidate.withinBudget,
                meetsConstraints: candidate.meetsConstraints,
                misses: candidate.misses,
                objective: Estimate(
                    mean: candidate.mean,
                    stdErr: candidate.stdErr,
                    trials: candidate.trials,
                    firstTrial: candidate.firstTrial
                ),
                pBest: candidate.pBest,
                eliminated: candidate.eliminated,
                sameAsChosen: candidate.sameAsChosen,
                reps: scenario.reps.indices.map {
                    RepOutcome(
                        name: scenario.reps[$0].name,
                        pEligible: candidate.pEligible[$0],
                        baselinePEligible: candidate.baselineEligible[$0],
                        pAtTarget: candidate.pAtTarget[$0],
                        baselinePAtTarget: candidate.baselineAtTarget[$0]
                    )
                }
            )
        }
        self.scenario = scenario.name
        file = scenario.file
        rules = scenario.rules.name
        seed = result.seed
        generator = result.generator.rawValue
        objective = spec.objective.wording + (scenario.timeline.map { " \($0.horizonWording)" } ?? "")
        switch spec.objective {
        case .repsAtLeast: objectiveKind = "repsAtLeast"
        case .pRepsAtLeast: objectiveKind = "pRepsAtLeast"
        case .meanScore: objectiveKind = "meanScore"
        case .teamAtLeast: objectiveKind = "teamAtLeast"
        }
        targetBand = result.targetBand
        budget = spec.budget.map { Budget(limit: $0, on: spec.budgetOn.rawValue) }
        var constraints = [
            "each rep eligible in at least \(Format.percent(spec.eligible)) of trials"
                + (spec.eligibleLocation == nil
                    ? " (the default), or in as many as under the baseline when that is fewer" : "")
                + (spec.allowIneligible.isEmpty ? "" : " (except \(spec.allowIneligible.joined(separator: ", ")))")
        ]
        if let drop = spec.maxDrop {
            constraints.append(
                "no rep's P(\(result.targetBand) or better) falls by more than \(Format.points(drop)) points"
            )
        }
        self.constraints = constraints
        search = result.search
        candidates = Int(result.spaceSize)
        exhaustiveLimit = PlanResult.exhaustiveLimit
        selection = result.selectionStatement
        pCorrectSelection = result.pCorrectSelection
        indifference = result.indifference
        trialsSpent = result.trialsSpent
        equalAllocationTrials = result.equalAllocationTrials
        let ranked = result.candidates.indices.filter {
            result.candidates[$0].withinBudget && result.candidates[$0].meetsConstraints
        }
        plans = ranked.prefix(spec.top).enumerated().map { plan($1, rank: $0 + 1) }
        recommended = result.winner.map { plan($0, rank: 1) }
        if result.winner == nil {
            let misses = result.candidates.indices.filter { result.candidates[$0].withinBudget }
                .sorted { result.candidates[$0].shortfall < result.candidates[$1].shortfall }
            nearestMisses = misses.prefix(spec.top).enumerated().map { plan($1, rank: $0 + 1) }
        } else {
            nearestMisses = []
        }
        outOfSample = result.outOfSample.map {
            OutOfSample(
                objective: Estimate(mean: $0.mean, stdErr: $0.stdErr, trials: $0.trials, firstTrial: $0.firstTrial),
                baseline: $0.baselineMean
            )
        }
        strategyYAML = result.winner.flatMap {
            result.candidates[$0].strategy.applications.isEmpty
                ? nil : Self.yaml(result.candidates[$0].strategy, scenario: scenario)
        }
        frontier = result.frontier.map {
            let candidate = result.candidates[$0]
            return FrontierPoint(
                cost: candidate.budgetCost,
                objective: candidate.mean,
                stdErr: candidate.stdErr,
                name: candidate.name
            )
        }
        limits = result.limits.map { Limit(rep: $0.rep, kind: $0.kind, explanation: $0.explanation) }
    }

    /// `- {name: recommended plan, apply: [tokens, {intervention: verify, reps: [ben]}]}`.
    static func yaml(_ strategy: Strategy, scenario: Scenario) -> String {
        let quoted = Format.yamlScalar
        let items = strategy.applications.map { application -> String in
            let name = quoted(scenario.interventions[application.intervention].name)
            var parts: [String] = []
            if let reps = application.reps { parts.append("reps: [\(reps.map(quoted).joined(separator: ", "))]") }
            if let sequences = application.sequences {
                parts.append("sequences: [\(sequences.map(quoted).joined(separator: ", "))]")
            }
            return parts.isEmpty ? name : "{intervention: \(name), \(parts.joined(separator: ", "))}"
        }
        return "- {name: recommended plan, apply: [\(items.joined(separator: ", "))]}"
    }
}

extension PlanReport {
    /// Writes every key, with null for what is missing (no recommended plan, no budget), so that
    /// readers need not test for keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(file, forKey: .file)
        try container.encode(rules, forKey: .rules)
        try container.encode(seed, forKey: .seed)
        try container.encode(generator, forKey: .generator)
        try container.encode(objective, forKey: .objective)
        try container.encode(objectiveKind, forKey: .objectiveKind)
        try container.encode(targetBand, forKey: .targetBand)
        try container.encode(budget, forKey: .budget)
        try container.encode(constraints, forKey: .constraints)
        try container.encode(search, forKey: .search)
        try container.encode(candidates, forKey: .candidates)
        try container.encode(exhaustiveLimit, forKey: .exhaustiveLimit)
        try container.encode(selection, forKey: .selection)
        try container.encode(pCorrectSelection, forKey: .pCorrectSelection)
        try container.encode(indifference, forKey: .indifference)
        try container.encode(trialsSpent, forKey: .trialsSpent)
        try container.encode(equalAllocationTrials, forKey: .equalAllocationTrials)
        try container.encode(recommended, forKey: .recommended)
        try container.encode(outOfSample, forKey: .outOfSample)
        try container.encode(strategyYAML, forKey: .strategyYAML)
        try container.encode(plans, forKey: .plans)
        try container.encode(nearestMisses, forKey: .nearestMisses)
        try container.encode(frontier, forKey: .frontier)
        try container.encode(limits, forKey: .limits)
    }
}

extension PlanReport.Plan {
    /// Writes every key, with null for a missing cost, cost range or P(best).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(name, forKey: .name)
        try container.encode(interventions, forKey: .interventions)
        try container.encode(cost, forKey: .cost)
        try container.encode(costRange, forKey: .costRange)
        try container.encode(withinBudget, forKey: .withinBudget)
        try container.encode(meetsConstraints, forKey: .meetsConstraints)
        try container.encode(misses, forKey: .misses)
        try container.encode(objective, forKey: .objective)
        try container.encode(pBest, forKey: .pBest)
        try container.encode(eliminated, forKey: .eliminated)
        try container.encode(sameAsChosen, forKey: .sameAsChosen)
        try container.encode(reps, forKey: .reps)
    }
}
