/// The CSV and Markdown formats of `senderscore run`.
extension RunReport {
    /// Tidy CSV for spreadsheets: one row per strategy × level × name × band.
    public func csv() -> String {
        var lines = ["strategy,level,rep,name,band,probability,std_err"]
        for strategy in strategies {
            for (kind, level) in Self.levels(strategy) {
                for band in bandOrder {
                    let fields = [
                        strategy.name, kind, level.rep ?? "", level.name, band,
                        Self.number(level.bands[band] ?? 0), Self.number(level.bandStdErr[band] ?? 0),
                    ]
                    lines.append(fields.map(CSVField.escaped).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown tables for wikis and pull requests.
    public func markdown() -> String {
        var out: [String] = ["# \(Self.markdownText(scenario))", ""]
        out.append(
            "Rules: **\(Self.markdownText(rules))** (\(Self.markdownText(rulesOrigin)))"
                + (rulesNote.map { ": " + Self.markdownText($0) } ?? "") + "."
        )
        for irregularity in rulesIrregularities ?? [] {
            out += ["", "> **Analysed as written:** " + Self.markdownText(irregularity), ""]
        }
        out.append(
            "\(Format.count(trials)) trials, seed \(seed), generator \(generator); ± is one Monte Carlo standard error."
        )
        for strategy in strategies {
            out.append("")
            out.append(
                "## \(Self.markdownText(strategy.name))" + (strategy.cost.map { " (cost \(Format.number($0)))" } ?? "")
            )
            if !strategy.interventions.isEmpty {
                out.append("")
                out += strategy.interventions.map { "- " + Self.markdownText($0) }
            }
            out.append("")
            out.append("| | " + bandOrder.map(Self.markdownText).joined(separator: " | ") + " | most likely |")
            out.append("|---|" + String(repeating: "---:|", count: bandOrder.count) + "---|")
            for (label, level) in Self.rows(strategy) {
                let cells = bandOrder.map { band -> String in
                    let cell = TextReport.bandCell(level, band)
                    return Self.markdownText(cell.value) + (cell.error.map { " ± " + Self.markdownText($0) } ?? "")
                }
                out.append(
                    "| \(label) | " + cells.joined(separator: " | ") + " | \(Self.markdownText(level.mostLikelyBand)) |"
                )
            }
            out.append("")
            out.append(
                "| | score mean (p5–p95) | reply rate p50 (p5–p95) | bounce rate p50 (p5–p95) | P(reply in target) | P(bounce in target) | completed p50 | P(eligible) |"
            )
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
            for (label, level) in Self.rows(strategy) {
                let score =
                    level.score.mean.map {
                        "\(Format.fixed($0)) (\(Format.fixed(level.score.p5, digits: 0))–\(Format.fixed(level.score.p95, digits: 0)))"
                    } ?? "–"
                out.append(
                    "| \(label) | \(score) | \(Self.rate(level.replyRate)) | \(Self.rate(level.bounceRate)) | "
                        + "\(Format.percent(level.pReplyInTarget, digits: 0)) | \(Format.percent(level.pBounceInTarget, digits: 0)) | "
                        + "\(Format.fixed(level.completed.p50, digits: 0)) | \(Format.percent(level.pEligible, digits: 0)) |"
                )
            }
            if strategy.team.vsBaseline != nil {
                out.append("")
                out.append(
                    "| vs baseline | better band | worse band | Δ score [95%] | Δ P(eligible) | Δ P(reply in target) | Δ P(bounce in target) | Δ completed |"
                )
                out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
                for (label, level) in Self.rows(strategy) {
                    guard let change = level.vsBaseline else { continue }
                    let score =
                        change.scoreChange.mean == nil
                        ? "–"
                        : "\(Format.signed(change.scoreChange.mean)) [\(Format.signed(change.scoreChange.low95)), \(Format.signed(change.scoreChange.high95))]"
                    out.append(
                        "| \(label) | \(Format.percent(change.pImproves)) | \(Format.percent(change.pWorsens)) | \(score) | "
                            + "\(Format.signedPoints(change.pEligibleChange.mean)) | \(Format.signedPoints(change.pReplyInTargetChange.mean)) | "
                            + "\(Format.signedPoints(change.pBounceInTargetChange.mean)) | \(Format.signed(change.completedChange.mean)) |"
                    )
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Every level with its kind: reps, sequences, team.
    static func levels(_ strategy: StrategyReport) -> [(String, LevelReport)] {
        strategy.reps.map { ("rep", $0) } + strategy.sequences.map { ("sequence", $0) } + [("team", strategy.team)]
    }

    /// Reps with their sequences after them, then the team, labelled for Markdown.
    static func rows(_ strategy: StrategyReport) -> [(String, LevelReport)] {
        var rows: [(String, LevelReport)] = []
        for rep in strategy.reps {
            rows.append(("**\(markdownText(rep.name))**", rep))
            for sequence in strategy.sequences where sequence.rep == rep.name {
                rows.append(("\(markdownText(rep.name)) / \(markdownText(sequence.name))", sequence))
            }
        }
        rows.append(("**team**", strategy.team))
        return rows
    }

    static func rate(_ stats: Stats) -> String {
        guard let p50 = stats.p50 else { return "–" }
        return "\(Format.percent(p50)) (\(Format.percent(stats.p5))–\(Format.percent(stats.p95)))"
    }

    static func number(_ value: Double) -> String {
        "\(value)"
    }

    /// Escapes the characters that would break a table cell or add emphasis.
    static func markdownText(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "|*_`[]<>\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
