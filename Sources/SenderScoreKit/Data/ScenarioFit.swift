import Foundation

/// Fits a scenario to an enrollment export: one segment per group (rep, sequence or segment)
/// whose bounce, reply and unsubscribe rates are Beta posteriors from the group's counts, the
/// observed volumes, the contact groups when the export names them, and each sequence's emails
/// when it has a last-step column. The scenario it writes runs as is and is the natural baseline
/// for strategies, cleaning and follow-up steps included.
public struct ScenarioFit: Sendable {
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        case rep, sequence, segment

        /// `rep,sequence`: the columns to group by, in order, each at most once.
        public static func list(_ text: String) -> [Grouping]? {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            let columns = parts.compactMap(Grouping.init(rawValue:))
            guard !columns.isEmpty, columns.count == parts.count, Set(columns).count == columns.count else {
                return nil
            }
            return columns
        }
    }

    /// How each group's prior is chosen.
    public enum Pooling: String, Sendable, Hashable, CaseIterable {
        /// Partial pooling: a hierarchical Beta–binomial fitted across the groups (`PartialPooling`).
        case partial
        /// Every group on its own, with the flat prior Beta(prior, prior).
        case none
    }

    /// The completed enrollments the fitted scenario plans for: the observed ones by default.
    public enum Volume: Sendable, Hashable {
        /// Each rep completes this many, split over the rep's lines as observed.
        case perRep(Int)
        /// Each line's observed volume times this factor.
        case scaled(Double)
    }

    /// The rates fitted from some enrollments' counts.
    public struct Rates: Sendable, Hashable {
        public var counts: Counts
        public var bounce: Posterior
        public var reply: Posterior
        /// Present when the export says which enrollments unsubscribed.
        public var unsubscribe: Posterior?

        init(_ counts: Counts, prior: Double, unsubscribes: Bool) {
            self.init(counts, priors: RatePriors(), flat: prior, unsubscribes: unsubscribes)
        }

        /// The posteriors from `priors` where given, else from the flat Beta(flat, flat).
        init(_ counts: Counts, priors: RatePriors, flat: Double, unsubscribes: Bool) {
            self.counts = counts
            let tallies = RateTallies(counts)
            bounce = Posterior(tallies.bounce, pooled: priors.bounce, flat: flat)
            reply = Posterior(tallies.reply, pooled: priors.reply, flat: flat)
            unsubscribe = unsubscribes ? Posterior(tallies.unsubscribe, pooled: priors.unsubscribe, flat: flat) : nil
        }
    }

    /// What each rate counts: bounced of completed, replied of delivered, unsubscribed of the
    /// delivered who did not reply.
    struct RateTallies {
        var bounce: PartialPooling.Tally
        var reply: PartialPooling.Tally
        var unsubscribe: PartialPooling.Tally

        init(_ counts: Counts) {
            bounce = .init(counts.bounced, of: counts.completed)
            reply = .init(counts.replied, of: counts.delivered)
            unsubscribe = .init(counts.unsubscribed, of: counts.delivered - counts.replied)
        }
    }

    /// A group's pooled posteriors, per rate; nil where the rate is not pooled.
    struct RatePriors {
        var bounce: PartialPooling.Pooled?
        var reply: PartialPooling.Pooled?
        var unsubscribe: PartialPooling.Pooled?

        /// Each group's pooled posteriors of each rate over `counts`.
        static func pooled(
            _ counts: [Counts],
            _ pool: ([PartialPooling.Tally]) -> [PartialPooling.Pooled]?
        ) -> [RatePriors] {
            let tallies = counts.map(RateTallies.init)
            let bounce = pool(tallies.map(\.bounce))
            let reply = pool(tallies.map(\.reply))
            let unsubscribe = pool(tallies.map(\.unsubscribe))
            return counts.indices.map {
                RatePriors(bounce: bounce?[$0], reply: reply?[$0], unsubscribe: unsubscribe?[$0])
            }
        }
    }

    /// One fitted group: a segment of the fitted scenario.
    public struct Group: Sendable, Hashable {
        public var name: String
        /// The group's value in each grouping column: ["ana", "outbound"].
        public var levels: [String]
        /// The group's own rates: of its regular contacts when the export names contact groups.
        public var rates: Rates
        /// The rates of all its enrollments, contact groups included: the fitted segment's.
        public var overall: Rates
        /// The contact groups the export names (a `contact_group` column), with their share of
        /// the group's enrollments and their own rates.
        public var contacts: [ContactGroup]
        /// All the group's enrollments, contact groups included.
        public var total: Counts
    }

    public struct ContactGroup: Sendable, Hashable {
        public var kind: ContactKind
        public var share: ExactDecimal
        public var rates: Rates
    }

    /// How a sequence's replies and unsubscribes fell on its emails (from the last step column).
    public struct SequenceSteps: Sendable, Hashable {
        public var name: String
        /// Replies at each email, the first email first; as many entries as the sequence has emails.
        public var replies: [Int]
        /// Unsubscribes at each email.
        public var unsubscribes: [Int]
    }

    /// Beta(alpha, beta) with its mean and 95% equal-tailed interval.
    public struct Posterior: Sendable, Hashable {
        public var alpha: Double
        public var beta: Double
        /// For a pooled rate: the prior mean it was pulled toward, and the weight of the pull.
        public var pooled: (mean: Double, weight: Double)? {
            pooledMean.map { ($0, pooledWeight) }
        }
        var pooledMean: Double?
        var pooledWeight = 0.0
        public var mean: Double { alpha / (alpha + beta) }
        public var low95: Double { Densities.betaQuantile(0.025, alpha: alpha, beta: beta) }
        public var high95: Double { Densities.betaQuantile(0.975, alpha: alpha, beta: beta) }

        /// The posterior after `successes` of `trials` from the prior Beta(prior, prior).
        init(_ successes: Int, of trials: Int, prior: Double) {
            alpha = prior + Double(successes)
            beta = prior + Double(trials - successes)
        }

        /// The pooled posterior, or the one after `tally` from Beta(flat, flat).
        init(_ tally: PartialPooling.Tally, pooled: PartialPooling.Pooled?, flat: Double) {
            self.init(tally.successes, of: tally.trials, prior: flat)
            if let pooled {
                alpha = pooled.alpha
                beta = pooled.beta
                pooledMean = pooled.priorMean
                pooledWeight = pooled.weight
            }
        }
    }

    public var groups: [Group]
    /// Per sequence, when the export has a last-step column; empty otherwise.
    public var sequences: [SequenceSteps]
    /// Whether the export numbers steps from 0 (they are written from 1).
    public var stepsFromZero: Bool
    /// Per (rep, sequence) line: the completed enrollments and their split among groups.
    public var lines: [(rep: String, sequence: String, completed: Int, audience: [(group: String, count: Int)])]
    /// Per line, in the order of `lines`: its enrollments' outcome counts.
    public var lineCounts: [Counts] = []
    /// With `--timeline`: the length of the periods of the scenario's timeline, and the first and
    /// last period in which the export's enrollments ended (its window at the start).
    public var timeline: (length: PeriodLength, first: Period, last: Period)?
    public var grouping: [Grouping]
    public var pooling: Pooling
    public var volume: Volume?
    public var prior: Double
    public var score: ExportScore

    /// Fits the export at `path`. `prior` is the Beta(prior, prior) prior of every rate: 0.5 is
    /// Jeffreys' prior, 1 the uniform one.
    public static func fit(
        _ path: String,
        by grouping: Grouping,
        prior: Double = 0.5,
        rules: RuleSet,
        options: ExportScore.Options = .init()
    ) throws(ScenarioError) -> ScenarioFit {
        try fit(path, by: [grouping], pooling: .none, prior: prior, rules: rules, options: options)
    }

    /// Fits the export at `path`, grouped by the columns `grouping` (one segment per combination
    /// that occurs). With `.partial` pooling each rate's prior is fitted across the groups
    /// (`PartialPooling`); with `.none`, or too few groups, it is Beta(prior, prior): 0.5 is
    /// Jeffreys' prior, 1 the uniform one.
    public static func fit(
        _ path: String,
        by grouping: [Grouping],
        pooling: Pooling = .partial,
        prior: Double = 0.5,
        volume: Volume? = nil,
        timeline: PeriodLength? = nil,
        rules: RuleSet,
        options: ExportScore.Options = .init()
    ) throws(ScenarioError) -> ScenarioFit {
        precondition(!grouping.isEmpty, "group by at least one column")
        // One streaming pass scores the file and collects the groups from the records the score
        // counts, so the fitted counts are exactly what `score` reports.
        let reader = try ExportReader(path: path, overrides: options.columns)
        if grouping.contains(.segment), !reader.mapping.entries.contains(where: { $0.field == ExportField.segment.key })
        {
            throw ScenarioError(
                file: path,
                message: "grouping by segment needs a segment column; the columns are "
                    + Format.list(reader.mapping.entries.map(\.column) + reader.mapping.ignored)
            )
        }
        var groups: [[String]: [ContactKind?: Counts]] = [:]
        var groupOrder: [[String]] = []
        struct LineKey: Hashable {
            var rep: String
            var sequence: String
        }
        var lines: [LineKey: (completed: Int, audience: [[String]: Int], order: [[String]])] = [:]
        var lineCounts: [LineKey: Counts] = [:]
        var ended: (first: Timestamp, last: Timestamp)?
        var lineOrder: [LineKey] = []
        var unsubscribes = false
        // Per sequence, counts by the raw last step: emails reached, replies, unsubscribes.
        var steps: [String: (last: Int, replies: [Int: Int], unsubscribes: [Int: Int])] = [:]
        var sequenceOrder: [String] = []
        var stepsFromZero = false
        let score = try ExportScore.score(reader, rules: rules, options: options) { record in
            let sequence = record.sequence ?? "sequence"
            let group = grouping.map { column in
                switch column {
                case .rep: return record.rep
                case .sequence: return sequence
                case .segment: return record.segment ?? "unknown"
                }
            }
            unsubscribes = unsubscribes || record.unsubscribed
            if groups[group] == nil { groupOrder.append(group) }
            groups[group, default: [:]][record.contacts, default: .zero] += record.counts
            if let step = record.lastStep {
                if steps[sequence] == nil {
                    sequenceOrder.append(sequence)
                    steps[sequence] = (step, [:], [:])
                }
                steps[sequence]!.last = max(steps[sequence]!.last, step)
                if record.replied { steps[sequence]!.replies[step, default: 0] += 1 }
                if record.unsubscribed { steps[sequence]!.unsubscribes[step, default: 0] += 1 }
                stepsFromZero = stepsFromZero || step == 0
            }
            let key = LineKey(rep: record.rep, sequence: sequence)
            if lines[key] == nil {
                lineOrder.append(key)
                lines[key] = (0, [:], [])
            }
            lines[key]!.completed += 1
            lineCounts[key, default: .zero] += record.counts
            if let moment = record.endedAt {
                ended = ended.map { (min($0.first, moment), max($0.last, moment)) } ?? (moment, moment)
            }
            if lines[key]!.audience[group] == nil { lines[key]!.order.append(group) }
            lines[key]!.audience[group, default: 0] += 1
        }
        guard !groupOrder.isEmpty else {
            throw ScenarioError(file: path, message: "no completed enrollments to fit (\(score.rows) rows)")
        }
        var span: (length: PeriodLength, first: Period, last: Period)?
        if let timeline {
            guard let ended else {
                throw ScenarioError(
                    file: path,
                    message: "--timeline needs the day each enrollment ended; the export has no end-date column "
                        + "(Ended At, hs_enrollment_end_date)"
                )
            }
            let (first, last) = (timeline.period(of: ended.first), timeline.period(of: ended.last))
            guard first.distance(to: last) < Limits.periods else {
                throw ScenarioError(
                    file: path,
                    message: "the export's enrollments ended over more than \(Format.count(Limits.periods)) "
                        + "\(timeline.rawValue)s (\(first.label) to \(last.label)); choose a window with --from and --to"
                )
            }
            span = (timeline, first, last)
        }
        let fitsUnsubscribes =
            unsubscribes || reader.mapping.entries.contains { $0.field == ExportField.stepErrorType.key }
        let first = stepsFromZero ? 0 : 1
        // Priors: per rate, the groups' regular contacts and their totals pooled across the
        // groups (crossed when grouped by several columns), each contact kind across the groups
        // that hold it.
        let levels = grouping.indices.map { column in groupOrder.map { $0[column] } }
        func pool(_ counts: [Counts]) -> [RatePriors] {
            guard pooling == .partial else { return counts.map { _ in RatePriors() } }
            return RatePriors.pooled(counts) { PartialPooling.posteriors($0, levels: levels) }
        }
        // Segment names: the columns' values joined ("ana / outbound"); should two groups join to
        // the same name ("a / b" and "c", "a" and "b / c"), the later ones are numbered.
        var segmentNames: [[String]: String] = [:]
        var taken: Set<String> = []
        for key in groupOrder {
            let joined = key.joined(separator: " / ")
            var name = joined
            var number = 2
            while taken.contains(Name.key(name)) {
                name = "\(joined) (\(number))"
                number += 1
            }
            taken.insert(Name.key(name))
            segmentNames[key] = name
        }
        let regulars = groupOrder.map { groups[$0]![nil] ?? .zero }
        let totals = groupOrder.map { groups[$0]!.values.reduce(into: Counts.zero) { $0 += $1 } }
        let regularPriors = pool(regulars)
        let totalPriors = pool(totals)
        let regularRates = groupOrder.indices.map {
            Rates(regulars[$0], priors: regularPriors[$0], flat: prior, unsubscribes: fitsUnsubscribes)
        }
        let groupIndex = Dictionary(uniqueKeysWithValues: zip(groupOrder, groupOrder.indices))
        var kindPriors: [ContactKind: [[String]: RatePriors]] = [:]
        for kind in ContactKind.allCases where pooling == .partial {
            let holders = groupOrder.filter { groups[$0]![kind] != nil }
            var priors = RatePriors.pooled(holders.map { groups[$0]![kind]! }) { PartialPooling.posteriors($0) }
            // Too few segments hold the kind to pool across: each group is pulled toward its
            // kind's documented default (levers.md) on its segment's regular contacts, with the
            // weight of `defaultWeight` enrollments, rather than resting on a flat prior alone.
            for (index, key) in holders.enumerated() {
                let regular = regularRates[groupIndex[key]!]
                let tallies = RateTallies(groups[key]![kind]!)
                func pulled(
                    _ tally: PartialPooling.Tally,
                    _ rate: Scenario.GroupRate,
                    _ base: Posterior?
                )
                    -> PartialPooling.Pooled?
                {
                    let mean: Double
                    switch rate {
                    case .absolute(let parameter): mean = parameter.mean
                    case .times(let factor):
                        guard let base else { return nil }
                        mean = min(1 - 1e-6, max(1e-6, factor * base.mean))
                    }
                    let weight = Self.defaultWeight
                    return PartialPooling.Pooled(
                        alpha: weight * mean + Double(tally.successes),
                        beta: weight * (1 - mean) + Double(tally.trials - tally.successes),
                        priorMean: mean,
                        weight: weight
                    )
                }
                if priors[index].bounce == nil {
                    priors[index].bounce = pulled(tallies.bounce, kind.defaultBounce, regular.bounce)
                }
                if priors[index].reply == nil {
                    priors[index].reply = pulled(tallies.reply, kind.defaultReply, regular.reply)
                }
                if priors[index].unsubscribe == nil {
                    priors[index].unsubscribe = pulled(
                        tallies.unsubscribe,
                        kind.defaultUnsubscribe,
                        regular.unsubscribe
                    )
                }
            }
            kindPriors[kind] = Dictionary(uniqueKeysWithValues: zip(holders, priors))
        }
        return ScenarioFit(
            groups: groupOrder.indices.map { index in
                let key = groupOrder[index]
                let byContacts = groups[key]!
                let kinds = ContactKind.allCases.filter { byContacts[$0] != nil }
                let shares = Self.shares(([nil] + kinds).map { byContacts[$0]?.completed ?? 0 })
                return Group(
                    name: segmentNames[key]!,
                    levels: key,
                    rates: regularRates[index],
                    overall: Rates(
                        totals[index],
                        priors: totalPriors[index],
                        flat: prior,
                        unsubscribes: fitsUnsubscribes
                    ),
                    contacts: kinds.indices.map {
                        ContactGroup(
                            kind: kinds[$0],
                            share: shares[$0 + 1],
                            rates: Rates(
                                byContacts[kinds[$0]]!,
                                priors: kindPriors[kinds[$0]]?[key] ?? RatePriors(),
                                flat: prior,
                                unsubscribes: fitsUnsubscribes
                            )
                        )
                    },
                    total: totals[index]
                )
            },
            sequences: sequenceOrder.map { name in
                let tally = steps[name]!
                let emails = first...max(first, tally.last)
                return SequenceSteps(
                    name: name,
                    replies: emails.map { tally.replies[$0] ?? 0 },
                    unsubscribes: emails.map { tally.unsubscribes[$0] ?? 0 }
                )
            },
            stepsFromZero: stepsFromZero,
            lines: lineOrder.map { key in
                let line = lines[key]!
                return (
                    key.rep, key.sequence, line.completed,
                    line.order.map { (segmentNames[$0]!, line.audience[$0]!) }
                )
            },
            lineCounts: lineOrder.map { lineCounts[$0]! },
            timeline: span,
            grouping: grouping,
            pooling: pooling,
            volume: volume,
            prior: prior,
            score: score
        )
    }

    /// The fitted scenario as YAML, commented with what each number was fitted from.
    /// `rulesReference` is written as the scenario's `rules` (a built-in name or a path).
    public func yaml(rulesReference: String?) -> String {
        var out: [String] = []
        let window = [score.from.map { "from \($0)" }, score.to.map { "to \($0)" }].compactMap { $0 }.joined(
            separator: " "
        )
        out.append(
            "# Fitted by `senderscore fit` from \(score.file)\(window.isEmpty ? "" : " (enrollments that ended \(window))")."
        )
        out.append(
            "# \(Format.count(score.team.completed)) completed enrollments, grouped by "
                + "\(grouping.map(\.rawValue).joined(separator: " and ")); "
                + "left out: \(score.excluded.executing) executing, \(score.excluded.paused) paused, "
                + "\(score.excluded.outsideWindow) outside the window, \(score.excluded.invalid) invalid."
        )
        let flat =
            "Beta(\(Format.number(prior)), \(Format.number(prior)))"
            + (prior == 0.5 ? " (Jeffreys)" : prior == 1 ? " (uniform)" : "")
        if pooling == .partial {
            let from =
                grouping.count > 1
                ? "the other groups (its \(grouping.map(\.rawValue).joined(separator: ", its ")), the team)"
                : "the other groups (the team)"
            out.append(
                "# Every rate is a Beta posterior from its group's counts, partially pooled (docs/export-format.md):"
            )
            out.append("# a hierarchical Beta-binomial in which each group's prior comes from \(from),")
            out.append("# so a small group borrows strength and a large one keeps its own rate. Where fewer than")
            out.append("# \(PartialPooling.minimumGroups) groups share a rate, its prior is \(flat).")
        } else {
            out.append("# Every rate is a Beta posterior from its group's counts with the prior \(flat), each group")
            out.append("# on its own, so it is as uncertain as the data leave it.")
        }
        switch volume {
        case nil: out.append("# Volumes are the observed completed enrollments.")
        case .perRep(let count):
            out.append(
                "# Volumes: \(Format.count(count)) completed enrollments per rep, split over its lines as observed."
            )
        case .scaled(let factor):
            out.append("# Volumes: the observed completed enrollments × \(Format.number(factor)).")
        }
        for renaming in (score.renamed ?? []).prefix(Self.renamingsListed) {
            out.append(
                "# \(renaming.field) \(Format.quoted(renaming.from)) (line \(renaming.line)) is written \(Format.quoted(renaming.to))"
            )
        }
        if let renamed = score.renamed, renamed.count > Self.renamingsListed {
            out.append(
                "# and \(renamed.count - Self.renamingsListed) more names are written otherwise than in the export"
            )
        }
        out.append(
            "name: \(Self.quoted(Name.cleaned("Fitted from " + URL(fileURLWithPath: score.file).lastPathComponent)))"
        )
        out.append("trials: 20000")
        out.append("seed: 1")
        if let rulesReference { out.append("rules: \(Self.quoted(rulesReference))") }
        if let timeline {
            let span = Int(timeline.first.distance(to: timeline.last)) + 1
            let unit = timeline.length.rawValue
            out.append("")
            out.append(
                "# The export's enrollments ended in \(span) \(unit)\(span == 1 ? "" : "s") (\(timeline.first.firstDay) to "
                    + "\(timeline.last.lastDay)): they are"
            )
            out.append(
                "# each line's inWindow, the score window as the timeline starts the \(unit) after, and each line"
            )
            out.append("# goes on at its observed pace per \(unit). Edit the horizon (periods) and the window (your")
            out.append("# report's date filter, in \(unit)s, or quarter) to match your report.")
            out.append("timeline:")
            out.append("  period: \(unit)")
            out.append("  periods: \(span)")
            out.append("  start: \(timeline.last.next.firstDay)")
            out.append("  window: \(span)")
        }
        out.append("")
        out.append("segments:")
        for group in groups {
            out.append("  \(Self.quoted(group.name)):  # \(Self.describe(group.total))")
            if group.contacts.isEmpty {
                Self.appendRates(group.rates, indent: "    ", to: &out)
            } else {
                // Calibrated groups: the segment's rates are of all its contacts, and each group's
                // a multiple of the regular contacts', so cleaning what-ifs start from the data.
                Self.appendRates(group.overall, indent: "    ", to: &out)
                out.append("    rates: overall  # of all the contacts; the regular ones' are solved from them")
            }
            out.append("    observed: \(Self.observed(group.total, rates: group.overall))")
            if !group.contacts.isEmpty {
                out.append(
                    "    contacts:  # the export's contact groups: their share, and their rates as multiples of the "
                        + "regular contacts' (\(Self.describe(group.rates.counts)))"
                )
                for contact in group.contacts {
                    out.append("      \(contact.kind.rawValue):  # \(Self.describe(contact.rates.counts))")
                    out.append("        share: \(contact.share)")
                    Self.appendMultiples(contact.rates, of: group.rates, indent: "        ", to: &out)
                }
            }
        }
        if !sequences.isEmpty {
            out.append("")
            out.append(
                "# Emails per sequence: the last step any enrollment reached\(stepsFromZero ? " (the export numbers steps from 0)" : ""); "
                    + "the shares say at"
            )
            out.append("# which email the sequence's replies and unsubscribes came.")
            out.append("sequences:")
            for sequence in sequences {
                let emails = sequence.replies.count
                guard emails > 1 else {
                    out.append("  \(Self.quoted(sequence.name)): {}  # one email")
                    continue
                }
                let replies = sequence.replies.reduce(0, +)
                let unsubscribes = sequence.unsubscribes.reduce(0, +)
                out.append(
                    "  \(Self.quoted(sequence.name)):  # \(emails) emails; replies by email "
                        + sequence.replies.map(Format.count).joined(separator: ", ")
                        + (unsubscribes > 0
                            ? "; unsubscribes by email "
                                + sequence.unsubscribes.map(Format.count).joined(separator: ", ") : "")
                        + (replies == 0 ? "; no replies, so their shares are even" : "")
                )
                out.append("    steps:")
                let replyShares = Self.shares(sequence.replies)
                let unsubscribeShares = unsubscribes > 0 ? Self.shares(sequence.unsubscribes) : nil
                for step in 0..<emails {
                    out.append(
                        "      - {replyShare: \(replyShares[step])"
                            + (unsubscribeShares.map { ", unsubscribeShare: \($0[step])" } ?? "") + "}"
                    )
                }
            }
        }
        out.append("")
        out.append("reps:")
        var reps: [String] = []
        for line in lines where !reps.contains(line.rep) { reps.append(line.rep) }
        for rep in reps {
            out.append("  - name: \(Self.quoted(rep))")
            out.append("    enrollments:")
            let repLines = lines.filter { $0.rep == rep }
            let planned = Self.planned(repLines.map(\.completed), volume: volume)
            if let timeline {
                let span = Int(timeline.first.distance(to: timeline.last)) + 1
                let counts = lines.indices.filter { lines[$0].rep == rep }.map { lineCounts[$0] }
                for ((line, completed), history) in zip(zip(repLines, planned), counts) {
                    // A whole pace as it is; else Poisson arrivals at the observed mean pace.
                    let pace =
                        completed % span == 0
                        ? "\(completed / span)" : "{poisson: \(Format.number(Double(completed) / Double(span)))}"
                    out.append(
                        "      - {sequence: \(Self.quoted(line.sequence)), perPeriod: \(pace), "
                            + "audience: \(Self.audience(line.audience, total: line.completed)),"
                    )
                    out.append(
                        "         inWindow: {completed: \(history.completed), bounced: \(history.bounced), "
                            + "replied: \(history.replied), unsubscribed: \(history.unsubscribed)}}"
                            + "  # \(Format.count(completed)) in \(span) \(timeline.length.rawValue)\(span == 1 ? "" : "s")"
                    )
                }
                continue
            }
            for (line, completed) in zip(repLines, planned) {
                out.append(
                    "      - {sequence: \(Self.quoted(line.sequence)), completed: \(completed), audience: \(Self.audience(line.audience, total: line.completed))}"
                        + (completed == line.completed ? "" : "  # observed \(line.completed)")
                )
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `{beta: {alpha: 10.5, beta: 370.5}}  # mean 2.76%, 95% interval 1.45%–4.58%`, and with a
    /// pooled prior `; prior mean 3.10%, weight 120`.
    static func beta(_ posterior: Posterior) -> String {
        "{beta: {alpha: \(number(posterior.alpha)), beta: \(number(posterior.beta))}}"
            + "  # mean \(Format.percent(posterior.mean, digits: 2)), 95% interval "
            + "\(Format.percent(posterior.low95, digits: 2))–\(Format.percent(posterior.high95, digits: 2))"
            + (posterior.pooled.map {
                "; pooled toward \(Format.percent($0.mean, digits: 2)) with the weight of "
                    + "\(Format.count(Int($0.weight.rounded()))) enrollments"
            } ?? "")
    }

    /// A pooled Beta parameter with six significant digits; a flat prior's counts exactly.
    static func number(_ value: Double) -> String {
        value * 2 == (value * 2).rounded() ? exact(value) : Format.number(value)
    }

    /// Each line's completed enrollments under `volume`: the rep's total split as observed
    /// (largest remainders, so they add up), or each line scaled.
    static func planned(_ observed: [Int], volume: Volume?) -> [Int] {
        switch volume {
        case nil: return observed
        case .scaled(let factor): return observed.map { Int((Double($0) * factor).rounded()) }
        case .perRep(let total):
            let sum = observed.reduce(0, +)
            guard sum > 0 else { return observed.indices.map { $0 == 0 ? total : 0 } }
            let exact = observed.map { Double($0) * Double(total) / Double(sum) }
            var counts = exact.map { Int($0.rounded(.down)) }
            let order = exact.indices.sorted { exact[$0] - Double(counts[$0]) > exact[$1] - Double(counts[$1]) }
            for index in order.prefix(total - counts.reduce(0, +)) { counts[index] += 1 }
            return counts
        }
    }

    /// The shortest text that reads back as the same number: 10.5, 472542.5.
    static func exact(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// A line's audience: its groups with shares that add up to exactly 1.
    static func audience(_ counts: [(group: String, count: Int)], total: Int) -> String {
        if counts.count == 1 { return quoted(counts[0].group) }
        let shares = zip(counts, shares(counts.map(\.count))).map { "\(quoted($0.group)): \($1)" }
        return "{" + shares.joined(separator: ", ") + "}"
    }

    /// The counts as shares with six decimals that add up to exactly 1 (even shares when all are 0).
    static func shares(_ counts: [Int]) -> [ExactDecimal] {
        let total = counts.reduce(0, +)
        var micros = counts.map {
            total == 0 ? 1_000_000 / max(1, counts.count) : Int((Double($0) / Double(total) * 1_000_000).rounded())
        }
        if let largest = micros.indices.max(by: { micros[$0] < micros[$1] }) {
            micros[largest] += 1_000_000 - micros.reduce(0, +)
        }
        return micros.map { ExactDecimal(units: Int64($0), scale: 6) }
    }

    /// `1,234 completed, 30 bounced, 1,204 delivered, 96 replied`
    static func describe(_ counts: Counts) -> String {
        "\(Format.count(counts.completed)) completed, \(Format.count(counts.bounced)) bounced, "
            + "\(Format.count(counts.delivered)) delivered, \(Format.count(counts.replied)) replied"
    }

    /// The bounce, reply and unsubscribe lines of a segment or a contact group.
    static func appendRates(_ rates: Rates, indent: String, to out: inout [String]) {
        out.append("\(indent)bounce: \(beta(rates.bounce))")
        out.append("\(indent)reply: \(beta(rates.reply))")
        if let unsubscribe = rates.unsubscribe { out.append("\(indent)unsubscribe: \(beta(unsubscribe))") }
    }

    /// `{completed: 380, bounced: 39, replied: 30, unsubscribed: 4}`: what a run checks the
    /// scenario against.
    static func observed(_ counts: Counts, rates: Rates) -> String {
        let pooled =
            [("bounce", rates.bounce), ("reply", rates.reply)] + (rates.unsubscribe.map { [("unsubscribe", $0)] } ?? [])
        let fitted = pooled.compactMap { name, posterior in
            posterior.pooled == nil
                ? nil : "\(name): {beta: {alpha: \(number(posterior.alpha)), beta: \(number(posterior.beta))}}"
        }
        return "{completed: \(counts.completed), bounced: \(counts.bounced), replied: \(counts.replied)"
            + (rates.unsubscribe != nil ? ", unsubscribed: \(counts.unsubscribed)" : "")
            + (fitted.isEmpty ? "" : ", fitted: {" + fitted.joined(separator: ", ") + "}") + "}"
    }

    /// A contact group's rates as multiples of the regular contacts' posterior means, each
    /// commented with the group's own posterior.
    static func appendMultiples(_ rates: Rates, of regular: Rates, indent: String, to out: inout [String]) {
        func line(_ name: String, _ own: Posterior, _ base: Posterior) {
            out.append(
                "\(indent)\(name): {times: \(multiple(own.mean / base.mean))}  # its own: "
                    + "mean \(Format.percent(own.mean, digits: 2)), 95% interval "
                    + "\(Format.percent(own.low95, digits: 2))–\(Format.percent(own.high95, digits: 2))"
            )
        }
        line("bounce", rates.bounce, regular.bounce)
        line("reply", rates.reply, regular.reply)
        if let unsubscribe = rates.unsubscribe, let base = regular.unsubscribe {
            line("unsubscribe", unsubscribe, base)
        }
    }

    /// A multiple with four significant digits: 28.47, 0.2513.
    static func multiple(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "1" }
        let value = min(value, Parameter.Domain.multiplier.bounds.upperBound)
        let digits = max(0, 3 - Int(log10(value).rounded(.down)))
        return Format.number((value * pow(10, Double(digits))).rounded() / pow(10, Double(digits)))
    }

    /// The weight, in enrollments, of a contact kind's documented default for a group that
    /// cannot be pooled with others of its kind.
    public static let defaultWeight = 10.0

    /// The most renamed names listed in a fitted scenario's comments.
    static let renamingsListed = 20

    static func quoted(_ text: String) -> String { Format.yamlScalar(text) }
}
