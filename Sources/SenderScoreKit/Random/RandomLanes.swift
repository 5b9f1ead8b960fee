internal import CGSL
import Foundation

/// The random streams of one block of trials: one GSL generator per lane.
///
/// A lane is one purpose in the model ("segment core: reply rate", "ana/outbound, core: bounced"),
/// so a draw that consumes more or fewer numbers under one strategy cannot shift the draws of any
/// other purpose. Not `Sendable`: create it inside the task that uses it.
final class RandomLanes {
    /// The lanes' generators and their states, each in one allocation (see `init`); the state
    /// size is the same for every lane: one generator kind.
    private let generatorBlock: UnsafeMutablePointer<gsl_rng>
    private let stateBlock: UnsafeMutableRawPointer
    private let stateSize: Int
    private let count: Int
    /// Where each lane's generator is in the blocks: lanes that no draw uses share the last one,
    /// so a large team does not hold a generator for each of its unused lanes.
    private let laneSlot: UnsafeMutablePointer<Int32>
    /// Generators held: one per lane some draw uses, and the shared one.
    private let slots: Int
    /// The set-ups of GSL's binomial samplers seen so far.
    private let setups = BinomialSetups()
    /// Whether `start` seeds taus2 lanes with the shim's copy of GSL's taus2 seeding, which
    /// `Taus2Seeding.isExact` has checked leaves GSL's state byte for byte.
    private let seedsTaus2Inline: Bool
    /// Room for a trial's seeds, and the states they seed, one per lane.
    private let seeds: UnsafeMutablePointer<UInt32>
    private let seededStates: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    /// Allocates and seeds every lane of `block`: one long stream per lane.
    ///
    /// - Complexity: O(lanes) generator allocations and seedings.
    convenience init(generator: RandomGenerator, seeds: StreamSeeds, block: Int) {
        self.init(generator: generator, count: seeds.lanes)
        for lane in 0..<count {
            gsl_rng_set(rng(lane), UInt(seeds.seed(block: block, lane: lane)))
        }
    }

    /// Allocates `count` lanes, to be seeded trial by trial with `start(trial:lanes:streams:)`;
    /// with `used`, only those lanes get generators of their own (the lanes a trial seeds, which
    /// are all that draw), and the others share one.
    ///
    /// The generators and their states are laid out in two contiguous blocks, as `gsl_rng_alloc`
    /// would lay out each (a `gsl_rng` is its type and a pointer to its state) and set to GSL's
    /// default seed as it does: a trial of a large team seeds and draws from tens of thousands of
    /// lanes, which then share cache lines instead of being scattered over the heap.
    init(generator: RandomGenerator, count: Int, used: [Int]? = nil) {
        GSLRuntime.prepare()
        let count = max(1, count)
        let slots = (used?.count ?? count) + 1
        let laneSlot = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        if let used {
            laneSlot.initialize(repeating: Int32(slots - 1), count: count)
            for (slot, lane) in used.enumerated() { laneSlot[lane] = Int32(slot) }
        } else {
            for lane in 0..<count { (laneSlot + lane).initialize(to: Int32(lane)) }
        }
        let type = generator.gslType
        let size = type.pointee.size
        let stateBlock = UnsafeMutableRawPointer.allocate(byteCount: slots * size, alignment: 16)
        stateBlock.initializeMemory(as: UInt8.self, repeating: 0, count: slots * size)
        let generatorBlock = UnsafeMutablePointer<gsl_rng>.allocate(capacity: slots)
        for slot in 0..<slots {
            (generatorBlock + slot).initialize(to: gsl_rng(type: type, state: stateBlock + slot * size))
            gsl_rng_set(generatorBlock + slot, 0)
        }
        stateSize = size
        self.stateBlock = stateBlock
        self.generatorBlock = generatorBlock
        self.count = count
        self.laneSlot = laneSlot
        self.slots = slots
        seeds = .allocate(capacity: slots)
        seededStates = .allocate(capacity: slots)
        seedsTaus2Inline = generator == .taus2 && Taus2Seeding.isExact
    }

    /// Lane `lane`'s generator and its state.
    @inline(__always)
    private func rng(_ lane: Int) -> UnsafeMutablePointer<gsl_rng> { generatorBlock + Int(laneSlot[lane]) }
    @inline(__always)
    private func state(_ lane: Int) -> UnsafeMutableRawPointer { stateBlock + Int(laneSlot[lane]) * stateSize }

    deinit {
        generatorBlock.deallocate()
        stateBlock.deallocate()
        laneSlot.deallocate()
        seeds.deallocate()
        seededStates.deallocate()
    }

    /// Copies the generator states of `lanes` into `buffer`, for `restore`.
    ///
    /// - Complexity: O(lanes), one small copy each (24 bytes for taus2).
    func save(_ lanes: [Int], into buffer: inout [UInt8]) {
        if buffer.isEmpty {
            buffer = Array(repeating: 0, count: lanes.count * stateSize)
        }
        buffer.withUnsafeMutableBytes { bytes in
            for (position, lane) in lanes.enumerated() {
                (bytes.baseAddress! + position * stateSize).copyMemory(from: state(lane), byteCount: stateSize)
            }
        }
    }

    /// Puts back the generator states that `save` copied.
    func restore(_ lanes: [Int], from buffer: [UInt8]) {
        buffer.withUnsafeBytes { bytes in
            for (position, lane) in lanes.enumerated() {
                state(lane).copyMemory(from: bytes.baseAddress! + position * stateSize, byteCount: stateSize)
            }
        }
    }

    /// Seeds `lanes` for trial `trial`.
    ///
    /// - Complexity: O(lanes) generator seedings: about 30 ns each for taus2, microseconds for
    ///   mt19937 and ranlxd, and tens of microseconds for gfsr4 (docs/randomness.md).
    func start(trial: Int, lanes: [Int], streams: TrialStreams) {
        precondition(lanes.count <= slots, "more lanes to seed than generators")
        lanes.withUnsafeBufferPointer { lanes in
            // The seeds first, in a loop without calls, so that their independent mixes overlap.
            for (position, lane) in lanes.enumerated() {
                seeds[position] = streams.seed(trial: trial, lane: lane)
            }
            if seedsTaus2Inline {
                for (position, lane) in lanes.enumerated() { seededStates[position] = state(lane) }
                cgsl_taus2_set_all(seededStates, seeds, Int32(lanes.count))
            } else {
                for (position, lane) in lanes.enumerated() {
                    gsl_rng_set(rng(lane), UInt(seeds[position]))
                }
            }
        }
    }

    /// Seeds one lane with a GSL seed.
    func seed(lane: Int, with seed: UInt32) {
        gsl_rng_set(rng(lane), UInt(seed))
    }

    /// Uniform on (0, 1).
    func uniform(_ lane: Int) -> Double {
        gsl_rng_uniform_pos(rng(lane))
    }

    /// Binomial(n, p); exact 0 or n at the ends of p.
    ///
    /// - Complexity: O(1) expected (GSL's BTPE for n·p ≥ 14, inversion below).
    func binomial(_ lane: Int, n: Int, p: Double) -> Int {
        assert(!p.isNaN, "a NaN probability reached the sampler")
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        return Int(gslBinomial(rng(lane), p: p, n: UInt32(n)))
    }

    /// Splits `n` among `probabilities.count` categories by a multinomial draw into `counts`.
    ///
    /// GSL's `gsl_ran_multinomial` (one binomial per category, of what the earlier ones left),
    /// step for step, on `gslBinomial`: the same counts from the same uniforms. One draw is left
    /// out: where a category's share of what is left is 1 or more (the last category, up to
    /// rounding), GSL draws a uniform that cannot change the count (it is all that is left), and
    /// so the lane may end one uniform short of GSL's. Callers draw nothing more from a split's
    /// lane in the same trial, so no other draw moves.
    ///
    /// - Complexity: O(categories) binomial draws.
    func multinomial(
        _ lane: Int,
        n: Int,
        probabilities: UnsafeBufferPointer<Double>,
        into counts: UnsafeMutableBufferPointer<UInt32>
    ) {
        let rng = rng(lane)
        var norm = 0.0
        for p in probabilities { norm += p }
        var sumP = 0.0
        var sumN: UInt32 = 0
        for k in probabilities.indices {
            let p = probabilities[k]
            let share = p / (norm - sumP)
            counts[k] = p > 0 ? (share >= 1 ? UInt32(n) &- sumN : gslBinomial(rng, p: share, n: UInt32(n) &- sumN)) : 0
            sumP += p
            sumN &+= counts[k]
        }
    }

    /// `gsl_ran_binomial(rng, p, n)`, exactly: the same variate from the same uniforms, for any p
    /// GSL takes: GSL's inversion (`cgsl_binomial_inversion`) for small means, n·min(p, 1 − p) < 14,
    /// and its BTPE (`cgsl_btpe_sample`) for larger ones, in the shim, with their set-ups from
    /// `setups`.
    @inline(__always)
    private func gslBinomial(_ rng: UnsafeMutablePointer<gsl_rng>, p: Double, n: UInt32) -> UInt32 {
        if n == 0 { return 0 }
        let flipped = p > 0.5
        let small = flipped ? 1.0 - p : p
        guard !small.isNaN else { return gsl_ran_binomial(rng, p, n) }
        let x =
            Double(n) * small < 14
            ? cgsl_binomial_inversion(rng, small, n, setups.power(1 - small, n))
            : cgsl_btpe_sample(rng, setups.rejection(small, n))
        return flipped ? n &- x : x
    }

    /// `gsl_ran_binomial` itself, unguarded: the reference `binomial` and `multinomial` must match
    /// draw for draw (RandomLanesTests).
    func gslReferenceBinomial(_ lane: Int, n: Int, p: Double) -> Int {
        Int(gsl_ran_binomial(rng(lane), p, UInt32(n)))
    }

    /// `gsl_ran_multinomial` itself, the reference for `multinomial`.
    func gslReferenceMultinomial(_ lane: Int, n: Int, probabilities: [Double]) -> [UInt32] {
        var counts = [UInt32](repeating: 0, count: probabilities.count)
        gsl_ran_multinomial(rng(lane), probabilities.count, UInt32(n), probabilities, &counts)
        return counts
    }

    /// One draw of a parameter.
    func sample(_ distribution: ContinuousDistribution, lane: Int) -> Double {
        let rng = rng(lane)
        switch distribution {
        case .fixed(let value):
            return value
        case .beta(let alpha, let beta):
            return gsl_ran_beta(rng, alpha, beta)
        case .uniform(let lower, let upper):
            return lower + (upper - lower) * gsl_rng_uniform(rng)
        case .triangular(let lower, let mode, let upper):
            let u = gsl_rng_uniform(rng)
            let width = upper - lower
            if u < (mode - lower) / width {
                return lower + (u * width * (mode - lower)).squareRoot()
            }
            return upper - ((1 - u) * width * (upper - mode)).squareRoot()
        case .truncatedNormal(let mean, let sd, let lower, let upper):
            // Inversion keeps one uniform per draw and is exact at any truncation; it works in the
            // upper tail when the whole interval lies above the mean, where P would round to 1.
            let a = (lower - mean) / sd
            let b = (upper - mean) / sd
            let u = gsl_rng_uniform_pos(rng)
            let z: Double
            if a > 0 {
                let qa = gsl_cdf_ugaussian_Q(a)
                let qb = gsl_cdf_ugaussian_Q(b)
                z = gsl_cdf_ugaussian_Qinv(qb + u * (qa - qb))
            } else {
                let pa = gsl_cdf_ugaussian_P(a)
                let pb = gsl_cdf_ugaussian_P(b)
                z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa))
            }
            return min(upper, max(lower, mean + sd * z))
        case .lognormal(let mu, let sigma):
            return gsl_ran_lognormal(rng, mu, sigma)
        case .gamma(let shape, let scale):
            return gsl_ran_gamma(rng, shape, scale)
        }
    }

    /// One draw of a count parameter.
    func sample(_ count: CountDistribution, lane: Int) -> Int {
        switch count {
        case .fixed(let value):
            return value
        case .poisson(let mean):
            return Int(gsl_ran_poisson(rng(lane), mean))
        case .negativeBinomial(let p, let n):
            // GSL's own construction (a Poisson with a gamma-distributed mean), with the mean kept
            // below 2^31: gsl_ran_poisson never returns for means near 2^32. Scenarios are checked
            // so that P(count > 10^9) < 10^-12, so the cap changes nothing in practice.
            let mean = gsl_ran_gamma(rng(lane), n, 1) * (1 - p) / p
            return Int(gsl_ran_poisson(rng(lane), min(mean, 2_147_483_647)))
        }
    }
}
