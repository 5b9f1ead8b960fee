/// The distribution of a rate `k / n` over trials: fixed bins of width 1/`binCount` on [0, 1],
/// plus exact moments.
///
/// Bins are assigned with integer arithmetic (`k · bins / n`), so a rate on a bin edge always
/// lands in the bin it starts. Percentiles interpolate linearly within a bin and are kept within
/// the smallest and largest rate seen, so they are within 1/`binCount` (0.05 percentage points)
/// of the exact ones, and exact when the rate never varies.
public struct RateHistogram: Sendable, Hashable, Codable {
    public static let binCount = 2000
    /// The bins from `firstBin` to the last that holds a trial, and only those: a level's rates
    /// cluster, so this is a few hundred bins, not 2,000 (a 10,000-rep team keeps its memory per
    /// rep small). Empty, or starting and ending with a bin that holds trials, so that equal
    /// histograms are stored alike. Each bin's trials modulo 2^16 (a 10,000-rep team keeps tens
    /// of thousands of these windows per thread); `carries` holds the rest.
    private var window: [UInt16] = []
    private var firstBin = 0
    /// For the bins that have held 2^16 trials or more, their trials divided by 2^16, by bin:
    /// empty in most runs. Runs are limited to 10^9 trials, so a bin's trials fit 32 bits.
    private var carries: [Int: UInt32] = [:]
    public private(set) var moments = Moments()
    /// The smallest and largest rate recorded.
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity

    public init() {}

    /// Every bin's trials, from the bin at 0 to the one at 1 − 1/`binCount`.
    ///
    /// - Complexity: O(`binCount`).
    public var bins: [UInt32] {
        var all = [UInt32](repeating: 0, count: Self.binCount)
        for offset in window.indices { all[firstBin + offset] = trials(atOffset: offset) }
        return all
    }

    /// The last bin that holds a trial, or nil for an empty histogram.
    public var lastBin: Int? { window.isEmpty ? nil : firstBin + window.count - 1 }

    /// The trials in the bins of `range`.
    public func trials(inBins range: Range<Int>) -> Int {
        let lower = max(range.lowerBound, firstBin)
        let upper = min(range.upperBound, firstBin + window.count)
        guard lower < upper else { return 0 }
        return ((lower - firstBin)..<(upper - firstBin)).reduce(0) { $0 + Int(trials(atOffset: $1)) }
    }

    /// The trials in the window's bin at `offset`.
    @inline(__always)
    private func trials(atOffset offset: Int) -> UInt32 {
        let low = UInt32(window[offset])
        return carries.isEmpty ? low : low &+ ((carries[firstBin + offset] ?? 0) &<< 16)
    }

    /// Records `count / denominator`; the denominator must be positive.
    public mutating func record(_ count: Int, of denominator: Int) {
        // Below 2^31, one floating-point division (faster than an integer one) whose integer part
        // is exact: both operands are exact, and a quotient that is not a whole number is at least
        // 1/n ≥ 2^-31 from the next one, far beyond its rounding (2^-42 below 2^11).
        let bin =
            denominator < 1 << 31
            ? min(Self.binCount - 1, Int(Double(count * Self.binCount) / Double(denominator)))
            : min(Self.binCount - 1, count * Self.binCount / denominator)
        add(bin, trials: 1)
        let rate = Double(count) / Double(denominator)
        moments.record(rate)
        minimum = min(minimum, rate)
        maximum = max(maximum, rate)
    }

    /// Adds `trials` to a bin, widening the window to reach it.
    @inline(__always)
    private mutating func add(_ bin: Int, trials: UInt32) {
        let offset = bin - firstBin
        guard offset >= 0, offset < window.count else {
            widen(to: bin)
            add(bin, trials: trials)
            return
        }
        let (low, overflow) = window[offset].addingReportingOverflow(UInt16(truncatingIfNeeded: trials))
        window[offset] = low
        let high = (trials >> 16) + (overflow ? 1 : 0)
        if high > 0 { carries[bin, default: 0] &+= high }
    }

    /// A window of exactly the bins from the first to the last that hold a trial: growing an
    /// array in place could leave it twice that size, and a 10,000-rep team keeps tens of
    /// thousands of these. A rate's extremes are new in few trials, so this copies rarely.
    private mutating func widen(to bin: Int) {
        guard !window.isEmpty else {
            firstBin = bin
            window = [0]
            return
        }
        let first = min(firstBin, bin)
        var wider = [UInt16](repeating: 0, count: max(firstBin + window.count, bin + 1) - first)
        for (offset, trials) in window.enumerated() { wider[firstBin - first + offset] = trials }
        window = wider
        firstBin = first
    }

    public mutating func merge(_ other: RateHistogram) {
        if !other.window.isEmpty {
            // Widen once, to exactly the union of the two windows.
            let first = window.isEmpty ? other.firstBin : min(firstBin, other.firstBin)
            let last = max(window.isEmpty ? 0 : firstBin + window.count, other.firstBin + other.window.count)
            if first != firstBin || last - first != window.count {
                var wider = [UInt16](repeating: 0, count: last - first)
                for (offset, trials) in window.enumerated() { wider[firstBin - first + offset] = trials }
                window = wider
                firstBin = first
            }
        }
        for offset in other.window.indices {
            let trials = other.trials(atOffset: offset)
            if trials > 0 { add(other.firstBin + offset, trials: trials) }
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
        for offset in window.indices {
            let frequency = trials(atOffset: offset)
            guard frequency > 0 else { continue }
            let next = cumulative + Double(frequency)
            if next >= target {
                let within = (target - cumulative) / Double(frequency)
                let index = firstBin + offset
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
        var previous = -1
        for pair in try container.decode([[UInt32]].self, forKey: .bins) {
            guard pair.count == 2, Int(pair[0]) < Self.binCount, Int(pair[0]) > previous else {
                throw DecodingError.dataCorruptedError(
                    forKey: .bins,
                    in: container,
                    debugDescription: "expected [bin, trials] pairs in increasing bins below \(Self.binCount)"
                )
            }
            previous = Int(pair[0])
            if pair[1] > 0 { add(Int(pair[0]), trials: pair[1]) }
        }
        moments = try container.decode(Moments.self, forKey: .moments)
        minimum = try container.decodeIfPresent(Double.self, forKey: .minimum) ?? .infinity
        maximum = try container.decodeIfPresent(Double.self, forKey: .maximum) ?? -.infinity
        let binned = window.indices.reduce(UInt64(0)) { $0 + UInt64(trials(atOffset: $1)) }
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
        try container.encode(
            window.indices.filter { trials(atOffset: $0) > 0 }.map { [UInt32(firstBin + $0), trials(atOffset: $0)] },
            forKey: .bins
        )
        try container.encode(moments, forKey: .moments)
        if count > 0 {
            try container.encode(minimum, forKey: .minimum)
            try container.encode(maximum, forKey: .maximum)
        }
    }
}
