import ArgumentParser
import Foundation
import SenderScoreKit

/// Prints a user-facing error to standard error and exits non-zero, with nothing written.
enum Failure {
    static func report(_ message: String) -> ExitCode {
        Console.error("error: \(message)\n")
        return ExitCode(1)
    }

    /// Prints a note to standard error: something the user should know that is not an error.
    static func note(_ message: String) {
        Console.error("note: \(message)\n")
    }

    /// Prints a warning to standard error: the run goes on, but its numbers may mislead.
    static func warn(_ message: String) {
        Console.error("warning: \(message)\n")
    }

    /// Runs `body`, turning the project's errors into one message and exit code 1. `offering`
    /// names the library options the command has as flags, so that a message suggests only those.
    static func guarding<T>(offering options: Set<String> = [], _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ScenarioError {
            throw report(error.description(spellingOptions: flag, offers: options.contains))
        }
    }

    /// A library option's name as this command's flag: `replyRates` is `--reply-rates`.
    static func flag(_ option: String) -> String {
        var flag = "--"
        for character in option {
            if character.isUppercase {
                flag += "-" + character.lowercased()
            } else {
                flag.append(character)
            }
        }
        return flag
    }
}
