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
        if total > 0, let last = histogram.lastBin {
            // Up to the coarse bin of the last rate seen, allocated once: a team of thousands of
            // reps holds two of these per rep and sequence.
            probabilities.reserveCapacity(last / factor + 1)
            for start in stride(from: 0, through: last, by: factor) {
                let count = histogram.trials(inBins: start..<min(start + factor, RateHistogram.binCount))
                probabilities.append(Double(count) / total)
            }
        }
        self.probabilities = probabilities
    }
}
