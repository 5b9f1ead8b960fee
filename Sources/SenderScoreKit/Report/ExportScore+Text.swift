extension ExportScore.Level: ReportedLevel {}

extension ExportScore {
    /// The text format: the column mapping, what was left out, and one table.
    public func text() -> String {
        var lines: [String] = []
        lines.append("Sender score of \(file)")
        lines += TextLayout.wrap(
            "rules: \(rules) (\(rulesOrigin))" + (rulesNote.map { ": \($0)" } ?? ""),
            width: 100,
            indent: "  "
        )
        lines += TextLayout.wrap(
            "columns: " + columns.entries.map { "\($0.field) ← \($0.column)" }.joined(separator: ", "),
            width: 100,
            indent: "  "
        )
        if !columns.ignored.isEmpty {
            lines += TextLayout.wrap(
                "ignored columns: " + columns.ignored.joined(separator: ", "),
                width: 100,
                indent: "  "
            )
        }
        for renaming in (renamed ?? []).prefix(5) {
            lines.append(
                "renamed: \(renaming.field) \(Format.quoted(renaming.from)) (line \(renaming.line)) "
                    + "is scored as \(Format.quoted(renaming.to))"
            )
        }
        if let renamed, renamed.count > 5 {
            lines.append("renamed: \(renamed.count - 5) more names (see the JSON format for all)")
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
        lines.append(TextLayout.left("", width) + columns.map { TextLayout.left($0.0, $0.1) }.joined())
        let rows = LevelOrder.rows(reps: reps, sequences: sequences, team: team).map {
            ($0.kind == .sequence ? "  " + $0.level.name : $0.level.name, $0.level)
        }
        for (label, level) in rows {
            lines.append(
                TextLayout.left(label, width)
                    + zip(Self.cells(level), columns).map { TextLayout.left($0, $1.1) }.joined()
            )
        }
        let notes = rows.flatMap { _, level in
            level.notes.map { "\(level.rep.map { "\($0)/" } ?? "")\(level.name): \($0)" }
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "note: " + $0 }
        }
        if let by, let periods {
            lines.append("")
            lines += TextLayout.wrap(
                "By \(by.rawValue)\(by == .week ? " (ISO weeks, Monday to Sunday)" : ""), by the day enrollments ended "
                    + "(UTC): each \(by.rawValue)'s enrollments scored on their own"
                    + ((undated ?? 0) > 0
                        ? (undated == 1
                            ? "; 1 completed enrollment has no end date and is in none"
                            : "; \(Format.count(undated ?? 0)) completed enrollments have no end date and are in none")
                        : ""),
                width: 100,
                indent: "  "
            )
            let trend = [("period", 10)] + columns
            lines.append(TextLayout.left("", width) + trend.map { TextLayout.left($0.0, $0.1) }.joined())
            // Every period lists the reps and sequences in the score's order.
            let repIndex = Dictionary(reps.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            let sequenceIndex = Dictionary(
                sequences.enumerated().map { ("\($1.rep ?? "")\u{0}\($1.name)", $0) },
                uniquingKeysWith: { first, _ in first }
            )
            for row in LevelOrder.rows(reps: reps, sequences: sequences, team: team) {
                let label = row.kind == .sequence ? "  " + row.level.name : row.level.name
                for (index, period) in periods.enumerated() {
                    let level: Level
                    switch row.kind {
                    case .rep: level = repIndex[row.level.name].map { period.reps[$0] } ?? row.level
                    case .sequence:
                        level =
                            sequenceIndex["\(row.level.rep ?? "")\u{0}\(row.level.name)"].map { period.sequences[$0] }
                            ?? row.level
                    case .team: level = period.team
                    }
                    let cells = [period.period] + Self.cells(level)
                    lines.append(
                        TextLayout.left(index == 0 ? label : "", width)
                            + zip(cells, trend).map { TextLayout.left($0, $1.1) }.joined()
                    )
                }
            }
        }
        return TextLayout.document(lines)
    }

    /// A level's cells in the score's table.
    static func cells(_ level: Level) -> [String] {
        let points =
            "\(Format.number(level.replyPoints)) + \(Format.number(level.bouncePoints))"
            + (level.score.map { " = \(Format.number($0))" } ?? "")
        return [
            Format.count(level.completed), Format.count(level.delivered), Format.count(level.replied),
            Format.count(level.bounced), Format.percent(level.replyRate), Format.percent(level.bounceRate),
            points, level.band,
        ]
    }
}
