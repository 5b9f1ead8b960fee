import Foundation

/// A decimal number held exactly, as `units / 10^scale`.
///
/// Rule thresholds, points and audience shares are written as decimals ("0.07", "7%", "12.5").
/// Comparing an observed rate `k / n` with a threshold must be exact, so that 14 of 200 is
/// exactly 7% and lands on the `0.07` row; binary floating point cannot promise that.
///
/// Values have at most `maximumScale` (9) decimal places and a magnitude below `limit` (10^9),
/// so that sums of two values and every comparison fit in 64-bit units at a common scale.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, Encodable {
    /// The value times `10^scale`.
    public let units: Int64
    /// The number of decimal places, 0 through `maximumScale`.
    public let scale: Int
    /// `10^scale`, kept so that rate comparisons need no table look-up.
    public let powerOfTen: Int64

    public static let maximumScale = 9
    /// Magnitudes must stay below this.
    public static let limit: Int64 = 1_000_000_000
    public static let zero = ExactDecimal(units: 0, scale: 0)
    public static let one = ExactDecimal(units: 1, scale: 0)

    /// Creates `units / 10^scale`, normalised (no trailing zeros in the fraction).
    public init(units: Int64, scale: Int) {
        precondition((0...Self.maximumScale).contains(scale), "scale out of range")
        var units = units
        var scale = scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        self.units = units
        self.scale = scale
        self.powerOfTen = Self.powerOfTen(scale)
    }

    public init(_ integer: Int) {
        self.init(units: Int64(integer), scale: 0)
    }

    /// Parses decimal text: `0.07`, `.5`, `-3`, `1e-2`, `7%`, `2.5 %`.
    ///
    /// Returns nil for anything else, and for values with more than 9 decimal places or a
    /// magnitude of 10^9 or more.
    public init?(parsing text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        var percent = false
        if s.hasSuffix("%") {
            percent = true
            s = s.dropLast().drop(while: { $0 == " " })
            s = Substring(s.trimmingCharacters(in: .whitespaces))
        }
        var negative = false
        if let first = s.first, first == "-" || first == "+" {
            negative = first == "-"
            s = s.dropFirst()
        }
        var mantissa = s
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard !percent, let parsed = Int(s[s.index(after: e)...]), abs(parsed) <= 40 else { return nil }
            exponent = parsed
            mantissa = s[..<e]
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let integerDigits = parts[0]
        let fractionDigits = parts.count == 2 ? parts[1] : ""
        guard !(integerDigits.isEmpty && fractionDigits.isEmpty),
            (integerDigits + fractionDigits).allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var digits = Substring(String(integerDigits + fractionDigits).drop(while: { $0 == "0" }))
        var scale = fractionDigits.count - exponent + (percent ? 2 : 0)
        // Trailing zeros carry no information; dropping them keeps long inputs in range.
        while scale > 0, digits.last == "0" {
            digits = digits.dropLast()
            scale -= 1
        }
        if digits.isEmpty {
            self = .zero
            return
        }
        while scale < 0 {
            digits += "0"
            scale += 1
        }
        guard scale <= Self.maximumScale, digits.count <= 18, let units = Int64(digits),
            units / Self.powerOfTen(scale) < Self.limit
        else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    /// Half of `limit`: values below it add up without overflow.
    public static let halfLimit = ExactDecimal(units: limit / 2, scale: 0)

    /// The absolute value.
    public var magnitude: ExactDecimal { ExactDecimal(units: units < 0 ? -units : units, scale: scale) }

    /// Encoded as its decimal text, exactly.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var doubleValue: Double {
        Double(units) / Self.powerOfTen(scale)
    }

    public var description: String {
        guard scale > 0 else { return String(units) }
        let magnitude = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return (units < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.scaled(to: scale) < rhs.scaled(to: scale)
    }

    /// The exact sum; nil when it reaches `limit` in magnitude.
    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal? {
        let scale = max(lhs.scale, rhs.scale)
        let sum = lhs.scaled(to: scale) + rhs.scaled(to: scale)
        guard let units = Int64(exactly: sum), units.magnitude / UInt64(powerOfTen(scale)) < UInt64(limit) else {
            return nil
        }
        return ExactDecimal(units: units, scale: scale)
    }

    /// The sign of `count / denominator - self`: -1, 0 or 1. The denominator must be positive.
    ///
    /// - Complexity: O(1), two full-width 64-bit products.
    @inline(__always)
    public func signOfRate(_ count: Int, over denominator: Int) -> Int {
        let rate = Int64(count).multipliedFullWidth(by: powerOfTen)
        let threshold = units.multipliedFullWidth(by: Int64(denominator))
        if rate.high != threshold.high { return rate.high < threshold.high ? -1 : 1 }
        return rate.low == threshold.low ? 0 : (rate.low < threshold.low ? -1 : 1)
    }

    /// The smallest count whose rate over `denominator` is at least `self` (`signOfRate` ≥ 0): 0
    /// for a rate at most 0, and above `denominator` for a rate above 1. The denominator must be
    /// positive.
    public func smallestCount(over denominator: Int) -> Int {
        guard units > 0 else { return 0 }
        let (narrow, overflow) = units.multipliedReportingOverflow(by: Int64(denominator))
        if !overflow {
            let (quotient, remainder) = narrow.quotientAndRemainder(dividingBy: powerOfTen)
            return Int(remainder > 0 ? quotient + 1 : quotient)
        }
        let product = Int128(units) * Int128(denominator)
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: Int128(powerOfTen))
        return Int(clamping: remainder > 0 ? quotient + 1 : quotient)
    }

    private func scaled(to target: Int) -> Int128 {
        Int128(units) * Self.powersOfTen[target - scale]
    }

    private static let powersOfTen: [Int128] = (0...maximumScale).reduce(into: []) { table, n in
        table.append(n == 0 ? 1 : table[n - 1] * 10)
    }

    static func powerOfTen(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
