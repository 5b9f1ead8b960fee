import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// A mutation fuzzer for every reader of user input: scenarios, rule sets, exports, golden
/// cases and saved results. It starts from the project's own files, mutates them the ways that
/// broke readers before (cut, repeated and spliced bytes, aliases, huge numbers, control
/// characters, quotes, other numerals), and requires of every input an answer: a value, or a
/// `ScenarioError` whose message is printable and short. A crash stops the test run; a slow
/// input is a failure.
///
/// `make test` runs it for `SENDERSCORE_FUZZ_SECONDS` (default 8) per reader; `make fuzz` runs
/// it longer. `SENDERSCORE_FUZZ_SEED` picks another sequence of inputs. A failing input is
/// written to `.build/fuzz/` and named in the failure.
@Suite struct FuzzTests {
    enum Reader: String, CaseIterable, Sendable {
        case scenario, rules, export, goldenCases, result, part
    }

    static var seconds: Double {
        ProcessInfo.processInfo.environment["SENDERSCORE_FUZZ_SECONDS"].flatMap(Double.init) ?? 8
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["SENDERSCORE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    }

    @Test(arguments: Reader.allCases)
    func readersAnswerEveryInput(_ reader: Reader) async throws {
        let corpus = try await Self.corpus(for: reader)
        var random = SplitMix(seed: Self.seed ^ UInt64(Reader.allCases.firstIndex(of: reader)!) &* 0x9E37_79B9)
        let deadline = Date().addingTimeInterval(Self.seconds)
        var tried = 0
        while Date() < deadline {
            let input = Self.mutate(corpus, &random)
            let started = Date()
            let problem = await Self.problem(reading: input, with: reader)
            let elapsed = Date().timeIntervalSince(started)
            tried += 1
            if let problem = problem ?? (elapsed > 2 ? "took \(Int(elapsed * 1000)) ms" : nil) {
                let saved = try Self.save(input, reader: reader)
                Issue.record("\(reader.rawValue) reader, input \(tried) (\(saved)): \(problem)")
                return
            }
        }
        print("fuzz \(reader.rawValue): \(tried) inputs in \(Int(Self.seconds)) s, no problem found")
    }

    /// What is wrong with how `reader` answered `input`, or nil.
    static func problem(reading input: [UInt8], with reader: Reader) async -> String? {
        let text = String(decoding: input, as: UTF8.self)
        do {
            switch reader {
            case .scenario:
                _ = try Scenario.parse(text, file: "fuzz.yaml")
            case .rules:
                _ = try RuleSet.read(
                    YAMLValue.parse(text, file: "fuzz.yaml"),
                    origin: "fuzz",
                    defaultName: "fuzz",
                    asIs: true
                )
            case .export:
                let export = try ExportReader(reader: CSVReader(text: text, file: "fuzz.csv"))
                while try export.next() != nil {}
            case .goldenCases:
                _ = try GoldenCases.check(CSVReader(text: text, file: "fuzz.csv"), rules: RuleSet.load("hubspot"))
            case .result:
                _ = RunReport.syntaxError(in: Data(input))
                // As `report` reads a result: a rep and a sequence at a time where it can.
                let report = try RunReport.decode(input, path: "fuzz.json")
                // What is accepted must also render.
                for format in ReportFormat.allCases { _ = try format.render(report) }
            case .part:
                // Sealed again, so that the mutation reaches the decoder and merge rather than
                // stopping at the checksum; what merges must also render.
                let file = try PartFile(bytes: Self.resealed(input), path: "fuzz.json")
                let part = try file.decodeRun()
                let (scenario, result) = try await RunPart.merge([("fuzz.json", part)])
                for format in ReportFormat.allCases {
                    _ = try format.render(RunReport(scenario: scenario, result: result))
                }
            }
        } catch let error as ScenarioError {
            let message = error.description
            if message.count > 1_000 { return "a message of \(message.count) characters" }
            if message.unicodeScalars.contains(where: Format.isUnsafe) { return "an unprintable message: \(message)" }
        } catch {
            // Saved results report decoding errors through RunReport.load, which wraps them.
            if reader != .result && reader != .part { return "an error that is not a ScenarioError: \(error)" }
        }
        return nil
    }

    // MARK: Inputs

    static func corpus(for reader: Reader) async throws -> [[UInt8]] {
        func file(_ path: String) throws -> [UInt8] {
            Array(try Data(contentsOf: URL(fileURLWithPath: TestSupport.path(path))))
        }
        switch reader {
        case .scenario:
            let folder = TestSupport.path("Scenarios")
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
                .map { try file("Scenarios/" + $0) }
        case .rules:
            return [Array(BuiltInRuleSets.text(named: "hubspot")!.utf8), try file("Tests/Fixtures/strict-rules.yaml")]
        case .export:
            return try ["export-small.csv", "export-thresholds.csv", "bad-row.csv"].map {
                try file("Tests/Fixtures/" + $0)
            }
        case .goldenCases:
            return [try file("Tests/Fixtures/golden-hubspot.csv")]
        case .result:
            let scenario = try Scenario.load(path: TestSupport.path("Scenarios/personalization.yaml"))
            let options = SimulationOptions(trials: 300, seed: 5, threads: 1)
            let result = try await Simulation.run(SimulationPlan(scenario), options: options)
            return [Array(try RunReport(scenario: scenario, result: result).json().utf8)]
        case .part:
            let path = TestSupport.path("Scenarios/personalization.yaml")
            let read = Documents.recording()
            _ = try Scenario.load(path: path, documents: read)
            let run = RunPart.Invocation(
                scenario: path,
                rules: nil,
                rulesAsIs: false,
                strategies: [],
                options: SimulationOptions(trials: 300, seed: 5, threads: 1),
                precision: nil
            )
            let part = try await RunPart.run(
                run,
                documents: RunPart.documents(recorded: read),
                shard: .whole,
                threads: 1
            )
            return [Array(try part.encoded())]
        }
    }

    /// `bytes` with a checksum that fits, when they end like a part.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let tail = PartFile.checksumKey.utf8.count + 32 + 3
        guard bytes.count > tail else { return bytes }
        let body = Array(bytes.dropLast(tail))
        return body + Array(PartFile.checksumKey.utf8)
            + Array(RunFingerprint.hexadecimal(RunFingerprint.hash(body)).utf8)
            + Array("\"}\n".utf8)
    }

    /// Pieces that broke or could break a reader, inserted whole.
    static let tokens: [String] = [
        "*a", "&a ", "<<: *a", "!!binary", "!!str", "? ", "- ", ": ", "[", "]", "{", "}", ",", "\"", "'", "\n",
        "\r\n", "\t", "\u{0}", "\u{1B}[2J", "\u{202E}", "0x10", "0o17", "1e308", "-1e308", "1e-300", ".inf", ".nan",
        "-1", "-0", "2147483648", "9223372036854775808", "18446744073709551616", "~", "null", "team", "baseline",
        "Ineligible", "%", "100%", "=cmd", "\u{FEFF}", "\u{FFFD}", "NaN", "true", "", "0", "1000000000",
    ]

    static func mutate(_ corpus: [[UInt8]], _ random: inout SplitMix) -> [UInt8] {
        var bytes = corpus[random.below(corpus.count)]
        for _ in 0...random.below(6) {
            let position = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
            case 1:
                bytes.insert(contentsOf: Array(tokens[random.below(tokens.count)].utf8), at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + random.below(64) + 1)
                if position < end { bytes.removeSubrange(position..<end) }
            case 3 where !bytes.isEmpty:
                // A run repeated: long lines, long names, many fields.
                let end = min(bytes.count, position + random.below(16) + 1)
                if position < end {
                    let run = Array(bytes[position..<end])
                    let copies = [2, 10, 1000, 20_000][random.below(4)]
                    bytes.insert(contentsOf: Array(repeating: run, count: copies).joined(), at: position)
                }
            case 4:
                // A splice of another input of the corpus.
                let other = corpus[random.below(corpus.count)]
                if !other.isEmpty {
                    let start = random.below(other.count)
                    bytes.insert(
                        contentsOf: other[start..<min(other.count, start + random.below(200) + 1)],
                        at: position
                    )
                }
            case 5 where !bytes.isEmpty:
                bytes = Array(bytes[..<min(position, bytes.count)])
            default:
                // A digit run: numbers out of every range.
                bytes.insert(contentsOf: Array(String(random.next() >> random.below(64)).utf8), at: position)
            }
            if bytes.count > 4 << 20 { bytes = Array(bytes.prefix(4 << 20)) }
        }
        return bytes
    }

    static func save(_ input: [UInt8], reader: Reader) throws -> String {
        let folder = URL(fileURLWithPath: TestSupport.path(".build/fuzz"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(reader.rawValue)-\(Self.seed).input")
        try Data(input).write(to: file)
        return file.path
    }

}
