internal import CGSL

/// A cache of q^n as GSL's `gsl_pow_uint` computes it: the set-up of GSL's small-mean binomial
/// sampler, which otherwise costs a dozen dependent multiplications on every draw.
///
/// A trial draws most of its binomials with the same few probabilities (a segment's fixed bounce
/// rate, a reply rate drawn once per trial) and sizes that vary little, so the same (q, n) recur
/// within a trial and across trials. Direct-mapped: a (q, n) evicts whatever shared its slot, and
/// every value is GSL's own, so a hit or a miss gives the same number. Not `Sendable`: one per
/// `RandomLanes`.
final class PowerCache {
    private static let slotBits = 10
    private struct Entry {
        var q: UInt64
        var n: UInt32
        var value: Double
    }
    private let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = .allocate(capacity: 1 << Self.slotBits)
        // A NaN's bit pattern that `1 − p` never produces for the p that reach the sampler.
        entries.initialize(repeating: Entry(q: UInt64.max, n: 0, value: 0), count: 1 << Self.slotBits)
    }

    deinit {
        entries.deallocate()
    }

    /// `gsl_pow_uint(q, n)`.
    ///
    /// - Complexity: O(1) on a hit; O(log n) multiplications on a miss.
    @inline(__always)
    func power(_ q: Double, _ n: UInt32) -> Double {
        let key = q.bitPattern
        let mixed = (key ^ UInt64(n) &* 0x9e37_79b9_7f4a_7c15) &* 0xbf58_476d_1ce4_e5b9
        let slot = entries + Int(truncatingIfNeeded: mixed >> UInt64(64 - Self.slotBits))
        if slot.pointee.q == key, slot.pointee.n == n { return slot.pointee.value }
        let value = gsl_pow_uint(q, n)
        slot.pointee = Entry(q: key, n: n, value: value)
        return value
    }
}
