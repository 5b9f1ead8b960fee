import Foundation

/// Shares: parts of a whole that a file lists (an audience, a sequence's steps, contact groups).
extension YAMLValue {
    /// How far from 1 a list of shares may sum: any program's shares (1/3 written as
    /// 0.3333333333333333) pass, a typo does not.
    static let shareTolerance = 1e-9

    /// A share: any finite number from 0 to 1, as a fraction or a percentage
    /// (`0.3333333333333333`, `0.30000000000000004`, `30%`).
    func share() throws(ScenarioError) -> Double {
        let value = try number()
        guard value.isFinite, value >= 0, value <= 1 else {
            throw error("a share must be from 0 to 1, found \(Self.shareText(value))")
        }
        return value
    }

    /// `shares` divided by their sum, which must be 1 within `shareTolerance`; the message says
    /// "<what> sum to <total>, expected 1" at this node.
    func normalized(_ shares: [Double], what: String) throws(ScenarioError) -> [Double] {
        let total = Self.sum(shares)
        guard abs(total - 1) <= Self.shareTolerance else {
            throw error("\(what) sum to \(Self.shareText(total)), expected 1")
        }
        return shares.map { $0 / total }
    }

    /// The sum with compensation (Neumaier), so that many small shares add up to what they are.
    static func sum(_ values: [Double]) -> Double {
        var sum = 0.0
        var compensation = 0.0
        for value in values {
            let next = sum + value
            compensation += abs(sum) >= abs(value) ? (sum - next) + value : (value - next) + sum
            sum = next
        }
        return sum + compensation
    }

    /// A share or a sum of shares for a message: as short as it reads back ("0.9", "1.2"), with
    /// the digits that show how far from 1 it is.
    static func shareText(_ value: Double) -> String {
        let short = Format.number(value)
        return Double(short) == value || abs(value - 1) > 1e-5 ? short : Format.c("%.12g", value)
    }
}
