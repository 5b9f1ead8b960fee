import Foundation

/// Partial pooling of rates across groups: a hierarchical Beta–binomial.
///
/// Group i's rate pᵢ has the prior Beta(κᵢmᵢ, κᵢ(1 − mᵢ)). Its mean mᵢ comes from the other
/// groups: the team's rate without group i, moved on the log-odds scale by the effect of each of
/// its levels (its rep, its sequence) measured without it, logit mᵢ = logit p₀ + Σ (logit q − logit p₀).
/// Leaving the group out keeps its own counts from vouching for its prior. The concentration κ
/// (how alike the groups are, in pseudo-enrollments) is not fixed at one estimate: its posterior
/// over a grid of 120 values from 0.5 to 10⁶, from the Beta–binomial likelihood of all the groups'
/// counts and the prior density κ^(−1/2) per unit of log κ, weighs the groups' posteriors. Each
/// κᵢ is lowered so that the prior's variance is at least the variance of its estimated mean. The
/// resulting mixture of Beta posteriors is written as the Beta with its mean and variance.
///
/// Over many synthetic datasets from known rates, the central 90% intervals cover the true rates
/// in about 90% of cases (`PartialPoolingTests`, docs/export-format.md).
public enum PartialPooling {
    /// Successes of trials, for one group.
    public struct Tally: Sendable, Hashable {
        public var successes: Int
        public var trials: Int

        public init(_ successes: Int, of trials: Int) {
            self.successes = successes
            self.trials = trials
        }
    }

    /// A group's pooled posterior, and the prior mean it was pulled toward with the weight of
    /// that pull: the enrollments at the prior mean that would make the group's own counts as
    /// sure as the posterior (its α + β less the group's trials, at least 0).
    public struct Pooled: Sendable, Hashable {
        public var alpha: Double
        public var beta: Double
        public var priorMean: Double
        public var weight: Double
    }

    /// The fewest groups with trials that a concentration is estimated from; with fewer, none.
    public static let minimumGroups = 3
    static let grid: [Double] = (0..<120).map { log(0.5) + Double($0) / 119 * (log(1e6) - log(0.5)) }

    /// The pooled posteriors of `tallies`, where `levels[c][i]` names group i's level in column c
    /// (its rep, its sequence; no columns pools toward the team only). Nil with fewer than
    /// `minimumGroups` groups with trials.
    public static func posteriors(_ tallies: [Tally], levels: [[String]] = []) -> [Pooled]? {
        let informative = tallies.indices.filter { tallies[$0].trials > 0 }
        guard informative.count >= minimumGroups else { return nil }
        let (means, variances) = priorMeans(tallies, levels: levels)
        let logWeights = grid.map { logKappa in
            let kappa = exp(logKappa)
            var total = -0.5 * logKappa
            for i in informative {
                let (a, b) = (kappa * means[i], kappa * (1 - means[i]))
                let (y, n) = (Double(tallies[i].successes), Double(tallies[i].trials))
                total += logBeta(a + y, b + n - y) - logBeta(a, b)
            }
            return total
        }
        let top = logWeights.max()!
        let unnormalised = logWeights.map { exp($0 - top) }
        let sum = unnormalised.reduce(0, +)
        let weights = unnormalised.map { $0 / sum }
        return tallies.indices.map { i in
            let m = means[i]
            let (y, n) = (Double(tallies[i].successes), Double(tallies[i].trials))
            var (first, second) = (0.0, 0.0)
            for (weight, logKappa) in zip(weights, grid) where weight > 1e-12 {
                let kappa = exp(logKappa)
                let variance = m * (1 - m) / (kappa + 1) + variances[i]
                let concentration = min(kappa, max(0.5, m * (1 - m) / variance - 1))
                let (a, b) = (concentration * m + y, concentration * (1 - m) + n - y)
                let mean = a / (a + b)
                first += weight * mean
                second += weight * (a * b / ((a + b) * (a + b) * (a + b + 1)) + mean * mean)
            }
            let variance = max(second - first * first, 1e-300)
            let size = max(1e-6, first * (1 - first) / variance - 1)
            return Pooled(alpha: first * size, beta: (1 - first) * size, priorMean: m, weight: max(0, size - n))
        }
    }

    /// Each group's prior mean from the other groups, and the variance of that estimate.
    static func priorMeans(_ tallies: [Tally], levels: [[String]]) -> (means: [Double], variances: [Double]) {
        let successes = tallies.reduce(0) { $0 + $1.successes }
        let trials = tallies.reduce(0) { $0 + $1.trials }
        let sums = levels.map { column in
            var sums: [String: Tally] = [:]
            for (i, level) in column.enumerated() {
                sums[level, default: Tally(0, of: 0)].successes += tallies[i].successes
                sums[level, default: Tally(0, of: 0)].trials += tallies[i].trials
            }
            return sums
        }
        var means: [Double] = []
        var variances: [Double] = []
        for (i, tally) in tallies.enumerated() {
            /// A rate from counts, kept off 0 and 1, and the variance of its log-odds.
            func rate(_ y: Int, _ n: Int) -> (logOdds: Double, variance: Double) {
                let p = (Double(y) + 0.5) / (Double(n) + 1)
                return (logit(p), 1 / (p * (1 - p) * (Double(n) + 1)))
            }
            let team = rate(successes - tally.successes, trials - tally.trials)
            var logOdds = team.logOdds
            var variance = team.variance
            for (column, columnSums) in zip(levels, sums) {
                let level = columnSums[column[i]]!
                let others = (level.successes - tally.successes, level.trials - tally.trials)
                guard others.1 > 0 else { continue }  // the group is its level's only one
                let effect = rate(others.0, others.1)
                logOdds += effect.logOdds - team.logOdds
                variance += effect.variance
            }
            let mean = 1 / (1 + exp(-logOdds))
            means.append(min(1 - 1e-9, max(1e-9, mean)))
            variances.append(mean * (1 - mean) * mean * (1 - mean) * variance)
        }
        return (means, variances)
    }

    static func logit(_ p: Double) -> Double {
        let p = min(1 - 1e-12, max(1e-12, p))
        return log(p / (1 - p))
    }

    static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
}
