/// Hand-checked cases a rule set must reproduce: rows of completed, bounced and replied
/// enrollments with the expected points and/or band.
///
/// The CSV needs a header with `completed`, `bounced`, `replied` and at least one of `points`
/// and `band`; `level` (rep, sequence or team; default rep) and any other columns (a note, an
/// id) are optional. Column names are matched without regard to case and spaces.
public struct GoldenCases: Sendable, Hashable, Codable {
    public struct Disagreement: Sendable, Hashable, Codable {
        public var line: Int
        public var expected: String
        public var actual: String
        /// The scoring behind the actual result: rates, points per rate, notes.
        public var explanation: String
    }

    public var file: String
    public var cases: Int
    public var disagreements: [Disagreement]

    public var passed: Bool { disagreements.isEmpty }

    /// Reads `path` and checks every case against `rules`.
    public static func check(_ path: String, rules: RuleSet) throws(ScenarioError) -> GoldenCases {
        try check(CSVReader(path: path), rules: rules)
    }

    public static func check(_ reader: CSVReader, rules: RuleSet) throws(ScenarioError) -> GoldenCases {
        guard let header = try reader.next() else {
            throw ScenarioError(
                file: reader.file,
                message: "the file is empty; expected a header with completed, bounced, replied and points or band"
            )
        }
        let names = header.fields.map { $0.lowercased().filter { !$0.isWhitespace && $0 != "_" } }
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let earlier = names[..<index].firstIndex(of: name) {
                throw ScenarioError(
                    file: reader.file,
                    line: header.line,
                    column: index + 1,
                    message: "columns \(earlier + 1) and \(index + 1) are both \(Format.quoted(header.fields[index])); "
                        + "keep one of them"
                )
            }
        }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let completedColumn = column("completed"), let bouncedColumn = column("bounced"),
            let repliedColumn = column("replied")
        else {
            let missing = ["completed", "bounced", "replied"].filter { column($0) == nil }
            throw ScenarioError(
                file: reader.file,
                line: header.line,
                message:
                    "the header lacks \(missing.joined(separator: ", ")); found \(header.fields.joined(separator: ", "))"
            )
        }
        let pointsColumn = column("points")
        let bandColumn = column("band")
        let levelColumn = column("level")
        guard pointsColumn != nil || bandColumn != nil else {
            throw ScenarioError(
                file: reader.file,
                line: header.line,
                message: "the header needs a points or a band column to check"
            )
        }
        var cases = 0
        var disagreements: [Disagreement] = []
        while let record = try reader.next() {
            func field(_ index: Int) -> String {
                index < record.fields.count ? record.fields[index].trimmingCharacters(in: .whitespaces) : ""
            }
            func count(_ index: Int) throws(ScenarioError) -> Int {
                guard let value = WholeNumber.parse(field(index)) else {
                    throw ScenarioError(
                        file: reader.file,
                        line: record.line,
                        column: index + 1,
                        message:
                            "\(header.fields[index]): expected a whole number of 0 or more"
                            + WholeNumber.notation(of: field(index))
                            + ", found \(Format.quoted(field(index)))"
                    )
                }
                return value
            }
            guard record.fields.count == header.fields.count else {
                throw ScenarioError(
                    file: reader.file,
                    line: record.line,
                    message: "expected \(header.fields.count) fields as in the header, found \(record.fields.count)"
                )
            }
            let counts = Counts(
                completed: try count(completedColumn),
                bounced: try count(bouncedColumn),
                replied: try count(repliedColumn)
            )
            guard counts.bounced <= counts.completed else {
                throw ScenarioError(
                    file: reader.file,
                    line: record.line,
                    column: bouncedColumn + 1,
                    message: "bounced (\(counts.bounced)) exceeds completed (\(counts.completed))"
                )
            }
            guard counts.replied <= counts.delivered else {
                throw ScenarioError(
                    file: reader.file,
                    line: record.line,
                    column: repliedColumn + 1,
                    message: "replied (\(counts.replied)) exceeds delivered (\(counts.delivered) = completed − bounced)"
                )
            }
            var level = Scorecard.Level.rep
            if let levelColumn, !field(levelColumn).isEmpty {
                guard let parsed = Scorecard.Level(rawValue: field(levelColumn).lowercased()) else {
                    throw ScenarioError(
                        file: reader.file,
                        line: record.line,
                        column: levelColumn + 1,
                        message: "level: expected rep, sequence or team, found '\(field(levelColumn))'"
                    )
                }
                level = parsed
            }
            let hasPoints = pointsColumn.map { !field($0).isEmpty } ?? false
            let hasBand = bandColumn.map { !field($0).isEmpty } ?? false
            guard hasPoints || hasBand else {
                throw ScenarioError(
                    file: reader.file,
                    line: record.line,
                    message: "nothing to check: give the expected points, the band or both"
                )
            }
            let card = rules.scorecard(counts, level: level)
            var expected: [String] = []
            var actual: [String] = []
            if let pointsColumn, !field(pointsColumn).isEmpty {
                guard let points = ExactDecimal(parsing: field(pointsColumn)) else {
                    throw ScenarioError(
                        file: reader.file,
                        line: record.line,
                        column: pointsColumn + 1,
                        message: "points: expected a number, found '\(field(pointsColumn))'"
                    )
                }
                if points != card.total || !card.isEligible {
                    expected.append("\(points) points")
                    actual.append(card.isEligible ? "\(card.total) points" : "no score (\(RuleSet.ineligible))")
                }
            }
            if let bandColumn, !field(bandColumn).isEmpty, field(bandColumn).lowercased() != card.band.lowercased() {
                expected.append("band \(field(bandColumn))")
                actual.append("band \(card.band)")
            }
            cases += 1
            if !expected.isEmpty {
                disagreements.append(
                    Disagreement(
                        line: record.line,
                        expected: expected.joined(separator: ", "),
                        actual: actual.joined(separator: ", "),
                        explanation: explain(card, rules: rules)
                    )
                )
            }
        }
        guard cases > 0 else {
            throw ScenarioError(
                file: reader.file,
                line: header.line,
                message: "the file has a header but no cases; a check of nothing cannot pass"
            )
        }
        return GoldenCases(file: reader.file, cases: cases, disagreements: disagreements)
    }

    /// "reply 13/200 = 6.5% → 25 points, bounce 3/203 = 1.48% → 50 points".
    static func explain(_ card: Scorecard, rules: RuleSet) -> String {
        let counts = card.counts
        let denominator = rules.replyDenominator(counts)
        var parts: [String] = []
        if let rate = card.replyRate {
            parts.append(
                "reply \(counts.replied)/\(denominator) = \(Format.percent(rate, digits: 2)) → \(card.replyPoints) points"
            )
        }
        if let rate = card.bounceRate {
            parts.append(
                "bounce \(counts.bounced)/\(counts.completed) = \(Format.percent(rate, digits: 2)) → \(card.bouncePoints) points"
            )
        }
        return (parts + card.notes).joined(separator: "; ")
    }
}
