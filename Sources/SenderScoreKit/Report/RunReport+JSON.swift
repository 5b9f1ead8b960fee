import Foundation

/// The JSON format of every command: pretty-printed with sorted keys, so equal results are equal bytes.
public enum JSONOutput {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

extension RunReport {
    public func json() throws -> String {
        try JSONOutput.encode(self)
    }

    public init(json: Data) throws {
        self = try JSONDecoder().decode(RunReport.self, from: json)
    }
}
