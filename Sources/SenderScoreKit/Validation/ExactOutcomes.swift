/// The exact distribution of observed bands for one group of `n` completed enrollments with true
/// bounce and reply rates, under one or more rule sets at once (the same outcomes scored by each).
///
/// Bounced ~ Binomial(n, bounce); replied ~ Binomial(delivered, reply). For each bounced count,
/// the replied counts are cut at every rule set's reply thresholds (in counts, exactly), and each
/// piece's probability comes from GSL's binomial distribution function, so the cost is
/// O(spread of bounced × thresholds), not O(n²). Bounced counts further than 12 standard
/// deviations and 25 counts from the mean are left out: their total probability is below 10^-20
/// (the 25 extra counts cover small means, where the normal bound does not hold).
enum ExactOutcomes {
    /// The probability of each combination of band indices (one per rule set; `bands.count` is
    /// Ineligible).
    static func distribution(
        completed n: Int,
        bounce: Double,
        reply: Double,
        rules: [RuleSet],
        level: Scorecard.Level
    ) -> [[Int]: Double] {
        let eligible = rules.map { n >= max(1, $0.minimum(for: level)) }
        var result: [[Int]: Double] = [:]
        guard n > 0 else {
            result[rules.map { $0.bands.count }] = 1
            return result
        }
        let spread = (Double(n) * bounce * (1 - bounce)).squareRoot()
        let low = max(0, Int((Double(n) * bounce - 12 * spread).rounded(.down)) - 25)
        let high = min(n, Int((Double(n) * bounce + 12 * spread).rounded(.up)) + 25)
        for bounced in low...high {
            let pBounced = Densities.binomial(bounced, n: n, p: bounce)
            guard pBounced > 0 else { continue }
            let delivered = n - bounced
            var cuts: Set<Int> = [0, delivered + 1]
            for ruleSet in rules {
                let denominator = ruleSet.replyDenominator == .delivered ? delivered : n
                guard denominator > 0 else { continue }
                for row in ruleSet.reply {
                    let cut = smallestCount(reaching: row.from, of: denominator)
                    if cut > 0, cut <= delivered { cuts.insert(cut) }
                }
            }
            let sorted = cuts.sorted()
            for (start, end) in zip(sorted, sorted.dropFirst()) {
                let probability =
                    Densities.binomialCDF(end - 1, n: delivered, p: reply)
                    - Densities.binomialCDF(start - 1, n: delivered, p: reply)
                guard probability > 0 else { continue }
                let counts = Counts(completed: n, bounced: bounced, replied: start)
                let key = rules.indices.map { index -> Int in
                    guard eligible[index] else { return rules[index].bands.count }
                    let ruleSet = rules[index]
                    return ruleSet.cellBands[
                        ruleSet.cellIndex(replyRow: ruleSet.replyRow(counts), bounceRow: ruleSet.bounceRow(counts))
                    ]
                }
                result[key, default: 0] += pBounced * probability
            }
        }
        return result
    }

    /// The smallest count k with k / denominator ≥ threshold, exactly.
    static func smallestCount(reaching threshold: ExactDecimal, of denominator: Int) -> Int {
        guard threshold.units > 0 else { return 0 }
        let numerator = Int128(threshold.units) * Int128(denominator)
        let power = Int128(threshold.powerOfTen)
        return Int((numerator + power - 1) / power)
    }
}
