/// Writes one synthetic quarter of a scenario as an enrollment export: one row per completed
/// enrollment, with the CRM's column names (see `ExportField`), streamed to disk.
///
/// The outcomes (who bounced, replied at which email, unsubscribed, finished) are the first trial
/// of the scenario for the seed, under the baseline or a strategy: the same counts `run` draws.
/// Dates, reply counts, and which replies booked a meeting or which finishers were unenrolled by
/// hand are cosmetic draws from a stream of their own; none of them changes a score.
public struct SyntheticExport {
    public struct Options: Sendable, Hashable {
        public var seed: UInt64
        /// Strategy name, or nil for the baseline.
        public var strategy: String?
        /// The first day of the quarter.
        public var start: Timestamp
        public var days: Int
        /// Days between two emails of a sequence.
        public var daysBetweenEmails: Int
        /// Share of replies that also book a meeting (unenrolled source MEETING).
        public var meetingShare: Double
        /// Share of finishing enrollments that a rep unenrolled by hand before the end (MANUAL).
        public var manualShare: Double

        public init(
            seed: UInt64 = 1,
            strategy: String? = nil,
            start: Timestamp = Timestamp(year: 2026, month: 1, day: 1),
            days: Int = 90,
            daysBetweenEmails: Int = 3,
            meetingShare: Double = 0.2,
            manualShare: Double = 0.02
        ) {
            self.seed = seed
            self.strategy = strategy
            self.start = start
            self.days = days
            self.daysBetweenEmails = daysBetweenEmails
            self.meetingShare = meetingShare
            self.manualShare = manualShare
        }

        /// Days a window may have: a century.
        public static let dayRange = 1...36_600
        /// Days between two emails.
        public static let gapRange = 0...365

        /// Refuses what would overflow the dates or is not a share.
        func check() throws(ScenarioError) {
            guard Self.dayRange.contains(days) else {
                throw ScenarioError(
                    option: "days",
                    message: "\(days) days: a window has from 1 to 36,600 days (a century)"
                )
            }
            guard Self.gapRange.contains(daysBetweenEmails) else {
                throw ScenarioError(
                    option: "daysBetweenEmails",
                    message: "\(daysBetweenEmails) days between emails: from 0 to 365"
                )
            }
            for (name, share) in [("meetingShare", meetingShare), ("manualShare", manualShare)]
            where !(0...1).contains(share) {
                throw ScenarioError(option: name, message: "\(Format.number(share)) is not a share from 0 to 1")
            }
            guard start >= Timestamp(year: 1970, month: 1, day: 1), start <= Timestamp(year: 9800, month: 1, day: 1)
            else {
                throw ScenarioError(option: "start", message: "\(start) is not a day from 1970 to 9800")
            }
        }
    }

    /// The first day of a synthetic quarter, as written on a command line: a date from 1970 to 9800.
    public static func startDay(parsing text: String) throws(ScenarioError) -> Timestamp {
        guard let start = Timestamp(parsing: text),
            start >= Timestamp(year: 1970, month: 1, day: 1), start <= Timestamp(year: 9800, month: 1, day: 1)
        else {
            throw ScenarioError(
                option: "start",
                message: "expected a date from 1970 to 9800 such as 2026-01-01, found \(Format.quoted(text))"
            )
        }
        return start
    }

    /// The counts written, per rep and per (rep, sequence), for checking a `score` of the file.
    public struct Summary: Sendable, Hashable {
        public var rows = 0
        public var reps: [String: Counts] = [:]
        public var sequences: [String: Counts] = [:]
    }

    public static let columns: [ExportField] = [
        .id, .rep, .sequence, .segment, .contacts, .enrolledAt, .endedAt, .state, .unenrolledSource, .stepErrorType,
        .replyCount, .bounceCount, .meetingCount, .lastStep,
    ]

    /// Writes the export of `scenario` to `writer`.
    public static func write(
        _ scenario: Scenario,
        options: Options,
        to writer: CSVWriter
    ) throws(ScenarioError) -> Summary {
        try options.check()
        let plan = SimulationPlan(scenario)
        var strategy = 0
        if let name = options.strategy {
            guard let index = plan.strategyNames.firstIndex(where: { Name.key($0) == Name.key(name) }) else {
                let names = plan.strategyNames
                throw ScenarioError(
                    option: "strategy",
                    message: "unknown strategy \(Format.quoted(name))\(Suggestion.hint(for: name, in: names)); "
                        + "the strategies are \(names.joined(separator: ", "))"
                )
            }
            strategy = index
        }
        let details = Simulation.cohortDetails(
            plan,
            seed: options.seed,
            generator: scenario.generator ?? .default,
            strategy: strategy
        )
        // Cosmetic draws come from a stream of their own, so they never move an outcome.
        let cosmetic = RandomLanes(
            generator: .default,
            seeds: StreamSeeds(seed: options.seed ^ 0x5EED_C0FF_EE00_0001, lanes: 1),
            block: 0
        )
        let rows = details.reduce(0) { $0 + $1.completed }
        guard rows <= Limits.syntheticRows else {
            throw ScenarioError(
                file: scenario.file,
                message: "this trial has \(Format.count(rows)) completed enrollments, more rows than the "
                    + "\(Format.count(Limits.syntheticRows)) that synth writes in one export (about 110 bytes each); "
                    + "lower the enrollments' `completed`",
                code: .limit
            )
        }
        try writer.write(columns.map(\.rawValue))
        var summary = Summary()
        let steps = plan.stepCounts
        // With a timeline, a cohort's rows end within the period its enrollments complete in
        // (from the timeline's start, else from --start).
        // Without a start of its own, period 1 is the week (Monday) or month that holds --start.
        var timeline = scenario.timeline
        if let length = timeline?.length, timeline?.startDay == nil {
            timeline?.startDay = length.period(of: options.start).days.lowerBound
        }
        for detail in details {
            let owner = plan.cohortOwners[detail.cohort]
            // The emails this cohort got: its sequence's, or more when the strategy adds follow-ups.
            let reached = detail.repliedAt.indices.last {
                detail.repliedAt[$0] + detail.unsubscribedAt[$0] + detail.finishedAfter[$0] > 0
            }
            let emails = max(steps[plan.cohorts[detail.cohort].sequence], (reached ?? 0) + 1)
            var row = Row(
                owner: owner,
                options: options,
                span: max(0, emails - 1) * options.daysBetweenEmails,
                cosmetic: cosmetic
            )
            if let timeline, let first = timeline.firstDay(of: plan.cohorts[detail.cohort].period),
                let next = timeline.firstDay(of: plan.cohorts[detail.cohort].period + 1)
            {
                row.completion = (first * 86_400, (next - first) * 86_400)
            }
            for _ in 0..<detail.bounced {
                try row.write(
                    to: writer,
                    summary: &summary,
                    step: 1,
                    state: "UNENROLLED",
                    source: "ERROR",
                    error: "BOUNCED",
                    bounces: 1
                )
            }
            for step in detail.repliedAt.indices {
                for _ in 0..<detail.repliedAt[step] {
                    let meeting = cosmetic.uniform(0) < options.meetingShare
                    try row.write(
                        to: writer,
                        summary: &summary,
                        step: step + 1,
                        state: "UNENROLLED",
                        source: meeting ? "MEETING" : "REPLY",
                        replies: 1 + row.extraReplies(),
                        meetings: meeting ? 1 : 0
                    )
                }
                for _ in 0..<detail.unsubscribedAt[step] {
                    try row.write(
                        to: writer,
                        summary: &summary,
                        step: step + 1,
                        state: "UNENROLLED",
                        source: "ERROR",
                        error: "UNSUBSCRIBED"
                    )
                }
                for _ in 0..<detail.finishedAfter[step] {
                    if cosmetic.uniform(0) < options.manualShare {
                        // Unenrolled by hand before the sequence ended: at an earlier email, or after
                        // the only one.
                        let stopped = step > 0 ? 1 + Int(cosmetic.uniform(0) * Double(step)) : 1
                        try row.write(
                            to: writer,
                            summary: &summary,
                            step: stopped,
                            state: "UNENROLLED",
                            source: "MANUAL"
                        )
                    } else {
                        try row.write(to: writer, summary: &summary, step: step + 1, state: "FINISHED")
                    }
                }
            }
        }
        try writer.finish()
        return summary
    }

    /// The fields every row of one cohort shares, and the running enrollment id.
    private struct Row {
        let owner: SimulationPlan.CohortOwner
        let options: Options
        /// Days from the first email to the last.
        let span: Int
        let cosmetic: RandomLanes
        /// With a timeline: the first second and the length of the period the cohort completes in.
        var completion: (first: Int64, length: Int64)?

        init(owner: SimulationPlan.CohortOwner, options: Options, span: Int, cosmetic: RandomLanes) {
            self.owner = owner
            self.options = options
            self.span = span
            self.cosmetic = cosmetic
        }

        /// Mostly one reply; some contacts write twice or more (geometric, mean 0.25 extra).
        func extraReplies() -> Int {
            var extra = 0
            while cosmetic.uniform(0) < 0.2 { extra += 1 }
            return extra
        }

        mutating func write(
            to writer: CSVWriter,
            summary: inout Summary,
            step: Int,
            state: String,
            source: String = "",
            error: String = "",
            replies: Int = 0,
            bounces: Int = 0,
            meetings: Int = 0
        ) throws(ScenarioError) {
            let enrolled: Timestamp
            let ended: Timestamp
            if let completion {
                ended = Timestamp(seconds: completion.first + Int64(cosmetic.uniform(0) * Double(completion.length)))
                enrolled = Timestamp(seconds: ended.seconds - Int64((step - 1) * options.daysBetweenEmails) * 86_400)
            } else {
                let window = Int64(max(1, options.days - span)) * 86_400
                enrolled = Timestamp(seconds: options.start.seconds + Int64(cosmetic.uniform(0) * Double(window)))
                ended = Timestamp(
                    seconds: enrolled.seconds + Int64((step - 1) * options.daysBetweenEmails) * 86_400
                        + Int64(cosmetic.uniform(0) * 86_400)
                )
            }
            let id = summary.rows + 1
            try writer.write([
                "E\(id)", owner.rep, owner.sequence, owner.segment, owner.contacts?.rawValue ?? "regular",
                enrolled.description, ended.description, state, source, error,
                String(replies), String(bounces), String(meetings), String(step),
            ])
            summary.rows += 1
            let counts = Counts(
                completed: 1,
                bounced: bounces > 0 ? 1 : 0,
                replied: replies > 0 ? 1 : 0,
                unsubscribed: error == "UNSUBSCRIBED" ? 1 : 0
            )
            summary.reps[owner.rep, default: .zero] += counts
            summary.sequences["\(owner.rep)/\(owner.sequence)", default: .zero] += counts
        }
    }
}
