/// What a level records from its counts alone, trial by trial: the distributions of its rates and
/// of its completed enrollments, and its replies by step.
struct CountDistributions: Hashable {
    var replyRate = RateHistogram()
    var bounceRate = RateHistogram()
    /// Unsubscribed over delivered; recorded only when the scenario models unsubscribes.
    var unsubscribeRate = RateHistogram()
    var completed = CountHistogram()
    /// Replies at each step of the sequences, summed over trials.
    var stepReplies: [Int]

    /// Empty distributions, with replies for `steps` steps.
    init(steps: Int) {
        stepReplies = Array(repeating: 0, count: steps)
    }

    init(
        replyRate: RateHistogram,
        bounceRate: RateHistogram,
        unsubscribeRate: RateHistogram,
        completed: CountHistogram,
        stepReplies: [Int]
    ) {
        self.replyRate = replyRate
        self.bounceRate = bounceRate
        self.unsubscribeRate = unsubscribeRate
        self.completed = completed
        self.stepReplies = stepReplies
    }

    /// Adds one trial's counts.
    mutating func record(
        _ counts: Counts,
        rules: RuleSet,
        unsubscribes: Bool,
        stepReplies replies: UnsafeBufferPointer<Int>
    ) {
        if unsubscribes, counts.delivered > 0 {
            unsubscribeRate.record(counts.unsubscribed, of: counts.delivered)
        }
        completed.record(counts.completed)
        let denominator = rules.replyDenominator(counts)
        if denominator > 0 {
            replyRate.record(counts.replied, of: denominator)
        }
        if counts.completed > 0 {
            bounceRate.record(counts.bounced, of: counts.completed)
        }
        stepReplies.withUnsafeMutableBufferPointer { sums in
            for step in 0..<min(sums.count, replies.count) { sums[step] += replies[step] }
        }
    }

    /// Adds `other`'s trials; it must have as many steps.
    mutating func merge(_ other: CountDistributions) {
        replyRate.merge(other.replyRate)
        bounceRate.merge(other.bounceRate)
        unsubscribeRate.merge(other.unsubscribeRate)
        completed.merge(other.completed)
        // Wrapping: a saved summary's replies are only known to be non-negative.
        for index in stepReplies.indices {
            stepReplies[index] &+= other.stepReplies[index]
        }
    }

    /// `CountDistributions` by reference, for `LevelSummary` to copy on write: it is changed only
    /// where no other summary holds it, so one that other threads can see never changes (which is
    /// why `LevelSummary` may hold it `nonisolated(unsafe)`: a `ManagedBuffer` is not `Sendable`).
    /// A `ManagedBuffer` whose header is the distributions: one allocation, changed in place
    /// through a pointer (`change`), without the run-time exclusivity check that a class's stored
    /// property costs on every change.
    final class Box: ManagedBuffer<CountDistributions, Void> {
        static func make(_ value: CountDistributions) -> Box {
            unsafeDowncast(create(minimumCapacity: 0) { _ in value }, to: Box.self)
        }

        var value: CountDistributions { withUnsafeMutablePointerToHeader { $0.pointee } }

        @inline(__always)
        func change<Result>(_ body: (inout CountDistributions) -> Result) -> Result {
            withUnsafeMutablePointerToHeader { body(&$0.pointee) }
        }
    }
}
