/// The CSV format of a run's report, tidy for spreadsheets: one row per strategy, level, name
/// and band, the reps first, then the sequences, then the team; a strategy's rows also carry the
/// level's paired score and volume changes (mean, 95% interval of the mean, p5 and p95).
public struct CSVReport {
    public let report: RunReport

    public init(_ report: RunReport) {
        self.report = report
    }

    public func render() -> String {
        var lines = [
            "strategy,level,rep,name,band,probability,std_err,"
                + "score_change,score_change_low95,score_change_high95,score_change_p5,score_change_p95,"
                + "completed_change,completed_change_p5,completed_change_p95"
        ]
        for strategy in report.strategies {
            let rows = strategy.rows
            for kind in Scorecard.Level.allCases {
                for row in rows where row.kind == kind {
                    let level = row.level
                    // A strategy's paired changes, on every band row of the level (empty for the
                    // baseline): the mean with its 95% interval, and the spread across trials.
                    let changes =
                        level.vsBaseline.map { change -> [Double?] in
                            let score = change.scoreChange
                            let completed = change.completedChange
                            return [
                                score.mean, score.low95, score.high95, score.p5, score.p95,
                                completed.mean, completed.p5, completed.p95,
                            ]
                        } ?? Array(repeating: nil, count: 8)
                    for band in report.bandOrder {
                        let fields =
                            [
                                strategy.name, kind.rawValue, level.rep ?? "", level.name, band,
                                "\(level.bands[band] ?? 0)", "\(level.bandStdErr[band] ?? 0)",
                            ] + changes.map { $0.map { "\($0)" } ?? "" }
                        lines.append(fields.map(CSVField.escaped).joined(separator: ","))
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
