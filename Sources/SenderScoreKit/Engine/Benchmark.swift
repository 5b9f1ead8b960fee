import Foundation

/// Timing of whole simulations, for `senderscore bench`. Figures are wall-clock seconds of the
/// engine alone (reading the scenario and writing the report are not timed).
public enum Benchmark {
    public struct Measurement: Sendable {
        public var trials: Int
        public var threads: Int
        /// The best of the repeats, in seconds.
        public var seconds: Double
        public var trialsPerSecond: Double { Double(trials) / seconds }
        public var nanosecondsPerTrial: Double { seconds * 1e9 / Double(trials) }
    }

    /// Runs `plan` `repeats` times and keeps the fastest run.
    public static func measure(
        _ plan: SimulationPlan,
        options: SimulationOptions,
        repeats: Int
    ) async throws -> Measurement {
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = ContinuousClock.now
            _ = try await Simulation.run(plan, options: options)
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return Measurement(trials: options.trials, threads: options.threads, seconds: best)
    }
}

extension Scenario {
    /// The same scenario with every rep completing exactly `perRep` enrollments, split over the
    /// rep's enrollment lines in proportion to their mean volumes. For the scaling benchmark.
    public func withCompleted(perRep: Int) -> Scenario {
        var copy = self
        for repIndex in copy.reps.indices {
            let means = copy.reps[repIndex].enrollments.map(\.completed.mean)
            let total = max(means.reduce(0, +), 1)
            var assigned = 0
            for lineIndex in copy.reps[repIndex].enrollments.indices {
                let isLast = lineIndex == copy.reps[repIndex].enrollments.count - 1
                let count = isLast ? perRep - assigned : Int((Double(perRep) * means[lineIndex] / total).rounded())
                copy.reps[repIndex].enrollments[lineIndex].completed = .fixed(max(0, count))
                assigned += count
            }
        }
        return copy
    }
}
