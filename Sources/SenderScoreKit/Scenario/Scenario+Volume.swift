extension Scenario {
    /// The same scenario with every rep completing exactly `perRep` enrollments, split over the
    /// rep's enrollment lines in proportion to their mean volumes. For the scaling benchmark.
    public func withCompleted(perRep: Int) -> Scenario {
        var copy = self
        for repIndex in copy.reps.indices {
            let means = copy.reps[repIndex].enrollments.map(\.completed.mean)
            let total = max(means.reduce(0, +), 1)
            var assigned = 0
            for lineIndex in copy.reps[repIndex].enrollments.indices {
                let isLast = lineIndex == copy.reps[repIndex].enrollments.count - 1
                let count = isLast ? perRep - assigned : Int((Double(perRep) * means[lineIndex] / total).rounded())
                copy.reps[repIndex].enrollments[lineIndex].completed = .fixed(max(0, count))
                assigned += count
            }
        }
        return copy
    }
}
