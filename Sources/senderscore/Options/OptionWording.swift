import ArgumentParser
import SenderScoreKit

/// How the options that several subcommands share read in one subcommand's `--help`.
///
/// Each shared option is declared, parsed and checked once, in an option group generic over a
/// subcommand's wording (`OutputOptions<Synth>`); the subcommand words its help for what the
/// option does there, or takes the common wording below.
protocol OptionWording {
    static var outputHelp: ArgumentHelp { get }
    static var seedHelp: ArgumentHelp { get }
    static var threadsHelp: ArgumentHelp { get }
    static var rulesHelp: ArgumentHelp { get }
}

extension OptionWording {
    static var outputHelp: ArgumentHelp { "Write to this file instead of standard output." }
    static var seedHelp: ArgumentHelp {
        "Random seed (default: the file's `seed`, else \(SimulationOptions.defaultSeed))."
    }
    static var threadsHelp: ArgumentHelp { "Worker threads (default: all cores)." }
    static var rulesHelp: ArgumentHelp { "Rule set: a built-in name or a rules file." }
}
