import Foundation

/// Writes CSV records through a buffer into a temporary file that replaces the destination only
/// when `finish` is called, so a failed run leaves no partial file; or to standard output.
public final class CSVWriter {
    private let destination: String?
    private let temporary: String?
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    public private(set) var records = 0

    /// Opens `path` for writing (through a temporary file), or standard output when nil.
    public init(path: String?) throws(ScenarioError) {
        destination = path
        guard let path else {
            temporary = nil
            handle = .standardOutput
            return
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let temporary = URL(fileURLWithPath: directory).appendingPathComponent(
            ".\(URL(fileURLWithPath: path).lastPathComponent).partial"
        ).path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw ScenarioError(
                file: path,
                message: "cannot write the output: the folder \(directory) does not exist or is not writable",
                code: .unwritable
            )
        }
        self.temporary = temporary
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if let temporary, FileManager.default.fileExists(atPath: temporary) {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
        }
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
        guard let destination, let temporary else { return }
        do {
            try handle.close()
        } catch {
            throw ScenarioError(
                file: destination,
                message: "cannot write the output: \(error.localizedDescription)",
                code: .unwritable
            )
        }
        // rename(2) replaces an existing file atomically.
        guard rename(temporary, destination) == 0 else {
            throw ScenarioError(
                file: destination,
                message: "cannot write the output: \(String(cString: strerror(errno)))",
                code: .unwritable
            )
        }
    }

    private func flush() throws(ScenarioError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ScenarioError(
                file: destination ?? "standard output",
                message: "cannot write the output: \(error.localizedDescription)",
                code: .unwritable
            )
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
