/// The Markdown format of a run's report: tables for wikis and pull requests.
public struct MarkdownReport {
    public let report: RunReport

    public init(_ report: RunReport) {
        self.report = report
    }

    /// The whole document, as one string.
    public func render() -> String { TextPieces.document(write(into:)) }

    /// Writes the document through `write`, in pieces of about 64 KB (`TextPieces`): each
    /// strategy's band table goes out as its levels' reports are built, and only its other tables'
    /// lines wait for the end of the pass (each level's report is built once, `StrategyRows`).
    public func write(to write: (String) throws -> Void) throws {
        try TextPieces.write(to: write, self.write(into:))
    }

    private func write(into page: inout TextPieces) {
        func add(_ line: String) {
            page += line
            page += "\n"
        }
        func add(_ lines: [String]) { for line in lines { add(line) } }
        add(["# \(Self.markdownText(report.scenario))", ""])
        add(
            "Rules: **\(Self.markdownText(report.rules))** (\(Self.markdownText(report.rulesOrigin)))"
                + (report.rulesNote.map { ": " + Self.markdownText($0) } ?? "") + "."
        )
        for irregularity in report.rulesIrregularities ?? [] {
            add(["", "> **Analysed as written:** " + Self.markdownText(irregularity), ""])
        }
        add(
            "\(Format.count(report.trials)) trials, seed \(report.seed), generator \(Self.markdownText(report.generator)); ± is one Monte Carlo standard error."
        )
        for wording in [report.estimatorWording, report.precisionWording].compactMap({ $0 }) {
            add(["", Self.markdownText(wording.prefix(1).uppercased() + wording.dropFirst()) + "."])
        }
        if let timeline = report.timeline {
            let text = TimelineCells.lastWindow(timeline)
            add(["", Self.markdownText(text.prefix(1).uppercased() + text.dropFirst()) + "."])
        }
        let band = RuleSet.targetBand(among: report.bandOrder)
        if report.strategies.count > 1, let band {
            let (header, rows) = ReportCells.glance(report, band: band)
            add(["", "## Strategies at a glance (\(Self.markdownText(band)) or better)", ""])
            add("| " + header.map(Self.markdownText).joined(separator: " | ") + " |")
            add("|---|" + String(repeating: "---:|", count: header.count - 1))
            add(rows.map { "| " + $0.map(Self.markdownText).joined(separator: " | ") + " |" })
        }
        for strategy in report.strategies {
            add("")
            add("## \(Self.markdownText(strategy.name))" + (strategy.costWording.map { " (\($0))" } ?? ""))
            if !strategy.interventions.isEmpty {
                add("")
                add(strategy.interventions.map { "- " + Self.markdownText($0) })
            }
            // Four tables, each level's report built once (`StrategyRows`): the band table is
            // written as it goes, the others after it.
            add([
                "",
                "| | " + report.bandOrder.map(Self.markdownText).joined(separator: " | ") + " | most likely |",
                "|---|" + String(repeating: "---:|", count: report.bandOrder.count) + "---|",
            ])
            let unsubscribes = report.showsUnsubscribes
            var rates = [
                "| | score mean (p5–p95) | reply rate p50 (p5–p95) | bounce rate p50 (p5–p95) | "
                    + (unsubscribes ? "unsubscribe rate p50 (p5–p95) | " : "")
                    + "reply below / in / above target | P(bounce in target) | completed p50 | P(eligible) |",
                "|---|---:|---:|---:|" + (unsubscribes ? "---:|" : "") + "---:|---:|---:|---:|",
            ]
            let steps = ReportCells.usedSteps(strategy)
            var stepLines =
                steps > 1
                ? [
                    "| replies by step | " + (1...steps).map { "email \($0)" }.joined(separator: " | ")
                        + " | replies per trial |",
                    "|---|" + String(repeating: "---:|", count: steps + 1),
                ] : nil
            var comparison =
                strategy.team.vsBaseline != nil
                ? [
                    "| vs baseline | better band | worse band | \(ReportCells.meanHeader) | \(ReportCells.spreadHeader) | Δ P(eligible) | Δ P(reply in / above target) | Δ P(bounce in target) | Δ completed | \(ReportCells.completedSpreadHeader) |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                ] : nil
            for (label, level) in Self.labelledRows(strategy) {
                let cells = report.bandOrder.map { band -> String in
                    let cell = ReportCells.band(level, band)
                    return Self.markdownText(cell.value) + (cell.error.map { " ± " + Self.markdownText($0) } ?? "")
                }
                add(
                    "| \(label) | " + cells.joined(separator: " | ")
                        + " | \(Self.markdownText(ReportCells.mostLikely(level))) |"
                )
                rates.append(
                    "| \(label) | \(ReportCells.score(level.score)) | \(Self.rate(level.replyRate)) | "
                        + "\(Self.rate(level.bounceRate)) | "
                        + (unsubscribes ? "\(Self.rate(level.unsubscribeRate)) | " : "")
                        + "\(ReportCells.replyTarget(level)) | \(Format.percent(level.pBounceInTarget, digits: 0)) | "
                        + "\(Format.fixed(level.completed.p50, digits: 0)) | \(Format.percent(level.pEligible, digits: 0)) |"
                )
                stepLines?.append(
                    "| \(label) | " + ReportCells.stepShares(level, steps: steps).joined(separator: " | ")
                        + " | \(Format.fixed(level.repliesByStep.reduce(0, +))) |"
                )
                if let change = level.vsBaseline {
                    let score = ReportCells.change(change.scoreChange)
                    comparison?.append(
                        "| \(label) | \(Format.percent(change.pImproves)) | \(Format.percent(change.pWorsens)) | \(score) | "
                            + "\(ReportCells.spread(change.scoreChange)) | "
                            + "\(Format.signedPoints(change.pEligibleChange.mean)) | \(ReportCells.replyTargetChange(change)) | "
                            + "\(Format.signedPoints(change.pBounceInTargetChange.mean)) | \(Format.signed(change.completedChange.mean)) | "
                            + "\(ReportCells.spread(change.completedChange)) |"
                    )
                }
            }
            if let band, let joint = ReportCells.repsAtLeast(strategy, band: band) {
                add(["", Self.markdownText(joint)])
            }
            add([""] + rates)
            if let stepLines { add([""] + stepLines) }
            if let comparison { add([""] + comparison) }
        }
        if let timeline = report.timeline, let band {
            add(["", "## Timeline", ""])
            add(TimelineCells.heading(timeline, band: band).map(Self.markdownText))
            for strategy in timeline.strategies {
                let (header, rows) = TimelineCells.table(timeline, strategy: strategy, band: band)
                // From the levels' names: each level's timeline is built once, for its cells.
                let levels = strategy.rows
                let labels = levels.indices.map { Self.label(levels.positions[$0].kind, levels.name(at: $0)) }
                add(["", "### \(Self.markdownText(strategy.name))", ""])
                add("| " + header.map(Self.markdownText).joined(separator: " | ") + " |")
                add("|---|" + String(repeating: "---:|", count: header.count - 1))
                add(
                    zip(labels, rows).map { label, row in
                        "| \(label) | " + row.dropFirst().map(Self.markdownText).joined(separator: " | ") + " |"
                    }
                )
            }
        }
        add("")
        add(
            Self.markdownText(
                "The team row pools every rep's enrollments; the CRM gives no team score. "
                    + ReportCells.overshootNote(report.assumptions.rules)
                    + (report.strategies.count > 1 ? " " + ReportCells.changeLegend : "")
            )
        )
    }

    /// The strategy's rows, labelled: reps in bold, a sequence after its rep's name, the team.
    static func labelledRows(_ strategy: StrategyReport) -> LazyMapSequence<StrategyRows, (String, LevelReport)> {
        strategy.levelRows.lazy.map { (label($0.kind, $0.level), $0.level) }
    }

    /// Reps in bold, a sequence after its rep's name, the team.
    private static func label(_ kind: Scorecard.Level, _ level: some ReportedLevel) -> String {
        switch kind {
        case .rep: return "**\(markdownText(level.name))**"
        case .team: return "**\(ReportCells.teamLabel)**"
        case .sequence: return "\(markdownText(level.rep ?? "")) / \(markdownText(level.name))"
        }
    }

    static func rate(_ stats: Stats) -> String {
        guard let p50 = stats.p50 else { return "–" }
        return "\(Format.percent(p50)) (\(Format.percent(stats.p5))–\(Format.percent(stats.p95)))"
    }

    /// `text` printable (`Format.printable`: no line it could forge) with the characters that
    /// would break a table cell or add emphasis escaped.
    static func markdownText(_ text: String) -> String {
        var escaped = ""
        for character in Format.printable(text) {
            if "|*_`[]<>\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
