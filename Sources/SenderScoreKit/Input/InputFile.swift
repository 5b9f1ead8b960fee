import Foundation

/// The one way the tool opens a file it is given, so that every reader fails the same clear way:
/// a missing file, a folder, a file it may not read, or one too large is named as such; a pipe,
/// a FIFO or `<(command)` is read as the stream it is.
package enum InputFile {
    /// The file name that stands for standard input.
    package static let standardInputName = "-"

    /// Opens `path` for reading: a regular file, or a stream (pipe, FIFO, character device) that
    /// is read to its end; `-` is standard input.
    ///
    /// - Throws: `ScenarioError` with code `unreadable` that names the file and the reason.
    package static func open(_ path: String) throws(ScenarioError) -> FileHandle {
        guard !path.isEmpty else {
            throw ScenarioError(
                location: .run,
                message: "a file name is empty; name the file to read, or give - for standard input",
                code: .unreadable
            )
        }
        if path == standardInputName {
            return FileHandle(fileDescriptor: dup(STDIN_FILENO), closeOnDealloc: true)
        }
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if path.unicodeScalars.contains("\u{FFFD}") {
                throw ScenarioError(
                    file: path,
                    message: "cannot read the file: its name is not UTF-8 text; rename the file",
                    code: .unreadable
                )
            }
            throw error(path, errno)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw error(path, code)
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            close(descriptor)
            throw ScenarioError(file: path, message: "cannot read the file: it is a folder", code: .unreadable)
        case S_IFSOCK:
            close(descriptor)
            throw ScenarioError(file: path, message: "cannot read the file: it is a socket", code: .unreadable)
        default:
            return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
    }

    /// The whole content of `path`, at most `limit` bytes.
    ///
    /// - Throws: `ScenarioError`: code `unreadable` as for `open`, code `limit` for a larger file.
    package static func read(_ path: String, limit: Int = Limits.documentBytes) throws(ScenarioError) -> Data {
        Data(try readBytes(path, limit: limit))
    }

    /// `read`'s bytes as an array, read into room for the whole file where its size is known, so
    /// that a large file (a saved result or part) is held once, not grown by copies.
    package static func readBytes(_ path: String, limit: Int = Limits.documentBytes) throws(ScenarioError) -> [UInt8] {
        let handle = try open(path)
        var bytes: [UInt8] = []
        var status = stat()
        if fstat(handle.fileDescriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size <= limit {
            bytes.reserveCapacity(Int(status.st_size) + 1)
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw ScenarioError(
                    file: path,
                    message: "cannot read the file: \(error.localizedDescription)",
                    code: .unreadable
                )
            }
            if chunk.isEmpty { return bytes }
            // Checked before the bytes are added, so that a stream without end (/dev/zero) never
            // makes the array grow past the limit.
            guard bytes.count + chunk.count <= limit else {
                throw ScenarioError(
                    file: path,
                    message: "the file is larger than \(Format.bytes(limit)), the most this reader takes",
                    code: .limit
                )
            }
            bytes.append(contentsOf: chunk)
        }
    }

    /// The whole content of `path` as UTF-8 text, at most `limit` bytes.
    package static func text(_ path: String, limit: Int = Limits.documentBytes) throws(ScenarioError) -> String {
        guard let text = String(validating: try read(path, limit: limit), as: UTF8.self) else {
            throw ScenarioError(file: path, message: "cannot read the file: it is not UTF-8 text", code: .unreadable)
        }
        return text
    }

    private static func error(_ path: String, _ code: Int32) -> ScenarioError {
        let reason: String
        switch code {
        case ENOENT: reason = "no such file"
        case EACCES, EPERM: reason = "permission denied"
        case ENOTDIR: reason = "a part of the path is not a folder"
        case ELOOP: reason = "too many symbolic links"
        default: reason = String(cString: strerror(code)).lowercased()
        }
        return ScenarioError(file: path, message: "cannot read the file: \(reason)", code: .unreadable)
    }
}
