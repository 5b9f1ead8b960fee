/// The result of a run, or of the blocks of one run that were asked for: its plan, options,
/// summaries and fingerprint.
public struct SimulationResult: Sendable {
    public let plan: SimulationPlan
    public let options: SimulationOptions
    public private(set) var summary: SimulationSummary
    public let fingerprint: RunFingerprint
    /// For a run to a precision: the trials it used and why it stopped.
    public let precision: PrecisionOutcome?

    /// A result the engine made: the summary is known to fit the plan and options.
    init(
        plan: SimulationPlan,
        options: SimulationOptions,
        summary: SimulationSummary,
        precision: (target: PrecisionTarget, outcome: PrecisionOutcome)? = nil
    ) {
        self.plan = plan
        self.options = options
        self.summary = summary
        self.precision = precision?.outcome
        fingerprint = RunFingerprint(plan: plan, options: options, precision: precision?.target)
    }

    /// A saved part of a run of `plan` with `options`, read back.
    ///
    /// - Throws: `ScenarioError` when `fingerprint` is not the fingerprint of that run, or the
    ///   summary does not fit it (`SimulationSummary.check(fits:options:)`).
    public init(
        plan: SimulationPlan,
        options: SimulationOptions,
        saved summary: SimulationSummary,
        fingerprint: RunFingerprint
    ) throws(ScenarioError) {
        self.init(plan: plan, options: options, summary: SimulationSummary(plan: plan.estimating(with: options)))
        try checkSameRun(fingerprint)
        try summary.check(fits: plan, options: options)
        self.summary = summary
    }

    /// `summaries[strategy][level]`; strategy 0 is the baseline.
    public var summaries: [[LevelSummary]] { summary.summaries }
    /// `paired[strategy][level]`; empty for the baseline.
    public var paired: [[PairedSummary]] { summary.paired }
    /// The baseline's summaries.
    public var levels: [LevelSummary] { summaries[0] }
    /// The trials summarised: all of the run's when it is complete.
    public var trials: Int { summary.trials }
    /// Whether every block of the run is in.
    public var isComplete: Bool { summary.blocks == [0..<options.blockCount] }

    /// This result with the blocks of `other`, another part of the same run, added.
    ///
    /// - Throws: `ScenarioError` when `other` comes from another scenario, rule set or options
    ///   (a different fingerprint) or shares a block with this one.
    public func merged(with other: SimulationResult) throws(ScenarioError) -> SimulationResult {
        try checkSameRun(other.fingerprint)
        var copy = self
        try copy.summary.merge(other.summary)
        return copy
    }

    /// This result with a saved summary of another part of the same run added.
    ///
    /// - Throws: `ScenarioError` when `fingerprint` is another run's, the summary does not fit
    ///   this run, or it shares a block with this result.
    public func merged(
        with other: SimulationSummary,
        fingerprint: RunFingerprint
    ) throws(ScenarioError)
        -> SimulationResult
    {
        try checkSameRun(fingerprint)
        try other.check(fits: plan, options: options)
        var copy = self
        try copy.summary.merge(other)
        return copy
    }

    private func checkSameRun(_ other: RunFingerprint) throws(ScenarioError) {
        guard other == fingerprint else {
            throw ScenarioError(
                location: .run,
                message: "the parts come from different runs (fingerprints \(fingerprint) and \(other)): "
                    + "another scenario, rule set, number of trials, seed, generator or engine version"
            )
        }
    }
}
