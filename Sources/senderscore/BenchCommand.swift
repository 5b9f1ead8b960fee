import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Bench: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Measure simulation speed: trials per second, thread scaling, volume scaling.",
            discussion: """
                Build in release mode first (make bench does both). Reports the best of --repeats \
                runs of the engine on one thread and on all threads, and the time of a trial with \
                100 completed enrollments per rep against one with 100,000 (count-based sampling \
                keeps this ratio close to 1).
                """
        )

        static let threadsHelp: ArgumentHelp = "Threads for the parallel measurement (default: all cores)."

        @Argument(help: "The scenario to time.")
        var scenario: String = "Scenarios/baseline.yaml"

        @Option(help: "Trials per run.")
        var trials: Int = 200_000

        @Option(help: "Runs per measurement; the fastest counts.")
        var repeats: Int = 3

        @OptionGroup var threads: ThreadOptions<Bench>

        func validate() throws {
            guard trials >= 1, repeats >= 1 else { throw ValidationError("--trials and --repeats must be at least 1") }
        }

        func run() async throws {
            try await Failure.guarding {
                let scenario = try Scenario.load(path: self.scenario)
                let cores = threads.count
                let plan = SimulationPlan(scenario)
                func options(_ threads: Int) -> SimulationOptions {
                    SimulationOptions(
                        trials: trials,
                        seed: 1,
                        generator: scenario.generator ?? .default,
                        threads: threads
                    )
                }
                print("senderscore bench: \(scenario.file), \(Format.count(trials)) trials, best of \(repeats)")
                print("machine: \(Self.machine()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
                print("plan: \(plan.levels.count) levels, \(plan.laneCount) random lanes")
                let single = try await Benchmark.measure(plan, options: options(1), repeats: repeats)
                print(Self.line("1 thread", single))
                if cores > 1 {
                    let parallel = try await Benchmark.measure(plan, options: options(cores), repeats: repeats)
                    print(
                        Self.line("\(cores) threads", parallel)
                            + String(format: "  (speed-up %.2f×)", single.seconds / parallel.seconds)
                    )
                }
                let small = try await Benchmark.measure(
                    SimulationPlan(scenario.withCompleted(perRep: 100)),
                    options: options(1),
                    repeats: repeats
                )
                let large = try await Benchmark.measure(
                    SimulationPlan(scenario.withCompleted(perRep: 100_000)),
                    options: options(1),
                    repeats: repeats
                )
                print(Self.line("100 per rep", small))
                print(Self.line("100,000 per rep", large))
                print(
                    String(
                        format: "volume scaling: a trial with 100,000 completed per rep costs %.2f× one with 100",
                        large.seconds / small.seconds
                    )
                )
            }
        }

        static func line(_ label: String, _ m: Benchmark.Measurement) -> String {
            label.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(
                    format: "%12.0f trials/s  %8.0f ns/trial  %7.3f s",
                    m.trialsPerSecond,
                    m.nanosecondsPerTrial,
                    m.seconds
                )
        }

        static func machine() -> String {
            guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
                let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
                let name = line.split(separator: ":", maxSplits: 1).last
            else { return "unknown CPU" }
            return name.trimmingCharacters(in: .whitespaces)
        }
    }
}
