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

extension ValidationReport {
    /// Checks `rules`: the static checks always; the golden cases in the CSV at `cases`; band
    /// stability (against a second rule set when given) with `stability`; and the smallest volume
    /// at which the band of the true rates `at` is 90% stable.
    public static func validate(
        _ rules: RuleSet,
        against other: RuleSet? = nil,
        cases: String? = nil,
        stability: StabilityAnalysis.Options? = nil,
        at pair: (reply: ExactDecimal, bounce: ExactDecimal)? = nil
    ) async throws(ScenarioError) -> ValidationReport {
        var report = ValidationReport(rules: rules, analysis: RuleSetAnalysis(rules))
        if let cases {
            report.goldenCases = try GoldenCases.check(cases, rules: rules)
        }
        if let stability {
            report.stability = try await StabilityAnalysis.run(rules, against: other, options: stability)
        }
        if let pair {
            report.minimumVolume = StabilityAnalysis.minimumVolume(rules, reply: pair.reply, bounce: pair.bounce)
        }
        return report
    }
}
