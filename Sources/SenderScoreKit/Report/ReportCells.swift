/// Table cells that several formats of a run's report share.
enum ReportCells {
    /// A band probability in percentage points and its standard error; no error when the
    /// probability is exactly 0 or 1, where it is 0.
    static func band(_ level: LevelReport, _ band: String) -> (value: String, error: String?) {
        let p = level.bands[band] ?? 0
        if p == 0 { return ("0", nil) }
        if p == 1 { return ("100", nil) }
        return (Format.smallPercent(p), Format.smallPercent(level.bandStdErr[band] ?? 0))
    }

    /// The mean score with its 5th and 95th percentiles: "63.2 (35–100)"; "–" with no eligible trial.
    static func score(_ score: Stats) -> String {
        guard let mean = score.mean else { return "–" }
        return "\(Format.fixed(mean)) (\(Format.fixed(score.p5, digits: 0))–\(Format.fixed(score.p95, digits: 0)))"
    }

    /// The joint outcome at `band`: "reps at Good or better: 1.62 ±0.01 · P(≥1) 99.9% · P(≥2) 80.1%";
    /// nil when the result does not hold it.
    static func repsAtLeast(_ strategy: StrategyReport, band: String) -> String? {
        guard let joint = strategy.repsAtLeast?[band] else { return nil }
        let shares = joint.pAtLeast.enumerated().dropFirst().map { "P(≥\($0.offset)) \(Format.percent($0.element))" }
        return
            "reps at \(band) or better: \(Format.fixed(joint.mean, digits: 2)) ±\(Format.fixed(joint.stdErr, digits: 2))"
            + (shares.isEmpty ? "" : " · " + shares.joined(separator: " · "))
    }

    /// The strategies side by side at `band`: name, cost, expected reps at the band or better,
    /// each rep's P(band or better) (up to `maximumReps` reps), and the team's mean score change.
    static func glance(
        _ report: RunReport,
        band: String,
        maximumReps: Int = 8
    )
        -> (header: [String], rows: [[String]])
    {
        let reps = report.strategies.first?.repLevels.names.map(\.name) ?? []
        let shown = reps.count <= maximumReps ? reps : []
        let header = ["strategy", "cost", "reps at \(band)+"] + shown + ["Δ team score"]
        let rows = report.strategies.map { strategy -> [String] in
            let joint = strategy.repsAtLeast?[band].map {
                "\(Format.fixed($0.mean, digits: 2)) ±\(Format.fixed($0.stdErr, digits: 2))"
            }
            let perRep = shown.map { name in
                strategy.repLevels.first { $0.name == name }?.pAtLeast?[band].map { Format.percent($0) } ?? "–"
            }
            return [strategy.name, strategy.cost.map(Format.number) ?? "–", joint ?? "–"] + perRep
                + [strategy.team.vsBaseline.map { change($0.scoreChange) } ?? "–"]
        }
        return (header, rows)
    }

    /// A mean change with its 95% interval: "+4.1 [+3.9, +4.3]"; "–" without trials.
    static func change(_ change: Change) -> String {
        guard change.mean != nil else { return "–" }
        return Format.signed(change.mean) + " [" + Format.signed(change.low95) + ", " + Format.signed(change.high95)
            + "]"
    }

    /// An intervention's effect with every parameter: "1.3; unsubscribe hazard × 2",
    /// "1.2 on core, warm; other segments dropped".
    static func effect(_ intervention: Assumptions.Intervention) -> String {
        var parts = [intervention.effect ?? "–"]
        if let hazard = intervention.unsubscribeHazard {
            parts = ["reply hazard × \(parts[0])", "unsubscribe hazard × \(hazard)"]
        }
        if let segments = intervention.segments {
            parts[0] += " on " + segments.joined(separator: ", ")
            if intervention.dropUnmatched == true { parts.append("other segments dropped") }
        }
        return parts.joined(separator: "; ")
    }

    /// The most likely band, or the bands tied with it within Monte Carlo error:
    /// "Excellent (57%)", "Fair or Good (tied, 37%)".
    static func mostLikely(_ level: LevelReport) -> String {
        let share = Format.percent(level.bands[level.mostLikelyBand], digits: 0)
        guard let ties = level.mostLikelyTies, ties.count > 1 else { return "\(level.mostLikelyBand) (\(share))" }
        return ties.joined(separator: " or ") + " (tied, \(share))"
    }

    /// Where the reply rate falls against the target's range: "12% / 65% / 23%" (below, in,
    /// above; trials without a reply rate in none); without the split (older results), the share
    /// in the target.
    static func replyTarget(_ level: LevelReport) -> String {
        guard let above = level.pReplyAboveTarget, let below = level.pReplyBelowTarget else {
            return Format.percent(level.pReplyInTarget, digits: 0)
        }
        return [below, level.pReplyInTarget, above].map { Format.percent($0, digits: 0) }.joined(separator: " / ")
    }

    /// Steps up to the last one with replies under this strategy (the JSON keeps them all).
    static func usedSteps(_ strategy: StrategyReport) -> Int {
        (strategy.team.repliesByStep.lastIndex { $0 > 0 } ?? 0) + 1
    }

    /// Each of the first `steps` emails' share of the level's replies: "50%", or "–" without any.
    static func stepShares(_ level: LevelReport, steps: Int) -> [String] {
        let total = level.repliesByStep.reduce(0, +)
        return (0..<steps).map { step in
            total > 0 && step < level.repliesByStep.count
                ? Format.percent(level.repliesByStep[step] / total, digits: 0) : "–"
        }
    }

    /// A row's label in a flat table: "ana", "ana / outbound", "team (pooled)".
    static func label(_ row: LevelRow<LevelReport>) -> String {
        switch row.kind {
        case .rep: return row.level.name
        case .sequence: return "\(row.level.rep ?? "") / \(row.level.name)"
        case .team: return teamLabel
        }
    }

    /// The team's row label: it pools every rep's enrollments, which the CRM does not score.
    static let teamLabel = "team (pooled)"

    /// The change of P(reply in target) and of P(above it): "+10.4 / +12.0 pts".
    static func replyTargetChange(_ change: Comparison) -> String {
        guard let above = change.pReplyAboveTargetChange else {
            return Format.signedPoints(change.pReplyInTargetChange.mean)
        }
        return Format.signed((change.pReplyInTargetChange.mean ?? 0) * 100) + " / "
            + Format.signedPoints(above.mean)
    }

    /// How the rule set scores a reply rate above its target's range, for the notes under a table.
    static func overshootNote(_ rules: Assumptions.Rules) -> String {
        let high = rules.replyTarget[1]
        let inTarget = rules.reply.filter { $0.from <= high && $0.from >= rules.replyTarget[0] }.map(\.points)
        let startRow = rules.reply.last { $0.from <= rules.replyTarget[0] }?.points
        let within = (inTarget + (startRow.map { [$0] } ?? [])).max() ?? 0
        let above = rules.reply.last { $0.from <= high }?.points ?? 0
        let rowsAbove = rules.reply.filter { $0.from > high }.map(\.points)
        let lowestAbove = ([above] + rowsAbove).min() ?? above
        let range = "\(Format.percent(rules.replyTarget[0], digits: 0))–\(Format.percent(high, digits: 0))"
        let verdict =
            lowestAbove >= within
            ? "scores it like one in the target (\(Format.number(lowestAbove)) points), so a reply rate that rises past "
                + "the target loses no points though it leaves \"in target\""
            : "scores it \(Format.number(lowestAbove)) points against \(Format.number(within)) in the target"
        return "Reply vs target: the share of trials below / in / above \(range) (a trial with nothing delivered "
            + "has no reply rate and is in none). HubSpot publishes no penalty for "
            + "a reply rate above \(Format.percent(high, digits: 0)); the rule set (a reconstruction) \(verdict)."
    }

    /// A change's spread across trials: "+10 to +55", or "–" where it was not recorded.
    static func spread(_ change: Change) -> String {
        guard let low = change.p5, let high = change.p95 else { return "–" }
        let digits = low == low.rounded() && high == high.rounded() ? 0 : 1
        return Format.signed(low, digits: digits) + " to " + Format.signed(high, digits: digits)
    }

    /// The column headers of a change's two views, and the sentence that tells them apart.
    static let meanHeader = "Δ score [95% CI]"
    static let spreadHeader = "Δ score p5–p95"
    static let completedSpreadHeader = "Δ completed p5–p95"
    static let changeLegend =
        "[95% CI] is the precision of the mean change (Monte Carlo error, shrinking with more trials); "
        + "p5–p95 is the spread of the change across trials: the range a rep may see next quarter."
}
