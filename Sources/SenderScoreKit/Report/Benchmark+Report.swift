import Foundation

extension Benchmark {
    /// The benchmark of `senderscore bench`: the engine on one thread and on `threads`, and a
    /// trial with 100 completed enrollments per rep against one with 100,000. Each line of the
    /// report goes to `report` as soon as its measurement is done. The runs estimate band
    /// probabilities with `estimator`.
    public static func run(
        _ scenario: Scenario,
        trials: Int,
        repeats: Int,
        threads: Int,
        estimator: BandEstimator = .counts,
        report: (String) -> Void
    ) async throws(ScenarioError) {
        let plan = SimulationPlan(scenario)
        func options(_ threads: Int) -> SimulationOptions {
            var options = SimulationOptions(
                trials: trials,
                seed: 1,
                generator: scenario.generator ?? .default,
                threads: threads
            )
            options.bandEstimator = estimator
            return options
        }
        report("senderscore bench: \(scenario.file), \(Format.count(trials)) trials, best of \(repeats)")
        report("machine: \(machine()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        report(
            "plan: \(plan.levels.count) levels, \(plan.laneCount) random lanes"
                + (plan.estimating(with: options(1)).estimatesBandsConditionally ? ", conditional band estimates" : "")
        )
        let single = try await measure(plan, options: options(1), repeats: repeats)
        report(line("1 thread", single))
        if threads > 1 {
            let parallel = try await measure(plan, options: options(threads), repeats: repeats)
            report(
                line("\(threads) threads", parallel)
                    + Format.c("  (speed-up %.2f×)", single.seconds / parallel.seconds)
            )
        }
        let small = try await measure(
            SimulationPlan(scenario.withCompleted(perRep: 100)),
            options: options(1),
            repeats: repeats
        )
        let large = try await measure(
            SimulationPlan(scenario.withCompleted(perRep: 100_000)),
            options: options(1),
            repeats: repeats
        )
        report(line("100 per rep", small))
        report(line("100,000 per rep", large))
        report(
            String(
                format: "volume scaling: a trial with 100,000 completed per rep costs %.2f× one with 100",
                large.seconds / small.seconds
            )
        )
    }

    static func line(_ label: String, _ m: Measurement) -> String {
        label.padding(toLength: 18, withPad: " ", startingAt: 0)
            + String(
                format: "%12.0f trials/s  %8.0f ns/trial  %7.3f s",
                m.trialsPerSecond,
                m.nanosecondsPerTrial,
                m.seconds
            )
    }

    /// The processor's name, from /proc/cpuinfo.
    static func machine() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let name = line.split(separator: ":", maxSplits: 1).last
        else { return "unknown CPU" }
        return name.trimmingCharacters(in: .whitespaces)
    }
}
