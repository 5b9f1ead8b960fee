import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Score: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Compute the actual sender score per rep and per sequence from an enrollment export.",
            discussion: """
                Reads a CSV export of sequence enrollments (one row per enrollment) and reports, per rep, \
                per sequence of a rep and for the team: completed, delivered, replied and bounced \
                enrollments, the rates, the points, the band and eligibility. Enrollments still \
                EXECUTING or PAUSED are left out and counted.

                Columns are found under the CRM's names (hs_enrolled_by, hs_enrollment_state, \
                hs_email_reply_count, hs_step_error_type, …) or common labels, in any case and \
                spacing; the mapping in use is printed, and --columns overrides it. See \
                docs/export-format.md.

                --by month (or week) adds the trend: every month (ISO week, Monday to Sunday) \
                from the first to the last an enrollment ended in, with each rep's, sequence's \
                and the team's enrollments of that period scored on their own, so the history a \
                plan starts from shows, with the completed enrollments behind each score.

                Examples:
                  senderscore score enrollments.csv
                  senderscore score export.csv --from 2026-07-01 --to 2026-09-30 --columns rep=Owner
                  senderscore score export.csv --by month
                """
        )

        @Argument(help: "The enrollment export (CSV).")
        var file: String

        @OptionGroup var rules: RuleSetOption<Score>

        @OptionGroup var export: ExportOptions

        @Option(
            help: "Also score each month or week on its own, by the date enrollments ended: month or week (ISO, UTC)."
        )
        var by: PeriodLength?

        @OptionGroup var format: TextOrJSONOption

        @OptionGroup var output: OutputOptions<Score>

        func run() async throws {
            try await Failure.guarding(offering: ["columns"]) {
                let ruleSet = try rules.load()
                let destination = try output.open(reading: [file, ruleSet.file])
                var options = try export.options()
                options.by = by
                let score = try ExportScore.score(file, rules: ruleSet, options: options)
                try destination.commit(try format.format.render(score))
            }
        }
    }
}
