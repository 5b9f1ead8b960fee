import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// `score --by month|week`: the real score's trend from an export.
@Suite struct ScoreTrendTests {
    /// An export whose months are known: in July ana completes 120 (12 replied, 3 bounced), in
    /// August nothing, in September 150 (6 replied, 9 bounced); ben completes 40 in August, and 5
    /// without an end date.
    static func export() throws -> String {
        var rows = [
            "Enrollment ID,Enrolled By,Sequence Name,Enrollment State,Unenrolled Source,Step Error Type,Email Reply Count,Ended At"
        ]
        var id = 0
        func add(_ rep: String, _ count: Int, replied: Int, bounced: Int, month: Int, sequence: String = "outbound") {
            for index in 0..<count {
                id += 1
                let day = 1 + index % 28
                let date = month == 0 ? "" : String(format: "2026-%02d-%02dT12:00:00Z", month, day)
                if index < replied {
                    rows.append("\(id),\(rep),\(sequence),UNENROLLED,REPLY,,1,\(date)")
                } else if index < replied + bounced {
                    rows.append("\(id),\(rep),\(sequence),UNENROLLED,ERROR,BOUNCED,0,\(date)")
                } else {
                    rows.append("\(id),\(rep),\(sequence),FINISHED,,,0,\(date)")
                }
            }
        }
        add("ana", 120, replied: 12, bounced: 3, month: 7)
        add("ana", 150, replied: 6, bounced: 9, month: 9)
        add("ben", 40, replied: 4, bounced: 0, month: 8, sequence: "inbound")
        add("ben", 5, replied: 0, bounced: 0, month: 0, sequence: "inbound")
        return try TestSupport.write(rows.joined(separator: "\n") + "\n", named: "months.csv")
    }

    @Test func monthsHoldWhatEndedInThem() throws {
        let path = try Self.export()
        let outcome = try TestSupport.run(["score", path, "--by", "month", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let score = try JSONDecoder().decode(ExportScore.self, from: Data(outcome.stdout.utf8))
        let periods = try #require(score.periods)
        #expect(score.by == .month && score.undated == 5)
        #expect(periods.map(\.period) == ["2026-07", "2026-08", "2026-09"])
        #expect(periods.map(\.from) == ["2026-07-01", "2026-08-01", "2026-09-01"])
        #expect(periods.map(\.to) == ["2026-07-31", "2026-08-31", "2026-09-30"])
        let ana = periods.map { $0.reps[0] }
        #expect(ana.map(\.name) == ["ana", "ana", "ana"])
        #expect(ana.map(\.completed) == [120, 0, 150])
        #expect(ana.map(\.replied) == [12, 0, 6])
        #expect(ana.map(\.bounced) == [3, 0, 9])
        #expect(ana[0].replyRate == 12.0 / 117 && ana[0].bounceRate == 3.0 / 120)
        #expect(ana.map(\.eligible) == [true, false, true])
        #expect(periods.map { $0.reps[1].completed } == [0, 40, 0])
        #expect(periods.map(\.team.completed) == [120, 40, 150])
        #expect(periods.map { $0.sequences.map(\.completed) } == [[120, 0], [0, 40], [150, 0]])
        // The periods add up to the whole, but for what has no end date.
        #expect(periods.map(\.team.completed).reduce(0, +) + 5 == score.team.completed)
        // Each period is scored as a score of its enrollments alone would be.
        let rules = try RuleSet.load("hubspot")
        let july = ExportScore.level("ana", rep: nil, Counts(completed: 120, bounced: 3, replied: 12), .rep, rules)
        #expect(ana[0].score == july.score && ana[0].band == july.band)

        let text = try TestSupport.run(["score", path, "--by", "month"])
        #expect(text.stdout.contains("By month, by the day enrollments ended (UTC)"))
        #expect(
            text.stdout.replacingOccurrences(of: "\n  ", with: " ").contains("5 completed enrollments have no end date")
        )
        #expect(text.stdout.contains("2026-08"))
    }

    @Test func weeksAreISOWeeks() throws {
        func label(_ text: String) -> String { PeriodLength.week.period(of: Timestamp(parsing: text)!).label }
        #expect(label("2026-07-02") == "2026-W27")
        #expect(label("2026-07-05T23:59:59Z") == "2026-W27")
        #expect(label("2026-07-06") == "2026-W28")
        #expect(label("2020-12-31") == "2020-W53")
        #expect(label("2021-01-03") == "2020-W53")
        #expect(label("2021-01-04") == "2021-W01")
        #expect(label("2024-12-30") == "2025-W01")
        #expect(label("1970-01-01") == "1970-W01")
        let week = PeriodLength.week.period(of: Timestamp(parsing: "2026-07-02")!)
        #expect(week.firstDay == "2026-06-29" && week.lastDay == "2026-07-05")
        #expect(week.next.label == "2026-W28")
        #expect(label("0999-03-04") == "0999-W10")  // Python: date(999, 3, 4).isocalendar()
        let early = PeriodLength.month.period(of: Timestamp(parsing: "0999-03-04")!)
        #expect(early.label == "0999-03" && early.firstDay == "0999-03-01")
        #expect(PeriodLength.month.period(of: Timestamp(parsing: "0000-01-01T01:00+05:00")!).label == "-0001-12")
        let month = PeriodLength.month.period(of: Timestamp(parsing: "2024-02-10")!)
        #expect(month.label == "2024-02" && month.lastDay == "2024-02-29" && month.next.label == "2024-03")
        #expect(PeriodLength.month.period(of: Timestamp(parsing: "2026-12-31T23:59:59Z")!).next.label == "2027-01")

        let path = try Self.export()
        let outcome = try TestSupport.run(["score", path, "--by", "week", "--format", "json"])
        let score = try JSONDecoder().decode(ExportScore.self, from: Data(outcome.stdout.utf8))
        let periods = try #require(score.periods)
        #expect(periods.first?.period == "2026-W27" && periods.first?.from == "2026-06-29")
        #expect(periods.map(\.team.completed).reduce(0, +) == 310)
        #expect(Set(periods.map(\.period)).count == periods.count)
    }

    @Test func aWindowClipsItsFirstAndLastPeriods() throws {
        let path = try Self.export()
        let outcome = try TestSupport.run([
            "score", path, "--by", "month", "--from", "2026-07-10", "--to", "2026-09-20", "--format", "json",
        ])
        let score = try JSONDecoder().decode(ExportScore.self, from: Data(outcome.stdout.utf8))
        let periods = try #require(score.periods)
        #expect(periods.first?.from == "2026-07-10" && periods.last?.to == "2026-09-20")
        #expect(periods.map(\.period) == ["2026-07", "2026-08", "2026-09"])
    }

    @Test func aTrendNeedsEndDates() throws {
        let path = try TestSupport.write(
            "Enrolled By,Enrollment State,Email Reply Count,Step Error Type\nana,FINISHED,0,\n",
            named: "undated.csv"
        )
        let outcome = try TestSupport.run(["score", path, "--by", "month"])
        #expect(outcome.status == 1 && outcome.stderr.contains("--columns ended=COLUMN"))
        #expect(try TestSupport.run(["score", path]).status == 0)
    }

    @Test func aTrendOfTooManyPeriodsIsRefused() throws {
        let path = try TestSupport.write(
            "Enrolled By,Enrollment State,Email Reply Count,Step Error Type,Ended At\n"
                + "ana,FINISHED,0,,1990-01-01\nana,FINISHED,1,,2026-01-01\n",
            named: "long.csv"
        )
        let outcome = try TestSupport.run(["score", path, "--by", "week"])
        #expect(outcome.status == 1 && outcome.stderr.contains("at most 1,000 periods"))
        #expect(try TestSupport.run(["score", path, "--by", "month"]).status == 0)
        let unknown = try TestSupport.run(["score", path, "--by", "day"])
        #expect(unknown.status == 64)
    }
}
