/// The length of a trend's periods (`score --by`): calendar months or ISO 8601 weeks (Monday to
/// Sunday, numbered within the year that holds their Thursday), both in UTC.
public enum PeriodLength: String, Sendable, Hashable, Codable, CaseIterable {
    case month, week

    /// The period that holds `moment`.
    public func period(of moment: Timestamp) -> Period {
        let day = moment.seconds >= 0 ? moment.seconds / 86_400 : (moment.seconds - 86_399) / 86_400
        switch self {
        case .month:
            let (year, month, _) = Timestamp.civil(days: day)
            return Period(length: self, index: Int64(year) * 12 + Int64(month - 1))
        case .week:
            // 1970-01-01 was a Thursday: Monday is 3 days before it.
            let offset = ((day + 3) % 7 + 7) % 7
            return Period(length: self, index: (day - offset + 3) / 7)
        }
    }
}

/// One month or week: ordered, and stepped through with `next`.
public struct Period: Sendable, Hashable, Comparable {
    public let length: PeriodLength
    /// Months since year 0 for a month; for a week, weeks since the one that starts on Monday
    /// 1969-12-29.
    let index: Int64

    public static func < (lhs: Period, rhs: Period) -> Bool { lhs.index < rhs.index }

    /// The period after this one.
    public var next: Period { Period(length: length, index: index + 1) }

    /// How many periods `other` comes after this one (of the same length).
    public func distance(to other: Period) -> Int64 { other.index - index }

    /// The year and month of a month (floor division: the index may be below year 0).
    private var yearAndMonth: (year: Int, month: Int) {
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        return (Int(year), Int(index - year * 12) + 1)
    }

    /// Days since 1970-01-01 of the first and the last day.
    var days: ClosedRange<Int64> {
        switch length {
        case .month:
            let (year, month) = yearAndMonth
            let first = Timestamp.days(year: year, month: month, day: 1)
            return first...first + Int64(Timestamp.daysIn(month: month, year: year)) - 1
        case .week:
            let monday = index * 7 - 3
            return monday...monday + 6
        }
    }

    /// "2026-07", or "2026-W27" for a week.
    public var label: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        switch length {
        case .month:
            let (year, month) = yearAndMonth
            return "\(Self.year(year))-\(two(month))"
        case .week:
            let thursday = days.lowerBound + 3
            let year = Timestamp.civil(days: thursday).year
            let week = (thursday - Timestamp.days(year: year, month: 1, day: 1)) / 7 + 1
            return "\(Self.year(year))-W\(two(Int(week)))"
        }
    }

    /// A year in at least four digits, with its sign when negative: 0999, -0001, 318857.
    static func year(_ year: Int) -> String {
        let digits = String(year.magnitude)
        return (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The first and the last day, as 2026-07-01.
    public var firstDay: String { Self.date(days.lowerBound) }
    public var lastDay: String { Self.date(days.upperBound) }

    static func date(_ days: Int64) -> String {
        let (year, month, day) = Timestamp.civil(days: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(Self.year(year))-\(two(month))-\(two(day))"
    }
}
