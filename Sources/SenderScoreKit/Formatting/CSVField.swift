/// One field of a CSV record (RFC 4180): as it is, or double-quoted with its quotes doubled when
/// it holds a comma, a quote or a line break.
package enum CSVField {
    package static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
