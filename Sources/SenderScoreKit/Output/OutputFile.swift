import Foundation

/// Where a command writes its result: standard output, or a regular file that is replaced only
/// once the result is complete, so that a failed or interrupted run leaves nothing behind.
///
/// Everything that could go wrong with the destination is found when the output is opened,
/// before any work: a device, a folder, a named pipe or a socket (a symbolic link is followed,
/// and must lead to a regular file, which is replaced while the link stays), a file the command
/// reads, and
/// a folder that does not exist or cannot be written. The result goes to a temporary file next
/// to the destination, which `commit` renames over it; the temporary file is removed when the
/// output is discarded, when a signal ends the process (SIGINT, SIGTERM, SIGHUP, SIGXCPU, …) and never
/// outlives a failed run.
public final class OutputFile {
    /// The file name that stands for standard output.
    public static let standardOutputName = "-"

    /// The file as the user named it; nil for standard output.
    public let path: String?
    /// The file that is replaced: `path`, or where its symbolic link leads.
    private let destination: String?
    /// The temporary file being written, until it is committed or discarded.
    private var temporary: String?
    private let handle: FileHandle
    /// The permissions of the file replaced, kept for the new one.
    private let mode: mode_t?

    /// Standard output, or `path` (nil or `-` for standard output) checked and ready to be
    /// written; `inputs` are the files the command reads, which the output must not be.
    ///
    /// - Throws: `ScenarioError` with code `unwritable` naming the file and the reason.
    public init(path: String?, inputs: [String] = []) throws(ScenarioError) {
        guard let path, path != Self.standardOutputName else {
            self.path = nil
            destination = nil
            temporary = nil
            mode = nil
            handle = .standardOutput
            return
        }
        guard !path.isEmpty else {
            throw ScenarioError(
                option: "output",
                message: "the file name is empty; name a file, or give - for standard output",
                code: .unwritable
            )
        }
        guard !path.unicodeScalars.contains("\u{FFFD}") else {
            throw Self.error(path, "the file name is not UTF-8 text, and would be written under another name")
        }
        self.path = path
        var status = stat()
        var destination = path
        var exists = false
        if lstat(path, &status) == 0 {
            let isLink = status.st_mode & S_IFMT == S_IFLNK
            if isLink {
                guard stat(path, &status) == 0 else {
                    throw Self.error(path, "it is a symbolic link to nothing that exists; name the file itself")
                }
                // The file the link leads to is replaced; the link stays.
                if status.st_mode & S_IFMT == S_IFREG, let resolved = realpath(path, nil) {
                    destination = String(cString: resolved)
                    free(resolved)
                }
            }
            exists = true
            let link = isLink ? "it leads to" : "it is"
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw Self.error(path, "\(link) a folder")
            case S_IFCHR, S_IFBLK:
                throw Self.error(path, "\(link) a device, not a file; to print the result, give -o - or leave -o out")
            case S_IFIFO: throw Self.error(path, "\(link) a named pipe, not a file; give -o - and redirect it")
            default: throw Self.error(path, "\(link) a socket or other special file, not a regular file")
            }
            for input in inputs {
                var other = stat()
                // `-` is standard input, which may be this very file (`< file`).
                let found = input == "-" ? fstat(STDIN_FILENO, &other) : stat(input, &other)
                if found == 0, other.st_dev == status.st_dev, other.st_ino == status.st_ino {
                    throw Self.error(
                        path,
                        "it is \(input == path ? "an input" : input == "-" ? "standard input" : "the input \(input)") of this command, "
                            + "which would be lost; choose another file"
                    )
                }
            }
        } else if errno != ENOENT {
            throw Self.error(path, Self.reason(errno))
        }
        mode = exists ? status.st_mode & 0o7777 : nil
        self.destination = destination
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder == "/" ? "" : folder).utf8CString.dropLast())
        template += Array("/.\(url.lastPathComponent).XXXXXX.partial".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 8) }
        guard descriptor >= 0 else {
            let code = errno
            var isFolder: ObjCBool = false
            let reason =
                !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue
                ? "the folder \(folder) does not exist"
                : code == EACCES || code == EPERM
                    ? "the folder \(folder) is not writable"
                    : code == ENOENT
                        ? "the folder \(folder) takes no new files"
                        : "cannot create a file in \(folder) (\(Self.reason(code)))"
            throw Self.error(path, reason)
        }
        let temporary = String(cString: template)
        self.temporary = temporary
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        TemporaryFiles.shared.insert(temporary)
    }

    deinit {
        discard()
    }

    /// Appends `bytes` to the output.
    public func write(_ bytes: some DataProtocol) throws(ScenarioError) {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw Self.error(path ?? "standard output", Self.reason(error))
        }
    }

    /// Appends `text` to the output.
    public func write(_ text: String) throws(ScenarioError) {
        try write(Data(text.utf8))
    }

    /// Writes `text`, the whole result, and puts it in place.
    public func commit(_ text: String) throws(ScenarioError) {
        try write(text)
        try commit()
    }

    /// Puts the file in place of the destination; for standard output, nothing more to do.
    public func commit() throws(ScenarioError) {
        guard let path, let destination, let temporary else { return }
        let descriptor = handle.fileDescriptor
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, mode ?? (0o666 & ~mask))
        guard fsync(descriptor) == 0 || errno == EINVAL else {
            let code = errno
            discard()
            throw Self.error(path, Self.reason(code))
        }
        // rename(2) replaces the destination atomically: readers see the old file or the new one.
        guard rename(temporary, destination) == 0 else {
            let code = errno
            discard()
            throw Self.error(path, Self.reason(code))
        }
        TemporaryFiles.shared.remove(temporary)
        self.temporary = nil
    }

    /// Removes the temporary file, leaving the destination as it was.
    public func discard() {
        guard let temporary else { return }
        unlink(temporary)
        TemporaryFiles.shared.remove(temporary)
        self.temporary = nil
    }

    private static func error(_ path: String, _ reason: String) -> ScenarioError {
        ScenarioError(file: path, message: "cannot write the output: \(reason)", code: .unwritable)
    }

    /// Why Foundation could not write: the system's reason, which it wraps in its own error.
    private static func reason(_ error: any Error) -> String {
        let error = error as NSError
        let system = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
        if let system, system.domain == NSPOSIXErrorDomain { return reason(Int32(system.code)) }
        if error.domain == NSCocoaErrorDomain, error.code == NSFileWriteOutOfSpaceError { return reason(ENOSPC) }
        return error.localizedDescription
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied"
        case ENOENT: "a folder on the way does not exist"
        case ENOTDIR: "a part of the path is not a folder"
        case ENOSPC: "no space left on the device"
        case EROFS: "the file system is read-only"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}

/// The temporary files of outputs not yet committed, removed when the process is interrupted.
///
/// The signal handler may only call async-signal-safe functions, so the paths are kept as C
/// strings in a fixed table that it reads without a lock, and it calls only `unlink`, `signal`
/// and `raise`.
final class TemporaryFiles: @unchecked Sendable {
    static let shared = TemporaryFiles()

    /// More outputs than any command opens at once.
    private static let capacity = 16
    private nonisolated(unsafe) static let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
        capacity: capacity
    )
    private let lock = NSLock()

    private init() {
        Self.table.initialize(repeating: nil, count: Self.capacity)
        // Every signal whose default action ends the process, but the ones no handler can catch.
        for signal in [
            SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
        ] {
            Glibc.signal(signal) { received in
                for slot in 0..<TemporaryFiles.capacity {
                    if let path = TemporaryFiles.table[slot] { unlink(path) }
                }
                // Die of the signal, as the shell expects (exit status 128 + signal).
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    func insert(_ path: String) {
        lock.withLock {
            guard let slot = (0..<Self.capacity).first(where: { Self.table[$0] == nil }) else { return }
            Self.table[slot] = strdup(path)
        }
    }

    func remove(_ path: String) {
        lock.withLock {
            for slot in 0..<Self.capacity {
                if let stored = Self.table[slot], String(cString: stored) == path {
                    Self.table[slot] = nil
                    free(stored)
                }
            }
        }
    }
}
