extension Scenario {
    /// A sub-population of a segment with its own behaviour; `nil` rates take the kind's default.
    public struct ContactGroup: Sendable, Hashable, Encodable {
        public var kind: ContactKind
        /// Share of the segment's enrollments, 0 to 1.
        public var share: Double
        public var bounce: Parameter?
        public var reply: Parameter?
        public var unsubscribe: Parameter?

        public init(
            kind: ContactKind,
            share: Double,
            bounce: Parameter? = nil,
            reply: Parameter? = nil,
            unsubscribe: Parameter? = nil
        ) {
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
    public struct EmailSequence: Sendable, Hashable, Encodable {
        public struct Step: Sendable, Hashable, Encodable {
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
