/// Static checks of a rule set and the band of every (reply row, bounce row) cell.
public struct RuleSetAnalysis: Sendable, Hashable, Codable {
    /// One check with its verdict.
    public struct Check: Sendable, Hashable, Codable {
        public var name: String
        public var passed: Bool
        /// What was found: "always Excellent", or every problem, one per line.
        public var details: [String]
    }

    /// One cell of the band map.
    public struct Cell: Sendable, Hashable, Codable {
        public var points: Double
        public var band: String
    }

    public var checks: [Check]
    /// Labels of the reply-rate rows, from the highest rate down ("7% and up", "4–7%", …, and
    /// "no delivered" for zero delivered enrollments).
    public var replyRows: [String]
    /// Labels of the bounce-rate rows, from the lowest rate up.
    public var bounceRows: [String]
    /// `cells[replyRow][bounceRow]` in the order of the labels.
    public var cells: [[Cell]]

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    public init(_ rules: RuleSet) {
        var checks: [Check] = []
        let structure = rules.irregularities.map(\.description)
        let orderProblems = structure.filter { $0.contains("sorted") || $0.contains("gap") }
        checks.append(
            Check(name: "rows sorted, from 0, with no gaps", passed: orderProblems.isEmpty, details: orderProblems)
        )
        let monotoneProblems = structure.filter { $0.contains("monotone") }
        checks.append(
            Check(
                name: "points monotone (a higher reply rate never earns fewer points, a higher bounce rate never more)",
                passed: monotoneProblems.isEmpty,
                details: monotoneProblems
            )
        )

        // Reachable cells: any reply rate with any bounce rate below 100% (something is
        // delivered), and "no reply points" with a bounce rate of 100% (nothing delivered). Rates
        // below the first row (a gap, in a rule set read as-is) fall in the "no row" index.
        var deliveredBounceRows = rules.bounce.indices.filter { rules.bounce[$0].from < .one }
        if rules.bounce.first.map({ ExactDecimal.zero < $0.from }) ?? true {
            deliveredBounceRows.append(rules.bounce.count)
        }
        var anyReplyRows = Array(rules.reply.indices)
        if rules.reply.first.map({ ExactDecimal.zero < $0.from }) ?? true { anyReplyRows.append(rules.reply.count) }
        var reachable: Set<Int> = []
        for bounceRow in deliveredBounceRows {
            for replyRow in anyReplyRows {
                reachable.insert(rules.cellBands[rules.cellIndex(replyRow: replyRow, bounceRow: bounceRow)])
            }
        }
        let allBounced = RuleSet.row(in: rules.bounce, count: 1, denominator: 1)
        reachable.insert(rules.cellBands[rules.cellIndex(replyRow: rules.reply.count, bounceRow: allBounced)])
        let unreachable = rules.bands.indices.filter { !reachable.contains($0) }.map { rules.bands[$0] }
        checks.append(
            Check(
                name: "every band reachable",
                passed: unreachable.isEmpty,
                details: unreachable.isEmpty
                    ? ["reachable: " + rules.bandNames.joined(separator: ", ")]
                    : unreachable.map {
                        "band '\($0.name)' (from \($0.from) points) is never reached: no combination of rows adds up to it"
                    }
            )
        )

        // A rep inside both published targets should get the top band or the one below it.
        let top = rules.bands.count - 1
        var inTarget: Set<Int> = []
        var tooLow: [String] = []
        for replyRow in rules.reply.indices
        where Self.overlaps(
            rows: rules.reply,
            replyRow,
            low: rules.targets.replyLow,
            high: rules.targets.replyHigh,
            inclusiveHigh: true
        ) {
            for bounceRow in rules.bounce.indices where rules.bounce[bounceRow].from < rules.targets.bounceBelow {
                let cell = rules.cellIndex(replyRow: replyRow, bounceRow: bounceRow)
                inTarget.insert(rules.cellBands[cell])
                if rules.cellBands[cell] < rules.bands.count - 2 {
                    tooLow.append(
                        "reply \(Self.label(rules.reply, replyRow)) with bounce \(Self.label(rules.bounce, bounceRow)) "
                            + "earns \(rules.cellTotals[cell]) points: \(rules.bands[rules.cellBands[cell]].name)"
                    )
                }
            }
        }
        let targetText =
            "a rep inside both targets (reply \(Self.percent(rules.targets.replyLow))–\(Self.percent(rules.targets.replyHigh)), "
            + "bounce under \(Self.percent(rules.targets.bounceBelow))) gets \(rules.bands[top].name)"
            + (top > 0 ? " or \(rules.bands[top - 1].name)" : "")
        checks.append(
            Check(
                name: targetText,
                passed: tooLow.isEmpty && !inTarget.isEmpty,
                details: inTarget.isEmpty
                    ? ["no row combination lies inside both targets"]
                    : ["inside both targets: " + inTarget.sorted().map { rules.bands[$0].name }.joined(separator: ", ")]
                        + tooLow
            )
        )
        self.checks = checks

        // The map: reply rows from the highest down, then "no delivered"; bounce rows from the lowest.
        replyRows = rules.reply.indices.reversed().map { Self.label(rules.reply, $0) } + ["no delivered"]
        bounceRows = rules.bounce.indices.map { Self.label(rules.bounce, $0) }
        cells = (Array(rules.reply.indices.reversed()) + [rules.reply.count]).map { replyRow in
            rules.bounce.indices.map { bounceRow in
                let cell = rules.cellIndex(replyRow: replyRow, bounceRow: bounceRow)
                return Cell(points: rules.cellTotals[cell].doubleValue, band: rules.bands[rules.cellBands[cell]].name)
            }
        }
    }

    /// Whether row `index` (from its `from` up to the next row's) meets [low, high].
    static func overlaps(
        rows: [RuleSet.PointRow],
        _ index: Int,
        low: ExactDecimal,
        high: ExactDecimal,
        inclusiveHigh: Bool
    ) -> Bool {
        let start = rows[index].from
        let end = index + 1 < rows.count ? rows[index + 1].from : nil
        let startsInside = inclusiveHigh ? start <= high : start < high
        let endsAfterLow = end.map { low < $0 } ?? true
        return startsInside && endsAfterLow
    }

    /// "4–7%", "7% and up".
    static func label(_ rows: [RuleSet.PointRow], _ index: Int) -> String {
        let start = percent(rows[index].from)
        guard index + 1 < rows.count else { return "\(start) and up" }
        return "\(start)–\(percent(rows[index + 1].from))"
    }

    static func percent(_ value: ExactDecimal) -> String {
        Format.number(value.doubleValue * 100) + "%"
    }
}
