/// Seeds for the streams of a run, derived from the user's seed, the block and the lane.
///
/// GSL generators take 32-bit seeds and several give two seeds the same stream: `ranlxd1` and
/// `ranlxd2` give s and 2^32 − s the same stream, `gfsr4` gives s, 2^32 − s, s + 2^31 and 2^31 − s
/// the same stream. Hashing to a seed would moreover collide by the birthday bound. Instead the
/// stream of (block b, lane l) gets `P(b · lanes + l + 1)`, where `P` is a keyed pseudo-random
/// permutation of 1 … 2^30 − 1 (a 6-round Feistel network on 32 bits keyed by SplitMix64 of the
/// seed, cycle-walked to stay in that range, which also keeps it off 0, which GSL replaces by a
/// default seed). No two seeds in that range share a stream for any generator offered, so a run
/// gets distinct streams for up to 2^30 − 1 of them; `Simulation` refuses runs that would need
/// more. See docs/randomness.md.
public struct StreamSeeds: Sendable, Hashable {
    private let roundKeys: [UInt32]
    /// Lanes per block: every block has the same layout.
    public let lanes: Int

    public init(seed: UInt64, lanes: Int) {
        var state = seed
        roundKeys = (0..<6).map { _ in UInt32(truncatingIfNeeded: SplitMix64.next(&state) >> 16) }
        self.lanes = lanes
    }

    /// Streams a run can have at most, and the largest seed.
    public static let capacity = (1 << 30) - 1

    /// The GSL seed of one stream: in 1 … 2^30 − 1, distinct for distinct (block, lane).
    public func seed(block: Int, lane: Int) -> UInt32 {
        precondition(lane >= 0 && lane < lanes && block >= 0)
        let index = block * lanes + lane
        precondition(index < Self.capacity, "more streams than distinct seeds")
        // Domain and range are 1 … 2^30 − 1: permute, and walk the cycle until back inside.
        var value = permute(UInt32(index + 1))
        while value == 0 || value > UInt32(Self.capacity) {
            value = permute(value)
        }
        return value
    }

    private func permute(_ x: UInt32) -> UInt32 {
        var left = UInt16(truncatingIfNeeded: x >> 16)
        var right = UInt16(truncatingIfNeeded: x)
        for key in roundKeys {
            let mixed = Self.fmix32(UInt32(right) ^ key)
            (left, right) = (right, left ^ UInt16(truncatingIfNeeded: mixed >> 16))
        }
        return UInt32(left) << 16 | UInt32(right)
    }

    /// MurmurHash3's 32-bit finaliser.
    private static func fmix32(_ value: UInt32) -> UInt32 {
        var h = value
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a strong 64-bit mixing sequence.
enum SplitMix64 {
    static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
