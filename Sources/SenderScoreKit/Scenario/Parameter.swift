/// A model parameter: a number, or a distribution drawn once per trial.
///
/// Probabilities (`bounce`, `reply`, `unsubscribe`) live in [0, 1]; multipliers (`skill`) in
/// [0, ∞). The distribution is fixed when the scenario is read; drawing happens in the engine.
public struct Parameter: Sendable, Hashable, CustomStringConvertible, Encodable {
    /// The range a parameter's values must lie in.
    public enum Domain: Sendable, Hashable, Encodable {
        case probability
        case multiplier

        /// Multipliers stop at 1,000: far beyond any lift, and products stay finite.
        var bounds: ClosedRange<Double> { self == .probability ? 0...1 : 0...1000 }
        var noun: String { self == .probability ? "a probability" : "a multiplier" }
    }

    public var distribution: ContinuousDistribution
    public var domain: Domain
    /// How the user wrote it, for reports: "beta(mean 0.08, sd 0.01)".
    public var description: String

    public init(_ distribution: ContinuousDistribution, domain: Domain, description: String? = nil) {
        self.distribution = distribution
        self.domain = domain
        self.description = description ?? distribution.description
    }

    public static func fixed(_ value: Double, domain: Domain = .probability) -> Parameter {
        Parameter(.fixed(value), domain: domain)
    }

    /// Whether every trial gets the same value.
    public var isFixed: Bool { distribution.isFixed }

    /// The mean of the distribution (of the truncated one, for a truncated normal).
    public var mean: Double { distribution.mean }
}
