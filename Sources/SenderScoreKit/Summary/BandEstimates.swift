/// A level's band probabilities as a report gives them: each band from the lowest, then
/// Ineligible, and P(eligible and at the band or better) per band, each with its Monte Carlo
/// standard error.
public struct BandEstimates: Sendable, Hashable {
    public var probabilities: [Double]
    public var stdErrs: [Double]
    public var atLeast: [Double]
    public var atLeastStdErrs: [Double]
    /// Whether these are conditional (Rao–Blackwell) estimates rather than shares of trials.
    public var conditional: Bool

    public init(
        probabilities: [Double],
        stdErrs: [Double],
        atLeast: [Double],
        atLeastStdErrs: [Double],
        conditional: Bool
    ) {
        self.probabilities = probabilities
        self.stdErrs = stdErrs
        self.atLeast = atLeast
        self.atLeastStdErrs = atLeastStdErrs
        self.conditional = conditional
    }

    /// Shares of `trials`, from the trials in each band and Ineligible (`RuleSet.bandCounts`).
    public init(counts: [Int], trials: Int) {
        func probability(_ count: Int) -> Double { trials > 0 ? Double(count) / Double(trials) : 0 }
        func standardError(_ p: Double) -> Double { Statistics.proportionStandardError(p, trials: trials) }
        probabilities = counts.map(probability)
        stdErrs = probabilities.map(standardError)
        var above = 0
        var atLeast = Array(repeating: 0.0, count: max(0, counts.count - 1))
        for band in atLeast.indices.reversed() {
            above += counts[band]
            atLeast[band] = probability(above)
        }
        self.atLeast = atLeast
        atLeastStdErrs = atLeast.map(standardError)
        conditional = false
    }
}
