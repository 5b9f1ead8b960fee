/// A scenario's `plan:` section: what `senderscore plan` optimises, under which constraints,
/// over which decisions. See docs/planning.md.
public struct PlanSpec: Sendable, Hashable, Encodable {
    /// What a plan is judged by; every objective is an expectation over trials.
    public enum Objective: Sendable, Hashable, Codable {
        /// The expected number of reps at or above a band.
        case repsAtLeast(band: String)
        /// P(at least `count` reps at or above a band).
        case pRepsAtLeast(band: String, count: Int)
        /// The mean score of a set of reps (nil: every rep); an ineligible rep scores 0.
        case meanScore(reps: [String]?)
        /// P(the team's pooled counts score at or above a band).
        case teamAtLeast(band: String)

        /// The objective's band, when it has one.
        public var band: String? {
            switch self {
            case .repsAtLeast(let band), .pRepsAtLeast(let band, _), .teamAtLeast(let band): return band
            case .meanScore: return nil
            }
        }

        /// "expected reps at Good or better", for reports.
        public var wording: String {
            switch self {
            case .repsAtLeast(let band): return "expected number of reps at \(band) or better"
            case .pRepsAtLeast(let band, let count):
                return "P(at least \(count) rep\(count == 1 ? "" : "s") at \(band) or better)"
            case .meanScore(let reps):
                return "mean score of " + (reps.map { $0.joined(separator: ", ") } ?? "every rep")
                    + " (an ineligible rep scores 0)"
            case .teamAtLeast(let band): return "P(the team at \(band) or better)"
            }
        }

        /// Whether the objective is a probability (its indifference zone is then in points of one).
        public var isProbability: Bool {
            switch self {
            case .pRepsAtLeast, .teamAtLeast: return true
            case .repsAtLeast, .meanScore: return false
            }
        }

        /// The names of the objectives, as `plan.objective` spells them.
        public static let names = ["repsAtLeast", "pRepsAtLeast", "meanScore", "teamAtLeast"]
    }

    /// How an intervention may be chosen: for the whole team, or rep by rep, or line by line.
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable {
        case team, rep, sequence
    }

    /// One intervention the plan may use.
    public struct Lever: Sendable, Hashable, Codable {
        /// Index into `Scenario.interventions`.
        public var intervention: Int
        public var scope: Scope
        public init(intervention: Int, scope: Scope) {
            self.intervention = intervention
            self.scope = scope
        }
    }

    /// Which cost a budget limits.
    public enum BudgetBasis: String, Sendable, Hashable, Codable, CaseIterable {
        /// The expected cost.
        case expected
        /// The high end of the cost's 95% range (the worst case when volume is uncertain).
        case high
    }

    public var objective: Objective
    public var budget: Double?
    public var budgetOn: BudgetBasis = .expected
    /// Each rep's P(eligible) must be at least this. Given in the file, it binds as written (a
    /// rep below it under the baseline makes the plan infeasible); by default (0.9) a rep below
    /// it under the baseline must only stay as eligible as there.
    public var eligible: Double = 0.9
    /// Where the file gives `eligible`; nil for the default.
    public var eligibleLocation: ScenarioError.Location?
    /// Reps the eligibility constraint leaves out.
    public var allowIneligible: [String] = []
    /// When set, no rep's P(at the target band or better) may fall by more than this.
    public var maxDrop: Double?
    /// The decision space; empty means every intervention of the scenario, team-wide.
    public var levers: [Lever]
    /// The stated probability of a correct selection.
    public var confidence: Double = 0.95
    /// The indifference zone, in the objective's units; nil for the objective's default.
    public var indifference: Double?
    /// Trials of the first stage (variances, screening, search).
    public var firstStage: Int = 1000
    /// The most trials any candidate gets.
    public var maxTrials: Int = 50_000
    /// Fresh trials the winner is re-run on.
    public var outOfSample: Int = 10_000
    /// Ranked plans to report.
    public var top: Int = 5

    public init(objective: Objective, levers: [Lever]) {
        self.objective = objective
        self.levers = levers
    }

    /// The ranges the selection's trial counts and the ranked plans may take.
    public static let firstStageRange = 100...1_000_000
    public static let maxTrialsRange = 100...100_000_000
    public static let outOfSampleRange = 0...100_000_000
    public static let topRange = 1...100

    /// What is wrong with a stated probability of a correct selection, if anything.
    public static func confidenceProblem(_ value: Double) -> String? {
        value > 0.5 && value < 1
            ? nil : "a confidence is above 0.5 and below 1 (0.95 is usual), found \(Format.number(value))"
    }

    /// What is wrong with an indifference zone, if anything.
    public static func indifferenceProblem(_ value: Double) -> String? {
        value.isFinite && value > 0 ? nil : "an indifference zone is a number above 0, found \(Format.number(value))"
    }

    /// The smallest choices a lever offers: the intervention team-wide, for one rep, or for one
    /// enrollment line (rep and sequence) of a rep.
    public static func units(of lever: Lever, in scenario: Scenario) -> [Strategy.Application] {
        switch lever.scope {
        case .team:
            return [Strategy.Application(intervention: lever.intervention)]
        case .rep:
            return scenario.reps.map { Strategy.Application(intervention: lever.intervention, reps: [$0.name]) }
        case .sequence:
            return scenario.reps.flatMap { rep in
                rep.sequences.map {
                    Strategy.Application(intervention: lever.intervention, reps: [rep.name], sequences: [$0])
                }
            }
        }
    }

    /// The indifference zone used: the one given, else 0.05 reps, 1 point of probability, or 1
    /// score point.
    public var indifferenceZone: Double {
        if let indifference { return indifference }
        switch objective {
        case .repsAtLeast: return 0.05
        case .pRepsAtLeast, .teamAtLeast: return 0.01
        case .meanScore: return 1
        }
    }
}
