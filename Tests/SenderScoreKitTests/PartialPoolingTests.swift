import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Partial pooling: calibrated intervals over many synthetic datasets from known rates, smaller
/// errors than fitting each group alone, and `fit --by rep,sequence` end to end.
@Suite struct PartialPoolingTests {
    /// Per dataset: 6 reps × 3 sequences, true reply rates from rep and sequence effects on the
    /// log-odds scale plus a cell's own, and volumes from 5 to 400 (log-uniform).
    static func datasets(
        _ count: Int,
        seed: UInt64
    ) -> [(truth: [Double], tallies: [PartialPooling.Tally], levels: [[String]])] {
        var random = SplitMix(seed: seed)
        let reps = 6
        let sequences = 3
        return (0..<count).map { _ in
            let team = log(0.08 / 0.92) + 0.3 * random.normal()
            let repEffects = (0..<reps).map { _ in 0.4 * random.normal() }
            let sequenceEffects = (0..<sequences).map { _ in 0.3 * random.normal() }
            var truth: [Double] = []
            var tallies: [PartialPooling.Tally] = []
            var levels: [[String]] = [[], []]
            for rep in 0..<reps {
                for sequence in 0..<sequences {
                    let logOdds = team + repEffects[rep] + sequenceEffects[sequence] + 0.2 * random.normal()
                    let p = 1 / (1 + exp(-logOdds))
                    let n = Int(exp(log(5) + random.uniform() * (log(400) - log(5))).rounded())
                    truth.append(p)
                    tallies.append(.init(random.binomial(n, p), of: n))
                    levels[0].append("rep \(rep)")
                    levels[1].append("sequence \(sequence)")
                }
            }
            return (truth, tallies, levels)
        }
    }

    /// The share of true rates inside the central 90% posterior intervals, and the mean squared
    /// error of the posterior means, with pooling and with Jeffreys' prior alone.
    static func calibration(
        _ count: Int,
        seed: UInt64
    ) -> (pooled: Double, flat: Double, pooledError: Double, flatError: Double) {
        var covered = (pooled: 0, flat: 0)
        var squared = (pooled: 0.0, flat: 0.0)
        var cells = 0
        for dataset in datasets(count, seed: seed) {
            let pooled = PartialPooling.posteriors(dataset.tallies, levels: dataset.levels)
            for (index, tally) in dataset.tallies.enumerated() {
                let truth = dataset.truth[index]
                for (isPooled, posterior) in [(true, pooled?[index]), (false, nil)] {
                    let posterior = ScenarioFit.Posterior(tally, pooled: posterior, flat: 0.5)
                    let low = Densities.betaQuantile(0.05, alpha: posterior.alpha, beta: posterior.beta)
                    let high = Densities.betaQuantile(0.95, alpha: posterior.alpha, beta: posterior.beta)
                    let inside = low <= truth && truth <= high ? 1 : 0
                    let error = (posterior.mean - truth) * (posterior.mean - truth)
                    if isPooled {
                        covered.pooled += inside
                        squared.pooled += error
                    } else {
                        covered.flat += inside
                        squared.flat += error
                    }
                }
                cells += 1
            }
        }
        let n = Double(cells)
        return (Double(covered.pooled) / n, Double(covered.flat) / n, squared.pooled / n, squared.flat / n)
    }

    /// The figure docs/export-format.md states: 300 datasets of 18 groups.
    @Test func pooledIntervalsCoverTheTrueRatesNinetyPercentOfTheTime() {
        let result = Self.calibration(300, seed: 2026)
        print(
            "partial pooling: 90% intervals cover \(Format.percent(result.pooled, digits: 1)) of 5,400 true rates "
                + "(flat Jeffreys: \(Format.percent(result.flat, digits: 1))); mean squared error "
                + "\(result.pooledError) pooled, \(result.flatError) flat"
        )
        #expect(abs(result.pooled - 0.90) < 0.025, "coverage \(result.pooled)")
        // Borrowing strength: the pooled means are nearer the truth than each group's own.
        #expect(result.pooledError < 0.8 * result.flatError)
    }

    @Test func tooFewGroupsKeepTheFlatPrior() throws {
        #expect(PartialPooling.posteriors([.init(3, of: 10), .init(30, of: 100)]) == nil)
        // Groups with nothing to count do not count.
        #expect(PartialPooling.posteriors([.init(3, of: 10), .init(30, of: 100), .init(0, of: 0)]) == nil)
        #expect(PartialPooling.posteriors([.init(3, of: 10), .init(30, of: 100), .init(9, of: 100)])?.count == 3)
        // Ten alike groups pool strongly: a group of 5 with no successes stays near the others' 8%.
        let alike = try #require(
            PartialPooling.posteriors(Array(repeating: .init(40, of: 500), count: 10) + [.init(0, of: 5)])
        )
        let small = alike[10]
        #expect(abs(small.priorMean - 0.08) < 0.005)
        #expect(small.alpha / (small.alpha + small.beta) > 0.05)
        #expect(small.weight > 100)
    }

    @Test func fitByRepAndSequencePoolsSmallGroups() throws {
        let scenario = try Scenario.parse(
            """
            name: small groups
            segments:
              warm: {bounce: 0.01, reply: 0.12}
            reps:
              - name: ana
                enrollments:
                  - {sequence: a, completed: 400, audience: warm}
                  - {sequence: b, completed: 3, audience: warm}
              - name: ben
                enrollments:
                  - {sequence: a, completed: 300, audience: warm}
                  - {sequence: b, completed: 250, audience: warm}
              - name: cy
                enrollments:
                  - {sequence: a, completed: 200, audience: warm}
            """,
            file: "small.yaml"
        )
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("small.csv").path
        _ = try SyntheticExport.write(scenario, options: .init(seed: 5), to: CSVWriter(path: path))
        let rules = try RuleSet.load("hubspot")
        let pooled = try ScenarioFit.fit(path, by: [.rep, .sequence], rules: rules)
        #expect(pooled.groups.map(\.name) == ["ana / a", "ana / b", "ben / a", "ben / b", "cy / a"])
        let small = try #require(pooled.groups.first { $0.name == "ana / b" })
        // Three enrollments: Jeffreys alone puts the reply rate anywhere; pooled, it is pulled
        // toward the others' 12%, with a narrower interval than the flat prior gives.
        let flat = try ScenarioFit.fit(path, by: [.rep, .sequence], pooling: .none, rules: rules)
        let alone = try #require(flat.groups.first { $0.name == "ana / b" })
        #expect(abs(small.overall.reply.mean - 0.12) < abs(alone.overall.reply.mean - 0.12) / 2)
        #expect(small.overall.reply.pooled != nil && alone.overall.reply.pooled == nil)
        #expect(
            small.overall.reply.high95 - small.overall.reply.low95 < alone.overall.reply.high95
                - alone.overall.reply.low95
        )
        let yaml = pooled.yaml(rulesReference: "hubspot")
        #expect(yaml.contains("grouped by rep and sequence"))
        #expect(yaml.contains("partially pooled"))
        let fitted = try Scenario.parse(yaml, file: "fitted.yaml")
        #expect(fitted.warnings.isEmpty)
        #expect(fitted.reps.map(\.enrollments.count) == [2, 2, 1])
        // --volume: 300 per rep, split as observed; 120% scales each line.
        let planned = ScenarioFit.planned([400, 3], volume: .perRep(300))
        #expect(planned.reduce(0, +) == 300 && planned == [298, 2])
        #expect(ScenarioFit.planned([400, 3], volume: .scaled(1.2)) == [480, 4])
        #expect(ScenarioFit.planned([0, 0], volume: .perRep(10)) == [10, 0])
    }

    @Test func groupNamesThatJoinAlikeAreNumbered() throws {
        let path = try TestSupport.write(
            "hs_enrolled_by,hs_sequence_name,hs_enrollment_state,hs_email_reply_count,hs_email_bounce_count\n"
                + "a / b,c,FINISHED,0,0\na,b / c,FINISHED,1,0\n",
            named: "collide.csv"
        )
        let fit = try ScenarioFit.fit(path, by: [.rep, .sequence], rules: RuleSet.load("hubspot"))
        #expect(fit.groups.map(\.name) == ["a / b / c", "a / b / c (2)"])
        let scenario = try Scenario.parse(fit.yaml(rulesReference: "hubspot"), file: "collide.yaml")
        #expect(scenario.reps.map { $0.enrollments[0].audience[0].segment } == [0, 1])
    }

    @Test func aTinyContactGroupLeansOnItsKindsDefaultWhenItCannotBePooled() throws {
        let scenario = try Scenario.parse(
            """
            segments:
              core:
                bounce: 0.02
                reply: 0.1
                rates: overall
                contacts: {optedOut: {share: 0.01}}
            reps:
              - {name: ana, enrollments: [{sequence: out, completed: 400, audience: core}]}
              - {name: ben, enrollments: [{sequence: out, completed: 300, audience: core}]}
            """,
            file: "tiny.yaml"
        )
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("tiny.csv").path
        _ = try SyntheticExport.write(scenario, options: .init(seed: 3), to: CSVWriter(path: path))
        let fit = try ScenarioFit.fit(path, by: [.rep], rules: RuleSet.load("hubspot"))
        for group in fit.groups {
            let optedOut = try #require(group.contacts.first { $0.kind == .optedOut })
            #expect(optedOut.rates.counts.completed < 15)
            // Two segments hold opted-out contacts: too few to pool, so the documented default
            // (0.1 × the regular contacts' reply rate) pulls with the weight of 10 enrollments.
            let reply = optedOut.rates.reply
            #expect(reply.pooled?.weight == ScenarioFit.defaultWeight)
            #expect(abs(try #require(reply.pooled?.mean) - 0.1 * group.rates.reply.mean) < 1e-9)
            #expect(reply.mean < 0.1)
        }
    }

    /// An export of `replies` of `completed` per rep, nothing bounced.
    static func export(_ reps: [(name: String, replies: Int, completed: Int)]) throws -> String {
        var rows = ["hs_enrolled_by,hs_sequence_name,hs_enrollment_state,hs_email_reply_count,hs_email_bounce_count"]
        for rep in reps {
            for row in 0..<rep.completed { rows.append("\(rep.name),out,FINISHED,\(row < rep.replies ? 1 : 0),0") }
        }
        return try TestSupport.write(rows.joined(separator: "\n") + "\n", named: "export.csv")
    }

    @Test func aFreshFitNeverWarnsThatItsPoolingLeftTheData() throws {
        // The fifth rep's 20% is pulled hard toward the others' 5%: outside the interval of its own
        // counts, but inside the pooled posterior that fit records with them.
        let path = try Self.export([("a", 50, 1000), ("b", 52, 1000), ("c", 48, 1000), ("d", 51, 1000), ("e", 12, 60)])
        let fit = try ScenarioFit.fit(path, by: [.rep], rules: RuleSet.load("hubspot"))
        let e = try #require(fit.groups.last)
        #expect(e.overall.reply.mean < 0.114)  // below the Jeffreys interval of 12 of 60
        let yaml = fit.yaml(rulesReference: "hubspot")
        #expect(yaml.contains("fitted: {"))
        let scenario = try Scenario.parse(yaml, file: "fitted.yaml")
        #expect(scenario.warnings.isEmpty, "\(scenario.warnings)")
        // An edit that moves the rate away from the data still warns.
        let edited = yaml.replacingOccurrences(of: "  e:  #", with: "  e:  # edited").replacingOccurrences(
            of: try #require(
                yaml.split(separator: "\n").first { $0.contains("reply: {beta:") && yaml.contains("  e:") }
                    .map(String.init)
            ),
            with: "    reply: 0.3"
        )
        #expect(try Scenario.parse(edited, file: "fitted.yaml").warnings.count == 1)
    }

    @Test func anUnsubscribeAfterAReplyIsNotCountedTwice() throws {
        let path = try TestSupport.write(
            "hs_enrolled_by,hs_sequence_name,hs_enrollment_state,hs_email_reply_count,hs_email_bounce_count,hs_step_error_type\n"
                + "ana,out,FINISHED,1,0,UNSUBSCRIBED\nana,out,FINISHED,0,1,UNSUBSCRIBED\nana,out,FINISHED,0,0,UNSUBSCRIBED\n",
            named: "unsubscribed.csv"
        )
        let fit = try ScenarioFit.fit(path, by: [.rep], rules: RuleSet.load("hubspot"))
        #expect(fit.groups[0].total == Counts(completed: 3, bounced: 1, replied: 1, unsubscribed: 1))
        let scenario = try Scenario.parse(fit.yaml(rulesReference: "hubspot"), file: "unsubscribed.yaml")
        #expect(scenario.segments[0].observed?.unsubscribed == 1)
    }
}
