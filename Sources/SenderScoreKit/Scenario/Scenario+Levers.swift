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
