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

    /// The whole report, as one string.
    public func render() -> String { TextPieces.document(write(into:)) }

    /// Writes the report through `write`, in pieces of about 64 KB (`TextPieces`): each
    /// strategy's band table goes out as its levels' reports are built, and only its other
    /// tables' lines wait for the end of the pass (`tables`).
    public func write(to write: (String) throws -> Void) throws {
        try TextPieces.write(to: write, self.write(into:))
    }

    /// The report's lines, made printable and trimmed by `TextLayout` on their way out.
    private func write(into pieces: inout TextPieces) {
        TextLayout.Lines.write(into: &pieces) { lines in
            lines.append("\(report.scenario) (\(report.file))")
            let rulesLine =
                "rules: \(report.rules) (\(report.rulesOrigin))" + (report.rulesNote.map { ": \($0)" } ?? "")
            lines.append(contentsOf: TextLayout.wrap(rulesLine, width: 100, indent: "  "))
            for irregularity in report.rulesIrregularities ?? [] {
                lines.append(
                    contentsOf: TextLayout.wrap(
                        "warning: analysed as written: \(irregularity)",
                        width: 100,
                        indent: "  "
                    )
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
                let tables = tables(strategy, bandsTo: &lines)
                if let band, let joint = ReportCells.repsAtLeast(strategy, band: band) {
                    lines.append(contentsOf: TextLayout.wrap(joint, width: 100, indent: "  "))
                }
                lines.append("")
                lines.append(contentsOf: tables.rates)
                if let steps = tables.steps {
                    lines.append("")
                    lines.append(contentsOf: steps)
                }
                if let comparison = tables.comparison {
                    lines.append("")
                    lines.append(contentsOf: comparison)
                }
                lines.append(contentsOf: tables.notes.isEmpty ? [] : [""] + tables.notes)
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
                lines.append(
                    "better/worse compare bands, with Ineligible below the lowest band; Δ score is over trials"
                )
                lines.append("where both are eligible.")
                lines += TextLayout.wrap(ReportCells.changeLegend, width: 100, indent: "")
            }
        }
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

    /// A strategy's tables, each level's report built once (`StrategyRows`): the band
    /// probabilities, written to `bands` as they are built (their columns' widths do not depend on
    /// the rows), and the scores and rates, the replies by step when sequences have several, the
    /// comparison with the baseline for a strategy, and the notes, returned.
    private func tables(
        _ strategy: StrategyReport,
        bandsTo bands: inout TextLayout.Lines
    )
        -> (rates: [String], steps: [String]?, comparison: [String]?, notes: [String])
    {
        let rows = strategy.levelRows
        // A sequence indented below its rep.
        func label(_ row: Int) -> String {
            switch rows.positions[row].kind {
            case .sequence: return "  " + rows.name(at: row).name
            case .team: return ReportCells.teamLabel
            case .rep: return rows.name(at: row).name
            }
        }
        let width = max(16, rows.indices.map { label($0).count }.max() ?? 0) + 2
        bands.append(bandHeader(width))
        let unsubscribes = report.showsUnsubscribes
        let rateColumns = rateColumns(unsubscribes: unsubscribes)
        var rates = rateHeader(rateColumns, width)
        let steps = ReportCells.usedSteps(strategy)
        var stepLines = steps > 1 ? [stepHeader(steps, width)] : nil
        var comparison = strategy.team.vsBaseline != nil ? [comparisonHeader(width)] : nil
        var notes: (reps: [String], sequences: [String], team: [String]) = ([], [], [])
        for (row, entry) in rows.enumerated() {
            let (label, level) = (label(row), entry.level)
            bands.append(bandLine(label, level, width))
            rates.append(rateLine(label, level, rateColumns, unsubscribes: unsubscribes, width))
            stepLines?.append(stepLine(label, level, steps, width))
            if let line = comparisonLine(label, level, width) { comparison?.append(line) }
            if let note = note(level) {
                switch entry.kind {
                case .rep: notes.reps.append(note)
                case .sequence: notes.sequences.append(note)
                case .team: notes.team.append(note)
                }
            }
        }
        return (rates, stepLines, comparison, notes.reps + notes.sequences + notes.team)
    }

    private func bandHeader(_ width: Int) -> String {
        TextLayout.left("P(band), %", width) + report.bandOrder.map { TextLayout.left($0, Self.bandCell) }.joined()
            + "most likely"
    }

    private static let bandCell = 13

    private func bandLine(_ label: String, _ level: LevelReport, _ width: Int) -> String {
        var line = TextLayout.left(label, width)
        for band in report.bandOrder {
            let probability = ReportCells.band(level, band)
            line += TextLayout.left(probability.value + (probability.error.map { " ±" + $0 } ?? ""), Self.bandCell)
        }
        return line + ReportCells.mostLikely(level)
    }

    private typealias Column = (title: String, subtitle: String, width: Int)

    private func rateColumns(unsubscribes: Bool) -> [Column] {
        [
            ("score", "mean p5–p95", 16), ("reply rate", "p50    p5–p95", 20), ("bounce rate", "p50    p5–p95", 20),
        ]
            + (unsubscribes ? [("unsubscribe", "p50    p5–p95", 20)] : [])
            + [
                ("reply vs target", "below / in / above", 20), ("bounce", "in target", 11),
                ("completed", "p50   p5–p95", 18), ("eligible", "", 8),
            ]
    }

    private func rateHeader(_ columns: [Column], _ width: Int) -> [String] {
        [
            TextLayout.left("", width) + columns.map { TextLayout.left($0.title, $0.width) }.joined(),
            TextLayout.left("", width) + columns.map { TextLayout.left($0.subtitle, $0.width) }.joined(),
        ]
    }

    private func rateLine(
        _ label: String,
        _ level: LevelReport,
        _ columns: [Column],
        unsubscribes: Bool,
        _ width: Int
    ) -> String {
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
        return TextLayout.left(label, width) + zip(cells, columns).map { TextLayout.left($0, $1.width) }.joined()
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

    /// Why a level earns no reply points in some trials, or nil.
    private func note(_ level: LevelReport) -> String? {
        guard level.pNoDelivered > 0 else { return nil }
        let who = level.rep.map { "\($0)/\(level.name)" } ?? level.name
        return "note: \(who) had nothing delivered in \(Format.percent(level.pNoDelivered, digits: 2)) of trials, "
            + "which earn no reply points"
    }

    /// Share of each step in the replies, and replies per trial.
    private func stepHeader(_ steps: Int, _ width: Int) -> String {
        TextLayout.left("replies by step", width) + (1...steps).map { TextLayout.left("step \($0)", 9) }.joined()
            + "replies per trial"
    }

    private func stepLine(_ label: String, _ level: LevelReport, _ steps: Int, _ width: Int) -> String {
        let shares = ReportCells.stepShares(level, steps: steps)
        return TextLayout.left(label, width) + shares.map { TextLayout.left($0, 9) }.joined()
            + Format.fixed(level.repliesByStep.reduce(0, +))
    }

    private static let comparisonColumns = [
        ("better", 8), ("worse", 8), (ReportCells.meanHeader, 22), (ReportCells.spreadHeader, 16),
        ("Δ eligible", 12), ("Δ reply in / above target", 27), ("Δ bounce in target", 20), ("Δ completed", 13),
        (ReportCells.completedSpreadHeader, 18),
    ]

    private func comparisonHeader(_ width: Int) -> String {
        TextLayout.left("vs baseline", width) + Self.comparisonColumns.map { TextLayout.left($0.0, $0.1) }.joined()
    }

    private func comparisonLine(_ label: String, _ level: LevelReport, _ width: Int) -> String? {
        guard let change = level.vsBaseline else { return nil }
        let score = ReportCells.change(change.scoreChange)
        let cells = [
            Format.percent(change.pImproves), Format.percent(change.pWorsens), score,
            ReportCells.spread(change.scoreChange),
            Format.signedPoints(change.pEligibleChange.mean), ReportCells.replyTargetChange(change),
            Format.signedPoints(change.pBounceInTargetChange.mean), Format.signed(change.completedChange.mean),
            ReportCells.spread(change.completedChange),
        ]
        return TextLayout.left(label, width)
            + zip(cells, Self.comparisonColumns).map { TextLayout.left($0, $1.1) }.joined()
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
