import Foundation

extension RuleSet {
    /// Loads a rule set named on the command line or in a scenario: a built-in name, or a path
    /// to a rules file (relative paths are resolved against `directory` when given).
    ///
    /// - Parameters:
    ///   - asIs: analyse an irregular rule set (unsorted, not monotone, gaps) instead of
    ///     rejecting it.
    ///   - place: where the reference was written, named by an unknown name or a file that cannot
    ///     be read: by default the `rules` option; in a scenario, its `rules` key.
    public static func load(
        _ reference: String,
        relativeTo directory: String? = nil,
        asIs: Bool = false,
        writtenAt place: ScenarioError.Location = .option("rules"),
        keyPath: String = "",
        documents: Documents = .fileSystem
    ) throws(ScenarioError) -> RuleSet {
        if let text = BuiltInRuleSets.text(named: reference) {
            let value = try YAMLValue.parse(text, file: "built-in rule set '\(reference)'")
            var rules = try read(value, origin: "built-in", defaultName: reference, asIs: asIs)
            rules.note = reference == "hubspot" ? BuiltInRuleSets.hubspotNote : nil
            return rules
        }
        let looksLikePath =
            reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
            || documents.exists(resolve(reference, relativeTo: directory))
        guard looksLikePath else {
            throw ScenarioError(
                location: place,
                keyPath: keyPath,
                message:
                    "unknown rule set \(Format.quoted(reference))\(Suggestion.hint(for: reference, in: BuiltInRuleSets.names))"
                    + "; built-in rule sets: \(BuiltInRuleSets.names.joined(separator: ", ")), or give the path of a rules file"
            )
        }
        let path = resolve(reference, relativeTo: directory)
        let value: YAMLValue
        do {
            value = try documents.yaml(path)
        } catch  where error.code == .unreadable {
            // The file cannot be read at all: point at the place that names it.
            throw ScenarioError(
                location: place,
                keyPath: keyPath,
                message: "rules file \(Format.quoted(path)): \(error.message)",
                code: .unreadable
            )
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var rules = try read(value, origin: path, defaultName: Name.cleaned(stem), asIs: asIs)
        rules.file = path
        return rules
    }

    static func resolve(_ path: String, relativeTo directory: String?) -> String {
        guard let directory, !path.hasPrefix("/"), !directory.isEmpty, directory != "." else { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).relativePath
    }

    static let keys = [
        "name", "description", "replyDenominator", "minimumCompleted", "targets", "reply", "bounce", "bands",
    ]

    /// Reads a rules document (a file, or the inline `rules:` mapping of a scenario).
    static func read(
        _ value: YAMLValue,
        origin: String,
        defaultName: String,
        asIs: Bool
    ) throws(ScenarioError) -> RuleSet {
        let map = try value.mapping(allowing: keys)
        let name = try map["name"]?.title() ?? defaultName
        var replyDenominator = ReplyDenominator.delivered
        if let node = map["replyDenominator"] {
            let text = try node.string()
            guard let parsed = ReplyDenominator(rawValue: text) else {
                let choices = ReplyDenominator.allCases.map(\.rawValue)
                throw node.error(
                    "unknown reply denominator \(Format.quoted(text))\(Suggestion.hint(for: text, in: choices)); expected delivered or completed"
                )
            }
            replyDenominator = parsed
        }
        var minimum = MinimumCompleted(rep: 100, sequence: 101)
        if let node = map["minimumCompleted"] {
            let minimumMap = try node.mapping(allowing: ["rep", "sequence"])
            minimum.rep = try minimumMap["rep"]?.integer(in: 0...1_000_000_000) ?? minimum.rep
            minimum.sequence = try minimumMap["sequence"]?.integer(in: 0...1_000_000_000) ?? minimum.sequence
        }
        var targets = Targets(
            replyLow: ExactDecimal(units: 7, scale: 2),
            replyHigh: ExactDecimal(units: 13, scale: 2),
            bounceBelow: ExactDecimal(units: 3, scale: 2)
        )
        if let node = map["targets"] {
            let targetMap = try node.mapping(allowing: ["reply", "bounce"])
            if let replyNode = targetMap["reply"] {
                let bounds = try replyNode.list()
                guard bounds.count == 2 else {
                    throw replyNode.error("expected [low, high], such as [0.07, 0.13]")
                }
                targets.replyLow = try bounds[0].decimal()
                targets.replyHigh = try bounds[1].decimal()
            }
            if let bounceNode = targetMap["bounce"] {
                targets.bounceBelow = try bounceNode.decimal()
            }
        }
        let reply = try pointRows(map.required("reply"))
        let bounce = try pointRows(map.required("bounce"))
        let bandsNode = try map.required("bands")
        var bands: [BandRow] = []
        let bandItems = try bandsNode.list()
        guard bandItems.count <= Limits.ruleRows else {
            throw bandsNode.error(
                "a rule set has at most \(Limits.ruleRows) bands, this one \(Format.count(bandItems.count))"
            )
        }
        for row in bandItems {
            let rowMap = try row.mapping(allowing: ["from", "name"])
            bands.append(BandRow(from: try rowMap.required("from").decimal(), name: try rowMap.required("name").name()))
        }
        let findings = RuleSetCheck.findings(
            reply: reply,
            bounce: bounce,
            bands: bands,
            targets: targets,
            minimum: minimum
        )
        if let finding = findings.first(where: { $0.severity == .invalid || !asIs }) {
            var error = locate(finding, in: value).error(finding.message)
            if finding.severity == .irregular {
                error.remedy = .init(
                    option: "rulesAsIs",
                    before: " (to analyse the rule set as written, use ",
                    after: ")"
                )
            }
            throw error
        }
        var rules = RuleSet(
            name: name,
            origin: origin,
            replyDenominator: replyDenominator,
            minimumCompleted: minimum,
            targets: targets,
            reply: reply,
            bounce: bounce,
            bands: bands
        )
        rules.irregularities = findings.map { locate($0, in: value).error($0.message) }
        return rules
    }

    private static func pointRows(_ value: YAMLValue) throws(ScenarioError) -> [PointRow] {
        var rows: [PointRow] = []
        let items = try value.list()
        guard items.count <= Limits.ruleRows else {
            throw value.error(
                "a rule set has at most \(Limits.ruleRows) rows per rate, this one \(Format.count(items.count)) "
                    + "(every reply row meets every bounce row in the summaries a run keeps)"
            )
        }
        for row in items {
            let rowMap = try row.mapping(allowing: ["from", "points"])
            rows.append(
                PointRow(from: try rowMap.required("from").decimal(), points: try rowMap.required("points").decimal())
            )
        }
        return rows
    }

    /// The node a finding's key path names (`reply[2].points`), or the nearest one that exists.
    private static func locate(_ finding: RuleSetCheck.Finding, in root: YAMLValue) -> YAMLValue {
        var current = root
        var components = finding.keyPath.split(separator: ".").map(String.init)
        while !components.isEmpty {
            var component = components.removeFirst()
            var index: Int?
            if let bracket = component.firstIndex(of: "["), component.hasSuffix("]") {
                index = Int(component[component.index(after: bracket)..<component.index(before: component.endIndex)])
                component = String(component[..<bracket])
            }
            guard let entry = (try? current.entries())?.first(where: { $0.key == component }) else { break }
            current = entry.value
            if let index {
                guard let elements = try? current.list(), elements.indices.contains(index) else { break }
                current = elements[index]
            }
        }
        return YAMLValue(
            node: current.node,
            path: root.path.isEmpty ? finding.keyPath : root.path + "." + finding.keyPath,
            file: root.file
        )
    }
}
