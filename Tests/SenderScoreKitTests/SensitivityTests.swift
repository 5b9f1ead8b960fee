import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The tornado of `senderscore sensitivity`: fixed inputs do not appear, a conditional mean is
/// `run` on the scenario with that input fixed, levers the measured strategy does not apply are
/// left out, and the answer does not depend on threads.
@Suite struct SensitivityTests {
    static let yaml = """
        name: one uncertain rate
        seed: 3
        segments:
          core: {bounce: 0.02, reply: {uniform: [0.03, 0.12]}}
          fixed: {bounce: 0.01, reply: 0.08}
        reps:
          - name: ana
            enrollments: [{sequence: out, completed: 300, audience: {core: 0.5, fixed: 0.5}}]
          - name: ben
            enrollments: [{sequence: out, completed: {poisson: 150}, audience: core}]
        interventions:
          tokens: {kind: personalization, replyLift: {uniform: [1.0, 1.4]}}
          other: {kind: content, replyLift: {uniform: [1.0, 1.2]}}
        strategies:
          - {name: tokens, apply: [tokens]}
          - {name: other, apply: [other]}
        """

    @Test func theTornadoHoldsOneInputAtATime() async throws {
        let scenario = try Scenario.parse(Self.yaml, file: "tornado.yaml")
        let options = SimulationOptions(trials: 3000, seed: 3, threads: 2)
        let tornado = try await Sensitivity.tornado(
            scenario,
            options: options,
            metric: .init(kind: .meanScore, level: "ana")
        )
        // Only what is drawn: the uncertain reply rate and ben's volume; not the fixed segment, and
        // not the levers, which the baseline does not apply.
        #expect(Set(tornado.entries.map(\.input)) == ["segment core: reply rate", "rep ben, line 0 (out): completed"])
        let reply = try #require(tornado.entries.first { $0.input == "segment core: reply rate" })
        #expect(abs(reply.low - 0.039) < 1e-9 && abs(reply.high - 0.111) < 1e-9)
        // ana's score does not depend on ben's volume: exactly, on common random numbers.
        let volume = try #require(tornado.entries.first { $0.input.hasPrefix("rep ben") })
        #expect(volume.swing == 0)
        #expect(tornado.entries.first?.input == "segment core: reply rate")
        #expect(try #require(reply.swing) > 10)
        // The conditional mean is `run` on the scenario with the input written as that number.
        let fixed = try Scenario.parse(
            Self.yaml.replacingOccurrences(of: "reply: {uniform: [0.03, 0.12]}", with: "reply: \(reply.low)"),
            file: "fixed.yaml"
        )
        var baselineOnly = fixed
        baselineOnly.strategies = []
        let result = try await Simulation.run(SimulationPlan(baselineOnly), options: options)
        let ana = RunReport(scenario: baselineOnly, result: result).strategies[0].reps[0]
        #expect(ana.score.mean == reply.atLow)
        // The same for any number of threads.
        let one = try await Sensitivity.tornado(
            scenario,
            options: SimulationOptions(trials: 3000, seed: 3, threads: 1),
            metric: .init(kind: .meanScore, level: "ana")
        )
        #expect(try JSONOutput.encode(one) == (try JSONOutput.encode(tornado)))
    }

    @Test func aStrategysChangeCountsOnlyItsOwnLevers() async throws {
        let scenario = try Scenario.parse(Self.yaml, file: "tornado.yaml")
        let tornado = try await Sensitivity.tornado(
            scenario,
            options: SimulationOptions(trials: 2000, seed: 3, threads: 2),
            metric: .init(kind: .pAtLeast("Good"), level: "ben", strategy: "Tokens", change: true)
        )
        let names = tornado.entries.map(\.input)
        #expect(names.contains("intervention tokens: effect") && !names.contains { $0.hasPrefix("intervention other") })
        #expect(tornado.metric == "P(Good or better) of ben under Tokens, change against the baseline")
        let text = tornado.text()
        #expect(text.contains("Tornado: the metric with one input held at its 10th and its 90th percentile"))
    }

    @Test func csvAndHTMLCarryEveryInput() async throws {
        let scenario = try Scenario.parse(Self.yaml, file: "tornado.yaml")
        let tornado = try await Sensitivity.tornado(
            scenario,
            options: SimulationOptions(trials: 1000, seed: 3, threads: 2),
            metric: .init(kind: .meanScore)
        )
        let csv = try Sensitivity.OutputFormat.csv.render(tornado).split(separator: "\n")
        #expect(
            csv.first == "input,distribution,p10,p90,at_p10,at_p10_std_err,at_p90,at_p90_std_err,swing,swing_std_err"
        )
        #expect(csv.count == 1 + tornado.entries.count)
        let html = try Sensitivity.OutputFormat.html.render(tornado)
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8))
        #expect(parser.parse())
        for entry in tornado.entries { #expect(html.contains("data-input=\"\(entry.input)\"")) }
        #expect(html.contains("Which assumption the answer hangs on"))
    }

    @Test func badMetricsAreRefused() throws {
        let rules = try RuleSet.load("hubspot")
        #expect(throws: ScenarioError.self) { try Sensitivity.Metric.kind("reps:Great", rules: rules) }
        #expect(throws: ScenarioError.self) { try Sensitivity.Metric.kind("median", rules: rules) }
        #expect(try Sensitivity.Metric.kind("at-least:good", rules: rules) == .pAtLeast("Good"))
    }
}
