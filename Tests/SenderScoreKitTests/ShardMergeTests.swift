import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// `run --shard K/N` and `merge`: the parts of a run, merged, give the single run's output byte
/// for byte in every format; merge refuses what is not the parts of one run; `--precision` stops
/// alike for any threads and shards.
@Suite struct ShardMergeTests {
    /// A scenario with a rules file of its own (the part carries both texts) and steps.
    static let rulesScenario = """
        name: own rules
        trials: 2500
        seed: 11
        rules: strict-rules.yaml
        segments:
          core: {bounce: 0.02, reply: {beta: {mean: 0.09, sd: 0.02}}, unsubscribe: 0.01}
        sequences:
          outbound:
            steps:
              - {name: intro, replyShare: 0.6, unsubscribeShare: 0.5}
              - {name: bump, replyShare: 0.4, unsubscribeShare: 0.5}
        interventions:
          tokens: {kind: personalization, replyLift: {triangular: [1.05, 1.2, 1.5]}, coverage: 0.8}
        strategies:
          - {name: personalize, apply: [tokens]}
        reps:
          - name: ana
            enrollments: [{sequence: outbound, completed: 180, audience: {core: 1.0}}]
          - name: ben
            enrollments: [{sequence: outbound, completed: {poisson: 120}, audience: {core: 1.0}}]
        """

    static func rulesScenarioPath() throws -> String {
        let folder = try TestSupport.temporaryDirectory()
        try FileManager.default.copyItem(
            atPath: TestSupport.path("Tests/Fixtures/strict-rules.yaml"),
            toPath: folder.appendingPathComponent("strict-rules.yaml").path
        )
        let path = folder.appendingPathComponent("own-rules.yaml").path
        try rulesScenario.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func invocation(
        _ path: String,
        trials: Int = 2500,
        seed: UInt64 = 3,
        strategies: [String] = [],
        precision: PrecisionTarget? = nil
    ) -> RunPart.Invocation {
        RunPart.Invocation(
            scenario: path,
            rules: nil,
            rulesAsIs: false,
            strategies: strategies,
            options: SimulationOptions(trials: trials, seed: seed, threads: 1),
            precision: precision
        )
    }

    /// The texts the scenario at `path` is read from, recorded as the command records them.
    static func recorded(_ path: String) throws -> [RunPart.Document] {
        let read = Documents.recording()
        _ = try Scenario.load(path: path, documents: read)
        return RunPart.documents(recorded: read)
    }

    /// The parts of `run` cut into `count` shards, written to files and read back, in a
    /// scrambled order.
    static func parts(
        _ run: RunPart.Invocation,
        count: Int,
        threads: Int = 2
    ) async throws -> [(
        path: String, part: RunPart
    )] {
        let folder = try TestSupport.temporaryDirectory()
        let documents = try Self.recorded(run.scenario)
        var parts: [(path: String, part: RunPart)] = []
        for index in (1...count).reversed() {
            let part = try await RunPart.run(
                run,
                documents: documents,
                shard: try Shard(index, of: count),
                threads: threads
            )
            let path = folder.appendingPathComponent("part-\(index).json").path
            let file = try part.encoded()
            // Written a level summary at a time: the same bytes as the part encoded whole.
            #expect(file == (try PartFile.seal(command: "run", part)))
            try file.write(to: URL(fileURLWithPath: path))
            // Read a level summary at a time: what the part decoded whole holds.
            let read = try RunPart.read(path: path)
            let whole = try PartFile.open(path: path).decode(RunPart.self, command: "run")
            #expect(read.rounds == whole.rounds && read.fingerprint == whole.fingerprint)
            parts.append((path, read))
        }
        return parts.count > 2 ? Array(parts[1...] + parts[..<1]) : parts
    }

    /// What `senderscore run` computes for `run` in one process.
    static func single(_ run: RunPart.Invocation, threads: Int = 2) async throws -> (Scenario, SimulationResult) {
        let scenario = try Scenario.load(path: run.scenario).keeping(strategies: run.strategies)
        var options = run.options
        options.threads = threads
        let plan = SimulationPlan(scenario)
        if let precision = run.precision {
            return (scenario, try await Simulation.run(plan, options: options, precision: precision))
        }
        return (scenario, try await Simulation.run(plan, options: options))
    }

    static func renderings(_ scenario: Scenario, _ result: SimulationResult) throws -> [String] {
        let report = RunReport(scenario: scenario, result: result)
        return try ReportFormat.allCases.map { try $0.render(report) }
    }

    @Test(arguments: [
        "Scenarios/baseline.yaml", "Scenarios/combined-plan.yaml", "Scenarios/follow-up-steps.yaml", "own rules",
    ])
    func mergedPartsWriteWhatTheSingleRunWrites(scenario name: String) async throws {
        let path = name == "own rules" ? try Self.rulesScenarioPath() : TestSupport.path(name)
        // Three blocks, the last of one trial, so that 7 shards leave some empty; fewer for the
        // slower scenarios (the debug build runs them at some hundred trials a second).
        let run = Self.invocation(
            path,
            trials: name.hasSuffix("plan.yaml") || name.hasSuffix("steps.yaml") ? 1001 : 2001
        )
        let (scenario, result) = try await Self.single(run)
        let expected = try Self.renderings(scenario, result)
        for count in [1, 2, 3, 7] {
            let parts = try await Self.parts(run, count: count)
            let (merged, mergedResult) = try await RunPart.merge(parts)
            #expect(mergedResult.isComplete)
            #expect(try Self.renderings(merged, mergedResult) == expected, "\(name), \(count) shards")
        }
    }

    @Test func aSubsetOfStrategiesAndAFileOwnTrialsMergeToo() async throws {
        let run = Self.invocation(
            TestSupport.path("Scenarios/combined-plan.yaml"),
            trials: 1001,
            strategies: ["full plan"]
        )
        let (scenario, result) = try await Self.single(run)
        #expect(scenario.strategies.map(\.name) == ["full plan"])
        let (merged, mergedResult) = try await RunPart.merge(try await Self.parts(run, count: 3))
        #expect(try Self.renderings(merged, mergedResult) == (try Self.renderings(scenario, result)))
    }

    @Test func shardsTileEveryRange() throws {
        for length in [0, 1, 2, 3, 7, 10, 1001] {
            for count in [1, 2, 3, 7, 50] {
                var next = 5
                for index in 1...count {
                    let blocks = try Shard(index, of: count).blocks(of: 5..<5 + length)
                    #expect(blocks.lowerBound == next)
                    next = blocks.upperBound
                }
                #expect(next == 5 + length)
            }
        }
        #expect(throws: ScenarioError.self) { try Shard(parsing: "0/4") }
        #expect(throws: ScenarioError.self) { try Shard(parsing: "5/4") }
        #expect(throws: ScenarioError.self) { try Shard(parsing: "1/0") }
        #expect(throws: ScenarioError.self) { try Shard(parsing: "1/\(Limits.shards + 1)") }
        #expect(throws: ScenarioError.self) { try Shard(parsing: "two/4") }
        #expect(throws: ScenarioError.self) { try Shard(parsing: "1/2/3") }
        #expect(try Shard(parsing: "3/8").description == "3/8")
    }

    // MARK: - Sensitivity

    @Test(arguments: [("reps:Good", nil as String?, false), ("mean-score", "personalize", true)])
    func mergedSensitivityPartsGiveTheSingleAnalysis(metric text: String, strategy: String?, change: Bool) async throws
    {
        let path = try Self.rulesScenarioPath()
        let scenario = try Scenario.load(path: path)
        let documents = try Self.recorded(path)
        let run = Sensitivity.Part.Invocation(
            scenario: path,
            rules: nil,
            rulesAsIs: false,
            metric: text,
            level: change ? "ana" : nil,
            strategy: strategy,
            change: change,
            analyses: Set(Sensitivity.Analysis.allCases),
            resamples: 10,
            options: SimulationOptions(trials: 520, seed: 5, threads: 2)
        )
        let (_, metric) = try run.read(documents)
        let single = try await Sensitivity.analyze(scenario, options: run.options, metric: metric, resamples: 10)
        let expected = try Sensitivity.OutputFormat.allCases.map { try $0.render(single) }
        for count in [1, 2, 3, 7] {
            let folder = try TestSupport.temporaryDirectory()
            var parts: [(path: String, part: Sensitivity.Part)] = []
            for index in (1...count).reversed() {
                let part = try await Sensitivity.Part.run(
                    run,
                    documents: documents,
                    shard: try Shard(index, of: count),
                    threads: 2
                )
                let file = folder.appendingPathComponent("part-\(index).json").path
                try part.encoded().write(to: URL(fileURLWithPath: file))
                parts.append(
                    (file, try PartFile.open(path: file).decode(Sensitivity.Part.self, command: "sensitivity"))
                )
            }
            let merged = try await Sensitivity.Part.merge(parts).sensitivity
            #expect(
                try Sensitivity.OutputFormat.allCases.map { try $0.render(merged) } == expected,
                "\(text), \(count) shards"
            )
            if count == 3 {
                #expect(await Self.sensitivityRefusal(Array(parts.prefix(2))).contains("is missing"))
                #expect(
                    (try? PartFile.open(path: parts[0].path).decode(RunPart.self, command: "run")) == nil,
                    "a sensitivity part is not a run's"
                )
            }
        }
    }

    static func sensitivityRefusal(_ parts: [(path: String, part: Sensitivity.Part)]) async -> String {
        do {
            _ = try await Sensitivity.Part.merge(parts)
            return ""
        } catch {
            return error.description
        }
    }

    // MARK: - Precision

    @Test func aPrecisionRunStopsAlikeForAnyThreadsAndShards() async throws {
        let target = try PrecisionTarget(standardError: 0.008, firstTrials: 1000, maxTrials: 9000)
        let run = Self.invocation(try Self.rulesScenarioPath(), trials: 1000, precision: target)
        let (scenario, one) = try await Self.single(run, threads: 1)
        let (_, two) = try await Self.single(run, threads: 2)
        let expected = try Self.renderings(scenario, one)
        #expect(try Self.renderings(scenario, two) == expected)
        let outcome = try #require(one.precision)
        #expect(outcome.reached && outcome.rounds.count > 1 && outcome.trials == one.trials)
        #expect(outcome.trials < target.maxTrials)
        // Every reported band probability's standard error is at most the target.
        let report = RunReport(scenario: scenario, result: one)
        var largest = 0.0
        for strategy in report.strategies {
            for row in strategy.rows { largest = max(largest, row.level.bandStdErr.values.max() ?? 0) }
        }
        #expect(largest <= 0.008 && largest == outcome.largestStdErr)
        // The numbers are those of a plain run of the trials used.
        var plain = run
        plain.precision = nil
        plain.options.trials = outcome.trials
        let (_, fixed) = try await Self.single(plain)
        var withoutPrecision = report
        withoutPrecision.precision = nil
        #expect(withoutPrecision == RunReport(scenario: scenario, result: fixed))
        for count in [2, 3, 7] {
            let (merged, result) = try await RunPart.merge(try await Self.parts(run, count: count))
            #expect(try Self.renderings(merged, result) == expected, "\(count) shards")
        }
    }

    @Test func aPrecisionRunStopsAtItsMaximum() async throws {
        let target = try PrecisionTarget(standardError: 0.0005, firstTrials: 1000, maxTrials: 5500)
        let run = Self.invocation(TestSupport.path("Scenarios/baseline.yaml"), trials: 1000, precision: target)
        let (scenario, result) = try await Self.single(run)
        let outcome = try #require(result.precision)
        #expect(!outcome.reached && outcome.trials == 5500 && outcome.largestStdErr > 0.0005)
        let text = try ReportFormat.text.render(RunReport(scenario: scenario, result: result))
        #expect(text.contains("stopped at the maximum of 5,500 trials"))
        let (merged, mergedResult) = try await RunPart.merge(try await Self.parts(run, count: 3))
        #expect(try Self.renderings(merged, mergedResult) == (try Self.renderings(scenario, result)))
    }

    @Test func precisionStopsFallOnAFixedGrid() throws {
        let target = try PrecisionTarget(standardError: 0.01, firstTrials: 1500, maxTrials: 20_500)
        #expect(target.stops == [2, 3, 4, 5, 7, 9, 12, 15, 19, 21])
        #expect(target.next(after: 0, largest: 0.01, trials: 2000, stops: target.stops) == nil)
        // Four times the trials for half the standard error.
        #expect(target.next(after: 0, largest: 0.02, trials: 2000, stops: target.stops) == 5)
        #expect(target.next(after: 8, largest: 0.02, trials: 19000, stops: target.stops) == 9)
        #expect(target.next(after: 9, largest: 0.02, trials: 20500, stops: target.stops) == nil)
        #expect(throws: ScenarioError.self) { try PrecisionTarget(standardError: 0, firstTrials: 1, maxTrials: 10) }
        #expect(throws: ScenarioError.self) { try PrecisionTarget(standardError: 0.6, firstTrials: 1, maxTrials: 10) }
        #expect(throws: ScenarioError.self) { try PrecisionTarget(standardError: .nan, firstTrials: 1, maxTrials: 10) }
        #expect(throws: ScenarioError.self) { try PrecisionTarget(standardError: 0.1, firstTrials: 100, maxTrials: 10) }
    }

    // MARK: - Refusals

    static func refusal(_ parts: [(path: String, part: RunPart)]) async -> String {
        do {
            _ = try await RunPart.merge(parts)
            return ""
        } catch {
            return error.description
        }
    }

    static func readRefusal(_ bytes: [UInt8]) throws -> String {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("part.json").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RunPart.read(path: path)
            return ""
        } catch {
            return error.description
        }
    }

    @Test func mergeRefusesPartsOfDifferentRunsAndMissingOrRepeatedShards() async throws {
        let path = TestSupport.path("Scenarios/baseline.yaml")
        let parts = try await Self.parts(Self.invocation(path, trials: 1500), count: 3)
        let other = try await Self.parts(Self.invocation(path, trials: 1500, seed: 4), count: 3)
        let otherCount = try await Self.parts(Self.invocation(path, trials: 1500), count: 2)
        let sorted = parts.sorted { $0.part.shard.index < $1.part.shard.index }

        #expect(await Self.refusal([sorted[0], sorted[1], other[0]]).contains("come from different runs"))
        #expect(
            await Self.refusal([sorted[0], sorted[1], otherCount[0]]).contains("cut into the same number of shards")
        )
        #expect(await Self.refusal([sorted[0], sorted[1], sorted[1]]).contains("shard 2/3 is given twice"))
        #expect(await Self.refusal([sorted[0], sorted[2]]).contains("shard 2/3 is missing: merge needs all 3 parts"))
        #expect(await Self.refusal([sorted[1]]).contains("shards 1/3, 3/3 are missing"))
        #expect(await Self.refusal(sorted).isEmpty)
    }

    @Test func mergeRefusesPartsCutShortChangedOrFromElsewhere() async throws {
        let parts = try await Self.parts(
            Self.invocation(TestSupport.path("Scenarios/baseline.yaml"), trials: 1500),
            count: 2
        )
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: parts[0].path)))
        #expect(try Self.readRefusal(bytes).isEmpty)
        #expect(try Self.readRefusal(Array(bytes.dropLast()) + Array("\r\n\n".utf8)).isEmpty, "a copy's line ends")
        #expect(try Self.readRefusal(Array(bytes.prefix(bytes.count / 2))).contains("cut short"))
        #expect(try Self.readRefusal(Array(bytes.dropLast(3))).contains("cut short"))
        #expect(try Self.readRefusal([]).contains("not a part of a sharded run"))
        #expect(try Self.readRefusal(Array("{\"scenario\": \"x\"}".utf8)).contains("not a part of a sharded run"))

        // One count changed by hand.
        var text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.range(of: "\"noReplyDenominator\":0"))
        text.replaceSubrange(range, with: "\"noReplyDenominator\":1")
        #expect(try Self.readRefusal(Array(text.utf8)).contains("checksum does not match"))

        // Another format version, and another senderscore with a checksum that fits.
        let version = "\"formatVersion\":\(RunFingerprint.formatVersion),"
        let older = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
            of: version,
            with: "\"formatVersion\":2,"
        )
        #expect(try Self.readRefusal(Array(older.utf8)).contains("a part in format version 2"))
        let tool = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
            of: "\"tool\":\"senderscore \(RunFingerprint.toolVersion)\"",
            with: "\"tool\":\"senderscore 0.0.1\""
        )
        #expect(try Self.readRefusal(Self.resealed(tool)).contains("written by senderscore 0.0.1"))

        // The scenario's text changed, with a checksum that fits: its fingerprint no longer does.
        let edited = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
            of: "completed: 260",
            with: "completed: 261"
        )
        #expect(edited != String(decoding: bytes, as: UTF8.self))
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("edited.json").path
        try Data(Self.resealed(edited)).write(to: URL(fileURLWithPath: path))
        let refusal = await Self.refusal([(path, try RunPart.read(path: path)), parts[1]])
        #expect(refusal.contains("do not give its fingerprint"), "\(refusal)")
    }

    /// A scenario's digest hashes its reps one at a time (a large team's encoding is never held
    /// whole), and is still the hash of the whole encoding: parts written before stay mergeable.
    @Test func theContentDigestIsTheHashOfTheWholeEncoding() throws {
        let folder = TestSupport.path("Scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
            .sorted()
        #expect(files.count > 10)
        var scenarios = try files.map { try Scenario.load(path: folder + "/" + $0) }
        var none = scenarios[0]
        none.reps = []
        scenarios.append(none)
        for scenario in scenarios {
            let content = RunFingerprint.content(of: scenario)
            let encoder = RunFingerprint.contentEncoder()
            let whole = RunFingerprint.hash(Array(try encoder.encode(content)))
            #expect(RunFingerprint.hashRepsApart(content, with: encoder) == whole, "\(scenario.file)")
            #expect(RunFingerprint.digest(of: scenario) == RunFingerprint.hexadecimal(whole))
        }
    }

    /// The digests of three scenarios, pinned: a change to how a scenario is encoded (a new
    /// stored property, a key renamed) would change every fingerprint and make parts written
    /// before unmergeable, so it must be on purpose, with `formatVersion` or `samplingVersion`
    /// raised when it is.
    @Test func contentDigestsArePinned() throws {
        let pinned = [
            "baseline": "6efa8c76e75681bc10d41761a85a84e8",
            "combined-plan": "93cccb954ba5d5e874f69c8a63ca4a59",
            "quarter-ramp": "c3994465094f3a8725e7b60121c926a9",
        ]
        for (file, digest) in pinned {
            let scenario = try Scenario.load(path: TestSupport.path("Scenarios/\(file).yaml"))
            #expect(RunFingerprint.digest(of: scenario) == digest, "\(file)")
        }
    }

    /// `text` with its checksum made to fit again, as a forger would.
    static func resealed(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        let tail = PartFile.checksumKey.utf8.count + 32 + 3
        bytes.removeLast(tail)
        let checksum = RunFingerprint.hexadecimal(RunFingerprint.hash(bytes))
        return bytes + Array(PartFile.checksumKey.utf8) + Array(checksum.utf8) + Array("\"}\n".utf8)
    }
}
