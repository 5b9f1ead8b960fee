import Foundation
import Testing
import _TestSupport

@Suite struct ValidateCommandTests {
    @Test func validatesTheBuiltInByDefault() throws {
        let outcome = try TestSupport.run(["validate", "--volumes", "100,250"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for text in [
            "Checks", "ok    every band reachable", "Band of every rate cell", "7% and up", "Band stability",
            "exact (binomial sums through GSL)", "Result: the rule set passes every check.",
        ] {
            #expect(outcome.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func aWrongGoldenCaseFailsAndNamesItsLine() throws {
        let fixture = try String(contentsOfFile: TestSupport.path("Tests/Fixtures/golden-hubspot.csv"), encoding: .utf8)
        let wrong = fixture.replacingOccurrences(of: "200,0,13,75,Good", with: "200,0,13,75,Excellent")
        let path = try TestSupport.write(wrong, named: "golden.csv")
        let outcome = try TestSupport.run(["validate", "--cases", path, "--no-stability"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("\(path):3: expected band Excellent, got band Good"))
        let good = try TestSupport.run(["validate", "--cases", "Tests/Fixtures/golden-hubspot.csv", "--no-stability"])
        #expect(good.status == 0)
    }

    @Test func aBrokenRuleSetFails() throws {
        let rules = try TestSupport.write(
            """
            reply: [{from: 0, points: 0}, {from: 0.07, points: 50}]
            bounce: [{from: 0, points: 50}, {from: 0.03, points: 0}]
            bands: [{from: 0, name: Low}, {from: 60, name: Mid}, {from: 90, name: High}]
            """,
            named: "broken.yaml"
        )
        let outcome = try TestSupport.run(["validate", "--rules", rules, "--no-stability"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("FAIL  every band reachable"))
        #expect(outcome.stdout.contains("band 'Mid' (from 60 points) is never reached"))
    }

    @Test func comparesTwoRuleSetsAsJSON() throws {
        let outcome = try TestSupport.run([
            "validate", "--against", "hubspot", "--volumes", "100", "--format", "json",
            "--reply-rates", "5%,7%,9%", "--bounce-rates", "0:0.04:0.02", "--at", "10%,1%",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let stability = try #require(report["stability"] as? [String: Any])
        #expect((stability["cells"] as? [Any])?.count == 9)
        #expect(stability["meanDisagreement"] as? [Double] == [0])
        #expect((report["minimumVolume"] as? [String: Any])?["volume"] as? Int != nil)
    }

    @Test func badOptionsAreClear() throws {
        let outcome = try TestSupport.run(["validate", "--at", "7%"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "error: --at: expected REPLY,BOUNCE such as 7.5%,2%, found '7%'\n")
    }

    /// Without the stability analysis its grid is not read, as before the option groups.
    @Test func noStabilityLeavesTheGridUnread() throws {
        let outcome = try TestSupport.run(["validate", "--no-stability", "--volumes", ","])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let read = try TestSupport.run(["validate", "--volumes", ","])
        #expect(read.stderr == "error: --volumes: give at least one volume\n")
    }
}
