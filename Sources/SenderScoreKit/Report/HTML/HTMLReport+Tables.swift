/// The tables of the HTML report: the numbers, and the assumptions with the rule set.
extension HTMLReport {
    func tableSection(_ page: inout TextPieces) {
        page += Self.sectionStart("tables", "The numbers")
        for strategy in report.strategies {
            var html = ""
            html +=
                "<h3>\(Self.escape(strategy.name))</h3>\n<div class=\"scroll\"><table data-strategy=\"\(Self.escape(strategy.name))\">\n<thead><tr><th></th>"
            html += report.bandOrder.map { "<th>\(Self.escape($0))</th>" }.joined()
            let unsubscribes = report.showsUnsubscribes
            html +=
                "<th>score (p5–p95)</th><th>reply p50</th><th>bounce p50</th>"
                + (unsubscribes ? "<th>unsubscribe p50</th>" : "")
                + "<th>reply below / in / above target</th><th>eligible</th>"
            if strategy.team.vsBaseline != nil {
                html +=
                    "<th>better / worse</th><th>\(ReportCells.meanHeader)</th><th>\(ReportCells.spreadHeader)</th>"
            }
            html += "</tr></thead>\n<tbody>\n"
            for row in strategy.levelRows {
                let level = row.level
                let label = ReportCells.label(row)
                html += "<tr\(row.kind == .sequence ? " class=\"sequence\"" : "")><th>\(Self.escape(label))</th>"
                for band in report.bandOrder {
                    let cell = ReportCells.band(level, band)
                    html +=
                        "<td>\(Self.escape(cell.value))\(cell.error.map { "<small> ±\(Self.escape($0))</small>" } ?? "")</td>"
                }
                let score = ReportCells.score(level.score)
                html +=
                    "<td>\(score)</td><td>\(Format.percent(level.replyRate.p50))</td><td>\(Format.percent(level.bounceRate.p50))</td>"
                    + (unsubscribes ? "<td>\(Format.percent(level.unsubscribeRate.p50))</td>" : "")
                    + "<td>\(ReportCells.replyTarget(level))</td>"
                html += "<td>\(Format.percent(level.pEligible, digits: 0))</td>"
                if let change = level.vsBaseline {
                    let delta = ReportCells.change(change.scoreChange)
                    html +=
                        "<td>\(Format.percent(change.pImproves, digits: 0)) / \(Format.percent(change.pWorsens, digits: 0))</td><td>\(delta)</td>"
                        + "<td>\(ReportCells.spread(change.scoreChange))</td>"
                }
                html += "</tr>\n"
                page += html
                html = ""
            }
            html += "</tbody>\n</table></div>\n"
            let steps = ReportCells.usedSteps(strategy)
            if steps > 1 {
                html +=
                    "<div class=\"scroll\"><table class=\"steps\" data-steps-of=\"\(Self.escape(strategy.name))\">\n<thead><tr><th>replies by email</th>"
                    + (1...steps).map { "<th>email \($0)</th>" }.joined()
                    + "<th>replies per quarter</th></tr></thead>\n<tbody>\n"
                for row in strategy.levelRows {
                    let level = row.level
                    let label = ReportCells.label(row)
                    html +=
                        "<tr\(row.kind == .sequence ? " class=\"sequence\"" : "")><th>\(Self.escape(label))</th>"
                        + ReportCells.stepShares(level, steps: steps).map { "<td>\($0)</td>" }.joined()
                        + "<td>\(Format.fixed(level.repliesByStep.reduce(0, +)))</td></tr>\n"
                    page += html
                    html = ""
                }
                html += "</tbody>\n</table></div>\n"
            }
            page += html
        }
        page +=
            "<p class=\"note\">Band probabilities in %, ± one Monte Carlo standard error"
            + (report.estimatorWording.map { " (\(Self.escape($0)))" } ?? "") + ". Scores are over eligible quarters. "
            + "The team row pools every rep's enrollments; the CRM gives no team score. "
            + "\(Self.escape(ReportCells.overshootNote(report.assumptions.rules))) "
            + "\(Self.escape(ReportCells.changeLegend))</p>\n"
        page += Self.sectionEnd
    }

    func assumptionSection(_ page: inout TextPieces) {
        let assumptions = report.assumptions
        page += Self.sectionStart("assumptions", "Assumptions")
        var html = ""
        html +=
            "<h3>Segments</h3>\n<table class=\"assumptions\"><thead><tr><th>segment</th><th>bounce</th><th>reply</th>"
            + "<th>unsubscribe</th><th>contact groups</th></tr></thead>\n<tbody>\n"
        for segment in assumptions.segments {
            html +=
                "<tr><th>\(Self.escape(segment.name))</th><td>\(Self.escape(segment.bounce))</td><td>\(Self.escape(segment.reply))</td>"
                + "<td>\(Self.escape(segment.unsubscribe ?? "–"))</td><td>\(Self.escape(segment.contacts.joined(separator: "; ")))</td></tr>\n"
        }
        html +=
            "</tbody></table>\n<h3>Reps</h3>\n<table class=\"assumptions\"><thead><tr><th>rep</th><th>skill</th><th>sequence</th>"
            + "<th>completed</th><th>audience</th></tr></thead>\n<tbody>\n"
        for rep in assumptions.reps {
            for (index, line) in rep.enrollments.enumerated() {
                html +=
                    "<tr><th>\(index == 0 ? Self.escape(rep.name) : "")</th><td>\(index == 0 ? Self.escape(rep.skill ?? "1") : "")</td>"
                    + "<td>\(Self.escape(line.sequence))</td><td>\(Self.escape(line.completed))</td><td>\(Self.escape(line.audience))</td></tr>\n"
            }
            page += html
            html = ""
        }
        html += "</tbody></table>\n"
        let stepped = assumptions.sequences.filter { $0.replyShares.count > 1 }
        if !stepped.isEmpty {
            html +=
                "<h3>Sequences with several emails</h3>\n<table class=\"assumptions\"><thead><tr><th>sequence</th>"
                + "<th>share of replies by email</th><th>share of unsubscribes by email</th></tr></thead>\n<tbody>\n"
            for sequence in stepped {
                html +=
                    "<tr><th>\(Self.escape(sequence.name))</th><td>\(sequence.replyShares.map { Format.percent($0, digits: 0) }.joined(separator: " · "))</td>"
                    + "<td>\(sequence.unsubscribeShares.map { Format.percent($0, digits: 0) }.joined(separator: " · "))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        if !assumptions.interventions.isEmpty {
            html +=
                "<h3>Interventions</h3>\n<table class=\"assumptions\"><thead><tr><th>intervention</th><th>kind</th><th>effect</th>"
                + "<th>coverage</th><th>cost</th></tr></thead>\n<tbody>\n"
            for intervention in assumptions.interventions {
                html +=
                    "<tr><th>\(Self.escape(intervention.name))</th><td>\(Self.escape(intervention.kind))</td>"
                    + "<td>\(Self.escape(ReportCells.effect(intervention)))</td><td>\(Self.escape(intervention.coverage))</td>"
                    + "<td>\(intervention.cost.map { Self.escape($0.description) } ?? "–")</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        let rules = assumptions.rules
        html += "<h3>Rule set: \(Self.escape(report.rules))</h3>\n"
        html +=
            "<p class=\"caveat\">\(Self.escape(report.rulesNote ?? "A rule set given by the user; HubSpot does not publish its own points or bands."))</p>\n"
        html +=
            "<p>Reply rate = replied / \(rules.replyDenominator == "delivered" ? "delivered (completed − bounced)" : "completed"); "
            + "a rep needs \(rules.minimumRep) completed enrollments, a sequence \(rules.minimumSequence).</p>\n"
        html +=
            "<div class=\"rules\">" + ruleTable("reply rate from", rules.reply)
            + ruleTable("bounce rate from", rules.bounce)
        html +=
            "<table class=\"assumptions\"><thead><tr><th>points from</th><th>band</th></tr></thead><tbody>"
            + rules.bands.map { "<tr><td>\(Format.number($0.from))</td><td>\(Self.escape($0.name))</td></tr>" }.joined()
            + "</tbody></table></div>\n"
        page += html + Self.sectionEnd
    }

    private func ruleTable(_ title: String, _ rows: [Assumptions.RuleRow]) -> String {
        "<table class=\"assumptions\"><thead><tr><th>\(title)</th><th>points</th></tr></thead><tbody>"
            + rows.map { "<tr><td>\(Format.percent($0.from))</td><td>\(Format.number($0.points))</td></tr>" }.joined()
            + "</tbody></table>"
    }
}
