/// One kind of intervention, described once: its name in scenario files, the effect family the
/// engine applies, which enrollments it reaches, and the lever it stands for.
///
/// The scenario reader (keys and value domains), the plan builder (effects per cohort), the
/// strategy descriptions in reports and the key table of docs/levers.md all come from `all`. A
/// new lever of an existing family, say another reply multiplier, is one more entry below.
public struct InterventionKind: Sendable, Hashable, CustomStringConvertible, Encodable {
    /// What the engine does with an intervention's value: a closed set of mechanisms, each
    /// implemented once in `TrialRunner`.
    public enum Family: Sendable, Hashable, CaseIterable {
        /// The covered share replies with probability reply × `replyLift`; 1 changes nothing.
        case replyMultiplier
        /// The covered share × `efficacy` of the enrollments reached is not made; 0 changes nothing.
        case removal
        /// The covered share × `efficacy` of the would-be bounces among the enrollments reached is
        /// caught before sending, and those enrollments are not made.
        case catchBounces
        /// A new last email whose hazards are `replyHazard` and `unsubscribeHazard` times the last
        /// email's, taken by the covered share.
        case addStep
        /// The covered share skips the last email.
        case dropStep
    }

    /// Which of the enrollments in a strategy's scope an intervention reaches.
    public enum Reach: Sendable, Hashable {
        /// Every enrollment.
        case everyEnrollment
        /// Enrollments from the segments it lists under `segments`; with `dropUnmatched: true` the
        /// covered share of the other segments' enrollments is not made.
        case listedSegments
        /// The enrollments of one contact group.
        case contacts(ContactKind)
    }

    /// A key of the intervention's mapping in a scenario file.
    public struct Key: Sendable, Hashable {
        public let name: String
        /// The range of a parameter's values; nil for keys that are not parameters.
        public let domain: Parameter.Domain?
        public let isRequired: Bool
        /// What it holds, for docs: "a multiplier, default 1".
        public let meaning: String
    }

    /// The name in scenario files: `personalization`.
    public let name: String
    public let family: Family
    public let reach: Reach
    /// The lever it stands for, for docs.
    public let lever: String

    public var description: String { name }

    public static func == (lhs: InterventionKind, rhs: InterventionKind) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Encoded as its name: the descriptor is code, not data.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    // MARK: The kinds

    public static let personalization = InterventionKind(
        name: "personalization",
        family: .replyMultiplier,
        reach: .everyEnrollment,
        lever: "personalization tokens in the email templates (reply rate up, #1)"
    )
    public static let content = InterventionKind(
        name: "content",
        family: .replyMultiplier,
        reach: .everyEnrollment,
        lever: "relevant, industry- or business-specific content (reply rate up, #3)"
    )
    public static let segmentation = InterventionKind(
        name: "segmentation",
        family: .replyMultiplier,
        reach: .listedSegments,
        lever: "sequences matched to segments (reply rate up, #2)"
    )
    public static let removeBounced = InterventionKind(
        name: "removeBounced",
        family: .removal,
        reach: .contacts(.previouslyBounced),
        lever: "remove contacts that bounced before (bounce rate down, #2)"
    )
    public static let filterUnengaged = InterventionKind(
        name: "filterUnengaged",
        family: .removal,
        reach: .contacts(.unengaged),
        lever: "leave out unengaged contacts (bounce rate down, #1)"
    )
    public static let suppressOptOuts = InterventionKind(
        name: "suppressOptOuts",
        family: .removal,
        reach: .contacts(.optedOut),
        lever: "do not email contacts who asked not to be contacted (bounce rate down, #3)"
    )
    public static let verification = InterventionKind(
        name: "verification",
        family: .catchBounces,
        reach: .contacts(.unverified),
        lever: "addresses from verified sources, or verified before sending (bounce rate down, #4)"
    )
    public static let addFollowUp = InterventionKind(
        name: "addFollowUp",
        family: .addStep,
        reach: .everyEnrollment,
        lever: "one more email at the end of the sequence"
    )
    public static let dropLastStep = InterventionKind(
        name: "dropLastStep",
        family: .dropStep,
        reach: .everyEnrollment,
        lever: "one email fewer: the sequence's last"
    )

    /// Every kind, in the order messages and docs list them.
    public static let all: [InterventionKind] = [
        .personalization, .content, .segmentation, .removeBounced, .filterUnengaged, .suppressOptOuts, .verification,
        .addFollowUp, .dropLastStep,
    ]

    public static func named(_ name: String) -> InterventionKind? {
        all.first { $0.name == name }
    }

    // MARK: Keys

    /// The keys every kind takes.
    public static let commonKeys: [Key] = [
        Key(name: "kind", domain: nil, isRequired: true, meaning: "the kind"),
        Key(name: "description", domain: nil, isRequired: false, meaning: "free text"),
        Key(name: "coverage", domain: .probability, isRequired: false, meaning: "the share reached, default 1"),
        Key(
            name: "cost",
            domain: nil,
            isRequired: false,
            meaning: "in your own unit: a number, or {fixed, perRep, perEnrollment}"
        ),
        Key(
            name: "start",
            domain: nil,
            isRequired: false,
            meaning: "with a timeline: the period it starts in, default 1"
        ),
        Key(
            name: "ramp",
            domain: nil,
            isRequired: false,
            meaning: "with a timeline: the share of its effect in its first periods, then 1"
        ),
    ]

    /// The key that holds the effect's size, if the family has one.
    public var valueKey: Key? {
        switch family {
        case .replyMultiplier:
            return Key(name: "replyLift", domain: .multiplier, isRequired: true, meaning: "a multiplier")
        case .removal, .catchBounces:
            return Key(name: "efficacy", domain: .probability, isRequired: true, meaning: "a probability")
        case .addStep:
            return Key(name: "replyHazard", domain: .multiplier, isRequired: false, meaning: "a multiplier, default 1")
        case .dropStep:
            return nil
        }
    }

    /// For a follow-up, its unsubscribe hazard relative to the last email's.
    public var secondKey: Key? {
        family == .addStep
            ? Key(name: "unsubscribeHazard", domain: .multiplier, isRequired: false, meaning: "a multiplier, default 1")
            : nil
    }

    /// The keys that say what it reaches.
    public var reachKeys: [Key] {
        guard reach == .listedSegments else { return [] }
        return [
            Key(name: "segments", domain: nil, isRequired: true, meaning: "segment names"),
            Key(name: "dropUnmatched", domain: nil, isRequired: false, meaning: "true or false, default false"),
        ]
    }

    /// The keys of this kind's own, after the common ones.
    public var ownKeys: [Key] { [valueKey, secondKey].compactMap { $0 } + reachKeys }

    /// Every key this kind takes, in the order messages list them.
    public var keys: [String] { (Self.commonKeys + ownKeys).map(\.name) }

    /// Every key of any kind: what an intervention may hold before its kind is known.
    public static var allKeys: [String] {
        var names = commonKeys.map(\.name)
        let own = all.flatMap { [$0.valueKey, $0.secondKey].compactMap { $0 } } + all.flatMap(\.reachKeys)
        for key in own where !names.contains(key.name) { names.append(key.name) }
        return names
    }

    // MARK: Wording

    /// What the effect's size means in a strategy's description, with the values as written:
    /// ", reply × triangular(1, 1.2, 1.5)"; an intervention without one changes nothing. `second`
    /// is a follow-up's unsubscribe hazard factor.
    func effectWording(_ value: Parameter?, second: Parameter? = nil) -> String {
        switch family {
        case .replyMultiplier: return ", reply × \(value?.description ?? "1")"
        case .removal, .catchBounces: return ", efficacy \(value?.description ?? "0")"
        case .addStep:
            return ", reply hazard × \(value?.description ?? "1") and unsubscribe hazard × "
                + "\(second?.description ?? "1") of the last email's"
        case .dropStep: return ""
        }
    }

    /// What it does to the enrollments in a strategy's scope, for docs/levers.md.
    public var mechanism: String {
        let reached: String
        switch reach {
        case .everyEnrollment, .listedSegments: reached = "the covered share"
        case .contacts(let contacts): reached = "the covered share of the \(contacts.words) contacts"
        }
        var text: String
        switch family {
        case .replyMultiplier: text = "\(reached) replies with probability reply × `replyLift`"
        case .removal: text = "`efficacy` of \(reached) is not enrolled"
        case .catchBounces:
            text = "`efficacy` of the would-be bounces among \(reached) is caught before sending and not enrolled"
        case .addStep:
            text =
                "a new last email, taken by \(reached), whose hazards are `replyHazard` and `unsubscribeHazard` "
                + "times the last email's"
        case .dropStep:
            text =
                "\(reached) skips the last email (at most once per strategy and sequence; not on one-email sequences)"
        }
        if reach == .listedSegments {
            text +=
                ", for enrollments from the listed `segments`; with `dropUnmatched: true` the covered share of the "
                + "other segments' enrollments is not made"
        }
        return text
    }

    /// The table of kinds and keys in docs/levers.md, which a test keeps equal to this.
    public static var documentationTable: String {
        var lines = ["| kind | keys | lever | what it does to the enrollments in scope |", "|---|---|---|---|"]
        for kind in all {
            let keys = kind.ownKeys.map { "`\($0.name)` (\($0.meaning))" }.joined(separator: ", ")
            lines.append("| `\(kind.name)` | \(keys.isEmpty ? "—" : keys) | \(kind.lever) | \(kind.mechanism) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
