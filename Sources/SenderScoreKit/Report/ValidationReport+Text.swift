import Foundation

extension ValidationReport {
    /// The text format: checks, the band map, golden cases, stability, comparison.
    public func text() -> String {
        var lines: [String] = []
        let header = "Rule set \(rules) (\(rulesOrigin))" + (rulesNote.map { ": \($0)" } ?? "")
        lines += TextLayout.wrap(header, width: 100, indent: "  ")
        lines.append("")
        lines.append("Checks")
        for check in analysis.checks {
            lines.append((check.passed ? "  ok    " : "  FAIL  ") + check.name)
            for detail in check.details {
                lines += TextLayout.wrap(detail, width: 100, indent: "  ").map { "        " + $0 }
            }
        }
        lines.append("")
        lines.append("Band of every rate cell (points and band)")
        let width = max(16, (analysis.replyRows.map(\.count).max() ?? 0) + 2)
        let cellWidth = max(
            14,
            (analysis.cells.flatMap { $0 }.map { "\(Format.number($0.points)) \($0.band)".count }.max() ?? 0) + 2
        )
        lines.append(
            TextLayout.left("reply \\ bounce", width)
                + analysis.bounceRows.map { TextLayout.left($0, cellWidth) }.joined()
        )
        for (label, row) in zip(analysis.replyRows, analysis.cells) {
            lines.append(
                TextLayout.left(label, width)
                    + row.map { TextLayout.left("\(Format.number($0.points)) \($0.band)", cellWidth) }.joined()
            )
        }
        if let goldenCases {
            lines.append("")
            lines.append(
                "Golden cases (\(goldenCases.file)): \(goldenCases.cases) cases, "
                    + (goldenCases.passed ? "all agree" : "\(goldenCases.disagreements.count) disagree")
            )
            for disagreement in goldenCases.disagreements {
                lines.append(
                    "  \(goldenCases.file):\(disagreement.line): expected \(disagreement.expected), got \(disagreement.actual)"
                )
                lines += TextLayout.wrap(disagreement.explanation, width: 96, indent: "").map { "      " + $0 }
            }
        }
        if let stability { lines += stabilityText(stability) }
        if let minimumVolume {
            lines.append("")
            let pair =
                "reply \(Format.percent(minimumVolume.reply, digits: 2)), bounce \(Format.percent(minimumVolume.bounce, digits: 2))"
            if let volume = minimumVolume.volume {
                lines.append(
                    "At \(pair) (true band \(minimumVolume.trueBand)) the observed band agrees at least "
                        + "\(Format.percent(stability?.target ?? 0.9, digits: 0)) of the time from \(Format.count(volume)) completed enrollments on."
                )
            } else {
                lines.append(
                    "At \(pair) (true band \(minimumVolume.trueBand)) agreement never stays at 90%: \(minimumVolume.note ?? "")"
                )
            }
            let samples = minimumVolume.agreement.filter {
                [100, 150, 250, 500, 1000, 2500, 5000, 10_000, 100_000].contains($0.volume)
            }
            lines.append(
                "  "
                    + samples.map { "\(Format.count($0.volume)): \(Format.percent($0.agreement))" }.joined(
                        separator: " · "
                    )
            )
        }
        lines.append("")
        lines.append(
            passed
                ? "Result: the rule set passes every check." : "Result: the rule set fails \(failures) (exit code 1)."
        )
        return TextLayout.document(lines)
    }

    private var failures: String {
        var parts: [String] = []
        let failed = analysis.checks.filter { !$0.passed }.count
        if failed > 0 { parts.append("\(failed) check\(failed == 1 ? "" : "s")") }
        if let goldenCases, !goldenCases.passed {
            parts.append(
                "\(goldenCases.disagreements.count) golden case\(goldenCases.disagreements.count == 1 ? "" : "s")"
            )
        }
        return parts.joined(separator: " and ")
    }

    private func stabilityText(_ stability: StabilityAnalysis) -> [String] {
        var lines = [""]
        lines.append(
            "Band stability: P(observed band = band of the true rates), \(stability.method), \(stability.level) level"
        )
        lines.append(
            "grid: reply \(Self.range(stability.replyRates, digits: Self.digits(stability.replyRates))) × bounce "
                + "\(Self.range(stability.bounceRates, digits: Self.digits(stability.bounceRates))) = "
                + "\(stability.cells.count) true rate pairs, each weighted equally"
        )
        let target = Format.percent(stability.target, digits: 0)
        lines.append(
            TextLayout.left("completed", 12) + TextLayout.left("mean agreement", 17) + "rate pairs at \(target) or more"
        )
        for summary in stability.perVolume {
            lines.append(
                TextLayout.left(Format.count(summary.volume), 12)
                    + TextLayout.left(Format.percent(summary.meanAgreement), 17)
                    + Format.percent(summary.shareReachingTarget, digits: 0)
                    + (summary.belowMinimum ? "   (below the minimum of \(stability.minimum): always Ineligible)" : "")
            )
        }
        let replyDigits = Self.digits(stability.replyRates)
        let bounceDigits = Self.digits(stability.bounceRates)
        let labelWidth = 6 + replyDigits
        let cellWidth = max(5, 5 + bounceDigits)
        /// A grid titled `title`: a row per true reply rate (highest first), a column per bounce rate.
        func grid(_ title: String, _ cell: (StabilityAnalysis.Cell) -> String) {
            lines.append("")
            lines.append(title)
            lines.append(
                TextLayout.left("", labelWidth)
                    + stability.bounceRates.map { TextLayout.left(Format.percent($0, digits: bounceDigits), cellWidth) }
                    .joined()
            )
            for reply in stability.replyRates.reversed() {
                let row = stability.cells.filter { $0.reply == reply }
                lines.append(
                    TextLayout.left(Format.percent(reply, digits: replyDigits), labelWidth)
                        + row.map { TextLayout.left(cell($0), cellWidth) }.joined()
                )
            }
        }
        if let first = stability.perVolume.first(where: { !$0.belowMinimum }),
            let index = stability.perVolume.firstIndex(of: first)
        {
            grid(
                "Agreement (%) at \(Format.count(first.volume)) completed; rows: true reply rate, columns: true bounce rate"
            ) {
                String(Int(($0.agreement[index] * 100).rounded(.down)))
            }
            grid(
                "Smallest volume listed from which the band is right \(target) of the time ('–': not within \(Format.count(stability.volumes.last ?? 0)))"
            ) {
                $0.volumeReachingTarget.map { Format.count($0) } ?? "–"
            }
            for summary in stability.perVolume where !summary.belowMinimum {
                lines.append("")
                lines.append("Observed band by true band at \(Format.count(summary.volume)) completed (% of outcomes)")
                lines.append(
                    TextLayout.left("true \\ observed", 18)
                        + stability.bandOrder.map { TextLayout.left($0, 12) }.joined()
                )
                for (band, row) in zip(stability.bandOrder, summary.confusion) where !row.isEmpty {
                    lines.append(
                        TextLayout.left(band, 18) + row.map { TextLayout.left(Format.points($0), 12) }.joined()
                    )
                }
            }
        }
        if let against = stability.against, let disagreement = stability.meanDisagreement {
            lines.append("")
            lines.append("Against \(against) (bands matched \(stability.bandMatching ?? "")):")
            lines.append(
                "  the true rates get different bands in \(Format.percent(stability.trueRateDisagreement)) of the grid;"
            )
            lines.append("  on the same synthetic outcomes the two disagree in, on average over the grid:")
            for (volume, share) in zip(stability.volumes, disagreement) {
                lines.append("    \(TextLayout.left(Format.count(volume) + " completed", 18))\(Format.percent(share))")
            }
            let worst = stability.cells.sorted { ($0.disagreement?[0] ?? 0) > ($1.disagreement?[0] ?? 0) }
                .prefix(10).filter { ($0.disagreement?[0] ?? 0) > 0.001 }
            if !worst.isEmpty {
                lines.append("  where they disagree most at \(Format.count(stability.volumes[0])) completed:")
                for cell in worst {
                    lines.append(
                        "    reply \(Format.percent(cell.reply, digits: replyDigits)), bounce \(Format.percent(cell.bounce, digits: bounceDigits)): "
                            + "\(Format.percent(cell.disagreement?[0])) (true bands \(cell.trueBand) and \(cell.otherTrueBand ?? "?"))"
                    )
                }
            }
        }
        return lines
    }

    /// Decimals needed to print every rate of a grid in percent: 0 for 1%, 5%; 1 for 7.5%.
    static func digits(_ rates: [Double]) -> Int {
        for digits in 0...3
        where rates.allSatisfy({
            abs(($0 * 100 * pow(10, Double(digits))).rounded() - $0 * 100 * pow(10, Double(digits))) < 1e-6
        }) {
            return digits
        }
        return 3
    }

    static func range(_ values: [Double], digits: Int) -> String {
        guard let first = values.first, let last = values.last else { return "–" }
        return
            "\(Format.percent(first, digits: digits))–\(Format.percent(last, digits: digits)) (\(values.count) rates)"
    }
}
