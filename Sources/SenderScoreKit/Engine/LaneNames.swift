/// The names of a plan's random lanes, in lane order, held as one run of UTF-8 bytes with each
/// name stored as what it adds to the one before (front coding): a lane's name starts like its
/// neighbours' ("rep00001/outbound, target-accounts: bounced", "…: replied"), so a 10,000-rep team's
/// 140,000 names take about 15 bytes each instead of about 50. Every `restartInterval`th name is
/// stored whole, so reading one name reads at most that many.
public struct LaneNames: RandomAccessCollection, Sendable, Hashable {
    /// Per name, the bytes it does not share with the one before.
    private var bytes: [UInt8] = []
    /// Where each name's own bytes end in `bytes`.
    private var ends: [UInt32] = []
    /// How many leading bytes each name shares with the one before (at most 255).
    private var shared: [UInt8] = []
    /// The last name appended, to compare the next with.
    private var last: [UInt8] = []

    static let restartInterval = 16

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(lane: Int) -> String {
        let first = lane - lane % Self.restartInterval
        var name: [UInt8] = []
        for index in first...lane {
            let start = index == 0 ? 0 : Int(ends[index - 1])
            name.removeLast(name.count - Int(shared[index]))
            name += bytes[start..<Int(ends[index])]
        }
        return String(decoding: name, as: UTF8.self)
    }

    mutating func append(_ name: String) {
        let utf8 = Array(name.utf8)
        var common = 0
        if ends.count % Self.restartInterval != 0 {
            let most = Swift.min(255, utf8.count, last.count)
            while common < most, utf8[common] == last[common] { common += 1 }
        }
        bytes += utf8[common...]
        ends.append(UInt32(bytes.count))
        shared.append(UInt8(common))
        last = utf8
    }

    /// Moves the names into storage of exactly their size, for a plan to keep once built: one
    /// array at a time, each grown one freed as its copy is made.
    mutating func compact() {
        bytes = bytes.withUnsafeBufferPointer { Array($0) }
        ends = ends.withUnsafeBufferPointer { Array($0) }
        shared = shared.withUnsafeBufferPointer { Array($0) }
    }
}
