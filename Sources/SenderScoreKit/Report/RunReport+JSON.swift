extension RunReport {
    /// The JSON format, byte for byte what `JSONOutput.encode(self)` gives, written through
    /// `write` in pieces: the report without its reps and sequences, then each of their reports
    /// as it is built, so that a large team's report is never held whole, as text or as reports.
    public func writeJSON(to write: (String) throws -> Void) throws {
        let encoder = JSONOutput.encoder()
        // Each strategy's reps and sequences stand aside, a marker in their place: a string with
        // control characters, which no name or other text of a report holds.
        var outline = self
        var aside: [(marker: String, levels: LevelReports)] = []
        for index in outline.strategies.indices {
            for (key, path) in [("reps", \StrategyReport.repLevels), ("sequences", \StrategyReport.sequenceLevels)] {
                let marker = "\u{1}senderscore \(index) \(key)\u{1}"
                aside.append((try JSONOutput.encode(marker, with: encoder), outline.strategies[index][keyPath: path]))
                outline.strategies[index][keyPath: path] = LevelReports(placeholder: marker)
            }
        }
        let text = try JSONOutput.encode(outline, with: encoder)
        let places = aside.compactMap { entry in text.firstRange(of: entry.marker).map { ($0, entry.levels) } }
            .sorted { $0.0.lowerBound < $1.0.lowerBound }
        var written = text.startIndex
        for (range, levels) in places {
            try write(String(text[written..<range.lowerBound]))
            written = range.upperBound
            // The marker is the value of a key on a line of its own: the array's items go one
            // level deeper than the key.
            let lineStart = text[..<range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) }
            let indent = String(
                repeating: " ",
                count: text[(lineStart ?? text.startIndex)...].prefix { $0 == " " }.count
            )
            guard !levels.isEmpty else {
                try write("[\n\n" + indent + "]")
                continue
            }
            let inner = indent + "  "
            try write("[\n")
            for (index, level) in levels.enumerated() {
                let json = try JSONOutput.encode(level, with: encoder)
                try write(inner + json.replacing("\n", with: "\n" + inner) + (index == levels.count - 1 ? "\n" : ",\n"))
            }
            try write(indent + "]")
        }
        try write(String(text[written...]) + "\n")
    }
}
