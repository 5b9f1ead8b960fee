internal import CGSL
import Foundation

/// Probabilities of counts, from GSL, for exact answers and for checks of parameters.
public enum Densities {
    /// P(K = k) for K ~ Binomial(n, p).
    public static func binomial(_ k: Int, n: Int, p: Double) -> Double {
        GSLRuntime.prepare()
        return gsl_ran_binomial_pdf(UInt32(k), p, UInt32(n))
    }

    /// P(K ≤ k) for K ~ Binomial(n, p); 0 for k < 0, 1 for k ≥ n.
    public static func binomialCDF(_ k: Int, n: Int, p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        GSLRuntime.prepare()
        return gsl_cdf_binomial_P(UInt32(k), p, UInt32(n))
    }

    /// P(K = k) for K ~ BetaBinomial(n, alpha, beta).
    public static func betaBinomial(_ k: Int, n: Int, alpha: Double, beta: Double) -> Double {
        GSLRuntime.prepare()
        let logChoose = gsl_sf_lnchoose(UInt32(n), UInt32(k))
        return exp(logChoose + gsl_sf_lnbeta(Double(k) + alpha, Double(n - k) + beta) - gsl_sf_lnbeta(alpha, beta))
    }

    /// The q-quantile of Beta(alpha, beta), by bisection on GSL's distribution function:
    /// gsl_cdf_beta_Pinv fails to converge (and returns NaN) for some parameters seen in fits.
    ///
    /// - Complexity: 60 evaluations of the regularised incomplete beta function.
    public static func betaQuantile(_ q: Double, alpha: Double, beta: Double) -> Double {
        GSLRuntime.prepare()
        var low = 0.0
        var high = 1.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if gsl_cdf_beta_P(middle, alpha, beta) < q { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// P(X ≤ x) for a parameter's distribution (truncated to its bounds, as drawn).
    public static func cdf(_ distribution: ContinuousDistribution, at x: Double) -> Double {
        GSLRuntime.prepare()
        switch distribution {
        case .fixed(let value): return x >= value ? 1 : 0
        case .beta(let a, let b): return x <= 0 ? 0 : x >= 1 ? 1 : gsl_cdf_beta_P(x, a, b)
        case .uniform(let lower, let upper):
            return upper > lower ? min(1, max(0, (x - lower) / (upper - lower))) : (x >= lower ? 1 : 0)
        case .triangular(let lower, let mode, let upper):
            guard x > lower else { return 0 }
            guard x < upper else { return 1 }
            return x <= mode
                ? (x - lower) * (x - lower) / ((upper - lower) * (mode - lower))
                : 1 - (upper - x) * (upper - x) / ((upper - lower) * (upper - mode))
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            guard x > lower else { return 0 }
            guard x < upper else { return 1 }
            let low = Gaussian.cdf((lower - mean) / sd)
            return (Gaussian.cdf((x - mean) / sd) - low) / (Gaussian.cdf((upper - mean) / sd) - low)
        case .lognormal(let mu, let sigma): return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, mu, sigma)
        case .gamma(let shape, let scale): return x <= 0 ? 0 : gsl_cdf_gamma_P(x, shape, scale)
        }
    }

    /// The q-quantile of a parameter's distribution, by bisection on `cdf`.
    public static func quantile(_ distribution: ContinuousDistribution, _ q: Double) -> Double {
        var (low, high): (Double, Double)
        switch distribution {
        case .fixed(let value): return value
        case .beta: (low, high) = (0, 1)
        case .uniform(let lower, let upper), .triangular(let lower, _, let upper): (low, high) = (lower, upper)
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            (low, high) = (max(lower, mean - 40 * sd), min(upper, mean + 40 * sd))
        case .lognormal(let mu, let sigma): (low, high) = (0, exp(mu + 40 * sigma))
        case .gamma(let shape, let scale): (low, high) = (0, scale * (shape + 60 * (shape.squareRoot() + 1)))
        }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if cdf(distribution, at: middle) < q { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The q-quantile of a count distribution: the smallest n with P(N ≤ n) ≥ q.
    public static func quantile(_ distribution: CountDistribution, _ q: Double) -> Int {
        if case .fixed(let value) = distribution { return value }
        var cumulative = 0.0
        let limit = Int(distribution.mean + 60 * (distribution.variance.squareRoot() + 1))
        for n in 0...max(0, limit) {
            cumulative += count(n, distribution)
            if cumulative >= q { return n }
        }
        return max(0, limit)
    }

    /// P(N = n) under a count distribution.
    public static func count(_ n: Int, _ completed: CountDistribution) -> Double {
        GSLRuntime.prepare()
        switch completed {
        case .fixed(let value): return n == value ? 1 : 0
        case .poisson(let mean): return gsl_ran_poisson_pdf(UInt32(n), mean)
        case .negativeBinomial(let p, let size): return gsl_ran_negative_binomial_pdf(UInt32(n), p, size)
        }
    }

    /// P(N > n) for N ~ NegativeBinomial(p, size) in GSL's parametrisation.
    public static func negativeBinomialTail(above n: Int, p: Double, size: Double) -> Double {
        GSLRuntime.prepare()
        return gsl_cdf_negative_binomial_Q(UInt32(n), p, size)
    }
}
