/// Structural checks of a rule set as written.
///
/// A rule set is rejected when a check fails, unless the user asks to analyse it as-is; then only
/// `invalid` findings still reject it, because no rate or total could be looked up at all.
public enum RuleSetCheck {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public enum Severity: Sendable, Hashable {
            /// Unsorted rows, points that are not monotone, gaps: analysable as-is on request.
            case irregular
            /// Nothing sensible can be computed: an empty table, a duplicate row, a reserved name.
            case invalid
        }
        public var severity: Severity
        /// Where: `reply[2].points`, `bands`, `targets.reply`.
        public var keyPath: String
        public var message: String
        public var description: String { "\(keyPath): \(message)" }
    }

    /// Every problem in the rows as written, in reading order.
    public static func findings(
        reply: [RuleSet.PointRow],
        bounce: [RuleSet.PointRow],
        bands: [RuleSet.BandRow],
        targets: RuleSet.Targets,
        minimum: RuleSet.MinimumCompleted
    ) -> [Finding] {
        var findings: [Finding] = []
        findings += rateRows(reply, key: "reply", higherRateEarns: "more")
        findings += rateRows(bounce, key: "bounce", higherRateEarns: "fewer")
        findings += bandRows(bands, lowestTotal: lowestTotal(reply: reply, bounce: bounce))
        findings += targetChecks(targets)
        for (key, rows) in [("reply", reply), ("bounce", bounce)] {
            for (index, row) in rows.enumerated() where !(row.points.magnitude < ExactDecimal.halfLimit) {
                findings.append(
                    .init(
                        severity: .invalid,
                        keyPath: "\(key)[\(index)].points",
                        message: "\(row.points) points is too large; points must stay below 500,000,000 so totals fit"
                    )
                )
            }
        }
        if minimum.rep < 1 {
            findings.append(.init(severity: .invalid, keyPath: "minimumCompleted.rep", message: "must be at least 1"))
        }
        if minimum.sequence < 1 {
            findings.append(
                .init(severity: .invalid, keyPath: "minimumCompleted.sequence", message: "must be at least 1")
            )
        }
        return findings
    }

    private static func rateRows(
        _ rows: [RuleSet.PointRow],
        key: String,
        higherRateEarns direction: String
    ) -> [Finding] {
        guard !rows.isEmpty else {
            return [
                .init(severity: .invalid, keyPath: key, message: "needs at least one row, such as {from: 0, points: 0}")
            ]
        }
        var findings: [Finding] = []
        for (index, row) in rows.enumerated() where row.from < .zero || ExactDecimal.one < row.from {
            var message = "from \(row.from) is outside 0 to 1; rates are fractions"
            if let percent = ExactDecimal(parsing: "\(row.from)%"), percent <= .one, .zero <= row.from {
                message += " (did you mean \(percent), that is \(row.from)%?)"
            }
            findings.append(.init(severity: .invalid, keyPath: "\(key)[\(index)].from", message: message))
        }
        findings += order(
            rows.map(\.from),
            key: key,
            noun: "rows",
            name: { "\(key)[\($0)]" },
            describe: { "\(rows[$0].from)" }
        )
        let sorted = rows.sorted { $0.from < $1.from }
        if let first = sorted.first, ExactDecimal.zero < first.from {
            findings.append(
                .init(
                    severity: .irregular,
                    keyPath: key,
                    message: "rates below \(first.from) have no row (a gap); add a row from 0"
                )
            )
        }
        for index in sorted.indices.dropFirst() {
            let lower = sorted[index - 1]
            let higher = sorted[index]
            let monotone = direction == "more" ? lower.points <= higher.points : higher.points <= lower.points
            if !monotone, let written = rows.firstIndex(of: higher) {
                findings.append(
                    .init(
                        severity: .irregular,
                        keyPath: "\(key)[\(written)].points",
                        message: "not monotone: a \(key) rate from \(higher.from) earns \(higher.points) points, "
                            + "but from \(lower.from) it earns \(lower.points); a higher \(key) rate must never earn "
                            + (direction == "more" ? "fewer" : "more") + " points"
                    )
                )
            }
        }
        return findings
    }

    /// Duplicate starts (invalid) and unsorted starts (irregular) in a table's `from` column.
    private static func order(
        _ starts: [ExactDecimal],
        key: String,
        noun: String,
        name: (Int) -> String,
        describe: (Int) -> String
    ) -> [Finding] {
        var findings: [Finding] = []
        for index in starts.indices.dropFirst() where starts[index] <= starts[index - 1] {
            let duplicate = starts[index] == starts[index - 1]
            findings.append(
                .init(
                    severity: duplicate ? .invalid : .irregular,
                    keyPath: "\(key)[\(index)].from",
                    message: duplicate
                        ? "two \(noun) start at \(starts[index]) (\(name(index - 1)) and \(name(index)))"
                        : "\(noun) must be sorted by 'from': \(describe(index)) comes after \(describe(index - 1))"
                )
            )
        }
        return findings
    }

    /// The smallest total any (reply, bounce) combination reaches, counting "no reply points".
    private static func lowestTotal(reply: [RuleSet.PointRow], bounce: [RuleSet.PointRow]) -> ExactDecimal? {
        guard let lowestBounce = bounce.map(\.points).min(), let lowestReply = reply.map(\.points).min() else {
            return nil
        }
        return min(lowestReply, .zero) + lowestBounce
    }

    private static func bandRows(_ bands: [RuleSet.BandRow], lowestTotal: ExactDecimal?) -> [Finding] {
        guard !bands.isEmpty else {
            return [
                .init(
                    severity: .invalid,
                    keyPath: "bands",
                    message: "needs at least one band, such as {from: 0, name: Low}"
                )
            ]
        }
        var findings: [Finding] = []
        var seen: [String: Int] = [:]
        for (index, band) in bands.enumerated() {
            if Name.key(band.name) == Name.key(RuleSet.ineligible) {
                findings.append(
                    .init(
                        severity: .invalid,
                        keyPath: "bands[\(index)].name",
                        message:
                            "'\(RuleSet.ineligible)' is reserved for reps below the minimum of completed enrollments"
                    )
                )
            }
            if let earlier = seen[Name.key(band.name)] {
                findings.append(
                    .init(
                        severity: .invalid,
                        keyPath: "bands[\(index)].name",
                        message:
                            "band name \(Format.quoted(band.name)) is used twice (bands[\(earlier)] and bands[\(index)])"
                    )
                )
            }
            seen[Name.key(band.name)] = index
        }
        findings += order(
            bands.map(\.from),
            key: "bands",
            noun: "bands",
            name: { bands[$0].name },
            describe: { "\(bands[$0].name) from \(bands[$0].from)" }
        )
        if let lowestTotal, let first = bands.map(\.from).min(), lowestTotal < first {
            findings.append(
                .init(
                    severity: .irregular,
                    keyPath: "bands",
                    message:
                        "point totals from \(lowestTotal) up to \(first) have no band (a gap); start the lowest band at \(lowestTotal) or below"
                )
            )
        }
        return findings
    }

    private static func targetChecks(_ targets: RuleSet.Targets) -> [Finding] {
        var findings: [Finding] = []
        let unit = ExactDecimal.zero...ExactDecimal.one
        if !unit.contains(targets.replyLow) || !unit.contains(targets.replyHigh) || targets.replyHigh < targets.replyLow
        {
            findings.append(
                .init(
                    severity: .invalid,
                    keyPath: "targets.reply",
                    message:
                        "expected [low, high] with 0 <= low <= high <= 1, found [\(targets.replyLow), \(targets.replyHigh)]"
                )
            )
        }
        if !unit.contains(targets.bounceBelow) {
            findings.append(
                .init(
                    severity: .invalid,
                    keyPath: "targets.bounce",
                    message: "expected a rate from 0 to 1, found \(targets.bounceBelow)"
                )
            )
        }
        return findings
    }
}
