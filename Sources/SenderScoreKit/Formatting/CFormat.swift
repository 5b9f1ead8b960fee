import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

extension Format {
    /// `String(format: format, arguments)`, made by C's `vsnprintf` in the "C" locale: the same
    /// text (Foundation formats numbers through the C library too), at a small part of the cost.
    /// Foundation builds a `CFString` for every number, which took a sixth of the time of a
    /// 10,000-rep run's text report. `format` holds only C conversions of numbers (`%.1f`,
    /// `%.6g`, `%04X`, `%%`), never `%@`.
    package static func c(_ format: String, _ arguments: any CVarArg...) -> String {
        // Without a "C" locale to switch to (newlocale failed), the process's own, which nothing
        // in senderscore sets.
        let previous = cLocale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer -> String in
            let written = withVaList(arguments) { vsnprintf(buffer.baseAddress!, buffer.count, format, $0) }
            guard written >= 0 else { return String(format: format, arguments: arguments) }
            guard Int(written) < buffer.count else {
                // A number of more than a hundred digits: once, with room for all of it.
                var large = [CChar](repeating: 0, count: Int(written) + 1)
                _ = withVaList(arguments) { vsnprintf(&large, large.count, format, $0) }
                return String(decoding: large.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(written)),
                as: UTF8.self
            )
        }
    }

    /// The "C" locale, whatever the process's: a decimal point, never a comma.
    private nonisolated(unsafe) static let cLocale: locale_t? = newlocale(1 << LC_NUMERIC, "C", nil)
}
