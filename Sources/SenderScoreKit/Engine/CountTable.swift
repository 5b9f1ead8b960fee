/// The probabilities of a count distribution on 0...n, Binomial(n, p) or BetaBinomial(n, α, β),
/// where they exceed 10^-15 of the largest, with their running sums: computed by the ratio
/// recurrence outward from the mode, and normalised by their total, so what is left out (below
/// about 10^-14) is all the error there is. Its storage grows as needed and is reused from fill to
/// fill.
struct CountTable {
    /// The smallest count held.
    private(set) var low = 0
    /// How many counts are held, from `low`, at `terms[start...]`.
    private(set) var count = 1
    private var start = 0
    /// Unnormalised probabilities, and their running sums.
    private var terms: [Double] = [1]
    private var sums: [Double] = [1]
    private var inverseTotal = 1.0

    static let cutoff = 1e-15

    /// Holds Binomial(n, p).
    mutating func fill(n: Int, p: Double) {
        guard n > 0, p > 0, p < 1 else {
            holdOnly(p >= 1 ? max(0, n) : 0)
            return
        }
        let q = 1 - p
        let mode = min(n, Int(Double(n + 1) * p))
        let (downMost, upMost) = reserve(n: n, mode: mode, variance: Double(n) * p * q)
        var below = 0
        var above = 0
        terms.withUnsafeMutableBufferPointer { terms in
            // The counts run as floating-point numbers: converting an integer each step would
            // chain the steps through the conversion's register (x86's false dependency).
            terms[downMost] = 1
            let down = q / p
            var term = 1.0
            var k = Double(mode)
            var rest = Double(n - mode + 1)
            while below < downMost {
                term *= k / rest * down
                if term < Self.cutoff { break }
                below += 1
                terms[downMost - below] = term
                k -= 1
                rest += 1
            }
            let up = p / q
            term = 1
            var remaining = Double(n - mode)
            var next = Double(mode + 1)
            while above < upMost {
                term *= remaining / next * up
                if term < Self.cutoff { break }
                above += 1
                terms[downMost + above] = term
                remaining -= 1
                next += 1
            }
        }
        finish(mode: mode, downMost: downMost, below: below, above: above)
    }

    /// Holds BetaBinomial(n, α, β): the count of n trials at a chance drawn from Beta(α, β).
    /// Both shapes must be at least 1, so that the distribution has one mode.
    mutating func fill(n: Int, alpha: Double, beta: Double) {
        precondition(alpha >= 1 && beta >= 1, "a beta-binomial table needs both shapes at least 1")
        guard n > 0 else {
            holdOnly(0)
            return
        }
        let size = Double(n)
        // P(k + 1) / P(k) = (n − k)(k + α) / ((k + 1)(n − k − 1 + β)).
        func ratio(_ k: Int) -> Double {
            let k = Double(k)
            return (size - k) * (k + alpha) / ((k + 1) * (size - k - 1 + beta))
        }
        var mode = min(n, Int(size * alpha / (alpha + beta)))
        while mode < n, ratio(mode) > 1 { mode += 1 }
        while mode > 0, ratio(mode - 1) < 1 { mode -= 1 }
        let mean = alpha / (alpha + beta)
        let variance = size * mean * (1 - mean) * (alpha + beta + size) / (alpha + beta + 1)
        let (downMost, upMost) = reserve(n: n, mode: mode, variance: variance)
        var below = 0
        var above = 0
        terms.withUnsafeMutableBufferPointer { terms in
            terms[downMost] = 1
            var term = 1.0
            // P(k − 1) = P(k) × k (n − k + β) / ((n − k + 1)(k − 1 + α)), from k = mode.
            var k = Double(mode)
            while below < downMost {
                term *= k * (size - k + beta) / ((size - k + 1) * (k - 1 + alpha))
                if term < Self.cutoff { break }
                below += 1
                terms[downMost - below] = term
                k -= 1
            }
            term = 1
            k = Double(mode)
            while above < upMost {
                term *= (size - k) * (k + alpha) / ((k + 1) * (size - k - 1 + beta))
                if term < Self.cutoff { break }
                above += 1
                terms[downMost + above] = term
                k += 1
            }
        }
        finish(mode: mode, downMost: downMost, below: below, above: above)
    }

    /// Holds all the probability at `count`.
    private mutating func holdOnly(_ count: Int) {
        (low, self.count, start, inverseTotal) = (count, 1, 0, 1)
        terms[0] = 1
        sums[0] = 1
    }

    /// Room for the terms within reach of `mode`: far past the cutoff on either side, 8.3
    /// standard deviations for a bell, about 17 counts for a Poisson of mean 1. Returns how far
    /// down and up the terms may go.
    private mutating func reserve(n: Int, mode: Int, variance: Double) -> (down: Int, up: Int) {
        let reach = Int(40 * variance.squareRoot()) + 64
        let downMost = min(mode, reach)
        let upMost = min(n - mode, reach)
        if terms.count < downMost + upMost + 1 {
            terms = Array(repeating: 0, count: downMost + upMost + 1)
            sums = terms
        }
        return (downMost, upMost)
    }

    /// Records where the terms are, their running sums and their total.
    private mutating func finish(mode: Int, downMost: Int, below: Int, above: Int) {
        (low, count, start) = (mode - below, below + above + 1, downMost - below)
        var running = 0.0
        terms.withUnsafeBufferPointer { terms in
            sums.withUnsafeMutableBufferPointer { sums in
                for index in start..<start + count {
                    running += terms[index]
                    sums[index] = running
                }
            }
        }
        inverseTotal = 1 / running
    }

    /// The probabilities held, normalised, from `low`, into `probabilities`.
    func probabilities(into probabilities: inout [Double]) {
        probabilities.removeAll(keepingCapacity: true)
        for index in start..<start + count { probabilities.append(terms[index] * inverseTotal) }
    }

    /// Σ x[i] P(count ≤ low + at − i) for i in from..<to, each of those indices inside the
    /// table (0 ≤ at − i ≤ count − 2).
    func weightedSums(_ x: UnsafeBufferPointer<Double>, from: Int, to: Int, at: Int) -> Double {
        sums.withUnsafeBufferPointer { sums in
            // x[from + i] × sums[start + at − from − i], with four running totals so that the
            // additions do not wait on each other.
            let n = to - from
            guard n > 0 else { return 0 }
            let xs = x.baseAddress! + from
            let cs = sums.baseAddress! + (start + at - from)
            var (a, b, c, d) = (0.0, 0.0, 0.0, 0.0)
            var i = 0
            while i &+ 3 < n {
                a += xs[i] * cs[-i]
                b += xs[i &+ 1] * cs[-(i &+ 1)]
                c += xs[i &+ 2] * cs[-(i &+ 2)]
                d += xs[i &+ 3] * cs[-(i &+ 3)]
                i &+= 4
            }
            while i < n {
                a += xs[i] * cs[-i]
                i &+= 1
            }
            return ((a + b) + (c + d)) * inverseTotal
        }
    }

    /// P(X + Y < t) for X a distribution given by its probabilities `x` from `xLow` and Y this
    /// table: Σ_x P(X = x) P(Y ≤ t − 1 − x), where P(Y ≤ ·) is 1 for small x, 0 for large x, and
    /// read from the table in between. With `sums`, the running sums of `x` (from 0, one more
    /// than `x`), the part where P(Y ≤ ·) is 1 is read from them.
    func probabilityBelow(
        _ t: Int,
        plus x: UnsafeBufferPointer<Double>,
        sums: UnsafeBufferPointer<Double>? = nil,
        from xLow: Int
    ) -> Double {
        let last = t - 1 - low - xLow
        // x ≤ last − (count − 1): P(Y ≤ ·) = 1; x > last: 0.
        let ones = min(x.count, max(0, last - count + 2))
        let end = min(x.count, max(0, last + 1))
        var total = 0.0
        if let sums {
            total = sums[ones]
        } else {
            for index in 0..<ones { total += x[index] }
        }
        if ones < end { total += weightedSums(x, from: ones, to: end, at: last) }
        return total
    }

    /// P(count ≤ k).
    func cumulative(_ k: Int) -> Double {
        let index = k - low
        if index < 0 { return 0 }
        return index >= count - 1 ? 1 : sums[start + index] * inverseTotal
    }
}
