import Foundation

/// The actual sender score of an enrollment export: per rep, per sequence of a rep, and the team.
public struct ExportScore: Sendable, Hashable, Codable {
    /// One scored group.
    public struct Level: Sendable, Hashable, Codable {
        public var name: String
        /// For a sequence, its rep.
        public var rep: String?
        public var completed: Int
        public var delivered: Int
        public var replied: Int
        public var bounced: Int
        public var unsubscribed: Int
        public var replyRate: Double?
        public var bounceRate: Double?
        public var replyPoints: Double
        public var bouncePoints: Double
        public var score: Double?
        /// The band, or Ineligible.
        public var band: String
        public var eligible: Bool
        public var replyInTarget: Bool
        public var bounceInTarget: Bool
        /// Why something is missing: too few completed, nothing delivered.
        public var notes: [String]
    }

    /// Rows left out, and why.
    public struct Excluded: Sendable, Hashable, Codable {
        public var executing = 0
        public var paused = 0
        /// Completed outside `--from`/`--to`, or without an end date while a window is set.
        public var outsideWindow = 0
        public var invalid = 0
        /// Invalid rows by reason, with the first line of each (with `--skip-invalid`).
        public var reasons: [Reason] = []

        public struct Reason: Sendable, Hashable, Codable {
            public var reason: String
            public var count: Int
            public var firstLine: Int
        }
    }

    public var file: String
    public var rules: String
    public var rulesOrigin: String
    public var rulesNote: String?
    public var columns: ExportReader.Mapping
    public var from: String?
    public var to: String?
    public var rows: Int
    public var excluded: Excluded
    public var reps: [Level]
    public var sequences: [Level]
    public var team: Level
    /// Names the export spells otherwise than this score does (control characters, case,
    /// a rep called `team`); nil when there are none.
    public var renamed: [ExportReader.Renaming]? = nil
    /// With `--by`: the length of the trend's periods.
    public var by: PeriodLength? = nil
    /// With `--by`: every period from the first to the last an enrollment ended in (empty ones
    /// included), each with its own enrollments scored on their own.
    public var periods: [PeriodScore]? = nil
    /// With `--by`: completed enrollments without an end date, which are in no period.
    public var undated: Int? = nil

    /// The enrollments that ended in one period, scored on their own.
    public struct PeriodScore: Sendable, Hashable, Codable {
        /// "2026-07", or "2026-W27" for an ISO week.
        public var period: String
        /// Its first and last day, as 2026-07-01.
        public var from: String
        public var to: String
        /// Every rep and sequence of the whole score, in its order, with what they completed in
        /// this period.
        public var reps: [Level]
        public var sequences: [Level]
        public var team: Level
    }

    public struct Options: Sendable, Hashable {
        public var from: Timestamp?
        /// Inclusive: an end on this day counts when `to` is a date without a time.
        public var to: Timestamp?
        public var skipInvalid: Bool
        public var columns: [String: String]
        /// A trend by month or week besides the score (`score --by`).
        public var by: PeriodLength?

        public init(
            from: Timestamp? = nil,
            to: Timestamp? = nil,
            skipInvalid: Bool = false,
            columns: [String: String] = [:],
            by: PeriodLength? = nil
        ) {
            self.from = from
            self.to = to
            self.skipInvalid = skipInvalid
            self.columns = columns
            self.by = by
        }

        /// Options as written on a command line: dates such as 2026-07-01 or 2026-07-01T00:00:00Z
        /// (`to` as a date alone includes the whole day), and fields mapped to columns as
        /// `rep=Owner,sequence="Sequence name"`.
        ///
        /// - Throws: `ScenarioError` located at the option (`from`, `to`, `columns`) that is wrong.
        public init(
            from: String?,
            to: String?,
            columns: String?,
            skipInvalid: Bool,
            by: PeriodLength? = nil
        ) throws(ScenarioError) {
            func date(_ text: String?, option: String, endOfDay: Bool) throws(ScenarioError) -> Timestamp? {
                guard let text else { return nil }
                guard var value = Timestamp(parsing: text) else {
                    throw ScenarioError(
                        option: option,
                        message:
                            "expected a date such as 2026-07-01 or 2026-07-01T00:00:00Z, found \(Format.quoted(text))"
                    )
                }
                if endOfDay, text.count == 10 { value.seconds += 86_399 }
                return value
            }
            var mapping: [String: String] = [:]
            for pair in (columns ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ScenarioError(
                        option: "columns",
                        message: "expected FIELD=COLUMN pairs separated by commas, found \(Format.quoted(pair))"
                    )
                }
                // A field mapped twice: one mapping would silently win.
                if let earlier = mapping.keys.first(where: { $0.lowercased() == parts[0].lowercased() }) {
                    throw ScenarioError(
                        option: "columns",
                        message:
                            "\(Format.quoted(parts[0])) is mapped twice (to \(Format.quoted(mapping[earlier]!)) and "
                            + "\(Format.quoted(parts[1]))); map each field once"
                    )
                }
                mapping[parts[0]] = parts[1]
            }
            self.init(
                from: try date(from, option: "from", endOfDay: false),
                to: try date(to, option: "to", endOfDay: true),
                skipInvalid: skipInvalid,
                columns: mapping,
                by: by
            )
            if let start = self.from, let end = self.to, end < start {
                throw ScenarioError(option: "to", message: "\(end) is before the start of the window, \(start)")
            }
        }
    }

    /// Scores the export at `path` under `rules`.
    public static func score(
        _ path: String,
        rules: RuleSet,
        options: Options = .init()
    ) throws(ScenarioError) -> ExportScore {
        try score(ExportReader(path: path, overrides: options.columns), rules: rules, options: options)
    }

    /// Scores what `reader` reads; `visit` sees every record that counts (completed, valid, in
    /// the window), so a caller can gather more from the same single pass.
    public static func score(
        _ reader: ExportReader,
        rules: RuleSet,
        options: Options,
        visit: (ExportReader.Record) -> Void = { _ in }
    ) throws(ScenarioError) -> ExportScore {
        if options.by != nil, !reader.mapping.entries.contains(where: { $0.field == ExportField.endedAt.key }) {
            throw ScenarioError(
                option: "by",
                message: "a trend needs the day each enrollment ended, and \(reader.file) has no such column "
                    + "(hs_ended_at, 'ended at', 'end date', …); map one with --columns ended=COLUMN"
            )
        }
        var reps: [String: Counts] = [:]
        var sequences: [String: [String: Counts]] = [:]
        var repOrder: [String] = []
        var sequenceOrder: [String: [String]] = [:]
        var excluded = Excluded()
        var rows = 0
        var reasons: [String: (count: Int, line: Int)] = [:]
        // With --by: per period, each rep's and each rep's sequences' counts.
        var trend: [Period: [String: (rep: Counts, sequences: [String: Counts])]] = [:]
        var undated = 0
        while true {
            let record: ExportReader.Record
            do {
                guard let next = try reader.next() else { break }
                record = next
            } catch {
                guard options.skipInvalid, let line = error.line, !reader.isBroken else { throw error }
                rows += 1
                excluded.invalid += 1
                // Group by what is wrong, not by the value found.
                let reason = error.message.components(separatedBy: ", found").first ?? error.message
                reasons[reason] = (count: (reasons[reason]?.count ?? 0) + 1, line: reasons[reason]?.line ?? line)
                continue
            }
            rows += 1
            switch record.state {
            case .executing:
                excluded.executing += 1
                continue
            case .paused:
                excluded.paused += 1
                continue
            case .finished, .unenrolled: break
            }
            if options.from != nil || options.to != nil {
                guard let ended = record.endedAt,
                    options.from.map({ $0 <= ended }) ?? true, options.to.map({ ended <= $0 }) ?? true
                else {
                    excluded.outsideWindow += 1
                    continue
                }
            }
            visit(record)
            let counts = record.counts
            if reps[record.rep] == nil { repOrder.append(record.rep) }
            reps[record.rep, default: .zero] += counts
            // A row without a sequence still counts for its rep; it is listed as such.
            let sequence = record.sequence ?? "(no sequence)"
            if let by = options.by {
                if let ended = record.endedAt {
                    let period = by.period(of: ended)
                    var entry = trend[period]?[record.rep] ?? (rep: .zero, sequences: [:])
                    entry.rep += counts
                    entry.sequences[sequence, default: .zero] += counts
                    trend[period, default: [:]][record.rep] = entry
                } else {
                    undated += 1
                }
            }
            if sequences[record.rep]?[sequence] == nil { sequenceOrder[record.rep, default: []].append(sequence) }
            sequences[record.rep, default: [:]][sequence, default: .zero] += counts
        }
        excluded.reasons = reasons.map { .init(reason: $0.key, count: $0.value.count, firstLine: $0.value.line) }
            .sorted { $0.firstLine < $1.firstLine }
        var team = Counts.zero
        for counts in reps.values { team += counts }
        var periods: [PeriodScore]?
        if options.by != nil {
            periods = try Self.periods(trend, reps: repOrder, sequences: sequenceOrder, rules: rules)
            // With --from or --to, the first and last periods hold only the window's days.
            if let from = options.from, let first = periods?.first?.from, Self.day(from) > first {
                periods?[0].from = Self.day(from)
            }
            if let to = options.to, let count = periods?.count, count > 0, let last = periods?[count - 1].to,
                Self.day(to) < last
            {
                periods?[count - 1].to = Self.day(to)
            }
        }
        return ExportScore(
            file: reader.file,
            rules: rules.name,
            rulesOrigin: rules.origin,
            rulesNote: rules.note,
            columns: reader.mapping,
            from: options.from?.description,
            to: options.to?.description,
            rows: rows,
            excluded: excluded,
            reps: repOrder.map { level($0, rep: nil, reps[$0]!, .rep, rules) },
            sequences: repOrder.flatMap { rep in
                (sequenceOrder[rep] ?? []).map { level($0, rep: rep, sequences[rep]![$0]!, .sequence, rules) }
            },
            team: level(Name.team, rep: nil, team, .team, rules),
            renamed: reader.renamed.isEmpty ? nil : reader.renamed,
            by: options.by,
            periods: periods,
            undated: options.by == nil ? nil : undated
        )
    }

    /// The day of `moment`, as 2026-07-01.
    static func day(_ moment: Timestamp) -> String {
        Period.date(moment.seconds >= 0 ? moment.seconds / 86_400 : (moment.seconds - 86_399) / 86_400)
    }

    /// Every period from the first to the last of `trend`, each rep and sequence in the
    /// score's order with what it completed there.
    ///
    /// - Throws: `ScenarioError` (code `limit`) for more than `Limits.periods` periods.
    static func periods(
        _ trend: [Period: [String: (rep: Counts, sequences: [String: Counts])]],
        reps: [String],
        sequences: [String: [String]],
        rules: RuleSet
    ) throws(ScenarioError) -> [PeriodScore] {
        guard var period = trend.keys.min(), let last = trend.keys.max() else { return [] }
        let count = last.index - period.index + 1
        guard count <= Limits.periods else {
            throw ScenarioError(
                option: "by",
                message: "the enrollments ended over \(Format.count(Int(count))) \(period.length.rawValue)s, from "
                    + "\(period.label) to \(last.label); a trend has at most \(Format.count(Limits.periods)) periods: "
                    + "narrow it with --from and --to",
                code: .limit
            )
        }
        var scores: [PeriodScore] = []
        while period <= last {
            let entries = trend[period] ?? [:]
            var team = Counts.zero
            for entry in entries.values { team += entry.rep }
            scores.append(
                PeriodScore(
                    period: period.label,
                    from: period.firstDay,
                    to: period.lastDay,
                    reps: reps.map { level($0, rep: nil, entries[$0]?.rep ?? .zero, .rep, rules) },
                    sequences: reps.flatMap { rep in
                        (sequences[rep] ?? []).map {
                            level($0, rep: rep, entries[rep]?.sequences[$0] ?? .zero, .sequence, rules)
                        }
                    },
                    team: level(Name.team, rep: nil, team, .team, rules)
                )
            )
            period = period.next
        }
        return scores
    }

    static func level(
        _ name: String,
        rep: String?,
        _ counts: Counts,
        _ kind: Scorecard.Level,
        _ rules: RuleSet
    ) -> Level {
        let card = rules.scorecard(counts, level: kind)
        return Level(
            name: name,
            rep: rep,
            completed: counts.completed,
            delivered: counts.delivered,
            replied: counts.replied,
            bounced: counts.bounced,
            unsubscribed: counts.unsubscribed,
            replyRate: card.replyRate,
            bounceRate: card.bounceRate,
            replyPoints: card.replyPoints.doubleValue,
            bouncePoints: card.bouncePoints.doubleValue,
            score: card.isEligible ? card.total.doubleValue : nil,
            band: card.band,
            eligible: card.isEligible,
            replyInTarget: card.isReplyInTarget,
            bounceInTarget: card.isBounceInTarget,
            notes: card.notes
        )
    }
}
