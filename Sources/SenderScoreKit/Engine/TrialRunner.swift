/// Runs trials of a plan: draws the per-trial parameters and the cohort sizes once, then the
/// outcomes of every cohort under the baseline and under each strategy, from the same random
/// state (common random numbers), and adds them up per level.
///
/// Counts are drawn, never individual contacts, so a trial costs the same for 100 or 100,000
/// enrollments. Not `Sendable`: one per task.
struct TrialRunner {
    let plan: SimulationPlan
    private let lanes: RandomLanes
    /// Per-trial values of the plan's slots.
    private(set) var values: [Double]
    /// Counts of the last trial: `counts[strategy * levels + level]`.
    private(set) var counts: [Counts]
    /// With a timeline, the counts of the last trial by the period its enrollments completed in:
    /// `periodCounts[(strategy * periods + period) * levels + level]`; `counts` is then the window
    /// that ends at the last period.
    private(set) var periodCounts: [Counts]
    /// With a timeline, its periods and the first period of the last window (kept apart from
    /// the plan's layout so that the hot loop copies no arrays).
    private let timelinePeriods: Int
    /// What trials read of the plan, kept apart: in a debug build each read of a property of the
    /// plan copies (and retains) the whole plan, which made a 10,000-rep run twice as slow. The
    /// arrays are shared with the plan, not copied.
    private let teamLevel: Int
    private let levelCount: Int
    private let maximumSteps: Int
    private let cohorts: [SimulationPlan.Cohort]
    private let cohortShares: [Double]
    private let lines: [SimulationPlan.Line]
    private let groups: [SimulationPlan.SegmentGroup]
    private let groupShares: [Double]
    private let sequences: [SimulationPlan.Steps]
    private let effects: [SimulationPlan.Effect]
    private let effectRanges: [Range<Int>]
    private let lastWindowFirst: Int
    /// Replies at each step in the last trial: `stepReplies[(strategy * levels + level) * maximumSteps + step]`.
    private(set) var stepReplies: [Int]
    private var groupSizes: [Int]
    /// This trial's completed enrollments per enrollment line, before any strategy.
    private(set) var lineSizes: [Int]
    private var cohortSizes: [Int]
    private var splitBuffer: [UInt32]
    private var stepDraw: [UInt32] = [0, 0, 0]
    private var stepProbabilities: [Double] = [0, 0, 0]
    /// Per-step reply hazard, unsubscribe hazard and share of enrollments that take the step.
    private var replyHazard: [Double]
    private var unsubscribeHazard: [Double]
    private var takesStep: [Double]
    private let streams: TrialStreams
    private var saved: [UInt8] = []

    /// When set, the values of the plan's uncertain inputs (`SimulationPlan.uncertainInputs`, in
    /// order) that trials take instead of drawing them; the rest of a trial, its enrollment
    /// randomness, is still its own. How `sensitivity` runs a trial at chosen input values.
    var inputs: [Double]?
    /// Per enrollment line, its index among the uncertain inputs (nil for a fixed volume).
    private let lineInputs: [Int?]
    /// The lanes of the uncertain inputs, in order.
    private let inputLanes: [Int]

    /// What a cohort's replies were drawn from in the last trial, for `ConditionalBands`.
    struct ReplyDraw {
        var completed = 0
        var delivered = 0
        /// The chance that a delivered enrollment replies at some step.
        var probability = 0.0
        var replied = 0
    }
    /// When set, `replyDraws` keeps each cohort's reply draw, `replyDraws[strategy * cohorts + cohort]`.
    var keepsReplyDraws = false {
        didSet {
            replyDraws = Array(repeating: ReplyDraw(), count: keepsReplyDraws ? strategyCount * plan.cohorts.count : 0)
        }
    }
    private(set) var replyDraws: [ReplyDraw] = []

    /// When set, the strategy whose cohort outcomes `cohortDetails` keeps (for `synth`).
    var detailedStrategy: Int?
    /// Per cohort, how its enrollments ended in the last trial under `detailedStrategy`.
    private(set) var cohortDetails: [CohortDetail] = []

    var strategyCount: Int { plan.strategyNames.count }

    /// A runner for trials of `plan` with `seed`; `trials`, the number of trials of a run, lets a
    /// run too large for every lane to have streams use the dense layout (`TrialStreams`).
    init(plan: SimulationPlan, generator: RandomGenerator, seed: UInt64, trials: Int? = nil) {
        self.plan = plan
        lanes = RandomLanes(generator: generator, count: plan.laneCount, used: plan.trialLanes)
        streams = trials.map { plan.streams(seed: seed, trials: $0) } ?? plan.streams(seed: seed)
        values = plan.slots.map(\.mean)
        counts = Array(repeating: .zero, count: plan.rowCount)
        periodCounts = Array(repeating: .zero, count: plan.rowCount * (plan.timeline?.periods ?? 0))
        timelinePeriods = plan.timeline?.periods ?? 0
        teamLevel = plan.teamLevel
        levelCount = plan.levels.count
        maximumSteps = plan.maximumSteps
        cohorts = plan.cohorts
        cohortShares = plan.cohortShares
        lines = plan.lines
        groups = plan.groups
        groupShares = plan.groupShares
        sequences = plan.sequences
        effects = plan.effects
        effectRanges = plan.effectRanges
        lastWindowFirst = plan.timeline.map { $0.windowFirst[$0.periods - 1] } ?? 0
        stepReplies = Array(repeating: 0, count: counts.count * plan.maximumSteps)
        groupSizes = Array(repeating: 0, count: plan.groups.count)
        lineSizes = Array(repeating: 0, count: plan.lines.count)
        cohortSizes = Array(repeating: 0, count: plan.cohorts.count)
        let widest = max(plan.lines.map(\.groups.count).max() ?? 1, plan.groups.map(\.cohorts.count).max() ?? 1)
        splitBuffer = Array(repeating: 0, count: widest)
        replyHazard = Array(repeating: 0, count: plan.maximumSteps)
        unsubscribeHazard = replyHazard
        takesStep = replyHazard
        var next = plan.drawnSlots.count
        let lineInputs: [Int?] = plan.lines.map { line in
            if case .fixed = line.completed { return nil }
            guard line.isInput else { return nil }
            defer { next += 1 }
            return next
        }
        self.lineInputs = lineInputs
        inputLanes =
            plan.drawnSlots.map { plan.slots[$0].lane }
            + plan.lines.indices.compactMap { lineInputs[$0] == nil ? nil : plan.lines[$0].countLane }
    }

    /// The values trial `trial` draws for the plan's uncertain inputs, in order: only their lanes
    /// are seeded, so this costs a few draws, not a trial.
    func drawInputs(trial: Int) -> [Double] {
        lanes.start(trial: trial, lanes: inputLanes, streams: streams)
        var drawn = plan.drawnSlots.map { lanes.sample(plan.slots[$0].distribution, lane: plan.slots[$0].lane) }
        for (index, input) in lineInputs.enumerated() where input != nil {
            let line = plan.lines[index]
            drawn.append(Double(min(lanes.sample(line.completed, lane: line.countLane), Limits.completed)))
        }
        return drawn
    }

    /// Solves a calibrated segment's member rates from this trial's values: bounce first, then
    /// reply over the delivered, then unsubscribe over the delivered who did not reply.
    private mutating func calibrate(_ calibration: SimulationPlan.Calibration) {
        let members = plan.calibrationMembers[calibration.members]
        let first = calibration.members.lowerBound
        func solve(
            overall: Int,
            weight: (SimulationPlan.CalibrationMember) -> Double,
            slot: (SimulationPlan.CalibrationMember) -> Int?,
            factor: (SimulationPlan.CalibrationMember) -> Double?
        ) {
            let x = ContactMixture.regularRate(
                overall: values[overall],
                count: members.count,
                weight: { weight(members[first + $0]) },
                factor: { factor(members[first + $0]) },
                absolute: { slot(members[first + $0]).map { values[$0] } ?? 0 }
            ).rate
            for member in members {
                if let f = factor(member), let target = slot(member) { values[target] = min(1, f * x) }
            }
        }
        solve(overall: calibration.bounce, weight: \.share, slot: \.bounce, factor: \.bounceFactor)
        solve(
            overall: calibration.reply,
            weight: { $0.share * (1 - values[$0.bounce]) },
            slot: \.reply,
            factor: \.replyFactor
        )
        if let unsubscribe = calibration.unsubscribe {
            solve(
                overall: unsubscribe,
                weight: { $0.share * (1 - values[$0.bounce]) * (1 - values[$0.reply]) },
                slot: \.unsubscribe,
                factor: \.unsubscribeFactor
            )
        }
    }

    /// Runs trial `trial`; the results are in `counts` and `stepReplies`. Its draws depend only
    /// on the seed, `trial` and each draw's purpose (`TrialStreams`).
    mutating func run(trial: Int) {
        lanes.start(trial: trial, lanes: plan.trialLanes, streams: streams)
        if let inputs {
            for (position, index) in plan.drawnSlots.enumerated() { values[index] = inputs[position] }
        } else {
            for index in plan.drawnSlots {
                let slot = plan.slots[index]
                values[index] = lanes.sample(slot.distribution, lane: slot.lane)
            }
        }
        for derived in plan.derivedSlots {
            values[derived.target] = min(1, derived.factor * values[derived.base])
        }
        for calibration in plan.calibrations { calibrate(calibration) }
        drawCohortSizes()
        if detailedStrategy != nil {
            cohortDetails = plan.cohorts.indices.map { CohortDetail(cohort: $0, steps: plan.maximumSteps) }
        }
        for index in counts.indices { counts[index] = .zero }
        for index in periodCounts.indices { periodCounts[index] = .zero }
        for index in stepReplies.indices { stepReplies[index] = 0 }
        if strategyCount > 1 {
            // Every strategy starts from the same outcome-lane states: common random numbers.
            let outcomeLanes = plan.outcomeLanes
            lanes.save(outcomeLanes, into: &saved)
            for strategy in 0..<strategyCount {
                if strategy > 0 { lanes.restore(outcomeLanes, from: saved) }
                for cohort in plan.cohorts.indices {
                    drawOutcome(cohort, strategy: strategy)
                }
            }
        } else {
            for cohort in plan.cohorts.indices { drawOutcome(cohort, strategy: 0) }
        }
        if let timeline = plan.timeline {
            let levels = levelCount
            for strategy in 0..<strategyCount {
                for level in 0..<levels {
                    counts[strategy * levels + level] += timeline.history(
                        endingAt: timeline.periods - 1,
                        level: level,
                        levels: levels
                    )
                }
            }
        }
    }

    /// The last trial's score windows, one ending at each period of the timeline:
    /// `windows[(strategy * periods + period) * levels + level]`, each the sum of its periods'
    /// counts and the history it holds. `windows` and `running` are the caller's buffers.
    func windows(into windows: inout [Counts], running: inout [Counts]) {
        guard let timeline = plan.timeline else { return }
        let levels = levelCount
        let periods = timeline.periods
        if windows.count != periodCounts.count { windows = Array(repeating: .zero, count: periodCounts.count) }
        if running.count != periods + 1 { running = Array(repeating: .zero, count: periods + 1) }
        for strategy in 0..<strategyCount {
            for level in 0..<levels {
                // running[k] sums periods 0..<k, so a window is a difference of two sums.
                for period in 0..<periods {
                    var sum = running[period]
                    sum += periodCounts[(strategy * periods + period) * levels + level]
                    running[period + 1] = sum
                }
                for period in 0..<periods {
                    var window = running[period + 1].minus(running[timeline.windowFirst[period]])
                    window += timeline.history(endingAt: period, level: level, levels: levels)
                    windows[(strategy * periods + period) * levels + level] = window
                }
            }
        }
    }

    /// Completed enrollments per line, split among segments and then contact groups by
    /// multinomial draws. Strategies share these sizes; they only change what happens next.
    private mutating func drawCohortSizes() {
        for (index, line) in lines.enumerated() {
            let n: Int
            if let inputs, let input = lineInputs[index] {
                n = Int(min(max(0, inputs[input].rounded()), Double(Limits.completed)))
            } else {
                n = min(lanes.sample(line.completed, lane: line.countLane), Limits.completed)
            }
            lineSizes[index] = n
            splitIntoBuffer(n, lane: line.splitLane, shares: groupShares, range: line.groups)
            for offset in 0..<line.groups.count {
                groupSizes[line.groups.lowerBound + offset] = Int(splitBuffer[offset])
            }
        }
        for (index, group) in groups.enumerated() {
            splitIntoBuffer(groupSizes[index], lane: group.splitLane, shares: cohortShares, range: group.cohorts)
            for offset in 0..<group.cohorts.count {
                cohortSizes[group.cohorts.lowerBound + offset] = Int(splitBuffer[offset])
            }
        }
    }

    /// Splits `n` by `shares[range]` into the first `range.count` places of `splitBuffer`.
    private mutating func splitIntoBuffer(_ n: Int, lane: Int, shares: [Double], range: Range<Int>) {
        guard range.count > 1 else {
            splitBuffer[0] = UInt32(n)
            return
        }
        let lanes = lanes
        shares.withUnsafeBufferPointer { shares in
            splitBuffer.withUnsafeMutableBufferPointer { counts in
                lanes.multinomial(lane, n: n, probabilities: UnsafeBufferPointer(rebasing: shares[range]), into: counts)
            }
        }
    }

    /// Adds replies at a step to the cohort's rep, sequence and the team.
    private mutating func addStepReplies(
        _ replies: Int,
        step: Int,
        cohort: SimulationPlan.Cohort,
        strategySlot slot: Int
    ) {
        let width = maximumSteps
        stepReplies[(slot + cohort.repLevel) * width + step] += replies
        stepReplies[(slot + cohort.sequenceLevel) * width + step] += replies
        stepReplies[(slot + teamLevel) * width + step] += replies
    }

    /// One cohort's outcome under one strategy:
    /// removed ~ Binomial(n, removal); bounced ~ Binomial(n − removed, bounce); caught ~
    /// Binomial(bounced, verification); then the delivered go through the steps.
    private mutating func drawOutcome(_ index: Int, strategy: Int) {
        let cohort = cohorts[index]
        var n = cohortSizes[index]
        var keep = 1.0
        var miss = 1.0
        var lift = 1.0
        var changesSteps = false
        let applied = effectRanges[strategy * cohorts.count + index]
        for effectIndex in applied {
            let effect = effects[effectIndex]
            let coverage = values[effect.coverage] * effect.scale
            let value = effect.value.map { values[$0] } ?? 1
            switch effect.kind {
            case .replyMultiplier: lift *= 1 + coverage * (value - 1)
            case .removal: keep *= 1 - coverage * value
            case .catchBounces: miss *= 1 - coverage * value
            case .addStep, .dropStep: changesSteps = true
            }
        }
        if keep < 1 {
            n -= lanes.binomial(cohort.removalLane, n: n, p: 1 - keep)
        }
        var bounced = lanes.binomial(cohort.bounceLane, n: n, p: values[cohort.bounceSlot])
        if miss < 1 {
            let caught = lanes.binomial(cohort.caughtLane, n: bounced, p: 1 - miss)
            bounced -= caught
            n -= caught
        }
        let delivered = n - bounced
        var reply = values[cohort.replySlot]
        if let skill = cohort.skillSlot { reply *= values[skill] }
        reply = min(1, reply * lift)
        let unsubscribe = cohort.unsubscribeSlot.map { values[$0] } ?? 0

        let slot = strategy * levelCount
        // With a timeline, `counts` and the step replies are the last period's window.
        let inLastWindow = cohort.period >= lastWindowFirst
        let detailed = strategy == detailedStrategy
        if detailed {
            cohortDetails[index].completed = n
            cohortDetails[index].bounced = bounced
        }
        var replied = 0
        var unsubscribed = 0
        var replyProbability = reply
        if sequences[cohort.sequence].replyShares.count == 1, !changesSteps {
            replied = lanes.binomial(cohort.replyLane, n: delivered, p: reply)
            unsubscribed = lanes.binomial(cohort.unsubscribeLane, n: delivered - replied, p: unsubscribe)
            if inLastWindow { addStepReplies(replied, step: 0, cohort: cohort, strategySlot: slot) }
            if detailed {
                cohortDetails[index].repliedAt[0] = replied
                cohortDetails[index].unsubscribedAt[0] = unsubscribed
                cohortDetails[index].finishedAfter[0] = delivered - replied - unsubscribed
            }
        } else {
            let stepCount = prepareSteps(cohort.sequence, reply: reply, unsubscribe: unsubscribe, effects: applied)
            if keepsReplyDraws { replyProbability = self.replyProbability(steps: stepCount) }
            var active = delivered
            for step in 0..<stepCount {
                var stepReplied = 0
                var stepUnsubscribed = 0
                if takesStep[step] < 1 {
                    let skipping = lanes.binomial(cohort.skipLane, n: active, p: 1 - takesStep[step])
                    active -= skipping
                    if detailed, step > 0 { cohortDetails[index].finishedAfter[step - 1] += skipping }
                }
                if step == 0 {
                    // The first email draws like a one-step sequence, so adding or dropping later
                    // emails leaves its draws, and the baseline's, untouched.
                    stepReplied = lanes.binomial(cohort.replyLane, n: active, p: replyHazard[0])
                    let remaining = 1 - replyHazard[0]
                    stepUnsubscribed = lanes.binomial(
                        cohort.unsubscribeLane,
                        n: active - stepReplied,
                        p: remaining > 0 ? min(1, unsubscribeHazard[0] / remaining) : 0
                    )
                } else if active > 0 {
                    stepProbabilities[0] = replyHazard[step]
                    stepProbabilities[1] = unsubscribeHazard[step]
                    stepProbabilities[2] = max(0, 1 - replyHazard[step] - unsubscribeHazard[step])
                    let lanes = lanes
                    stepProbabilities.withUnsafeBufferPointer { probabilities in
                        stepDraw.withUnsafeMutableBufferPointer { draw in
                            lanes.multinomial(
                                cohort.stepLane(step),
                                n: active,
                                probabilities: probabilities,
                                into: draw
                            )
                        }
                    }
                    stepReplied = Int(stepDraw[0])
                    stepUnsubscribed = Int(stepDraw[1])
                }
                active -= stepReplied + stepUnsubscribed
                replied += stepReplied
                unsubscribed += stepUnsubscribed
                if inLastWindow { addStepReplies(stepReplied, step: step, cohort: cohort, strategySlot: slot) }
                if detailed {
                    cohortDetails[index].repliedAt[step] = stepReplied
                    cohortDetails[index].unsubscribedAt[step] = stepUnsubscribed
                    if step == stepCount - 1 { cohortDetails[index].finishedAfter[step] += active }
                }
            }
        }
        if keepsReplyDraws {
            replyDraws[strategy * cohorts.count + index] = ReplyDraw(
                completed: n,
                delivered: delivered,
                probability: replyProbability,
                replied: replied
            )
        }
        let outcome = Counts(completed: n, bounced: bounced, replied: replied, unsubscribed: unsubscribed)
        if timelinePeriods > 0 {
            let levels = levelCount
            let base = (strategy * timelinePeriods + cohort.period) * levels
            periodCounts[base + cohort.repLevel] += outcome
            periodCounts[base + cohort.sequenceLevel] += outcome
            periodCounts[base + teamLevel] += outcome
            guard inLastWindow else { return }
        }
        counts[slot + cohort.repLevel] += outcome
        counts[slot + cohort.sequenceLevel] += outcome
        counts[slot + teamLevel] += outcome
    }

    /// The chance that a delivered enrollment replies at some step of the `steps` that
    /// `prepareSteps` laid out: each step's draws, followed for one enrollment. It takes the step
    /// with `takesStep` (else it leaves), then replies with the reply hazard, or unsubscribes (at
    /// the first step, with the unsubscribe hazard over those who did not reply, as drawn there), or
    /// goes on. The draws of a cohort are these chains for each of its enrollments, so its replies
    /// are Binomial(delivered, this chance).
    private func replyProbability(steps: Int) -> Double {
        var active = 1.0
        var replies = 0.0
        for step in 0..<steps {
            active *= takesStep[step]
            let reply = replyHazard[step]
            var unsubscribe = unsubscribeHazard[step]
            if step == 0 {
                let remaining = 1 - reply
                unsubscribe = remaining > 0 ? remaining * min(1, unsubscribe / remaining) : 0
            }
            replies += active * reply
            active *= max(0, 1 - reply - unsubscribe)
        }
        return min(1, replies)
    }

    /// Fills the per-step hazards: the sequence's own steps reproduce the cohort's overall reply
    /// probability and unsubscribe probability with the given shares by step; then the strategy's
    /// step changes apply in order. Returns the number of steps.
    private mutating func prepareSteps(
        _ sequence: Int,
        reply: Double,
        unsubscribe: Double,
        effects applied: Range<Int>
    ) -> Int {
        // P(reply at step k) = reply × share_k and P(unsubscribe at k) = (1 − reply) × unsubscribe × share_k,
        // so the hazard is that probability over the share still active before step k.
        let unsubscribing = (1 - reply) * unsubscribe
        var active = 1.0
        var count = sequences[sequence].replyShares.count
        for step in 0..<count {
            let replies = reply * sequences[sequence].replyShares[step]
            let unsubscribes = unsubscribing * sequences[sequence].unsubscribeShares[step]
            replyHazard[step] = active > 0 ? min(1, replies / active) : 0
            unsubscribeHazard[step] = active > 0 ? min(1 - replyHazard[step], unsubscribes / active) : 0
            takesStep[step] = 1
            active = max(0, active - replies - unsubscribes)
        }
        for effectIndex in applied {
            let effect = effects[effectIndex]
            let coverage = values[effect.coverage] * effect.scale
            switch effect.kind {
            case .dropStep where count > 1:
                if coverage >= 1 {
                    count -= 1
                } else {
                    takesStep[count - 1] *= 1 - coverage
                }
            case .addStep:
                let last = count - 1
                replyHazard[count] = min(1, replyHazard[last] * (effect.value.map { values[$0] } ?? 1))
                unsubscribeHazard[count] = min(
                    1 - replyHazard[count],
                    unsubscribeHazard[last] * (effect.second.map { values[$0] } ?? 1)
                )
                takesStep[count] = coverage
                count += 1
            default:
                break
            }
        }
        return count
    }
}
