import Foundation

/// Fits a scenario to an enrollment export: one segment per group (rep, sequence or segment)
/// whose bounce, reply and unsubscribe rates are Beta posteriors from the group's counts, and the
/// observed volumes. The scenario it writes runs as is and is the natural baseline for strategies.
public struct ScenarioFit: Sendable {
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        case rep, sequence, segment
    }

    /// One fitted group.
    public struct Group: Sendable, Hashable {
        public var name: String
        public var counts: Counts
        public var bounce: Posterior
        public var reply: Posterior
        /// Present when the export says which enrollments unsubscribed.
        public var unsubscribe: Posterior?
    }

    /// Beta(alpha, beta) with its mean and 95% equal-tailed interval.
    public struct Posterior: Sendable, Hashable {
        public var alpha: Double
        public var beta: Double
        public var mean: Double { alpha / (alpha + beta) }
        public var low95: Double { Densities.betaQuantile(0.025, alpha: alpha, beta: beta) }
        public var high95: Double { Densities.betaQuantile(0.975, alpha: alpha, beta: beta) }

        /// The posterior after `successes` of `trials` from the prior Beta(prior, prior).
        init(_ successes: Int, of trials: Int, prior: Double) {
            alpha = prior + Double(successes)
            beta = prior + Double(trials - successes)
        }
    }

    public var groups: [Group]
    /// Per (rep, sequence) line: the completed enrollments and their split among groups.
    public var lines: [(rep: String, sequence: String, completed: Int, audience: [(group: String, count: Int)])]
    public var grouping: Grouping
    public var prior: Double
    public var score: ExportScore

    /// Fits the export at `path`. `prior` is the Beta(prior, prior) prior of every rate: 0.5 is
    /// Jeffreys' prior, 1 the uniform one.
    public static func fit(
        _ path: String, by grouping: Grouping, prior: Double = 0.5, rules: RuleSet, options: ExportScore.Options = .init()
    ) throws(ScenarioError) -> ScenarioFit {
        // One pass scores the file (so the fitted counts are exactly what `score` reports) and a
        // second collects the groups; both stream.
        let score = try ExportScore.score(path, rules: rules, options: options)
        let reader = try ExportReader(path: path, overrides: options.columns)
        if grouping == .segment, !reader.mapping.entries.contains(where: { $0.field == ExportField.segment.key }) {
            throw ScenarioError(file: path, message: "fit --by segment needs a segment column; the columns are "
                + (reader.mapping.entries.map(\.column) + reader.mapping.ignored).joined(separator: ", "))
        }
        var groups: [String: Counts] = [:], groupOrder: [String] = []
        var lines: [String: (completed: Int, audience: [String: Int], order: [String])] = [:], lineOrder: [String] = []
        var unsubscribes = false
        while true {
            let record: ExportReader.Record
            do {
                guard let next = try reader.next() else { break }
                record = next
            } catch {
                if options.skipInvalid, error.line != nil, !reader.isBroken { continue }
                throw error
            }
            guard record.state.isCompleted else { continue }
            if options.from != nil || options.to != nil {
                guard let ended = record.endedAt, options.from.map({ $0 <= ended }) ?? true, options.to.map({ ended <= $0 }) ?? true
                else { continue }
            }
            let sequence = record.sequence ?? "sequence"
            let group: String
            switch grouping {
            case .rep: group = record.rep
            case .sequence: group = sequence
            case .segment: group = record.segment ?? "unknown"
            }
            let counts = Counts(completed: 1, bounced: record.bounced ? 1 : 0, replied: record.replied ? 1 : 0,
                                unsubscribed: record.unsubscribed ? 1 : 0)
            unsubscribes = unsubscribes || record.unsubscribed
            if groups[group] == nil { groupOrder.append(group) }
            groups[group, default: .zero] += counts
            let key = record.rep + "\u{0}" + sequence
            if lines[key] == nil {
                lineOrder.append(key)
                lines[key] = (0, [:], [])
            }
            lines[key]!.completed += 1
            if lines[key]!.audience[group] == nil { lines[key]!.order.append(group) }
            lines[key]!.audience[group, default: 0] += 1
        }
        guard !groupOrder.isEmpty else {
            throw ScenarioError(file: path, message: "no completed enrollments to fit (\(score.rows) rows)")
        }
        let hasUnsubscribeColumn = reader.mapping.entries.contains { $0.field == ExportField.stepErrorType.key }
        return ScenarioFit(
            groups: groupOrder.map { name in
                let counts = groups[name]!
                return Group(
                    name: name, counts: counts,
                    bounce: Posterior(counts.bounced, of: counts.completed, prior: prior),
                    reply: Posterior(counts.replied, of: counts.delivered, prior: prior),
                    unsubscribe: hasUnsubscribeColumn || unsubscribes
                        ? Posterior(counts.unsubscribed, of: counts.delivered - counts.replied, prior: prior) : nil)
            },
            lines: lineOrder.map { key in
                let parts = key.components(separatedBy: "\u{0}")
                let line = lines[key]!
                return (parts[0], parts[1], line.completed, line.order.map { ($0, line.audience[$0]!) })
            },
            grouping: grouping, prior: prior, score: score)
    }

    /// The fitted scenario as YAML, commented with what each number was fitted from.
    /// `rulesReference` is written as the scenario's `rules` (a built-in name or a path).
    public func yaml(rulesReference: String?) -> String {
        var out: [String] = []
        let window = [score.from.map { "from \($0)" }, score.to.map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
        out.append("# Fitted by `senderscore fit` from \(score.file)\(window.isEmpty ? "" : " (enrollments that ended \(window))").")
        out.append("# \(Format.count(score.team.completed)) completed enrollments, grouped by \(grouping.rawValue); "
            + "left out: \(score.excluded.executing) executing, \(score.excluded.paused) paused, "
            + "\(score.excluded.outsideWindow) outside the window, \(score.excluded.invalid) invalid.")
        out.append("# Every rate is a Beta posterior from its group's counts with the prior Beta(\(Format.number(prior)), "
            + "\(Format.number(prior)))\(prior == 0.5 ? " (Jeffreys)" : prior == 1 ? " (uniform)" : ""), so it is as")
        out.append("# uncertain as the data leave it. Volumes are the observed completed enrollments.")
        out.append("name: \(Self.quoted("Fitted from " + URL(fileURLWithPath: score.file).lastPathComponent))")
        out.append("trials: 20000")
        out.append("seed: 1")
        if let rulesReference { out.append("rules: \(Self.quoted(rulesReference))") }
        out.append("")
        out.append("segments:")
        for group in groups {
            let counts = group.counts
            out.append("  \(Self.quoted(group.name)):  # \(Format.count(counts.completed)) completed, \(Format.count(counts.bounced)) bounced, "
                + "\(Format.count(counts.delivered)) delivered, \(Format.count(counts.replied)) replied")
            out.append("    bounce: \(Self.beta(group.bounce))")
            out.append("    reply: \(Self.beta(group.reply))")
            if let unsubscribe = group.unsubscribe {
                out.append("    unsubscribe: \(Self.beta(unsubscribe))")
            }
        }
        out.append("")
        out.append("reps:")
        var reps: [String] = []
        for line in lines where !reps.contains(line.rep) { reps.append(line.rep) }
        for rep in reps {
            out.append("  - name: \(Self.quoted(rep))")
            out.append("    enrollments:")
            for line in lines where line.rep == rep {
                out.append("      - {sequence: \(Self.quoted(line.sequence)), completed: \(line.completed), audience: \(Self.audience(line.audience, total: line.completed))}")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `{beta: {alpha: 10.5, beta: 370.5}}  # mean 2.76%, 95% interval 1.45%–4.58%`
    static func beta(_ posterior: Posterior) -> String {
        "{beta: {alpha: \(exact(posterior.alpha)), beta: \(exact(posterior.beta))}}"
            + "  # mean \(Format.percent(posterior.mean, digits: 2)), 95% interval "
            + "\(Format.percent(posterior.low95, digits: 2))–\(Format.percent(posterior.high95, digits: 2))"
    }

    /// The shortest text that reads back as the same number: 10.5, 472542.5.
    static func exact(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// Shares with six decimals that add up to exactly 1.
    static func audience(_ counts: [(group: String, count: Int)], total: Int) -> String {
        if counts.count == 1 { return quoted(counts[0].group) }
        var micros = counts.map { Int((Double($0.count) / Double(total) * 1_000_000).rounded()) }
        if let largest = micros.indices.max(by: { micros[$0] < micros[$1] }) {
            micros[largest] += 1_000_000 - micros.reduce(0, +)
        }
        let shares = zip(counts, micros).map { "\(quoted($0.group)): \(ExactDecimal(units: Int64($1), scale: 6))" }
        return "{" + shares.joined(separator: ", ") + "}"
    }

    /// A YAML double-quoted string when the name is not a plain word.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.first!.isLetter
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        if plain, !["true", "false", "yes", "no", "null", "on", "off"].contains(text.lowercased()) { return text }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
