/// Count, sum and sum of squares of values in [0, 1], held in fixed point with 62 fractional bits
/// and summed in 128 bits, so that merging is exact integer addition: shards merged in any grouping
/// give bit-identical results. Rates and shares fit; up to 2^60 values.
public struct Moments: Sendable, Hashable, Codable {
    private var sums = Int128Sums()

    private static let one = 0x1p62

    public init() {}

    public var count: Int { sums.count }

    /// Records a value in [0, 1].
    public mutating func record(_ value: Double) {
        // Below 2^63, so the conversion is one machine instruction.
        sums.add(Int128(Int64(value * Self.one)), square: Int128(Int64(value * value * Self.one)))
    }

    public mutating func merge(_ other: Moments) {
        sums.merge(other.sums)
    }

    public var mean: Double? {
        Statistics.mean(sum: Double(sums.sum) / Self.one, count: count)
    }

    public var standardDeviation: Double? {
        Statistics.standardDeviation(
            sum: Double(sums.sum) / Self.one,
            sumOfSquares: Double(sums.sumOfSquares) / Self.one,
            count: count
        )
    }

    /// The Monte Carlo standard error of the mean.
    public var standardError: Double? {
        standardDeviation.map { $0 / Double(count).squareRoot() }
    }

    public init(from decoder: any Decoder) throws {
        sums = try Int128Sums(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try sums.encode(to: encoder)
    }
}
