import Foundation

/// Number formatting for people.
package enum Format {
    /// A parameter value: up to 6 significant digits, no trailing zeros ("0.08", "140", "1.2e-05").
    package static func number(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : (value < 0 ? "-∞" : "NaN") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = String(format: "%.6g", value)
        return text
    }

    /// A whole number with thousands separators: 20,000.
    package static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A fraction as a percentage with `digits` decimals: 0.0712 gives "7.1%".
    package static func percent(_ fraction: Double?, digits: Int = 1) -> String {
        guard let fraction else { return "–" }
        return String(format: "%.\(digits)f%%", fraction * 100)
    }

    /// A fraction as percentage points without the sign, for table cells: "7.1".
    package static func points(_ fraction: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", fraction * 100)
    }

    /// A plain decimal with `digits` decimals, or "–" when missing.
    package static func fixed(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    /// A fraction in percentage points, with a second decimal only when the first would show 0.0:
    /// "12.3", "0.3", "0.04", "<0.01".
    package static func smallPercent(_ fraction: Double) -> String {
        let points = fraction * 100
        if points >= 0.095 { return Format.fixed(points, digits: 1) }
        if points >= 0.0095 { return Format.fixed(points, digits: 2) }
        return "<0.01"
    }

    /// "+4.1", "-0.3", "0.0".
    package static func signed(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "–" }
        let zero = Format.fixed(0, digits: digits)
        let text = Format.fixed(value, digits: digits)
        if text == zero || text == "-" + zero { return zero }
        return value > 0 ? "+" + text : text
    }

    /// A change of probability in percentage points: "+12.0 pts".
    package static func signedPoints(_ value: Double?) -> String {
        guard let value else { return "–" }
        return signed(value * 100) + " pts"
    }
}
