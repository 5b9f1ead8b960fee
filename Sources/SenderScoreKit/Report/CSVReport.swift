/// The CSV format of a run's report, tidy for spreadsheets: one row per strategy, level, name
/// and band, the reps first, then the sequences, then the team.
public struct CSVReport {
    public let report: RunReport

    public init(_ report: RunReport) {
        self.report = report
    }

    public func render() -> String {
        var lines = ["strategy,level,rep,name,band,probability,std_err"]
        for strategy in report.strategies {
            let rows = strategy.rows
            for kind in Scorecard.Level.allCases {
                for row in rows where row.kind == kind {
                    let level = row.level
                    for band in report.bandOrder {
                        let fields = [
                            strategy.name, kind.rawValue, level.rep ?? "", level.name, band,
                            "\(level.bands[band] ?? 0)", "\(level.bandStdErr[band] ?? 0)",
                        ]
                        lines.append(fields.map(CSVField.escaped).joined(separator: ","))
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
