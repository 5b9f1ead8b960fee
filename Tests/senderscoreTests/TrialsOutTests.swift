import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// `run --trials-out`: every trial's row, the same bytes for any --threads, tallies that give
/// `run`'s band probabilities exactly, and gzip that decompresses to the same table.
@Suite struct TrialsOutTests {
    @Test func rowsTallyToTheRunAndDoNotDependOnThreads() throws {
        let folder = try TestSupport.temporaryDirectory()
        let one = folder.appendingPathComponent("one.csv").path
        let three = folder.appendingPathComponent("three.csv").path
        let report = folder.appendingPathComponent("run.json").path
        let arguments = ["run", "Scenarios/combined-plan.yaml", "--trials", "2300", "--seed", "5", "--quiet"]
        let first = try TestSupport.run(
            arguments + ["--threads", "1", "--trials-out", one, "--format", "json", "-o", report]
        )
        #expect(first.status == 0, "\(first.stderr)")
        let second = try TestSupport.run(arguments + ["--threads", "3", "--trials-out", three])
        #expect(second.status == 0, "\(second.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: one))
        #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: three))))

        let reader = CSVReader(text: String(decoding: bytes, as: UTF8.self), file: one)
        let header = try #require(try reader.next()).fields
        #expect(header.first == "trial")
        #expect(header.contains("segment target-accounts: reply rate"))
        #expect(header.contains("full plan: chloe: band") && header.contains("baseline: team: score"))
        var tallies: [String: Int] = [:]
        var rows = 0
        while let record = try reader.next() {
            #expect(record.fields.count == header.count)
            #expect(record.fields[0] == String(rows))
            rows += 1
            for (column, value) in zip(header, record.fields) where column.hasSuffix(": band") {
                tallies["\(column.dropLast(6))|\(value)", default: 0] += 1
            }
        }
        #expect(rows == 2300)
        let result = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: report)))
        for strategy in result.strategies {
            for level in strategy.rows {
                let name = level.kind == .sequence ? "\(level.level.rep ?? "") / \(level.level.name)" : level.level.name
                for (band, p) in level.level.bands {
                    let count = tallies["\(strategy.name): \(name)|\(band)"] ?? 0
                    #expect(count == Int((p * 2300).rounded()), "\(strategy.name) \(name) \(band)")
                }
            }
        }
    }

    @Test func gzipHoldsTheSameTable() throws {
        let folder = try TestSupport.temporaryDirectory()
        let plain = folder.appendingPathComponent("t.csv").path
        let packed = folder.appendingPathComponent("t.csv.gz").path
        let arguments = ["run", "Scenarios/baseline.yaml", "--trials", "1500", "--quiet"]
        #expect(try TestSupport.run(arguments + ["--trials-out", plain]).status == 0)
        #expect(try TestSupport.run(arguments + ["--trials-out", packed]).status == 0)
        let unpacked = try TestSupport.runProgram("/bin/gzip", ["-dc", packed])
        #expect(unpacked.status == 0)
        #expect(unpacked.stdout == (try String(contentsOfFile: plain, encoding: .utf8)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: packed)).count < unpacked.stdout.utf8.count / 3)
    }

    @Test func theTrialsGoToAFileOfTheirOwn() throws {
        let folder = try TestSupport.temporaryDirectory()
        let path = folder.appendingPathComponent("same.txt").path
        let same = try TestSupport.run([
            "run", "Scenarios/baseline.yaml", "--trials", "100", "-o", path, "--trials-out", path,
        ])
        #expect(same.status == 1 && same.stderr.contains("is also the --output file"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let both = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "100", "--trials-out", "-"])
        #expect(both.status == 1 && both.stderr.contains("already goes to standard output"))
        let input = try TestSupport.run([
            "run", "Scenarios/baseline.yaml", "--trials", "100", "--trials-out", "Scenarios/baseline.yaml",
        ])
        #expect(input.status == 1)
    }
}
