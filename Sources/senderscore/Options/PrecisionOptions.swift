import ArgumentParser
import SenderScoreKit

/// `--precision` and `--max-trials`: run until the reported band probabilities are known to a
/// standard error, instead of for a fixed number of trials.
struct PrecisionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Add rounds of trials until every band probability reported (each rep's, sequence's and the team's, every band and Ineligible, under every strategy shown) has a Monte Carlo standard error of at most this: a probability (0.002) or a percentage (0.2%). --trials is the first round. The same for any --threads and --shard.",
            valueName: "se"
        )
    )
    var precision: String?

    @Option(
        parsing: .unconditional,
        help: "With --precision, the most trials to use (default: \(Format.count(PrecisionTarget.defaultMaxTrials)))."
    )
    var maxTrials: Int?

    func validate() throws {
        if maxTrials != nil, precision == nil {
            throw ValidationError(
                "--max-trials applies only with --precision; for a fixed number of trials, give --trials"
            )
        }
        if let precision, Self.standardError(precision) == nil {
            throw ValidationError(
                "--precision '\(precision)' is not a standard error: give a probability (0.002) or a percentage (0.2%)"
            )
        }
    }

    /// "0.002" or "0.2%" as a probability.
    static func standardError(_ text: String) -> Double? {
        // "0.7%" is read as 0.7e-2, so that it is the same number as 0.007 (0.7 / 100 is not).
        guard text.hasSuffix("%") else { return Double(text) }
        let number = text.dropLast()
        guard Double(number) != nil else { return nil }
        return Double(number + "e-2")
    }

    /// The target, with `firstTrials` in the first round; nil without --precision.
    func target(firstTrials: Int) throws(ScenarioError) -> PrecisionTarget? {
        guard let precision, let standardError = Self.standardError(precision) else { return nil }
        return try PrecisionTarget(
            standardError: standardError,
            firstTrials: firstTrials,
            maxTrials: maxTrials ?? max(PrecisionTarget.defaultMaxTrials, firstTrials)
        )
    }
}
