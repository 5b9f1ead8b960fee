/// Text on its way to a writer: appended to, and handed over in pieces of about 64 KB, so that a
/// document of tens of MB (the report of a 10,000-rep team) is never held whole. A write that
/// fails drops the rest, and `finish()` throws its error, so that appending needs no `try`.
package struct TextPieces {
    private var pending = ""
    private let write: (String) throws -> Void
    private var failure: (any Error)?

    package init(_ write: @escaping (String) throws -> Void) {
        self.write = write
    }

    package static func += (pieces: inout TextPieces, text: some StringProtocol) {
        pieces.pending += text
        if pieces.pending.utf8.count >= 1 << 16 { pieces.flush() }
    }

    private mutating func flush() {
        defer { pending = "" }
        guard failure == nil, !pending.isEmpty else { return }
        do { try write(pending) } catch { failure = error }
    }

    /// Writes what is pending; throws the first write's error, if one failed.
    package mutating func finish() throws {
        flush()
        if let failure { throw failure }
    }
}
