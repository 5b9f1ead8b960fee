/// One field of a CSV record (RFC 4180): as it is, or double-quoted with its quotes doubled when
/// it holds a comma, a quote or a line break.
///
/// Text that a spreadsheet would run as a formula (a cell that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) is neutralised the way OWASP's "CSV injection" guidance recommends:
/// a single quote goes before it, which spreadsheets show as text and do not evaluate. Numbers
/// (`-0.25`, `+3`, `-1e-05`) are left as they are, so that columns of deltas stay numeric.
/// `neutralisedPrefix` undoes it for readers of our own files.
package enum CSVField {
    package static func escaped(_ text: String) -> String {
        let text = isFormula(text) ? "'" + text : text
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether a spreadsheet would take `text` for a formula: it starts with a formula trigger
    /// and is not a plain number.
    package static func isFormula(_ text: String) -> Bool {
        guard let first = text.utf8.first, triggers.contains(first) else { return false }
        return !isNumber(text)
    }

    /// `text` without the quote that `escaped` put before a formula trigger.
    package static func unneutralised(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.first == UInt8(ascii: "'"), utf8.count > 1,
            triggers.contains(utf8[utf8.index(after: utf8.startIndex)])
        else { return text }
        return String(text.dropFirst())
    }

    private static let triggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"),
        UInt8(ascii: "\r"),
    ]

    /// A decimal number with an optional sign, fraction and exponent, as the reports print them.
    private static func isNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        }
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        var count = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            count += digits()
        }
        guard count > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
