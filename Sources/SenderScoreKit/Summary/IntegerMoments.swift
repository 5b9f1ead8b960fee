/// Count, sum and sum of squares of whole numbers (of either sign, magnitude up to 10^12), exactly.
public struct IntegerMoments: Sendable, Hashable {
    public private(set) var count = 0
    private var sum: Int128 = 0
    private var sumOfSquares: Int128 = 0

    public init() {}

    public mutating func record(_ value: Int) {
        count += 1
        sum &+= Int128(value)
        let square = value.multipliedFullWidth(by: value)
        sumOfSquares &+= Int128(square.high) << 64 | Int128(square.low)
    }

    public mutating func merge(_ other: IntegerMoments) {
        count += other.count
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    public var mean: Double? {
        Statistics.mean(sum: Double(sum), count: count)
    }

    public var standardDeviation: Double? {
        Statistics.standardDeviation(sum: Double(sum), sumOfSquares: Double(sumOfSquares), count: count)
    }

    public var standardError: Double? {
        standardDeviation.map { $0 / Double(count).squareRoot() }
    }
}
