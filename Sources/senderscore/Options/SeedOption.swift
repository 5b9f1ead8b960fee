import ArgumentParser

/// `--seed`: the random seed, when it overrides a scenario's own.
struct SeedOption<Wording: OptionWording>: ParsableArguments {
    @Option(parsing: .unconditional, help: Wording.seedHelp, transform: SeedOption.parse)
    var seed: UInt64?

    /// A seed as the command line gives it: a whole number from 0 to 2^64 − 1, in decimal.
    static func parse(_ text: String) throws -> UInt64 {
        guard let seed = UInt64(text), text.allSatisfy(\.isASCII), text.first != "+" else {
            throw ValidationError(
                "a seed is a whole number from 0 to \(UInt64.max)\(text.hasPrefix("-") ? ", not negative" : "")"
            )
        }
        return seed
    }
}
