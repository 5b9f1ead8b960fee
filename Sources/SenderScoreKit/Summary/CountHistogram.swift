/// The distribution of a whole number over trials (completed enrollments), exact while its values
/// span at most `binLimit`, then in bins of width 2^k.
///
/// Bins start at multiples of their width, and the width is the smallest power of two whose bins
/// cover every value seen in at most `binLimit` bins. That width depends only on the smallest and
/// largest value, so merging in any grouping gives the same histogram, exactly.
public struct CountHistogram: Sendable, Hashable, Codable {
    public static let binLimit = 4096

    /// log2 of the bin width.
    public private(set) var shift = 0
    /// The first bin's index (its lower edge divided by the width).
    private var base = 0
    private var bins: [Int] = []
    public private(set) var moments = IntegerMoments()

    public init() {}

    public mutating func record(_ value: Int) {
        moments.record(value)
        add(value >> shift, count: 1)
    }

    public mutating func merge(_ other: CountHistogram) {
        moments.merge(other.moments)
        guard !other.bins.isEmpty else { return }
        guard !bins.isEmpty else {
            self = CountHistogram(shift: other.shift, base: other.base, bins: other.bins, moments: moments)
            return
        }
        // Widen both to the narrowest width that covers the union, then add bin by bin.
        let lowest = min(base << shift, other.base << other.shift)
        let highest = max((base + bins.count) << shift, (other.base + other.bins.count) << other.shift) - 1
        var target = max(shift, other.shift)
        while (highest >> target) - (lowest >> target) >= Self.binLimit { target += 1 }
        var other = other
        coarsen(to: target)
        other.coarsen(to: target)
        for (offset, count) in other.bins.enumerated() where count > 0 {
            add(other.base + offset, count: count)
        }
    }

    private init(shift: Int, base: Int, bins: [Int], moments: IntegerMoments) {
        self.shift = shift
        self.base = base
        self.bins = bins
        self.moments = moments
    }

    public var count: Int { moments.count }

    /// The `q`-quantile: the smallest value whose cumulative frequency reaches `q`; with bins wider
    /// than 1, the middle of the bin.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        var cumulative = 0
        for (offset, frequency) in bins.enumerated() where frequency > 0 {
            cumulative += frequency
            if Double(cumulative) >= q * Double(count) {
                let lower = (base + offset) << shift
                return shift == 0 ? Double(lower) : Double(lower) + Double((1 << shift) - 1) / 2
            }
        }
        return nil
    }

    /// Adds `count` to the bin with index `index` (at the current width), widening as needed.
    private mutating func add(_ index: Int, count: Int) {
        if bins.isEmpty {
            base = index
            bins = [count]
            return
        }
        var index = index
        while max(index, base + bins.count - 1) - min(index, base) >= Self.binLimit {
            coarsen(to: shift + 1)
            index >>= 1
        }
        if index < base || index >= base + bins.count {
            // Exactly the bins from the first to the last that hold a trial (growing in place
            // could leave twice as many; see `RateHistogram`).
            let first = min(base, index)
            var wider = Array(repeating: 0, count: max(base + bins.count, index + 1) - first)
            for (offset, count) in bins.enumerated() { wider[base - first + offset] = count }
            bins = wider
            base = first
        }
        bins[index - base] += count
    }

    /// Widens the bins to 2^`target`.
    private mutating func coarsen(to target: Int) {
        guard target > shift else { return }
        let factor = target - shift
        shift = target
        guard !bins.isEmpty else { return }
        let newBase = base >> factor
        var coarse = Array(repeating: 0, count: ((base + bins.count - 1) >> factor) - newBase + 1)
        for (offset, count) in bins.enumerated() {
            coarse[((base + offset) >> factor) - newBase] += count
        }
        base = newBase
        bins = coarse
    }

    enum CodingKeys: String, CodingKey {
        case shift, base, bins, moments
    }

    /// Reads a saved histogram, refusing one that could not have been recorded (and could not
    /// merge without overflow).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shift = try container.decode(Int.self, forKey: .shift)
        base = try container.decode(Int.self, forKey: .base)
        bins = try container.decode([Int].self, forKey: .bins)
        moments = try container.decode(IntegerMoments.self, forKey: .moments)
        guard (0...40).contains(shift), bins.count <= Self.binLimit, base.magnitude < 1 << 40,
            bins.allSatisfy({ (0...Limits.trials).contains($0) }), bins.reduce(0, +) == moments.count
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .bins,
                in: container,
                debugDescription: "not a histogram of counts this engine records"
            )
        }
    }
}
