/// A scoring rule set: points for a reply rate and a bounce rate, summed, and bands on the sum.
///
/// HubSpot publishes only the targets (a good reply rate is 7–13%, a good bounce rate under 3%)
/// and the eligibility minimum; the points and bands of any rule set are an assumption. A row
/// applies to a rate when it is the row with the largest `from` at or below the rate; the same
/// rule maps the point total to a band. All comparisons are exact (see `ExactDecimal`).
public struct RuleSet: Sendable, Hashable, Encodable {
    /// What the reply rate is divided by.
    public enum ReplyDenominator: String, Sendable, Hashable, CaseIterable, Encodable {
        /// Completed minus bounced enrollments: "bounces are excluded" (the default).
        case delivered
        /// All completed enrollments.
        case completed
    }

    /// Points earned by rates from `from` up to the next row.
    public struct PointRow: Sendable, Hashable, Encodable {
        public var from: ExactDecimal
        public var points: ExactDecimal
        public init(from: ExactDecimal, points: ExactDecimal) {
            self.from = from
            self.points = points
        }
    }

    /// A band reached by point totals from `from` up to the next band.
    public struct BandRow: Sendable, Hashable, Encodable {
        public var from: ExactDecimal
        public var name: String
        public init(from: ExactDecimal, name: String) {
            self.from = from
            self.name = name
        }
    }

    /// At least this many completed enrollments, else Ineligible.
    public struct MinimumCompleted: Sendable, Hashable, Encodable {
        /// For a rep (a user) and for the team's pooled counts. HubSpot: 100.
        public var rep: Int
        /// For one sequence of a rep. HubSpot: "more than 100", so 101.
        public var sequence: Int
        public init(rep: Int, sequence: Int) {
            self.rep = rep
            self.sequence = sequence
        }
    }

    /// The published targets, reported as "in target": `replyLow <= r <= replyHigh`, `b < bounceBelow`.
    public struct Targets: Sendable, Hashable, Encodable {
        public var replyLow: ExactDecimal
        public var replyHigh: ExactDecimal
        public var bounceBelow: ExactDecimal
        public init(replyLow: ExactDecimal, replyHigh: ExactDecimal, bounceBelow: ExactDecimal) {
            self.replyLow = replyLow
            self.replyHigh = replyHigh
            self.bounceBelow = bounceBelow
        }
    }

    /// The name reports show, e.g. `hubspot`.
    public var name: String
    /// Where the rule set comes from, for reports: "built-in", a file path, or "inline in FILE".
    public var origin: String
    /// A caveat every report repeats, e.g. that the built-in is a reconstruction.
    public var note: String?
    /// The rules file it was read from; nil for a built-in or inline rule set.
    public var file: String? = nil
    public var replyDenominator: ReplyDenominator
    public var minimumCompleted: MinimumCompleted
    public var targets: Targets
    /// Reply-rate rows, sorted by `from`.
    public let reply: [PointRow]
    /// Bounce-rate rows, sorted by `from`.
    public let bounce: [PointRow]
    /// Bands, sorted by `from`.
    public let bands: [BandRow]

    /// Band index of each (reply row, bounce row) cell; see `cellIndex`.
    public let cellBands: [Int]
    /// Point total of each cell.
    public let cellTotals: [ExactDecimal]
    /// Point total of each cell in whole units of 10^-`scoreScale`, for exact sums of scores.
    public let cellScoreUnits: [Int64]
    public let scoreScale: Int

    /// What is irregular about a rule set read as-is (unsorted rows, points that are not monotone,
    /// gaps), each located in its file; empty for a regular rule set.
    public var irregularities: [ScenarioError] = []

    /// The name of the outcome "not enough completed enrollments".
    public static let ineligible = "Ineligible"

    /// Creates a rule set. Rows are sorted by `from`; whether they are sound is `RuleSetCheck`'s
    /// business, not this initialiser's.
    public init(
        name: String,
        origin: String,
        note: String? = nil,
        replyDenominator: ReplyDenominator = .delivered,
        minimumCompleted: MinimumCompleted = .init(rep: 100, sequence: 101),
        targets: Targets,
        reply: [PointRow],
        bounce: [PointRow],
        bands: [BandRow]
    ) {
        self.name = name
        self.origin = origin
        self.note = note
        self.replyDenominator = replyDenominator
        self.minimumCompleted = minimumCompleted
        self.targets = targets
        self.reply = reply.sorted { $0.from < $1.from }
        self.bounce = bounce.sorted { $0.from < $1.from }
        self.bands = bands.sorted { $0.from < $1.from }
        var cellBands: [Int] = []
        var cellTotals: [ExactDecimal] = []
        for replyRow in 0...self.reply.count {
            for bounceRow in 0...self.bounce.count {
                let total = (Self.points(self.reply, replyRow) + Self.points(self.bounce, bounceRow)) ?? .zero
                cellTotals.append(total)
                cellBands.append(self.bands.lastIndex { $0.from <= total } ?? 0)
            }
        }
        self.cellBands = cellBands
        self.cellTotals = cellTotals
        let scale = cellTotals.map(\.scale).max() ?? 0
        self.scoreScale = scale
        self.cellScoreUnits = cellTotals.map { total in
            var units = total.units
            for _ in total.scale..<scale { units *= 10 }
            return units
        }
    }

    private static func points(_ rows: [PointRow], _ index: Int) -> ExactDecimal {
        index < rows.count ? rows[index].points : .zero
    }

    // MARK: Lookup

    /// Band names in order from the lowest, without Ineligible.
    public var bandNames: [String] { bands.map(\.name) }

    /// The band "good or better" means in reports and plans: Good, else the second highest.
    public var targetBand: String { Self.targetBand(among: bandNames) ?? Self.ineligible }

    /// The target band among band names from the lowest (Ineligible left out); nil for none.
    public static func targetBand(among names: [String]) -> String? {
        let bands = names.filter { $0 != ineligible }
        return bands.first { Name.key($0) == "good" } ?? (bands.count >= 2 ? bands[bands.count - 2] : bands.first)
    }

    /// The trials in each band, from the lowest, then the ineligible ones, from the eligible
    /// trials per cell of `trials` in all.
    public func bandCounts(cells: some Collection<Int>, trials: Int) -> [Int] {
        var counts = Array(repeating: 0, count: bands.count + 1)
        var eligible = 0
        for (cell, count) in cells.enumerated() {
            counts[cellBands[cell]] += count
            eligible += count
        }
        counts[bands.count] = trials - eligible
        return counts
    }

    /// Number of cells: one per (reply row or "no reply points") × (bounce row or "no bounce points").
    public var cellCount: Int { (reply.count + 1) * (bounce.count + 1) }

    /// The cell of a reply row and a bounce row; `reply.count` / `bounce.count` stand for "no row
    /// applies" (no delivered enrollments, or a rate below the first row of an as-is rule set).
    public func cellIndex(replyRow: Int, bounceRow: Int) -> Int {
        replyRow * (bounce.count + 1) + bounceRow
    }

    /// The row that applies to `count / denominator`, `rows.count` when none does or the
    /// denominator is zero.
    ///
    /// - Complexity: O(rows), exact integer comparisons.
    @inline(__always)
    public static func row(in rows: [PointRow], count: Int, denominator: Int) -> Int {
        guard denominator > 0 else { return rows.count }
        var index = rows.count - 1
        while index >= 0, rows[index].from.signOfRate(count, over: denominator) < 0 {
            index -= 1
        }
        return index >= 0 ? index : rows.count
    }

    /// The reply-rate denominator of some counts under this rule set.
    public func replyDenominator(_ counts: Counts) -> Int {
        replyDenominator == .delivered ? counts.delivered : counts.completed
    }

    public func replyRow(_ counts: Counts) -> Int {
        Self.row(in: reply, count: counts.replied, denominator: replyDenominator(counts))
    }

    public func bounceRow(_ counts: Counts) -> Int {
        Self.row(in: bounce, count: counts.bounced, denominator: counts.completed)
    }

    /// `replyLow <= reply rate <= replyHigh`; false when the rate is undefined.
    public func isReplyInTarget(_ counts: Counts) -> Bool {
        let denominator = replyDenominator(counts)
        return denominator > 0
            && targets.replyLow.signOfRate(counts.replied, over: denominator) >= 0
            && targets.replyHigh.signOfRate(counts.replied, over: denominator) <= 0
    }

    /// `reply rate > replyHigh`: above the target range; false when the rate is undefined.
    public func isReplyAboveTarget(_ counts: Counts) -> Bool {
        let denominator = replyDenominator(counts)
        return denominator > 0 && targets.replyHigh.signOfRate(counts.replied, over: denominator) > 0
    }

    /// `bounce rate < bounceBelow`; false when there are no completed enrollments.
    public func isBounceInTarget(_ counts: Counts) -> Bool {
        counts.completed > 0 && targets.bounceBelow.signOfRate(counts.bounced, over: counts.completed) < 0
    }
}
