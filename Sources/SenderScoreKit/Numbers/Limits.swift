import Foundation

/// Every size the tool accepts, in one place, so that no input can make it crash, hang or fill
/// the memory: each is refused with a clear message before any work starts. `docs/limits.md`
/// lists them for users; a test checks that page against these values.
public enum Limits {
    /// Trials in a run: the rate histograms count trials per bin in 32 bits. Also the most
    /// simulated outcomes of one `validate --method montecarlo` and of one `bench`.
    public static let trials = 1_000_000_000
    /// Completed enrollments of one enrollment line in one trial: GSL draws counts as 32-bit
    /// integers, and a trial's counts add up to well below 2^63.
    public static let completed = 1_000_000_000
    /// The work of one exact band-stability analysis (`validate`): rate pairs × the sum over
    /// volumes of (volume + `exactCellCost`). About a minute on one core at most (measured:
    /// 50 ns a unit in a debug build; pairs run in parallel).
    public static let stabilityWork = 1_000_000_000
    /// Simulated outcomes of one `validate --method montecarlo`: rate pairs × volumes × trials
    /// (measured: 2 µs an outcome in a debug build, several times less in release).
    public static let stabilityOutcomes = 100_000_000
    /// What the exact method costs per rate pair and volume beyond the volume itself, in the same
    /// units (measured: a pair at 100 completed costs as much as one at 3,000 more).
    public static let exactCellCost = 3_000
    /// Runs of one `bench` measurement.
    public static let repeats = 100
    /// Worker threads per core: more only costs memory, a result never depends on threads.
    public static let threadsPerCore = 4
    /// Rows a run scores, over all its strategies: (reps + each rep's sequences + the team) ×
    /// strategies, the baseline included: a 10,000-rep team with four strategies. A row's summary
    /// keeps only the rate bins its trials reach: 1–3 KB for a rep's usual rates, at most about
    /// 60 KB when its rates spread over the whole range.
    public static let levels = 100_000
    /// Row summaries held at once by the threads of a run: a run with many rows uses fewer
    /// threads (never a different result), so that its summaries stay within a few hundred MB.
    public static let summariesInFlight = 100_000
    /// Rows of a rule set's reply table, of its bounce table, and bands: a run counts trials per
    /// (reply row, bounce row) cell of every row it scores, and reports every band of each.
    public static let ruleRows = 50
    /// Emails in one sequence (steps), in a scenario and in an export's last-step column.
    public static let steps = 100
    /// Characters of a name: a rep, sequence, segment, strategy, intervention or band.
    public static let nameLength = 100
    /// Characters of a scenario's or rule set's title (`name:`).
    public static let titleLength = 200
    /// Bytes of a scenario, rules or result file (exports and golden cases are read as streams).
    public static let documentBytes = 16 << 20
    /// Values of a YAML document after its aliases are expanded (each alias counts as a copy of
    /// what it points at, as the reader sees it).
    public static let documentValues = 2_000_000
    /// Bytes of one CSV record (one row, including quoted line breaks).
    public static let recordBytes = 1 << 20
    /// Fields of one CSV record.
    public static let fields = 1_000
    /// Rows `synth` writes in one export (about 110 bytes each).
    public static let syntheticRows = 50_000_000
    /// Periods of a trend (`score --by`): 83 years of months, 19 of weeks.
    public static let periods = 1_000
    /// The days from enrollment to completion a sequence may take (ten years).
    public static let sequenceDays = 3_650
    /// Cohorts a timeline may lay out: its lines' cohorts times the periods they start in.
    public static let timelineCohorts = 200_000
    /// Random lanes those cohorts may have (their outcomes, each email, removals, follow-ups).
    public static let timelineLanes = 1_000_000
    /// Accumulators a timeline's summary may hold (rows × periods × (score cells + 1)): 256 MiB.
    public static let timelineCells = 32 << 20
    /// Shards a run is cut into (`--shard K/N`).
    public static let shards = 10_000
    /// Bytes of a saved part of a run (`run --shard`), read by `merge`.
    public static let partBytes = 256 << 20
    /// Bytes of a saved result (`run --format json`), read by `report`: a 10,000-rep team's is
    /// about 80 MB, and about 200 MB with one strategy. Results larger than `documentBytes` are
    /// read a rep and a sequence at a time (`RunReport.load`).
    public static let resultBytes = 256 << 20

    /// The most worker threads on this machine.
    public static var threads: Int { threadsPerCore * max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
