/// A named set of interventions, each optionally limited to some reps or sequences.
public struct Strategy: Sendable, Hashable, Encodable {
    public struct Application: Sendable, Hashable, Encodable {
        /// Index into `Scenario.interventions`.
        public var intervention: Int
        /// Rep names it applies to; nil for every rep.
        public var reps: [String]?
        /// Sequence names it applies to; nil for every sequence.
        public var sequences: [String]?

        public init(intervention: Int, reps: [String]? = nil, sequences: [String]? = nil) {
            self.intervention = intervention
            self.reps = reps
            self.sequences = sequences
        }

        public func applies(rep: String, sequence: String) -> Bool {
            (reps?.contains(rep) ?? true) && (sequences?.contains(sequence) ?? true)
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
