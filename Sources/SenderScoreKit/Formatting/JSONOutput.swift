import Foundation

/// The JSON format of every command: pretty-printed with sorted keys, so equal results are equal bytes.
package enum JSONOutput {
    package static func encode(_ value: some Encodable) throws -> String {
        try encode(value, with: encoder()) + "\n"
    }

    /// The encoder of the JSON format.
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as `encode` writes it, without the final line break: with `encoder()`, at the
    /// top level; a value nested `depth` levels deep in a document is this with every line but
    /// the first indented by 2 × `depth` spaces more.
    package static func encode(_ value: some Encodable, with encoder: JSONEncoder) throws -> String {
        escapingUnsafe(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A decoding error in a few words, with the key path it is at.
    package static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "at \(Format.quoted(path)): ") + context.debugDescription
        default:
            return "\(error)"
        }
    }

    /// `json` with the characters that `Format.isUnsafe` names written as `\uXXXX` escapes:
    /// JSONEncoder escapes C0 controls but writes C1 controls and bidirectional controls as
    /// they are, which a terminal or an editor would act on. They can only stand inside strings,
    /// where the escape reads back as the same text; the line breaks of pretty printing stay.
    static func escapingUnsafe(_ json: String) -> String {
        // Most JSON is printable ASCII and line breaks, which a pass over the bytes tells.
        let isPrintableASCII = json.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte >= 0x7F || (byte < 0x20 && byte != 0x0A) { return false }
            return true
        }
        guard isPrintableASCII != true else { return json }
        guard json.unicodeScalars.contains(where: { $0 != "\n" && Format.isUnsafe($0) }) else { return json }
        var result = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if scalar != "\n", Format.isUnsafe(scalar) {
                result.append(contentsOf: Format.c("\\u%04X", scalar.value).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

extension Encoder {
    /// Writes each value under its key, and null for a missing one: synthesised `Encodable`
    /// leaves such keys out, and readers of the JSON formats should not have to test for keys.
    func encodeKeepingNulls<Key: CodingKey & Hashable>(_ values: [Key: Double?]) throws {
        var container = container(keyedBy: Key.self)
        for (key, value) in values {
            try container.encode(value, forKey: key)
        }
    }
}
