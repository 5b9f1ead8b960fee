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

    public init(
        name: String,
        kind: Kind,
        effect: Parameter? = nil,
        unsubscribeHazard: Parameter? = nil,
        coverage: Parameter = .fixed(1),
        matchedSegments: [Int] = [],
        dropUnmatched: Bool = false,
        cost: Double? = nil
    ) {
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
