/// Sub-populations of a segment that list cleaning acts on.
public enum ContactKind: String, Sendable, Hashable, CaseIterable {
    /// Contacts unlikely to engage (no opens or replies in a long while).
    case unengaged
    /// Contacts whose address bounced before.
    case previouslyBounced
    /// Contacts who asked not to be contacted.
    case optedOut
    /// Contacts whose address comes from an unverified source (bought, scraped, guessed).
    case unverified

    /// The intervention kind that removes or fixes this sub-population.
    public var cleanedBy: Intervention.Kind {
        switch self {
        case .unengaged: return .filterUnengaged
        case .previouslyBounced: return .removeBounced
        case .optedOut: return .suppressOptOuts
        case .unverified: return .verification
        }
    }

    /// Default behaviour when a scenario gives only a share. These are assumptions, documented in
    /// docs/levers.md: a value is either absolute or a multiple of the segment's own rate.
    public enum Default: Sendable, Hashable {
        case absolute(Double)
        case timesSegment(Double)
    }

    public var defaultBounce: Default {
        switch self {
        case .unengaged: return .timesSegment(2)          // stale addresses decay (23–28% a year)
        case .previouslyBounced: return .absolute(0.85)   // a hard-bounced address mostly bounces again
        case .optedOut: return .timesSegment(1)
        case .unverified: return .absolute(0.15)          // unverified lists: often 10–20% invalid
        }
    }

    public var defaultReply: Default {
        switch self {
        case .unengaged: return .timesSegment(0.25)
        case .previouslyBounced: return .timesSegment(1)
        case .optedOut: return .timesSegment(0.1)
        case .unverified: return .timesSegment(1)
        }
    }

    public var defaultUnsubscribe: Default {
        switch self {
        case .unengaged: return .timesSegment(2)
        case .previouslyBounced: return .timesSegment(1)
        case .optedOut: return .absolute(0.5)             // they asked not to be emailed
        case .unverified: return .timesSegment(1)
        }
    }
}

extension Scenario {
    /// A sub-population of a segment with its own behaviour; `nil` rates take the kind's default.
    public struct ContactGroup: Sendable, Hashable {
        public var kind: ContactKind
        /// Share of the segment's enrollments, 0 to 1.
        public var share: Double
        public var bounce: Parameter?
        public var reply: Parameter?
        public var unsubscribe: Parameter?

        public init(kind: ContactKind, share: Double, bounce: Parameter? = nil, reply: Parameter? = nil,
                    unsubscribe: Parameter? = nil) {
            self.kind = kind
            self.share = share
            self.bounce = bounce
            self.reply = reply
            self.unsubscribe = unsubscribe
        }
    }

    /// A sequence's emails. Without steps a sequence is one step.
    ///
    /// Each step says which share of the sequence's replies, and of its unsubscribes, happen at
    /// that step. With the segment's overall rates these fix the per-step hazards, so the sequence
    /// as written reproduces the segment's rates exactly, and what-ifs that add or drop a step
    /// change them.
    public struct EmailSequence: Sendable, Hashable {
        public struct Step: Sendable, Hashable {
            public var name: String?
            public var replyShare: Double
            public var unsubscribeShare: Double

            public init(name: String? = nil, replyShare: Double, unsubscribeShare: Double) {
                self.name = name
                self.replyShare = replyShare
                self.unsubscribeShare = unsubscribeShare
            }
        }

        public var name: String
        public var steps: [Step]

        public init(name: String, steps: [Step]) {
            self.name = name
            self.steps = steps
        }

        /// One step that carries every reply and unsubscribe.
        public static func singleStep(_ name: String) -> EmailSequence {
            EmailSequence(name: name, steps: [Step(replyShare: 1, unsubscribeShare: 1)])
        }
    }
}

/// One of the help article's levers, with an uncertain effect.
public struct Intervention: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Personalization tokens in the templates: a reply multiplier.
        case personalization
        /// Relevant, industry- or business-specific content: a reply multiplier.
        case content
        /// Sequences matched to segments: a reply multiplier on matched segments, optionally
        /// dropping the others.
        case segmentation
        /// Remove contacts that bounced before.
        case removeBounced
        /// Leave out unengaged contacts.
        case filterUnengaged
        /// Do not email contacts who opted out.
        case suppressOptOuts
        /// Addresses from verified sources / address verification: invalid addresses are caught
        /// before sending.
        case verification
        /// Add a follow-up email at the end of the sequence.
        case addFollowUp
        /// Drop the last email of the sequence.
        case dropLastStep

        /// The sub-population a cleaning kind acts on.
        public var cleans: ContactKind? {
            ContactKind.allCases.first { $0.cleanedBy == self }
        }

        public var isReplyMultiplier: Bool {
            self == .personalization || self == .content || self == .segmentation
        }
    }

    public var name: String
    public var kind: Kind
    /// `replyLift` for reply multipliers, `efficacy` for cleaning, `replyHazard` for a follow-up.
    public var effect: Parameter?
    /// For a follow-up: its unsubscribe hazard relative to the last step's.
    public var unsubscribeHazard: Parameter?
    /// Share of the enrollments in scope that the intervention reaches.
    public var coverage: Parameter
    /// For segmentation: the segments the sequence is matched to (indices into `segments`).
    public var matchedSegments: [Int]
    /// For segmentation: leave out enrollments from the other segments.
    public var dropUnmatched: Bool
    /// What applying it once costs, in the user's own unit.
    public var cost: Double?

    public init(name: String, kind: Kind, effect: Parameter? = nil, unsubscribeHazard: Parameter? = nil,
                coverage: Parameter = .fixed(1), matchedSegments: [Int] = [], dropUnmatched: Bool = false,
                cost: Double? = nil) {
        self.name = name
        self.kind = kind
        self.effect = effect
        self.unsubscribeHazard = unsubscribeHazard
        self.coverage = coverage
        self.matchedSegments = matchedSegments
        self.dropUnmatched = dropUnmatched
        self.cost = cost
    }
}

/// A named set of interventions, each optionally limited to some reps or sequences.
public struct Strategy: Sendable, Hashable {
    public struct Application: Sendable, Hashable {
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
