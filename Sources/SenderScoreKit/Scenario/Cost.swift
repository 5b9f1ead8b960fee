/// What applying an intervention costs, in the user's own unit: a fixed part, a part per rep it
/// reaches, and a part per completed enrollment in its scope.
///
/// Counted once per strategy however the strategy splits the intervention's scope into entries.
/// A plain number in a scenario is a fixed cost.
public struct Cost: Sendable, Hashable, Codable {
    public var fixed: Double
    public var perRep: Double
    public var perEnrollment: Double

    public init(fixed: Double = 0, perRep: Double = 0, perEnrollment: Double = 0) {
        self.fixed = fixed
        self.perRep = perRep
        self.perEnrollment = perEnrollment
    }

    /// The keys of the structured form.
    public static let keys = ["fixed", "perRep", "perEnrollment"]

    /// Whether only the fixed part is set, so that the cost reads as a plain number.
    public var isFixedOnly: Bool { perRep == 0 && perEnrollment == 0 }

    enum CodingKeys: String, CodingKey {
        case fixed, perRep, perEnrollment
    }

    /// A number (a fixed cost) or `{fixed, perRep, perEnrollment}`, as a scenario writes it.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let value = try? single.decode(Double.self) {
            self.init(fixed: value)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            fixed: try container.decodeIfPresent(Double.self, forKey: .fixed) ?? 0,
            perRep: try container.decodeIfPresent(Double.self, forKey: .perRep) ?? 0,
            perEnrollment: try container.decodeIfPresent(Double.self, forKey: .perEnrollment) ?? 0
        )
    }

    public func encode(to encoder: any Encoder) throws {
        if isFixedOnly {
            var single = encoder.singleValueContainer()
            try single.encode(fixed)
        } else {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fixed, forKey: .fixed)
            try container.encode(perRep, forKey: .perRep)
            try container.encode(perEnrollment, forKey: .perEnrollment)
        }
    }

    /// "500", or "500 + 100 per rep + 0.01 per enrollment".
    public var description: String {
        var parts: [String] = []
        if fixed != 0 || isFixedOnly { parts.append(Format.number(fixed)) }
        if perRep != 0 { parts.append("\(Format.number(perRep)) per rep") }
        if perEnrollment != 0 { parts.append("\(Format.number(perEnrollment)) per enrollment") }
        return parts.joined(separator: " + ")
    }
}

/// What a strategy costs: the expected total and, when volumes are uncertain, a 95% range.
public struct StrategyCost: Sendable, Hashable, Codable {
    /// The expected cost.
    public var mean: Double
    /// The 95% range of the cost (a normal approximation over the lines' independent volumes);
    /// equal to `mean` when every volume in scope is fixed.
    public var low: Double
    public var high: Double

    public init(mean: Double, low: Double, high: Double) {
        self.mean = mean
        self.low = low
        self.high = high
    }

    public var isUncertain: Bool { high > low }

    /// The cost a budget on `basis` limits.
    public func value(on basis: PlanSpec.BudgetBasis) -> Double {
        basis == .expected ? mean : high
    }
}
