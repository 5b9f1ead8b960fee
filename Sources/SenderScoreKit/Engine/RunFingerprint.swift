import Foundation

/// What produced a result: the scenario's content with its rule set, the options that decide
/// the numbers (trials, seed, generator, a precision target), the block size, the version of the
/// tool and of the engine's sampling, and the format version of saved summaries. Parts of one run (block ranges) share it; a change
/// to any of these changes it.
///
/// The scenario counts as its parsed content, so neither comments and layout in its files nor
/// where the files are count, nor the names of the scenario and its rule set (labels, which
/// default to the file's name); nor the file's own `trials`, `seed` and `generator`, which
/// count through the options. The value is a 128-bit FNV-1a hash: enough to tell runs
/// apart, not a defence against forgery.
public struct RunFingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// "fnv1a128:" and 32 hexadecimal digits.
    public let value: String

    /// The version of the saved summaries' layout; a change to it makes older parts unmergeable.
    public static let formatVersion = 3

    /// The version of the numbers the engine draws for a seed. Raise it with every change that
    /// changes them on purpose (the golden outputs show such changes), so that parts drawn by
    /// different versions of the engine never merge.
    public static let samplingVersion = 3

    /// The version of senderscore (`senderscore --version`).
    public static let toolVersion = "0.1.0"

    /// The fingerprint of a run of `plan` with `options`, to `precision` when given (`options`
    /// then has its `maxTrials`).
    /// `extra` lines describe what else decides the result (a sensitivity analysis's metric).
    public init(
        plan: SimulationPlan,
        options: SimulationOptions,
        precision: PrecisionTarget? = nil,
        extra: [String] = []
    ) {
        var lines = [
            "senderscore summary format \(Self.formatVersion)",
            "senderscore \(Self.toolVersion)",
            "sampling version \(Self.samplingVersion)",
            "block size \(Simulation.blockSize)",
            "trials \(options.trials)",
            "seed \(options.seed)",
            "generator \(options.generator.rawValue)",
            "scenario \(plan.contentDigest)",
        ]
        if options.bandEstimator != .counts { lines.append("band estimator \(options.bandEstimator.rawValue)") }
        if let precision {
            lines.append("precision \(precision.standardError) from \(precision.firstTrials) to \(precision.maxTrials)")
        }
        let text = (lines + extra).joined(separator: "\n")
        value = "fnv1a128:" + Self.hexadecimal(Self.hash(Array(text.utf8)))
    }

    public var description: String { value }

    /// The digest of a scenario's content, for `SimulationPlan.contentDigest`.
    static func digest(of scenario: Scenario) -> String {
        let content = content(of: scenario)
        let encoder = contentEncoder()
        if let value = hashRepsApart(content, with: encoder) { return hexadecimal(value) }
        // Every part of a scenario encodes; a failure would be a programming error.
        let bytes = (try? encoder.encode(content)).map { Array($0) } ?? Array("\(content)".utf8)
        return hexadecimal(hash(bytes))
    }

    /// What of a scenario decides the numbers: without where the files are or what the options
    /// override.
    static func content(of scenario: Scenario) -> Scenario {
        var content = scenario
        content.name = ""
        content.file = ""
        content.plan = nil
        content.trials = nil
        content.seed = nil
        content.generator = nil
        content.rules.name = ""
        content.rules.origin = ""
        content.rules.note = nil
        content.rules.file = nil
        content.rules.irregularities = content.rules.irregularities.map {
            ScenarioError(location: .run, keyPath: $0.keyPath, message: $0.message)
        }
        return content
    }

    /// The encoder whose bytes of a scenario's content are hashed: compact, keys sorted.
    static func contentEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf",
            negativeInfinity: "-inf",
            nan: "nan"
        )
        return encoder
    }

    /// The hash of `content` as `encoder` writes it, with each rep encoded on its own: the same
    /// bytes, hashed as they come, so that a large team's scenario is never one encoded tree in
    /// memory (Foundation's encoder holds many times the text: 100 MB for 10,000 reps of three
    /// sequences). Nil where the scenario does not encode or its reps cannot be found.
    static func hashRepsApart(_ content: Scenario, with encoder: JSONEncoder) -> UInt128? {
        var outline = content
        outline.reps = []
        guard let bytes = try? Array(encoder.encode(outline)), let spans = JSONSpans(document: bytes),
            let place = spans.members(ofObjectAt: spans.body.lowerBound)?["reps"],
            bytes[place] == Array("[]".utf8)[...]
        else { return nil }
        var value = hash(bytes[..<place.lowerBound], from: hashStart)
        for (index, rep) in content.reps.enumerated() {
            value = hash(index == 0 ? Array("[".utf8) : Array(",".utf8), from: value)
            guard let encoded = try? encoder.encode(rep) else { return nil }
            value = hash(encoded, from: value)
        }
        return hash(Array((content.reps.isEmpty ? "[]" : "]").utf8) + bytes[place.upperBound...], from: value)
    }

    /// FNV-1a with the 128-bit prime and offset basis.
    static func hash(_ bytes: [UInt8]) -> UInt128 {
        hash(bytes, from: hashStart)
    }

    /// FNV-1a's 128-bit offset basis: the hash of no bytes.
    static let hashStart: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    /// The hash of what `value` is the hash of, followed by `bytes`.
    static func hash(_ bytes: some Sequence<UInt8>, from value: UInt128) -> UInt128 {
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013B
        var value = value
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
