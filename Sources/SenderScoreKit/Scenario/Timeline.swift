extension Scenario {
    /// A scenario's optional `timeline:`: the horizon in weeks or months, the score window that
    /// ends at each period, and when the window's enrollments complete.
    ///
    /// Periods are numbered from 0 here (the first period of the horizon) and from 1 in files and
    /// reports. A window may reach before the horizon: its part before period 0 holds the lines'
    /// `inWindow` history and the enrollments started before the horizon that complete in it.
    public struct Timeline: Sendable, Hashable, Encodable {
        /// Which completed enrollments the score at the end of a period counts.
        public enum Window: Sendable, Hashable, Encodable, CustomStringConvertible {
            /// Everything completed since the start of the horizon, and the history (the default).
            case cumulative
            /// The last `n` periods, like a report filtered on "the last 13 weeks".
            case rolling(Int)
            /// The calendar quarter that holds the period (a week belongs to the quarter that
            /// holds its fourth day, as ISO 8601 weeks do).
            case quarter

            public var description: String {
                switch self {
                case .cumulative: return "everything since the start"
                case .rolling(let periods): return "the last \(periods) periods"
                case .quarter: return "the calendar quarter"
                }
            }
        }

        public var length: PeriodLength
        /// The horizon: how many periods are simulated.
        public var periods: Int
        /// Days since 1970-01-01 of the first day of period 1, when the file gives `start`.
        public var startDay: Int64?
        public var window: Window

        public init(length: PeriodLength, periods: Int, startDay: Int64? = nil, window: Window = .cumulative) {
            self.length = length
            self.periods = periods
            self.startDay = startDay
            self.window = window
        }

        /// Why a run that scores `rows` rows (levels × strategies) of a rule set of `cells` score
        /// cells in every period holds too much (`Limits.timelineCells`), or nil.
        public func tooManyWindows(rows: Int, cells: Int) -> String? {
            let (windows, overflow) = rows.multipliedReportingOverflow(by: periods * (cells + 1))
            guard overflow || windows > Limits.timelineCells else { return nil }
            return "this timeline scores \(Format.count(rows)) rows in each of \(Format.count(periods)) periods, too "
                + "many for a run to hold (\(Format.count(rows * periods)) windows of \(Format.count(cells)) score cells); "
                + "use months, fewer periods, or fewer reps or strategies per scenario"
        }

        /// Mean days per period: 7, or a Gregorian month's 30.436875.
        public var daysPerPeriod: Double { length == .week ? 7 : 365.2425 / 12 }

        /// The first day of period `k` (from 0), as days since 1970-01-01; needs `startDay`.
        func firstDay(of period: Int) -> Int64? {
            guard let startDay else { return nil }
            switch length {
            case .week: return startDay + Int64(period) * 7
            case .month:
                let (year, month, day) = Timestamp.civil(days: startDay)
                let index = year * 12 + (month - 1) + period
                let y = index >= 0 ? index / 12 : (index - 11) / 12
                return Timestamp.days(year: y, month: index - y * 12 + 1, day: day)
            }
        }

        /// The quarter (counted from year 0) that holds period `k`.
        private func quarter(of period: Int) -> Int64 {
            let day = firstDay(of: period)! + (length == .week ? 3 : 0)
            let (year, month, _) = Timestamp.civil(days: day)
            return Int64(year) * 4 + Int64((month - 1) / 3)
        }

        /// The first period of the window that ends at period `k`; below 0 when the window reaches
        /// before the horizon, and `Int.min` for a cumulative window (it reaches back forever).
        public func windowStart(endingAt period: Int) -> Int {
            switch window {
            case .cumulative: return Int.min
            case .rolling(let periods): return period - periods + 1
            case .quarter:
                var first = period
                while quarter(of: first - 1) == quarter(of: period) { first -= 1 }
                return first
            }
        }

        /// The share of the lines' `inWindow` history that the window ending at period `k` still
        /// holds, as a fraction: the history is spread evenly over the periods of the window that
        /// ends just before the horizon, and leaves as the window moves past them.
        public func historyShare(endingAt period: Int) -> (numerator: Int, denominator: Int) {
            guard case .cumulative = window else {
                let before = windowStart(endingAt: -1)
                let spread = -before
                let kept = max(0, -max(windowStart(endingAt: period), before))
                return (min(kept, spread), spread)
            }
            return (1, 1)
        }

        /// What a metric of the run's numbers is at: "in the window that ends with week 13".
        public var horizonWording: String { "in the score window at the end of \(length.rawValue) \(periods)" }

        /// "week 3" or "month 3"; with a start date, also its first day: "week 3 (2027-01-18)".
        public func label(_ period: Int) -> String {
            let name = "\(length.rawValue) \(period + 1)"
            guard let day = firstDay(of: period) else { return name }
            return "\(name) (\(Period.date(day)))"
        }

        /// The first day of period `k`, as 2027-01-18, when the timeline has a start.
        public func date(_ period: Int) -> String? {
            firstDay(of: period).map(Period.date)
        }

        /// In how many periods after its start an enrollment of a sequence that takes `days`
        /// completes: `periods` for a share `1 − late` of the enrollments and `periods + 1` for
        /// the rest, when starts are spread evenly through a period.
        public func completionLag(days: Double) -> (periods: Int, late: Double) {
            let lag = days / daysPerPeriod
            let whole = lag.rounded(.down)
            return (Int(whole), lag - whole)
        }
    }
}

extension Scenario.Enrollment {
    /// The count distribution of the enrollments this line starts in period `k` of a timeline
    /// (from 0; before 0, the first period's): its `perPeriod` trajectory, or its one volume.
    public func started(inPeriod period: Int) -> CountParameter {
        guard let perPeriod, !perPeriod.isEmpty else { return completed }
        return perPeriod[min(max(0, period), perPeriod.count - 1)]
    }
}

extension Intervention {
    /// The share of its effect an intervention has on enrollments started in period `k` of a
    /// timeline (from 0): 0 before its start, then its ramp, then 1.
    public func share(inPeriod period: Int) -> Double {
        let since = period - (startPeriod - 1)
        guard since >= 0 else { return 0 }
        let ramp = ramp ?? []
        return since < ramp.count ? ramp[since] : 1
    }
}

extension Scenario {
    /// When an enrollment of `sequence` started in some period completes: that many periods
    /// later for a share `1 − late`, one more for the rest.
    public func completionLag(of sequence: String, in timeline: Timeline) -> (periods: Int, late: Double) {
        timeline.completionLag(days: self.sequence(named: sequence).durationDays)
    }

    /// The periods (from 0; below 0 before the horizon) in which a line of `sequence` starts
    /// enrollments that complete within the horizon: those in flight at its start are simulated
    /// from the first period's volume, so that the first windows are not short of completions.
    public func startPeriods(of sequence: String, in timeline: Timeline) -> Range<Int> {
        let lag = completionLag(of: sequence, in: timeline)
        let earliest = -lag.periods - (lag.late > 0 ? 1 : 0)
        return earliest..<timeline.periods - lag.periods
    }

    /// The cohorts a run of the timeline lays out, at most (every line's segment and contact
    /// groups, per period it starts in and period its enrollments complete in), and their random
    /// lanes (each cohort's outcomes, emails, removals and follow-ups).
    func timelineCohorts(_ timeline: Timeline) -> (cohorts: Int, lanes: Int) {
        var cohorts = 0
        var lanes = 0
        let followUps = interventions.filter { $0.kind.family == .addStep }.count
        func add(_ total: inout Int, _ value: Int, times factor: Int) {
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            total = overflow || total > Int.max - product ? Int.max : total + product
        }
        for rep in reps {
            for line in rep.enrollments {
                let members = line.audience.reduce(0) { $0 + 1 + segments[$1.segment].contacts.count }
                let lag = completionLag(of: line.sequence, in: timeline)
                let starts = startPeriods(of: line.sequence, in: timeline).count
                let count = members * (lag.late > 0 ? 2 : 1)
                add(&cohorts, count, times: starts)
                add(&lanes, count * (sequence(named: line.sequence).steps.count + 5 + followUps), times: starts)
            }
        }
        return (cohorts, lanes)
    }
}
