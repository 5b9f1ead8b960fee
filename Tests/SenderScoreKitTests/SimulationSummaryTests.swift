import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Results in parts: block ranges, exact merges in any order, saved summaries, fingerprints and
/// the limits the engine enforces itself.
@Suite struct SimulationSummaryTests {
    static let yaml =
        StrategyTests.team + """

            interventions:
              tokens: {kind: personalization, replyLift: {uniform: [1.1, 1.3]}}
              clean: {kind: filterUnengaged, efficacy: 0.8}
            strategies:
              - {name: both, apply: [tokens, clean]}
            """

    static let options = SimulationOptions(trials: 3_500, seed: 9, threads: 2)

    func plan(_ yaml: String = yaml) throws -> SimulationPlan {
        SimulationPlan(try Scenario.parse(yaml, file: "parts.yaml"))
    }

    func part(
        _ plan: SimulationPlan,
        _ blocks: Range<Int>,
        options: SimulationOptions = options
    ) async throws
        -> SimulationResult
    {
        try await Simulation.run(plan, options: options, blocks: blocks)
    }

    @Test func partsMergeToTheWholeRunInAnyOrder() async throws {
        let plan = try plan()
        let whole = try await Simulation.run(plan, options: Self.options)
        #expect(whole.isComplete && whole.summary.blocks == [0..<4])
        let parts = [
            try await part(plan, 0..<1), try await part(plan, 1..<3), try await part(plan, 3..<4),
        ]
        #expect(parts.allSatisfy { !$0.isComplete && $0.fingerprint == whole.fingerprint })
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            var merged = parts[order[0]]
            for index in order.dropFirst() { merged = try merged.merged(with: parts[index]) }
            #expect(merged.summary == whole.summary, "order \(order)")
            #expect(merged.isComplete)
        }
        // Grouped the other way: (0 + (1 + 2)).
        let right = try parts[0].merged(with: parts[1].merged(with: parts[2]))
        #expect(right.summary == whole.summary)
        #expect(parts[1].trials == 2_000 && parts[2].trials == 500)
    }

    /// A rep's only sequence has the rep's cohorts: runs record its distributions of counts once
    /// (`SimulationPlan.sameCohorts`) but its outcomes apart, under its own minimum (HubSpot's
    /// 101 for a sequence against 100 for a rep), and under a strategy too.
    @Test func aLevelWithAnothersCohortsSharesItsDistributionsButNotItsOutcomes() async throws {
        let yaml = Self.yaml.replacing("completed: {poisson: 150}", with: "completed: 100")
            .replacing(
                "completed: 400, audience: core}]",
                with: "completed: 400, audience: core}, {sequence: later, completed: 0, audience: core}]"
            )
            .replacing("sequences:\n", with: "sequences:\n  later: {}\n")
        let plan = try plan(yaml)
        func level(_ rep: String?, _ name: String) throws -> Int {
            try #require(plan.levels.firstIndex { $0.rep == rep && $0.name == name })
        }
        let (ana, anaOutbound) = (try level(nil, "ana"), try level("ana", "outbound"))
        let (ben, benOutbound) = (try level(nil, "ben"), try level("ben", "outbound"))
        #expect(plan.sameCohorts[anaOutbound] == ana)
        #expect(plan.sameCohorts[benOutbound] == nil, "a line of no enrollments still has cohorts")
        #expect(plan.sameCohorts[try level("ben", "later")] == nil && plan.sameCohorts[plan.teamLevel] == nil)
        #expect(plan.sharesOutcomeWith.allSatisfy { $0 == nil }, "a sequence's minimum is not a rep's")
        let result = try await Simulation.run(plan, options: Self.options)
        for strategy in 0..<2 {
            let rep = result.summary.summaries[strategy][ana]
            let sequence = result.summary.summaries[strategy][anaOutbound]
            #expect(sequence.trials == 3_500 && rep.trials == 3_500)
            #expect(sequence.replyRate == rep.replyRate && sequence.bounceRate == rep.bounceRate)
            #expect(sequence.completed == rep.completed && sequence.stepReplies == rep.stepReplies)
            #expect(sequence.replyRate.count > 0 && sequence.unsubscribeRate == rep.unsubscribeRate)
            #expect(sequence.replyInTarget == rep.replyInTarget)
            // 100 completed: the rep is eligible when cleaning leaves them all, the sequence never.
            #expect(sequence.eligible == 0 && (strategy == 1 || rep.eligible == 3_500))
            // Recorded in full, and equal to ben's own: the other line completes nothing.
            #expect(result.summary.summaries[strategy][benOutbound] == result.summary.summaries[strategy][ben])
        }
        #expect(result.summary.paired[1][anaOutbound] != result.summary.paired[1][ana])
    }

    @Test func aSavedSummaryReadsBackAndMerges() async throws {
        let plan = try plan()
        let first = try await part(plan, 0..<2)
        let second = try await part(plan, 2..<4)
        let saved = try JSONEncoder().encode(second.summary)
        let read = try JSONDecoder().decode(SimulationSummary.self, from: saved)
        #expect(read == second.summary)
        let fingerprint = try JSONDecoder().decode(RunFingerprint.self, from: JSONEncoder().encode(second.fingerprint))
        let merged = try first.merged(with: read, fingerprint: fingerprint)
        #expect(merged.summary == (try await Simulation.run(plan, options: Self.options)).summary)
    }

    @Test func mergingRefusesTheSameBlockTwiceAndOtherRuns() async throws {
        let plan = try plan()
        let a = try await part(plan, 0..<2)
        let b = try await part(plan, 1..<3)
        let overlap = #expect(throws: ScenarioError.self) { try a.merged(with: b) }
        #expect(overlap?.message == "block 1 is in both summaries")
        var seed = Self.options
        seed.seed = 10
        let other = try await part(plan, 2..<4, options: seed)
        let foreign = #expect(throws: ScenarioError.self) { try a.merged(with: other) }
        #expect(foreign?.message.hasPrefix("the parts come from different runs") == true)
    }

    @Test func theFingerprintFollowsWhatDecidesTheNumbers() throws {
        let plan = try plan()
        let base = RunFingerprint(plan: plan, options: Self.options)
        var threads = Self.options
        threads.threads = 7
        #expect(RunFingerprint(plan: plan, options: threads) == base)
        #expect(base.value.hasPrefix("fnv1a128:") && base.value.count == 9 + 32)
        for change in [
            { (o: inout SimulationOptions) in o.trials += 1 }, { $0.seed += 1 }, { $0.generator = .mt19937 },
        ] {
            var options = Self.options
            change(&options)
            #expect(RunFingerprint(plan: plan, options: options) != base)
        }
        let edited = try self.plan(Self.yaml.replacingOccurrences(of: "completed: 400", with: "completed: 401"))
        #expect(RunFingerprint(plan: edited, options: Self.options) != base)
        let commented = try self.plan("# a comment\n" + Self.yaml)
        #expect(RunFingerprint(plan: commented, options: Self.options) == base)
        let rules = try self.plan(
            Self.yaml + "\nrules: {reply: [{from: 0, points: 0}], bounce: [{from: 0, points: 50}], "
                + "bands: [{from: 0, name: Low}]}\n"
        )
        #expect(RunFingerprint(plan: rules, options: Self.options) != base)
    }

    @Test func theEngineEnforcesItsOwnLimits() async throws {
        let plan = try plan()
        for trials in [0, -5, SimulationOptions.trialLimit + 1] {
            let error = await #expect(throws: ScenarioError.self) {
                try await Simulation.run(plan, options: SimulationOptions(trials: trials, seed: 1, threads: 1))
            }
            #expect(error?.location == .option("trials") && error?.code == .limit, "\(trials) trials")
        }
        let outside = await #expect(throws: ScenarioError.self) {
            try await Simulation.run(plan, options: Self.options, blocks: 3..<5)
        }
        #expect(outside?.message == "blocks 3..<5 are outside the run's 4 blocks (0..<4)")
    }

    /// A saved summary, as JSON text, with `edit` applied to its object.
    func edited(_ summary: SimulationSummary, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any]
        )
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// The first level summary of a saved summary's object, edited.
    func editLevel(_ object: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var summaries = object["summaries"] as! [[[String: Any]]]
        edit(&summaries[0][0])
        object["summaries"] = summaries
    }

    @Test func savedSummariesThatNoRunMakesAreRefused() async throws {
        let plan = try plan()
        let part = try await part(plan, 0..<1)
        let forgeries: [(String, (inout [String: Any]) -> Void)] = [
            ("negative trials", { object in self.editLevel(&object) { $0["trials"] = -1 } }),
            ("more trials than a run has", { object in self.editLevel(&object) { $0["trials"] = 2_000_000_000 } }),
            (
                "a bin count that overflows",
                { object in
                    self.editLevel(&object) { level in
                        var completed = level["completed"] as! [String: Any]
                        completed["bins"] = [Int.max, 1]
                        level["completed"] = completed
                    }
                }
            ),
            (
                "sums beyond their count",
                { object in
                    self.editLevel(&object) { level in
                        var rate = level["replyRate"] as! [String: Any]
                        var moments = rate["moments"] as! [String: Any]
                        moments["sum"] = String(Int128.max)
                        rate["moments"] = moments
                        level["replyRate"] = rate
                    }
                }
            ),
            (
                "a bin past the last",
                { object in
                    self.editLevel(&object) { level in
                        var rate = level["replyRate"] as! [String: Any]
                        rate["bins"] = [[5000, 1]]
                        level["replyRate"] = rate
                    }
                }
            ),
            ("a block range backwards", { $0["blocks"] = [[3, 1]] }),
        ]
        for (what, forge) in forgeries {
            let data = try edited(part.summary, forge)
            #expect(throws: DecodingError.self, "\(what)") {
                try JSONDecoder().decode(SimulationSummary.self, from: data)
            }
        }
    }

    @Test func aSavedPartMustFitItsRun() async throws {
        let plan = try plan()
        let first = try await part(plan, 0..<1)
        let fingerprint = first.fingerprint
        let saved = try await part(plan, 1..<2).summary
        let read = try SimulationResult(plan: plan, options: Self.options, saved: saved, fingerprint: fingerprint)
        #expect(read.summary == saved)
        // Blocks outside the run, or trials that are not the blocks' trials.
        let outside = try JSONDecoder().decode(
            SimulationSummary.self,
            from: edited(saved) { $0["blocks"] = [[100, 101]] }
        )
        let wrong = #expect(throws: ScenarioError.self) { try first.merged(with: outside, fingerprint: fingerprint) }
        #expect(wrong?.message.hasSuffix("are not sorted, disjoint ranges within the run's 4 blocks") == true)
        let empty = try JSONDecoder().decode(SimulationSummary.self, from: edited(saved) { $0["blocks"] = [] })
        let unaccounted = #expect(throws: ScenarioError.self) {
            try first.merged(with: empty, fingerprint: fingerprint)
        }
        #expect(unaccounted?.message == "the summary's levels do not all hold the 0 trials of its blocks")
        // Another scenario's summary does not fit.
        let other = try self.plan(StrategyTests.team)
        let foreign = try await Simulation.run(other, options: Self.options, blocks: 1..<2)
        #expect(throws: ScenarioError.self) {
            try SimulationResult(plan: plan, options: Self.options, saved: foreign.summary, fingerprint: fingerprint)
        }
        // A report of a part says how many trials it holds.
        let report = RunReport(scenario: try Scenario.parse(Self.yaml, file: "parts.yaml"), result: first)
        #expect(report.trials == 1_000)
    }

    @Test func theFingerprintIgnoresWhereTheFilesAreAndWhatTheOptionsOverride() throws {
        let inline =
            Self.yaml + "\nrules: {reply: [{from: 0, points: 0}], bounce: [{from: 0, points: 50}], "
            + "bands: [{from: 0, name: Low}]}\n"
        let here = SimulationPlan(try Scenario.parse(inline, file: "a/parts.yaml"))
        let there = SimulationPlan(try Scenario.parse(inline, file: "b/c/other.yaml"))
        #expect(RunFingerprint(plan: here, options: Self.options) == RunFingerprint(plan: there, options: Self.options))
        let ownSeed = SimulationPlan(try Scenario.parse("seed: 99\ntrials: 5\n" + inline, file: "a/parts.yaml"))
        #expect(
            RunFingerprint(plan: ownSeed, options: Self.options) == RunFingerprint(plan: here, options: Self.options)
        )
    }
}
