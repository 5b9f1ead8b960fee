import Foundation
import Testing
import _TestSupport

/// `senderscore bench` end to end: every measurement is reported (the figures themselves are
/// not tested: timing thresholds do not belong in unit tests).
@Suite struct BenchCommandTests {
    @Test func reportsEveryMeasurement() throws {
        let outcome = try TestSupport.run(["bench", "--trials", "500", "--repeats", "1", "--threads", "2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "senderscore bench: Scenarios/baseline.yaml, 500 trials, best of 1")
        for label in ["machine: ", "plan: 10 levels", "1 thread ", "2 threads ", "100 per rep ", "100,000 per rep "] {
            #expect(lines.contains { $0.hasPrefix(label) }, "missing \(label)")
        }
        #expect(lines.last?.hasPrefix("volume scaling: a trial with 100,000 completed per rep costs ") == true)
        let zero = try TestSupport.run(["bench", "--threads", "0"])
        #expect(zero.status == 64 && zero.stderr.hasPrefix("Error: --threads must be from 1 to "))
    }
}
