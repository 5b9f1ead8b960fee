extension Scenario {
    /// A sub-population of a segment with its own behaviour; `nil` rates take the kind's default.
    public struct ContactGroup: Sendable, Hashable, Encodable {
        public var kind: ContactKind
        /// Share of the segment's enrollments, 0 to 1.
        public var share: Double
        /// The group's own rates; nil takes the kind's default (`ContactKind.defaultBounce`, …).
        public var bounce: GroupRate?
        public var reply: GroupRate?
        public var unsubscribe: GroupRate?

        public init(
            kind: ContactKind,
            share: Double,
            bounce: GroupRate? = nil,
            reply: GroupRate? = nil,
            unsubscribe: GroupRate? = nil
        ) {
            self.kind = kind
            self.share = share
            self.bounce = bounce
            self.reply = reply
            self.unsubscribe = unsubscribe
        }

        /// The rates in force: the group's own, or its kind's defaults.
        public var bounceRate: GroupRate { bounce ?? kind.defaultBounce }
        public var replyRate: GroupRate { reply ?? kind.defaultReply }
        public var unsubscribeRate: GroupRate { unsubscribe ?? kind.defaultUnsubscribe }
    }

    /// A contact group's rate: a value of its own, or a multiple of the segment's regular
    /// contacts' rate (capped at 1).
    public enum GroupRate: Sendable, Hashable, Encodable, CustomStringConvertible {
        case absolute(Parameter)
        case times(Double)

        /// "0.85", "beta(alpha 3, beta 97)", "2 × the regular contacts'".
        public var description: String {
            switch self {
            case .absolute(let parameter): return parameter.description
            case .times(let factor): return "\(Format.number(factor)) × the regular contacts'"
            }
        }

        // An absolute rate encodes as its parameter, so that digests of scenarios written before
        // multiples existed stay the same.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .absolute(let parameter): try container.encode(parameter)
            case .times(let factor): try container.encode(["times": factor])
            }
        }
    }

    /// What a segment's own rates describe when it has contact groups.
    public enum RateBasis: String, Sendable, Hashable, Encodable, CaseIterable {
        /// All the segment's contacts, groups included: the regular contacts' rates are solved
        /// each trial so that the mixture has exactly these rates.
        case overall
        /// Only the regular contacts; the groups' rates come on top.
        case regular
    }

    /// The counts a segment was fitted from (`senderscore fit` writes them), so that a run can
    /// warn when the scenario no longer reproduces them.
    public struct Observed: Sendable, Hashable, Encodable {
        public var completed: Int
        public var bounced: Int
        public var replied: Int
        /// Nil when the export does not say who unsubscribed.
        public var unsubscribed: Int?
        /// For the rates `fit` pooled ("bounce", "reply", "unsubscribe"): the Beta posterior it
        /// fitted, which the check of the scenario against its export uses instead of the
        /// counts' own, so that pooling is not taken for drift.
        public var fitted: [String: FittedRate]

        public struct FittedRate: Sendable, Hashable, Encodable {
            public var alpha: Double
            public var beta: Double

            public init(alpha: Double, beta: Double) {
                self.alpha = alpha
                self.beta = beta
            }
        }

        public init(
            completed: Int,
            bounced: Int,
            replied: Int,
            unsubscribed: Int? = nil,
            fitted: [String: FittedRate] = [:]
        ) {
            self.completed = completed
            self.bounced = bounced
            self.replied = replied
            self.unsubscribed = unsubscribed
            self.fitted = fitted
        }

        public var delivered: Int { completed - bounced }
    }

    /// A sequence's emails. Without steps a sequence is one step.
    ///
    /// Each step says which share of the sequence's replies, and of its unsubscribes, happen at
    /// that step. With the segment's overall rates these fix the per-step hazards, so the sequence
    /// as written reproduces the segment's rates exactly, and what-ifs that add or drop a step
    /// change them.
    public struct EmailSequence: Sendable, Hashable, Encodable {
        public struct Step: Sendable, Hashable, Encodable {
            public var name: String?
            public var replyShare: Double
            public var unsubscribeShare: Double
            /// The day after enrollment the email goes out, when the file says.
            public var day: Double?

            public init(name: String? = nil, replyShare: Double, unsubscribeShare: Double, day: Double? = nil) {
                self.name = name
                self.replyShare = replyShare
                self.unsubscribeShare = unsubscribeShare
                self.day = day
            }
        }

        public var name: String
        public var steps: [Step]
        /// Days from enrollment to completion, when the file gives `completesIn`.
        public var completesIn: Double?

        public init(name: String, steps: [Step], completesIn: Double? = nil) {
            self.name = name
            self.steps = steps
            self.completesIn = completesIn
        }

        /// Days from enrollment to completion: `completesIn`, else the last step's day, else 0
        /// (an enrollment completes in the period it starts). Only a timeline uses it.
        public var durationDays: Double { completesIn ?? steps.compactMap(\.day).max() ?? 0 }

        /// One step that carries every reply and unsubscribe.
        public static func singleStep(_ name: String) -> EmailSequence {
            EmailSequence(name: name, steps: [Step(replyShare: 1, unsubscribeShare: 1)])
        }
    }
}

extension Scenario {
    /// The scenario with only the strategies named (in the file's order); the baseline always
    /// stays. With common random numbers per trial and purpose, each strategy kept gives the
    /// numbers it gives among all of them.
    ///
    /// - Throws: `ScenarioError` at the `strategy` option for a name that is no strategy.
    public func keeping(strategies names: [String]) throws(ScenarioError) -> Scenario {
        guard !names.isEmpty else { return self }
        let known = strategies.map(\.name)
        var kept: Set<String> = []
        for name in names {
            guard let match = known.first(where: { Name.key($0) == Name.key(name) }) else {
                let list =
                    known.isEmpty
                    ? "the scenario has none" : "the strategies are " + known.map(Format.quoted).joined(separator: ", ")
                throw ScenarioError(
                    option: "strategy",
                    message: "unknown strategy \(Format.quoted(name))\(Suggestion.hint(for: name, in: known)); \(list)"
                )
            }
            kept.insert(match)
        }
        var copy = self
        copy.strategies = strategies.filter { kept.contains($0.name) }
        return copy
    }
}
