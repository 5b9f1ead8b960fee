import Foundation

/// Where the values of a JSON document are, found without decoding it: the ranges of an object's
/// members and of an array's elements, so that a large document (a run part, a saved result) can
/// be decoded a piece at a time instead of as one tree (Foundation's decoder holds about 15 times
/// the document). Reads JSON as senderscore writes it, compact or indented; a caller that finds
/// the document laid out otherwise decodes it whole.
struct JSONSpans {
    let bytes: [UInt8]
    let body: Range<Int>

    init?(_ bytes: [UInt8], _ body: Range<Int>) {
        guard !body.isEmpty, bytes[body.lowerBound] == UInt8(ascii: "{") else { return nil }
        self.bytes = bytes
        self.body = body
    }

    /// The spans of a whole document that is one object, with only white space around it; nil
    /// for any other.
    init?(document bytes: [UInt8]) {
        guard let first = bytes.firstIndex(where: { !Self.isSpace($0) }),
            let last = bytes.lastIndex(where: { !Self.isSpace($0) })
        else { return nil }
        self.init(bytes, first..<(last + 1))
        guard end(ofValueAt: first) == last + 1 else { return nil }
    }

    /// JSON's white space: space, line feed, carriage return and tab.
    static func isSpace(_ byte: UInt8) -> Bool { [0x20, 0x0A, 0x0D, 0x09].contains(byte) }

    /// The array of `T` at `range`, each element decoded on its own (a large array is never a
    /// tree in memory). A decoding error's key path starts with `path`, the array's own, and the
    /// element's index, as it would decoding the whole document.
    func decodeEach<T: Decodable>(_ type: T.Type, at range: Range<Int>, path: [any CodingKey] = []) throws -> [T] {
        guard let items = elements(ofArrayAt: range.lowerBound) else {
            throw DecodingError.typeMismatch(
                [T].self,
                .init(codingPath: path, debugDescription: "Expected to decode Array but found another value instead.")
            )
        }
        let decoder = JSONDecoder()
        return try items.enumerated().map { index, item in
            do {
                return try decoder.decode(T.self, from: Data(bytes[item]))
            } catch let error as DecodingError {
                throw Self.prefixing(error, with: path + [Key(index: index)])
            }
        }
    }

    /// A key or an array index in a key path, written as JSONDecoder writes them.
    struct Key: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(index: Int) {
            stringValue = "Index \(index)"
            intValue = index
        }
        init(_ name: String) {
            stringValue = name
            intValue = nil
        }
        init?(stringValue: String) {
            self.stringValue = stringValue
            intValue = nil
        }
        init?(intValue: Int) { self.init(index: intValue) }
    }

    private static func prefixing(_ error: DecodingError, with path: [any CodingKey]) -> DecodingError {
        func moved(_ context: DecodingError.Context) -> DecodingError.Context {
            .init(codingPath: path + context.codingPath, debugDescription: context.debugDescription)
        }
        switch error {
        case .keyNotFound(let key, let context): return .keyNotFound(key, moved(context))
        case .typeMismatch(let type, let context): return .typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, moved(context))
        case .dataCorrupted(let context): return .dataCorrupted(moved(context))
        @unknown default: return error
        }
    }

    /// The body with each of `ranges` (values in it, in any order, none inside another) replaced
    /// by its `replacement`; nil where two overlap, or where the outline would be larger than
    /// `Limits.documentBytes` (it is decoded whole).
    func outline(replacing ranges: [(range: Range<Int>, replacement: [UInt8])]) -> [UInt8]? {
        var outline: [UInt8] = []
        var copied = body.lowerBound
        for (range, replacement) in ranges.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            guard range.lowerBound >= copied, range.upperBound <= body.upperBound else { return nil }
            outline += bytes[copied..<range.lowerBound]
            outline += replacement
            copied = range.upperBound
            guard outline.count <= Limits.documentBytes else { return nil }
        }
        outline += bytes[copied..<body.upperBound]
        return outline.count <= Limits.documentBytes ? outline : nil
    }

    private func skipSpace(_ index: Int) -> Int {
        var index = index
        while index < body.upperBound, Self.isSpace(bytes[index]) { index += 1 }
        return index
    }

    /// The end of the value that starts at `start`, or nil where none does.
    func end(ofValueAt start: Int) -> Int? {
        guard start < body.upperBound else { return nil }
        var index = start
        var depth = 0
        repeat {
            guard index < body.upperBound else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < body.upperBound, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < body.upperBound else { return nil }
                index += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return nil }
                depth -= 1
                index += 1
            default:
                guard depth > 0 else {
                    // A number, true, false or null: up to the next delimiter. A quote or an
                    // opening bracket in it is malformed JSON, which inside an object or array
                    // would be read as the start of a string or a value, so that two readings of
                    // the same bytes could differ.
                    while index < body.upperBound, !Self.isSpace(bytes[index]),
                        ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index])
                    {
                        guard ![UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "[")].contains(bytes[index])
                        else { return nil }
                        index += 1
                    }
                    return index > start ? index : nil
                }
                index += 1
            }
        } while depth > 0
        return index
    }

    /// The values of the object at `start`, by key; nil where a key has an escape (`"r\u0065ps"`
    /// is `reps` to a decoder, and two spellings of one key would be two keys here).
    func members(ofObjectAt start: Int) -> [String: Range<Int>]? {
        guard start < body.upperBound, bytes[start] == UInt8(ascii: "{") else { return nil }
        var members: [String: Range<Int>] = [:]
        var index = skipSpace(start + 1)
        if index < body.upperBound, bytes[index] == UInt8(ascii: "}") { return members }
        while true {
            guard index < body.upperBound, bytes[index] == UInt8(ascii: "\""), let keyEnd = end(ofValueAt: index)
            else { return nil }
            let keyBytes = bytes[(index + 1)..<(keyEnd - 1)]
            guard !keyBytes.contains(UInt8(ascii: "\\")) else { return nil }
            let key = String(decoding: keyBytes, as: UTF8.self)
            index = skipSpace(keyEnd)
            guard index < body.upperBound, bytes[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(index + 1)
            guard let valueEnd = end(ofValueAt: valueStart) else { return nil }
            members[key] = valueStart..<valueEnd
            index = skipSpace(valueEnd)
            guard index < body.upperBound else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return members }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipSpace(index + 1)
        }
    }

    /// The most elements `elements(ofArrayAt:)` lists: more than a run has rows
    /// (`Limits.levels`), so that an array of millions of zeros is refused without a range each.
    static let maximumElements = Limits.levels + 1

    /// The ranges of the values of the array at `start`; nil past `maximumElements`.
    func elements(ofArrayAt start: Int) -> [Range<Int>]? {
        guard start < body.upperBound, bytes[start] == UInt8(ascii: "[") else { return nil }
        var elements: [Range<Int>] = []
        var index = skipSpace(start + 1)
        if index < body.upperBound, bytes[index] == UInt8(ascii: "]") { return elements }
        while true {
            guard elements.count < Self.maximumElements, let valueEnd = end(ofValueAt: index) else { return nil }
            elements.append(index..<valueEnd)
            index = skipSpace(valueEnd)
            guard index < body.upperBound else { return nil }
            if bytes[index] == UInt8(ascii: "]") { return elements }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipSpace(index + 1)
        }
    }
}
