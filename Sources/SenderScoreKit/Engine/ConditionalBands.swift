/// Band probabilities given part of what a trial drew: a Rao–Blackwell estimator. Averaged over
/// trials it is unbiased for each band probability, like the share of trials in the band, and its
/// variance is never larger: how much smaller depends on how much of the band's uncertainty it
/// sums out.
///
/// Where a level's cohorts bounce at fixed rates and reply at fixed chances or at a beta-drawn
/// reply rate (`BandIntegral`), it is the probability given the cohorts' sizes alone: bounces,
/// that rate and replies are summed out, from integrals kept per key, so a trial costs a lookup
/// per level. A level too large for that is summed out given its bounces. Elsewhere, it is the
/// probability given everything the trial drew except its replies, as follows.
///
/// Given a trial's rates, volumes and bounces, a cohort's replies are Binomial(delivered, p),
/// independently of the other cohorts' (each draws from its own lane), where p is the chance that
/// a delivered enrollment replies at any step: the reply rate for a one-email sequence, and the
/// steps' hazards chained for a longer one (`TrialRunner.replyProbability`). Unsubscribes follow
/// the replies and do not score, so they are integrated out with them. A level's completed,
/// bounced and reply denominator are then fixed, so its bounce row and eligibility are too, and
/// its band is a function of its total replies alone: the band's probability is a sum of binomial
/// probabilities over the reply counts that fall in each reply row.
///
/// Cohorts with the same p add up to one binomial. Of a level's distinct p, the one with the widest
/// distribution is summed through its distribution function, and the widest of the others that
/// is narrow enough (`convolutionBudget`) is convolved with it; the replies of any others are
/// taken as drawn, which keeps the estimate unbiased and only gives up part of the variance
/// reduction. Binomial probabilities come from `CountTable`: what it leaves out is below 10^-14.
struct ConditionalBands {
    /// The cohorts of each level: `members[memberRanges[level]]`.
    private let members: [Int]
    private let memberRanges: [Range<Int>]
    /// Per level, an earlier level with exactly the same cohorts (a rep's only sequence), whose
    /// distribution of replies it shares; only eligibility can differ.
    private let sameCohorts: [Int?]
    private let minimums: [Int]
    private let rules: RuleSet
    private let cohortCount: Int

    /// Per strategy and cohort, how its replies can be summed out with its bounces (`BandIntegral`).
    private let cohortSources: [BandIntegral.CohortSource?]
    private let bounceSlots: [Int]
    /// Whether levels are integrated where they can be: in plans of at most `integratedRows` rows.
    private let integrates: Bool
    private var integral: BandIntegral
    private let sharedIntegrals: BandIntegral.Cache
    /// This block's integrals, looked up without a lock.
    private var integrals: [BandIntegral.Key: [Int64]] = [:]
    private var key = BandIntegral.Key()
    private var sources: [BandIntegral.Source] = []
    private var classes: [BandIntegral.Class] = []
    private var sourceBounced = [0, 0]

    /// Plans with more rows than this estimate every level given its bounces: their integrals
    /// would number in the hundreds of thousands (a few dozen per level), more than the trials of
    /// most runs would repay.
    static let integratedRows = 1_024
    /// Integrals a block keeps for itself, besides the plan's shared ones.
    static let blockIntegrals = 4_096

    /// The last strategy's estimates: `atLeast[level * bands + band]`, P(eligible and at `band` or
    /// better) in units of 2^-52.
    private(set) var atLeast: [Int64]

    // Scratch, reused from trial to trial.
    private var groupProbability: [Double] = []
    private var groupDelivered: [Int] = []
    private var groupReplied: [Int] = []
    private var order: [Int] = []
    private var rowProbability: [Double] = []
    private var bandProbability: [Double] = []
    private var widest = CountTable()
    private var other = CountTable()
    /// The probabilities of the group convolved with the widest, from its smallest count
    /// (`partnerLow`), or [1] at 0 when there is none.
    private var partner: [Double] = []

    /// A group whose binomial spreads over more counts than this is taken as drawn: its table
    /// would cost megabytes and milliseconds a trial (a team of billions of enrollments).
    static let maximumSpan = 1 << 18
    /// Groups beyond this many distinct p in a level are taken as drawn.
    static let maximumGroups = 8
    /// Besides the widest, one more group is integrated, convolved with it: the widest of the
    /// others that spreads over at most this many counts. More groups would cost more per trial
    /// than the variance they remove is worth on the scenarios measured (docs/estimators.md).
    static let convolutionBudget = 20_000

    init(plan: SimulationPlan) {
        let levels = plan.levels.count
        var members: [Int] = []
        var ranges: [Range<Int>] = []
        for cohorts in plan.cohortsByLevel() {
            ranges.append(members.count..<members.count + cohorts.count)
            members += cohorts
        }
        self.members = members
        memberRanges = ranges
        sameCohorts = plan.sameCohorts
        minimums = plan.levels.map(\.minimum)
        rules = plan.rules
        cohortCount = plan.cohorts.count
        integrates = plan.rowCount <= Self.integratedRows
        cohortSources = integrates ? BandIntegral.cohortSources(of: plan) : []
        bounceSlots = plan.cohorts.map(\.bounceSlot)
        sharedIntegrals = plan.bandIntegrals
        integral = sharedIntegrals.integrator(rules: plan.rules)
        atLeast = Array(repeating: 0, count: levels * plan.rules.bands.count)
        rowProbability = Array(repeating: 0, count: plan.rules.reply.count + 1)
        bandProbability = Array(repeating: 0, count: plan.rules.bands.count)
    }

    /// Estimates every level of `strategy` in the runner's last trial, into `atLeast`.
    mutating func estimate(strategy: Int, runner: TrialRunner) {
        let levels = memberRanges.count
        let bands = rules.bands.count
        let draws = runner.replyDraws
        let first = strategy * cohortCount
        for level in 0..<levels {
            let counts = runner.counts[strategy * levels + level]
            let base = level * bands
            guard counts.completed >= max(1, minimums[level]) else {
                for band in 0..<bands { atLeast[base + band] = 0 }
                continue
            }
            if let same = sameCohorts[level],
                runner.counts[strategy * levels + same].completed >= max(1, minimums[same])
            {
                for band in 0..<bands { atLeast[base + band] = atLeast[same * bands + band] }
                continue
            }
            if integrates, runner.inputs == nil, integrate(level, strategy: strategy, runner: runner, at: base) {
                continue
            }
            estimateLevel(level, counts: counts, draws: draws, first: first)
            bandProbability.withUnsafeBufferPointer { probabilities in
                atLeast.withUnsafeMutableBufferPointer { atLeast in
                    Self.cumulate(
                        probabilities,
                        into: UnsafeMutableBufferPointer(rebasing: atLeast[base..<base + bands])
                    )
                }
            }
        }
    }

    /// Gives back the integrator, with what it keeps, for the run's next block.
    func finish() {
        sharedIntegrals.giveBack(integral)
    }

    /// Sets the estimates of `level` at `base` from its integral (`BandIntegral`), and returns
    /// true; or returns false where the level cannot be integrated.
    private mutating func integrate(_ level: Int, strategy: Int, runner: TrialRunner, at base: Int) -> Bool {
        sources.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        // Reset in place: a new array each level and trial would be an allocation each.
        sourceBounced[0] = 0
        sourceBounced[1] = 0
        let first = strategy * cohortCount
        for member in members[memberRanges[level]] {
            guard let kind = cohortSources[first + member] else { return false }
            let draw = runner.replyDraws[first + member]
            guard draw.completed > 0 else { continue }
            let source: BandIntegral.Source
            switch kind {
            case .fixed: source = .fixed(draw.probability)
            case .beta(let slot, let alpha, let beta): source = .beta(slot: slot, alpha: alpha, beta: beta)
            }
            let index = sources.firstIndex(of: source) ?? sources.count
            if index == sources.count {
                guard index < 2 else { return false }
                sources.append(source)
            }
            sourceBounced[index] += draw.completed - draw.delivered
            let bounce = runner.values[bounceSlots[member]]
            if let same = classes.firstIndex(where: { $0.source == index && $0.bounce == bounce }) {
                classes[same].completed += draw.completed
            } else {
                classes.append(BandIntegral.Class(source: index, bounce: bounce, completed: draw.completed))
            }
        }
        guard !sources.isEmpty else { return false }
        key.set(sources: sources, classes: classes)
        let estimates: [Int64]
        if let known = integrals[key] {
            estimates = known
        } else {
            if let known = sharedIntegrals.value(key) {
                estimates = known
            } else {
                estimates = integral.atLeast(sources: sources, classes: classes)
                sharedIntegrals.store(estimates, at: key)
            }
            if integrals.count < Self.blockIntegrals { integrals[key] = estimates }
        }
        // Too costly to sum over the bounces: given this trial's.
        let chosen =
            estimates.isEmpty ? integral.atLeast(sources: sources, classes: classes, bounced: sourceBounced) : estimates
        guard !chosen.isEmpty else { return false }
        for band in chosen.indices { atLeast[base + band] = chosen[band] }
        return true
    }

    /// P(at each band or better) from the bands' probabilities, in fixed point: non-increasing,
    /// and exactly 1 at the lowest band.
    static func cumulate(
        _ probabilities: UnsafeBufferPointer<Double>,
        into atLeast: UnsafeMutableBufferPointer<Int64>
    ) {
        var cumulative = 0.0
        var above: Int64 = 0
        for band in (1..<max(1, probabilities.count)).reversed() {
            cumulative += probabilities[band]
            above = max(above, Int64(min(1, cumulative) * Double(ConditionalBandSums.one) + 0.5))
            atLeast[band] = above
        }
        if !atLeast.isEmpty { atLeast[0] = ConditionalBandSums.one }
    }

    /// The probability of each reply row into `rowProbability` (the row below the lowest last),
    /// where `threshold(row)` is the row's smallest count of replies and `below(t)` is
    /// P(replies < t).
    static func rowProbabilities(
        into rowProbability: inout [Double],
        rows: Int,
        threshold: (Int) -> Int,
        below: (Int) -> Double
    ) {
        let noRow = rows
        var previous = 0.0
        for row in 0..<rows {
            let atThreshold = below(threshold(row))
            rowProbability[row == 0 ? noRow : row - 1] = max(0, atThreshold - previous)
            previous = max(previous, atThreshold)
        }
        rowProbability[rows == 0 ? noRow : rows - 1] = max(0, 1 - previous)
    }

    /// Fills `bandProbability` for an eligible level.
    private mutating func estimateLevel(_ level: Int, counts: Counts, draws: [TrialRunner.ReplyDraw], first: Int) {
        for band in bandProbability.indices { bandProbability[band] = 0 }
        let bounceRow = rules.bounceRow(counts)
        let denominator = rules.replyDenominator(counts)
        let noRow = rules.reply.count
        guard denominator > 0 else {
            bandProbability[rules.cellBands[rules.cellIndex(replyRow: noRow, bounceRow: bounceRow)]] = 1
            return
        }
        // Group the level's uncertain cohorts by p.
        groupProbability.removeAll(keepingCapacity: true)
        groupDelivered.removeAll(keepingCapacity: true)
        groupReplied.removeAll(keepingCapacity: true)
        for member in members[memberRanges[level]] {
            let draw = draws[first + member]
            guard draw.delivered > 0, draw.probability > 0, draw.probability < 1 else { continue }
            if let group = groupProbability.firstIndex(of: draw.probability) {
                groupDelivered[group] += draw.delivered
                groupReplied[group] += draw.replied
            } else if groupProbability.count < Self.maximumGroups {
                groupProbability.append(draw.probability)
                groupDelivered.append(draw.delivered)
                groupReplied.append(draw.replied)
            }
        }
        // Widest first, leaving out (taking as drawn) any too wide to tabulate.
        order.removeAll(keepingCapacity: true)
        for group in groupProbability.indices
        where Self.span(n: groupDelivered[group], p: groupProbability[group]) <= Self.maximumSpan {
            order.append(group)
        }
        if order.count > 1 {
            order.sort { a, b in
                let va = Double(groupDelivered[a]) * groupProbability[a] * (1 - groupProbability[a])
                let vb = Double(groupDelivered[b]) * groupProbability[b] * (1 - groupProbability[b])
                return va != vb ? va > vb : a < b
            }
        }
        // Replies taken as drawn: everything but the integrated groups.
        var fixed = counts.replied
        partner.removeAll(keepingCapacity: true)
        var partnerLow = 0
        if let top = order.first {
            widest.fill(n: groupDelivered[top], p: groupProbability[top])
            fixed -= groupReplied[top]
            if let group = order.dropFirst().first(where: {
                Self.span(n: groupDelivered[$0], p: groupProbability[$0]) <= Self.convolutionBudget
            }) {
                other.fill(n: groupDelivered[group], p: groupProbability[group])
                other.probabilities(into: &partner)
                partnerLow = other.low
                fixed -= groupReplied[group]
            }
        } else {
            widest.fill(n: 0, p: 0.5)
        }
        if partner.isEmpty { partner.append(1) }
        let (table, rules) = (widest, rules)
        partner.withUnsafeBufferPointer { partner in
            Self.rowProbabilities(
                into: &rowProbability,
                rows: rules.reply.count,
                threshold: { rules.reply[$0].from.smallestCount(over: denominator) },
                below: { table.probabilityBelow($0 - fixed, plus: partner, from: partnerLow) }
            )
        }
        Self.addBands(of: rowProbability, times: 1, bounceRow: bounceRow, rules: rules, to: &bandProbability)
    }

    /// Adds `weight` times the probabilities of the reply rows (`rowProbability`, the row below
    /// the lowest last), with `bounceRow`, to the bands they score.
    static func addBands(
        of rowProbability: some Collection<Double>,
        times weight: Double,
        bounceRow: Int,
        rules: RuleSet,
        to bandProbability: inout [Double]
    ) {
        for (row, probability) in zip(0...rules.reply.count, rowProbability) {
            bandProbability[rules.cellBands[rules.cellIndex(replyRow: row, bounceRow: bounceRow)]] +=
                weight * probability
        }
    }

    /// About how many counts Binomial(n, p) spreads over, for the convolution budget.
    private static func span(n: Int, p: Double) -> Int {
        Int(min(Double(n + 1), 18 * (Double(n) * p * (1 - p)).squareRoot() + 8))
    }
}
