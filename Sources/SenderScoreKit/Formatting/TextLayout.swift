/// Plain-text layout for the text formats: padded columns, wrapped paragraphs, and documents
/// without trailing spaces.
package enum TextLayout {
    /// `text` padded with spaces to `width` characters, or followed by one space when it is as
    /// wide or wider, so that columns never run together.
    package static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` in lines of at most `width` characters where its words allow, every line after the
    /// first starting with `indent`.
    package static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + word.count + 1 > width {
                lines.append(current)
                current = indent
            }
            current += (current.isEmpty || current == indent ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The lines joined into a document: each without trailing spaces, and a final line break.
    package static func document(_ lines: [String]) -> String {
        lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }
}
