/// Reads an enrollment export row by row: finds the columns under their many names, checks
/// every row, and turns it into what the score needs.
public final class ExportReader {
    /// The state of an enrollment; FINISHED and UNENROLLED are completed.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case executing = "EXECUTING"
        case paused = "PAUSED"
        case finished = "FINISHED"
        case unenrolled = "UNENROLLED"

        public var isCompleted: Bool { self == .finished || self == .unenrolled }
    }

    /// One row.
    public struct Record: Sendable, Hashable {
        public var line: Int
        public var rep: String
        public var sequence: String?
        public var segment: String?
        public var state: State
        public var bounced: Bool
        public var replied: Bool
        public var unsubscribed: Bool
        public var endedAt: Timestamp?
        /// The contact group (synthetic exports); nil for regular contacts or without the column.
        public var contacts: ContactKind? = nil
        /// The last email sent, as the export numbers it (from 1, or from 0 in some exports).
        public var lastStep: Int? = nil

        /// This enrollment as counts: one completed, and whether it bounced, replied or unsubscribed.
        public var counts: Counts {
            Counts(completed: 1, bounced: bounced ? 1 : 0, replied: replied ? 1 : 0, unsubscribed: unsubscribed ? 1 : 0)
        }
    }

    /// Which column holds which field.
    public struct Mapping: Sendable, Hashable, Codable {
        public struct Entry: Sendable, Hashable, Codable {
            public var field: String
            public var column: String
        }
        /// Fields found, in the order of `ExportField.allCases`.
        public var entries: [Entry]
        /// Columns no field uses.
        public var ignored: [String]
    }

    /// A name the export spells otherwise than the reports do (see `name(_:field:line:)`).
    public struct Renaming: Sendable, Hashable, Codable {
        /// The field's key: rep, sequence, segment.
        public var field: String
        public var from: String
        public var to: String
        /// The first line that spells it so.
        public var line: Int
    }

    public let file: String
    public let mapping: Mapping
    /// The names changed so far, in the order first met.
    public private(set) var renamed: [Renaming] = []
    /// Per field (by ordinal): each spelling met, and the name it stands for.
    private var spellings = Array(repeating: [String: String](), count: ExportField.allCases.count)
    /// Per field (by ordinal): each name's `Name.key`, and the name.
    private var canonical = Array(repeating: [String: String](), count: ExportField.allCases.count)
    /// Whether the rest of the file cannot be read (a quote never closed).
    public var isBroken: Bool { reader.isBroken }
    private let reader: CSVReader
    private let header: [String]
    private let columns: [ExportField: Int]
    /// `columns` as an array indexed by `ExportField.ordinal`, for the per-row look-ups.
    private let columnOf: [Int?]

    /// Opens `path`; `overrides` maps a field's key or CRM name to a header name (`--columns`).
    public convenience init(path: String, overrides: [String: String] = [:]) throws(ScenarioError) {
        try self.init(reader: CSVReader(path: path), overrides: overrides)
    }

    public init(reader: CSVReader, overrides: [String: String] = [:]) throws(ScenarioError) {
        self.reader = reader
        file = reader.file
        guard let headerRecord = try reader.next() else {
            throw ScenarioError(file: file, message: "the file is empty; expected a header row naming the columns")
        }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let file = reader.file
        self.header = header
        var columns: [ExportField: Int] = [:]
        var overridden: Set<ExportField> = []
        // Overrides first: they name the header exactly (any case).
        for (key, column) in overrides {
            let keys = ExportField.allCases.flatMap { [$0.key, $0.rawValue] }
            guard
                let field = ExportField.allCases.first(where: {
                    $0.key.lowercased() == key.lowercased() || $0.rawValue == key.lowercased()
                })
            else {
                throw ScenarioError(
                    option: "columns",
                    message: "unknown field \(Format.quoted(key))\(Suggestion.hint(for: key, in: keys)); "
                        + "fields: \(ExportField.allCases.map(\.key).joined(separator: ", "))"
                )
            }
            guard let index = header.firstIndex(where: { $0.lowercased() == column.lowercased() }) else {
                throw ScenarioError(
                    option: "columns",
                    message:
                        "no column \(Format.quoted(column)) in \(file)\(Suggestion.hint(for: column, in: header)); "
                        + "the columns are \(Format.list(header))"
                )
            }
            guard columns[field] == nil else {
                throw ScenarioError(
                    option: "columns",
                    message:
                        "the field \(field.key) is mapped twice (as \(field.key) and \(field.rawValue)); map it once"
                )
            }
            if let other = columns.first(where: { $0.value == index })?.key {
                throw ScenarioError(
                    option: "columns",
                    message:
                        "the column \(Format.quoted(header[index])) is given to both \(other.key) and \(field.key); "
                        + "a column holds one field"
                )
            }
            columns[field] = index
            overridden.insert(field)
        }
        // Each field takes the column named by its most specific alias (hs_sequence_name before
        // "sequence id"), among the columns no field has taken yet.
        let normalizedHeader = header.map(ExportField.normalized)
        for field in ExportField.allCases where columns[field] == nil {
            for alias in field.aliases.map(ExportField.normalized) {
                if let index = normalizedHeader.indices.first(where: {
                    normalizedHeader[$0] == alias && !columns.values.contains($0)
                }) {
                    columns[field] = index
                    break
                }
            }
        }
        // A field's column named twice: one would silently win.
        let lowercasedHeader = header.map { $0.lowercased() }
        for (field, index) in columns.sorted(by: { $0.value < $1.value }) {
            let twins = header.indices.filter {
                overridden.contains(field)
                    ? lowercasedHeader[$0] == lowercasedHeader[index] : normalizedHeader[$0] == normalizedHeader[index]
            }
            if twins.count > 1 {
                var error = ScenarioError(
                    file: file,
                    line: headerRecord.line,
                    column: twins[1] + 1,
                    message: "columns \(twins.map { String($0 + 1) }.joined(separator: " and ")) are each "
                        + "\(Format.quoted(header[index])), \(field.meaning); keep one of them"
                )
                // Columns spelt alike can be told apart by --columns, which names them exactly.
                if Set(twins.map { lowercasedHeader[$0] }).count > 1 {
                    error.remedy = .init(option: "columns", before: ", or choose one with ")
                }
                throw error
            }
        }
        self.columns = columns
        columnOf = ExportField.allCases.map { columns[$0] }
        let found = columns
        mapping = Mapping(
            entries: ExportField.allCases.compactMap { field in
                found[field].map { .init(field: field.key, column: header[$0]) }
            },
            ignored: header.indices.filter { !found.values.contains($0) }.map { header[$0] }
        )

        func require(_ fields: [ExportField], _ what: String) throws(ScenarioError) {
            guard fields.contains(where: { found[$0] != nil }) else {
                var error = ScenarioError(
                    file: file,
                    line: headerRecord.line,
                    message: "no column tells \(what): expected "
                        + fields.map {
                            "\($0.rawValue) (or \($0.aliases.dropFirst(2).prefix(2).map { "'\($0)'" }.joined(separator: ", ")))"
                        }
                        .joined(separator: " or ")
                        + "; the columns are \(Format.list(header))"
                )
                error.remedy = .init(option: "columns", before: "; map one with ")
                throw error
            }
        }
        try require([.rep], "the rep")
        try require([.state], "the enrollment state")
        try require([.replyCount, .unenrolledSource], "which enrollments got a reply")
        try require([.bounceCount, .stepErrorType], "which enrollments bounced")
    }

    /// Upper case, without work when it already is (the CRM writes these in capitals).
    private static func upper(_ text: String) -> String {
        text.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } ? text.uppercased() : text
    }

    /// The next row, checked; nil at the end of the file.
    ///
    /// - Throws: a `ScenarioError` naming the line and column of the first problem in the row.
    public func next() throws(ScenarioError) -> Record? {
        guard let record = try reader.next() else { return nil }
        let fields = record.fields
        func fail(_ field: ExportField?, _ message: String) -> ScenarioError {
            let column = field.flatMap { columnOf[$0.ordinal] }
            return ScenarioError(
                file: file,
                line: record.line,
                column: column.map { $0 + 1 },
                message: (column.map { "\(header[$0]): " } ?? "") + message
            )
        }
        guard fields.count == header.count else {
            throw fail(nil, "expected \(header.count) fields as in the header, found \(fields.count)")
        }
        func value(_ field: ExportField) -> String? {
            guard let column = columnOf[field.ordinal] else { return nil }
            let text = fields[column]
            if text.isEmpty { return nil }
            guard text.first == " " || text.last == " " else { return text }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        func count(_ field: ExportField) throws(ScenarioError) -> Int? {
            guard let text = value(field) else { return nil }
            // Some exports say whether rather than how many.
            switch text.lowercased() {
            case "true", "yes": return 1
            case "false", "no": return 0
            default: break
            }
            guard let number = WholeNumber.parse(text) else {
                throw fail(
                    field,
                    "expected a count of 0 or more\(WholeNumber.notation(of: text)), found \(Format.quoted(text))"
                )
            }
            return number
        }
        func name(_ field: ExportField) -> String? {
            value(field).flatMap { self.name($0, field: field, line: record.line) }
        }
        guard let rep = name(.rep) else { throw fail(.rep, "the rep is empty") }
        guard let stateText = value(.state) else { throw fail(.state, "the enrollment state is empty") }
        guard let state = State(rawValue: stateText) ?? State(rawValue: stateText.uppercased()) else {
            throw fail(
                .state,
                "unknown enrollment state \(Format.quoted(stateText)); expected EXECUTING, PAUSED, FINISHED or UNENROLLED"
            )
        }
        let source = value(.unenrolledSource).map(Self.upper)
        let error = value(.stepErrorType).map(Self.upper)
        let bounced = try (count(.bounceCount) ?? 0) > 0 || error == "BOUNCED"
        let replies = try count(.replyCount)
        let replied = replies.map { $0 > 0 } ?? (source == "REPLY" || source == "THREAD_REPLY")
        var ended: Timestamp?
        if let text = value(.endedAt) {
            guard let parsed = Timestamp(parsing: text) else {
                throw fail(
                    .endedAt,
                    "expected a date such as 2026-07-03 or 2026-07-03T14:05:00Z, found \(Format.quoted(text))"
                )
            }
            ended = parsed
        }
        var contacts: ContactKind?
        if let text = value(.contacts), text.lowercased() != "regular" {
            guard let kind = ContactKind.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                let names = ["regular"] + ContactKind.allCases.map(\.rawValue)
                throw fail(
                    .contacts,
                    "unknown contact group \(Format.quoted(text))\(Suggestion.hint(for: text, in: names)); "
                        + "expected \(names.joined(separator: ", "))"
                )
            }
            contacts = kind
        }
        let lastStep = try count(.lastStep)
        if let lastStep, lastStep > Limits.steps {
            throw fail(.lastStep, "a sequence has at most \(Limits.steps) steps, found step \(Format.count(lastStep))")
        }
        return Record(
            line: record.line,
            rep: rep,
            sequence: name(.sequence),
            segment: name(.segment),
            state: state,
            bounced: bounced,
            replied: replied && !bounced,
            // Counts keeps unsubscribes of the delivered who did not reply, as the model does.
            unsubscribed: error == "UNSUBSCRIBED" && !replied && !bounced,
            endedAt: ended,
            contacts: contacts,
            lastStep: lastStep
        )
    }

    /// A name as the export spells it, changed where needed to follow `Name`'s rule: cleaned of
    /// control characters and cut to length, spelt as its first spelling when it differs only in
    /// case or spaces, and a rep called `team` renamed `team (rep)`; nil when nothing is left.
    private func name(_ text: String, field: ExportField, line: Int) -> String? {
        if let known = spellings[field.ordinal][text] { return known }
        // Our own CSV neutralises formula-like names with a quote (`CSVField`); read them back as written.
        var cleaned = Name.cleaned(CSVField.unneutralised(text))
        if cleaned.isEmpty { return nil }
        if field == .rep, Name.key(cleaned) == Name.team { cleaned = Name.team + " (rep)" }
        let key = Name.key(cleaned)
        let name = canonical[field.ordinal][key] ?? cleaned
        canonical[field.ordinal][key] = name
        spellings[field.ordinal][text] = name
        if name != text {
            renamed.append(Renaming(field: field.key, from: text, to: name, line: line))
        }
        return name
    }
}
