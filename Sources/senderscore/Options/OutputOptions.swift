import ArgumentParser
import Foundation
import SenderScoreKit

/// `-o/--output`: where a subcommand writes its result.
struct OutputOptions<Wording: OptionWording>: ParsableArguments {
    @Option(name: [.short, .long], help: Wording.outputHelp)
    var output: String?

    /// Standard output, or the file, written atomically once complete.
    var destination: Output { Output(path: output) }
}

/// Where a command's result goes: standard output, or a file written atomically once complete,
/// so that a failed run never leaves a partial file behind.
struct Output {
    let path: String?

    /// Fails early, before any work, when the file could not be written.
    func check() throws(ScenarioError) {
        guard let path else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Self.error(path, "the folder \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw Self.error(path, "the folder \(directory) is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Self.error(path, "it is a folder")
        }
    }

    func write(_ text: String) throws(ScenarioError) {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw Self.error(path, error.localizedDescription)
        }
    }

    private static func error(_ path: String, _ reason: String) -> ScenarioError {
        ScenarioError(file: path, message: "cannot write the output: \(reason)", code: .unwritable)
    }
}
