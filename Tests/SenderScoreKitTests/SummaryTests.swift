import Testing

@testable import SenderScoreKit

@Suite struct SummaryTests {
    @Test func rateBinsUseExactArithmetic() {
        var histogram = RateHistogram()
        histogram.record(14, of: 200)  // exactly 7%: the bin that starts at 0.07
        #expect(histogram.bins[140] == 1)
        histogram.record(1, of: 1)
        #expect(histogram.bins[RateHistogram.binCount - 1] == 1)
        histogram.record(0, of: 5)
        #expect(histogram.bins[0] == 1)
    }

    @Test func rateQuantilesInterpolateWithinABin() {
        var histogram = RateHistogram()
        for k in 0..<100 { histogram.record(k, of: 100) }
        // The 50th of the values 0, 0.01, …, 0.99 is 0.49; interpolation stays within its bin.
        let median = histogram.quantile(0.5) ?? -1
        #expect(median >= 0.49 && median <= 0.49 + 1.0 / Double(RateHistogram.binCount))
        #expect(histogram.moments.mean == 0.495)
    }

    @Test func countQuantilesAreExactWhileNarrow() {
        var histogram = CountHistogram()
        for value in 100...199 { histogram.record(value) }
        #expect(histogram.shift == 0)
        #expect(histogram.quantile(0.05) == 104)
        #expect(histogram.quantile(0.5) == 149)
        #expect(histogram.quantile(0.95) == 194)
        #expect(histogram.moments.mean == 149.5)
    }

    @Test func countHistogramsMergeTheSameInAnyGrouping() {
        var a = CountHistogram()
        var b = CountHistogram()
        var c = CountHistogram()
        for value in stride(from: 0, to: 3_000, by: 7) { a.record(value) }
        for value in stride(from: 90_000, to: 100_000, by: 13) { b.record(value) }
        for value in [5, 50_000, 1_000_000] { c.record(value) }
        var left = a
        left.merge(b)
        left.merge(c)
        var right = b
        right.merge(c)
        var whole = a
        whole.merge(right)
        #expect(left == whole, "merged histograms differ")
        #expect(left.shift > 0)
        #expect(left.count == a.count + b.count + c.count)
        // The same values recorded one by one give the same histogram as the merge.
        var sequential = CountHistogram()
        for value in stride(from: 0, to: 3_000, by: 7) { sequential.record(value) }
        for value in stride(from: 90_000, to: 100_000, by: 13) { sequential.record(value) }
        for value in [5, 50_000, 1_000_000] { sequential.record(value) }
        #expect(sequential == left, "recorded and merged histograms differ")
    }

    @Test func momentsMergeExactly() {
        var a = Moments()
        var b = Moments()
        var c = Moments()
        for k in 0..<1000 { a.record(Double(k) / 1000) }
        for k in 0..<777 { b.record(Double(k % 13) / 13) }
        c.record(1)
        var left = a
        left.merge(b)
        left.merge(c)
        var right = b
        right.merge(c)
        var whole = a
        whole.merge(right)
        #expect(left == whole)
    }
}
