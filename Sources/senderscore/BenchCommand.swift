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

        @Option(parsing: .unconditional, help: "Trials per run.")
        var trials: Int = 200_000

        @Option(parsing: .unconditional, help: "Runs per measurement; the fastest counts.")
        var repeats: Int = 3

        @OptionGroup var threads: ThreadOptions<Bench>

        @Option(
            help: ArgumentHelp(
                "The band estimator the runs use, as `run --estimator`: conditional costs more per trial (docs/estimators.md).",
                valueName: "counts|conditional"
            )
        )
        var estimator: BandEstimator = .counts

        func validate() throws {
            guard (1...Limits.trials).contains(trials) else {
                throw ValidationError("--trials must be from 1 to \(Format.count(Limits.trials)), found \(trials)")
            }
            guard (1...Limits.repeats).contains(repeats) else {
                throw ValidationError("--repeats must be from 1 to \(Limits.repeats), found \(repeats)")
            }
            // Each repeat runs the scenario four times (1 thread, all threads, 100 and 100,000 per rep).
            guard trials <= Limits.trials / repeats else {
                throw ValidationError(
                    "--trials × --repeats must be at most \(Format.count(Limits.trials)) "
                        + "(\(Format.count(trials)) × \(repeats) would run for hours)"
                )
            }
        }

        func run() async throws {
            try await Failure.guarding {
                let scenario = try Scenario.load(path: self.scenario)
                try await Benchmark.run(
                    scenario,
                    trials: trials,
                    repeats: repeats,
                    threads: threads.count,
                    estimator: estimator
                ) {
                    Console.print($0 + "\n")
                }
            }
        }
    }
}
