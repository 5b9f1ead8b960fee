/// A count parameter (completed enrollments): a whole number or a count distribution.
public struct CountParameter: Sendable, Hashable, CustomStringConvertible, Encodable {
    public var distribution: CountDistribution
    public var description: String

    public init(_ distribution: CountDistribution, description: String? = nil) {
        self.distribution = distribution
        self.description = description ?? distribution.description
    }

    public static func fixed(_ count: Int) -> CountParameter { CountParameter(.fixed(count)) }

    public var mean: Double { distribution.mean }
}
