/// The distribution of a rate `k / n` over trials: fixed bins of width 1/`binCount` on [0, 1],
/// plus exact moments.
///
/// Bins are assigned with integer arithmetic (`k · bins / n`), so a rate on a bin edge always
/// lands in the bin it starts. Percentiles interpolate linearly within a bin and are kept within
/// the smallest and largest rate seen, so they are within 1/`binCount` (0.05 percentage points)
/// of the exact ones, and exact when the rate never varies.
public struct RateHistogram: Sendable, Hashable, Codable {
    public static let binCount = 2000
    /// 32-bit counts halve the memory a block touches; runs are limited to 10^9 trials.
    public private(set) var bins: [UInt32]
    public private(set) var moments = Moments()
    /// The smallest and largest rate recorded.
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity

    public init() {
        bins = Array(repeating: 0, count: Self.binCount)
    }

    /// Records `count / denominator`; the denominator must be positive.
    public mutating func record(_ count: Int, of denominator: Int) {
        let bin = min(Self.binCount - 1, count * Self.binCount / denominator)
        bins[bin] &+= 1
        let rate = Double(count) / Double(denominator)
        moments.record(rate)
        minimum = min(minimum, rate)
        maximum = max(maximum, rate)
    }

    public mutating func merge(_ other: RateHistogram) {
        for index in bins.indices {
            bins[index] &+= other.bins[index]
        }
        moments.merge(other.moments)
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
    }

    /// Trials in which the rate was defined.
    public var count: Int { moments.count }

    /// The `q`-quantile (0 < q < 1), or nil without values.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let target = q * Double(count)
        var cumulative = 0.0
        for (index, frequency) in bins.enumerated() where frequency > 0 {
            let next = cumulative + Double(frequency)
            if next >= target {
                let within = (target - cumulative) / Double(frequency)
                return min(maximum, max(minimum, (Double(index) + within) / Double(Self.binCount)))
            }
            cumulative = next
        }
        return maximum
    }

    // Written sparsely, as the bins that hold trials; the smallest and largest rate only when
    // there are any.
    enum CodingKeys: String, CodingKey {
        case bins, moments, minimum, maximum
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        for pair in try container.decode([[UInt32]].self, forKey: .bins) {
            guard pair.count == 2, Int(pair[0]) < Self.binCount else {
                throw DecodingError.dataCorruptedError(
                    forKey: .bins,
                    in: container,
                    debugDescription: "expected [bin, trials] with a bin below \(Self.binCount)"
                )
            }
            bins[Int(pair[0])] = pair[1]
        }
        moments = try container.decode(Moments.self, forKey: .moments)
        minimum = try container.decodeIfPresent(Double.self, forKey: .minimum) ?? .infinity
        maximum = try container.decodeIfPresent(Double.self, forKey: .maximum) ?? -.infinity
        let binned = bins.reduce(UInt64(0)) { $0 + UInt64($1) }
        let bounded = count == 0 || (0 <= minimum && minimum <= maximum && maximum <= 1)
        guard binned == UInt64(count), bounded else {
            throw DecodingError.dataCorruptedError(
                forKey: .bins,
                in: container,
                debugDescription: "the bins, the count and the range do not agree"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bins.indices.filter { bins[$0] > 0 }.map { [UInt32($0), bins[$0]] }, forKey: .bins)
        try container.encode(moments, forKey: .moments)
        if count > 0 {
            try container.encode(minimum, forKey: .minimum)
            try container.encode(maximum, forKey: .maximum)
        }
    }
}
