extension RunReport {
    /// The JSON format, byte for byte what `JSONOutput.encode(self)` gives, written through
    /// `write` in pieces: the report without its reps and sequences, then each of their reports
    /// (and, with a timeline, each of their timelines) as it is built, so that a large team's
    /// report is never held whole, as text or as reports.
    public func writeJSON(to write: (String) throws -> Void) throws {
        let encoder = JSONOutput.encoder()
        // Each strategy's reps and sequences, and their timelines, stand aside, a marker in their
        // place: a string with control characters, which no name or other text of a report holds.
        var outline = self
        typealias Aside = (marker: String, count: Int, json: (Int) throws -> String)
        var aside: [Aside] = []
        func setAside<Report>(_ levels: inout LevelList<Report>, _ place: String) throws {
            let marker = "\u{1}senderscore \(place)\u{1}"
            let list = levels
            aside.append(
                (
                    try JSONOutput.encode(marker, with: encoder), list.count,
                    { try JSONOutput.encode(list[$0], with: encoder) }
                )
            )
            levels = LevelList(placeholder: marker)
        }
        for index in outline.strategies.indices {
            try setAside(&outline.strategies[index].repLevels, "\(index) reps")
            try setAside(&outline.strategies[index].sequenceLevels, "\(index) sequences")
        }
        for index in outline.timeline?.strategies.indices ?? 0..<0 {
            try setAside(&outline.timeline!.strategies[index].reps, "timeline \(index) reps")
            try setAside(&outline.timeline!.strategies[index].sequences, "timeline \(index) sequences")
        }
        let text = try JSONOutput.encode(outline, with: encoder)
        // The markers come in the order they were set aside (keys are sorted: "reps" before
        // "sequences", "strategies" before "timeline"), so each is looked for from the one before:
        // one pass over the outline, however many strategies; from the start if it is not there.
        var places: [(Range<String.Index>, Aside)] = []
        var from = text.startIndex
        for entry in aside {
            guard let range = text[from...].firstRange(of: entry.marker) ?? text.firstRange(of: entry.marker) else {
                continue
            }
            places.append((range, entry))
            from = range.upperBound
        }
        places.sort { $0.0.lowerBound < $1.0.lowerBound }
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
            guard levels.count > 0 else {
                try write("[\n\n" + indent + "]")
                continue
            }
            let inner = indent + "  "
            try write("[\n")
            for index in 0..<levels.count {
                let json = try levels.json(index)
                try write(Self.indented(json, by: inner, ending: index == levels.count - 1 ? "\n" : ",\n"))
            }
            try write(indent + "]")
        }
        try write(String(text[written...]) + "\n")
    }

    /// `json` with `indent` before each of its lines, then `ending`: one pass over its bytes
    /// (`replacing` searched the text for each line break, a quarter of a large team's JSON time).
    static func indented(_ json: String, by indent: String, ending: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(json.utf8.count * 5 / 4 + ending.utf8.count)
        bytes.append(contentsOf: indent.utf8)
        for byte in json.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\n") { bytes.append(contentsOf: indent.utf8) }
        }
        bytes.append(contentsOf: ending.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}
