/// A scenario's timeline as the engine uses it: per period, where the score window that ends
/// there begins and what history it still holds, level by level.
///
/// A trial draws each cohort's outcome once and adds it to the period its enrollments complete
/// in; the window that ends at period k is the sum of its periods, plus the lines' `inWindow`
/// history that it still holds (`Scenario.Timeline.historyShare`), each count rounded down line by
/// line, so that a rep's history is the sum of its lines' and the team's of its reps'.
public struct TimelineLayout: Sendable {
    public let timeline: Scenario.Timeline
    /// Per period k, the first period (from 0) of the window that ends there, within the horizon.
    public let windowFirst: [Int]
    /// The history the window that ends at period k holds: `history[k * levels + level]`.
    let history: [Counts]

    public var periods: Int { timeline.periods }

    init(_ timeline: Scenario.Timeline, scenario: Scenario, levels: [SimulationPlan.Level]) {
        self.timeline = timeline
        let periods = timeline.periods
        windowFirst = (0..<periods).map { max(0, timeline.windowStart(endingAt: $0)) }
        var history = Array(repeating: Counts.zero, count: periods * levels.count)
        let team = levels.count - 1
        // Each sequence's level by its rep and name, found once rather than searched per line.
        var sequenceLevels: [String: [String: Int]] = [:]
        for (index, level) in levels.enumerated().reversed() where level.kind == .sequence {
            sequenceLevels[level.rep ?? "", default: [:]][level.name] = index
        }
        for (repIndex, rep) in scenario.reps.enumerated() {
            for line in rep.enrollments {
                guard let counts = line.inWindow else { continue }
                let sequenceLevel = sequenceLevels[rep.name]![line.sequence]!
                for period in 0..<periods {
                    let (kept, spread) = timeline.historyShare(endingAt: period)
                    func part(_ count: Int) -> Int { Int((Int128(count) * Int128(kept)) / Int128(spread)) }
                    let held = Counts(
                        completed: part(counts.completed),
                        bounced: part(counts.bounced),
                        replied: part(counts.replied),
                        unsubscribed: part(counts.unsubscribed)
                    )
                    for level in [repIndex, sequenceLevel, team] { history[period * levels.count + level] += held }
                }
            }
        }
        self.history = history
    }

    /// The history the window ending at `period` holds at `level`.
    func history(endingAt period: Int, level: Int, levels: Int) -> Counts {
        history[period * levels + level]
    }
}
