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

    /// Runs `body` on pieces that go to `write`, and finishes them: how a document is written.
    package static func write(to write: (String) throws -> Void, _ body: (inout TextPieces) -> Void) throws {
        try withoutActuallyEscaping(write) { write in
            var pieces = TextPieces(write)
            body(&pieces)
            try pieces.finish()
        }
    }

    /// The whole text that `body` appends: how a document written in pieces is rendered.
    package static func document(_ body: (inout TextPieces) -> Void) -> String {
        var text = ""
        // The writer below never throws, so neither does the document.
        try? write(to: { text += $0 }, body)
        return text
    }
}
