import CGSL
import Foundation

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

    /// P(band) for every band of `rules` and `RuleSet.ineligible`, at `level`.
    ///
    /// - Complexity: O(completed²) probability evaluations.
    public static func probabilities(
        rules: RuleSet, level: Scorecard.Level, completed: Int, bounce: Double, reply: ReplyModel
    ) -> [String: Double] {
        GSLRuntime.prepare()
        var result = Dictionary(uniqueKeysWithValues: (rules.bandNames + [RuleSet.ineligible]).map { ($0, 0.0) })
        guard completed >= max(1, rules.minimum(for: level)) else {
            result[RuleSet.ineligible] = 1
            return result
        }
        for bounced in 0...completed {
            let pBounced = gsl_ran_binomial_pdf(UInt32(bounced), bounce, UInt32(completed))
            guard pBounced > 0 else { continue }
            let delivered = completed - bounced
            for replied in 0...delivered {
                let pReplied = probability(replied: replied, of: delivered, reply)
                let counts = Counts(completed: completed, bounced: bounced, replied: replied)
                let band = rules.scorecard(counts, level: level).band
                result[band, default: 0] += pBounced * pReplied
            }
        }
        return result
    }

    /// P(replied = k) for `delivered` enrollments.
    public static func probability(replied k: Int, of delivered: Int, _ reply: ReplyModel) -> Double {
        switch reply {
        case .fixed(let p):
            return gsl_ran_binomial_pdf(UInt32(k), p, UInt32(delivered))
        case .beta(let alpha, let beta):
            let logChoose = gsl_sf_lnchoose(UInt32(delivered), UInt32(k))
            return exp(logChoose + gsl_sf_lnbeta(Double(k) + alpha, Double(delivered - k) + beta) - gsl_sf_lnbeta(alpha, beta))
        }
    }
}
