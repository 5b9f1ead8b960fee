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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded: Data
        do {
            encoded = try encoder.encode(body)
        } catch {
            throw ScenarioError(location: .run, message: "the part cannot be written: \(error)")
        }
        var bytes = Array(
            "\(prefix)\(RunFingerprint.formatVersion),\"tool\":\"\(tool)\",\"command\":\"\(command)\",\"part\":".utf8
        )
        bytes += JSONOutput.escapingUnsafe(String(decoding: encoded, as: UTF8.self)).utf8
        let checksum = RunFingerprint.hexadecimal(RunFingerprint.hash(bytes))
        bytes += checksumKey.utf8
        bytes += checksum.utf8
        bytes += "\"}\n".utf8
        return Data(bytes)
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
