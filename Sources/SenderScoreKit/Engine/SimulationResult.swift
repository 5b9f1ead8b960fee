/// The result of a run, or of the blocks of one run that were asked for: its plan, options,
/// summaries and fingerprint.
public struct SimulationResult: Sendable {
    public let plan: SimulationPlan
    public let options: SimulationOptions
    public private(set) var summary: SimulationSummary
    public let fingerprint: RunFingerprint

    public init(plan: SimulationPlan, options: SimulationOptions, summary: SimulationSummary) {
        self.plan = plan
        self.options = options
        self.summary = summary
        fingerprint = RunFingerprint(plan: plan, options: options)
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
        try merged(with: other.summary, fingerprint: other.fingerprint)
    }

    /// This result with a saved summary of another part of the same run added.
    public func merged(
        with other: SimulationSummary,
        fingerprint: RunFingerprint
    ) throws(ScenarioError)
        -> SimulationResult
    {
        guard fingerprint == self.fingerprint else {
            throw ScenarioError(
                location: .run,
                message: "the parts come from different runs (fingerprints \(self.fingerprint) and \(fingerprint)): "
                    + "another scenario, rule set, number of trials, seed or generator"
            )
        }
        var copy = self
        try copy.summary.merge(other)
        return copy
    }
}
