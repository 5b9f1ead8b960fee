import Foundation

/// The per-trial table of `run --trials-out`: one row per trial with the drawn inputs and, for
/// every strategy, each rep's, sequence's and the team's outcome.
///
/// Columns: `trial`; then every input a trial draws, named by its purpose ("segment core: reply
/// rate", "rep ana, line 0 (outbound): completed"); then per strategy and level
/// "<strategy>: <level>: completed | bounced | replied | score | band", the level being the rep,
/// "rep / sequence" or "team". The score is empty when the level is Ineligible, and the band is
/// then "Ineligible". Numbers are written in their shortest exact form.
///
/// With a timeline, the columns above are the last period's window, and then per strategy, level
/// and period come "<strategy>: <level>: week 3: completed | bounced | replied" (the cohorts that
/// complete in the period) and "<strategy>: <level>: window to week 3: completed | bounced |
/// replied | score | band" (the window that ends there, the history it holds included).
public struct TrialTable: Sendable {
    /// The drawn parameter slots and the enrollment lines with a drawn volume, in lane order.
    let slots: [Int]
    let lines: [Int]
    public let header: [String]

    public static let outcomeColumns = ["completed", "bounced", "replied", "score", "band"]

    public init(plan: SimulationPlan) {
        slots = plan.drawnSlots
        lines = plan.lines.indices.filter {
            if case .fixed = plan.lines[$0].completed { return false }
            return true
        }
        var header = ["trial"]
        header += slots.map { plan.laneName(plan.slots[$0].lane) }
        header += lines.map { plan.laneName(plan.lines[$0].countLane) }
        for strategy in plan.strategyNames {
            for level in plan.levels {
                let name = level.kind == .sequence ? "\(level.rep ?? "") / \(level.name)" : level.name
                header += Self.outcomeColumns.map { "\(strategy): \(name): \($0)" }
            }
        }
        if let timeline = plan.timeline {
            let unit = timeline.timeline.length.rawValue
            for strategy in plan.strategyNames {
                for level in plan.levels {
                    let name = level.kind == .sequence ? "\(level.rep ?? "") / \(level.name)" : level.name
                    for period in 1...timeline.periods {
                        header += Self.periodColumns.map { "\(strategy): \(name): \(unit) \(period): \($0)" }
                        header += Self.outcomeColumns.map { "\(strategy): \(name): window to \(unit) \(period): \($0)" }
                    }
                }
            }
        }
        self.header = header
    }

    /// A timeline period's own columns: the cohorts that complete in it.
    public static let periodColumns = ["completed", "bounced", "replied"]

    /// The header as a CSV line.
    public var headerLine: String { header.map(CSVField.escaped).joined(separator: ",") + "\n" }

    /// Appends trial `trial`'s row from `runner`, which has just run it.
    func appendRow(trial: Int, runner: TrialRunner, into bytes: inout [UInt8]) {
        let plan = runner.plan
        func number(_ value: Double) {
            if value == value.rounded(), abs(value) < 1e15 {
                bytes.append(contentsOf: String(Int64(value)).utf8)
            } else {
                bytes.append(contentsOf: "\(value)".utf8)
            }
        }
        func comma() { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: String(trial).utf8)
        for slot in slots {
            comma()
            number(runner.values[slot])
        }
        for line in lines {
            comma()
            bytes.append(contentsOf: String(runner.lineSizes[line]).utf8)
        }
        let scale = pow(10, Double(plan.rules.scoreScale))
        func counted(_ counts: Counts) {
            for value in [counts.completed, counts.bounced, counts.replied] {
                comma()
                bytes.append(contentsOf: String(value).utf8)
            }
        }
        func scored(_ counts: Counts, level: SimulationPlan.Level) {
            let outcome = plan.rules.outcome(counts, minimum: level.minimum)
            counted(counts)
            comma()
            if let cell = outcome.cell { number(Double(plan.rules.cellScoreUnits[cell]) / scale) }
            comma()
            bytes.append(
                contentsOf: CSVField.escaped(
                    outcome.cell == nil ? RuleSet.ineligible : plan.rules.bandNames[outcome.band]
                )
                .utf8
            )
        }
        for strategy in 0..<runner.strategyCount {
            for (index, level) in plan.levels.enumerated() {
                scored(runner.counts[strategy * plan.levels.count + index], level: level)
            }
        }
        if let timeline = plan.timeline {
            var windows: [Counts] = []
            var running: [Counts] = []
            runner.windows(into: &windows, running: &running)
            let levels = plan.levels.count
            for strategy in 0..<runner.strategyCount {
                for (index, level) in plan.levels.enumerated() {
                    for period in 0..<timeline.periods {
                        let row = (strategy * timeline.periods + period) * levels + index
                        counted(runner.periodCounts[row])
                        scored(windows[row], level: level)
                    }
                }
            }
        }
        bytes.append(UInt8(ascii: "\n"))
    }
}
