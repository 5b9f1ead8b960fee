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
        let reps = report.strategies.first?.reps.map(\.name) ?? []
        let shown = reps.count <= maximumReps ? reps : []
        let header = ["strategy", "cost", "reps at \(band)+"] + shown + ["Δ team score"]
        let rows = report.strategies.map { strategy -> [String] in
            let joint = strategy.repsAtLeast?[band].map {
                "\(Format.fixed($0.mean, digits: 2)) ±\(Format.fixed($0.stdErr, digits: 2))"
            }
            let perRep = shown.map { name in
                strategy.reps.first { $0.name == name }?.pAtLeast?[band].map { Format.percent($0) } ?? "–"
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
}
