import Synchronization

/// A level's band probabilities given nothing but the sizes of its cohorts: its bounces, its
/// replies and a reply rate drawn per trial from a beta distribution are all summed out exactly.
/// `ConditionalBands` uses it where it applies; it conditions on less than the trial's bounces
/// and rates, so it removes their variance too, and the estimate stays unbiased (a conditional
/// expectation of the counted indicator, like the other).
///
/// It applies to a level under a strategy when each of its cohorts
/// - bounces at a rate that is the same in every trial, and no intervention catches its bounces;
/// - replies at a chance p that is the same in every trial (read from the trial's draw), or at a
///   one-email sequence's reply rate drawn per trial from Beta(α, β) with α, β ≥ 1 and nothing
///   multiplying it (no skill, no reply lift);
///
/// and its cohorts reply from at most two such sources (a fixed p, or one drawn rate shared by
/// the cohorts that draw it). A source's bounces are then a sum of binomials, its delivered what
/// is left, and its replies Binomial(delivered, p) or BetaBinomial(delivered, α, β): cohorts that
/// share a drawn rate share one p, so their replies add up to one beta-binomial. The level's
/// band is a function of its total bounces and replies; their distribution is summed over every
/// pair of the sources' bounce counts.
///
/// The result depends only on the sources and the cohorts' sizes and bounce rates
/// (`BandIntegral.Key`), so it is computed once per key and kept (`BandIntegral.Cache`): a run
/// meets few distinct keys (a rep's audience split takes a few dozen values), and a trial then
/// costs a lookup per level.
struct BandIntegral: Sendable {
    /// Where a level's replies come from.
    enum Source: Hashable {
        /// The same chance in every trial.
        case fixed(Double)
        /// The trial's draw of `slot`, from Beta(alpha, beta).
        case beta(slot: Int, alpha: Double, beta: Double)
    }

    /// The level's cohorts of one source and one bounce rate, added up.
    struct Class {
        var source: Int
        var bounce: Double
        var completed: Int
    }

    /// What a level's integral depends on, as words: how many sources, their kinds and
    /// parameters (a drawn source by its distribution, not its slot: two slots with one
    /// distribution give the same integral), then its classes.
    struct Key: Hashable, Sendable {
        var words: [UInt64] = []

        mutating func set(sources: [Source], classes: [Class]) {
            words.removeAll(keepingCapacity: true)
            words.append(UInt64(sources.count))
            for source in sources {
                switch source {
                case .fixed(let p): words += [0, p.bitPattern, 0]
                case .beta(_, let alpha, let beta): words += [1, alpha.bitPattern, beta.bitPattern]
                }
            }
            for item in classes {
                words += [UInt64(item.source), item.bounce.bitPattern, UInt64(item.completed)]
            }
        }
    }

    /// Integrals computed so far, for every thread of a run and every run of a plan. Its
    /// entries depend only on their keys and the plan's rules, so which thread computed one, and
    /// when, never changes a result.
    final class Cache: Sendable {
        private let entries = Mutex<[Key: [Int64]]>([:])
        /// Keys kept at most (a few megabytes); past it, integrals are computed each time.
        static let capacity = 1 << 16

        /// Integrators that blocks have finished with, with the rows they keep.
        private let spare = Mutex<[BandIntegral]>([])

        func value(_ key: Key) -> [Int64]? { entries.withLock { $0[key] } }

        /// An integrator for a block: one a finished block gave back, or a new one.
        func integrator(rules: RuleSet) -> BandIntegral {
            spare.withLock { $0.popLast() } ?? BandIntegral(rules: rules)
        }

        /// Gives back a block's integrator, so that the next block starts with its kept rows.
        func giveBack(_ integrator: BandIntegral) {
            spare.withLock { $0.append(integrator) }
        }

        func store(_ value: [Int64], at key: Key) {
            entries.withLock { entries in
                if entries.count < Self.capacity { entries[key] = value }
            }
        }
    }

    /// How a cohort's replies can be summed out with its bounces under a strategy.
    enum CohortSource {
        /// At the same chance in every trial: its reply draw's.
        case fixed
        /// At the trial's draw of `slot`, from Beta(alpha, beta).
        case beta(slot: Int, alpha: Double, beta: Double)
    }

    /// Per strategy and cohort (`strategy * cohorts + cohort`), how the cohort's replies can be
    /// summed out with its bounces, or nil where they cannot: its bounce rate varies from trial to
    /// trial, an intervention catches its bounces, or its chance of replying varies other than as
    /// a beta-drawn reply rate taken as is.
    static func cohortSources(of plan: SimulationPlan) -> [CohortSource?] {
        // Which slots vary from trial to trial, and which are written after being drawn.
        var varies = Array(repeating: false, count: plan.slots.count)
        var written = varies
        for index in plan.drawnSlots { varies[index] = true }
        for derived in plan.derivedSlots {
            written[derived.target] = true
            varies[derived.target] = varies[derived.target] || varies[derived.base]
        }
        for member in plan.calibrationMembers {
            for slot in [member.bounce, member.reply] + (member.unsubscribe.map { [$0] } ?? []) {
                varies[slot] = true
                written[slot] = true
            }
        }
        let drawn = Set(plan.drawnSlots)
        var sources: [CohortSource?] = []
        sources.reserveCapacity(plan.strategyNames.count * plan.cohorts.count)
        for strategy in plan.strategyNames.indices {
            for (index, cohort) in plan.cohorts.enumerated() {
                let effects = plan.effects[plan.effectRanges[strategy * plan.cohorts.count + index]]
                guard !varies[cohort.bounceSlot], !effects.contains(where: { $0.kind == .catchBounces }) else {
                    sources.append(nil)
                    continue
                }
                let changesSteps = effects.contains { $0.kind == .addStep || $0.kind == .dropStep }
                let lifts = effects.contains { $0.kind == .replyMultiplier }
                let oneStep = plan.sequences[cohort.sequence].replyShares.count == 1 && !changesSteps
                if oneStep, !lifts, cohort.skillSlot == nil, drawn.contains(cohort.replySlot),
                    !written[cohort.replySlot],
                    case .beta(let alpha, let beta) = plan.slots[cohort.replySlot].distribution, alpha >= 1, beta >= 1
                {
                    sources.append(.beta(slot: cohort.replySlot, alpha: alpha, beta: beta))
                    continue
                }
                // The chance of replying: the reply rate, the skill, and for several steps the
                // unsubscribe rate, times what the strategy changes.
                var used = [cohort.replySlot] + (cohort.skillSlot.map { [$0] } ?? [])
                if !oneStep, let unsubscribe = cohort.unsubscribeSlot { used.append(unsubscribe) }
                for effect in effects where effect.kind != .removal {
                    used += [effect.coverage] + [effect.value, effect.second].compactMap { $0 }
                }
                sources.append(used.contains { varies[$0] } ? nil : .fixed)
            }
        }
        return sources
    }

    /// An integral costs at most about this many multiply-adds; a level that would cost more
    /// (a team of many thousands of enrollments) is estimated given its bounces instead.
    static let budget = 4_000_000.0
    /// The same for the replies of a level given its bounces (`atLeast(…, bounced:)`), computed
    /// in every trial: beyond it, a level's replies are summed out as `ConditionalBands` does.
    static let givenBounces = Double(1 << 18)

    let rules: RuleSet
    private var widest = CountTable()
    private var other = CountTable()
    private var bounces: [[Double]] = [[], []]
    private var bounceLows = [0, 0]
    private var scratch: [Double] = []
    private var convolved: [Double] = []
    private var partners: [Double] = []
    private var partnerStarts: [Int] = []
    private var partnerLows: [Int] = []
    private var partnerCounts: [Int] = []
    private var partnerSumStarts: [Int] = []
    private var partnerSums: [Double] = []
    private var rowMass: [Double] = []
    /// Kept reply rows: per context (sources and completed) and the wide source's delivered, a
    /// column over the partner's delivered (`sumPairs`).
    private var contexts: [Key: Int] = [:]
    private var contextKey = Key()
    private var columns: [ColumnKey: Column] = [:]
    private var keptTerms = 0
    /// Kept rows at most, in numbers (16 MB); past it, they are dropped and computed again.
    static let keptLimit = 1 << 21

    struct ColumnKey: Hashable {
        var context: Int
        var delivered: Int
    }

    /// Reply rows by the partner's delivered, from `low`, `width` numbers each; NaN where not
    /// yet computed.
    struct Column {
        var low = 0
        var values: [Double] = []

        mutating func cover(_ least: Int, _ most: Int, width: Int) {
            guard !values.isEmpty else {
                low = least
                values = Array(repeating: .nan, count: (most - least + 1) * width)
                return
            }
            if least < low {
                values.insert(contentsOf: repeatElement(.nan, count: (low - least) * width), at: 0)
                low = least
            }
            let high = low + values.count / width - 1
            if most > high { values.append(contentsOf: repeatElement(.nan, count: (most - high) * width)) }
        }
    }
    private var bounceRows: [Int] = []
    private var denominators: [Int] = []
    private var thresholds: [Int] = []
    private var rowProbability: [Double]
    private var bandProbability: [Double]

    init(rules: RuleSet) {
        self.rules = rules
        rowProbability = Array(repeating: 0, count: rules.reply.count + 1)
        bandProbability = Array(repeating: 0, count: rules.bands.count)
    }

    /// P(eligible and at each band or better) in units of 2^-52 for a level of `classes` of
    /// cohorts replying from `sources` (one or two), or [] where the integral would cost more
    /// than `budget`.
    mutating func atLeast(sources: [Source], classes: [Class], bounced: [Int]? = nil) -> [Int64] {
        precondition((1...2).contains(sources.count), "an integral has one or two sources")
        var totals = [0, 0]
        var bounceVariance = [0.0, 0.0]
        for item in classes {
            totals[item.source] += item.completed
            bounceVariance[item.source] += Double(item.completed) * item.bounce * (1 - item.bounce)
        }
        let completed = totals[0] + totals[1]
        // Estimate the cost from the spreads before tabulating anything.
        let bounceSpread = (0..<sources.count).map {
            bounced == nil ? Self.spread(variance: bounceVariance[$0], classes.count) : 1
        }
        let replySpread = (0..<sources.count).map { Self.spread(sources[$0], delivered: totals[$0]) }
        let rows = Double(rules.reply.count + 1)
        // The wider source by its spread over all the level's enrollments, so that it depends
        // only on the context (the sources and the completed), as the kept rows do.
        let wide =
            sources.count == 2
                && Self.spread(sources[1], delivered: completed) > Self.spread(sources[0], delivered: completed) ? 1 : 0
        let cost: Double
        if sources.count == 1 {
            cost = bounceSpread[0] * (replySpread[0] + rows)
        } else {
            let partner = 1 - wide
            cost =
                bounceSpread[wide] * replySpread[wide] + bounceSpread[partner] * replySpread[partner]
                + bounceSpread[wide] * bounceSpread[partner] * rows * replySpread[partner]
        }
        guard cost <= (bounced == nil ? Self.budget : Self.givenBounces) else { return [] }

        for source in sources.indices {
            bounces[source].removeAll(keepingCapacity: true)
            bounces[source].append(1)
            bounceLows[source] = bounced?[source] ?? 0
        }
        if bounced == nil {
            for item in classes {
                other.fill(n: item.completed, p: item.bounce)
                other.probabilities(into: &scratch)
                convolve(into: item.source, scratch, from: other.low)
            }
            for source in sources.indices {
                bounceLows[source] += Self.trim(&bounces[source])
            }
        }
        // The bounce rows and reply thresholds of every total of bounces.
        let lowest = bounceLows[0] + (sources.count == 2 ? bounceLows[1] : 0)
        let highest =
            bounceLows[0] + bounces[0].count - 1 + (sources.count == 2 ? bounceLows[1] + bounces[1].count - 1 : 0)
        let replyRows = rules.reply.count
        bounceRows.removeAll(keepingCapacity: true)
        denominators.removeAll(keepingCapacity: true)
        thresholds.removeAll(keepingCapacity: true)
        for bounced in lowest...highest {
            let counts = Counts(completed: completed, bounced: bounced)
            let denominator = rules.replyDenominator(counts)
            bounceRows.append(rules.bounceRow(counts))
            denominators.append(denominator)
            for row in 0..<replyRows {
                thresholds.append(denominator > 0 ? rules.reply[row].from.smallestCount(over: denominator) : 0)
            }
        }
        for band in bandProbability.indices { bandProbability[band] = 0 }
        var total = 0.0
        if sources.count == 1 {
            for (index, weight) in bounces[0].enumerated() where weight > 0 {
                let bounced = bounceLows[0] + index
                fill(&widest, sources[0], delivered: completed - bounced)
                let table = widest
                total += weight
                add(weight: weight, bounced: bounced - lowest) { table.cumulative($0 - 1) }
            }
        } else {
            total = sumPairs(sources: sources, totals: totals, wide: wide, lowest: lowest, completed: completed)
        }
        var result = Array(repeating: Int64(0), count: bandProbability.count)
        let scale = 1 / total
        for band in bandProbability.indices { bandProbability[band] *= scale }
        bandProbability.withUnsafeBufferPointer { probabilities in
            result.withUnsafeMutableBufferPointer { ConditionalBands.cumulate(probabilities, into: $0) }
        }
        return result
    }

    /// Sums the band probabilities over every pair of the two sources' bounce counts; returns
    /// the weight summed. The reply rows given a pair depend only on the sources, the level's
    /// completed and each source's delivered, so they are kept from key to key (`columns`): the
    /// keys of one level share most of their pairs.
    private mutating func sumPairs(
        sources: [Source],
        totals: [Int],
        wide: Int,
        lowest: Int,
        completed: Int
    ) -> Double {
        let partner = 1 - wide
        let width = rules.reply.count + 1
        contextKey.set(sources: sources, classes: [])
        contextKey.words.append(UInt64(completed))
        let context: Int
        if let known = contexts[contextKey] {
            context = known
        } else {
            context = contexts.count
            contexts[contextKey] = context
        }
        // The partner's reply distributions, tabulated when first needed.
        partnerStarts.removeAll(keepingCapacity: true)
        partnerStarts.append(contentsOf: repeatElement(-1, count: bounces[partner].count))
        partnerLows.removeAll(keepingCapacity: true)
        partnerLows.append(contentsOf: repeatElement(0, count: bounces[partner].count))
        partnerCounts = partnerLows
        partnerSumStarts = partnerLows
        partners.removeAll(keepingCapacity: true)
        partnerSums.removeAll(keepingCapacity: true)
        let partnerMost = totals[partner] - bounceLows[partner]
        let partnerLeast = partnerMost - (bounces[partner].count - 1)
        let negligible = Self.negligible * bounces[wide].max()! * bounces[partner].max()!
        // The pairs' reply rows by their total of bounces, added to the bands at the end.
        rowMass.removeAll(keepingCapacity: true)
        rowMass.append(contentsOf: repeatElement(0, count: bounceRows.count * width))
        var total = 0.0
        for (index, wideWeight) in bounces[wide].enumerated() where wideWeight > 0 {
            let wideDelivered = totals[wide] - bounceLows[wide] - index
            let key = ColumnKey(context: context, delivered: wideDelivered)
            var column = columns.removeValue(forKey: key) ?? Column()
            keptTerms -= column.values.count
            column.cover(partnerLeast, partnerMost, width: width)
            var filled = false
            for (offset, partnerWeight) in bounces[partner].enumerated() {
                let weight = wideWeight * partnerWeight
                guard weight > negligible else { continue }
                total += weight
                let bounced = completed - wideDelivered - (partnerMost - offset)
                let slot = (partnerMost - offset - column.low) * width
                if column.values[slot].isNaN {
                    if !filled {
                        fill(&widest, sources[wide], delivered: wideDelivered)
                        filled = true
                    }
                    tabulatePartner(offset, source: sources[partner], delivered: partnerMost - offset)
                    let (start, count, low) = (partnerStarts[offset], partnerCounts[offset], partnerLows[offset])
                    let sumStart = partnerSumStarts[offset]
                    let table = widest
                    partners.withUnsafeBufferPointer { partners in
                        partnerSums.withUnsafeBufferPointer { partnerSums in
                            let x = UnsafeBufferPointer(rebasing: partners[start..<start + count])
                            let sums = UnsafeBufferPointer(rebasing: partnerSums[sumStart...sumStart + count])
                            rows(bounced: bounced - lowest) {
                                table.probabilityBelow($0, plus: x, sums: sums, from: low)
                            }
                        }
                    }
                    for row in 0..<width { column.values[slot + row] = rowProbability[row] }
                }
                let mass = (bounced - lowest) * width
                for row in 0..<width { rowMass[mass + row] += weight * column.values[slot + row] }
            }
            if keptTerms + column.values.count > Self.keptLimit {
                columns.removeAll()
                keptTerms = 0
            }
            keptTerms += column.values.count
            columns[key] = column
        }
        for (index, bounceRow) in bounceRows.enumerated() {
            ConditionalBands.addBands(
                of: rowMass[index * width..<(index + 1) * width],
                times: 1,
                bounceRow: bounceRow,
                rules: rules,
                to: &bandProbability
            )
        }
        return total
    }

    /// Tabulates the partner's replies at its bounce count `offset` (from its lowest), unless
    /// done already for this key: `partners[partnerStarts[offset]...]`, `partnerCounts[offset]` of
    /// them from `partnerLows[offset]`, and their running sums from 0 (one more) at
    /// `partnerSums[partnerSumStarts[offset]...]`.
    private mutating func tabulatePartner(_ offset: Int, source: Source, delivered: Int) {
        guard partnerStarts[offset] < 0 else { return }
        fill(&other, source, delivered: delivered)
        other.probabilities(into: &scratch)
        partnerLows[offset] = other.low + Self.trim(&scratch)
        partnerStarts[offset] = partners.count
        partnerCounts[offset] = scratch.count
        partnerSumStarts[offset] = partnerSums.count
        partners += scratch
        var running = 0.0
        partnerSums.append(0)
        for term in scratch {
            running += term
            partnerSums.append(running)
        }
    }

    /// The reply rows' probabilities into `rowProbability`, given the bounce total at `index`
    /// (from the lowest), where `below(t)` is P(total replies < t).
    private mutating func rows(bounced index: Int, below: (Int) -> Double) {
        let replyRows = rules.reply.count
        guard denominators[index] > 0 else {
            for row in 0..<replyRows { rowProbability[row] = 0 }
            rowProbability[replyRows] = 1
            return
        }
        let first = index * replyRows
        let thresholds = thresholds
        ConditionalBands.rowProbabilities(
            into: &rowProbability,
            rows: replyRows,
            threshold: { thresholds[first + $0] },
            below: below
        )
    }

    /// Adds `weight` times the band probabilities given the bounce total at `index` (from the
    /// lowest), where `below(t)` is P(total replies < t).
    private mutating func add(weight: Double, bounced index: Int, below: (Int) -> Double) {
        rows(bounced: index, below: below)
        ConditionalBands.addBands(
            of: rowProbability,
            times: weight,
            bounceRow: bounceRows[index],
            rules: rules,
            to: &bandProbability
        )
    }

    /// Terms of the bounce and partner distributions, and pairs of bounce counts, below this
    /// share of the largest are left out: together less than 10^-9 of the probability, far below
    /// any standard error a run can reach, and the rest is normalised to add up to 1.
    static let negligible = 1e-13

    /// Drops the terms of `x` below `negligible` of its largest from both ends; returns how
    /// many it dropped from the front.
    private static func trim(_ x: inout [Double]) -> Int {
        guard let largest = x.max() else { return 0 }
        let floor = negligible * largest
        let first = x.firstIndex { $0 >= floor } ?? 0
        let last = x.lastIndex { $0 >= floor } ?? x.count - 1
        x.removeLast(x.count - 1 - last)
        x.removeFirst(first)
        return first
    }

    /// Convolves the bounces of `source` with `x`, which starts at `low`.
    private mutating func convolve(into source: Int, _ x: [Double], from low: Int) {
        let y = bounces[source]
        convolved.removeAll(keepingCapacity: true)
        convolved.append(contentsOf: repeatElement(0, count: y.count + x.count - 1))
        for (i, a) in y.enumerated() {
            for (j, b) in x.enumerated() { convolved[i + j] += a * b }
        }
        swap(&bounces[source], &convolved)
        bounceLows[source] += low
    }

    private func fill(_ table: inout CountTable, _ source: Source, delivered: Int) {
        switch source {
        case .fixed(let p): table.fill(n: delivered, p: p)
        case .beta(_, let alpha, let beta): table.fill(n: delivered, alpha: alpha, beta: beta)
        }
    }

    /// About how many counts a distribution of this variance spreads over in a table.
    private static func spread(variance: Double, _ parts: Int) -> Double {
        17 * variance.squareRoot() + 8 * Double(parts)
    }

    /// About how many counts the replies of `delivered` enrollments spread over.
    private static func spread(_ source: Source, delivered: Int) -> Double {
        let n = Double(delivered)
        switch source {
        case .fixed(let p): return min(n + 1, spread(variance: n * p * (1 - p), 1))
        case .beta(_, let alpha, let beta):
            let mean = alpha / (alpha + beta)
            let variance = n * mean * (1 - mean) * (alpha + beta + n) / (alpha + beta + 1)
            return min(n + 1, spread(variance: variance, 1))
        }
    }
}
