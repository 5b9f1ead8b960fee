extension RuleSet {
    /// The band index of true rates, exactly. With `replyDenominator: completed` the observed reply
    /// rate tends to reply × (1 − bounce), so that is the rate the rows are looked up with.
    public func bandOfRates(reply rate: ExactDecimal, bounce: ExactDecimal) -> Int {
        let bounceRow = self.bounce.lastIndex { $0.from <= bounce } ?? self.bounce.count
        let replyRow: Int
        if bounce == .one {
            replyRow = reply.count
        } else if replyDenominator == .delivered {
            replyRow = reply.lastIndex { $0.from <= rate } ?? reply.count
        } else {
            // rate × (1 − bounce) as a fraction of 128-bit integers.
            let numerator = Int128(rate.units) * (Int128(bounce.powerOfTen) - Int128(bounce.units))
            let denominator = Int128(rate.powerOfTen) * Int128(bounce.powerOfTen)
            replyRow =
                reply.lastIndex { Int128($0.from.units) * denominator <= numerator * Int128($0.from.powerOfTen) }
                ?? reply.count
        }
        return cellBands[cellIndex(replyRow: replyRow, bounceRow: bounceRow)]
    }
}
