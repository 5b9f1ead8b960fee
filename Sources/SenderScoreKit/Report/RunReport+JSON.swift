import Foundation

extension RunReport {
    /// The JSON format: pretty-printed with sorted keys, so equal reports give equal bytes.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public init(json: Data) throws {
        self = try JSONDecoder().decode(RunReport.self, from: json)
    }
}
