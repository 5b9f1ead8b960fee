extension Scenario {
    /// One line per intervention that `strategy` applies, as reports show it:
    /// "tokens: personalization, reply × triangular(1, 1.2, 1.5), coverage 0.8; reps: ana".
    public func descriptions(of strategy: Strategy) -> [String] {
        strategy.applications.map { application in
            let intervention = interventions[application.intervention]
            var text =
                "\(intervention.name): \(intervention.kind.name)"
                + intervention.kind.effectWording(intervention.effect, second: intervention.unsubscribeHazard)
            if intervention.kind.reach == .listedSegments {
                text += " on " + intervention.matchedSegments.map { segments[$0].name }.joined(separator: ", ")
                if intervention.dropUnmatched { text += ", other segments dropped" }
            }
            if !(intervention.coverage.isFixed && intervention.coverage.mean == 1) {
                text += ", coverage \(intervention.coverage.description)"
            }
            if let reps = application.reps { text += "; reps: " + reps.joined(separator: ", ") }
            if let sequences = application.sequences { text += "; sequences: " + sequences.joined(separator: ", ") }
            return text
        }
    }

    /// What `strategy` costs, or nil when none of its interventions has a cost.
    ///
    /// Each intervention counts once, however the strategy splits its scope into entries: its
    /// fixed part, its per-rep part for every rep with an enrollment line in scope, and its
    /// per-enrollment part for the completed enrollments of those lines (their mean, with a 95%
    /// range from the lines' independent volumes when any is uncertain). With a timeline, the
    /// per-enrollment part is of the enrollments the lines start from the intervention's start to
    /// the end of the horizon.
    public func cost(of strategy: Strategy) -> StrategyCost? {
        var mean = 0.0
        var variance = 0.0
        var priced = false
        var seen: [Int] = []
        for application in strategy.applications where !seen.contains(application.intervention) {
            let index = application.intervention
            seen.append(index)
            guard let cost = interventions[index].cost else { continue }
            priced = true
            var reps = 0
            for rep in self.reps {
                let lines = rep.enrollments.filter { line in
                    strategy.applications.contains {
                        $0.intervention == index && $0.applies(rep: rep.name, sequence: line.sequence)
                    }
                }
                if !lines.isEmpty { reps += 1 }
                for line in lines {
                    // With a timeline, the enrollments started in the horizon from the lever's start.
                    let volumes =
                        timeline.map { timeline in
                            let first = min(interventions[index].startPeriod - 1, timeline.periods)
                            return (first..<timeline.periods).map { line.started(inPeriod: $0) }
                        } ?? [line.completed]
                    for volume in volumes {
                        mean += cost.perEnrollment * volume.mean
                        variance += cost.perEnrollment * cost.perEnrollment * volume.distribution.variance
                    }
                }
            }
            mean += cost.fixed + cost.perRep * Double(reps)
        }
        guard priced else { return nil }
        let spread = 1.96 * variance.squareRoot()
        return StrategyCost(mean: mean, low: max(0, mean - spread), high: mean + spread)
    }
}
