import Foundation
import Testing

@testable import SenderScoreKit

/// `Format.c`, C's formatting in the "C" locale, gives what `String(format:)` gives, for every
/// conversion the formats use and values of every kind: halves that round either way, values
/// just below and above them, negatives and negative zero, huge and tiny numbers, infinities
/// and NaN.
@Suite struct FormatTests {
    @Test func cFormattingIsFoundationsFormatting() {
        var values: [Double] = [
            0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.125, 2.5, 3.5, -2.5, 0.005, 1e-7, 123_456.789, -9.95, 99.95, 1e300,
            -1e300, 1e-300, .pi, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
        ]
        var state: UInt64 = 7
        for _ in 0..<2_000 {
            let bits = SplitMix64.next(&state)
            let scale = [1.0, 100, 1e-3, 1e6][Int(bits % 4)]
            let value = Double(bits >> 11) / Double(1 << 53) * scale
            values += [value, -value, (value * 1000).rounded() / 1000, value.nextUp, value.nextDown]
        }
        for value in values {
            for format in ["%.0f", "%.1f", "%.2f", "%.3f%%", "%.6g", "%.3g%%", "%.12g", "%.1f,%.1f"] {
                let arguments: [any CVarArg] = format.contains(",") ? [value, -value] : [value]
                let expected = String(format: format, arguments: arguments)
                let made = format.contains(",") ? Format.c(format, value, -value) : Format.c(format, value)
                #expect(made == expected, "\(format) of \(value)")
            }
        }
        for value in [0, 9, 10, 255, 0x61C, 0x2028, 0xFFFF] as [UInt32] {
            #expect(Format.c("\\u%04X", value) == String(format: "\\u%04X", value))
            #expect(Format.c("%02x", Int(value % 256)) == String(format: "%02x", Int(value % 256)))
        }
        // A number longer than the first buffer.
        #expect(Format.c("%.2f", 1e300) == String(format: "%.2f", 1e300))
        #expect(Format.c("%.2f", 1e300).count > 300)
    }
}
