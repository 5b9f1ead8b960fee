/// Sub-populations of a segment that list cleaning acts on.
public enum ContactKind: String, Sendable, Hashable, CaseIterable, Encodable {
    /// Contacts unlikely to engage (no opens or replies in a long while).
    case unengaged
    /// Contacts whose address bounced before.
    case previouslyBounced
    /// Contacts who asked not to be contacted.
    case optedOut
    /// Contacts whose address comes from an unverified source (bought, scraped, guessed).
    case unverified

    /// The group in prose: "previously bounced" in "the previously bounced contacts".
    public var words: String {
        switch self {
        case .unengaged: return "unengaged"
        case .previouslyBounced: return "previously bounced"
        case .optedOut: return "opted-out"
        case .unverified: return "unverified"
        }
    }

    /// A group's rate when the scenario gives only its share. These are assumptions, documented
    /// in docs/levers.md: a value is either absolute or a multiple of the regular contacts' rate.
    public var defaultBounce: Scenario.GroupRate {
        switch self {
        case .unengaged: return .times(2)  // stale addresses decay (23–28% a year)
        case .previouslyBounced: return .absolute(.fixed(0.85))  // a hard-bounced address mostly bounces again
        case .optedOut: return .times(1)
        case .unverified: return .absolute(.fixed(0.15))  // unverified lists: often 10–20% invalid
        }
    }

    public var defaultReply: Scenario.GroupRate {
        switch self {
        case .unengaged: return .times(0.25)
        case .previouslyBounced: return .times(1)
        case .optedOut: return .times(0.1)
        case .unverified: return .times(1)
        }
    }

    public var defaultUnsubscribe: Scenario.GroupRate {
        switch self {
        case .unengaged: return .times(2)
        case .previouslyBounced: return .times(1)
        case .optedOut: return .absolute(.fixed(0.5))  // they asked not to be emailed
        case .unverified: return .times(1)
        }
    }
}
