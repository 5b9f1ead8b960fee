import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Validate: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Check a rule set: structure, band map, golden cases, band stability at real volumes.",
            discussion: """
                HubSpot does not publish the points behind the sender score, so candidate rule sets \
                are assumptions. This command says whether one is sound and how far its verdict can be \
                trusted at the volumes reps have:

                  - static checks: rows sorted from 0 without gaps, monotone points, every band \
                reachable, a rep inside both published targets in the top two bands; and the band of \
                every (reply, bounce) cell;
                  - golden cases (--cases): a CSV of completed, bounced, replied and the expected \
                points and/or band; every disagreement is printed with its line;
                  - band stability: for a grid of true rates and a list of volumes, the probability \
                that the observed band is the band of the true rates, exactly (binomial sums through \
                GSL) unless --method montecarlo;
                  - with --against, how often and where two rule sets disagree on the same outcomes.

                Exits with 1 when a check fails or a golden case disagrees.

                Examples:
                  senderscore validate
                  senderscore validate --rules my-rules.yaml --cases golden.csv
                  senderscore validate --rules my-rules.yaml --against hubspot
                  senderscore validate --at 7.5%,2%
                """
        )

        static let rulesHelp: ArgumentHelp = "The rule set to check: a built-in name or a rules file."

        @OptionGroup var rules: RuleSetOption<Validate>

        @Option(help: "A second rule set to compare on the same synthetic outcomes.")
        var against: String?

        @Option(help: "Golden cases: a CSV with completed, bounced, replied and points and/or band columns.")
        var cases: String?

        @Option(
            parsing: .unconditional,
            help: "True reply rates: START:STOP:STEP or a comma list (default 0:0.2:0.01)."
        )
        var replyRates = "0:0.2:0.01"

        @Option(
            parsing: .unconditional,
            help: "True bounce rates: START:STOP:STEP or a comma list (default 0:0.12:0.01)."
        )
        var bounceRates = "0:0.12:0.01"

        @Option(parsing: .unconditional, help: "Completed enrollments to check (default 100,150,250,500,1000).")
        var volumes = "100,150,250,500,1000"

        @Option(
            parsing: .unconditional,
            help: "A true rate pair REPLY,BOUNCE: the smallest volume at which its band is 90% stable."
        )
        var at: String?

        @Option(help: "exact (binomial sums through GSL) or montecarlo.")
        var method: MethodChoice = .exact

        @Option(parsing: .unconditional, help: "Simulated outcomes per rate pair and volume, with --method montecarlo.")
        var trials = 20_000

        @Option(
            parsing: .unconditional,
            help: "Random seed, with --method montecarlo. (default: 1)",
            transform: SeedOption<Validate>.parse
        )
        var seed: UInt64 = 1

        @Flag(help: "Skip the stability analysis (static checks and golden cases only).")
        var noStability = false

        @OptionGroup var threads: ThreadOptions<Validate>

        @OptionGroup var format: TextOrJSONOption

        @OptionGroup var output: OutputOptions<Validate>

        enum MethodChoice: String, ExpressibleByArgument, CaseIterable {
            case exact, montecarlo
        }

        func validate() throws {
            guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        }

        func run() async throws {
            let passed = try await Failure.guarding(offering: ["noStability"]) { () async throws -> Bool in
                let ruleSet = try rules.load(asIs: true)
                let other = try against.map { (name) throws(ScenarioError) in
                    try RuleSet.load(name, asIs: true, writtenAt: .option("against"))
                }
                let destination = try output.open(reading: [ruleSet.file, other?.file, cases])
                // The grid is read only when it is used.
                let stability =
                    noStability
                    ? nil
                    : try StabilityAnalysis.Options(
                        replyRates: RateList.parse(replyRates, option: "replyRates"),
                        bounceRates: RateList.parse(bounceRates, option: "bounceRates"),
                        volumes: RateList.volumes(volumes),
                        method: method == .exact ? .exact : .monteCarlo(trials: trials, seed: seed),
                        threads: threads.count
                    )
                let pair = try at.map { (text) throws(ScenarioError) in try RateList.pair(text, option: "at") }
                let report = try await ValidationReport.validate(
                    ruleSet,
                    against: other,
                    cases: cases,
                    stability: stability,
                    at: pair
                )
                try destination.commit(try format.format.render(report))
                return report.passed
            }
            if !passed { throw ExitCode(1) }
        }
    }
}
