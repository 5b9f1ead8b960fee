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

    /// A mean change with its 95% interval: "+4.1 [+3.9, +4.3]"; "–" without trials.
    static func change(_ change: Change) -> String {
        guard change.mean != nil else { return "–" }
        return Format.signed(change.mean) + " [" + Format.signed(change.low95) + ", " + Format.signed(change.high95)
            + "]"
    }
}
