import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// `senderscore init`: a starter that reads and runs, from names or from an export, and never
/// replaces a file.
@Suite struct InitCommandTests {
    @Test func aStarterReadsRunsAndHasAWhatIf() throws {
        let folder = try TestSupport.temporaryDirectory()
        let path = folder.appendingPathComponent("team.yaml").path
        let made = try TestSupport.run([
            "init", "-o", path, "--reps", "ana,ben,chloe", "--segments", "core,purchased", "--sequences",
            "outbound,inbound",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("senderscore run \(path)"))
        let scenario = try Scenario.load(path: path)
        #expect(scenario.reps.map(\.name) == ["ana", "ben", "chloe"])
        #expect(scenario.segments.map(\.name) == ["core", "purchased"])
        #expect(scenario.sequences.map(\.name) == ["outbound", "inbound"])
        #expect(scenario.strategies.map(\.name) == ["personalize"])
        // Every rep and every sequence can have a score: 150 completed per sequence by default.
        #expect(scenario.reps.allSatisfy { $0.enrollments.allSatisfy { $0.completed.mean == 150 } })
        #expect(scenario.warnings.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("docs/domain.md") && text.contains("# rates: overall"))
        let run = try TestSupport.run(["run", path, "--trials", "300"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("== personalize"))
        // Never over an existing file.
        let again = try TestSupport.run(["init", "-o", path])
        #expect(again.status == 64 && again.stderr.contains("exists; init never replaces a file"))
    }

    @Test func aCountOfRepsAndBadNames() throws {
        let counted = try TestSupport.run(["init", "--reps", "4"])
        #expect(counted.status == 0)
        let scenario = try Scenario.parse(counted.stdout, file: "counted.yaml")
        #expect(scenario.reps.map(\.name) == ["rep 1", "rep 2", "rep 3", "rep 4"])
        #expect(scenario.reps[0].enrollments[0].completed.mean == 150)
        let numbered = try TestSupport.run(["init", "--reps", "2", "--segments", "2", "--sequences", "3"])
        let three = try Scenario.parse(numbered.stdout, file: "numbered.yaml")
        #expect(three.segments.map(\.name) == ["segment 1", "segment 2"])
        #expect(three.sequences.map(\.name) == ["sequence 1", "sequence 2", "sequence 3"])
        #expect(three.reps[0].enrollments.map(\.completed.mean) == [150, 150, 150])
        // The file may also be the argument.
        let folder = try TestSupport.temporaryDirectory()
        let path = folder.appendingPathComponent("named.yaml").path
        #expect(try TestSupport.run(["init", path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try TestSupport.run(["init", path, "-o", path + ".other"]).status == 64)
        for (flags, words) in [
            (["--reps", "ana,,ben"], "an empty name"), (["--reps", "team"], "'team' names the team's row"),
            (["--segments", "core,Core"], "listed twice"), (["--reps", "0"], "from 1 to 1,000"),
            (["--sequences", "5000"], "from 1 to 1,000"),
            (["--completed", "0"], "--completed must be"), (["--from-export", "x.csv", "--by", "rep,rep"], "--by"),
        ] {
            let outcome = try TestSupport.run(["init"] + flags)
            #expect(outcome.status == 64 && outcome.stderr.contains(words), "\(flags): \(outcome.stderr)")
        }
    }

    @Test func fromAnExportThroughFit() throws {
        let folder = try TestSupport.temporaryDirectory()
        let export = folder.appendingPathComponent("export.csv").path
        let synth = try TestSupport.run(["synth", "Scenarios/baseline.yaml", "-o", export, "--seed", "2"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let path = folder.appendingPathComponent("fitted.yaml").path
        let made = try TestSupport.run(["init", "-o", path, "--from-export", export, "--by", "rep,sequence"])
        #expect(made.status == 0, "\(made.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("grouped by rep and sequence") && text.contains("# What if?"))
        let scenario = try Scenario.load(path: path)
        #expect(scenario.segments.contains { $0.name == "ana / outbound" })
        #expect(scenario.warnings.isEmpty)
    }
}
