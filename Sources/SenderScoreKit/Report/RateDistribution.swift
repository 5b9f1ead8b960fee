/// A rate's distribution over equal bins from 0: the probability of each bin.
public struct RateDistribution: Codable, Sendable, Hashable {
    public var binWidth: Double
    /// Up to the last bin with any probability.
    public var probabilities: [Double]

    public init(binWidth: Double, probabilities: [Double]) {
        self.binWidth = binWidth
        self.probabilities = probabilities
    }

    /// Coarsens a rate histogram to bins of `width` (a multiple of its own bin width).
    init(_ histogram: RateHistogram, width: Double = 0.0025) {
        binWidth = width
        let factor = max(1, Int((width * Double(RateHistogram.binCount)).rounded()))
        let total = Double(histogram.count)
        var probabilities: [Double] = []
        if total > 0 {
            for start in stride(from: 0, to: RateHistogram.binCount, by: factor) {
                let count = histogram.bins[start..<min(start + factor, RateHistogram.binCount)].reduce(0) {
                    $0 + Int($1)
                }
                probabilities.append(Double(count) / total)
            }
            while probabilities.last == 0 { probabilities.removeLast() }
        }
        self.probabilities = probabilities
    }
}
