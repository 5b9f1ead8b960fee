/// The commented starter scenario that `senderscore init` writes: reps, segments and sequences
/// by name, every number a documented placeholder from public benchmarks, and one what-if that
/// runs as is. Or, from an export, the fitted scenario with the what-ifs to try written below it.
public enum StarterScenario {
    public struct Options: Sendable, Hashable {
        public var reps: [String]
        public var segments: [String]
        public var sequences: [String]
        /// Completed enrollments per rep and quarter, split evenly over the sequences.
        public var completed: Int
        public var name: String?

        public init(
            reps: [String] = ["ana", "ben", "chloe"],
            segments: [String] = ["core"],
            sequences: [String] = ["outbound"],
            completed: Int = 200,
            name: String? = nil
        ) {
            self.reps = reps
            self.segments = segments
            self.sequences = sequences
            self.completed = completed
            self.name = name
        }
    }

    /// The starter scenario as YAML.
    public static func yaml(_ options: Options) -> String {
        func q(_ text: String) -> String { Format.yamlScalar(text) }
        var out: [String] = []
        out += [
            "# A starter scenario, written by `senderscore init`. Every number below is a placeholder from",
            "# public benchmarks (docs/domain.md): replace it with what you know of your team, or start from",
            "# your CRM's export instead (`senderscore init --from-export enrollments.csv`, docs/crm-export.md).",
            "# The format: docs/scenario-format.md; the levers: docs/levers.md.",
            "#",
            "#   senderscore run THIS-FILE                  # where each rep stands, and what the what-if changes",
            "#   senderscore run THIS-FILE --format html -o report.html",
            "name: \(q(options.name ?? "Starter: \(options.reps.count) reps"))",
            "trials: 20000",
            "seed: 1",
            "rules: hubspot   # our reconstruction of HubSpot's sender score (senderscore rules hubspot)",
            "",
            "# Segments: groups of contacts that reply and bounce alike. A rate may be a number or a",
            "# distribution, drawn once per simulated quarter: the wider it is, the less you know.",
            "segments:",
        ]
        for (index, segment) in options.segments.enumerated() {
            out += [
                "  \(q(segment)):",
                "    bounce: {beta: {mean: 0.02, sd: 0.005}}   # CRM-kept addresses bounce about 2%; bought lists 6-12%",
                "    reply: {beta: {mean: 0.05, sd: 0.015}}    # cold email averages 3-5%, the top tenth about 10%",
                "    unsubscribe: 0.01                         # of the delivered who did not reply",
            ]
            if index == 0 {
                out += [
                    "    # To try list cleaning, say which contacts it would remove; `rates: overall` keeps the",
                    "    # rates above as the whole segment's (docs/levers.md#contact-groups):",
                    "    # rates: overall",
                    "    # contacts:",
                    "    #   unengaged: {share: 0.2}           # no opens or replies in a year",
                    "    #   previouslyBounced: {share: 0.01}  # bounced before",
                ]
            }
        }
        out += [
            "",
            "# Sequences: the emails of each, with the share of the replies each email gets (the first",
            "# email earns the most: a 16.5M-email study, 2024). A sequence left out here is one email.",
            "sequences:",
        ]
        for sequence in options.sequences {
            out += [
                "  \(q(sequence)):",
                "    steps:",
                "      - {replyShare: 0.5, unsubscribeShare: 0.2}",
                "      - {replyShare: 0.3, unsubscribeShare: 0.3}",
                "      - {replyShare: 0.2, unsubscribeShare: 0.5}",
            ]
        }
        let perSequence = ScenarioFit.planned(
            Array(repeating: 1, count: options.sequences.count),
            volume: .perRep(options.completed)
        )
        let audience =
            options.segments.count == 1
            ? q(options.segments[0])
            : "{"
                + zip(options.segments, ScenarioFit.shares(Array(repeating: 1, count: options.segments.count)))
                .map { "\(q($0)): \($1)" }.joined(separator: ", ") + "}"
        out += [
            "",
            "# Reps: completed enrollments per quarter and sequence (a score needs at least 100 per rep),",
            "# and which segments they come from. `skill` multiplies a rep's reply rate (1 when left out).",
            "reps:",
        ]
        for rep in options.reps {
            out += ["  - name: \(q(rep))", "    # skill: 1.1", "    enrollments:"]
            for (sequence, completed) in zip(options.sequences, perSequence) {
                out.append("      - {sequence: \(q(sequence)), completed: \(completed), audience: \(audience)}")
            }
        }
        out += [
            "",
            "# What if? Each intervention is a lever with an uncertain effect; each strategy a set of them,",
            "# compared with the baseline on the same simulated quarters (docs/levers.md).",
            "interventions:",
            "  tokens:",
            "    kind: personalization",
            "    replyLift: {triangular: [1.0, 1.2, 1.5]}   # vendors report up to +30% replies; be sceptical",
            "    coverage: 0.8                              # the share of emails that get the tokens",
            "    # cost: 2000                               # for `senderscore plan`",
            "  # follow-up: {kind: addFollowUp, replyHazard: 0.6, unsubscribeHazard: 2}",
            "strategies:",
            "  - {name: personalize, apply: [tokens]}",
            "",
            "# To let `senderscore plan` choose among the levers within a budget, give them a cost and add:",
            "# plan:",
            "#   objective: {repsAtLeast: Good}",
            "#   budget: 5000",
            "#   levers: {tokens: team}",
            "# (docs/planning.md)",
        ]
        return out.joined(separator: "\n") + "\n"
    }

    /// The what-ifs to try on a fitted scenario, commented out, for `init --from-export`.
    public static let fittedWhatIfs = """

        # What if? Uncomment a lever and a strategy, then `senderscore run` this file (docs/levers.md).
        # Cleaning levers need contact groups: add `rates: overall` and `contacts:` to a segment.
        # interventions:
        #   tokens: {kind: personalization, replyLift: {triangular: [1.0, 1.2, 1.5]}, coverage: 0.8}
        #   follow-up: {kind: addFollowUp, replyHazard: 0.6, unsubscribeHazard: 2}
        # strategies:
        #   - {name: personalize, apply: [tokens]}
        #   - {name: one more email, apply: [follow-up]}

        """
}
