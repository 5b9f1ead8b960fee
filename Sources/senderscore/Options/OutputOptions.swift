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
