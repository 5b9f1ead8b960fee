/// A what-if scenario: segments of contacts, reps enrolling them in sequences, and a rule set.
///
/// Read from YAML by `Scenario.load`; see docs/scenario-format.md for the file format.
public struct Scenario: Sendable, Encodable {
    /// A population of contacts with its own bounce and reply behaviour.
    public struct Segment: Sendable, Hashable, Encodable {
        public var name: String
        /// Probability that a completed enrollment bounced.
        public var bounce: Parameter
        /// Probability that a delivered enrollment replied at least once.
        public var reply: Parameter
        /// Probability that a delivered enrollment that did not reply unsubscribed.
        public var unsubscribe: Parameter?
        /// Sub-populations that list cleaning acts on.
        public var contacts: [ContactGroup]
        /// What the rates above describe when there are contact groups: all the segment's
        /// contacts, or only the regular ones. Nil when the file does not say, which reads as
        /// `regular` (the meaning before calibration existed) with a warning.
        public var rates: RateBasis?
        /// The export counts the segment was fitted from, when `fit` wrote it.
        public var observed: Observed?

        public init(
            name: String,
            bounce: Parameter,
            reply: Parameter,
            unsubscribe: Parameter? = nil,
            contacts: [ContactGroup] = [],
            rates: RateBasis? = nil,
            observed: Observed? = nil
        ) {
            self.name = name
            self.bounce = bounce
            self.reply = reply
            self.unsubscribe = unsubscribe
            self.contacts = contacts
            self.rates = rates
            self.observed = observed
        }

        /// Whether the rates above are of all the segment's contacts (calibrated groups).
        public var isCalibrated: Bool { rates == .overall && !contacts.isEmpty }
    }

    /// A segment's share of an enrollment line's contacts.
    public struct Share: Sendable, Hashable, Encodable {
        /// Index into `segments`.
        public var segment: Int
        public var share: Double

        public init(segment: Int, share: Double) {
            self.segment = segment
            self.share = share
        }
    }

    /// One line of a rep's enrollments: how many completed in a sequence, from which segments.
    public struct Enrollment: Sendable, Hashable, Encodable {
        public var sequence: String
        public var completed: CountParameter
        /// Shares summing to 1; split among segments by a multinomial draw each trial.
        public var audience: [Share]
        /// With a timeline: the enrollments started in each period, one for every period or one
        /// for all (then equal to `completed`); nil without a timeline.
        public var perPeriod: [CountParameter]?
        /// With a timeline: the enrollments already completed in the score window when the
        /// horizon starts (from the CRM's report, or `fit`).
        public var inWindow: Counts?

        public init(
            sequence: String,
            completed: CountParameter,
            audience: [Share],
            perPeriod: [CountParameter]? = nil,
            inWindow: Counts? = nil
        ) {
            self.sequence = sequence
            self.completed = completed
            self.audience = audience
            self.perPeriod = perPeriod
            self.inWindow = inWindow
        }
    }

    public struct Rep: Sendable, Hashable, Encodable {
        public var name: String
        /// Reply multiplier for this rep's enrollments (1 when absent).
        public var skill: Parameter?
        public var enrollments: [Enrollment]

        public init(name: String, skill: Parameter? = nil, enrollments: [Enrollment]) {
            self.name = name
            self.skill = skill
            self.enrollments = enrollments
        }

        /// The rep's sequence names, in order of first appearance.
        public var sequences: [String] { enrollments.lazy.map(\.sequence).uniqued() }
    }

    /// Every sequence some rep enrolls contacts in, in order of first appearance.
    public var enrolledSequences: [String] { Self.enrolledSequences(of: reps) }

    static func enrolledSequences(of reps: [Rep]) -> [String] {
        reps.lazy.flatMap(\.enrollments).map(\.sequence).uniqued()
    }

    public var name: String
    /// The file it was read from, as the user named it.
    public var file: String
    /// The files it was read from: its own and its rules file, which no output may replace.
    public var files: [String] { [file] + (rules.file.map { [$0] } ?? []) }
    /// Trials, seed and generator from the file; flags override them.
    public var trials: Int?
    public var seed: UInt64?
    public var generator: RandomGenerator?
    public var rules: RuleSet
    public var segments: [Segment]
    public var reps: [Rep]
    /// Sequences with steps; a sequence that is not listed is one step.
    public var sequences: [EmailSequence] { didSet { sequenceIndex = sequences.firstIndices(by: \.name) } }
    /// Where each sequence is in `sequences`, by name (the first of a name): `sequence(named:)`
    /// is asked for every enrollment line.
    private var sequenceIndex: [String: Int] = [:]
    public var interventions: [Intervention]
    /// The strategies to compare with the implicit `baseline`.
    public var strategies: [Strategy]
    /// The `plan:` section, for `senderscore plan`; it changes no number of a run.
    public var plan: PlanSpec?
    /// The optional `timeline:`: periods, a score window, and when levers start.
    public var timeline: Timeline?

    public init(
        name: String,
        file: String = "",
        trials: Int? = nil,
        seed: UInt64? = nil,
        generator: RandomGenerator? = nil,
        rules: RuleSet,
        segments: [Segment],
        reps: [Rep],
        sequences: [EmailSequence] = [],
        interventions: [Intervention] = [],
        strategies: [Strategy] = []
    ) {
        self.name = name
        self.file = file
        self.trials = trials
        self.seed = seed
        self.generator = generator
        self.rules = rules
        self.segments = segments
        self.reps = reps
        self.sequences = sequences
        sequenceIndex = sequences.firstIndices(by: \.name)
        self.interventions = interventions
        self.strategies = strategies
    }

    /// Every stored property but `sequenceIndex` (derived from `sequences`). A new stored property
    /// must be listed here: the encoding is what a run's fingerprint hashes
    /// (`RunFingerprint.digest`), and one left out would not tell two runs apart.
    enum CodingKeys: String, CodingKey {
        case name, file, trials, seed, generator, rules, segments, reps, sequences, interventions, strategies, plan
        case timeline
    }

    /// The steps of a sequence by name: its definition, or one step.
    public func sequence(named name: String) -> EmailSequence {
        sequenceIndex[name].map { sequences[$0] } ?? .singleStep(name)
    }
}
