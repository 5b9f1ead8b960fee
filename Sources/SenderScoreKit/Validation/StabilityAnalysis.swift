import Foundation

/// How often the observed band equals the band of the true rates, on a grid of true reply and
/// bounce rates and a list of volumes; optionally how often two rule sets disagree on the same
/// synthetic outcomes.
public struct StabilityAnalysis: Sendable, Hashable, Codable {
    /// How the probabilities were computed.
    public enum Method: Sendable, Hashable {
        /// Binomial sums through GSL: exact up to rounding.
        case exact
        /// Simulated outcomes: `trials` per rate pair and volume.
        case monteCarlo(trials: Int, seed: UInt64)
    }

    public struct Options: Sendable, Hashable {
        public var replyRates: [ExactDecimal]
        public var bounceRates: [ExactDecimal]
        public var volumes: [Int]
        public var method: Method
        /// The agreement a rate pair must reach: 0.9.
        public var target: Double
        public var threads: Int

        public init(
            replyRates: [ExactDecimal],
            bounceRates: [ExactDecimal],
            volumes: [Int],
            method: Method = .exact,
            target: Double = 0.9,
            threads: Int = ProcessInfo.processInfo.activeProcessorCount
        ) {
            self.replyRates = replyRates
            self.bounceRates = bounceRates
            self.volumes = volumes
            self.method = method
            self.target = target
            self.threads = max(1, threads)
        }

        /// Refuses what cannot be run: empty grids, volumes outside 1 to 1,000,000, a target outside
        /// (0, 1], Monte Carlo trials outside 1 to `Limits.trials`.
        func check() throws(ScenarioError) {
            guard !replyRates.isEmpty, !bounceRates.isEmpty else {
                throw ScenarioError(
                    option: replyRates.isEmpty ? "replyRates" : "bounceRates",
                    message: "give at least one rate"
                )
            }
            for (option, rates) in [("replyRates", replyRates), ("bounceRates", bounceRates)]
            where Set(rates).count < rates.count {
                throw ScenarioError(option: option, message: "a rate is listed twice; list each rate once")
            }
            guard !volumes.isEmpty, volumes.allSatisfy({ (1...1_000_000).contains($0) }) else {
                throw ScenarioError(option: "volumes", message: "give volumes from 1 to 1,000,000")
            }
            guard target > 0, target <= 1 else {
                throw ScenarioError(location: .run, message: "the target agreement must be above 0 and at most 1")
            }
            if case .monteCarlo(let trials, _) = method, !(1...Limits.trials).contains(trials) {
                throw ScenarioError(
                    option: "trials",
                    message: "give from 1 to \(Format.count(Limits.trials)) simulated outcomes",
                    code: .limit
                )
            }
            let pairs = replyRates.count * bounceRates.count
            let work: Int
            let limit: Int
            switch method {
            case .exact:
                work = pairs * volumes.reduce(0) { $0 + $1 + Limits.exactCellCost }
                limit = Limits.stabilityWork
            case .monteCarlo(let trials, _):
                work =
                    trials.multipliedReportingOverflow(by: pairs * volumes.count).overflow
                    ? .max : trials * pairs * volumes.count
                limit = Limits.stabilityOutcomes
            }
            guard work <= limit else {
                var trials = ""
                if case .monteCarlo(let count, _) = method { trials = " × \(Format.count(count)) trials" }
                throw ScenarioError(
                    location: .run,
                    message: "the stability analysis is too large to finish in reasonable time: "
                        + "\(Format.count(pairs)) rate pairs × "
                        + (volumes.count == 1
                            ? "1 volume (\(Format.count(volumes[0])) completed)" : "\(volumes.count) volumes")
                        + trials + "; use larger rate steps, or fewer or smaller volumes",
                    code: .limit,
                    remedy: .init(option: "noStability", before: ", or skip the analysis with ")
                )
            }
        }

        /// Reply 0–20% and bounce 0–12% in steps of one point; 100, 150, 250, 500 and 1,000 completed.
        public static let standard = Options(
            replyRates: (0...20).map { ExactDecimal(units: Int64($0), scale: 2) },
            bounceRates: (0...12).map { ExactDecimal(units: Int64($0), scale: 2) },
            volumes: [100, 150, 250, 500, 1000]
        )
    }

    /// Per volume, over the whole grid (every rate pair weighted equally).
    public struct VolumeSummary: Sendable, Hashable, Codable {
        public var volume: Int
        /// True when the volume is below the rule set's minimum for a rep: every outcome is Ineligible.
        public var belowMinimum: Bool
        public var meanAgreement: Double
        /// Share of the grid's rate pairs whose agreement reaches the target.
        public var shareReachingTarget: Double
        /// `confusion[true band][observed band]`: the mean probability over the rate pairs whose
        /// true band is the row's; rows follow `bandOrder` without Ineligible, columns with it.
        /// A row is empty when no rate pair of the grid has that true band.
        public var confusion: [[Double]]
    }

    /// One rate pair of the grid.
    public struct Cell: Sendable, Hashable, Codable {
        public var reply: Double
        public var bounce: Double
        public var trueBand: String
        /// P(observed band = true band), per volume.
        public var agreement: [Double]
        /// The smallest listed volume from which agreement reaches the target, if any.
        public var volumeReachingTarget: Int?
        /// With a second rule set: P(the two disagree), per volume, and their true bands.
        public var disagreement: [Double]?
        public var otherTrueBand: String?
    }

    /// The smallest volume at which one rate pair reaches the target, searched up to 100,000.
    public struct MinimumVolume: Sendable, Hashable, Codable {
        public var reply: Double
        public var bounce: Double
        public var trueBand: String
        /// The smallest volume searched from which agreement stays at or above the target; nil if none.
        public var volume: Int?
        /// Agreement at the volumes searched (100 to 1,000 by 10, to 10,000 by 100, to 100,000 by 1,000).
        public var agreement: [Point]
        public struct Point: Sendable, Hashable, Codable {
            public var volume: Int
            public var agreement: Double
        }
        public var note: String?
    }

    public var method: String
    public var level: String
    /// The rule set's minimum of completed enrollments for a rep.
    public var minimum: Int
    public var target: Double
    public var bandOrder: [String]
    public var replyRates: [Double]
    public var bounceRates: [Double]
    public var volumes: [Int]
    public var perVolume: [VolumeSummary]
    public var cells: [Cell]
    /// With a second rule set: its name, how bands are matched, and mean disagreement per volume.
    public var against: String?
    public var bandMatching: String?
    public var meanDisagreement: [Double]?
    /// Share of the grid where the two rule sets give different bands to the true rates.
    public var trueRateDisagreement: Double?
}

extension StabilityAnalysis {
    /// Runs the analysis of `rules` (and `other`, when given) at the rep level.
    ///
    /// - Throws: `ScenarioError` for options it cannot run: no rates or volumes, volumes outside
    ///   1 to 1,000,000, or Monte Carlo trials outside 1 to `Limits.trials`.
    public static func run(
        _ rules: RuleSet,
        against other: RuleSet? = nil,
        options: Options
    ) async throws(ScenarioError)
        -> StabilityAnalysis
    {
        try options.check()
        let ruleSets = [rules] + (other.map { [$0] } ?? [])
        let pairs = options.replyRates.flatMap { reply in options.bounceRates.map { (reply, $0) } }
        let matching = BandMatching(rules, other)
        var computed = [[[[Int]: Double]]?](repeating: nil, count: pairs.count)
        await withTaskGroup(of: (Int, [[[Int]: Double]]).self) { group in
            var next = 0
            func submit() {
                let index = next
                let (reply, bounce) = pairs[index]
                group.addTask {
                    (
                        index,
                        options.volumes.enumerated().map { volumeIndex, volume in
                            outcomes(
                                ruleSets,
                                reply: reply,
                                bounce: bounce,
                                volume: volume,
                                method: options.method,
                                stream: index * options.volumes.count + volumeIndex
                            )
                        }
                    )
                }
                next += 1
            }
            while next < min(pairs.count, options.threads) { submit() }
            for await (index, result) in group {
                computed[index] = result
                if next < pairs.count { submit() }
            }
        }

        let bandOrder = rules.bandNames + [RuleSet.ineligible]
        var cells: [Cell] = []
        var trueDisagreements = 0
        for (index, (reply, bounce)) in pairs.enumerated() {
            let truth = rules.bandOfRates(reply: reply, bounce: bounce)
            let distributions = computed[index]!
            var cell = Cell(
                reply: reply.doubleValue,
                bounce: bounce.doubleValue,
                trueBand: bandOrder[truth],
                agreement: distributions.map { distribution in
                    distribution.filter { $0.key[0] == truth }.values.reduce(0, +)
                },
                volumeReachingTarget: nil
            )
            if let other {
                let otherTruth = other.bandOfRates(reply: reply, bounce: bounce)
                cell.otherTrueBand = (other.bandNames + [RuleSet.ineligible])[otherTruth]
                if !matching.agree(truth, otherTruth) { trueDisagreements += 1 }
                cell.disagreement = distributions.map { distribution in
                    distribution.filter { !matching.agree($0.key[0], $0.key[1]) }.values.reduce(0, +)
                }
            }
            let reaching = cell.agreement.indices.filter { cell.agreement[$0...].allSatisfy { $0 >= options.target } }
            cell.volumeReachingTarget = reaching.first.map { options.volumes[$0] }
            cells.append(cell)
        }

        let perVolume = options.volumes.indices.map { volumeIndex -> VolumeSummary in
            var confusion = Array(repeating: [Double](), count: rules.bands.count)
            for band in rules.bands.indices {
                let members = pairs.indices.filter {
                    rules.bandOfRates(reply: pairs[$0].0, bounce: pairs[$0].1) == band
                }
                guard !members.isEmpty else { continue }
                confusion[band] = bandOrder.indices.map { observed in
                    members.map { computed[$0]![volumeIndex].filter { $0.key[0] == observed }.values.reduce(0, +) }
                        .reduce(0, +) / Double(members.count)
                }
            }
            let agreements = cells.map { $0.agreement[volumeIndex] }
            return VolumeSummary(
                volume: options.volumes[volumeIndex],
                belowMinimum: options.volumes[volumeIndex] < rules.minimumCompleted.rep,
                meanAgreement: agreements.reduce(0, +) / Double(max(1, agreements.count)),
                shareReachingTarget: Double(agreements.filter { $0 >= options.target }.count)
                    / Double(max(1, agreements.count)),
                confusion: confusion
            )
        }

        return StabilityAnalysis(
            method: options.method.description,
            level: Scorecard.Level.rep.rawValue,
            minimum: rules.minimumCompleted.rep,
            target: options.target,
            bandOrder: bandOrder,
            replyRates: options.replyRates.map(\.doubleValue),
            bounceRates: options.bounceRates.map(\.doubleValue),
            volumes: options.volumes,
            perVolume: perVolume,
            cells: cells,
            against: other?.name,
            bandMatching: other.map { _ in matching.description },
            meanDisagreement: other.map { _ in
                options.volumes.indices.map { volumeIndex in
                    cells.map { $0.disagreement![volumeIndex] }.reduce(0, +) / Double(max(1, cells.count))
                }
            },
            trueRateDisagreement: other.map { _ in Double(trueDisagreements) / Double(max(1, pairs.count)) }
        )
    }

    /// The smallest volume at which `reply` and `bounce` reach the target agreement.
    public static func minimumVolume(
        _ rules: RuleSet,
        reply: ExactDecimal,
        bounce: ExactDecimal,
        target: Double = 0.9
    )
        -> MinimumVolume
    {
        let truth = rules.bandOfRates(reply: reply, bounce: bounce)
        let volumes =
            Array(stride(from: max(100, rules.minimumCompleted.rep), through: 1000, by: 10))
            + Array(stride(from: 1100, through: 10_000, by: 100))
            + Array(stride(from: 11_000, through: 100_000, by: 1000))
        var agreement: [Int: Double] = [:]
        for volume in volumes {
            let distribution = ExactOutcomes.distribution(
                completed: volume,
                bounce: bounce.doubleValue,
                reply: reply.doubleValue,
                rules: [rules],
                level: .rep
            )
            agreement[volume] = distribution[[truth]] ?? 0
        }
        let reaching = volumes.indices.first { volumes[$0...].allSatisfy { agreement[$0]! >= target } }
        var note: String?
        if reaching == nil {
            let thresholds = rules.reply.map(\.from) + rules.bounce.map(\.from)
            note =
                thresholds.contains(reply) || thresholds.contains(bounce)
                ? "the true rate lies on a threshold, so observed rates fall on either side of it however many enrollments there are"
                : "not reached by 100,000 completed enrollments"
        }
        return MinimumVolume(
            reply: reply.doubleValue,
            bounce: bounce.doubleValue,
            trueBand: (rules.bandNames + [RuleSet.ineligible])[truth],
            volume: reaching.map { volumes[$0] },
            agreement: volumes.map { MinimumVolume.Point(volume: $0, agreement: agreement[$0]!) },
            note: note
        )
    }

    /// The distribution of band combinations for one rate pair and volume.
    static func outcomes(
        _ ruleSets: [RuleSet],
        reply: ExactDecimal,
        bounce: ExactDecimal,
        volume: Int,
        method: Method,
        stream: Int
    ) -> [[Int]: Double] {
        switch method {
        case .exact:
            return ExactOutcomes.distribution(
                completed: volume,
                bounce: bounce.doubleValue,
                reply: reply.doubleValue,
                rules: ruleSets,
                level: .rep
            )
        case .monteCarlo(let trials, let seed):
            // Every rule set scores the same simulated outcomes.
            let lanes = RandomLanes(generator: .default, seeds: StreamSeeds(seed: seed, lanes: 2), block: stream)
            var counts: [[Int]: Int] = [:]
            for _ in 0..<trials {
                let bounced = lanes.binomial(0, n: volume, p: bounce.doubleValue)
                let replied = lanes.binomial(1, n: volume - bounced, p: reply.doubleValue)
                let outcome = Counts(completed: volume, bounced: bounced, replied: replied)
                counts[ruleSets.map { $0.outcome(outcome, minimum: $0.minimum(for: .rep)).band }, default: 0] += 1
            }
            return counts.mapValues { Double($0) / Double(trials) }
        }
    }
}

extension StabilityAnalysis.Method: CustomStringConvertible {
    public var description: String {
        switch self {
        case .exact: return "exact (binomial sums through GSL)"
        case .monteCarlo(let trials, let seed):
            return "Monte Carlo (\(Format.count(trials)) simulated outcomes per rate pair and volume, seed \(seed))"
        }
    }
}
