/// Reads a scenario's `timeline:` and the keys that only a timeline gives a meaning: a line's
/// `perPeriod` and `inWindow`, an intervention's `start` and `ramp`.
enum TimelineReader {
    static let keys = ["period", "periods", "start", "window", "description"]

    /// `timeline: {period: week, periods: 13, window: 13, start: 2027-01-04}`.
    static func timeline(_ value: YAMLValue) throws(ScenarioError) -> Scenario.Timeline {
        let map = try value.mapping(allowing: keys)
        _ = try map["description"]?.string()
        let periodNode = try map.required("period")
        let text = try periodNode.string()
        let names = PeriodLength.allCases.map(\.rawValue)
        guard
            let length = PeriodLength(rawValue: text)
                ?? PeriodLength(rawValue: String(text.dropLast(text.hasSuffix("s") ? 1 : 0)))
        else {
            throw periodNode.error(
                "unknown period \(Format.quoted(text))\(Suggestion.hint(for: text, in: names)); expected week or month"
            )
        }
        let periods = try map.required("periods").integer(in: 1...Limits.periods)
        var timeline = Scenario.Timeline(length: length, periods: periods)
        if let startNode = map["start"] {
            let text = try startNode.string()
            guard text.utf8.count == 10, let moment = Timestamp(parsing: text) else {
                throw startNode.error(
                    "expected the first day of period 1 as a date such as 2027-01-04, found \(Format.quoted(text))"
                )
            }
            let day = moment.seconds / 86_400
            if length == .month, Timestamp.civil(days: day).day != 1 {
                throw startNode.error("a timeline in months starts on the first day of a month, not \(text)")
            }
            timeline.startDay = day
        }
        if let windowNode = map["window"] {
            if case .scalar = windowNode.node, let word = try? windowNode.string(), word == "quarter" || word == "all" {
                if word == "quarter" {
                    guard timeline.startDay != nil else {
                        throw windowNode.error(
                            "a quarter window needs the calendar: give the timeline's `start` (the first day of period 1)"
                        )
                    }
                    timeline.window = .quarter
                }
            } else {
                guard case .scalar = windowNode.node, Int(try windowNode.string()) != nil else {
                    throw windowNode.error(
                        "expected a window: a number of periods (13 for a report's last 13 weeks), quarter, or all"
                    )
                }
                timeline.window = .rolling(try windowNode.integer(in: 1...Limits.periods))
            }
        }
        return timeline
    }

    /// The keys an enrollment line may hold.
    static let enrollmentKeys = ["sequence", "completed", "perPeriod", "audience", "inWindow"]

    /// A line's volume: without a timeline its `completed`; with one its `perPeriod` (a count,
    /// a count distribution drawn per period, or one of those for every period), for which
    /// `completed` stands as well. Returns the line's `completed` and `perPeriod`.
    static func volume(
        _ map: YAMLMapping,
        timeline: Scenario.Timeline?
    ) throws(ScenarioError) -> (completed: CountParameter, perPeriod: [CountParameter]?) {
        let range = 0...Limits.completed
        guard let timeline else {
            if let node = map["perPeriod"] { throw needsTimeline(node, key: "perPeriod") }
            return (try ParameterReader.count(map.required("completed"), range: range), nil)
        }
        if map.has("perPeriod"), let node = map["completed"] {
            throw node.error(
                "give `perPeriod` (the enrollments started each period) or `completed`, not both; in a timeline "
                    + "they mean the same"
            )
        }
        guard let node = map["perPeriod"] else {
            guard map.has("completed") else {
                throw map.value.error(
                    "missing key \"perPeriod\" (the enrollments started in each period of the timeline)"
                )
            }
            let completed = try ParameterReader.count(map.required("completed"), range: range)
            return (completed, [completed])
        }
        guard !node.isNull else { throw node.error("\"perPeriod\" has no value") }
        guard case .sequence = node.node else {
            let volume = try ParameterReader.count(node, range: range)
            return (volume, [volume])
        }
        let items = try node.list()
        guard items.count == timeline.periods else {
            throw node.error(
                "a trajectory gives the enrollments of each of the timeline's \(Format.count(timeline.periods)) periods; "
                    + "this one has \(Format.count(items.count))"
            )
        }
        var volumes: [CountParameter] = []
        for item in items { volumes.append(try ParameterReader.count(item, range: range)) }
        return (volumes[0], volumes)
    }

    /// `inWindow: {completed: 80, bounced: 2, replied: 7, unsubscribed: 1}`.
    static func history(_ map: YAMLMapping, timeline: Scenario.Timeline?) throws(ScenarioError) -> Counts? {
        guard let node = map["inWindow"] else { return nil }
        guard timeline != nil else { throw needsTimeline(node, key: "inWindow") }
        let counts = try Scenario.outcomeCounts(
            node.mapping(allowing: ["completed", "bounced", "replied", "unsubscribed"])
        )
        return Counts(
            completed: counts.completed,
            bounced: counts.bounced,
            replied: counts.replied,
            unsubscribed: counts.unsubscribed ?? 0
        )
    }

    /// An intervention's `start` (a period from 1) and `ramp` (shares of its effect).
    static func start(
        _ map: YAMLMapping,
        into intervention: inout Intervention,
        timeline: Scenario.Timeline?
    ) throws(ScenarioError) {
        if let node = map["start"] {
            guard timeline != nil else { throw needsTimeline(node, key: "start") }
            intervention.start = try node.integer(in: 1...Limits.periods)
        }
        if let node = map["ramp"] {
            guard timeline != nil else { throw needsTimeline(node, key: "ramp") }
            let items = try node.list()
            guard !items.isEmpty, items.count <= Limits.periods else {
                throw node.error(
                    "a ramp lists the share of the effect in each period from the start, such as [0.25, 0.5, 0.75], "
                        + "at most \(Format.count(Limits.periods))"
                )
            }
            var shares: [Double] = []
            for item in items { shares.append(try item.share()) }
            intervention.ramp = shares
        }
    }

    private static func needsTimeline(_ node: YAMLValue, key: String) -> ScenarioError {
        node.error(
            "`\(key)` needs a `timeline:` section (periods and a score window); without one a scenario is one "
                + "window in which every lever acts from the start"
        )
    }
}
