import Foundation

extension PlanReport {
    /// How to read the table of top plans: estimates on different trials, and what P(best) is.
    static let tableNote =
        "Each objective is the plan's estimate on the trials it ran (its status); a plan knocked out early "
        + "was compared on its first trials only, so its estimate may read higher than the chosen plan's. "
        + "P(best) is an approximation from the paired difference with the chosen plan on the trials both "
        + "ran; the selection's guarantee is the one stated above. A plan can be out while it led the chosen "
        + "one on those trials: another plan outran it then."

    func number(_ value: Double) -> String {
        objectiveKind == "repsAtLeast" || objectiveKind == "meanScore"
            ? Format.fixed(value, digits: 2) : Format.percent(value)
    }

    func estimate(_ estimate: Estimate) -> String {
        "\(number(estimate.mean)) ±\(number(estimate.stdErr))"
    }

    /// Where the selection left a plan, with its trials: chosen, still in play when the trials ran
    /// out, out after its trials, or the same in every trial as the chosen plan (and costlier).
    func status(_ plan: Plan) -> String {
        let trials = Format.count(plan.objective.trials)
        if plan.rank == 1, recommended?.name == plan.name { return "chosen (\(trials))" }
        if plan.sameAsChosen { return "same as #1" }
        return plan.eliminated ? "out after \(trials)" : "in play (\(trials))"
    }

    func money(_ value: Double) -> String {
        value >= 100 ? Format.count(Int(value.rounded())) : Format.number(value)
    }

    func costText(_ plan: Plan) -> String {
        guard let cost = plan.cost else { return "–" }
        guard let range = plan.costRange else { return money(cost) }
        return "\(money(cost)) (\(money(range.low))–\(money(range.high)))"
    }

    /// The text report: the question, the answer, the evidence.
    public func text() -> String {
        var lines: [String] = []
        lines.append("Plan: \(scenario) (\(file))")
        lines.append("objective: \(objective)")
        if let budget {
            lines.append(
                "budget: \(Format.number(budget.limit))"
                    + (budget.on == "high" ? " on the high end of each plan's 95% cost range" : " on expected cost")
            )
        }
        for constraint in constraints { lines.append("constraint: \(constraint)") }
        lines.append(
            "search: \(search) over \(Format.count(candidates)) plans (every plan is evaluated up to "
                + "\(Format.count(exhaustiveLimit))) · seed \(seed) · generator \(generator)"
        )
        lines += TextLayout.wrap("selection: \(selection)", width: 100, indent: "  ")
        let ratio = Double(equalAllocationTrials) / Double(max(1, trialsSpent))
        lines += TextLayout.wrap(
            "trials: \(Format.count(trialsSpent)) plan-trials to decide; evaluating every plan compared with "
                + "equal trials to the same precision would need \(Format.count(equalAllocationTrials)) "
                + "(\(Format.fixed(ratio, digits: 1))× as many)",
            width: 100,
            indent: "  "
        )
        lines.append("")
        if let recommended {
            lines.append("Recommended: \(recommended.name)")
            lines.append(
                "  cost \(costText(recommended)) · \(estimate(recommended.objective)) "
                    + "(95% \(number(recommended.objective.low95))–\(number(recommended.objective.high95))) on "
                    + "\(Format.count(recommended.objective.trials)) trials"
                    + (recommended.pBest.map { " · P(best) ≈ \(Format.percent($0))" } ?? "")
            )
            if let outOfSample {
                lines.append(
                    "  on \(Format.count(outOfSample.objective.trials)) fresh trials: \(estimate(outOfSample.objective)) "
                        + "(baseline \(number(outOfSample.baseline))); the in-sample estimate of a winner is biased upward"
                )
            }
            for item in recommended.interventions { lines.append("  - \(item)") }
            lines.append("")
            lines.append(
                TextLayout.left("rep", 20) + TextLayout.left("P(eligible)", 22) + "P(\(targetBand) or better)"
            )
            for rep in recommended.reps {
                lines.append(
                    TextLayout.left(rep.name, 20)
                        + TextLayout.left(
                            "\(Format.percent(rep.pEligible)) (was \(Format.percent(rep.baselinePEligible)))",
                            22
                        )
                        + "\(Format.percent(rep.pAtTarget)) (was \(Format.percent(rep.baselinePAtTarget)), "
                        + "\(Format.signedPoints(rep.pAtTarget - rep.baselinePAtTarget)))"
                )
            }
        } else {
            lines.append("No plan meets the constraints. The nearest misses:")
            for plan in nearestMisses {
                lines.append("  \(plan.name): \(plan.misses.joined(separator: "; "))")
            }
        }
        lines.append("")
        lines.append("Top plans within budget that meet the constraints")
        lines.append(
            TextLayout.left("#", 4) + TextLayout.left("cost", 24) + TextLayout.left("objective", 18)
                + TextLayout.left("P(best)", 9) + TextLayout.left("status", 18) + "plan"
        )
        for plan in plans {
            lines.append(
                TextLayout.left("\(plan.rank)", 4) + TextLayout.left(costText(plan), 24)
                    + TextLayout.left(estimate(plan.objective), 18)
                    + TextLayout.left(plan.pBest.map { Format.percent($0) } ?? "–", 9)
                    + TextLayout.left(status(plan), 18) + plan.name
            )
        }
        if plans.isEmpty { lines.append("  (none)") }
        if plans.count > 1 { lines += TextLayout.wrap(Self.tableNote, width: 100, indent: "  ") }
        lines.append("")
        lines.append("Frontier: the best plan at each cost")
        lines.append(TextLayout.left("cost", 12) + TextLayout.left("objective", 18) + "plan")
        for point in frontier {
            lines.append(
                TextLayout.left(money(point.cost), 12)
                    + TextLayout.left("\(number(point.objective)) ±\(number(point.stdErr))", 18) + point.name
            )
        }
        if frontier.isEmpty { lines.append("  (none: no plan meets the constraints)") }
        lines.append("")
        lines.append("What limits each rep (baseline, median rates)")
        for limit in limits {
            lines += TextLayout.wrap("\(limit.rep) (\(limit.kind)): \(limit.explanation)", width: 100, indent: "    ")
        }
        if let strategyYAML {
            lines.append("")
            lines.append("To run it, add under `strategies:` and use `senderscore run`:")
            lines.append("  " + strategyYAML)
        } else if recommended != nil {
            lines.append("")
            lines.append("The best plan is to change nothing.")
        }
        return TextLayout.document(lines)
    }

    /// One row per ranked plan, then per frontier point (`table` says which).
    public func csv() -> String {
        var rows: [[String]] = [
            [
                "table", "rank", "plan", "cost", "objective", "stdErr", "trials", "pBest", "withinBudget",
                "meetsConstraints",
            ]
        ]
        for plan in plans + nearestMisses {
            rows.append(
                [
                    plans.contains { $0.name == plan.name } ? "plan" : "nearestMiss", "\(plan.rank)", plan.name,
                    plan.cost.map { "\($0)" } ?? "", "\(plan.objective.mean)", "\(plan.objective.stdErr)",
                    "\(plan.objective.trials)", plan.pBest.map { "\($0)" } ?? "", "\(plan.withinBudget)",
                    "\(plan.meetsConstraints)",
                ]
            )
        }
        for (index, point) in frontier.enumerated() {
            rows.append(
                [
                    "frontier", "\(index + 1)", point.name, "\(point.cost)", "\(point.objective)", "\(point.stdErr)",
                    "",
                    "", "", "true",
                ]
            )
        }
        return rows.map { $0.map(CSVField.escaped).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        func cell(_ text: String) -> String { MarkdownReport.markdownText(text) }
        var lines = ["# Plan: \(cell(scenario))", "", "- objective: \(cell(objective))"]
        if let budget { lines.append("- budget: \(Format.number(budget.limit)) (\(budget.on) cost)") }
        for constraint in constraints { lines.append("- constraint: \(cell(constraint))") }
        lines.append("- selection: \(cell(selection))")
        lines.append("")
        if let recommended {
            lines.append(
                "**Recommended: \(cell(recommended.name))**, cost \(costText(recommended)), \(estimate(recommended.objective))"
            )
            if let outOfSample {
                lines.append("")
                lines.append(
                    "On \(Format.count(outOfSample.objective.trials)) fresh trials: \(estimate(outOfSample.objective))."
                )
            }
        } else {
            lines.append("**No plan meets the constraints.**")
        }
        lines += ["", "| # | cost | objective | P(best) | trials | plan |", "|---:|---:|---:|---:|---:|---|"]
        for plan in plans {
            lines.append(
                "| \(plan.rank) | \(costText(plan)) | \(estimate(plan.objective)) | "
                    + "\(plan.pBest.map { Format.percent($0) } ?? "–") | \(Format.count(plan.objective.trials)) | \(cell(plan.name)) |"
            )
        }
        if plans.count > 1 { lines += ["", cell(Self.tableNote)] }
        lines += ["", "## Frontier", "", "| cost | objective | plan |", "|---:|---:|---|"]
        for point in frontier {
            lines.append(
                "| \(Format.number(point.cost)) | \(number(point.objective)) ±\(number(point.stdErr)) | \(cell(point.name)) |"
            )
        }
        lines += ["", "## What limits each rep", ""]
        for limit in limits { lines.append("- **\(cell(limit.rep))**, \(limit.kind): \(cell(limit.explanation))") }
        if let strategyYAML { lines += ["", "```yaml", strategyYAML, "```"] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A self-contained page: the answer, the tables and the frontier as an SVG chart.
    public func html() -> String {
        let escape = HTMLReport.escape
        var body = "<h1>Plan: \(escape(scenario))</h1>\n<p>objective: \(escape(objective))"
        if let budget { body += " · budget \(Format.number(budget.limit)) (\(budget.on) cost)" }
        body += "</p>\n<p>\(escape(selection))</p>\n"
        if let recommended {
            body +=
                "<p class=\"answer\"><strong>Recommended: \(escape(recommended.name))</strong>, cost "
                + "\(escape(costText(recommended))), \(escape(estimate(recommended.objective)))</p>\n"
        } else {
            body += "<p class=\"answer\"><strong>No plan meets the constraints.</strong></p>\n"
        }
        body += "<h2>Frontier</h2>\n" + frontierSVG()
        body +=
            "<table><thead><tr><th>#</th><th>cost</th><th>objective</th><th>P(best)</th><th>plan</th></tr></thead><tbody>\n"
        for plan in plans {
            body +=
                "<tr><td>\(plan.rank)</td><td>\(escape(costText(plan)))</td><td>\(escape(estimate(plan.objective)))</td>"
                + "<td>\(plan.pBest.map { Format.percent($0) } ?? "–")</td><td>\(escape(plan.name))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        if plans.count > 1 { body += "<p>\(escape(Self.tableNote))</p>\n" }
        body += "<h2>What limits each rep</h2>\n<ul>\n"
        for limit in limits {
            body +=
                "<li><strong>\(escape(limit.rep))</strong>, \(escape(limit.kind)): \(escape(limit.explanation))</li>\n"
        }
        body += "</ul>\n"
        if let strategyYAML { body += "<h2>To run it</h2>\n<pre>\(escape(strategyYAML))</pre>\n" }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Plan: \(escape(scenario))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}
            .answer{font-size:1.1rem}svg{max-width:100%}.point{fill:#5b2a86}.step{fill:none;stroke:#5b2a86}</style>
            </head><body>
            \(body)</body></html>

            """
    }

    /// The frontier: cost across, objective up, a step line through the best plan at each cost.
    func frontierSVG() -> String {
        guard !frontier.isEmpty else { return "<p>No plan meets the constraints.</p>\n" }
        let width = 560.0
        let height = 260.0
        let costs = frontier.map(\.cost)
        let values = frontier.map(\.objective)
        let maxCost = max(costs.max() ?? 1, 1)
        let low = values.min() ?? 0
        let high = max(values.max() ?? 1, low + 1e-9)
        func x(_ cost: Double) -> Double { 40 + (width - 60) * cost / maxCost }
        func y(_ value: Double) -> Double { height - 30 - (height - 50) * (value - low) / (high - low) }
        var points: [String] = []
        var svg =
            "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"cost–objective frontier\">\n"
        for (index, point) in frontier.enumerated() {
            if index > 0 { points.append(Format.c("%.1f,%.1f", x(point.cost), y(values[index - 1]))) }
            points.append(Format.c("%.1f,%.1f", x(point.cost), y(point.objective)))
            svg +=
                String(
                    format: "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\">",
                    x(point.cost),
                    y(point.objective)
                )
                + "<title>\(HTMLReport.escape(point.name)): "
                + "\(number(point.objective)) for \(Format.number(point.cost))</title></circle>\n"
        }
        svg += "<polyline class=\"step\" points=\"\(points.joined(separator: " "))\"/>\n"
        svg += String(
            format:
                "<text x=\"40\" y=\"%.0f\">0</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">cost %@</text>\n",
            height - 10,
            width - 20,
            height - 10,
            Format.number(maxCost)
        )
        svg +=
            "<text x=\"4\" y=\"14\">\(number(high))</text><text x=\"4\" y=\"\(Int(height - 30))\">\(number(low))</text>\n"
        return svg + "</svg>\n"
    }
}

extension ReportFormat {
    /// Renders a plan in this format.
    public func render(_ plan: PlanReport) throws -> String {
        switch self {
        case .text: return plan.text()
        case .json: return try JSONOutput.encode(plan)
        case .csv: return plan.csv()
        case .markdown: return plan.markdown()
        case .html: return plan.html()
        }
    }
}
