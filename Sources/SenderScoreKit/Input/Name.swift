/// The one rule for the names people give things: reps, sequences, segments, strategies,
/// interventions, steps and bands. A name is printable text (no control characters, line
/// separators or bidirectional controls, which could forge or hide lines in a report), without
/// surrounding spaces, at most `Limits.nameLength` characters, and unique among its kind once
/// case and spaces are set aside (`Ana` and `ana ` are one rep). `team` is reserved for the
/// team's row and cannot name a rep.
package enum Name {
    /// The name reserved for the team's row.
    package static let team = "team"

    /// `text` as a name: trimmed of spaces; or why it cannot be one.
    package static func checked(_ text: String) -> Result<String, Problem> {
        let trimmed = trimmed(text)
        if trimmed.isEmpty { return .failure(.empty) }
        if let scalar = trimmed.unicodeScalars.first(where: Format.isUnsafe) { return .failure(.control(scalar)) }
        if trimmed.count > Limits.nameLength { return .failure(.tooLong(trimmed.count)) }
        return .success(trimmed)
    }

    /// Why text cannot be a name.
    package enum Problem: Error, Hashable, CustomStringConvertible {
        case empty
        case control(Unicode.Scalar)
        case tooLong(Int)

        package var description: String {
            switch self {
            case .empty: "a name cannot be empty"
            case .control(let scalar):
                "a name cannot hold control characters (it has \(Format.printable(String(scalar))))"
            case .tooLong(let count):
                "a name has at most \(Limits.nameLength) characters, this one \(Format.count(count))"
            }
        }
    }

    /// What two names are compared by: without case, surrounding spaces, runs of spaces, or
    /// invisible format characters (a zero-width space, a soft hyphen), so that two names that
    /// look the same are the same.
    package static func key(_ name: String) -> String {
        var visible = String.UnicodeScalarView()
        for scalar in name.unicodeScalars where scalar.properties.generalCategory != .format {
            visible.append(scalar)
        }
        return trimmed(String(visible)).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
    }

    /// Text from data (an export's rep or sequence) made into a name that `checked` accepts:
    /// whitespace controls become spaces, other unsafe characters are dropped, runs of spaces
    /// become one, and the name is cut to `Limits.nameLength` characters; empty when nothing is left.
    package static func cleaned(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.value == 0x2028 || scalar.value == 0x2029 {
                scalars.append(" ")
            } else if !Format.isUnsafe(scalar) {
                scalars.append(scalar)
            }
        }
        let spaced = String(scalars).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return String(trimmed(spaced).prefix(Limits.nameLength))
    }

    private static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }
}

/// The names of one kind met so far, to refuse a second one that is the same name.
package struct NameSet {
    private var seen: [String: String] = [:]

    package init() {}

    /// The earlier name that `name` repeats, or nil after remembering it.
    package mutating func insert(_ name: String) -> String? {
        let key = Name.key(name)
        if let earlier = seen[key] { return earlier }
        seen[key] = name
        return nil
    }
}
