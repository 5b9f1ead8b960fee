import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Every parameter form draws from the distribution it names: sample means and standard
/// deviations against the analytic ones, with a fixed seed.
@Suite struct DistributionTests {
    static let draws = 100_000

    func parameter(_ yaml: String, domain: Parameter.Domain = .probability) throws -> Parameter {
        let value = try YAMLValue.parse("x: \(yaml)", file: "p.yaml").entries()[0].value
        return try ParameterReader.parameter(value, domain: domain)
    }

    func moments(_ sample: () -> Double) -> (mean: Double, sd: Double) {
        var sum = 0.0
        var squares = 0.0
        for _ in 0..<Self.draws {
            let x = sample()
            sum += x
            squares += x * x
        }
        let mean = sum / Double(Self.draws)
        return (mean, (squares / Double(Self.draws) - mean * mean).squareRoot())
    }

    func expect(
        _ yaml: String,
        domain: Parameter.Domain = .probability,
        mean: Double,
        sd: Double,
        within bounds: ClosedRange<Double>? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let parameter = try parameter(yaml, domain: domain)
        let lanes = RandomLanes(generator: .taus2, seeds: StreamSeeds(seed: 3, lanes: 1), block: 0)
        var outside = 0
        let observed = moments {
            let x = lanes.sample(parameter.distribution, lane: 0)
            if let bounds, !bounds.contains(x) { outside += 1 }
            return x
        }
        let standardError = sd / Double(Self.draws).squareRoot()
        #expect(
            abs(observed.mean - mean) < 4 * standardError,
            "\(yaml): mean \(observed.mean), expected \(mean)",
            sourceLocation: sourceLocation
        )
        #expect(
            abs(observed.sd / sd - 1) < 0.03,
            "\(yaml): sd \(observed.sd), expected \(sd)",
            sourceLocation: sourceLocation
        )
        #expect(
            abs(parameter.mean - mean) < 1e-9 * max(1, mean),
            "\(yaml): Parameter.mean",
            sourceLocation: sourceLocation
        )
        #expect(
            outside == 0,
            "\(yaml): \(outside) draws outside \(String(describing: bounds))",
            sourceLocation: sourceLocation
        )
    }

    @Test func beta() throws {
        try expect("{beta: {mean: 0.08, sd: 0.02}}", mean: 0.08, sd: 0.02, within: 0...1)
        let a = 3.0
        let b = 97.0
        try expect(
            "{beta: {alpha: 3, beta: 97}}",
            mean: a / (a + b),
            sd: (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
        )
    }

    @Test func uniformAndTriangular() throws {
        try expect("{uniform: [0.06, 0.12]}", mean: 0.09, sd: 0.06 / 12.squareRoot(), within: 0.06...0.12)
        let (l, m, u) = (0.7, 0.9, 1.1)
        try expect(
            "{triangular: [0.7, 0.9, 1.1]}",
            domain: .multiplier,
            mean: (l + m + u) / 3,
            sd: ((l * l + m * m + u * u - l * m - l * u - m * u) / 18).squareRoot(),
            within: 0.7...1.1
        )
    }

    @Test func truncatedNormal() throws {
        // Truncated at 0: mean and sd of the truncated distribution.
        let mu = 0.02
        let sigma = 0.03
        let alpha = (0 - mu) / sigma
        let beta = (1 - mu) / sigma
        let z = Gaussian.cdf(beta) - Gaussian.cdf(alpha)
        let ratio = (Gaussian.density(alpha) - Gaussian.density(beta)) / z
        let variance =
            sigma * sigma * (1 + (alpha * Gaussian.density(alpha) - beta * Gaussian.density(beta)) / z - ratio * ratio)
        try expect(
            "{normal: {mean: 0.02, sd: 0.03}}",
            mean: mu + sigma * ratio,
            sd: variance.squareRoot(),
            within: 0...1
        )
    }

    @Test func lognormalAndGamma() throws {
        // sd is the distribution's own standard deviation.
        let sigma = (log((1 + (1 + 4 * 0.01).squareRoot()) / 2)).squareRoot()  // median 1, sd 0.1
        let mean = exp(sigma * sigma / 2)
        try expect("{lognormal: {median: 1, sd: 0.1}}", domain: .multiplier, mean: mean, sd: 0.1, within: 0...100)
        try expect(
            "{lognormal: {median: 1.2, sigma: 0.2}}",
            domain: .multiplier,
            mean: 1.2 * exp(0.02),
            sd: 1.2 * (exp(0.04) * (exp(0.04) - 1)).squareRoot()
        )
        try expect("{gamma: {mean: 1.1, sd: 0.1}}", domain: .multiplier, mean: 1.1, sd: 0.1)
        try expect("{gamma: {shape: 4, scale: 0.5}}", domain: .multiplier, mean: 2, sd: 1)
    }

    @Test func counts() throws {
        func check(_ yaml: String, mean: Double, sd: Double) throws {
            let value = try YAMLValue.parse("x: \(yaml)", file: "c.yaml").entries()[0].value
            let count = try ParameterReader.count(value, range: 0...1_000_000_000)
            let lanes = RandomLanes(generator: .taus2, seeds: StreamSeeds(seed: 4, lanes: 1), block: 0)
            let observed = moments { Double(lanes.sample(count.distribution, lane: 0)) }
            #expect(
                abs(observed.mean - mean) < 4 * sd / Double(Self.draws).squareRoot(),
                "\(yaml): mean \(observed.mean)"
            )
            #expect(abs(observed.sd / sd - 1) < 0.03, "\(yaml): sd \(observed.sd)")
            #expect(abs(count.mean - mean) < 1e-9 * mean)
        }
        try check("{poisson: 140}", mean: 140, sd: 140.squareRoot())
        try check("{negativeBinomial: {mean: 125, sd: 35}}", mean: 125, sd: 35)
        try check("{negativeBinomial: {n: 5, p: 0.2}}", mean: 20, sd: (5 * 0.8 / 0.04).squareRoot())
    }
}
