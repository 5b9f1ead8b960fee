/// The names of a plan's random lanes, in lane order, held as one run of UTF-8 bytes: a
/// 10,000-rep team has about 100,000 lanes, which as separate strings took about 1 KB per rep.
public struct LaneNames: RandomAccessCollection, Sendable, Hashable {
    private var bytes: [UInt8] = []
    /// Where each name ends in `bytes`.
    private var ends: [Int] = []

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(lane: Int) -> String {
        let start = lane == 0 ? 0 : ends[lane - 1]
        return String(decoding: bytes[start..<ends[lane]], as: UTF8.self)
    }

    mutating func append(_ name: String) {
        bytes.append(contentsOf: name.utf8)
        ends.append(bytes.count)
    }
}
