import Foundation

/// A model parameter: a number, or a distribution drawn once per trial.
///
/// Probabilities (`bounce`, `reply`, `unsubscribe`) live in [0, 1]; multipliers (`skill`) in
/// [0, ∞). The distribution is fixed when the scenario is read; drawing happens in the engine.
public struct Parameter: Sendable, Hashable, CustomStringConvertible {
    /// The range a parameter's values must lie in.
    public enum Domain: Sendable, Hashable {
        case probability
        case multiplier

        /// Multipliers stop at 1,000: far beyond any lift, and products stay finite.
        var bounds: ClosedRange<Double> { self == .probability ? 0...1 : 0...1000 }
        var noun: String { self == .probability ? "a probability" : "a multiplier" }
    }

    public enum Distribution: Sendable, Hashable {
        case fixed(Double)
        case beta(alpha: Double, beta: Double)
        case uniform(lower: Double, upper: Double)
        case triangular(lower: Double, mode: Double, upper: Double)
        /// A normal distribution truncated to `lower...upper` (the domain).
        case truncatedNormal(mean: Double, sd: Double, lower: Double, upper: Double)
        /// `exp(N(mu, sigma))`.
        case lognormal(mu: Double, sigma: Double)
        case gamma(shape: Double, scale: Double)
    }

    public var distribution: Distribution
    public var domain: Domain
    /// How the user wrote it, for reports: "beta(mean 0.08, sd 0.01)".
    public var description: String

    public init(_ distribution: Distribution, domain: Domain, description: String? = nil) {
        self.distribution = distribution
        self.domain = domain
        self.description = description ?? Self.describe(distribution)
    }

    public static func fixed(_ value: Double, domain: Domain = .probability) -> Parameter {
        Parameter(.fixed(value), domain: domain)
    }

    /// Whether every trial gets the same value.
    public var isFixed: Bool {
        if case .fixed = distribution { return true }
        return false
    }

    /// The mean of the distribution (of the truncated one, for a truncated normal).
    public var mean: Double {
        switch distribution {
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

    static func describe(_ distribution: Distribution) -> String {
        func f(_ x: Double) -> String { Format.number(x) }
        switch distribution {
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
