/// Reads a scenario's `plan:` section into a `PlanSpec`, checking it against the scenario.
enum PlanReader {
    static let keys = ["objective", "budget", "constraints", "levers", "selection", "top"]

    static func plan(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> PlanSpec {
        let map = try node.mapping(allowing: keys)
        let objective = try objective(map.required("objective"), scenario: scenario)
        var plan = PlanSpec(objective: objective, levers: try levers(map["levers"], scenario: scenario))
        if let constraints = map["constraints"] {
            let constraintMap = try constraints.mapping(allowing: ["eligible", "allowIneligible", "maxDrop"])
            if let eligible = constraintMap["eligible"] { plan.eligible = try probability(eligible) }
            if let allowed = constraintMap["allowIneligible"] {
                plan.allowIneligible = try repNames(allowed, scenario: scenario)
            }
            if let drop = constraintMap["maxDrop"] { plan.maxDrop = try probability(drop) }
        }
        if let selection = map["selection"] {
            let selectionMap = try selection.mapping(
                allowing: ["confidence", "indifference", "firstStage", "maxTrials", "outOfSample"]
            )
            if let node = selectionMap["confidence"] {
                let value = try node.number()
                guard value > 0.5, value < 1 else {
                    throw node.error(
                        "a confidence is above 0.5 and below 1 (0.95 is usual), found \(Format.number(value))"
                    )
                }
                plan.confidence = value
            }
            if let node = selectionMap["indifference"] {
                let value = try node.number()
                guard value.isFinite, value > 0 else {
                    throw node.error("an indifference zone is a number above 0, found \(Format.number(value))")
                }
                plan.indifference = value
            }
            if let node = selectionMap["firstStage"] { plan.firstStage = try node.integer(in: 100...1_000_000) }
            if let node = selectionMap["maxTrials"] { plan.maxTrials = try node.integer(in: 100...100_000_000) }
            if let node = selectionMap["outOfSample"] { plan.outOfSample = try node.integer(in: 0...100_000_000) }
            if plan.maxTrials < plan.firstStage {
                throw (selectionMap["maxTrials"] ?? selection).error(
                    "maxTrials (\(Format.count(plan.maxTrials))) is below firstStage (\(Format.count(plan.firstStage)))"
                )
            }
        }
        if let top = map["top"] { plan.top = try top.integer(in: 1...100) }
        if let budget = map["budget"] {
            try read(budget: budget, into: &plan, scenario: scenario)
        }
        return plan
    }

    static func objective(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> PlanSpec.Objective {
        let names = PlanSpec.Objective.names
        let example =
            "{repsAtLeast: Good}, {pRepsAtLeast: {band: Good, count: 3}}, {meanScore: all} or {teamAtLeast: Good}"
        guard case .mapping = node.node, let entry = try node.entries().first, try node.entries().count == 1 else {
            throw node.error("expected one objective such as \(example); found \(node.kindDescription)")
        }
        guard names.contains(entry.key) else {
            throw node.child(entry.key, entry.keyNode).error(
                "unknown objective \(Format.quoted(entry.key))\(Suggestion.hint(for: entry.key, in: names)); "
                    + "expected one of \(names.joined(separator: ", "))"
            )
        }
        let value = entry.value
        switch entry.key {
        case "repsAtLeast": return .repsAtLeast(band: try band(value, scenario: scenario))
        case "teamAtLeast": return .teamAtLeast(band: try band(value, scenario: scenario))
        case "pRepsAtLeast":
            let map = try value.mapping(allowing: ["band", "count"])
            let band = try band(map.required("band"), scenario: scenario)
            let countNode = try map.required("count")
            let count = try countNode.integer(in: 1...Int.max)
            guard count <= scenario.reps.count else {
                throw countNode.error(
                    "at least \(count) reps cannot be met: the scenario has \(scenario.reps.count) rep"
                        + (scenario.reps.count == 1 ? "" : "s")
                )
            }
            return .pRepsAtLeast(band: band, count: count)
        default:
            if case .scalar = value.node, try value.string() == "all" { return .meanScore(reps: nil) }
            return .meanScore(reps: try repNames(value, scenario: scenario))
        }
    }

    static func band(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> String {
        let text = try node.string()
        let bands = scenario.rules.bandNames
        guard let match = bands.first(where: { Name.key($0) == Name.key(text) }) else {
            throw node.error(
                "unknown band \(Format.quoted(text))\(Suggestion.hint(for: text, in: bands)); the rule set's bands are "
                    + bands.joined(separator: ", ")
            )
        }
        return match
    }

    static func repNames(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> [String] {
        let names = scenario.reps.map(\.name)
        var result: [String] = []
        let items = try node.list()
        guard !items.isEmpty else { throw node.error("expected at least one rep") }
        for item in items {
            let name = try item.name()
            guard let match = names.first(where: { Name.key($0) == Name.key(name) }) else {
                throw item.error(
                    "unknown rep \(Format.quoted(name))\(Suggestion.hint(for: name, in: names)); the reps are "
                        + names.joined(separator: ", ")
                )
            }
            guard !result.contains(match) else { throw item.error("rep \(Format.quoted(match)) is listed twice") }
            result.append(match)
        }
        return result
    }

    static func probability(_ node: YAMLValue) throws(ScenarioError) -> Double {
        let value = try node.number()
        guard value >= 0, value <= 1 else {
            throw node.error("expected a probability from 0 to 1, found \(Format.number(value))")
        }
        return value
    }

    /// `levers: {tokens: team, verify: rep}`; absent, every intervention team-wide.
    static func levers(_ node: YAMLValue?, scenario: Scenario) throws(ScenarioError) -> [PlanSpec.Lever] {
        let names = scenario.interventions.map(\.name)
        guard let node else {
            guard !names.isEmpty else {
                throw ScenarioError(
                    file: scenario.file,
                    line: nil,
                    column: nil,
                    keyPath: "plan",
                    message: "a plan chooses among interventions, and the scenario has none; add an "
                        + "`interventions:` section"
                )
            }
            return names.indices.map { PlanSpec.Lever(intervention: $0, scope: .team) }
        }
        var levers: [PlanSpec.Lever] = []
        let entries = try node.entries()
        guard !entries.isEmpty else { throw node.error("expected at least one lever such as {tokens: team}") }
        for entry in entries {
            let keyNode = node.child(entry.key, entry.keyNode)
            guard let index = names.firstIndex(where: { Name.key($0) == Name.key(entry.key) }) else {
                throw keyNode.error(
                    "unknown intervention \(Format.quoted(entry.key))\(Suggestion.hint(for: entry.key, in: names)); "
                        + "the interventions are \(names.joined(separator: ", "))"
                )
            }
            guard !levers.contains(where: { $0.intervention == index }) else {
                throw keyNode.error("intervention \(Format.quoted(names[index])) is listed twice")
            }
            let scopes = PlanSpec.Scope.allCases.map(\.rawValue)
            let text = entry.value.isNull ? "team" : try entry.value.string()
            guard let scope = PlanSpec.Scope(rawValue: text) else {
                throw entry.value.error(
                    "unknown scope \(Format.quoted(text))\(Suggestion.hint(for: text, in: scopes)); expected "
                        + "team (all reps or none), rep (chosen rep by rep) or sequence (chosen line by line)"
                )
            }
            levers.append(PlanSpec.Lever(intervention: index, scope: scope))
        }
        return levers
    }

    static func read(budget node: YAMLValue, into plan: inout PlanSpec, scenario: Scenario) throws(ScenarioError) {
        var limitNode = node
        if case .mapping = node.node {
            let map = try node.mapping(allowing: ["limit", "on"])
            limitNode = try map.required("limit")
            if let on = map["on"] {
                let text = try on.string()
                guard let basis = PlanSpec.BudgetBasis(rawValue: text) else {
                    throw on.error(
                        "unknown budget basis \(Format.quoted(text)); expected expected (the mean cost) or high "
                            + "(the high end of the cost's 95% range)"
                    )
                }
                plan.budgetOn = basis
            }
        }
        let limit = try limitNode.number()
        guard limit.isFinite, limit >= 0 else {
            throw limitNode.error("a budget is a number of at least 0, found \(Format.number(limit))")
        }
        plan.budget = limit
        let cheapest = plan.levers.flatMap { lever in
            PlanSpec.units(of: lever, in: scenario).map { unit in
                scenario.cost(of: Strategy(name: "", applications: [unit]))?.value(on: plan.budgetOn) ?? 0
            }
        }.min()
        if let cheapest, limit < cheapest {
            throw limitNode.error(
                "a budget of \(Format.number(limit)) is below every plan: the cheapest single lever costs "
                    + "\(Format.number(cheapest))\(plan.budgetOn == .high ? " at the high end of its range" : ""), "
                    + "so the only plan within it is doing nothing"
            )
        }
        for lever in plan.levers where scenario.interventions[lever.intervention].cost == nil {
            let name = scenario.interventions[lever.intervention].name
            throw limitNode.error(
                "a budget needs every lever's cost, and intervention \(Format.quoted(name)) has none; add "
                    + "`cost:` to interventions.\(name) (a number, or {fixed, perRep, perEnrollment})"
            )
        }
    }
}

/// Command-line overrides of a scenario's `plan:` section.
public struct PlanOverrides: Sendable {
    /// "repsAtLeast Good", "pRepsAtLeast Good 3", "meanScore all", "meanScore ana,ben", "teamAtLeast Good".
    public var objective: String?
    public var budget: Double?
    public var confidence: Double?
    public var indifference: Double?
    public var maxTrials: Int?
    public var top: Int?

    public init(
        objective: String? = nil,
        budget: Double? = nil,
        confidence: Double? = nil,
        indifference: Double? = nil,
        maxTrials: Int? = nil,
        top: Int? = nil
    ) {
        self.objective = objective
        self.budget = budget
        self.confidence = confidence
        self.indifference = indifference
        self.maxTrials = maxTrials
        self.top = top
    }
}

extension Scenario {
    /// The scenario with `overrides` applied to its plan (a plan over every intervention,
    /// team-wide, when it has none and an objective is given).
    ///
    /// - Throws: `ScenarioError` at the option for a value that does not fit the scenario.
    public func planning(_ overrides: PlanOverrides) throws(ScenarioError) -> Scenario {
        var copy = self
        var spec = plan
        if let text = overrides.objective {
            let words = text.split(whereSeparator: { $0 == " " || $0 == ":" }).map(String.init)
            let yaml: String
            switch words.count {
            case 2 where words[0] == "meanScore" && words[1] != "all":
                yaml = "{meanScore: [\(words[1].split(separator: ",").map { "\"\($0)\"" }.joined(separator: ", "))]}"
            case 2: yaml = "{\(words[0]): \"\(words[1])\"}"
            case 3: yaml = "{\(words[0]): {band: \"\(words[1])\", count: \(words[2])}}"
            default:
                throw ScenarioError(
                    option: "objective",
                    message:
                        "expected an objective such as 'repsAtLeast Good', 'pRepsAtLeast Good 3', 'meanScore all', "
                        + "'meanScore ana,ben' or 'teamAtLeast Good'; found \(Format.quoted(text))"
                )
            }
            let objective = try PlanReader.objective(YAMLValue.parse(yaml, file: "--objective"), scenario: self)
            if spec == nil {
                spec = PlanSpec(objective: objective, levers: try PlanReader.levers(nil, scenario: self))
            } else {
                spec?.objective = objective
            }
        }
        guard var spec else { return copy }
        if let budget = overrides.budget {
            try PlanReader.read(budget: YAMLValue.parse(String(budget), file: "--budget"), into: &spec, scenario: self)
        }
        if let value = overrides.confidence {
            guard value > 0.5, value < 1 else {
                throw ScenarioError(
                    option: "confidence",
                    message: "a confidence is above 0.5 and below 1 (0.95 is usual)"
                )
            }
            spec.confidence = value
        }
        if let value = overrides.indifference {
            guard value.isFinite, value > 0 else {
                throw ScenarioError(option: "indifference", message: "an indifference zone is a number above 0")
            }
            spec.indifference = value
        }
        if let value = overrides.maxTrials {
            guard value >= spec.firstStage, value <= 100_000_000 else {
                throw ScenarioError(
                    option: "maxTrials",
                    message:
                        "--max-trials must be from the first stage's \(Format.count(spec.firstStage)) to 100,000,000"
                )
            }
            spec.maxTrials = value
        }
        if let value = overrides.top {
            guard (1...100).contains(value) else {
                throw ScenarioError(option: "top", message: "--top must be from 1 to 100")
            }
            spec.top = value
        }
        copy.plan = spec
        return copy
    }
}
