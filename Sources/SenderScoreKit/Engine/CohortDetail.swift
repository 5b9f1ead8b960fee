/// How the enrollments of one cohort ended in one trial, email by email: what `synth` expands
/// into rows. Index k of each array is the (k+1)-th email.
public struct CohortDetail: Sendable, Hashable {
    /// Index into `SimulationPlan.cohorts`.
    public var cohort: Int
    public var completed = 0
    /// Bounced at the first email.
    public var bounced = 0
    public var repliedAt: [Int]
    public var unsubscribedAt: [Int]
    /// Ended without reply or unsubscribe after this email (the last one, or one they skipped after).
    public var finishedAfter: [Int]

    init(cohort: Int, steps: Int) {
        self.cohort = cohort
        repliedAt = Array(repeating: 0, count: steps)
        unsubscribedAt = repliedAt
        finishedAfter = repliedAt
    }
}
