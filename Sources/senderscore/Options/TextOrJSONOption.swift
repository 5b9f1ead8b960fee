import ArgumentParser
import SenderScoreKit

/// `--format` of the subcommands that write text or JSON.
struct TextOrJSONOption: ParsableArguments {
    @Option(help: "Output format: text for people, json for programs.")
    var format: TextOrJSON = .text
}

extension TextOrJSON: ExpressibleByArgument {}
