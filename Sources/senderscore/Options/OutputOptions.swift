import ArgumentParser
import SenderScoreKit

/// `-o/--output`: where a subcommand writes its result.
struct OutputOptions<Wording: OptionWording>: ParsableArguments {
    @Option(name: [.short, .long], help: Wording.outputHelp)
    var output: String?

    /// The output, checked before any work (see `OutputFile`): standard output, or a regular
    /// file that is none of `inputs` and is replaced only once the result is complete.
    func open(reading inputs: [String?]) throws(ScenarioError) -> OutputFile {
        try OutputFile(path: output, inputs: inputs.compactMap { $0 })
    }

    /// With `--shard`: refuses what does not fit a part of `what` ("the run", "the analysis"): a
    /// `--format` (`formatGiven`), which is the merge's; a side output (`side`: its flag and what
    /// to do instead), which has no place in a part; and a part without its own file.
    func checkShardPart(of what: String, formatGiven: Bool, side: (flag: String, remedy: String)?) throws {
        if formatGiven {
            throw ValidationError(
                "--format does not apply to --shard: a shard writes a part of \(what); give the format to merge"
            )
        }
        if let side {
            throw ValidationError("\(side.flag) does not apply to --shard: \(side.remedy)")
        }
        if output == nil || output == OutputFile.standardOutputName {
            throw ValidationError("--shard writes a part of \(what) to a file: give --output PART")
        }
    }

    /// A CSV stream besides the result (gzip when the name ends in .gz), named by `option`: never
    /// the result's own file, nor standard output when the result goes there.
    func sideStream(
        _ path: String?,
        option: String,
        destination: OutputFile,
        reading inputs: [String?]
    ) throws(ScenarioError) -> RecordStream? {
        guard let path else { return nil }
        guard path != output else {
            throw ScenarioError(
                option: option,
                message: "\(Format.quoted(path)) is also the --output file; give each its own",
                code: .unwritable
            )
        }
        guard path != OutputFile.standardOutputName || destination.path != nil else {
            throw ScenarioError(
                option: option,
                message: "the report already goes to standard output; write the CSV to a file, or the report with -o",
                code: .unwritable
            )
        }
        return try RecordStream(
            output: OutputFile(path: path, inputs: inputs.compactMap { $0 }),
            gzip: RecordStream.isGzipName(path)
        )
    }
}
