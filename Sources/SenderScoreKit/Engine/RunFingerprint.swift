import Foundation

/// What produced a result: the scenario's content with its rule set, the options that decide
/// the numbers (trials, seed, generator), the block size and the format version of saved
/// summaries. Parts of one run (block ranges) share it; a change to any of these changes it.
///
/// The scenario counts as its parsed content, so comments and layout in its file do not, nor
/// does where the file is. The value is a 128-bit FNV-1a hash: enough to tell runs apart, not a
/// defence against forgery.
public struct RunFingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// "fnv1a128:" and 32 hexadecimal digits.
    public let value: String

    /// The version of the saved summaries' layout; a change to it makes older parts unmergeable.
    public static let formatVersion = 1

    public init(plan: SimulationPlan, options: SimulationOptions) {
        let text = [
            "senderscore summary format \(Self.formatVersion)",
            "block size \(Simulation.blockSize)",
            "trials \(options.trials)",
            "seed \(options.seed)",
            "generator \(options.generator.rawValue)",
            "scenario \(plan.contentDigest)",
        ].joined(separator: "\n")
        value = "fnv1a128:" + Self.hexadecimal(Self.hash(Array(text.utf8)))
    }

    public var description: String { value }

    /// The digest of a scenario's content, for `SimulationPlan.contentDigest`.
    static func digest(of scenario: Scenario) -> String {
        var content = scenario
        content.file = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf",
            negativeInfinity: "-inf",
            nan: "nan"
        )
        // Every part of a scenario encodes; a failure would be a programming error.
        let bytes = (try? encoder.encode(content)).map { Array($0) } ?? Array("\(content)".utf8)
        return hexadecimal(hash(bytes))
    }

    /// FNV-1a with the 128-bit prime and offset basis.
    static func hash(_ bytes: [UInt8]) -> UInt128 {
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013B
        var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
        for byte in bytes {
            value ^= UInt128(byte)
            value &*= prime
        }
        return value
    }

    static func hexadecimal(_ value: UInt128) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 32 - digits.count) + digits
    }
}
