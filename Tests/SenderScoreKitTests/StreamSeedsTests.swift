import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct StreamSeedsTests {
    @Test func seedsAreDistinctAndNeverZero() {
        let seeds = StreamSeeds(seed: 7, lanes: 97)
        var seen = Set<UInt32>()
        for block in 0..<5_000 {
            for lane in 0..<97 {
                let seed = seeds.seed(block: block, lane: lane)
                #expect(seed != 0 && seed <= UInt32(StreamSeeds.capacity))
                seen.insert(seed)
            }
        }
        #expect(seen.count == 5_000 * 97)
    }

    @Test func seedsDependOnTheUserSeed() {
        let a = StreamSeeds(seed: 1, lanes: 4)
        let b = StreamSeeds(seed: 2, lanes: 4)
        let fromA = (0..<100).map { a.seed(block: $0, lane: 0) }
        let fromB = (0..<100).map { b.seed(block: $0, lane: 0) }
        #expect(fromA != fromB)
        #expect(fromA == (0..<100).map { StreamSeeds(seed: 1, lanes: 4).seed(block: $0, lane: 0) })
    }
}
