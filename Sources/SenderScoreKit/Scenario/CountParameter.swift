/// A count parameter (completed enrollments): a whole number or a count distribution.
public struct CountParameter: Sendable, Hashable, CustomStringConvertible {
    public enum Distribution: Sendable, Hashable {
        case fixed(Int)
        case poisson(mean: Double)
        /// GSL's parametrisation: failures before `n` successes of probability `p`.
        case negativeBinomial(p: Double, n: Double)
    }

    public var distribution: Distribution
    public var description: String

    public init(_ distribution: Distribution, description: String? = nil) {
        self.distribution = distribution
        self.description = description ?? Self.describe(distribution)
    }

    public static func fixed(_ count: Int) -> CountParameter { CountParameter(.fixed(count)) }

    public var mean: Double {
        switch distribution {
        case .fixed(let count): return Double(count)
        case .poisson(let mean): return mean
        case .negativeBinomial(let p, let n): return n * (1 - p) / p
        }
    }

    static func describe(_ distribution: Distribution) -> String {
        switch distribution {
        case .fixed(let count): return String(count)
        case .poisson(let mean): return "poisson(\(Format.number(mean)))"
        case .negativeBinomial(let p, let n): return "negativeBinomial(n \(Format.number(n)), p \(Format.number(p)))"
        }
    }
}
