import Foundation

extension RunReport {
    /// The report of a finished run: the baseline, then every strategy with its paired comparison.
    public init(scenario: Scenario, result: SimulationResult) {
        let plan = result.plan
        let rules = plan.rules
        let strategies = plan.strategyNames.enumerated().map { strategy, name in
            @Sendable func level(_ index: Int) -> LevelReport {
                var report = LevelReport(plan.levels[index], result.summaries[strategy][index], rules: rules)
                // Steps only other strategies add are not this strategy's: its report stays the same
                // whichever strategies run with it.
                report.repliesByStep = Array(report.repliesByStep.prefix(plan.strategySteps[strategy]))
                if strategy > 0 {
                    report.vsBaseline = Comparison(result.paired[strategy][index], rules: rules)
                }
                return report
            }
            let cost = strategy == 0 ? nil : scenario.cost(of: scenario.strategies[strategy - 1])
            var repsAtLeast: [String: RepsAtLeast] = [:]
            for (band, counts) in zip(rules.bandNames, result.summary.repsAtLeast[strategy]) {
                repsAtLeast[band] = RepsAtLeast(counts)
            }
            return StrategyReport(
                name: name,
                interventions: strategy == 0 ? [] : scenario.descriptions(of: scenario.strategies[strategy - 1]),
                cost: cost?.mean,
                costRange: cost.flatMap { $0.isUncertain ? $0 : nil },
                repLevels: LevelReports(plan, .rep, build: level),
                sequenceLevels: LevelReports(plan, .sequence, build: level),
                team: level(plan.teamLevel),
                repsAtLeast: repsAtLeast
            )
        }
        self.init(
            scenario: scenario.name,
            file: scenario.file,
            rules: rules.name,
            rulesOrigin: rules.origin,
            rulesNote: rules.note,
            rulesIrregularities: rules.irregularities.isEmpty ? nil : rules.irregularities.map(\.description),
            trials: result.trials,
            seed: result.options.seed,
            generator: result.options.generator.rawValue,
            blockSize: Simulation.blockSize,
            bandOrder: rules.bandNames + [RuleSet.ineligible],
            strategies: strategies,
            assumptions: Assumptions(scenario),
            precision: result.precision
        )
        if result.summary.summaries.first?.first?.conditional != nil {
            bandEstimator = BandEstimator.conditional.rawValue
        }
        if let summary = result.summary.timeline, let layout = plan.timeline {
            timeline = TimelineReport(summary, plan: plan, layout: layout)
        }
    }
}

extension Comparison {
    init(_ paired: PairedSummary, rules: RuleSet) {
        let trials = paired.trials
        let outcomes = paired.outcomes
        var improves = 0
        var worsens = 0
        var eligibility = [0, 0, 0, 0]
        for before in 0..<outcomes {
            for after in 0..<outcomes {
                let count = paired.transitions[before * outcomes + after]
                if after > before { improves += count }
                if after < before { worsens += count }
                eligibility[(before > 0 ? 2 : 0) + (after > 0 ? 1 : 0)] += count
            }
        }
        func share(_ count: Int) -> Double { trials > 0 ? Double(count) / Double(trials) : 0 }
        let scale = pow(10, Double(rules.scoreScale))
        self.init(
            pImproves: share(improves),
            pImprovesStdErr: Statistics.proportionStandardError(share(improves), trials: trials),
            pWorsens: share(worsens),
            pWorsensStdErr: Statistics.proportionStandardError(share(worsens), trials: trials),
            scoreChange: Change(paired.scoreChange, scale: scale),
            pEligibleChange: Change(pairedTable: eligibility),
            pReplyInTargetChange: Change(pairedTable: paired.replyInTarget),
            pReplyAboveTargetChange: Change(pairedTable: paired.replyAboveTarget),
            pBounceInTargetChange: Change(pairedTable: paired.bounceInTarget),
            completedChange: Change(paired.completedChange, scale: 1)
        )
    }
}

extension Change {
    /// The mean of integer differences held in `histogram`, divided by `scale`, with their p5 and
    /// p95 across trials.
    init(_ histogram: CountHistogram, scale: Double) {
        let moments = histogram.moments
        let mean = moments.mean.map { $0 / scale }
        let standardError = moments.standardError.map { $0 / scale }
        self.init(mean: mean, stdErr: standardError, trials: moments.count)
        p5 = histogram.quantile(0.05).map { $0 / scale }
        p95 = histogram.quantile(0.95).map { $0 / scale }
    }

    /// The change of a probability from a paired 2 × 2 table of counts, indexed 2 × before + after.
    init(pairedTable table: [Int]) {
        let trials = table.reduce(0, +)
        guard trials > 0 else {
            self.init(mean: nil, stdErr: nil, trials: 0)
            return
        }
        let n = Double(trials)
        let gained = Double(table[1]) / n
        let lost = Double(table[2]) / n
        let mean = gained - lost
        let variance = max(0, gained + lost - mean * mean)
        self.init(mean: mean, stdErr: (variance / n).squareRoot(), trials: trials)
        // Per trial the change is −1 (lost), 0 or +1 (gained); the q-quantile is the smallest
        // whose cumulative share reaches q.
        func quantile(_ q: Double) -> Double { lost >= q ? -1 : (1 - gained >= q ? 0 : 1) }
        p5 = quantile(0.05)
        p95 = quantile(0.95)
    }
}

extension LevelReport {
    init(_ level: SimulationPlan.Level, _ summary: LevelSummary, rules: RuleSet) {
        let trials = summary.trials
        let repliesByStep = summary.stepReplies.map { trials > 0 ? Double($0) / Double(trials) : 0 }
        func probability(_ count: Int) -> Double { trials > 0 ? Double(count) / Double(trials) : 0 }
        func standardError(_ p: Double) -> Double { Statistics.proportionStandardError(p, trials: trials) }

        let names = rules.bandNames + [RuleSet.ineligible]
        let estimates = summary.bandEstimates(rules: rules)
        let (bands, bandStdErr, pAtLeast, pAtLeastStdErr) = Self.bandShares(estimates, rules: rules)
        let shares = estimates.probabilities
        let mostLikely = zip(names, shares).max { $0.1 < $1.1 }?.0 ?? RuleSet.ineligible
        let top = names.firstIndex(of: mostLikely) ?? 0

        // Bands the most likely one cannot be told from: their difference is within two standard
        // errors. Counted shares: the error of a difference of multinomial shares; conditional
        // estimates: the errors combined as if independent.
        let tied = names.indices.filter { index in
            let (a, b) = (shares[top], shares[index])
            let error =
                estimates.conditional
                ? (estimates.stdErrs[top] * estimates.stdErrs[top] + estimates.stdErrs[index] * estimates.stdErrs[index])
                    .squareRoot()
                : ((a + b - (a - b) * (a - b)) / Double(max(trials, 1))).squareRoot()
            return a - b <= 2 * error
        }
        // Most likely first, then by probability, then in the rule set's order.
        .sorted { a, b in
            let (aFirst, bFirst) = (names[a] == mostLikely, names[b] == mostLikely)
            if aFirst != bFirst { return aFirst }
            return shares[a] != shares[b] ? shares[a] > shares[b] : a < b
        }
        .map { names[$0] }
        let pReply = probability(summary.replyInTarget)
        let pAbove = probability(summary.replyAboveTarget)
        let pBounce = probability(summary.bounceInTarget)
        let pEligible = probability(summary.eligible)
        self.init(
            name: level.name,
            rep: level.rep,
            bands: bands,
            bandStdErr: bandStdErr,
            mostLikelyBand: mostLikely,
            score: Self.scoreStats(summary, rules: rules),
            replyRate: Self.rateStats(summary.replyRate),
            bounceRate: Self.rateStats(summary.bounceRate),
            unsubscribeRate: Self.rateStats(summary.unsubscribeRate),
            replyRateDistribution: RateDistribution(summary.replyRate),
            bounceRateDistribution: RateDistribution(summary.bounceRate),
            pReplyInTarget: pReply,
            pReplyInTargetStdErr: standardError(pReply),
            pReplyAboveTarget: pAbove,
            pReplyAboveTargetStdErr: standardError(pAbove),
            pReplyBelowTarget: probability(
                max(0, summary.replyRate.count - summary.replyInTarget - summary.replyAboveTarget)
            ),
            pBounceInTarget: pBounce,
            pBounceInTargetStdErr: standardError(pBounce),
            pEligible: pEligible,
            pEligibleStdErr: standardError(pEligible),
            pNoDelivered: probability(summary.noReplyDenominator),
            completed: Stats(
                mean: summary.completed.moments.mean,
                stdErr: summary.completed.moments.standardError,
                p5: summary.completed.quantile(0.05),
                p50: summary.completed.quantile(0.5),
                p95: summary.completed.quantile(0.95)
            ),
            repliesByStep: repliesByStep,
            vsBaseline: nil,
            pAtLeast: pAtLeast,
            pAtLeastStdErr: pAtLeastStdErr,
            mostLikelyTies: trials > 0 && tied.count > 1 ? tied : nil
        )
    }

    /// Band estimates by band name: each band's probability and P(eligible and at the band or
    /// better), with their standard errors.
    static func bandShares(
        _ estimates: BandEstimates,
        rules: RuleSet
    ) -> (
        bands: [String: Double], bandStdErr: [String: Double], pAtLeast: [String: Double],
        pAtLeastStdErr: [String: Double]
    ) {
        // By name, the last of any repeated name winning (rule-set checks refuse repeated names).
        func byName(_ names: [String], _ values: [Double]) -> [String: Double] {
            Dictionary(zip(names, values), uniquingKeysWith: { _, last in last })
        }
        let names = rules.bandNames + [RuleSet.ineligible]
        return (
            byName(names, estimates.probabilities),
            byName(names, estimates.stdErrs),
            byName(rules.bandNames, estimates.atLeast),
            byName(rules.bandNames, estimates.atLeastStdErrs)
        )
    }

    static func rateStats(_ histogram: RateHistogram) -> Stats {
        Stats(
            mean: histogram.moments.mean,
            stdErr: histogram.moments.standardError,
            p5: histogram.quantile(0.05),
            p50: histogram.quantile(0.5),
            p95: histogram.quantile(0.95)
        )
    }

    /// Exact: the score takes one value per rule-set cell, and cells are counted.
    static func scoreStats(_ summary: LevelSummary, rules: RuleSet) -> Stats {
        scoreStats(cells: summary.cells[...], rules: rules)
    }

    /// The score's statistics from the eligible trials per rule-set cell.
    static func scoreStats(cells: ArraySlice<Int>, rules: RuleSet) -> Stats {
        var byTotal: [(total: Double, count: Int)] = []
        for (cell, count) in cells.enumerated() where count > 0 {
            byTotal.append((rules.cellTotals[cell].doubleValue, count))
        }
        byTotal.sort { $0.total < $1.total }
        let n = byTotal.reduce(0) { $0 + $1.count }
        guard n > 0 else { return Stats(mean: nil, stdErr: nil, p5: nil, p50: nil, p95: nil) }
        let sum = byTotal.reduce(0.0) { $0 + $1.total * Double($1.count) }
        let sumOfSquares = byTotal.reduce(0.0) { $0 + $1.total * $1.total * Double($1.count) }
        let sd = Statistics.standardDeviation(sum: sum, sumOfSquares: sumOfSquares, count: n)
        func quantile(_ q: Double) -> Double {
            var cumulative = 0
            for entry in byTotal {
                cumulative += entry.count
                if Double(cumulative) >= q * Double(n) { return entry.total }
            }
            return byTotal[byTotal.count - 1].total
        }
        return Stats(
            mean: sum / Double(n),
            stdErr: sd.map { $0 / Double(n).squareRoot() },
            p5: quantile(0.05),
            p50: quantile(0.5),
            p95: quantile(0.95)
        )
    }
}

extension RepsAtLeast {
    /// From `counts[k]`, the trials in which exactly k reps were at the band or better.
    init(_ counts: [Int]) {
        let trials = counts.reduce(0, +)
        let n = Double(max(1, trials))
        var sum = 0.0
        var squares = 0.0
        for (k, count) in counts.enumerated() {
            sum += Double(k * count)
            squares += Double(k * k * count)
        }
        let mean = sum / n
        let variance = trials > 1 ? max(0, (squares - n * mean * mean) / (n - 1)) : 0
        var atLeast = Array(repeating: 0.0, count: counts.count)
        var above = 0
        for k in counts.indices.reversed() {
            above += counts[k]
            atLeast[k] = Double(above) / n
        }
        self.init(
            mean: mean,
            stdErr: (variance / n).squareRoot(),
            pAtLeast: atLeast,
            pAtLeastStdErr: atLeast.map { Statistics.proportionStandardError($0, trials: trials) }
        )
    }
}
