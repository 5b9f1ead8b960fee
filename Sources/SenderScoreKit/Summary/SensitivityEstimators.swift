import Foundation

/// A factor's Sobol' indices, each with the half-width of its 95% bootstrap interval.
public struct SobolIndex: Sendable, Hashable, Encodable {
    /// First-order index: the share of the output's variance that the factor explains alone,
    /// Var(E[Y | X_i]) / Var(Y).
    public var first: Double
    public var firstConf: Double
    /// Total-effect index of the expected outcome: the share of Var(Y) that would remain in
    /// E[Y | inputs] if every other input were known, E[Var(E[Y | X] | X_~i)] / Var(Y), so it
    /// counts the factor's interactions with other inputs. For the enrollment noise, the share
    /// of Var(Y) no input explains, E[Var(Y | X)] / Var(Y).
    public var total: Double
    public var totalConf: Double
    /// SALib's total-effect estimate on the design as written (`--samples-out`), where AB_i
    /// shares A's enrollments: E[Var(Y | X_~i, enrollments)] / Var(Y), which also counts how
    /// changing the input reshuffles the enrollments' luck.
    public var salibTotal: Double
    public var salibTotalConf: Double
}

/// Sobol' indices from a Saltelli design, with the estimators SALib's `sobol.analyze` uses
/// (`calc_second_order=False`): the outputs are standardised over the whole design, then
/// S_i = mean(f(B) (f(AB_i) − f(A))) / V (Saltelli et al. 2010) and
/// ST_i = mean((f(A) − f(AB_i))²) / 2V (Jansen 1999), V the variance of f(A) and f(B) together;
/// an interval is ± z times the standard deviation of the estimate over bootstrap resamples of
/// the design's rows (the same resamples for every estimate).
public enum SobolEstimator {
    /// The estimates, and their values in each resample (resamples whose A and B are constant
    /// are left out).
    public struct Estimates: Sendable {
        public var first: [Double]
        public var total: [Double]
        public var resampledFirst: [[Double]]
        public var resampledTotal: [[Double]]
    }

    /// `y` holds `n` rows of `factors + 2` outputs each: f(A), f(AB_1), …, f(AB_factors), f(B).
    /// `resamples[k]` lists the rows of bootstrap resample k. All zero when the output is constant.
    public static func estimates(_ y: [Double], factors: Int, resamples: [[Int]]) -> Estimates {
        let width = factors + 2
        let n = y.count / width
        let zero = Array(repeating: 0.0, count: factors)
        let none = Estimates(first: zero, total: zero, resampledFirst: [], resampledTotal: [])
        guard n > 1 else { return none }
        let mean = y.reduce(0, +) / Double(y.count)
        let sd = (y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(y.count)).squareRoot()
        guard sd > 0 else { return none }
        let scaled = y.map { ($0 - mean) / sd }
        func a(_ j: Int) -> Double { scaled[j * width] }
        func b(_ j: Int) -> Double { scaled[j * width + width - 1] }
        func ab(_ j: Int, _ i: Int) -> Double { scaled[j * width + 1 + i] }

        /// Both estimators of every factor over `rows` (with repeats); nil when A and B are constant.
        func estimate(_ rows: [Int]) -> (first: [Double], total: [Double])? {
            var sum = 0.0
            var low = Double.infinity
            var high = -Double.infinity
            for j in rows {
                sum += a(j) + b(j)
                low = min(low, a(j), b(j))
                high = max(high, a(j), b(j))
            }
            guard high > low else { return nil }
            let centre = sum / Double(2 * rows.count)
            var squares = 0.0
            for j in rows { squares += (a(j) - centre) * (a(j) - centre) + (b(j) - centre) * (b(j) - centre) }
            let variance = squares / Double(2 * rows.count)
            var first = zero
            var total = zero
            for i in 0..<factors {
                var s = 0.0
                var t = 0.0
                for j in rows {
                    s += b(j) * (ab(j, i) - a(j))
                    t += (a(j) - ab(j, i)) * (a(j) - ab(j, i))
                }
                first[i] = s / Double(rows.count) / variance
                total[i] = 0.5 * t / Double(rows.count) / variance
            }
            return (first, total)
        }
        guard let point = estimate(Array(0..<n)) else { return none }
        let boot = resamples.compactMap(estimate)
        return Estimates(
            first: point.first,
            total: point.total,
            resampledFirst: boot.map(\.first),
            resampledTotal: boot.map(\.total)
        )
    }

    /// The indices of inputs and the enrollment noise (the last factor) from two designs that
    /// differ only in their inputs' AB rows: in `design` (SALib's) AB_i takes A's enrollments,
    /// in `decoupled` B's. First-order indices come from `design`, where B and AB_i share only
    /// input i. An input's total effect on the expected outcome is `decoupled`'s total less the
    /// noise's: there A and AB_i share only the other inputs, so the total counts the noise's
    /// whole share, which is taken off, and nothing depends on how the engine turns random
    /// numbers into counts. Intervals are ± z standard deviations over the same resamples.
    public static func indices(
        _ design: [Double],
        decoupled: [Double],
        factors: Int,
        resamples: [[Int]],
        z: Double
    ) -> [SobolIndex] {
        let e = estimates(design, factors: factors, resamples: resamples)
        let d = estimates(decoupled, factors: factors, resamples: resamples)
        let noise = factors - 1
        func conf(_ values: [Double]) -> Double { z * Statistics.sampleStandardDeviation(values) }
        return (0..<factors).map { i in
            let isNoise = i == noise
            return SobolIndex(
                first: e.first[i],
                firstConf: conf(e.resampledFirst.map { $0[i] }),
                total: isNoise ? e.total[i] : d.total[i] - d.total[noise],
                totalConf: conf(isNoise ? e.resampledTotal.map { $0[i] } : d.resampledTotal.map { $0[i] - $0[noise] }),
                salibTotal: e.total[i],
                salibTotalConf: conf(e.resampledTotal.map { $0[i] })
            )
        }
    }

    /// `count` bootstrap resamples of `rows` rows, from `seed`: the same rows for every factor
    /// and every estimate that uses them.
    public static func resamples(rows: Int, count: Int, seed: UInt64) -> [[Int]] {
        var state = seed ^ 0x5eed_b007_5eed_b007
        return (0..<count).map { _ in
            (0..<rows).map { _ in Int(SplitMix64.next(&state).multipliedFullWidth(by: UInt64(rows)).high) }
        }
    }
}

/// What learning one input before choosing is worth: from trials in which every choice was
/// evaluated on the same random numbers, the trials are cut into bins of the input's value
/// (equal counts, ties kept together), the best choice is found in each bin and over all, and
///
/// - the expected value of perfect information is the mean, over bins, of the best choice's
///   mean in the bin, less the best choice's mean over all (never negative);
/// - the probability that the best choice changes is the share of trials in bins whose best
///   differs from the best over all.
///
/// Noise in the bins' means makes both a little larger than they are; `noiseFloor` measures how
/// much, by binning trials in an order unrelated to any input.
public enum DecisionValue {
    public struct Estimate: Sendable, Hashable {
        public var evpi: Double
        public var pChange: Double
        /// Per choice, the share of trials in bins where it is best.
        public var bestShares: [Double]
    }

    /// The bins of `order` (row indices sorted by the input's value `x`): `bins` of nearly equal
    /// size, never splitting equal values.
    public static func bins(order: [Int], x: [Double], bins: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        let n = order.count
        for b in 1...max(1, bins) {
            var end = b == bins ? n : max(start, b * n / bins)
            while end < n, end > 0, x[order[end]] == x[order[end - 1]] { end += 1 }
            if end > start {
                ranges.append(start..<end)
                start = end
            }
        }
        if start < n { ranges.append(start..<n) }
        return ranges
    }

    /// The estimate from `values[choice][row]`, the rows binned by `bins` over `order`, each row
    /// counted `weights[row]` times (all once by default).
    public static func estimate(
        values: [[Double]],
        order: [Int],
        bins: [Range<Int>],
        weights: [Double]? = nil
    ) -> Estimate {
        let choices = values.count
        var binMeans: [[Double]] = []
        var binWeights: [Double] = []
        var totals = Array(repeating: 0.0, count: choices)
        var all = 0.0
        for bin in bins {
            var sums = Array(repeating: 0.0, count: choices)
            var weight = 0.0
            for position in bin {
                let row = order[position]
                let w = weights?[row] ?? 1
                guard w > 0 else { continue }
                weight += w
                for choice in 0..<choices { sums[choice] += w * values[choice][row] }
            }
            guard weight > 0 else { continue }
            for choice in 0..<choices { totals[choice] += sums[choice] }
            all += weight
            binMeans.append(sums.map { $0 / weight })
            binWeights.append(weight)
        }
        guard all > 0, choices > 0 else { return Estimate(evpi: 0, pChange: 0, bestShares: []) }
        let best = Self.best(totals)
        var evpi = 0.0
        var changed = 0.0
        var shares = Array(repeating: 0.0, count: choices)
        for (means, weight) in zip(binMeans, binWeights) {
            let winner = Self.best(means)
            evpi += weight * (means[winner] - means[best])
            if winner != best { changed += weight }
            shares[winner] += weight / all
        }
        return Estimate(evpi: max(0, evpi / all), pChange: changed / all, bestShares: shares)
    }

    /// The first of the largest.
    static func best(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}
