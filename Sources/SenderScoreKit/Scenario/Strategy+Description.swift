extension Scenario {
    /// One line per intervention that `strategy` applies, as reports show it:
    /// "tokens: personalization, reply × triangular(1, 1.2, 1.5), coverage 0.8; reps: ana".
    public func descriptions(of strategy: Strategy) -> [String] {
        strategy.applications.map { application in
            let intervention = interventions[application.intervention]
            var text =
                "\(intervention.name): \(intervention.kind.name)" + intervention.kind.effectWording(intervention.effect)
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

    /// The sum of the costs of the interventions `strategy` applies, or nil when none has a cost.
    public func cost(of strategy: Strategy) -> Double? {
        var cost: Double?
        for application in strategy.applications {
            if let each = interventions[application.intervention].cost { cost = (cost ?? 0) + each }
        }
        return cost
    }
}
