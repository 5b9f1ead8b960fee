/// The timeline of the HTML report: per rep and the team, a fan chart of the score in the window
/// that ends at each period (the baseline's p5–p95 shaded, every strategy's p50 as a line, the
/// bands' thresholds dashed) and a time-to-target chart (P(at the target band to stay by each
/// period), a line per strategy); then the timeline's tables.
extension HTMLReport {
    func timelineSection(_ timeline: TimelineReport, band: String, _ page: inout TextPieces) {
        page += Self.sectionStart(
            "timeline",
            "Timeline",
            intro: TimelineCells.heading(timeline, band: band).map(Self.escape).joined(separator: " ")
        )
        var body = ""
        let names =
            timeline.strategies.first.map { strategy in
                strategy.reps.names.map(\.name) + [strategy.team.name]
            } ?? []
        for (index, name) in names.enumerated() {
            let levels = timeline.strategies.map { index < $0.reps.count ? $0.reps[index] : $0.team }
            let title = index < names.count - 1 ? name : ReportCells.teamLabel
            body += "<div class=\"pair timeline\" data-rep=\"\(Self.escape(name))\"><h3>\(Self.escape(title))</h3>\n"
            body += fanChart(timeline, levels: levels)
            body += reachChart(timeline, levels: levels, band: band)
            body += "</div>\n"
            page += body
            body = ""
        }
        body += timelineLegend(timeline)
        for strategy in timeline.strategies {
            let (header, rows) = TimelineCells.table(timeline, strategy: strategy, band: band)
            body +=
                "<h3>\(Self.escape(strategy.name))</h3>\n<div class=\"scroll\"><table class=\"timeline\" data-strategy=\"\(Self.escape(strategy.name))\">\n<thead><tr>"
            body += header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            // Each row's kind from its position: the levels' timelines were built once, for `rows`.
            for (position, cells) in zip(strategy.rows.positions, rows) {
                body +=
                    "<tr\(position.kind == .sequence ? " class=\"sequence\"" : "")><th>\(Self.escape(cells[0]))</th>"
                body += cells.dropFirst().map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>\n"
                page += body
                body = ""
            }
            body += "</tbody></table></div>\n"
        }
        page += body + Self.sectionEnd
    }

    private func timelineLegend(_ timeline: TimelineReport) -> String {
        var html =
            "<p class=\"legend\"><span><svg viewBox=\"0 0 18 12\" width=\"18\" height=\"12\"><rect class=\"fan\" width=\"18\" height=\"12\"/></svg> baseline p5–p95</span>"
        for (index, strategy) in timeline.strategies.enumerated() {
            let stroke = index == 0 ? "stroke=\"#334e68\"" : Self.strategyStroke(index)
            html +=
                "<span><svg viewBox=\"0 0 18 12\" width=\"18\" height=\"12\"><line class=\"strategy\" x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" \(stroke)/></svg> \(Self.escape(strategy.name))\(index == 0 ? " (p50)" : "")</span>"
        }
        return html + "</p>\n"
    }

    /// The chart's frame: width, height, margins and the x position of a period.
    private struct Frame {
        let periods: Int
        let w = 300.0
        let h = 130.0
        let left = 34.0
        let bottom = 22.0
        func x(_ period: Int) -> Double { left + (periods == 1 ? w / 2 : Double(period) / Double(periods - 1) * w) }
        var width: Int { Int(left + w + 14) }
        var height: Int { Int(h + bottom) }
    }

    private func periodTicks(_ timeline: TimelineReport, _ frame: Frame) -> String {
        var svg =
            "<line class=\"axis\" x1=\"\(Self.f(frame.left))\" y1=\"\(Self.f(frame.h))\" x2=\"\(Self.f(frame.left + frame.w))\" y2=\"\(Self.f(frame.h))\"/>"
        for period in TimelineCells.shown(timeline) {
            svg +=
                "<text x=\"\(Self.f(frame.x(period)))\" y=\"\(Self.f(frame.h + 15))\" text-anchor=\"middle\" class=\"tick\">\(period + 1)</text>"
        }
        return svg
    }

    /// A polyline through the periods that have a value, broken where one is missing.
    private func paths(_ values: [Double?], x: (Int) -> Double, y: (Double) -> Double, attributes: String) -> String {
        var svg = ""
        var points: [String] = []
        func flush() {
            if points.count == 1 { points.append(points[0]) }
            if !points.isEmpty { svg += "<polyline points=\"\(points.joined(separator: " "))\" \(attributes)/>" }
            points = []
        }
        for (period, value) in values.enumerated() {
            guard let value else {
                flush()
                continue
            }
            points.append("\(Self.f(x(period))),\(Self.f(y(value)))")
        }
        flush()
        return svg
    }

    /// The score in the window ending at each period: the baseline's p5–p95 as a band, each
    /// strategy's p50 as a line, the rule set's band thresholds dashed.
    private func fanChart(_ timeline: TimelineReport, levels: [TimelineLevel]) -> String {
        let frame = Frame(periods: timeline.periods)
        let thresholds = report.assumptions.rules.bands.filter { $0.from > 0 }
        let top = max(
            (thresholds.map(\.from).max() ?? 0) * 1.1,
            levels.flatMap { $0.periods.compactMap(\.score.p95) }.max() ?? 0,
            1
        )
        func y(_ score: Double) -> Double { 6 + (frame.h - 6) * (1 - score / top) }
        var svg =
            "<figure class=\"chart fan\"><figcaption>score in the window ending each \(timeline.period)</figcaption>"
            + "<svg viewBox=\"0 0 \(frame.width) \(frame.height)\" role=\"img\" aria-label=\"score fan chart\">"
        for threshold in thresholds {
            svg +=
                "<line class=\"threshold\" x1=\"\(Self.f(frame.left))\" y1=\"\(Self.f(y(threshold.from)))\" x2=\"\(Self.f(frame.left + frame.w))\" y2=\"\(Self.f(y(threshold.from)))\"><title>\(Self.escape(threshold.name)) from \(Format.number(threshold.from)) points</title></line>"
            svg +=
                "<text x=\"\(Self.f(frame.left - 3))\" y=\"\(Self.f(y(threshold.from) + 4))\" text-anchor=\"end\" class=\"tick\">\(Format.number(threshold.from))</text>"
        }
        if let baseline = levels.first {
            // The band: p95 left to right, then p5 back, over each run of periods with a score.
            var run: [(Int, Double, Double)] = []
            func close() {
                guard !run.isEmpty else { return }
                let upper = run.map { "\(Self.f(frame.x($0.0))),\(Self.f(y($0.2)))" }
                let lower = run.reversed().map { "\(Self.f(frame.x($0.0))),\(Self.f(y($0.1)))" }
                svg += "<polygon class=\"fan\" points=\"\((upper + lower).joined(separator: " "))\"/>"
                run = []
            }
            for (period, window) in baseline.periods.enumerated() {
                guard let low = window.score.p5, let high = window.score.p95 else {
                    close()
                    continue
                }
                run.append((period, low, high))
            }
            close()
        }
        for (index, level) in levels.enumerated() {
            let stroke = index == 0 ? "stroke=\"#334e68\"" : Self.strategyStroke(index)
            svg += paths(
                level.periods.map(\.score.p50),
                x: frame.x,
                y: y,
                attributes: "class=\"strategy\" \(stroke)"
            )
        }
        svg += periodTicks(timeline, frame)
        return svg + "</svg></figure>\n"
    }

    /// P(at the band or better from some period on, to the end) by each period, per strategy.
    private func reachChart(_ timeline: TimelineReport, levels: [TimelineLevel], band: String) -> String {
        let frame = Frame(periods: timeline.periods)
        func y(_ p: Double) -> Double { 6 + (frame.h - 6) * (1 - p) }
        var svg =
            "<figure class=\"chart reach\"><figcaption>P(\(Self.escape(band)) or better to stay) by each \(timeline.period)</figcaption>"
            + "<svg viewBox=\"0 0 \(frame.width) \(frame.height)\" role=\"img\" aria-label=\"time to \(Self.escape(band))\">"
        for p in [0.0, 0.5, 1.0] {
            svg +=
                "<line class=\"threshold\" x1=\"\(Self.f(frame.left))\" y1=\"\(Self.f(y(p)))\" x2=\"\(Self.f(frame.left + frame.w))\" y2=\"\(Self.f(y(p)))\"/>"
            svg +=
                "<text x=\"\(Self.f(frame.left - 3))\" y=\"\(Self.f(y(p) + 4))\" text-anchor=\"end\" class=\"tick\">\(Int(p * 100))%</text>"
        }
        for (index, level) in levels.enumerated() {
            guard let reach = level.reach[band] else { continue }
            let stroke = index == 0 ? "stroke=\"#334e68\"" : Self.strategyStroke(index)
            svg += paths(reach.pByPeriod.map { $0 }, x: frame.x, y: y, attributes: "class=\"strategy\" \(stroke)")
        }
        svg += periodTicks(timeline, frame)
        return svg + "</svg></figure>\n"
    }
}
