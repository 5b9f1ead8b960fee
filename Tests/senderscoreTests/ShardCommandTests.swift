import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// `senderscore run --shard K/N` and `senderscore merge` end to end, and `run --precision`.
@Suite struct ShardCommandTests {
    static func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func mergedPartsAreTheSingleRunInEveryFormat() throws {
        let folder = try TestSupport.temporaryDirectory()
        let arguments = ["run", "Scenarios/combined-plan.yaml", "--trials", "1001", "--seed", "4", "--quiet"]
        var parts: [String] = []
        for index in [3, 1, 2] {
            let part = folder.appendingPathComponent("part-\(index).json").path
            let shard = try TestSupport.run(arguments + ["--shard", "\(index)/3", "--output", part])
            #expect(shard.status == 0 && shard.stdout.isEmpty, "\(shard.stderr)")
            parts.append(part)
        }
        for format in ReportFormat.allCases {
            let single = try TestSupport.run(arguments + ["--format", format.rawValue])
            let merged = try TestSupport.run(["merge"] + parts + ["--format", format.rawValue])
            #expect(single.status == 0 && merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout == single.stdout, "\(format)")
        }
        // To a file, as run writes it.
        let out = folder.appendingPathComponent("merged.json").path
        #expect(try TestSupport.run(["merge"] + parts + ["--format", "json", "-o", out]).status == 0)
        #expect(try Self.read(out) == Data(try TestSupport.run(arguments + ["--format", "json"]).stdout.utf8))
    }

    @Test func conditionalEstimatesMergeToTheSingleRunAndDoNotMixWithCounts() throws {
        let folder = try TestSupport.temporaryDirectory()
        let arguments = ["run", "Scenarios/baseline.yaml", "--trials", "1500", "--seed", "5", "--quiet"]
        let conditional = arguments + ["--estimator", "conditional"]
        var parts: [String] = []
        for index in 1...2 {
            let part = folder.appendingPathComponent("part-\(index).json").path
            #expect(try TestSupport.run(conditional + ["--shard", "\(index)/2", "--output", part]).status == 0)
            parts.append(part)
        }
        let single = try TestSupport.run(conditional + ["--format", "json"])
        let merged = try TestSupport.run(["merge"] + parts + ["--format", "json"])
        #expect(single.status == 0 && merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == single.stdout)
        #expect(single.stdout.contains("\"bandEstimator\""))
        // A counted part of the same trials is another run.
        let counted = folder.appendingPathComponent("counted-2.json").path
        #expect(try TestSupport.run(arguments + ["--shard", "2/2", "--output", counted]).status == 0)
        let mixed = try TestSupport.run(["merge", parts[0], counted])
        #expect(mixed.status != 0 && mixed.stderr.contains("different runs"), "\(mixed.stderr)")
    }

    @Test func mergeNamesWhatIsWrongWithTheParts() throws {
        let folder = try TestSupport.temporaryDirectory()
        func part(_ shard: String, seed: String = "2") throws -> String {
            let path = folder.appendingPathComponent(
                "part-\(shard.replacingOccurrences(of: "/", with: "-"))-\(seed).json"
            ).path
            let outcome = try TestSupport.run([
                "run", "Scenarios/baseline.yaml", "--trials", "1500", "--seed", seed, "--shard", shard, "-o", path,
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return path
        }
        let (one, two) = (try part("1/2"), try part("2/2"))
        let missing = try TestSupport.run(["merge", one])
        #expect(missing.status == 1 && missing.stderr.contains("shard 2/2 is missing"))
        let twice = try TestSupport.run(["merge", one, two, two])
        #expect(twice.status == 1 && twice.stderr.contains("shard 2/2 is given twice"))
        let other = try TestSupport.run(["merge", one, try part("2/2", seed: "3")])
        #expect(other.status == 1 && other.stderr.contains("come from different runs"))
        let cut = folder.appendingPathComponent("cut.json").path
        try Self.read(two).prefix(5000).write(to: URL(fileURLWithPath: cut))
        let short = try TestSupport.run(["merge", one, cut])
        #expect(short.status == 1 && short.stderr.contains("cut.json") && short.stderr.contains("cut short"))
        // Nothing is written when merge refuses, and the parts are never overwritten.
        let out = folder.appendingPathComponent("out.txt").path
        #expect(try TestSupport.run(["merge", one, cut, "-o", out]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        let before = try Self.read(one)
        #expect(try TestSupport.run(["merge", one, two, "-o", one]).status == 1)
        #expect(try Self.read(one) == before)
    }

    @Test func aShardReadsItsScenarioOnceSoStandardInputWorks() throws {
        let folder = try TestSupport.temporaryDirectory()
        let part = folder.appendingPathComponent("part.json").path
        let binary = TestSupport.executable.path
        let shard = try TestSupport.runProgram(
            "/bin/sh",
            ["-c", "\"$0\" run - --trials 1200 --shard 1/1 --output \"$1\" < Scenarios/baseline.yaml", binary, part]
        )
        #expect(shard.status == 0, "\(shard.stderr)")
        let single = try TestSupport.runProgram(
            "/bin/sh",
            ["-c", "\"$0\" run - --trials 1200 --format json < Scenarios/baseline.yaml", binary]
        )
        let merged = try TestSupport.run(["merge", part, "--format", "json"])
        #expect(merged.status == 0 && merged.stdout == single.stdout, "\(merged.stderr)")
    }

    @Test func shardsGivenTheSameRunDifferentlyMergeOrSayWhatDiffers() throws {
        let folder = try TestSupport.temporaryDirectory()
        func part(_ name: String, _ arguments: [String]) throws -> String {
            let path = folder.appendingPathComponent(name).path
            let outcome = try TestSupport.run(["run"] + arguments + ["--trials", "1100", "-o", path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return path
        }
        // --strategy in another order is the same run.
        let one = try part(
            "1.json",
            ["Scenarios/combined-plan.yaml", "--strategy", "full plan", "--strategy", "reply levers", "--shard", "1/2"]
        )
        let two = try part(
            "2.json",
            ["Scenarios/combined-plan.yaml", "--strategy", "reply levers", "--strategy", "full plan", "--shard", "2/2"]
        )
        let merged = try TestSupport.run(["merge", one, two])
        #expect(merged.status == 0, "\(merged.stderr)")
        // The same scenario by another path would name another file in the report.
        let other = try part(
            "3.json",
            [
                "./Scenarios/combined-plan.yaml", "--strategy", "full plan", "--strategy", "reply levers", "--shard",
                "2/2",
            ]
        )
        let refused = try TestSupport.run(["merge", one, other])
        #expect(
            refused.status == 1 && refused.stderr.contains("given differently")
                && refused.stderr.contains("./Scenarios")
        )
    }

    @Test func shardOptionsThatDoNotFitAreRefused() throws {
        let scenario = "Scenarios/baseline.yaml"
        let noOutput = try TestSupport.run(["run", scenario, "--shard", "1/2"])
        #expect(noOutput.status == 64 && noOutput.stderr.contains("give --output PART"))
        let format = try TestSupport.run(["run", scenario, "--shard", "1/2", "--format", "json", "-o", "x.json"])
        #expect(format.status == 64 && format.stderr.contains("give the format to merge"))
        let trials = try TestSupport.run(["run", scenario, "--shard", "1/2", "--trials-out", "t.csv", "-o", "x.json"])
        #expect(trials.status == 64 && trials.stderr.contains("--trials-out does not apply to --shard"))
        let beyond = try TestSupport.run(["run", scenario, "--shard", "3/2", "-o", "x.json"])
        #expect(beyond.status == 1 && beyond.stderr.contains("K from 1 to N"))
        #expect(!FileManager.default.fileExists(atPath: TestSupport.path("x.json")))
    }

    @Test func aPrecisionRunIsTheSameForAnyThreadsAndSaysWhyItStopped() throws {
        let base = ["run", "Scenarios/baseline.yaml", "--trials", "1000", "--quiet"]
        let arguments = base + ["--precision", "1%", "--format", "json"]
        let one = try TestSupport.run(arguments + ["--threads", "1"])
        let two = try TestSupport.run(arguments + ["--threads", "2"])
        #expect(one.status == 0 && one.stdout == two.stdout, "\(one.stderr)")
        let report = try JSONDecoder().decode(RunReport.self, from: Data(one.stdout.utf8))
        let precision = try #require(report.precision)
        #expect(precision.target == 0.01 && precision.reached && precision.trials == report.trials)
        let largest = report.strategies.flatMap(\.rows).flatMap { $0.level.bandStdErr.values }.max() ?? 1
        #expect(largest <= 0.01 && largest == precision.largestStdErr)
        let text = try TestSupport.run(base + ["--precision", "1%"])
        #expect(text.stdout.contains("precision: stopped after \(Format.count(report.trials)) trials"))
        let limit = try TestSupport.run(base + ["--precision", "0.01%", "--max-trials", "3000"])
        #expect(limit.stdout.contains("stopped at the maximum of 3,000 trials"))
        // The CSV has no place for it: standard error says so.
        let csv = try TestSupport.run(base + ["--precision", "0.01%", "--max-trials", "3000", "--format", "csv"])
        #expect(csv.status == 0 && csv.stderr.contains("did not all reach 0.01% within 3,000 trials"))
        // A percentage is the same number as the probability it names.
        let percent = try TestSupport.run(base + ["--precision", "0.7%", "--format", "json"])
        let probability = try TestSupport.run(base + ["--precision", "0.007", "--format", "json"])
        #expect(percent.stdout == probability.stdout && percent.stdout.contains("\"target\" : 0.007,"))
    }
}
