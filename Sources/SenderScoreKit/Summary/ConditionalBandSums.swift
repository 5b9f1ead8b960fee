/// Sums, over trials, of each band's conditional probability (see `ConditionalBands`): the
/// Rao–Blackwell estimate of the band probabilities, with the sums of squares its standard
/// errors need.
///
/// Each trial's probabilities are recorded in fixed point, in units of 2^-52 (`one`), so that sums
/// merge by integer addition, exactly, in any order. A trial's units for the bands and Ineligible
/// add up to exactly `one`, so the estimates add up to 1 like the counted shares do.
public struct ConditionalBandSums: Sendable, Hashable, Codable {
    /// A probability of 1, in the units recorded.
    static let one: Int64 = 1 << 52

    public private(set) var count = 0
    /// Per outcome (the bands from the lowest, then Ineligible): Σ p, in units of 2^-52.
    private(set) var sums: [Int128]
    /// Per outcome: Σ p², each square in units of 2^-52 (rounded to the nearest).
    private(set) var squares: [Int128]
    /// Per band: Σ P(eligible and at the band or better)², in units of 2^-52.
    private(set) var atLeastSquares: [Int128]

    /// Sums for `bands` bands and Ineligible.
    init(bands: Int) {
        sums = Array(repeating: 0, count: bands + 1)
        squares = sums
        atLeastSquares = Array(repeating: 0, count: bands)
    }

    var bands: Int { atLeastSquares.count }

    /// `p²` in units of 2^-52, rounded to the nearest, for `p` in units of 2^-52.
    @inline(__always)
    private static func square(_ units: Int64) -> Int128 {
        // One full-width multiply: units is below 2^53, so the rounded square fits in 64 bits.
        let value = UInt64(units)
        let (high, low) = value.multipliedFullWidth(by: value)
        let (rounded, carry) = low.addingReportingOverflow(UInt64(one / 2))
        return Int128((high + (carry ? 1 : 0)) << 12 | rounded >> 52)
    }

    /// Adds one trial: `atLeast[band]`, P(eligible and at `band` or better) in units of 2^-52,
    /// non-increasing in `band` and at most `one`.
    mutating func record(atLeast: UnsafeBufferPointer<Int64>) {
        count += 1
        var above: Int64 = 0
        for band in stride(from: bands - 1, through: 0, by: -1) {
            let cumulative = atLeast[band]
            let p = cumulative - above
            sums[band] &+= Int128(p)
            squares[band] &+= Self.square(p)
            atLeastSquares[band] &+= Self.square(cumulative)
            above = cumulative
        }
        let ineligible = Self.one - above
        sums[bands] &+= Int128(ineligible)
        squares[bands] &+= Self.square(ineligible)
    }

    /// Wrapping adds: decoding bounds every sum by its count, and merges by the trial limit.
    mutating func merge(_ other: ConditionalBandSums) {
        count &+= other.count
        for index in sums.indices {
            sums[index] &+= other.sums[index]
            squares[index] &+= other.squares[index]
        }
        for index in atLeastSquares.indices { atLeastSquares[index] &+= other.atLeastSquares[index] }
    }

    /// The accuracy of one trial's probabilities: what the integrals leave out (`BandIntegral`)
    /// and fixed-point rounding. A probability strictly between 0 and 1 is never reported with a
    /// smaller standard error, even where every trial gives the same value (fixed rates and
    /// volumes, where the estimate is the exact answer to this accuracy).
    static let numericalError = 1e-9

    /// The mean of values whose sum and sum of squares are `sum` and `squares` (units of 2^-52),
    /// with its standard error: the sample standard deviation over √count, and at least
    /// `numericalError` for a mean strictly between 0 and 1. With one trial the spread is
    /// unknown, so the error is that of a share, √(p(1 − p)), which bounds it.
    private func estimate(sum: Int128, squares: Int128) -> (mean: Double, stdErr: Double) {
        let (mean, stdErr) = sampleEstimate(sum: sum, squares: squares)
        let certain = sum == 0 || sum == Int128(count) * Int128(Self.one)
        return (mean, certain ? stdErr : max(stdErr, Self.numericalError))
    }

    private func sampleEstimate(sum: Int128, squares: Int128) -> (mean: Double, stdErr: Double) {
        let unit = Double(Self.one)
        guard let mean = Statistics.mean(sum: Double(sum) / unit, count: count) else { return (0, 0) }
        guard
            let deviation = Statistics.standardDeviation(
                sum: Double(sum) / unit,
                sumOfSquares: Double(squares) / unit,
                count: count
            )
        else { return (mean, Statistics.proportionStandardError(mean, trials: 1)) }
        return (mean, deviation / Double(count).squareRoot())
    }

    /// The probability of an outcome (a band from the lowest, or `bands` for Ineligible), with its
    /// standard error.
    func outcome(_ index: Int) -> (mean: Double, stdErr: Double) {
        estimate(sum: sums[index], squares: squares[index])
    }

    /// P(eligible and at `band` or better), with its standard error.
    func atLeast(_ band: Int) -> (mean: Double, stdErr: Double) {
        estimate(sum: sums[band..<bands].reduce(0, +), squares: atLeastSquares[band])
    }

    enum CodingKeys: String, CodingKey {
        case count, sums, squares, atLeastSquares
    }

    /// Reads saved sums, refusing any that no run of at most `Limits.trials` trials records.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func wholes(_ key: CodingKeys) throws -> [Int128] {
            try container.decode([String].self, forKey: key).map {
                try Int128Sums.whole($0, forKey: key, in: container)
            }
        }
        count = try container.decode(Int.self, forKey: .count)
        sums = try wholes(.sums)
        squares = try wholes(.squares)
        atLeastSquares = try wholes(.atLeastSquares)
        let bound = Int128(count) * Int128(Self.one)
        guard (0...Limits.trials).contains(count), !sums.isEmpty, squares.count == sums.count,
            atLeastSquares.count == sums.count - 1,
            (sums + squares + atLeastSquares).allSatisfy({ (0...bound).contains($0) }),
            sums.reduce(0, +) == bound
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .count,
                in: container,
                debugDescription: "conditional band sums no run records"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(sums.map { String($0) }, forKey: .sums)
        try container.encode(squares.map { String($0) }, forKey: .squares)
        try container.encode(atLeastSquares.map { String($0) }, forKey: .atLeastSquares)
    }
}
