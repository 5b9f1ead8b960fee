import Foundation
import Testing
import _TestSupport

/// Whole outputs of the command compared byte for byte with the files stored in `Tests/Golden`:
/// every format of `run` on scenarios that cover strategies, steps and contact groups, `--help` of
/// every subcommand, the other commands' outputs, and the messages for bad input. They pin the
/// numbers (seeds, lanes, the block size), the layout and the wording, so a change to any of them
/// fails here until it is made on purpose.
///
/// `make golden` runs these tests with `SENDERSCORE_RECORD_GOLDEN=1`, which writes the files
/// instead of comparing, and shows the difference with git.
@Suite struct GoldenOutputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// The stored file, relative to `Tests/Golden`.
        var file: String
        var arguments: [String]
        /// The exit status the command must end with.
        var status: Int32 = 0
        /// Whether the file holds standard error rather than standard output.
        var standardError = false

        var testDescription: String { file }
    }

    static let folder = TestSupport.repositoryRoot.appendingPathComponent("Tests/Golden")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["SENDERSCORE_RECORD_GOLDEN"] == "1" }

    /// Scenario, trials: strategies, a sequence with steps, contact groups, and all of them at once.
    /// Trial counts that end in a part of a block pin how blocks are cut.
    static let scenarios: [(name: String, trials: Int)] = [
        ("baseline", 2500), ("personalization", 1500), ("follow-up-steps", 1500), ("filter-unengaged", 1500),
        ("combined-plan", 1000), ("quarter-ramp", 500),
    ]

    /// HTML pages are stored as `.html.golden`: tools that look for repeated source code would
    /// otherwise read the stored pages as code copied from the renderer.
    static let formats: [(format: String, ext: String)] = [
        ("text", "txt"), ("json", "json"), ("csv", "csv"), ("markdown", "md"), ("html", "html.golden"),
    ]

    static let subcommands = [
        "init", "run", "merge", "plan", "sensitivity", "report", "validate", "synth", "score", "fit", "rules", "bench",
    ]

    static let cases: [Case] = {
        var cases: [Case] = []
        for (name, trials) in scenarios {
            for (format, ext) in formats {
                cases.append(
                    Case(
                        file: "run/\(name).\(ext)",
                        arguments: ["run", "Scenarios/\(name).yaml", "--trials", "\(trials)", "--format", format]
                    )
                )
            }
        }
        // What `make demo` prints: the scenario's own trials and seed.
        cases.append(Case(file: "run/baseline-default.txt", arguments: ["run", "Scenarios/baseline.yaml"]))
        // A plan on short stages, so that a debug build makes it in seconds.
        cases.append(
            Case(
                file: "plan/plan-budget.txt",
                arguments: [
                    "plan", "Scenarios/plan-budget.yaml", "--first-stage", "100", "--max-trials", "300",
                    "--out-of-sample", "100",
                ]
            )
        )
        cases.append(Case(file: "help/senderscore.txt", arguments: ["--help"]))
        for subcommand in subcommands {
            cases.append(Case(file: "help/\(subcommand).txt", arguments: [subcommand, "--help"]))
        }
        cases += [
            Case(file: "validate/hubspot.txt", arguments: ["validate", "--volumes", "100,250"]),
            Case(file: "validate/hubspot.json", arguments: ["validate", "--volumes", "100,250", "--format", "json"]),
            Case(
                file: "validate/golden-cases.txt",
                arguments: [
                    "validate", "--cases", "Tests/Fixtures/golden-hubspot.csv", "--no-stability", "--at", "7.5%,2%",
                ]
            ),
            Case(
                file: "validate/against.txt",
                arguments: [
                    "validate", "--against", "Tests/Fixtures/strict-rules.yaml", "--volumes", "100,500",
                    "--reply-rates", "0:0.2:0.02", "--bounce-rates", "0:0.1:0.02",
                ]
            ),
            Case(file: "score/export-small.txt", arguments: ["score", "Tests/Fixtures/export-small.csv"]),
            Case(
                file: "score/export-small.json",
                arguments: ["score", "Tests/Fixtures/export-small.csv", "--format", "json"]
            ),
            Case(
                file: "score/export-thresholds.txt",
                arguments: [
                    "score", "Tests/Fixtures/export-thresholds.csv", "--from", "2026-01-01", "--to", "2026-12-31",
                ]
            ),
            Case(
                file: "score/export-thresholds-by-month.txt",
                arguments: ["score", "Tests/Fixtures/export-thresholds.csv", "--by", "month"]
            ),
            Case(file: "fit/export-thresholds.yaml", arguments: ["fit", "Tests/Fixtures/export-thresholds.csv"]),
            Case(file: "synth/baseline.csv", arguments: ["synth", "Scenarios/baseline.yaml", "--seed", "3"]),
            Case(
                file: "synth/baseline.summary.txt",
                arguments: ["synth", "Scenarios/baseline.yaml", "--seed", "3"],
                standardError: true
            ),
            Case(file: "rules/hubspot.yaml", arguments: ["rules", "hubspot"]),
        ]
        // The messages for bad input, from standard error; usage errors exit with 64.
        let failures: [(name: String, arguments: [String], status: Int32)] = [
            ("audience-shares", ["run", "Tests/Fixtures/bad-audience.yaml"], 1),
            ("misspelt-key", ["run", "Tests/Fixtures/misspelt-key.yaml"], 1),
            ("unknown-intervention-key", ["run", "Tests/Fixtures/unknown-intervention-key.yaml"], 1),
            ("unknown-rules", ["run", "Scenarios/baseline.yaml", "--rules", "hubsopt"], 1),
            ("bad-row", ["score", "Tests/Fixtures/bad-row.csv"], 1),
            ("bad-columns", ["score", "Tests/Fixtures/export-small.csv", "--columns", "rep"], 1),
            ("bad-date", ["score", "Tests/Fixtures/export-small.csv", "--from", "2026-13-01"], 1),
            ("bad-rate-pair", ["validate", "--at", "7%"], 1),
            ("not-a-result", ["report", "Scenarios/baseline.yaml"], 1),
            ("zero-trials", ["run", "Scenarios/baseline.yaml", "--trials", "0"], 64),
        ]
        cases += failures.map {
            Case(file: "errors/\($0.name).txt", arguments: $0.arguments, status: $0.status, standardError: true)
        }
        return cases
    }()

    @Test(arguments: cases)
    func matchesTheStoredOutput(_ golden: Case) throws {
        // A fixed width, so that `--help` wraps the same way on every terminal.
        let outcome = try TestSupport.run(golden.arguments, environment: ["COLUMNS": "100", "LINES": "40"])
        #expect(outcome.status == golden.status, "\(golden.arguments): \(outcome.stderr)")
        let output = golden.standardError ? outcome.stderr : outcome.stdout
        let url = Self.folder.appendingPathComponent(golden.file)
        if Self.isRecording {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(output.utf8).write(to: url)
            return
        }
        let stored = try #require(
            FileManager.default.contents(atPath: url.path),
            "no stored output \(golden.file); record it with `make golden`"
        )
        let expected = String(decoding: stored, as: UTF8.self)
        guard output != expected else { return }
        let differing = zip(
            expected.split(separator: "\n", omittingEmptySubsequences: false),
            output.split(separator: "\n", omittingEmptySubsequences: false)
        )
        .enumerated().first { $0.element.0 != $0.element.1 }
        Issue.record(
            """
            \(golden.file) differs from `senderscore \(golden.arguments.joined(separator: " "))`\
            \(differing.map { "; first at line \($0.offset + 1):\n  stored: \($0.element.0)\n  now:    \($0.element.1)" } ?? " in length")
            If the change is on purpose, run `make golden` and give the reason in the commit message.
            """
        )
    }

    /// The stored results were made with every core; one thread, or more threads than blocks,
    /// give the same bytes.
    @Test(arguments: ["baseline", "combined-plan"])
    func threadsDoNotChangeAStoredResult(_ name: String) throws {
        guard !Self.isRecording else { return }
        let golden = try #require(Self.cases.first { $0.file == "run/\(name).json" })
        let stored = try String(contentsOf: Self.folder.appendingPathComponent(golden.file), encoding: .utf8)
        for threads in ["1", "3"] {
            let outcome = try TestSupport.run(golden.arguments + ["--threads", threads])
            #expect(outcome.stdout == stored, "--threads \(threads)")
        }
    }

    /// A stored file that no case produces would be checked by nothing.
    @Test func everyStoredFileHasACase() throws {
        guard !Self.isRecording else { return }
        let root = Self.folder.standardizedFileURL.path + "/"
        let stored = (FileManager.default.enumerator(atPath: Self.folder.path)?.allObjects as? [String] ?? [])
            .filter { path in
                var isDirectory: ObjCBool = false
                FileManager.default.fileExists(atPath: root + path, isDirectory: &isDirectory)
                return !isDirectory.boolValue && path != "README.md"
            }
        #expect(Set(stored) == Set(Self.cases.map(\.file)))
    }
}
