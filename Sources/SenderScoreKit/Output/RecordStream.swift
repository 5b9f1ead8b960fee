internal import CZlib
import Foundation

/// A stream of bytes to an `OutputFile`, gzip-compressed when asked, written through a buffer so
/// that memory stays flat however much passes through. Nothing reaches the destination until
/// `finish`, which moves the complete file into place.
public final class RecordStream {
    private let output: OutputFile
    private var buffer: [UInt8] = []
    /// zlib's state, at an address that never moves (zlib keeps a pointer back to it).
    private var stream: UnsafeMutablePointer<z_stream>?
    private var compressed: [UInt8]
    /// Bytes given to the stream, before compression.
    public private(set) var bytesWritten = 0

    /// Streams to `output`, gzip-compressed when `gzip` is true.
    public init(output: OutputFile, gzip: Bool) throws(ScenarioError) {
        self.output = output
        buffer.reserveCapacity(Self.bufferSize)
        compressed = gzip ? [UInt8](repeating: 0, count: Self.bufferSize) : []
        guard gzip else { return }
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        z.initialize(to: z_stream())
        // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
        let status = deflateInit2_(
            z,
            Z_DEFAULT_COMPRESSION,
            Z_DEFLATED,
            15 + 16,
            8,
            Z_DEFAULT_STRATEGY,
            ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            z.deallocate()
            throw ScenarioError(location: .run, message: "zlib could not start a gzip stream (error \(status))")
        }
        stream = z
    }

    deinit {
        if let stream {
            deflateEnd(stream)
            stream.deallocate()
        }
    }

    static let bufferSize = 1 << 16

    /// Whether a file name asks for gzip: it ends in `.gz`.
    public static func isGzipName(_ path: String?) -> Bool { path?.lowercased().hasSuffix(".gz") ?? false }

    public func write(_ bytes: [UInt8]) throws(ScenarioError) {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= Self.bufferSize { try flush(finishing: false) }
    }

    public func write(_ text: String) throws(ScenarioError) { try write(Array(text.utf8)) }

    /// Writes what is buffered (and the gzip trailer) and moves the file into place.
    public func finish() throws(ScenarioError) {
        try flush(finishing: true)
        try output.commit()
    }

    private func flush(finishing: Bool) throws(ScenarioError) {
        guard let stream else {
            guard !buffer.isEmpty else { return }
            try output.write(buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var failure: Int32?
        var chunks: [[UInt8]] = []
        buffer.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                compressed.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    let status = deflate(stream, finishing ? Z_FINISH : Z_NO_FLUSH)
                    if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR { failure = status }
                    chunks.append(Array(out.prefix(out.count - Int(stream.pointee.avail_out))))
                }
            } while failure == nil && (stream.pointee.avail_out == 0 || (finishing && stream.pointee.avail_in > 0))
            stream.pointee.next_in = nil
        }
        if let failure {
            throw ScenarioError(location: .run, message: "zlib failed while compressing (error \(failure))")
        }
        for chunk in chunks where !chunk.isEmpty { try output.write(chunk) }
        buffer.removeAll(keepingCapacity: true)
    }
}
