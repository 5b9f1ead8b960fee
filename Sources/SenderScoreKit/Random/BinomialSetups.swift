internal import CGSL

/// The set-ups of GSL's binomial sampler, kept per (p, n): q^n for its small-mean inversion (as
/// `gsl_pow_uint` computes it, a dozen dependent multiplications) and the dozen quotients, square
/// root and floor that start its BTPE rejection sampler for larger means. `gsl_ran_binomial`
/// recomputes them on every draw.
///
/// A trial draws most of its binomials with a few probabilities (a segment's fixed bounce rate, an
/// audience share, a reply rate drawn once per trial) and sizes that vary little, so the same
/// (p, n) recur within a trial and across trials. Each table is direct-mapped: a (p, n) evicts
/// whatever shared its slot, and every value is what GSL computes, so a hit or a miss gives the
/// same variate. Not `Sendable`: one per `RandomLanes`.
final class BinomialSetups {
    private static let slotBits = 10
    private static let slots = 1 << slotBits

    private struct Power {
        var q: UInt64
        var n: UInt32
        var value: Double
    }
    private let powers: UnsafeMutablePointer<Power>
    /// The BTPE set-ups, and the bits of the p each was made for (its n is in the set-up).
    private let rejections: UnsafeMutablePointer<cgsl_btpe>
    private let rejectionKeys: UnsafeMutablePointer<UInt64>

    init() {
        // A NaN's bit pattern, which the probabilities that reach the sampler never have.
        powers = .allocate(capacity: Self.slots)
        powers.initialize(repeating: Power(q: UInt64.max, n: 0, value: 0), count: Self.slots)
        rejections = .allocate(capacity: Self.slots)
        rejections.initialize(repeating: cgsl_btpe(), count: Self.slots)
        rejectionKeys = .allocate(capacity: Self.slots)
        rejectionKeys.initialize(repeating: UInt64.max, count: Self.slots)
    }

    deinit {
        powers.deallocate()
        rejections.deallocate()
        rejectionKeys.deallocate()
    }

    @inline(__always)
    private static func slot(_ bits: UInt64, _ n: UInt32) -> Int {
        let mixed = (bits ^ UInt64(n) &* 0x9e37_79b9_7f4a_7c15) &* 0xbf58_476d_1ce4_e5b9
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - slotBits))
    }

    /// `gsl_pow_uint(q, n)`.
    ///
    /// - Complexity: O(1) on a hit; O(log n) multiplications on a miss.
    @inline(__always)
    func power(_ q: Double, _ n: UInt32) -> Double {
        let entry = powers + Self.slot(q.bitPattern, n)
        if entry.pointee.q == q.bitPattern, entry.pointee.n == n { return entry.pointee.value }
        let value = gsl_pow_uint(q, n)
        entry.pointee = Power(q: q.bitPattern, n: n, value: value)
        return value
    }

    /// The BTPE set-up for `p` (at most 0.5) and `n`.
    @inline(__always)
    func rejection(_ p: Double, _ n: UInt32) -> UnsafePointer<cgsl_btpe> {
        let slot = Self.slot(p.bitPattern, n)
        let setup = rejections + slot
        if rejectionKeys[slot] != p.bitPattern || setup.pointee.n != n {
            rejectionKeys[slot] = p.bitPattern
            cgsl_btpe_setup(setup, p, n)
        }
        return UnsafePointer(setup)
    }
}
