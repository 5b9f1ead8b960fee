/// The cells of a timeline's tables, shared by the text, Markdown and HTML formats: per
/// strategy, each level's P(band or better) at the end of the periods shown, and when it gets
/// there to stay.
enum TimelineCells {
    /// At most this many period columns; longer horizons show every k-th period and the last.
    static let columns = 13

    /// The periods (from 0) a table shows: all of them, or every k-th and the last.
    static func shown(_ timeline: TimelineReport) -> [Int] {
        let step = (timeline.periods + columns - 1) / columns
        return (0..<timeline.periods).filter { ($0 + 1) % step == 0 || $0 == timeline.periods - 1 }
    }

    /// What the rest of a report is of, when it has a timeline: its last window.
    static func lastWindow(_ timeline: TimelineReport) -> String {
        "timeline: the numbers are of the score window at the end of \(timeline.period) \(timeline.periods) "
            + "(\(timeline.windowWording)); the Timeline section follows every \(timeline.period)"
    }

    /// The sentence that opens a timeline's section.
    static func heading(_ timeline: TimelineReport, band: String) -> [String] {
        let from = timeline.start.map { " from \($0)" } ?? ""
        let shown = shown(timeline)
        var text =
            "Timeline: \(Format.count(timeline.periods)) \(timeline.period)\(timeline.periods == 1 ? "" : "s")\(from); "
            + "the score at the end of each \(timeline.period) counts \(timeline.windowWording). The tables give "
            + "P(\(band) or better) in %, then the first \(timeline.period) from which a level stays at \(band) or "
            + "better to the end (its median over trials), P(there to stay by the end) and, for a strategy, the "
            + "\(timeline.period)s it gains on the baseline, trial by trial."
        if shown.count < timeline.periods {
            text += " Every \(ordinal(shown[0] + 1)) \(timeline.period) is shown; JSON and CSV hold them all."
        }
        return [text]
    }

    private static func ordinal(_ n: Int) -> String {
        let suffix =
            (11...13).contains(n % 100) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th"
        return "\(n)\(suffix)"
    }

    /// The table of one strategy: a header and one row per level (a sequence's label indented).
    static func table(
        _ timeline: TimelineReport,
        strategy: TimelineStrategy,
        band: String
    ) -> (header: [String], rows: [[String]]) {
        let shown = shown(timeline)
        let unit = timeline.period
        var header = ["P(\(band)+), %"] + shown.map { "\(unit == "week" ? "wk" : "mo") \($0 + 1)" }
        header += ["to stay from", "by the end"]
        let isStrategy = strategy.team.periodsGained != nil
        if isStrategy { header.append("\(unit)s gained") }
        var rows: [[String]] = []
        for row in strategy.rows {
            let level = row.level
            let label: String
            switch row.kind {
            case .rep: label = level.name
            case .sequence: label = "  " + level.name
            case .team: label = ReportCells.teamLabel
            }
            var cells = [label]
            cells += shown.map { Format.fixed((level.periods[$0].pAtLeast[band] ?? 0) * 100, digits: 0) }
            let reach = level.reach[band]
            cells.append(reach?.medianPeriod.map { "\(unit) \($0)" } ?? "after \(unit) \(timeline.periods)")
            cells.append(Format.percent(reach.map { 1 - $0.pNever }, digits: 0))
            if isStrategy {
                let gained = level.periodsGained?[band]
                cells.append(
                    gained.map { "\(Format.signed($0.mean, digits: 2)) ± \(Format.fixed($0.stdErr, digits: 2))" } ?? ""
                )
            }
            rows.append(cells)
        }
        return (header, rows)
    }
}
