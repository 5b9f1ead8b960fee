/// Count, sum and sum of squares of whole numbers (of either sign, magnitude up to 10^12), exactly.
public struct IntegerMoments: Sendable, Hashable, Codable {
    private var sums = Int128Sums()

    public init() {}

    public var count: Int { sums.count }

    public mutating func record(_ value: Int) {
        let square = value.multipliedFullWidth(by: value)
        sums.add(Int128(value), square: Int128(square.high) << 64 | Int128(square.low))
    }

    public mutating func merge(_ other: IntegerMoments) {
        sums.merge(other.sums)
    }

    public var mean: Double? {
        Statistics.mean(sum: Double(sums.sum), count: count)
    }

    public var standardDeviation: Double? {
        Statistics.standardDeviation(sum: Double(sums.sum), sumOfSquares: Double(sums.sumOfSquares), count: count)
    }

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
