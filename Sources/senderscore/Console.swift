import Foundation
import SenderScoreKit

/// Standard output and standard error for what is not a command's result: summaries, notes,
/// progress and messages. Foundation's `FileHandle.write(_:)` traps when the write fails (a full
/// disk, a closed pipe); these never do.
enum Console {
    /// Writes `text` to standard output; when it cannot be written, says why on standard error
    /// and exits with 1, as a command whose result is lost.
    static func print(_ text: String) {
        do {
            try OutputFile(path: nil).write(text)
        } catch {
            self.error("error: \(error.description)\n")
            exit(1)
        }
    }

    /// Writes `text` to standard error, made printable line by line; a failure is ignored, as
    /// there is nowhere left to report it.
    static func error(_ text: String) {
        let printable = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            Format.printable(String($0))
        }
        try? FileHandle.standardError.write(contentsOf: Data(printable.joined(separator: "\n").utf8))
    }

    /// Writes `bytes` to standard error as they are (the progress bar's own escapes).
    static func control(_ bytes: String) {
        try? FileHandle.standardError.write(contentsOf: Data(bytes.utf8))
    }
}
