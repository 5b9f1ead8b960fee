/// What a run assumed, for reports to show next to the results: the scenario's segments,
/// sequences, reps and interventions with their parameters as written, and the rule set's rows.
public struct Assumptions: Codable, Sendable, Hashable {
    public struct Segment: Codable, Sendable, Hashable {
        public var name: String
        public var bounce: String
        public var reply: String
        public var unsubscribe: String?
        /// "unengaged 25% (bounce 2 × the segment's, …)".
        public var contacts: [String]
        /// With contact groups, whom the rates above are of: "all contacts (…)" or "regular
        /// contacts only (…)", with the rates over all contacts or of the regular ones.
        public var rates: String?
    }

    public struct Sequence: Codable, Sendable, Hashable {
        public var name: String
        /// Reply shares of the emails, in order; one entry for a one-email sequence.
        public var replyShares: [Double]
        public var unsubscribeShares: [Double]
    }

    public struct Enrollment: Codable, Sendable, Hashable {
        public var sequence: String
        public var completed: String
        /// "core 70%, purchased 30%".
        public var audience: String
    }

    public struct Rep: Codable, Sendable, Hashable {
        public var name: String
        public var skill: String?
        public var enrollments: [Enrollment]
    }

    public struct Intervention: Codable, Sendable, Hashable {
        public var name: String
        public var kind: String
        public var effect: String?
        /// A follow-up's unsubscribe hazard factor (1 when the file leaves it out).
        public var unsubscribeHazard: String? = nil
        /// Segmentation: the segments it matches, and whether the others are dropped.
        public var segments: [String]? = nil
        public var dropUnmatched: Bool? = nil
        public var coverage: String
        public var cost: Cost?
    }

    public struct RuleRow: Codable, Sendable, Hashable {
        public var from: Double
        public var points: Double
    }

    public struct BandRow: Codable, Sendable, Hashable {
        public var from: Double
        public var name: String
    }

    public struct Rules: Codable, Sendable, Hashable {
        public var replyDenominator: String
        public var minimumRep: Int
        public var minimumSequence: Int
        public var replyTarget: [Double]
        public var bounceTargetBelow: Double
        public var reply: [RuleRow]
        public var bounce: [RuleRow]
        public var bands: [BandRow]
    }

    /// Whom a segment's rates are of, with the rates of the others at the parameters' means.
    static func basis(of segment: Scenario.Segment) -> String? {
        guard !segment.contacts.isEmpty else { return nil }
        func rates(_ rates: Scenario.Segment.MemberRates) -> String {
            (["bounce \(Format.percent(rates.bounce, digits: 2))", "reply \(Format.percent(rates.reply, digits: 2))"]
                + (rates.unsubscribe.map { ["unsubscribe \(Format.percent($0, digits: 2))"] } ?? [])).joined(
                    separator: ", "
                )
        }
        if segment.isCalibrated {
            let regular = segment.memberRatesAtMeans().rates[0]
            return "all contacts, groups included; the regular contacts' rates are solved from them each trial "
                + "(at the means: \(rates(regular)))"
        }
        return "the regular contacts only; with the groups the segment's rates are "
            + "\(rates(segment.overallRatesAtMeans())) at the means"
            + (segment.rates == nil ? " (the file does not say: write `rates: overall` or `rates: regular`)" : "")
    }

    public var segments: [Segment]
    public var sequences: [Sequence]
    public var reps: [Rep]
    public var interventions: [Intervention]
    public var rules: Rules

    public init(_ scenario: Scenario) {
        segments = scenario.segments.map { segment in
            Segment(
                name: segment.name,
                bounce: segment.bounce.description,
                reply: segment.reply.description,
                unsubscribe: segment.unsubscribe?.description,
                contacts: segment.contacts.map { group in
                    let base = segment.isCalibrated ? "the regular contacts'" : "the segment's"
                    let rates = [
                        ("bounce", group.bounceRate),
                        ("reply", group.replyRate),
                        ("unsubscribe", group.unsubscribeRate),
                    ]
                    .map { name, rate -> String in
                        switch rate {
                        case .absolute(let parameter): return "\(name) \(parameter.description)"
                        case .times(let factor): return "\(name) \(Format.number(factor)) × \(base)"
                        }
                    }
                    return
                        "\(group.kind.rawValue) \(Format.percent(group.share, digits: 0)) (\(rates.joined(separator: ", ")))"
                },
                rates: Self.basis(of: segment)
            )
        }
        var names: [String] = []
        for rep in scenario.reps {
            for sequence in rep.sequences where !names.contains(sequence) { names.append(sequence) }
        }
        sequences = names.map { name in
            let sequence = scenario.sequence(named: name)
            return Sequence(
                name: name,
                replyShares: sequence.steps.map(\.replyShare),
                unsubscribeShares: sequence.steps.map(\.unsubscribeShare)
            )
        }
        reps = scenario.reps.map { rep in
            Rep(
                name: rep.name,
                skill: rep.skill?.description,
                enrollments: rep.enrollments.map { line in
                    Enrollment(
                        sequence: line.sequence,
                        completed: line.completed.description,
                        audience: line.audience.map {
                            "\(scenario.segments[$0.segment].name) \(Format.percent($0.share, digits: 0))"
                        }
                        .joined(separator: ", ")
                    )
                }
            )
        }
        interventions = scenario.interventions.map { intervention in
            Intervention(
                name: intervention.name,
                kind: intervention.kind.name,
                effect: intervention.effect?.description,
                unsubscribeHazard: intervention.kind.family == .addStep
                    ? (intervention.unsubscribeHazard?.description ?? "1") : nil,
                segments: intervention.kind.reach == .listedSegments
                    ? intervention.matchedSegments.map { scenario.segments[$0].name } : nil,
                dropUnmatched: intervention.kind.reach == .listedSegments ? intervention.dropUnmatched : nil,
                coverage: intervention.coverage.description,
                cost: intervention.cost
            )
        }
        let ruleSet = scenario.rules
        rules = Rules(
            replyDenominator: ruleSet.replyDenominator.rawValue,
            minimumRep: ruleSet.minimumCompleted.rep,
            minimumSequence: ruleSet.minimumCompleted.sequence,
            replyTarget: [ruleSet.targets.replyLow.doubleValue, ruleSet.targets.replyHigh.doubleValue],
            bounceTargetBelow: ruleSet.targets.bounceBelow.doubleValue,
            reply: ruleSet.reply.map { RuleRow(from: $0.from.doubleValue, points: $0.points.doubleValue) },
            bounce: ruleSet.bounce.map { RuleRow(from: $0.from.doubleValue, points: $0.points.doubleValue) },
            bands: ruleSet.bands.map { BandRow(from: $0.from.doubleValue, name: $0.name) }
        )
    }
}
