import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct ExportScoreTests {
    let rules = try! RuleSet.load("hubspot")

    func score(_ csv: String, options: ExportScore.Options = .init()) throws -> ExportScore {
        try ExportScore.score(
            ExportReader(reader: CSVReader(text: csv, file: "export.csv"), overrides: options.columns),
            rules: rules,
            options: options
        )
    }

    func message(_ csv: String, options: ExportScore.Options = .init()) -> String? {
        do {
            _ = try score(csv, options: options)
            return nil
        } catch {
            return (error as? ScenarioError)?.description ?? "\(error)"
        }
    }

    @Test func handComputedRatesAndBandsAtTheThresholds() throws {
        let result = try ExportScore.score(TestSupport.path("Tests/Fixtures/export-thresholds.csv"), rules: rules)
        let ana = try #require(result.reps.first { $0.name == "ana" })
        // 14 of 200 delivered is exactly 7%: 50 points; 6 of 206 bounced is under 3%: 50 points.
        #expect((ana.completed, ana.delivered, ana.replied, ana.bounced) == (206, 200, 14, 6))
        #expect(ana.replyRate == 0.07)
        #expect((ana.replyPoints, ana.bouncePoints, ana.score, ana.band) == (50, 50, 100, "Excellent"))
        #expect(ana.replyInTarget && ana.bounceInTarget)
        // 99 completed: no score, and the reason.
        let cara = try #require(result.reps.first { $0.name == "cara" })
        #expect((cara.completed, cara.band, cara.eligible, cara.score) == (99, "Ineligible", false, nil))
        #expect(cara.notes == ["99 completed enrollments; a rep needs at least 100"])
        #expect(cara.bouncePoints == 25)  // 3 of 99 is above 3%
        #expect(result.team.completed == 305)
        #expect(result.sequences.map { "\($0.rep!)/\($0.name)" } == ["ana/outbound", "cara/outbound"])
    }

    @Test func columnsAreFoundUnderTheirLabelsAndQuotedFieldsKeepTheirCommas() throws {
        let result = try ExportScore.score(TestSupport.path("Tests/Fixtures/export-small.csv"), rules: rules)
        #expect(
            result.columns.entries.map(\.field) == [
                "id", "rep", "sequence", "ended", "state", "unenrolledSource", "stepError", "replies",
            ]
        )
        #expect(result.columns.ignored == ["Note"])
        #expect(result.rows == 6)
        #expect(result.excluded.executing == 1 && result.excluded.paused == 1)
        #expect(result.team.completed == 4)
    }

    @Test func datesOutsideTheWindowAreLeftOutAndCounted() throws {
        let options = ExportScore.Options(
            from: Timestamp(parsing: "2026-07-01"),
            to: Timestamp(parsing: "2026-09-30T23:59:59Z")
        )
        let result = try ExportScore.score(
            TestSupport.path("Tests/Fixtures/export-small.csv"),
            rules: rules,
            options: options
        )
        #expect(result.excluded.outsideWindow == 1)
        #expect(result.team.completed == 3)
        #expect(result.reps.map(\.name) == ["ana"])
    }

    static let header = "hs_enrolled_by,hs_enrollment_state,hs_email_reply_count,hs_step_error_type"

    @Test func malformedRowsNameTheirLineAndColumn() {
        #expect(
            message(Self.header + "\nana,FINISHED,x,")
                == "export.csv:2:3: hs_email_reply_count: expected a count of 0 or more, found 'x'"
        )
        #expect(
            message(Self.header + "\nana,DONE,0,")
                == "export.csv:2:2: hs_enrollment_state: unknown enrollment state 'DONE'; expected EXECUTING, PAUSED, FINISHED or UNENROLLED"
        )
        #expect(message(Self.header + "\n,FINISHED,0,") == "export.csv:2:1: hs_enrolled_by: the rep is empty")
        #expect(
            message(Self.header + "\nana,FINISHED,0") == "export.csv:2: expected 4 fields as in the header, found 3"
        )
        #expect(
            message(Self.header + ",contact_group\nana,FINISHED,0,,stale")
                == "export.csv:2:5: contact_group: unknown contact group 'stale'; expected regular, unengaged, previouslyBounced, optedOut, unverified"
        )
        #expect(
            message(Self.header + ",contact_group\nana,FINISHED,0,,unengagd")?.contains("(did you mean 'unengaged'?)")
                == true
        )
        #expect(
            message(Self.header + ",hs_ended_at\nana,FINISHED,0,,July 3rd")
                == "export.csv:2:5: hs_ended_at: expected a date such as 2026-07-03 or 2026-07-03T14:05:00Z, found 'July 3rd'"
        )
    }

    @Test func skippedRowsAreCountedWithTheirReasons() throws {
        let csv = Self.header + "\nana,FINISHED,x,\nana,FINISHED,0,\nana,FINISHED,y,\nana,DONE,0,"
        let result = try score(csv, options: .init(skipInvalid: true))
        #expect(result.team.completed == 1)
        #expect(result.excluded.invalid == 3)
        #expect(
            result.excluded.reasons == [
                .init(reason: "hs_email_reply_count: expected a count of 0 or more", count: 2, firstLine: 2),
                .init(
                    reason:
                        "hs_enrollment_state: unknown enrollment state 'DONE'; expected EXECUTING, PAUSED, FINISHED or UNENROLLED",
                    count: 1,
                    firstLine: 5
                ),
            ]
        )
    }

    @Test func fieldOrdinalsFollowTheirDeclaration() {
        #expect(ExportField.allCases.map(\.ordinal) == Array(ExportField.allCases.indices))
    }

    @Test func emptyFilesHeadersAndUnknownColumns() throws {
        #expect(message("") == "export.csv: the file is empty; expected a header row naming the columns")
        let headerOnly = try score(Self.header + "\n")
        #expect(headerOnly.rows == 0 && headerOnly.team.completed == 0 && headerOnly.team.band == "Ineligible")
        #expect(
            message("Person,Status\nana,FINISHED")?.hasPrefix(
                "export.csv:1: no column tells the rep: expected hs_enrolled_by"
            ) == true
        )
        #expect(
            message("Owner,Status\nana,FINISHED")?.hasPrefix(
                "export.csv:1: no column tells which enrollments got a reply"
            ) == true
        )
        // The rep's column can be named explicitly.
        let mapped = try score("Owner,Status,Replies,Error\nana,FINISHED,1,", options: .init(columns: ["rep": "Owner"]))
        #expect(mapped.reps.map(\.name) == ["ana"])
        #expect(
            message("Owner,Status,Replies,Error\nana,FINISHED,1,", options: .init(columns: ["repp": "Owner"]))
                == "option 'columns': unknown field 'repp' (did you mean 'rep'?); fields: id, rep, sequence, segment, contacts, enrolled, ended, state, unenrolledSource, stepError, replies, bounces, meetings, lastStep"
        )
        #expect(
            message("Owner,Status,Replies,Error\nana,FINISHED,1,", options: .init(columns: ["rep": "Ownr"]))
                == "option 'columns': no column 'Ownr' in export.csv (did you mean 'Owner'?); the columns are Owner, Status, Replies, Error"
        )
    }
}

extension ExportScoreTests {
    @Test func skippingARowWithAStrayQuoteSkipsOnlyThatRow() throws {
        let csv = "rep,state,replies,bounces\nana,FINISHED,1,0\nana,FINISHED,\"1\"x,0\nana,FINISHED,0,0\n"
        let result = try score(csv, options: .init(skipInvalid: true))
        #expect(result.team.completed == 2)
        #expect(result.excluded.invalid == 1)
        // A quote never closed swallows the rest of the file: that stops even with --skip-invalid.
        #expect(throws: ScenarioError.self) {
            try score(
                "rep,state,replies,bounces\nana,\"FINISHED,0,0\nana,FINISHED,0,0\n",
                options: .init(skipInvalid: true)
            )
        }
    }

    @Test func booleanCountsDatesAndMissingSequences() throws {
        let csv =
            "rep,sequence,state,replied,bounced,ended\n"
            + "ana,out,FINISHED,true,false,2026-07-01T10:00:00+0200\n"
            + "ana,,FINISHED,no,yes,2026-07-02\n"
        let result = try score(csv)
        #expect((result.team.replied, result.team.bounced) == (1, 1))
        #expect(result.sequences.map(\.name) == ["out", "(no sequence)"])
        #expect(Timestamp(parsing: "2026-02-31") == nil)
        #expect(Timestamp(parsing: "2026-07-01T10:00:00+0200")?.description == "2026-07-01T08:00:00Z")
        #expect(Timestamp(parsing: "2026-07-01T10:00:00-03")?.description == "2026-07-01T13:00:00Z")
    }

    @Test func theMostSpecificColumnNameWins() throws {
        let csv = "Sequence ID,Sequence name,Owner,Status,Replies,Bounces\n123,outbound,ana,FINISHED,0,0\n"
        let result = try score(csv)
        #expect(result.sequences.map(\.name) == ["outbound"])
    }
}
