import ArgumentParser
import SenderScoreKit

extension SenderScore {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a built-in rule set in the rules-file format.",
            discussion: """
                Copy it into a file to write your own rule set:
                  senderscore rules hubspot > my-rules.yaml
                  senderscore run Scenarios/baseline.yaml --rules my-rules.yaml
                """
        )

        @Argument(help: "A built-in rule set: \(BuiltInRuleSets.names.joined(separator: ", ")).")
        var name = "hubspot"

        func run() throws {
            guard let text = BuiltInRuleSets.text(named: name) else {
                throw Failure.report(
                    "unknown rule set \(Format.quoted(name)); built-in rule sets: "
                        + BuiltInRuleSets.names.joined(separator: ", ")
                )
            }
            Console.print(text)
        }
    }
}
