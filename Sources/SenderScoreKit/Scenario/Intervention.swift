/// One of the help article's levers, with an uncertain effect; its kind says what it does
/// (`InterventionKind`).
public struct Intervention: Sendable, Hashable, Encodable {
    public var name: String
    public var kind: InterventionKind
    /// The size of the effect, under the kind's `valueKey`: `replyLift` for reply multipliers,
    /// `efficacy` for cleaning, `replyHazard` for a follow-up.
    public var effect: Parameter?
    /// For a follow-up: its unsubscribe hazard relative to the last step's.
    public var unsubscribeHazard: Parameter?
    /// Share of the enrollments in scope that the intervention reaches.
    public var coverage: Parameter
    /// For a kind that reaches listed segments: those segments (indices into `segments`).
    public var matchedSegments: [Int]
    /// For a kind that reaches listed segments: leave out enrollments from the other segments.
    public var dropUnmatched: Bool
    /// What applying it costs in a strategy, in the user's own unit.
    public var cost: Cost?
    /// With a timeline: the period (from 1) from which enrollments started get its effect;
    /// nil for the first.
    public var start: Int?
    /// With a timeline: the share of its effect in its first periods from `start`, then 1.
    public var ramp: [Double]?

    /// The period it starts in, from 1.
    public var startPeriod: Int { start ?? 1 }

    public init(
        name: String,
        kind: InterventionKind,
        effect: Parameter? = nil,
        unsubscribeHazard: Parameter? = nil,
        coverage: Parameter = .fixed(1),
        matchedSegments: [Int] = [],
        dropUnmatched: Bool = false,
        cost: Cost? = nil
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

    /// What it does to a cohort of `contacts` from `segment` (an index into `segments`) that its
    /// strategy's scope includes: its own family's effect, a removal (an unmatched segment it
    /// drops), or nothing.
    public func effect(onSegment segment: Int, contacts: ContactKind?) -> InterventionKind.Family? {
        switch kind.reach {
        case .everyEnrollment:
            return kind.family
        case .listedSegments:
            if matchedSegments.contains(segment) { return kind.family }
            return dropUnmatched ? .removal : nil
        case .contacts(let reached):
            return contacts == reached ? kind.family : nil
        }
    }
}
