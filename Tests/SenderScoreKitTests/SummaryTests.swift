import Foundation
import Testing
import _TestSupport

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

    @Test func rateBinsAreTheIntegerQuotientAtEveryEdgeAndSize() {
        // Every bin edge of small denominators, and denominators up to and past 2^31.
        var pairs: [(Int, Int)] = []
        for n in 1...400 { for k in 0...n { pairs.append((k, n)) } }
        for n in [999_999_999, (1 << 31) - 1, 1 << 31, 5_000_000_000_000] {
            for k in [0, 1, n / 2000, n / 2000 * 7, n / 100 * 7, n / 2 - 1, n / 2, n - 1, n] { pairs.append((k, n)) }
        }
        for (k, n) in pairs {
            var histogram = RateHistogram()
            histogram.record(k, of: n)
            #expect(histogram.lastBin == min(RateHistogram.binCount - 1, k * RateHistogram.binCount / n), "\(k)/\(n)")
        }
    }

    @Test func rateHistogramsMergeToTheSameStorageInAnyOrder() {
        var random = SplitMix(seed: 17)
        let values = (0..<3_000).map { _ in (random.below(60), 200 + random.below(300)) }
        var whole = RateHistogram()
        for (k, n) in values { whole.record(k, of: n) }
        var parts = [RateHistogram(), RateHistogram(), RateHistogram()]
        for (index, (k, n)) in values.enumerated() { parts[index % 3].record(k, of: n) }
        var forward = RateHistogram()
        for part in parts { forward.merge(part) }
        var backward = RateHistogram()
        for part in parts.reversed() { backward.merge(part) }
        #expect(forward == whole && backward == whole)
        #expect(whole.bins.reduce(0) { $0 + Int($1) } == 3_000)
    }

    /// Bins keep their trials modulo 2^16 and carry the rest: a bin past 65,535 trials counts,
    /// merges, reads back and stores alike however its trials came.
    @Test func rateHistogramBinsCountPastSixteenBits() throws {
        var many = RateHistogram()
        for trial in 0..<150_000 { many.record(trial % 3 == 0 ? 7 : 8, of: 100) }
        var parts = [RateHistogram(), RateHistogram()]
        for trial in 0..<150_000 { parts[trial % 2].record(trial % 3 == 0 ? 7 : 8, of: 100) }
        var merged = parts[0]
        merged.merge(parts[1])
        var twice = merged
        twice.merge(merged)
        #expect(many.bins[140] == 50_000 && many.bins[160] == 100_000 && many.trials(inBins: 0..<2_000) == 150_000)
        #expect(merged == many && twice.bins[160] == 200_000 && twice.count == 300_000)
        let read = try JSONDecoder().decode(RateHistogram.self, from: JSONEncoder().encode(twice))
        #expect(read == twice && read.quantile(0.5).map { abs($0 - 0.08) < 0.001 } == true)
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
