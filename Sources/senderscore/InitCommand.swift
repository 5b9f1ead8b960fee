import ArgumentParser
import Foundation
import SenderScoreKit

extension SenderScore {
    struct Init: AsyncParsableCommand, OptionWording {
        static let configuration = CommandConfiguration(
            abstract: "Write a commented starter scenario to edit and run.",
            discussion: """
                Writes a scenario with your reps, segments and sequences by name, every number a \
                placeholder from public benchmarks with a comment saying where it comes from, and \
                one what-if (personalization) that runs as is. With --from-export it fits the \
                scenario to your CRM's enrollment export instead (as `senderscore fit` does) and \
                adds the what-ifs to try, commented out. It will not replace an existing file.

                Examples:
                  senderscore init -o team.yaml --reps ana,ben,chloe --sequences outbound,inbound
                  senderscore init -o team.yaml --reps 5 --segments core,purchased
                  senderscore init -o fitted.yaml --from-export enrollments.csv --by rep,sequence
                  senderscore run team.yaml
                """
        )
        static let outputHelp: ArgumentHelp = "The scenario to write (default: standard output); never replaced."
        static let rulesHelp: ArgumentHelp = "With --from-export: the rule set written into the scenario."

        @Argument(help: "The scenario to write (the same as -o).")
        var file: String?

        @OptionGroup var output: OutputOptions<Init>

        @Option(help: ArgumentHelp("Rep names joined by commas (ana,ben), or how many reps (3).", valueName: "reps"))
        var reps = "3"

        @Option(
            help: ArgumentHelp(
                "Segment names joined by commas (core,purchased), or how many (2).",
                valueName: "segments"
            )
        )
        var segments = "core"

        @Option(
            help: ArgumentHelp(
                "Sequence names joined by commas (outbound,inbound), or how many (2).",
                valueName: "sequences"
            )
        )
        var sequences = "outbound"

        @Option(
            help:
                "Completed enrollments per rep and quarter, split evenly over the sequences (default: 150 per sequence, so that each has a score)."
        )
        var completed: Int?

        @Option(help: "The scenario's name (default: \"Starter: N reps\").")
        var name: String?

        @Option(help: ArgumentHelp("Fit the scenario to this enrollment export (CSV) instead.", valueName: "file"))
        var fromExport: String?

        @Option(help: "With --from-export: group by rep, sequence or segment, or several joined by commas.")
        var by = "rep"

        @OptionGroup var rules: RuleSetOption<Init>

        func validate() throws {
            if let completed, !(1...Limits.completed).contains(completed) {
                throw ValidationError("--completed must be from 1 to \(Format.count(Limits.completed))")
            }
            _ = try starterOptions()
            if fromExport != nil { _ = try Fit.grouping(by) }
            if file != nil, output.output != nil, file != output.output {
                throw ValidationError("give the scenario's file once: as the argument or with -o")
            }
            if let output = path, FileManager.default.fileExists(atPath: output) {
                throw ValidationError(
                    "\(Format.quoted(output)) exists; init never replaces a file: choose another name"
                )
            }
        }

        /// The file to write: the argument or -o; nil for standard output.
        var path: String? { file ?? output.output }

        /// Names from a comma-separated list, each unique (by the scenario's rules for names), or
        /// for a number, that many names "`noun` 1", "`noun` 2", ….
        static func names(_ text: String, flag: String, noun: String) throws -> [String] {
            if let count = Int(text.trimmingCharacters(in: .whitespaces)) {
                guard (1...1_000).contains(count) else { throw ValidationError("--\(flag): from 1 to 1,000") }
                return (1...count).map { "\(noun) \($0)" }
            }
            return try names(text, flag: flag)
        }

        /// Names from a comma-separated list, each unique (by the scenario's rules for names).
        static func names(_ text: String, flag: String) throws -> [String] {
            let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard !names.contains(where: \.isEmpty) else {
                throw ValidationError("--\(flag): an empty name in \(Format.quoted(text))")
            }
            guard Set(names.map(Name.key)).count == names.count else {
                throw ValidationError("--\(flag): a name is listed twice in \(Format.quoted(text))")
            }
            guard names.count <= 1_000 else { throw ValidationError("--\(flag): at most 1,000 names") }
            return names
        }

        func starterOptions() throws -> StarterScenario.Options {
            let repNames = try Self.names(reps, flag: "reps", noun: "rep")
            guard !repNames.contains(where: { Name.key($0) == Name.team }) else {
                throw ValidationError("--reps: 'team' names the team's row in every report; give the rep another name")
            }
            let sequenceNames = try Self.names(sequences, flag: "sequences", noun: "sequence")
            return StarterScenario.Options(
                reps: repNames,
                segments: try Self.names(segments, flag: "segments", noun: "segment"),
                sequences: sequenceNames,
                completed: completed ?? 150 * sequenceNames.count,
                name: name
            )
        }

        func run() async throws {
            try await Failure.guarding {
                let ruleSet = try rules.load()
                let destination = try OutputFile(path: path, inputs: [fromExport, ruleSet.file].compactMap { $0 })
                let text: String
                if let fromExport {
                    let fit = try ScenarioFit.fit(fromExport, by: try Fit.grouping(by), rules: ruleSet)
                    text = fit.yaml(rulesReference: rules.rules) + StarterScenario.fittedWhatIfs
                } else {
                    text = StarterScenario.yaml(try starterOptions())
                }
                // What init writes must read back: a name the reader refuses fails here, not later.
                _ = try Scenario.parse(text, file: path ?? "the starter scenario")
                try destination.commit(text)
                if let path { Failure.note("wrote \(path); run it with: senderscore run \(path)") }
            }
        }
    }
}
