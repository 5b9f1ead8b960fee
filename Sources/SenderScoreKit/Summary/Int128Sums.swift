/// A count, a sum and a sum of squares of whole numbers, in 128 bits: what `Moments` and
/// `IntegerMoments` accumulate. Merging is integer addition, so it is exact in any order; saved
/// as decimal text, because JSON numbers do not hold 128 bits everywhere.
struct Int128Sums: Sendable, Hashable, Codable {
    private(set) var count = 0
    private(set) var sum: Int128 = 0
    private(set) var sumOfSquares: Int128 = 0

    init() {}

    /// Adds a value and its square. Wrapping adds: the callers' limits keep the sums far below 2^127.
    @inline(__always)
    mutating func add(_ value: Int128, square: Int128) {
        count += 1
        sum &+= value
        sumOfSquares &+= square
    }

    /// Wrapping adds too: decoding bounds every sum by its count, and merges by the trial limit.
    mutating func merge(_ other: Int128Sums) {
        count &+= other.count
        sum &+= other.sum
        sumOfSquares &+= other.sumOfSquares
    }

    enum CodingKeys: String, CodingKey {
        case count, sum, sumOfSquares
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        sum = try Self.whole(try container.decode(String.self, forKey: .sum), forKey: .sum, in: container)
        sumOfSquares = try Self.whole(
            try container.decode(String.self, forKey: .sumOfSquares),
            forKey: .sumOfSquares,
            in: container
        )
        // Values recorded are below 2^64 in magnitude, squares below 2^96, and counts at most the
        // trial limit (2^30): so sums this large were never recorded, and merged ones stay in range.
        guard (0...Limits.trials).contains(count), sum.magnitude <= UInt128(count) << 64,
            sumOfSquares >= 0, sumOfSquares <= Int128(count) << 96
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .count,
                in: container,
                debugDescription: "a count or sums no run records"
            )
        }
    }

    /// A 128-bit whole number saved as decimal text at `key` of `container`.
    static func whole<Key: CodingKey>(
        _ text: String,
        forKey key: Key,
        in container: KeyedDecodingContainer<Key>
    ) throws -> Int128 {
        guard let value = Int128(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "not a whole number: \(Format.quoted(text))"
            )
        }
        return value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(String(sum), forKey: .sum)
        try container.encode(String(sumOfSquares), forKey: .sumOfSquares)
    }
}
