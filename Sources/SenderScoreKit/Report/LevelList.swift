/// A strategy's reps' or sequences' reports (`LevelReports`), or their timelines
/// (`TimelineLevels`).
public typealias LevelReports = LevelList<LevelReport>

/// A strategy's reps or sequences, in order: held, as a saved report reads them, or built one at
/// a time from the run's summaries whenever one is asked for, so that a report of 10,000 reps
/// holds none of their reports at once (docs/architecture.md). Either way it reads, compares and
/// encodes as the array of its reports.
public struct LevelList<Report: ReportedLevel & Sendable & Hashable & Codable>: RandomAccessCollection,
    MutableCollection, Sendable, Hashable, Codable, ExpressibleByArrayLiteral
{
    /// Who a report is about, known without building it.
    public struct Name: ReportedLevel, Sendable, Hashable {
        public var name: String
        public var rep: String?
    }

    private enum Storage: Sendable {
        case held([Report])
        case built(names: [Name], build: @Sendable (Int) -> Report)
        /// None, encoded as the string `marker`: where a writer puts the reports it writes apart
        /// (`RunReport.writeJSON`).
        case placeholder(marker: String)
    }

    private var storage: Storage

    public init(_ reports: [Report]) { storage = .held(reports) }

    public init(arrayLiteral reports: Report...) { storage = .held(reports) }

    /// Reports that `build` makes from their position when asked, about `names`.
    public init(names: [Name], build: @escaping @Sendable (Int) -> Report) {
        storage = .built(names: names, build: build)
    }

    /// No reports, encoded as the string `marker` (`RunReport.writeJSON`).
    init(placeholder marker: String) { storage = .placeholder(marker: marker) }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .held(let reports): return reports.count
        case .built(let names, _): return names.count
        case .placeholder: return 0
        }
    }

    /// The report at `position`: built afresh each time it is read when the reports are built on
    /// demand; set, they are all built and held from then on.
    public subscript(position: Int) -> Report {
        get {
            switch storage {
            case .held(let reports): return reports[position]
            case .built(_, let build): return build(position)
            case .placeholder: preconditionFailure("a placeholder holds no reports")
            }
        }
        set {
            var reports = Array(self)
            reports[position] = newValue
            storage = .held(reports)
        }
    }

    /// The name (and rep) of the report at `position`, without building it.
    public func name(at position: Int) -> Name {
        switch storage {
        case .held(let reports): return Name(name: reports[position].name, rep: reports[position].rep)
        case .built(let names, _): return names[position]
        case .placeholder: preconditionFailure("a placeholder holds no reports")
        }
    }

    /// Every report's name, in order.
    public var names: [Name] { indices.map(name(at:)) }

    /// Both's reports, built and held.
    public static func + (lhs: LevelList, rhs: LevelList) -> [Report] { Array(lhs) + Array(rhs) }

    public static func == (lhs: LevelList, rhs: LevelList) -> Bool { lhs.elementsEqual(rhs) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for report in self { hasher.combine(report) }
    }

    public init(from decoder: any Decoder) throws {
        storage = .held(try [Report](from: decoder))
    }

    /// As an array, one report built at a time.
    public func encode(to encoder: any Encoder) throws {
        if case .placeholder(let marker) = storage {
            var container = encoder.singleValueContainer()
            try container.encode(marker)
            return
        }
        var container = encoder.unkeyedContainer()
        for report in self { try container.encode(report) }
    }
}

extension LevelList {
    /// The plan's levels of `kind` (its reps or its sequences), in order, each built by `build`
    /// from its index among the plan's levels when a format reads it: a large team's reports or
    /// timelines are never all held.
    init(_ plan: SimulationPlan, _ kind: Scorecard.Level, build: @escaping @Sendable (Int) -> Report) {
        let indices = plan.levels.indices.filter { plan.levels[$0].kind == kind }
        self.init(
            names: indices.map { Name(name: plan.levels[$0].name, rep: plan.levels[$0].rep) },
            build: { build(indices[$0]) }
        )
    }
}
