import ArgumentParser
import Foundation
import SenderScoreKit

/// `--threads`: worker threads, which never change a result.
struct ThreadOptions<Wording: OptionWording>: ParsableArguments {
    @Option(parsing: .unconditional, help: Wording.threadsHelp)
    var threads: Int?

    func validate() throws {
        guard let threads else { return }
        guard (1...Limits.threads).contains(threads) else {
            throw ValidationError(
                "--threads must be from 1 to \(Limits.threads) on this machine (\(Limits.threadsPerCore) per core), "
                    + "found \(threads); the result never depends on threads, more only use memory"
            )
        }
    }

    /// The threads asked for, else every core.
    var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}
