import ArgumentParser
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
                try await Benchmark.run(scenario, trials: trials, repeats: repeats, threads: threads.count) {
                    print($0)
                }
            }
        }
    }
}
