/// The sizes the engine's exact counters are built for, enforced by the readers and the engine.
public enum Limits {
    /// Trials in a run: the rate histograms count trials per bin in 32 bits.
    public static let trials = 1_000_000_000
    /// Completed enrollments of one enrollment line in one trial: GSL draws counts as 32-bit
    /// integers, and a trial's counts add up to well below 2^63.
    public static let completed = 1_000_000_000
}
