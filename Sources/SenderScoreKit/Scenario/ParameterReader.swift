import Foundation

/// Reads parameters written as a number or as a one-key mapping naming a distribution.
enum ParameterReader {
    static let continuousKinds = ["beta", "uniform", "triangular", "normal", "lognormal", "gamma"]
    static let countKinds = ["poisson", "negativeBinomial"]

    static func parameter(_ value: YAMLValue, domain: Parameter.Domain) throws(ScenarioError) -> Parameter {
        let bounds = domain.bounds
        if case .scalar = value.node {
            let number = try value.number()
            guard bounds.contains(number) else {
                throw value.error(
                    "\(Format.number(number)) is not \(domain.noun); expected a value \(rangeText(domain))"
                )
            }
            return .fixed(number, domain: domain)
        }
        let (kind, body) = try distributionEntry(value, kinds: continuousKinds, what: "a number or a distribution")
        let parameter: Parameter
        switch kind {
        case "beta":
            let map = try body.mapping(allowing: ["alpha", "beta", "mean", "sd"])
            if map.has("mean") || map.has("sd") {
                try noMixing(map, ["alpha", "beta"], with: "mean and sd")
                let mean = try positive(map.required("mean"))
                let sd = try positive(map.required("sd"))
                guard mean < 1 else {
                    throw map.value.error("a beta mean must be between 0 and 1, found \(Format.number(mean))")
                }
                let limit = (mean * (1 - mean)).squareRoot()
                guard sd < limit else {
                    throw map.value.error(
                        "a beta distribution with mean \(Format.number(mean)) needs sd below "
                            + "\(Format.number(limit)), found \(Format.number(sd))"
                    )
                }
                let concentration = mean * (1 - mean) / (sd * sd) - 1
                try usable([mean * concentration, (1 - mean) * concentration], at: map.value, kind: "beta")
                parameter = Parameter(
                    .beta(alpha: mean * concentration, beta: (1 - mean) * concentration),
                    domain: domain,
                    description: "beta(mean \(Format.number(mean)), sd \(Format.number(sd)))"
                )
            } else {
                let alpha = try positive(map.required("alpha"))
                let beta = try positive(map.required("beta"))
                parameter = Parameter(.beta(alpha: alpha, beta: beta), domain: domain)
            }
        case "uniform":
            let bound = try numbers(body, count: 2, form: "[low, high]")
            guard bound[0] <= bound[1] else { throw body.error("expected [low, high] with low <= high") }
            parameter = Parameter(.uniform(lower: bound[0], upper: bound[1]), domain: domain)
            try within(bounds, body, domain, bound)
        case "triangular":
            let point = try numbers(body, count: 3, form: "[min, mode, max]")
            guard point[0] <= point[1], point[1] <= point[2], point[0] < point[2] else {
                throw body.error("expected [min, mode, max] with min <= mode <= max and min < max")
            }
            parameter = Parameter(.triangular(lower: point[0], mode: point[1], upper: point[2]), domain: domain)
            try within(bounds, body, domain, point)
        case "normal":
            let map = try body.mapping(allowing: ["mean", "sd"])
            let mean = try map.required("mean").number()
            let sd = try positive(map.required("sd"))
            let mass = Gaussian.cdf((bounds.upperBound - mean) / sd) - Gaussian.cdf((bounds.lowerBound - mean) / sd)
            guard mass > 1e-9 else {
                throw body.error(
                    "normal(mean \(Format.number(mean)), sd \(Format.number(sd))) has almost no mass "
                        + "\(rangeText(domain)), where \(domain.noun) must lie"
                )
            }
            parameter = Parameter(
                .truncatedNormal(mean: mean, sd: sd, lower: bounds.lowerBound, upper: bounds.upperBound),
                domain: domain
            )
        case "lognormal":
            try unbounded(kind, body, domain)
            let map = try body.mapping(allowing: ["median", "sd", "sigma"])
            let median = try positive(map.required("median"))
            let sigma: Double
            if map.has("sigma") {
                try noMixing(map, ["sd"], with: "median and sigma")
                sigma = try positive(map.required("sigma"))
            } else {
                // sd is the distribution's own standard deviation: solve m²·y·(y − 1) = sd² for y = exp(σ²).
                let sd = try positive(map.required("sd"))
                let ratio = sd / median
                sigma = log((1 + (1 + 4 * ratio * ratio).squareRoot()) / 2).squareRoot()
            }
            try usable([sigma], at: map.value, kind: "lognormal")
            parameter = Parameter(.lognormal(mu: log(median), sigma: sigma), domain: domain)
        case "gamma":
            try unbounded(kind, body, domain)
            let map = try body.mapping(allowing: ["shape", "scale", "mean", "sd"])
            if map.has("mean") || map.has("sd") {
                try noMixing(map, ["shape", "scale"], with: "mean and sd")
                let mean = try positive(map.required("mean"))
                let sd = try positive(map.required("sd"))
                try usable([mean * mean / (sd * sd), sd * sd / mean], at: map.value, kind: "gamma")
                parameter = Parameter(
                    .gamma(shape: mean * mean / (sd * sd), scale: sd * sd / mean),
                    domain: domain,
                    description: "gamma(mean \(Format.number(mean)), sd \(Format.number(sd)))"
                )
            } else {
                let shape = try positive(map.required("shape"))
                let scale = try positive(map.required("scale"))
                parameter = Parameter(.gamma(shape: shape, scale: scale), domain: domain)
            }
        default:
            preconditionFailure("unhandled distribution \(kind)")
        }
        guard parameter.mean.isFinite, parameter.mean <= bounds.upperBound else {
            throw body.error(
                "\(parameter.description) has a mean of \(Format.number(parameter.mean)); \(domain.noun) stays \(rangeText(domain))"
            )
        }
        return parameter
    }

    static func count(_ value: YAMLValue, range: ClosedRange<Int>) throws(ScenarioError) -> CountParameter {
        if case .scalar = value.node {
            return .fixed(try value.integer(in: range))
        }
        let (kind, body) = try distributionEntry(
            value,
            kinds: countKinds,
            what: "a whole number or a count distribution"
        )
        let limit = Double(range.upperBound)
        if kind == "poisson" {
            let mean = try body.number()
            guard mean > 0, mean <= limit / 2 else {
                throw body.error("a poisson mean must be above 0 and at most \(Format.number(limit / 2))")
            }
            return CountParameter(.poisson(mean: mean))
        }
        let map = try body.mapping(allowing: ["mean", "sd", "n", "p"])
        if map.has("n") || map.has("p") {
            try noMixing(map, ["mean", "sd"], with: "n and p")
            let n = try positive(map.required("n"))
            let p = try positive(map.required("p"))
            guard p < 1 else {
                throw map.value.error("p must be between 0 and 1 (exclusive), found \(Format.number(p))")
            }
            return try boundedTail(
                CountParameter(.negativeBinomial(p: p, n: n)),
                limit: range.upperBound,
                at: map.value
            )
        }
        let mean = try positive(map.required("mean"))
        let sd = try positive(map.required("sd"))
        guard sd * sd > mean else {
            throw map.value.error(
                "a negative binomial needs a variance above its mean: sd must exceed "
                    + "\(Format.number(mean.squareRoot())) (for less spread use poisson or a fixed count)"
            )
        }
        let count = CountParameter(
            .negativeBinomial(p: mean / (sd * sd), n: mean * mean / (sd * sd - mean)),
            description: "negativeBinomial(mean \(Format.number(mean)), sd \(Format.number(sd)))"
        )
        return try boundedTail(count, limit: range.upperBound, at: map.value)
    }

    // MARK: Helpers

    /// A negative binomial must stay below the count limit: P(count > limit) < 10^-12.
    private static func boundedTail(
        _ count: CountParameter,
        limit: Int,
        at value: YAMLValue
    ) throws(ScenarioError) -> CountParameter {
        guard case .negativeBinomial(let p, let n) = count.distribution, p.isFinite, n.isFinite, n > 0 else {
            throw value.error("these values do not form a negative binomial distribution")
        }
        guard Densities.negativeBinomialTail(above: limit, p: p, size: n) < 1e-12 else {
            throw value.error(
                "\(count.description) puts counts above \(Format.count(limit)) within reach; "
                    + "use a smaller mean or less spread"
            )
        }
        return count
    }

    /// Derived distribution parameters must be finite and positive (a tiny sd can overflow them).
    private static func usable(_ values: [Double], at value: YAMLValue, kind: String) throws(ScenarioError) {
        guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw value.error(
                "these values do not form a usable \(kind) distribution (the sd is too small or too "
                    + "large); for a value without spread write the number itself"
            )
        }
    }

    private static func distributionEntry(
        _ value: YAMLValue,
        kinds: [String],
        what: String
    ) throws(ScenarioError) -> (String, YAMLValue) {
        guard case .mapping = value.node else {
            throw value.error("expected \(what), found \(value.kindDescription)")
        }
        let map = try value.mapping(allowing: kinds)
        guard map.entries.count == 1, let entry = map.entries.first else {
            throw value.error(
                "expected exactly one distribution (one of \(kinds.joined(separator: ", "))), "
                    + "found \(map.entries.count)"
            )
        }
        return (entry.key, entry.value)
    }

    private static func positive(_ value: YAMLValue) throws(ScenarioError) -> Double {
        let number = try value.number()
        guard number > 0 else { throw value.error("must be above 0, found \(Format.number(number))") }
        return number
    }

    private static func numbers(_ value: YAMLValue, count: Int, form: String) throws(ScenarioError) -> [Double] {
        let items = try value.list()
        guard items.count == count else { throw value.error("expected \(form), found \(items.count) values") }
        var result: [Double] = []
        for item in items { result.append(try item.number()) }
        return result
    }

    private static func within(
        _ bounds: ClosedRange<Double>,
        _ value: YAMLValue,
        _ domain: Parameter.Domain,
        _ points: [Double]
    ) throws(ScenarioError) {
        guard points.allSatisfy(bounds.contains) else {
            throw value.error("values of \(domain.noun) must lie \(rangeText(domain))")
        }
    }

    private static func unbounded(_ kind: String, _ value: YAMLValue, _ domain: Parameter.Domain) throws(ScenarioError)
    {
        guard domain == .multiplier else {
            throw value.error(
                "\(kind) is unbounded, but \(domain.noun) must lie \(rangeText(domain)); "
                    + "use beta, uniform, triangular or normal (truncated to [0, 1])"
            )
        }
    }

    private static func noMixing(_ map: YAMLMapping, _ keys: [String], with form: String) throws(ScenarioError) {
        if let key = keys.first(where: map.has) {
            throw map.value.error("\(Format.quoted(key)) cannot be combined with \(form); give one form")
        }
    }

    private static func rangeText(_ domain: Parameter.Domain) -> String {
        domain == .probability ? "from 0 to 1 (or 0% to 100%)" : "from 0 to 1,000"
    }
}
