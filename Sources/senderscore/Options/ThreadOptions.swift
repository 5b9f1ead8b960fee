import ArgumentParser
import Foundation

/// `--threads`: worker threads, which never change a result.
struct ThreadOptions<Wording: OptionWording>: ParsableArguments {
    @Option(help: Wording.threadsHelp)
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The threads asked for, else every core.
    var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}
