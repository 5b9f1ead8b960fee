/// The result of `senderscore validate`, as programs read it (the JSON format).
public struct ValidationReport: Sendable, Hashable, Codable {
    public var rules: String
    public var rulesOrigin: String
    public var rulesNote: String?
    public var analysis: RuleSetAnalysis
    public var goldenCases: GoldenCases?
    public var stability: StabilityAnalysis?
    public var minimumVolume: StabilityAnalysis.MinimumVolume?

    public init(
        rules: RuleSet,
        analysis: RuleSetAnalysis,
        goldenCases: GoldenCases? = nil,
        stability: StabilityAnalysis? = nil,
        minimumVolume: StabilityAnalysis.MinimumVolume? = nil
    ) {
        self.rules = rules.name
        self.rulesOrigin = rules.origin
        self.rulesNote = rules.note
        self.analysis = analysis
        self.goldenCases = goldenCases
        self.stability = stability
        self.minimumVolume = minimumVolume
    }

    /// Whether every static check passed and every golden case agreed.
    public var passed: Bool { analysis.passed && (goldenCases?.passed ?? true) }
}
