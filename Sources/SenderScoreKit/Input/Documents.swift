import Foundation

/// Where a scenario and its rules file are read from: the file system, or the texts a saved part
/// of a run carries (so that `merge` rebuilds the run's scenario without its files).
public struct Documents: Sendable, Hashable {
    /// The texts by path as the scenario names them; nil reads the file system.
    public let saved: [String: String]?

    /// The file system.
    public static let fileSystem = Documents(saved: nil)

    /// The texts given here, and nothing else.
    public init(saved: [String: String]) {
        self.saved = saved
    }

    private init(saved: [String: String]?) {
        self.saved = saved
    }

    /// The texts of `paths`, read now from the file system (with the limits of `InputFile`).
    public static func reading(_ paths: [String]) throws(ScenarioError) -> Documents {
        var texts: [String: String] = [:]
        for path in paths { texts[path] = try InputFile.text(path) }
        return Documents(saved: texts)
    }

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
