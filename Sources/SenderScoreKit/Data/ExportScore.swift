/// The actual sender score of an enrollment export: per rep, per sequence of a rep, and the team.
public struct ExportScore: Sendable, Hashable, Codable {
    /// One scored group.
    public struct Level: Sendable, Hashable, Codable {
        public var name: String
        /// For a sequence, its rep.
        public var rep: String?
        public var completed: Int
        public var delivered: Int
        public var replied: Int
        public var bounced: Int
        public var unsubscribed: Int
        public var replyRate: Double?
        public var bounceRate: Double?
        public var replyPoints: Double
        public var bouncePoints: Double
        public var score: Double?
        /// The band, or Ineligible.
        public var band: String
        public var eligible: Bool
        public var replyInTarget: Bool
        public var bounceInTarget: Bool
        /// Why something is missing: too few completed, nothing delivered.
        public var notes: [String]
    }

    /// Rows left out, and why.
    public struct Excluded: Sendable, Hashable, Codable {
        public var executing = 0
        public var paused = 0
        /// Completed outside `--from`/`--to`, or without an end date while a window is set.
        public var outsideWindow = 0
        public var invalid = 0
        /// Invalid rows by reason, with the first line of each (with `--skip-invalid`).
        public var reasons: [Reason] = []

        public struct Reason: Sendable, Hashable, Codable {
            public var reason: String
            public var count: Int
            public var firstLine: Int
        }
    }

    public var file: String
    public var rules: String
    public var rulesOrigin: String
    public var rulesNote: String?
    public var columns: ExportReader.Mapping
    public var from: String?
    public var to: String?
    public var rows: Int
    public var excluded: Excluded
    public var reps: [Level]
    public var sequences: [Level]
    public var team: Level

    public struct Options: Sendable, Hashable {
        public var from: Timestamp?
        /// Inclusive: an end on this day counts when `to` is a date without a time.
        public var to: Timestamp?
        public var skipInvalid: Bool
        public var columns: [String: String]

        public init(
            from: Timestamp? = nil,
            to: Timestamp? = nil,
            skipInvalid: Bool = false,
            columns: [String: String] = [:]
        ) {
            self.from = from
            self.to = to
            self.skipInvalid = skipInvalid
            self.columns = columns
        }
    }

    /// Scores the export at `path` under `rules`.
    public static func score(
        _ path: String,
        rules: RuleSet,
        options: Options = .init()
    ) throws(ScenarioError) -> ExportScore {
        try score(ExportReader(path: path, overrides: options.columns), rules: rules, options: options)
    }

    /// Scores what `reader` reads; `visit` sees every record that counts (completed, valid, in
    /// the window), so a caller can gather more from the same single pass.
    public static func score(
        _ reader: ExportReader,
        rules: RuleSet,
        options: Options,
        visit: (ExportReader.Record) -> Void = { _ in }
    ) throws(ScenarioError) -> ExportScore {
        var reps: [String: Counts] = [:]
        var sequences: [String: [String: Counts]] = [:]
        var repOrder: [String] = []
        var sequenceOrder: [String: [String]] = [:]
        var excluded = Excluded()
        var rows = 0
        var reasons: [String: (count: Int, line: Int)] = [:]
        while true {
            let record: ExportReader.Record
            do {
                guard let next = try reader.next() else { break }
                record = next
            } catch {
                guard options.skipInvalid, let line = error.line, !reader.isBroken else { throw error }
                rows += 1
                excluded.invalid += 1
                // Group by what is wrong, not by the value found.
                let reason = error.message.components(separatedBy: ", found").first ?? error.message
                reasons[reason] = (count: (reasons[reason]?.count ?? 0) + 1, line: reasons[reason]?.line ?? line)
                continue
            }
            rows += 1
            switch record.state {
            case .executing:
                excluded.executing += 1
                continue
            case .paused:
                excluded.paused += 1
                continue
            case .finished, .unenrolled: break
            }
            if options.from != nil || options.to != nil {
                guard let ended = record.endedAt,
                    options.from.map({ $0 <= ended }) ?? true, options.to.map({ ended <= $0 }) ?? true
                else {
                    excluded.outsideWindow += 1
                    continue
                }
            }
            visit(record)
            let counts = record.counts
            if reps[record.rep] == nil { repOrder.append(record.rep) }
            reps[record.rep, default: .zero] += counts
            // A row without a sequence still counts for its rep; it is listed as such.
            let sequence = record.sequence ?? "(no sequence)"
            if sequences[record.rep]?[sequence] == nil { sequenceOrder[record.rep, default: []].append(sequence) }
            sequences[record.rep, default: [:]][sequence, default: .zero] += counts
        }
        excluded.reasons = reasons.map { .init(reason: $0.key, count: $0.value.count, firstLine: $0.value.line) }
            .sorted { $0.firstLine < $1.firstLine }
        var team = Counts.zero
        for counts in reps.values { team += counts }
        return ExportScore(
            file: reader.file,
            rules: rules.name,
            rulesOrigin: rules.origin,
            rulesNote: rules.note,
            columns: reader.mapping,
            from: options.from?.description,
            to: options.to?.description,
            rows: rows,
            excluded: excluded,
            reps: repOrder.map { level($0, rep: nil, reps[$0]!, .rep, rules) },
            sequences: repOrder.flatMap { rep in
                (sequenceOrder[rep] ?? []).map { level($0, rep: rep, sequences[rep]![$0]!, .sequence, rules) }
            },
            team: level("team", rep: nil, team, .team, rules)
        )
    }

    static func level(
        _ name: String,
        rep: String?,
        _ counts: Counts,
        _ kind: Scorecard.Level,
        _ rules: RuleSet
    ) -> Level {
        let card = rules.scorecard(counts, level: kind)
        return Level(
            name: name,
            rep: rep,
            completed: counts.completed,
            delivered: counts.delivered,
            replied: counts.replied,
            bounced: counts.bounced,
            unsubscribed: counts.unsubscribed,
            replyRate: card.replyRate,
            bounceRate: card.bounceRate,
            replyPoints: card.replyPoints.doubleValue,
            bouncePoints: card.bouncePoints.doubleValue,
            score: card.isEligible ? card.total.doubleValue : nil,
            band: card.band,
            eligible: card.isEligible,
            replyInTarget: card.isReplyInTarget,
            bounceInTarget: card.isBounceInTarget,
            notes: card.notes
        )
    }
}

extension ExportScore {
    /// The text format: the column mapping, what was left out, and one table.
    public func text() -> String {
        var lines: [String] = []
        lines.append("Sender score of \(file)")
        lines += TextReport.wrap(
            "rules: \(rules) (\(rulesOrigin))" + (rulesNote.map { ": \($0)" } ?? ""),
            width: 100,
            indent: "  "
        )
        lines += TextReport.wrap(
            "columns: " + columns.entries.map { "\($0.field) ← \($0.column)" }.joined(separator: ", "),
            width: 100,
            indent: "  "
        )
        if !columns.ignored.isEmpty {
            lines += TextReport.wrap(
                "ignored columns: " + columns.ignored.joined(separator: ", "),
                width: 100,
                indent: "  "
            )
        }
        if from != nil || to != nil {
            lines.append("window: enrollments ended from \(from ?? "the start") to \(to ?? "the end")")
        }
        let completed = team.completed
        var left: [String] = []
        if excluded.executing > 0 { left.append("\(Format.count(excluded.executing)) executing") }
        if excluded.paused > 0 { left.append("\(Format.count(excluded.paused)) paused") }
        if excluded.outsideWindow > 0 { left.append("\(Format.count(excluded.outsideWindow)) outside the window") }
        if excluded.invalid > 0 { left.append("\(Format.count(excluded.invalid)) invalid (skipped)") }
        lines.append(
            "\(Format.count(rows)) rows: \(Format.count(completed)) completed enrollments scored"
                + (left.isEmpty ? "" : "; left out: " + left.joined(separator: ", "))
        )
        for reason in excluded.reasons {
            lines.append(
                "  skipped \(Format.count(reason.count)) × \(reason.reason) (first at line \(reason.firstLine))"
            )
        }
        lines.append("")
        let width = max(16, ((reps + sequences).map { $0.name.count + ($0.rep == nil ? 0 : 2) }.max() ?? 0) + 2)
        let columns = [
            ("completed", 11), ("delivered", 11), ("replied", 9), ("bounced", 9), ("reply rate", 12),
            ("bounce rate", 13), ("points", 16), ("band", 12),
        ]
        lines.append(TextReport.left("", width) + columns.map { TextReport.left($0.0, $0.1) }.joined())
        var rows: [(String, Level)] = []
        for rep in reps {
            rows.append((rep.name, rep))
            for sequence in sequences where sequence.rep == rep.name { rows.append(("  " + sequence.name, sequence)) }
        }
        rows.append(("team", team))
        for (label, level) in rows {
            let points =
                "\(Format.number(level.replyPoints)) + \(Format.number(level.bouncePoints))"
                + (level.score.map { " = \(Format.number($0))" } ?? "")
            let cells = [
                Format.count(level.completed), Format.count(level.delivered), Format.count(level.replied),
                Format.count(level.bounced), Format.percent(level.replyRate), Format.percent(level.bounceRate),
                points, level.band,
            ]
            lines.append(TextReport.left(label, width) + zip(cells, columns).map { TextReport.left($0, $1.1) }.joined())
        }
        let notes = rows.flatMap { _, level in
            level.notes.map { "\(level.rep.map { "\($0)/" } ?? "")\(level.name): \($0)" }
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "note: " + $0 }
        }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }
}
