import Foundation

/// Number formatting for people.
package enum Format {
    /// A parameter value: up to 6 significant digits, no trailing zeros ("0.08", "140", "1.2e-05").
    package static func number(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : (value < 0 ? "-∞" : "NaN") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = Format.c("%.6g", value)
        return text
    }

    /// A whole number with thousands separators: 20,000.
    package static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A fraction as a percentage with `digits` decimals: 0.0712 gives "7.1%".
    package static func percent(_ fraction: Double?, digits: Int = 1) -> String {
        guard let fraction else { return "–" }
        return Format.c("%.\(digits)f%%", fraction * 100)
    }

    /// A fraction as percentage points without the sign, for table cells: "7.1".
    package static func points(_ fraction: Double, digits: Int = 1) -> String {
        Format.c("%.\(digits)f", fraction * 100)
    }

    /// A plain decimal with `digits` decimals, or "–" when missing.
    package static func fixed(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "–" }
        return Format.c("%.\(digits)f", value)
    }

    /// A fraction in percentage points, with a second decimal only when the first would show 0.0:
    /// "12.3", "0.3", "0.04", "<0.01".
    package static func smallPercent(_ fraction: Double) -> String {
        let points = fraction * 100
        if points >= 0.095 { return Format.fixed(points, digits: 1) }
        if points >= 0.0095 { return Format.fixed(points, digits: 2) }
        return "<0.01"
    }

    /// "+4.1", "-0.3", "0.0".
    package static func signed(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "–" }
        let zero = Format.fixed(0, digits: digits)
        let text = Format.fixed(value, digits: digits)
        if text == zero || text == "-" + zero { return zero }
        return value > 0 ? "+" + text : text
    }

    /// A change of probability in percentage points: "+12.0 pts".
    package static func signedPoints(_ value: Double?) -> String {
        guard let value else { return "–" }
        return signed(value * 100) + " pts"
    }

    /// A size in bytes for people: "16 MiB", "1 MiB", "512 bytes".
    package static func bytes(_ count: Int) -> String {
        if count >= 1 << 30, count % (1 << 30) == 0 { return "\(count >> 30) GiB" }
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(Format.count(count)) bytes"
    }

    /// Names from a file listed in a message, "A, B, C": each printable and cut to
    /// `quotedLength` characters, and at most 20 of them, then "and 7 more".
    package static func list(_ names: [String]) -> String {
        let shown = names.prefix(20).map { name in
            name.count > quotedLength ? printable(String(name.prefix(quotedLength))) + "…" : printable(name)
        }
        return shown.joined(separator: ", ") + (names.count > 20 ? " and \(count(names.count - 20)) more" : "")
    }

    /// The most characters of input that a message quotes back.
    package static let quotedLength = 80

    /// Input quoted in a message: in single quotes, printable (see `printable`), and cut to
    /// `quotedLength` characters with the full length said, so that a huge value never floods
    /// the terminal: `'abc…' (5,000,000 characters)`.
    package static func quoted(_ text: some StringProtocol) -> String {
        let text = String(text)
        guard text.count > quotedLength else { return "'\(printable(text))'" }
        return "'\(printable(String(text.prefix(quotedLength))))…' (\(count(text.count)) characters)"
    }

    /// `text` as a YAML scalar that reads back as written: plain when it is a word that YAML
    /// takes as a string, else double-quoted with YAML's escapes (unsafe characters as `\u`).
    package static func yamlScalar(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.first!.isLetter
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        if plain, !["true", "false", "yes", "no", "null", "on", "off"].contains(text.lowercased()) { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case _ where isUnsafe(scalar):
                escaped += Format.c("\\u%04X", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }

    /// `text` safe to print on a terminal: control characters, line and paragraph separators and
    /// the bidirectional controls that reorder what is shown are written as `\u{1B}`-style
    /// escapes (`\n`, `\t` and `\r` as such), so that no input can move the cursor, clear the
    /// screen or forge a line.
    package static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    /// Whether `scalar` could change what a terminal shows beyond its own glyph: C0 and C1
    /// controls, DEL, line and paragraph separators, and the bidirectional marks, embeddings,
    /// overrides and isolates.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
            return true
        default: return false
        }
    }
}
