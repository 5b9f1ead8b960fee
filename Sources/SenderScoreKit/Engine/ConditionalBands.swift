/// Band probabilities given everything a trial drew except its replies: a Rao–Blackwell
/// estimator. Averaged over trials it is unbiased for each band probability, like the share of
/// trials in the band, and its variance is never larger: how much smaller depends on how much of
/// the band's uncertainty comes from the replies rather than from what is drawn before them.
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
/// reduction. Binomial probabilities come from `BinomialTable`: what it leaves out is below 10^-14.
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
    private var widest = BinomialTable()
    private var other = BinomialTable()
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

    /// P(at each band or better) from the bands' probabilities, in fixed point: non-increasing,
    /// and exactly 1 at the lowest band.
    private static func cumulate(
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
        // P(total replies < t) for each reply row's smallest count t.
        let rows = rules.reply.count
        var below = 0.0
        for row in 0..<rows {
            let threshold = rules.reply[row].from.smallestCount(over: denominator)
            let atThreshold = probabilityBelow(threshold - fixed - partnerLow)
            rowProbability[row == 0 ? noRow : row - 1] = max(0, atThreshold - below)
            below = max(below, atThreshold)
        }
        rowProbability[rows == 0 ? noRow : rows - 1] = max(0, 1 - below)
        for row in 0...noRow {
            bandProbability[rules.cellBands[rules.cellIndex(replyRow: row, bounceRow: bounceRow)]] +=
                rowProbability[row]
        }
    }

    /// P(X + Y < t) for X the partner group (from 0) and Y the widest group:
    /// Σ_x P(X = x) P(Y ≤ t − 1 − x), where P(Y ≤ ·) is 1 for small x, 0 for large x, and read
    /// from the table in between.
    private func probabilityBelow(_ t: Int) -> Double {
        let last = t - 1 - widest.low
        // x ≤ last − (count − 1): P(Y ≤ ·) = 1; x > last: 0.
        let ones = min(partner.count, max(0, last - widest.count + 2))
        let end = min(partner.count, max(0, last + 1))
        var total = 0.0
        partner.withUnsafeBufferPointer { x in
            for index in 0..<ones { total += x[index] }
            if ones < end { total += widest.weightedSums(x, from: ones, to: end, at: last) }
        }
        return total
    }

    /// About how many counts Binomial(n, p) spreads over, for the convolution budget.
    private static func span(n: Int, p: Double) -> Int {
        Int(min(Double(n + 1), 18 * (Double(n) * p * (1 - p)).squareRoot() + 8))
    }
}

/// The probabilities of Binomial(n, p) where they exceed 10^-15 of the largest, with their
/// running sums: computed by the ratio recurrence outward from the mode, and normalised by their
/// total, so what is left out (below about 10^-14) is all the error there is. Its storage grows
/// as needed and is reused from fill to fill.
struct BinomialTable {
    /// The smallest count held.
    private(set) var low = 0
    /// How many counts are held, from `low`, at `terms[start...]`.
    private(set) var count = 1
    private var start = 0
    /// Unnormalised probabilities, and their running sums.
    private var terms: [Double] = [1]
    private var sums: [Double] = [1]
    private var inverseTotal = 1.0

    static let cutoff = 1e-15

    mutating func fill(n: Int, p: Double) {
        guard n > 0, p > 0, p < 1 else {
            (low, count, start, inverseTotal) = (p >= 1 ? max(0, n) : 0, 1, 0, 1)
            terms[0] = 1
            sums[0] = 1
            return
        }
        let q = 1 - p
        let mode = min(n, Int(Double(n + 1) * p))
        // Far past the cutoff on either side: 8.3 standard deviations for a bell, about 17 counts
        // for a Poisson of mean 1.
        let reach = Int(40 * (Double(n) * p * q).squareRoot()) + 64
        let downMost = min(mode, reach)
        let upMost = min(n - mode, reach)
        if terms.count < downMost + upMost + 1 {
            terms = Array(repeating: 0, count: downMost + upMost + 1)
            sums = terms
        }
        var below = 0
        var above = 0
        terms.withUnsafeMutableBufferPointer { terms in
            // The counts run as floating-point numbers: converting an integer each step would
            // chain the steps through the conversion's register (x86's false dependency).
            terms[downMost] = 1
            let down = q / p
            var term = 1.0
            var k = Double(mode)
            var rest = Double(n - mode + 1)
            while below < downMost {
                term *= k / rest * down
                if term < Self.cutoff { break }
                below += 1
                terms[downMost - below] = term
                k -= 1
                rest += 1
            }
            let up = p / q
            term = 1
            var remaining = Double(n - mode)
            var next = Double(mode + 1)
            while above < upMost {
                term *= remaining / next * up
                if term < Self.cutoff { break }
                above += 1
                terms[downMost + above] = term
                remaining -= 1
                next += 1
            }
        }
        (low, count, start) = (mode - below, below + above + 1, downMost - below)
        var running = 0.0
        terms.withUnsafeBufferPointer { terms in
            sums.withUnsafeMutableBufferPointer { sums in
                for index in start..<start + count {
                    running += terms[index]
                    sums[index] = running
                }
            }
        }
        inverseTotal = 1 / running
    }

    /// The probabilities held, normalised, from `low`, into `probabilities`.
    func probabilities(into probabilities: inout [Double]) {
        probabilities.removeAll(keepingCapacity: true)
        for index in start..<start + count { probabilities.append(terms[index] * inverseTotal) }
    }

    /// Σ x[i] P(count ≤ low + at − i) for i in from..<to, each of those indices inside the
    /// table (0 ≤ at − i ≤ count − 2).
    func weightedSums(_ x: UnsafeBufferPointer<Double>, from: Int, to: Int, at: Int) -> Double {
        sums.withUnsafeBufferPointer { sums in
            var total = 0.0
            for index in from..<to { total += x[index] * sums[start + at - index] }
            return total * inverseTotal
        }
    }

    /// P(count ≤ k).
    func cumulative(_ k: Int) -> Double {
        let index = k - low
        if index < 0 { return 0 }
        return index >= count - 1 ? 1 : sums[start + index] * inverseTotal
    }
}
