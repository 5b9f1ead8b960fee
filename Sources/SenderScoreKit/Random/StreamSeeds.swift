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
public struct StreamSeeds: Sendable {
    private let roundKeys: [UInt32]
    /// The same keys, unboxed for the per-trial permutation.
    private let keys: (UInt32, UInt32, UInt32, UInt32)
    /// Lanes per block: every block has the same layout.
    public let lanes: Int

    public init(seed: UInt64, lanes: Int) {
        var state = seed
        roundKeys = (0..<6).map { _ in UInt32(truncatingIfNeeded: SplitMix64.next(&state) >> 16) }
        keys = (roundKeys[0], roundKeys[1], roundKeys[2], roundKeys[3])
        self.lanes = lanes
    }

    /// Streams a run can have at most, and the largest seed.
    public static let capacity = (1 << 30) - 1

    /// The GSL seed of one stream: in 1 … 2^30 − 1, distinct for distinct (block, lane).
    public func seed(block: Int, lane: Int) -> UInt32 {
        precondition(lane >= 0 && lane < lanes && block >= 0)
        return seed(stream: block * lanes + lane)
    }

    /// The GSL seed of stream `index` (from 0 to `capacity` − 1): distinct for distinct indices.
    public func seed(stream index: Int) -> UInt32 {
        precondition(index >= 0 && index < Self.capacity, "more streams than distinct seeds")
        // Domain and range are 1 … 2^30 − 1: permute, and walk the cycle until back inside.
        var value = permute(UInt32(index + 1))
        while value == 0 || value > UInt32(Self.capacity) {
            value = permute(value)
        }
        return value
    }

    /// A keyed permutation of 0 … 2^30 − 1: 4 Feistel rounds on 15-bit halves (MurmurHash3's
    /// finaliser as the round function), so no cycle walk is needed to stay in range. Every trial
    /// seeds each of its lanes with it, so it is kept short; distinctness needs only a bijection.
    ///
    /// - Complexity: O(1), four 32-bit mixes.
    @inline(__always)
    func permute30(_ x: UInt32) -> UInt32 {
        @inline(__always) func round(_ left: UInt32, _ right: UInt32, _ key: UInt32) -> UInt32 {
            left ^ (Self.fmix32(right ^ key) >> 17)
        }
        let a = x >> 15
        let b = x & 0x7fff
        let c = round(a, b, keys.0)
        let d = round(b, c, keys.1)
        let e = round(c, d, keys.2)
        let f = round(d, e, keys.3)
        return e << 15 | f
    }

    /// The GSL seed of trial stream `index` (from 0 to `capacity` − 1): in 1 … 2^30 − 1, distinct
    /// for distinct indices. The permutation of 30 bits is the one trials use; block streams keep
    /// `seed(stream:)`, whose numbers `validate` and `synth` rely on.
    @inline(__always)
    func trialSeed(stream index: Int) -> UInt32 {
        // P maps 1 … 2^30 − 1 into 0 … 2^30 − 1; the one index it sends to 0 takes P(0), which no
        // other index in the range has.
        assert(index >= 0 && index < Self.capacity, "more trial streams than distinct seeds")
        let value = permute30(UInt32(truncatingIfNeeded: index + 1))
        return value != 0 ? value : permute30(0)
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
    @inline(__always)
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

/// The streams of a run's trials: trial t draws each purpose (lane) from a stream of its own,
/// seeded from (seed, t, lane) alone, so trial t's numbers for a purpose never depend on which
/// strategies are evaluated with it, in what rounds, or on which thread.
///
/// The lanes of the baseline (segments, reps, enrollment lines and the cohorts' own outcomes)
/// and the lanes only strategies use (interventions' effects, removals, caught bounces, skipped
/// and added emails) are numbered apart, and their streams take the two halves of the seed range:
/// baseline lane l of trial t is stream `t · B + l`, strategy lane l is stream
/// `2^29 + t · S + (l − B)`. Adding an intervention or a strategy to a scenario therefore moves
/// none of the baseline's numbers, and every stream of a run has a seed of its own.
///
/// A run whose trials would need more streams than that (trials × lanes past 2^29 in a half: a team
/// of thousands of reps over thousands of trials) numbers only the lanes a trial seeds, the lanes
/// some draw can use, in the same two halves: the dense layout. A run that fits the first layout
/// keeps it, so its numbers never change; the dense one gives other numbers, as another seed would.
public struct TrialStreams: Sendable {
    public let seeds: StreamSeeds
    /// Streams a trial takes in the baseline's half (its stride there), and in the strategies' half.
    public let baselineLanes: Int
    public let strategyLanes: Int
    /// Lanes below this are the baseline's, the others only strategies draw from.
    let firstStrategyLane: Int
    /// In the dense layout, each lane's stream within its half of a trial (−1 for a lane that is
    /// never seeded); nil in the first layout, where it is the lane's own number.
    let offsets: [Int32]?

    /// Streams each half of the seed range holds.
    public static let halfCapacity = (StreamSeeds.capacity + 1) / 2

    /// The first layout: every lane has a stream, `baselineLanes` of them the baseline's.
    public init(seed: UInt64, baselineLanes: Int, strategyLanes: Int) {
        seeds = StreamSeeds(seed: seed, lanes: 1)
        self.baselineLanes = baselineLanes
        self.strategyLanes = strategyLanes
        firstStrategyLane = baselineLanes
        offsets = nil
    }

    /// The dense layout: only `seeded` lanes (ascending) have streams, numbered within their half.
    init(seed: UInt64, lanes: Int, baselineLanes: Int, seeded: [Int]) {
        seeds = StreamSeeds(seed: seed, lanes: 1)
        var offsets = [Int32](repeating: -1, count: lanes)
        var counts = (baseline: 0, strategy: 0)
        for lane in seeded {
            if lane < baselineLanes {
                offsets[lane] = Int32(counts.baseline)
                counts.baseline += 1
            } else {
                offsets[lane] = Int32(counts.strategy)
                counts.strategy += 1
            }
        }
        self.baselineLanes = counts.baseline
        strategyLanes = counts.strategy
        firstStrategyLane = baselineLanes
        self.offsets = offsets
    }

    /// Whether only the lanes a trial seeds have streams.
    public var isDense: Bool { offsets != nil }

    /// The most trials whose streams all have distinct seeds.
    public var trialCapacity: Int {
        (Self.halfCapacity - 1) / max(1, baselineLanes, strategyLanes)
    }

    /// The GSL seed of `lane` in trial `trial`.
    ///
    /// - Complexity: O(1): four rounds of a Feistel permutation.
    @inline(__always)
    public func seed(trial: Int, lane: Int) -> UInt32 {
        let offset: Int
        if let offsets {
            offset = Int(offsets[lane])
            assert(offset >= 0, "a lane the dense layout does not seed")
        } else {
            offset = lane < firstStrategyLane ? lane : lane - firstStrategyLane
        }
        if lane < firstStrategyLane {
            return seeds.trialSeed(stream: trial * baselineLanes + offset)
        }
        return seeds.trialSeed(stream: Self.halfCapacity + trial * strategyLanes + offset)
    }
}
