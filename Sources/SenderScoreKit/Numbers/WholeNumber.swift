/// Whole numbers as data files write them: decimal digits only, so that `0x10`, `1e3`, `+5` or
/// `١٢` are refused rather than read as something the file did not say.
package enum WholeNumber {
    /// What a message adds after "expected a whole number" for `text` that `parse` refused: that
    /// digits must be decimal when it is a number in another notation (`0x10`, `1e3`, `+5`).
    package static func notation(of text: some StringProtocol) -> String {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return " below 2^63" }
        return text.contains(where: \.isNumber) ? " in decimal digits" : ""
    }

    /// The value of `text` when it is ASCII decimal digits, optionally followed by a point and
    /// zeros (`12`, `12.0`, as spreadsheets write whole numbers); nil otherwise or on overflow.
    package static func parse(_ text: some StringProtocol) -> Int? {
        var utf8 = Substring(text).utf8[...]
        if let point = utf8.firstIndex(of: UInt8(ascii: ".")) {
            let fraction = utf8[utf8.index(after: point)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
            utf8 = utf8[..<point]
        }
        guard !utf8.isEmpty else { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow, !overflowAgain else { return nil }
            value = sum
        }
        return value
    }
}
