/// The CSV format of a run's report, tidy for spreadsheets: one row per strategy, level, name
/// and band, the reps first, then the sequences, then the team; a strategy's rows also carry the
/// level's paired score and volume changes (mean, 95% interval of the mean, p5 and p95).
///
/// With a timeline, each level and band has a row per period, with the columns of
/// `timelineColumns` after those; the paired changes, which are of the last window, fill the
/// last period's rows only.
public struct CSVReport {
    public let report: RunReport

    public init(_ report: RunReport) {
        self.report = report
    }

    public func render() -> String {
        var text = ""
        write { text += $0 }
        return text
    }

    /// Writes the CSV through `write`, a level's rows at a time: a large team's table (tens of
    /// MB) is never held whole.
    public func write(to write: (String) throws -> Void) rethrows {
        try write(
            "strategy,level,rep,name,band,probability,std_err,"
                + "score_change,score_change_low95,score_change_high95,score_change_p5,score_change_p95,"
                + "completed_change,completed_change_p5,completed_change_p95"
                + (report.timeline == nil ? "" : "," + Self.timelineColumns.joined(separator: ",")) + "\n"
        )
        for (strategyIndex, strategy) in report.strategies.enumerated() {
            let rows = strategy.levelRows
            let timelineRows = report.timeline?.strategies[strategyIndex].rows
            for kind in Scorecard.Level.allCases {
                // Each level's report built once, when its row is written (`StrategyRows`).
                for rowIndex in rows.indices where rows.positions[rowIndex].kind == kind {
                    let level = rows[rowIndex].level
                    var lines: [String] = []
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
                    guard let timeline = report.timeline, let timelineRows else {
                        for band in report.bandOrder {
                            let fields =
                                [
                                    strategy.name, kind.rawValue, level.rep ?? "", level.name, band,
                                    "\(level.bands[band] ?? 0)", "\(level.bandStdErr[band] ?? 0)",
                                ] + changes.map { $0.map { "\($0)" } ?? "" }
                            lines.append(fields.map(CSVField.escaped).joined(separator: ","))
                        }
                        try write(lines.joined(separator: "\n") + "\n")
                        continue
                    }
                    let history = timelineRows[rowIndex].level
                    for period in 0..<timeline.periods {
                        let window = history.periods[period]
                        let isLast = period == timeline.periods - 1
                        for band in report.bandOrder {
                            let reach = history.reach[band]
                            let gained = history.periodsGained?[band]
                            let numbers: [Double?] = [
                                window.pAtLeast[band], window.pAtLeastStdErr[band],
                                reach?.byPeriod[period], reach?.pByPeriod[period],
                                window.score.p5, window.score.p50, window.score.p95, window.completed,
                                gained?.mean, gained?.stdErr,
                            ]
                            let fields =
                                [
                                    strategy.name, kind.rawValue, level.rep ?? "", level.name, band,
                                    "\(window.bands[band] ?? 0)", "\(window.bandStdErr[band] ?? 0)",
                                ]
                                + (isLast ? changes : Array(repeating: nil, count: changes.count)).map {
                                    $0.map { "\($0)" } ?? ""
                                }
                                + ["\(period + 1)", timeline.labels[period]] + numbers.map { $0.map { "\($0)" } ?? "" }
                            lines.append(fields.map(CSVField.escaped).joined(separator: ","))
                        }
                    }
                    try write(lines.joined(separator: "\n") + "\n")
                }
            }
        }
    }

    /// The columns a timeline adds: the period (from 1) and its label; P(band or better) and its
    /// standard error; P(the level first stays at the band or better from this period) and
    /// P(there to stay by this period); the window's score p5, p50 and p95 and mean completed;
    /// and for a strategy the periods gained on the baseline with its standard error.
    public static let timelineColumns = [
        "period", "period_label", "p_at_least", "p_at_least_std_err", "p_stays_from", "p_stays_by",
        "score_p5", "score_p50", "score_p95", "completed_mean", "periods_gained", "periods_gained_std_err",
    ]
}
