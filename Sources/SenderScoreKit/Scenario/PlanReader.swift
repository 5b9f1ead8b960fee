/// Reads a scenario's `plan:` section into a `PlanSpec`, checking it against the scenario.
enum PlanReader {
    static let keys = ["objective", "budget", "constraints", "levers", "selection", "top"]

    static func plan(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> PlanSpec {
        let map = try node.mapping(allowing: keys)
        let objective = try objective(map.required("objective"), scenario: scenario)
        var plan = PlanSpec(objective: objective, levers: try levers(map["levers"], scenario: scenario))
        if let constraints = map["constraints"] {
            let constraintMap = try constraints.mapping(allowing: ["eligible", "allowIneligible", "maxDrop"])
            if let eligible = constraintMap["eligible"] {
                plan.eligible = try probability(eligible)
                plan.eligibleLocation = eligible.location
            }
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
                if let problem = PlanSpec.confidenceProblem(value) { throw node.error(problem) }
                plan.confidence = value
            }
            if let node = selectionMap["indifference"] {
                let value = try node.number()
                if let problem = PlanSpec.indifferenceProblem(value) { throw node.error(problem) }
                plan.indifference = value
            }
            if let node = selectionMap["firstStage"] {
                plan.firstStage = try node.integer(in: PlanSpec.firstStageRange)
            }
            if let node = selectionMap["maxTrials"] { plan.maxTrials = try node.integer(in: PlanSpec.maxTrialsRange) }
            if let node = selectionMap["outOfSample"] {
                plan.outOfSample = try node.integer(in: PlanSpec.outOfSampleRange)
            }
            if plan.maxTrials < plan.firstStage {
                throw (selectionMap["maxTrials"] ?? selection).error(
                    "maxTrials (\(Format.count(plan.maxTrials))) is below firstStage (\(Format.count(plan.firstStage)))"
                )
            }
        }
        if let top = map["top"] { plan.top = try top.integer(in: PlanSpec.topRange) }
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
            if let problem = countProblem(count, scenario: scenario) { throw countNode.error(problem) }
            return .pRepsAtLeast(band: band, count: count)
        default:
            if case .scalar = value.node, try value.string() == "all" { return .meanScore(reps: nil) }
            return .meanScore(reps: try repNames(value, scenario: scenario))
        }
    }

    /// An objective as a command line writes it: "repsAtLeast Good", "pRepsAtLeast Good 3",
    /// "meanScore all", "meanScore ana,ben", "teamAtLeast Good".
    static func objective(text: String, scenario: Scenario) throws(ScenarioError) -> PlanSpec.Objective {
        func problem(_ message: String) -> ScenarioError { ScenarioError(option: "objective", message: message) }
        func band(_ text: String) throws(ScenarioError) -> String {
            switch matchBand(text, scenario: scenario) {
            case .success(let band): return band
            case .failure(let failure): throw problem(failure.message)
            }
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == ":" }).map(String.init)
        let names = PlanSpec.Objective.names
        guard let kind = words.first, names.contains(kind) else {
            let kind = words.first ?? ""
            throw problem(
                "unknown objective \(Format.quoted(kind))\(Suggestion.hint(for: kind, in: names)); expected "
                    + "'repsAtLeast BAND', 'pRepsAtLeast BAND K', 'meanScore all', 'meanScore REP,REP' or 'teamAtLeast BAND'"
            )
        }
        switch (kind, words.count) {
        case ("repsAtLeast", 2): return .repsAtLeast(band: try band(words[1]))
        case ("teamAtLeast", 2): return .teamAtLeast(band: try band(words[1]))
        case ("pRepsAtLeast", 3):
            guard let count = WholeNumber.parse(words[2]), count >= 1 else {
                throw problem("expected a count of reps from 1 up, found \(Format.quoted(words[2]))")
            }
            if let message = countProblem(count, scenario: scenario) { throw problem(message) }
            return .pRepsAtLeast(band: try band(words[1]), count: count)
        case ("meanScore", 2) where words[1] == "all":
            return .meanScore(reps: nil)
        case ("meanScore", 2):
            var reps: [String] = []
            var listed = Set<String>()
            let keyed = repKeys(scenario)
            for name in words[1].split(separator: ",").map(String.init) {
                switch matchRep(name, among: keyed, scenario: scenario) {
                case .success(let rep) where listed.insert(rep).inserted: reps.append(rep)
                case .success(let rep): throw problem("rep \(Format.quoted(rep)) is listed twice")
                case .failure(let failure): throw problem(failure.message)
                }
            }
            return .meanScore(reps: reps)
        default:
            throw problem(
                "expected 'repsAtLeast BAND', 'pRepsAtLeast BAND K', 'meanScore all', 'meanScore REP,REP' or "
                    + "'teamAtLeast BAND'; found \(Format.quoted(text))"
            )
        }
    }

    static func band(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> String {
        let text = try node.string()
        switch matchBand(text, scenario: scenario) {
        case .success(let band): return band
        case .failure(let problem): throw node.error(problem.message)
        }
    }

    /// A problem in words, for the caller to place.
    struct Problem: Error {
        var message: String
    }

    /// The rule set's band named `text` (ignoring case and spaces), or what is wrong.
    static func matchBand(_ text: String, scenario: Scenario) -> Result<String, Problem> {
        let bands = scenario.rules.bandNames
        guard let match = bands.first(where: { Name.key($0) == Name.key(text) }) else {
            return .failure(
                Problem(
                    message: "unknown band \(Format.quoted(text))\(Suggestion.hint(for: text, in: bands)); the rule "
                        + "set's bands are " + bands.joined(separator: ", ")
                )
            )
        }
        return .success(match)
    }

    /// The scenario's reps by `Name.key` of their names, for `matchRep`: built once for a list of
    /// reps, not searched for each.
    static func repKeys(_ scenario: Scenario) -> [String: String] {
        scenario.reps.firstIndices { Name.key($0.name) }.mapValues { scenario.reps[$0].name }
    }

    /// The scenario's rep named `text` (`keyed` is `repKeys(scenario)`), or what is wrong.
    static func matchRep(_ text: String, among keyed: [String: String], scenario: Scenario) -> Result<String, Problem> {
        guard let match = keyed[Name.key(text)] else {
            let names = scenario.reps.map(\.name)
            return .failure(
                Problem(
                    message: "unknown rep \(Format.quoted(text))\(Suggestion.hint(for: text, in: names)); the reps are "
                        + names.joined(separator: ", ")
                )
            )
        }
        return .success(match)
    }

    /// What is wrong with asking for at least `count` reps, if anything.
    static func countProblem(_ count: Int, scenario: Scenario) -> String? {
        guard count > scenario.reps.count else { return nil }
        return "at least \(count) reps cannot be met: the scenario has \(scenario.reps.count) rep"
            + (scenario.reps.count == 1 ? "" : "s")
    }

    static func repNames(_ node: YAMLValue, scenario: Scenario) throws(ScenarioError) -> [String] {
        var result: [String] = []
        var listed = Set<String>()
        let keyed = repKeys(scenario)
        let items = try node.list()
        guard !items.isEmpty else { throw node.error("expected at least one rep") }
        for item in items {
            let match: String
            switch matchRep(try item.name(), among: keyed, scenario: scenario) {
            case .success(let rep): match = rep
            case .failure(let problem): throw item.error(problem.message)
            }
            guard listed.insert(match).inserted else { throw item.error("rep \(Format.quoted(match)) is listed twice") }
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
        if let problem = budgetProblem(limit, plan: plan, scenario: scenario) { throw limitNode.error(problem) }
        plan.budget = limit
    }

    /// What is wrong with a budget of `limit` for `plan`'s levers, if anything: not a number of
    /// at least 0, below every plan but doing nothing, or a lever without a cost.
    static func budgetProblem(_ limit: Double, plan: PlanSpec, scenario: Scenario) -> String? {
        guard limit.isFinite, limit >= 0 else {
            return "a budget is a number of at least 0, found \(Format.number(limit))"
        }
        let cheapest = plan.levers.flatMap { lever in
            PlanSpec.units(of: lever, in: scenario).map { unit in
                scenario.cost(of: Strategy(name: "", applications: [unit]))?.value(on: plan.budgetOn) ?? 0
            }
        }.min()
        if let cheapest, limit < cheapest {
            return
                ("a budget of \(Format.number(limit)) is below every plan: the cheapest single lever costs "
                + "\(Format.number(cheapest))\(plan.budgetOn == .high ? " at the high end of its range" : ""), "
                + "so the only plan within it is doing nothing")
        }
        for lever in plan.levers where scenario.interventions[lever.intervention].cost == nil {
            let name = scenario.interventions[lever.intervention].name
            return
                ("a budget needs every lever's cost, and intervention \(Format.quoted(name)) has none; add "
                + "`cost:` to interventions.\(name) (a number, or {fixed, perRep, perEnrollment})")
        }
        return nil
    }
}

/// Command-line overrides of a scenario's `plan:` section.
public struct PlanOverrides: Sendable {
    /// "repsAtLeast Good", "pRepsAtLeast Good 3", "meanScore all", "meanScore ana,ben", "teamAtLeast Good".
    public var objective: String?
    public var budget: Double?
    public var confidence: Double?
    public var indifference: Double?
    public var firstStage: Int?
    public var maxTrials: Int?
    public var outOfSample: Int?
    public var top: Int?

    public init(
        objective: String? = nil,
        budget: Double? = nil,
        confidence: Double? = nil,
        indifference: Double? = nil,
        firstStage: Int? = nil,
        maxTrials: Int? = nil,
        outOfSample: Int? = nil,
        top: Int? = nil
    ) {
        self.objective = objective
        self.budget = budget
        self.confidence = confidence
        self.indifference = indifference
        self.firstStage = firstStage
        self.maxTrials = maxTrials
        self.outOfSample = outOfSample
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
            let objective = try PlanReader.objective(text: text, scenario: self)
            if spec == nil {
                spec = PlanSpec(objective: objective, levers: try PlanReader.levers(nil, scenario: self))
            } else {
                spec?.objective = objective
            }
        }
        guard var spec else { return copy }
        if let budget = overrides.budget {
            if let problem = PlanReader.budgetProblem(budget, plan: spec, scenario: self) {
                throw ScenarioError(option: "budget", message: problem)
            }
            spec.budget = budget
        }
        if let value = overrides.confidence {
            if let problem = PlanSpec.confidenceProblem(value) {
                throw ScenarioError(option: "confidence", message: problem)
            }
            spec.confidence = value
        }
        if let value = overrides.indifference {
            if let problem = PlanSpec.indifferenceProblem(value) {
                throw ScenarioError(option: "indifference", message: problem)
            }
            spec.indifference = value
        }
        func count(_ value: Int?, _ option: String, in range: ClosedRange<Int>) throws(ScenarioError) -> Int? {
            guard let value else { return nil }
            guard range.contains(value) else {
                throw ScenarioError(
                    option: option,
                    message: "must be from \(Format.count(range.lowerBound)) to \(Format.count(range.upperBound))"
                )
            }
            return value
        }
        spec.firstStage = try count(overrides.firstStage, "firstStage", in: PlanSpec.firstStageRange) ?? spec.firstStage
        spec.outOfSample =
            try count(overrides.outOfSample, "outOfSample", in: PlanSpec.outOfSampleRange) ?? spec.outOfSample
        spec.top = try count(overrides.top, "top", in: PlanSpec.topRange) ?? spec.top
        if let value = overrides.maxTrials {
            guard value >= spec.firstStage, value <= PlanSpec.maxTrialsRange.upperBound else {
                throw ScenarioError(
                    option: "maxTrials",
                    message: "must be from the first stage's \(Format.count(spec.firstStage)) to "
                        + Format.count(PlanSpec.maxTrialsRange.upperBound)
                )
            }
            spec.maxTrials = value
        }
        guard spec.maxTrials >= spec.firstStage else {
            throw ScenarioError(
                option: "firstStage",
                message: "the first stage's \(Format.count(spec.firstStage)) trials exceed the plan's maxTrials "
                    + "(\(Format.count(spec.maxTrials)))"
            )
        }
        copy.plan = spec
        return copy
    }
}
