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
        #expect(csv.first.map(String.init) == Sensitivity.csvHeader)
        #expect(Sensitivity.csvHeader.hasPrefix("input,distribution,p10,p90,at_p10,at_p10_std_err,at_p90"))
        #expect(csv.count == 1 + tornado.entries.count)
        let html = try Sensitivity.OutputFormat.html.render(tornado)
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8))
        #expect(parser.parse())
        for entry in tornado.entries { #expect(html.contains("data-input=\"\(entry.input)\"")) }
        #expect(html.contains("Which assumption the answer hangs on"))
    }

    /// One rep with so many enrollments that its score is a function of one uncertain rate, and a
    /// second rate with next to no spread.
    static let oneInput = """
        name: one input decides
        seed: 5
        segments:
          core: {bounce: {uniform: [0.0200, 0.0200001]}, reply: {uniform: [0.03, 0.12]}}
        reps:
          - name: ana
            enrollments: [{sequence: out, completed: 200000, audience: core}]
        """

    @Test func anInputWithoutSpreadScoresZeroAndASoleDriverScoresOne() async throws {
        let scenario = try Scenario.parse(Self.oneInput, file: "one.yaml")
        let result = try await Sensitivity.analyze(
            scenario,
            options: SimulationOptions(trials: 1500, seed: 5, threads: 2),
            metric: .init(kind: .meanScore, level: "ana")
        )
        let indices = try #require(result.indices)
        let reply = try #require(indices.inputs.first { $0.input == "segment core: reply rate" }).index
        let bounce = try #require(indices.inputs.first { $0.input == "segment core: bounce rate" }).index
        // The score is a step function of the reply rate alone: both its indices are about 1.
        #expect(abs(reply.first - 1) < 0.1 && abs(reply.total - 1) < 0.1)
        #expect(abs(reply.first - 1) <= reply.firstConf + 0.02)
        // The bounce rate has no spread to speak of: 0 within its intervals, and no swing.
        #expect(abs(bounce.first) <= bounce.firstConf + 1e-9 && abs(bounce.total) <= bounce.totalConf + 1e-9)
        let swing = try #require(result.entries.first { $0.input == "segment core: bounce rate" }?.swing)
        #expect(abs(swing) < 1e-9)
        // With 200,000 enrollments the noise explains next to nothing.
        #expect(try #require(indices.noise).index.total < 0.05)
    }

    /// The first-order index against a brute-force nested Monte Carlo estimate of
    /// Var(E[Y | X_i]) / Var(Y): outer values of the input at its quantiles, inner runs of `run`
    /// on the scenario with the input fixed there, the inner means' variance less their noise.
    @Test func firstOrderIndicesAgreeWithNestedMonteCarlo() async throws {
        let yaml = """
            name: nested
            seed: 9
            segments:
              core: {bounce: {uniform: [0.005, 0.045]}, reply: {beta: {mean: 0.08, sd: 0.02}}}
            reps:
              - name: ana
                enrollments: [{sequence: out, completed: 400, audience: core}]
            """
        let scenario = try Scenario.parse(yaml, file: "nested.yaml")
        let options = SimulationOptions(trials: 4000, seed: 9, threads: 2)
        let metric = Sensitivity.Metric(kind: .pAtLeast("Good"), level: "ana")
        let result = try await Sensitivity.analyze(scenario, options: options, metric: metric, analyses: [.indices])
        let indices = try #require(result.indices)
        let plan = SimulationPlan(scenario)
        let outer = 40
        let inner = SimulationOptions(trials: 500, seed: 10, threads: 2)
        for input in plan.uncertainInputs {
            var means: [Double] = []
            for k in 0..<outer {
                let value = plan.quantile(of: input, (Double(k) + 0.5) / Double(outer))
                let run = try await Simulation.run(plan.fixing(input, at: value), options: inner)
                means.append(
                    try #require(RunReport(scenario: scenario, result: run).strategies[0].reps[0].pAtLeast?["Good"])
                )
            }
            let mean = means.reduce(0, +) / Double(outer)
            let spread = means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(outer - 1)
            // Each inner mean carries binomial noise p(1 − p)/M; take its average off.
            let noise = means.reduce(0) { $0 + $1 * (1 - $1) } / Double(outer) / Double(inner.trials)
            let nested = (spread - noise) / indices.variance
            let estimate = try #require(indices.inputs.first { $0.input == input.name }).index
            #expect(
                abs(estimate.first - nested) < estimate.firstConf + 0.05,
                "\(input.name): \(estimate.first) vs \(nested)"
            )
        }
    }

    @Test func everyPartIsTheSameForAnyNumberOfThreads() async throws {
        let scenario = try Scenario.parse(Self.yaml, file: "tornado.yaml")
        let metric = Sensitivity.Metric(kind: .repsAtLeast("Good"))
        let one = try await Sensitivity.analyze(
            scenario,
            options: SimulationOptions(trials: 700, seed: 3, threads: 1),
            metric: metric
        )
        let three = try await Sensitivity.analyze(
            scenario,
            options: SimulationOptions(trials: 700, seed: 3, threads: 3),
            metric: metric
        )
        #expect(one.indices != nil && one.decision != nil)
        for format in Sensitivity.OutputFormat.allCases {
            #expect(try format.render(one) == (try format.render(three)))
        }
    }

    /// A lever that may help or hurt: on average it helps, but knowing its effect first changes
    /// the decision whenever it hurts (a lift under 1, half the time); an input that drives no
    /// difference between the choices changes nothing.
    @Test func theDecisionChangesWhenTheLeverMayHurt() async throws {
        let yaml = """
            name: decision
            seed: 4
            segments:
              core: {bounce: 0.02, reply: 0.06}
            reps:
              - name: ana
                enrollments: [{sequence: out, completed: {poisson: 1000}, audience: core}]
            interventions:
              tokens: {kind: personalization, replyLift: {uniform: [0.6, 1.4]}}
            strategies:
              - {name: tokens, apply: [tokens]}
            """
        let scenario = try Scenario.parse(yaml, file: "decision.yaml")
        let result = try await Sensitivity.analyze(
            scenario,
            options: SimulationOptions(trials: 4000, seed: 4, threads: 2),
            metric: .init(kind: .meanScore, level: "ana"),
            analyses: [.decision]
        )
        let decision = try #require(result.decision)
        #expect(decision.best == "tokens")
        let lift = try #require(decision.entries.first { $0.input == "intervention tokens: effect" })
        #expect(abs(lift.pChange - 0.5) < 0.1)
        #expect(lift.evpi > 5 * lift.evpiStdErr)
        #expect(Set(lift.bestWhenKnown.map(\.strategy)) == [Strategy.baselineName, "tokens"])
        let volume = try #require(decision.entries.first { $0.input.hasPrefix("rep ana") })
        #expect(volume.evpi <= decision.noiseFloor + 3 * volume.evpiStdErr + 1e-9)
        #expect(result.text().contains("P(best changes)"))
        #expect(result.indices == nil && result.entries.isEmpty)
    }

    /// A mean score that some trials do not define (the rep falls under 100 enrollments): the
    /// tornado still runs, the indices and the decision say why they do not.
    @Test func anUndefinedMeanScoreSkipsTheIndicesWithAReason() async throws {
        let yaml = """
            name: sometimes ineligible
            seed: 2
            segments:
              core: {bounce: 0.02, reply: 0.08}
            reps:
              - name: ana
                enrollments: [{sequence: out, completed: {poisson: 100}, audience: core}]
            interventions:
              tokens: {kind: personalization, replyLift: 1.2}
            strategies:
              - {name: tokens, apply: [tokens]}
            """
        let result = try await Sensitivity.analyze(
            try Scenario.parse(yaml, file: "ineligible.yaml"),
            options: SimulationOptions(trials: 300, seed: 2, threads: 2),
            metric: .init(kind: .meanScore, level: "ana")
        )
        #expect(result.indices == nil && result.decision == nil)
        #expect(result.entries.count == 1)
        #expect(result.notes.count == 2 && result.notes.allSatisfy { $0.contains("at-least:BAND") })
        #expect(result.notes[0].contains("of the design's 1,500 evaluations"))
    }

    @Test func badMetricsAreRefused() throws {
        let rules = try RuleSet.load("hubspot")
        #expect(throws: ScenarioError.self) { try Sensitivity.Metric.kind("reps:Great", rules: rules) }
        #expect(throws: ScenarioError.self) { try Sensitivity.Metric.kind("median", rules: rules) }
        #expect(try Sensitivity.Metric.kind("at-least:good", rules: rules) == .pAtLeast("Good"))
    }
}
