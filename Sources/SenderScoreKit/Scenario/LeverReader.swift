/// Reads the what-if parts of a scenario: contact sub-populations, sequences with steps,
/// interventions and strategies.
enum LeverReader {
    static func contacts(_ value: YAMLValue) throws(ScenarioError) -> [Scenario.ContactGroup] {
        let kinds = ContactKind.allCases.map(\.rawValue)
        var groups: [Scenario.ContactGroup] = []
        for (key, body, keyNode) in try value.entries() {
            guard let kind = ContactKind(rawValue: key) else {
                throw YAMLValue(node: keyNode, path: value.path, file: value.file).error(
                    "unknown kind of contacts \(Format.quoted(key))\(Suggestion.hint(for: key, in: kinds)); "
                        + "expected \(kinds.joined(separator: ", "))"
                )
            }
            let map = try body.mapping(allowing: ["share", "bounce", "reply", "unsubscribe"])
            let share = try map.required("share").share()
            func rate(_ key: String) throws(ScenarioError) -> Scenario.GroupRate? {
                guard let node = map[key] else { return nil }
                // `{times: 2}`: a multiple of the regular contacts' rate, capped at 1.
                if case .mapping = node.node, try node.entries().contains(where: { $0.key == "times" }) {
                    let times = try node.mapping(allowing: ["times"]).required("times")
                    let factor = try times.number()
                    guard factor.isFinite, factor >= 0, factor <= Parameter.Domain.multiplier.bounds.upperBound else {
                        throw times.error(
                            "a multiple of the regular contacts' rate must be from 0 to "
                                + "\(Format.number(Parameter.Domain.multiplier.bounds.upperBound)), found \(Format.number(factor))"
                        )
                    }
                    return .times(factor)
                }
                return .absolute(try ParameterReader.parameter(node, domain: .probability))
            }
            groups.append(
                Scenario.ContactGroup(
                    kind: kind,
                    share: share,
                    bounce: try rate("bounce"),
                    reply: try rate("reply"),
                    unsubscribe: try rate("unsubscribe")
                )
            )
        }
        let total = YAMLValue.sum(groups.map(\.share))
        guard total <= 1 + YAMLValue.shareTolerance else {
            throw value.error(
                "the shares of these contacts sum to \(YAMLValue.shareText(total)), more than the whole segment"
            )
        }
        // Within the tolerance of the whole: scaled so that the regular contacts' share is 0, not −1e-10.
        if total > 1 { for index in groups.indices { groups[index].share /= total } }
        return groups
    }

    static func sequences(_ value: YAMLValue) throws(ScenarioError) -> [Scenario.EmailSequence] {
        var sequences: [Scenario.EmailSequence] = []
        for (name, body, _) in try value.namedEntries(kind: "sequence") {
            let map = try body.mapping(allowing: ["steps", "completesIn", "description"])
            _ = try map["description"]?.string()
            let completesIn = try map["completesIn"].map { (node) throws(ScenarioError) in try duration(node) }
            guard let stepsNode = map["steps"] else {
                var sequence = Scenario.EmailSequence.singleStep(name)
                sequence.completesIn = completesIn
                sequences.append(sequence)
                continue
            }
            let items = try stepsNode.list()
            guard !items.isEmpty else {
                throw stepsNode.error("list at least one step, or leave `steps` out for a single email")
            }
            var replyShares: [Double] = []
            var unsubscribeShares: [Double?] = []
            guard items.count <= Limits.steps else {
                throw stepsNode.error(
                    "a sequence has at most \(Limits.steps) steps, this one \(Format.count(items.count))"
                )
            }
            var names: [String?] = []
            var days: [Double?] = []
            var stepNames = NameSet()
            for item in items {
                let step = try item.mapping(allowing: ["name", "replyShare", "unsubscribeShare", "day"])
                let day = try step["day"].map { (node) throws(ScenarioError) in try Self.day(node) }
                if let day, let previous = days.compactMap({ $0 }).last, day < previous {
                    throw try step.required("day").error(
                        "day \(Format.number(day)) comes before the previous step's day \(Format.number(previous)); "
                            + "list the steps in the order they are sent"
                    )
                }
                days.append(day)
                names.append(
                    try step["name"].map { (node) throws(ScenarioError) in
                        try node.uniqueName(in: &stepNames, kind: "step")
                    }
                )
                replyShares.append(try step.required("replyShare").share())
                unsubscribeShares.append(
                    try step["unsubscribeShare"].map { (node) throws(ScenarioError) in try node.share() }
                )
            }
            replyShares = try stepsNode.normalized(replyShares, what: "the steps' replyShare values")
            let given = unsubscribeShares.compactMap { $0 }
            let unsubscribe: [Double]
            if given.isEmpty {
                // Unsubscribes spread evenly over the emails unless said otherwise.
                unsubscribe = Array(repeating: 1 / Double(items.count), count: items.count)
            } else {
                guard given.count == items.count else {
                    throw stepsNode.error("give unsubscribeShare on every step or on none")
                }
                unsubscribe = try stepsNode.normalized(given, what: "the steps' unsubscribeShare values")
            }
            sequences.append(
                Scenario.EmailSequence(
                    name: name,
                    steps: items.indices.map {
                        .init(
                            name: names[$0],
                            replyShare: replyShares[$0],
                            unsubscribeShare: unsubscribe[$0],
                            day: days[$0]
                        )
                    },
                    completesIn: completesIn
                )
            )
            if let completesIn, let last = days.compactMap({ $0 }).last, completesIn < last {
                throw try map.required("completesIn").error(
                    "the sequence completes in \(Format.number(completesIn)) days, before its last step's day "
                        + "\(Format.number(last))"
                )
            }
        }
        return sequences
    }

    /// A day after enrollment: a number of days from 0 to `Limits.sequenceDays`.
    private static func day(_ node: YAMLValue) throws(ScenarioError) -> Double {
        let value = try node.number()
        guard value.isFinite, value >= 0, value <= Double(Limits.sequenceDays) else {
            throw node.error(
                "a step's day is a number of days after enrollment from 0 to \(Format.count(Limits.sequenceDays)), "
                    + "found \(Format.number(value))"
            )
        }
        return value
    }

    /// How long a sequence takes: `{days: 21}`, `{weeks: 3}` or `{months: 1}` (a month is
    /// 30.436875 days, a Gregorian year's twelfth).
    private static func duration(_ node: YAMLValue) throws(ScenarioError) -> Double {
        let units: [(String, Double)] = [("days", 1), ("weeks", 7), ("months", 365.2425 / 12)]
        guard case .mapping = node.node else {
            throw node.error(
                "expected a duration such as {days: 21}, {weeks: 3} or {months: 1}, found \(node.kindDescription)"
            )
        }
        let map = try node.mapping(allowing: units.map(\.0))
        let given = units.filter { map[$0.0] != nil }
        guard given.count == 1, let (unit, days) = given.first else {
            throw node.error("give the duration in one unit: {days: 21}, {weeks: 3} or {months: 1}")
        }
        let entry = try map.required(unit)
        let value = try entry.number()
        let total = value * days
        guard value.isFinite, value >= 0, total <= Double(Limits.sequenceDays) else {
            throw entry.error(
                "a sequence completes from 0 to \(Format.count(Limits.sequenceDays)) days after enrollment, found "
                    + "\(Format.number(value)) \(unit)"
            )
        }
        return total
    }

    /// A cost: a number (fixed) or `{fixed, perRep, perEnrollment}`, each a finite number of at
    /// least 0.
    static func cost(_ node: YAMLValue) throws(ScenarioError) -> Cost {
        func amount(_ node: YAMLValue) throws(ScenarioError) -> Double {
            let value = try node.number()
            guard value.isFinite, value >= 0 else {
                throw node.error("a cost is a number of at least 0, found \(Format.number(value))")
            }
            return value
        }
        guard case .mapping = node.node else {
            guard !node.isNull, case .scalar = node.node else {
                throw node.error(
                    "expected a cost: a number, or {fixed: 500, perRep: 100, perEnrollment: 0.01}; found "
                        + node.kindDescription
                )
            }
            return Cost(fixed: try amount(node))
        }
        let map = try node.mapping(allowing: Cost.keys)
        return Cost(
            fixed: try map["fixed"].map(amount) ?? 0,
            perRep: try map["perRep"].map(amount) ?? 0,
            perEnrollment: try map["perEnrollment"].map(amount) ?? 0
        )
    }

    static func interventions(
        _ value: YAMLValue,
        segments: [Scenario.Segment],
        timeline: Scenario.Timeline? = nil
    ) throws(ScenarioError) -> [Intervention] {
        var interventions: [Intervention] = []
        let kinds = InterventionKind.all.map(\.name)
        for (name, body, _) in try value.namedEntries(kind: "intervention") {
            guard case .mapping = body.node else {
                throw body.error(
                    "expected a mapping such as {kind: personalization, replyLift: 1.2}, found \(body.kindDescription)"
                )
            }
            // The kind decides which other keys may stand. Without one, any kind's may: an unknown
            // key is reported first, then the missing kind.
            let kindNode: YAMLValue
            if let given = try body.entries().first(where: { $0.key == "kind" })?.value, !given.isNull {
                kindNode = given
            } else {
                kindNode = try body.mapping(allowing: InterventionKind.allKeys).required("kind")
            }
            let kindText = try kindNode.string()
            guard let kind = InterventionKind.named(kindText) else {
                throw kindNode.error(
                    "unknown intervention kind \(Format.quoted(kindText))\(Suggestion.hint(for: kindText, in: kinds)); "
                        + "expected one of \(kinds.joined(separator: ", "))"
                )
            }
            let map = try body.mapping(allowing: kind.keys)
            func parameter(_ key: InterventionKind.Key?) throws(ScenarioError) -> Parameter? {
                guard let key, let domain = key.domain else { return nil }
                guard let node = try (key.isRequired ? map.required(key.name) : map[key.name]) else { return nil }
                return try ParameterReader.parameter(node, domain: domain)
            }
            var intervention = Intervention(name: name, kind: kind)
            if let coverage = map["coverage"] {
                intervention.coverage = try ParameterReader.parameter(coverage, domain: .probability)
            }
            if let cost = map["cost"] {
                intervention.cost = try Self.cost(cost)
            }
            _ = try map["description"]?.string()
            try TimelineReader.start(map, into: &intervention, timeline: timeline)
            intervention.effect = try parameter(kind.valueKey)
            intervention.unsubscribeHazard = try parameter(kind.secondKey)
            switch kind.reach {
            case .everyEnrollment:
                break
            case .listedSegments:
                let names = segments.map(\.name)
                let listNode = try map.required("segments")
                for item in try listNode.list() {
                    let segment = try item.name()
                    guard let index = names.firstIndex(of: segment) else {
                        throw item.error(
                            "unknown segment \(Format.quoted(segment))\(Suggestion.hint(for: segment, in: names)); "
                                + "the segments are \(names.joined(separator: ", "))"
                        )
                    }
                    intervention.matchedSegments.append(index)
                }
                guard !intervention.matchedSegments.isEmpty else { throw listNode.error("name at least one segment") }
                if let drop = map["dropUnmatched"] {
                    guard let flag = drop.node.bool else {
                        throw drop.error("expected true or false, found \(drop.kindDescription)")
                    }
                    intervention.dropUnmatched = flag
                }
            case .contacts(let target):
                guard segments.contains(where: { $0.contacts.contains { $0.kind == target } }) else {
                    throw body.error(
                        "\(kind.name) acts on \(target.rawValue) contacts, but no segment has any; "
                            + "add `contacts: {\(target.rawValue): {share: …}}` to the segments it should clean"
                    )
                }
            }
            interventions.append(intervention)
        }
        return interventions
    }

    static func strategies(
        _ value: YAMLValue,
        interventions: [Intervention],
        reps: [Scenario.Rep],
        sequences: [String]
    ) throws(ScenarioError) -> [Strategy] {
        var strategies: [Strategy] = []
        let interventionNames = interventions.map(\.name)
        let interventionIndex = interventionNames.firstIndices { $0 }
        let repNames = reps.map(\.name)
        // Looked up once per listed name, so kept as sets too.
        let repSet = Set(repNames)
        let sequenceSet = Set(sequences)
        var strategyNames = NameSet()
        _ = strategyNames.insert(Strategy.baselineName)
        for item in try value.list() {
            let map = try item.mapping(allowing: ["name", "apply", "reps", "sequences", "description"])
            let nameNode = try map.required("name")
            let name = try nameNode.name()
            guard Name.key(name) != Strategy.baselineName else {
                throw nameNode.error("'baseline' is the implicit strategy of every scenario; choose another name")
            }
            try YAMLValue.insert(name, into: &strategyNames, kind: "strategy", at: nameNode)
            _ = try map["description"]?.string()
            let defaultReps = try names(map["reps"], among: repNames, set: repSet, what: "rep")
            let defaultSequences = try names(map["sequences"], among: sequences, set: sequenceSet, what: "sequence")
            var applications: [Strategy.Application] = []
            let applyNode = try map.required("apply")
            for entry in try applyNode.list() {
                var application: Strategy.Application
                var interventionNode = entry
                var entryMap: YAMLMapping?
                if case .mapping = entry.node {
                    let mapped = try entry.mapping(allowing: ["intervention", "reps", "sequences"])
                    interventionNode = try mapped.required("intervention")
                    entryMap = mapped
                }
                let interventionName = try interventionNode.name()
                guard let index = interventionIndex[interventionName] else {
                    throw interventionNode.error(
                        "unknown intervention \(Format.quoted(interventionName))"
                            + "\(Suggestion.hint(for: interventionName, in: interventionNames)); "
                            + (interventionNames.isEmpty
                                ? "define it under `interventions:`"
                                : "the interventions are \(interventionNames.joined(separator: ", "))")
                    )
                }
                application = Strategy.Application(
                    intervention: index,
                    reps: try names(entryMap?["reps"], among: repNames, set: repSet, what: "rep") ?? defaultReps,
                    sequences: try names(entryMap?["sequences"], among: sequences, set: sequenceSet, what: "sequence")
                        ?? defaultSequences
                )
                let reached = reps.contains { rep in
                    rep.enrollments.contains { application.applies(rep: rep.name, sequence: $0.sequence) }
                }
                guard reached else {
                    throw entry.error(
                        "\(Format.quoted(interventionName)) reaches no enrollment: no rep among "
                            + "\(Self.listed(application.reps)) enrolls contacts in "
                            + "\(Self.listed(application.sequences)); change `reps` or `sequences` so that they meet"
                    )
                }
                applications.append(application)
            }
            guard !applications.isEmpty else { throw applyNode.error("apply at least one intervention") }
            // The same intervention twice on the same enrollments would compound its effect and cost.
            let entries = try applyNode.list()
            var appliedBefore: [Int: [Int]] = [:]
            for (later, application) in applications.enumerated() {
                defer { appliedBefore[application.intervention, default: []].append(later) }
                for earlier in appliedBefore[application.intervention] ?? [] {
                    if overlaps(applications[earlier], application) {
                        throw entries[later].error(
                            "'\(interventionNames[application.intervention])' is applied twice to the same "
                                + "enrollments (apply[\(earlier)] and apply[\(later)]); apply it once, or give the entries "
                                + "reps or sequences that do not overlap"
                        )
                    }
                }
            }
            strategies.append(Strategy(name: name, applications: applications))
        }
        return strategies
    }

    /// Whether two applications reach some of the same (rep, sequence) pairs.
    private static func overlaps(_ a: Strategy.Application, _ b: Strategy.Application) -> Bool {
        func meet(_ x: [String]?, _ y: [String]?) -> Bool {
            guard let x, let y else { return true }
            return !Set(x).isDisjoint(with: y)
        }
        return meet(a.reps, b.reps) && meet(a.sequences, b.sequences)
    }

    /// Names for a message: "'ana', 'ben'".
    private static func listed(_ names: [String]?) -> String {
        (names ?? []).map { Format.quoted($0) }.joined(separator: ", ")
    }

    /// A list of rep or sequence names, each checked; an empty list reaches nothing and is refused.
    private static func names(
        _ value: YAMLValue?,
        among known: [String],
        set knownNames: Set<String>,
        what: String
    ) throws(ScenarioError) -> [String]? {
        guard let value else { return nil }
        var result: [String] = []
        let items = try value.list()
        guard !items.isEmpty else {
            throw value.error(
                "an empty list reaches no \(what); list at least one, or leave the key out to reach every \(what)"
            )
        }
        for item in items {
            let name = try item.name()
            guard knownNames.contains(name) else {
                throw item.error(
                    "unknown \(what) \(Format.quoted(name))\(Suggestion.hint(for: name, in: known)); "
                        + "the \(what)s are \(known.joined(separator: ", "))"
                )
            }
            result.append(name)
        }
        return result
    }
}
