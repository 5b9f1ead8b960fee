import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Validate: AsyncParsableCommand {
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

        @Option(help: "The rule set to check: a built-in name or a rules file.")
        var rules = "hubspot"

        @Option(help: "A second rule set to compare on the same synthetic outcomes.")
        var against: String?

        @Option(help: "Golden cases: a CSV with completed, bounced, replied and points and/or band columns.")
        var cases: String?

        @Option(help: "True reply rates: START:STOP:STEP or a comma list (default 0:0.2:0.01).")
        var replyRates = "0:0.2:0.01"

        @Option(help: "True bounce rates: START:STOP:STEP or a comma list (default 0:0.12:0.01).")
        var bounceRates = "0:0.12:0.01"

        @Option(help: "Completed enrollments to check (default 100,150,250,500,1000).")
        var volumes = "100,150,250,500,1000"

        @Option(help: "A true rate pair REPLY,BOUNCE: the smallest volume at which its band is 90% stable.")
        var at: String?

        @Option(help: "exact (binomial sums through GSL) or montecarlo.")
        var method: MethodChoice = .exact

        @Option(help: "Simulated outcomes per rate pair and volume, with --method montecarlo.")
        var trials = 20_000

        @Option(help: "Random seed, with --method montecarlo.")
        var seed: UInt64 = 1

        @Flag(help: "Skip the stability analysis (static checks and golden cases only).")
        var noStability = false

        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?

        @Option(help: "Output format: text for people, json for programs.")
        var format: TextOrJSON = .text

        @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
        var output: String?

        enum MethodChoice: String, ExpressibleByArgument, CaseIterable {
            case exact, montecarlo
        }

        func validate() throws {
            guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        }

        func run() async throws {
            let passed = try await Failure.guarding { () async throws -> Bool in
                let destination = Output(path: output)
                try destination.check()
                let ruleSet = try RuleSet.load(rules, asIs: true, citedAt: ScenarioError(file: "--rules", message: ""))
                let other = try against.map { (name) throws(ScenarioError) in
                    try RuleSet.load(name, asIs: true, citedAt: ScenarioError(file: "--against", message: ""))
                }
                var report = ValidationReport(rules: ruleSet, analysis: RuleSetAnalysis(ruleSet))
                if let cases {
                    report.goldenCases = try GoldenCases.check(cases, rules: ruleSet)
                }
                if !noStability {
                    let options = StabilityAnalysis.Options(
                        replyRates: try RateList.parse(replyRates, option: "--reply-rates"),
                        bounceRates: try RateList.parse(bounceRates, option: "--bounce-rates"),
                        volumes: try RateList.volumes(volumes),
                        method: method == .exact ? .exact : .monteCarlo(trials: trials, seed: seed),
                        threads: threads ?? ProcessInfo.processInfo.activeProcessorCount
                    )
                    report.stability = await StabilityAnalysis.run(ruleSet, against: other, options: options)
                }
                if let at {
                    let pair = try RateList.parse(at, option: "--at")
                    guard pair.count == 2 else {
                        throw ScenarioError(
                            file: "--at",
                            message: "expected REPLY,BOUNCE such as 7.5%,2%, found '\(at)'"
                        )
                    }
                    report.minimumVolume = StabilityAnalysis.minimumVolume(ruleSet, reply: pair[0], bounce: pair[1])
                }
                try destination.write(try format.render(report))
                return report.passed
            }
            if !passed { throw ExitCode(1) }
        }
    }
}
