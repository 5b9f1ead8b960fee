import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Sensitivity: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Which assumption the answer hangs on: a tornado, Sobol' indices and the value of information.",
            discussion: """
                For a metric of `run` (the mean score, P(a band or better) or the expected number \
                of reps at a band or better; for a rep, a rep's sequence or the team; under the \
                baseline, a strategy, or a strategy's change against the baseline), over every \
                input a trial draws (a segment or contact-group rate, a skill, a lever's effect or \
                coverage, an uncertain volume):

                tornado: the metric with one input held at its 10th and at its 90th percentile while \
                everything else stays random, on common random numbers, sorted by swing.

                indices: Sobol' first-order and total-effect indices (Saltelli's design on the \
                trials themselves, SALib's estimators), each with a 95% bootstrap interval, and the \
                share of the variance that is the enrollments' own randomness, which no input \
                explains.

                decision: with strategies, the best choice (doing nothing included) and, per \
                input, the probability that the best choice changes once the input is known, and \
                the expected value of perfect information (how much the metric would gain if the \
                input were measured before choosing).

                See docs/sensitivity.md for what each number means.

                Examples:
                  senderscore sensitivity Scenarios/combined-plan.yaml --metric reps:Good
                  senderscore sensitivity Scenarios/combined-plan.yaml --metric mean-score --level ben --strategy "full plan" --change
                  senderscore sensitivity Scenarios/combined-plan.yaml --analysis tornado --format html -o tornado.html

                The design is fixed in advance, so it shards like run: --shard K/N computes the K-th \
                of N shares of its rows into a part, and `senderscore merge` gives exactly the \
                single analysis (docs/scale.md).
                """
        )
        static let threadsHelp: ArgumentHelp = "Worker threads; never changes the output (default: all cores)."
        static let outputHelp: ArgumentHelp =
            "Write to this file instead of standard output (written only when complete)."

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(
            help:
                "mean-score, at-least:BAND (P(the band or better)) or reps:BAND (expected reps at the band or better)."
        )
        var metric = "mean-score"

        @Option(help: "A rep, a rep's sequence as \"rep / sequence\", or team (default: team). Not used by reps:BAND.")
        var level: String?

        @Option(help: "The strategy (default: the baseline).")
        var strategy: String?

        @Flag(help: "Measure the strategy's change against the baseline on the same trials.")
        var change = false

        @Option(
            help: ArgumentHelp(
                "What to run, comma-separated: tornado, indices, decision.",
                valueName: "parts"
            )
        )
        var analysis = "tornado,indices,decision"

        @Option(help: "Bootstrap resamples for the intervals of the indices and of the decision (1 to 10000).")
        var resamples = 100

        @Option(
            help: ArgumentHelp(
                "Also write the indices' design as CSV (gzip when the name ends in .gz): per row of A, each AB and B, the inputs, the trial whose enrollments it used, and the output, in SALib's order.",
                valueName: "file"
            )
        )
        var samplesOut: String?

        @OptionGroup var simulation: ScenarioRunOptions<Sensitivity>

        @Option(
            help:
                "Output format: text (tables), json, csv (one row per input) or html (a page with the tornado and index charts and the decision table); default text; with --shard, merge chooses it."
        )
        var format: SenderScoreKit.Sensitivity.OutputFormat?

        @Option(
            help: ArgumentHelp(
                "Compute only shard K of N (K from 1) of the design's rows and write a part of the analysis to --output, for `senderscore merge`.",
                valueName: "K/N"
            )
        )
        var shard: String?

        @OptionGroup var output: OutputOptions<Sensitivity>

        func validate() throws {
            if change, strategy == nil {
                throw ValidationError("--change needs --strategy: the change of which strategy?")
            }
            guard (1...10_000).contains(resamples) else {
                throw ValidationError("--resamples \(resamples): give from 1 to 10000 bootstrap resamples")
            }
            _ = try analyses()
            if samplesOut != nil, try !analyses().contains(.indices) {
                throw ValidationError("--samples-out writes the indices' design: add indices to --analysis")
            }
            guard shard != nil else { return }
            try output.checkShardPart(
                of: "the analysis",
                formatGiven: format != nil,
                side: samplesOut == nil ? nil : ("--samples-out", "run the analysis without it to write the design")
            )
        }

        /// The parts named by --analysis.
        func analyses() throws -> Set<SenderScoreKit.Sensitivity.Analysis> {
            var parts: Set<SenderScoreKit.Sensitivity.Analysis> = []
            for name in analysis.split(separator: ",", omittingEmptySubsequences: false) {
                let word = name.trimmingCharacters(in: .whitespaces).lowercased()
                guard let part = SenderScoreKit.Sensitivity.Analysis(rawValue: word) else {
                    throw ValidationError(
                        "--analysis: \(Format.quoted(String(name))) is not a part; name tornado, indices or decision, comma-separated"
                    )
                }
                parts.insert(part)
            }
            return parts
        }

        func run() async throws {
            try await Failure.guarding(offering: ["rulesAsIs"]) {
                let read = Documents.recording()
                let scenario = try simulation.scenario(at: self.scenario, documents: shard == nil ? .fileSystem : read)
                let destination = try output.open(reading: scenario.files)
                if let shard {
                    let part = try await SenderScoreKit.Sensitivity.Part.run(
                        .init(
                            scenario: self.scenario,
                            rules: simulation.rules,
                            rulesAsIs: simulation.rulesAsIs,
                            metric: metric,
                            level: level.flatMap { Name.key($0) == Name.team ? nil : $0 },
                            strategy: strategy,
                            change: change,
                            analyses: try analyses(),
                            resamples: resamples,
                            options: simulation.options(for: scenario)
                        ),
                        documents: RunPart.documents(recorded: read),
                        shard: try Shard(parsing: shard),
                        threads: simulation.options(for: scenario).threads
                    )
                    try destination.write(try part.encoded())
                    try destination.commit()
                    return
                }
                let metric = SenderScoreKit.Sensitivity.Metric(
                    kind: try SenderScoreKit.Sensitivity.Metric.kind(self.metric, rules: scenario.rules),
                    level: level.flatMap { Name.key($0) == Name.team ? nil : $0 },
                    strategy: strategy,
                    change: change
                )
                let samples = try output.sideStream(
                    samplesOut,
                    option: "samplesOut",
                    destination: destination,
                    reading: scenario.files
                )
                let result = try await SenderScoreKit.Sensitivity.analyze(
                    scenario,
                    options: simulation.options(for: scenario),
                    metric: metric,
                    analyses: try analyses(),
                    resamples: resamples,
                    samplesOut: samples
                )
                let rendered = try (format ?? .text).render(result)
                try samples?.finish()
                try destination.commit(rendered)
            }
        }
    }
}
