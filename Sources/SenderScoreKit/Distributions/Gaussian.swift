import Foundation

/// The standard normal density and distribution function, for parameter arithmetic.
enum Gaussian {
    static func density(_ x: Double) -> Double {
        x.isFinite ? exp(-x * x / 2) / (2 * Double.pi).squareRoot() : 0
    }

    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.squareRoot())
    }
}
