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

        /// The scenario as `documents` give it, with the strategies shown.
        func scenario(_ documents: [Document]) throws(ScenarioError) -> Scenario {
            try RunPart.scenario(at: scenario, rules: rules, rulesAsIs: rulesAsIs, documents: documents)
                .keeping(strategies: strategies)
        }
    }

    /// The text of a file the scenario was read from.
    public struct Document: Sendable, Hashable, Codable {
        public var path: String
        public var text: String

        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    public var fingerprint: RunFingerprint
    public var shard: Shard
    public var run: Invocation
    /// The scenario's file, then its rules file when it has one.
    public var documents: [Document]
    /// The shard's summary of each round of the run (one without a precision target); nil for
    /// a round in which the shard has no blocks, so that many shards of a short round cost
    /// nothing.
    public var rounds: [SimulationSummary?]

    /// Runs `shard` of `run` and returns its part. `documents` are the texts the scenario was
    /// read from (`documents(recorded:)`); the scenario rebuilt from them is the one that runs,
    /// as merge rebuilds it.
    ///
    /// - Throws: `ScenarioError` from rebuilding the scenario and from `Simulation.runShard`.
    public static func run(
        _ run: Invocation,
        documents: [Document],
        shard: Shard,
        threads: Int,
        progress: Simulation.Progress? = nil
    ) async throws(ScenarioError) -> RunPart {
        var invocation = run
        invocation.options.threads = 1  // never part of a run's identity
        let plan = SimulationPlan(try invocation.scenario(documents))
        var options = invocation.options
        options.threads = threads
        let rounds = try await Simulation.runShard(
            plan,
            options: options,
            precision: invocation.precision,
            shard: shard,
            progress: progress
        )
        return RunPart(
            fingerprint: RunFingerprint(plan: plan, options: invocation.runOptions, precision: invocation.precision),
            shard: shard,
            run: invocation,
            documents: documents,
            rounds: rounds.map { $0.blocks.isEmpty ? nil : $0 }
        )
    }

    /// The scenario, rebuilt from the saved texts as `run` read it.
    ///
    /// - Throws: the reader's `ScenarioError`s (the texts were changed).
    public func scenario() throws(ScenarioError) -> Scenario {
        try run.scenario(documents)
    }

    /// What differs between two parts of one fingerprint that would change the report, or nil.
    static func difference(_ part: RunPart, _ first: RunPart) -> String? {
        let (a, b) = (part.run, first.run)
        if a.scenario != b.scenario {
            return
                "the scenario is \(Format.quoted(a.scenario)) here and \(Format.quoted(b.scenario)) there, and the report names it"
        }
        if a.strategies != b.strategies {
            func list(_ names: [String]) -> String { names.isEmpty ? "every strategy" : names.joined(separator: ", ") }
            return "--strategy shows \(list(a.strategies)) here and \(list(b.strategies)) there"
        }
        if a.rules != b.rules || a.rulesAsIs != b.rulesAsIs {
            return
                "--rules\(a.rulesAsIs != b.rulesAsIs ? " or --rules-as-is" : "") differs, and the report names the rule set"
        }
        if part.documents.map(\.path) != first.documents.map(\.path) {
            return
                "the rules file is \(part.documents.dropFirst().first.map { Format.quoted($0.path) } ?? "none") here and "
                + "\(first.documents.dropFirst().first.map { Format.quoted($0.path) } ?? "none") there"
        }
        if part.documents != first.documents {
            return
                "the scenario's or rules file's text differs (comments, names or layout), and the report shows its names"
        }
        if a != b { return "the trials, seed, generator or precision are written differently" }
        return nil
    }

    /// The texts a recording read, each path once (the first reading).
    public static func documents(recorded documents: Documents) -> [Document] {
        var seen: Set<String> = []
        return documents.recorded.compactMap {
            seen.insert($0.path).inserted ? Document(path: $0.path, text: $0.text) : nil
        }
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
    /// - Throws: `ScenarioError` as `ShardSet` does.
    package static func shards<Part>(
        _ parts: [(path: String, part: Part)],
        fingerprint: (Part) -> RunFingerprint,
        shard: (Part) -> Shard
    ) throws(ScenarioError) -> [(path: String, part: Part)] {
        guard let (firstPath, first) = parts.first else {
            throw ScenarioError(location: .run, message: "no parts to merge")
        }
        var set = ShardSet(path: firstPath, fingerprint: fingerprint(first), shard: shard(first))
        var ordered = [(path: String, part: Part)?](repeating: nil, count: shard(first).count)
        for (path, part) in parts {
            try set.add(path: path, fingerprint: fingerprint(part), shard: shard(part))
            ordered[shard(part).index - 1] = (path, part)
        }
        try set.checkComplete()
        return ordered.compactMap { $0 }
    }

    /// The part as its file holds it.
    public func encoded() throws(ScenarioError) -> Data {
        var bytes: [UInt8] = []
        try write { bytes += $0 }
        return Data(bytes)
    }

    /// Writes the part as its file holds it through `write`, in pieces of about 64 KB, each level
    /// summary encoded on its own (`PartFile.seal`).
    public func write(to write: ([UInt8]) throws(ScenarioError) -> Void) throws(ScenarioError) {
        try PartFile.seal(command: "run", self, summaries: rounds.compactMap { $0 }, to: write)
    }

    /// Reads the part of a run at `path`.
    ///
    /// - Throws: `ScenarioError` naming the file as `PartFile.open` does, and when it is a part
    ///   of another command.
    public static func read(path: String) throws(ScenarioError) -> RunPart {
        try PartFile.open(path: path).decodeRun()
    }
}

/// The shards given so far of one run: each must have the first one's fingerprint and number of
/// shards, and come once; `checkComplete` then asks for the missing ones.
package struct ShardSet {
    let firstPath: String
    let fingerprint: RunFingerprint
    let first: Shard
    private var given: [String?]

    package init(path: String, fingerprint: RunFingerprint, shard: Shard) {
        firstPath = path
        self.fingerprint = fingerprint
        first = shard
        given = Array(repeating: nil, count: shard.count)
    }

    /// Adds the part at `path`.
    ///
    /// - Throws: `ScenarioError` naming the file when its fingerprint or number of shards differs
    ///   from the first part's, or its shard was given already.
    package mutating func add(path: String, fingerprint: RunFingerprint, shard: Shard) throws(ScenarioError) {
        guard fingerprint == self.fingerprint else {
            throw ScenarioError(
                file: path,
                message: "this part and \(firstPath) come from different runs (fingerprints \(fingerprint) and "
                    + "\(self.fingerprint)): another scenario, rule set, --strategy, metric, trials, seed, "
                    + "generator, precision or senderscore; merge the parts of one run"
            )
        }
        guard shard.count == first.count else {
            throw ScenarioError(
                file: path,
                message: "this part is shard \(shard) and \(firstPath) is shard \(first): the parts "
                    + "of one run are all cut into the same number of shards"
            )
        }
        if let other = given[shard.index - 1] {
            throw ScenarioError(
                file: path,
                message: "shard \(shard) is given twice: here and in \(other); give each part once"
            )
        }
        given[shard.index - 1] = path
    }

    /// - Throws: `ScenarioError` naming the shards that are missing.
    package func checkComplete() throws(ScenarioError) {
        let count = first.count
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
    ) async throws(ScenarioError) -> (scenario: Scenario, result: SimulationResult) {
        guard let (path, first) = parts.first else {
            throw ScenarioError(location: .run, message: "no parts to merge")
        }
        var merger = try Merger(path: path, first)
        for (path, part) in parts.dropFirst() { try merger.add(path: path, part) }
        return try await merger.result()
    }

    /// Merges parts one at a time, so that memory holds one part and the run's summaries however
    /// many shards there are.
    public struct Merger {
        let scenario: Scenario
        let plan: SimulationPlan
        let first: RunPart
        let fingerprint: RunFingerprint
        let options: SimulationOptions
        let rounds: [Range<Int>]
        var merged: [SimulationSummary]
        var shards: ShardSet

        /// Starts with the first part, from which the run is rebuilt.
        ///
        /// - Throws: `ScenarioError` when its scenario no longer reads or it does not fit its run.
        public init(path: String, _ first: RunPart) throws(ScenarioError) {
            do {
                scenario = try first.scenario()
            } catch {
                throw ScenarioError(
                    file: path,
                    message: "the scenario the part carries no longer reads: \(error.description)"
                )
            }
            options = first.run.runOptions
            let plan = SimulationPlan(scenario).estimating(with: options)
            self.plan = plan
            self.first = first
            try options.checkRun(for: plan)
            fingerprint = RunFingerprint(plan: plan, options: options, precision: first.run.precision)
            rounds = Simulation.rounds(options: options, precision: first.run.precision)
            merged = rounds.map { _ in SimulationSummary(plan: plan) }
            shards = ShardSet(path: path, fingerprint: first.fingerprint, shard: first.shard)
            try add(path: path, first)
        }

        /// Adds a part.
        ///
        /// - Throws: `ScenarioError` naming the file when it is not a shard of this run, was
        ///   given already, or does not hold what its shard computes.
        public mutating func add(path: String, _ part: RunPart) throws(ScenarioError) {
            try shards.add(path: path, fingerprint: part.fingerprint, shard: part.shard)
            if let difference = RunPart.difference(part, first) {
                throw ScenarioError(
                    file: path,
                    message:
                        "this part and \(shards.firstPath) are shards of one run given differently: \(difference); "
                        + "run every shard with the same command line"
                )
            }
            guard part.fingerprint == fingerprint else {
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
                let expected = part.shard.blocks(of: round)
                do throws(ScenarioError) {
                    guard let summary = part.rounds[index] else {
                        guard expected.isEmpty else {
                            throw ScenarioError(
                                location: .run,
                                message: "it holds no blocks where shard \(part.shard) has "
                                    + "\(expected.lowerBound)..<\(expected.upperBound)"
                            )
                        }
                        continue
                    }
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

        /// The scenario and the result, once every shard is in.
        ///
        /// - Throws: `ScenarioError` naming the shards that are missing.
        public func result() async throws(ScenarioError) -> (scenario: Scenario, result: SimulationResult) {
            try shards.checkComplete()
            let result = try await Simulation.result(
                plan,
                options: first.run.options,
                precision: first.run.precision,
                rounds: merged
            )
            return (scenario, result)
        }
    }
}
