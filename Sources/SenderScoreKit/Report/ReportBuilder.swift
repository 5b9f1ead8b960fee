extension RunReport {
    /// The report of a finished run, with the baseline as its only strategy.
    public init(scenario: Scenario, result: SimulationResult) {
        let plan = result.plan
        let rules = plan.rules
        func level(_ index: Int) -> LevelReport {
            LevelReport(plan.levels[index], result.levels[index], rules: rules)
        }
        let levels = plan.levels.indices
        let baseline = StrategyReport(
            name: "baseline",
            reps: levels.filter { plan.levels[$0].kind == .rep }.map(level),
            sequences: levels.filter { plan.levels[$0].kind == .sequence }.map(level),
            team: level(plan.teamLevel))
        self.init(
            scenario: scenario.name, file: scenario.file, rules: rules.name, rulesOrigin: rules.origin,
            rulesNote: rules.note, trials: result.options.trials, seed: result.options.seed,
            generator: result.options.generator.rawValue, blockSize: Simulation.blockSize,
            bandOrder: rules.bandNames + [RuleSet.ineligible], strategies: [baseline])
    }
}

extension LevelReport {
    init(_ level: SimulationPlan.Level, _ summary: LevelSummary, rules: RuleSet) {
        let trials = summary.trials
        func probability(_ count: Int) -> Double { trials > 0 ? Double(count) / Double(trials) : 0 }
        func standardError(_ p: Double) -> Double { Statistics.proportionStandardError(p, trials: trials) }

        var bandCounts = Array(repeating: 0, count: rules.bands.count)
        for (cell, count) in summary.cells.enumerated() {
            bandCounts[rules.cellBands[cell]] += count
        }
        let names = rules.bandNames + [RuleSet.ineligible]
        let counts = bandCounts + [trials - summary.eligible]
        var bands: [String: Double] = [:]
        var bandStdErr: [String: Double] = [:]
        for (name, count) in zip(names, counts) {
            bands[name] = probability(count)
            bandStdErr[name] = standardError(probability(count))
        }
        let mostLikely = zip(names, counts).max { $0.1 < $1.1 }?.0 ?? RuleSet.ineligible

        let pReply = probability(summary.replyInTarget)
        let pBounce = probability(summary.bounceInTarget)
        let pEligible = probability(summary.eligible)
        self.init(
            name: level.name, rep: level.rep, bands: bands, bandStdErr: bandStdErr, mostLikelyBand: mostLikely,
            score: Self.scoreStats(summary, rules: rules),
            replyRate: Self.rateStats(summary.replyRate), bounceRate: Self.rateStats(summary.bounceRate),
            unsubscribeRate: Self.rateStats(summary.unsubscribeRate),
            pReplyInTarget: pReply, pReplyInTargetStdErr: standardError(pReply),
            pBounceInTarget: pBounce, pBounceInTargetStdErr: standardError(pBounce),
            pEligible: pEligible, pEligibleStdErr: standardError(pEligible),
            pNoDelivered: probability(summary.noReplyDenominator),
            completed: Stats(mean: summary.completed.moments.mean, stdErr: summary.completed.moments.standardError,
                             p5: summary.completed.quantile(0.05), p50: summary.completed.quantile(0.5),
                             p95: summary.completed.quantile(0.95)))
    }

    static func rateStats(_ histogram: RateHistogram) -> Stats {
        Stats(mean: histogram.moments.mean, stdErr: histogram.moments.standardError,
              p5: histogram.quantile(0.05), p50: histogram.quantile(0.5), p95: histogram.quantile(0.95))
    }

    /// Exact: the score takes one value per rule-set cell, and cells are counted.
    static func scoreStats(_ summary: LevelSummary, rules: RuleSet) -> Stats {
        var byTotal: [(total: Double, count: Int)] = []
        for (cell, count) in summary.cells.enumerated() where count > 0 {
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
        return Stats(mean: sum / Double(n), stdErr: sd.map { $0 / Double(n).squareRoot() },
                     p5: quantile(0.05), p50: quantile(0.5), p95: quantile(0.95))
    }
}
