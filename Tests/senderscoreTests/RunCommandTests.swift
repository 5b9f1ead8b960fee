import Foundation
import Testing
import _TestSupport

/// `senderscore run` end to end, through the built executable.
@Suite struct RunCommandTests {
    @Test func runsTheBaselineAsText() throws {
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "2000"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("our reconstruction"))
        for name in ["ana", "ben", "chloe", "dev", "team", "  outbound", "  inbound-follow-up"] {
            #expect(outcome.stdout.contains("\n\(name) "), "missing row \(name)")
        }
        #expect(outcome.stderr.isEmpty)
    }

    @Test func sameSeedSameBytesForAnyThreadCount() throws {
        let arguments = ["run", "Scenarios/baseline.yaml", "--trials", "5500", "--seed", "99", "--format", "json"]
        let one = try TestSupport.run(arguments + ["--threads", "1"])
        let two = try TestSupport.run(arguments + ["--threads", "2"])
        let three = try TestSupport.run(arguments + ["--threads", "3"])
        #expect(one.status == 0)
        #expect(!one.stdout.isEmpty)
        #expect(one.stdout == two.stdout)
        #expect(one.stdout == three.stdout)
        let other = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "5500", "--seed", "100", "--format", "json"])
        #expect(other.stdout != one.stdout)
    }

    @Test func badInputGivesOneMessageAndWritesNothing() throws {
        let scenario = try TestSupport.write("""
            segments:
              core: {bounce: 1.5, reply: 0.1}
            reps: [{name: a, enrollments: [{sequence: s, completed: 100, audience: core}]}]
            """)
        let output = URL(fileURLWithPath: scenario).deletingLastPathComponent().appendingPathComponent("out.json").path
        let outcome = try TestSupport.run(["run", scenario, "--format", "json", "--output", output])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr == "error: \(scenario):2:18: segments.core.bounce: 1.5 is not a probability; expected a value from 0 to 1 (or 0% to 100%)\n")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
