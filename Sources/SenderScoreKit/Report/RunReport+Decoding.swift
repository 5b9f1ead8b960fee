import Foundation

extension RunReport {
    public func json() throws -> String {
        try JSONOutput.encode(self)
    }

    /// Reads a result saved by `senderscore run --format json` from `path`.
    ///
    /// - Throws: `ScenarioError` naming the file: it cannot be read, or is not such a result
    ///   (with the key that is missing or wrong).
    public static func load(path: String) throws(ScenarioError) -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(
                file: path,
                message: "cannot read the file: no such file or not readable",
                code: .unreadable
            )
        }
        do {
            return try RunReport(json: data)
        } catch {
            throw ScenarioError(
                file: path,
                message: "not a result of `senderscore run --format json` (\(describe(error)))",
                code: .syntax
            )
        }
    }

    /// A decoding error in a few words, with the key path it is at.
    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "at '\(path)': ") + context.debugDescription
        default:
            return "\(error)"
        }
    }

    /// Reads a saved result, and checks what the renderers rely on beyond the keys and types.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(RunReport.self, from: json)
        if let problem = inconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
    }

    /// What makes a decoded result unusable, or nil: a result always has the baseline, two
    /// reply-target bounds, and rate histograms with a positive bin width and probabilities.
    var inconsistency: String? {
        guard let baseline = strategies.first else { return "it has no strategies, not even the baseline" }
        guard assumptions.rules.replyTarget.count == 2,
            assumptions.rules.replyTarget.allSatisfy({ (0...1).contains($0) }),
            (0...1).contains(assumptions.rules.bounceTargetBelow)
        else { return "its rule set's targets are not rates between 0 and 1 (replyTarget needs two)" }
        for strategy in strategies {
            guard strategy.reps.map(\.name) == baseline.reps.map(\.name) else {
                return "strategy '\(strategy.name)' does not have the baseline's reps"
            }
            for level in strategy.reps + strategy.sequences + [strategy.team] {
                for distribution in [level.replyRateDistribution, level.bounceRateDistribution] {
                    // Bins no finer than the engine's own (1/2000), so that the count of bins is finite.
                    guard distribution.binWidth >= 1 / Double(RateHistogram.binCount), distribution.binWidth <= 1,
                        Double(distribution.probabilities.count) <= 1 / distribution.binWidth + 1,
                        distribution.probabilities.allSatisfy({ $0.isFinite && $0 >= 0 })
                    else { return "the rate distribution of '\(level.name)' in '\(strategy.name)' is not a histogram" }
                }
                guard level.bands.values.allSatisfy({ $0.isFinite && (0...1).contains($0) }) else {
                    return "the band probabilities of '\(level.name)' in '\(strategy.name)' are not probabilities"
                }
            }
        }
        return nil
    }
}
