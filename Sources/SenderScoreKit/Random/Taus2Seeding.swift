internal import CGSL
import Foundation

/// Seeding taus2 streams without GSL's function table: every trial seeds each of its lanes, and
/// `gsl_rng_set` spends most of that time in an indirect call per seed and per warm-up step. The
/// shim's `cgsl_taus2_set_all` is GSL's `taus2_set`, step for step; it is used only if, in this
/// process, it leaves exactly the state `gsl_rng_set` leaves for a spread of seeds (and the state
/// has the size of GSL's), so a GSL built otherwise is simply called as before.
enum Taus2Seeding {
    static let isExact: Bool = {
        GSLRuntime.prepare()
        guard let rng = gsl_rng_alloc(cgsl_rng_taus2()) else { return false }
        defer { gsl_rng_free(rng) }
        let size = gsl_rng_size(rng)
        guard size == cgsl_taus_state_size() else { return false }
        // Batches of 37 states (two full groups of sixteen and a partial one), 4,070 seeds: 0, 1,
        // values across the 30-bit range trials use, and values beyond it.
        let width = 37
        let copies = (0..<width).map { _ in UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16) }
        defer { for copy in copies { copy.deallocate() } }
        var targets: [UnsafeMutableRawPointer?] = copies
        var seeds = [UInt32](repeating: 0, count: width)
        var state: UInt64 = 0x5eed
        for round in 0..<110 {
            for position in 0..<width {
                let value = UInt32(truncatingIfNeeded: SplitMix64.next(&state) >> 32)
                seeds[position] = round == 0 && position < 2 ? UInt32(position) : value >> (position % 2 == 0 ? 2 : 0)
            }
            cgsl_taus2_set_all(&targets, &seeds, Int32(width))
            for position in 0..<width {
                gsl_rng_set(rng, UInt(seeds[position]))
                guard memcmp(gsl_rng_state(rng), copies[position], size) == 0 else { return false }
            }
        }
        return true
    }()
}
