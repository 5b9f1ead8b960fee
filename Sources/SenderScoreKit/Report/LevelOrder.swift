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
    /// Where a row's level is: `reps[index]`, `sequences[index]`, or the team (index 0).
    public struct Position: Sendable, Hashable {
        public var kind: Scorecard.Level
        public var index: Int
    }

    /// The rows' positions for reps and sequences of these names.
    ///
    /// - Complexity: O(reps + sequences).
    public static func positions(
        reps: some Collection<some ReportedLevel>,
        sequences: some Collection<some ReportedLevel>
    ) -> [Position] {
        var positions: [Position] = []
        positions.reserveCapacity(reps.count + sequences.count + 1)
        var sequencesOf: [String: [Int]] = [:]
        for (index, sequence) in sequences.enumerated() {
            if let rep = sequence.rep { sequencesOf[rep, default: []].append(index) }
        }
        for (index, rep) in reps.enumerated() {
            positions.append(Position(kind: .rep, index: index))
            for index in sequencesOf[rep.name] ?? [] { positions.append(Position(kind: .sequence, index: index)) }
        }
        positions.append(Position(kind: .team, index: 0))
        return positions
    }

    ///
    /// - Complexity: O(reps + sequences).
    public static func rows<Level: ReportedLevel>(reps: [Level], sequences: [Level], team: Level) -> [LevelRow<Level>] {
        positions(reps: reps, sequences: sequences).map { position in
            switch position.kind {
            case .rep: return LevelRow(kind: .rep, level: reps[position.index])
            case .sequence: return LevelRow(kind: .sequence, level: sequences[position.index])
            case .team: return LevelRow(kind: .team, level: team)
            }
        }
    }
}

extension LevelReport: ReportedLevel {}

/// A strategy's rows in report order, each level's report (or timeline) built when its row is
/// read (see `LevelList`): read them once where you can.
public struct LevelRows<Report: ReportedLevel & Sendable & Hashable & Codable>: RandomAccessCollection {
    public let reps: LevelList<Report>
    public let sequences: LevelList<Report>
    public let team: Report
    public let positions: [LevelOrder.Position]

    init(reps: LevelList<Report>, sequences: LevelList<Report>, team: Report) {
        self.reps = reps
        self.sequences = sequences
        self.team = team
        positions = LevelOrder.positions(reps: reps.names, sequences: sequences.names)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }

    public subscript(row: Int) -> LevelRow<Report> {
        let position = positions[row]
        switch position.kind {
        case .rep: return LevelRow(kind: .rep, level: reps[position.index])
        case .sequence: return LevelRow(kind: .sequence, level: sequences[position.index])
        case .team: return LevelRow(kind: .team, level: team)
        }
    }

    /// The name and rep of the level of a row, without building its report.
    public func name(at row: Int) -> LevelList<Report>.Name {
        let position = positions[row]
        switch position.kind {
        case .rep: return reps.name(at: position.index)
        case .sequence: return sequences.name(at: position.index)
        case .team: return LevelList<Report>.Name(name: team.name, rep: team.rep)
        }
    }
}

/// A strategy's reports in report order (`LevelRows`).
public typealias StrategyRows = LevelRows<LevelReport>

extension StrategyReport {
    /// The strategy's levels in report order, each built when its row is read.
    public var levelRows: StrategyRows { StrategyRows(reps: repLevels, sequences: sequenceLevels, team: team) }

    /// The strategy's levels in report order, built and held.
    public var rows: [LevelRow<LevelReport>] { Array(levelRows) }

    /// Every rep's report, then the team's, each built when read: what the HTML report's charts
    /// draw.
    public typealias RepsAndTeam = LazyMapCollection<Range<Int>, LevelReport>

    /// Every rep's report, then the team's, each built when read (`RepsAndTeam`).
    public var repsAndTeam: RepsAndTeam {
        let (reps, team) = (repLevels, team)
        return (0..<reps.count + 1).lazy.map { $0 < reps.count ? reps[$0] : team }
    }
}
