import Foundation

extension RunReport {
    public func json() throws -> String {
        try JSONOutput.encode(self)
    }

    /// Reads a result saved by `senderscore run --format json` from `path`.
    ///
    /// A result is read with each strategy's rep and sequence reports decoded one at a time
    /// (`init(levelsApart:)`), so that a large team's (80 MB for 10,000 reps) is never one tree
    /// in memory. A result of at most `Limits.documentBytes` that is not laid out as `run` writes
    /// it is decoded whole; a larger one must be.
    ///
    /// - Throws: `ScenarioError` naming the file: it cannot be read, or is not such a result
    ///   (with the key that is missing or wrong).
    public static func load(path: String) throws(ScenarioError) -> RunReport {
        try decode(try InputFile.readBytes(path, limit: Limits.resultBytes), path: path)
    }

    /// The result in `bytes`, read from `path`; see `load`. `wholeUpTo` is the size up to which
    /// a result not laid out as `run` writes it is decoded whole (tests lower it).
    static func decode(
        _ bytes: [UInt8],
        path: String,
        wholeUpTo limit: Int = Limits.documentBytes
    ) throws(ScenarioError) -> RunReport {
        if let (key, line) = duplicateKey(in: bytes) {
            throw ScenarioError(
                file: path,
                line: line,
                message: "the key \(Format.quoted(key)) is written twice in one object; JSON readers differ in "
                    + "which one they keep, so a result has each key once",
                code: .syntax
            )
        }
        let isSmall = bytes.count <= limit
        do {
            do {
                if let report = try RunReport(levelsApart: bytes) { return report }
            } catch _ where isSmall {
                // Decoded whole below, which says where the problem is as it always has.
            }
            guard isSmall else {
                throw ScenarioError(
                    file: path,
                    message: "not a result of `senderscore run --format json` (its JSON is cut short, malformed, "
                        + "or not laid out as `run` writes it)",
                    code: .syntax
                )
            }
            return try RunReport(json: Data(bytes))
        } catch let error as ScenarioError {
            throw error
        } catch {
            if isSmall, let (line, column, reason) = syntaxError(in: Data(bytes)) {
                throw ScenarioError(
                    file: path,
                    line: line,
                    column: column,
                    message: "not valid JSON: \(reason); expected a result of `senderscore run --format json`",
                    code: .syntax
                )
            }
            let problem = wholeNumberProblem(in: bytes, wholeUpTo: limit) ?? describe(error)
            throw ScenarioError(
                file: path,
                message: "not a result of `senderscore run --format json` (\(problem))",
                code: .syntax
            )
        }
    }

    /// The result in `bytes` with each strategy's rep and sequence reports, and those of its
    /// timeline when it has one, decoded on their own: the rest of the document (its outline, with
    /// those arrays left empty) is decoded first, then each report, as JSONDecoder would decode it
    /// in place. Nil where the document is not one object with an array of strategies, each with
    /// `reps` and `sequences` (and a timeline's alike), or where its outline is larger than
    /// `Limits.documentBytes`.
    ///
    /// - Throws: a `DecodingError`, with the key path it would have decoding the whole document.
    init?(levelsApart bytes: [UInt8]) throws {
        guard let spans = JSONSpans(document: bytes), let members = spans.members(ofObjectAt: spans.body.lowerBound),
            let levels = Self.levelRanges(of: members["strategies"], in: spans)
        else { return nil }
        // A timeline's reps and sequences, when there is one, are put apart too.
        var timelineLevels: [(reps: Range<Int>, sequences: Range<Int>)] = []
        if let timeline = members["timeline"], let timelineMembers = spans.members(ofObjectAt: timeline.lowerBound) {
            guard let ranges = Self.levelRanges(of: timelineMembers["strategies"], in: spans) else { return nil }
            timelineLevels = ranges
        }
        let empty = Array("[]".utf8)
        let apart = (levels + timelineLevels).flatMap { [($0.reps, empty), ($0.sequences, empty)] }
        guard let outline = spans.outline(replacing: apart.sorted { $0.0.lowerBound < $1.0.lowerBound }) else {
            return nil
        }
        var report = try JSONDecoder().decode(RunReport.self, from: Data(outline))
        guard report.strategies.count == levels.count, report.timeline?.strategies.count ?? 0 == timelineLevels.count
        else { return nil }
        for (index, level) in levels.enumerated() {
            let path: [any CodingKey] = [JSONSpans.Key("strategies"), JSONSpans.Key(index: index)]
            report.strategies[index].repLevels = LevelReports(
                try spans.decodeEach(LevelReport.self, at: level.reps, path: path + [JSONSpans.Key("reps")])
            )
            report.strategies[index].sequenceLevels = LevelReports(
                try spans.decodeEach(LevelReport.self, at: level.sequences, path: path + [JSONSpans.Key("sequences")])
            )
        }
        for (index, level) in timelineLevels.enumerated() {
            let path: [any CodingKey] = [
                JSONSpans.Key("timeline"), JSONSpans.Key("strategies"), JSONSpans.Key(index: index),
            ]
            report.timeline?.strategies[index].reps = TimelineLevels(
                try spans.decodeEach(TimelineLevel.self, at: level.reps, path: path + [JSONSpans.Key("reps")])
            )
            report.timeline?.strategies[index].sequences = TimelineLevels(
                try spans.decodeEach(TimelineLevel.self, at: level.sequences, path: path + [JSONSpans.Key("sequences")])
            )
        }
        if let problem = report.inconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
        self = report
    }

    /// The ranges of the `reps` and `sequences` arrays of each strategy in the array at `range`;
    /// nil where it is not an array of objects that each have both.
    private static func levelRanges(
        of range: Range<Int>?,
        in spans: JSONSpans
    ) -> [(reps: Range<Int>, sequences: Range<Int>)]? {
        guard let range, let elements = spans.elements(ofArrayAt: range.lowerBound) else { return nil }
        var levels: [(reps: Range<Int>, sequences: Range<Int>)] = []
        for element in elements {
            guard let members = spans.members(ofObjectAt: element.lowerBound), let reps = members["reps"],
                let sequences = members["sequences"]
            else { return nil }
            levels.append((reps, sequences))
        }
        return levels
    }

    /// The nesting past which `duplicateKey` stops looking.
    static let deepest = 1_000

    /// The first key that some object of `bytes` holds twice, with the line of its second
    /// appearance; nil when there is none. JSONDecoder silently keeps the last one.
    ///
    /// - Complexity: O(n) in the size of `data`.
    static func duplicateKey(in bytes: [UInt8]) -> (key: String, line: Int)? {
        // One entry per open object ({}) or array (nil); an object's keys as written.
        var open: [Set<ArraySlice<UInt8>>?] = []
        var expectingKey = false
        var line = 1
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "{"):
                // Deeper than any decoder reads (JSONDecoder stops at 512): the document is
                // refused as it is decoded, and a set per level would take memory for nothing.
                guard open.count < Self.deepest else { return nil }
                open.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                guard open.count < Self.deepest else { return nil }
                open.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = open.popLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = open.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                let start = index + 1
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if expectingKey, !open.isEmpty, open[open.count - 1] != nil {
                    let key = bytes[start..<min(index, bytes.count)]
                    // In place: a copy of the set per key would make a wide object quadratic.
                    if !open[open.count - 1]!.insert(key).inserted {
                        return (String(decoding: key, as: UTF8.self), line)
                    }
                    expectingKey = false
                }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Which top-level whole number is out of its type's range (a negative or fractional seed,
    /// a block size of 1e20), which JSONDecoder reports only as "not valid JSON". Reads the three
    /// numbers where they are (`JSONSpans`) when it can, else the whole document if it is at most
    /// `limit` bytes.
    static func wholeNumberProblem(in bytes: [UInt8], wholeUpTo limit: Int = Limits.documentBytes) -> String? {
        var numbers: [String: NSNumber] = [:]
        let keys = ["trials", "seed", "blockSize"]
        if let spans = JSONSpans(document: bytes), let members = spans.members(ofObjectAt: spans.body.lowerBound) {
            for key in keys {
                guard let range = members[key] else { continue }
                numbers[key] =
                    try? JSONSerialization.jsonObject(with: Data(bytes[range]), options: .fragmentsAllowed) as? NSNumber
            }
        } else if bytes.count <= limit,
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        {
            for key in keys { numbers[key] = object[key] as? NSNumber }
        }
        for key in keys {
            guard let number = numbers[key] else { continue }
            let value = number.doubleValue
            let limit = key == "seed" ? Double(UInt64.max) : Double(Int.max)
            if value != value.rounded() || value < (key == "seed" ? 0 : Double(Int.min)) || value > limit {
                return "'\(key)' is \(number), not a whole number from \(key == "seed" ? "0" : "1") to "
                    + (key == "seed" ? "\(UInt64.max)" : Format.count(Limits.trials))
            }
        }
        return nil
    }

    /// Where `data` stops being JSON, as a line and column (both from 1), and why; nil when it
    /// is JSON. JSONSerialization says at which character; lines are counted here.
    static func syntaxError(in data: Data) -> (line: Int, column: Int, reason: String)? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            var reason = text.hasSuffix(".") ? String(text.dropLast()) : text
            var offset = data.count
            if let range = text.range(of: #"around (line \d+, column \d+|character \d+)"#, options: .regularExpression)
            {
                reason = String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                if let number = text[range].split(separator: " ").last.flatMap({ Int($0) }) { offset = number }
            }
            let prefix = data.prefix(max(0, min(offset, data.count)))
            let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? prefix.startIndex
            let column = (String(decoding: prefix[lineStart...], as: UTF8.self).count) + 1
            return (line, column, reason.isEmpty ? "malformed" : reason.prefix(1).lowercased() + reason.dropFirst())
        }
    }

    /// A decoding error in a few words, with the key path it is at.
    static func describe(_ error: any Error) -> String { JSONOutput.describe(error) }

    /// Reads a saved result, and checks what the renderers rely on beyond the keys and types.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(RunReport.self, from: json)
        if let problem = inconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
    }

    /// What makes a decoded result unusable, or nil: a result always has the baseline, two
    /// reply-target bounds, and rate histograms with a positive bin width and probabilities.
    var inconsistency: String? {
        guard let baseline = strategies.first else { return "it has no strategies, not even the baseline" }
        guard (1...Limits.trials).contains(trials) else {
            return "'trials' is \(trials); a result has from 1 to \(Format.count(Limits.trials)) trials"
        }
        guard blockSize >= 1 else { return "'blockSize' is \(blockSize); it must be at least 1" }
        guard !bandOrder.isEmpty else { return "'bandOrder' lists no bands" }
        let names =
            bandOrder.map { ("band", $0) } + strategies.map { ("strategy", $0.name) }
            + strategies.flatMap { strategy in
                (strategy.repLevels.names + strategy.sequenceLevels.names).map { ("rep or sequence", $0.name) }
            }
        for (kind, name) in names {
            if case .failure(let problem) = Name.checked(name) {
                return "the \(kind) name \(Format.quoted(name)) is not a name: \(problem)"
            }
        }
        guard assumptions.rules.replyTarget.count == 2,
            assumptions.rules.replyTarget.allSatisfy({ (0...1).contains($0) }),
            assumptions.rules.replyTarget[0] <= assumptions.rules.replyTarget[1],
            (0...1).contains(assumptions.rules.bounceTargetBelow)
        else { return "its rule set's targets are not rates between 0 and 1 (replyTarget needs two)" }
        guard Format.printable(scenario) == scenario, scenario.count <= Limits.titleLength else {
            return "its scenario's title is not printable text of at most \(Limits.titleLength) characters"
        }
        guard Set(bandOrder.map(Name.key)).count == bandOrder.count, bandOrder.last == RuleSet.ineligible else {
            return "'bandOrder' must list each band once, from the lowest, and end with \(RuleSet.ineligible)"
        }
        if let problem = Self.duplicate(strategies.map(\.name), "strategy")
            ?? Self.duplicate(baseline.reps.map(\.name), "rep")
        {
            return problem
        }
        let bands = Set(bandOrder)
        let repNames = Set(baseline.reps.map(\.name))
        for strategy in strategies {
            guard strategy.reps.map(\.name) == baseline.reps.map(\.name) else {
                return "strategy \(Format.quoted(strategy.name)) does not have the baseline's reps"
            }
            guard strategy.interventions.allSatisfy({ Format.printable($0) == $0 && $0.count <= 1_000 }) else {
                return "the interventions of \(Format.quoted(strategy.name)) are not printable text"
            }
            if let sequence = strategy.sequences.first(where: { !repNames.contains($0.rep ?? "") }) {
                return "sequence \(Format.quoted(sequence.name)) in \(Format.quoted(strategy.name)) belongs to no rep"
            }
            if let problem = Self.duplicate(strategy.sequences.map { "\($0.rep ?? "")/\($0.name)" }, "sequence") {
                return problem
            }
            for (band, joint) in strategy.repsAtLeast ?? [:] {
                guard bands.contains(band), band != RuleSet.ineligible, joint.mean.isFinite, joint.stdErr >= 0,
                    (0...Double(strategy.reps.count)).contains(joint.mean),
                    joint.pAtLeast.count == strategy.reps.count + 1, joint.pAtLeastStdErr.count == joint.pAtLeast.count,
                    (joint.pAtLeast + joint.pAtLeastStdErr).allSatisfy({ (0...1).contains($0) })
                else {
                    return "'repsAtLeast' of \(Format.quoted(strategy.name)) is not a count of its reps by band with "
                        + "probabilities"
                }
            }
            for level in strategy.reps + strategy.sequences + [strategy.team] {
                let place = "\(Format.quoted(level.name)) in \(Format.quoted(strategy.name))"
                for values in [level.pAtLeast, level.pAtLeastStdErr].compactMap({ $0 }) {
                    guard Set(values.keys).isSubset(of: bands), values.values.allSatisfy({ (0...1).contains($0) })
                    else {
                        return "'pAtLeast' of \(place) is not a probability per band"
                    }
                }
                guard Set(level.bands.keys) == bands, Set(level.bandStdErr.keys) == bands,
                    bands.contains(level.mostLikelyBand)
                else { return "the bands of \(place) are not those of 'bandOrder'" }
                let probabilities =
                    [level.pReplyInTarget, level.pBounceInTarget, level.pEligible, level.pNoDelivered]
                    + [level.pReplyAboveTarget, level.pReplyBelowTarget].compactMap { $0 }
                let errors =
                    [level.pReplyInTargetStdErr, level.pBounceInTargetStdErr, level.pEligibleStdErr]
                    + Array(level.bandStdErr.values) + [level.pReplyAboveTargetStdErr].compactMap { $0 }
                if let ties = level.mostLikelyTies, !Set(ties).isSubset(of: bands) || ties.first != level.mostLikelyBand
                {
                    return "the tied bands of \(place) are not bands led by the most likely one"
                }
                guard probabilities.allSatisfy({ (0...1).contains($0) }), errors.allSatisfy({ $0 >= 0 && $0 <= 1 })
                else { return "the probabilities of \(place) are not probabilities with standard errors" }
                for distribution in [level.replyRateDistribution, level.bounceRateDistribution] {
                    // Bins no finer than the engine's own (1/2000), so that the count of bins is finite.
                    guard distribution.binWidth >= 1 / Double(RateHistogram.binCount), distribution.binWidth <= 1,
                        Double(distribution.probabilities.count) <= 1 / distribution.binWidth + 1,
                        distribution.probabilities.allSatisfy({ $0.isFinite && $0 >= 0 })
                    else {
                        return
                            "the rate distribution of \(Format.quoted(level.name)) in \(Format.quoted(strategy.name)) is not a histogram"
                    }
                }
                guard level.bands.values.allSatisfy({ $0.isFinite && (0...1).contains($0) }),
                    abs(level.bands.values.reduce(0, +) - 1) <= 1e-6
                else { return "the band probabilities of \(place) are not probabilities that sum to 1" }
                for distribution in [level.replyRateDistribution, level.bounceRateDistribution]
                where distribution.probabilities.reduce(0, +) > 1 + 1e-6 {
                    return "a rate distribution of \(place) sums to more than 1"
                }
                let quantities: [(String, Stats, ClosedRange<Double>)] = [
                    ("score", level.score, -1e12...1e12), ("replyRate", level.replyRate, 0...1),
                    ("bounceRate", level.bounceRate, 0...1), ("unsubscribeRate", level.unsubscribeRate, 0...1),
                    ("completed", level.completed, 0...1e18),
                ]
                for (key, stats, range) in quantities {
                    let values = [stats.mean, stats.p5, stats.p50, stats.p95].compactMap { $0 }
                    let quantiles = [stats.p5, stats.p50, stats.p95].compactMap { $0 }
                    guard values.allSatisfy({ range.contains($0) }), quantiles == quantiles.sorted(),
                        (stats.stdErr ?? 0) >= 0
                    else {
                        return
                            "'\(key)' of \(place) is not a summary of values from \(Format.number(range.lowerBound)) to \(Format.number(range.upperBound))"
                    }
                }
                guard level.repliesByStep.allSatisfy({ $0 >= 0 }) else {
                    return "'repliesByStep' of \(place) holds negative replies"
                }
            }
        }
        return timeline.flatMap { timelineInconsistency($0, bands: bands) }
    }

    /// What makes a decoded timeline unusable: it must have the report's strategies and levels,
    /// one window per period for each, and probabilities where probabilities go.
    private func timelineInconsistency(_ timeline: TimelineReport, bands: Set<String>) -> String? {
        let periods = timeline.periods
        guard (1...Limits.periods).contains(periods), timeline.labels.count == periods,
            ["week", "month"].contains(timeline.period),
            ["cumulative", "rolling", "quarter"].contains(timeline.window),
            (timeline.windowPeriods ?? 1) >= 1,
            (timeline.labels + [timeline.start ?? ""]).allSatisfy({ Format.printable($0) == $0 && $0.count <= 100 })
        else {
            return "'timeline' needs from 1 to \(Format.count(Limits.periods)) periods of weeks or months, a label for "
                + "each, and a window that is cumulative, rolling or quarter"
        }
        guard timeline.strategies.map(\.name) == strategies.map(\.name) else {
            return "the timeline's strategies are not the report's"
        }
        let ranked = Set(bandOrder.dropLast())
        for (strategy, report) in zip(timeline.strategies, strategies) {
            guard strategy.reps.map(\.name) == report.reps.map(\.name),
                strategy.sequences.map({ "\($0.rep ?? "")/\($0.name)" })
                    == report.sequences.map({ "\($0.rep ?? "")/\($0.name)" })
            else {
                return "the timeline of \(Format.quoted(strategy.name)) does not have the report's reps and sequences"
            }
            for level in strategy.reps + strategy.sequences + [strategy.team] {
                let place = "the timeline of \(Format.quoted(level.name)) in \(Format.quoted(strategy.name))"
                guard level.periods.count == periods, Set(level.reach.keys) == ranked,
                    level.periodsGained.map { Set($0.keys) == ranked } ?? true
                else { return "\(place) does not have a window per period and a reach per band" }
                for window in level.periods {
                    let probabilities = Array(window.bands.values) + Array(window.pAtLeast.values)
                    let errors = Array(window.bandStdErr.values) + Array(window.pAtLeastStdErr.values)
                    let quantiles = [window.score.p5, window.score.p50, window.score.p95].compactMap { $0 }
                    guard Set(window.bands.keys) == bands, Set(window.bandStdErr.keys) == bands,
                        Set(window.pAtLeast.keys).isSubset(of: ranked),
                        Set(window.pAtLeastStdErr.keys).isSubset(of: ranked),
                        probabilities.allSatisfy({ (0...1).contains($0) }), errors.allSatisfy({ (0...1).contains($0) }),
                        quantiles == quantiles.sorted(), quantiles.allSatisfy({ abs($0) <= 1e12 }),
                        window.completed.isFinite, window.completed >= 0
                    else { return "a window of \(place) is not probabilities per band with a score summary" }
                }
                for reach in level.reach.values {
                    let values = reach.byPeriod + reach.pByPeriod + reach.pByPeriodStdErr + [reach.pNever]
                    guard reach.byPeriod.count == periods, reach.pByPeriod.count == periods,
                        reach.pByPeriodStdErr.count == periods, values.allSatisfy({ (0...1).contains($0) }),
                        reach.medianPeriod.map { (1...periods).contains($0) } ?? true
                    else { return "the reach of \(place) is not a probability per period" }
                }
                for gained in (level.periodsGained ?? [:]).values {
                    guard gained.mean.isFinite, abs(gained.mean) <= Double(periods), gained.stdErr.isFinite,
                        gained.stdErr >= 0, (0...1).contains(gained.pEarlier), (0...1).contains(gained.pLater)
                    else { return "the periods gained of \(place) are not a change of periods with probabilities" }
                }
            }
        }
        return nil
    }

    /// "two strategies are named 'x'", when a name comes twice (without case and spaces).
    private static func duplicate(_ names: [String], _ kind: String) -> String? {
        var seen = NameSet()
        for name in names {
            if seen.insert(name) != nil { return "two \(kind) entries are named \(Format.quoted(name))" }
        }
        return nil
    }
}
