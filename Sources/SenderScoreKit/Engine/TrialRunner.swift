/// Runs trials of a plan: draws the per-trial parameters, then the counts of every cohort, and
/// adds them up per level.
///
/// Counts are drawn, never individual contacts, so a trial costs the same for 100 or 100,000
/// enrollments. Not `Sendable`: one per task.
struct TrialRunner {
    let plan: SimulationPlan
    private let lanes: RandomLanes
    /// Per-trial values of the plan's slots.
    private var values: [Double]
    /// Counts per level of the last trial.
    private(set) var levelCounts: [Counts]
    private var split: [UInt32]

    init(plan: SimulationPlan, lanes: RandomLanes) {
        self.plan = plan
        self.lanes = lanes
        values = plan.slots.map(\.mean)
        levelCounts = Array(repeating: .zero, count: plan.levels.count)
        split = Array(repeating: 0, count: plan.lines.map(\.cohorts.count).max() ?? 0)
    }

    /// Runs one trial; the result is in `levelCounts`.
    mutating func run() {
        for index in plan.drawnSlots {
            let slot = plan.slots[index]
            values[index] = lanes.sample(slot.distribution, lane: slot.lane)
        }
        for index in levelCounts.indices {
            levelCounts[index] = .zero
        }
        let team = plan.teamLevel
        for line in plan.lines {
            let n = min(lanes.sample(line.completed, lane: line.countLane), Scenario.maximumCompleted)
            var lineCounts = Counts.zero
            if line.cohorts.count == 1 {
                lineCounts = cohortCounts(plan.cohorts[line.cohorts.lowerBound], completed: n)
            } else {
                plan.shares.withUnsafeBufferPointer { shares in
                    split.withUnsafeMutableBufferPointer { counts in
                        lanes.multinomial(line.splitLane, n: n, probabilities: UnsafeBufferPointer(rebasing: shares[line.cohorts]),
                                          into: counts)
                    }
                }
                for (offset, cohortIndex) in line.cohorts.enumerated() {
                    lineCounts += cohortCounts(plan.cohorts[cohortIndex], completed: Int(split[offset]))
                }
            }
            levelCounts[line.repLevel] += lineCounts
            levelCounts[line.sequenceLevel] += lineCounts
            levelCounts[team] += lineCounts
        }
    }

    /// bounced ~ Binomial(n, bounce); replied ~ Binomial(delivered, reply × skill);
    /// unsubscribed ~ Binomial(delivered − replied, unsubscribe).
    private func cohortCounts(_ cohort: SimulationPlan.Cohort, completed n: Int) -> Counts {
        let bounced = lanes.binomial(cohort.bounceLane, n: n, p: values[cohort.bounceSlot])
        let delivered = n - bounced
        var reply = values[cohort.replySlot]
        if let skill = cohort.skillSlot {
            reply = min(1, reply * values[skill])
        }
        let replied = lanes.binomial(cohort.replyLane, n: delivered, p: reply)
        let unsubscribed = cohort.unsubscribeSlot.map {
            lanes.binomial(cohort.unsubscribeLane, n: delivered - replied, p: values[$0])
        } ?? 0
        return Counts(completed: n, bounced: bounced, replied: replied, unsubscribed: unsubscribed)
    }
}
