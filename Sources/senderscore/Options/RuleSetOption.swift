import ArgumentParser
import SenderScoreKit

/// `--rules`: the rule set a subcommand scores with, the built-in one by default.
struct RuleSetOption<Wording: OptionWording>: ParsableArguments {
    @Option(help: Wording.rulesHelp)
    var rules = "hubspot"

    /// The rule set; `asIs` analyses an irregular one as written.
    func load(asIs: Bool = false) throws(ScenarioError) -> RuleSet {
        try RuleSet.load(rules, asIs: asIs)
    }
}
