internal import CGSL
import Foundation

/// Seeding taus2 streams without GSL's function table: every trial seeds each of its lanes, and
/// `gsl_rng_set` spends most of that time in an indirect call per seed and per warm-up step. The
/// shim's `cgsl_taus2_set` is GSL's `taus2_set`, step for step; it is used only if, in this
/// process, it leaves exactly the state `gsl_rng_set` leaves for a spread of seeds (and the state
/// has the size of GSL's), so a GSL built otherwise is simply called as before.
enum Taus2Seeding {
    static let isExact: Bool = {
        GSLRuntime.prepare()
        guard let rng = gsl_rng_alloc(cgsl_rng_taus2()) else { return false }
        defer { gsl_rng_free(rng) }
        let size = gsl_rng_size(rng)
        guard size == cgsl_taus_state_size() else { return false }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { copy.deallocate() }
        var seed: UInt = 0
        for step in 0..<4_096 {
            // 0, 1, and values across the 30-bit range trials use, and beyond it.
            seed = step < 2 ? UInt(step) : (seed &* 2_862_933_555_777_941_757 &+ 3_037_000_493) >> 2
            let value = step % 2 == 0 ? seed & 0x3fff_ffff : seed & 0xffff_ffff
            gsl_rng_set(rng, value)
            cgsl_taus2_set(copy, value)
            guard memcmp(gsl_rng_state(rng), copy, size) == 0 else { return false }
        }
        return true
    }()
}
