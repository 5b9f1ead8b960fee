import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// A scenario's `timeline:`: periods, score windows, history, sequence timing and lever starts.
@Suite struct TimelineTests {
    static func run(
        _ yaml: String,
        trials: Int = 2_000,
        seed: UInt64 = 3,
        threads: Int = 2
    ) async throws
        -> SimulationResult
    {
        let scenario = try Scenario.parse(yaml, file: "timeline.yaml")
        let options = SimulationOptions(trials: trials, seed: seed, threads: threads)
        return try await Simulation.run(SimulationPlan(scenario), options: options)
    }

    // MARK: The checks the issue names

    /// A timeline of one period whose window holds everything is the scenario without one: the
    /// same lanes, the same draws, the same numbers, strategies and steps included.
    @Test func onePeriodIsTheScenarioWithoutATimeline() async throws {
        let strategies = """

            strategies:
              - {name: clean, apply: [clean]}
              - {name: all, apply: [tokens, clean, nudge, verify]}
            """
        let plain = try await Self.run(CommonRandomNumberTests.yaml + strategies)
        for timeline in ["timeline: {period: week, periods: 1}", "timeline: {period: month, periods: 1, window: 1}"] {
            let timed = try await Self.run(CommonRandomNumberTests.yaml + strategies + "\n" + timeline)
            #expect(timed.summary.summaries == plain.summary.summaries)
            #expect(timed.summary.paired == plain.summary.paired)
            #expect(timed.summary.repsAtLeast == plain.summary.repsAtLeast)
            // The timeline's one window is the run's.
            let line = try #require(timed.summary.timeline)
            for strategy in 0..<3 {
                for level in 0..<timed.plan.levels.count {
                    #expect(
                        Array(line.cellCounts(strategy: strategy, period: 0, level: level))
                            == plain.summary.summaries[strategy][level].cells
                    )
                }
            }
        }
    }

    static let rolling = """
        timeline: {period: week, periods: 6, window: 4}
        segments:
          core: {bounce: {beta: {mean: 0.03, sd: 0.01}}, reply: {beta: {mean: 0.07, sd: 0.015}}, unsubscribe: 0.01}
          cold: {bounce: 0.08, reply: 0.02, rates: overall, contacts: {unverified: {share: 0.5}}}
        sequences:
          a:
            completesIn: {days: 10}
            steps:
              - {replyShare: 0.6, day: 0}
              - {replyShare: 0.4, day: 6}
          b: {}
        reps:
          - name: ana
            enrollments:
              - {sequence: a, perPeriod: {poisson: 40}, audience: {core: 0.6, cold: 0.4},
                 inWindow: {completed: 90, bounced: 5, replied: 6, unsubscribed: 1}}
              - {sequence: b, perPeriod: [10, 12, 14, 16, 18, 20], audience: core}
          - name: ben
            enrollments:
              - {sequence: a, perPeriod: 30, audience: cold, inWindow: {completed: 41, bounced: 3, replied: 2}}
        interventions:
          verify: {kind: verification, efficacy: 0.7, start: 3, ramp: [0.5]}
          tokens: {kind: personalization, replyLift: 1.3, start: 2}
        strategies:
          - {name: both, apply: [verify, tokens]}
        """

    /// Each window is the sum of the cohorts that complete in its periods, plus the history it
    /// still holds; the run's counts are the last window's.
    @Test func aWindowIsTheSumOfItsPeriodsCohorts() throws {
        let scenario = try Scenario.parse(Self.rolling, file: "rolling.yaml")
        let plan = SimulationPlan(scenario)
        let layout = try #require(plan.timeline)
        #expect(layout.windowFirst == [0, 0, 0, 0, 1, 2])
        let levels = plan.levels.count
        var windows: [Counts] = []
        var running: [Counts] = []
        for trial in [0, 1, 17, 999] {
            var runner = TrialRunner(plan: plan, generator: .default, seed: 11)
            runner.detailedStrategy = 0
            runner.run(trial: trial)
            runner.windows(into: &windows, running: &running)
            // The baseline's periods from its cohorts, one by one.
            var periods = Array(repeating: Counts.zero, count: layout.periods * levels)
            for (index, cohort) in plan.cohorts.enumerated() {
                let detail = runner.cohortDetails[index]
                let counts = Counts(
                    completed: detail.completed,
                    bounced: detail.bounced,
                    replied: detail.repliedAt.reduce(0, +),
                    unsubscribed: detail.unsubscribedAt.reduce(0, +)
                )
                for level in [cohort.repLevel, cohort.sequenceLevel, plan.teamLevel] {
                    periods[cohort.period * levels + level] += counts
                }
            }
            for period in 0..<layout.periods {
                for level in 0..<levels {
                    var expected = Counts.zero
                    for inside in layout.windowFirst[period]...period { expected += periods[inside * levels + level] }
                    expected += layout.history(endingAt: period, level: level, levels: levels)
                    #expect(windows[period * levels + level] == expected, "trial \(trial), period \(period)")
                }
            }
            for strategy in 0..<2 {
                for level in 0..<levels {
                    let last = (strategy * layout.periods + layout.periods - 1) * levels + level
                    #expect(runner.counts[strategy * levels + level] == windows[last])
                }
            }
        }
    }

    /// The history spreads evenly over the window before the start and leaves as it moves on,
    /// rounded down line by line: ana's 90 completed are 67 (3/4, rounded down) at the end of
    /// week 1, then 45, 22 and none.
    @Test func historyLeavesTheWindowPeriodByPeriod() throws {
        let plan = SimulationPlan(try Scenario.parse(Self.rolling, file: "rolling.yaml"))
        let layout = try #require(plan.timeline)
        let levels = plan.levels.count
        let ana = (0..<layout.periods).map { layout.history(endingAt: $0, level: 0, levels: levels) }
        #expect(ana.map(\.completed) == [67, 45, 22, 0, 0, 0])
        #expect(ana.map(\.bounced) == [3, 2, 1, 0, 0, 0])
        let team = (0..<layout.periods).map { layout.history(endingAt: $0, level: plan.teamLevel, levels: levels) }
        #expect(team.map(\.completed) == [67 + 30, 45 + 20, 22 + 10, 0, 0, 0])
    }

    /// An intervention that starts after the horizon leaves every number as the baseline's.
    @Test func aLeverAfterTheHorizonChangesNothing() async throws {
        let late = Self.rolling.replacingOccurrences(of: "start: 3, ramp: [0.5]", with: "start: 7")
            .replacingOccurrences(of: "start: 2}", with: "start: 40}")
        let result = try await Self.run(late, trials: 1_500)
        #expect(result.summary.summaries[1] == result.summary.summaries[0])
        let line = try #require(result.summary.timeline)
        for period in 0..<6 {
            for level in 0..<result.plan.levels.count {
                #expect(
                    line.cellCounts(strategy: 1, period: period, level: level)
                        == line.cellCounts(strategy: 0, period: period, level: level)
                )
            }
        }
        let gain = line.gain(strategy: 1, level: result.plan.teamLevel, band: 2)
        #expect(gain.sum == 0 && gain.squares == 0 && gain.earlier == 0 && gain.later == 0)
    }

    /// A lever applies from its start period on, and only to the enrollments started from then:
    /// the windows before it are the baseline's exactly; a ramp share scales its coverage.
    @Test func aLeverActsFromItsStartWithItsRamp() async throws {
        let result = try await Self.run(
            Self.rolling.replacingOccurrences(of: "completesIn: {days: 10}", with: "completesIn: {days: 0}")
                .replacingOccurrences(of: "day: 6}", with: "day: 0}"),
            trials: 1_500
        )
        let line = try #require(result.summary.timeline)
        // tokens starts in week 2: week 1's window is the baseline's; from week 2 the team's differs.
        for level in 0..<result.plan.levels.count {
            #expect(
                line.cellCounts(strategy: 1, period: 0, level: level)
                    == line.cellCounts(strategy: 0, period: 0, level: level)
            )
        }
        let team = result.plan.teamLevel
        #expect(
            line.cellCounts(strategy: 1, period: 2, level: team) != line.cellCounts(strategy: 0, period: 2, level: team)
        )
        // A ramp of 0.5 on every period is half the coverage.
        let halved = """
            timeline: {period: month, periods: 2}
            segments: {core: {bounce: 0.04, reply: {uniform: [0.04, 0.08]}, rates: overall, contacts: {unverified: {share: 0.3, bounce: {times: 3}}}}}
            reps: [{name: ana, enrollments: [{sequence: a, perPeriod: 80, audience: core}]}]
            interventions:
              tokens: {kind: personalization, replyLift: 1.4, coverage: 0.8, ramp: [0.5, 0.5]}
              verify: {kind: verification, efficacy: 0.9, coverage: 0.6, ramp: [0.5, 0.5]}
            strategies: [{name: half, apply: [tokens, verify]}]
            """
        let ramped = try await Self.run(halved, trials: 1_000)
        let covered = try await Self.run(
            halved.replacingOccurrences(of: "coverage: 0.8, ramp: [0.5, 0.5]", with: "coverage: 0.4")
                .replacingOccurrences(of: "coverage: 0.6, ramp: [0.5, 0.5]", with: "coverage: 0.3"),
            trials: 1_000
        )
        #expect(ramped.summary == covered.summary)
    }

    /// The same numbers for any number of threads.
    @Test func theTimelineIsTheSameForAnyThreads() async throws {
        let one = try await Self.run(Self.rolling, trials: 2_100, threads: 1)
        let three = try await Self.run(Self.rolling, trials: 2_100, threads: 3)
        #expect(one.summary == three.summary)
    }

    // MARK: An exact case

    /// One rep, two periods of 100 completed each, fixed rates, and a 1.5× reply lift on the
    /// enrollments started from period 2. The band of each window and when the rep first stays
    /// at Good or better follow from binomial sums over bounced and replied in each period.
    @Test func twoPeriodsMatchBinomialSums() async throws {
        let yaml = """
            timeline: {period: week, periods: 2}
            segments: {core: {bounce: 0.03, reply: 0.06}}
            reps: [{name: ana, enrollments: [{sequence: a, perPeriod: 100, audience: core}]}]
            interventions: {tokens: {kind: personalization, replyLift: 1.5, start: 2}}
            strategies: [{name: tokens, apply: [tokens]}]
            """
        let trials = 40_000
        let result = try await Self.run(yaml, trials: trials, seed: 9)
        let rules = result.plan.rules
        let line = try #require(result.summary.timeline)
        let good = try #require(rules.bandNames.firstIndex(of: "Good"))

        func pmf(_ n: Int, _ p: Double) -> [Double] { (0...n).map { Densities.binomial($0, n: n, p: p) } }
        func atLeastGood(_ counts: Counts) -> Bool {
            let outcome = rules.outcome(counts, minimum: 100)
            return outcome.cell != nil && outcome.band >= good
        }
        for (strategy, lift) in [(0, 1.0), (1, 1.5)] {
            // P(window 1 ≥ Good), P(window 2 ≥ Good), P(first stays from period 1), P(from period 2).
            var exact = [0.0, 0.0, 0.0, 0.0]
            let bounced = pmf(100, 0.03)
            let replied = (0...20).map { pmf(100 - $0, 0.06) }
            let repliedWithLever = (0...20).map { pmf(100 - $0, 0.06 * lift) }
            for b1 in 0...20 {
                let replied1 = replied[b1]
                for r1 in 0...(100 - b1) where replied1[r1] > 1e-13 {
                    let p1 = bounced[b1] * replied1[r1]
                    let first = atLeastGood(Counts(completed: 100, bounced: b1, replied: r1))
                    for b2 in 0...20 {
                        let replied2 = repliedWithLever[b2]
                        for r2 in 0...(100 - b2) where replied2[r2] > 1e-13 {
                            let p = p1 * bounced[b2] * replied2[r2]
                            let second = atLeastGood(Counts(completed: 200, bounced: b1 + b2, replied: r1 + r2))
                            if first { exact[0] += p }
                            if second { exact[1] += p }
                            if first && second { exact[2] += p }
                            if !first && second { exact[3] += p }
                        }
                    }
                }
            }
            func share(_ count: Int) -> Double { Double(count) / Double(trials) }
            func atLeast(_ period: Int) -> Double {
                share(
                    line.bandCounts(strategy: strategy, period: period, level: 0, rules: rules)[
                        good..<rules.bands.count
                    ].reduce(0, +)
                )
            }
            let reach = line.firstPeriods(strategy: strategy, level: 0, band: good)
            let simulated = [
                atLeast(0), atLeast(1), share(reach[reach.startIndex]), share(reach[reach.startIndex + 1]),
            ]
            for (p, estimate) in zip(exact, simulated) {
                let error = (p * (1 - p) / Double(trials)).squareRoot()
                #expect(abs(estimate - p) <= 4 * error + 1e-12, "strategy \(strategy): \(estimate) vs exact \(p)")
            }
        }
        // The lever starts in period 2: period 1's window is the baseline's, trial by trial.
        #expect(line.cellCounts(strategy: 1, period: 0, level: 0) == line.cellCounts(strategy: 0, period: 0, level: 0))
        #expect(
            atLeastGoodShare(line, strategy: 1, period: 1, good: good, rules: rules)
                > atLeastGoodShare(line, strategy: 0, period: 1, good: good, rules: rules)
        )
    }

    private func atLeastGoodShare(_ line: TimelineSummary, strategy: Int, period: Int, good: Int, rules: RuleSet) -> Int
    {
        line.bandCounts(strategy: strategy, period: period, level: 0, rules: rules)[good..<rules.bands.count].reduce(
            0,
            +
        )
    }

    /// A per-enrollment cost counts the enrollments started from the lever's start to the end
    /// of the horizon; a lever that starts after it costs only its fixed part.
    @Test func aLeversCostCountsTheEnrollmentsItReaches() throws {
        let scenario = try Scenario.parse(
            """
            timeline: {period: week, periods: 4}
            segments: {core: {bounce: 0.02, reply: 0.06}}
            reps: [{name: ana, enrollments: [{sequence: a, perPeriod: [10, 20, 30, 40], audience: core}]}]
            interventions:
              t: {kind: personalization, replyLift: 1.2, start: 3, cost: {fixed: 100, perEnrollment: 1}}
              late: {kind: personalization, replyLift: 1.2, start: 9, cost: {fixed: 5, perEnrollment: 1}}
            strategies: [{name: t, apply: [t]}, {name: late, apply: [late]}]
            """,
            file: "cost.yaml"
        )
        #expect(scenario.cost(of: scenario.strategies[0])?.mean == 170)
        #expect(scenario.cost(of: scenario.strategies[1])?.mean == 5)
    }

    /// A saved timeline summary (a shard's part) is read back exactly, and one whose counts no
    /// run could make is refused rather than merged into a trap.
    @Test func aSavedTimelineSummaryIsCheckedAsItIsRead() async throws {
        let result = try await Self.run(Self.rolling, trials: 300)
        let summary = try #require(result.summary.timeline)
        let data = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(TimelineSummary.self, from: data) == summary)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for (key, value) in [("cells", Int.max / 2), ("reach", -1), ("gained", Int.max)] as [(String, Int)] {
            var copy = object
            var array = try #require(copy[key] as? [Int])
            array[0] = value
            copy[key] = array
            let edited = try JSONSerialization.data(withJSONObject: copy)
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(TimelineSummary.self, from: edited) }
        }
        object["periods"] = 2_000
        let relaid = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TimelineSummary.self, from: relaid) }
    }

    // MARK: Calendar windows

    /// A quarter window starts with the calendar quarter: months from February hold January's
    /// history until April; weeks belong to the quarter of their Thursday.
    @Test func quarterWindowsFollowTheCalendar() throws {
        let months = Scenario.Timeline(
            length: .month,
            periods: 4,
            startDay: Timestamp.days(year: 2027, month: 2, day: 1),
            window: .quarter
        )
        #expect((0..<4).map(months.windowStart) == [-1, -1, 2, 2])
        #expect((0..<4).map { months.historyShare(endingAt: $0).numerator } == [1, 1, 0, 0])
        #expect(months.label(2) == "month 3 (2027-04-01)")
        let weeks = Scenario.Timeline(
            length: .week,
            periods: 14,
            startDay: Timestamp.days(year: 2027, month: 1, day: 4),
            window: .quarter
        )
        // Week 13 starts on Monday 2027-03-29; its Thursday is April 1st.
        #expect(weeks.windowStart(endingAt: 11) == 0)
        #expect(weeks.windowStart(endingAt: 12) == 12 && weeks.windowStart(endingAt: 13) == 12)
        let rolling = Scenario.Timeline(length: .week, periods: 6, window: .rolling(4))
        #expect((0..<6).map { rolling.historyShare(endingAt: $0).numerator } == [3, 2, 1, 0, 0, 0])
        let lag = rolling.completionLag(days: 10)
        #expect(lag.periods == 1 && abs(lag.late - 3.0 / 7) < 1e-12)
    }

    /// A sequence that takes 10 days splits its starts 4 to 3 between one and two weeks later,
    /// and enrollments in flight at the start come from the first period's pace.
    @Test func enrollmentsCompleteAfterTheirSequence() throws {
        let scenario = try Scenario.parse(Self.rolling, file: "rolling.yaml")
        let plan = SimulationPlan(scenario)
        let timeline = try #require(scenario.timeline)
        #expect(scenario.startPeriods(of: "a", in: timeline) == -2..<5)
        #expect(scenario.startPeriods(of: "b", in: timeline) == 0..<6)
        let periods = Set(plan.cohorts.map(\.period))
        #expect(periods == Set(0..<6))
        // Lines that start in period −2 only complete late (in period 0).
        #expect(plan.laneNames.contains { $0.contains("started in week -1") })
    }

    // MARK: Bad input

    @Test(arguments: [
        (
            "segments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, perPeriod: 5, audience: core}]}]",
            "perPeriod"
        ),
        (
            "timeline: {period: fortnight, periods: 4}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 5, audience: core}]}]",
            "unknown period"
        ),
        (
            "timeline: {period: week, periods: 4, window: quarter}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 5, audience: core}]}]",
            "quarter window needs"
        ),
        (
            "timeline: {period: month, periods: 4, start: 2027-01-15}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 5, audience: core}]}]",
            "first day of a month"
        ),
        (
            "timeline: {period: week, periods: 3}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, perPeriod: [1, 2], audience: core}]}]",
            "3 periods"
        ),
        (
            "timeline: {period: week, periods: 3}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, perPeriod: 4, completed: 4, audience: core}]}]",
            "not both"
        ),
        (
            "timeline: {period: week, periods: 3, window: 0}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core}]}]",
            "window"
        ),
        (
            "timeline: {period: week, periods: 3}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core, inWindow: {completed: 5, bounced: 6, replied: 0}}]}]",
            "bounced"
        ),
        (
            "segments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core}]}]\ninterventions: {t: {kind: personalization, replyLift: 1.2, start: 2}}",
            "needs a `timeline:`"
        ),
        (
            "timeline: {period: week, periods: 3}\nsegments: {core: {bounce: 0.02, reply: 0.05}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core}]}]\ninterventions: {t: {kind: personalization, replyLift: 1.2, ramp: [0.5, 2]}}",
            "share"
        ),
        (
            "segments: {core: {bounce: 0.02, reply: 0.05}}\nsequences: {s: {steps: [{replyShare: 0.5, day: 4}, {replyShare: 0.5, day: 2}]}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core}]}]",
            "comes before"
        ),
        (
            "segments: {core: {bounce: 0.02, reply: 0.05}}\nsequences: {s: {completesIn: {days: 3}, steps: [{replyShare: 1, day: 4}]}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core}]}]",
            "before its last step"
        ),
        (
            "segments: {core: {bounce: 0.02, reply: 0.05}}\nsequences: {s: {completesIn: {days: 3, weeks: 1}}}\nreps: [{name: a, enrollments: [{sequence: s, completed: 4, audience: core}]}]",
            "one unit"
        ),
    ])
    func badTimelinesAreRefused(yaml: String, words: String) {
        let error = TestSupport.scenarioError(yaml)
        #expect(error != nil)
        #expect(error?.description.contains(words) == true, "\(error?.description ?? "no error")")
    }
}
