extension Scenario {
    /// What a user should know before trusting a run of this scenario, though it is not an
    /// error: segments whose contact groups do not say whom the rates are of, and segments that
    /// no longer reproduce the export they were fitted from (`observed`).
    public var warnings: [String] {
        var warnings: [String] = []
        for segment in segments {
            let path = "\(file.isEmpty ? "" : "\(file): ")segments.\(segment.name)"
            let overall = segment.overallRatesAtMeans()
            if !segment.contacts.isEmpty, segment.rates == nil {
                warnings.append(
                    "\(path): the segment has contact groups but does not say whom its rates are of; they are read as "
                        + "the regular contacts' (`rates: regular`), so with the groups the segment bounces "
                        + "\(Format.percent(overall.bounce, digits: 2)) and replies \(Format.percent(overall.reply, digits: 2)) "
                        + "at the means instead of the stated \(Format.percent(segment.bounce.mean, digits: 2)) and "
                        + "\(Format.percent(segment.reply.mean, digits: 2)); write `rates: overall` to keep the stated "
                        + "rates as the segment's, or `rates: regular` to keep this meaning"
                )
            }
            for risk in segment.calibrationRisks() where risk.probability > Self.calibrationRiskShown {
                warnings.append(
                    "\(path): in about \(Format.percent(risk.probability, digits: risk.probability < 0.01 ? 2 : 1)) of trials "
                        + "the drawn \(risk.rate) rate falls outside the \(Format.percent(risk.reachable.lowerBound, digits: 2))–"
                        + "\(Format.percent(risk.reachable.upperBound, digits: 2)) its contact groups can reach (at the means of "
                        + "their own rates); those trials hold the regular contacts at 0 or 100% and the segment's rate is "
                        + "the nearest reachable, not the drawn one: lower the groups' own rates or give them as multiples"
                )
            }
            if let observed = segment.observed {
                let hint =
                    !segment.contacts.isEmpty && !segment.isCalibrated
                    ? "; its contact groups come on top of its rates: write `rates: overall` to keep the fitted "
                        + "rates as the segment's" : ""
                warnings += Self.drift(of: overall, from: observed, at: path, hint: hint)
            }
        }
        if let timeline { warnings += timelineWarnings(timeline) }
        return warnings
    }

    /// A timeline's history that no window holds, and levers that start too late to reach an
    /// enrollment completing within the horizon.
    private func timelineWarnings(_ timeline: Timeline) -> [String] {
        var warnings: [String] = []
        let prefix = file.isEmpty ? "" : "\(file): "
        let held = (0..<timeline.periods).contains { timeline.historyShare(endingAt: $0).numerator > 0 }
        if !held, reps.contains(where: { $0.enrollments.contains { $0.inWindow != nil } }) {
            warnings.append(
                "\(prefix)timeline: no window of the horizon holds the lines' inWindow history (the window that ends "
                    + "just before period 1 is \(timeline.window == .quarter ? "the previous quarter" : "one period long")), "
                    + "so it changes nothing"
            )
        }
        for strategy in strategies {
            let reaches = strategy.applications.contains { application in
                let start = interventions[application.intervention].startPeriod - 1
                return reps.contains { rep in
                    rep.enrollments.contains { line in
                        // Enrollments started in `start` or later that complete within the horizon.
                        application.applies(rep: rep.name, sequence: line.sequence)
                            && start + completionLag(of: line.sequence, in: timeline).periods < timeline.periods
                    }
                }
            }
            if !reaches, !strategy.applications.isEmpty {
                warnings.append(
                    "\(prefix)strategies.\(strategy.name): its interventions start too late for any enrollment they reach "
                        + "to complete within the timeline's \(timeline.periods) \(timeline.length.rawValue)s, so it is the "
                        + "baseline exactly"
                )
            }
        }
        return warnings
    }

    /// The share of trials a calibration may miss before a run says so.
    static let calibrationRiskShown = 0.001

    /// The level of the Jeffreys interval a fitted segment's rates must stay in.
    static let driftLevel = 0.95

    /// Warnings for each rate of `rates` outside the central 95% interval (Jeffreys) of the
    /// observed counts.
    static func drift(
        of rates: Segment.MemberRates,
        from observed: Observed,
        at path: String,
        hint: String
    ) -> [String] {
        var checks: [(String, Double, Int, Int)] = [
            ("bounce", rates.bounce, observed.bounced, observed.completed),
            ("reply", rates.reply, observed.replied, observed.delivered),
        ]
        if let unsubscribed = observed.unsubscribed, let rate = rates.unsubscribe {
            checks.append(("unsubscribe", rate, unsubscribed, observed.delivered - observed.replied))
        }
        var warnings: [String] = []
        for (name, rate, successes, trials) in checks where trials > 0 {
            // The data's uncertainty: the pooled posterior fit wrote, else Jeffreys' from the
            // counts; its mean counts as inside even where a skewed interval would leave it out.
            let fitted = observed.fitted[name]
            let alpha = fitted?.alpha ?? Double(successes) + 0.5
            let beta = fitted?.beta ?? Double(trials - successes) + 0.5
            let tail = (1 - driftLevel) / 2
            let mean = alpha / (alpha + beta)
            let low = min(mean, Densities.betaQuantile(tail, alpha: alpha, beta: beta))
            let high = max(mean, Densities.betaQuantile(1 - tail, alpha: alpha, beta: beta))
            guard rate < low || rate > high else { continue }
            warnings.append(
                "\(path): the segment's \(name) rate over all its contacts is \(Format.percent(rate, digits: 2)) at "
                    + "the means, outside the \(Format.percent(driftLevel, digits: 0)) interval "
                    + (fitted != nil ? "(of fit's pooled posterior) " : "")
                    + "\(Format.percent(low, digits: 2))–\(Format.percent(high, digits: 2)) of the export it was "
                    + "fitted from (\(Format.count(successes)) of \(Format.count(trials)), "
                    + "\(Format.percent(Double(successes) / Double(trials), digits: 2))), so its baseline no longer "
                    + "matches the data"
                    + hint
            )
        }
        return warnings
    }
}
