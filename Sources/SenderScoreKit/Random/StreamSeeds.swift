/// Seeds for the streams of a run, derived from the user's seed, the block and the lane.
///
/// GSL generators take 32-bit seeds, so 64-bit hashing alone would give colliding streams by the
/// birthday bound (about one pair in 10⁵ streams already has a 1-in-a-thousand chance). Instead the
/// stream of (block b, lane l) gets `P(b · lanes + l)`, where `P` is a keyed pseudo-random
/// permutation of the non-zero 32-bit integers (a 6-round Feistel network keyed by SplitMix64 of
/// the seed, cycle-walked to skip 0, which GSL replaces by a default seed). Being a permutation,
/// it gives distinct seeds to all streams of a run, for up to 2³² − 1 of them; `Simulation`
/// refuses runs that would need more. See docs/randomness.md.
public struct StreamSeeds: Sendable, Hashable {
    private let roundKeys: [UInt32]
    /// Lanes per block: every block has the same layout.
    public let lanes: Int

    public init(seed: UInt64, lanes: Int) {
        var state = seed
        roundKeys = (0..<6).map { _ in UInt32(truncatingIfNeeded: SplitMix64.next(&state) >> 16) }
        self.lanes = lanes
    }

    /// Streams a run of `blocks` blocks can have at most.
    public static let capacity = Int(UInt32.max)

    /// The 32-bit GSL seed of one stream; never 0, distinct for distinct (block, lane).
    public func seed(block: Int, lane: Int) -> UInt32 {
        precondition(lane >= 0 && lane < lanes && block >= 0)
        let index = block * lanes + lane
        precondition(index < Self.capacity, "more streams than distinct 32-bit seeds")
        // Domain and range are 1...2^32-1: permute, and walk the cycle past 0.
        var value = permute(UInt32(index + 1))
        while value == 0 {
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
