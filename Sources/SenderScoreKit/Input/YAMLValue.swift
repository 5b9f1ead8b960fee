import Foundation
internal import Yams

/// A node of a YAML document together with where it is: the file, the key path, line and column.
///
/// Every accessor throws a `ScenarioError` that points at the offending node, so that readers
/// of scenarios and rule sets never build an error message by hand without a location.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    /// Parses the first document of `text`.
    static func parse(_ text: String, file: String) throws(ScenarioError) -> YAMLValue {
        let root: Node?
        // A UTF-8 byte order mark, as some editors on Windows write: libyaml takes it for text.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ScenarioError(file: file, message: "not valid YAML: \(error)", code: .syntax)
        }
        guard let root, !(YAMLValue.tagName(root) == .null) else {
            throw ScenarioError(file: file, message: "the file is empty")
        }
        guard valueCount(root, atMost: Limits.documentValues) <= Limits.documentValues else {
            throw ScenarioError(
                file: file,
                message: "the document holds more than \(Format.count(Limits.documentValues)) values (an alias "
                    + "such as *name counts as a copy of what it names); a scenario or rule set needs far fewer",
                code: .limit
            )
        }
        return YAMLValue(node: root, path: "", file: file)
    }

    /// The number of values in `node` as the readers walk it, each alias counted as a copy of
    /// what it points at; counting stops past `limit`, so that an alias bomb costs little.
    private static func valueCount(_ node: Node, atMost limit: Int) -> Int {
        var count = 0
        var pending = [node]
        while let next = pending.popLast() {
            count += 1
            if count > limit { return count }
            switch next {
            case .scalar, .alias: break
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            }
        }
        return count
    }

    /// Reads and parses a file, with a clear message when it cannot be read.
    static func load(contentsOf path: String) throws(ScenarioError) -> YAMLValue {
        try parse(InputFile.text(path), file: path)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ScenarioError {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> ScenarioError {
            var message = "YAML syntax error: \(problem)"
            if problem.hasPrefix("Maximum nesting level reached") {
                message = "YAML syntax error: the values are nested more than 1,000 levels deep"
            }
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return ScenarioError(file: file, line: mark.line, column: mark.column, message: message, code: .syntax)
        }
        switch error {
        case let .scanner(context, problem, mark, _),
            let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            return located(mark, problem, context)
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ScenarioError(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message: "duplicate key \(names) in the same mapping",
                code: .syntax
            )
        case let .reader(problem, _, _, _):
            return ScenarioError(file: file, message: "cannot read the YAML: \(problem)", code: .unreadable)
        default:
            return ScenarioError(file: file, message: "not valid YAML: \(error)", code: .syntax)
        }
    }

    // MARK: Errors

    /// Where this node is in its file.
    var location: ScenarioError.Location {
        .file(file, line: node.mark?.line, column: node.mark?.column)
    }

    /// An error located at this node.
    func error(_ message: String) -> ScenarioError {
        ScenarioError(location: location, keyPath: path, message: message)
    }

    /// What this node is, for messages: "a mapping", "a list", "the number 3", "the text 'abc'".
    var kindDescription: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tagName {
            case .null: return "nothing"
            case .bool: return "the boolean \(Format.printable(scalar.string))"
            case .int, .float:
                return "the number \(Format.printable(String(scalar.string.prefix(Format.quotedLength))))"
            default: return "the text \(Format.quoted(scalar.string))"
            }
        }
    }

    /// The resolved YAML tag: `.int`, `.float`, `.str`, `.null`, `.bool`, …
    var tagName: Tag.Name { Self.tagName(node) }

    static func tagName(_ node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    var isNull: Bool {
        tagName == .null
    }

    // MARK: Structure

    func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: Self.join(path, key), file: file)
    }

    func element(_ index: Int, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: path + "[\(index)]", file: file)
    }

    /// This node as a mapping whose keys must come from `allowed`; unknown keys are errors
    /// with a "did you mean" where one is close.
    func mapping(allowing allowed: [String]) throws(ScenarioError) -> YAMLMapping {
        let entries = try entries()
        for (key, _, keyNode) in entries where !allowed.contains(key) {
            let keyError = YAMLValue(node: keyNode, path: path, file: file)
            if key == "<<" {
                throw keyError.error(
                    "YAML merge keys (<<) are not supported; repeat the keys, or use an alias (*name) "
                        + "for a whole value"
                )
            }
            throw keyError.error(
                "unknown key \(Format.quoted(key))\(Suggestion.hint(for: key, in: allowed))"
                    + "; allowed here: \(allowed.joined(separator: ", "))"
            )
        }
        return YAMLMapping(value: self, entries: entries)
    }

    /// This node as a mapping from user-chosen names (segment names, audience shares), in file order.
    func entries() throws(ScenarioError) -> [(key: String, value: YAMLValue, keyNode: Node)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping of keys to values, found \(kindDescription)")
        }
        var result: [(key: String, value: YAMLValue, keyNode: Node)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw YAMLValue(node: keyNode, path: path, file: file).error("keys must be plain names")
            }
            result.append((scalar.string, child(scalar.string, valueNode), keyNode))
        }
        return result
    }

    /// This node as a mapping from names of one `kind` ("segment", "sequence"): each key is
    /// checked as a name and must differ from the others.
    func namedEntries(kind: String) throws(ScenarioError) -> [(key: String, value: YAMLValue, keyNode: Node)] {
        var names = NameSet()
        var result: [(key: String, value: YAMLValue, keyNode: Node)] = []
        for entry in try entries() {
            let at = YAMLValue(node: entry.keyNode, path: path, file: file)
            let name = try Self.name(entry.key, at: at)
            try Self.insert(name, into: &names, kind: kind, at: at)
            result.append((name, entry.value, entry.keyNode))
        }
        return result
    }

    /// This node as a list.
    func list() throws(ScenarioError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else {
            throw error("expected a list, found \(kindDescription)")
        }
        return sequence.enumerated().map { element($0.offset, $0.element) }
    }

    // MARK: Scalars

    func string() throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected text, found \(kindDescription)")
        }
        return scalar.string
    }

    /// A name, as `Name` rules them: printable, trimmed of surrounding spaces, not too long.
    func name() throws(ScenarioError) -> String {
        try Self.name(string(), at: self)
    }

    /// A scenario's or rule set's title: printable text without surrounding spaces, at most
    /// `Limits.titleLength` characters. Longer than a name, and not unique.
    func title() throws(ScenarioError) -> String {
        let text = try string().trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw error("a title cannot be empty") }
        if let scalar = text.unicodeScalars.first(where: Format.isUnsafe) {
            throw error("a title cannot hold control characters (it has \(Format.printable(String(scalar))))")
        }
        guard text.count <= Limits.titleLength else {
            throw error("a title has at most \(Limits.titleLength) characters, this one \(Format.count(text.count))")
        }
        return text
    }

    /// `text`, written at `node` (a value or a mapping key), as a name.
    static func name(_ text: String, at node: YAMLValue) throws(ScenarioError) -> String {
        switch Name.checked(text) {
        case .success(let name): return name
        case .failure(let problem): throw node.error("\(problem)")
        }
    }

    /// A name that must differ from those in `names`; `kind` says what it names in the message
    /// ("rep", "segment").
    func uniqueName(in names: inout NameSet, kind: String) throws(ScenarioError) -> String {
        let name = try name()
        try Self.insert(name, into: &names, kind: kind, at: self)
        return name
    }

    static func insert(
        _ name: String,
        into names: inout NameSet,
        kind: String,
        at node: YAMLValue
    )
        throws(ScenarioError)
    {
        if let earlier = names.insert(name) {
            throw node.error(
                earlier == name
                    ? "\(kind) \(Format.quoted(name)) is listed twice"
                    : "\(kind) \(Format.quoted(name)) is the same name as \(Format.quoted(earlier)) "
                        + "(names are compared without case and surrounding spaces)"
            )
        }
    }

    /// A number, also accepted as a percentage such as `2.5%`.
    func number() throws(ScenarioError) -> Double {
        try decimalOrDouble().double
    }

    /// An exact decimal (`0.07`, `7%`), for thresholds, points and shares.
    func decimal() throws(ScenarioError) -> ExactDecimal {
        guard let exact = try decimalOrDouble().exact else {
            let text = scalarText.lowercased()
            if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("-0x") {
                throw error("write \(scalarText) as a decimal number")
            }
            throw error(
                "\(kindDescription) cannot be held exactly; write it with at most 9 decimal places "
                    + "and a magnitude below 1,000,000,000"
            )
        }
        return exact
    }

    /// A whole number in `range`, read exactly (never through floating point).
    func integer(in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let value = try wholeNumber()
        guard value >= Int128(range.lowerBound), value <= Int128(range.upperBound) else {
            throw error("\(scalarText) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(value)
    }

    /// A whole number from 0 to `UInt64.max` (a seed).
    func unsignedInteger() throws(ScenarioError) -> UInt64 {
        let value = try wholeNumber()
        guard value >= 0, value <= Int128(UInt64.max) else {
            throw error("\(scalarText) is out of range; expected 0 to \(UInt64.max)")
        }
        return UInt64(value)
    }

    private func wholeNumber() throws(ScenarioError) -> Int128 {
        guard case .scalar(let scalar) = node, tagName == .int || tagName == .float else {
            throw error("expected a whole number, found \(kindDescription)")
        }
        let text = try digitsWithoutGrouping(scalar.string)
        if tagName == .int {
            // Decimal digits only: YAML's other forms (0x1F, 0o17, 0b101, 1:30) are refused, and
            // so is a leading zero, which YAML 1.1 reads as octal (017 is 15).
            let digits = text.drop(while: { $0 == "-" || $0 == "+" })
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits == "0" || digits.first != "0" else {
                throw error("write \(Format.quoted(scalarText)) as a decimal number without leading zeros")
            }
            if let value = Int128(text) { return value }
            throw error("\(Format.printable(String(scalarText.prefix(Format.quotedLength)))) is out of range")
        }
        if let exact = ExactDecimal(parsing: text), exact.scale == 0 {
            return Int128(exact.units)
        }
        if let double = Double(text), double.isFinite, double.rounded() == double {
            // Exact below 2^53; beyond that, report it as out of range.
            if double.magnitude < 0x1p53 { return Int128(double) }
            return double > 0 ? Int128.max : Int128.min
        }
        throw error("expected a whole number, found \(kindDescription)")
    }

    /// `text` without the underscores YAML allows between digits (`1_000`); an underscore
    /// anywhere else (`1__0`, `100_`, `_5`) is refused rather than dropped.
    private func digitsWithoutGrouping(_ text: String) throws(ScenarioError) -> String {
        guard text.contains("_") else { return text }
        let characters = Array(text)
        for (index, character) in characters.enumerated() where character == "_" {
            guard index > 0, index < characters.count - 1, characters[index - 1].isNumber,
                characters[index + 1].isNumber
            else {
                throw error("\(Format.quoted(text)): an underscore may only stand between two digits, as in 1_000")
            }
        }
        return text.replacingOccurrences(of: "_", with: "")
    }

    private var scalarText: String {
        if case .scalar(let scalar) = node { return scalar.string }
        return kindDescription
    }

    private func decimalOrDouble() throws(ScenarioError) -> (double: Double, exact: ExactDecimal?) {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected a number, found \(kindDescription)")
        }
        let text = try digitsWithoutGrouping(scalar.string)
        let isNumber = tagName == .int || tagName == .float
        let isPercent = tagName == .str && text.trimmingCharacters(in: .whitespaces).hasSuffix("%")
        guard isNumber || isPercent else {
            throw error("expected a number, found \(kindDescription)")
        }
        if let exact = ExactDecimal(parsing: text) {
            return (exact.doubleValue, exact)
        }
        guard isNumber, let double = Double(text), double.isFinite else {
            throw error(
                isNumber
                    ? "\(Format.quoted(scalarText)) is not a finite number within the range of a double"
                    : "expected a number, found \(kindDescription)"
            )
        }
        return (double, nil)
    }

    static func join(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        let component = plain ? key : "\"\(key)\""
        return path.isEmpty ? component : path + "." + component
    }
}

/// A mapping whose keys have been checked against the allowed ones.
struct YAMLMapping {
    let value: YAMLValue
    let entries: [(key: String, value: YAMLValue, keyNode: Node)]

    /// The value of an optional key. A key written without a value is returned as it is, so that
    /// the typed accessors report "found nothing" rather than silently using a default.
    subscript(key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    func required(_ key: String) throws(ScenarioError) -> YAMLValue {
        guard let found = entries.first(where: { $0.key == key })?.value else {
            throw value.error("missing key \(Format.quoted(key))")
        }
        guard !found.isNull else {
            throw found.error("\(Format.quoted(key)) has no value")
        }
        return found
    }

    func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }
}
