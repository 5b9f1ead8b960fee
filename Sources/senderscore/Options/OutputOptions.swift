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
}
