import Foundation

/// Reads CSV (RFC 4180: commas, double-quoted fields with `""` escapes and line breaks inside,
/// CRLF or LF) one record at a time, from a file in chunks, so that a million rows use little
/// memory, and says on which line each record starts.
///
/// The libraries at hand (SwiftCSV, CSV.swift) load whole files or do not report line numbers,
/// which every message about a bad row needs.
public final class CSVReader {
    /// One record and the line it starts on (1-based).
    public struct Record: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public let file: String
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var line = 1
    private var isFirstRecord = true
    /// Set when the rest of the input cannot be read as records (a quote never closed): skipping
    /// the bad row is not possible, every later row would be lost.
    public private(set) var isBroken = false
    private static let chunkSize = 1 << 16

    /// Opens `path` for reading.
    public init(path: String) throws(ScenarioError) {
        file = path
        handle = try InputFile.open(path)
    }

    /// Reads CSV held in memory; `file` names it in messages.
    public init(text: String, file: String) {
        self.file = file
        handle = nil
        buffer = Array(text.utf8)
        finished = true
    }

    deinit {
        try? handle?.close()
    }

    /// The next record, or nil at the end of the input. Blank lines are skipped.
    public func next() throws(ScenarioError) -> Record? {
        while true {
            guard let record = try readRecord() else { return nil }
            if record.fields.count == 1, record.fields[0].isEmpty { continue }
            return record
        }
    }

    private func readRecord() throws(ScenarioError) -> Record? {
        guard try byte(at: 0) != nil else { return nil }
        if isFirstRecord {
            isFirstRecord = false
            // A UTF-8 byte order mark, as spreadsheet programs write.
            if try byte(at: 0) == 0xEF, try byte(at: 1) == 0xBB, try byte(at: 2) == 0xBF { position += 3 }
        }
        let start = line
        var consumed = 0
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        while let current = try byte(at: 0) {
            position += 1
            consumed += 1
            if consumed > Limits.recordBytes || fields.count >= Limits.fields {
                isBroken = true
                throw ScenarioError(
                    file: file,
                    line: start,
                    message: fields.count >= Limits.fields
                        ? "the row has more than \(Format.count(Limits.fields)) fields"
                        : "the row is longer than \(Format.bytes(Limits.recordBytes)); is this a CSV file?",
                    code: .limit
                )
            }
            if quoted {
                if current == UInt8(ascii: "\"") {
                    if try byte(at: 0) == UInt8(ascii: "\"") {
                        field.append(current)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if current == UInt8(ascii: "\n") { line += 1 }
                    field.append(current)
                }
                continue
            }
            switch current {
            case UInt8(ascii: ","):
                fields.append(try text(field, line: start, column: fields.count + 1))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case UInt8(ascii: "\n"):
                line += 1
                fields.append(try text(field, line: start, column: fields.count + 1))
                return Record(line: start, fields: fields)
            case UInt8(ascii: "\r"):
                if try byte(at: 0) == UInt8(ascii: "\n") { continue }
                line += 1
                fields.append(try text(field, line: start, column: fields.count + 1))
                return Record(line: start, fields: fields)
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            default:
                if wasQuoted {
                    let error = ScenarioError(
                        file: file,
                        line: line,
                        column: fields.count + 1,
                        message: "unexpected text after a closing quote in field \(fields.count + 1)",
                        code: .syntax
                    )
                    try skipRestOfLine()
                    throw error
                }
                field.append(current)
            }
        }
        if quoted {
            isBroken = true
            throw ScenarioError(
                file: file,
                line: start,
                column: fields.count + 1,
                message: "a quoted field is never closed (field \(fields.count + 1))",
                code: .syntax
            )
        }
        fields.append(try text(field, line: start, column: fields.count + 1))
        return Record(line: start, fields: fields)
    }

    /// After a malformed record, moves to the start of the next line, so that skipping the record
    /// does not turn its remainder into another.
    private func skipRestOfLine() throws(ScenarioError) {
        while let current = try byte(at: 0) {
            position += 1
            if current == UInt8(ascii: "\n") {
                line += 1
                return
            }
        }
    }

    private func text(_ bytes: [UInt8], line: Int, column: Int) throws(ScenarioError) -> String {
        // ASCII, by far the common case, needs no validation.
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                _ = buffer.initialize(from: bytes)
                return bytes.count
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ScenarioError(
                file: file,
                line: line,
                column: column,
                message: "field \(column) is not UTF-8 text",
                code: .unreadable
            )
        }
        return text
    }

    /// The byte `offset` places ahead, reading another chunk when needed; nil at the end.
    @inline(__always)
    private func byte(at offset: Int) throws(ScenarioError) -> UInt8? {
        if position + offset < buffer.count { return buffer[position + offset] }
        return try refill(offset)
    }

    private func refill(_ offset: Int) throws(ScenarioError) -> UInt8? {
        while position + offset >= buffer.count {
            guard !finished, let handle else { return nil }
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            } catch {
                throw ScenarioError(
                    file: file,
                    line: line,
                    message: "cannot read the file: \(error.localizedDescription)",
                    code: .unreadable
                )
            }
            if chunk.isEmpty {
                finished = true
                return nil
            }
            buffer.removeFirst(position)
            position = 0
            buffer.append(contentsOf: chunk)
        }
        return buffer[position + offset]
    }
}
