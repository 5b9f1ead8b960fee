import Foundation

/// The charts of the HTML report: band bars, rate histograms and paired score changes, in SVG.
extension HTMLReport {
    func bandSection(_ page: inout TextPieces) {
        page += Self.sectionStart(
            "bands",
            "Band probabilities",
            intro:
                "The share of simulated quarters in which each rep lands in each band, and below the line the team: "
                + "every rep's enrollments pooled, a view the CRM does not score. Hover a segment for its standard error."
        )
        page += legend()
        for strategy in report.strategies {
            page += Self.figureStart("bands", strategy)
            if !strategy.interventions.isEmpty {
                page +=
                    "<ul class=\"interventions\">"
                    + strategy.interventions.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>\n"
            }
            bandChart(strategy.repsAndTeam, &page)
            page += "</figure>\n"
        }
        page += Self.sectionEnd
    }

    func rateSection(_ page: inout TextPieces) {
        page += Self.sectionStart(
            "rates",
            "Reply and bounce rates",
            intro:
                "How each rate is distributed over simulated quarters. The shaded zone is the rule set's target: a reply "
                + "rate of \(Self.percentRange(report.assumptions.rules.replyTarget)) and a bounce rate under "
                + "\(Self.exactPercent(report.assumptions.rules.bounceTargetBelow)). Bars are the baseline"
                + (report.strategies.count > 1 ? "; lines are the strategies" : "")
                + ". A rate is a count over n enrollments, so it takes only the values k/n; each is drawn spread over about 3/n "
                + "(at least 0.75 percentage points) so that the bars show the shape rather than that lattice."
        )
        if report.strategies.count > 1 { page += strategyLegend() }
        let baseline = report.strategies[0]
        // Each strategy's reps in the baseline's order (a report holds them so), each built once
        // where it is drawn.
        let levels = report.strategies.map(\.repsAndTeam)
        for index in levels[0].indices {
            let matches = levels.map { $0.indices.contains(index) ? $0[index] : nil }
            guard let level = matches[0] else { continue }
            let title = level.name == baseline.team.name ? ReportCells.teamLabel : level.name
            page +=
                "<div class=\"pair\" data-rep=\"\(Self.escape(level.name))\">\n<h3>\(Self.escape(title))</h3>\n"
            for kind in [RateKind.reply, .bounce] {
                let distributions = matches.map { match in
                    match.map { kind == .reply ? $0.replyRateDistribution : $0.bounceRateDistribution }
                }
                // Rates are fractions k/n: bins finer than the lattice of possible values would
                // alternate between full and empty, so each is spread over about 3/n around it.
                let completed = max(1, level.completed.p50 ?? 1)
                let denominator = kind == .reply ? completed * (1 - (level.bounceRate.mean ?? 0)) : completed
                let reach =
                    distributions.map { ($0.map { Double($0.probabilities.count) * $0.binWidth } ?? 0) }.max() ?? 0
                let spread = 3 / max(1, denominator)
                let width = Self.displayBinWidth(span: reach + spread)
                let series = distributions.map { $0.map { Self.rebin($0, spread: spread, width: width) } ?? [] }
                page += histogram(kind, series: series, width: width, rep: level.name)
            }
            page += "</div>\n"
        }
        page += Self.sectionEnd
    }

    func strategySection(_ page: inout TextPieces) {
        page += Self.sectionStart(
            "strategies",
            "Strategies against the baseline",
            intro:
                "The change of each rep's score, paired on the same simulated quarters (common random numbers), over "
                + "quarters in which both are eligible. The dot is the mean change and the dark whisker its 95% interval: "
                + "how precisely the simulation knows the average. The pale bar spans the 5th to 95th percentile of the "
                + "change across quarters: the range a rep may see next quarter. Beside it, how often the band gets better "
                + "or worse, the change in the chance of being eligible, and how often the rep is Ineligible under the "
                + "strategy. The team row, below the line, pools every rep's enrollments: the CRM gives no team score."
        )
        page += glanceTable()
        // One scale for every strategy, so that the same distance means the same change: a first
        // pass over the levels finds it, a second draws them (each built twice, none held).
        let strategies = report.strategies.dropFirst()
        let reach =
            max(
                strategies.lazy.flatMap(\.repsAndTeam).compactMap { level in
                    level.vsBaseline.flatMap { change in
                        [
                            change.scoreChange.low95, change.scoreChange.high95, change.scoreChange.p5,
                            change.scoreChange.p95,
                        ]
                        .compactMap { $0.map(abs) }.max()
                    }
                }.max() ?? 1,
                1
            ) * 1.1
        let label = labelWidth(strategies.flatMap { $0.repLevels.names.map(\.name) + [$0.team.name] })
        for strategy in strategies {
            page += Self.figureStart("deltas", strategy)
            deltaChart(strategy.repsAndTeam, reach: reach, label: label, &page)
            page += "</figure>\n"
        }
        page += Self.sectionEnd
    }

    private func legend() -> String {
        let order = [RuleSet.ineligible] + report.bandOrder.filter { $0 != RuleSet.ineligible }
        return "<p class=\"legend\">"
            + order.map { band in
                "<span><svg width=\"12\" height=\"12\" viewBox=\"0 0 12 12\"><rect width=\"12\" height=\"12\" fill=\"\(color(band))\"/></svg> \(Self.escape(band))</span>"
            }.joined(separator: " ") + "</p>\n"
    }

    private func strategyLegend() -> String {
        "<p class=\"legend\">"
            + report.strategies.enumerated().map { index, strategy in
                index == 0
                    ? "<span><svg width=\"12\" height=\"12\" viewBox=\"0 0 12 12\"><rect width=\"12\" height=\"12\" fill=\"#9db4cc\"/></svg> \(Self.escape(strategy.name))</span>"
                    : "<span><svg width=\"18\" height=\"12\" viewBox=\"0 0 18 12\"><line x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" \(Self.strategyStroke(index)) stroke-width=\"2.5\"/></svg> \(Self.escape(strategy.name))</span>"
            }.joined(separator: " ") + "</p>\n"
    }

    /// Stacked horizontal bars, Ineligible first, then the bands from the lowest.
    private func bandChart(_ levels: StrategyReport.RepsAndTeam, _ page: inout TextPieces) {
        // From the names alone: the baseline's reports are built only where they are drawn.
        let baseline = report.strategies[0]
        let label = labelWidth(baseline.repLevels.names.map(\.name) + [baseline.team.name])
        let width = 760.0
        let row = 26.0
        let gap = 8.0
        let height = Double(levels.count) * (row + gap) + 4
        let order = [RuleSet.ineligible] + report.bandOrder.filter { $0 != RuleSet.ineligible }
        page +=
            "<svg viewBox=\"0 0 \(Int(label + width + 10)) \(Int(height))\" role=\"img\" aria-label=\"band probabilities\">\n"
        for (index, level) in levels.enumerated() {
            var svg = ""
            let y = Double(index) * (row + gap) + 2
            let isTeam = index == levels.count - 1
            if isTeam {
                svg +=
                    "<line class=\"pooled\" x1=\"0\" y1=\"\(Self.f(y - gap / 2))\" x2=\"\(Self.f(label + width))\" y2=\"\(Self.f(y - gap / 2))\"/>"
            }
            svg += "<g class=\"bar\" data-rep=\"\(Self.escape(level.name))\">"
            svg += Self.label(
                isTeam ? ReportCells.teamLabel : level.name,
                x: label - 8,
                y: y + row * 0.68,
                width: label
            )
            var x = label
            for band in order {
                let p = level.bands[band] ?? 0
                guard p > 0 else { continue }
                let w = p * width
                svg +=
                    "<rect class=\"band\" data-band=\"\(Self.escape(band))\" x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(w))\" height=\"\(Self.f(row))\" fill=\"\(color(band))\">"
                    + "<title>\(Self.escape(band)): \(Format.percent(p)) ± \(Format.percent(level.bandStdErr[band]))</title></rect>"
                if w > 34 {
                    svg +=
                        "<text x=\"\(Self.f(x + w / 2))\" y=\"\(Self.f(y + row * 0.68))\" text-anchor=\"middle\" class=\"inside\">\(Format.percent(p, digits: 0))</text>"
                }
                x += w
            }
            svg += "</g>\n"
            page += svg
        }
        page += "</svg>\n"
    }

    private enum RateKind { case reply, bounce }

    /// A rate histogram: the baseline as bars, the strategies as step lines, the target shaded.
    private func histogram(_ kind: RateKind, series: [[Double]], width binWidth: Double, rep: String) -> String {
        let rules = report.assumptions.rules
        let (zoneLow, zoneHigh) =
            kind == .reply ? (rules.replyTarget[0], rules.replyTarget[1]) : (0, rules.bounceTargetBelow)
        let longest = series.map(\.count).max() ?? 0
        let span = max(Double(longest) * binWidth, zoneHigh * 1.6, kind == .reply ? 0.2 : 0.1)
        let tick = span > 0.3 ? 0.1 : span > 0.12 ? 0.05 : 0.02
        let top = max(series.flatMap { $0 }.max() ?? 0, 1e-9)
        let w = 320.0
        let h = 120.0
        let left = 8.0
        let right = 16.0
        let bottom = 22.0
        func x(_ rate: Double) -> Double { left + rate / span * w }
        func y(_ p: Double) -> Double { 6 + (h - 6) * (1 - p / top) }
        var svg =
            "<figure class=\"chart rates\" data-rate=\"\(kind == .reply ? "reply" : "bounce")\" data-rep=\"\(Self.escape(rep))\">"
            + "<figcaption>\(kind == .reply ? "reply rate" : "bounce rate")</figcaption>"
            + "<svg viewBox=\"0 0 \(Int(left + w + right)) \(Int(h + bottom))\" role=\"img\" aria-label=\"\(kind == .reply ? "reply" : "bounce") rate distribution\">"
        svg +=
            "<rect class=\"target\" x=\"\(Self.f(x(zoneLow)))\" y=\"0\" width=\"\(Self.f(x(min(zoneHigh, span)) - x(zoneLow)))\" height=\"\(Self.f(h))\"><title>target</title></rect>"
        for (index, p) in (series.first ?? []).enumerated() where p > 0 {
            svg +=
                "<rect class=\"bin\" x=\"\(Self.f(x(Double(index) * binWidth)))\" y=\"\(Self.f(y(p)))\" width=\"\(Self.f(max(0.5, x(binWidth) - x(0) - 0.3)))\" height=\"\(Self.f(h - y(p)))\"/>"
        }
        for (index, values) in series.enumerated().dropFirst() where !values.isEmpty {
            var points = "\(Self.f(x(0))),\(Self.f(h))"
            for (bin, p) in values.enumerated() {
                points +=
                    " \(Self.f(x(Double(bin) * binWidth))),\(Self.f(y(p))) \(Self.f(x(Double(bin + 1) * binWidth))),\(Self.f(y(p)))"
            }
            points += " \(Self.f(x(Double(values.count) * binWidth))),\(Self.f(h))"
            svg +=
                "<polyline class=\"strategy\" points=\"\(points)\" \(Self.strategyStroke(index))/>"
        }
        if series.allSatisfy(\.isEmpty) {
            svg +=
                "<text x=\"\(Self.f(left + w / 2))\" y=\"\(Self.f(h / 2))\" text-anchor=\"middle\" class=\"side\">never defined: nothing delivered</text>"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(Self.f(left))\" y1=\"\(Self.f(h))\" x2=\"\(Self.f(left + w))\" y2=\"\(Self.f(h))\"/>"
        for value in stride(from: 0.0, through: span + 1e-9, by: tick) {
            svg +=
                "<text x=\"\(Self.f(x(value)))\" y=\"\(Self.f(h + 15))\" text-anchor=\"middle\" class=\"tick\">\(Format.number((value * 100).rounded()))%</text>"
        }
        return svg + "</svg></figure>\n"
    }

    /// Dots and whiskers: mean score change with its 95% interval; better/worse/eligibility beside.
    private func deltaChart(
        _ levels: StrategyReport.RepsAndTeam,
        reach: Double,
        label: Double,
        _ page: inout TextPieces
    ) {
        let plot = 480.0
        let row = 26.0
        let text = 340.0
        func x(_ value: Double) -> Double { label + plot / 2 + value / reach * plot / 2 }
        let height = Double(levels.count) * row + 24
        var svg =
            "<svg viewBox=\"0 0 \(Int(label + plot + text)) \(Int(height))\" role=\"img\" aria-label=\"score change\">\n"
        svg +=
            "<line class=\"zero\" x1=\"\(Self.f(x(0)))\" y1=\"0\" x2=\"\(Self.f(x(0)))\" y2=\"\(Self.f(height - 20))\"/>"
        svg +=
            "<text x=\"\(Self.f(x(-reach)))\" y=\"\(Self.f(height - 6))\" class=\"tick\">\(Format.signed(-reach, digits: 0))</text>"
        svg +=
            "<text x=\"\(Self.f(x(0)))\" y=\"\(Self.f(height - 6))\" text-anchor=\"middle\" class=\"tick\">0 points</text>"
        svg +=
            "<text x=\"\(Self.f(x(reach)))\" y=\"\(Self.f(height - 6))\" text-anchor=\"end\" class=\"tick\">\(Format.signed(reach, digits: 0))</text>\n"
        page += svg
        for (index, level) in levels.enumerated() {
            guard let change = level.vsBaseline else { continue }
            svg = ""
            let y = Double(index) * row + row / 2
            let isTeam = index == levels.count - 1
            if isTeam {
                svg +=
                    "<line class=\"pooled\" x1=\"0\" y1=\"\(Self.f(y - row / 2))\" x2=\"\(Self.f(label + plot + text))\" y2=\"\(Self.f(y - row / 2))\"/>"
            }
            svg += "<g class=\"delta\" data-rep=\"\(Self.escape(level.name))\">"
            svg += Self.label(isTeam ? "team (pooled)" : level.name, x: label - 8, y: y + 4, width: label)
            if let low = change.scoreChange.p5, let high = change.scoreChange.p95 {
                svg +=
                    "<rect class=\"spread\" x=\"\(Self.f(x(low)))\" y=\"\(Self.f(y - 7))\" width=\"\(Self.f(max(1, x(high) - x(low))))\" height=\"14\">"
                    + "<title>across quarters: \(Format.signed(low)) to \(Format.signed(high)) points (p5–p95)</title></rect>"
            }
            if change.scoreChange.mean == nil {
                svg +=
                    "<text x=\"\(Self.f(x(0)))\" y=\"\(Self.f(y + 4))\" text-anchor=\"middle\" class=\"none\">no quarter eligible under both: Ineligible</text>"
            }
            if let mean = change.scoreChange.mean, let low = change.scoreChange.low95,
                let high = change.scoreChange.high95
            {
                svg +=
                    "<line class=\"whisker\" x1=\"\(Self.f(x(low)))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(x(high)))\" y2=\"\(Self.f(y))\"/>"
                svg +=
                    "<circle class=\"dot\" cx=\"\(Self.f(x(mean)))\" cy=\"\(Self.f(y))\" r=\"4.5\"><title>\(Format.signed(mean)) points, 95% interval "
                    + "\(Format.signed(low)) to \(Format.signed(high)) over \(Format.count(change.scoreChange.trials)) quarters</title></circle>"
            }
            let ineligible = level.bands[RuleSet.ineligible] ?? 0
            let side =
                "better \(Format.percent(change.pImproves, digits: 0)) · worse \(Format.percent(change.pWorsens, digits: 0))"
                + " · eligible \(Format.signedPoints(change.pEligibleChange.mean))"
                + (ineligible > 0
                    ? " · Ineligible \(Format.percent(ineligible, digits: ineligible < 0.01 ? 1 : 0))" : "")
            svg +=
                "<text x=\"\(Self.f(label + plot + 10))\" y=\"\(Self.f(y + 4))\" class=\"side\">\(Self.escape(side))</text></g>\n"
            page += svg
        }
        page += "</svg>\n"
    }

    /// Opens a strategy's chart: the figure and its caption, the strategy's name and cost.
    static func figureStart(_ kind: String, _ strategy: StrategyReport) -> String {
        "<figure class=\"chart \(kind)\" data-strategy=\"\(escape(strategy.name))\">\n<figcaption>\(escape(strategy.name))"
            + (strategy.costWording.map { " · \($0)" } ?? "") + "</figcaption>\n"
    }

    /// Bands from red (lowest) to green (highest), interpolated for any number of bands;
    /// Ineligible grey.
    private func color(_ band: String) -> String {
        let bands = report.bandOrder.filter { $0 != RuleSet.ineligible }
        guard band != RuleSet.ineligible, let index = bands.firstIndex(of: band) else { return "#b8b8b8" }
        let palette: [(Double, Double, Double)] = [
            (215, 48, 31), (252, 141, 89), (253, 204, 138), (145, 207, 96), (26, 152, 80),
        ]
        let position = bands.count == 1 ? 1 : Double(index) / Double(bands.count - 1)
        let scaled = position * Double(palette.count - 1)
        let lower = min(Int(scaled), palette.count - 2)
        let t = scaled - Double(lower)
        let (a, b) = (palette[lower], palette[lower + 1])
        func channel(_ x: Double, _ y: Double) -> String { Format.c("%02x", Int((x + (y - x) * t).rounded())) }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }

    /// Room for the longest name on the left of a chart (names beyond 40 characters are cut).
    private func labelWidth(_ names: [String]) -> Double {
        let longest = names.map { min($0.count, Self.labelLimit) }.max() ?? 0
        return min(320, max(140, Double(longest) * 7.6 + 16))
    }

    static let labelLimit = 40

    /// A right-aligned row label; a long name is cut with "…" and kept whole in its tooltip.
    static func label(_ name: String, x: Double, y: Double, width: Double) -> String {
        let shown = name.count > labelLimit ? String(name.prefix(labelLimit - 1)) + "…" : name
        return
            "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"end\" class=\"label\"><title>\(escape(name))</title>\(escape(shown))</text>"
    }

    /// Strategy lines: eight colours that stay apart for colour-blind readers (Okabe and Ito's,
    /// yellow left out for white paper), then the same with dashes and with dots, so that 24
    /// strategies get 24 different lines.
    static let lineColors = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#1a1a1a", "#882255"]
    static let lineDashes = ["", "7 3", "2 2.5"]

    /// The stroke attributes of strategy `index` (1 for the first strategy after the baseline).
    static func strategyStroke(_ index: Int) -> String {
        let slot = max(0, index - 1)
        let dash = lineDashes[(slot / lineColors.count) % lineDashes.count]
        return "stroke=\"\(lineColors[slot % lineColors.count])\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")
    }

    static func percentRange(_ values: [Double]) -> String {
        values.count == 2 ? "\(exactPercent(values[0]))–\(exactPercent(values[1]))" : ""
    }

    /// A rule set's rate as a percentage with the decimals it has: "7%", "12.5%", "2.75%".
    static func exactPercent(_ fraction: Double) -> String {
        Format.number((fraction * 100 * 10_000).rounded() / 10_000) + "%"
    }

    /// About 80 bins over the span a histogram shows, in steps of a quarter percentage point.
    static func displayBinWidth(span: Double) -> Double {
        let step = 0.0025
        return step * max(1, (max(span, 0.1) / 80 / step).rounded())
    }

    /// The distribution on bins of `width`, each fine bin's probability spread evenly over
    /// `spread` (at least three fine bins) around its centre, and kept at or above 0: an
    /// average shifted histogram, smooth where the rates sit on a lattice coarser than the bins.
    static func rebin(_ distribution: RateDistribution, spread: Double, width: Double) -> [Double] {
        let fine = distribution.binWidth
        let spread = max(spread, 3 * fine)
        var bins: [Double] = []
        for (index, p) in distribution.probabilities.enumerated() where p > 0 {
            let low = max(0, (Double(index) + 0.5) * fine - spread / 2)
            let high = low + spread
            let first = Int(low / width)
            let last = Int((high / width).rounded(.up)) - 1
            if bins.count <= last { bins += Array(repeating: 0, count: last + 1 - bins.count) }
            for bin in first...max(first, last) {
                let overlap = min(high, Double(bin + 1) * width) - max(low, Double(bin) * width)
                if overlap > 0 { bins[bin] += p * overlap / spread }
            }
        }
        while bins.last == 0 { bins.removeLast() }
        return bins
    }
}

extension HTMLReport {
    /// The strategies side by side at the target band: cost, expected reps, each rep, Δ score.
    func glanceTable() -> String {
        guard let band = RuleSet.targetBand(among: report.bandOrder) else { return "" }
        let (header, rows) = ReportCells.glance(report, band: band)
        var html =
            "<div class=\"scroll\"><table class=\"glance\">\n<caption>At a glance: \(Self.escape(band)) or "
            + "better (expected reps, and each rep's probability)</caption>\n<thead><tr>"
        html += header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            html +=
                "<tr><th>\(Self.escape(row[0]))</th>" + row.dropFirst().map { "<td>\(Self.escape($0))</td>" }.joined()
                + "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }
}
