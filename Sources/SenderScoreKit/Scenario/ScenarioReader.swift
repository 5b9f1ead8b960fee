import Foundation

extension Scenario {
    /// Reads a scenario file.
    ///
    /// - Parameters:
    ///   - rules: a rule set reference (built-in name or path) that replaces the file's `rules`.
    ///   - rulesAsIs: analyse an irregular rule set instead of rejecting it.
    ///   - documents: where the scenario and its rules file are read from.
    /// - Throws: `ScenarioError` naming the file, line, column and key path of the first problem.
    public static func load(
        path: String,
        rules override: String? = nil,
        rulesAsIs: Bool = false,
        documents: Documents = .fileSystem
    ) throws(ScenarioError) -> Scenario {
        let root = try documents.yaml(path)
        return try read(root, rules: override, rulesAsIs: rulesAsIs, documents: documents)
    }

    /// Reads a scenario from YAML text; `file` names it in messages and anchors relative paths.
    public static func parse(
        _ text: String,
        file: String,
        rules override: String? = nil,
        rulesAsIs: Bool = false
    )
        throws(ScenarioError) -> Scenario
    {
        try read(YAMLValue.parse(text, file: file), rules: override, rulesAsIs: rulesAsIs, documents: .fileSystem)
    }

    static let topLevelKeys = [
        "name", "description", "trials", "seed", "generator", "rules", "segments", "reps",
        "sequences", "interventions", "strategies", "plan", "timeline",
    ]

    private static func read(
        _ root: YAMLValue,
        rules override: String?,
        rulesAsIs: Bool,
        documents: Documents
    ) throws(ScenarioError) -> Scenario {
        let map = try root.mapping(allowing: topLevelKeys)
        let directory = URL(fileURLWithPath: root.file).deletingLastPathComponent().relativePath
        let stem = Name.cleaned(URL(fileURLWithPath: root.file).deletingPathExtension().lastPathComponent)
        let name = try map["name"]?.title() ?? (stem.isEmpty ? "scenario" : stem)
        _ = try map["description"]?.string()
        let trials = try map["trials"]?.integer(in: 1...Limits.trials)
        let seed = try map["seed"]?.unsignedInteger()
        var generator: RandomGenerator?
        if let node = map["generator"] {
            let text = try node.string()
            guard let parsed = RandomGenerator(rawValue: text) else {
                let names = RandomGenerator.allCases.map(\.rawValue)
                throw node.error(
                    "unknown generator \(Format.quoted(text))\(Suggestion.hint(for: text, in: names)); "
                        + "expected one of \(names.joined(separator: ", "))"
                )
            }
            generator = parsed
        }
        let rules: RuleSet
        if let override {
            rules = try RuleSet.load(override, asIs: rulesAsIs, documents: documents)
        } else if let node = map["rules"] {
            if case .mapping = node.node {
                rules = try RuleSet.read(
                    node,
                    origin: "inline in \(root.file)",
                    defaultName: "\(name) rules",
                    asIs: rulesAsIs
                )
            } else {
                rules = try RuleSet.load(
                    try node.name(),
                    relativeTo: directory,
                    asIs: rulesAsIs,
                    writtenAt: node.location,
                    keyPath: node.path,
                    documents: documents
                )
            }
        } else {
            rules = try RuleSet.load("hubspot", asIs: rulesAsIs)
        }
        let segments = try readSegments(map.required("segments"))
        let timeline = try map["timeline"].map { (node) throws(ScenarioError) in try TimelineReader.timeline(node) }
        let reps = try readReps(map.required("reps"), segments: segments, timeline: timeline)
        let enrolled = enrolledSequences(of: reps)
        var sequences: [EmailSequence] = []
        if let node = map["sequences"] {
            sequences = try LeverReader.sequences(node)
            try checkEnrolledSequences(
                reps: reps,
                defined: sequences,
                listNode: node,
                repsNode: try map.required("reps")
            )
        }
        let interventions =
            try map["interventions"].map { (node) throws(ScenarioError) in
                try LeverReader.interventions(node, segments: segments, timeline: timeline)
            } ?? []
        var strategies: [Strategy] = []
        if let node = map["strategies"] {
            strategies = try LeverReader.strategies(node, interventions: interventions, reps: reps, sequences: enrolled)
            try checkStepChanges(strategies, interventions: interventions, reps: reps, sequences: sequences, at: node)
        }
        var scenario = Scenario(
            name: name,
            file: root.file,
            trials: trials,
            seed: seed,
            generator: generator,
            rules: rules,
            segments: segments,
            reps: reps,
            sequences: sequences,
            interventions: interventions,
            strategies: strategies
        )
        scenario.timeline = timeline
        if let timeline, let node = map["timeline"] {
            let (cohorts, lanes) = scenario.timelineCohorts(timeline)
            guard cohorts <= Limits.timelineCohorts, lanes <= Limits.timelineLanes else {
                throw node.error(
                    "the timeline lays out \(Format.count(cohorts)) cohorts (lines × segments × contact groups × "
                        + "periods) with \(Format.count(lanes)) random draws (their outcomes, emails and levers), more than "
                        + "the \(Format.count(Limits.timelineCohorts)) cohorts and \(Format.count(Limits.timelineLanes)) "
                        + "draws a run can hold; use months, fewer periods or fewer lines"
                )
            }
            let levels = reps.count + reps.reduce(0) { $0 + $1.sequences.count } + 1
            let rows = levels * (strategies.count + 1)
            if let problem = timeline.tooManyWindows(rows: rows, cells: rules.cellCount) { throw node.error(problem) }
        }
        if let node = map["plan"] {
            scenario.plan = try PlanReader.plan(node, scenario: scenario)
        }
        return scenario
    }

    /// With a `sequences:` list, every enrollment must name one of its sequences (a typo would
    /// otherwise silently become a one-step sequence), and every listed sequence must be used.
    private static func checkEnrolledSequences(
        reps: [Rep],
        defined: [EmailSequence],
        listNode: YAMLValue,
        repsNode: YAMLValue
    ) throws(ScenarioError) {
        let names = defined.map(\.name)
        let known = Set(names)
        let repNodes = try repsNode.list()
        for (repIndex, rep) in reps.enumerated() {
            let lineNodes = try repNodes[repIndex].mapping(allowing: ["name", "skill", "enrollments"]).required(
                "enrollments"
            ).list()
            for (lineIndex, line) in rep.enrollments.enumerated() where !known.contains(line.sequence) {
                let node = try lineNodes[lineIndex].mapping(allowing: TimelineReader.enrollmentKeys).required(
                    "sequence"
                )
                throw node.error(
                    "unknown sequence \(Format.quoted(line.sequence))\(Suggestion.hint(for: line.sequence, in: names)); "
                        + "the sequences are \(names.joined(separator: ", ")) (list a one-email sequence as `\(line.sequence): {}`)"
                )
            }
        }
        let enrolled = Set(enrolledSequences(of: reps))
        for (name, _, keyNode) in try listNode.entries() where !enrolled.contains(name) {
            throw YAMLValue(node: keyNode, path: listNode.path, file: listNode.file)
                .error("sequence \(Format.quoted(name)) is listed but no rep enrolls contacts in it")
        }
    }

    /// Dropping the last step of a one-step sequence would leave no email at all, and a strategy
    /// drops at most one step of a sequence.
    private static func checkStepChanges(
        _ strategies: [Strategy],
        interventions: [Intervention],
        reps: [Rep],
        sequences: [EmailSequence],
        at node: YAMLValue
    ) throws(ScenarioError) {
        let items = try node.list()
        let sequenceIndex = sequences.firstIndices(by: \.name)
        for (index, strategy) in strategies.enumerated() {
            let drops = strategy.applications.filter { interventions[$0.intervention].kind.family == .dropStep }
            guard !drops.isEmpty else { continue }
            for rep in reps {
                for line in rep.enrollments {
                    let count = drops.filter { $0.applies(rep: rep.name, sequence: line.sequence) }.count
                    let steps = sequenceIndex[line.sequence].map { sequences[$0].steps.count } ?? 1
                    if count > 1 {
                        throw items[index].error(
                            "strategy \(Format.quoted(strategy.name)) drops the last step of \(Format.quoted(line.sequence)) "
                                + "\(count) times; drop at most one step per strategy"
                        )
                    }
                    if count == 1, steps < 2 {
                        throw items[index].error(
                            "strategy \(Format.quoted(strategy.name)) drops the last step of \(Format.quoted(line.sequence)), "
                                + "which has only one email; limit it with `sequences:` or give the sequence steps"
                        )
                    }
                }
            }
        }
    }

    private static func readSegments(_ value: YAMLValue) throws(ScenarioError) -> [Segment] {
        var segments: [Segment] = []
        let entries = try value.namedEntries(kind: "segment")
        guard !entries.isEmpty else { throw value.error("define at least one segment") }
        for (name, body, _) in entries {
            let map = try body.mapping(
                allowing: ["bounce", "reply", "unsubscribe", "contacts", "rates", "observed", "description"]
            )
            _ = try map["description"]?.string()
            let rates = try map["rates"].map { (node) throws(ScenarioError) -> RateBasis in
                let text = try node.string()
                guard let basis = RateBasis(rawValue: text) else {
                    throw node.error(
                        "\(Format.quoted(text)) is not a basis of rates; expected overall (the rates are of all "
                            + "the segment's contacts, groups included) or regular (of the regular contacts only)"
                    )
                }
                return basis
            }
            segments.append(
                Segment(
                    name: name,
                    bounce: try ParameterReader.parameter(map.required("bounce"), domain: .probability),
                    reply: try ParameterReader.parameter(map.required("reply"), domain: .probability),
                    unsubscribe: try map["unsubscribe"].map { (node) throws(ScenarioError) in
                        try ParameterReader.parameter(node, domain: .probability)
                    },
                    contacts: try map["contacts"].map { (node) throws(ScenarioError) in try LeverReader.contacts(node) }
                        ?? [],
                    rates: rates,
                    observed: try map["observed"].map { (node) throws(ScenarioError) in try readObserved(node) }
                )
            )
            if let segment = segments.last, segment.isCalibrated, let rate = segment.memberRatesAtMeans().unsolved.first
            {
                let overall = segment.overallRatesAtMeans()
                let stated = rate == "bounce" ? segment.bounce : rate == "reply" ? segment.reply : segment.unsubscribe!
                let reached = rate == "bounce" ? overall.bounce : rate == "reply" ? overall.reply : overall.unsubscribe!
                throw try map.required("contacts").error(
                    "with `rates: overall` the mixture must have the segment's \(rate) rate, "
                        + "\(Format.percent(stated.mean, digits: 2)) at its mean, but the groups give "
                        + "\(Format.percent(reached, digits: 2)) whatever the regular contacts' rate; "
                        + "lower the groups' shares or their own \(rate) rates, or give them as multiples ({times: 2})"
                )
            }
        }
        return segments
    }

    /// `observed: {completed: 380, bounced: 39, replied: 30, unsubscribed: 4}`, as `fit` writes it.
    private static func readObserved(_ value: YAMLValue) throws(ScenarioError) -> Observed {
        let map = try value.mapping(allowing: ["completed", "bounced", "replied", "unsubscribed", "fitted"])
        let (completed, bounced, replied, unsubscribed) = try outcomeCounts(map)
        var fitted: [String: Observed.FittedRate] = [:]
        if let node = map["fitted"] {
            let rates = try node.mapping(allowing: ["bounce", "reply", "unsubscribe"])
            for rate in ["bounce", "reply", "unsubscribe"] {
                guard let entry = rates[rate] else { continue }
                // Written as `{beta: {alpha: …, beta: …}}`, like the segment's own rate.
                let parameter = try ParameterReader.parameter(entry, domain: .probability)
                guard case .beta(let alpha, let beta) = parameter.distribution else {
                    throw entry.error("a fitted rate is a beta distribution, {beta: {alpha: …, beta: …}}")
                }
                fitted[rate] = Observed.FittedRate(alpha: alpha, beta: beta)
            }
        }
        return Observed(
            completed: completed,
            bounced: bounced,
            replied: replied,
            unsubscribed: unsubscribed,
            fitted: fitted
        )
    }

    /// Outcome counts, `{completed: 380, bounced: 39, replied: 30, unsubscribed: 4}`, each within
    /// the one before.
    static func outcomeCounts(
        _ map: YAMLMapping
    ) throws(ScenarioError) -> (completed: Int, bounced: Int, replied: Int, unsubscribed: Int?) {
        func count(_ key: String, atMost limit: Int, of whole: String?) throws(ScenarioError) -> Int {
            let node = try map.required(key)
            let count = try node.integer(in: 0...Limits.completed)
            guard count <= limit else {
                throw node.error("\(Format.count(count)) \(key) is more than the \(Format.count(limit)) \(whole ?? "")")
            }
            return count
        }
        let completed = try count("completed", atMost: Limits.completed, of: nil)
        let bounced = try count("bounced", atMost: completed, of: "completed")
        let replied = try count("replied", atMost: completed - bounced, of: "delivered")
        let unsubscribed = try map["unsubscribed"].map { (_) throws(ScenarioError) in
            try count("unsubscribed", atMost: completed - bounced - replied, of: "delivered that did not reply")
        }
        return (completed, bounced, replied, unsubscribed)
    }

    private static func readReps(
        _ value: YAMLValue,
        segments: [Segment],
        timeline: Timeline?
    ) throws(ScenarioError) -> [Rep] {
        var reps: [Rep] = []
        var names = NameSet()
        let items = try value.list()
        guard !items.isEmpty else { throw value.error("list at least one rep") }
        // Looked up once per audience entry, so by name rather than by searching a list.
        let segmentIndex = segments.firstIndices(by: \.name)
        for item in items {
            let map = try item.mapping(allowing: ["name", "skill", "enrollments"])
            let nameNode = try map.required("name")
            let name = try nameNode.name()
            guard Name.key(name) != Name.team else {
                throw nameNode.error("'\(Name.team)' names the team's row in every report; give the rep another name")
            }
            try YAMLValue.insert(name, into: &names, kind: "rep", at: nameNode)
            let skill = try map["skill"].map { (node) throws(ScenarioError) in
                try ParameterReader.parameter(node, domain: .multiplier)
            }
            let lines = try map.required("enrollments").list()
            guard !lines.isEmpty else {
                throw map.value.error("rep \(Format.quoted(name)) needs at least one enrollment line")
            }
            var enrollments: [Enrollment] = []
            for line in lines {
                enrollments.append(
                    try readEnrollment(line, segments: segments, segmentIndex: segmentIndex, timeline: timeline)
                )
            }
            reps.append(Rep(name: name, skill: skill, enrollments: enrollments))
        }
        return reps
    }

    private static func readEnrollment(
        _ value: YAMLValue,
        segments: [Segment],
        segmentIndex indices: [String: Int],
        timeline: Timeline?
    ) throws(ScenarioError) -> Enrollment {
        let map = try value.mapping(allowing: TimelineReader.enrollmentKeys)
        let sequence = try map.required("sequence").name()
        let (completed, perPeriod) = try TimelineReader.volume(map, timeline: timeline)
        let inWindow = try TimelineReader.history(map, timeline: timeline)
        let audienceNode = try map.required("audience")
        func segmentIndex(_ name: String, at node: YAMLValue) throws(ScenarioError) -> Int {
            guard let index = indices[name] else {
                let names = segments.map(\.name)
                throw node.error(
                    "unknown segment \(Format.quoted(name))\(Suggestion.hint(for: name, in: names)); "
                        + "the segments are \(names.joined(separator: ", "))"
                )
            }
            return index
        }
        // `audience: core` is short for `audience: {core: 1}`.
        if case .scalar = audienceNode.node {
            return Enrollment(
                sequence: sequence,
                completed: completed,
                audience: [Share(segment: try segmentIndex(audienceNode.name(), at: audienceNode), share: 1)],
                perPeriod: perPeriod,
                inWindow: inWindow
            )
        }
        var audience: [Share] = []
        for (segmentName, shareNode, keyNode) in try audienceNode.entries() {
            let index = try segmentIndex(
                segmentName,
                at: YAMLValue(node: keyNode, path: audienceNode.path, file: value.file)
            )
            audience.append(Share(segment: index, share: try shareNode.share()))
        }
        guard !audience.isEmpty else { throw audienceNode.error("name at least one segment with its share") }
        let normalized = try audienceNode.normalized(audience.map(\.share), what: "shares")
        for index in audience.indices { audience[index].share = normalized[index] }
        return Enrollment(
            sequence: sequence,
            completed: completed,
            audience: audience,
            perPeriod: perPeriod,
            inWindow: inWindow
        )
    }
}
