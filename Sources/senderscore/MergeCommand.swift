import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Merge: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Merge the parts of a sharded run into exactly what the single run writes.",
            discussion: """
                `senderscore run … --shard K/N --output PART` runs the K-th of N shares of a run's \
                trials and writes a part: the run's scenario and options, its fingerprint and the \
                shard's summaries, which are exact integer counts. merge takes all N parts, in any \
                order, checks that they are the shards of one run, each once, and writes the \
                run's report byte for byte as `senderscore run` with the same options would, in \
                any format. It refuses parts of different runs, a shard given twice or missing, \
                and a part that was cut short, changed, or written by another senderscore. The \
                scenario's files are not needed: the parts carry their texts. See docs/scale.md.

                Examples:
                  for k in 1 2 3 4; do
                    senderscore run Scenarios/baseline.yaml --trials 400000 --shard $k/4 --output part-$k.json
                  done
                  senderscore merge part-*.json
                  senderscore merge part-*.json --format html -o report.html
                """
        )
        static let outputHelp: ArgumentHelp =
            "Write to this file instead of standard output (written only when complete)."

        @Argument(help: "Every part of the run (from `senderscore run --shard K/N --output PART`).")
        var parts: [String] = []

        @Option(help: "Output format: \(ReportFormat.described).")
        var format: ReportFormat = .text

        @OptionGroup var output: OutputOptions<Merge>

        func validate() throws {
            if parts.isEmpty { throw ValidationError("give the parts to merge: senderscore merge PART…") }
        }

        func run() async throws {
            try await Failure.guarding {
                let destination = try output.open(reading: parts)
                var read: [(path: String, part: RunPart)] = []
                for path in parts { read.append((path, try RunPart.read(path: path))) }
                let (scenario, result) = try await RunPart.merge(read)
                for warning in scenario.warnings { Failure.warn(warning) }
                try destination.commit(try format.render(RunReport(scenario: scenario, result: result)))
            }
        }
    }
}
