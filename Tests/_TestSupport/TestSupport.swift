import Foundation
import SenderScoreKit

/// Helpers shared by the test targets.
public enum TestSupport {
    /// The repository root, found from this file's place.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A path inside the repository.
    public static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    /// A fresh temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("senderscore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in a fresh temporary folder and returns the path.
    public static func write(_ text: String, named name: String = "scenario.yaml") throws -> String {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The message of the `ScenarioError` that reading `yaml` as a scenario throws, or nil.
    public static func scenarioError(_ yaml: String, file: String = "test.yaml") -> ScenarioError? {
        do {
            _ = try Scenario.parse(yaml, file: file)
            return nil
        } catch {
            return error
        }
    }

    /// The `senderscore` executable built next to the test bundle.
    public static var executable: URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for directory in candidates {
            let url = directory.appendingPathComponent("senderscore")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/senderscore")
    }

    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `senderscore` with `arguments` from the repository root.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try runProgram(executable.path, arguments, environment: environment)
    }

    /// Runs any program with `arguments` from the repository root, with `environment` added to
    /// this process's own and standard input empty.
    ///
    /// Standard output and standard error go to files, not pipes: a child that fills one pipe
    /// while the parent waits on the other would block both for ever.
    public static func runProgram(
        _ path: String,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws
        -> Outcome
    {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }
}

/// SplitMix64: a small, fast seeded generator, so that a seed replays the same inputs and
/// datasets on every machine.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// Uniform on [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        (-2 * log(1 - uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Binomial(n, p), one Bernoulli at a time: for tests only.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        var successes = 0
        for _ in 0..<n where uniform() < p { successes += 1 }
        return successes
    }
}
