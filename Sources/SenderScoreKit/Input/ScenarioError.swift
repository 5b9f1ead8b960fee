/// Bad input, or a run that cannot be made: one message, where the problem is, and its kind.
///
/// The place is data (`location`, `keyPath`), apart from the message, so that each front end
/// spells it its own way; `description` is the library's spelling, for example
/// `team.yaml:12:7: reps[1].enrollments[0].audience: shares sum to 0.9, expected 1`.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible, Encodable {
    /// Where the problem is.
    public enum Location: Sendable, Hashable, Encodable {
        /// A file as the user named it, with the 1-based line and column when the problem has a
        /// place in it.
        case file(String, line: Int? = nil, column: Int? = nil)
        /// A setting given outside any file, named as the library's options name it (`columns`,
        /// `replyRates`, `trials`); a command line spells it as its flag (`--reply-rates`).
        case option(String)
        /// The run as a whole, when no one file or setting is at fault (parts of different runs).
        case run
    }

    /// What kind of problem it is, for programs that react to errors.
    public enum Code: String, Sendable, Hashable, Encodable {
        /// A file cannot be read: missing, a folder, not permitted, not UTF-8.
        case unreadable
        /// Not valid YAML or CSV.
        case syntax
        /// A value that is wrong where it stands: the common case.
        case invalid
        /// An output cannot be written.
        case unwritable
        /// A run larger than the engine's accumulators and streams allow.
        case limit
    }

    /// A way out that is a setting: the message goes on with `before`, the setting as the front end
    /// spells it, and `after`, as in " (to analyse the rule set as written, use --rules-as-is)".
    public struct Remedy: Sendable, Hashable, Encodable {
        /// The library's name of the setting: `rulesAsIs`, `columns`.
        public var option: String
        public var before: String
        public var after: String

        public init(option: String, before: String, after: String = "") {
            self.option = option
            self.before = before
            self.after = after
        }
    }

    public var location: Location
    /// Where in the document: `reps[1].enrollments[0].audience`; empty for the whole file.
    public var keyPath: String
    /// What is wrong and, where it helps, what was expected.
    public var message: String
    public var code: Code
    /// A setting that would get past the problem, for front ends that offer it.
    public var remedy: Remedy?

    public init(location: Location, keyPath: String = "", message: String, code: Code = .invalid, remedy: Remedy? = nil)
    {
        self.location = location
        self.keyPath = keyPath
        self.message = message
        self.code = code
        self.remedy = remedy
    }

    /// A problem in `file`, at `line` and `column` when it has a place there.
    public init(
        file: String,
        line: Int? = nil,
        column: Int? = nil,
        keyPath: String = "",
        message: String,
        code: Code = .invalid
    ) {
        self.init(location: .file(file, line: line, column: column), keyPath: keyPath, message: message, code: code)
    }

    /// A problem with a setting given outside any file.
    public init(option: String, message: String, code: Code = .invalid) {
        self.init(location: .option(option), message: message, code: code)
    }

    /// The file, when the problem is in one.
    public var file: String? {
        if case .file(let file, _, _) = location { return file }
        return nil
    }

    /// The 1-based line in the file, when the problem has one.
    public var line: Int? {
        if case .file(_, let line, _) = location { return line }
        return nil
    }

    /// The 1-based column in the file, when the problem has one.
    public var column: Int? {
        if case .file(_, _, let column) = location { return column }
        return nil
    }

    /// The message after the place, with options spelt by `option`, and the remedy when `offers`
    /// says that its setting is there to be used.
    public func description(
        spellingOptions option: (String) -> String,
        offers: (String) -> Bool = { _ in true }
    )
        -> String
    {
        var text: String
        switch location {
        case .file(let file, let line, let column):
            text = file
            if let line {
                text += ":\(line)"
                if let column { text += ":\(column)" }
            }
        case .option(let name):
            text = option(name)
        case .run:
            text = ""
        }
        if !text.isEmpty { text += ": " }
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += message
        if let remedy, offers(remedy.option) {
            text += remedy.before + option(remedy.option) + remedy.after
        }
        return Self.bounded(text)
    }

    /// The most characters of a message: each reader quotes input briefly (`Format.quoted`), and
    /// this bound holds whatever a message quotes.
    static let messageLength = 1_000

    /// `text` printable on a terminal and at most `messageLength` characters long.
    private static func bounded(_ text: String) -> String {
        let printable = Format.printable(text)
        guard printable.count > messageLength else { return printable }
        return String(printable.prefix(messageLength - 40)) + "… (the rest of this message is left out)"
    }

    /// "file:line:column: key.path: message", "option 'name': message", or the message alone.
    public var description: String {
        description(spellingOptions: { "option '\($0)'" })
    }
}
