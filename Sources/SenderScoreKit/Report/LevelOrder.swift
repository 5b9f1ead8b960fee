/// A scored level as reports list it: a rep, one sequence of a rep, or the team.
public protocol ReportedLevel {
    /// The rep's or sequence's name, or "team".
    var name: String { get }
    /// For a sequence, its rep.
    var rep: String? { get }
}

/// One row of a table of levels.
public struct LevelRow<Level: ReportedLevel> {
    public var kind: Scorecard.Level
    public var level: Level
}

/// The order in which every format lists levels: each rep followed by its own sequences, then
/// the team.
public enum LevelOrder {
    ///
    /// - Complexity: O(reps + sequences).
    public static func rows<Level: ReportedLevel>(reps: [Level], sequences: [Level], team: Level) -> [LevelRow<Level>] {
        var rows: [LevelRow<Level>] = []
        rows.reserveCapacity(reps.count + sequences.count + 1)
        var sequencesOf: [String: [Int]] = [:]
        for (index, sequence) in sequences.enumerated() {
            if let rep = sequence.rep { sequencesOf[rep, default: []].append(index) }
        }
        for rep in reps {
            rows.append(LevelRow(kind: .rep, level: rep))
            for index in sequencesOf[rep.name] ?? [] {
                rows.append(LevelRow(kind: .sequence, level: sequences[index]))
            }
        }
        rows.append(LevelRow(kind: .team, level: team))
        return rows
    }
}

extension LevelReport: ReportedLevel {}

extension StrategyReport {
    /// The strategy's levels in report order.
    public var rows: [LevelRow<LevelReport>] { LevelOrder.rows(reps: reps, sequences: sequences, team: team) }
}
