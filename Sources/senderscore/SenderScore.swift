import ArgumentParser
import CMalloc
import Foundation
import SenderScoreKit

@main
struct SenderScore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senderscore",
        abstract: "Simulate and plan the sequences sender score of sales reps.",
        discussion: """
            The sender score is computed from the reply rate (good: 7–13%) and the bounce rate \
            (good: under 3%) of a rep's sequence emails, once the rep has at least 100 completed \
            enrollments. HubSpot does not publish its points or bands; the built-in rule set \
            'hubspot' is our reconstruction from the published targets.

            Start with:
              senderscore score enrollments.csv          # your CRM's export: where each rep stands
              senderscore init -o team.yaml --reps ana,ben
              senderscore run Scenarios/baseline.yaml    # an example team
            """,
        version: RunFingerprint.toolVersion,
        subcommands: [
            Init.self, Run.self, Merge.self, Plan.self, Sensitivity.self, Report.self, Validate.self, Synth.self,
            Score.self,
            Fit.self,
            Rules.self,
            Bench.self,
        ]
    )

    /// As ArgumentParser's own, except that its messages, which quote what was typed, are made
    /// printable and cut to `maximumLineLength` per line: a flag's value cannot reach the
    /// terminal as an escape sequence or flood it.
    static func main() async {
        keepLargeAllocationsMapped()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    line.count <= maximumLineLength ? String(line) : String(line.prefix(maximumLineLength)) + "… (cut)"
                }
                let text = lines.joined(separator: "\n") + "\n"
                if code == .success { Console.print(text) } else { Console.error(text) }
            }
            Foundation.exit(code.rawValue)
        }
    }

    static let maximumLineLength = 1_000

    /// Fixes glibc's threshold above which an allocation gets pages of its own (which go back to
    /// the system when freed) at its default, 128 KiB. Left dynamic, it rises to the largest block
    /// freed so far, so the per-block arrays of a large team come from the heap and stay there
    /// when freed: 10,000 reps × 10,000 trials on two threads peaked at 112 MB, 103 MB with it
    /// fixed, in the same time (docs/performance.md).
    static func keepLargeAllocationsMapped() {
        cmalloc_keep_large_allocations_mapped()
    }

    /// Gives the allocator's free pages back to the system (glibc's `malloc_trim`), between the
    /// phases of a run: what reading a scenario or simulating leaves freed in the middle of the
    /// heap would otherwise count in every later phase's peak. 10,000 reps × 10,000 trials on two
    /// threads peaked at 100 MB, 95 MB with it, in the same time (docs/performance.md).
    static func releaseFreeMemory() {
        cmalloc_release_free_memory()
    }
}
