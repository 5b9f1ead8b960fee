/// Seconds since 1970-01-01T00:00:00Z, read from and written as ISO 8601 in UTC.
///
/// Exports carry dates as `2026-07-03`, `2026-07-03T14:05:00Z`, `2026-07-03 14:05:00`,
/// `2026-07-03T14:05:00.123+02:00` or milliseconds since 1970 (the CRM's API form).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    /// Midnight UTC of a calendar day.
    public init(year: Int, month: Int, day: Int) {
        seconds = Self.days(year: year, month: month, day: day) * 86_400
    }

    public init?(parsing text: String) {
        // Byte by byte: exports carry a date on every row, so this is on the hot path of `score`.
        var bytes = Array(text.utf8)
        while bytes.last == 0x20 { bytes.removeLast() }
        while bytes.first == 0x20 { bytes.removeFirst() }
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        if bytes.count >= 11, bytes.count <= 16, let milliseconds = digits(0..<bytes.count) {
            seconds = Int64(milliseconds / 1000)
            return
        }
        let dash = UInt8(ascii: "-")
        let colon = UInt8(ascii: ":")
        guard bytes.count >= 10, bytes[4] == dash, bytes[7] == dash,
            let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
            (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var value = Self.days(year: year, month: month, day: day) * 86_400
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == 0x20, bytes.count >= 16, bytes[13] == colon,
                let hour = digits(11..<13), let minute = digits(14..<16), hour < 24, minute < 60
            else { return nil }
            value += Int64(hour * 3600 + minute * 60)
            var index = 16
            if index < bytes.count, bytes[index] == colon {
                guard let second = digits(17..<19), second < 61 else { return nil }
                value += Int64(second)
                index = 19
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            }
            let rest = bytes.count - index
            if rest == 0 || (rest == 1 && bytes[index] == UInt8(ascii: "Z")) {
                // UTC
            } else if rest == 6 || rest == 5 || rest == 3, bytes[index] == UInt8(ascii: "+") || bytes[index] == dash,
                rest != 6 || bytes[index + 3] == colon,
                let hours = digits(index + 1..<index + 3),
                let minutes = rest == 3 ? 0 : digits((rest == 6 ? index + 4 : index + 3)..<bytes.count),
                hours < 24, minutes < 60
            {
                // +02:00, +0200 or +02
                let offset = Int64(hours * 3600 + minutes * 60)
                value += bytes[index] == dash ? offset : -offset
            } else {
                return nil
            }
        }
        seconds = value
    }

    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = Self.civil(days: days)
        let within = seconds - days * 86_400
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(year)-\(two(Int64(month)))-\(two(Int64(day)))T\(two(within / 3600)):\(two(within % 3600 / 60)):\(two(within % 60))Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count (civil_from_days).
    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}
