/// The text format of `senderscore run`: a table a person reads in ten seconds.
///
/// Per strategy, tables with the reps (their sequences indented below them) and the team: band
/// probabilities with their standard errors, scores and rates, replies by step when sequences
/// have several, and for a strategy its paired comparison with the baseline.
public struct TextReport {
    public let report: RunReport

    public init(_ report: RunReport) {
        self.report = report
    }

    public func render() -> String {
        var lines: [String] = []
        lines.append("\(report.scenario) (\(report.file))")
        let rulesLine = "rules: \(report.rules) (\(report.rulesOrigin))" + (report.rulesNote.map { ": \($0)" } ?? "")
        lines.append(contentsOf: TextLayout.wrap(rulesLine, width: 100, indent: "  "))
        for irregularity in report.rulesIrregularities ?? [] {
            lines.append(
                contentsOf: TextLayout.wrap("warning: analysed as written: \(irregularity)", width: 100, indent: "  ")
            )
        }
        lines.append(
            "\(Format.count(report.trials)) trials · seed \(report.seed) · generator \(report.generator)"
                + " · ± is one Monte Carlo standard error"
        )
        if let estimator = report.estimatorWording {
            lines += TextLayout.wrap(estimator, width: 100, indent: "  ")
        }
        if let precision = report.precisionWording {
            lines += TextLayout.wrap(precision, width: 100, indent: "  ")
        }
        if let timeline = report.timeline {
            lines += TextLayout.wrap(TimelineCells.lastWindow(timeline), width: 100, indent: "  ")
        }
        let band = RuleSet.targetBand(among: report.bandOrder)
        if report.strategies.count > 1, let band {
            lines.append("")
            lines += TextLayout.wrap(
                "Strategies at a glance: cost, expected reps at \(band) or better, each rep's P(\(band) or better), "
                    + "the team's mean score change",
                width: 100,
                indent: "  "
            )
            let (header, rows) = ReportCells.glance(report, band: band)
            let widths = header.indices.map { column in
                ([header[column]] + rows.map { $0[column] }).map(\.count).max()! + 2
            }
            for row in [header] + rows {
                lines.append(zip(row, widths).map { TextLayout.left($0, $1) }.joined().trimmingTrailingSpaces())
            }
        }
        for strategy in report.strategies {
            lines.append("")
            if report.strategies.count > 1 {
                lines.append("== \(strategy.name)" + (strategy.costWording.map { " (\($0))" } ?? ""))
                lines.append(contentsOf: strategy.interventions.map { "   " + $0 })
                lines.append("")
            }
            lines.append(contentsOf: bandTable(strategy))
            if let band, let joint = ReportCells.repsAtLeast(strategy, band: band) {
                lines.append(contentsOf: TextLayout.wrap(joint, width: 100, indent: "  "))
            }
            lines.append("")
            lines.append(contentsOf: rateTable(strategy))
            if ReportCells.usedSteps(strategy) > 1 {
                lines.append("")
                lines.append(contentsOf: stepTable(strategy))
            }
            if strategy.team.vsBaseline != nil {
                lines.append("")
                lines.append(contentsOf: comparisonTable(strategy))
            }
            lines.append(contentsOf: notes(strategy))
        }
        if let timeline = report.timeline, let band {
            lines += timelineSection(timeline, band: band)
        }
        lines.append("")
        lines.append(
            "Scores are over eligible trials; rates over trials where they are defined; \"in target\" counts every trial,"
        )
        lines.append("eligible or not. The team row pools every rep's enrollments; the CRM gives no team score.")
        lines += TextLayout.wrap(ReportCells.overshootNote(report.assumptions.rules), width: 100, indent: "")
        if report.strategies.count > 1 {
            lines.append("Strategies are compared with the baseline on the same trials (common random numbers);")
            lines.append("better/worse compare bands, with Ineligible below the lowest band; Δ score is over trials")
            lines.append("where both are eligible.")
            lines += TextLayout.wrap(ReportCells.changeLegend, width: 100, indent: "")
        }
        return TextLayout.document(lines)
    }

    /// Per strategy, P(band or better) period by period and the time to get there to stay.
    private func timelineSection(_ timeline: TimelineReport, band: String) -> [String] {
        var lines = [""]
        for sentence in TimelineCells.heading(timeline, band: band) {
            lines += TextLayout.wrap(sentence, width: 100, indent: "")
        }
        for strategy in timeline.strategies {
            lines.append("")
            if timeline.strategies.count > 1 { lines.append("== \(strategy.name), timeline") }
            let (header, rows) = TimelineCells.table(timeline, strategy: strategy, band: band)
            let widths = header.indices.map { column in
                ([header[column]] + rows.map { $0[column] }).map(\.count).max()! + 2
            }
            for row in [header] + rows {
                lines.append(zip(row, widths).map { TextLayout.left($0, $1) }.joined().trimmingTrailingSpaces())
            }
        }
        return lines
    }

    /// The strategy's rows, labelled: a sequence indented below its rep.
    private func rows(_ strategy: StrategyReport) -> [(label: String, level: LevelReport)] {
        strategy.rows.map { row in
            switch row.kind {
            case .sequence: return ("  " + row.level.name, row.level)
            case .team: return (ReportCells.teamLabel, row.level)
            case .rep: return (row.level.name, row.level)
            }
        }
    }

    private func labelWidth(_ strategy: StrategyReport) -> Int {
        max(16, rows(strategy).map(\.label.count).max() ?? 0) + 2
    }

    private func bandTable(_ strategy: StrategyReport) -> [String] {
        let width = labelWidth(strategy)
        let cell = 13
        var table = [
            TextLayout.left("P(band), %", width) + report.bandOrder.map { TextLayout.left($0, cell) }.joined()
                + "most likely"
        ]
        for (label, level) in rows(strategy) {
            var line = TextLayout.left(label, width)
            for band in report.bandOrder {
                let probability = ReportCells.band(level, band)
                line += TextLayout.left(probability.value + (probability.error.map { " ±" + $0 } ?? ""), cell)
            }
            line += ReportCells.mostLikely(level)
            table.append(line)
        }
        return table
    }

    private func rateTable(_ strategy: StrategyReport) -> [String] {
        let width = labelWidth(strategy)
        let unsubscribes = report.strategies.contains { $0.team.unsubscribeRate.p50 != nil }
        let columns: [(title: String, subtitle: String, width: Int)] =
            [("score", "mean p5–p95", 16), ("reply rate", "p50    p5–p95", 20), ("bounce rate", "p50    p5–p95", 20)]
            + (unsubscribes ? [("unsubscribe", "p50    p5–p95", 20)] : [])
            + [
                ("reply vs target", "below / in / above", 20), ("bounce", "in target", 11),
                ("completed", "p50   p5–p95", 18), ("eligible", "", 8),
            ]
        var table = [TextLayout.left("", width) + columns.map { TextLayout.left($0.title, $0.width) }.joined()]
        table.append(TextLayout.left("", width) + columns.map { TextLayout.left($0.subtitle, $0.width) }.joined())
        for (label, level) in rows(strategy) {
            let score =
                level.score.mean == nil
                ? "–"
                : TextLayout.left(Format.fixed(level.score.mean), 5)
                    + Format.fixed(level.score.p5, digits: 0) + "–" + Format.fixed(level.score.p95, digits: 0)
            let cells =
                [score, rate(level.replyRate), rate(level.bounceRate)]
                + (unsubscribes ? [rate(level.unsubscribeRate)] : [])
                + [
                    ReportCells.replyTarget(level), Format.percent(level.pBounceInTarget, digits: 0),
                    completed(level.completed), Format.percent(level.pEligible, digits: 0),
                ]
            table.append(
                TextLayout.left(label, width) + zip(cells, columns).map { TextLayout.left($0, $1.width) }.joined()
            )
        }
        return table
    }

    private func rate(_ stats: Stats) -> String {
        guard stats.p50 != nil else { return "–" }
        return TextLayout.left(Format.percent(stats.p50), 7) + Format.points(stats.p5 ?? 0) + "–"
            + Format.percent(stats.p95)
    }

    private func completed(_ stats: Stats) -> String {
        guard let p50 = stats.p50, let p5 = stats.p5, let p95 = stats.p95 else { return "–" }
        let median = Format.fixed(p50, digits: 0)
        return p5 == p95
            ? median : TextLayout.left(median, 6) + Format.fixed(p5, digits: 0) + "–" + Format.fixed(p95, digits: 0)
    }

    private func notes(_ strategy: StrategyReport) -> [String] {
        var notes: [String] = []
        // Level by level, without a concatenated copy of every level (hundreds of MB for a large team).
        func note(_ level: LevelReport) {
            guard level.pNoDelivered > 0 else { return }
            let who = level.rep.map { "\($0)/\(level.name)" } ?? level.name
            notes.append(
                "note: \(who) had nothing delivered in \(Format.percent(level.pNoDelivered, digits: 2)) of trials, "
                    + "which earn no reply points"
            )
        }
        strategy.reps.forEach(note)
        strategy.sequences.forEach(note)
        note(strategy.team)
        return notes.isEmpty ? [] : [""] + notes
    }

    /// Share of each step in the replies, and replies per trial.
    private func stepTable(_ strategy: StrategyReport) -> [String] {
        let width = labelWidth(strategy)
        let steps = ReportCells.usedSteps(strategy)
        var table = [
            TextLayout.left("replies by step", width) + (1...steps).map { TextLayout.left("step \($0)", 9) }.joined()
                + "replies per trial"
        ]
        for (label, level) in rows(strategy) {
            let shares = ReportCells.stepShares(level, steps: steps)
            table.append(
                TextLayout.left(label, width) + shares.map { TextLayout.left($0, 9) }.joined()
                    + Format.fixed(level.repliesByStep.reduce(0, +))
            )
        }
        return table
    }

    private func comparisonTable(_ strategy: StrategyReport) -> [String] {
        let width = labelWidth(strategy)
        let columns = [
            ("better", 8), ("worse", 8), (ReportCells.meanHeader, 22), (ReportCells.spreadHeader, 16),
            ("Δ eligible", 12), ("Δ reply in / above target", 27), ("Δ bounce in target", 20), ("Δ completed", 13),
            (ReportCells.completedSpreadHeader, 18),
        ]
        var table = [TextLayout.left("vs baseline", width) + columns.map { TextLayout.left($0.0, $0.1) }.joined()]
        for (label, level) in rows(strategy) {
            guard let change = level.vsBaseline else { continue }
            let score = ReportCells.change(change.scoreChange)
            let cells = [
                Format.percent(change.pImproves), Format.percent(change.pWorsens), score,
                ReportCells.spread(change.scoreChange),
                Format.signedPoints(change.pEligibleChange.mean), ReportCells.replyTargetChange(change),
                Format.signedPoints(change.pBounceInTargetChange.mean), Format.signed(change.completedChange.mean),
                ReportCells.spread(change.completedChange),
            ]
            table.append(TextLayout.left(label, width) + zip(cells, columns).map { TextLayout.left($0, $1.1) }.joined())
        }
        return table
    }
}

extension String {
    /// Without the spaces at its end.
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
