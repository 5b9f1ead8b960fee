import Foundation

/// The JSON format of every command: pretty-printed with sorted keys, so equal results are equal bytes.
package enum JSONOutput {
    package static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
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
