/// Means, standard deviations and standard errors from sums.
enum Statistics {
    static func mean(sum: Double, count: Int) -> Double? {
        count > 0 ? sum / Double(count) : nil
    }

    /// The sample standard deviation, or nil with fewer than two values.
    static func standardDeviation(sum: Double, sumOfSquares: Double, count: Int) -> Double? {
        guard count > 1 else { return nil }
        let n = Double(count)
        let mean = sum / n
        let variance = max(0, sumOfSquares / n - mean * mean) * n / (n - 1)
        return variance.squareRoot()
    }

    /// The sample standard deviation of `values` (two passes), or 0 with fewer than two.
    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// The standard error of a proportion estimated from `count` trials.
    static func proportionStandardError(_ p: Double, trials count: Int) -> Double {
        count > 0 ? (p * (1 - p) / Double(count)).squareRoot() : 0
    }
}
