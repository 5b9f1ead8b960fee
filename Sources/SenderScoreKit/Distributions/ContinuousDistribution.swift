import Foundation

/// A distribution of real values, from which a parameter is drawn once per trial.
///
/// Only the shape and its numbers: what the values mean (a probability, a multiplier) and how the
/// user wrote them belong to `Parameter`; drawing belongs to `RandomLanes`.
public enum ContinuousDistribution: Sendable, Hashable, CustomStringConvertible, Encodable {
    case fixed(Double)
    case beta(alpha: Double, beta: Double)
    case uniform(lower: Double, upper: Double)
    case triangular(lower: Double, mode: Double, upper: Double)
    /// A normal distribution truncated to `lower...upper`.
    case truncatedNormal(mean: Double, sd: Double, lower: Double, upper: Double)
    /// `exp(N(mu, sigma))`.
    case lognormal(mu: Double, sigma: Double)
    case gamma(shape: Double, scale: Double)

    /// Whether every draw gives the same value.
    public var isFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// The mean (of the truncated distribution, for a truncated normal).
    public var mean: Double {
        switch self {
        case .fixed(let value): return value
        case .beta(let a, let b): return a / (a + b)
        case .uniform(let lower, let upper): return (lower + upper) / 2
        case .triangular(let lower, let mode, let upper): return (lower + mode + upper) / 3
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            let alpha = (lower - mean) / sd
            let beta = (upper - mean) / sd
            let mass = Gaussian.cdf(beta) - Gaussian.cdf(alpha)
            return mean + sd * (Gaussian.density(alpha) - Gaussian.density(beta)) / mass
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .gamma(let shape, let scale): return shape * scale
        }
    }

    /// "beta(alpha 3, beta 97)", "uniform(0.06, 0.12)", "0.02".
    public var description: String {
        func f(_ x: Double) -> String { Format.number(x) }
        switch self {
        case .fixed(let value): return f(value)
        case .beta(let a, let b): return "beta(alpha \(f(a)), beta \(f(b)))"
        case .uniform(let lower, let upper): return "uniform(\(f(lower)), \(f(upper)))"
        case .triangular(let lower, let mode, let upper): return "triangular(\(f(lower)), \(f(mode)), \(f(upper)))"
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            return "normal(mean \(f(mean)), sd \(f(sd))) truncated to [\(f(lower)), \(upper.isFinite ? f(upper) : "∞")]"
        case .lognormal(let mu, let sigma): return "lognormal(median \(f(exp(mu))), sigma \(f(sigma)))"
        case .gamma(let shape, let scale): return "gamma(shape \(f(shape)), scale \(f(scale)))"
        }
    }
}
