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
    ) async throws(ScenarioError) -> Measurement {
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
