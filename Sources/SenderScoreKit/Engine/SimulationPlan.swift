/// A scenario laid out for fast trials: flat arrays, numbered levels, per-strategy effects, and
/// one random lane per purpose.
///
/// Every purpose gets a lane whether or not it draws, so a parameter that becomes uncertain moves
/// no other purpose's stream. The baseline's lanes come first, in the order of the file
/// (segments and their contacts, reps' skills, then the reps' lines and cohorts); then the lanes
/// only strategies draw from (every intervention of the scenario, then each cohort's removals,
/// caught bounces, skipped emails and follow-ups), whichever strategies the plan holds. See
/// `TrialStreams`.
///
/// With a timeline, each enrollment line is laid out once per period it starts enrollments in
/// ("…, started in week 3"), each with lanes of its own, and its cohorts complete in a period of
/// the horizon (`Cohort.period`); slots are not repeated, so what is drawn once per trial stays
/// so. See `TimelineLayout`.
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

    /// A per-trial value: a segment rate, a rep's skill, an intervention's effect. Holds no
    /// strings, so the hot loop copies it without reference counting.
    struct Slot: Sendable {
        var distribution: ContinuousDistribution
        var lane: Int
        var mean: Double
    }

    /// A slot whose value is `min(1, factor × base)` each trial: a contact group's default rate.
    struct DerivedSlot: Sendable {
        var target: Int
        var base: Int
        var factor: Double
    }

    /// A segment with calibrated contact groups (`rates: overall`): each trial its regular
    /// contacts' rates are solved from its drawn overall rates, so that the mixture has exactly
    /// those (`ContactMixture`).
    struct Calibration: Sendable {
        var bounce: Int
        var reply: Int
        var unsubscribe: Int?
        /// The regular contacts, then each group; in `calibrationMembers`.
        var members: Range<Int>
    }

    /// A member of a calibrated segment: its share and, per rate, the slot that holds it and its
    /// multiple of the regular contacts' rate (nil for a rate of its own, drawn in its slot).
    struct CalibrationMember: Sendable {
        var share: Double
        var bounce: Int
        var bounceFactor: Double?
        var reply: Int
        var replyFactor: Double?
        var unsubscribe: Int?
        var unsubscribeFactor: Double?
    }

    /// One enrollment line of a rep.
    struct Line: Sendable {
        var completed: CountDistribution
        var countLane: Int
        var splitLane: Int
        /// The line's segment groups; their audience shares are `groupShares[groups]`.
        var groups: Range<Int>
        var repLevel: Int
        var sequenceLevel: Int
        /// Whether its volume is an uncertain input of the plan (`uncertainInputs`): a timeline's
        /// per-period volumes are noise drawn per period, not a parameter.
        var isInput = true
    }

    /// A line's enrollments from one segment, split further among its contact groups.
    struct SegmentGroup: Sendable {
        var splitLane: Int
        /// The group's cohorts; their shares are `cohortShares[cohorts]`.
        var cohorts: Range<Int>
    }

    /// The unit outcomes are drawn for: enrollments of one line, one segment, one contact group.
    struct Cohort: Sendable {
        var bounceSlot: Int
        var replySlot: Int
        var unsubscribeSlot: Int?
        var skillSlot: Int?
        /// Index into `sequences`.
        var sequence: Int
        var repLevel: Int
        var sequenceLevel: Int
        /// With a timeline, the period (from 0) in which its enrollments complete.
        var period = 0
        var bounceLane: Int
        var replyLane: Int
        var unsubscribeLane: Int
        /// The lanes of the sequence's own second email, third, ….
        var ownStepLanes: Range<Int>
        var removalLane = 0
        var caughtLane = 0
        /// Who skips an email (a partly dropped last email, a follow-up for part of the cohort).
        var skipLane = 0
        /// The lanes of the emails strategies add after the sequence's own.
        var followUpLanes: Range<Int> = 0..<0

        /// The lane of email `step + 1` (step 0 is the first email, which has its own lanes).
        func stepLane(_ step: Int) -> Int {
            step <= ownStepLanes.count
                ? ownStepLanes.lowerBound + step - 1 : followUpLanes.lowerBound + step - 1 - ownStepLanes.count
        }
    }

    /// The reply and unsubscribe shares of a sequence's steps.
    struct Steps: Sendable {
        var replyShares: [Double]
        var unsubscribeShares: [Double]
    }

    /// One way a strategy changes a cohort, with the slots that hold its per-trial values.
    struct Effect: Sendable {
        /// Reply multiplier: reply × (1 + coverage × (value − 1)). Removal and caught bounces: a
        /// share value × coverage. A follow-up for a share `coverage`, with hazards `value` and
        /// `second` times the last step's. A dropped step: a share `coverage` skips the last email.
        var kind: InterventionKind.Family
        /// The effect's size (lift, efficacy, reply hazard); nil means 1.
        var value: Int?
        /// For a follow-up: its unsubscribe hazard factor; nil means 1.
        var second: Int?
        var coverage: Int
        /// The share of the effect the cohort's enrollments get: 1, or with a timeline the
        /// intervention's ramp in the period they started (never 0: such effects are left out).
        var scale = 1.0
    }

    /// Who and what a cohort is, for exports.
    public struct CohortOwner: Sendable, Hashable {
        public var rep: String
        public var sequence: String
        public var segment: String
        /// The contact group, or nil for the segment's regular contacts.
        public var contacts: ContactKind?
    }

    public let levels: [Level]
    /// Per level, the first level with exactly its cohorts (a rep's only sequence is its rep;
    /// reps with nothing to score are alike), or nil: its counts equal that level's in every
    /// trial, under every strategy.
    let sameCohorts: [Int?]
    /// Per level, an earlier level whose outcome it shares in every trial (the same cohorts and
    /// the same minimum of enrollments), or nil: runs score it once. Runs also keep the
    /// distributions of counts once per set of cohorts (`SimulationSummary.copyCountDistributions`),
    /// so a team of reps who each run one sequence records about half its rows' histograms.
    let sharesOutcomeWith: [Int?]
    public let rules: RuleSet
    public let cohortOwners: [CohortOwner]
    /// Emails per sequence, in `cohorts[i].sequence` order.
    public var stepCounts: [Int] { sequences.map(\.replyShares.count) }
    /// The baseline, then the scenario's strategies.
    public let strategyNames: [String]
    /// The rows a run scores and summarises: every level under every strategy.
    public var rowCount: Int { levels.count * strategyNames.count }
    /// Names of the lanes, in lane order, for documentation and debugging.
    private let laneNameList: LaneNames
    /// The lanes of the baseline are `0..<baselineLaneCount`; the others only strategies draw from.
    public let baselineLaneCount: Int
    /// The lanes a trial seeds: every lane some draw of this plan can use.
    let trialLanes: [Int]
    private(set) var slots: [Slot]
    /// Indices of the slots that are drawn each trial (the others are fixed).
    private(set) var drawnSlots: [Int]
    let derivedSlots: [DerivedSlot]
    let calibrations: [Calibration]
    let calibrationMembers: [CalibrationMember]
    private(set) var lines: [Line]
    let groups: [SegmentGroup]
    let groupShares: [Double]
    let cohorts: [Cohort]
    let cohortShares: [Double]
    let sequences: [Steps]
    /// Every strategy's effects, flat; `effectRanges[strategy * cohorts.count + cohort]` indexes
    /// them. Strategy 0 is the baseline, which has none.
    let effects: [Effect]
    let effectRanges: [Range<Int>]
    /// The lanes any strategy draws outcomes from: saved before the baseline and restored before
    /// each strategy, so that all strategies see the same randomness (common random numbers).
    let outcomeLanes: [Int]
    /// The most steps any cohort can take under any strategy.
    let maximumSteps: Int
    /// Per strategy, the most steps any cohort can take under it: what its reports show.
    public let strategySteps: [Int]

    /// A digest of the scenario's content (its rule set included, its file name not), for the
    /// fingerprints of results.
    public let contentDigest: String

    public var laneCount: Int { laneNameList.count }

    /// The names of the lanes, in lane order (`laneName(_:)` reads one without the others).
    public var laneNames: [String] { Array(laneNameList) }

    /// The name of lane `lane`.
    public func laneName(_ lane: Int) -> String { laneNameList[lane] }

    /// The streams of this plan's trials with `seed`, every lane numbered (`TrialStreams`).
    public func streams(seed: UInt64) -> TrialStreams {
        TrialStreams(seed: seed, baselineLanes: baselineLaneCount, strategyLanes: laneCount - baselineLaneCount)
    }

    /// The streams of a run of `trials` trials: `streams(seed:)` when they fit, otherwise the
    /// dense layout, which numbers only the lanes trials seed.
    public func streams(seed: UInt64, trials: Int) -> TrialStreams {
        let numbered = streams(seed: seed)
        guard trials > numbered.trialCapacity else { return numbered }
        return TrialStreams(seed: seed, lanes: laneCount, baselineLanes: baselineLaneCount, seeded: trialLanes)
    }

    /// The lanes a trial seeds: those some draw can use.
    public var seededLaneCount: Int { trialLanes.count }

    /// The most trials a run of this plan can have (`run`; planning and sensitivity keep to
    /// `streams(seed:)`).
    public var runTrialCapacity: Int {
        // The dense layout's, which any run too large for the first takes (the seed changes nothing).
        streams(seed: 0, trials: .max).trialCapacity
    }
    public var teamLevel: Int { levels.count - 1 }

    /// Per level, the indices of the cohorts it counts, in cohort order.
    ///
    /// - Complexity: O(cohorts + levels).
    func cohortsByLevel() -> [[Int]] { Self.cohortsByLevel(cohorts, levels: levels.count) }

    private static func cohortsByLevel(_ cohorts: [Cohort], levels: Int) -> [[Int]] {
        let team = levels - 1
        var byLevel = Array(repeating: [Int](), count: levels)
        for (index, cohort) in cohorts.enumerated() {
            byLevel[cohort.repLevel].append(index)
            if cohort.sequenceLevel != cohort.repLevel { byLevel[cohort.sequenceLevel].append(index) }
            if team != cohort.repLevel, team != cohort.sequenceLevel { byLevel[team].append(index) }
        }
        return byLevel
    }

    /// Per entry, the index of the first entry equal to it, when that is an earlier one.
    private static func firstLevelsAlike(_ byLevel: [[Int]]) -> [Int?] {
        var first: [[Int]: Int] = [:]
        return byLevel.enumerated().map { level, cohorts in
            if let earlier = first[cohorts] { return earlier }
            first[cohorts] = level
            return nil
        }
    }

    /// Band integrals computed by runs of this plan (`ConditionalBands`), shared by its threads
    /// and its runs.
    let bandIntegrals = BandIntegral.Cache()

    /// How runs of this plan estimate band probabilities (`estimating(with:)` sets it).
    public private(set) var bandEstimator: BandEstimator = .counts

    /// Whether runs estimate band probabilities given all but each trial's replies
    /// (`ConditionalBands`): when asked, except with a timeline, whose windows count trials.
    public var estimatesBandsConditionally: Bool { bandEstimator == .conditional && timeline == nil }

    /// This plan, estimating band probabilities as `options` ask.
    public func estimating(with options: SimulationOptions) -> SimulationPlan {
        var plan = self
        plan.bandEstimator = options.bandEstimator
        return plan
    }
    /// Whether any segment has an unsubscribe rate, so that unsubscribes are reported.
    public let modelsUnsubscribes: Bool
    /// The scenario's timeline laid out, or nil: then the run is one window.
    public let timeline: TimelineLayout?

    // MARK: Building

    public init(_ scenario: Scenario) {
        var builder = Builder(scenario)
        builder.build()
        contentDigest = RunFingerprint.digest(of: scenario)
        // The builder's arrays grew by appending, up to twice their size: the plan keeps copies
        // of exactly their size (a 10,000-rep team's plan is most of a megabyte smaller), and
        // the builder lets each go once it is copied, so that a large team's plan is never held
        // twice over.
        levels = Self.exactly(builder.levels)
        rules = scenario.rules
        cohortOwners = builder.cohortOwners.map {
            CohortOwner(
                rep: $0.rep,
                sequence: $0.sequence,
                segment: scenario.segments[$0.segment].name,
                contacts: $0.kind
            )
        }
        builder.cohortOwners = []
        strategyNames = [Strategy.baselineName] + scenario.strategies.map(\.name)
        builder.laneNames.compact()
        laneNameList = builder.laneNames
        builder.laneNames = LaneNames()
        let laneCount = laneNameList.count
        outcomeLanes = builder.lanesDrawn(of: laneCount)
        let slots = Self.exactly(taking: &builder.slots)
        self.slots = slots
        drawnSlots = slots.indices.filter {
            if case .fixed = slots[$0].distribution { return false }
            return true
        }
        derivedSlots = builder.derived
        calibrations = builder.calibrations
        calibrationMembers = builder.calibrationMembers
        lines = Self.exactly(taking: &builder.lines)
        groups = Self.exactly(taking: &builder.groups)
        groupShares = Self.exactly(taking: &builder.groupShares)
        let cohorts = Self.exactly(taking: &builder.cohorts)
        self.cohorts = cohorts
        cohortShares = Self.exactly(taking: &builder.cohortShares)
        let levels = builder.levels
        sameCohorts = Self.firstLevelsAlike(Self.cohortsByLevel(cohorts, levels: levels.count))
        sharesOutcomeWith = sameCohorts.enumerated().map { level, same in
            same.flatMap { levels[$0].minimum == levels[level].minimum ? $0 : nil }
        }
        sequences = builder.steps
        effects = builder.effects
        effectRanges = Self.exactly(Array(builder.effectRanges.joined()))
        baselineLaneCount = builder.baselineLaneCount
        var seeded = outcomeLanes
        for index in drawnSlots { seeded.append(slots[index].lane) }
        for line in lines {
            if case .fixed = line.completed {} else { seeded.append(line.countLane) }
            if line.groups.count > 1 { seeded.append(line.splitLane) }
        }
        for group in groups where group.cohorts.count > 1 { seeded.append(group.splitLane) }
        trialLanes = Self.sortedUnique(seeded, below: laneCount)
        maximumSteps = builder.maximumSteps
        strategySteps = builder.strategySteps
        modelsUnsubscribes = cohorts.contains { $0.unsubscribeSlot != nil }
        timeline = scenario.timeline.map { TimelineLayout($0, scenario: scenario, levels: builder.levels) }
    }

    private struct Builder {
        let scenario: Scenario
        var laneNames = LaneNames()
        var slots: [Slot] = []
        var derived: [DerivedSlot] = []
        var calibrations: [Calibration] = []
        var calibrationMembers: [CalibrationMember] = []
        var levels: [Level] = []
        var lines: [Line] = []
        var groups: [SegmentGroup] = []
        var groupShares: [Double] = []
        var cohorts: [Cohort] = []
        var cohortShares: [Double] = []
        var steps: [Steps] = []
        var effects: [Effect] = []
        var effectRanges: [[Range<Int>]] = []
        var maximumSteps = 1
        var strategySteps: [Int] = []
        var baselineLaneCount = 0
        /// The names of the cohorts, for their strategy lanes.
        var laneOwners: [String] = []
        /// Each sequence's index in `steps`.
        var sequenceIndex: [String: Int] = [:]
        /// Per segment: the slots of the regular contacts, then of each contact group.
        var contactSlots: [[(kind: ContactKind?, share: Double, bounce: Int, reply: Int, unsubscribe: Int?)]] = []
        /// Per intervention: the slots of its effect, second factor and coverage.
        var interventionSlots: [(value: Int?, second: Int?, coverage: Int)] = []
        /// The rep and segment of each cohort, to decide which interventions reach it.
        var cohortOwners: [(rep: String, sequence: String, segment: Int, kind: ContactKind?)] = []
        /// The period each cohort's enrollments started in (0 without a timeline).
        var cohortStarts: [Int] = []

        init(_ scenario: Scenario) {
            self.scenario = scenario
        }

        /// The slots of a calibrated segment's members: the regular contacts' rates and the
        /// groups' multiples are computed each trial, the groups' own rates drawn.
        mutating func calibrate(
            _ segment: Scenario.Segment,
            overall: (bounce: Int, reply: Int, unsubscribe: Int?)
        ) -> [(kind: ContactKind?, share: Double, bounce: Int, reply: Int, unsubscribe: Int?)] {
            let atMeans = segment.memberRatesAtMeans().rates
            let shares = segment.memberShares
            let first = calibrationMembers.count
            var entries: [(kind: ContactKind?, share: Double, bounce: Int, reply: Int, unsubscribe: Int?)] = []
            for member in shares.indices {
                let group = member == 0 ? nil : segment.contacts[member - 1]
                let prefix = "segment \(segment.name), \(group?.kind.rawValue ?? "regular") contacts"
                func rate(
                    _ rate: Scenario.GroupRate,
                    mean: Double?,
                    _ name: String
                ) -> (slot: Int?, factor: Double?) {
                    switch rate {
                    case .absolute(let parameter): return (slot(parameter, "\(prefix): \(name)"), nil)
                    case .times(let factor): return (mean.map { computedSlot(mean: $0) }, factor)
                    }
                }
                let means = atMeans[member]
                let bounce = rate(segment.memberRate(member, 0), mean: means.bounce, "bounce rate")
                let reply = rate(segment.memberRate(member, 1), mean: means.reply, "reply rate")
                // Without a segment unsubscribe rate there is nothing to calibrate: only groups
                // with a rate of their own unsubscribe, as with `rates: regular`.
                let unsubscribe = rate(
                    segment.memberRate(member, 2),
                    mean: overall.unsubscribe == nil ? nil : means.unsubscribe,
                    "unsubscribe rate"
                )
                calibrationMembers.append(
                    CalibrationMember(
                        share: shares[member],
                        bounce: bounce.slot!,
                        bounceFactor: bounce.factor,
                        reply: reply.slot!,
                        replyFactor: reply.factor,
                        unsubscribe: unsubscribe.slot,
                        unsubscribeFactor: unsubscribe.slot == nil ? nil : unsubscribe.factor
                    )
                )
                entries.append((group?.kind, shares[member], bounce.slot!, reply.slot!, unsubscribe.slot))
            }
            calibrations.append(
                Calibration(
                    bounce: overall.bounce,
                    reply: overall.reply,
                    unsubscribe: overall.unsubscribe,
                    members: first..<calibrationMembers.count
                )
            )
            return entries
        }

        mutating func lane(_ name: String) -> Int {
            laneNames.append(name)
            return laneNames.count - 1
        }

        /// One lane for each of `emails`.
        mutating func stepLanes(_ name: String, emails: Range<Int>) -> Range<Int> {
            let first = laneNames.count
            for email in emails {
                _ = lane("\(name): email \(email)")
            }
            return first..<laneNames.count
        }

        mutating func slot(_ parameter: Parameter, _ name: String) -> Int {
            slots.append(Slot(distribution: parameter.distribution, lane: lane(name), mean: parameter.mean))
            return slots.count - 1
        }

        /// A slot the engine computes each trial (no lane: nothing is drawn for it).
        mutating func computedSlot(mean: Double) -> Int {
            slots.append(Slot(distribution: .fixed(mean), lane: -1, mean: mean))
            return slots.count - 1
        }

        /// A contact group's rate when the segment's rates are the regular contacts': its own
        /// parameter, or a multiple of the regular contacts' rate in `base`.
        mutating func rate(_ rate: Scenario.GroupRate, base: Int?, _ name: String) -> Int? {
            switch rate {
            case .absolute(let parameter):
                return slot(parameter, name)
            case .times(let factor):
                guard let base else { return nil }
                let target = slot(.fixed(min(1, slots[base].mean * factor)), name)
                derived.append(DerivedSlot(target: target, base: base, factor: factor))
                return target
            }
        }

        mutating func build() {
            for segment in scenario.segments {
                let bounce = slot(segment.bounce, "segment \(segment.name): bounce rate")
                let reply = slot(segment.reply, "segment \(segment.name): reply rate")
                let unsubscribe = segment.unsubscribe.map { slot($0, "segment \(segment.name): unsubscribe rate") }
                if segment.isCalibrated {
                    contactSlots.append(
                        calibrate(segment, overall: (bounce, reply, unsubscribe))
                    )
                    continue
                }
                let regularShare = segment.memberShares[0]
                var entries: [(kind: ContactKind?, share: Double, bounce: Int, reply: Int, unsubscribe: Int?)] = [
                    (nil, regularShare, bounce, reply, unsubscribe)
                ]
                for group in segment.contacts {
                    let prefix = "segment \(segment.name), \(group.kind.rawValue) contacts"
                    entries.append(
                        (
                            group.kind, group.share,
                            rate(group.bounceRate, base: bounce, "\(prefix): bounce rate")!,
                            rate(group.replyRate, base: reply, "\(prefix): reply rate")!,
                            rate(group.unsubscribeRate, base: unsubscribe, "\(prefix): unsubscribe rate")
                        )
                    )
                }
                contactSlots.append(entries)
            }
            var skillSlots: [Int?] = []
            for rep in scenario.reps {
                skillSlots.append(rep.skill.map { slot($0, "rep \(rep.name): skill") })
            }
            let sequenceNames = scenario.enrolledSequences
            sequenceIndex = Dictionary(uniqueKeysWithValues: sequenceNames.enumerated().map { ($1, $0) })
            steps = sequenceNames.map { name in
                let sequence = scenario.sequence(named: name)
                return Steps(
                    replyShares: sequence.steps.map(\.replyShare),
                    unsubscribeShares: sequence.steps.map(\.unsubscribeShare)
                )
            }

            levels = scenario.reps.map {
                Level(kind: .rep, name: $0.name, rep: nil, minimum: scenario.rules.minimum(for: .rep))
            }
            for (repIndex, rep) in scenario.reps.enumerated() {
                var sequenceLevels: [String: Int] = [:]
                for sequence in rep.sequences {
                    sequenceLevels[sequence] = levels.count
                    levels.append(
                        Level(
                            kind: .sequence,
                            name: sequence,
                            rep: rep.name,
                            minimum: scenario.rules.minimum(for: .sequence)
                        )
                    )
                }
                for (lineIndex, enrollment) in rep.enrollments.enumerated() {
                    let line = "rep \(rep.name), line \(lineIndex) (\(enrollment.sequence))"
                    guard let timeline = scenario.timeline else {
                        addLine(
                            enrollment,
                            named: line,
                            rep: repIndex,
                            levels: sequenceLevels,
                            skill: skillSlots[repIndex]
                        )
                        continue
                    }
                    // A line per period it starts enrollments in, each with its own draws.
                    let starts = scenario.startPeriods(of: enrollment.sequence, in: timeline)
                    let lag = scenario.completionLag(of: enrollment.sequence, in: timeline)
                    for start in starts {
                        addLine(
                            enrollment,
                            named: starts.count == 1
                                ? line : "\(line), started in \(timeline.length.rawValue) \(start + 1)",
                            rep: repIndex,
                            levels: sequenceLevels,
                            skill: skillSlots[repIndex],
                            start: start,
                            lag: lag,
                            horizon: timeline.periods
                        )
                    }
                }
            }
            levels.append(Level(kind: .team, name: "team", rep: nil, minimum: scenario.rules.minimum(for: .team)))
            baselineLaneCount = laneNames.count
            addStrategyLanes(laneOwners)
            maximumSteps = steps.map(\.replyShares.count).max() ?? 1
            strategySteps = [maximumSteps]

            effectRanges = [Array(repeating: 0..<0, count: cohorts.count)]
            for strategy in scenario.strategies {
                addEffects(of: strategy)
            }
        }

        /// Lays out one enrollment line: its volume, its segment groups and their cohorts. With a
        /// timeline, the enrollments it starts in period `start` complete `lag.periods` later, a
        /// share `lag.late` of them one period more (a group of its own per segment); a group
        /// that completes outside the horizon gets no cohorts, and a line none at all is left out.
        mutating func addLine(
            _ enrollment: Scenario.Enrollment,
            named line: String,
            rep repIndex: Int,
            levels sequenceLevels: [String: Int],
            skill: Int?,
            start: Int = 0,
            lag: (periods: Int, late: Double) = (0, 0),
            horizon: Int = 1
        ) {
            let rep = scenario.reps[repIndex]
            let sequence = sequenceIndex[enrollment.sequence]!
            let offsets = lag.late > 0 ? [(0, 1 - lag.late), (1, lag.late)] : [(0, 1.0)]
            guard offsets.contains(where: { (0..<horizon).contains(start + lag.periods + $0.0) }) else { return }
            let countLane = lane("\(line): completed")
            let splitLane = lane("\(line): audience split")
            let firstGroup = groups.count
            for share in enrollment.audience {
                let segment = scenario.segments[share.segment]
                for (offset, fraction) in offsets {
                    let period = start + lag.periods + offset
                    let suffix = offsets.count > 1 ? " completing in period \(period + 1)" : ""
                    groupShares.append(share.share * fraction)
                    let firstCohort = cohorts.count
                    guard (0..<horizon).contains(period) else {
                        groups.append(SegmentGroup(splitLane: -1, cohorts: firstCohort..<firstCohort))
                        continue
                    }
                    let groupLane = lane("\(line), \(segment.name)\(suffix): contact split")
                    for entry in contactSlots[share.segment] {
                        let name =
                            "\(line), \(segment.name)" + (entry.kind.map { ", \($0.rawValue)" } ?? "") + suffix
                        cohortShares.append(entry.share)
                        cohortOwners.append((rep.name, enrollment.sequence, share.segment, entry.kind))
                        cohortStarts.append(start)
                        let cohort = Cohort(
                            bounceSlot: entry.bounce,
                            replySlot: entry.reply,
                            unsubscribeSlot: entry.unsubscribe,
                            skillSlot: skill,
                            sequence: sequence,
                            repLevel: repIndex,
                            sequenceLevel: sequenceLevels[enrollment.sequence]!,
                            period: period,
                            bounceLane: lane("\(name): bounced"),
                            replyLane: lane("\(name): replied"),
                            unsubscribeLane: lane("\(name): unsubscribed"),
                            ownStepLanes: stepLanes(name, emails: 2..<steps[sequence].replyShares.count + 1)
                        )
                        cohorts.append(cohort)
                        laneOwners.append(name)
                    }
                    groups.append(SegmentGroup(splitLane: groupLane, cohorts: firstCohort..<cohorts.count))
                }
            }
            lines.append(
                Line(
                    completed: enrollment.started(inPeriod: start).distribution,
                    countLane: countLane,
                    splitLane: splitLane,
                    groups: firstGroup..<groups.count,
                    repLevel: repIndex,
                    sequenceLevel: sequenceLevels[enrollment.sequence]!,
                    isInput: scenario.timeline == nil
                )
            )
        }

        /// The lanes only strategies draw from: the interventions' effects, then per cohort (named
        /// in `owners`) its removals, caught bounces, skipped emails and one lane per follow-up an
        /// intervention of the scenario can add (each applies at most once to a cohort).
        mutating func addStrategyLanes(_ owners: [String]) {
            for intervention in scenario.interventions {
                let prefix = "intervention \(intervention.name)"
                // A follow-up's factors default to 1; left out, they get the slot (and lane) that
                // writing 1 would, so both spellings give the same numbers.
                let isFollowUp = intervention.kind.family == .addStep
                let effect = intervention.effect ?? (isFollowUp ? .fixed(1, domain: .multiplier) : nil)
                let second = intervention.unsubscribeHazard ?? (isFollowUp ? .fixed(1, domain: .multiplier) : nil)
                interventionSlots.append(
                    (
                        effect.map { slot($0, "\(prefix): effect") },
                        second.map { slot($0, "\(prefix): unsubscribe hazard") },
                        slot(intervention.coverage, "\(prefix): coverage")
                    )
                )
            }
            let followUps = scenario.interventions.filter { $0.kind.family == .addStep }.count
            for (index, name) in owners.enumerated() {
                cohorts[index].removalLane = lane("\(name): removed")
                cohorts[index].caughtLane = lane("\(name): caught")
                cohorts[index].skipLane = lane("\(name): skips an email")
                let own = steps[cohorts[index].sequence].replyShares.count
                cohorts[index].followUpLanes = stepLanes(name, emails: own + 1..<own + 1 + followUps)
            }
        }

        /// The outcome lanes some strategy can draw from, in order.
        func lanesDrawn(of laneCount: Int) -> [Int] {
            let perStrategy: [[Int]] = effectRanges.map { ranges in
                var lanes: [Int] = []
                for (index, cohort) in cohorts.enumerated() {
                    lanes += [cohort.bounceLane, cohort.replyLane]
                    // Without an unsubscribe rate its lane never draws: nothing to seed or save.
                    if cohort.unsubscribeSlot != nil { lanes.append(cohort.unsubscribeLane) }
                    let kinds = effects[ranges[index]].map(\.kind)
                    if kinds.contains(.removal) { lanes.append(cohort.removalLane) }
                    if kinds.contains(.catchBounces) { lanes.append(cohort.caughtLane) }
                    let added = kinds.filter { $0 == .addStep }.count
                    let dropped = kinds.contains(.dropStep)
                    let emails = steps[cohort.sequence].replyShares.count + added
                    lanes += (1..<max(1, emails)).map(cohort.stepLane)
                    if added > 0 || dropped { lanes.append(cohort.skipLane) }
                }
                return lanes
            }
            return SimulationPlan.sortedUnique(perStrategy.joined(), below: laneCount)
        }

        mutating func addEffects(of strategy: Strategy) {
            var ranges: [Range<Int>] = []
            var most = 1
            for (cohortIndex, owner) in cohortOwners.enumerated() {
                let first = effects.count
                var added = 0
                for application in strategy.applications
                where application.applies(rep: owner.rep, sequence: owner.sequence) {
                    let intervention = scenario.interventions[application.intervention]
                    let slots = interventionSlots[application.intervention]
                    guard let family = intervention.effect(onSegment: owner.segment, contacts: owner.kind) else {
                        continue
                    }
                    // A removal the kind does not stand for (an unmatched segment dropped) removes
                    // the whole covered share.
                    let own = family == intervention.kind.family
                    // Before its start (or with a ramp share of 0) it leaves the cohort as the
                    // baseline has it, exactly.
                    let scale = scenario.timeline == nil ? 1 : intervention.share(inPeriod: cohortStarts[cohortIndex])
                    guard scale > 0 else { continue }
                    effects.append(
                        Effect(
                            kind: family,
                            value: own ? slots.value : nil,
                            second: own ? slots.second : nil,
                            coverage: slots.coverage,
                            scale: scale
                        )
                    )
                    if family == .addStep { added += 1 }
                }
                most = max(most, steps[cohorts[cohortIndex].sequence].replyShares.count + added)
                ranges.append(first..<effects.count)
            }
            maximumSteps = max(maximumSteps, most)
            strategySteps.append(most)
            effectRanges.append(ranges)
        }
    }
}

extension SimulationPlan {
    /// An input a trial draws: a parameter (a rate, a share, a skill, an effect or a coverage)
    /// or an enrollment line's completed count.
    public struct UncertainInput: Sendable, Hashable {
        public enum Source: Sendable, Hashable {
            case slot(Int)
            case line(Int)
        }

        public let source: Source
        /// Its purpose, as lanes are named: "segment core: reply rate".
        public let name: String
        /// Its distribution as written: "beta(alpha 15.7, beta 767)".
        public let distribution: String
    }

    /// Every input the plan's trials draw, in lane order.
    public var uncertainInputs: [UncertainInput] {
        drawnSlots.map {
            UncertainInput(
                source: .slot($0),
                name: laneNames[slots[$0].lane],
                distribution: slots[$0].distribution.description
            )
        }
            + lines.indices.compactMap { index in
                if case .fixed = lines[index].completed { return nil }
                guard lines[index].isInput else { return nil }
                return UncertainInput(
                    source: .line(index),
                    name: laneNames[lines[index].countLane],
                    distribution: lines[index].completed.description
                )
            }
    }

    /// The q-quantile of `input`'s distribution.
    public func quantile(of input: UncertainInput, _ q: Double) -> Double {
        switch input.source {
        case .slot(let index): return Densities.quantile(slots[index].distribution, q)
        case .line(let index): return Double(Densities.quantile(lines[index].completed, q))
        }
    }

    /// The distinct lanes of `lanes`, each below `count`, in increasing order: a mark per lane
    /// rather than a set, which for a large team's million lanes is many times the size.
    static func sortedUnique(_ lanes: some Sequence<Int>, below count: Int) -> [Int] {
        var marked = [Bool](repeating: false, count: count)
        for lane in lanes { marked[lane] = true }
        return marked.indices.filter { marked[$0] }
    }

    /// A copy of `array` in storage of exactly its size.
    private static func exactly<Element>(_ array: [Element]) -> [Element] {
        array.withUnsafeBufferPointer { Array($0) }
    }

    /// `array` in storage of exactly its size, leaving it empty: its grown storage is let go as
    /// soon as the copy is made.
    private static func exactly<Element>(taking array: inout [Element]) -> [Element] {
        defer { array = [] }
        return exactly(array)
    }

    /// The same plan with `input` held at `value` in every trial. Every other draw keeps its lane,
    /// so runs of the two plans with one seed are on common random numbers.
    public func fixing(_ input: UncertainInput, at value: Double) -> SimulationPlan {
        var copy = self
        switch input.source {
        case .slot(let index):
            copy.slots[index].distribution = .fixed(value)
            copy.slots[index].mean = value
            copy.drawnSlots.removeAll { $0 == index }
        case .line(let index):
            copy.lines[index].completed = .fixed(Int(value.rounded()))
        }
        return copy
    }
}
