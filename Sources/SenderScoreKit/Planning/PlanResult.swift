/// What `senderscore plan` found: the plans it ranked, how sure it is of the winner, the
/// cost–objective frontier and what limits each rep. Reports render it (`PlanReport`).
public struct PlanResult: Sendable {
    /// One plan: a strategy built from the plan's levers, with its estimates.
    public struct Candidate: Sendable {
        public var name: String
        public var strategy: Strategy
        public var cost: StrategyCost?
        /// The cost the budget limits (0 without costs).
        public var budgetCost: Double
        public var withinBudget: Bool
        /// The trials it was evaluated on (from trial `firstTrial`), and its estimates there.
        public var firstTrial: Int
        public var trials: Int
        public var mean: Double
        public var stdErr: Double
        /// Per rep: P(eligible) and P(at the target band or better), and the baseline's on the
        /// same trials.
        public var pEligible: [Double]
        public var pAtTarget: [Double]
        public var baselineEligible: [Double]
        public var baselineAtTarget: [Double]
        /// The constraints it misses, in words; empty when it meets them all.
        public var misses: [String]
        /// How far it is from meeting them (a sum of shortfalls), for the nearest misses.
        public var shortfall: Double
        /// Eliminated by the selection procedure (or never a finalist).
        public var eliminated: Bool
        /// Estimated probability that it is the best of the ranked plans.
        public var pBest: Double?
        /// Whether it had the recommended plan's outcome in every trial both had (it differs
        /// only where it changes nothing, so the cheaper of the two is kept).
        public var sameAsChosen = false

        public var meetsConstraints: Bool { misses.isEmpty }
    }

    /// What holds a rep back, read from the rule set's band map at the rep's median rates.
    public struct RepLimit: Sendable {
        public var rep: String
        /// "bounce-bound", "reply-bound", "volume-bound" or "within reach".
        public var kind: String
        public var explanation: String
    }

    public var scenario: Scenario
    public var spec: PlanSpec
    public var seed: UInt64
    public var generator: RandomGenerator
    public var targetBand: String
    /// Every candidate evaluated, best first among those that meet the constraints and budget.
    public var candidates: [Candidate]
    /// The recommended plan, an index into `candidates`; nil when no plan meets the constraints.
    public var winner: Int?
    /// How the candidates were searched: "exhaustive" or "greedy + local search".
    public var search: String
    /// Candidates in the decision space, and the limit up to which all are evaluated.
    public var spaceSize: Double
    public static let exhaustiveLimit = 1024
    /// The stated probability of a correct selection, when the procedure supports one.
    public var pCorrectSelection: Double?
    /// The procedure and what its statement means.
    public var selectionStatement: String
    public var indifference: Double
    /// Plan-trials spent by the search and selection (not the out-of-sample re-run), and what
    /// evaluating every plan compared with equal trials to the same precision would need.
    public var trialsSpent: Int
    public var equalAllocationTrials: Int
    /// The winner (and the baseline) on fresh, independent trials.
    public var outOfSample: (trials: Int, firstTrial: Int, mean: Double, stdErr: Double, baselineMean: Double)?
    /// Indices of `candidates` on the cost–objective frontier, cheapest first.
    public var frontier: [Int]
    public var limits: [RepLimit]
}
