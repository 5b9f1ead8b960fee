import ArgumentParser
import SenderScoreKit

/// What decides the result of running a scenario, beyond the file: trials, seed, threads (which
/// never change it), the rule set and the generator.
struct ScenarioRunOptions<Wording: OptionWording>: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: "Trials to simulate (default: the file's `trials`, else \(SimulationOptions.defaultTrials))."
    )
    var trials: Int?

    @OptionGroup var seed: SeedOption<Wording>

    @OptionGroup var threads: ThreadOptions<Wording>

    @Option(help: "Rule set: a built-in name (\(Self.ruleSets)) or a rules file; replaces the file's `rules`.")
    var rules: String?

    @Flag(help: "Analyse an irregular rule set (unsorted, not monotone, with gaps) as written instead of rejecting it.")
    var rulesAsIs = false

    @Option(
        help: """
            GSL generator: \(Self.generators) (default: the file's `generator`, else \(RandomGenerator.default.rawValue)). \
            taus2 is the fastest by far: the others cost more to seed, which every trial does (docs/randomness.md).
            """
    )
    var generator: String?

    static var ruleSets: String { BuiltInRuleSets.names.joined(separator: ", ") }
    static var generators: String { RandomGenerator.allCases.map(\.rawValue).joined(separator: ", ") }

    func validate() throws {
        if let trials, !(1...SimulationOptions.trialLimit).contains(trials) {
            throw ValidationError("--trials must be from 1 to \(Format.count(SimulationOptions.trialLimit))")
        }
        try Self.check(generator: generator)
    }

    /// Refuses a `--generator` that names no generator.
    static func check(generator: String?) throws {
        if let generator, RandomGenerator(rawValue: generator) == nil {
            throw ValidationError(
                "unknown generator '\(generator)'; expected one of \(Self.generators)"
            )
        }
    }

    /// The scenario at `path`, with the rule set these options name.
    func scenario(at path: String, documents: Documents = .fileSystem) throws(ScenarioError) -> Scenario {
        let scenario = try Scenario.load(path: path, rules: rules, rulesAsIs: rulesAsIs, documents: documents)
        for warning in scenario.warnings { Failure.warn(warning) }
        return scenario
    }

    /// The options of a run of `scenario`: these, else the scenario's own, else the defaults.
    func options(for scenario: Scenario) -> SimulationOptions {
        SimulationOptions(
            for: scenario,
            trials: trials,
            seed: seed.seed,
            generator: generator.flatMap(RandomGenerator.init(rawValue:)),
            threads: threads.count
        )
    }
}
