/// Band probabilities computed exactly, by summing binomial (and beta-binomial) probabilities over
/// every possible outcome, for one group of `completed` enrollments with one bounce and one reply
/// model. The Monte Carlo engine is tested against these; `validate` builds on them.
public enum ExactBands {
    /// How the reply probability of a delivered enrollment is distributed.
    public enum ReplyModel: Sendable, Hashable {
        /// The same probability in every trial: replied ~ Binomial(delivered, p).
        case fixed(Double)
        /// A probability drawn from Beta(alpha, beta) per trial: replied ~ BetaBinomial.
        case beta(alpha: Double, beta: Double)
    }

    /// P(band) for every band of `rules` and `RuleSet.ineligible`, at `level`, when the number of
    /// completed enrollments is itself random: the mixture over counts with probability above
    /// `tolerance` (the neglected mass is at most about `tolerance` times the counts considered).
    ///
    /// - Complexity: O(Σ completed²) over the counts considered.
    public static func probabilities(
        rules: RuleSet,
        level: Scorecard.Level,
        completed: CountDistribution,
        bounce: Double,
        reply: ReplyModel,
        tolerance: Double = 1e-12
    ) -> [String: Double] {
        if case .fixed(let n) = completed {
            return probabilities(rules: rules, level: level, completed: n, bounce: bounce, reply: reply)
        }
        var result = Dictionary(uniqueKeysWithValues: (rules.bandNames + [RuleSet.ineligible]).map { ($0, 0.0) })
        let mode = Int(completed.mean)
        for direction in [-1, 1] {
            var n = direction < 0 ? mode : mode + 1
            while n >= 0 {
                let weight = Densities.count(n, completed)
                if weight < tolerance, abs(n - mode) > 10 { break }
                for (band, p) in probabilities(rules: rules, level: level, completed: n, bounce: bounce, reply: reply) {
                    result[band, default: 0] += weight * p
                }
                n += direction
            }
        }
        return result
    }

    /// P(band) for every band of `rules` and `RuleSet.ineligible`, at `level`.
    ///
    /// - Complexity: O(completed²) probability evaluations.
    public static func probabilities(
        rules: RuleSet,
        level: Scorecard.Level,
        completed: Int,
        bounce: Double,
        reply: ReplyModel
    ) -> [String: Double] {
        var result = Dictionary(uniqueKeysWithValues: (rules.bandNames + [RuleSet.ineligible]).map { ($0, 0.0) })
        guard completed >= max(1, rules.minimum(for: level)) else {
            result[RuleSet.ineligible] = 1
            return result
        }
        var byBand = Array(repeating: 0.0, count: rules.bands.count)
        for bounced in 0...completed {
            let pBounced = Densities.binomial(bounced, n: completed, p: bounce)
            guard pBounced > 0 else { continue }
            let delivered = completed - bounced
            for replied in 0...delivered {
                let counts = Counts(completed: completed, bounced: bounced, replied: replied)
                let cell = rules.cellIndex(replyRow: rules.replyRow(counts), bounceRow: rules.bounceRow(counts))
                byBand[rules.cellBands[cell]] += pBounced * probability(replied: replied, of: delivered, reply)
            }
        }
        for (band, p) in zip(rules.bandNames, byBand) {
            result[band] = p
        }
        return result
    }

    /// P(replied = k) for `delivered` enrollments.
    public static func probability(replied k: Int, of delivered: Int, _ reply: ReplyModel) -> Double {
        switch reply {
        case .fixed(let p):
            return Densities.binomial(k, n: delivered, p: p)
        case .beta(let alpha, let beta):
            return Densities.betaBinomial(k, n: delivered, alpha: alpha, beta: beta)
        }
    }
}
