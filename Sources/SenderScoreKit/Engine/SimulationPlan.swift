/// A scenario laid out for fast trials: flat arrays, numbered levels, and one random lane per
/// purpose.
///
/// Lanes are numbered in the order of the file (segments, then reps and their lines and cohorts)
/// and every purpose gets a lane whether or not it draws, so a parameter that becomes uncertain does
/// not move any other purpose's stream.
public struct SimulationPlan: Sendable {
    /// Something scored: a rep, one sequence of a rep, or the team.
    public struct Level: Sendable, Hashable {
        public var kind: Scorecard.Level
        /// The rep's name, the sequence's name, or "team".
        public var name: String
        /// For a sequence, its rep.
        public var rep: String?
        public var minimum: Int
    }

    /// A per-trial value: a segment rate or a rep's skill. Holds no strings, so the hot loop
    /// copies it without reference counting.
    struct Slot: Sendable {
        var distribution: Parameter.Distribution
        var lane: Int
        var mean: Double
    }

    /// A group of enrollments from one segment in one enrollment line.
    struct Cohort: Sendable {
        var bounceSlot: Int
        var replySlot: Int
        var unsubscribeSlot: Int?
        var skillSlot: Int?
        var bounceLane: Int
        var replyLane: Int
        var unsubscribeLane: Int
    }

    /// One enrollment line of a rep.
    struct Line: Sendable {
        var completed: CountParameter.Distribution
        var countLane: Int
        var splitLane: Int
        /// The line's cohorts; their audience shares are `shares[cohorts]`.
        var cohorts: Range<Int>
        var repLevel: Int
        var sequenceLevel: Int
    }

    public let levels: [Level]
    public let rules: RuleSet
    /// Names of the lanes, in lane order, for documentation and debugging.
    public let laneNames: [String]
    let slots: [Slot]
    /// Indices of the slots that are drawn each trial (the others are fixed).
    let drawnSlots: [Int]
    let lines: [Line]
    let cohorts: [Cohort]
    /// Audience share of each cohort within its line.
    let shares: [Double]

    public var laneCount: Int { laneNames.count }
    /// Whether any segment has an unsubscribe rate, so that unsubscribes are drawn and reported.
    public var modelsUnsubscribes: Bool { cohorts.contains { $0.unsubscribeSlot != nil } }
    public var teamLevel: Int { levels.count - 1 }

    public init(_ scenario: Scenario) {
        var laneNames: [String] = []
        func lane(_ name: String) -> Int {
            laneNames.append(name)
            return laneNames.count - 1
        }
        var slots: [Slot] = []
        func slot(_ parameter: Parameter, _ name: String) -> Int {
            slots.append(Slot(distribution: parameter.distribution, lane: lane(name), mean: parameter.mean))
            return slots.count - 1
        }

        var segmentSlots: [(bounce: Int, reply: Int, unsubscribe: Int?)] = []
        for segment in scenario.segments {
            segmentSlots.append((
                slot(segment.bounce, "segment \(segment.name): bounce rate"),
                slot(segment.reply, "segment \(segment.name): reply rate"),
                segment.unsubscribe.map { slot($0, "segment \(segment.name): unsubscribe rate") }))
        }

        var levels = scenario.reps.map {
            Level(kind: .rep, name: $0.name, rep: nil, minimum: scenario.rules.minimum(for: .rep))
        }
        var lines: [Line] = []
        var cohorts: [Cohort] = []
        var shares: [Double] = []
        for (repIndex, rep) in scenario.reps.enumerated() {
            let skillSlot = rep.skill.map { slot($0, "rep \(rep.name): skill") }
            var sequenceLevels: [String: Int] = [:]
            for sequence in rep.sequences {
                sequenceLevels[sequence] = levels.count
                levels.append(Level(kind: .sequence, name: sequence, rep: rep.name,
                                    minimum: scenario.rules.minimum(for: .sequence)))
            }
            for (lineIndex, enrollment) in rep.enrollments.enumerated() {
                let line = "rep \(rep.name), line \(lineIndex) (\(enrollment.sequence))"
                let countLane = lane("\(line): completed")
                let splitLane = lane("\(line): audience split")
                let first = cohorts.count
                for share in enrollment.audience {
                    let segment = scenario.segments[share.segment].name
                    let slots = segmentSlots[share.segment]
                    cohorts.append(Cohort(
                        bounceSlot: slots.bounce, replySlot: slots.reply, unsubscribeSlot: slots.unsubscribe,
                        skillSlot: skillSlot,
                        bounceLane: lane("\(line), \(segment): bounced"),
                        replyLane: lane("\(line), \(segment): replied"),
                        unsubscribeLane: lane("\(line), \(segment): unsubscribed")))
                }
                shares += enrollment.audience.map(\.share)
                lines.append(Line(
                    completed: enrollment.completed.distribution, countLane: countLane, splitLane: splitLane,
                    cohorts: first..<cohorts.count,
                    repLevel: repIndex, sequenceLevel: sequenceLevels[enrollment.sequence]!))
            }
        }
        levels.append(Level(kind: .team, name: "team", rep: nil, minimum: scenario.rules.minimum(for: .team)))

        self.levels = levels
        self.rules = scenario.rules
        self.laneNames = laneNames
        self.slots = slots
        self.drawnSlots = slots.indices.filter {
            if case .fixed = slots[$0].distribution { return false }
            return true
        }
        self.lines = lines
        self.cohorts = cohorts
        self.shares = shares
    }
}
