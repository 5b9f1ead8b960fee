import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Merge: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Merge the parts of a sharded run into exactly what the single run writes.",
            discussion: """
                `senderscore run … --shard K/N --output PART` runs the K-th of N shares of a run's \
                trials and writes a part (and `senderscore sensitivity … --shard K/N` a part of an \
                analysis): the run's scenario and options, its fingerprint and the \
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

        @Argument(
            help: "Every part of the run (from `senderscore run` or `sensitivity` with --shard K/N --output PART)."
        )
        var parts: [String] = []

        @Option(help: "Output format: \(ReportFormat.described); a sensitivity analysis: text, json, csv or html.")
        var format: ReportFormat = .text

        @OptionGroup var output: OutputOptions<Merge>

        func validate() throws {
            if parts.isEmpty { throw ValidationError("give the parts to merge: senderscore merge PART…") }
        }

        func run() async throws {
            try await Failure.guarding {
                let destination = try output.open(reading: parts)
                let head = try PartFile.open(path: parts[0])
                if head.command == "run" {
                    // One part at a time: memory holds one part and the run's summaries.
                    var merger = try RunPart.Merger(path: head.path, try head.decodeRun())
                    for path in parts.dropFirst() {
                        try merger.add(path: path, try PartFile.open(path: path).decodeRun())
                    }
                    let (scenario, result) = try await merger.result()
                    for warning in scenario.warnings { Failure.warn(warning) }
                    if let precision = RunReport.precisionWarning(result.precision) { Failure.warn(precision) }
                    try format.write(RunReport(scenario: scenario, result: result)) { try destination.write($0) }
                    try destination.commit()
                    return
                }
                if head.command == "sensitivity" {
                    guard let sensitivityFormat = SenderScoreKit.Sensitivity.OutputFormat(rawValue: format.rawValue)
                    else {
                        throw ScenarioError(
                            option: "format",
                            message:
                                "a sensitivity analysis is written as text, json, csv or html, not \(format.rawValue)"
                        )
                    }
                    // The estimators need every shard's rows; each file's bytes go once it is read.
                    typealias Part = SenderScoreKit.Sensitivity.Part
                    var read: [(path: String, part: Part)] = [
                        (head.path, try head.decode(Part.self, command: "sensitivity"))
                    ]
                    for path in parts.dropFirst() {
                        read.append((path, try PartFile.open(path: path).decode(Part.self, command: "sensitivity")))
                    }
                    let (scenario, sensitivity) = try await Part.merge(read)
                    for warning in scenario.warnings { Failure.warn(warning) }
                    try destination.commit(try sensitivityFormat.render(sensitivity))
                    return
                }
                throw ScenarioError(
                    file: head.path,
                    message:
                        "a part of `senderscore \(head.command)`, which merge does not know; it merges parts of run and sensitivity"
                )
            }
        }
    }
}
