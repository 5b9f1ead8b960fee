/// Writes CSV records through a buffer to an `OutputFile`, which replaces its destination only
/// when `finish` is called, so a failed run leaves no partial file; or to standard output.
public final class CSVWriter {
    private let output: OutputFile
    private var buffer: [UInt8] = []
    public private(set) var records = 0

    /// Writes to `path` (nil or `-` for standard output); see `OutputFile`.
    public convenience init(path: String?) throws(ScenarioError) {
        self.init(output: try OutputFile(path: path))
    }

    /// Writes to `output`, which has been checked when it was opened.
    public init(output: OutputFile) {
        self.output = output
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ fields: [String]) throws(ScenarioError) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: CSVField.escaped(field).utf8)
        }
        buffer.append(UInt8(ascii: "\n"))
        records += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered and, for a file, moves it into place.
    public func finish() throws(ScenarioError) {
        try flush()
        try output.commit()
    }

    private func flush() throws(ScenarioError) {
        guard !buffer.isEmpty else { return }
        try output.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
