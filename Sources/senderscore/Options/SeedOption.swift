import ArgumentParser

/// `--seed`: the random seed, when it overrides a scenario's own.
struct SeedOption<Wording: OptionWording>: ParsableArguments {
    @Option(help: Wording.seedHelp)
    var seed: UInt64?
}
