import Foundation

/// The file of a part of a sharded command (`run --shard`, `sensitivity --shard`): one line of
/// JSON,
///
///     {"format":"senderscore part","formatVersion":3,"tool":"senderscore 0.1.0","command":"run","part":{…},"checksum":"fnv1a128:…"}
///
/// where the checksum is the FNV-1a 128-bit hash of every byte before `,"checksum"`: a part cut
/// short or changed by hand is refused. Like the run's fingerprint, it catches accidents, not
/// forgery. The header comes first and in this order, so that a file of another format version
/// or senderscore is told apart before its body is read.
public struct PartFile: Sendable {
    /// The command that wrote it: "run" or "sensitivity".
    public let command: String
    public let path: String
    private let bytes: [UInt8]
    private let body: Range<Int>

    static let kind = "senderscore part"
    static let tool = "senderscore \(RunFingerprint.toolVersion)"
    static let prefix = "{\"format\":\"\(kind)\",\"formatVersion\":"
    static let checksumKey = ",\"checksum\":\"fnv1a128:"

    /// `body` as the file of a part of `command`.
    static func seal(command: String, _ body: some Encodable) throws(ScenarioError) -> Data {
        var bytes: [UInt8] = []
        try seal(command: command, body) { bytes += $0 }
        return Data(bytes)
    }

    /// Writes `body` as the file of a part of `command` through `write`, in pieces of about
    /// 64 KB, hashing as it goes.
    ///
    /// The level summaries of `summaries` (`body`'s, in the order its encoding holds them) are
    /// encoded one at a time and put in place of the markers their arrays leave in the rest
    /// (`SimulationSummary.levelsAside`): the same bytes as the whole body's encoding, without
    /// the encoder's tree of it, which took 15 times the file (570 MB for 10,000 reps).
    static func seal(
        command: String,
        _ body: some Encodable,
        summaries: [SimulationSummary] = [],
        to write: ([UInt8]) throws(ScenarioError) -> Void
    ) throws(ScenarioError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if !summaries.isEmpty { encoder.userInfo[SimulationSummary.levelsAside] = true }
        try withoutActuallyEscaping(write) { (write) throws(ScenarioError) in
            try seal(command: command, body, summaries: summaries, encoder: encoder, into: Sealed(write: write))
        }
    }

    private static func seal(
        command: String,
        _ body: some Encodable,
        summaries: [SimulationSummary],
        encoder: JSONEncoder,
        into sealed: consuming Sealed
    ) throws(ScenarioError) {
        try sealed.add(
            "\(prefix)\(RunFingerprint.formatVersion),\"tool\":\"\(tool)\",\"command\":\"\(command)\",\"part\":"
        )
        do {
            let outline = String(decoding: try encoder.encode(body), as: UTF8.self)
            let markers = SimulationSummary.encodedMarkers.map { String(decoding: $0, as: UTF8.self) }
            var found = [0, 0]
            var written = outline.startIndex
            while let (kind, range) = markers.indices.compactMap({ kind in
                outline[written...].firstRange(of: markers[kind]).map { (kind, $0) }
            }).min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
                try sealed.add(JSONOutput.escapingUnsafe(String(outline[written..<range.lowerBound])))
                guard found[kind] < summaries.count else {
                    throw ScenarioError(location: .run, message: "the part cannot be written: a summary is missing")
                }
                let summary = summaries[found[kind]]
                found[kind] += 1
                let levels: [[any Encodable]] = kind == 0 ? summary.summaries : summary.paired
                try sealed.add("[")
                for (strategy, row) in levels.enumerated() {
                    try sealed.add(strategy == 0 ? "[" : ",[")
                    for (index, level) in row.enumerated() {
                        let json = String(decoding: try encoder.encode(level), as: UTF8.self)
                        try sealed.add((index == 0 ? "" : ",") + JSONOutput.escapingUnsafe(json))
                    }
                    try sealed.add("]")
                }
                try sealed.add("]")
                written = range.upperBound
            }
            try sealed.add(JSONOutput.escapingUnsafe(String(outline[written...])))
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(location: .run, message: "the part cannot be written: \(error)")
        }
        let checksum = RunFingerprint.hexadecimal(sealed.hash)
        try sealed.add(checksumKey, hashed: false)
        try sealed.add(checksum + "\"}\n", hashed: false)
        try sealed.flush()
    }

    /// The bytes of a part on their way out: hashed (FNV-1a, 128 bits, as `RunFingerprint.hash`)
    /// up to the checksum, and handed to the writer in pieces of about 64 KB.
    private struct Sealed {
        let write: ([UInt8]) throws(ScenarioError) -> Void
        private(set) var hash = RunFingerprint.hashStart
        private var pending: [UInt8] = []

        init(write: @escaping ([UInt8]) throws(ScenarioError) -> Void) {
            self.write = write
        }

        mutating func add(_ text: String, hashed: Bool = true) throws(ScenarioError) {
            let bytes = Array(text.utf8)
            if hashed { hash = RunFingerprint.hash(bytes, from: hash) }
            pending += bytes
            if pending.count >= 1 << 16 { try flush() }
        }

        mutating func flush() throws(ScenarioError) {
            guard !pending.isEmpty else { return }
            try write(pending)
            pending = []
        }
    }

    /// Reads and checks the part at `path`: its header, then its checksum.
    ///
    /// - Throws: `ScenarioError` naming the file when it cannot be read, is no part, comes from
    ///   another format version or senderscore, is cut short, or was changed.
    public static func open(path: String) throws(ScenarioError) -> PartFile {
        try PartFile(bytes: Array(try InputFile.read(path, limit: Limits.partBytes)), path: path)
    }

    /// The part in `bytes`, read from `path`; see `open`.
    init(bytes: [UInt8], path: String) throws(ScenarioError) {
        func refuse(_ message: String) -> ScenarioError { ScenarioError(file: path, message: message, code: .syntax) }
        var position = 0
        /// Reads `text` at the position, or fails.
        func expect(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard bytes.count - position >= expected.count,
                bytes[position..<position + expected.count].elementsEqual(expected)
            else { return false }
            position += expected.count
            return true
        }
        /// Reads up to the next quote (at most 100 bytes of a header value).
        func string(before limit: Int) -> String? {
            guard position < limit, let end = bytes[position..<limit].prefix(100).firstIndex(of: 0x22) else {
                return nil
            }
            defer { position = end + 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
        guard expect(Self.prefix) else {
            throw refuse(
                "not a part of a sharded run: `senderscore run --shard K/N --output PART` (or sensitivity --shard) "
                    + "writes the parts that merge reads"
            )
        }
        let digits = bytes[position...].prefix { (0x30...0x39).contains($0) }
        position += digits.count
        let version = String(decoding: digits.prefix(12), as: UTF8.self)
        guard Int(version) == RunFingerprint.formatVersion, digits.count < 12 else {
            throw refuse(
                "a part in format version \(version.isEmpty ? "?" : digits.count < 12 ? version : version + "…"); \(Self.tool) reads version "
                    + "\(RunFingerprint.formatVersion): merge with the senderscore that ran the shards, or run them again"
            )
        }
        // The end: ,"checksum":"fnv1a128:<32 hexadecimal digits>"} and a line break.
        let key = Array(Self.checksumKey.utf8)
        var end = bytes.count
        // A line break, a CRLF that a copy added, or trailing spaces are not part of the content.
        while end > 0, [0x0A, 0x0D, 0x20, 0x09].contains(bytes[end - 1]) { end -= 1 }
        let tail = key.count + 32 + 2
        let hexadecimal = end >= tail ? String(decoding: bytes[(end - 34)..<(end - 2)], as: UTF8.self) : ""
        guard end >= position + tail, bytes[(end - tail)..<(end - 34)].elementsEqual(key),
            bytes[(end - 2)..<end].elementsEqual("\"}".utf8), UInt128(hexadecimal, radix: 16) != nil
        else {
            throw refuse(
                "the part is cut short: it does not end with its checksum (was it copied before its shard finished?)"
            )
        }
        guard RunFingerprint.hexadecimal(RunFingerprint.hash(Array(bytes[..<(end - tail)]))) == hexadecimal else {
            throw refuse(
                "the part's checksum does not match its content: the file was changed after its shard wrote it"
            )
        }
        guard expect(",\"tool\":\""), let written = string(before: end - tail) else {
            throw refuse("the part's header is not readable")
        }
        guard written == Self.tool else {
            throw refuse(
                "written by \(written); this is \(Self.tool): merge with the senderscore that ran the shards, or run them again"
            )
        }
        guard expect(",\"command\":\""), let command = string(before: end - tail), expect(",\"part\":"),
            position <= end - tail
        else {
            throw refuse("the part's header is not readable")
        }
        self.command = command
        self.path = path
        self.bytes = bytes
        body = position..<(end - tail)
    }

    /// The body, as the part of `command` it must be.
    ///
    /// - Throws: `ScenarioError` naming the file when it is a part of another command or its body
    ///   does not decode.
    public func decode<Body: Decodable>(_ type: Body.Type, command expected: String) throws(ScenarioError) -> Body {
        guard command == expected else {
            throw ScenarioError(
                file: path,
                message: "a part of `senderscore \(command) --shard`, not of `\(expected) --shard`",
                code: .syntax
            )
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes[body]))
        } catch {
            throw ScenarioError(file: path, message: "not a valid part (\(JSONOutput.describe(error)))", code: .syntax)
        }
    }
}

extension PartFile {
    /// The body as a run's part, its level summaries decoded one at a time: decoded whole, the
    /// decoder's tree of a 10,000-rep part took 15 times the file. Where the body is not laid out
    /// as `seal` writes it, it is decoded whole, which says what is wrong with it.
    ///
    /// - Throws: `ScenarioError` as `decode(_:command:)`.
    public func decodeRun() throws(ScenarioError) -> RunPart {
        guard command == "run", let spans = JSONSpans(bytes, body), let rounds = spans.levelArrays() else {
            return try decode(RunPart.self, command: "run")
        }
        // The body with each round's level summaries replaced by the markers `seal` put there.
        let markers = SimulationSummary.encodedMarkers
        guard
            let outline = spans.outline(
                replacing: rounds.flatMap { [($0.summaries, markers[0]), ($0.paired, markers[1])] }
            )
        else { return try decode(RunPart.self, command: "run") }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[SimulationSummary.levelsAside] = true
            var part = try decoder.decode(RunPart.self, from: Data(outline))
            let present = part.rounds.indices.filter { part.rounds[$0] != nil }
            guard present.count == rounds.count else { return try decode(RunPart.self, command: "run") }
            for (index, round) in zip(present, rounds) {
                let path: [any CodingKey] = [JSONSpans.Key("rounds"), JSONSpans.Key(index: round.index)]
                part.rounds[index]?.restoreLevels(
                    summaries: try spans.decodeNested(
                        LevelSummary.self,
                        at: round.summaries,
                        path: path + [JSONSpans.Key("summaries")]
                    ),
                    paired: try spans.decodeNested(
                        PairedSummary.self,
                        at: round.paired,
                        path: path + [JSONSpans.Key("paired")]
                    )
                )
            }
            return part
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(file: path, message: "not a valid part (\(JSONOutput.describe(error)))", code: .syntax)
        }
    }
}

extension JSONSpans {
    /// Per round of a run part's body that has a summary, in order, its index among the rounds
    /// and the ranges of its `summaries` and `paired` arrays; nil where the body is laid out
    /// otherwise.
    fileprivate func levelArrays() -> [(index: Int, summaries: Range<Int>, paired: Range<Int>)]? {
        guard let rounds = members(ofObjectAt: body.lowerBound)?["rounds"],
            let elements = elements(ofArrayAt: rounds.lowerBound)
        else { return nil }
        var found: [(Int, Range<Int>, Range<Int>)] = []
        for (index, element) in elements.enumerated() where bytes[element.lowerBound] == UInt8(ascii: "{") {
            guard let members = members(ofObjectAt: element.lowerBound), let summaries = members["summaries"],
                let paired = members["paired"]
            else { return nil }
            found.append((index, summaries, paired))
        }
        return found
    }

    /// The array of arrays of `T` at `range`, each `T` decoded on its own; a decoding error's key
    /// path starts with `path`, as it would decoding the whole part.
    fileprivate func decodeNested<T: Decodable>(
        _ type: T.Type,
        at range: Range<Int>,
        path: [any CodingKey]
    ) throws -> [[T]] {
        guard let outer = elements(ofArrayAt: range.lowerBound) else {
            throw DecodingError.typeMismatch(
                [[T]].self,
                .init(codingPath: path, debugDescription: "Expected to decode Array but found another value instead.")
            )
        }
        return try outer.enumerated().map { index, inner in
            try decodeEach(T.self, at: inner, path: path + [JSONSpans.Key(index: index)])
        }
    }
}
