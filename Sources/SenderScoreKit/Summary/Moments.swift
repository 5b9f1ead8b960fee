/// Count, sum and sum of squares of values in [0, 1], held in fixed point with 62 fractional bits
/// and summed in 128 bits, so that merging is exact integer addition: shards merged in any grouping
/// give bit-identical results. Rates and shares fit; up to 2^60 values.
public struct Moments: Sendable, Hashable {
    public private(set) var count = 0
    private var sum: Int128 = 0
    private var sumOfSquares: Int128 = 0

    private static let one = 0x1p62

    public init() {}

    /// Records a value in [0, 1].
    public mutating func record(_ value: Double) {
        count += 1
        // Below 2^63, so the conversion is one machine instruction.
        // Wrapping adds: the documented limits keep the sums far below 2^127.
        sum &+= Int128(Int64(value * Self.one))
        sumOfSquares &+= Int128(Int64(value * value * Self.one))
    }

    public mutating func merge(_ other: Moments) {
        count += other.count
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    public var mean: Double? {
        Statistics.mean(sum: Double(sum) / Self.one, count: count)
    }

    public var standardDeviation: Double? {
        Statistics.standardDeviation(
            sum: Double(sum) / Self.one,
            sumOfSquares: Double(sumOfSquares) / Self.one,
            count: count
        )
    }

    /// The Monte Carlo standard error of the mean.
    public var standardError: Double? {
        standardDeviation.map { $0 / Double(count).squareRoot() }
    }
}
