import Foundation

/// A part of a run: what `run --shard K/N` writes and `merge` reads.
///
/// It carries everything `merge` needs to write what the single run would have written: the
/// command's scenario, rules and strategy options with the texts of the scenario and rules files,
/// the run's options and precision target, the run's fingerprint, and the shard's summary of
/// every round. On disk it is one line of JSON,
///
///     {"format":"senderscore part","formatVersion":3,"tool":"senderscore 0.1.0","part":{…},"checksum":"fnv1a128:…"}
///
/// where the checksum is the FNV-1a 128-bit hash of every byte before `,"checksum"`: a part cut
/// short or changed by hand is refused. Like the fingerprint, it catches accidents, not forgery.
public struct RunPart: Sendable, Codable {
    /// The command line that made the part, as far as it decides the result.
    public struct Invocation: Sendable, Hashable, Codable {
        /// The scenario's path as given.
        public var scenario: String
        /// `--rules`, when given.
        public var rules: String?
        public var rulesAsIs: Bool
        /// `--strategy`: the strategies shown (all when empty).
        public var strategies: [String]
        /// Trials (the first round's, to a precision), seed and generator.
        public var options: SimulationOptions
        public var precision: PrecisionTarget?

        public init(
            scenario: String,
            rules: String?,
            rulesAsIs: Bool,
            strategies: [String],
            options: SimulationOptions,
            precision: PrecisionTarget?
        ) {
            self.scenario = scenario
            self.rules = rules
            self.rulesAsIs = rulesAsIs
            self.strategies = strategies
            self.options = options
            self.precision = precision
        }

        /// The options of the whole run: `maxTrials` trials to a precision.
        public var runOptions: SimulationOptions { precision?.options(options) ?? options }
    }

    /// The text of a file the scenario was read from.
    public struct Document: Sendable, Hashable, Codable {
        public var path: String
        public var text: String
    }

    public var fingerprint: RunFingerprint
    public var shard: Shard
    public var run: Invocation
    /// The scenario's file, then its rules file when it has one.
    public var documents: [Document]
    /// The shard's summary of each round of the run (one without a precision target).
    public var rounds: [SimulationSummary]

    /// Runs `shard` of `run` and returns its part. The texts of `files` (the scenario's, as
    /// `Scenario.files` lists them) are read once, and the scenario rebuilt from them is the one
    /// that runs, as merge rebuilds it.
    ///
    /// - Throws: `ScenarioError` from reading the files and from `Simulation.runShard`.
    public static func run(
        _ run: Invocation,
        files: [String],
        shard: Shard,
        threads: Int,
        progress: Simulation.Progress? = nil
    ) async throws(ScenarioError) -> RunPart {
        var invocation = run
        invocation.options.threads = 1  // never part of a run's identity
        let documents = try Documents.reading(files)
        var part = RunPart(
            fingerprint: RunFingerprint(value: ""),
            shard: shard,
            run: invocation,
            documents: files.map { Document(path: $0, text: documents.saved?[$0] ?? "") },
            rounds: []
        )
        let plan = SimulationPlan(try part.scenario())
        part.fingerprint = RunFingerprint(plan: plan, options: invocation.runOptions, precision: invocation.precision)
        var options = invocation.options
        options.threads = threads
        part.rounds = try await Simulation.runShard(
            plan,
            options: options,
            precision: invocation.precision,
            shard: shard,
            progress: progress
        )
        return part
    }

    /// The scenario, rebuilt from the saved texts as `run` read it.
    ///
    /// - Throws: the reader's `ScenarioError`s (the texts were changed).
    public func scenario() throws(ScenarioError) -> Scenario {
        var texts: [String: String] = [:]
        for document in documents { texts[document.path] = document.text }
        return try Scenario.load(
            path: run.scenario,
            rules: run.rules,
            rulesAsIs: run.rulesAsIs,
            documents: Documents(saved: texts)
        )
        .keeping(strategies: run.strategies)
    }

    static let kind = "senderscore part"
    static let tool = "senderscore \(RunFingerprint.toolVersion)"
    static let prefix = "{\"format\":\"\(kind)\",\"formatVersion\":"
    static let checksumKey = ",\"checksum\":\"fnv1a128:"

    /// The part as its file holds it.
    public func encoded() throws(ScenarioError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body: Data
        do {
            body = try encoder.encode(self)
        } catch {
            throw ScenarioError(location: .run, message: "the part cannot be written: \(error)")
        }
        var bytes = Array("\(Self.prefix)\(RunFingerprint.formatVersion),\"tool\":\"\(Self.tool)\",\"part\":".utf8)
        bytes += JSONOutput.escapingUnsafe(String(decoding: body, as: UTF8.self)).utf8
        let checksum = RunFingerprint.hexadecimal(RunFingerprint.hash(bytes))
        bytes += Self.checksumKey.utf8
        bytes += checksum.utf8
        bytes += "\"}\n".utf8
        return Data(bytes)
    }

    private struct File: Decodable {
        var format: String
        var formatVersion: Int
        var tool: String
        var part: RunPart
        var checksum: String
    }

    /// Reads the part at `path`.
    ///
    /// - Throws: `ScenarioError` naming the file when it cannot be read, is no part, comes from
    ///   another format version or senderscore, is cut short, or was changed.
    public static func read(path: String) throws(ScenarioError) -> RunPart {
        let bytes = Array(try InputFile.read(path, limit: Limits.partBytes))
        func refuse(_ message: String) -> ScenarioError { ScenarioError(file: path, message: message, code: .syntax) }
        let prefix = Array(Self.prefix.utf8)
        guard bytes.starts(with: prefix) else {
            throw refuse(
                "not a part of a run: `senderscore run --shard K/N --output PART` writes the parts that merge reads"
            )
        }
        let digits = bytes[prefix.count...].prefix { (0x30...0x39).contains($0) }
        guard let version = Int(String(decoding: digits.prefix(9), as: UTF8.self)),
            version == RunFingerprint.formatVersion
        else {
            throw refuse(
                "a part in format version \(String(decoding: digits.prefix(9), as: UTF8.self)); \(Self.tool) reads "
                    + "version \(RunFingerprint.formatVersion): merge with the senderscore that ran the shards, or run them again"
            )
        }
        // The end: ,"checksum":"fnv1a128:<32 hexadecimal digits>"} and a line break.
        let key = Array(Self.checksumKey.utf8)
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        let tail = key.count + 32 + 2
        let hexadecimal = end >= tail ? String(decoding: bytes[(end - 34)..<(end - 2)], as: UTF8.self) : ""
        guard end >= prefix.count + tail, bytes[(end - tail)..<(end - 34)].elementsEqual(key),
            bytes[(end - 2)..<end].elementsEqual("\"}".utf8), UInt128(hexadecimal, radix: 16) != nil
        else {
            throw refuse(
                "the part is cut short: it does not end with its checksum (was it copied before its shard finished?)"
            )
        }
        guard RunFingerprint.hexadecimal(RunFingerprint.hash(Array(bytes[..<(end - tail)]))) == hexadecimal else {
            throw refuse(
                "the part's checksum does not match its content: the file was changed after `run --shard` wrote it"
            )
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch {
            throw refuse("not a valid part of a run (\(JSONOutput.describe(error)))")
        }
        guard file.tool == Self.tool else {
            throw refuse(
                "written by \(file.tool); this is \(Self.tool): merge with the senderscore that ran the shards, or run them again"
            )
        }
        return file.part
    }
}

extension RunPart {
    /// The scenario and result of the run that `parts` (each with its file's path) are the
    /// shards of, exactly as the single run computes them.
    ///
    /// - Throws: `ScenarioError` when the parts come from different runs, a shard is given twice
    ///   or is missing, or a part does not hold what its shard computes.
    public static func merge(
        _ parts: [(path: String, part: RunPart)]
    ) async throws(ScenarioError) -> (
        scenario: Scenario, result: SimulationResult
    ) {
        guard let (firstPath, first) = parts.first else {
            throw ScenarioError(location: .run, message: "no parts to merge")
        }
        for (path, part) in parts.dropFirst() {
            guard part.fingerprint == first.fingerprint else {
                throw ScenarioError(
                    file: path,
                    message:
                        "this part and \(firstPath) come from different runs (fingerprints \(part.fingerprint) and "
                        + "\(first.fingerprint)): another scenario, rule set, --strategy, trials, seed, generator, "
                        + "precision or senderscore; merge the parts of one run"
                )
            }
            guard part.shard.count == first.shard.count else {
                throw ScenarioError(
                    file: path,
                    message: "this part is shard \(part.shard) and \(firstPath) is shard \(first.shard): the parts of "
                        + "one run are all cut into the same number of shards"
                )
            }
        }
        let count = first.shard.count
        var given = [String?](repeating: nil, count: count)
        for (path, part) in parts {
            if let other = given[part.shard.index - 1] {
                throw ScenarioError(
                    file: path,
                    message: "shard \(part.shard) is given twice: here and in \(other); give each part once"
                )
            }
            given[part.shard.index - 1] = path
        }
        let missing = given.indices.filter { given[$0] == nil }.map { "\($0 + 1)/\(count)" }
        guard missing.isEmpty else {
            let list =
                missing.count > 5
                ? missing.prefix(5).joined(separator: ", ") + " and \(missing.count - 5) more"
                : missing.joined(separator: ", ")
            throw ScenarioError(
                location: .run,
                message: "shard\(missing.count == 1 ? "" : "s") \(list) \(missing.count == 1 ? "is" : "are") missing: "
                    + "merge needs all \(count) parts of the run"
            )
        }
        // Rebuild the run from the first part and check that every part is a shard of it.
        let scenario: Scenario
        do {
            scenario = try first.scenario()
        } catch {
            throw ScenarioError(
                file: firstPath,
                message: "the scenario the part carries no longer reads: \(error.description)"
            )
        }
        let plan = SimulationPlan(scenario)
        let options = first.run.runOptions
        try options.check(for: plan)
        let fingerprint = RunFingerprint(plan: plan, options: options, precision: first.run.precision)
        let rounds = Simulation.rounds(options: options, precision: first.run.precision)
        var merged = rounds.map { _ in SimulationSummary(plan: plan) }
        for (path, part) in parts {
            guard part.fingerprint == fingerprint, part.run == first.run, part.documents == first.documents else {
                throw ScenarioError(
                    file: path,
                    message: "the part's scenario and options do not give its fingerprint: it was changed, or "
                        + "written by another build of senderscore"
                )
            }
            guard part.rounds.count == rounds.count else {
                throw ScenarioError(
                    file: path,
                    message: "the part holds \(part.rounds.count) rounds of trials; the run has \(rounds.count)"
                )
            }
            for (index, round) in rounds.enumerated() {
                let summary = part.rounds[index]
                let expected = part.shard.blocks(of: round)
                do throws(ScenarioError) {
                    try summary.check(fits: plan, options: options)
                    guard summary.blocks == (expected.isEmpty ? [] : [expected]) else {
                        throw ScenarioError(
                            location: .run,
                            message: "it holds blocks \(summary.blocks.map { "\($0.lowerBound)..<\($0.upperBound)" }) "
                                + "where shard \(part.shard) has \(expected.lowerBound)..<\(expected.upperBound)"
                        )
                    }
                    try merged[index].merge(summary)
                } catch {
                    throw ScenarioError(file: path, message: "the part does not fit its run: \(error.message)")
                }
            }
        }
        let result = try await Simulation.result(
            plan,
            options: first.run.options,
            precision: first.run.precision,
            rounds: merged
        )
        return (scenario, result)
    }
}
