/// Shard `index` of `count` (`--shard K/N`, K from 1): its share of every range of blocks a run
/// computes. The share is contiguous and the shares of 1…N tile the range in order, so the
/// shards of a run hold every block exactly once.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// From 1 to `count`.
    public let index: Int
    public let count: Int

    /// The most shards a run is cut into.
    public static let limit = Limits.shards

    /// The whole run as one shard.
    public static let whole = Shard(checked: 1, of: 1)

    private init(checked index: Int, of count: Int) {
        self.index = index
        self.count = count
    }

    /// "K/N" with 1 ≤ K ≤ N ≤ `limit`.
    ///
    /// - Throws: `ScenarioError` at the `shard` option for anything else.
    public init(parsing text: String) throws(ScenarioError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ScenarioError(
                option: "shard",
                message:
                    "\(Format.quoted(text)) is not K/N: give this shard's number and the number of shards, e.g. 2/8"
            )
        }
        try self.init(index, of: count)
    }

    /// Shard `index` of `count`.
    ///
    /// - Throws: `ScenarioError` at the `shard` option unless 1 ≤ index ≤ count ≤ `limit`.
    public init(_ index: Int, of count: Int) throws(ScenarioError) {
        guard (1...Self.limit).contains(count) else {
            throw ScenarioError(
                option: "shard",
                message: "\(Format.count(count)) shards: a run is cut into 1 to \(Format.count(Self.limit))",
                code: .limit
            )
        }
        guard (1...count).contains(index) else {
            throw ScenarioError(option: "shard", message: "shard \(index) of \(count): K/N needs K from 1 to N")
        }
        self.init(checked: index, of: count)
    }

    /// This shard's blocks of `range`: the K-th of N near-equal contiguous pieces (some are empty
    /// when the range has fewer than N blocks).
    public func blocks(of range: Range<Int>) -> Range<Int> {
        let length = range.count
        return range.lowerBound + (index - 1) * length / count..<range.lowerBound + index * length / count
    }

    /// "2/8".
    public var description: String { "\(index)/\(count)" }

    enum CodingKeys: String, CodingKey { case index, count }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let index = try container.decode(Int.self, forKey: .index)
        let count = try container.decode(Int.self, forKey: .count)
        guard (1...Self.limit).contains(count), (1...count).contains(index) else {
            throw DecodingError.dataCorruptedError(forKey: .index, in: container, debugDescription: "not a shard K/N")
        }
        self.init(checked: index, of: count)
    }
}
