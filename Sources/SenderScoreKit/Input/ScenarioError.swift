/// Bad input: one message naming the file, the line, the column and the key path.
///
/// Its `description` is exactly what a user sees, for example
/// `team.yaml:12:7: reps[1].enrollments[0].audience: shares sum to 0.9, expected 1`.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line, when the problem has a place in the file.
    public var line: Int?
    /// 1-based column, when the problem has a place in the file.
    public var column: Int?
    /// Where in the document: `reps[1].enrollments[0].audience`; empty for the whole file.
    public var keyPath: String
    /// What is wrong and, where it helps, what was expected.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String = "", message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        return text + message
    }
}
