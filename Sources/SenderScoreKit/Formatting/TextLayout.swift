/// Plain-text layout for the text formats: padded columns, wrapped paragraphs, and documents
/// without trailing spaces. Whatever text goes through it is made printable (`Format.printable`),
/// so that a name from a file cannot move the cursor or forge a row on the reader's terminal.
package enum TextLayout {
    /// `text`, made printable, padded with spaces to `width` characters, or followed by one space
    /// when it is as wide or wider, so that columns never run together.
    package static func left(_ text: String, _ width: Int) -> String {
        let text = Format.printable(text)
        return text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
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
        TextPieces.document { pieces in
            if lines.isEmpty { pieces += "\n" }
            Lines.write(into: &pieces) { $0 += lines }
        }
    }

    /// Lines of a text document on their way out (`TextPieces`): each made printable, without
    /// its trailing spaces, and ended with a line break, as `document` makes them.
    package struct Lines {
        private var pieces: TextPieces

        /// Runs `body` on lines that go to `pieces`.
        package static func write(into pieces: inout TextPieces, _ body: (inout Lines) -> Void) {
            var lines = Lines(pieces: pieces)
            body(&lines)
            pieces = lines.pieces
        }

        package mutating func append(_ line: String) {
            let printable = Format.printable(line)
            if let last = printable.lastIndex(where: { $0 != " " }) { pieces += printable[...last] }
            pieces += "\n"
        }

        package mutating func append(contentsOf lines: some Sequence<String>) {
            for line in lines { append(line) }
        }

        package static func += (lines: inout Lines, more: some Sequence<String>) {
            lines.append(contentsOf: more)
        }
    }
}
