import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A timeline end to end through `senderscore`: Scenarios/quarter-ramp.yaml in every format,
/// sharded, and a timeline fitted from an export.
@Suite struct TimelineCommandTests {
    static let arguments = ["run", "Scenarios/quarter-ramp.yaml", "--trials", "600", "--quiet"]

    static func report(_ extra: [String] = []) throws -> RunReport {
        let outcome = try TestSupport.run(arguments + ["--format", "json"] + extra)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return try RunReport(json: Data(outcome.stdout.utf8))
    }

    @Test func quarterRampAnswersPeriodByPeriod() throws {
        let report = try Self.report()
        let timeline = try #require(report.timeline)
        #expect(timeline.period == "week" && timeline.periods == 13 && timeline.window == "rolling")
        #expect(timeline.windowPeriods == 13 && timeline.start == "2027-01-04")
        #expect(timeline.labels.first == "week 1 (2027-01-04)" && timeline.labels.last == "week 13 (2027-03-29)")
        #expect(timeline.strategies.map(\.name) == report.strategies.map(\.name))
        for (strategy, last) in zip(timeline.strategies, report.strategies) {
            for (level, whole) in zip(strategy.reps + [strategy.team], last.reps + [last.team]) {
                #expect(level.periods.count == 13 && level.reach.count == 4)
                // The last period's window is the run's own numbers.
                #expect(level.periods[12].bands == whole.bands)
                #expect(level.periods[12].score == whole.score)
                for reach in level.reach.values {
                    #expect(abs(reach.byPeriod.reduce(0, +) + reach.pNever - 1) < 1e-9)
                    #expect(reach.pByPeriod == reach.pByPeriod.sorted())
                }
            }
            #expect((strategy.team.periodsGained == nil) == (strategy.name == "baseline"))
        }
        // The levers start late: week 1's windows hold no enrollment they reached, so they are
        // the baseline's; by the end, verifying and personalizing gets ana to Good sooner.
        let baseline = timeline.strategies[0]
        let both = timeline.strategies[2]
        #expect(both.reps.map { $0.periods[0].bands } == baseline.reps.map { $0.periods[0].bands })
        let gained = try #require(both.reps[0].periodsGained?["Good"])
        #expect(gained.mean > 0 && gained.pEarlier > gained.pLater)
    }

    @Test func everyFormatShowsTheTimeline() throws {
        for (format, words) in [
            ("text", "Timeline: 13 weeks from 2027-01-04"), ("markdown", "## Timeline"),
            ("html", "<section id=\"timeline\">"),
        ] {
            let outcome = try TestSupport.run(Self.arguments + ["--format", format])
            #expect(outcome.status == 0 && outcome.stdout.contains(words), "\(format)")
        }
        let page = try TestSupport.run(Self.arguments + ["--format", "html"]).stdout
        #expect(XMLParser(data: Data(page.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8)).parse())
        // A fan chart and a time-to-target chart per rep and for the team.
        func count(_ text: String) -> Int { page.components(separatedBy: text).count - 1 }
        #expect(count("<figure class=\"chart fan\">") == 4)
        #expect(count("<figure class=\"chart reach\">") == 4)
        #expect(count("<polygon class=\"fan\"") >= 4)

        let csv = try TestSupport.run(Self.arguments + ["--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv[0].hasSuffix(CSVReport.timelineColumns.joined(separator: ",")))
        // 4 strategies × (3 reps, 3 sequences, the team) × 13 weeks × 5 bands, and the header.
        #expect(csv.count == 4 * 7 * 13 * 5 + 1)
    }

    @Test func theTimelineShardsAndMergesExactly() throws {
        let folder = try TestSupport.temporaryDirectory()
        var parts: [String] = []
        for index in 1...3 {
            let part = folder.appendingPathComponent("part-\(index).json").path
            let shard = try TestSupport.run(Self.arguments + ["--shard", "\(index)/3", "--output", part])
            #expect(shard.status == 0, "\(shard.stderr)")
            parts.append(part)
        }
        let single = try TestSupport.run(Self.arguments + ["--format", "json", "--threads", "1"])
        let merged = try TestSupport.run(["merge"] + parts + ["--format", "json"])
        #expect(merged.status == 0 && merged.stdout == single.stdout, "\(merged.stderr)")
        let threads = try TestSupport.run(Self.arguments + ["--format", "json", "--threads", "3"])
        #expect(threads.stdout == single.stdout)
    }

    /// `--trials-out` of a timeline: per trial, each period's cohorts and each window, and the
    /// windows are the sums of their periods' cohorts and the history they hold; tallying a
    /// window's bands gives the timeline's band probabilities exactly.
    @Test func trialsOutHoldsEveryPeriodAndWindow() throws {
        let scenario = try TestSupport.write(
            """
            timeline: {period: week, periods: 3, window: 2}
            segments: {core: {bounce: {uniform: [0.01, 0.05]}, reply: {beta: {mean: 0.07, sd: 0.02}}}}
            reps:
              - name: ana
                enrollments:
                  - {sequence: a, perPeriod: {poisson: 60}, audience: core, inWindow: {completed: 91, bounced: 3, replied: 7}}
            interventions: {t: {kind: personalization, replyLift: 1.3, start: 2}}
            strategies: [{name: t, apply: [t]}]
            """,
            named: "window.yaml"
        )
        let folder = try TestSupport.temporaryDirectory()
        let table = folder.appendingPathComponent("trials.csv").path
        let run = try TestSupport.run(["run", scenario, "--trials", "400", "--format", "json", "--trials-out", table])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport(json: Data(run.stdout.utf8))
        // Fields split at commas outside quotes (the lines' volume columns are quoted).
        func fields(_ line: Substring) -> [String] {
            var fields = [""]
            var quoted = false
            for character in line {
                if character == "\"" {
                    quoted.toggle()
                } else if character == ",", !quoted {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            return fields
        }
        let rows = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").map(fields)
        let header = rows[0]
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "\(name)") }
        #expect(rows.count == 401)
        for strategy in ["baseline", "t"] {
            for level in ["ana", "ana / a", "team"] {
                for row in rows.dropFirst() {
                    func value(_ name: String) throws -> Int { Int(row[try column("\(strategy): \(level): \(name)")])! }
                    for field in ["completed", "bounced", "replied"] {
                        let history = ["completed": 91, "bounced": 3, "replied": 7][field]! / 2
                        #expect(try value("window to week 1: \(field)") == value("week 1: \(field)") + history)
                        #expect(
                            try value("window to week 2: \(field)") == value("week 1: \(field)")
                                + value("week 2: \(field)")
                        )
                        #expect(
                            try value("window to week 3: \(field)") == value("week 2: \(field)")
                                + value("week 3: \(field)")
                        )
                        #expect(try value("window to week 3: \(field)") == value(field))
                    }
                }
            }
            // The windows' bands tallied are the timeline's probabilities.
            let timeline = try #require(report.timeline?.strategies.first { $0.name == strategy })
            for period in 1...3 {
                let bands = try column("\(strategy): ana: window to week \(period): band")
                for (band, p) in timeline.reps[0].periods[period - 1].bands {
                    let count = rows.dropFirst().filter { $0[bands] == band }.count
                    #expect(Double(count) / 400 == p, "\(strategy) week \(period) \(band)")
                }
            }
        }
        // The lever starts in week 2: week 1's cohorts are the baseline's, trial by trial.
        for row in rows.dropFirst() {
            #expect(try row[column("t: ana: week 1: replied")] == row[column("baseline: ana: week 1: replied")])
        }
    }

    /// `plan` and `sensitivity` judge a timeline by the window at the end of its horizon, and
    /// say so.
    @Test func planAndSensitivityJudgeTheEndOfTheHorizon() throws {
        let scenario = try TestSupport.write(
            """
            seed: 4
            timeline: {period: month, periods: 3, window: 2}
            segments: {core: {bounce: {uniform: [0.01, 0.05]}, reply: {beta: {mean: 0.07, sd: 0.02}}}}
            reps:
              - {name: ana, enrollments: [{sequence: a, perPeriod: {poisson: 70}, audience: core}]}
              - {name: ben, enrollments: [{sequence: a, perPeriod: 60, audience: core}]}
            interventions:
              tokens: {kind: personalization, replyLift: 1.3, start: 2, cost: 10}
              content: {kind: content, replyLift: 1.1, cost: 5}
            strategies: [{name: tokens, apply: [tokens]}]
            """,
            named: "horizon.yaml"
        )
        let words = "in the score window at the end of month 3"
        let plan = try TestSupport.run([
            "plan", scenario, "--objective", "repsAtLeast Good", "--first-stage", "200", "--max-trials", "1000",
            "--out-of-sample", "200", "--quiet",
        ])
        #expect(
            plan.status == 0 && plan.stdout.contains("objective: expected number of reps at Good or better \(words)"),
            "\(plan.stderr)"
        )
        let sensitivity = try TestSupport.run(["sensitivity", scenario, "--trials", "200"])
        #expect(sensitivity.status == 0 && sensitivity.stdout.contains(words), "\(sensitivity.stderr)")
        // Per-period volumes are noise, not inputs: the inputs are the rates.
        #expect(!sensitivity.stdout.contains("completed"))
    }

    /// `synth` of a timeline dates each cohort's rows within the period it completes in, so
    /// `score --by week` shows the simulated quarter week by week.
    @Test func synthDatesATimelinesEnrollmentsByPeriod() throws {
        let folder = try TestSupport.temporaryDirectory()
        let export = folder.appendingPathComponent("quarter.csv").path
        let synth = try TestSupport.run(["synth", "Scenarios/quarter-ramp.yaml", "-o", export])
        #expect(synth.status == 0, "\(synth.stderr)")
        let outcome = try TestSupport.run(["score", export, "--by", "week", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let score = try JSONDecoder().decode(ExportScore.self, from: Data(outcome.stdout.utf8))
        let periods = try #require(score.periods)
        #expect(periods.map(\.period) == (1...13).map { String(format: "2027-W%02d", $0) })
        #expect(periods.map(\.team.completed).reduce(0, +) == score.team.completed)
    }

    /// `fit --timeline month`: the export's months become the history in the window, and each
    /// line goes on at its observed pace.
    @Test func fitWritesATimelineFromTheExport() throws {
        let export = try ScoreTrendTests.export()
        let folder = try TestSupport.temporaryDirectory()
        let scenario = folder.appendingPathComponent("fitted.yaml").path
        let fit = try TestSupport.run(["fit", export, "--timeline", "month", "-o", scenario])
        #expect(fit.status == 0, "\(fit.stderr)")
        let text = try String(contentsOfFile: scenario, encoding: .utf8)
        #expect(text.contains("timeline:\n  period: month\n  periods: 3\n  start: 2026-10-01\n  window: 3\n"))
        #expect(text.contains("perPeriod: 90, audience: ana,"))
        #expect(text.contains("inWindow: {completed: 270, bounced: 12, replied: 18, unsubscribed: 0}"))
        let parsed = try Scenario.load(path: scenario)
        #expect(parsed.timeline?.window == .rolling(3))
        #expect(parsed.reps[0].enrollments[0].inWindow == Counts(completed: 270, bounced: 12, replied: 18))
        let run = try TestSupport.run(["run", scenario, "--trials", "300", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try RunReport(json: Data(run.stdout.utf8)).timeline?.periods == 3)
        // Without end dates there is no timeline to fit.
        let undated = try TestSupport.write(
            "Enrollment ID,Enrolled By,Sequence Name,Enrollment State,Email Reply Count,Step Error Type\n1,ana,s,FINISHED,0,\n",
            named: "undated.csv"
        )
        let refused = try TestSupport.run(["fit", undated, "--timeline", "week"])
        #expect(refused.status != 0 && refused.stderr.contains("end-date column") && refused.stdout.isEmpty)
    }
}
