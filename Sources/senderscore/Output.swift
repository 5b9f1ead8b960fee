import ArgumentParser
import Foundation
import SenderScoreKit

/// Where a command's result goes: standard output, or a file written atomically once complete,
/// so that a failed run never leaves a partial file behind.
struct Output {
    let path: String?

    /// Fails early, before any work, when the file could not be written.
    func check() throws(OutputError) {
        guard let path else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(description: "\(path): cannot write the output: the folder \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw OutputError(description: "\(path): cannot write the output: the folder \(directory) is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OutputError(description: "\(path): cannot write the output: it is a folder")
        }
    }

    func write(_ text: String) throws(OutputError) {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputError(description: "\(path): cannot write the output: \(error.localizedDescription)")
        }
    }
}

struct OutputError: Error, CustomStringConvertible {
    var description: String
}

extension TextOrJSON: ExpressibleByArgument {}
