import Foundation
import Testing
import _TestSupport

@Suite struct DataCommandTests {
    @Test func synthScoreAndFitRoundTrip() throws {
        let folder = try TestSupport.temporaryDirectory()
        let export = folder.appendingPathComponent("enrollments.csv").path
        let synth = try TestSupport.run(["synth", "Scenarios/baseline.yaml", "-o", export, "--seed", "3"])
        #expect(synth.status == 0, "\(synth.stderr)")
        #expect(synth.stdout.hasPrefix("1,068 completed enrollments written to \(export) (baseline, seed 3)"))
        let header = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n").first.map(String.init)
        #expect(
            header
                == "hs_enrollment_id,hs_enrolled_by,hs_sequence_name,segment,contact_group,hs_enrolled_at,hs_ended_at,hs_enrollment_state,hs_unenrolled_source,hs_step_error_type,hs_email_reply_count,hs_email_bounce_count,hs_meeting_booked_count,hs_last_executed_step_order"
        )

        let score = try TestSupport.run(["score", export, "--format", "json"])
        #expect(score.status == 0, "\(score.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        let team = try #require(report["team"] as? [String: Any])
        #expect(team["completed"] as? Int == 1068)
        // The counts synth printed are the counts score finds.
        let ana = try #require((report["reps"] as? [[String: Any]])?.first { $0["name"] as? String == "ana" })
        let anaLine = try #require(synth.stdout.split(separator: "\n").first { $0.hasPrefix("ana ") })
        let printed = anaLine.split(separator: " ").dropFirst().compactMap { Int($0) }
        #expect(
            printed.prefix(3)
                == [ana["completed"] as? Int, ana["bounced"] as? Int, ana["replied"] as? Int].compactMap { $0 }[...]
        )

        let fitted = folder.appendingPathComponent("fitted.yaml").path
        let fit = try TestSupport.run(["fit", export, "-o", fitted, "--by", "segment"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let run = try TestSupport.run(["run", fitted, "--trials", "500"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Fitted from enrollments.csv"))
    }

    @Test func strategiesAndBadOptions() throws {
        let export = try TestSupport.temporaryDirectory().appendingPathComponent("plan.csv").path
        let strategy = try TestSupport.run([
            "synth", "Scenarios/combined-plan.yaml", "-o", export, "--strategy", "full plan",
        ])
        #expect(strategy.status == 0, "\(strategy.stderr)")
        #expect(strategy.stdout.contains("(full plan, seed 21)"))
        let unknown = try TestSupport.run([
            "synth", "Scenarios/combined-plan.yaml", "-o", export, "--strategy", "ful plan",
        ])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: --strategy: unknown strategy 'ful plan' (did you mean 'full plan'?)"))
        let window = try TestSupport.run([
            "score", "Tests/Fixtures/export-small.csv", "--from", "2026-10-01", "--to", "2026-07-01",
        ])
        #expect(window.status == 1)
        #expect(
            window.stderr
                == "error: --to: 2026-07-01T23:59:59Z is before the start of the window, 2026-10-01T00:00:00Z\n"
        )
        let badRow = try TestSupport.write(
            "hs_enrolled_by,hs_enrollment_state,hs_email_reply_count,hs_step_error_type\nana,FINISHED,x,\n",
            named: "bad.csv"
        )
        let stopped = try TestSupport.run(["score", badRow])
        #expect(stopped.status == 1)
        #expect(
            stopped.stderr == "error: \(badRow):2:3: hs_email_reply_count: expected a count of 0 or more, found 'x'\n"
        )
        let skipped = try TestSupport.run(["score", badRow, "--skip-invalid"])
        #expect(skipped.status == 0)
        #expect(
            skipped.stdout.contains("skipped 1 × hs_email_reply_count: expected a count of 0 or more (first at line 2)")
        )
    }

    /// A missing column names the option that maps one, where the command has it.
    @Test func aMissingColumnSuggestsMappingOne() throws {
        let csv = try TestSupport.write("Person,hs_enrollment_state\nana,FINISHED\n", named: "people.csv")
        for command in ["score", "fit"] {
            let outcome = try TestSupport.run([command, csv])
            #expect(outcome.status == 1)
            #expect(outcome.stderr.hasPrefix("error: \(csv):1: no column tells the rep: expected hs_enrolled_by"))
            #expect(outcome.stderr.hasSuffix("; the columns are Person, hs_enrollment_state; map one with --columns\n"))
        }
    }
}
