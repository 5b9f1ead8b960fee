import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// The pieces that keep hostile input harmless: the name rule, numerals, printable text, CSV
/// cells, outputs, and the limits page. `Tests/Hostile/hostile.py` checks them end to end.
@Suite struct InputSafetyTests {
    /// The bound on a document's values stops alias bombs, not large teams: a team of 6,000
    /// reps with three sequences each writes more values than the bound once was (200,000), and
    /// a run's rows (100,000) fit within it at about 20 values each.
    @Test func aLargeTeamIsWithinTheBoundOnValues() throws {
        #expect(Limits.documentValues >= 20 * Limits.levels)
        var text = "segments:\n  a: {bounce: 0.02, reply: 0.06}\n  b: {bounce: 0.08, reply: 0.025}\n"
        text += "  c: {bounce: 0.04, reply: 0.09}\nreps:\n"
        for rep in 0..<6_000 {
            let lines = (0..<3).map { "{sequence: s\($0), completed: 120, audience: {a: 0.5, b: 0.3, c: 0.2}}" }
            text += "  - {name: r\(rep), enrollments: [\(lines.joined(separator: ", "))]}\n"
        }
        let scenario = try Scenario.load(path: try TestSupport.write(text))
        #expect(scenario.reps.count == 6_000)
    }

    @Test func namesArePrintableTrimmedAndShort() {
        #expect(Name.checked("  ana ") == .success("ana"))
        #expect(Name.checked(" \t ") == .failure(.empty))
        #expect(Name.checked("a\u{1B}[2J") == .failure(.control("\u{1B}")))
        #expect(Name.checked("a\nteam") == .failure(.control("\n")))
        #expect(Name.checked("abc\u{202E}exe") == .failure(.control("\u{202E}")))
        #expect(Name.checked(String(repeating: "a", count: 101)) == .failure(.tooLong(101)))
        #expect(Name.checked("Zoë O'Brien – EMEA") == .success("Zoë O'Brien – EMEA"))
        #expect(Name.key("  Ana   Lopez ") == Name.key("ana lopez"))
        #expect(Name.cleaned("\u{0}a\u{1B}b\tc\n\n d ") == "ab c d")
        #expect(Name.cleaned(String(repeating: "é", count: 500)).count == Limits.nameLength)
        var names = NameSet()
        #expect(names.insert("ana") == nil)
        #expect(names.insert("Ana ") == "ana")
    }

    @Test func wholeNumbersAreDecimalDigitsOnly() {
        #expect(WholeNumber.parse("120") == 120)
        #expect(WholeNumber.parse("120.00") == 120)
        for text in ["0x10", "1e3", "+5", "-1", " 5", "12.5", "", ".", "١٢", "99999999999999999999"] {
            #expect(WholeNumber.parse(text) == nil, "\(text)")
        }
        #expect(WholeNumber.notation(of: "0x10") == " in decimal digits")
        #expect(WholeNumber.notation(of: "x").isEmpty)
    }

    @Test func printableTextAndShortQuotes() {
        #expect(Format.printable("ok – ünïcode") == "ok – ünïcode")
        #expect(Format.printable("a\u{1B}]0;x\u{7}\n\t\u{202E}") == "a\\u{1B}]0;x\\u{7}\\n\\t\\u{202E}")
        #expect(Format.quoted("abc") == "'abc'")
        let quoted = Format.quoted(String(repeating: "x", count: 5_000_000))
        #expect(quoted.count < 120 && quoted.hasSuffix("…' (5,000,000 characters)"))
        let error = ScenarioError(file: "f", message: String(repeating: "y", count: 50_000) + "\u{1B}")
        #expect(error.description.count <= ScenarioError.messageLength)
    }

    @Test func csvCellsThatASpreadsheetWouldRunAreNeutralised() {
        #expect(CSVField.escaped("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVField.escaped("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVField.escaped("+cmd") == "'+cmd")
        #expect(CSVField.escaped("-cmd") == "'-cmd")
        #expect(CSVField.escaped("\tx") == "'\tx")
        #expect(CSVField.escaped("\rx") == "\"'\rx\"")
        for number in ["-0.25", "+3", "-1e-05", "-12", "-.5", "ana"] {
            #expect(CSVField.escaped(number) == number)
        }
        #expect(CSVField.unneutralised("'=cmd") == "=cmd")
        #expect(CSVField.unneutralised("'quoted'") == "'quoted'")
    }

    @Test func outputsRefuseWhatTheyWouldDestroy() throws {
        let folder = try TestSupport.temporaryDirectory()
        let input = folder.appendingPathComponent("in.yaml").path
        try "x".write(toFile: input, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        for (path, words) in [
            ("/dev/null", "a device"), (folder.path, "a folder"), (input, "an input of this command"),
            (link, "the input"), ("", "empty"), (folder.appendingPathComponent("no/x").path, "does not exist"),
        ] {
            #expect(throws: ScenarioError.self) { try OutputFile(path: path, inputs: [input]) }
            do {
                _ = try OutputFile(path: path, inputs: [input])
            } catch {
                #expect(error.description.contains(words), "\(path): \(error.description)")
            }
        }
        // A file is replaced only on commit; a discarded output leaves nothing behind.
        let destination = folder.appendingPathComponent("out.txt").path
        try "old".write(toFile: destination, atomically: true, encoding: .utf8)
        do {
            let output = try OutputFile(path: destination)
            try output.write("new")
            #expect(try String(contentsOfFile: destination, encoding: .utf8) == "old")
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["in.yaml", "link", "out.txt"]
        )
        let output = try OutputFile(path: destination)
        try output.commit("new")
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "new")
    }

    /// docs/limits.md lists every limit with the value the code enforces.
    @Test func theLimitsPageMatchesTheCode() throws {
        let page = try String(contentsOfFile: TestSupport.path("docs/limits.md"), encoding: .utf8)
        let table = try #require(
            page.components(separatedBy: "<!-- limits:begin -->").last?
                .components(separatedBy: "<!-- limits:end -->").first
        )
        let rows = table.split(separator: "\n").map(String.init)
        func row(_ label: String) -> String? { rows.first { $0.hasPrefix("| " + label) } }
        let expected: [(String, String)] = [
            ("trials of a run", Format.count(Limits.trials)),
            ("completed enrollments", Format.count(Limits.completed)),
            ("simulated outcomes of one `bench`", Format.count(Limits.trials)),
            ("`bench --repeats`", Format.count(Limits.repeats)),
            ("exact band-stability work", Format.count(Limits.stabilityWork)),
            ("simulated outcomes of one `validate", Format.count(Limits.stabilityOutcomes)),
            ("`--threads`", "\(Limits.threadsPerCore) per core"),
            ("rows a run scores", Format.count(Limits.levels)),
            ("row summaries the threads", Format.count(Limits.summariesInFlight)),
            ("steps (emails)", Format.count(Limits.steps)),
            ("rows of a rule set's reply table", Format.count(Limits.ruleRows)),
            ("characters of a name", Format.count(Limits.nameLength)),
            ("characters of a scenario's or rule set's title", Format.count(Limits.titleLength)),
            ("bytes of a scenario", Format.bytes(Limits.documentBytes)),
            ("bytes of a saved result", Format.bytes(Limits.resultBytes)),
            ("values of a YAML document", Format.count(Limits.documentValues)),
            ("bytes of one CSV record", Format.bytes(Limits.recordBytes)),
            ("fields of one CSV record", Format.count(Limits.fields)),
            ("rows `synth` writes", Format.count(Limits.syntheticRows)),
            ("periods of a timeline", Format.count(Limits.periods)),
            ("days a sequence takes", Format.count(Limits.sequenceDays)),
            ("cohorts a timeline lays out", Format.count(Limits.timelineCohorts)),
            ("random lanes of a timeline's cohorts", Format.count(Limits.timelineLanes)),
            ("accumulators of a timeline's windows", Format.count(Limits.timelineCells)),
            ("periods of a trend", Format.count(Limits.periods)),
            ("shards of a run", Format.count(Limits.shards)),
            ("bytes of a part of a run", Format.bytes(Limits.partBytes)),
            ("characters of input quoted", Format.count(Format.quotedLength)),
            ("characters of a message", Format.count(ScenarioError.messageLength)),
        ]
        for (label, value) in expected {
            let line = try #require(row(label), "no row for \(label)")
            #expect(line.contains("| \(value) |"), "\(label): \(line) should say \(value)")
        }
        #expect(page.contains("(volume + \(Format.count(Limits.exactCellCost)))"))
    }
}
