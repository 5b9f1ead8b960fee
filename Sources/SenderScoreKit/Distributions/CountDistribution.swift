/// A distribution of whole numbers (completed enrollments), drawn once per trial.
public enum CountDistribution: Sendable, Hashable, CustomStringConvertible, Encodable {
    case fixed(Int)
    case poisson(mean: Double)
    /// GSL's parametrisation: failures before `n` successes of probability `p`.
    case negativeBinomial(p: Double, n: Double)

    public var mean: Double {
        switch self {
        case .fixed(let count): return Double(count)
        case .poisson(let mean): return mean
        case .negativeBinomial(let p, let n): return n * (1 - p) / p
        }
    }

    /// "140", "poisson(140)", "negativeBinomial(n 25, p 0.14)".
    /// The variance of the count.
    public var variance: Double {
        switch self {
        case .fixed: return 0
        case .poisson(let mean): return mean
        case .negativeBinomial(let p, let n): return n * (1 - p) / (p * p)
        }
    }

    public var description: String {
        switch self {
        case .fixed(let count): return String(count)
        case .poisson(let mean): return "poisson(\(Format.number(mean)))"
        case .negativeBinomial(let p, let n): return "negativeBinomial(n \(Format.number(n)), p \(Format.number(p)))"
        }
    }
}
