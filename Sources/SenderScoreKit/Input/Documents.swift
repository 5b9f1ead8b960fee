import Foundation
import Synchronization

/// Where a scenario and its rules file are read from: the file system, or the texts a saved part
/// of a run carries (so that `merge` rebuilds the run's scenario without its files). A recording
/// reads the file system and keeps what it read, so that a part saves the very texts the run
/// used, each file read once (standard input and pipes included).
public struct Documents: Sendable {
    /// The texts by path as the scenario names them; nil reads the file system.
    private let saved: [String: String]?
    private let recorder: Recorder?

    private final class Recorder: Sendable {
        let texts = Mutex<[(path: String, text: String)]>([])
    }

    /// The file system.
    public static let fileSystem = Documents(saved: nil, recorder: nil)

    /// The texts given here, and nothing else.
    public init(saved: [String: String]) {
        self.init(saved: saved, recorder: nil)
    }

    private init(saved: [String: String]?, recorder: Recorder?) {
        self.saved = saved
        self.recorder = recorder
    }

    /// The file system, keeping the text of every document read.
    public static func recording() -> Documents {
        Documents(saved: nil, recorder: Recorder())
    }

    /// What a recording read, in the order it read it.
    public var recorded: [(path: String, text: String)] { recorder?.texts.withLock { $0 } ?? [] }

    /// Whether there is a document at `path`.
    func exists(_ path: String) -> Bool {
        guard let saved else { return FileManager.default.fileExists(atPath: path) }
        return saved[path] != nil
    }

    /// The document at `path`, parsed.
    ///
    /// - Throws: `ScenarioError` (code `unreadable`) when it cannot be read or was not saved, and
    ///   the parser's errors.
    func yaml(_ path: String) throws(ScenarioError) -> YAMLValue {
        if let recorder {
            let text = try InputFile.text(path)
            recorder.texts.withLock { $0.append((path, text)) }
            return try YAMLValue.parse(text, file: path)
        }
        guard let saved else { return try YAMLValue.load(contentsOf: path) }
        guard let text = saved[path] else {
            throw ScenarioError(
                file: path,
                message: "cannot read the file: it is not among the saved texts",
                code: .unreadable
            )
        }
        return try YAMLValue.parse(text, file: path)
    }
}
