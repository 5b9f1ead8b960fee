import Foundation

/// A part of a run: what `run --shard K/N` writes and `merge` reads.
///
/// It carries everything `merge` needs to write what the single run would have written: the
/// command's scenario, rules and strategy options with the texts of the scenario and rules files,
/// the run's options and precision target, the run's fingerprint, and the shard's summary of
/// every round, in a `PartFile`.
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
        var part = RunPart(
            fingerprint: RunFingerprint(value: ""),
            shard: shard,
            run: invocation,
            documents: try documents(files),
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
        try Self.scenario(at: run.scenario, rules: run.rules, rulesAsIs: run.rulesAsIs, documents: documents)
            .keeping(strategies: run.strategies)
    }

    /// The texts of `files`, read now.
    static func documents(_ files: [String]) throws(ScenarioError) -> [Document] {
        let documents = try Documents.reading(files)
        return files.map { Document(path: $0, text: documents.saved?[$0] ?? "") }
    }

    /// The scenario at `path` as the saved `documents` give it.
    static func scenario(
        at path: String,
        rules: String?,
        rulesAsIs: Bool,
        documents: [Document]
    ) throws(ScenarioError) -> Scenario {
        var texts: [String: String] = [:]
        for document in documents { texts[document.path] = document.text }
        return try Scenario.load(path: path, rules: rules, rulesAsIs: rulesAsIs, documents: Documents(saved: texts))
    }

    /// Checks that `parts` are the shards of one run, each once and none missing, and returns
    /// them in shard order.
    ///
    /// - Throws: `ScenarioError` naming the part that differs in fingerprint or number of
    ///   shards, or is given twice, or the shards that are missing.
    package static func shards<Part>(
        _ parts: [(path: String, part: Part)],
        fingerprint: (Part) -> RunFingerprint,
        shard: (Part) -> Shard
    ) throws(ScenarioError) -> [(path: String, part: Part)] {
        guard let (firstPath, first) = parts.first else {
            throw ScenarioError(location: .run, message: "no parts to merge")
        }
        for (path, part) in parts.dropFirst() {
            guard fingerprint(part) == fingerprint(first) else {
                throw ScenarioError(
                    file: path,
                    message:
                        "this part and \(firstPath) come from different runs (fingerprints \(fingerprint(part)) and "
                        + "\(fingerprint(first))): another scenario, rule set, --strategy, metric, trials, seed, "
                        + "generator, precision or senderscore; merge the parts of one run"
                )
            }
            guard shard(part).count == shard(first).count else {
                throw ScenarioError(
                    file: path,
                    message: "this part is shard \(shard(part)) and \(firstPath) is shard \(shard(first)): the parts "
                        + "of one run are all cut into the same number of shards"
                )
            }
        }
        let count = shard(first).count
        var given = [(path: String, part: Part)?](repeating: nil, count: count)
        for (path, part) in parts {
            if let other = given[shard(part).index - 1] {
                throw ScenarioError(
                    file: path,
                    message: "shard \(shard(part)) is given twice: here and in \(other.path); give each part once"
                )
            }
            given[shard(part).index - 1] = (path, part)
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
        return given.compactMap { $0 }
    }

    /// The part as its file holds it.
    public func encoded() throws(ScenarioError) -> Data {
        try PartFile.seal(command: "run", self)
    }

    /// Reads the part of a run at `path`.
    ///
    /// - Throws: `ScenarioError` naming the file as `PartFile.open` does, and when it is a part
    ///   of another command.
    public static func read(path: String) throws(ScenarioError) -> RunPart {
        try PartFile.open(path: path).decode(RunPart.self, command: "run")
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
        let parts = try shards(parts, fingerprint: \.fingerprint, shard: \.shard)
        let (firstPath, first) = parts[0]
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
