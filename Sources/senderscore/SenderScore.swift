import ArgumentParser

@main
struct SenderScore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senderscore",
        abstract: "Simulate and plan the sequences sender score of sales reps.",
        discussion: """
            The sender score is computed from the reply rate (good: 7–13%) and the bounce rate \
            (good: under 3%) of a rep's sequence emails, once the rep has at least 100 completed \
            enrollments. HubSpot does not publish its points or bands; the built-in rule set \
            'hubspot' is our reconstruction from the published targets.

            Start with:  senderscore run Scenarios/baseline.yaml
            """,
        version: "0.1.0",
        subcommands: [Run.self, Report.self, Validate.self, Synth.self, Score.self, Fit.self, Rules.self, Bench.self]
    )
}
