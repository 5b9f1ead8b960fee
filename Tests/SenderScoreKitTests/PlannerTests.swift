import Testing
import _TestSupport

@testable import SenderScoreKit

/// `Planner` on a small instance (2 reps, 4 team-wide levers: 16 plans), against an exhaustive
/// evaluation of every plan at many trials.
@Suite struct PlannerTests {
    static let yaml = """
        name: small plan
        segments:
          core:
            bounce: {beta: {mean: 0.03, sd: 0.008}}
            reply: {beta: {mean: 0.06, sd: 0.01}}
            contacts: {unengaged: {share: 0.3}, previouslyBounced: {share: 0.04}}
        reps:
          - {name: ana, enrollments: [{sequence: out, completed: 250, audience: core}]}
          - {name: ben, enrollments: [{sequence: out, completed: 112, audience: core}]}
        interventions:
          tokens: {kind: personalization, replyLift: {triangular: [1.0, 1.2, 1.5]}, coverage: 0.8, cost: 1000}
          content: {kind: content, replyLift: {triangular: [1.0, 1.1, 1.3]}, cost: 800}
          clean: {kind: removeBounced, efficacy: 0.95, cost: {fixed: 50, perRep: 25}}
          engaged: {kind: filterUnengaged, efficacy: 0.9, cost: {perEnrollment: 1}}
        plan:
          objective: {repsAtLeast: Good}
          budget: 1900
          constraints: {eligible: 0.95}
          selection: {firstStage: 400, maxTrials: 8000, outOfSample: 1000, indifference: 0.05}
        """

    static func scenario() throws -> Scenario { try Scenario.parse(yaml, file: "small.yaml") }

    /// Every plan's objective on `trials` fresh trials, by plan name.
    static func exhaustive(_ scenario: Scenario, trials: Int) async throws -> [String: Double] {
        let result = try await Planner.plan(scenario, options: .init(seed: 99, generator: .taus2, threads: 2))
        var copy = scenario
        copy.strategies = result.candidates.map(\.strategy)
        let plan = SimulationPlan(copy)
        let scorer = TrialScorer(
            plan: plan,
            objective: scenario.plan!.objective,
            targetBand: "Good",
            repNames: ["ana", "ben"]
        )
        let evaluation = await Simulation.evaluate(
            plan,
            scorer: scorer,
            trials: 1_000_000..<1_000_000 + trials,
            seed: 12_345,
            generator: .taus2,
            threads: 2,
            keepValues: false
        )
        var means: [String: Double] = [:]
        for (index, candidate) in result.candidates.enumerated() {
            means[candidate.name] = Double(evaluation.sums[index]) / Double(trials)
        }
        return means
    }

    @Test func theChosenPlanIsTheBestAffordableFeasibleOneAcrossSeeds() async throws {
        let scenario = try Self.scenario()
        let truth = try await Self.exhaustive(scenario, trials: 20_000)
        let reference = try await Planner.plan(scenario, options: .init(seed: 1, generator: .taus2, threads: 2))
        // The affordable plans that keep both reps eligible (engaged makes ben ineligible).
        let allowed = reference.candidates.filter {
            $0.withinBudget
                && !$0.strategy.applications.contains {
                    scenario.interventions[$0.intervention].name == "engaged"
                }
        }
        let best = allowed.map { truth[$0.name]! }.max()!
        var correct = 0
        for seed in 1...20 {
            let result = try await Planner.plan(
                scenario,
                options: .init(seed: UInt64(seed), generator: .taus2, threads: 2)
            )
            let winner = try #require(result.winner.map { result.candidates[$0] })
            #expect(winner.budgetCost <= 1900)
            #expect(winner.pEligible.allSatisfy { $0 >= 0.95 } || winner.pEligible == winner.baselineEligible)
            if truth[winner.name]! >= best - 0.05 { correct += 1 }
        }
        // The stated probability is 95%: 17 or more of 20 (P(16 or fewer) is under 2% at 95%).
        #expect(correct >= 17, "correct selections: \(correct) of 20")
    }

    @Test func theSameSeedGivesTheSamePlanOnAnyThreadCount() async throws {
        let scenario = try Self.scenario()
        let one = PlanReport(try await Planner.plan(scenario, options: .init(seed: 3, generator: .taus2, threads: 1)))
        let three = PlanReport(try await Planner.plan(scenario, options: .init(seed: 3, generator: .taus2, threads: 3)))
        #expect(try ReportFormat.json.render(one) == ReportFormat.json.render(three))
    }

    @Test func aCostIsCountedOncePerStrategy() throws {
        let scenario = try Self.scenario()
        let clean = scenario.interventions.firstIndex { $0.name == "clean" }!
        let engaged = scenario.interventions.firstIndex { $0.name == "engaged" }!
        // Split into two entries, clean still costs 50 + 25 per rep once.
        let split = Strategy(
            name: "split",
            applications: [.init(intervention: clean, reps: ["ana"]), .init(intervention: clean, reps: ["ben"])]
        )
        #expect(scenario.cost(of: split) == StrategyCost(mean: 100, low: 100, high: 100))
        let perEnrollment = scenario.cost(of: Strategy(name: "e", applications: [.init(intervention: engaged)]))
        #expect(perEnrollment?.mean == 362)
    }

    @Test func badPlanInputIsRefusedWithItsPlace() {
        func message(_ replace: String, _ with: String) -> String? {
            TestSupport.scenarioError(Self.yaml.replacingOccurrences(of: replace, with: with), file: "small.yaml")?
                .description
        }
        #expect(message("{repsAtLeast: Good}", "{repsAbove: Good}")?.contains("plan.objective") == true)
        #expect(message("{repsAtLeast: Good}", "{repsAbove: Good}")?.contains("unknown objective 'repsAbove'") == true)
        #expect(message("budget: 1900", "budget: 10")?.contains("below every plan") == true)
        #expect(message(", cost: 800}", "}")?.contains("intervention 'content' has none") == true)
        #expect(message("{repsAtLeast: Good}", "{pRepsAtLeast: {band: Good, count: 3}}")?.contains("2 reps") == true)
        #expect(message("{repsAtLeast: Good}", "{repsAtLeast: Superb}")?.contains("unknown band 'Superb'") == true)
        let located = message("budget: 1900", "budget: 10") ?? ""
        #expect(located.hasPrefix("small.yaml:") && located.contains("plan.budget"), "\(located)")
    }
}

/// Constraints a plan cannot meet, and budgets on the worst-case cost.
@Suite struct PlannerConstraintTests {
    static let yaml = """
        segments: {core: {bounce: 0.02, reply: 0.07, contacts: {previouslyBounced: {share: 0.05}}}}
        reps:
          - {name: ana, enrollments: [{sequence: s, completed: 300, audience: core}]}
          - {name: ben, enrollments: [{sequence: s, completed: {poisson: 120}, audience: core}]}
        interventions:
          tokens: {kind: personalization, replyLift: 1.2, cost: 100}
          clean: {kind: removeBounced, efficacy: 0.9, cost: {fixed: 10, perEnrollment: 0.5}}
        plan:
          objective: {repsAtLeast: Good}
          constraints: {eligible: ELIGIBLE}
          selection: {firstStage: 1000, maxTrials: 2000, outOfSample: 200}
        """

    static func scenario(eligible: String) throws -> Scenario {
        try Scenario.parse(yaml.replacingOccurrences(of: "ELIGIBLE", with: eligible), file: "c.yaml")
    }

    @Test func aLevelTheBaselineClearlyMissesIsAnInfeasibleConstraint() async throws {
        // ben reaches 100 completed enrollments in about 97.6% of trials; no lever adds any.
        let scenario = try Self.scenario(eligible: "0.995")
        let error = await #expect(throws: ScenarioError.self) {
            _ = try await Planner.plan(scenario, options: .init(seed: 1, generator: .taus2, threads: 2))
        }
        #expect(error?.description.hasPrefix("c.yaml:10:") == true, "\(String(describing: error))")
        #expect(error?.description.contains("plan.constraints.eligible: ben is eligible in only") == true)
        // Left out of the constraint, ben no longer blocks the plan.
        let allowed = try Self.scenario(eligible: "0.995, allowIneligible: [ben]")
        let result = try await Planner.plan(allowed, options: .init(seed: 1, generator: .taus2, threads: 2))
        #expect(result.winner != nil)
    }

    @Test func noPlanMeetingTheConstraintsIsAnAnswerWithTheNearestMisses() async throws {
        // Just above what ben reaches, within noise: every plan, doing nothing included, misses.
        let scenario = try Self.scenario(eligible: "0.98")
        let result = try await Planner.plan(scenario, options: .init(seed: 1, generator: .taus2, threads: 2))
        #expect(result.winner == nil && result.pCorrectSelection == nil)
        let report = PlanReport(result)
        #expect(report.recommended == nil && report.strategyYAML == nil && report.frontier.isEmpty)
        #expect(report.nearestMisses.first?.misses.first?.hasPrefix("ben eligible") == true)
        #expect(report.text().contains("No plan meets the constraints. The nearest misses:"))
        #expect(try ReportFormat.json.render(report).contains("\"recommended\" : null"))
    }

    @Test func maxDropRejectsAPlanThatCostsARepHisBand() async throws {
        // Filtering unengaged contacts takes ben (about 120 completed) below 100: his P(Good or
        // better) falls to 0. Allowed to be ineligible, he is still protected by maxDrop.
        let yaml = PlannerTests.yaml.replacingOccurrences(
            of: "constraints: {eligible: 0.95}",
            with: "constraints: {eligible: 0.95, allowIneligible: [ben], maxDrop: 0.02}"
        ).replacingOccurrences(of: "budget: 1900", with: "budget: 5000")
        let scenario = try Scenario.parse(yaml, file: "small.yaml")
        let result = try await Planner.plan(scenario, options: .init(seed: 4, generator: .taus2, threads: 2))
        let winner = try #require(result.winner.map { result.candidates[$0] })
        #expect(!winner.name.contains("engaged"))
        let engaged = result.candidates.filter { $0.name.contains("engaged") }
        #expect(!engaged.isEmpty && engaged.allSatisfy { !$0.meetsConstraints })
        #expect(engaged.allSatisfy { $0.misses.contains { $0.hasPrefix("ben P(Good+) falls") } })
    }

    @Test func aBudgetOnTheHighCostBindsOnTheRangesUpperEnd() async throws {
        let base = try Self.scenario(eligible: "0.5")
        let clean = try #require(base.interventions.firstIndex { $0.name == "clean" })
        let cost = try #require(base.cost(of: Strategy(name: "c", applications: [.init(intervention: clean)])))
        #expect(cost.isUncertain && cost.high > cost.mean)
        // A budget between clean's expected cost and its high end: on expected cost it is
        // affordable, on the high end it is not.
        let budget = (cost.mean + cost.high) / 2
        for (basis, affordable) in [("expected", true), ("high", false)] {
            let scenario = try Scenario.parse(
                Self.yaml.replacingOccurrences(of: "ELIGIBLE", with: "0.5")
                    + "\n  budget: {limit: \(budget), on: \(basis)}\n",
                file: "c.yaml"
            )
            let result = try await Planner.plan(scenario, options: .init(seed: 1, generator: .taus2, threads: 2))
            let plans = result.candidates.filter { $0.withinBudget }.map(\.name)
            #expect(plans.contains("clean") == affordable, "\(basis): \(plans)")
            let winner = try #require(result.winner.map { result.candidates[$0] })
            #expect((basis == "high" ? winner.cost?.high ?? 0 : winner.cost?.mean ?? 0) <= budget)
        }
    }
}

/// Past 1,024 plans the planner searches (greedy, then local search) and selects among finalists.
@Suite struct PlannerSearchTests {
    static let yaml = """
        segments:
          core:
            bounce: {beta: {mean: 0.04, sd: 0.01}}
            reply: {beta: {mean: 0.06, sd: 0.01}}
            contacts: {unengaged: {share: 0.3}, previouslyBounced: {share: 0.05}}
        reps:
        \((0..<9).map { "  - {name: r\($0), enrollments: [{sequence: out, completed: \(110 + 20 * $0), audience: core}]}" }.joined(separator: "\n"))
        interventions:
          tokens: {kind: personalization, replyLift: {triangular: [1.0, 1.2, 1.5]}, cost: 900}
          clean: {kind: removeBounced, efficacy: 0.95, cost: {perRep: 40}}
          engaged: {kind: filterUnengaged, efficacy: 0.9, cost: {perRep: 30}}
        plan:
          objective: {repsAtLeast: Good}
          budget: 1200
          levers: {tokens: team, clean: rep, engaged: team}
          selection: {firstStage: 150, maxTrials: 1500, outOfSample: 300}
        """

    @Test func aLargeSpaceIsSearchedAndTheWinnerMeetsBudgetAndConstraints() async throws {
        let scenario = try Scenario.parse(Self.yaml, file: "search.yaml")
        let one = try await Planner.plan(scenario, options: .init(seed: 2, generator: .taus2, threads: 1))
        let two = try await Planner.plan(scenario, options: .init(seed: 2, generator: .taus2, threads: 2))
        #expect(one.search == "greedy + local search" && one.spaceSize == 2048)
        #expect(try ReportFormat.json.render(PlanReport(one)) == ReportFormat.json.render(PlanReport(two)))
        let winner = try #require(one.winner.map { one.candidates[$0] })
        #expect(winner.budgetCost <= 1200 && winner.meetsConstraints)
        // Filtering unengaged contacts takes the small reps below 100 completed enrollments.
        #expect(!winner.name.contains("engaged"))
        #expect(winner.name.contains("clean"))
        #expect(one.outOfSample != nil)
    }
}
