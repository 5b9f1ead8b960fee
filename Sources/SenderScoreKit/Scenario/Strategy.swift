/// A named set of interventions, each optionally limited to some reps or sequences.
public struct Strategy: Sendable, Hashable, Encodable {
    public struct Application: Sendable, Hashable, Encodable {
        /// Index into `Scenario.interventions`.
        public var intervention: Int
        /// Rep names it applies to; nil for every rep.
        public var reps: [String]? { didSet { repSet = reps.map(Set.init) } }
        /// Sequence names it applies to; nil for every sequence.
        public var sequences: [String]? { didSet { sequenceSet = sequences.map(Set.init) } }
        /// `reps` and `sequences` as sets: `applies` is asked for every cohort, and a strategy may
        /// list thousands of reps.
        private var repSet: Set<String>?
        private var sequenceSet: Set<String>?

        enum CodingKeys: String, CodingKey {
            case intervention, reps, sequences
        }

        public init(intervention: Int, reps: [String]? = nil, sequences: [String]? = nil) {
            self.intervention = intervention
            self.reps = reps
            self.sequences = sequences
            repSet = reps.map(Set.init)
            sequenceSet = sequences.map(Set.init)
        }

        public func applies(rep: String, sequence: String) -> Bool {
            (repSet?.contains(rep) ?? true) && (sequenceSet?.contains(sequence) ?? true)
        }
    }

    public var name: String
    public var applications: [Application]

    public init(name: String, applications: [Application]) {
        self.name = name
        self.applications = applications
    }

    /// The implicit strategy of every scenario: nothing changes.
    public static let baselineName = "baseline"
}
